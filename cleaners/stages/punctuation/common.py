"""Shared pieces of the ``punctuation`` stage: thresholds, finders, line and quote helpers.

Enters: text and the document state the rules pass. Leaves: facts the rules of
:mod:`.marks`, :mod:`.quotes`, :mod:`.spacing` and :mod:`.flags` share (is a line code,
where a quote can open or close, which language the page is in) and :func:`apply_rule`,
which runs one rule alone for doctests and tests.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator

import regex

from cleaners.core.config import Config
from cleaners.core.document import Change
from cleaners.core.language import is_written_in, primary_subtag
from cleaners.core.safety import safe_compile
from cleaners.core.state import DocState
from cleaners.core.tracked import TrackedText
from cleaners.rules import alt
from cleaners.rules.punctuation import (
    CAPITALISED_FUNCTION_WORDS, CJK, HAN_KANA, LATIN_LIKE, LOWERCASE_FUNCTION_WORDS,
    MISSING_SPACE,
)

#: Characters on each side of a fullwidth mark that must be free of CJK letters (and hold
#: at least one Latin letter or digit) for the mark to count as inside a Latin sentence.
LATIN_WINDOW_DEFAULT = 24
#: Languages that put a space before ``; : ! ?`` (and inside guillemets).
SPACED_PUNCT_LANGUAGES = frozenset({"fr", "br"})
#: Languages whose quotations open low and close with ``“`` (``„…“``).
LOW_HIGH_QUOTE_LANGUAGES = frozenset(
    {"de", "cs", "sk", "sl", "hr", "bs", "sr", "lt", "et", "is", "ka", "bg", "da"}
)
#: At most this many extra rounds of the repairs (:func:`repeat_until_stable`).
SETTLE_ROUNDS_DEFAULT = 3

#: Cue words :func:`~cleaners.core.language.is_written_in` counts on long texts.
_FRENCH_WORDS = (" les ", " des ", " est ", " une ", " dans ", " pour ", " qui ", " pas ")
_LOW_HIGH_WORDS = (" der ", " die ", " und ", " das ", " nicht ", " ist ", " mit ", " je ",
                   " na ", " se ", " og ")

_CJK_RE = safe_compile(rf"[{CJK}]")
_HAN_KANA_RE = safe_compile(rf"[{HAN_KANA}]")
#: Kana, CJK extension A and the basic Han block in one range: a cheap prefilter.
_HAN_KANA_RANGE_RE = safe_compile(r"[\u3040-\u9fff]")
#: Everything from the CJK punctuation block to the fullwidth forms (incl. Han and Hangul).
_WIDE_RANGE_RE = safe_compile(r"[\u3000-\uffef]")
_LATIN_OR_DIGIT_RE = safe_compile(rf"[{LATIN_LIKE}\p{{N}}]")
_CAMEL_RE = safe_compile(r"\p{Lu}\p{Ll}+\p{Lu}")
_LETTERS_AT_END_RE = safe_compile(r"\p{L}+$")
_WORD_CHAR_RE = safe_compile(r"[\p{L}\p{M}\p{N}]", linear=True)
_INCH_RE = safe_compile(r'\d"(?![\p{L}\p{N}])')
_DUP_PRONOUN_RE = safe_compile(r"\.[ \t]+(?:he|she|they|it|we)[ \t]")
_CODE_CHARS = frozenset("/@\\_=#:()[]{}<>|~*^$%&+")
_OPENERS_BEFORE = frozenset("([{\u2014\u2013")

#: Signs that a line is program code, checked in this order (cheap substring tests first):
#: repairs that move spaces leave such lines alone.
_CODE_SUBSTRINGS = ("{", "}", ":=", "=>", "->", "==", "!=", "&&", "||", " = ")
_CODE_LINE_STARTS = ("#include", "import ", "from ", "def ", "class ", "public ", "private ",
                     "return ", "var ", "let ", "const ", "func ", "fn ", "//", "/*",
                     "namespace ", "package ", "using ")
_CALL_OR_INDEX_RE = safe_compile(r"\((?<=[\p{L}\p{N}_\]\)]\()|\[(?<=[\p{L}\p{N}_]\[)")


def _is_code_line(line: str) -> bool:
    """Whether a line reads as program code: braces, operators, calls ``f(x)``, indexing
    ``a[i]``, a final ``;`` or a keyword at its start.

    >>> _is_code_line("checkpointInterval := 1 * time.Second"), _is_code_line("He said so (twice).")
    (True, False)
    """
    if any(sub in line for sub in _CODE_SUBSTRINGS):
        return True
    stripped = line.strip()
    if stripped.endswith(";") or stripped.startswith(_CODE_LINE_STARTS):
        return True
    return ("(" in line or "[" in line) and _CALL_OR_INDEX_RE.search(line) is not None


#: Finders: fast ``re`` patterns (a literal, then a lookahead) that point at every place
#: where a table pattern can start, and at some more. :func:`_matches` tries the table
#: pattern only there, which is 2-3x faster than scanning with it (``regex`` tests a
#: lookbehind or alternation at every position; ``re`` jumps to the literal).
_FINDERS: dict[str, re.Pattern[str]] = {
    "period_dup": safe_compile(r"\.(?=[ \t]+\.)"),
    "comma_period": safe_compile(r",(?=[ \t]*\.)"),
    "glued": safe_compile(r"\.(?=[^\W\d_])"),
    "comma_capital": safe_compile(r",(?=[ \t]+" + alt(*CAPITALISED_FUNCTION_WORDS) + r"[ \t])"),
    "period_lower": safe_compile(r"\.(?=[ \t]+" + alt(*LOWERCASE_FUNCTION_WORDS) + r"\b)"),
    "said": safe_compile(r"\.(?=[ \t]+(?:said|says)[ \t])"),
}


def _matches(pattern: regex.Pattern[str], finder: re.Pattern[str], text: str
             ) -> Iterator[regex.Match[str]]:
    """The matches ``pattern.finditer(text)`` would give, tried only where ``finder`` points.

    >>> [m.group() for m in _matches(MISSING_SPACE.parts[0], _FINDERS["glued"], "end.Next a.b")]
    ['.']
    """
    end = 0
    for f in finder.finditer(text):
        p = f.start()
        if p < end:
            continue
        m = pattern.match(text, p)
        if m is not None:
            end = max(m.end(), p + 1)
            yield m


# -- small helpers -----------------------------------------------------------------------


_FACTS: tuple[str | None, dict[str, bool]] = (None, {})


def _has_wide(text: str) -> bool:
    """Whether ``text`` holds any CJK or fullwidth character (one scan per text object).

    Rules that change nothing pass the same ``str`` to the next rule, so the answer is
    kept for the last text seen (compared by identity: no stale answers).
    """
    global _FACTS
    seen, facts = _FACTS
    if seen is not text:
        facts = {}
        _FACTS = (text, facts)
    v = facts.get("wide")
    if v is None:
        v = facts["wide"] = _WIDE_RANGE_RE.search(text) is not None
    return v


_LAST_LINE: tuple[str | None, int, int] = (None, 0, 0)


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """Start and end (without the newline) of the line holding ``pos``.

    The last line found is kept (for the same ``str`` object, compared by identity): rules
    ask about many positions of one long line in turn, and each answer then costs nothing
    instead of a scan back to the line start (which made a long line quadratic).

    >>> _line_at("ab\\ncd\\nef", 4), _line_at("ab\\ncd\\nef", 5), _line_at("ab\\ncd\\nef", 0)
    ((3, 5), (3, 5), (0, 2))
    """
    global _LAST_LINE
    seen, ls, le = _LAST_LINE
    if seen is text and ls <= pos <= le:
        return ls, le
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    _LAST_LINE = (text, start, end)
    return start, end


def _language(doc: DocState | None) -> str:
    """The document's primary language subtag (``"de"``), or ``""`` when unknown."""
    return "" if doc is None else primary_subtag(doc.language)


