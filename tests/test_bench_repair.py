"""benchmarks/repair.py: the scoring on tiny in-memory cases, so that its figures can fail."""

from __future__ import annotations

import json

import pytest

from benchmarks import repair

REPAIR = repair.Case("punctuation", "collapse_doubled_period", "doubled",
                     "which sent ripples through the industry . .",
                     "which sent ripples through the industry.")
LEAVE = repair.Case("punctuation", "negative", "curly quotes",
                    "“Such a gap can be closed,” said Zhou.",
                    "“Such a gap can be closed,” said Zhou.")
GAP = repair.Case("decode", "drop_quote_backslash", "gap", "a \\”b\\”", "a “b”", expect="fail")
CASES = [REPAIR, LEAVE, GAP]


def _identity(case: repair.Case) -> str:
    return case.original


def _oracle(case: repair.Case) -> str:
    return case.expected


def _boom(case: repair.Case) -> str:
    raise RuntimeError("peer crashed")


def test_kinds():
    assert [c.kind for c in CASES] == ["repair", "leave", "gap"]


def test_identity_fails_repairs_and_keeps_look_alikes():
    s = repair.score(CASES, {"same": _identity, "oracle": _oracle, "boom": _boom})
    cell = s.cells[("punctuation", "repair")]
    assert (cell["same"].correct, cell["same"].n) == (0, 1)
    assert cell["oracle"].accuracy == 1.0
    leave = s.cells[("punctuation", "leave")]
    assert leave["same"].accuracy == 1.0 and leave["boom"].accuracy == 0.0
    assert s.false_edits == {"same": 0, "oracle": 0, "boom": 1}
    assert s.cells[("all", "gap")]["oracle"].n == 1
    assert [o.case.id for o in s.wrong("same")] == [REPAIR.id, GAP.id]
    # "beaten" lists the cases another system gets right and this one does not
    assert [c.id for c, who in s.beaten("same")] == [REPAIR.id, GAP.id]


def test_render_and_json_show_the_counts():
    s = repair.score(CASES, {"scrubline": _identity, "oracle": _oracle})
    text = repair.render(s, verbose=True)
    assert "| punctuation | must repair | 1 | 0/1 (0%) | 1/1 (100%) |" in text
    assert "known gap" in text and "scrubline: 2 wrong" in text
    data = repair.as_json(s, {})
    assert data["false_edits"] == {"scrubline": 0, "oracle": 0}
    assert [w["case"] for w in data["peer_wins"]] == [REPAIR.id, GAP.id]
    json.dumps(data)


def test_case_files_load():
    cases = repair.load_cases(("punctuation",))
    assert cases and {c.kind for c in cases} >= {"repair", "leave"}


def test_scrubline_runs_a_case_as_the_runner_does():
    run = repair.scrubline_system()
    assert run(REPAIR) == REPAIR.expected
    assert run(LEAVE) == LEAVE.original


def test_moses_keeps_lines_and_their_outer_whitespace():
    pytest.importorskip("sacremoses")
    assert repair.moses_normalize("  a ( b ) .\n\nc ;d  ", "en") == "  a (b).\n\nc;d  "
    s = repair.score([REPAIR, LEAVE], {"moses": repair.moses_system("en")})
    assert s.false_edits["moses"] == 1  # uncurls the quotes of the look-alike
    assert s.cells[("punctuation", "repair")]["moses"].correct == 0
