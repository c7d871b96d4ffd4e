"""Files in, files out: discovery, decoding, atomic outputs, sidecars, manifest, skipping."""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

import pytest

from cleaners import io
from cleaners.core.config import Config
from cleaners.core.document import Edit, replay

from ..conftest import read_tree

SIDECAR_KEYS = {
    "id", "source_path", "input_sha256", "output_sha256", "pipeline_version", "config_hash",
    "metadata", "stats", "edits", "review",
}
METADATA_KEYS = {
    "title", "subtitle", "date", "source", "site", "authors", "editor", "credits", "language",
}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_discover_recurses_sorts_and_skips_hidden(tmp_path):
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "sub" / "a.txt", "a")
    write(tmp_path / ".hidden" / "x.txt", "x")
    write(tmp_path / ".dot.txt", "x")
    files = io.discover([tmp_path])
    assert [f.rel for f in files] == ["b.txt", "sub/a.txt"]
    assert [f.stem for f in files] == ["b", "sub/a"]


def test_discover_keeps_endings_when_stems_collide(tmp_path):
    write(tmp_path / "a.txt", "a")
    write(tmp_path / "a.html", "<p>a</p>")
    assert sorted(f.stem for f in io.discover([tmp_path])) == ["a.html", "a.txt"]


def test_discover_never_reads_the_output_folder(tmp_path):
    write(tmp_path / "in.txt", "x")
    write(tmp_path / "out" / "in.txt", "old output")
    assert [f.rel for f in io.discover([tmp_path], exclude=tmp_path / "out")] == ["in.txt"]


def test_discover_missing_input_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        io.discover([tmp_path / "nope"])


@pytest.mark.parametrize(
    "data, encoding, method",
    [
        (codecs.BOM_UTF8 + "Grüße".encode(), "utf-8", "bom"),
        (codecs.BOM_UTF16_LE + "Grüße".encode("utf-16-le"), "utf-16-le", "bom"),
        ("Grüße".encode(), "utf-8", "utf-8"),
    ],
)
def test_decode_bytes_boms_and_utf8(data, encoding, method):
    d = io.sniff_text(data)
    assert (d.text, d.encoding, d.method) == ("Grüße", encoding, method)


def test_decode_bytes_uses_the_declared_html_charset():
    html = '<html><head><meta charset="windows-1252"></head><body>café “x”</body></html>'
    d = io.sniff_text(html.encode("cp1252"), is_html=True)
    assert d.method == "declared" and "café “x”" in d.text


def test_decode_bytes_ignores_an_ebcdic_declaration():
    html = '<html><head><meta charset="cp037"></head><body>Olá, são “três” canções.</body></html>'
    d = io.sniff_text(html.encode("cp1252"), is_html=True)
    assert (d.text, d.encoding) == (html, "cp1252")


def test_utf16_chinese_without_bom_is_cleaned_not_skipped(tmp_path):
    text = "中文网页内容，测试编码识别。这是一段较长的中文文本，没有字节顺序标记。"
    src = write(tmp_path / "in" / "zh.txt", text.encode("utf-16-le"))
    before = src.read_bytes()
    rows = io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out")
    assert rows[0].status == "cleaned"
    assert (tmp_path / "out" / "zh.txt").read_text("utf-8").strip() == text
    assert src.read_bytes() == before


def test_binary_files_are_skipped_with_a_reason(tmp_path):
    write(tmp_path / "in" / "doc.pdf", b"%PDF-1.4 binary")
    write(tmp_path / "in" / "blob.txt", b"abc\x00\x01\x02def")
    files = io.discover([tmp_path / "in"])
    rows = io.clean_files(files, tmp_path / "out")
    assert [(r.path, r.status) for r in rows] == [("blob.txt", "skipped"), ("doc.pdf", "skipped")]
    assert "NUL" in rows[0].reason and "PDF" in rows[1].reason
    assert not (tmp_path / "out" / "doc.txt").exists()


