"""The config of one run: inputs, a ``--config`` path or a file's text, and command-line
switches in; the validated root :class:`~cleaners.core.config.Config` out.

This module sits above the pipeline: it knows the rule and stage ids a config file may name
(:data:`cleaners.core.registry.RULES` and :data:`cleaners.core.pipeline.STAGES`) and hands
them to :mod:`cleaners.core.configfile`, which reads and validates the file without
importing anything above :mod:`cleaners.core`. The CLI and the flows load their config here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cleaners.core.config import DEFAULT_CONFIG, Config
from cleaners.core.configfile import (
    CONFIG_FILENAME,
    OCR_MODES,
    ConfigError,
    Problem,
    config_from_file,
    config_from_text,
    find_config,
)
from cleaners.core.configlines import KeyPath
from cleaners.core.pipeline import STAGES, check_config
from cleaners.core.registry import RULES

__all__ = [
    "CONFIG_FILENAME",
    "OCR_MODES",
    "ConfigError",
    "Problem",
    "builtin_ids",
    "find_config",
    "load_config",
    "parse_config",
    "run_config",
]


def builtin_ids() -> frozenset[str]:
    """Every rule and stage id of the pipeline: what a config file's switches may name.

    >>> {"punctuation", "boilerplate"} <= builtin_ids()
    True
    """
    return frozenset(RULES) | {s.id for s in STAGES}


def parse_config(text: str, *, file: str = CONFIG_FILENAME, table: KeyPath = ()) -> Config:
    """Validate a config file's text and build its root :class:`Config`.

    ``table`` is where the settings sit (``("tool", "scrubline")`` in ``pyproject.toml``).
    Raises :class:`ConfigError` listing every problem.

    >>> parse_config('disable = ["punctuation"]\\n').disabled
    frozenset({'punctuation'})
    >>> parse_config('disable = ["punctuaton"]\\n')
    Traceback (most recent call last):
    ...
    cleaners.core.configfile.ConfigError: scrubline.toml:1: disable[0]: unknown rule or stage id 'punctuaton'; did you mean 'punctuation'? (see `scrubline rules`)
    """
    return config_from_text(text, builtin_ids(), file=file, table=table)


def load_config(path: Path | str) -> Config:
    """Read and validate a ``scrubline.toml`` or the ``[tool.scrubline]`` of a
    ``pyproject.toml``."""
    return config_from_file(path, builtin_ids())


def run_config(
    inputs: Sequence[Path | str] = (),
    config_path: Path | str | None = None,
    *,
    disable: Sequence[str] = (),
    ocr: str | None = None,
    language: str | None = None,
    cwd: Path | None = None,
) -> Config:
    """The root config of one run: the file (given or found), then the command line over it.

    Precedence: command line > file (a site section over its global settings) > defaults.
    Raises :class:`ConfigError` (a ``ValueError``) for a bad file and ``ValueError`` for an
    unknown id on the command line, before any document is read.
    """
    path = Path(config_path) if config_path is not None else find_config(inputs, cwd)
    if config_path is not None and not path.is_file():  # type: ignore[union-attr]
        raise ConfigError([Problem(str(path), None, "", "config file not found")])
    config = load_config(path) if path is not None else DEFAULT_CONFIG
    config = config.with_overrides(disable=frozenset(disable), ocr=ocr, language=language)
    check_config(config)
    return config
