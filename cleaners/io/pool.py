"""Many input files in, their manifest rows out (in input order): :func:`clean_files`, and
the library's process pool, :class:`DocumentPool`, which ``scrubline clean`` and the
Prefect flow both use.

Enters: the :class:`~cleaners.io.discovery.InputFile` rows of a run, a number of workers
and the per-document time budget. Leaves: one :class:`~cleaners.io.outputs.ManifestRow`
per input, in input order, the same bytes on disk whether one process or the pool cleaned
them. A document that kills its worker, or passes its time budget, fails alone, with why.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners.core import safety
from cleaners.core.config import Config
from cleaners.core.language import detect_language
from cleaners.core.pipeline import clean, pipeline_version
from cleaners.io import one_file
from cleaners.io.discovery import InputFile, display_path
from cleaners.io.one_file import DOC_TIMEOUT_DEFAULT, DocTimeout, timeout_reason
from cleaners.io.outputs import ManifestRow, up_to_date_row

#: With fewer documents to clean than this, :func:`clean_files` cleans them in its own
#: process even when given workers: starting worker processes (each imports the library,
#: ~0.4 s, and loads the language model on its first document, ~1 s) costs more than they
#: save (~15-70 ms a document).
POOL_MIN_DOCS = 24
#: A document this large is cleaned in a worker even in a small run with a time budget:
#: the in-process budget (an alarm signal) cannot interrupt one long call into C code (an
#: HTML parse), the pool's parent can kill a worker. Ordinary documents this size take
#: 0.15 s or more to clean, so the worker's start-up is a small price.
LARGE_DOC_BYTES = 512 * 1024
#: A worker cleans this once before its first document: the lazily loaded data (the
#: language model) then does not count against the first document's time budget.
_WARM_TEXT = (
    "The city council met on Monday to discuss the new budget for schools and roads. "
    "Members agreed to publish the full report next week, after a public hearing."
)
#: How long a stopping worker gets to exit before it is killed.
_STOP_GRACE = 5.0


def available_cpus() -> int:
    """CPUs this process may run on (its affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def warm_up() -> None:
    """Load the pipeline once per worker process, before its first document."""
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
    doc_timeout: float = DOC_TIMEOUT_DEFAULT,
    pool: DocumentPool | None = None,
) -> list[ManifestRow]:
    """Clean several files; the rows come back in input order. ``on_done`` is called after
    each document (progress bars), in the order they finish.

    The documents that need cleaning (not up to date) go to a :class:`DocumentPool`: to
    ``pool`` when given (the flow shares one between its batches), else to a pool of
    ``workers`` processes started here when there are at least :data:`POOL_MIN_DOCS` of
    them, or when there is a time budget and one of them is at least
    :data:`LARGE_DOC_BYTES`. Otherwise they are cleaned here, under the budget's alarm
    (:func:`~cleaners.io.one_file.time_budget`). The outputs are the same bytes either way.

    ``doc_timeout`` (seconds, 0: none): a document cleaning longer fails with why and
    ``error_type`` ``DocTimeout``; the run goes on. A document that kills its worker (out
    of memory, a crash in a parser) fails with ``WorkerDied``, and only that one. An
    ``OSError`` that stops the run (full or read-only disk) is raised as from one process,
    once the workers have stopped.
    """
    files = list(files)
    options: dict[str, Any] = dict(
        fmt=fmt, config=config, force=force, max_bytes=max_bytes, limits=limits
    )
    may_pool = pool is not None or _may_pool(files, workers)
    todo = _to_clean(files, out_dir, options) if may_pool else []
    if todo and (
        pool is not None
        or (workers > 1 and len(todo) >= POOL_MIN_DOCS)
        or (doc_timeout and any(_size(files[i]) >= LARGE_DOC_BYTES for i in todo))
    ):
        if pool is not None:
            return _clean_with_pool(files, todo, out_dir, pool, on_done, options)
        with DocumentPool(min(workers, len(todo)), doc_timeout=doc_timeout) as own:
            return _clean_with_pool(files, todo, out_dir, own, on_done, options)
    rows = []
    for inp in files:
        row = one_file.clean_file(inp, out_dir, doc_timeout=doc_timeout, **options)
        rows.append(row)
        if on_done is not None:
            on_done(inp, row)
    return rows


def _may_pool(files: list[InputFile], workers: int) -> bool:
    """Whether :func:`clean_files` may start a pool (then it looks which are up to date)."""
    if workers > 1 and len(files) >= POOL_MIN_DOCS:
        return True
    return any(f.skip_reason is None and _size(f) >= LARGE_DOC_BYTES for f in files)


def _size(f: InputFile) -> int:
    try:
        return f.path.stat().st_size
    except OSError:
        return 0


