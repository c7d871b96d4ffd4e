"""Choosing where batches run: options, environment, task runners, the library pool."""

from __future__ import annotations

import argparse
import os

import pytest

from cleaners import io
from cleaners.cli import main
from flows import runners
from flows.options import runner_from_args


def ns(**kw):
    base = dict(runner=None, workers=None, dask_address=None)
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.fixture
def clean_env(monkeypatch):
    for key in (runners.ENV_RUNNER, runners.ENV_WORKERS, runners.ENV_DASK_ADDRESS):
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


def test_the_default_is_the_thread_runner_with_one_worker_per_cpu(clean_env):
    kind, workers, address = runner_from_args(ns())
    assert kind == runners.DEFAULT_RUNNER == "thread" and address is None
    assert workers == runners.default_workers() >= 1


def test_options_win_over_the_environment(clean_env):
    clean_env.setenv(runners.ENV_RUNNER, "process")
    clean_env.setenv(runners.ENV_WORKERS, "3")
    assert runner_from_args(ns()) == ("process", 3, None)
    assert runner_from_args(ns(runner="thread", workers=1)) == ("thread", 1, None)


def test_a_dask_address_implies_the_dask_runner(clean_env):
    assert runner_from_args(ns(dask_address="tcp://10.0.0.5:8786"))[::2] == (
        "dask", "tcp://10.0.0.5:8786",
    )
    clean_env.setenv(runners.ENV_DASK_ADDRESS, "tcp://h:1")
    assert runners.runner_from_env()[::2] == ("dask", "tcp://h:1")
    assert runner_from_args(ns(runner="thread"))[::2] == ("thread", None)


def test_contradictions_are_usage_errors(clean_env, tmp_path):
    with pytest.raises(ValueError, match="--dask-address"):
        runner_from_args(ns(runner="process", dask_address="tcp://h:1"))
    with pytest.raises(ValueError, match="--workers"):
        runner_from_args(ns(workers=0))
    clean_env.setenv(runners.ENV_RUNNER, "gpu")
    with pytest.raises(ValueError, match="SCRUBLINE_RUNNER"):
        runners.runner_from_env()
    clean_env.delenv(runners.ENV_RUNNER)
    args = ["run", str(tmp_path), "--out", str(tmp_path / "o"), "-q"]
    assert main(args + ["--runner", "thread", "--dask-address", "tcp://h:1"]) == 2
    assert main(args + ["--workers", "0"]) == 2


def test_each_kind_makes_its_task_runner():
    thread = runners.make_task_runner("thread", workers=3)
    assert runners.runner_kind(thread) == "thread" and thread._max_workers == 3
    process = runners.make_task_runner("process", workers=2)
    assert runners.runner_kind(process) == "process" and process._max_workers == 2
    with pytest.raises(ValueError, match="unknown runner"):
        runners.make_task_runner("gpu", workers=1)
    pytest.importorskip("prefect_dask")
    local = runners.make_task_runner("dask", workers=2)
    assert runners.runner_kind(local) == "dask" and local.cluster_kwargs["n_workers"] == 2
    remote = runners.make_task_runner("dask", workers=2, dask_address="tcp://h:8786")
    assert remote.address == "tcp://h:8786"


def test_shared_api_exports_the_configured_server_and_restores(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        with runners.shared_api() as url:
            assert url == os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"
    assert "PREFECT_API_URL" not in os.environ


def test_the_flow_uses_the_library_pool_which_cleans_in_processes_and_closes(
    tmp_path, seeds_dir
):
    files = io.discover([seeds_dir])[:2]
    key = "test-pool"
    assert not runners.pool_started(key)
    pool = runners.document_pool(key, 2, doc_timeout=30)
    try:
        assert isinstance(pool, io.DocumentPool) and pool.doc_timeout == 30
        assert runners.document_pool(key, 2) is pool and runners.pool_started(key)
        rows = [f.result() for f in [pool.submit(f, tmp_path) for f in files]]
        pids = pool.pids()
    finally:
        runners.close_pool(key)
    assert [r.status for r in rows] == ["cleaned", "cleaned"]
    assert pids and os.getpid() not in pids
    assert not runners.pool_started(key) and not pool.pids()
    runners.close_pool(key)  # closing twice is harmless


def test_the_process_runner_workers_watch_the_flow_process():
    process = runners.make_task_runner("process", workers=2)
    assert process._initializer is runners.exit_with_parent
    assert process._initargs == (os.getpid(),)
    assert process.duplicate()._initializer is runners.exit_with_parent
