"""`scrubline explain` and `scrubline rules`: every edit and review entry, and rule hits.

Snapshots of the seeds are regenerated with
`UPDATE_SNAPSHOTS=1 python -m pytest tests/inspect/test_diff.py tests/inspect/test_explain.py`.
"""

from __future__ import annotations

import json

import pytest

from cleaners.core.document import Edit, Review, replay
from cleaners.core.registry import RULES
from cleaners.inspect.explain import explain_data, render_explain_plain
from cleaners.inspect.view import DocView, load_input

from ..conftest import ROOT
from .test_diff import SEEDS, assert_snapshot, run_cli


@pytest.fixture(autouse=True)
def _no_colour_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_explain_matches_snapshot(capsys, seed):
    code, out, err = run_cli(capsys, "explain", str(SEEDS[seed]))
    assert code == 0, err
    assert "\x1b[" not in out
    assert_snapshot(f"explain_{seed}.txt", out)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_explain_json_matches_snapshot(capsys, seed):
    code, out, err = run_cli(capsys, "explain", str(SEEDS[seed]), "--json")
    assert code == 0, err
    data = json.loads(out)
    view = load_input(SEEDS[seed])
    assert len(data["edits"]) == len(view.edits)
    assert_snapshot(f"explain_{seed}.json", out)


def test_json_from_output_folder_equals_json_on_the_fly(capsys):
    _, fresh, _ = run_cli(capsys, "explain", str(SEEDS["002"]), "--json")
    _, stored, _ = run_cli(
        capsys, "explain", "002_8294012faee38cb1", "--out", str(ROOT / "cleaned"), "--json"
    )
    assert json.loads(stored)["edits"] == json.loads(fresh)["edits"]


TEXT = "Head\nA line , here.\nOne more line\n"


def view_with_review() -> DocView:
    comma = TEXT.index(" ,")
    edits = (
        Edit("metadata.lift_title", "lift", 0, 5, "Head\n", ""),
        Edit("punctuation.remove_space_before_comma", "replace", comma, comma + 1, " ", "",
             "space before a comma"),
    )
    review = (
        Review("punctuation.flag_repeated_word", TEXT.index("One"), TEXT.index("One") + 3,
               "One", "maybe a repeated word", "one"),
    )
    return DocView("r", "r.txt", "text", TEXT, replay(TEXT, list(edits)), edits, review)


def test_explain_lists_line_before_after_and_reason():
    data = explain_data(view_with_review())
    assert [(e["rule"], e["action"], e["line"], e["before"], e["after"]) for e in data["edits"]] \
        == [
            ("metadata.lift_title", "lift", 1, "Head\n", ""),
            ("punctuation.remove_space_before_comma", "replace", 2, " ", ""),
        ]
    assert data["edits"][1]["reason"] == "space before a comma"
    assert data["review"] == [
        {"rule": "punctuation.flag_repeated_word", "line": 3, "start": 20, "end": 23,
         "text": "One", "reason": "maybe a repeated word", "suggestion": "one"}
    ]


def test_plain_table_shows_review_entries_and_visible_whitespace():
    out = render_explain_plain(explain_data(view_with_review()))
    lines = out.splitlines()
    assert lines[0] == "explain r (text): 2 edits, 1 review entry"
    assert lines[2].split() == ["rule", "action", "line", "before", "after", "reason"]
    assert any(ln.split()[:5] == ['punctuation.remove_space_before_comma', 'replace', '2',
                                  '"·"', '""'] for ln in lines)
    assert any('"Head⏎"' in ln for ln in lines)
    assert "review entries (not changed; a person decides):" in lines
    assert any(ln.split()[:4] == ["punctuation.flag_repeated_word", "3", '"One"', '"one"']
               for ln in lines)


def test_reason_falls_back_to_the_rule_description():
    rid = next(iter(RULES))
    e = Edit(rid, "replace", 0, 1, "a", "b")
    data = explain_data(DocView("d", "d", "text", "a", "b", (e,)))
    assert data["edits"][0]["description"] == RULES[rid].description
    assert RULES[rid].description in render_explain_plain(data)


def test_long_spans_are_clipped_in_the_table_not_in_json():
    text = "x" * 200 + "\n"
    e = Edit("boilerplate.drop_footer", "drop", 0, 201, text, "")
    data = explain_data(DocView("d", "d", "text", text, "", (e,)))
    assert data["edits"][0]["before"] == text
    out = render_explain_plain(data)
    assert "x" * 39 + "…" in out and "x" * 41 not in out


def test_explain_rule_filter(capsys):
    view = load_input(SEEDS["000"])
    rule = sorted({e.rule for e in view.edits})[-1]
    code, out, _ = run_cli(capsys, "explain", str(SEEDS["000"]), "--rule", rule, "--json")
    assert code == 0
    assert {e["rule"] for e in json.loads(out)["edits"]} == {rule}


def test_explain_in_colour_is_a_table(capsys):
    code, out, _ = run_cli(capsys, "explain", str(SEEDS["000"]), "--color", "always")
    assert code == 0 and "\x1b[" in out and "rule" in out


# -- rules ---------------------------------------------------------------------------------


def test_rules_counts_hits_of_the_last_run(capsys):
    code, out, _ = run_cli(capsys, "rules", "--out", str(ROOT / "cleaned"), "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(RULES) <= set(rows)
    expected: dict[str, list[int]] = {}
    for sidecar in (ROOT / "cleaned").glob("*.json"):
        for rid, n in json.loads(sidecar.read_text("utf-8"))["stats"]["edits_per_rule"].items():
            hits = expected.setdefault(rid, [0, 0])
            hits[0] += n
            hits[1] += 1
    for rid, row in rows.items():
        assert [row["hits"], row["documents"]] == expected.get(rid, [0, 0]), rid


def test_rules_ignores_outputs_not_in_the_last_run(capsys, tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("One.\n\n\n\nTwo.", encoding="utf-8")
    (inp / "b.txt").write_text("Three.\n\n\n\nFour.", encoding="utf-8")
    out = tmp_path / "out"
    from cleaners.cli import main

    assert main(["clean", str(inp), "--out", str(out), "-q"]) == 0
    (inp / "b.txt").unlink()
    assert main(["clean", str(inp), "--out", str(out), "-q"]) == 0  # b.json stays behind
    code, text, _ = run_cli(capsys, "rules", "--out", str(out), "--json")
    rows = {r["id"]: r for r in json.loads(text)}
    assert rows["normalize.collapse_blank_lines"]["documents"] == 1


def test_rules_lists_unknown_ids_found_in_outputs(capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    sidecar = {"id": "x", "source_path": "x.txt", "edits": [
        {"rule": "boilerplate.retired_rule", "action": "drop", "start": 0, "end": 2,
         "before": "a\n", "after": ""}], "review": []}
    (out / "x.json").write_text(json.dumps(sidecar), encoding="utf-8")
    (out / "x.txt").write_text("", encoding="utf-8")
    code, text, _ = run_cli(capsys, "rules", "--out", str(out))
    assert code == 0
    line = next(ln for ln in text.splitlines() if ln.startswith("boilerplate.retired_rule"))
    assert line.split()[1:5] == ["?", "1", "1", "0"]


def test_rules_without_outputs_has_no_hit_columns(capsys):
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "category", "description"]


def test_rules_on_a_missing_folder_is_a_usage_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "rules", "--out", str(tmp_path / "nope"))
    assert code == 2 and "not an output folder" in err