def _to_clean(files: list[InputFile], out_dir: Path, options: dict[str, Any]) -> list[int]:
    """Indices of the files that need cleaning: not skipped, not up to date."""
    lim = options["limits"] or safety.current()
    cap = lim.max_bytes if options["max_bytes"] is None else options["max_bytes"]
    return [
        i for i, f in enumerate(files)
        if f.skip_reason is None
        and (options["force"] or up_to_date_row(
            f, out_dir, config=options["config"], max_bytes=cap or 2**62) is None)
    ]  # fmt: skip


def _clean_with_pool(
    files: list[InputFile],
    todo: list[int],
    out_dir: Path,
    pool: DocumentPool,
    on_done: Callable[[InputFile, ManifestRow], None] | None,
    options: dict[str, Any],
) -> list[ManifestRow]:
    """:func:`clean_files` with the documents ``todo`` (indices) cleaned by ``pool``."""
    rows: list[ManifestRow | None] = [None] * len(files)

    def finish(i: int, row: ManifestRow) -> None:
        rows[i] = row
        if on_done is not None:
            on_done(files[i], row)

    futures = {pool.submit(files[i], out_dir, **options): i for i in todo}
    try:
        pending = set(todo)
        for i in range(len(files)):  # skipped and reused (up-to-date) ones, while workers start
            if i not in pending:
                finish(i, one_file.clean_file(files[i], out_dir, **options))
        for fut in as_completed(futures):
            finish(futures[fut], fut.result())
    finally:
        for fut in futures:
            fut.cancel()
    return rows  # type: ignore[return-value]  # every index was finished


# -- the pool --------------------------------------------------------------------------


@dataclass
class _Job:
    future: Future[ManifestRow]
    inp: InputFile
    out_dir: Path
    options: dict[str, Any]


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process (spawned)
    conn: Any  # the parent's end of its pipe
    job: _Job | None = None
    started: float | None = None  # when the worker began the job (after its start-up)
    done: int = field(default=0)


class DocumentPool:
    """Spawned library processes that clean one document at a time each.

    One thread of this process (the pool's own, started on the first :meth:`submit`)
    starts every worker, hands out the documents and collects the rows; any thread may
    submit. Because each worker holds at most one document, the pool knows which document
    a dead worker was cleaning: that one fails (``WorkerDied``), the others go on; a
    worker whose document passes ``doc_timeout`` seconds is killed, the document fails
    (``DocTimeout``) and a new worker takes the next one.

    Workers die with the pool: on Linux the kernel kills a worker when the thread that
    started it ends (``PR_SET_PDEATHSIG``), and that thread is the pool's own, which ends
    with :meth:`close` or with the process (``kill -9``, an out-of-memory kill). Elsewhere
    a worker ends when it next reads from its dead parent.
    """

    def __init__(self, workers: int, *, doc_timeout: float = DOC_TIMEOUT_DEFAULT) -> None:
        import multiprocessing

        self.workers = max(1, workers)
        self.doc_timeout = float(doc_timeout or 0)
        self._lock = threading.Lock()
        self._jobs: deque[_Job] = deque()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._pids: set[int] = set()

    def __enter__(self) -> DocumentPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pids(self) -> set[int]:
        """The process ids of the workers alive now."""
        with self._lock:
            return set(self._pids)

    def submit(self, inp: InputFile, out_dir: Path, **options: Any) -> Future[ManifestRow]:
        """Clean ``inp`` in a worker (``options``: those of
        :func:`~cleaners.io.one_file.clean_file`); the future's result is its row."""
        fut: Future[ManifestRow] = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the document pool is closed")
            self._jobs.append(_Job(fut, inp, out_dir, options))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="scrubline-pool", daemon=True
                )
                self._thread.start()
        self._wake()
        return fut

    def close(self) -> None:
        """Cancel what has not started, stop the workers (killing busy ones) and wait."""
        with self._lock:
            self._closing = True
            thread = self._thread
        self._wake()
        if thread is not None:
            thread.join()
        with self._lock:
            for job in self._jobs:
                job.future.cancel()
            self._jobs.clear()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send_bytes(b"!")

    # -- the pool's thread ---------------------------------------------------------

    def _run(self) -> None:
        from multiprocessing.connection import wait

        idle: list[_Worker] = []
        busy: list[_Worker] = []
        try:
            while True:
                with self._lock:
                    closing = self._closing
                if closing:
                    break
                self._dispatch(idle, busy)
                waits = [self._wake_r] + [w.conn for w in busy]
                waits += [w.process.sentinel for w in idle + busy]
                ready = wait(waits, timeout=self._next_deadline(busy))
                while self._wake_r.poll():
                    self._wake_r.recv_bytes()
                for w in list(busy):
                    if w.conn in ready or w.process.sentinel in ready:
                        self._collect(w, busy, idle)
                for w in list(idle):
                    if w.process.sentinel in ready:  # died between documents
                        idle.remove(w)
                        self._reap(w)
                self._expire(busy)
        finally:
            for w in busy:
                if w.job is not None:
                    w.job.future.cancel()
                self._reap(w, kill=True)
            for w in idle:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
            for w in idle:
                w.process.join(_STOP_GRACE)
                self._reap(w, kill=True)

    def _dispatch(self, idle: list[_Worker], busy: list[_Worker]) -> None:
        """Give waiting documents to idle workers, starting workers up to the limit."""
        while True:
            with self._lock:
                if not self._jobs or (not idle and len(busy) >= self.workers):
                    return
                job = self._jobs.popleft()
            if not job.future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            w = idle.pop() if idle else self._start()
            try:
                w.conn.send((job.inp, job.out_dir, job.options))
            except Exception as exc:  # noqa: BLE001 - a worker already dead, or unpicklable
                self._reap(w, kill=True)
                job.future.set_exception(exc)
                continue
            w.job, w.started = job, None  # the clock starts when the worker begins it
            busy.append(w)

    def _start(self) -> _Worker:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        parent_conn, child_conn = ctx.Pipe()
        proc = ctx.Process(
            target=_worker_main, args=(child_conn, os.getpid()), name="scrubline-worker",
            daemon=True,
        )  # fmt: skip
        proc.start()  # in this (the pool's) thread: PR_SET_PDEATHSIG is tied to it
        child_conn.close()
        with self._lock:
            self._pids.add(proc.pid)
        return _Worker(proc, parent_conn)

    def _collect(self, w: _Worker, busy: list[_Worker], idle: list[_Worker]) -> None:
        """The row of worker ``w``'s document, or its failure if the worker died."""
        job = w.job
        assert job is not None
        try:
            kind, value = w.conn.recv()
            while kind == "begin":
                w.started = time.monotonic()
                if not w.conn.poll():
                    if not w.process.is_alive():
                        raise EOFError
                    return  # still cleaning
                kind, value = w.conn.recv()
        except (EOFError, OSError):
            busy.remove(w)
            self._reap(w, kill=True)
            job.future.set_result(_died_row(job.inp, w.process.exitcode))
            return
        busy.remove(w)
        w.job = None
        w.done += 1
        idle.append(w)
        if kind == "row":
            job.future.set_result(value)
        else:
            job.future.set_exception(value)

    def _expire(self, busy: list[_Worker]) -> None:
        """Kill the workers whose document passed the budget; fail those documents."""
        if not self.doc_timeout:
            return
        now = time.monotonic()
        for w in list(busy):
            if w.started is None or now - w.started < self.doc_timeout or w.conn.poll():
                continue  # within budget, or its row just arrived (collected next turn)
            busy.remove(w)
            self._reap(w, kill=True)
            assert w.job is not None
            w.job.future.set_result(_timeout_row(w.job.inp, self.doc_timeout))

    def _next_deadline(self, busy: list[_Worker]) -> float | None:
        begun = [w.started for w in busy if w.started is not None]
        if not self.doc_timeout or not begun:
            return None
        first = min(begun) + self.doc_timeout
        return max(0.0, first - time.monotonic()) + 0.01

    def _reap(self, w: _Worker, *, kill: bool = False) -> None:
        if kill and w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.conn.close()
        with self._lock:
            self._pids.discard(w.process.pid)


