"""Never raises: ``clean`` on arbitrary text (as text and as HTML), ``sniff_text`` and
``clean_file`` on arbitrary bytes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import io
from cleaners.core.pipeline import clean

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Pieces that make parsers, decoders and rules work: markup, entities, quotes, spaces,
#: newlines of every kind, CJK and its punctuation, mojibake, control characters.
TOKENS = [
    "<div>", "</div>", "<p>", "</span>", "<br/>", "<!--", "-->", "<script>", "</script>",
    "<meta charset=gbk>", '<a href="', '">', "<![CDATA[", "]]>", "&amp;", "&#x", "&#0;",
    "&nbsp;", "<?xml ?>", "<!DOCTYPE html>", "<table><tr><td>", "<html>", "<body>",
    " ", "  ", "\t", "\u00a0", "\u3000", "\n", "\r\n", "\r", "\u2028", "\u0085", "\n\n\n",
    ".", "..", "...", "…", ",", "，", "。", "、", "“", "”", "‘", "’", '"', "'", "«", "»",
    "-", "—", "–", "中文", "한국어", "日本語", "Grüße", "â€™", "Ã©", "\ufeff", "\ufffd",
    "\x00", "\x07", "\x1b[31m", "\u200b", "\u202e", "\ud83d\ude00", "©", "京ICP备12345678号",
    "1,234.5", "2024-05-17", "http://example.com/a?b=c", "a@b.c", "ﬁ", "\U0001f600",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60).map("".join),
)
binaries = st.one_of(
    st.binary(max_size=600),
    st.lists(
        st.sampled_from([t.encode("utf-8", "surrogatepass") for t in TOKENS])
        | st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"\xe4\xb8", b"\xa4"])
        | st.binary(max_size=8),
        max_size=60,
    ).map(b"".join),
    st.text(max_size=200).flatmap(
        lambda t: st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32", "gb18030",
                                   "big5", "shift_jis", "euc-kr", "cp1252", "cp1251"]).map(
            lambda enc: t.encode(enc, "replace")
        )
    ),
)


def check_result(r, text: str) -> None:
    assert isinstance(r.text, str)
    assert r.error is None, r.error  # rules are total: arbitrary text is not an error
    assert isinstance(r.metadata, dict) and isinstance(r.edits, list)


@SETTINGS
@given(texts)
def test_clean_never_raises_on_arbitrary_text(text):
    check_result(clean(text), text)


@SETTINGS
@given(texts)
def test_clean_never_raises_on_arbitrary_html(text):
    check_result(clean(text, fmt="html"), text)


@SETTINGS
@given(binaries, st.booleans())
def test_decode_bytes_never_raises_and_returns_clean_unicode(data, is_html):
    d = io.sniff_text(data, is_html=is_html)
    assert isinstance(d.text, str)
    d.text.encode("utf-8")  # no lone surrogates: the text can always be written
    assert 0.0 <= d.confidence <= 1.0 and d.method
    assert set(d.to_json()) >= {"name", "method", "confidence"}


@settings(SETTINGS, max_examples=60)
@given(data=binaries, name=st.sampled_from(["doc.txt", "doc.html", "doc"]))
def test_clean_file_never_raises_on_arbitrary_bytes(tmp_path, data, name):
    src = Path(tempfile.mkdtemp(dir=tmp_path)) / name
    src.write_bytes(data)
    out = src.parent / "out"
    row = io.clean_file(io.InputFile(src, name, name.split(".")[0]), out, force=True)
    # Small arbitrary files are within every limit: cleaned, or skipped as binary.
    assert row.status in ("cleaned", "skipped"), (row.reason, row.error_type)
    assert row.status == "cleaned" or row.reason
    body, sidecar = io.output_paths(out, name.split(".")[0])
    if row.status == "cleaned":
        meta = json.loads(sidecar.read_text("utf-8"))
        assert io.sha256(body.read_bytes()) == meta["output_sha256"]
    else:
        assert not body.exists() and not sidecar.exists()
    assert src.read_bytes() == data  # the input is never modified
