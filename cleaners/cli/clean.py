"""``scrubline clean``: clean files and folders once, with the library (no Prefect).

Enters: the input files and folders and the options (output, rules, limits, workers).
Leaves: in ``--out``, each document's body and sidecar, ``manifest.jsonl`` and the corpus
links (:mod:`cleaners.io`, :mod:`cleaners.corpus`); a summary and the failures on stderr;
the exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaners import corpus, io
from cleaners.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    LOCKED_TEXT,
    OUT_IS_INPUT_TEXT,
    Handler,
    add_command,
    add_common_output,
    add_limit_options,
    config_from_args,
    fail,
    limits_from_args,
)
from cleaners.cli.progress import Progress, print_summary
from cleaners.io import profiles

NO_INPUT_TEXT = "scrubline: error: no input files found in {inputs}"
CANNOT_WRITE_TEXT = (
    "scrubline: error: cannot write to --out {out}: {error} (nothing was written)"
)
STOPPED_TEXT = (
    "scrubline: error: the run stopped: cannot write outputs ({error}); the {n} inputs "
    "not processed are listed as failed in the manifest; re-run to complete them"
)
STOPPED_NO_MANIFEST_TEXT = (
    "scrubline: error: the run stopped: cannot write outputs ({error}); the manifest "
    "could not be written either ({manifest_error}); {done} documents were finished "
    "before, {n} were not processed; free space or fix the folder, then re-run"
)
NOT_LINKED_TEXT = (
    "scrubline: error: the documents and the manifest were written, but not the corpus "
    "links: {error}"
)


def describe_oserror(exc: OSError) -> str:
    """One line for an ``OSError``: its message and the path it concerns."""
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def run_clean(args: argparse.Namespace) -> int:
    """clean files or folders once, with the library (fast, no Prefect)

    Clean INPUT files and folders (recursively) into --out: <stem>.txt (clean body),
    <stem>.json (sidecar: metadata, edits, review), manifest.jsonl (one row per input:
    cleaned, skipped or failed, with why).
    """
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        print(OUT_IS_INPUT_TEXT.format(out=out_dir), file=sys.stderr)
        return EXIT_USAGE
    try:
        config = config_from_args(args)
        limits = limits_from_args(args)
        files = io.discover(args.inputs, exclude=out_dir)  # refuses --out over an input
    except (ValueError, FileNotFoundError) as exc:
        return fail(exc)
    if not files:
        print(NO_INPUT_TEXT.format(inputs=", ".join(args.inputs)), file=sys.stderr)
        return EXIT_USAGE
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = io.OutputLock(out_dir).acquire()
    except io.OutputLocked as exc:
        print(LOCKED_TEXT.format(detail=exc), file=sys.stderr)
        return EXIT_USAGE
    except io.UnsafePath as exc:
        return fail(f"{exc} (nothing was written)")
    except OSError as exc:  # read-only or full: nothing could be written
        print(CANNOT_WRITE_TEXT.format(out=out_dir, error=describe_oserror(exc)), file=sys.stderr)
        return EXIT_USAGE
    with lock:
        try:
            rows = _clean_locked(args, files, out_dir, config, limits)
        except _Stopped as stop:
            return stop.status
    summary = io.summarize(rows)
    if not args.quiet:
        print_summary(summary, out_dir)
    for row in rows:
        if row.status == "failed":
            print(f"failed: {row.path}: {row.reason}", file=sys.stderr)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


class _Stopped(Exception):
    """The run stopped with the exit status ``status`` (its message already printed)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _clean_locked(
    args: argparse.Namespace, files: list[Any], out_dir: Path, config: Any, limits: Any
) -> list[Any]:
    """The run, under the output folder's lock: clean, write the manifest, link.

    A write error that stops the run (read-only or full disk) prints one line whose
    statement about the manifest is true (written with what is known, or not) and
    raises :class:`_Stopped` (exit 2).
    """
    finished: dict[int, Any] = {}  # id(input) -> its row, as documents finish
    try:
        io.remove_stale_temp_files(out_dir)  # left by a killed run; we hold the lock
        if getattr(args, "learn_profiles", False):  # a pre-pass: site chrome from the run
            learned = profiles.learn_from_files(files, max_bytes=limits.max_bytes)
            profiles.write_profiles(out_dir, learned)
            config = profiles.with_profiles(config, learned)

        def done(f: Any, row: Any) -> None:
            finished[id(f)] = row
            bar.advance(row.bytes_in)

        workers = args.workers if args.workers is not None else io.available_cpus()
        with Progress(len(files), _total_bytes(files), enabled=not args.quiet) as bar:
            rows = io.clean_files(
                files, out_dir, fmt=args.format, config=config, force=args.force,
                limits=limits, on_done=done, workers=workers, doc_timeout=args.doc_timeout,
            )
        io.write_manifest(out_dir, rows)
    except (OSError, io.UnsafePath) as exc:  # the run cannot go on (full or read-only disk)
        error = describe_oserror(exc) if isinstance(exc, OSError) else str(exc)
        rest = [f for f in files if id(f) not in finished]
        rows = [finished[id(f)] for f in files if id(f) in finished]
        rows += [
            io.ManifestRow(
                path=io.display_path(f.rel),
                status="failed",
                reason=f"not processed: the run stopped: {error}",
                error_type=type(exc).__name__,
            )
            for f in rest
        ]
        try:
            io.write_manifest(out_dir, rows)
        except OSError as exc2:
            print(STOPPED_NO_MANIFEST_TEXT.format(
                error=error, manifest_error=describe_oserror(exc2), done=len(finished), n=len(rest)
            ), file=sys.stderr)  # fmt: skip
        else:
            print(STOPPED_TEXT.format(error=error, n=len(rest)), file=sys.stderr)
        raise _Stopped(EXIT_USAGE) from None
    try:
        corpus.link_outputs(out_dir, [f.stem for f in files])  # duplicates in sidecars, _index/
    except (OSError, io.UnsafePath) as exc:
        error = describe_oserror(exc) if isinstance(exc, OSError) else str(exc)
        print(NOT_LINKED_TEXT.format(error=error), file=sys.stderr)
        raise _Stopped(EXIT_USAGE) from None
    return rows


def _total_bytes(files: Sequence[Any]) -> int:
    total = 0
    for f in files:
        try:
            total += f.path.stat().st_size if f.skip_reason is None else 0
        except OSError:
            pass
    return total


def register(sub: Any) -> dict[str, Handler]:
    """Add ``clean``."""
    p = add_command(sub, "clean", run_clean)
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
    ex = p.add_argument_group("execution")
    ex.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="processes cleaning documents at once (default: the CPUs available; 1 cleans "
        "in this process, as runs with only a few documents to clean always do)",
    )
    add_doc_timeout(ex)
    return {"clean": run_clean}


def add_doc_timeout(group: Any) -> None:
    """``--doc-timeout SECONDS`` (``clean``, and ``run``/``schedule`` in flows/options.py)."""
    group.add_argument(
        "--doc-timeout",
        type=seconds,
        default=io.DOC_TIMEOUT_DEFAULT,
        metavar="SECONDS",
        help=f"a document cleaning longer than this fails alone, with why, and the run goes "
        f"on (default: {io.DOC_TIMEOUT_DEFAULT:g}; 0: no limit)",
    )


def seconds(value: str) -> float:
    """An argparse type: a number of seconds, at least 0.

    >>> seconds("1.5"), seconds("0")
    (1.5, 0.0)
    """
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not n >= 0 or n == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more seconds, not {value}")
    return n


def _positive_int(value: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n
