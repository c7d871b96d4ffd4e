"""Paths: output names come from input paths relative to their root, and nothing is
written outside --out, whatever the names, links or inputs look like."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "stem",
    ["../escaped", "a/../../escaped", "/tmp/escaped-abs", "a//b", "./a", "a/.", "", "a\x00b"],
)
def test_a_hostile_output_name_is_skipped_and_writes_nothing(tmp_path, stem):
    src = tmp_path / "in" / "doc.txt"
    src.parent.mkdir()
    src.write_text("Text.")
    out = tmp_path / "deep" / "out"
    inp = io.InputFile(src, rel=stem or "x", stem=stem)
    row = io.clean_file(inp, out)
    assert row.status == "skipped" and "unsafe output name" in row.reason
    assert files_under(tmp_path) == {"in/doc.txt"}
    assert not Path("/tmp/escaped-abs.txt").exists()


def test_a_symlinked_folder_inside_out_is_not_written_through(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text("Text.")
    (src / "b.txt").write_text("Other.")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "sub")  # planted: out/sub -> elsewhere
    rows = {r.path: r for r in io.clean_files(io.discover([src]), out)}
    assert rows["sub/a.txt"].status == "skipped" and "leads out" in rows["sub/a.txt"].reason
    assert rows["b.txt"].status == "cleaned"
    assert not list(elsewhere.iterdir())


def test_inputs_given_by_relative_and_absolute_paths_land_inside_out(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "rel.txt").write_text("Relative.")
    (tmp_path / "abs.txt").write_text("Absolute.")
    (tmp_path / "a" / "tree" / "deeper").mkdir(parents=True)
    (tmp_path / "a" / "tree" / "deeper" / "t.txt").write_text("In a tree.")
    work = tmp_path / "a" / "b" / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    argv = ["clean", "../rel.txt", str(tmp_path / "abs.txt"), "../../tree", "--out", "out", "-q"]
    assert main(argv) == 0
    outputs = files_under(work / "out")
    assert outputs == {
        "rel.txt", "rel.json", "abs.txt", "abs.json", "deeper/t.txt", "deeper/t.json",
        "manifest.jsonl", "_index/corpus-index.jsonl",  # the corpus-link index (issue 7)
    }
    # Nothing was written next to the inputs or above the output folder.
    assert files_under(tmp_path) - {f"a/b/work/out/{n}" for n in outputs} == {
        "a/b/rel.txt", "abs.txt", "a/tree/deeper/t.txt",
    }


def test_symlinks_inside_the_root_are_read_and_outside_ones_skipped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "real.txt").write_text("Real.")
    (tmp_path / "secret.txt").write_text("Secret.")
    os.symlink(src / "real.txt", src / "alias.txt")
    os.symlink(tmp_path / "secret.txt", src / "leak.txt")
    os.symlink("../secret.txt", src / "relative-leak.txt")
    rows = {r.path: r for r in io.clean_files(io.discover([src]), tmp_path / "out")}
    assert rows["alias.txt"].status == "cleaned"
    assert rows["leak.txt"].status == "skipped"
    assert rows["relative-leak.txt"].status == "skipped"
    assert "Secret" not in (tmp_path / "out" / "alias.txt").read_text() + "".join(
        p.read_text() for p in (tmp_path / "out").glob("*.txt")
    )


def test_odd_names_round_trip(tmp_path):
    names = [
        "with space.txt",
        "tab\there.txt",
        "new\nline.txt",
        "quote'\"`.txt",
        "ünïcødé 中文 😀.txt",
        "-leading-dash.txt",
        "x" * 251 + ".txt",
        "中" * 83 + ".txt",  # 249 + 4 bytes: shortened (needs .json)
    ]
    src = tmp_path / "in"
    src.mkdir()
    for i, name in enumerate(names):
        (src / name).write_text(f"Document {i}.")
    files = io.discover([src])
    rows = io.clean_files(files, tmp_path / "out")
    assert [r.status for r in rows] == ["cleaned"] * len(names)
    for f in files:
        body, sidecar = io.output_paths(tmp_path / "out", f.stem)
        assert body.exists() and sidecar.exists()
        assert len(os.fsencode(sidecar.name)) <= 255
        assert body.read_text() == f"Document {names.index(f.rel)}.\n"
    # Stable: the same names again give the same stems.
    assert [f.stem for f in io.discover([src])] == [f.stem for f in files]


def test_two_long_names_with_the_same_start_stay_apart(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    a, b = "é" * 124 + "a.txt", "é" * 124 + "b.txt"
    (src / a).write_text("A.")
    (src / b).write_text("B.")
    files = io.discover([src])
    assert len({f.stem for f in files}) == 2
    io.clean_files(files, tmp_path / "out")
    assert sorted(p.read_text() for p in (tmp_path / "out").glob("*.txt")) == ["A.\n", "B.\n"]


def test_the_output_folder_inside_the_input_is_never_read(tmp_path):
    (tmp_path / "doc.txt").write_text("Doc.")
    assert main(["clean", str(tmp_path), "--out", str(tmp_path / "out"), "-q"]) == 0
    assert main(["clean", str(tmp_path), "--out", str(tmp_path / "out"), "-q"]) == 0
    assert files_under(tmp_path / "out") == {
        "doc.txt", "doc.json", "manifest.jsonl", "_index/corpus-index.jsonl",
    }
