"""`scrubline diff`: views built from the edits, exact on the seeds, safe on a terminal.

The seed outputs are exact snapshots in tests/snapshots/. The rules for the seeds are still
being merged, so after a rule change regenerate them and review the diff:

    UPDATE_SNAPSHOTS=1 python -m pytest tests/inspect/test_diff.py tests/inspect/test_explain.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.cli import main
from cleaners.core.document import Edit, replay
from cleaners.inspect.diff import render_inline, render_side_by_side
from cleaners.inspect.rows import build_rows
from cleaners.inspect.terminal import to_plain, visible
from cleaners.inspect.unified import render_unified, split_lines
from cleaners.inspect.view import DocView, find_sidecar, load_input, load_sidecar, unreplay

from ..conftest import ROOT

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
SEEDS = {
    "000": ROOT / "seeds" / "000_a84aef7cf012a7d2.txt",
    "002": ROOT / "seeds" / "002_8294012faee38cb1.txt",
}
#: Views of `scrubline diff` with their snapshot suffix and extra arguments.
VIEWS = {
    "inline": ("txt", []),
    "side_by_side": ("txt", ["--side-by-side", "--width", "120"]),
    "unified": ("diff", ["--unified"]),
}


def assert_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/<name>; with UPDATE_SNAPSHOTS=1 write it instead."""
    path = SNAPSHOTS / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {name}: run UPDATE_SNAPSHOTS=1 python -m pytest tests/"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs from the snapshot; if the change is intended, regenerate with "
        "UPDATE_SNAPSHOTS=1 python -m pytest tests/inspect/test_diff.py tests/inspect/test_explain.py "
        "and review the diff of tests/snapshots/"
    )


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _no_colour_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


# -- snapshots -----------------------------------------------------------------------------


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_diff_matches_snapshot(capsys, seed, view):
    ext, extra = VIEWS[view]
    code, out, err = run_cli(capsys, "diff", str(SEEDS[seed]), *extra)
    assert code == 0, err
    assert "\x1b[" not in out, "no colour when stdout is not a terminal"
    assert_snapshot(f"diff_{seed}_{view}.{ext}", out)


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_diff_from_output_folder_equals_diff_on_the_fly(capsys, seed, view):
    _, extra = VIEWS[view]
    _, fresh, _ = run_cli(capsys, "diff", str(SEEDS[seed]), *extra)
    code, stored, err = run_cli(
        capsys, "diff", str(SEEDS[seed]), "--out", str(ROOT / "cleaned"), *extra
    )
    assert code == 0, err
    assert err == "", "cleaned/ holds this very input: no stale note"
    assert stored == fresh


def test_a_sidecar_given_as_the_document_shows_what_was_recorded(capsys):
    """`scrubline diff cleaned/X.json` shows the cleaned document, not the sidecar's JSON
    cleaned as if it were text."""
    sidecar = next((ROOT / "cleaned").glob("000_*.json"))
    _, fresh, _ = run_cli(capsys, "diff", str(SEEDS["000"]))
    code, shown, err = run_cli(capsys, "diff", str(sidecar))
    assert code == 0, err
    assert shown == fresh and '"pipeline_version"' not in shown


# -- the model -----------------------------------------------------------------------------

SAMPLE = "Title line\n\nBody. . text\n\nFooter one\nFooter two"


def sample_view() -> DocView:
    edits = (
        Edit("metadata.lift_title", "lift", 0, 11, "Title line\n", ""),
        Edit("punctuation.collapse_double_period", "replace", 17, 19, " .", "", "doubled"),
        Edit("boilerplate.drop_footer", "drop", 25, 47, "\nFooter one\nFooter two", ""),
    )
    return DocView("s", "s.txt", "text", SAMPLE, replay(SAMPLE, list(edits)), edits)


def test_rows_mark_lifted_dropped_and_changed_lines():
    rows = build_rows(sample_view())
    assert [(r.kind, r.src, r.out) for r in rows] == [
        ("lift", 1, None),
        ("same", 2, 1),
        ("change", 3, 2),
        ("drop", 4, None),  # the blank line before the footer goes with it
        ("drop", 5, None),
        ("drop", 6, None),
    ]
    assert rows[2].left == [("Body.", "same", -1), (" .", "del", 1), (" text", "same", -1)]
    assert rows[2].right == [("Body.", "same", -1), (" text", "same", -1)]


def test_inline_view_shows_rule_ids_and_markers():
    out = to_plain(render_inline(sample_view(), context=-1))
    lines = out.splitlines()
    assert "^     1 │ Title line  ⟨metadata.lift_title⟩" in lines
    assert "~     3 │ Body.[- .-] text  ⟨punctuation.collapse_double_period⟩" in lines
    assert "-     4 │   ⟨boilerplate.drop_footer⟩" in lines
    assert "-     5 │ Footer one  ⟨boilerplate.drop_footer⟩" in lines
    assert "-     6 │ Footer two  ⟨boilerplate.drop_footer⟩" in lines


