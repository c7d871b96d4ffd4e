"""Inputs are sacred, outputs whole (issue 16): each numbered case of the issue, with the
inputs hashed before and after. The rules are in docs/failure.md."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import re
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main

ROOT = Path(__file__).resolve().parents[2]
STORY = (
    "The river town of Alderbrook held its annual lantern festival on Saturday, when "
    "more than four thousand visitors walked the old stone bridge at dusk. Organisers "
    "said the event raised money for the flood defences repaired after last spring. "
)


def tree_hash(folder: Path) -> str:
    """Names (as bytes), kinds, link targets and contents of everything under ``folder``."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(os.fsencode(folder)):
        dirnames.sort()
        for name in sorted(filenames) + [d + b"/" for d in sorted(dirnames)]:
            p = os.path.join(dirpath, name.rstrip(b"/"))
            h.update(os.path.relpath(p, os.fsencode(folder)) + b"\0")
            if os.path.islink(p):
                h.update(b"->" + os.readlink(p))
            elif os.path.isfile(p):
                with open(p, "rb") as fh:
                    h.update(fh.read())
            h.update(oct(os.lstat(p).st_mode).encode())
    return h.hexdigest()


def rows_of(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / io.MANIFEST_NAME).read_text("utf-8").splitlines()]


def reused_on_rerun(args: list[str], capsys) -> int:
    """Run ``scrubline`` (not quiet) and return how many documents its summary says were up
    to date and not cleaned again (the manifest row of such a document is its cleaned row)."""
    capsys.readouterr()
    assert main(args) == 0
    found = re.search(r"\((\d+) up to date, not cleaned again\)", capsys.readouterr().err)
    return int(found.group(1)) if found else 0


def make_input(folder: Path, n: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"x{i}.txt").write_text(f"Document {i}. " + STORY)
    return folder


# -- 1. outputs never replace inputs -------------------------------------------------


@pytest.mark.parametrize("case", ["d --out d", ". --out .", "o/s.txt --out o", "d --out d/."])
def test_out_over_an_input_is_refused_before_anything_is_written(tmp_path, monkeypatch,
                                                                 capsys, case):
    make_input(tmp_path / "d")
    make_input(tmp_path / "o")
    (tmp_path / "o" / "s.txt").write_text(STORY)
    monkeypatch.chdir(tmp_path / "d" if case.startswith(".") else tmp_path)
    before = tree_hash(tmp_path)
    inp, out = case.split(" --out ")
    assert main(["clean", inp, "--out", out, "-q"]) == 2
    err = capsys.readouterr().err
    assert f"--out {Path(out)}" in err and str(Path(inp)) in err and "nothing was written" in err
    assert len(err.strip().splitlines()) == 1
    assert tree_hash(tmp_path) == before  # no body, no manifest, not even a lock file


