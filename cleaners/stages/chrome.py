"""Page-chrome lines by table: which row of the boilerplate tables takes a line.

What enters: stripped lines (and the zone a line sits in). What leaves: the matching
:class:`~cleaners.rules.Entry` of :data:`~cleaners.rules.boilerplate.LINE_TABLE` (whole
lines) or the licence items of :data:`~cleaners.rules.boilerplate.LICENCE_TABLE`, and the
header / body / footer zones of a page. The ``metadata`` stage (chrome between header lines)
and the ``boilerplate`` stage (the lines it drops) both ask here; no stage is imported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from cleaners.core.safety import safe_compile
from cleaners.core.lines import is_long_paragraph
from cleaners.rules import Entry
from cleaners.rules.boilerplate import LICENCE_TABLE, LINE_TABLE

#: Longest line a whole-line entry may take at all (the entries' own limits are lower).
LINE_ENTRY_MAX_CHARS = max(e.max_chars for e in LINE_TABLE)

_LICENCE_NEEDLES = tuple(sorted({n for e in LICENCE_TABLE for n in e.contains}))


def _index(words: Sequence[tuple[str, int]], key: int | None) -> dict:
    """Group prefilter literals by their first (key=0) or last (key=-1) character."""
    merged: dict[str, set[int]] = {}
    for word, k in words:
        merged.setdefault(word, set()).add(k)
    if key is None:
        return {"": tuple((w, frozenset(ks)) for w, ks in sorted(merged.items()))}
    out: dict[str, list[tuple[str, frozenset[int]]]] = {}
    for w, ks in sorted(merged.items()):
        out.setdefault(w[key], []).append((w, frozenset(ks)))
    return {c: tuple(v) for c, v in out.items()}


_NONE: frozenset[int] = frozenset()
_START1 = {
    c: frozenset(k for k, e in enumerate(LINE_TABLE) if c in e.starts)
    for e in LINE_TABLE
    for c in e.starts
    if len(c) == 1
}
#: Start literals of two or more characters by their first two: a line is tested against
#: the few that share its first two characters (``startswith``, as ``Entry.prefilter``).
_START2: dict[str, tuple[tuple[str, frozenset[int]], ...]] = {}
_LONG_STARTS = [(w, k) for k, e in enumerate(LINE_TABLE) for w in e.starts if len(w) > 1]
for _w, _ks in _index(_LONG_STARTS, None)[""]:
    _START2[_w[:2]] = (*_START2.get(_w[:2], ()), (_w, _ks))
_END_INDEX = _index([(w, k) for k, e in enumerate(LINE_TABLE) for w in e.ends], -1)
_CONTAINS_INDEX = _index([(w, k) for k, e in enumerate(LINE_TABLE) for w in e.contains], None)[""]
#: stdlib ``re``: for a plain alternation of literals it scans several times faster than
#: ``regex`` (measured on the bench lines).
_CONTAINS_RE = safe_compile(
    "|".join(re.escape(w) for w, _ks in _CONTAINS_INDEX), linear=True, engine="re"
)
#: Words whose presence anywhere in a page makes a licence line possible.
_LICENCE_TRIGGERS = ("ICP", "icp", "公网安备", "许可证", "网文", "网证", "备字", "举报", "B2-", "B1-", "备案")


def could_hold_licence(text: str) -> bool:
    """Whether a page holds a word without which no licence item can be found (a gate
    before :func:`find_licence_items` on its lines).

    >>> could_hold_licence("京ICP备05004340号"), could_hold_licence("Home")
    (True, False)
    """
    return any(w in text for w in _LICENCE_TRIGGERS)


def lines_with_contains_word(stripped: Sequence[str]) -> set[int]:
    """Indices of the lines whose lower-cased text holds a ``contains`` literal of
    :data:`LINE_TABLE` (what :func:`match_line_entry` searches for), found with one regex
    call on the page instead of one per line. Exact: the literals hold no newline, so a
    match never spans two lines; lines too long for any entry are skipped.

    >>> sorted(lines_with_contains_word(["Home", "Our cookie policy", "News | Sport"]))
    [1, 2]
    """
    lowers = [s.lower() if len(s) <= LINE_ENTRY_MAX_CHARS else "" for s in stripped]
    joined = "\n".join(lowers)
    starts = []
    pos = 0
    for low in lowers:
        starts.append(pos)
        pos += len(low) + 1
    hits: set[int] = set()
    for m in _CONTAINS_RE.finditer(joined):
        hits.add(bisect_right(starts, m.start()) - 1)
    return hits


def match_line_entry(line: str, zone: str, *, contains: bool | None = None) -> Entry | None:
    """The first whole-line entry that takes the stripped ``line`` in ``zone``.

    ``zone`` is ``header``, ``footer``, ``body`` or ``none`` (the page has no long
    paragraph, so no zone is known and only ``any`` entries apply). Only entries whose
    prefilter literal the line starts with, ends with or contains run their regex; the
    literals are indexed by first character, so most lines cost a few string calls.
    ``contains``: whether the line holds a ``contains`` literal, when the caller knows it
    (:func:`lines_with_contains_word`); ``None``: search the line.

    >>> match_line_entry("Newspapers in English", "footer").id
    'boilerplate.drop_aggregator_stamp'
    >>> match_line_entry("Back to top About Us | Jobs | Contact Us | Privacy Policy", "body") is None
    True
    """
    n = len(line)
    if not n or n > LINE_ENTRY_MAX_CHARS:
        return None
    lower = line.lower()
    # starts: keyed by the first one or two characters, the regex decides the rest
    todo = _START1.get(lower[0], _NONE)
    starts = _START2.get(lower[:2])
    if starts is not None:
        for word, ks in starts:
            if lower.startswith(word):
                todo = todo | ks
    ends = _END_INDEX.get(lower[-1])
    if ends is not None:
        for word, ks in ends:
            if lower.endswith(word):
                todo = todo | ks
    if contains is None:
        contains = _CONTAINS_RE.search(lower) is not None
    if contains:
        for word, ks in _CONTAINS_INDEX:
            if word in lower:
                todo = todo | ks
    if not todo:
        return None
    edge = zone in ("header", "footer")
    for k in sorted(todo):
        e = LINE_TABLE[k]
        if n > e.max_chars or (e.zone != "any" and not edge):
            continue
        if e.regex.fullmatch(line):
            return e
    return None


def find_licence_items(line: str) -> list[tuple[int, int, Entry]]:
    """Licence / filing items in ``line``: ``(start, end, entry)``, in order, not overlapping.

    >>> line = "[京公网安备 11010202009201号] [京ICP备05004340号-1]"
    >>> [(line[s:e], x.id) for s, e, x in find_licence_items(line)]
    [('京公网安备 11010202009201号', 'boilerplate.drop_public_security_filing'), ('京ICP备05004340号-1', 'boilerplate.drop_icp_filing')]
    >>> find_licence_items("微信个人主体拿不到《互联网新闻信息服务许可证》")
    []
    """
    lower = line.lower()
    if not any(n in lower for n in _LICENCE_NEEDLES):
        return []
    found: list[tuple[int, int, Entry]] = []
    for e in LICENCE_TABLE:
        if not e.prefilter(lower):
            continue
        for m in e.regex.finditer(line):
            if m.end() > m.start():
                found.append((m.start(), m.end(), e))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    items: list[tuple[int, int, Entry]] = []
    end = -1
    for s, e_, entry in found:
        if s >= end:
            items.append((s, e_, entry))
            end = e_
    return items


def line_zones(stripped: Sequence[str]) -> list[str]:
    """The zone of each stripped line: ``header`` above the first long paragraph, ``footer``
    below the last, ``body`` between; ``none`` everywhere when the page has none.

    >>> line_zones(["Home", "A long paragraph of the article that goes on and on. " * 3 + "End.", "Footer"])
    ['header', 'body', 'footer']
    >>> line_zones(["Home", "Menu"])
    ['none', 'none']
    """
    longs = [i for i, s in enumerate(stripped) if s and is_long_paragraph(s)]
    if not longs:
        return ["none"] * len(stripped)
    first, last = longs[0], longs[-1]
    return ["header" if i < first else "footer" if i > last else "body" for i in range(len(stripped))]
