"""A corpus of bad inputs, generated here, each with the manifest status it must get.

Every case is one file (or a folder entry) in one input tree, cleaned in one run: the run
must finish, account for every file in the manifest (status, reason, error type), never
touch the inputs, and write outputs only for documents it cleaned.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaners import io
from cleaners.core.safety import Limits
from cleaners.io import discovery

from ..conftest import read_tree

SENTENCES = {
    "gb18030": "中国人工智能产业链有望迎来前所未有的发展机遇，专家表示这将推动经济增长。",
    "big5": "中華民國的人工智慧產業鏈有望迎來前所未有的發展機遇，專家表示樂觀。",
    "shift_jis": "日本の人工知能産業は前例のない発展の機会を迎えると専門家は述べています。",
    "euc-kr": "한국의 인공지능 산업은 전례 없는 발전 기회를 맞이할 것이라고 전문가들은 말했습니다.",
    "cp1252": "Les « cafés » de la société française ont été très fréquentés l’été dernier — voilà.",
    "cp1251": "Российская индустрия искусственного интеллекта ожидает беспрецедентные возможности.",
    "latin-1": "Die Straßenbahn fährt über die Brücke, während Müller und Weiß Kaffee trinken.",
}
LATIN = "Grüße aus Köln: a plain paragraph of Latin text, long enough to be sure.\n" * 3
#: Limits for the corpus run: small enough to make a too-large file cheap to test.
LIMITS = Limits(max_bytes=3_000_000)


@dataclass
class Case:
    name: str
    data: bytes
    status: str  # cleaned | skipped | failed
    reason: str | None = None  # a substring of the manifest reason
    error_type: str | None = None
    body: bytes | None = None  # the exact cleaned body, when it is known
    contains: str | None = None  # text the cleaned body must contain
    encoding: tuple[str, ...] | None = None  # acceptable sidecar encoding names
    method: str | None = None  # the sidecar encoding method


def deep_html(levels: int) -> bytes:
    return (
        "<html><body>" + "<div>" * levels + "deep text" + "</div>" * levels + "</body></html>"
    ).encode()


def cases() -> list[Case]:
    rnd = random.Random(6)
    noise = bytes(rnd.randrange(256) for _ in range(5000))
    out = [
        # -- empty and blank: cleaned to empty, not failed
        Case("empty.txt", b"", "cleaned", body=b""),
        Case("blank.txt", "  \n\t\n\n\u3000".encode(), "cleaned", body=b""),
        Case("bom-only.txt", codecs.BOM_UTF8, "cleaned", body=b""),
        Case("empty.html", b"", "cleaned", body=b""),
        Case("no-text.html", b"<html><head><script>x()</script></head><body></body></html>",
             "cleaned", body=b""),
        # -- byte-order marks
        Case("bom-utf8.txt", codecs.BOM_UTF8 + LATIN.encode(), "cleaned", contains="Grüße aus Köln",
             encoding=("utf-8",), method="bom"),
        Case("bom-utf16le.txt", codecs.BOM_UTF16_LE + LATIN.encode("utf-16-le"), "cleaned",
             contains="Grüße aus Köln", encoding=("utf-16-le",), method="bom"),
        Case("bom-utf16be.txt", codecs.BOM_UTF16_BE + LATIN.encode("utf-16-be"), "cleaned",
             contains="Grüße aus Köln", encoding=("utf-16-be",), method="bom"),
        Case("bom-utf32le.txt", codecs.BOM_UTF32_LE + LATIN.encode("utf-32-le"), "cleaned",
             contains="Grüße aus Köln", encoding=("utf-32-le",), method="bom"),
        Case("bom-utf32be.txt", codecs.BOM_UTF32_BE + LATIN.encode("utf-32-be"), "cleaned",
             contains="Grüße aus Köln", encoding=("utf-32-be",), method="bom"),
        # -- UTF-16/32 without a BOM: text, not binary (NUL bytes by design)
        Case("nobom-utf16le.txt", LATIN.encode("utf-16-le"), "cleaned", contains="Grüße aus Köln",
             encoding=("utf-16-le",), method="sniffed"),
        Case("nobom-utf16be.txt", LATIN.encode("utf-16-be"), "cleaned", contains="Grüße aus Köln",
             encoding=("utf-16-be",), method="sniffed"),
        Case("nobom-utf32le.txt", LATIN.encode("utf-32-le"), "cleaned", contains="Grüße aus Köln",
             encoding=("utf-32-le",), method="sniffed"),
        Case("nobom-utf16le-chinese.txt", ("第1章 中文文本\n" * 20).encode("utf-16-le"), "cleaned",
             contains="第1章 中文文本", encoding=("utf-16-le",), method="sniffed"),
        # -- undeclared legacy encodings: detected, with a confidence in the sidecar
        *[
            Case(f"legacy-{enc}.txt", (SENTENCES[enc] + "\n").encode(enc), "cleaned",
                 contains=SENTENCES[enc], method="detected")
            for enc in SENTENCES
        ],
        # -- declared charsets in HTML
        Case("declared-gbk.html",
             f'<html><head><meta charset="gbk"><title>t</title></head><body><p>{SENTENCES["gb18030"]}'
             "</p></body></html>".encode("gb18030"),
             "cleaned", contains=SENTENCES["gb18030"], encoding=("gb18030",), method="declared"),
        Case("declared-http-equiv-big5.html",
             '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
             f'</head><body><p>{SENTENCES["big5"]}</p></body></html>'.encode("big5"),
             "cleaned", contains=SENTENCES["big5"], encoding=("big5hkscs",), method="declared"),
        Case("declared-xml-shift-jis.xhtml",
             f'<?xml version="1.0" encoding="Shift_JIS"?><html><body><p>{SENTENCES["shift_jis"]}'
             "</p></body></html>".encode("shift_jis"),
             "cleaned", contains=SENTENCES["shift_jis"], encoding=("cp932",), method="declared"),
        Case("declared-latin1-is-cp1252.html",
             '<html><head><meta charset="iso-8859-1"></head><body><p>“quoted” café</p></body></html>'
             .encode("cp1252"),
             "cleaned", contains="“quoted” café", encoding=("cp1252",), method="declared"),
        Case("declared-wrong.html",
             f'<meta charset="euc-jp"><p>{SENTENCES["cp1251"]}</p>'.encode("cp1251"),
             "cleaned", contains=SENTENCES["cp1251"], method="detected"),
        Case("declared-bogus.html",
             f'<meta charset="base64"><meta charset="x-nonsense"><p>{SENTENCES["cp1252"]}</p>'
             .encode("cp1252"), "cleaned", contains=SENTENCES["cp1252"]),
        Case("declared-undefined.html",
             f'<meta charset="undefined"><p>{SENTENCES["cp1252"]}</p>'.encode("cp1252"), "cleaned",
             contains=SENTENCES["cp1252"]),
        # -- damaged UTF-8: truncated mid-character, a few bad bytes among good text
        Case("truncated-utf8.txt", ("Der Bericht endet mitten im Wort: Grü").encode()[:-1],
             "cleaned", contains="mitten im Wort: Gr\ufffd", encoding=("utf-8",), method="utf-8"),
        Case("bad-bytes-in-utf8.txt",
             ("中文文本" * 20).encode() + b"\xff\xfe" + ("更多中文" * 20).encode(),
             "cleaned", contains="中文文本中文文本", encoding=("utf-8",), method="utf-8"),
        Case("truncated.html", b"<html><body><p>First para.</p><p>Second, cut off mid-ta<sp",
             "cleaned", contains="First para."),
        Case("crlf-and-cr.txt", b"one\r\ntwo\rthree\r\n", "cleaned", body=b"one\n\ntwo\n\nthree\n"),
        Case("stray-nul.txt", LATIN.encode() * 5 + b"\x00" + LATIN.encode(), "cleaned",
             contains="Grüße aus Köln"),
        # -- binary files: skipped with a reason
        Case("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "skipped", reason="PDF document"),
        Case("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "skipped", reason="PNG image"),
        Case("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "skipped", reason="JPEG image"),
        Case("anim.gif", b"GIF89a\x01\x00\x01\x00", "skipped", reason="GIF image"),
        Case("archive.zip", b"PK\x03\x04\x14\x00\x00\x00", "skipped", reason="ZIP archive"),
        Case("page.html.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "skipped", reason="gzip archive"),
        Case("program", b"\x7fELF\x02\x01\x01\x00", "skipped", reason="executable"),
        Case("noise.txt", noise, "skipped", reason="binary data"),
        Case("nul-blob.txt", b"abc\x00\x01\x02def", "skipped", reason="NUL"),
        Case("id3-sentence.txt", b"ID3 tags are metadata in MP3 files.", "cleaned",
             body=b"ID3 tags are metadata in MP3 files.\n"),
        # -- limits: clear errors, configurable
        Case("too-large.txt", b"x " * 1_600_000, "failed", reason="above the limit of 3000000",
             error_type="FileTooLarge"),
        Case("long-line.txt", b"y" * 1_100_000, "failed", reason="line 1 has 1100000 characters",
             error_type="LineTooLong"),
        Case("deep.html", deep_html(100_000), "failed", reason="--max-html-depth",
             error_type="HtmlTooDeep"),
        Case("deep-stray-closers.html", b"<div></span>" * 50_000, "failed",
             error_type="HtmlTooDeep"),
        Case("deep-but-allowed.html", deep_html(400), "cleaned", body=b"deep text\n"),
        # -- hostile pages: parsers and patterns must not blow up
        Case("leading-comments", b"<!-- c -->" * 2000 + b"<html><body><p>after comments</p>",
             "cleaned", body=b"after comments\n"),
        Case("meta-flood.html", b"<meta " * 20_000 + b"<p>still here</p>", "cleaned",
             contains="still here"),
        Case("json-ld-bomb.html",
             b'<script type="application/ld+json">' + b"[" * 100_000 + b"</script><p>body</p>",
             "cleaned", body=b"body\n"),
        Case("space-run.txt", b"a" + b" " * 500_000 + b"b\n", "cleaned", body=b"a b\n"),
        Case("unclosed-comment.html", b"<p>visible</p><!-- never closed " + b"x" * 100_000,
             "cleaned", body=b"visible\n"),
        # -- odd names
        Case("with space & (parens).txt", b"Odd name.", "cleaned", body=b"Odd name.\n"),
        Case("ünïcødé 中文名.txt", b"Unicode name.", "cleaned", body=b"Unicode name.\n"),
        Case("L" * 251 + ".txt", b"Long name.", "cleaned", body=b"Long name.\n"),  # 255 bytes
    ]
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The corpus cleaned once: (input folder, output folder, rows by path, seconds)."""
    root = tmp_path_factory.mktemp("corpus")
    src, out = root / "in", root / "out"
    src.mkdir()
    for case in cases():
        (src / case.name).write_bytes(case.data)
    # Folder entries that are not documents.
    outside = root / "outside.txt"
    outside.write_text("secret outside the input root")
    os.symlink(outside, src / "link-out.txt")
    os.symlink(src / "ünïcødé 中文名.txt", src / "link-in.txt")
    os.symlink(root / "missing.txt", src / "link-broken.txt")
    os.symlink(root, src / "link-folder")
    (src / "sub").mkdir()
    (src / "sub" / "nested.txt").write_text("Nested.")
    os.symlink(src / "sub", src / "link-subfolder")
    os.mkfifo(src / "pipe.txt")
    before = read_tree_safe(src)
    t0 = time.perf_counter()
    files = io.discover([src], exclude=out)
    rows = io.clean_files(files, out, limits=LIMITS)
    seconds = time.perf_counter() - t0
    io.write_manifest(out, rows)
    assert read_tree_safe(src) == before, "an input was modified"
    return src, out, {r.path: r for r in rows}, seconds, files


