"""Where batches run: Prefect task runners, and the library process pool inside a batch.

Three runners (``--runner``), measured on 2 cores in ``benchmarks/flow.py``:

``thread`` (default)
    Prefect's ``ThreadPoolTaskRunner`` runs the batch tasks in the flow's process; each
    batch hands the documents that need cleaning to the flow run's
    :class:`cleaners.io.DocumentPool` of ``workers`` library processes (the pool
    ``scrubline clean`` uses; spawned, importing only ``cleaners``). The fastest option on
    one machine: one Prefect process, one API server, real CPU parallelism.
``process``
    Prefect's ``ProcessPoolTaskRunner``: each batch task runs in one of ``workers`` worker
    processes, each importing Prefect and talking to the API itself, and cleans its
    documents in a one-worker library pool of its own. Prefect's worker processes exit
    when the flow's process is gone (:func:`exit_with_parent`).
``dask``
    ``prefect_dask.DaskTaskRunner`` (optional extra ``dask``): a ``distributed.LocalCluster``
    of ``workers`` processes, or the existing cluster at ``dask_address``. Remote workers
    need scrubline installed and the input and output folders at the same paths.

Multi-process runners need an API server every process can reach: without one, each worker
process would start its own temporary server (``../shared/PREFECT.md`` section 8).
:func:`shared_api` makes sure there is one, and puts its address in the environment that
worker processes inherit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cleaners import io

#: The runners ``--runner`` accepts.
RUNNERS = ("thread", "process", "dask")
#: The fastest runner measured on one machine (benchmarks/flow.py).
DEFAULT_RUNNER = "thread"
#: Environment variables that choose the runner where no command line does (prefect.yaml
#: deployments run by a worker): ``SCRUBLINE_RUNNER``, ``SCRUBLINE_WORKERS``,
#: ``SCRUBLINE_DASK_ADDRESS``.
ENV_RUNNER = "SCRUBLINE_RUNNER"
ENV_WORKERS = "SCRUBLINE_WORKERS"
ENV_DASK_ADDRESS = "SCRUBLINE_DASK_ADDRESS"


def default_workers() -> int:
    """``SCRUBLINE_WORKERS``, else the number of CPUs this process may use.

    >>> default_workers() >= 1
    True
    """
    env = os.environ.get(ENV_WORKERS, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return io.available_cpus()


def runner_from_env() -> tuple[str, int, str | None]:
    """(runner, workers, dask address) from the environment, with defaults.

    >>> runner_from_env()[0] in RUNNERS
    True
    """
    kind = os.environ.get(ENV_RUNNER, "").strip().lower() or DEFAULT_RUNNER
    address = os.environ.get(ENV_DASK_ADDRESS, "").strip() or None
    if address and kind == DEFAULT_RUNNER and not os.environ.get(ENV_RUNNER):
        kind = "dask"
    if kind not in RUNNERS:
        raise ValueError(f"{ENV_RUNNER}={kind!r}: choose one of {', '.join(RUNNERS)}")
    return kind, default_workers(), address


def make_task_runner(kind: str, *, workers: int, dask_address: str | None = None) -> Any:
    """The Prefect task runner for ``kind`` with ``workers`` concurrent batches."""
    if kind == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=max(1, workers))
    if kind == "process":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(
            max_workers=max(1, workers), initializer=exit_with_parent, initargs=(os.getpid(),)
        )
    if kind == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:  # the optional extra is missing
            raise RuntimeError(
                "--runner dask needs the optional extra: pip install 'scrubline[dask]'"
            ) from exc
        import logging

        # distributed logs every worker and connection at INFO; keep its warnings (here
        # and, through the environment, in the worker processes of a local cluster).
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
        if logging.getLogger("distributed").getEffectiveLevel() < logging.WARNING:
            logging.getLogger("distributed").setLevel(logging.WARNING)
        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": max(1, workers),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    raise ValueError(f"unknown runner {kind!r}: choose one of {', '.join(RUNNERS)}")


def runner_kind(task_runner: Any) -> str:
    """``thread``, ``process`` or ``dask`` for a task runner object (others: its class)."""
    name = type(task_runner).__name__
    return {
        "ThreadPoolTaskRunner": "thread",
        "ProcessPoolTaskRunner": "process",
        "DaskTaskRunner": "dask",
    }.get(name, name)


@contextmanager
def shared_api() -> Iterator[str]:
    """Make sure worker processes report to the same API server as this process.

    If Prefect's settings name an API (``PREFECT_API_URL``, a profile, a test harness),
    export it to the environment for the duration; otherwise start Prefect's temporary
    server here, once, and export its address. Yields the API URL.
    """
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the same instance Prefect's client would start
        server.start()
        url = server.api_url
    old = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: url}):
            yield url
    finally:
        if old is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = old


# -- the library pool inside batch tasks ------------------------------------------------

_POOLS: dict[str, io.DocumentPool] = {}
_POOLS_LOCK = threading.Lock()


def document_pool(key: str, workers: int, doc_timeout: float = io.DOC_TIMEOUT_DEFAULT) -> Any:
    """The library's :class:`cleaners.io.DocumentPool` of flow run ``key`` in this process,
    made on first use (its workers start with its first document).

    The pool's own thread starts the workers, so they die with this process (or at
    :func:`close_pool`) whichever Prefect thread asked first.
    """
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = io.DocumentPool(workers, doc_timeout=doc_timeout)
        return pool


def pool_started(key: str) -> bool:
    """Whether flow run ``key`` has made its pool already."""
    with _POOLS_LOCK:
        return key in _POOLS


def close_pool(key: str) -> None:
    """Close the pool of flow run ``key`` if it was made (waits for its workers)."""
    with _POOLS_LOCK:
        pool = _POOLS.pop(key, None)
    if pool is not None:
        pool.close()


#: How often a Prefect worker process of the ``process`` runner looks for its parent.
PARENT_POLL_SECONDS = 0.5


def exit_with_parent(parent_pid: int) -> None:
    """Initializer of the ``process`` runner's Prefect workers: exit once ``parent_pid``
    (the flow's process) is gone, so a killed run leaves no worker behind.

    Prefect starts these workers from short-lived threads, so ``PR_SET_PDEATHSIG`` (tied
    to the starting thread) would kill them mid-run; a daemon thread watches the parent
    instead. Their own library pool workers die with them (``PR_SET_PDEATHSIG``).
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="scrubline-parent-watch", daemon=True).start()
