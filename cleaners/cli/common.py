"""What the commands share: exit codes, error texts and the option groups, with their readers.

Enters: an ``argparse`` parser or group to add options to; the parsed options.
Leaves: the options added (input format, rule switches, config file, output, limits) and
what they mean to the library: :func:`config_from_args` (a :class:`~cleaners.core.config.Config`
from the config file and the switches over it), :func:`limits_from_args` (the per-document
:class:`~cleaners.core.safety.Limits`). The flow commands (``flows/cli.py``) use the same
groups, so ``run`` and ``schedule`` read their options as ``clean`` does.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Callable
from typing import Any

from cleaners.core.config import Config
from cleaners.configload import run_config
from cleaners.core.safety import (
    MAX_EDITS_DEFAULT,
    MAX_HTML_ATTRIBUTES_DEFAULT,
    MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT,
    MAX_HTML_DEPTH_DEFAULT,
    MAX_LINE_CHARS_DEFAULT,
    REGEX_TIMEOUT_DEFAULT,
    Limits,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: Runs one command on its parsed options; returns the exit status.
Handler = Callable[[argparse.Namespace], int]
#: Adds a module's commands to the sub-parsers; returns each command name's handler.
Register = Callable[[Any], dict[str, Handler]]

OUT_IS_INPUT_TEXT = "scrubline: error: --out {out} is an input file; choose a folder"
LOCKED_TEXT = (
    "scrubline: error: {detail}; wait for it to finish or choose another --out "
    "(nothing was written)"
)
CONFIG_HELP = (
    "scrubline.toml (or a pyproject.toml with [tool.scrubline]) to use; default: "
    "scrubline.toml in the input folder, else in the current folder, else "
    "./pyproject.toml [tool.scrubline]; options given here win over the file"
)


def fail(text: object, status: int = EXIT_USAGE) -> int:
    """Print ``scrubline: error: TEXT`` on stderr; return ``status``."""
    print(f"scrubline: error: {text}", file=sys.stderr)
    return status


def add_command(sub: Any, name: str, handler: Handler) -> argparse.ArgumentParser:
    """Add the command ``name`` to ``sub``; its texts are the handler's docstring: the first
    paragraph the one line ``--help`` lists, the second the description of ``NAME --help``.

    >>> def run_hello(args):
    ...     '''say hello
    ...
    ...     Print a greeting
    ...     on standard output.
    ...     '''
    >>> parser = argparse.ArgumentParser(prog="x")
    >>> add_command(parser.add_subparsers(), "hello", run_hello).description
    'Print a greeting on standard output.'
    >>> "say hello" in parser.format_help()
    True
    """
    paragraphs = inspect.cleandoc(handler.__doc__ or "").split("\n\n") + ["", ""]
    summary, description = (" ".join(text.split()) or None for text in paragraphs[:2])
    return sub.add_parser(name, help=summary, description=description)  # None under -OO


def add_format_option(group: Any, help: str) -> None:
    """``--format auto|text|html`` (default: auto)."""
    group.add_argument(
        "--format", choices=("auto", "text", "html"), default="auto", help=help
    )


def add_disable_option(group: Any, help: str) -> None:
    """``--disable ID``, repeatable (a rule or a whole stage)."""
    group.add_argument("--disable", action="append", default=[], metavar="ID", help=help)


def add_config_option(group: Any, help: str = CONFIG_HELP) -> None:
    """``--config PATH`` (clean, run, schedule, diff, explain; rules and config show)."""
    group.add_argument("--config", metavar="PATH", help=help)


def add_json_option(parser: Any) -> None:
    """``--json`` (explain, rules, config show)."""
    parser.add_argument("--json", action="store_true", help="JSON for machines")


def add_common_output(parser: argparse.ArgumentParser, default_out: str | None) -> None:
    """The output and rules groups of ``clean``, ``run`` and ``schedule``."""
    out = parser.add_argument_group("output")
    out.add_argument(
        "--out",
        "-o",
        default=default_out,
        required=default_out is None,
        metavar="DIR",
        help="output folder for <stem>.txt, <stem>.json and manifest.jsonl"
        + (f" (default: {default_out})" if default_out else ""),
    )
    out.add_argument(
        "--force",
        action="store_true",
        help="re-clean documents whose outputs are up to date (same input, pipeline, config)",
    )
    out.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bar and no summary"
    )
    out.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        metavar="N",
        help="fail inputs larger than N bytes instead of reading them (default: 64 MiB; "
        "0 = no limit)",
    )
    rules = parser.add_argument_group("rules")
    add_format_option(
        rules, "input format; auto decides by file ending, then content (default: auto)"
    )
    add_disable_option(
        rules, "skip a rule or a whole stage by id (repeatable; see `scrubline rules`)"
    )
    rules.add_argument(
        "--ocr",
        choices=("auto", "on", "off"),
        default=None,
        help="OCR repairs: decide per document, always, or never (default: the config "
        "file's, else auto)",
    )
    add_config_option(rules)
    rules.add_argument("--language", metavar="CODE", help="BCP 47 code instead of detection")


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """Per-document limits (see cleaners/core/safety.py); 0 switches a size limit off."""
    g = parser.add_argument_group(
        "limits", "a document beyond a limit is failed with a clear reason; 0 = no limit"
    )
    g.add_argument(
        "--max-line-chars",
        type=int,
        default=MAX_LINE_CHARS_DEFAULT,
        metavar="N",
        help="fail documents with a line longer than N characters "
        f"(default: {MAX_LINE_CHARS_DEFAULT:,})",
    )
    g.add_argument(
        "--max-html-depth",
        type=int,
        default=MAX_HTML_DEPTH_DEFAULT,
        metavar="N",
        help=f"fail HTML nesting elements deeper than N (default: {MAX_HTML_DEPTH_DEFAULT})",
    )
    g.add_argument(
        "--max-html-attributes",
        type=int,
        default=MAX_HTML_ATTRIBUTES_DEFAULT,
        metavar="N",
        help="fail HTML with more than N attributes on one tag "
        f"(default: {MAX_HTML_ATTRIBUTES_DEFAULT:,})",
    )
    g.add_argument(
        "--max-html-attributes-total",
        type=int,
        default=MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT,
        metavar="N",
        help="fail HTML with more than N attributes in all "
        f"(default: {MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT:,})",
    )
    g.add_argument(
        "--max-edits",
        type=int,
        default=MAX_EDITS_DEFAULT,
        metavar="N",
        help=f"fail documents needing more than N edits (default: {MAX_EDITS_DEFAULT:,})",
    )
    g.add_argument(
        "--regex-timeout",
        type=float,
        default=REGEX_TIMEOUT_DEFAULT,
        metavar="SECONDS",
        help="seconds one pattern may run, plus as many per million characters "
        f"(default: {REGEX_TIMEOUT_DEFAULT:g})",
    )


def limits_from_args(args: argparse.Namespace) -> Limits:
    """The :class:`cleaners.core.safety.Limits` of the parsed options."""
    values = {
        "max_bytes": getattr(args, "max_bytes", None),
        "max_line_chars": getattr(args, "max_line_chars", None),
        "max_html_depth": getattr(args, "max_html_depth", None),
        "max_html_attributes": getattr(args, "max_html_attributes", None),
        "max_html_attributes_total": getattr(args, "max_html_attributes_total", None),
        "max_edits": getattr(args, "max_edits", None),
        "regex_timeout": getattr(args, "regex_timeout", None),
    }
    for key, value in values.items():
        if value is not None and value < 0:
            raise ValueError(f"--{key.replace('_', '-')} must be 0 or more, not {value}")
    if values["regex_timeout"] is not None:
        values["regex_timeout_per_mb"] = values["regex_timeout"]
    return Limits(**{k: v for k, v in values.items() if v is not None})


def config_from_args(args: argparse.Namespace) -> Config:
    """Build the run's config: the config file (given or found), then the command line
    over it. A bad file or an unknown id raises ``ValueError`` (a usage error)."""
    inputs = getattr(args, "inputs", None) or [
        x for x in (getattr(args, "input_dir", None), getattr(args, "input", None)) if x
    ]
    return run_config(
        inputs,
        getattr(args, "config", None),
        disable=args.disable,
        ocr=getattr(args, "ocr", None),
        language=getattr(args, "language", None),
    )
