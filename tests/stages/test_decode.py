"""The decode stage: ftfy equivalence, the encoding pattern table and the rules after ftfy."""

from __future__ import annotations

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import Config, clean
from cleaners.stages import decode as D
from cleaners.core.pipeline import STAGES
from cleaners.core.registry import RULES
from cleaners.rules import decode as E
from cleaners.core.tracked import splice

ONLY_DECODE = Config(disabled=frozenset(s.id for s in STAGES if s.id != "decode"))


def apply(fn, text: str) -> str:
    return splice(text, list(fn(text, None)))


# -- decode.fix_encoding == ftfy.fix_text(text, FTFY_CONFIG) ------------------------------

#: Pieces that exercise every branch of ftfy: mojibake of several encodings, each
#: MOJIBAKE_CATEGORIES class, ligatures, C0/C1 controls, surrogates, escapes, NBSP,
#: combining marks (NFC) and line breaks.
_MOJIBAKE = ["\u00e2\u20ac\u2122", "\u00c3\u00a9", "\u00c3", "\u00c2", "\u00c2\u00a0", "\u00e2\u20ac\u0153",
             "\u00e2\u20ac", "\u201a\u00c4\u00f4", "\u00d0\u00bf\u00d1\u20ac", "\u0432\u0402",
             "\u00c3\u00b6", "\u00c3\u00bc", "\u00ce\u00b1", "\u00d8\u00a7\u00d9\u201e",
             "\u00e0\u00b2", "\u221a\u00a9", "\u00e2\u20ac\u201d", "\u00c3\u0192\u00c2\u00a9"]
_CHARS = list("aZ 09.,'\"\t\r") + list(
    "\u2019\u2018\u201c\u201d\u201e\u2014\u2013\u2026\u00a0\u00ad\u00b7\u00b4\u2015\u00a9\u00ae\u00ab\u00bb"
    "\u2122\u2022\u00a1\u00bf\u00e9\u00e8\u00fc\u00f6\u00df\u00c9\u00c0\u00d8\u00d9\u00e0\u00b0\u00b1\u00d7"
    "\u00b2\u00a3\u20ac\u00a5\u00a2\u00a4\u00a6\u00a8\u00ac\u00af\u00b8\u0192\u02c6\u2020\u2030\u25ca\ufffd"
    "\u00aa\u00ba\u00b6\u00a7\u2248\u221a\u2264\u2500\u2502\u2550\u2588\u00ce\u00d0\u03b1\u03a9\u0430\u042f"
    "\u0301\u0308\ufb01\ufb02\u0132\x80\x85\x9f\x00\x07\x0b\x1b\x7f\ufeff\u206a\ufffa\u4e2d\u3002\uff0c"
    "\u0645\u200c\u200b\U0001f600"
) + ["\x1b[31m", "\n", "\u000c"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_CHARS + _MOJIBAKE), max_size=40).map("".join))
def test_fix_encoding_equals_ftfy(text):
    assert apply(D.fix_encoding, text) == ftfy.fix_text(text, D.FTFY_CONFIG)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fix_encoding_equals_ftfy_on_any_text(text):
    assert apply(D.fix_encoding, text) == ftfy.fix_text(text, D.FTFY_CONFIG)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(
    list("aZ .,'\"") + list("\u2019\u2018\u201c\u201d\u201e\u201a\u2014\u2013\u2026\u00a0\u00ad"
                          "\u00b7\u00b4\u2015\u00a9\u00ae\u00ab\u00bb\u2122\u2022\u00a1\u00bf"
                          "\u02dd\u2039\u203a\u0384\u0385\uf8ff")), max_size=30).map("".join))
def test_lines_without_trigger_characters_are_never_changed_by_ftfy(text):
    """The fast path's claim: these characters alone never make ftfy change a line."""
    assert not D._FTFY_TRIGGER_RE.search(text)
    assert ftfy.fix_text(text, D.FTFY_CONFIG) == text


def test_fix_encoding_keeps_typography_and_width():
    text = "Is AI China\u2019s \u201ccritical\u201d force? \u2014 \u4e2d\u56fd\uff0c\u3002"
    assert list(D.fix_encoding(text, None)) == []