def read_tree_safe(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name[:40])
def test_each_bad_input_gets_its_expected_manifest_row(corpus, case):
    _src, out, rows, _s, files = corpus
    row = rows[case.name]
    assert row.status == case.status, (row.status, row.reason)
    if case.reason:
        assert case.reason in (row.reason or ""), row.reason
    if case.status != "cleaned":
        assert row.reason, "every skip and failure says why"
    if case.status == "failed":
        assert row.error_type == (case.error_type or row.error_type) and row.error_type
    stem = next(f.stem for f in files if f.rel == case.name)
    body_path, sidecar_path = io.output_paths(out, stem)
    if case.status != "cleaned":
        assert not body_path.exists() and not sidecar_path.exists()
        return
    body = body_path.read_bytes()
    sidecar = json.loads(sidecar_path.read_text("utf-8"))
    if case.body is not None:
        assert body == case.body
    if case.contains is not None:
        assert case.contains in body.decode("utf-8")
    enc = sidecar["encoding"]
    assert set(enc) >= {"name", "method", "confidence"} and 0.0 <= enc["confidence"] <= 1.0
    if case.encoding:
        assert enc["name"] in case.encoding, enc
    if case.method:
        assert enc["method"] == case.method, enc


def test_the_manifest_accounts_for_every_entry_of_the_input_folder(corpus):
    src, out, rows, _s, _f = corpus
    manifest = [json.loads(x) for x in (out / io.MANIFEST_NAME).read_text("utf-8").splitlines()]
    entries = sorted(
        p.relative_to(src).as_posix()
        for p in src.rglob("*")  # does not descend into symlinked folders
        if p.is_symlink() or not p.is_dir()
    )
    assert sorted(m["path"] for m in manifest) == entries
    for m in manifest:
        assert m["status"] in ("cleaned", "skipped", "failed")
        assert m["status"] == "cleaned" or m["reason"]
        assert m["status"] != "failed" or m["error_type"]