def test_inline_view_keeps_context_and_marks_gaps():
    text = "".join(f"line {i}\n" for i in range(1, 21))
    e = Edit("x.y", "replace", text.index("line 10"), text.index("line 10") + 4, "line", "LINE")
    view = DocView("d", "d", "text", text, replay(text, [e]), (e,))
    out = to_plain(render_inline(view, context=1))
    assert "@@ 8 unchanged lines @@" in out
    assert "      9 │ line 9" in out and "     11 │ line 11" in out
    assert "line 8\n" not in out and "line 12" not in out
    assert "@@ 9 unchanged lines after line 11 @@" in out


def test_side_by_side_fits_the_width_and_keeps_both_sides():
    from rich.cells import cell_len

    view = load_input(SEEDS["002"])
    for width in (60, 100, 140):
        out = to_plain(render_side_by_side(view, width=width, context=-1))
        for line in out.splitlines()[3:]:
            if not line.startswith("@@"):
                assert cell_len(line) <= width, line
    # Every input line shows on the left: their words all appear.
    out = to_plain(render_side_by_side(view, width=200, context=-1))
    assert "Ma Xuejing/China Daily" in out


def test_side_by_side_wraps_wide_cjk_characters_by_cells():
    text = "中文" * 40 + "\n"
    e = Edit("x.y", "replace", 0, 2, "中文", "汉语")
    view = DocView("d", "d", "text", text, replay(text, [e]), (e,))
    from rich.cells import cell_len

    for line in to_plain(render_side_by_side(view, width=70)).splitlines()[3:]:
        assert cell_len(line) <= 70


def test_terminal_escape_sequences_in_a_document_are_shown_not_sent():
    text = "evil \x1b[2J\x1b]0;title\x07 line\u202e  \nnext\n"
    e = Edit("normalize.strip_line_space", "replace", text.index("  \n"), text.index("  \n") + 2,
             "  ", "")
    view = DocView("d", "d", "text", text, replay(text, [e]), (e,))
    for lines in (render_inline(view), render_side_by_side(view, width=120),
                  render_unified(view, raw=False)):
        out = to_plain(lines)
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "<U+001B>" in out


def test_visible_marks_whitespace_only_in_changed_spans():
    assert visible(" \u00a0\t\n", span=True) == "·⍽⇥⏎"
    assert visible("a b", span=True) == "a b"
    assert visible("a\u200bb") == "a<U+200B>b"


def test_unified_diff_applies_to_the_seeds():
    for path in SEEDS.values():
        view = load_input(path)
        assert apply_unified(view.source, to_plain(render_unified(view))) == view.output


def test_unified_diff_names_rules_in_hunk_headers():
    out = to_plain(render_unified(sample_view(), context=0))
    headers = [ln for ln in out.splitlines() if ln.startswith("@@")]
    assert headers == [
        "@@ -1 +0,0 @@ metadata.lift_title",
        # adjacent changes share a hunk, as in `diff -U0`
        "@@ -3,4 +2 @@ punctuation.collapse_double_period, boilerplate.drop_footer",
    ]
    assert apply_unified(SAMPLE, out) == sample_view().output


def apply_unified(source: str, patch: str) -> str:
    """Apply a unified diff to ``source`` (a small strict ``patch``; context must match)."""
    lines = split_lines(source)
    out: list[str] = []
    pos = 0
    rows = patch.split("\n")
    i = next(k for k, row in enumerate(rows) if row.startswith("+++ ")) + 1
    while i < len(rows) and rows[i]:
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", rows[i])
        assert m, rows[i]
        first, count = int(m.group(1)), int(m.group(2) or 1)
        start = first - 1 if count else first
        out += lines[pos:start]
        pos = start
        i += 1
        while i < len(rows) and rows[i] and not rows[i].startswith("@@"):
            row = rows[i]
            no_newline = i + 1 < len(rows) and rows[i + 1].startswith("\\ No newline")
            text = row[1:] + ("" if no_newline else "\n")
            if row[0] in " -":
                assert lines[pos] == text, f"context mismatch at line {pos + 1}"
                pos += 1
            if row[0] in " +":
                out.append(text)
            i += 2 if no_newline else 1
    return "".join(out + lines[pos:])


_ALPHABET = st.sampled_from(["a", "b c", " ", "  ", "\n", "\n\n", ". .", "\u00a0", "\r", "中"])


@st.composite
def documents_with_edits(draw):
    source = "".join(draw(st.lists(_ALPHABET, max_size=30)))
    edits = []
    pos = 0
    while pos <= len(source) and draw(st.booleans()):
        start = draw(st.integers(pos, len(source)))
        end = draw(st.integers(start, min(len(source), start + 6)))
        after = draw(st.sampled_from(["", "", "\n", "\n\n", "X", " "]))
        if start == end and not after:
            break
        action = draw(st.sampled_from(["drop", "lift", "replace"])) if not after else "replace"
        rule = draw(st.sampled_from(["t.one", "t.two"]))
        edits.append(Edit(rule, action, start, end, source[start:end], after))
        pos = end + 1
    return source, edits


