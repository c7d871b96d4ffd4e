"""Stage order, the runner, and the per-document state the rules share.

The pipeline is one ordered tuple of stages (:data:`STAGES`); a stage runs steps, rules and
passes (:mod:`cleaners.core.registry`). The runner gives each enabled rule, and each pass of
an enabled stage, the current text, keeps the changes whose rule id is enabled, applies
them through :class:`~cleaners.core.tracked.TrackedText` (which keeps their input offsets),
and collects review entries and metadata. Rules never raise on odd text; if the runner catches an exception
anyway, the document's result carries ``error`` and the input text, and the run goes on.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from pathlib import Path
from typing import Any

from cleaners import __about__
from cleaners.stages import (
    boilerplate,
    decode,
    extract,
    metadata,
    normalize,
    ocr,
    punctuation,
    user as userrules,
)
from cleaners.core import safety
from cleaners.core.config import DEFAULT_CONFIG, FORMATS, Config
from cleaners.core.document import CleanResult, empty_metadata
from cleaners.core.language import detect_language
from cleaners.core.registry import RULES, Pass, Stage, Step, RuleFn
from cleaners.core.state import DocState
from cleaners.core.tracked import TrackedText

#: The stages in the order they run. Metadata is lifted before boilerplate is dropped, so
#: that a dateline glued to an app prompt is split, not thrown away; punctuation runs on the
#: lines that stay; whitespace is normalized last. The user's own drop patterns
#: (``user.<name>``, from ``scrubline.toml``) act right after the built-in boilerplate.
STAGES: tuple[Stage, ...] = (
    decode.STAGE,
    ocr.STAGE,
    metadata.STAGE,
    boilerplate.STAGE,
    userrules.STAGE,
    punctuation.STAGE,
    normalize.STAGE,
)

BYTES_ERROR_TEXT = (
    "clean() takes text (str), not bytes. Decode the bytes first: "
    "cleaners.io.sniff_text(data) detects BOMs, declared charsets and legacy encodings "
    "and tells you what it decided."
)


#: The folder of the shipped package (``cleaners/``) whose source :func:`pipeline_version` digests.
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def source_digest(package_dir: Path) -> str:
    """A digest of every file shipped under ``package_dir``: each ``.py`` module and each
    package data file (tables), sorted by relative path, with their content bytes.

    Caches and hidden files (``__pycache__``, ``*.pyc``, ``.name``) are not shipped source
    and are left out, so importing the package does not change its digest.
    """
    h = hashlib.sha256()
    files = []
    for path in package_dir.rglob("*"):
        rel = path.relative_to(package_dir)
        if any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
            continue
        if path.suffix in (".pyc", ".pyo") or not path.is_file():
            continue
        files.append((rel.as_posix(), path))
    for rel, path in sorted(files):
        data = path.read_bytes()
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def pipeline_version() -> str:
    """The library version plus a digest of the shipped source of ``cleaners/``.

    The digest (:func:`source_digest`) covers every module and data table of the package,
    so any change to the code or to a rule's patterns changes it, and incremental runs
    re-clean every document cleaned by another version. Computed once per process.
    """
    global _PIPELINE_VERSION
    if _PIPELINE_VERSION is None:
        digest = source_digest(PACKAGE_DIR)[:12]
        _PIPELINE_VERSION = f"{__about__.__version__}+{digest}"
    return _PIPELINE_VERSION


_PIPELINE_VERSION: str | None = None


def step_fn(step: Step) -> RuleFn:
    """The function a step calls: a rule is its function, a pass holds one."""
    return step.fn if isinstance(step, Pass) else step


def check_config(config: Config) -> None:
    """Raise ``ValueError`` if the config names a rule or stage that does not exist."""
    known = set(RULES) | {s.id for s in STAGES} | config.user_rule_ids()
    named = set(config.disabled)
    for section in config.sites:
        named |= section.disable | section.enable
    unknown = sorted(x for x in named if x not in known)
    if unknown:
        raise ValueError(
            f"unknown rule or stage id(s): {', '.join(unknown)}; "
            f"see `scrubline rules` for the list"
        )


def clean(
    text: str,
    *,
    fmt: str = "text",
    config: Config | None = None,
    path: str | None = None,
) -> CleanResult:
    """Clean one document and explain every change.

    ``fmt`` is ``"text"`` or ``"html"``. HTML is first reduced to text lines
    (:func:`cleaners.stages.extract.html_to_text`); edit offsets then refer to that text, which the
    result keeps as ``source_text``.

    ``path`` (the input path relative to its root) lets ``[site.".."] paths`` globs of the
    config match; a config with site sections is resolved per document
    (:meth:`~cleaners.core.config.Config.for_document`), and the result's ``config`` is the
    effective one.

    >>> r = clean("  A first line.  \\n\\n\\n\\nA second line.")
    >>> r.text
    'A first line.\\n\\nA second line.\\n'
    >>> sorted({e.rule for e in r.edits})
    ['normalize.collapse_blank_lines', 'normalize.end_with_newline', 'normalize.strip_line_space']

    Bad arguments raise (``TypeError``, ``ValueError``); a bad *document* never does: a
    document beyond the limits (:mod:`cleaners.core.safety`) or one a rule chokes on comes back
    unchanged, with ``error`` set and ``stats["error_type"]``:

    >>> r = clean("x" * 2_000_000)
    >>> r.error, r.stats["error_type"], r.text == "x" * 2_000_000
    ('line 1 has 2000000 characters, above the limit of 1000000 (--max-line-chars)', 'LineTooLong', True)
    """
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(BYTES_ERROR_TEXT)
    if not isinstance(text, str):
        raise TypeError(f"clean() takes str, not {type(text).__name__}")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    config = config or DEFAULT_CONFIG
    check_config(config)
    try:
        return _run(text, fmt, config, path)
    except Exception as exc:  # rules are total; this is the safety net (one document)
        return _failed(text, exc)


def _failed(text: str, exc: Exception) -> CleanResult:
    """The result of a document that could not be cleaned: its input, unchanged."""
    meta = empty_metadata()
    stats: dict[str, Any] = {"error_type": type(exc).__name__, "chars_in": len(text)}
    return CleanResult(
        text=text, metadata=meta, edits=[], review=[], stats=stats, source_text=text,
        error=str(exc) or type(exc).__name__,
    )


def _run(text: str, fmt: str, config: Config, path: str | None = None) -> CleanResult:
    source_text = text
    extracted_meta: dict[str, Any] = {}
    if fmt == "html":
        source_text, extracted_meta = extract.html_to_text(text)
    safety.check_line_length(source_text)

    def resolve(current: str, doc: DocState) -> Config:
        raw = text if fmt == "html" else None
        return userrules.resolve_site(root, path, current, doc, raw)

    root = config
    run = _run_stages(source_text, fmt, root.for_document(path=path), resolve)
    if isinstance(run, Config):  # the site's section changes the stages before it
        run = _run_stages(source_text, fmt, run, None)
    tracked, doc, timings = run
    config = doc.config

    meta = doc.metadata
    for key, value in extracted_meta.items():
        if meta.get(key) is None:
            meta[key] = value
    if meta.get("site") is None:
        meta["site"] = userrules.matched_host(config)
    out = tracked.text
    if meta.get("language") is None:
        lang = config.language or detect_language(out)
        meta["language"] = lang
    edits = tracked.edits() if config.record_edits else []
    per_rule = Counter(e.rule for e in edits)
    stats: dict[str, Any] = {
        "chars_in": len(source_text),
        "chars_out": len(out),
        "lines_in": source_text.count("\n") + (1 if source_text and not source_text.endswith("\n") else 0),
        "lines_out": out.count("\n") + (1 if out and not out.endswith("\n") else 0),
        "edits": len(edits),
        "review": len(doc.reviews),
        "edits_per_rule": dict(sorted(per_rule.items())),
        "lines_dropped": sum(1 for e in edits if e.action == "drop" and "\n" in e.before),
        "seconds": {k: round(v, 6) for k, v in timings.items()},
    }
    return CleanResult(
        text=out,
        metadata=meta,
        edits=edits,
        review=sorted(doc.reviews, key=lambda r: (r.start, r.end, r.rule)),
        stats=stats,
        source_text=source_text,
        config=config,
    )


def _run_stages(
    source_text: str, fmt: str, config: Config, resolve: Any
) -> tuple[TrackedText, DocState, dict[str, float]] | Config:
    """Run the stages; before ``boilerplate``, ``resolve`` the site's config (if given).

    Returns the document's final config instead when it changes a stage that already ran.
    """
    tracked = TrackedText(source_text, record=config.record_edits)
    doc = DocState(tracked, config=config, fmt=fmt)
    timings: dict[str, float] = {}
    proposed = 0
    for stage in STAGES:
        if resolve is not None and stage.id == userrules.RESOLVE_BEFORE:
            final = resolve(tracked.text, doc)
            if userrules.early_settings(final) != userrules.early_settings(config):
                return final
            doc.config = config = final
        t0 = time.perf_counter()
        doc.stage_input = tracked.text
        for step in stage.steps:
            if not config.enabled(stage.id if isinstance(step, Pass) else step.rule_id):  # type: ignore[union-attr]
                continue
            changes = safety.bounded_changes(step_fn(step)(tracked.text, doc), proposed)
            proposed += len(changes)
            changes = [c for c in changes if config.enabled(c.rule)]
            if changes and stage.id in userrules.PROTECTED_STAGES:
                changes = userrules.protect(tracked.text, changes, doc)
            if changes:
                tracked.apply(changes)
        timings[stage.id] = time.perf_counter() - t0
    return tracked, doc, timings