@pytest.mark.parametrize(
    "name, status, reason",
    [
        ("link-out.txt", "skipped", "outside the input root"),
        ("link-broken.txt", "skipped", "broken symlink"),
        ("link-folder", "skipped", "outside the input root"),
        ("link-subfolder", "skipped", "symlink to a folder"),
        ("sub/nested.txt", "cleaned", None),
        ("pipe.txt", "skipped", "not a regular file"),
        ("link-in.txt", "cleaned", None),
    ],
)
def test_links_and_special_files(corpus, name, status, reason):
    _src, out, rows, _s, _f = corpus
    assert rows[name].status == status
    if reason:
        assert reason in rows[name].reason
    assert "secret" not in "".join(p.read_text("utf-8", "replace") for p in out.rglob("*.txt"))


def test_long_names_get_a_short_hashed_output_name(corpus):
    _src, out, _rows, _s, files = corpus
    (long,) = [f for f in files if f.rel.startswith("LLLL")]
    assert "~" in long.stem and len(long.stem.encode()) + len(".json") <= 255
    sidecar = json.loads((out / f"{long.stem}.json").read_text("utf-8"))
    assert sidecar["source_path"] == "L" * 251 + ".txt"


def test_the_corpus_run_is_quick(corpus):
    *_, seconds, _files = corpus
    assert seconds < 60, f"the bad-input corpus took {seconds:.1f} s"


