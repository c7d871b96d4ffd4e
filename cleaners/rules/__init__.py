"""Pattern tables: data the stages apply, kept apart from the stages' logic.

Each table is an immutable tuple of :class:`Entry` objects. An entry has the rule id its
matches are recorded under, one compiled ``regex`` pattern (VERBOSE, commented, compiled
once at import), where in a page it may apply, and real examples it must match and must
leave alone (``tests/test_rule_tables.py`` walks them all). Lexicons are turned into
alternations by :func:`alt`, which refuses an empty alternation: ``(?:)`` matches
everywhere, so an empty lexicon would silently turn a rule into "drop every line".

This module also holds :func:`plan_line_removal`, shared by the ``metadata`` and
``boilerplate`` stages: it turns "remove these lines" into changes that take each line's
newline (and, between paragraphs, the blank line that separated it) with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import regex

from cleaners.core.document import Action, Change
from cleaners.core.registry import RULES, Rule, register
from cleaners.core.safety import safe_compile

#: Where an entry may apply. ``any``: anywhere; ``edge``: above the first or below the last
#: long paragraph (header or footer zone); ``footer``: below the last long paragraph.
Zone = Literal["any", "edge", "footer"]
#: How an entry's pattern is applied: ``line`` = fullmatch on the stripped line, ``search`` =
#: anywhere inside a line (items such as licence numbers, several per line).
Kind = Literal["line", "search"]

FLAGS_DEFAULT = regex.VERBOSE | regex.VERSION0


def alt(*alternatives: str, escape: bool = True) -> str:
    """Join alternatives into a non-capturing group, longest first; refuse an empty group.

    With ``escape`` (default) each alternative is literal text, and a space in it matches
    any run of white space (also none, so glued labels such as ``MoreTop news`` match).

    >>> alt("Top news", "More")
    '(?:Top\\\\s*news|More)'
    >>> alt()
    Traceback (most recent call last):
    ...
    ValueError: empty alternation: it would match everywhere
    """
    if not alternatives or any(not a for a in alternatives):
        raise ValueError("empty alternation: it would match everywhere")
    if escape:
        parts = [r"\s*".join(regex.escape(w) for w in a.split()) for a in alternatives]
    else:
        parts = list(alternatives)
    parts = sorted(dict.fromkeys(parts), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(parts) + ")"


def compile_pattern(pattern: str, *, ignore_case: bool = False) -> regex.Pattern[str]:
    """Compile a table pattern once: VERBOSE (comments allowed), optionally case-blind."""
    flags = FLAGS_DEFAULT | (regex.IGNORECASE if ignore_case else 0)
    return safe_compile(pattern, flags)


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a pattern table."""

    #: The rule id the entry's edits carry (``boilerplate.drop_icp_filing``).
    id: str
    #: The compiled pattern (see :data:`Kind` for how it is applied).
    regex: regex.Pattern[str]
    #: One line saying what the entry removes or lifts.
    description: str
    #: The kind of defect (``licence``, ``footer``, ``navigation``, ``prompt``…).
    category: str
    #: Real text the entry must match (a line for ``line`` entries, a line holding the item
    #: for ``search`` entries) and real look-alikes it must leave alone.
    matches: tuple[str, ...]
    leaves_alone: tuple[str, ...]
    #: Where the examples come from (PATTERNS.md section, seed line).
    source: str
    kind: Kind = "line"
    zone: Zone = "any"
    #: Longest stripped line the entry may take (a sentence is never this short and bare).
    max_chars: int = 200
    #: Cheap prefilter, lower-case literals: the (stripped, lower-cased) line must start
    #: with one of ``starts``, end with one of ``ends`` or contain one of ``contains``
    #: before the regex runs. All empty: no prefilter.
    starts: tuple[str, ...] = field(default=())
    ends: tuple[str, ...] = field(default=())
    contains: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.matches or not self.leaves_alone:
            raise ValueError(f"{self.id}: needs at least one matches and one leaves_alone example")
        for word in (*self.starts, *self.ends, *self.contains):
            if not word or word != word.lower():
                raise ValueError(f"{self.id}: prefilter literals must be non-empty lower case")

    def prefilter(self, lower: str) -> bool:
        """Whether a (stripped, lower-cased) line may hold a match at all."""
        if not (self.starts or self.ends or self.contains):
            return True
        if lower.startswith(self.starts) or lower.endswith(self.ends):
            return True
        for c in self.contains:
            if c in lower:
                return True
        return False

    def hit(self, line: str) -> regex.Match[str] | None:
        """The match of this entry in ``line`` (zone not considered), or ``None``."""
        s = line.strip()
        if not s:
            return None
        if self.kind == "line":
            if len(s) > self.max_chars or not self.prefilter(s.lower()):
                return None
            return self.regex.fullmatch(s)
        if not self.prefilter(s.lower()):
            return None
        return self.regex.search(line)


def table(*entries: Entry) -> tuple[Entry, ...]:
    """Freeze entries into a table and register each id in :data:`cleaners.RULES`.

    Two entries may share an id only if they describe the same rule (same description and
    category), e.g. a whole-line form and the tail form of one prompt.
    """
    for e in entries:
        stage = e.id.split(".", 1)[0]
        rule = Rule(id=e.id, stage=stage, description=e.description, category=e.category)
        old = RULES.get(e.id)
        if old is None:
            register(rule)
        elif (old.description, old.category) != (rule.description, rule.category):
            raise ValueError(f"rule id {e.id!r} used for two different rules")
    return tuple(entries)