# -- the encoding pattern table -------------------------------------------------------------


@pytest.mark.parametrize("e", E.DECODE_PATTERNS, ids=lambda e: e.id)
def test_table_entry_examples(e):
    for text in e.matches:
        assert e.regex.search(text), f"{e.id} misses {text!r}"
    for text in e.leaves_alone:
        assert not e.regex.search(text), f"{e.id} matches look-alike {text!r}"


def test_table_ids_are_decode_rules_after_ftfy():
    stage = next(s for s in STAGES if s.id == "decode")
    assert stage.entry_rules == ("decode.flag_guessed_charset",)  # bytes -> text, first
    ids = stage.rule_ids[len(stage.entry_rules):]
    assert stage.rule_ids[: len(stage.entry_rules)] == stage.entry_rules
    assert ids[:2] == ("decode.normalize_newlines", "decode.fix_encoding")
    assert ids[2] == "decode.fix_mojibake_beside_spaces"
    assert ids[-1] == "decode.normalize_revealed_newlines"  # after every refix
    assert ids[3:-1] == tuple(e.id for e in E.DECODE_PATTERNS)
    for e in E.DECODE_PATTERNS:
        assert RULES[e.id].stage == "decode"


# -- the rules ----------------------------------------------------------------------------


def run(text: str) -> str:
    return clean(text, config=ONLY_DECODE).text


def test_gbk_quotes():
    assert run("the world\u00a1\u00afs \u00a1\u00b0Top 10\u00a1\u00b1") == "the world\u2019s \u201cTop 10\u201d"
    assert run("\u00a1\u00a1Qu\u00e9 bien!!") == "\u00a1\u00a1Qu\u00e9 bien!!"


def test_entities_resolve_once_and_stay_resolved():
    once = run("R&amp;amp;D &nbsp;x &#169; &#x2019; &copy;")
    assert once == "R&D \u00a0x \u00a9 \u2019 \u00a9"
    assert run(once) == once


@pytest.mark.parametrize("text", ["R&D", "AT&T", "&nothing", "&lt;br&gt;", "&#13;", "&#0;",
                                  "&unknownname;", "a & b", "&amp;lt;"])
def test_entities_left_alone(text):
    assert run(text) == text


def test_entities_revealing_mojibake_are_fixed_in_the_same_step():
    # `&Atilde;&copy;` is é in UTF-8 read as Latin-1 and escaped: one clean gives é
    out = run("caf&Atilde;&copy; au lait")
    assert out == "caf\u00e9 au lait"
    assert run(out) == out


def test_quote_backslash_in_prose_and_code():
    assert run("Tanzania\\\u2019s youth") == "Tanzania\u2019s youth"
    assert run('\\"Yes,\\" he said.') == '"Yes," he said.'
    for code in ['x = "a\\"b"', "path\\\\\"x", '{"k": "v\\"w"}', "s/\\\"/\"/g | x"]:
        assert run(code) == code


def test_zero_width_removed_where_meaningless_kept_where_spelling():
    assert run("a\u200bb c\u00add e\u2060f") == "ab cd ef"
    for kept in ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian ZWNJ
                 "\u0915\u094d\u200d\u0937",  # Devanagari ZWJ
                 "\U0001f468\u200d\U0001f469",  # emoji sequence
                 "\u0e44\u0e17\u0e22\u200b\u0e20\u0e32\u0e29\u0e32"]:  # Thai word break
        assert run(kept) == kept


def test_newline_revealed_by_ftfy_is_normalized():
    assert run("a\u0432\u0402\u00a9b") == "a\nb"


def test_macroman_ellipsis():
    assert run("doing,\u201a\u0136 \u00bb") == "doing,\u2026 \u00bb"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CHARS + _MOJIBAKE + [
    "&amp;", "&nbsp;", "&#169;", "&#x2019;", "&lt;", "&", "\\\u2019", '\\"', "\u00a1\u00af",
    "\u00a1\u00b0", "\u201a\u0136", "\u200b", "\u200d", "\u00ad", "amp;"]), max_size=30).map("".join))
def test_decode_stage_is_idempotent(text):
    once = run(text)
    assert run(once) == once