def test_an_unreadable_folder_is_a_failed_row_not_a_lost_one(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("A.")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("B.")
    real_scandir = os.scandir

    def scandir(path):  # root ignores permissions, so refuse the folder by hand
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    rows = io.clean_files(io.discover([tmp_path]), tmp_path / "out")
    by_path = {r.path: r for r in rows}
    assert by_path["ok/a.txt"].status == "cleaned"
    assert by_path["locked/"].status == "failed"
    assert by_path["locked/"].error_type == "PermissionError"


def test_a_file_that_vanishes_before_reading_is_a_failed_row(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.txt").write_text("x")
    files = io.discover([tmp_path / "in"])
    (tmp_path / "in" / "gone.txt").unlink()
    (row,) = io.clean_files(files, tmp_path / "out")
    assert row.status == "failed" and row.error_type == "FileNotFoundError"


def test_a_non_utf8_file_name_is_shown_escaped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (src / name).write_text("Name in Latin-1 bytes.")
    (row,) = io.clean_files(io.discover([src]), tmp_path / "out")
    assert row.status == "cleaned" and row.path == "caf\\xe9.txt"
    manifest = io.write_manifest(tmp_path / "out", [row]).read_bytes().decode("utf-8")
    assert "caf\\\\xe9.txt" in manifest
    sidecar = json.loads((tmp_path / "out" / f"{os.fsdecode(b'caf')}\udce9.json").read_bytes())
    assert sidecar["source_path"] == "caf\\xe9.txt"
