"""The two views of ``scrubline diff`` drawn from rows: inline and side by side.

Enters: a :class:`~cleaners.inspect.view.DocView`, turned into rows by
:func:`cleaners.inspect.rows.build_rows`.
Leaves: lines of ``(text, style)`` segments (:mod:`cleaners.inspect.terminal` prints them):

* :func:`render_inline` (the default of ``scrubline diff``): changed lines with context;
  dropped lines marked ``-``, lines lifted into metadata ``^``, lines changed in place ``~``
  with ``[-removed-]{+added+}`` spans, each with the ids of the rules that changed it.
* :func:`render_side_by_side`: input and output in two columns, one row per input line.

Every view is built from the document's recorded edits (input offsets), not from a text
diff, so each change carries the rule that made it. The third view, a plain unified diff,
is :func:`cleaners.inspect.unified.render_unified`.
"""

from __future__ import annotations

from collections.abc import Iterable

from cleaners.inspect.rows import Gap, Piece, Row, build_rows, with_context
from cleaners.inspect.terminal import (
    Line,
    Segment,
    count_noun,
    pad_line,
    strip_line_end,
    visible,
    wrap,
)
from cleaners.inspect.view import DocView, count_lines

#: The marker column of each row kind.
ROW_MARKS = {"same": " ", "change": "~", "drop": "-", "lift": "^"}
LEGEND = (
    "- dropped line, ^ lifted into metadata, ~ changed in place: [-removed-]{+added+}; "
    "⏎ newline, · space, ⍽ no-break space"
)


def _segments(pieces: Iterable[Piece], *, markers: bool) -> Line:
    segs: Line = []
    for text, kind, _ in pieces:
        if kind == "same":
            segs.append((visible(text), "same"))
        elif kind in ("drop", "lift") and markers:
            segs.append((visible(text), kind))
        else:
            shown = visible(text, span=True)
            if markers:
                opening, closing = {"del": ("[-", "-]"), "ins": ("{+", "+}")}.get(
                    kind, ("[^", "^]")
                )
                segs += [(opening, "mark"), (shown, kind), (closing, "mark")]
            else:
                segs.append((shown, kind))
    return segs


def _row_left(row: Row, markers: bool) -> Line:
    if row.kind in ("drop", "lift"):
        return [(visible(t), k) for t, k, _ in row.left]
    return _segments(row.left, markers=markers)


def _rule_ids(view: DocView, row: Row) -> list[str]:
    return list(dict.fromkeys(view.edits[i].rule for i in row.edits))


def _label(view: DocView, row: Row) -> Segment:
    ids = ", ".join(_rule_ids(view, row))
    return (f"⟨{ids}⟩", "label") if ids else ("", "label")


def _header(view: DocView, title: str, note: str | None) -> list[Line]:
    n_rules = len({e.rule for e in view.edits})
    lines_in = count_lines(view.source)
    lines_out = count_lines(view.output)
    head: list[Line] = [
        [
            (
                f"{title} {view.id} ({view.fmt}): {lines_in} -> {lines_out} lines, "
                f"{count_noun(len(view.edits), 'edit')} by {count_noun(n_rules, 'rule')}, "
                f"{count_noun(len(view.review), 'review entry', 'review entries')}",
                "header",
            )
        ]
    ]
    if note:
        head.append([(note, "note")])
    return head


def _gap_line(gap: Gap) -> Line:
    where = f" after line {gap.src - 1}" if gap.src and gap.src > 1 else ""
    return [(f"@@ {gap.rows} unchanged lines{where} @@", "hunk")]


def render_inline(
    view: DocView, *, context: int = 2, color: bool = False, note: str | None = None
) -> list[Line]:
    """Changed rows with ``context`` unchanged rows around them (``-1``: every row)."""
    markers = not color
    lines = _header(view, "diff", note)
    if markers:
        lines.append([("legend: " + LEGEND, "note")])
    rows = build_rows(view)
    if not view.edits:
        lines.append([("no edits: the output is the input", "note")])
        return lines
    for item in with_context(rows, context):
        if isinstance(item, Gap):
            lines.append(_gap_line(item))
            continue
        mark = ROW_MARKS[item.kind]
        line: Line = [
            (mark, f"m-{item.kind}" if item.kind != "same" else "gutter"),
            (f" {item.src:>5} │ " if item.src is not None else "       │ ", "lineno"),
        ]
        line += _row_left(item, markers) if item.kind in ("drop", "lift") else _segments(
            item.right if item.kind == "same" else _merged(item), markers=markers
        )
        if item.edits:
            line += [("  ", ""), _label(view, item)]
        lines.append(strip_line_end(line))
    return lines


def _merged(row: Row) -> list[Piece]:
    """A changed row as one line: the input with removed and added spans in place.

    ``left`` and ``right`` share their ``same`` pieces in the same order; each edit's
    removed piece (left) comes before its added piece (right).
    """
    out: list[Piece] = []
    li = ri = 0
    left, right = row.left, row.right
    while li < len(left) or ri < len(right):
        if li < len(left) and left[li][1] != "same":
            out.append(left[li])
            li += 1
            while ri < len(right) and right[ri][1] == "ins" and right[ri][2] == left[li - 1][2]:
                out.append(right[ri])
                ri += 1
        elif ri < len(right) and right[ri][1] == "ins":
            out.append(right[ri])
            ri += 1
        else:
            if li < len(left):
                out.append(left[li])
            li += 1
            ri += 1
    return out


def render_side_by_side(
    view: DocView,
    *,
    width: int = 160,
    context: int = 2,
    color: bool = False,
    note: str | None = None,
) -> list[Line]:
    """Input (left) and output (right), one row per input line, wrapped to ``width``."""
    markers = not color
    lines = _header(view, "diff", note)
    if markers:
        lines.append([("legend: " + LEGEND, "note")])
    if not view.edits:
        lines.append([("no edits: the output is the input", "note")])
        return lines
    col = max(12, (width - 2 - 7 - 3 - 6) // 2)
    lines.append(
        [("  " + " " * 6, ""), (_fit("input", col), "header"), (" │ ", "gutter"),
         (" " * 6 + "output", "header")]
    )
    for item in with_context(build_rows(view), context):
        if isinstance(item, Gap):
            lines.append(_gap_line(item))
            continue
        kind = item.kind
        if kind in ("drop", "lift"):
            left = _row_left(item, markers)
            verb = "lifted into metadata" if kind == "lift" else "dropped"
            right: Line = [(f"⟨{verb}: {', '.join(_rule_ids(view, item))}⟩", "label")]
        else:
            left = _segments(item.left, markers=markers)
            right = _segments(item.right, markers=markers)
            if item.edits:
                right = right + [(" ", ""), _label(view, item)]
        lcells = wrap(left, col)
        rcells = wrap(right, col)
        for k in range(max(len(lcells), len(rcells))):
            first = k == 0
            lcell = lcells[k] if k < len(lcells) else []
            rcell = rcells[k] if k < len(rcells) else []
            src = f"{item.src:>5} " if first and item.src is not None else " " * 6
            out = f"{item.out:>5} " if first and item.out is not None else " " * 6
            mark = ROW_MARKS[kind] if first else " "
            mark_style = f"m-{kind}" if kind != "same" else "gutter"
            line: Line = [(mark + " ", mark_style), (src, "lineno")]
            line += pad_line(lcell, col)
            line += [(" │ ", "gutter"), (out, "lineno")]
            line += rcell
            lines.append(strip_line_end(line))
    return lines


def _fit(text: str, width: int) -> str:
    return text[:width].ljust(width)

