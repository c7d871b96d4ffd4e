"""TrackedText: edits from any sequence of rules replay exactly on the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.core.document import Change, replay
from cleaners.core.tracked import TrackedText, splice


@st.composite
def rounds(draw):
    """An original text and several rounds of non-overlapping changes."""
    original = draw(st.text(alphabet="ab. \n", max_size=25))
    steps = []
    length = len(original)
    for r in range(draw(st.integers(1, 5))):
        points = sorted(draw(st.lists(st.integers(0, length), max_size=6, unique=True)))
        changes = []
        for a, b in zip(points[0::2], points[1::2]):
            if draw(st.booleans()) and draw(st.booleans()):
                b = a
            after = draw(st.text(alphabet="xy", max_size=2))
            changes.append(Change(a, b, after, f"stage.rule{r}"))
        # two insertions at one point are refused; keep the first
        seen = set()
        unique = []
        for c in changes:
            if c.start == c.end and c.start in seen:
                continue
            seen.add(c.start)
            unique.append(c)
        steps.append(unique)
        # the next round's offsets are into the text after this round
        text = original
        for s in steps:
            text = splice(text, s)
        length = len(text)
    return original, steps


@settings(max_examples=1500, deadline=None)
@given(rounds())
def test_edits_replay_to_the_current_text(case):
    original, steps = case
    tracked = TrackedText(original)
    plain = TrackedText(original, record=False)
    expected = original
    for changes in steps:
        tracked.apply(changes)
        plain.apply(changes)
        expected = splice(expected, changes)
        assert tracked.text == expected
        assert plain.text == expected
        assert replay(original, tracked.edits()) == expected


def test_overlapping_changes_merge_and_name_both_rules():
    t = TrackedText("a . . b")
    t.apply([Change(1, 5, " .", "punct.first")])
    t.apply([Change(1, 3, ".", "punct.second")])
    (edit,) = t.edits()
    assert t.text == "a. b"
    assert (edit.rule, edit.merged, edit.before, edit.after) == (
        "punct.second",
        ("punct.first",),
        " . .",
        ".",
    )


def test_to_original_maps_through_earlier_edits():
    t = TrackedText("xx  yy")
    t.apply([Change(2, 4, " ", "normalize.collapse_spaces")])
    assert t.text == "xx yy"
    assert t.to_original(3, 5) == (4, 6)
    assert t.to_original(0, 2) == (0, 2)


def test_overlapping_changes_in_one_call_are_refused():
    t = TrackedText("abcdef")
    try:
        t.apply([Change(0, 3, "", "r.a"), Change(2, 4, "", "r.b")])
    except ValueError as exc:
        assert "overlapping" in str(exc)
    else:
        raise AssertionError("overlap was accepted")