def test_run_over_its_input_folder_is_refused_too(tmp_path, capsys):
    d = make_input(tmp_path / "d")
    before = tree_hash(tmp_path)
    assert main(["run", str(d), "--out", str(d), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"--out {d}" in err and "input folder" in err
    assert tree_hash(tmp_path) == before


def test_out_inside_the_input_folder_is_allowed_and_never_read(tmp_path):
    d = make_input(tmp_path / "d")
    out = d / "cleaned"
    for _ in range(2):
        assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
    assert [r["path"] for r in rows_of(out)] == ["x0.txt", "x1.txt"]


def test_an_output_folder_given_as_input_is_skipped_never_cleaned(tmp_path):
    d = make_input(tmp_path / "d")
    first = tmp_path / "first"
    assert main(["clean", str(d), "--out", str(first), "-q"]) == 0
    (d / "prev").mkdir()
    assert main(["clean", str(d / "x0.txt"), "--out", str(d / "prev"), "-q"]) == 0
    before = tree_hash(tmp_path)
    before_parts = tree_hash(first) + tree_hash(d)
    second = tmp_path / "second"
    assert main(["clean", str(first), str(d), "--out", str(second), "-q"]) == 0
    assert {r["path"]: r["status"] for r in rows_of(second)} == {
        "./": "skipped", "prev/": "skipped", "x0.txt": "cleaned", "x1.txt": "cleaned",
    }
    skipped = [r for r in rows_of(second) if r["path"].endswith("/")]
    assert all("output folder" in r["reason"] for r in skipped)
    # its .json, manifest.jsonl and _index/ were never documents
    assert sorted(p.name for p in second.glob("*.txt")) == ["x0.txt", "x1.txt"]
    assert tree_hash(tmp_path / "first") + tree_hash(d) == before_parts
    assert before


# -- 2. one row and its own outputs per input ----------------------------------------


def test_colliding_stems_get_distinct_stable_names(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    texts = {"a.txt": "Plain one. " + STORY, "a.html": "<p>Page two. " + STORY + "</p>",
             "a.txt.txt": "Third file. " + STORY, "b.txt": "Fourth. " + STORY}
    for name, text in texts.items():
        (d / name).write_text(text)
    before = tree_hash(d)
    out = tmp_path / "out"
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
    rows = rows_of(out)
    assert sorted(r["path"] for r in rows) == sorted(texts)
    assert all(r["status"] == "cleaned" for r in rows)
    names = sorted(p.name for p in out.glob("*.txt"))
    assert names == ["a.html.txt", "a.txt.txt", "a.txt.txt.txt", "b.txt"]
    sources = sorted(json.loads(p.read_text())["source_path"] for p in out.glob("*.json"))
    assert sources == sorted(texts)
    assert tree_hash(d) == before
    assert reused_on_rerun(["clean", str(d), "--out", str(out)], capsys) == 4  # stable names
    assert {r["status"] for r in rows_of(out)} == {"cleaned"}


def test_the_same_relative_path_under_two_inputs_keeps_both(tmp_path):
    for k in (1, 2):
        (tmp_path / f"d{k}").mkdir()
        (tmp_path / f"d{k}" / "x.txt").write_text(f"Version {k}. " + STORY)
    before = tree_hash(tmp_path / "d1") + tree_hash(tmp_path / "d2")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "d1"), str(tmp_path / "d2"), "--out", str(out),
                 "-q"]) == 0
    assert [r["path"] for r in rows_of(out)] == ["d1/x.txt", "d2/x.txt"]
    assert (out / "d1" / "x.txt").read_text().startswith("Version 1.")
    assert (out / "d2" / "x.txt").read_text().startswith("Version 2.")
    files = io.discover([tmp_path / "d1", tmp_path / "d2", tmp_path / "d1" / "x.txt"])
    assert len(files) == 2  # the same file given twice: one row
    assert tree_hash(tmp_path / "d1") + tree_hash(tmp_path / "d2") == before


# -- 3. non-UTF-8 names ---------------------------------------------------------------


def test_non_utf8_names_are_cleaned_linked_exported_diffed_and_reported(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    for raw in (b"caf\xe9.txt", b"caf\xe9 copy.txt", b"back\\xe9slash.txt"):
        with open(os.path.join(os.fsencode(d), raw), "wb") as fh:
            fh.write(STORY.encode() * 3)
    before = tree_hash(d)
    out = tmp_path / "out"
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
    paths = sorted(r["path"] for r in rows_of(out))
    assert paths == ["back\\\\xe9slash.txt", "caf\\xe9 copy.txt", "caf\\xe9.txt"]
    sc = json.loads((out / os.fsdecode(b"caf\xe9.json")).read_text("utf-8"))
    assert sc["id"] == "caf\\xe9" and sc["source_path"] == "caf\\xe9.txt"
    assert io.parse_display(sc["id"]) == os.fsdecode(b"caf\xe9")
    assert {x["id"] for x in sc["duplicates"]} == {"caf\\xe9 copy", "back\\\\xe9slash"}
    index = (out / "_index" / "corpus-index.jsonl").read_bytes()
    index.decode("utf-8")  # valid UTF-8
    assert reused_on_rerun(["clean", str(d), "--out", str(out)], capsys) == 3  # index reads back
    assert {r["status"] for r in rows_of(out)} == {"cleaned"}
    exported = tmp_path / "docs.jsonl"
    assert main(["export", str(out), "-o", str(exported), "-q"]) == 0
    ids = sorted(json.loads(x)["id"] for x in exported.read_text("utf-8").splitlines())
    assert ids == ["back\\\\xe9slash", "caf\\xe9", "caf\\xe9 copy"]
    capsys.readouterr()
    for name in ("caf\\xe9", os.fsdecode(b"caf\xe9"), os.fsdecode(b"caf\xe9.json")):
        assert main(["diff", name, "--out", str(out), "--color", "never"]) == 0, name
    assert main(["diff", str(d / os.fsdecode(b"caf\xe9.txt")), "--color", "never"]) == 0
    assert main(["report", str(out), "-q"]) == 0
    assert "caf\\\\xe9" in (out / "report.html").read_text("utf-8")
    assert tree_hash(d) == before


# -- 4. tampered sidecars -------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [("stats", "x"), ("edits", {"a": 1}), ("review", [1, 2]), ("stats", {"edits_per_rule": 3}),
     ("metadata", None), ("duplicates", "x"), ("edits", ["x"])],
)
def test_a_tampered_sidecar_is_cleaned_again_never_a_crash(tmp_path, capsys, key, value):
    d = make_input(tmp_path / "d")
    out = tmp_path / "out"
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
    good = (out / "x0.json").read_bytes()
    sc = json.loads(good)
    sc[key] = value  # the hashes still match: only the types are wrong
    (out / "x0.json").write_text(json.dumps(sc))
    before = tree_hash(d)
    assert reused_on_rerun(["clean", str(d), "--out", str(out)], capsys) == 1  # x1 only
    assert {r["path"]: r["status"] for r in rows_of(out)} == {
        "x0.txt": "cleaned", "x1.txt": "cleaned"
    }
    assert json.loads((out / "x0.json").read_bytes())[key] == json.loads(good)[key]
    assert tree_hash(d) == before
    assert main(["export", str(out), "-o", str(tmp_path / "e.jsonl"), "-q"]) == 0