def _in_languages(doc: DocState | None, text: str, langs: frozenset[str],
                  cue_words: tuple[str, ...]) -> bool:
    """Whether the document is written in one of ``langs``: asks
    :func:`~cleaners.core.language.is_written_in` (detection runs only if needed)."""
    return doc is not None and is_written_in(
        text, langs, cue_words, configured=doc.config.language, detected=lambda: doc.language
    )


def _asker(doc: DocState | None, text: str, langs: frozenset[str],
           cue_words: tuple[str, ...]) -> Callable[[], bool]:
    """A question asked at most once, when first needed: is the document written in one of
    ``langs`` (:func:`_in_languages`)?"""
    answer: list[bool] = []

    def ask() -> bool:
        if not answer:
            answer.append(_in_languages(doc, text, langs, cue_words))
        return answer[0]

    return ask


def _french_asker(doc: DocState | None, text: str) -> Callable[[], bool]:
    """Is the document in a language that spaces ``; : ! ?`` (French, Breton)? Asked once."""
    return _asker(doc, text, SPACED_PUNCT_LANGUAGES, _FRENCH_WORDS)


def _low_high_asker(doc: DocState | None, text: str) -> Callable[[], bool]:
    """Is the document in a language that quotes ``„…“`` (German…)? Asked once."""
    return _asker(doc, text, LOW_HIGH_QUOTE_LANGUAGES, _LOW_HIGH_WORDS)


