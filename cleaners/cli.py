"""The ``scrubline`` command line.

``main(argv) -> int`` builds the parser and dispatches; nothing runs at import. Commands
that need Prefect (``run``, ``schedule``) import it only when they are called, so
``scrubline clean`` starts in a fraction of a second.

Each command lives in a module listed in :data:`COMMAND_MODULES` that defines
``add_parser(subparsers)`` (which sets ``func``) and the function it runs.

Exit status: 0 when every input was cleaned or skipped, 1 when some failed (the others are
still written), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .__about__ import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: Modules that add a subcommand, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "cleaners.cli",  # clean
    "cleaners.inspect_cli",  # diff, explain, report, rules
    "flows.cli",  # run
)

NO_INPUT_TEXT = "scrubline: error: no input files found in {inputs}"
OUT_IS_INPUT_TEXT = "scrubline: error: --out {out} is an input file; choose a folder"


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
        help="fail inputs larger than N bytes instead of reading them (default: 64 MiB)",
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
        default="auto",
        help="OCR repairs: decide per document, always, or never (default: auto)",
    )
    rules.add_argument("--language", metavar="CODE", help="BCP 47 code instead of detection")


def config_from_args(args: argparse.Namespace) -> Any:
    """Build the library config from parsed options; unknown ids are a usage error."""
    from .config import Config
    from .pipeline import check_config

    config = Config(
        disabled=frozenset(args.disable),
        ocr={"auto": None, "on": True, "off": False}[args.ocr],
        language=args.language,
    )
    check_config(config)
    return config


class Progress:
    """A progress bar on stderr (documents and MB per second) when it is a terminal."""

    def __init__(self, total: int, total_bytes: int, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self._bar: Any = None
        self._task: Any = None
        self.total = total
        self.total_bytes = total_bytes

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
        if self._bar is not None:
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
    from . import io

    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        print(OUT_IS_INPUT_TEXT.format(out=out_dir), file=sys.stderr)
        return EXIT_USAGE
    try:
        config = config_from_args(args)
        files = io.discover(args.inputs, exclude=out_dir)
    except (ValueError, FileNotFoundError) as exc:
        print(f"scrubline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not files:
        print(NO_INPUT_TEXT.format(inputs=", ".join(args.inputs)), file=sys.stderr)
        return EXIT_USAGE
    out_dir.mkdir(parents=True, exist_ok=True)
    if getattr(args, "learn_profiles", False):  # a pre-pass: site chrome learned from the run
        from . import profiles

        learned = profiles.learn_from_files(files, max_bytes=args.max_bytes)
        profiles.write_profiles(out_dir, learned)
        config = profiles.with_profiles(config, learned)
    total_bytes = sum(f.path.stat().st_size for f in files if f.path.is_file())
    with Progress(len(files), total_bytes, enabled=not args.quiet) as bar:
        rows = io.clean_files(
            files,
            out_dir,
            fmt=args.format,
            config=config,
            force=args.force,
            max_bytes=args.max_bytes or io.MAX_BYTES_DEFAULT,
            on_done=lambda _f, row: bar.advance(row.bytes_in),
        )
    io.write_manifest(out_dir, rows)
    summary = io.summarize(rows)
    if not args.quiet:
        print_summary(summary, out_dir)
    for row in rows:
        if row.status == "failed":
            print(f"failed: {row.path}: {row.reason}", file=sys.stderr)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


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
    p.set_defaults(func=run_clean)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scrubline",
        description="Clean scraped web text, HTML and OCR text into normalized documents "
        "with metadata, explaining every edit.",
        epilog="Exit status: 0 all cleaned or skipped, 1 some inputs failed, 2 usage error.",
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


if __name__ == "__main__":
    sys.exit(main())
