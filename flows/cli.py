"""The flow commands of ``scrubline``: ``run`` here, ``schedule`` in :mod:`flows.schedule`.

:func:`register` is the entry point ``flows = "flows.cli:register"`` of the group
``scrubline.commands`` (see :mod:`cleaners.cli.main`): it adds ``run`` and ``schedule`` to
the command line, which loads it only for a command that is not the library's.

``scrubline run``: the clean-corpus flow once, on Prefect's embedded server (nothing to
start). Enters: INPUT_DIR and the options ``clean`` takes, plus the runner's. Leaves: the
outputs ``clean`` writes, a Prefect flow run with artifacts, the summary on stderr.

Imports Prefect only when a command runs, never at import.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from cleaners import io
from cleaners.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    LOCKED_TEXT,
    Handler,
    add_command,
    add_common_output,
    fail,
)
from cleaners.cli.clean import CANNOT_WRITE_TEXT, describe_oserror
from cleaners.cli.progress import Progress, print_summary
from cleaners.configload import ConfigError
from flows import runners, schedule
from flows.options import add_runner_options, check_args, flow_parameters
from flows.settings import apply_prefect_env_defaults, quiet_prefect_console

def output_locked(out: Path) -> str | None:
    """Why another run holds the lock of the output folder ``out``, or ``None`` if free.

    Only a check: the flow takes the lock itself for the whole run (and fails the same way
    if another run took it in between).
    """
    if not out.is_dir():
        return None
    try:
        io.OutputLock(out).acquire().release()
    except io.OutputLocked as exc:
        return str(exc)
    return None


@contextmanager
def console_logs_at(level: int) -> Iterator[None]:
    """Raise Prefect's console log handlers to ``level`` for a while (API logs unchanged)."""
    handlers = [
        h for h in logging.getLogger().handlers if type(h).__name__ == "PrefectConsoleHandler"
    ]
    old = [h.level for h in handlers]
    for h in handlers:
        h.setLevel(max(h.level, level))
    try:
        yield
    finally:
        for h, lvl in zip(handlers, old):
            h.setLevel(lvl)


STOPPED_RUN_TEXT = (
    "scrubline: error: the run stopped: cannot write outputs ({error}); {manifest}; "
    "re-run to complete (documents already written are reused)"
)


def probe_writable(out: Path) -> None:
    """Create ``out`` if needed and a throw-away file in it: ``OSError`` when that fails."""
    out.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".scrubline-probe-", dir=out)
    os.close(fd)
    os.unlink(name)


def run_flow(args: argparse.Namespace) -> int:
    """run the clean-corpus Prefect flow over a folder (default: seeds -> cleaned)

    Run the clean-corpus flow once on Prefect's embedded server: the same outputs as
    `scrubline clean`, plus a Prefect flow run with artifacts.
    """
    checked = check_args(args)
    if checked is None:
        return EXIT_USAGE
    config, (kind, workers, address) = checked
    t0 = time.perf_counter()
    out = Path(args.out)
    try:  # --out over an input is refused before anything is written (not even the lock)
        files = io.discover([args.input_dir], exclude=out)
    except (ValueError, FileNotFoundError) as exc:
        return fail(exc)
    try:  # a read-only or full --out: one line, before Prefect starts
        probe_writable(out)
    except OSError as exc:
        print(CANNOT_WRITE_TEXT.format(out=out, error=describe_oserror(exc)), file=sys.stderr)
        return EXIT_USAGE
    locked = output_locked(out)  # fail fast, before Prefect starts
    if locked:
        print(LOCKED_TEXT.format(detail=locked), file=sys.stderr)
        return EXIT_USAGE
    total_bytes = sum(f.path.stat().st_size for f in files if f.path.is_file())
    started = time.time()

    apply_prefect_env_defaults()  # before Prefect is imported
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.clean_corpus import clean_corpus, progress_to

    if args.quiet:
        quiet_prefect_console()
    try:
        task_runner = runners.make_task_runner(kind, workers=workers, dask_address=address)
    except RuntimeError as exc:
        return fail(exc)
    flow = clean_corpus.with_options(task_runner=task_runner)
    with ExitStack() as stack:
        # A one-off run needs no heartbeats (they cost ~1 s per flow run; PREFECT.md §3).
        stack.enter_context(temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}))
        if kind != "thread":
            stack.enter_context(runners.shared_api())  # one API server for every worker
        bar = stack.enter_context(Progress(len(files), total_bytes, enabled=not args.quiet))
        if bar.enabled:  # the bar shows progress; Prefect's INFO lines still reach the API
            stack.enter_context(console_logs_at(logging.WARNING))
        stack.enter_context(progress_to(bar.advance if bar.enabled else None))
        try:
            summary: dict[str, Any] = flow(**flow_parameters(args, config, workers))
        except io.OutputLocked as exc:  # another run took the folder since the check
            print(LOCKED_TEXT.format(detail=exc), file=sys.stderr)
            return EXIT_USAGE
        except ConfigError as exc:  # the file changed since the check
            return fail(exc)
        except OSError as exc:  # the disk filled up or became read-only during the run
            manifest = out / io.MANIFEST_NAME
            written = manifest.is_file() and manifest.stat().st_mtime >= started
            said = ("the manifest lists what was done" if written
                    else "the manifest could not be written")
            print(STOPPED_RUN_TEXT.format(error=describe_oserror(exc), manifest=said),
                  file=sys.stderr)
            return EXIT_USAGE
    if not args.quiet:
        print_summary(summary, out)
        print(
            f"flow run took {time.perf_counter() - t0:.1f} s "
            f"({kind} runner, {workers} workers, {summary.get('batches', '?')} batches)",
            file=sys.stderr,
        )
    if summary["failed"]:
        print_failures(out / io.MANIFEST_NAME)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


def print_failures(manifest: Path) -> None:
    """``failed: PATH: REASON`` for each failed row of the manifest (as ``clean`` prints)."""
    try:
        lines = manifest.read_text("utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        row = json.loads(line)
        if row.get("status") == "failed":
            print(f"failed: {row['path']}: {row.get('reason')}", file=sys.stderr)


def register(sub: Any) -> dict[str, Handler]:
    """Add ``run`` and ``schedule`` (the ``scrubline.commands`` entry point)."""
    p = add_command(sub, "run", run_flow)
    p.add_argument(
        "input_dir", nargs="?", default="seeds", metavar="INPUT_DIR",
        help="folder of inputs (default: seeds)",
    )
    add_common_output(p, default_out="cleaned")
    add_runner_options(p)
    return {"run": run_flow, **schedule.register(sub)}
