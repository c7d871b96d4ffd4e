"""Page-level golden tests: the five seeds clean exactly as ../shared/SEEDS.md says.

Line numbers are 1-based, as in SEEDS.md. For every listed boilerplate line: it is gone
from the output and was dropped under the expected rule id(s); for every metadata line:
it was lifted under the expected rule id(s) and the metadata holds exactly the expected
values; body lines named here are present verbatim. Seed 002's punctuation defects belong
to the punctuation stage and are not asserted here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cleaners import clean, replay
from cleaners.core.document import METADATA_FIELDS

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"

S000 = "000_a84aef7cf012a7d2"
S001 = "001_70bdca7a8d704a85"
S002 = "002_8294012faee38cb1"
S003 = "003_7f106514c5169790"
S004 = "004_2588aa231c02aec4"
SEEDS = (S000, S001, S002, S003, S004)

#: Expected metadata (``language`` is the pipeline's and is not asserted here).
METADATA = {
    S000: {
        "title": "AI industrial chain spurred on by Sora",
        "subtitle": "Chinese firms may need to pool more resources into research, development of crucial technology",
        "date": "2024-03-06T12:59:31",
        "source": "China Daily",
        "site": "ecns.cn",
        "editor": "Li Yan",
    },
    S001: {"site": "china.org.cn"},
    S002: {"date": "2024-03-11", "credits": ["Ma Xuejing/China Daily"]},
    S003: {
        "title": "KI-Industriekette durch Sora vorangetrieben",
        "date": "2024-03-06T06:00:00",
        "credits": ["© IMAGO / Bihlmayerfotografie"],
    },
    S004: {
        "title": "Is AI China’s critical new productive force?",
        "source": "China Daily",
        "authors": ["Cheng Yu"],
        "site": "pressreader.com",
    },
}

#: Lines that must leave the body: line -> rule ids of the edits on that line (drop or lift).
REMOVED = {
    S000: {
        1: {"metadata.lift_title"},
        3: {"metadata.lift_date", "metadata.lift_source", "metadata.lift_editor",
            "boilerplate.drop_app_prompt"},
        5: {"metadata.lift_subtitle"},
        79: {"boilerplate.drop_related_block"},
        82: {"boilerplate.drop_related_block"},
        84: {"boilerplate.drop_related_block"},
        87: {"boilerplate.drop_nav_bar"},
        88: {"boilerplate.drop_copyright_line"},
        89: {"boilerplate.drop_reproduction_notice"},
        90: {"boilerplate.drop_av_licence", "boilerplate.drop_icp_licence"},
        91: {"boilerplate.drop_public_security_filing", "boilerplate.drop_icp_filing"},
    },
    S001: {16: {"boilerplate.drop_comment_counter"}},
    S002: {1: {"metadata.lift_date"}, 5: {"metadata.lift_credit"}},
    S003: {
        1: {"boilerplate.drop_logo_alt"},
        2: {"boilerplate.drop_pre_title_chrome"},
        4: {"metadata.lift_title"},
        6: {"metadata.lift_date", "metadata.lift_credit"},
        8: {"boilerplate.drop_reading_time"},
        36: {"boilerplate.drop_caption_block"},
        37: {"boilerplate.drop_caption_block"},
    },
    S004: {
        1: {"metadata.lift_source"},
        3: {"metadata.lift_title"},
        5: {"metadata.lift_byline"},
        39: {"boilerplate.drop_aggregator_stamp"},
        41: {"boilerplate.drop_aggregator_stamp"},
    },
}  # fmt: skip

#: Body lines that must come out verbatim (as whole lines, edge white space aside).
KEPT = {
    S000: list(range(7, 78, 2)),  # incl. l.75, which mentions "copyright protection"
    S001: list(range(1, 16)),
    S002: [],  # its body is the punctuation stage's: see tests for that stage
    S003: [10, 12, 16, 18, 20, 24, 28, 30, 32, 39, 41, 45, 49, 51, 53, 55, 57, 61],
    S004: list(range(7, 38, 2)),
}


@cache
def _input(seed: str) -> str:
    return (SEED_DIR / f"{seed}.txt").read_text(encoding="utf-8")


@cache
def _result(seed: str):
    return clean(_input(seed))


def _line_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return spans


def _out_lines(seed: str) -> set[str]:
    return {ln.strip() for ln in _result(seed).text.split("\n")}


REMOVED_CASES = [(s, n, ids) for s in SEEDS for n, ids in REMOVED[s].items()]


@pytest.mark.parametrize(
    "seed,line,rule_ids", REMOVED_CASES, ids=[f"{s[:3]}:l{n}" for s, n, _ in REMOVED_CASES]
)
def test_boilerplate_and_metadata_lines_leave_the_body(seed, line, rule_ids):
    start, end, text = _line_spans(_input(seed))[line - 1]
    assert text.strip(), "SEEDS.md names a non-empty line"
    assert text.strip() not in _out_lines(seed), f"{seed} l.{line} still in the output"
    edits = [e for e in _result(seed).edits if e.start < end and e.end > start]
    assert all(e.action in ("drop", "lift") for e in edits)
    assert {e.rule for e in edits} == rule_ids
    for e in edits:
        want = "lift" if e.rule.startswith("metadata.") else "drop"
        assert e.action == want, (e.rule, e.action)
        assert e.reason, f"{e.rule} edit without a reason"


@pytest.mark.parametrize("seed", SEEDS, ids=[s[:3] for s in SEEDS])
def test_metadata_is_exactly_as_expected(seed):
    meta = _result(seed).metadata
    want = {k: None for k in METADATA_FIELDS if k != "language"} | METADATA[seed]
    assert {k: meta.get(k) for k in want} == want


KEPT_CASES = [(s, n) for s in SEEDS for n in KEPT[s]]


@pytest.mark.parametrize("seed,line", KEPT_CASES, ids=[f"{s[:3]}:l{n}" for s, n in KEPT_CASES])
def test_body_lines_stay_verbatim(seed, line):
    text = _line_spans(_input(seed))[line - 1][2].strip()
    assert text and text in _out_lines(seed), f"{seed} l.{line} lost or changed"


def test_004_body_is_byte_identical():
    lines = _input(S004).split("\n")
    assert _result(S004).text == "\n".join(lines[6:37]) + "\n"


@pytest.mark.parametrize("seed", SEEDS, ids=[s[:3] for s in SEEDS])
def test_only_listed_lines_are_dropped_or_lifted(seed):
    """No other line is dropped or lifted (blank and NBSP-only lines aside)."""
    spans = _line_spans(_input(seed))
    listed = set(REMOVED[seed])
    for e in _result(seed).edits:
        if e.action not in ("drop", "lift"):
            continue
        for n, (s, end, text) in enumerate(spans, 1):
            if s < e.end and end > e.start and text.strip():
                assert n in listed, f"{e.rule} touched l.{n}: {text[:60]!r}"


@pytest.mark.parametrize("seed", SEEDS, ids=[s[:3] for s in SEEDS])
def test_cleaning_is_idempotent(seed):
    once = _result(seed).text
    assert clean(once).text == once


@pytest.mark.parametrize("seed", SEEDS, ids=[s[:3] for s in SEEDS])
def test_edits_replay_to_the_output(seed):
    r = _result(seed)
    assert replay(_input(seed), r.edits) == r.text


@pytest.mark.parametrize("seed", SEEDS, ids=[s[:3] for s in SEEDS])
def test_no_review_entries_from_these_stages(seed):
    """The seeds are clear cases: nothing for a human to decide in header or footer."""
    assert not [r for r in _result(seed).review if r.rule.startswith(("metadata.", "boilerplate."))]
