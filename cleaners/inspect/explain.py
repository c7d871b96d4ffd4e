"""``scrubline explain``: a document's edits and review entries as data and as tables.

Enters: a :class:`~cleaners.inspect.view.DocView`.
Leaves: :func:`explain_data`, a JSON-ready dict (``--json``) with each edit's rule, action,
input line, offsets, before and after text and reason; :func:`render_explain_plain` (plain
tables) or :func:`print_explain_rich` (coloured tables on a terminal) draw it.
"""

from __future__ import annotations

import bisect
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from cleaners.core.registry import RULES
from cleaners.inspect.terminal import clip_text, count_noun, plain_table, visible
from cleaners.inspect.view import DocView, line_starts


def explain_data(view: DocView) -> dict[str, Any]:
    """The edits and review entries of a document, with line numbers, for ``--json``."""
    starts = line_starts(view.source)
    edits = []
    for e in view.edits:
        d: dict[str, Any] = {
            "rule": e.rule,
            "action": e.action,
            "line": bisect.bisect_right(starts, e.start),
            "start": e.start,
            "end": e.end,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
            "description": RULES[e.rule].description if e.rule in RULES else None,
        }
        if e.merged:
            d["merged"] = list(e.merged)
        edits.append(d)
    review = [
        {
            "rule": r.rule,
            "line": bisect.bisect_right(starts, r.start),
            "start": r.start,
            "end": r.end,
            "text": r.text,
            "reason": r.reason,
            "suggestion": r.suggestion,
        }
        for r in view.review
    ]
    return {
        "id": view.id,
        "source_path": view.name,
        "format": view.fmt,
        "metadata": view.metadata,
        "edits": edits,
        "review": review,
    }


EXPLAIN_COLUMNS = ("rule", "action", "line", "before", "after", "reason")
REVIEW_COLUMNS = ("rule", "line", "text", "suggestion", "reason")


def explain_rows(
    data: dict[str, Any], *, clip: int = 40
) -> tuple[list[list[str]], list[list[str]]]:
    """Table cells for the edits and the review entries (``before``/``after`` clipped)."""
    edits = [
        [
            e["rule"],
            e["action"],
            str(e["line"]),
            '"' + clip_text(e["before"], clip) + '"',
            '"' + clip_text(e["after"], clip) + '"',
            visible(e["reason"] or e["description"] or ""),
        ]
        for e in data["edits"]
    ]
    review = [
        [
            r["rule"],
            str(r["line"]),
            '"' + clip_text(r["text"], clip) + '"',
            '"' + clip_text(r["suggestion"], clip) + '"' if r["suggestion"] is not None else "",
            visible(r["reason"]),
        ]
        for r in data["review"]
    ]
    return edits, review


def render_explain_plain(data: dict[str, Any]) -> str:
    """``scrubline explain`` without colour: a header, the edits table, the review table."""
    edits, review = explain_rows(data)
    out = (
        f"explain {data['id']} ({data['format']}): {count_noun(len(edits), 'edit')}, "
        f"{count_noun(len(review), 'review entry', 'review entries')}\n"
    )
    out += "\n" + (plain_table(EXPLAIN_COLUMNS, edits) if edits else "no edits\n")
    if review:
        out += "\nreview entries (not changed; a person decides):\n"
        out += plain_table(REVIEW_COLUMNS, review)
    return out


def print_explain_rich(data: dict[str, Any]) -> None:
    """``scrubline explain`` in colour on standard output: a header and the two tables."""
    console = Console(force_terminal=True, highlight=False, emoji=False)
    edits, review = explain_rows(data, clip=60)
    console.print(
        f"[bold]explain[/] {escape(data['id'])} ({data['format']}): "
        f"{count_noun(len(edits), 'edit')}, "
        f"{count_noun(len(review), 'review entry', 'review entries')}"
    )
    for title, columns, rows in (
        ("edits", EXPLAIN_COLUMNS, edits),
        ("review entries (not changed; a person decides)", REVIEW_COLUMNS, review),
    ):
        if not rows:
            continue
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_lines=False)
        for col in columns:
            table.add_column(col, overflow="fold", style=_COLUMN_STYLES.get(col))
        for row in rows:
            table.add_row(*(Text(c) for c in row))
        console.print(table)


_COLUMN_STYLES = {"rule": "cyan", "before": "red", "after": "green"}
