"""The library's pool (:class:`cleaners.io.DocumentPool`) and the per-document time budget
(``--doc-timeout``): a document past its budget, or one that kills its worker, fails alone
with why; the others are cleaned; the manifest is written; exit status 1."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import threading
import time
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main
from cleaners.io import one_file, pool

from ..conftest import SEEDS

#: Spawned workers run this: cleaning a file named *slow* sleeps (far past any budget the
#: tests set), one named *die* kills the worker outright (as an out-of-memory kill would).
WORKER_HOOK = """
import os, time
import cleaners.io.one_file as one_file
_clean_file = one_file.clean_file
def clean_file(inp, *a, **kw):
    if "slow" in inp.rel:
        time.sleep(600)
    if "die" in inp.rel:
        os._exit(3)
    return _clean_file(inp, *a, **kw)
one_file.clean_file = clean_file
"""


def worker_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(WORKER_HOOK))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]))


def corpus(folder: Path, copies: int, extra: tuple[str, ...] = ()) -> Path:
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for k in range(copies):
        for s in seeds:
            shutil.copy(s, folder / f"{k:02d}_{s.name}")
    for name in extra:
        shutil.copy(seeds[0], folder / name)
    return folder


def manifest(out: Path) -> dict[str, dict]:
    rows = [json.loads(x) for x in (out / io.MANIFEST_NAME).read_text().splitlines()]
    return {r["path"]: r for r in rows}


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: io.sha256(p.read_bytes()) for p in sorted(folder.iterdir())}


def test_in_the_pool_a_document_past_its_budget_fails_alone_and_the_run_goes_on(
    tmp_path, monkeypatch, capsys
):
    worker_hook(tmp_path, monkeypatch)
    src = corpus(tmp_path / "in", copies=5, extra=("05_slow.txt", "06_die.txt"))
    before = hashes(src)
    out = tmp_path / "out"
    args = ["clean", str(src), "--out", str(out), "--workers", "2", "--doc-timeout", "2", "-q"]
    assert main(args) == 1
    rows = manifest(out)
    assert len(rows) == len(before)  # every input accounted for
    slow, dead = rows.pop("05_slow.txt"), rows.pop("06_die.txt")
    assert slow["status"] == "failed" and slow["error_type"] == "DocTimeout"
    assert slow["reason"] == "took longer than 2 s (--doc-timeout)"
    assert dead["status"] == "failed" and dead["error_type"] == "WorkerDied"
    assert {r["status"] for r in rows.values()} == {"cleaned"}
    assert not (out / "05_slow.json").exists() and not (out / "06_die.json").exists()
    err = capsys.readouterr().err
    assert "failed: 05_slow.txt: took longer than 2 s (--doc-timeout)" in err
    assert hashes(src) == before  # inputs untouched


def test_in_process_a_document_past_its_budget_fails_alone(tmp_path, monkeypatch, capsys):
    # fewer documents than the pool needs: cleaned in this process, under the alarm
    from cleaners.core.language import detect_language
    from cleaners.core.pipeline import clean

    clean(pool._WARM_TEXT, fmt="text")  # lazily loaded data in before the budget runs
    detect_language(pool._WARM_TEXT)
    real = one_file.clean

    def slow_clean(text, *a, path=None, **kw):
        if path and "slow" in path:
            time.sleep(600)  # interrupted by the budget's alarm
        return real(text, *a, path=path, **kw)

    monkeypatch.setattr(one_file, "clean", slow_clean)
    src = corpus(tmp_path / "in", copies=1, extra=("slow.txt",))
    before = hashes(src)
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out", str(out), "--doc-timeout", "1", "-q"]) == 1
    rows = manifest(out)
    slow = rows.pop("slow.txt")
    assert (slow["status"], slow["error_type"]) == ("failed", "DocTimeout")
    assert slow["reason"] == "took longer than 1 s (--doc-timeout)"
    assert len(rows) == 5 and {r["status"] for r in rows.values()} == {"cleaned"}
    assert hashes(src) == before
    assert "took longer than 1 s (--doc-timeout)" in capsys.readouterr().err
    # the alarm is gone: nothing fires after the run
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_budget_of_zero_is_no_budget_and_bad_values_are_usage_errors(tmp_path, capsys):
    assert one_file.time_budget(0).__enter__() is None
    for value in ("-1", "soon", "inf", "nan"):
        with pytest.raises(SystemExit) as exc:
            main(["clean", str(SEEDS), "--out", str(tmp_path / "o"), "--doc-timeout", value])
        assert exc.value.code == 2
        assert "--doc-timeout" in capsys.readouterr().err
    args = ["clean", str(SEEDS), "--out", str(tmp_path / "o"), "--doc-timeout", "0", "-q"]
    assert main(args) == 0


def test_a_small_run_with_a_large_document_cleans_in_a_worker(tmp_path, monkeypatch):
    # the worker hook kills the worker on *die*: only a worker process can fail that way
    worker_hook(tmp_path, monkeypatch)
    monkeypatch.setattr(pool, "LARGE_DOC_BYTES", 1)  # every document counts as large
    src = corpus(tmp_path / "in", copies=1, extra=("die.txt",))
    files = io.discover([src])
    rows = {r.path: r for r in io.clean_files(files, tmp_path / "out", workers=2, doc_timeout=30)}
    assert rows.pop("die.txt").error_type == "WorkerDied"
    assert {r.status for r in rows.values()} == {"cleaned"}
    # without a budget the run stays in this process, where the hook does not run
    rows2 = io.clean_files(io.discover([src]), tmp_path / "out2", workers=2, doc_timeout=0)
    assert {r.status for r in rows2} == {"cleaned"}


def test_the_pool_outlives_the_thread_that_first_used_it(tmp_path, seeds_dir):
    # workers die with the thread that starts them (PR_SET_PDEATHSIG): the pool's own
    # thread starts them, so a Prefect task thread that submits and ends kills none
    files = io.discover([seeds_dir])
    with io.DocumentPool(2, doc_timeout=30) as p:
        first: list = []
        t = threading.Thread(target=lambda: first.append(p.submit(files[0], tmp_path).result()))
        t.start()
        t.join()
        pids = p.pids()
        rows = [f.result() for f in [p.submit(f, tmp_path) for f in files[1:]]]
        assert p.pids() >= pids  # the same workers, none replaced
    assert [r.status for r in first + rows] == ["cleaned"] * len(files)
    assert not p.pids()
    for pid in pids:
        assert not process_alive(pid)
    with pytest.raises(RuntimeError, match="closed"):
        p.submit(files[0], tmp_path)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"
