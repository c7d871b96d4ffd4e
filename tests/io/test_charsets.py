"""Charset decisions (issue 16, item 5): each case is bytes the test builds, decoded exactly."""

from __future__ import annotations

import codecs
import hashlib
import json
from pathlib import Path

import pytest

from cleaners import io
from cleaners.io.charsets import html_codec

PT = "Não há pão nem ação. São João, coração."
ES = "El año pasado, el señor compró un piñón."
IT = "È così: perché più città però già là, così però è."


def sniff(data: bytes, html: bool = False) -> io.SniffedText:
    return io.sniff_text(data, is_html=html)


@pytest.mark.parametrize("text", [PT, ES, "ação", "año", "São Paulo"])
def test_short_latin1_portuguese_and_spanish_are_not_cp1250(text):
    d = sniff(text.encode("latin-1"))
    assert d.text == text and d.encoding == "cp1252"
    assert d.confidence < 1.0 and d.review()  # a guess is a review entry


def test_an_italian_page_is_not_cp1258():
    html = f"<html><body><p>{IT}</p><p>Perché è così? Più tardi, là.</p></body></html>"
    d = sniff(html.encode("cp1252"), html=True)
    assert d.text == html and d.encoding == "cp1252"


def test_utf8_with_one_stray_latin1_byte_is_repaired_byte_by_byte():
    data = "Coração de São Paulo é ótimo, ".encode() + "não".encode("latin-1")
    d = sniff(data)
    assert d.text == "Coração de São Paulo é ótimo, não"
    assert (d.encoding, d.method) == ("utf-8", "utf-8")
    assert "1 byte(s)" in d.note and d.confidence < 1.0 and d.review()


def test_utf8_with_a_stray_cp1252_quote_byte():
    data = "Grüße aus Köln ".encode() + b"\x93ok\x94"
    assert sniff(data).text == "Grüße aus Köln “ok”"


@pytest.mark.parametrize("label", ["cp037", "ibm037", "ebcdic-cp-us", "utf-7", "base64"])
def test_non_ascii_compatible_labels_are_ignored(label):
    html = f'<html><head><meta charset="{label}"></head><body>Café “crème”, été.</body></html>'
    d = sniff(html.encode("cp1252"), html=True)
    assert d.text == html and d.encoding == "cp1252" and d.method == "detected"


def test_a_utf16_meta_means_utf8():
    html = '<html><head><meta charset="utf-16"></head><body>Grüße</body></html>'
    d = sniff(html.encode(), html=True)
    assert d.text == html and d.encoding == "utf-8"


@pytest.mark.parametrize(
    "label, codec",
    [("latin1", "cp1252"), ("iso-8859-1", "cp1252"), ("ascii", "cp1252"),
     ("us-ascii", "cp1252"), ("gb2312", "gb18030"), ("GBK", "gb18030"), ("big5", "big5hkscs"),
     ("shift_jis", "cp932"), ("euc-kr", "cp949"), ("iso-8859-9", "cp1254"),
     ("x-user-defined", "cp1252"), ("utf-16le", "utf-8")],
)
def test_whatwg_label_mapping(label, codec):
    assert html_codec(label)[1] == codec


def test_unknown_and_replacement_labels_are_ignored():
    assert [html_codec(x) for x in ("cp037", "latin-1", "iso-2022-kr", "hz-gb-2312")] == [None] * 4


def test_declared_latin1_reads_cp1252_quotes():
    html = '<meta charset="iso-8859-1"><p>“Olá”, disse ele — é verdade.</p>'
    d = sniff(html.encode("cp1252"), html=True)
    assert d.text == html and (d.method, d.confidence) == ("declared", 1.0) and not d.review()


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_text(enc):
    text = "中文网页内容，测试编码识别。这是一段较长的中文文本，没有字节顺序标记。"
    data = text.encode(enc)
    assert io.binary_reason(data[: io.SNIFF_BYTES]) is None
    d = sniff(data)
    assert (d.text, d.encoding, d.method) == (text, enc, "sniffed")


LOOK_ALIKES = [
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Řeka teče.", "cp1250"),
    ("Zażółć gęślą jaźń. Łódź jest piękna, więc się cieszę.", "cp1250"),
    ("Съешь же ещё этих мягких французских булок, да выпей чаю.", "cp1251"),
    ("中文网页内容，测试编码识别。这是一段较长的中文文本。", "gb18030"),
    ("這是一段繁體中文的文字，我們來測試編碼的識別。", "big5hkscs"),
    ("これは日本語の文章です。漢字とかなを含みます。", "cp932"),
    ("He said “hello” — it’s fine, isn’t it?", "cp1252"),
    ("한국어 문장입니다. 인코딩을 시험합니다.", "cp949"),
]


@pytest.mark.parametrize("text, enc", LOOK_ALIKES)
def test_legacy_look_alikes_keep_working(text, enc):
    d = sniff(text.encode(enc))
    assert (d.text, d.encoding) == (text, codecs.lookup(enc).name)


@pytest.mark.parametrize(
    "data, text, method",
    [(b"plain ascii text\n", "plain ascii text\n", "utf-8"),
     (codecs.BOM_UTF8 + "Grüße".encode(), "Grüße", "bom")],
)
def test_ascii_and_utf8_bom_are_certain(data, text, method):
    d = sniff(data)
    assert (d.text, d.method, d.confidence, d.review()) == (text, method, 1.0, [])


def test_a_guess_reaches_the_sidecar_review_list(tmp_path: Path):
    src = tmp_path / "in" / "pt.txt"
    src.parent.mkdir()
    src.write_bytes(PT.encode("latin-1"))
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    rows = io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out")
    assert rows[0].status == "cleaned" and rows[0].review >= 1
    sidecar = json.loads((tmp_path / "out" / "pt.json").read_text("utf-8"))
    assert sidecar["encoding"]["name"] == "cp1252" and sidecar["encoding"]["confidence"] < 1
    assert [r["rule"] for r in sidecar["review"]].count("decode.flag_guessed_charset") == 1
    assert (tmp_path / "out" / "pt.txt").read_text("utf-8").startswith("Não há pão")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_a_utf8_input_gets_no_charset_review(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PT, "utf-8")
    io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out")
    sidecar = json.loads((tmp_path / "out" / "a.json").read_text("utf-8"))
    assert sidecar["encoding"]["confidence"] == 1.0
    assert not [r for r in sidecar["review"] if r["rule"] == "decode.flag_guessed_charset"]


def test_the_charset_review_is_a_rule_that_can_be_disabled(tmp_path: Path):
    from cleaners import RULES, Config

    assert "decode.flag_guessed_charset" in RULES  # listed by `scrubline rules`
    src = tmp_path / "in" / "pt.txt"
    src.parent.mkdir()
    src.write_bytes(PT.encode("latin-1"))
    config = Config(disabled=frozenset({"decode.flag_guessed_charset"}))
    io.clean_files(io.discover([tmp_path / "in"]), tmp_path / "out", config=config)
    sidecar = json.loads((tmp_path / "out" / "pt.json").read_text("utf-8"))
    assert sidecar["encoding"]["confidence"] < 1  # still recorded in the sidecar
    assert not [r for r in sidecar["review"] if r["rule"] == "decode.flag_guessed_charset"]
