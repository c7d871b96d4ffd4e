"""Walk tests/cases/<stage>/*.json for the punctuation and decode stages (schema: README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import Config, clean, replay
from cleaners.core.pipeline import STAGES
from cleaners.core.registry import RULES

CASES_DIR = Path(__file__).parent.parent / "cases"
STAGES_WITH_CASES = ("punctuation", "decode")
KEYS = {"label", "comment", "source", "original", "expected", "expect"}


def _files(stage: str) -> list[Path]:
    return sorted((CASES_DIR / stage).glob("*.json"))


def _params() -> list[pytest.ParameterSet]:
    params = []
    for stage in STAGES_WITH_CASES:
        for path in _files(stage):
            for case in json.loads(path.read_text(encoding="utf-8")):
                marks = [pytest.mark.xfail(strict=True)] if case.get("expect") == "fail" else []
                params.append(
                    pytest.param(stage, path.stem, case, marks=marks,
                                 id=f"{stage}/{path.stem}/{case.get('label')}")
                )
    return params


def only(stage: str) -> Config:
    """A config that runs one stage of the pipeline and nothing else."""
    return Config(disabled=frozenset(s.id for s in STAGES if s.id != stage))


@pytest.mark.parametrize(("stage", "name", "case"), _params())
def test_case(stage, name, case):
    result = clean(case["original"], config=only(stage))
    assert result.text == case["expected"]
    assert replay(result.source_text, result.edits) == result.text
    rule_id = f"{stage}.{name}"
    if name == "negative":
        assert result.edits == []
    elif name.startswith("flag_"):
        assert any(r.rule == rule_id for r in result.review), "the flag rule raised no review entry"
    elif case["original"] != case["expected"]:
        fired = {e.rule for e in result.edits} | {m for e in result.edits for m in e.merged}
        assert rule_id in fired, f"{rule_id} did not take part; edits by {sorted(fired)}"


@pytest.mark.parametrize("stage", STAGES_WITH_CASES)
def test_case_files_follow_the_schema(stage):
    files = _files(stage)
    assert files, f"no case files for {stage}"
    for path in files:
        cases = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(cases, list) and cases, path.name
        labels = [c["label"] for c in cases]
        assert len(labels) == len(set(labels)), f"{path.name}: duplicate labels"
        for c in cases:
            assert set(c) == KEYS, f"{path.name}: {c.get('label')}: keys {sorted(c)}"
            assert c["expect"] in ("pass", "fail")
            assert all(isinstance(c[k], str) for k in KEYS)
            assert c["source"], f"{path.name}: {c['label']}: cite a source"
        assert path.stem == "negative" or f"{stage}.{path.stem}" in RULES, path.name


@pytest.mark.parametrize("stage", STAGES_WITH_CASES)
def test_every_rule_has_cases_and_a_negative_file(stage):
    stems = {p.stem for p in _files(stage)}
    assert "negative" in stems
    stage_obj = next(s for s in STAGES if s.id == stage)
    # whitespace rules: covered by their doctests and tests/stages/test_decode.py
    exempt = {"decode.normalize_newlines", "decode.normalize_revealed_newlines",
              "punctuation.repeat_until_stable"}  # re-runs the others; tested in test_punctuation
    exempt |= set(stage_obj.entry_rules)  # decided on bytes, not text: tests/io/test_charsets.py
    missing = [rid for rid in stage_obj.rule_ids
               if rid not in exempt and rid.split(".", 1)[1] not in stems]
    assert not missing, f"rules without a case file: {missing}"
