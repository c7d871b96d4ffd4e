"""Item 5 of issue 17: a second run over the same inputs writes the same bytes (the
manifest records each document's outcome, not what one run did), and documents whose
sidecar names another pipeline version are cleaned again."""

from __future__ import annotations

import json

from cleaners import io
from cleaners.cli import main

from ..conftest import SEEDS, read_tree


def _with_odd_files(tmp_path):
    """The seeds plus two files that are not text documents (skipped, with why)."""
    src = tmp_path / "in"
    src.mkdir()
    for p in SEEDS.iterdir():
        if p.is_file():
            (src / p.name).write_bytes(p.read_bytes())
    (src / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (src / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return src


def test_cleaning_twice_gives_byte_identical_output_trees(tmp_path, capsys):
    src, out = _with_odd_files(tmp_path), tmp_path / "out"
    before = read_tree(src)
    assert main(["clean", str(src), "--out", str(out), "-q"]) == 0
    first = read_tree(out)
    assert main(["clean", str(src), "--out", str(out)]) == 0
    assert read_tree(out) == first  # manifest, bodies, sidecars and index alike
    assert read_tree(src) == before
    err = capsys.readouterr().err
    assert "5 cleaned (5 up to date, not cleaned again)" in err
    rows = [json.loads(x) for x in (out / io.MANIFEST_NAME).read_text("utf-8").splitlines()]
    statuses = {r["path"]: r["status"] for r in rows}
    assert statuses.pop("scan.pdf") == "skipped" and statuses.pop("photo.png") == "skipped"
    assert set(statuses.values()) == {"cleaned"}
    assert all(r["reason"] for r in rows if r["status"] == "skipped")  # with why


def test_the_reused_count_goes_to_the_summary_only(tmp_path):
    src, out = _with_odd_files(tmp_path), tmp_path / "out"
    first = io.clean_files(io.discover([src]), out)
    second = io.clean_files(io.discover([src]), out)
    assert [r.to_json() for r in first] == [r.to_json() for r in second]
    s1, s2 = io.summarize(first), io.summarize(second)
    assert (s1["cleaned"], s1["reused"], s1["skipped"]) == (5, 0, 2)
    assert (s2["cleaned"], s2["reused"], s2["skipped"]) == (5, 5, 2)
    assert "reused" not in second[0].to_json()


def test_a_sidecar_of_another_pipeline_version_is_cleaned_again(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("First  doc.\n", "utf-8")
    (src / "b.txt").write_text("Second doc.\n", "utf-8")
    io.clean_files(io.discover([src]), out)
    sidecar = out / "a.json"
    old = json.loads(sidecar.read_text("utf-8"))
    old["pipeline_version"] = "0.1.0+000000000000"  # cleaned by an older release
    sidecar.write_text(json.dumps(old, ensure_ascii=False, indent=1) + "\n", "utf-8")
    rows = io.clean_files(io.discover([src]), out)
    assert [(r.path, r.reused) for r in rows] == [("a.txt", False), ("b.txt", True)]
    assert json.loads(sidecar.read_text("utf-8"))["pipeline_version"] == io.outputs.pipeline_version()
