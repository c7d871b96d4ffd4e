"""``scrubline clean --workers``: a pool of library processes writes the same bytes as one
process, keeps the manifest in input order, and accounts for every input when a worker dies."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main

from ..conftest import SEEDS


def corpus(folder: Path, copies: int) -> Path:
    """``copies`` renamed copies of each seed: enough documents for the pool."""
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for k in range(copies):
        for s in seeds:
            shutil.copy(s, folder / f"{k:02d}_{s.name}")
    assert len(seeds) * copies >= io.POOL_MIN_DOCS
    return folder


def tree(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def test_workers_write_the_same_bytes_as_one_process(tmp_path, capsys):
    src = corpus(tmp_path / "in", copies=5)
    assert main(["clean", str(src), "--out", str(tmp_path / "one"), "--workers", "1", "-q"]) == 0
    assert main(["clean", str(src), "--out", str(tmp_path / "two"), "--workers", "2", "-q"]) == 0
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert len(one) > 2 * io.POOL_MIN_DOCS and one == two  # bodies, sidecars, manifest, _index
    manifest = (tmp_path / "two" / "manifest.jsonl").read_text().splitlines()
    paths = [json.loads(x)["path"] for x in manifest]
    assert paths == sorted(paths)  # input order, not the order the workers finished in
    # a second run finds everything up to date (without starting a pool) and rewrites the
    # same manifest: its rows record each document's outcome, not what one run did
    assert main(["clean", str(src), "--out", str(tmp_path / "two"), "--workers", "2", "-q"]) == 0
    assert tree(tmp_path / "two") == two
    capsys.readouterr()
    assert main(["clean", str(src), "--out", str(tmp_path / "two"), "--workers", "2"]) == 0
    err = capsys.readouterr().err
    assert f"({len(paths)} up to date, not cleaned again)" in err


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_workers_must_be_a_positive_whole_number(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["clean", str(SEEDS), "--out", str(tmp_path / "o"), "--workers", value])
    assert exc.value.code == 2
    assert "--workers" in capsys.readouterr().err


def test_a_worker_that_dies_fails_its_documents_with_why_and_the_rest_are_cleaned(
    tmp_path, monkeypatch
):
    # the spawned workers run this sitecustomize: cleaning a file named *die* kills the
    # worker process outright, as an out-of-memory kill would
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent("""
        import os
        import cleaners.io.one_file as one_file
        _clean_file = one_file.clean_file
        def clean_file(inp, *a, **kw):
            if "die" in inp.rel:
                os._exit(3)
            return _clean_file(inp, *a, **kw)
        one_file.clean_file = clean_file  # the pool pickles it by this module's name
    """))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]))
    src = corpus(tmp_path / "in", copies=5)
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], src / "zz_die.txt")
    files = io.discover([src])
    rows = io.clean_files(files, tmp_path / "out", workers=2)
    assert [r.path for r in rows] == [io.display_path(f.rel) for f in files]  # every input, in order
    by_path = {r.path: r for r in rows}
    dead = by_path.pop(io.display_path("zz_die.txt"))
    assert dead.status == "failed" and dead.error_type == "WorkerDied"
    assert "worker process cleaning it died" in dead.reason
    assert not (tmp_path / "out" / "zz_die.json").exists()  # no sidecar: no complete output
    # only the document that kills its worker fails: each worker holds one document at a time
    assert {r.status for r in by_path.values()} == {"cleaned"}
    for r in by_path.values():
        stem = Path(r.path).stem
        out = tmp_path / "out"
        assert (out / f"{stem}.txt").exists() and (out / f"{stem}.json").exists()
