"""Text that remembers where every character came from.

Rules see plain ``str`` and return :class:`~cleaners.core.document.Change` objects in offsets of
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

from cleaners.core.document import Change, Edit


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


def _splice_sorted(text: str, spans: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, after in spans:
        out.append(text[pos:start])
        out.append(after)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def splice(text: str, changes: Sequence[Change]) -> str:
    """Apply non-overlapping changes to ``text`` and return the new string.

    >>> splice("a  b", [Change(1, 3, " ", "normalize.collapse_inline_space")])
    'a b'
    """
    ordered = _check_changes(changes, len(text))
    return _splice_sorted(text, [(c.start, c.end, c.after) for c in ordered])


class TrackedText:
    """The current text of a document plus the map back to its original.

    Only the *edited regions* are stored, as tuples
    ``(cs, ce, os, oe, rule, action, reason, merged)``: current span, original span, and
    who made it. Untouched text between regions has the same length in both, so a position
    in a gap maps linearly from the region before it.

    >>> t = TrackedText("Hello  world. .")
    >>> t.apply([Change(5, 7, " ", "normalize.collapse_inline_space")])
    >>> t.apply([Change(12, 14, "", "punctuation.collapse_doubled_period")])
    >>> t.text
    'Hello world.'
    >>> for e in t.edits():
    ...     print(e.rule, e.start, e.end, repr(e.before), repr(e.after))
    normalize.collapse_inline_space 5 7 '  ' ' '
    punctuation.collapse_doubled_period 13 15 ' .' ''
    """

    __slots__ = ("original", "record", "_regions", "_text")

    def __init__(self, original: str, *, record: bool = True) -> None:
        self.original = original
        self.record = record
        self._text = original
        self._regions: list[tuple] = []

    @property
    def text(self) -> str:
        return self._text

    def apply(self, changes: Iterable[Change]) -> None:
        """Apply one rule's changes (offsets into the current text)."""
        changes = list(changes)
        if not changes:
            return
        ordered = _check_changes(changes, len(self._text))
        old = self._text
        self._text = _splice_sorted(old, [(c.start, c.end, c.after) for c in ordered])
        if self.record:
            self._regions = self._merge_regions(old, ordered)

    def _merge_regions(self, old: str, changes: list[Change]) -> list[tuple]:
        regions = self._regions
        n = len(regions)
        out: list[tuple] = []
        i = 0
        delta = 0
        anchor_ce = anchor_oe = 0  # old-space end and original end of the last region passed
        k = 0
        m = len(changes)
        while k < m:
            c = changes[k]
            if i < n and regions[i][1] <= c.start:
                i0 = i
                while i < n and regions[i][1] <= c.start:
                    i += 1
                r = regions[i - 1]
                anchor_ce, anchor_oe = r[1], r[3]
                if delta:
                    out.extend([(r[0] + delta, r[1] + delta, *r[2:]) for r in regions[i0:i]])
                else:  # before the first change nothing moves: the regions as they are
                    out.extend(regions[i0:i])
            group = [c]
            j = i
            while True:
                last_c = group[-1]
                while j < n:
                    r = regions[j]
                    if last_c.start == last_c.end:
                        hit = r[0] < last_c.start < r[1]
                    else:
                        hit = r[0] < last_c.end and (r[1] > last_c.start or r[0] > last_c.start)
                    if not hit:
                        break
                    j += 1
                if j > i and k + 1 < m and changes[k + 1].start < regions[j - 1][1]:
                    k += 1
                    group.append(changes[k])
                    continue
                break
            g0, gl = group[0], group[-1]
            if j > i:
                first, last = regions[i], regions[j - 1]
                cs_old = min(g0.start, first[0])
                ce_old = max(gl.end, last[1])
                os_ = first[2] if first[0] <= g0.start else anchor_oe + (g0.start - anchor_ce)
                oe_ = last[3] if last[1] >= gl.end else last[3] + (gl.end - last[1])
            else:
                first = last = None
                cs_old, ce_old = g0.start, gl.end
                os_ = anchor_oe + (g0.start - anchor_ce)
                oe_ = anchor_oe + (gl.end - anchor_ce)
            if len(group) == 1:
                new_len = (g0.start - cs_old) + len(g0.after) + (ce_old - g0.end)
            else:
                new_len = (ce_old - cs_old) + sum(len(x.after) - (x.end - x.start) for x in group)
            rule = gl.rule
            merged: list[str] = []
            for r in regions[i:j]:
                for rid in (*r[7], r[4]):
                    if rid != rule and rid not in merged:
                        merged.append(rid)
            for x in group:
                if x.rule != rule and x.rule not in merged:
                    merged.append(x.rule)
            if merged:
                action = "drop" if new_len == 0 else "replace"
            else:
                action = gl.action
            reason = gl.reason if len(group) == 1 else None
            ncs = cs_old + delta
            delta += sum(len(x.after) - (x.end - x.start) for x in group)
            out.append((ncs, ncs + new_len, os_, oe_, rule, action, reason, tuple(merged)))
            anchor_ce, anchor_oe = ce_old, oe_
            i = j
            k += 1
        if delta:
            out.extend([(r[0] + delta, r[1] + delta, *r[2:]) for r in regions[i:]])
        else:
            out.extend(regions[i:])
        return out

    # -- reading -----------------------------------------------------------------------

    def edits(self) -> list[Edit]:
        """The edits so far, in input offsets and input order."""
        if not self.record:
            raise RuntimeError("edits were not recorded (record=False)")
        orig = self.original
        text = self._text
        return [
            Edit(rule, action, os_, oe_, orig[os_:oe_], text[cs:ce], reason, merged)
            for cs, ce, os_, oe_, rule, action, reason, merged in self._regions
        ]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the current text to the span of the input it came from.

        An edited region maps as a whole (its characters have no finer origin).
        """
        if not self.record:
            return start, end
        return self._map(start, True), max(self._map(start, True), self._map(end, False))

    def _map(self, p: int, left: bool) -> int:
        anchor_ce = anchor_oe = 0
        for cs, ce, os_, oe_, *_ in self._regions:
            if cs < ce and (cs <= p < ce if left else cs < p <= ce):
                return os_ if left else oe_
            if ce <= p:
                anchor_ce, anchor_oe = ce, oe_
            else:
                break
        return anchor_oe + (p - anchor_ce)