def _died_row(inp: InputFile, exitcode: int | None) -> ManifestRow:
    how = f"killed by signal {-exitcode}" if exitcode and exitcode < 0 else f"exit {exitcode}"
    return ManifestRow(
        path=display_path(inp.rel),
        status="failed",
        reason=f"the worker process cleaning it died ({how}): it may need more memory than "
        "the machine has",
        error_type="WorkerDied",
        bytes_in=_size(inp),
    )


def _timeout_row(inp: InputFile, seconds: float) -> ManifestRow:
    return ManifestRow(
        path=display_path(inp.rel),
        status="failed",
        reason=timeout_reason(seconds),
        error_type=DocTimeout.__name__,
        bytes_in=_size(inp),
    )


def die_with_parent(parent_pid: int) -> None:
    """Make this process die when the thread that started it ends (Linux), and exit now
    if the parent ``parent_pid`` is gone already."""
    import signal
    import sys

    if sys.platform.startswith("linux"):
        # without a libc prctl the worker still ends at its next read from the parent
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the signal was armed


def _worker_main(conn: Any, parent_pid: int) -> None:
    """A worker of :class:`DocumentPool`: documents in, rows out, until told to stop.

    Calls ``one_file.clean_file`` by its module's name at each document (so that a
    ``sitecustomize`` can wrap it in tests).
    """
    die_with_parent(parent_pid)
    warm_up()
    clean(_WARM_TEXT, fmt="text")  # lazily loaded data, before any budget runs:
    detect_language(_WARM_TEXT)  # the language model (~0.7 s) too
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        inp, out_dir, options = job
        conn.send(("begin", None))
        try:
            msg: tuple[str, Any] = ("row", one_file.clean_file(inp, out_dir, **options))
        except Exception as exc:  # an OSError that stops the run: raised in the parent
            msg = ("raise", exc)
        try:
            conn.send(msg)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("raise", RuntimeError(f"{type(msg[1]).__name__}: {msg[1]}")))
