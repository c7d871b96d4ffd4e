"""A document's diff as rows: one per input line, with what became of that line.

Enters: a :class:`~cleaners.inspect.view.DocView` (input, output, edits in input offsets).
Leaves: :class:`Row` items (:func:`build_rows`), each holding the pieces of its input side
and output side and the edits shown in it, and, with :func:`with_context`, the unchanged
rows far from any change folded into :class:`Gap` items. The renderers of
:mod:`cleaners.inspect.diff` draw these rows; the report's script mirrors
:func:`build_rows` in the browser (a browser test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.core.document import Edit
from cleaners.inspect.view import DocView

#: A piece of one side of a row: (text, kind, edit index or -1). Kinds: ``same``, ``del``
#: (removed in place), ``ins`` (added), ``drop`` (whole line dropped), ``lift`` (lifted into
#: metadata).
Piece = tuple[str, str, int]


@dataclass(slots=True)
class Row:
    """One row of a diff: usually one input line, with what became of it."""

    #: ``same``, ``change`` (edited in place), ``drop`` (line dropped), ``lift`` (line lifted).
    kind: str
    #: 1-based input line, and output line (``None`` when the line is gone).
    src: int | None
    out: int | None
    left: list[Piece]
    right: list[Piece]
    #: Indices into the view's edits shown in this row, in order.
    edits: list[int]


def whole_lines(e: Edit, source: str) -> list[str] | None:
    """The lines an edit removes whole (its ``before`` split into lines), else ``None``.

    A removal is whole when it starts at a line start and takes the line's newline (or runs
    to the end), or when it takes the newline before the last line, as
    :func:`cleaners.core.textutil.line_span` does for a last line without newline.

    >>> whole_lines(Edit("b.x", "drop", 2, 6, "foo\\n", ""), "a\\nfoo\\nb")
    ['foo']
    >>> whole_lines(Edit("b.x", "drop", 1, 5, "\\nfoo", ""), "a\\nfoo")
    ['foo']
    >>> whole_lines(Edit("b.x", "replace", 2, 4, "fo", ""), "a\\nfoo\\nb") is None
    True
    """
    if e.after or not e.before:
        return None
    at_start = e.start == 0 or source[e.start - 1] == "\n"
    if at_start and e.before.endswith("\n"):
        return e.before[:-1].split("\n")
    if at_start and e.end == len(source):
        return e.before.split("\n")
    if e.before.startswith("\n") and e.end == len(source) and len(e.before) > 1:
        return e.before[1:].split("\n")
    return None


class _RowBuilder:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.src_nl = 0
        self.out_nl = 0
        self._start()

    def _start(self) -> None:
        self.left: list[Piece] = []
        self.right: list[Piece] = []
        self.eds: list[int] = []
        self.row_src = self.src_nl + 1
        self.row_out = self.out_nl + 1
        self.has_out = False

    def flush(self, *, force: bool = True) -> None:
        if force or self.left or self.right or self.eds:
            self.rows.append(
                Row(
                    "change" if self.eds else "same",
                    self.row_src,
                    self.row_out if self.has_out else None,
                    self.left,
                    self.right,
                    self.eds,
                )
            )
        self._start()

    def same(self, text: str) -> None:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if part:
                self.left.append((part, "same", -1))
                self.right.append((part, "same", -1))
                self.has_out = True
            if k < len(parts) - 1:
                self.has_out = True
                self.src_nl += 1
                self.out_nl += 1
                self.flush()

    def inline(self, e: Edit, i: int) -> None:
        if e.before:
            self.left.append((e.before, "lift" if e.action == "lift" else "del", i))
        if e.after:
            self.right.append((e.after, "ins", i))
            self.has_out = True
        self.eds.append(i)
        self.src_nl += e.before.count("\n")
        self.out_nl += e.after.count("\n")
        if e.before.endswith("\n"):
            self.flush()

    def whole(self, e: Edit, i: int, lines: list[str], *, takes_newline_before: bool) -> None:
        if takes_newline_before:
            # A dropped last line takes the newline before it: that newline ends the row.
            self.src_nl += 1
            self.flush()
        else:
            self.flush(force=False)
        kind = "lift" if e.action == "lift" else "drop"
        for text in lines:
            self.rows.append(Row(kind, self.src_nl + 1, None, [(text, kind, i)], [], [i]))
            self.src_nl += 1
        if not e.before.endswith("\n"):
            self.src_nl -= 1  # the last line had no newline
        self._start()


def build_rows(view: DocView) -> list[Row]:
    """One row per input line (a row may span lines when an edit joins them).

    >>> v = DocView("d", "d", "text", "Title\\nBody. .\\n", "Body.\\n",
    ...     (Edit("metadata.lift_title", "lift", 0, 6, "Title\\n", ""),
    ...      Edit("punctuation.collapse_doubled_period", "replace", 10, 12, " .", "")))
    >>> [(r.kind, r.src, r.out) for r in build_rows(v)]
    [('lift', 1, None), ('change', 2, 1)]
    """
    src = view.source
    b = _RowBuilder()
    pos = 0
    for i, e in enumerate(view.edits):
        b.same(src[pos : e.start])
        lines = whole_lines(e, src)
        if lines is None:
            b.inline(e, i)
        else:
            b.whole(e, i, lines, takes_newline_before=not _whole_from_start(e, src))
        pos = e.end
    b.same(src[pos:])
    b.flush(force=False)
    return b.rows


def _whole_from_start(e: Edit, src: str) -> bool:
    """Whether a whole-line removal is read from a line start (not from the newline before)."""
    at_start = e.start == 0 or src[e.start - 1] == "\n"
    return at_start and (e.before.endswith("\n") or e.end == len(src))


@dataclass(frozen=True, slots=True)
class Gap:
    """Unchanged rows left out of a view."""

    rows: int
    src: int | None


def with_context(rows: Sequence[Row], context: int) -> list[Row | Gap]:
    """Keep changed rows and ``context`` unchanged rows around each; the rest become gaps."""
    if context < 0:
        return list(rows)
    keep = [False] * len(rows)
    for k, r in enumerate(rows):
        if r.kind != "same":
            for j in range(max(0, k - context), min(len(rows), k + context + 1)):
                keep[j] = True
    out: list[Row | Gap] = []
    k = 0
    while k < len(rows):
        if keep[k]:
            out.append(rows[k])
            k += 1
            continue
        j = k
        while j < len(rows) and not keep[j]:
            j += 1
        out.append(Gap(j - k, rows[k].src))
        k = j
    return out

