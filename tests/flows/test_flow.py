"""The Prefect flow writes what the CLI writes, skips what is up to date, and publishes its
artifacts. Tests marked ``flow`` share the session's Prefect test server."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main

from ..conftest import read_tree

PARAGRAPH = (
    "The council met on Tuesday to discuss the budget for {n}.  Members agreed to\n"
    "publish the minutes   next week.\n\n\n"
    "A second paragraph about item {n}, with   extra spaces and trailing blanks.   \n"
)


def make_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"sub{i % 3}" / f"doc{i:03d}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(PARAGRAPH.format(n=i), encoding="utf-8")
        paths.append(p)
    return paths


def rewritten(out: Path, before: dict[str, tuple[int, int]]) -> set[str]:
    """Sidecars (by stem) written since ``before`` (their inode and mtime then)."""
    now = sidecar_stamps(out)
    return {k for k, v in now.items() if before.get(k) != v}


def sidecar_stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(out).with_suffix("").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in out.rglob("*.json")
    }


def statuses(out: Path) -> dict[str, str]:
    import json

    rows = [json.loads(x) for x in (out / io.MANIFEST_NAME).read_text().splitlines()]
    return {r["path"]: r["status"] for r in rows}


# -- without a server ------------------------------------------------------------------


def test_batches_respect_count_and_bytes_and_keep_order():
    from flows.clean_corpus import make_batches

    rng = random.Random(4)
    files = [io.InputFile(Path(f"/nonexistent/{i}"), str(i), str(i)) for i in range(997)]
    sizes = [rng.choice([100, 2_000, 50_000, 400_000]) for _ in files]
    batches = make_batches(files, max_docs=120, max_bytes=3_000_000, sizes=sizes)
    assert [f for b in batches for f in b] == files
    by_rel = dict(zip((f.rel for f in files), sizes))
    for b in batches:
        assert len(b) <= 120
        assert len(b) == 1 or sum(by_rel[f.rel] for f in b) <= 3_000_000
    assert make_batches([], max_docs=10) == []


def test_summary_names_the_html_report_when_present(tmp_path):
    from flows.clean_corpus import summary_markdown

    rows = [io.ManifestRow("a.txt", "cleaned", edits=1, rules={"normalize.x": 1})]
    md = summary_markdown(rows, io.summarize(rows), "in", str(tmp_path))
    assert "HTML report" not in md
    (tmp_path / "report.html").write_text("<html></html>")
    md = summary_markdown(rows, io.summarize(rows), "in", str(tmp_path))
    assert f"`{tmp_path.resolve() / 'report.html'}`" in md


def test_prefect_yaml_deploys_the_flow_with_valid_parameters_and_schedules():
    import inspect

    import yaml

    from flows.clean_corpus import clean_corpus
    from flows.runners import RUNNERS
    from flows.schedule import check_cron

    root = Path(__file__).resolve().parent.parent.parent
    config = yaml.safe_load((root / "prefect.yaml").read_text())
    accepted = set(inspect.signature(clean_corpus.fn).parameters)
    assert config["deployments"]
    for d in config["deployments"]:
        path, name = d["entrypoint"].split(":")
        assert (root / path).is_file() and name == "clean_corpus"
        assert set(d["parameters"]) <= accepted, d["name"]
        for s in d["schedules"]:
            check_cron(s["cron"])
        assert d["work_pool"]["job_variables"]["env"]["SCRUBLINE_RUNNER"] in RUNNERS


def test_the_pre_check_gives_the_row_clean_file_gives_for_a_skip(tmp_path, seeds_dir):
    files = io.discover([seeds_dir])[:2]
    out = tmp_path / "out"
    assert [io.up_to_date_row(f, out) for f in files] == [None, None]
    io.clean_files(files, out)
    for f in files:
        row = io.up_to_date_row(f, out)
        assert row is not None and row == io.clean_file(f, out)
        assert row.status == "cleaned" and row.reused and row.bytes_in == f.path.stat().st_size
    from cleaners.core.config import Config

    assert io.up_to_date_row(files[0], out, config=Config(disabled=frozenset({"normalize"}))) is None
    assert io.up_to_date_row(files[0], out, max_bytes=10) is None


def test_cli_clean_re_cleans_only_the_changed_documents(tmp_path):
    src = tmp_path / "in"
    paths = make_corpus(src, 30)
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out", str(out), "-q"]) == 0
    assert set(statuses(out).values()) == {"cleaned"}
    changed = paths[::3]
    for p in changed:
        p.write_text(p.read_text() + "\nOne more line.\n")
    paths[1].touch()  # a new mtime with the same bytes is not a change
    before = sidecar_stamps(out)
    manifest = (out / io.MANIFEST_NAME).read_bytes()
    assert main(["clean", str(src), "--out", str(out), "-q"]) == 0
    assert rewritten(out, before) == {p.relative_to(src).with_suffix("").as_posix() for p in changed}
    assert set(statuses(out).values()) == {"cleaned"}
    assert (out / io.MANIFEST_NAME).read_bytes() != manifest  # the changed rows' counts


# -- real flow runs on the session's test server ----------------------------------------


@pytest.mark.flow
def test_flow_outputs_equal_cli_outputs_through_the_process_pool(
    prefect_server, tmp_path, seeds_dir, monkeypatch
):
    from flows import clean_corpus as module

    assert main(["clean", str(seeds_dir), "--out", str(tmp_path / "cli"), "-q"]) == 0
    seen: list[int] = []
    with module.progress_to(seen.append):
        summary = module.clean_corpus(
            input_dir=str(seeds_dir), output_dir=str(tmp_path / "flow"), workers=2
        )
    assert summary["cleaned"] == 5 and summary["failed"] == 0
    assert summary["runner"] == "thread" and summary["workers"] == 2
    assert read_tree(tmp_path / "flow") == read_tree(tmp_path / "cli")
    assert len(seen) == 5 and sum(seen) == summary["bytes_in"]  # progress once per document

    again = module.clean_corpus(input_dir=str(seeds_dir), output_dir=str(tmp_path / "flow"))
    assert again["reused"] == 5 and again["cleaned"] == 5 and again["skipped"] == 0
    assert read_tree(tmp_path / "flow") == read_tree(tmp_path / "cli")  # manifest included


@pytest.mark.flow
def test_flow_re_cleans_only_the_ten_changed_documents(prefect_server, tmp_path):
    from flows.clean_corpus import clean_corpus

    src, out = tmp_path / "in", tmp_path / "out"
    paths = make_corpus(src, 60)
    first = clean_corpus(input_dir=str(src), output_dir=str(out), batch_docs=25)
    assert first["cleaned"] == 60 and first["batches"] == 3
    changed = random.Random(10).sample(paths, 10)
    for p in changed:
        p.write_text(p.read_text().replace("council", "committee"))
    before = sidecar_stamps(out)
    second = clean_corpus(input_dir=str(src), output_dir=str(out), batch_docs=25)
    assert (second["cleaned"], second["reused"], second["failed"]) == (60, 50, 0)
    assert rewritten(out, before) == {
        p.relative_to(src).with_suffix("").as_posix() for p in changed
    }
    # The flow's outputs are the CLI's outputs for the same inputs.
    assert main(["clean", str(src), "--out", str(tmp_path / "cli"), "-q", "--force"]) == 0
    flow_tree, cli_tree = read_tree(out), read_tree(tmp_path / "cli")
    flow_tree.pop(io.MANIFEST_NAME), cli_tree.pop(io.MANIFEST_NAME)
    assert flow_tree == cli_tree


@pytest.mark.flow
def test_flow_publishes_a_table_and_a_summary(prefect_server, tmp_path, seeds_dir):
    import asyncio

    from prefect.client.orchestration import get_client

    from flows.clean_corpus import clean_corpus

    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<html></html>")
    state = clean_corpus(input_dir=str(seeds_dir), output_dir=str(out), return_state=True)
    run_id = state.state_details.flow_run_id

    async def read():
        async with get_client() as client:
            return await client.read_artifacts()

    artifacts = {(a.key, a.type): a for a in asyncio.run(read()) if a.flow_run_id == run_id}
    table = artifacts[("scrubline-seeds-documents", "table")]
    summary = artifacts[("scrubline-seeds-summary", "markdown")]
    assert "000_a84aef7cf012a7d2.txt" in str(table.data)
    assert "report.html" in summary.data and "| rule | edits |" in summary.data


@pytest.mark.flow
def test_a_failed_batch_fails_its_documents_and_the_run_goes_on(
    prefect_server, tmp_path, monkeypatch
):
    from flows import clean_corpus as module

    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(f"Document {i}.")
    real = module.io.clean_files

    def flaky(files, *a, **k):
        if any(f.rel == "d0.txt" for f in files):
            raise RuntimeError("disk on fire")
        return real(files, *a, **k)

    monkeypatch.setattr(module.io, "clean_files", flaky)
    summary = module.clean_corpus(
        input_dir=str(src), output_dir=str(tmp_path / "out"), batch_docs=2, workers=1
    )
    assert summary["failed"] == 2 and summary["cleaned"] == 2
    manifest = (tmp_path / "out" / "manifest.jsonl").read_text()
    assert manifest.count('"failed"') == 2 and "disk on fire" in manifest


@pytest.mark.flow
def test_an_io_error_is_retried(prefect_server, tmp_path, monkeypatch):
    from flows import clean_corpus as module

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Document.")
    real = module.io.clean_files
    calls = {"n": 0}

    def flaky_disk(files, *a, **k):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        return real(files, *a, **k)

    monkeypatch.setattr(module.io, "clean_files", flaky_disk)
    monkeypatch.setattr(module.clean_batch, "retry_delay_seconds", 0)
    summary = module.clean_corpus(input_dir=str(src), output_dir=str(tmp_path / "out"), workers=1)
    assert calls["n"] == 2 and summary["cleaned"] == 1 and summary["failed"] == 0


@pytest.mark.flow
@pytest.mark.slow
def test_a_dask_cluster_of_two_workers_writes_the_same_bytes_as_threads(
    prefect_server, tmp_path
):
    pytest.importorskip("prefect_dask")
    distributed = pytest.importorskip("distributed")
    from flows import runners
    from flows.clean_corpus import clean_corpus

    src = tmp_path / "in"
    shutil.copytree(Path(__file__).resolve().parent.parent.parent / "seeds", src / "seeds")
    make_corpus(src / "generated", 40)
    params = dict(input_dir=str(src), batch_docs=15)
    threads = clean_corpus(output_dir=str(tmp_path / "thread"), workers=1, **params)

    with runners.shared_api():  # workers report to the same test server
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            flow = clean_corpus.with_options(
                task_runner=runners.make_task_runner(
                    "dask", workers=2, dask_address=cluster.scheduler_address
                )
            )
            dask = flow(output_dir=str(tmp_path / "dask"), workers=2, **params)
            worker_pids = set(cluster.scheduler_info["workers"])
    assert dask["runner"] == "dask" and dask["batches"] >= 3 and len(worker_pids) == 2
    assert (dask["cleaned"], dask["failed"]) == (threads["cleaned"], 0) == (45, 0)
    assert read_tree(tmp_path / "dask") == read_tree(tmp_path / "thread")


@pytest.mark.flow
def test_scrubline_run_writes_what_clean_writes_and_reports_failures(
    prefect_server, tmp_path, seeds_dir, capsys
):
    assert main(["clean", str(seeds_dir), "--out", str(tmp_path / "cli"), "-q"]) == 0
    assert main(["run", str(seeds_dir), "--out", str(tmp_path / "run"), "--workers", "1"]) == 0
    assert read_tree(tmp_path / "run") == read_tree(tmp_path / "cli")
    err = capsys.readouterr().err
    assert "5 documents: 5 cleaned" in err and "thread runner, 1 workers" in err

    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text("x" * 100)
    (src / "ok.txt").write_text("Fine.")
    assert main(["run", str(src), "--out", str(tmp_path / "o"), "--max-bytes", "50"]) == 1
    assert "failed: big.txt: file is 100 bytes" in capsys.readouterr().err


@pytest.mark.flow
@pytest.mark.slow
def test_the_prefect_process_runner_writes_the_same_bytes(prefect_server, tmp_path, seeds_dir):
    assert main(["clean", str(seeds_dir), "--out", str(tmp_path / "cli"), "-q"]) == 0
    args = ["run", str(seeds_dir), "--out", str(tmp_path / "proc"), "-q"]
    assert main(args + ["--runner", "process", "--workers", "2"]) == 0
    assert read_tree(tmp_path / "proc") == read_tree(tmp_path / "cli")


# -- one pool: a document that kills its worker or passes its budget fails alone ---------

#: Spawned processes run this: *slow* sleeps far past any budget, *die* kills the worker,
#: and *slow* first writes "<pid> <parent pid>" to $SCRUBLINE_TEST_PIDS.
FLOW_WORKER_HOOK = """
import os, time
import cleaners.io.one_file as one_file
_clean_file = one_file.clean_file
def clean_file(inp, *a, **kw):
    if "slow" in inp.rel:
        record = os.environ.get("SCRUBLINE_TEST_PIDS")
        if record:
            with open(record, "a") as fh:
                fh.write(f"{os.getpid()} {os.getppid()}\\n")
        time.sleep(600)
    if "die" in inp.rel:
        os._exit(3)
    return _clean_file(inp, *a, **kw)
