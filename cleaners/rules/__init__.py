"""Pattern tables: data the stages apply, kept apart from the stages' logic.

Enters: nothing at run time (tables are built once, at import). Leaves: immutable tuples of
:class:`Entry` rows, one module per stage that reads them (``decode``, ``ocr``, ``metadata``,
``boilerplate``, ``extract``, ``punctuation``; ``stopwords`` for the classifier).

Every row is one :class:`Entry`: an id, one compiled ``regex`` pattern (VERBOSE, commented,
compiled once), a description, and real examples it must match and must leave alone
(``tests/rules/test_rule_tables.py`` walks every table). Fields only some tables need (where in
a page a row applies, prefilter literals, a cue's role, a signature's site) are optional.
Lexicons become alternations through :func:`alt`, the one alternation helper, which refuses
an empty alternation: ``(?:)`` matches everywhere, so an empty lexicon would silently turn a
rule into "drop every line".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import regex

from cleaners.core.registry import RULES, Rule, register
from cleaners.core.safety import safe_compile

#: Where an entry may apply. ``any``: anywhere; ``edge``: above the first or below the last
#: long paragraph (header or footer zone); ``footer``: below the last long paragraph.
Zone = Literal["any", "edge", "footer"]
#: How :meth:`Entry.hit` applies an entry's pattern: ``line`` = fullmatch on the stripped
#: line, ``search`` = anywhere inside a line (items such as licence numbers, several per
#: line; the trigger patterns of function rules).
Kind = Literal["line", "search"]
#: What an extraction cue marks (``comments`` is chrome on an article page and the content
#: of a discussion page).
Role = Literal["boilerplate", "comments", "content", "hidden"]

FLAGS_DEFAULT = regex.VERBOSE | regex.VERSION0


def alt(*alternatives: str, escape: bool = True) -> str:
    """Join alternatives into a non-capturing group, longest first; refuse an empty group.

    With ``escape`` (default) each alternative is literal text, and a space in it matches
    any run of white space (also none, so glued labels such as ``MoreTop news`` match).

    >>> alt("Top news", "More")
    '(?:Top\\\\s*news|More)'
    >>> alt("fig.", "said")
    '(?:fig\\\\.|said)'
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

    #: The rule id the entry's edits carry (``boilerplate.drop_icp_filing``), or the name of
    #: a trigger, cue or signature.
    id: str
    #: The compiled pattern (see :data:`Kind` for how :meth:`hit` applies it).
    regex: regex.Pattern[str]
    #: One line saying what the entry finds, removes or lifts.
    description: str
    #: Real text the entry must match (a line for ``line`` entries, a line holding the item
    #: for ``search`` entries) and real look-alikes it must leave alone.
    matches: tuple[str, ...]
    leaves_alone: tuple[str, ...]
    #: The kind of defect (``licence``, ``footer``, ``navigation``, ``prompt``…).
    category: str = ""
    #: Where the examples come from (PATTERNS.md section, seed line).
    source: str = ""
    kind: Kind = "line"
    zone: Zone = "any"
    #: Longest stripped line a ``line`` entry may take (a sentence is never this short and bare).
    max_chars: int = 200
    #: Cheap prefilter, lower-case literals: the (stripped, lower-cased) line must start
    #: with one of ``starts``, end with one of ``ends`` or contain one of ``contains``
    #: before the regex runs. All empty: no prefilter.
    starts: tuple[str, ...] = field(default=())
    ends: tuple[str, ...] = field(default=())
    contains: tuple[str, ...] = field(default=())
    #: Trigger patterns: the alternatives of ``regex`` compiled one by one. Each starts with
    #: a literal character, which the regex engine scans for fast (an alternation or a
    #: leading class makes it test every position: 5-10x slower); a rule runs the parts it
    #: needs.
    parts: tuple[regex.Pattern[str], ...] = ()
    #: Literals of which every match holds at least one (case as written): a text holding
    #: none of them cannot hold a match, so the regex is not run. Empty: always run it.
    needles: tuple[str, ...] = ()
    #: Extraction cues: the class/id words of the concept and what they mark.
    words: tuple[str, ...] = ()
    role: Role | None = None
    #: Site signatures: the host whose chrome the entry recognises.
    site: str = ""
    #: Turns a raw example into the text the pattern is applied to (cues: class/id words).
    prepare: Callable[[str], str] | None = None

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

    def could_hit(self, text: str) -> bool:
        """Whether ``text`` (a line or a whole page) holds a needle (or none are set)."""
        return not self.needles or any(n in text for n in self.needles)

    def hit(self, line: str) -> regex.Match[str] | None:
        """The match of this entry in ``line`` (zone not considered), or ``None``."""
        if self.prepare is not None:
            line = self.prepare(line)
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


def trigger(
    rule_id: str,
    description: str,
    *alternatives: str,
    matches: Iterable[str],
    leaves_alone: Iterable[str],
    flags: int = 0,
) -> Entry:
    """A ``search`` entry whose alternatives are compiled together and one by one.

    >>> e = trigger("punctuation.x", "d", r"a \\s b", "c", matches=["a b"], leaves_alone=["ab"])
    >>> bool(e.hit("a b")), bool(e.hit("c")), len(e.parts)
    (True, True, 2)
    >>> trigger("punctuation.x", "d", "  ", matches=["a"], leaves_alone=["b"])
    Traceback (most recent call last):
    ...
    ValueError: punctuation.x: empty pattern (it would match everywhere)
    """
    if not alternatives or any(not a.strip() for a in alternatives):
        raise ValueError(f"{rule_id}: empty pattern (it would match everywhere)")
    f = regex.VERBOSE | flags
    union = "|".join("(?:\n" + a + "\n)" for a in alternatives)
    parts = tuple(safe_compile(a, f) for a in alternatives)
    return Entry(
        id=rule_id,
        regex=safe_compile(union, f),
        description=description,
        matches=tuple(matches),
        leaves_alone=tuple(leaves_alone),
        kind="search",
        parts=parts,
    )


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
