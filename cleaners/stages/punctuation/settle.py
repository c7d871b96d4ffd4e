"""Punctuation fixed point: run the repairs again on the lines they changed.

Enters: the text after the repairs (:data:`REPAIRS`) and the document state. Leaves:
changes that bring each changed line to a fixed point of the repairs, each under the id of
the repair that made it. Which lines changed is read from the stage's input,
``doc.stage_input`` (the runner records it before the stage's first step; see
:func:`_changed_from`).
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.core.tracked import TrackedText
from cleaners.stages.punctuation.common import SETTLE_ROUNDS_DEFAULT, apply_rule
from cleaners.stages.punctuation.marks import (
    collapse_doubled_comma,
    collapse_doubled_period,
    convert_fullwidth_in_latin,
    drop_comma_before_period,
)
from cleaners.stages.punctuation.quotes import (
    match_quote_pair,
    move_space_outside_quote,
    remove_space_before_closing_quote,
    replace_double_apostrophe_quotes,
)
from cleaners.stages.punctuation.spacing import (
    drop_duplicate_attribution,
    insert_space_after_sentence_end,
    remove_space_before_punct,
)

#: The repairs, in the order they run (the fixed point and the flags follow them).
REPAIRS = (
    collapse_doubled_period,
    collapse_doubled_comma,
    drop_comma_before_period,
    convert_fullwidth_in_latin,
    replace_double_apostrophe_quotes,
    match_quote_pair,
    move_space_outside_quote,
    remove_space_before_closing_quote,
    remove_space_before_punct,
    insert_space_after_sentence_end,
    drop_duplicate_attribution,
)


class _QuietDoc(DocState):
    """The document's state for a re-run: same config and language; no new flags (the first
    run raised them) and scratch marks."""

    __slots__ = ("_parent",)

    def __init__(self, doc: DocState) -> None:
        super().__init__(TrackedText(""), config=doc.config, fmt=doc.fmt)
        self._parent = doc

    @property
    def language(self) -> str | None:
        return self._parent.language

    def flag(self, *args: object, **kwargs: object) -> None:
        return None


@rule("punctuation.repeat_until_stable", category="punctuation")
def repeat_until_stable(text: str, doc: DocState) -> Iterator[Change]:
    """Run the repairs again until they change nothing (at most SETTLE_ROUNDS_DEFAULT rounds).

    One repair can set up another that ran before it: a fullwidth ``）`` becomes ``)`` after
    the doubled-period rule looked for ``. .)``; a glued closer moved out of a quotation
    makes the line's quotes pair cleanly for the opener. Like ftfy's loop, this makes the
    stage reach a fixed point, so that cleaning twice changes nothing. Each change keeps
    the id of the rule that made it; nothing runs when the earlier repairs changed nothing.

    >>> apply_rule(repeat_until_stable, "China. .\uff09 and \uff0c.")[0]
    'China.) and.'
    >>> apply_rule(repeat_until_stable, "Nothing to do.")[0]
    'Nothing to do.'
    """
    start = _changed_from(doc)
    if start is text:
        return  # no repair changed anything: a re-run would not either
    quiet = _QuietDoc(doc) if doc is not None else None
    # The repairs never add or remove a line and look no further than their line, so only
    # the lines they changed are run again.
    lines = text.split("\n")
    before = start.split("\n") if start is not None else None
    if before is not None and len(before) != len(lines):
        before = None
    pos = 0
    for i, line in enumerate(lines):
        if before is None or line != before[i]:
            for c in _settle(line, quiet):
                yield Change(c.start + pos, c.end + pos, c.after, c.rule, c.action, c.reason)
        pos += len(line) + 1


def _changed_from(doc: DocState | None) -> str | None:
    """The text to compare with to find the changed lines (``None``: re-run every line).

    That is the stage's input (``doc.stage_input``, recorded by the runner), except when
    ``collapse_doubled_period`` is disabled: then every line is re-run, as it was when that
    repair recorded the input itself. The two differ on some pages (a line re-run alone
    can gain a repair the whole text did not), so disabling it keeps its old outputs.
    """
    if doc is None or not doc.config.enabled(collapse_doubled_period.rule_id):
        return None
    return doc.stage_input


def _settle(line: str, quiet: _QuietDoc | None) -> list[Change]:
    """The changes that bring ``line`` to a fixed point of :data:`REPAIRS`."""
    tracked = TrackedText(line)
    for _ in range(SETTLE_ROUNDS_DEFAULT):
        changed = False
        for fn in REPAIRS:
            if quiet is not None and not quiet.config.enabled(fn.rule_id):
                continue
            changes = [c for c in fn(tracked.text, quiet)
                       if quiet is None or quiet.config.enabled(c.rule)]
            if changes:
                tracked.apply(changes)
                changed = True
        if not changed:
            break
    return [Change(e.start, e.end, e.after, e.rule, e.action, e.reason) for e in tracked.edits()]