one_file.clean_file = clean_file
"""


def hooked_corpus(tmp_path: Path, monkeypatch, copies: int = 2) -> Path:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FLOW_WORKER_HOOK)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]))
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    for k in range(copies):
        for s in seeds:
            shutil.copy(s, src / f"{k:02d}_{s.name}")
    shutil.copy(seeds[0], src / "00_die.txt")  # first batch
    shutil.copy(seeds[0], src / "zz_slow.txt")  # last batch
    return src


def assert_only_die_and_slow_failed(out: Path, n_others: int) -> None:
    lines = (out / io.MANIFEST_NAME).read_text().splitlines()
    rows = {r["path"]: r for r in map(json.loads, lines)}
    die, slow = rows.pop("00_die.txt"), rows.pop("zz_slow.txt")
    assert (die["status"], die["error_type"]) == ("failed", "WorkerDied")
    assert (slow["status"], slow["error_type"]) == ("failed", "DocTimeout")
    assert slow["reason"] == "took longer than 2 s (--doc-timeout)"
    assert len(rows) == n_others and {r["status"] for r in rows.values()} == {"cleaned"}
    for path in rows:
        assert (out / path).with_suffix(".json").exists()


@pytest.mark.flow
def test_in_the_flow_a_document_that_kills_its_worker_or_its_budget_fails_alone(
    prefect_server, tmp_path, monkeypatch
):
    from flows.clean_corpus import clean_corpus

    src = hooked_corpus(tmp_path, monkeypatch)
    summary = clean_corpus(
        input_dir=str(src), output_dir=str(tmp_path / "out"), workers=2, batch_docs=6,
        doc_timeout=2,
    )  # fmt: skip
    assert summary["batches"] == 2 and (summary["failed"], summary["cleaned"]) == (2, 10)
    assert_only_die_and_slow_failed(tmp_path / "out", 10)


@pytest.mark.flow
@pytest.mark.slow
def test_through_the_process_runner_too(prefect_server, tmp_path, monkeypatch, capsys):
    src = hooked_corpus(tmp_path, monkeypatch)
    args = ["run", str(src), "--out", str(tmp_path / "out"), "-q", "--runner", "process"]
    assert main(args + ["--workers", "2", "--doc-timeout", "2"]) == 1
    assert_only_die_and_slow_failed(tmp_path / "out", 10)
    assert "failed: zz_slow.txt: took longer than 2 s (--doc-timeout)" in capsys.readouterr().err


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone


def _kill_run_and_find_workers(tmp_path: Path, monkeypatch, runner: str) -> list[int]:
    """Start `scrubline run`, SIGKILL it while a worker cleans *slow*; the pids left alive."""
    import signal
    import subprocess
    import sys
    import time

    from prefect.settings import get_current_settings

    src = hooked_corpus(tmp_path, monkeypatch, copies=1)
    (src / "00_die.txt").unlink()
    pids_file = tmp_path / "pids"
    env = dict(os.environ, SCRUBLINE_TEST_PIDS=str(pids_file))
    env["PREFECT_API_URL"] = get_current_settings().api.url
    cmd = [sys.executable, "-m", "cleaners.cli", "run", str(src), "--out", str(tmp_path / "out"),
           "-q", "--runner", runner, "--workers", "2", "--doc-timeout", "0"]  # fmt: skip
    run = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240  # a bound on the wait, not a timed assertion
        while not pids_file.exists() or not pids_file.read_text().endswith("\n"):
            assert run.poll() is None, run.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker never started"
            time.sleep(0.2)
        pids = {int(p) for p in pids_file.read_text().split()}
        pids.discard(run.pid)
        assert pids and all(_alive(p) for p in pids)
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        return [p for p in pids if _alive(p)]
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()


@pytest.mark.flow
def test_no_worker_outlives_a_killed_run(prefect_server, tmp_path, monkeypatch):
    assert _kill_run_and_find_workers(tmp_path, monkeypatch, "thread") == []


@pytest.mark.flow
@pytest.mark.slow
def test_no_worker_outlives_a_killed_run_of_the_process_runner(
    prefect_server, tmp_path, monkeypatch
):
    # the library worker and the Prefect worker process that started it
    assert _kill_run_and_find_workers(tmp_path, monkeypatch, "process") == []
