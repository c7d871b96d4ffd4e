"""The ``scrubline`` command line.

``main(argv) -> int`` builds the parser and dispatches; nothing runs at import. Commands
that need Prefect (``run``, ``schedule``) import it only when they are called, so
``scrubline clean`` starts in a fraction of a second.

Each command lives in a module listed in :data:`COMMAND_MODULES` that defines
``add_parser(subparsers)`` (which sets ``func``) and the function it runs.

Exit status: 0 when every input was cleaned or skipped, 1 when some failed (the others are
still written), 2 for a usage error or an output folder another run is writing to.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaners.__about__ import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: Modules that add a subcommand, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "cleaners.cli",  # clean
    "cleaners.cli.inspect",  # diff, explain, report, rules
    "cleaners.cli.config",  # config show, check, init
    "cleaners.cli.export",  # export
    "flows.cli",  # run
    "flows.schedule",  # schedule
)

NO_INPUT_TEXT = "scrubline: error: no input files found in {inputs}"
OUT_IS_INPUT_TEXT = "scrubline: error: --out {out} is an input file; choose a folder"
LOCKED_TEXT = (
    "scrubline: error: {detail}; wait for it to finish or choose another --out "
    "(nothing was written)"
)
STOPPED_TEXT = (
    "scrubline: error: the run stopped: cannot write outputs ({error}); the {n} inputs "
    "not processed are listed as failed in the manifest; re-run to complete them"
)


def add_common_output(parser: argparse.ArgumentParser, default_out: str | None) -> None:
    """Options shared by ``clean`` and ``run``: output, format, re-cleaning, progress."""
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
    rules.add_argument(
        "--format",
        choices=("auto", "text", "html"),
        default="auto",
        help="input format; auto decides by file ending, then content (default: auto)",
    )
    rules.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="ID",
        help="skip a rule or a whole stage by id (repeatable; see `scrubline rules`)",
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
    """Per-document limits (see cleaners/safety.py); 0 switches a size limit off."""
    from cleaners.core.safety import (
        MAX_EDITS_DEFAULT,
        MAX_HTML_DEPTH_DEFAULT,
        MAX_LINE_CHARS_DEFAULT,
        REGEX_TIMEOUT_DEFAULT,
    )

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


def limits_from_args(args: argparse.Namespace) -> Any:
    """The :class:`cleaners.core.safety.Limits` of the parsed options."""
    from cleaners.core.safety import Limits

    values = {
        "max_bytes": getattr(args, "max_bytes", None),
        "max_line_chars": getattr(args, "max_line_chars", None),
        "max_html_depth": getattr(args, "max_html_depth", None),
        "max_edits": getattr(args, "max_edits", None),
        "regex_timeout": getattr(args, "regex_timeout", None),
    }
    for key, value in values.items():
        if value is not None and value < 0:
            raise ValueError(f"--{key.replace('_', '-')} must be 0 or more, not {value}")
    if values["regex_timeout"] is not None:
        values["regex_timeout_per_mb"] = values["regex_timeout"]
    return Limits(**{k: v for k, v in values.items() if v is not None})


def add_config_option(group: Any) -> None:
    """``--config PATH`` (clean, run, diff, explain)."""
    group.add_argument(
        "--config",
        metavar="PATH",
        help="scrubline.toml (or a pyproject.toml with [tool.scrubline]) to use; default: "
        "scrubline.toml in the input folder, else in the current folder, else "
        "./pyproject.toml [tool.scrubline]; options given here win over the file",
    )


def config_from_args(args: argparse.Namespace) -> Any:
    """Build the run's config: the config file (given or found), then the command line
    over it. A bad file or an unknown id raises ``ValueError`` (a usage error)."""
    from cleaners.configload import run_config

    inputs = getattr(args, "inputs", None) or [
        x for x in (getattr(args, "input_dir", None), getattr(args, "input", None)) if x
    ]
    config = run_config(
        inputs,
        getattr(args, "config", None),
        disable=args.disable,
        ocr=getattr(args, "ocr", None),
        language=getattr(args, "language", None),
    )
    return config


class Progress:
    """A progress bar on stderr (documents and MB per second) when it is a terminal."""

    def __init__(self, total: int, total_bytes: int, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self._bar: Any = None
        self._task: Any = None
        self.total = total
        self.total_bytes = total_bytes
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]cleaning"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("docs"),
                TransferSpeedColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("clean", total=self.total_bytes or 1, rate="")
            self._docs = 0
        return self

    def advance(self, n_bytes: int) -> None:
        """One document of ``n_bytes`` done (thread-safe: flow batches call it from threads)."""
        if self._bar is not None:
            with self._lock:
                self._docs += 1
                elapsed = self._bar.tasks[0].elapsed or 1e-9
                self._bar.update(
                    self._task,
                    advance=n_bytes,
                    rate=f"{self._docs / elapsed:.0f} docs/s",
                    description=f"{self._docs}/{self.total}",
                )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def print_summary(summary: dict[str, Any], out_dir: Path, *, file: Any = None) -> None:
    """Print the run summary (counts, bytes, top rules) to stderr."""
    file = file or sys.stderr
    print(
        f"{summary['documents']} documents: {summary['cleaned']} cleaned, "
        f"{summary['skipped']} skipped, {summary['failed']} failed; "
        f"{summary['bytes_in']:,} -> {summary['bytes_out']:,} bytes; "
        f"{summary['edits']} edits, {summary['review']} review entries",
        file=file,
    )
    top = list(summary["edits_per_rule"].items())[:8]
    if top:
        print("top rules: " + ", ".join(f"{k} {v}" for k, v in top), file=file)
    print(f"outputs and manifest.jsonl in {out_dir}", file=file)


def run_clean(args: argparse.Namespace) -> int:
    """``scrubline clean``: clean files and folders with the library, no Prefect."""
    from cleaners import corpus, io

    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        print(OUT_IS_INPUT_TEXT.format(out=out_dir), file=sys.stderr)
        return EXIT_USAGE
    try:
        config = config_from_args(args)
        limits = limits_from_args(args)
        files = io.discover(args.inputs, exclude=out_dir)
    except (ValueError, FileNotFoundError) as exc:
        print(f"scrubline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not files:
        print(NO_INPUT_TEXT.format(inputs=", ".join(args.inputs)), file=sys.stderr)
        return EXIT_USAGE
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        lock = io.OutputLock(out_dir).acquire()
    except io.OutputLocked as exc:
        print(LOCKED_TEXT.format(detail=exc), file=sys.stderr)
        return EXIT_USAGE
    with lock:
        io.remove_stale_temp_files(out_dir)  # left by a killed run; we hold the lock
        if getattr(args, "learn_profiles", False):  # a pre-pass: site chrome learned from the run
            from cleaners.io import profiles

            learned = profiles.learn_from_files(files, max_bytes=limits.max_bytes)
            profiles.write_profiles(out_dir, learned)
            config = profiles.with_profiles(config, learned)
        finished: dict[int, Any] = {}  # id(input) -> its row, as documents finish

        def done(f: Any, row: Any) -> None:
            finished[id(f)] = row
            bar.advance(row.bytes_in)

        workers = args.workers if args.workers is not None else io.available_cpus()
        with Progress(len(files), _total_bytes(files), enabled=not args.quiet) as bar:
            try:
                rows = io.clean_files(
                    files, out_dir, fmt=args.format, config=config, force=args.force,
                    limits=limits, on_done=done, workers=workers,
                )
            except OSError as exc:  # the run cannot go on (full or read-only disk)
                rest = [f for f in files if id(f) not in finished]
                rows = [finished[id(f)] for f in files if id(f) in finished]
                rows += [
                    io.ManifestRow(
                        path=io.display_path(f.rel),
                        status="failed",
                        reason=f"not processed: the run stopped: {exc}",
                        error_type=type(exc).__name__,
                    )
                    for f in rest
                ]
                print(STOPPED_TEXT.format(error=exc, n=len(rest)), file=sys.stderr)
                try:
                    io.write_manifest(out_dir, rows)
                except OSError:
                    pass
                return EXIT_FAILED
        io.write_manifest(out_dir, rows)
        corpus.link_outputs(out_dir, [f.stem for f in files])  # duplicates in sidecars, _index/
    summary = io.summarize(rows)
    if not args.quiet:
        print_summary(summary, out_dir)
    for row in rows:
        if row.status == "failed":
            print(f"failed: {row.path}: {row.reason}", file=sys.stderr)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


def _total_bytes(files: Sequence[Any]) -> int:
    total = 0
    for f in files:
        try:
            total += f.path.stat().st_size if f.skip_reason is None else 0
        except OSError:
            pass
    return total


def add_parser(sub: Any) -> None:
    """Add ``clean``."""
    p = sub.add_parser(
        "clean",
        help="clean files or folders once, with the library (fast, no Prefect)",
        description="Clean INPUT files and folders (recursively) into --out: "
        "<stem>.txt (clean body), <stem>.json (sidecar: metadata, edits, review), "
        "manifest.jsonl (one row per input: cleaned, skipped or failed, with why).",
    )
    inp = p.add_argument_group("input")
    inp.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    inp.add_argument(
        "--learn-profiles",
        action="store_true",
        help="first learn each folder's repeated chrome lines (3+ text documents) into "
        "OUT/_profiles/<folder>.json and drop them (default: off; outputs then depend on "
        "the other documents of the run)",
    )
    add_common_output(p, default_out=None)
    add_limit_options(p)
    p.add_argument_group("execution").add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="processes cleaning documents at once (default: the CPUs available; 1 cleans "
        "in this process, as runs with only a few documents to clean always do)",
    )
    p.set_defaults(func=run_clean)


def _positive_int(value: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scrubline",
        description="Clean scraped web text, HTML and OCR text into normalized documents "
        "with metadata, explaining every edit.",
        epilog="Exit status: 0 all cleaned or skipped, 1 some inputs failed, 2 usage error "
        "or output folder in use by another run.",
    )
    parser.add_argument("--version", action="version", version=f"scrubline {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        module = sys.modules[__name__] if name == __name__ else importlib.import_module(name)
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("scrubline: interrupted", file=sys.stderr)
        return 130


