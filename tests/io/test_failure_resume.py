"""Kill and resume: a run killed with SIGKILL leaves no partial output, and running the same
command again completes the rest, byte for byte as one uninterrupted run would."""

from __future__ import annotations

import json
import os
import re
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main
from cleaners.io import one_file

from ..conftest import ROOT, read_tree

N_FILES = 1500
WORDS = (
    "the of and a to in is was for on that by with as at from his her it an were which are "
    "this Koeln 1,234.5"
).split()
#: The real command line, with fsync switched off: fsync guards against power loss, not
#: against a killed process (the page cache survives it), and it costs ~5 ms per file on
#: a busy disk. Everything else is the code users run.
RUNNER = (
    "import os, sys; os.fsync = lambda fd: None; from cleaners.cli import main; "
    "sys.exit(main(sys.argv[1:]))"
)

#: The same options for every run; a fixed language keeps the documents cheap.
OPTIONS = ["-q", "--language", "en"]


def make_corpus(folder: Path) -> list[str]:
    rnd = random.Random(6)
    names = []
    for i in range(N_FILES):
        sub = folder / f"part{i % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        paras = [
            " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 25))) + "."
            for _ in range(rnd.randint(1, 4))
        ]
        text = ("\n\n\n" if i % 3 else "\n").join(paras) + ("  " if i % 2 else "")
        name = f"part{i % 7}/doc{i:05d}.{'html' if i % 50 == 0 else 'txt'}"
        if name.endswith(".html"):
            text = "<html><body>" + "".join(f"<p>{p}</p>" for p in paras) + "</body></html>"
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def tree(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in read_tree(folder).items() if k != io.MANIFEST_NAME}


def count_sidecars(folder: Path) -> int:
    n = 0
    for dirpath, _dirs, files in os.walk(folder):
        n += sum(1 for f in files if f.endswith(".json"))
    return n


@pytest.mark.slow
def test_a_killed_run_leaves_no_partial_output_and_a_rerun_completes_it(tmp_path, monkeypatch):
    src = tmp_path / "in"
    names = make_corpus(src)

    # The reference: one uninterrupted run.
    ref = tmp_path / "ref"
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    assert main(["clean", str(src), "--out", str(ref), *OPTIONS]) == 0
    monkeypatch.undo()
    reference = tree(ref)
    assert len(reference) == 2 * N_FILES + 1  # bodies, sidecars and the corpus-link index

    # A run killed with SIGKILL once a sixth of the outputs exist.
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", RUNNER, "clean", str(src), "--out", str(out), *OPTIONS]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while count_sidecars(out) < N_FILES // 6:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(10) == -signal.SIGKILL
    # the run cleans with its default pool of worker processes: they die with it, and
    # none goes on writing documents after the kill
    at_kill = count_sidecars(out)
    time.sleep(0.5)
    assert count_sidecars(out) == at_kill

    # No partial output: every file there is whole, exactly as the reference has it.
    after_kill = read_tree(out)
    temporary = [k for k in after_kill if k.endswith(io.TMP_SUFFIX)]
    finished = {k: v for k, v in after_kill.items() if k not in temporary and k != io.LOCK_NAME}
    assert io.MANIFEST_NAME not in finished  # the manifest is written at the end of a run
    assert 0 < len(finished) < len(reference)
    wrong = [k for k, v in finished.items() if reference.get(k) != v]
    assert not wrong, f"partial or unexpected outputs after the kill: {wrong[:5]}"

    # The same command again completes the rest.
    loud = [c for c in cmd if c != "-q"]  # its summary says how many outputs it reused
    rerun = subprocess.run(loud, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert tree(out) == reference
    assert not [p for p in out.rglob("*") if p.name.endswith(io.TMP_SUFFIX)]
    assert not (out / io.LOCK_NAME).exists()

    # Its manifest is the uninterrupted run's, byte for byte (a row records a document's
    # outcome, not what this run did); the summary counts the documents done before the
    # kill as reused.
    assert (out / io.MANIFEST_NAME).read_bytes() == (ref / io.MANIFEST_NAME).read_bytes()
    rows = [json.loads(x) for x in (out / io.MANIFEST_NAME).read_text("utf-8").splitlines()]
    assert [r["path"] for r in rows] == sorted(names)
    assert {r["status"] for r in rows} == {"cleaned"}
    done_before = sum(1 for k in finished if k.endswith(".json"))
    reused = re.search(r"\((\d+) up to date, not cleaned again\)", rerun.stderr)
    assert reused and int(reused.group(1)) == done_before, rerun.stderr


def test_a_full_disk_stops_the_run_and_the_manifest_lists_what_was_not_done(
    tmp_path, monkeypatch, capsys
):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        (src / f"d{i}.txt").write_text(f"Doc {i}.")
    real_write = io.atomic_write
    calls = []

    def write(path, data):
        calls.append(path)
        if len(calls) > 4:  # two documents fit, then the disk is full
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(one_file, "atomic_write", write)  # where clean_file calls it
    monkeypatch.setattr(io, "write_manifest", _manifest_writer())
    rc = main(["clean", str(src), "--out", str(tmp_path / "out"), "-q"])
    assert rc == 2  # a full output folder is a usage-level stop (exit 2), in one line
    err = capsys.readouterr().err
    assert "No space left on device" in err and "re-run" in err
    assert "listed as failed in the manifest" in err and len(err.strip().splitlines()) == 1
    rows = [json.loads(x) for x in (tmp_path / "out" / io.MANIFEST_NAME).read_text().splitlines()]
    assert [r["path"] for r in rows] == [f"d{i}.txt" for i in range(6)]
    assert [r["status"] for r in rows] == ["cleaned"] * 2 + ["failed"] * 4
    assert all(r["error_type"] == "OSError" for r in rows[2:])
    assert not (tmp_path / "out" / io.LOCK_NAME).exists()


def _manifest_writer():
    """write_manifest as it is, bypassing the patched atomic_write (the manifest still fits)."""

    def write_manifest(out_dir, rows):
        path = out_dir / io.MANIFEST_NAME
        lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write_manifest


def test_a_document_that_now_fails_keeps_its_earlier_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Short.")
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out", str(out), "-q"]) == 0
    before = read_tree(out)
    (src / "a.txt").write_text("x" * 50)
    assert main(["clean", str(src), "--out", str(out), "-q", "--max-line-chars", "10"]) == 1
    after = read_tree(out)
    assert after["a.txt"] == before["a.txt"] and after["a.json"] == before["a.json"]
    (row,) = map(json.loads, after[io.MANIFEST_NAME].decode().splitlines())
    assert row["status"] == "failed" and row["error_type"] == "LineTooLong"
