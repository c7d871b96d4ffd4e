"""Text that remembers where every character came from.

Rules see plain ``str`` and return :class:`~cleaners.document.Change` objects in offsets of
that string. :class:`TrackedText` applies them and keeps the text as a list of *pieces* that
tile the original: an untouched piece is a slice of the original, an edited piece carries
the rule that produced it. Reading the edited pieces off gives edits in original offsets,
whatever order the stages ran in, so ``replay(original, edits) == text`` always holds.

When a later change overlaps text an earlier rule produced, the two become one edit whose
``rule`` is the later rule and whose ``merged`` lists the earlier ones: the span is still
explained, and replay still works.

With ``record=False`` no pieces are kept: changes are spliced into the string and only the
final text is available (used by the speed path).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .document import Change, Edit


class _Piece:
    __slots__ = ("ostart", "oend", "text", "rule", "action", "reason", "merged")

    def __init__(
        self,
        ostart: int,
        oend: int,
        text: str,
        rule: str | None = None,
        action: str = "replace",
        reason: str | None = None,
        merged: tuple[str, ...] = (),
    ) -> None:
        self.ostart = ostart
        self.oend = oend
        self.text = text
        self.rule = rule  # None: an untouched slice of the original
        self.action = action
        self.reason = reason
        self.merged = merged


def _check_changes(changes: Sequence[Change], length: int) -> list[Change]:
    ordered = sorted(changes, key=lambda c: (c.start, c.end))
    prev_end = 0
    prev_start = -1
    for c in ordered:
        if not 0 <= c.start <= c.end <= length:
            raise ValueError(f"change {c.rule} {c.start}:{c.end} outside text of length {length}")
        if c.start < prev_end or (c.start == c.end and c.start == prev_start == prev_end):
            raise ValueError(f"overlapping changes at {c.start} ({c.rule})")
        prev_end = c.end
        prev_start = c.start
    return ordered


def splice(text: str, changes: Sequence[Change]) -> str:
    """Apply non-overlapping changes to ``text`` and return the new string.

    >>> splice("a  b", [Change(1, 3, " ", "normalize.collapse_spaces")])
    'a b'
    """
    ordered = _check_changes(changes, len(text))
    out: list[str] = []
    pos = 0
    for c in ordered:
        out.append(text[pos : c.start])
        out.append(c.after)
        pos = c.end
    out.append(text[pos:])
    return "".join(out)


class TrackedText:
    """The current text of a document plus the map back to its original.

    >>> t = TrackedText("Hello  world. .")
    >>> t.apply([Change(5, 7, " ", "normalize.collapse_spaces")])
    >>> t.apply([Change(12, 14, "", "punct.collapse_double_period")])
    >>> t.text
    'Hello world.'
    >>> [(e.rule, e.start, e.end, e.before, e.after) for e in t.edits()]
    [('normalize.collapse_spaces', 5, 7, '  ', ' '), ('punct.collapse_double_period', 13, 15, ' .', '')]
    """

    __slots__ = ("original", "record", "_pieces", "_text")

    def __init__(self, original: str, *, record: bool = True) -> None:
        self.original = original
        self.record = record
        self._text = original
        self._pieces: list[_Piece] = [_Piece(0, len(original), original)] if original else []

    @property
    def text(self) -> str:
        return self._text

    def apply(self, changes: Iterable[Change]) -> None:
        """Apply one rule's changes (offsets into the current text)."""
        changes = list(changes)
        if not changes:
            return
        if not self.record:
            self._text = splice(self._text, changes)
            return
        ordered = _check_changes(changes, len(self._text))
        self._pieces = self._apply_pieces(ordered)
        self._text = "".join(p.text for p in self._pieces)

    # -- internals ---------------------------------------------------------------------

    def _cut(self, cuts: list[int]) -> list[_Piece]:
        """Split untouched pieces at the given current-text offsets (sorted)."""
        out: list[_Piece] = []
        ci = 0
        pos = 0
        n = len(cuts)
        for p in self._pieces:
            plen = len(p.text)
            end = pos + plen
            while ci < n and cuts[ci] <= pos:
                ci += 1
            if p.rule is None:
                start = pos
                while ci < n and cuts[ci] < end:
                    k = cuts[ci] - start
                    if k > 0:
                        out.append(_Piece(p.ostart, p.ostart + k, p.text[:k]))
                        p = _Piece(p.ostart + k, p.oend, p.text[k:])
                        start = cuts[ci]
                    ci += 1
            else:
                while ci < n and cuts[ci] < end:
                    ci += 1
            out.append(p)
            pos = end
        return out

    def _apply_pieces(self, changes: list[Change]) -> list[_Piece]:
        cuts = sorted({x for c in changes for x in (c.start, c.end)})
        pieces = self._cut(cuts)
        starts: list[int] = []
        pos = 0
        for p in pieces:
            starts.append(pos)
            pos += len(p.text)
        n = len(pieces)

        # 1. For each change, the range of pieces it touches: [a, b). Cuts align untouched
        #    pieces with every change boundary, so only edited pieces are touched in part.
        #    An insertion at a piece boundary touches nothing (a == b: its slot).
        spans: list[tuple[int, int, Change]] = []
        k = 0
        for c in changes:
            while k < n and starts[k] + len(pieces[k].text) <= c.start:
                k += 1
            if c.start == c.end:
                if k < n and starts[k] < c.start < starts[k] + len(pieces[k].text):
                    spans.append((k, k + 1, c))
                else:
                    spans.append((k, k, c))
                continue
            b = k
            while b < n and starts[b] < c.end:
                b += 1
            spans.append((k, b, c))

        # 2. Changes that share a piece form one group and become one piece.
        out: list[_Piece] = []
        copied = 0  # pieces[:copied] are emitted or consumed
        g = 0
        while g < len(spans):
            a, b, c = spans[g]
            group = [c]
            h = g + 1
            while h < len(spans) and spans[h][0] < b and spans[h][1] > spans[h][0]:
                b = max(b, spans[h][1])
                group.append(spans[h][2])
                h += 1
            out.extend(pieces[copied:a])
            copied = max(copied, a)
            if a == b:
                ostart = out[-1].oend if out else 0
                out.append(_Piece(ostart, ostart, c.after, c.rule, c.action, c.reason))
            else:
                base = pieces[a:b]
                base_start = starts[a]
                text = splice(
                    "".join(p.text for p in base),
                    [
                        Change(x.start - base_start, x.end - base_start, x.after, x.rule)
                        for x in group
                    ],
                )
                rule = group[-1].rule
                merged: list[str] = []
                for r in [r for p in base if p.rule is not None for r in (*p.merged, p.rule)] + [
                    x.rule for x in group
                ]:
                    if r != rule and r not in merged:
                        merged.append(r)
                last = group[-1]
                action = last.action if not merged else ("drop" if text == "" else "replace")
                reason = last.reason if len(group) == 1 else None
                out.append(
                    _Piece(base[0].ostart, base[-1].oend, text, rule, action, reason, tuple(merged))
                )
                copied = b
            g = h
        out.extend(pieces[copied:])
        return out

    # -- reading -----------------------------------------------------------------------

    def edits(self) -> list[Edit]:
        """The edits so far, in input offsets and input order."""
        if not self.record:
            raise RuntimeError("edits were not recorded (record=False)")
        orig = self.original
        return [
            Edit(
                rule=p.rule,
                action=p.action,  # type: ignore[arg-type]
                start=p.ostart,
                end=p.oend,
                before=orig[p.ostart : p.oend],
                after=p.text,
                reason=p.reason,
                merged=p.merged,
            )
            for p in self._pieces
            if p.rule is not None
        ]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the current text to the span of the input it came from.

        An edited piece maps as a whole (its characters have no finer origin).
        """
        if not self.record:
            return start, end
        olen = len(self.original)
        ostart = oend = None
        pos = 0
        for p in self._pieces:
            plen = len(p.text)
            if ostart is None and start < pos + plen:
                ostart = p.ostart + (start - pos) if p.rule is None else p.ostart
            if end <= pos + plen and plen > 0:
                oend = p.ostart + (end - pos) if p.rule is None else p.oend
                break
            pos += plen
        ostart = olen if ostart is None else ostart
        oend = olen if oend is None else oend
        return ostart, max(ostart, oend)
