"""Many input files in, their manifest rows out (in input order): :func:`clean_files`.

Enters: the :class:`~cleaners.io.discovery.InputFile` rows of a run and a number of
workers. Leaves: one :class:`~cleaners.io.outputs.ManifestRow` per input, in input order,
the same bytes on disk whether one process or a pool of spawned library processes cleaned
them. Also the pool's pieces the Prefect flow shares: :func:`available_cpus`,
:func:`warm_up` and :data:`POOL_MIN_DOCS`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cleaners.core import safety
from cleaners.core.config import Config
from cleaners.core.pipeline import pipeline_version
from cleaners.io.discovery import InputFile, display_path
from cleaners.io.one_file import clean_file
from cleaners.io.outputs import ManifestRow, up_to_date_row

#: With fewer documents to clean than this, :func:`clean_files` cleans them in its own
#: process even when given workers: starting worker processes (each imports the library,
#: ~0.5-1 s) costs more than they save (~15-70 ms a document).
POOL_MIN_DOCS = 24


def available_cpus() -> int:
    """CPUs this process may run on (its affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def warm_up() -> None:
    """Load the pipeline once per worker process, before its first document (the
    ``initializer`` of the pools here and in the Prefect flow)."""
    pipeline_version()


def clean_files(
    files: Iterable[InputFile],
    out_dir: Path,
    *,
    workers: int = 1,
    on_done: Callable[[InputFile, ManifestRow], None] | None = None,
    fmt: str = "auto",
    config: Config | None = None,
    force: bool = False,
    max_bytes: int | None = None,
    limits: safety.Limits | None = None,
) -> list[ManifestRow]:
    """Clean several files; the rows come back in input order. ``on_done`` is called after
    each document (progress bars), in the order they finish.

    ``workers > 1``: when at least :data:`POOL_MIN_DOCS` documents need cleaning (not up to
    date), they are cleaned by that many worker processes (spawned; they import only the
    library), the others here. The outputs are the same bytes either way. A document that
    kills its worker (out of memory, a crash in a parser) fails with why, and only that
    one; an ``OSError`` that stops the run (full or read-only disk) is raised as from one
    process, once the workers have stopped.
    """
    files = list(files)
    if workers > 1 and len(files) >= POOL_MIN_DOCS:
        lim = limits or safety.current()
        cap = lim.max_bytes if max_bytes is None else max_bytes
        todo = [
            i for i, f in enumerate(files)
            if f.skip_reason is None
            and (force or up_to_date_row(f, out_dir, config=config, max_bytes=cap or 2**62) is None)
        ]  # fmt: skip
        if len(todo) >= POOL_MIN_DOCS:
            return _clean_files_in_pool(
                files, todo, out_dir, workers, on_done,
                dict(fmt=fmt, config=config, force=force, max_bytes=max_bytes, limits=limits),
            )  # fmt: skip
    rows = []
    for inp in files:
        row = clean_file(
            inp, out_dir, fmt=fmt, config=config, force=force, max_bytes=max_bytes,
            limits=limits,
        )
        rows.append(row)
        if on_done is not None:
            on_done(inp, row)
    return rows


def _clean_files_in_pool(
    files: list[InputFile],
    todo: list[int],
    out_dir: Path,
    workers: int,
    on_done: Callable[[InputFile, ManifestRow], None] | None,
    options: dict[str, Any],
) -> list[ManifestRow]:
    """:func:`clean_files` with the documents ``todo`` (indices) cleaned by a process pool.

    When a worker dies, every document in flight fails with it (the pool cannot say which
    one killed it), so the documents not finished are cleaned again one at a time, each in
    a fresh single-worker pool once one dies: only the document that kills its worker fails.
    """
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    rows: list[ManifestRow | None] = [None] * len(files)

    def finish(i: int, row: ManifestRow) -> None:
        rows[i] = row
        if on_done is not None:
            on_done(files[i], row)

    pool = _spawn_pool(min(workers, len(todo)))
    try:
        futures = {pool.submit(clean_file, files[i], out_dir, **options): i for i in todo}
        pending = set(todo)
        for i in range(len(files)):  # skipped and reused (up-to-date) ones, while workers start
            if i not in pending:
                finish(i, clean_file(files[i], out_dir, **options))
        with contextlib.suppress(BrokenProcessPool):  # what is left is retried below
            for fut in as_completed(futures):
                finish(futures[fut], fut.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    left = [i for i in todo if rows[i] is None]
    pool = None
    try:
        for i in left:
            if pool is None:
                pool = _spawn_pool(1)
            try:
                finish(i, pool.submit(clean_file, files[i], out_dir, **options).result())
            except BrokenProcessPool as exc:
                pool.shutdown(wait=True)
                pool = None
                finish(i, ManifestRow(
                    path=display_path(files[i].rel),
                    status="failed",
                    reason=f"the worker process cleaning it died ({exc}): it may need more "
                           "memory than the machine has",
                    error_type="WorkerDied",
                ))  # fmt: skip
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return rows  # type: ignore[return-value]  # every index was finished


def _spawn_pool(workers: int) -> Any:
    """A pool of ``workers`` spawned processes (never forked) that die with the thread that
    starts them and load the pipeline first. The pool lives only while :func:`clean_files`
    runs in that thread."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
    )


def _worker_start() -> None:
    """Initializer of :func:`clean_files`'s workers: die with the parent, then warm up.

    A killed run (``kill -9``, an out-of-memory kill of the command) must not leave workers
    behind that go on writing outputs. On Linux the kernel kills the worker when the thread
    that spawned it ends (``PR_SET_PDEATHSIG``); elsewhere a worker ends when it next asks
    the dead parent for work.
    """
    import multiprocessing
    import signal
    import sys

    if sys.platform.startswith("linux"):
        # without a libc prctl the worker still ends at its next read from the parent
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:
            os._exit(1)  # the parent died before the signal was armed
    warm_up()
