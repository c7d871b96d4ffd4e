"""Punctuation repairs of quotation marks: ``''`` pairs, odd quotes out, spaces inside.

Enters: the body text and the document state. Leaves: changes that make the marks of one
quotation match and move spaces out of it. Quotes are never curled or uncurled: only the
odd one out inside a quotation is made to match.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.rules.punctuation import (
    DOUBLE_APOSTROPHE, QUOTE_PAIR, SPACED_QUOTE, SPACE_BEFORE_CLOSING_QUOTE,
)
from cleaners.stages.punctuation.common import (
    _Lines, _closes_curly, _closing_position, _flag, _french_asker,
    _is_word_char, _line_at, _low_high_asker, _opening_position, _shape, _space_start,
    apply_rule,
)


@rule("punctuation.replace_double_apostrophe_quotes", category="quotes")
def replace_double_apostrophe_quotes(text: str, doc: DocState) -> Iterator[Change]:
    """Replace ``''`` (and ````…''`` pairs) used as double quotes with the quotation's mark.

    Seed 002 l.25: ``“Considering … within 1-2 years. '' said Mr. Zhou.`` -> ``years.”
    said``. A closing ``''`` takes the closer of the quotation open on its line (``“`` ->
    ``”``, ``„`` -> ``“``, ``"`` -> ``"``) and loses the space before it; a LaTeX pair
    ````x''`` becomes ``“x”`` (``"x"`` in a text without curly quotes). A closing ``''``
    with no open quotation is flagged, not guessed.

    Leaves alone: inch/second marks ``12''``, ``'''``, lines with an opening ``''``
    (``''…''`` is wiki markup or a pair nobody can type-check), lone ````` (Markdown code),
    code lines (``x = ''``).

    >>> apply_rule(replace_double_apostrophe_quotes, "\\u201cIt can be closed within 1-2 years. '' said Mr. Zhou.")[0]
    '“It can be closed within 1-2 years.” said Mr. Zhou.'
    >>> apply_rule(replace_double_apostrophe_quotes, "a 12'' screen and ''italic'' text")[0]
    "a 12'' screen and ''italic'' text"
    """
    if "''" not in text and "``" not in text:
        return
    rid = DOUBLE_APOSTROPHE.id
    curly = "\u201c" in text or "\u201d" in text
    lines = _Lines(text)
    by_line: dict[int, list[regex.Match[str]]] = {}
    for m in DOUBLE_APOSTROPHE.regex.finditer(text):
        by_line.setdefault(_line_at(text, m.start())[0], []).append(m)
    for ls, ms in by_line.items():
        le = _line_at(text, ls)[1]
        if lines.code(ls, le):
            continue
        used: set[int] = set()
        for a, b in zip(ms, ms[1:]):  # 1. ``…'' pairs
            if a.group() == "``" and b.group() == "''" and a.start() not in used:
                used.update((a.start(), b.start()))
                yield Change(a.start(), a.end(), "\u201c" if curly else '"', rid)
                yield Change(b.start(), b.end(), "\u201d" if curly else '"', rid)
        rest = [m for m in ms if m.start() not in used and m.group() == "''"]
        # 2. an opening '' (before a word, after a non-word) makes the line ''…'' markup
        if any(_is_word_char(text[m.end() : m.end() + 1])
               and not _is_word_char(text[m.start() - 1 : m.start()]) for m in rest):
            continue
        for m in rest:  # 3. a closing '' takes the closer of the open quotation
            s, e = m.start(), m.end()
            nxt = text[e] if e < le else ""
            if _is_word_char(nxt) or nxt in "'`\"":
                continue
            j = s - 1 if s - 1 >= ls and text[s - 1] in " \t" else s
            prev = text[j - 1] if j > ls else ""
            if not prev or prev.isdigit() or not (_is_word_char(prev) or prev in ".!?,;:\u2026)"):
                continue
            def before(c: str, ls: int = ls, le: int = le, j: int = j) -> int:
                return lines.count(ls, le, c, ls, j)

            if before("\u201c") > before("\u201d"):
                closer = "\u201d"
            elif before("\u201e") > before("\u201c"):
                closer = "\u201c"
            elif before('"') % 2 == 1:
                closer = '"'
            else:
                _flag(doc, rid, s, e, text,
                      "'' used as a quotation mark, but no quotation is open on this line",
                      "\u201d" if curly else '"')
                continue
            yield Change(j, e, closer, rid)


@rule("punctuation.match_quote_pair", category="quotes")
def match_quote_pair(text: str, doc: DocState) -> Iterator[Change]:
    """Make a quotation's closing (or opening) mark match the style of the other one.

    ``‘politically correct'.`` -> ``‘politically correct’.`` (chinadailyasia.com),
    ``“Top 10" list`` -> ``“Top 10” list``, ``„Bild" sagt`` -> ``„Bild“ sagt``,
    ``"America First” policy`` -> ``“America First” policy`` (PATTERNS F6). The style is
    the one the quotation already uses; nothing is curled or uncurled outside it.

    Leaves alone: apostrophes (``‘don't go’``, ``‘the students' work’``), a straight
    ``'`` opening a curly ``’`` (``'90s … students’``: apostrophes make it a guess),
    straight quotes nested in curly ones (``“He said "yes" to me”``), code lines.

    >>> apply_rule(match_quote_pair, "not on whether they are \\u2018politically correct'.")[0]
    'not on whether they are ‘politically correct’.'
    >>> apply_rule(match_quote_pair, "\\u2018the students' work\\u2019 and \\u201cHe said \\"yes\\" to me\\u201d")[0]
    '‘the students\\' work’ and “He said "yes" to me”'
    """
    single_open, double_open, low_open, straight_open = QUOTE_PAIR.parts
    jobs = []
    if "'" in text and "\u2018" in text:
        jobs.append((single_open, "\u2019"))
    if '"' in text:
        if "\u201c" in text:
            jobs.append((double_open, "\u201d"))
        if "\u201e" in text:
            jobs.append((low_open, "\u201c"))
        if "\u201d" in text:
            jobs.append((straight_open, "\u201c"))
    if not jobs:
        return
    rid = QUOTE_PAIR.id
    lines = _Lines(text)
    replaced: set[int] = set()  # straight closers made curly: they no longer count as "
    replaced_on: dict[int, int] = {}  # how many of them each line (by its start) holds
    for pattern, proper in jobs:
        for m in pattern.finditer(text):
            o, c = m.start(), m.end() - 1
            ls, le = _line_at(text, o)
            if lines.code(ls, le):
                continue
            if pattern is not straight_open:
                if not _closing_position(text, c, le) or lines.count(ls, le, proper, c + 1, le):
                    continue  # an apostrophe or a nested quote: the real closer comes later
                if text[o] == "\u201c" and _closes_curly(text, o, ls, lines):
                    continue  # this “ closes a German „: it opens nothing
                if text[c] == '"' and c not in replaced:
                    replaced.add(c)
                    replaced_on[ls] = replaced_on.get(ls, 0) + 1
                yield Change(c, c + 1, proper, rid)
            else:  # "…”
                straight = lines.count(ls, le, '"', ls, le) - replaced_on.get(ls, 0)
                if straight % 2 == 0 or (
                    lines.count(ls, le, "\u201c", ls, o) > lines.count(ls, le, "\u201d", ls, o)
                ):
                    continue
                if not _opening_position(text, o, ls, le) or not _closing_position(text, c, le):
                    continue
                yield Change(o, o + 1, proper, rid)


@rule("punctuation.move_space_outside_quote", category="quotes")
def move_space_outside_quote(text: str, doc: DocState) -> Iterator[Change]:
    """Move a space from inside a quotation to outside it.

    ``Donald Trump's "America First "policy`` -> ``"America First" policy`` (chinadaily)
    and Moses's ``" The Present Situation"`` -> ``"The Present Situation"`` (PATTERNS F6).
    Straight quotes pair in order on their line; the rule acts only when every other quote
    of the line has a shape that agrees with that pairing. ``”`` needs an open ``“``.

    Leaves alone: odd counts, inch marks, lines where the pairing disagrees with the
    quotes' shapes (a quotation that began on an earlier line), ``" "`` (a quoted space),
    ``”`` with no open ``“`` (Swedish ``”…”``), ``“`` in German text (it closes there),
    code lines.

    >>> apply_rule(move_space_outside_quote, "Donald Trump's \\"America First \\"policy")[0]
    'Donald Trump\\'s "America First" policy'
    >>> apply_rule(move_space_outside_quote, 'x.join(" ") and a "low-ball" estimate" to "lure')[0]
    'x.join(" ") and a "low-ball" estimate" to "lure'
    """
    if '"' not in text and "\u201c" not in text and "\u201d" not in text:
        return
    rid = SPACED_QUOTE.id
    straight_closer, curly_closer, straight_opener, curly_opener = SPACED_QUOTE.parts
    lines = _Lines(text)
    is_german = _low_high_asker(doc, text)

    if '"' in text:
        for m in straight_closer.finditer(text):
            q = m.start()
            paired = _paired_straight(text, q, lines)
            if paired is None or paired[3] % 2 == 0:
                continue
            ls, le, pos, idx = paired
            o = pos[idx - 1]
            s0 = _space_start(text, q)
            if _shape(text, o, ls, le) != "open" or not text[o + 1 : s0].strip():
                continue
            yield Change(s0, q + 1, '" ', rid)
        for m in straight_opener.finditer(text):
            q = m.start()
            paired = _paired_straight(text, q, lines)
            if paired is None or paired[3] % 2 == 1 or not _is_word_char(text[m.end()]):
                continue  # `" #user"` is a string in code, `" "` a quoted space
            yield Change(q + 1, m.end(), "", rid)
    if "\u201d" in text:
        for m in curly_closer.finditer(text):
            q = m.start()
            ls, le = _line_at(text, q)
            if not _closes_curly(text, q, ls, lines) or lines.code(ls, le):
                continue
            yield Change(_space_start(text, q), q + 1, "\u201d ", rid)
    if "\u201c" in text:
        for m in curly_opener.finditer(text):
            q = m.start()
            ls, le = _line_at(text, q)
            closers = lines.marks(ls, le, "\u201d")
            if not closers or closers[-1] < m.end() or not _is_word_char(text[m.end()]):
                continue
            if lines.marks(ls, le, "\u201e"):
                continue
            if lines.code(ls, le) or is_german():
                continue
            yield Change(q + 1, m.end(), "", rid)


def _paired_straight(text: str, q: int, lines: _Lines) -> tuple[int, int, list[int], int] | None:
    """The line of the straight quote at ``q`` (start, end), its straight quotes and the
    index of ``q`` among them, when the line is prose and its quotes pair in order (but for
    closers glued to the next word); else ``None``.

    >>> _paired_straight('a "b "c d', 5, _Lines('a "b "c d'))
    (0, 9, [2, 5], 1)
    >>> _paired_straight('a "b c', 2, _Lines('a "b c')) is None
    True
    """
    ls, le = _line_at(text, q)
    pairs = lines.pairs(ls, le)
    if pairs is None or lines.code(ls, le):
        return None
    pos = pairs[0]
    if not lines.pairs_cleanly(ls, le):
        return None
    return ls, le, pos, lines.index(ls, pos, q)


@rule("punctuation.remove_space_before_closing_quote", category="quotes")
def remove_space_before_closing_quote(text: str, doc: DocState) -> Iterator[Change]:
    """Remove white space before a closing quotation mark.

    Seed 002 l.37 ``and ongoing uncertainty. ”`` and l.65 ``in several vertical areas. ”``
    -> ``….”``. The mark must close a quotation open on its line (``“`` before ``”``,
    ``‘`` before ``’``, ``„`` before a German ``“``, a straight ``"`` that pairs cleanly).

    Leaves alone: opening quotes, Swedish/Finnish ``”…”`` (no ``“`` opens them), French
    text (``“ … ”`` with spaces is a French convention), guillemets ``« »`` / ``» «``,
    ``", "`` and other quoted punctuation, code lines.

    >>> apply_rule(remove_space_before_closing_quote, "\\u201cThere is a good chance, in several vertical areas. \\u201d")[0]
    '“There is a good chance, in several vertical areas.”'
    >>> apply_rule(remove_space_before_closing_quote, "Han sa , \\u201d Hej \\u201d till mig")[0]
    'Han sa , ” Hej ” till mig'
    """
    is_french = _french_asker(doc, text)  # asked once, at the first candidate
    rid = SPACE_BEFORE_CLOSING_QUOTE.id
    lines = _Lines(text)
    for p, q in zip(SPACE_BEFORE_CLOSING_QUOTE.parts, ('"', "\u201c", "\u201d", "\u2019")):
        if q not in text:
            continue
        for m in p.finditer(text):
            k = m.start()
            ls, le = _line_at(text, k)
            s0 = _space_start(text, k)
            if q == '"':
                pairs = lines.pairs(ls, le)
                if pairs is None or pairs[1]:
                    continue
                pos = pairs[0]
                idx = lines.index(ls, pos, k)
                if idx % 2 == 0 or not text[pos[idx - 1] + 1 : s0].strip(" \t.,;:!?"):
                    continue
            elif not _closes_curly(text, k, ls, lines):
                continue
            if lines.code(ls, le):
                continue
            if is_french():
                return
            yield Change(s0, k, "", rid)
