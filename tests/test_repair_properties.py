"""Properties of the repairs on generated text that mixes the defect shapes they target.

* cleaning is idempotent: ``clean(clean(x).text).text == clean(x).text``;
* the recorded edits replay on the input to the output;
* the punctuation stage never adds or removes a letter or digit (it moves marks and spaces);
* decode rules may change letters only where that is their job: the named exceptions below.
"""

from __future__ import annotations

from collections import Counter

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaners import Config, clean, replay
from cleaners.stages import decode as D
from cleaners.core.pipeline import STAGES
from cleaners.core.tracked import splice

#: Decode rules allowed to change letters and digits: ftfy repairs mojibake (letters in,
#: other letters out; also when normalized spacing reveals it), entity names vanish (``&copy;`` -> ``©``), and ``‚Ķ`` -> ``…`` drops
#: the mojibake letter Ķ.
DECODE_LETTER_EXCEPTIONS = frozenset(
    {"decode.fix_encoding", "decode.fix_mojibake_beside_spaces", "decode.unescape_html_entities",
     "decode.map_macroman_ellipsis"}
)

_ALNUM_RE = regex.compile(r"[\p{L}\p{N}]")

#: Words, marks, spaces and the defect shapes of SEEDS.md 002 and PATTERNS.md D and F.
PIECES = [
    # words and spaces
    "China", "the", "model", "technology", "There", "said", "Zhou", "he", "and", "The", "is",
    "Sora", "Mr", "U.S.", "DALL.E", "GPT-4.0", "Co., Ltd.", "3", "1-2", "\u00e9t\u00e9", "M\u00fcnchen",
    " ", " ", " ", "  ", "\t", "\n", "\n\n", "\u00a0",
    # marks
    ".", ",", ";", ":", "!", "?", "...", "\u2026", "(", ")", "-", "\u2014", "%", "&",
    # quotes
    '"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u201e", "\u00bb", "\u00ab", "\u201a",
    # defect shapes
    ". .", ", ,", " .", " ,", " :", " ?", ". \u201d", "''", " ''", "``", ".There", "s.China",
    ". he said.", ",\u201d Zhou said.", ". said Shen", ", The model", ". and", "\u201cA \u201dB",
    '"A "b', '" A"', "\u2018pc'.", '"x\u201d', "\u201ex\"",
    # CJK
    "\u4e2d\u56fd", "\u7f8e\u56fd", "\uff0c", "\u3002", "\uff1a", "\uff08", "\uff09", "\u3002.", "\uff0c.",
    "\u4e2d,\u56fd", "\u5199\u9053:\u201d\u4e2d",
    # encoding debris (raw mojibake is in MOJIBAKE: see test_clean_is_idempotent_with_mojibake)
    "&amp;", "&nbsp;", "&#169;", "&copy;", "&lt;", "\\\u2019", '\\"', "\u00a1\u00af", "\u00a1\u00b0",
    "\u201a\u0136", "\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff",
]
#: UTF-8 read as cp1252: ftfy's verdict on it depends on the neighbouring characters.
MOJIBAKE = ["\u00e2\u20ac\u2122", "\u00c3\u00a9", "\u00e2\u20ac\u0153", "\u00c2\u00a0"]

texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def alnum(text: str) -> Counter[str]:
    return Counter(_ALNUM_RE.findall(text))


def only(stage: str, language: str | None = None) -> Config:
    return Config(disabled=frozenset(s.id for s in STAGES if s.id != stage), language=language)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_clean_is_idempotent(text):
    once = clean(text).text
    assert clean(once).text == once


#: ftfy judges mojibake by its neighbours, and later stages change neighbours: with
#: ``. ”Ã©，`` ftfy repairs ``Ã©`` to ``é``, punctuation turns ``，`` into ``,``, and on the
#: next clean ftfy takes ``”é,`` for mojibake too (``ӎ``). So raw mojibake is mixed with
#: words and spaces only (the spacing case is decode.fix_mojibake_beside_spaces); the
#: decode stage alone is checked on any mix in tests/stages/test_decode.py.
mojibake_texts = st.lists(
    st.sampled_from(MOJIBAKE + ["China", "s", " ", "  ", "\u00a0", "\n", "\t", "\u201c", "\u201d",
                                "\u2019", "Top", "10", "said"]), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(mojibake_texts)
@example("\xa0\u00c2\xa0\xa0\u00e2\u20ac\u2122")  # ftfy's fix of Â+NBSP exposes edge space
def test_clean_is_idempotent_with_mojibake(text):
    once = clean(text).text
    assert clean(once).text == once


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from([None, "en", "de", "fr", "zh"]))
def test_punctuation_stage_is_idempotent_and_replays(text, language):
    cfg = only("punctuation", language)
    result = clean(text, config=cfg)
    assert replay(result.source_text, result.edits) == result.text
    assert clean(result.text, config=cfg).text == result.text


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from([None, "en", "de", "fr", "zh"]))
def test_punctuation_keeps_every_letter_and_digit(text, language):
    result = clean(text, config=only("punctuation", language))
    assert alnum(result.text) == alnum(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_decode_rules_keep_letters_except_the_named_ones(text):
    stage = next(s for s in STAGES if s.id == "decode")
    current = text
    for fn in stage.rules:
        changes = list(fn(current, None))
        after = splice(current, changes)
        if fn.rule_id not in DECODE_LETTER_EXCEPTIONS and all(
            c.reason is None for c in changes  # a reason marks an ftfy re-run (decode._refix)
        ):
            assert alnum(after) == alnum(current), fn.rule_id
        current = after


@settings(max_examples=200, deadline=None)
@given(texts)
def test_full_pipeline_edits_replay(text):
    result = clean(text)
    assert replay(result.source_text, result.edits) == result.text


def test_exceptions_are_decode_rules():
    stage = next(s for s in STAGES if s.id == "decode")
    assert DECODE_LETTER_EXCEPTIONS <= set(stage.rule_ids)
    assert D.fix_encoding.rule_id in DECODE_LETTER_EXCEPTIONS