def test_outputs_sidecar_and_replay(tmp_path, seeds_dir):
    files = io.discover([seeds_dir])
    rows = io.clean_files(files, tmp_path)
    assert {r.status for r in rows} == {"cleaned"}
    for f in files:
        body = (tmp_path / f"{f.stem}.txt").read_bytes()
        sidecar = json.loads((tmp_path / f"{f.stem}.json").read_text("utf-8"))
        assert SIDECAR_KEYS <= sidecar.keys()
        assert set(sidecar["metadata"]) == METADATA_KEYS
        raw = f.path.read_bytes()
        assert sidecar["input_sha256"] == hashlib.sha256(raw).hexdigest()
        assert sidecar["output_sha256"] == hashlib.sha256(body).hexdigest()
        edits = [Edit.from_json(e) for e in sidecar["edits"]]
        assert replay(raw.decode("utf-8"), edits).encode("utf-8") == body
        assert body.endswith(b"\n") and b"\r" not in body


def test_no_temporary_files_are_left_behind(tmp_path, seeds_dir):
    io.clean_files(io.discover([seeds_dir]), tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_inputs_are_never_modified(tmp_path, seeds_dir):
    before = read_tree(seeds_dir)
    io.clean_files(io.discover([seeds_dir]), tmp_path)
    assert read_tree(seeds_dir) == before


def test_unchanged_documents_are_reused_and_changed_ones_recleaned(tmp_path):
    src = tmp_path / "in"
    write(src / "a.txt", "First  doc.")
    write(src / "b.txt", "Second doc.")
    out = tmp_path / "out"
    first = io.clean_files(io.discover([src]), out)
    assert [r.status for r in first] == ["cleaned", "cleaned"]
    write(src / "b.txt", "Second doc, edited.")
    second = io.clean_files(io.discover([src]), out)
    assert [(r.status, r.reused) for r in second] == [("cleaned", True), ("cleaned", False)]
    assert second[0].to_json() == first[0].to_json()  # the same row: counts from the sidecar
    other_config = Config(disabled=frozenset({"normalize.collapse_inline_space"}))
    third = io.clean_files(io.discover([src]), out, config=other_config)
    assert [(r.status, r.reused) for r in third] == [("cleaned", False)] * 2
    forced = io.clean_files(io.discover([src]), out, config=other_config, force=True)
    assert [(r.status, r.reused) for r in forced] == [("cleaned", False)] * 2


def test_a_damaged_output_is_recleaned(tmp_path):
    write(tmp_path / "in" / "a.txt", "Text.")
    io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out")
    (tmp_path / "out" / "a.txt").write_text("tampered")
    rows = io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out")
    assert rows[0].status == "cleaned"
    assert (tmp_path / "out" / "a.txt").read_text() == "Text.\n"


def test_too_large_files_fail_with_a_clear_reason(tmp_path):
    write(tmp_path / "in" / "big.txt", "x" * 100)
    (row,) = io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out", max_bytes=10)
    assert row.status == "failed" and row.error_type == "FileTooLarge" and "100 bytes" in row.reason


def test_manifest_accounts_for_every_input(tmp_path):
    src = tmp_path / "in"
    write(src / "ok.txt", "Fine.")
    write(src / "img.png", b"\x89PNG\r\n\x1a\n....")
    rows = io.clean_files(io.discover([src]), tmp_path / "out")
    path = io.write_manifest(tmp_path / "out", rows)
    manifest = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(m["path"], m["status"]) for m in manifest] == [
        ("img.png", "skipped"),
        ("ok.txt", "cleaned"),
    ]
    assert all(m["reason"] or m["status"] == "cleaned" for m in manifest)


def test_html_input_keeps_the_extracted_text_for_replay(tmp_path):
    write(tmp_path / "in" / "p.html", "<html><title>T</title><body><p>One  two.</p></body></html>")
    (row,) = io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out")
    sidecar = json.loads((tmp_path / "out" / "p.json").read_text())
    assert row.status == "cleaned" and sidecar["format"] == "html"
    edits = [Edit.from_json(e) for e in sidecar["edits"]]
    assert replay(sidecar["source_text"], edits) == (tmp_path / "out" / "p.txt").read_text()
    assert sidecar["metadata"]["title"] == "T"