class _Lines:
    """Per-rule memo of line facts, keyed by line start: is the line code, its straight
    quote pairing, where each mark sits on it. Each fact costs one pass over its line,
    however many matches on the line ask for it (asking per match made long lines
    quadratic)."""

    __slots__ = ("text", "_code", "_pairs", "_clean", "_marks", "_index", "_apos")

    def __init__(self, text: str) -> None:
        self.text = text
        self._code: dict[int, bool] = {}
        self._pairs: dict[int, tuple[list[int], list[int]] | None] = {}
        self._clean: dict[int, bool] = {}
        self._marks: dict[tuple[int, str], list[int]] = {}
        self._index: dict[int, dict[int, int]] = {}
        self._apos: dict[int, list[int]] = {}

    def code(self, ls: int, le: int) -> bool:
        v = self._code.get(ls)
        if v is None:
            v = self._code[ls] = _is_code_line(self.text[ls:le])
        return v

    def pairs(self, ls: int, le: int) -> tuple[list[int], list[int]] | None:
        """:func:`_straight_pairs` of the line, computed once."""
        if ls not in self._pairs:
            self._pairs[ls] = _straight_pairs(self.text, ls, le)
        return self._pairs[ls]

    def pairs_cleanly(self, ls: int, le: int) -> bool:
        """Whether the line's straight quotes pair, every contradicting one being a closer
        glued to the next word (:func:`_glued_closers`); computed once."""
        v = self._clean.get(ls)
        if v is None:
            pairs = self.pairs(ls, le)
            v = pairs is not None and not (set(pairs[1]) - _glued_closers(self.text, *pairs))
            self._clean[ls] = v
        return v

    def index(self, ls: int, pos: list[int], q: int) -> int:
        """``pos.index(q)`` for the line's straight quotes ``pos``, in constant time."""
        idx = self._index.get(ls)
        if idx is None:
            idx = self._index[ls] = {k: i for i, k in enumerate(pos)}
        return idx[q]

    def marks(self, ls: int, le: int, ch: str) -> list[int]:
        """The offsets of ``ch`` on the line, in order."""
        key = (ls, ch)
        found = self._marks.get(key)
        if found is None:
            found = []
            k = self.text.find(ch, ls, le)
            while k >= 0:
                found.append(k)
                k = self.text.find(ch, k + 1, le)
            self._marks[key] = found
        return found

    def count(self, ls: int, le: int, ch: str, start: int, end: int) -> int:
        """``text.count(ch, start, end)`` for a span of the line (single character ``ch``)."""
        found = self.marks(ls, le, ch)
        return bisect.bisect_left(found, end) - bisect.bisect_left(found, start)

    def apostrophes_before(self, ls: int, le: int, q: int) -> int:
        """``_apostrophe_count(text[ls : q + 1])`` for the ``’`` at ``q``."""
        found = self._apos.get(ls)
        if found is None:
            t = self.text
            found = self._apos[ls] = [
                k for k in self.marks(ls, le, "\u2019")
                if k > ls and k + 1 < le and t[k - 1].isalpha() and t[k + 1].isalpha()
            ]
        return bisect.bisect_left(found, q)


def _is_word_char(ch: str) -> bool:
    return bool(ch) and _WORD_CHAR_RE.match(ch) is not None


def _space_start(text: str, i: int) -> int:
    """The start of the run of spaces and tabs that ends at ``i``."""
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i


def _next_word_char(text: str, i: int, le: int) -> str:
    """The first character after the spaces at ``i`` (``""`` at the line end)."""
    while i < le and text[i] in " \t":
        i += 1
    return text[i] if i < le else ""