# -- 6. nothing under --out is followed --------------------------------------------------


def test_a_symlinked_lock_file_is_refused_and_its_target_kept(tmp_path, capsys):
    d = make_input(tmp_path / "d")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / io.LOCK_NAME).symlink_to(victim)
    before = tree_hash(d)
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 2
    assert "symlink" in capsys.readouterr().err
    assert victim.read_text() == "precious"
    assert sorted(os.listdir(out)) == [io.LOCK_NAME]
    assert tree_hash(d) == before


def test_a_symlinked_index_folder_is_not_written_through(tmp_path, capsys):
    d = make_input(tmp_path / "d")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "_index").symlink_to(elsewhere)
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "symlink" in err and "manifest were written" in err
    assert list(elsewhere.iterdir()) == []
    assert [r["status"] for r in rows_of(out)] == ["cleaned", "cleaned"]


@pytest.mark.parametrize("swap", ["symlink", "other file"])
def test_an_input_swapped_after_discovery_is_refused(tmp_path, swap):
    d = make_input(tmp_path / "d", 1)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET " + STORY)
    (f,) = io.discover([d])
    f.path.rename(tmp_path / "kept-aside.txt")  # its inode lives on
    if swap == "symlink":
        os.symlink(secret, f.path)
    else:
        f.path.write_text("A different file. " + STORY)
    before = tree_hash(tmp_path / "d") + secret.read_text()
    row = io.clean_file(f, tmp_path / "out")
    assert row.status == "failed" and "after discovery" in row.reason
    assert row.error_type == "InputChanged"
    assert not (tmp_path / "out" / "x0.txt").exists()
    assert tree_hash(tmp_path / "d") + secret.read_text() == before


def test_a_symlink_inside_the_root_is_still_read(tmp_path):
    d = make_input(tmp_path / "d", 1)
    (d / "alias.txt").symlink_to(d / "x0.txt")
    out = tmp_path / "out"
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
    assert [r["status"] for r in rows_of(out)] == ["cleaned", "cleaned"]


# -- 7. folders starting with _ ----------------------------------------------------------


def test_underscore_folders_are_cleaned_linked_and_exported(tmp_path):
    d = tmp_path / "site"
    for sub in ("_posts", "_drafts"):
        (d / sub).mkdir(parents=True)
        (d / sub / "story.txt").write_text(STORY * 3)
    (d / "_index").mkdir()
    (d / "_index" / "page.txt").write_text("An input folder named like ours. " + STORY)
    before = tree_hash(d)
    out = tmp_path / "out"
    assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
    assert sorted(r["path"] for r in rows_of(out)) == [
        "_drafts/story.txt", "_index/page.txt", "_posts/story.txt"
    ]
    assert (out / "_index~" / "page.txt").is_file()  # scrubline's _index stays its own
    sc = json.loads((out / "_posts" / "story.json").read_text())
    assert sc["duplicates"][0]["id"] == "_drafts/story"
    assert main(["export", str(out), "-o", str(tmp_path / "e.jsonl"), "-q"]) == 0
    ids = sorted(json.loads(x)["id"] for x in (tmp_path / "e.jsonl").read_text().splitlines())
    assert ids == ["_drafts/story", "_index~/page", "_posts/story"]
    assert tree_hash(d) == before


