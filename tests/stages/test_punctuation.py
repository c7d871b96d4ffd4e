"""The punctuation stage: its pattern table, the seed-002 defects (SEEDS.md section 002), the
no-op seeds, language decisions and the fast paths."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import Config, clean, replay
from cleaners.stages import punctuation as P
from cleaners.stages.punctuation import common as C
from cleaners.core.pipeline import STAGES
from cleaners.core.registry import RULES
from cleaners.rules import alt, trigger
from cleaners.rules import punctuation as T

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"

#: Body lines per seed, as SEEDS.md lists them (1-based). Punctuation runs after metadata
#: and boilerplate, so it only ever sees these.
BODY_LINES = {
    "000_a84aef7cf012a7d2": [5, *range(7, 78, 2)],
    "001_70bdca7a8d704a85": list(range(1, 16)),
    "002_8294012faee38cb1": list(range(7, 72, 2)),
    "003_7f106514c5169790": [10, 12, 16, 18, 20, 24, 28, 30, 32, 39, 41, 45, 49, 51, 53, 55, 57, 61],
    "004_2588aa231c02aec4": list(range(7, 38, 2)),
}

ONLY_PUNCTUATION = Config(disabled=frozenset(s.id for s in STAGES if s.id != "punctuation"))


def body_only(name: str) -> str:
    """The seed with every non-body line emptied: line numbers stay those of SEEDS.md."""
    lines = (SEEDS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    keep = set(BODY_LINES[name])
    return "\n".join(line if i in keep else "" for i, line in enumerate(lines, 1))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def run(text: str, **config):
    cfg = Config(disabled=ONLY_PUNCTUATION.disabled, **config) if config else ONLY_PUNCTUATION
    return clean(text, config=cfg)


# -- the pattern table -----------------------------------------------------------------


@pytest.mark.parametrize("e", T.PUNCTUATION_PATTERNS, ids=lambda e: e.id)
def test_table_entry_examples(e):
    assert e.matches and e.leaves_alone
    for text in e.matches:
        assert e.regex.search(text), f"{e.id} misses {text!r}"
        assert any(p.search(text) for p in e.parts), f"{e.id} parts miss {text!r}"
    for text in e.leaves_alone:
        assert not e.regex.search(text), f"{e.id} matches look-alike {text!r}"
        assert not any(p.search(text) for p in e.parts), f"{e.id} parts match {text!r}"


def test_table_ids_are_the_stage_rules_in_order():
    stage = next(s for s in STAGES if s.id == "punctuation")
    ids = tuple(r for r in stage.rule_ids if r != "punctuation.repeat_until_stable")
    assert tuple(e.id for e in T.PUNCTUATION_PATTERNS) == ids
    assert stage.rule_ids.index("punctuation.repeat_until_stable") == len(P.REPAIRS)
    for rid in stage.rule_ids:
        assert RULES[rid].stage == "punctuation"
        assert RULES[rid].fn is not None


def test_table_helpers_refuse_empty_patterns():
    with pytest.raises(ValueError):
        alt()
    with pytest.raises(ValueError):
        alt("said", "")
    with pytest.raises(ValueError):
        trigger("punctuation.x", "d", "  ", matches=["a"], leaves_alone=["b"])
    with pytest.raises(ValueError):
        trigger("punctuation.x", "d", "a", matches=["a"], leaves_alone=[])


# -- the finders find every match (a fast path must not change results) -------------------

_FINDER_CASES = [
    (T.DOUBLED_PERIOD.parts[0], "period_dup"),
    (T.COMMA_BEFORE_PERIOD.parts[0], "comma_period"),
    (T.MISSING_SPACE.parts[0], "glued"),
    (T.COMMA_CAPITAL.regex, "comma_capital"),
    (T.PERIOD_LOWERCASE.regex, "period_lower"),
    (T.DISPLACED_ATTRIBUTION.regex, "said"),
]
_PIECES = [".", ",", " ", "\t", "\n", "a", "b", "Z", "e", "é", "É", "1", "The", "and", "said",
           "says", "There", "he", "is", ". .", "..", ",.", "”", '"', "U.S.", "ny", "Wo"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_finders_give_the_same_matches_as_a_full_scan(text):
    for pattern, finder in _FINDER_CASES:
        fast = [m.span() for m in C._matches(pattern, C._FINDERS[finder], text)]
        full = [m.span() for m in pattern.finditer(text)]
        assert fast == full, (finder, text)


# -- seed 002: the 17 catalogued defects --------------------------------------------------

#: SEEDS.md 002, the 10 auto-repairable defects: (#, line, rule, before, after).
REPAIRS_002 = [
    (1, 9, "collapse_doubled_period", "China's AI industry. .", "China's AI industry."),
    (2, 15, "collapse_doubled_period", "the United States. . This", "the United States. This"),
    (3, 27, "collapse_doubled_period", "text-to-video models. .", "text-to-video models."),
    (4, 25, "replace_double_apostrophe_quotes", "within 1-2 years. '' said Mr. Zhou.",
     "within 1-2 years.\u201d said Mr. Zhou."),
    (5, 37, "remove_space_before_closing_quote", "and ongoing uncertainty. \u201d",
     "and ongoing uncertainty.\u201d"),
    (6, 65, "remove_space_before_closing_quote", "in several vertical areas. \u201d",
     "in several vertical areas.\u201d"),
    (7, 65, "insert_space_after_sentence_end", "hands and technology.There is",
     "hands and technology. There is"),
    (8, 69, "insert_space_after_sentence_end", "AI applications.China still",
     "AI applications. China still"),
    (9, 71, "collapse_doubled_comma", "work together, , by cooperating", "work together, by cooperating"),
    (12, 57, "drop_duplicate_attribution", ",\u201d Zhou said. he said.", ",\u201d Zhou said."),
]
#: The 4 flag-only defects: (#, line, rule, text that must stay).
FLAGS_002 = [
    (10, 65, "flag_comma_capital", "within that vertical sector, The model"),
    (11, 47, "flag_period_lowercase", "industrial revitalization. and accelerate"),
    (13, 19, "flag_displaced_attribution",
     "360 Security said. said Hongyi Zhou, Technology's founder and chairman."),
    (14, 13, "flag_displaced_attribution",
     "Artificial Intelligence. said Shen Hao, deputy chief engineer."),
]
#: The 3 must-not-change defects (#15 l.23, #16 l.37 except #5's space, #17 l.29/31/33).
UNCHANGED_LINES_002 = [23, 29, 31, 33]
#: SEEDS.md 002 "Residual MT nonsense": each excerpt must survive verbatim.
MT_NONSENSE_002 = [
    (7, "This could help allay persistent concerns that the virus is becoming more widespread, experts said."),
    (13, "says the Shanghai Institute for Artificial Intelligence. said Shen Hao"),
    (15, "could eventually actually close the AI gap"),
    (19, "said Hongyi Zhou, Technology's founder and chairman"),
    (33, "it takes it to another level beyond ChatGPT and DALL.E. I said that I would not."),
    (35, "to truly penetrate the industrial sector. is not possible,\u201d Ma said."),
    (37, "\u201cThe risks facing them are low.\u201d and ongoing uncertainty."),
    (49, "and implement digital technology. It ensured full integration into the real economy."),
    (53, "AI startups such as Baidu, Sense-Time,"),
    (55, "He said it appears they are hiring."),
    (59, "she added."),
    (65, "The model will not only have intelligence, but also unique knowledge and even hands and technology."),
    (71, "ensure safe and reliable applications of AI. can do.\u201d"),
]
#: Legitimate look-alikes in the same file (SEEDS.md 002).
LOOKALIKES_002 = ["U.S. are", "The U.S. is", "Co., Ltd., a startup", "GPT-4.0", "(SASAC)", "1-2 years"]


@pytest.fixture(scope="module")
def seed002():
    text = body_only("002_8294012faee38cb1")
    result = run(text)
    return text, result


def _out_lines(result):
    return result.text.split("\n")


def test_seed002_repairs_exactly_the_ten_defects(seed002):
    text, result = seed002
    lines_in = text.split("\n")
    lines_out = _out_lines(result)
    for num, line, rule_name, before, after in REPAIRS_002:
        assert before in lines_in[line - 1], f"#{num}: the seed line {line} changed?"
        assert after in lines_out[line - 1], f"#{num} (l.{line}) not repaired"
        assert before not in lines_out[line - 1] or before in after, f"#{num} still there"
    fired = Counter((line_of(text, e.start), e.rule) for e in result.edits)
    expected = Counter((line, f"punctuation.{rule_name}") for _, line, rule_name, _, _ in REPAIRS_002)
    assert fired == expected
    assert replay(text, result.edits) == result.text


def test_seed002_flags_the_four_guesses_and_leaves_them(seed002):
    text, result = seed002
    lines_out = _out_lines(result)
    for num, line, rule_name, excerpt in FLAGS_002:
        assert excerpt in lines_out[line - 1], f"#{num} was edited"
        rid = f"punctuation.{rule_name}"
        assert any(r.rule == rid and line_of(text, r.start) == line for r in result.review), (
            f"#{num}: no {rid} review entry on line {line}"
        )
    flagged_lines = {line_of(text, r.start) for r in result.review}
    # only the four defects and two MT fragments (l.35 `. is`, l.71 `. can`) are flagged
    assert flagged_lines == {13, 19, 35, 47, 65, 71}


def test_seed002_must_not_change_lines_stay_verbatim(seed002):
    text, result = seed002
    lines_in, lines_out = text.split("\n"), _out_lines(result)
    for line in UNCHANGED_LINES_002:
        assert lines_out[line - 1] == lines_in[line - 1], f"l.{line} changed"
    # #16: l.37 changes only by #5's space
    assert lines_out[36] == lines_in[36].replace("uncertainty. \u201d", "uncertainty.\u201d")


@pytest.mark.parametrize(("line", "excerpt"), MT_NONSENSE_002)
def test_seed002_mt_nonsense_stays(seed002, line, excerpt):
    _, result = seed002
    assert excerpt in _out_lines(result)[line - 1]


def test_seed002_lookalikes_survive(seed002):
    _, result = seed002
    for excerpt in LOOKALIKES_002:
        assert excerpt in result.text


# -- seeds 000, 001, 003, 004: no punctuation edits -----------------------------------------


@pytest.mark.parametrize("name", ["000_a84aef7cf012a7d2", "001_70bdca7a8d704a85",
                                  "003_7f106514c5169790", "004_2588aa231c02aec4"])
def test_clean_seeds_get_no_punctuation_edits(name):
    text = body_only(name)
    result = run(text)
    assert result.edits == []
    assert result.text == text
    assert result.review == []


def test_seed004_typography_survives_the_whole_pipeline():
    text = (SEEDS / "004_2588aa231c02aec4.txt").read_text(encoding="utf-8")
    out = clean(text).text
    body = "\n".join(text.split("\n")[6:37])  # lines 7-37; the rest is lifted or dropped
    for ch in "\u2019\u201c\u201d\u2014":
        assert out.count(ch) == body.count(ch), ch
    assert "\"" not in out and "'" not in out


def test_seed003_german_ascii_quotes_survive_the_whole_pipeline():
    text = (SEEDS / "003_7f106514c5169790.txt").read_text(encoding="utf-8")
    out = clean(text).text
    assert 'eine industrielle Revolution ausl\u00f6sen", sagte Zhu Keli' in out
    assert out.count('"') == text.count('"')


def test_seed000_template_colon_is_repaired_when_it_reaches_the_stage():
    # l.3 is metadata (lifted before punctuation in the full pipeline); if it stays, the
    # ECNS template's `Editor : ` is a space before a colon.
    line = (SEEDS / "000_a84aef7cf012a7d2.txt").read_text(encoding="utf-8").split("\n")[2]
    assert "Editor: Li Yan" in run(line).text


# -- language and script decisions ------------------------------------------------------

FRENCH = ("Le gouvernement chinois a plac\u00e9 l'intelligence artificielle au c\u0153ur des "
          "d\u00e9bats : est-ce vraiment une priorit\u00e9 ? Oui ; selon les experts !")


def test_french_spacing_is_kept_by_detection_and_by_config():
    assert run(FRENCH).text == FRENCH
    assert run(FRENCH, language="fr").text == FRENCH
    # the same marks in an English text are repaired
    english = "Is the gap widening ? Yes ; experts say so : it is !"
    assert run(english, language="en").text == "Is the gap widening? Yes; experts say so: it is!"


def test_french_guillemets_line_keeps_its_spaces_even_undetected():
    line = "\u00ab Oui \u00bb, dit-il : c'est vrai !"
    assert run(line, language="und").text == line


def test_german_quotes_and_spacing_are_correct_as_they_are():
    for text in ["\u201eDie Rechnung geht nicht auf\u201c, sagt er.", "\u00bbNein\u00ab, sagte sie.",
                 "etwa 3 % der W\u00f6rter", "Wer kommt?, fragte er.", "z. B. und u. a. auch"]:
        assert run(text, language="de").text == text


def test_german_closing_quote_after_space_is_repaired():
    assert run("\u201eDas ist gut. \u201c Er ging.", language="de").text == "\u201eDas ist gut.\u201c Er ging."


def test_chinese_punctuation_in_chinese_text_is_left_and_ascii_is_flagged():
    text = "\u4e2d\u56fd\u4eba\u5de5\u667a\u80fd\u4ea7\u4e1a\u94fe\u6709\u671b\u8fce\u6765\u53d1\u5c55,\u4e13\u5bb6\u8bf4."
    result = run(text)
    assert result.text == text
    (review,) = result.review
    assert review.rule == "punctuation.flag_ascii_in_chinese"
    assert review.suggestion is not None and "\uff0c" in review.suggestion and "\u3002" in review.suggestion
    zh = "\u6211\u4eec\u4f7f\u7528Sora\uff0cChatGPT\u7b49\u5de5\u5177\u3002"
    assert run(zh).text == zh


def test_no_house_style_is_imposed():
    for text in ['He said "yes" and left.', "He said \u201cyes\u201d and left.",
                 "It\u2019s Zhou\u2019s view.", "It's Zhou's view.", "Wait... then \u2026 then"]:
        assert run(text).text == text


def test_flags_carry_rule_ids_and_suggestions():
    result = run("within that vertical sector, The model will grow", language="en")
    (review,) = result.review
    assert review.rule == "punctuation.flag_comma_capital"
    assert review.text == ", The model"
    assert review.suggestion == ", the model"


def test_disabled_rules_neither_edit_nor_flag():
    text = "industry. . sector, The model will grow"
    cfg = Config(disabled=ONLY_PUNCTUATION.disabled | {"punctuation.collapse_doubled_period",
                                                      "punctuation.flag_comma_capital"},
                 language="en")
    result = clean(text, config=cfg)
    assert result.text == text and result.review == []


def test_rules_are_total_on_odd_text():
    odd = ["", "\n", ".", " .", "''", "``", "\u201d", "\"", "\u3002.", ", ,", "\x00. .",
           "\ud800", "a\u0300.B", "\u201c \u201d", "' '' ''' ''''", ". said X", "\u4e2d,"]
    for text in odd:
        for fn in P.STAGE.rules:
            P.apply_rule(fn, text)


def test_code_lines_are_left_alone():
    for line in ["checkpointInterval := 1 * time.Second", "return this.name + \" greets\" + t;",
                 "name = a.listAppend( b, \" \" );", "if x == 1 : y ."]:
        assert run(line).text == line


def test_code_line_detection():
    assert C._is_code_line("for (i = 0; i < n; i++) {")
    assert C._is_code_line("fmt.Println(x)")
    assert not C._is_code_line("He said (twice) that it works.")
    assert not C._is_code_line("Editor : Li Yan")