def _closing_position(text: str, i: int, line_end: int) -> bool:
    """The quote at ``i`` follows a non-space and is not glued to a following word."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < line_end else ""
    return not prev.isspace() and not _is_word_char(nxt)


def _opening_position(text: str, i: int, line_start: int, line_end: int) -> bool:
    """The quote at ``i`` starts the line or follows a space/bracket, and precedes a non-space."""
    prev = text[i - 1] if i > line_start else " "
    nxt = text[i + 1] if i + 1 < line_end else " "
    return (prev.isspace() or prev in _OPENERS_BEFORE) and not nxt.isspace()


def _shape(text: str, k: int, ls: int, le: int) -> str:
    """``"open"``/``"close"`` when the quote at ``k`` can only open/close, else ``""``."""
    prev = text[k - 1] if k > ls else " "
    nxt = text[k + 1] if k + 1 < le else " "
    if (prev.isspace() or prev in _OPENERS_BEFORE) and (_is_word_char(nxt) or nxt in "\u2018'"):
        return "open"
    if (_is_word_char(prev) or prev in ".,!?;:\u2026)\u2019'") and (
        nxt.isspace() or nxt in ".,;:!?)]}\u2014\u2013"
    ):
        return "close"
    return ""


def _straight_pairs(text: str, ls: int, le: int) -> tuple[list[int], list[int]] | None:
    """A line's straight double quotes in order and those whose shape contradicts pairing.

    Quotes pair in order (1st opens, 2nd closes …). ``None`` when that is unreliable: an odd
    count or an inch mark (``12"``).
    """
    pos: list[int] = []
    k = text.find('"', ls, le)
    while k >= 0:
        pos.append(k)
        k = text.find('"', k + 1, le)
    if not pos or len(pos) % 2 or _INCH_RE.search(text, ls, le):
        return None
    bad = []
    for idx, k in enumerate(pos):
        s = _shape(text, k, ls, le)
        if s and s != ("open" if idx % 2 == 0 else "close"):
            bad.append(k)
    return pos, bad


def _glued_closers(text: str, pos: list[int], bad: list[int]) -> set[int]:
    """The contradicting quotes that are closers glued to the next word (``First "policy``):
    the ones :func:`move_space_outside_quote` repairs."""
    odd = set(pos[1::2])
    return {k for k in bad if k in odd and text[k - 1] in " \t"}


def _apostrophe_count(s: str) -> int:
    """``’`` used as an apostrophe (between two letters) in ``s``."""
    return sum(
        1 for k in range(1, len(s) - 1)
        if s[k] == "\u2019" and s[k - 1].isalpha() and s[k + 1].isalpha()
    )


def _closes_curly(text: str, q: int, ls: int, lines: _Lines | None = None) -> bool:
    """Whether the curly quote at ``q`` closes a quotation opened earlier on its line
    (counted through ``lines`` when given: once per line, not once per quote).

    >>> _closes_curly("\u201ca\u201d", 2, 0), _closes_curly("a\u201d", 1, 0, _Lines("a\u201d"))
    (True, False)
    """
    ch = text[q]
    if lines is None:
        before = text[ls:q]

        def count(c: str) -> int:
            return before.count(c)

        def apostrophes() -> int:
            return _apostrophe_count(text[ls : q + 1])
    else:
        le = _line_at(text, q)[1]

        def count(c: str) -> int:
            return lines.count(ls, le, c, ls, q)

        def apostrophes() -> int:
            return lines.apostrophes_before(ls, le, q)
    if ch == "\u201d":  # ”: an English “ is open
        return count("\u201c") > count("\u201d")
    if ch == "\u2019":  # ’: a ‘ is open (apostrophes do not close)
        return count("\u2018") > count("\u2019") - apostrophes()
    if ch == "\u201c":  # “ closes only a German-style „
        return count("\u201e") > count("\u201c")
    return False


def _flag(doc: DocState | None, rule_id: str, start: int, end: int, text: str, reason: str,
          suggestion: str | None = None) -> None:
    if doc is not None:
        doc.flag(rule_id, start, end, text[start:end], reason, suggestion)


def apply_rule(fn: Callable[..., Iterable[Change]], text: str, *, language: str | None = None
               ) -> tuple[str, list[tuple[str, str]]]:
    """Run one rule alone on ``text``: return the new text and its ``(rule, text)`` reviews.

    For doctests and tests; ``language`` overrides detection (``"und"`` for none).

    >>> from cleaners.stages.punctuation.marks import collapse_doubled_period
    >>> apply_rule(collapse_doubled_period, "industry. .")
    ('industry.', [])
    """
    tracked = TrackedText(text)
    doc = DocState(tracked, config=Config(language=language), fmt="text")
    tracked.apply(list(fn(text, doc)))
    return tracked.text, [(r.rule, r.text) for r in doc.reviews]

