"""Stage ``metadata``: real cases from tests/cases/metadata and the header reader's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import Config, clean, replay
from cleaners.core.state import DocState
from cleaners.stages.metadata import lift_fields
from cleaners.stages.metadata.fields import iso_date, parse_dateline
from cleaners.rules.metadata import DATELINE_TABLE

CASE_DIR = Path(__file__).resolve().parent.parent / "cases" / "metadata"
STAGE = "metadata."


def _cases():
    for path in sorted(CASE_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            marks = [pytest.mark.xfail(strict=True)] if case["expect"] == "fail" else []
            yield pytest.param(path.stem, case, id=f"{path.stem}:{case['label']}", marks=marks)


@pytest.mark.parametrize("kind,case", list(_cases()))
def test_case(kind, case):
    r = clean(case["original"])
    assert r.text == case["expected"]
    fired = {e.rule for e in r.edits}
    missing = set(case.get("rules", ())) - fired
    assert not missing, f"rules that did not fire: {sorted(missing)}"
    for key, value in case.get("metadata", {}).items():
        assert r.metadata[key] == value, key
    for e in r.edits:
        if e.rule.startswith(STAGE):
            assert e.action == "lift" and e.reason
    if kind == "negative":
        assert not [e for e in r.edits if e.rule.startswith(STAGE)]
    assert replay(case["original"], r.edits) == r.text
    assert clean(r.text).text == r.text


BODY = (
    "China's artificial intelligence industrial chains, including computing power, cloud "
    "servers and data centers, are expected to usher in unprecedented development "
    "opportunities amid a worldwide frenzy around Sora, experts said."
)
DATELINE = "2024-03-06 12:59:31China Daily Editor : Li Yan ECNS App Download"


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2024-03-06 12:59:31", "2024-03-06T12:59:31"),
        ("March 6, 2024 um 06:00 AM", "2024-03-06T06:00:00"),
        ("6 March 2024, 12:30 PM", "2024-03-06T12:30:00"),
        ("6. März 2024", "2024-03-06"),
        ("06.03.2024 14:05 Uhr", "2024-03-06T14:05:00"),
        ("2024年3月6日", "2024-03-06"),
        ("Friday, November 14, 2025", "2025-11-14"),
        ("2024-03-06 12:59 UTC+8", "2024-03-06T12:59:00+08:00"),
        ("2024-02-30", None),
    ],
)
def test_dates_become_iso_without_invented_timezones(text, iso):
    m = DATELINE_TABLE[0].regex.search(text)
    assert (iso_date(m) if m else None) == iso


def test_glued_app_prompt_is_left_for_the_boilerplate_stage():
    fields, end = parse_dateline(DATELINE)
    assert DATELINE[end:] == "ECNS App Download"
    assert [DATELINE[f.start : f.end] for f in fields] == ["2024-03-06 12:59:31", "China Daily ", "Editor : Li Yan "]


def test_disabled_field_stays_in_the_text():
    text = "\n\n".join(["AI industrial chain spurred on by Sora", DATELINE, BODY])
    cfg = Config(disabled=frozenset({"metadata.lift_editor"}))
    r = clean(text, config=cfg)
    assert r.metadata["editor"] is None and r.metadata["date"] == "2024-03-06T12:59:31"
    # the line stays in the body (the punctuation stage may still repair `Editor :`)
    assert "Li Yan" in r.text and "Editor" in r.text


def test_rival_title_above_keeps_the_lines_and_flags():
    # two title-shaped lines above the dateline: the nearer is the title, the other is kept
    text = "\n\n".join(["Technology news of the week", "AI industrial chain spurred on by Sora", DATELINE, BODY])
    r = clean(text)
    assert r.metadata["title"] == "AI industrial chain spurred on by Sora"
    assert "Technology news of the week" in r.text
    assert [x.rule for x in r.review] == ["metadata.lift_title"]


def test_language_is_left_to_the_pipeline():
    text = "\n\n".join(["AI industrial chain spurred on by Sora", DATELINE, BODY])
    doc = DocState.for_text(text)
    list(lift_fields(text, doc))
    assert doc.metadata["title"] and doc.metadata["language"] is None


def test_stage_function_is_total_on_odd_text():
    for text in ["", "\n", "- By", "2024-99-99", "© /", "By A\n\nBy B", "x" * 5000, "\u00a0\n2024-03-06"]:
        list(lift_fields(text, DocState.for_text(text)))