@settings(max_examples=300, deadline=None)
@given(documents_with_edits(), st.integers(0, 3))
def test_views_of_any_edits_are_exact(doc, context):
    source, edits = doc
    output = replay(source, edits)
    view = DocView("d", "d", "text", source, output, tuple(edits))
    assert unreplay(output, edits) == source
    assert apply_unified(source, to_plain(render_unified(view, context=context))) == output
    rows = build_rows(view)
    assert [r.src for r in rows] == sorted(r.src for r in rows)
    assert {i for r in rows for i in r.edits} == set(range(len(edits)))
    for rule in ("t.one", "t.two"):
        only = view.only([rule])
        assert apply_unified(source, to_plain(render_unified(only))) == only.output


def test_unreplay_rebuilds_every_committed_input():
    for sidecar in sorted((ROOT / "cleaned").glob("*.json")):
        view = load_sidecar(sidecar)
        assert view.source == (ROOT / "seeds" / view.name).read_text("utf-8")


def test_unreplay_refuses_a_body_that_does_not_match():
    e = Edit("x.y", "replace", 0, 1, "a", "b")
    with pytest.raises(ValueError, match="does not match"):
        unreplay("c", [e])


# -- the command ---------------------------------------------------------------------------


def test_rule_filter_shows_only_that_rule(capsys):
    view = load_input(SEEDS["000"])
    rule = sorted({e.rule for e in view.edits})[0]
    code, out, _ = run_cli(capsys, "diff", str(SEEDS["000"]), "--rule", rule, "--unified")
    assert code == 0
    ids = set()
    for header in re.findall(r"^@@ .*? @@ (.*)$", out, flags=re.M):
        ids.update(header.split(", "))
    assert ids == {rule}
    subset = view.only([rule])
    assert apply_unified(view.source, out.split("\n", 1)[1]) == subset.output


def test_rule_filter_takes_a_stage_id(capsys):
    code, out, _ = run_cli(capsys, "diff", str(SEEDS["000"]), "--rule", "normalize")
    assert code == 0 and "normalize." in out


def test_unknown_rule_is_a_usage_error(capsys):
    code, _, err = run_cli(capsys, "diff", str(SEEDS["000"]), "--rule", "nope.nothing")
    assert code == 2 and "nope.nothing" in err


def test_missing_input_is_a_usage_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "diff", str(tmp_path / "missing.txt"))
    assert code == 2 and "not found" in err
    code, _, err = run_cli(capsys, "diff", "nothing-like-this", "--out", str(ROOT / "cleaned"))
    assert code == 2 and "no sidecar" in err


def test_colour_only_when_asked_or_on_a_terminal(capsys, monkeypatch):
    from cleaners.cli.inspect import use_color

    class Tty:
        def isatty(self):
            return True

    assert use_color("auto", Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color("auto", object()) is False
    assert use_color("never", Tty()) is False
    code, out, _ = run_cli(capsys, "diff", str(SEEDS["000"]), "--color", "always")
    assert code == 0 and "\x1b[" in out
    assert "[-" not in out, "colour replaces the [- -] markers"


def test_finds_a_sidecar_by_id_input_path_or_file(tmp_path):
    out = ROOT / "cleaned"
    by_id = find_sidecar(out, "000_a84aef7cf012a7d2")
    assert by_id == out / "000_a84aef7cf012a7d2.json"
    assert find_sidecar(out, str(SEEDS["000"])) == by_id
    assert find_sidecar(out, str(by_id)) == by_id
    with pytest.raises(LookupError):
        find_sidecar(out, "999_missing")


def test_stale_output_folder_gets_a_note(capsys, tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    doc = inp / "a.txt"
    doc.write_text("First.\n\n\nSecond.\n", encoding="utf-8")
    assert main(["clean", str(inp), "--out", str(tmp_path / "out"), "-q"]) == 0
    doc.write_text("Changed.\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "diff", str(doc), "--out", str(tmp_path / "out"))
    assert code == 0 and "changed since it was cleaned" in err
    assert "Second." in out, "shows what the output folder holds"


def test_a_body_changed_after_cleaning_is_refused(capsys, tmp_path):
    out = tmp_path / "out"
    assert main(["clean", str(SEEDS["000"]), "--out", str(out), "-q"]) == 0
    body = out / "000_a84aef7cf012a7d2.txt"
    body.write_text(body.read_text("utf-8") + "edited by hand\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "diff", "000_a84aef7cf012a7d2", "--out", str(out))
    assert code == 1 and "changed after it was cleaned" in err


def test_html_input_is_diffed_on_its_extracted_text(capsys, tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><body><p>  One paragraph.  </p><p>Two &lt;b&gt;</p></body></html>", "utf-8"
    )
    view = load_input(page)
    assert view.fmt == "html" and "<p>" not in view.source
    assert replay(view.source, list(view.edits)) == view.output
    code, out, _ = run_cli(capsys, "diff", str(page), "--unified")
    assert code == 0
    assert apply_unified(view.source, out) == view.output


def test_a_folder_is_not_a_document(capsys, tmp_path):
    code, _, err = run_cli(capsys, "diff", str(tmp_path))
    assert code == 2 and "folder" in err