# -- 8. read-only and full output folders ------------------------------------------------


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """A small tmpfs mounted at ``path`` (root only; the test is skipped elsewhere)."""
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_read_only_out_is_one_line_exit_2(tmp_path):
    d = make_input(tmp_path / "d")
    before = tree_hash(d)
    with tmpfs(tmp_path / "ro", "ro,size=64k") as ro:
        # `run` refuses before Prefect starts, as `clean` does before cleaning
        for command, out in itertools.product(("clean", "run"), (ro, ro / "new")):
            done = subprocess.run(
                [sys.executable, "-m", "cleaners.cli", command, str(d), "--out", str(out), "-q"],
                cwd=ROOT, capture_output=True, text=True, timeout=120,
            )
            assert done.returncode == 2, done.stderr
            assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
            assert "nothing was written" in done.stderr and "Read-only" in done.stderr
        out = tmp_path / "out"
        assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
        for cmd in (["report", str(out), "-o", str(ro / "r.html")],
                    ["export", str(out), "-o", str(ro / "e.jsonl")],
                    ["config", "init", str(ro)]):
            done = subprocess.run([sys.executable, "-m", "cleaners.cli", *cmd],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 2 and done.stderr.count("\n") == 1, (cmd, done.stderr)
            assert "Traceback" not in done.stderr and "nothing was written" in done.stderr
    assert tree_hash(d) == before


def test_a_full_disk_message_tells_the_truth_about_the_manifest(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    for i in range(40):
        (d / f"big{i:02}.txt").write_text(f"Doc {i}. " + STORY * 40)
    before = tree_hash(d)
    with tmpfs(tmp_path / "small", "size=96k") as small:
        done = subprocess.run(
            [sys.executable, "-m", "cleaners.cli", "clean", str(d), "--out", str(small), "-q",
             "--workers", "1"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
        assert "No space left on device" in done.stderr
        manifest = small / io.MANIFEST_NAME
        if "listed as failed in the manifest" in done.stderr:
            rows = rows_of(small)
            assert len(rows) == 40 and rows[-1]["status"] == "failed"
        else:
            assert "could not be written either" in done.stderr
            assert not manifest.exists()
    assert tree_hash(d) == before


def test_when_not_even_the_manifest_fits_the_message_says_so(tmp_path, monkeypatch, capsys):
    from cleaners.io import atomic

    d = make_input(tmp_path / "d", 3)
    real = atomic.atomic_target
    calls = []

    @contextlib.contextmanager
    def full(path, **kw):
        calls.append(path)
        if len(calls) > 2:  # one document fits, then nothing does
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        with real(path, **kw) as got:
            yield got

    monkeypatch.setattr(atomic, "atomic_target", full)
    out = tmp_path / "out"
    assert main(["clean", str(d), "--out", str(out), "-q", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "could not be written either" in err and "1 documents were finished" in err
    assert "listed as failed" not in err and not (out / io.MANIFEST_NAME).exists()


# -- 9. the umask ------------------------------------------------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_honour_the_umask(tmp_path, umask, mode):
    d = make_input(tmp_path / "d")
    out = tmp_path / "out"
    old = os.umask(umask)
    try:
        assert main(["clean", str(d), "--out", str(out), "-q"]) == 0
        assert main(["report", str(out), "-q"]) == 0
        assert main(["export", str(out), "-q"]) == 0
        assert main(["config", "init", str(tmp_path / "scrubline.toml")]) == 0
    finally:
        os.umask(old)
    made = [out / "x0.txt", out / "x0.json", out / io.MANIFEST_NAME,
            out / "_index" / "corpus-index.jsonl", out / "report.html",
            out / "_export" / "documents.jsonl", tmp_path / "scrubline.toml"]
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made} == {
        p.name: oct(mode) for p in made
    }


# -- 10. report on a folder that is not an output folder ---------------------------------


def test_report_on_a_plain_folder_writes_nothing(tmp_path, capsys):
    d = make_input(tmp_path / "d")
    before = tree_hash(d)
    assert main(["report", str(d)]) == 2
    assert "no cleaned documents" in capsys.readouterr().err
    assert tree_hash(d) == before and not (d / "report.html").exists()
