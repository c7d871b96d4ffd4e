"""Stage ``ocr``: real-text cases, pattern tables, the detector, idempotency and replay.

Cases live in tests/cases/ocr/<rule name>.json (schema in that folder's README). Each runs
through :func:`cleaners.clean` with only the ``decode`` and ``ocr`` stages on, so expected
texts show exactly what the OCR rules do; idempotency runs the whole pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import RULES, STAGES, Config, clean, replay
from cleaners.stages.ocr import detect_ocr, lexicon
from cleaners.rules import alt
from cleaners.rules import ocr as tables

from ..conftest import ROOT, SEEDS

CASES_DIR = ROOT / "tests" / "cases" / "ocr"
OCR_RULES = sorted(rid for rid in RULES if rid.startswith("ocr."))
#: Every stage but decode and ocr: case outputs show the OCR rules' work alone.
OTHER_STAGES = frozenset(s.id for s in STAGES if s.id not in {"decode", "ocr"})
CASE_KEYS = {"label", "comment", "source", "original", "expected", "expect"}
OPTIONAL_KEYS = {"language", "ocr", "review"}
OCR_MODES = {"on": True, "auto": None, "off": False}


def _load() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            out.append((path.stem, case))
    return out


CASES = _load()


def _params(*, known_gaps_fail: bool = True):
    for stem, case in CASES:
        gap = known_gaps_fail and case["expect"] == "fail"
        marks = [pytest.mark.xfail(strict=True)] if gap else []
        yield pytest.param(stem, case, id=f"{stem}:{case['label']}", marks=marks)


def _config(case: dict, *, only_ocr: bool) -> Config:
    return Config(
        disabled=OTHER_STAGES if only_ocr else frozenset(),
        ocr=OCR_MODES[case.get("ocr", "on")],
        language=case.get("language", "en"),
    )


# -- cases ------------------------------------------------------------------------------------
def test_case_files_follow_the_schema():
    assert CASES, "no OCR cases found"
    stems = {stem for stem, _ in CASES}
    for stem, case in CASES:
        assert CASE_KEYS <= set(case) <= CASE_KEYS | OPTIONAL_KEYS, (stem, case.get("label"))
        assert case["expect"] in {"pass", "fail"}
        assert case.get("ocr", "on") in OCR_MODES
        assert all(isinstance(case[k], str) for k in ("label", "comment", "source"))
    for stem in stems - {"detect"}:
        assert f"ocr.{stem}" in RULES, f"{stem}.json names no OCR rule"


@pytest.mark.parametrize("rule_id", OCR_RULES)
def test_every_rule_has_repairs_and_look_alikes(rule_id):
    stem = rule_id.split(".", 1)[1]
    mine = [c for s, c in CASES if s == stem and c["expect"] == "pass"]
    assert any(c["original"] != c["expected"] or c.get("review") for c in mine), (
        f"{rule_id}: no case it repairs or flags"
    )
    assert any("look-alike" in c["label"] for c in mine), f"{rule_id}: no look-alike case"


@pytest.mark.parametrize(("stem", "case"), list(_params()))
def test_case(stem, case):
    original = case["original"]
    result = clean(original, config=_config(case, only_ocr=True))
    assert result.text == case["expected"]
    assert replay(original, result.edits) == result.text
    assert all(e.rule.startswith(("ocr.", "decode.")) for e in result.edits)
    suggestions = [r.suggestion for r in result.review if r.rule.startswith("ocr.")]
    for wanted in case.get("review", []):
        assert wanted in suggestions
    if stem == "detect":
        return
    fired = {r for e in result.edits for r in (e.rule, *e.merged)}
    if case["label"].startswith("look-alike"):
        assert f"ocr.{stem}" not in fired, f"ocr.{stem} edited a look-alike"
    elif case["original"] != case["expected"]:
        fired |= {r.rule for r in result.review}
        assert f"ocr.{stem}" in fired, f"ocr.{stem} did not take part"


@pytest.mark.parametrize(("stem", "case"), list(_params(known_gaps_fail=False)))
def test_case_is_idempotent_through_the_whole_pipeline(stem, case):
    config = _config(case, only_ocr=False)
    once = clean(case["original"], config=config)
    twice = clean(once.text, config=config)
    assert twice.text == once.text
    assert replay(case["original"], once.edits) == once.text


# -- tables -----------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", list(tables.PATTERNS.values()), ids=lambda e: e.id)
def test_table_entry_examples(entry):
    for example in entry.matches:
        assert entry.regex.search(example), f"{entry.id} should match {example!r}"
    for example in entry.leaves_alone:
        assert not entry.regex.search(example), f"{entry.id} should leave {example!r}"


def test_table_entries_are_immutable_data():
    assert isinstance(tables.PAGE_NUMBER_TABLE, tuple)
    assert isinstance(tables.LINE_SHAPE_TABLE, tuple)
    assert isinstance(tables.LIGATURES, tuple)
    assert isinstance(tables.SUSPENDED_HYPHEN_NEXT, frozenset)
    with pytest.raises(TypeError):
        tables.PATTERNS["x"] = None  # type: ignore[index]


@pytest.mark.parametrize("words", [[], ["a", ""]])
def test_alternation_helper_refuses_empty(words):
    with pytest.raises(ValueError):
        alt(*words)


# -- the detector and the switch ---------------------------------------------------------------
GLUER_SAMPLE = next(c for s, c in CASES if s == "detect" and "pdf-lines-gluer" in c["label"])


def test_detector_finds_pdf_text():
    verdict = detect_ocr(GLUER_SAMPLE["original"], "en")
    assert verdict.is_ocr, verdict
    assert verdict.hyphen_joins >= 2


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_are_not_ocr_and_unchanged_by_the_stage(seed):
    text = seed.read_text(encoding="utf-8")
    assert not detect_ocr(text, "en").is_ocr
    auto = clean(text)
    off = clean(text, config=Config(ocr=False))
    assert auto.text == off.text
    assert not [e for e in auto.edits if e.rule.startswith("ocr.")]


def _bench_text_dir() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent, Path("/work")):
        d = base / "shared" / "bench" / "dev" / "text"
        if d.is_dir():
            return d
    return None


@pytest.mark.slow
def test_web_pages_are_not_ocr():
    """Every scraped page of ../shared/bench (hard-wrapped ones included) stays untouched."""
    folder = _bench_text_dir()
    if folder is None:
        pytest.skip("../shared/bench is not available")
    from cleaners.core.language import detect_language

    pages = sorted(folder.glob("*.txt"))
    assert pages
    detected = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        verdict = detect_ocr(text, lambda t=text: detect_language(t))
        if verdict.is_ocr:
            detected.append((page.name, verdict.reason))
    assert detected == []


def test_ocr_off_disables_and_on_forces():
    text = GLUER_SAMPLE["original"]
    off = clean(text, config=Config(ocr=False, language="en"))
    assert not [e for e in off.edits if e.rule.startswith("ocr.")]
    web = next(c for s, c in CASES if s == "detect" and "web text" in c["label"])["original"]
    assert not [e for e in clean(web).edits if e.rule.startswith("ocr.")]
    forced = clean(web, config=Config(ocr=True, language="en"))
    assert any(e.rule == "ocr.reflow_paragraphs" for e in forced.edits)


def test_each_rule_can_be_disabled():
    text = GLUER_SAMPLE["original"]
    full = clean(text, config=Config(ocr=True, language="en"))
    fired = {e.rule for e in full.edits if e.rule.startswith("ocr.")}
    assert {"ocr.reflow_paragraphs", "ocr.join_hyphenated_words",
            "ocr.restore_dropped_ligatures"} <= fired
    for rid in fired:
        r = clean(text, config=Config(ocr=True, language="en", disabled=frozenset({rid})))
        assert rid not in {e.rule for e in r.edits}


def test_no_word_list_means_no_word_repairs():
    text = "the rst author was at Washington State Univer-\nsity in a two-\nmonth stay"
    r = clean(text, config=Config(ocr=True, language="xx", disabled=OTHER_STAGES))
    assert lexicon("xx") is None
    assert r.text == "the rst author was at Washington State Univer-sity in a two-month stay"


# -- properties ---------------------------------------------------------------------------------
_WORDS = st.sampled_from([
    "Univer", "sity", "signicant", "rst", "nite", "oce", "two", "month", "any", "where",
    "sus", "pected", "Section", "5.", "12", "JONES", "ET", "AL.", "the", "power", "KI",
    "Industriekette", "and", "short", "of", "wireless", "networks.", "中国", "产业链",
])
_SEPS = st.sampled_from([" ", " ", " ", "-\n", "\n", "\n\n", "\f", "- ", ". ", "\n12\n"])
_OCRISH = st.lists(st.tuples(_WORDS, _SEPS), max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_OCRISH)
def test_forced_ocr_is_idempotent_and_replayable(text):
    config = Config(ocr=True, language="en")
    once = clean(text, config=config)
    assert replay(text, once.edits) == once.text
    assert clean(once.text, config=config).text == once.text


_LETTER_CHANGING = frozenset({
    "ocr.drop_running_heads", "ocr.drop_page_numbers", "ocr.restore_dropped_ligatures",
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_OCRISH)
def test_layout_rules_never_add_or_remove_letters_or_digits(text):
    """Reflow, page breaks, hyphen and split joins move white space and hyphens only."""
    config = Config(ocr=True, language="en", disabled=OTHER_STAGES | _LETTER_CHANGING)
    out = clean(text, config=config).text
    assert sorted(ch for ch in out if ch.isalnum()) == sorted(ch for ch in text if ch.isalnum())