def register_heuristic(rule_id: str, *, category: str, description: str) -> str:
    """Register a rule id applied by a stage's own logic (not a table row); return the id."""
    register(
        Rule(id=rule_id, stage=rule_id.split(".", 1)[0], description=description, category=category)
    )
    return rule_id


# -- page layout -----------------------------------------------------------------------------

#: A line at least this long (CJK characters count three) that ends a sentence is a body
#: paragraph; the first and last such line bound the header and footer zones.
LONG_PARAGRAPH_CHARS_DEFAULT = 150
#: Characters that end a sentence (closing quotes and brackets may follow them).
SENTENCE_END_RE = safe_compile(r"[.!?。！？…](?:[\"'”’»«)\]）」』]*)$")
_CLOSERS = "\"'”’»«)]）」』"
_ENDERS = frozenset(".!?。！？…")


def ends_sentence(line: str) -> bool:
    """Whether a stripped line ends with sentence punctuation (closing quotes may follow).

    >>> ends_sentence('He said "yes."'), ends_sentence("Related news")
    (True, False)
    """
    tail = line.rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _ENDERS
_CJK_RE = safe_compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]", linear=True)


def is_long_paragraph(line: str) -> bool:
    """Whether a stripped line is a body paragraph: long, and ending a sentence.

    >>> is_long_paragraph("Newspapers in English")
    False
    >>> is_long_paragraph("x " * 80 + "end.")
    True
    """
    n = len(line)
    if n < LONG_PARAGRAPH_CHARS_DEFAULT // 3:
        return False
    if n < LONG_PARAGRAPH_CHARS_DEFAULT:
        if line.isascii():  # no CJK to count
            return False
        n += 2 * len(_CJK_RE.findall(line))
        if n < LONG_PARAGRAPH_CHARS_DEFAULT:
            return False
    return ends_sentence(line)


# -- removing whole lines ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Removal:
    """Remove (part of) one line: ``segments`` are ``(start, end, rule, reason)`` in text
    offsets, in order. ``whole`` says the segments cover the whole line, so its newline goes
    too."""

    line_start: int
    line_end: int
    segments: tuple[tuple[int, int, str, str | None], ...]
    action: Action = "drop"

    @property
    def whole(self) -> bool:
        return self.segments[0][0] == self.line_start and self.segments[-1][1] == self.line_end


def plan_line_removal(
    text: str,
    lines: Sequence[tuple[int, int, str]],
    removals: Iterable[tuple[int, Removal]],
) -> list[Change]:
    """Turn line removals into changes that leave the text's paragraph layout intact.

    ``lines`` is ``list(iter_lines(text))``; ``removals`` pairs a line index with its
    :class:`Removal`. A whole-line removal takes the line's newline (the one before it for a
    last line without one). Removed lines that follow each other, with only blank lines
    between them, form a run: each takes the blank lines after it up to the next removed
    line, and when the run starts the text or follows a blank line, the last one also takes
    the blank lines after it. So no removed edit sits inside a run of blank lines that the
    ``normalize`` stage later collapses (which would merge the two edits into one).

    >>> t = "Title\\n\\nBody.\\n\\nFooter\\n\\nMore"
    >>> from cleaners.core.textutil import iter_lines
    >>> ls = list(iter_lines(t))
    >>> rm = [(i, Removal(s, e, ((s, e, "x.y", None),))) for i, (s, e, l) in enumerate(ls)
    ...       if l in ("Title", "Footer", "More")]
    >>> [t[c.start:c.end] for c in plan_line_removal(t, ls, rm)]
    ['Title\\n\\n', 'Footer\\n\\n', 'More']
    """
    by_line = dict(removals)
    if not by_line:
        return []
    n = len(lines)
    blank = [not ln[2].strip() for ln in lines]
    changes: list[Change] = []
    i = 0
    while i < n:
        rem = by_line.get(i)
        if rem is None or not rem.whole:
            if rem is not None:
                changes.extend(
                    Change(s, e, "", rule, rem.action, reason) for s, e, rule, reason in rem.segments
                )
            i += 1
            continue
        # a run of whole-line removals separated only by blank lines
        run = [i]
        j = i + 1
        while j < n:
            if blank[j]:
                j += 1
                continue
            nxt = by_line.get(j)
            if nxt is not None and nxt.whole:
                run.append(j)
                j += 1
                continue
            break
        k = i - 1
        opens = k < 0 or blank[k]
        for pos, li in enumerate(run):
            r = by_line[li]
            segs = list(r.segments)
            if pos + 1 < len(run):
                end = lines[run[pos + 1]][0]  # up to the next removed line
            else:
                end = r.line_end
                m = li + 1
                if end < len(text):
                    end += 1  # its newline
                if opens:
                    while m < n and blank[m]:
                        end = min(len(text), lines[m][1] + 1)
                        m += 1
            start = r.line_start
            if end == r.line_end and start > 0 and text[start - 1] == "\n" and pos == 0:
                start -= 1  # last line without a newline: take the one before it
            # the first segment starts where the removal starts, the last ends where it ends
            segs[0] = (start, *segs[0][1:])
            segs[-1] = (segs[-1][0], end, *segs[-1][2:])
            changes.extend(Change(s, e, "", rule, r.action, reason) for s, e, rule, reason in segs)
        i = run[-1] + 1
    return changes
