"""``scrubline run``: the clean-corpus flow once, on Prefect's embedded server (nothing to start).

Imports Prefect only when the command runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from cleaners.cli import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    LOCKED_TEXT,
    Progress,
    add_common_output,
    print_summary,
)

RUNNERS = ("thread", "process", "dask")  # flows.runners.RUNNERS, without importing it here


def add_runner_options(parser: argparse.ArgumentParser) -> None:
    """``--runner``, ``--workers``, ``--dask-address`` (shared by ``run`` and ``schedule``)."""
    g = parser.add_argument_group("execution")
    g.add_argument(
        "--runner",
        choices=RUNNERS,
        default=None,
        help="where batches run: thread (default; the fastest on one machine: batch tasks "
        "in threads, documents cleaned by a pool of library processes), process (Prefect "
        "process pool), dask (a local Dask cluster, or --dask-address)",
    )
    g.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes cleaning documents at once (default: the CPUs available; "
        "1 cleans in the flow's process)",
    )
    g.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        default=None,
        help="run the batches on this existing Dask cluster (implies --runner dask; needs "
        "the extra: pip install 'scrubline[dask]')",
    )


def runner_from_args(args: argparse.Namespace) -> tuple[str, int, str | None]:
    """(runner, workers, dask address) from options, then environment, then defaults."""
    from flows import runners

    kind, workers, address = runners.runner_from_env()
    if args.dask_address:
        if args.runner not in (None, "dask"):
            raise ValueError(f"--dask-address needs --runner dask, not {args.runner}")
        kind, address = "dask", args.dask_address
    elif args.runner:
        kind = args.runner
        if kind != "dask":
            address = None
    if args.workers is not None:
        if args.workers < 1:
            raise ValueError("--workers must be at least 1")
        workers = args.workers
    return kind, workers, address


def flow_parameters(args: argparse.Namespace, config: Any, workers: int) -> dict[str, Any]:
    """The clean-corpus parameters for these options (absolute paths; JSON values only,
    so that a deployment can carry them).

    ``config`` is the config :func:`check_args` resolved: its file (``--config``, or the
    one found for INPUT_DIR as ``clean`` finds it) goes in as ``config_path``, and only
    the command line's own switches go in as ``disabled``, ``ocr`` and ``language``: the
    flow reads the file and lays them over it, as ``clean`` does (a file's settings passed
    as switches would override its site sections).
    """
    from cleaners import io

    return {
        "input_dir": str(Path(args.input_dir).resolve()),
        "output_dir": str(Path(args.out).resolve()),
        "fmt": args.format,
        "force": args.force,
        "config_path": str(Path(config.source).resolve()) if config.source else None,
        "disabled": sorted(set(args.disable)),
        "ocr": args.ocr,
        "language": args.language,
        "max_bytes": args.max_bytes or io.MAX_BYTES_DEFAULT,
        "workers": workers,
    }


def check_args(args: argparse.Namespace) -> tuple[Any, tuple[str, int, str | None]] | None:
    """Validate INPUT_DIR, --out, the config (file and switches, as ``clean`` does) and
    runner options; print the error and return None."""
    from cleaners.cli import OUT_IS_INPUT_TEXT, config_from_args

    input_dir = Path(args.input_dir)
    if not input_dir.is_dir():
        print(f"scrubline: error: {input_dir} is not a folder", file=sys.stderr)
        return None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(OUT_IS_INPUT_TEXT.format(out=out), file=sys.stderr)
        return None
    try:
        return config_from_args(args), runner_from_args(args)
    except ValueError as exc:
        print(f"scrubline: error: {exc}", file=sys.stderr)
        return None


def output_locked(out: Path) -> str | None:
    """Why another run holds the lock of the output folder ``out``, or ``None`` if free.

    Only a check: the flow takes the lock itself for the whole run (and fails the same way
    if another run took it in between).
    """
    from cleaners import io

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


def run_flow(args: argparse.Namespace) -> int:
    """Run the clean-corpus flow once over INPUT_DIR."""
    checked = check_args(args)
    if checked is None:
        return EXIT_USAGE
    config, (kind, workers, address) = checked
    t0 = time.perf_counter()
    from cleaners import io
    from cleaners.core.configfile import ConfigError

    out = Path(args.out)
    locked = output_locked(out)  # fail fast, before Prefect starts
    if locked:
        print(LOCKED_TEXT.format(detail=locked), file=sys.stderr)
        return EXIT_USAGE
    files = io.discover([args.input_dir], exclude=out)
    total_bytes = sum(f.path.stat().st_size for f in files if f.path.is_file())

    from flows.settings import apply_prefect_env_defaults

    apply_prefect_env_defaults()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows import runners
    from flows.clean_corpus import clean_corpus, progress_to

    try:
        task_runner = runners.make_task_runner(kind, workers=workers, dask_address=address)
    except RuntimeError as exc:
        print(f"scrubline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
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
            print(f"scrubline: error: {exc}", file=sys.stderr)
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
    import json

    try:
        lines = manifest.read_text("utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        row = json.loads(line)
        if row.get("status") == "failed":
            print(f"failed: {row['path']}: {row.get('reason')}", file=sys.stderr)


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="run the clean-corpus Prefect flow over a folder (default: seeds -> cleaned)",
        description="Run the clean-corpus flow once on Prefect's embedded server: the same "
        "outputs as `scrubline clean`, plus a Prefect flow run with artifacts.",
    )
    p.add_argument(
        "input_dir", nargs="?", default="seeds", metavar="INPUT_DIR",
        help="folder of inputs (default: seeds)",
    )
    add_common_output(p, default_out="cleaned")
    add_runner_options(p)
    p.set_defaults(func=run_flow)
