"""Stage ``punctuation``: repair the punctuation machine translation and tokenizers leave.

Runs on the body lines (after metadata is lifted and boilerplate dropped), before
whitespace is normalized. Every rule keeps every letter and digit: it only drops, moves or
swaps marks and spaces, so meaning is never touched. Where a repair would be a guess (which
of two sentence boundaries was meant, which of two Chinese commas), the rule adds a review
entry with :meth:`~cleaners.core.pipeline.DocState.flag` instead of editing.

Language and script decide what is a defect: French spacing before ``; : ! ?`` is correct,
German ``„…“`` / ``»…«`` and ``3 %`` are correct, fullwidth ``，。`` are correct between
Chinese characters and ASCII ones are not. No rule imposes a house style: quotes are never
curled or uncurled, only the odd one out inside one quotation is made to match.

Sources: shared/SEEDS.md section 002 (the 17 catalogued defects of seed 002), shared/PATTERNS.md
section F. Trigger patterns live in :mod:`cleaners.rules.punctuation`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import regex

from cleaners.core.document import Change
from cleaners.core.registry import Stage, rule
from cleaners.core.tracked import TrackedText
from cleaners.core.safety import safe_compile
from cleaners.rules import alt
from cleaners.rules.punctuation import (
    ABBREVIATIONS,
    ASCII_IN_CHINESE,
    CAPITALISED_FUNCTION_WORDS,
    ASCII_TO_FULLWIDTH,
    CJK,
    HAN_KANA,
    COMMA_BEFORE_PERIOD,
    COMMA_CAPITAL,
    DISPLACED_ATTRIBUTION,
    DOMAIN_PARTS,
    DOUBLE_APOSTROPHE,
    DOUBLED_COMMA,
    DOUBLED_PERIOD,
    DUPLICATE_ATTRIBUTION,
    ENTITY_LEFT_PARTS,
    FULLWIDTH_MARK,
    FULLWIDTH_TO_ASCII,
    LATIN_LIKE,
    LOWERCASE_FUNCTION_WORDS,
    MISSING_SPACE,
    PERIOD_LOWERCASE,
    QUOTE_PAIR,
    REVERSED_OPENING_QUOTE,
    SPACE_BEFORE_CLOSING_QUOTE,
    SPACE_BEFORE_PUNCT,
    SPACED_QUOTE,

)

if TYPE_CHECKING:
    from cleaners.core.state import DocState

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
#: doc.marks key: the text the stage started from (set by its first rule), so that its
#: last repair can tell whether anything changed.
STAGE_INPUT_MARK = "punctuation.input"
#: Above this length a rule asks for doc.language (detection reads up to 20,000 characters,
#: tens of milliseconds) only when the text shows three of the language's common words.
LANGUAGE_GATE_CHARS_DEFAULT = 4000

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


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """Start and end (without the newline) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _primary(lang: str | None) -> str:
    return lang.split("-")[0].lower() if lang else ""


def _language(doc: DocState | None) -> str:
    """The document's primary language subtag (``"de"``), or ``""`` when unknown."""
    return "" if doc is None else _primary(doc.language)


def _in_languages(doc: DocState | None, text: str, langs: frozenset[str],
                  words: tuple[str, ...]) -> bool:
    """Whether the document is written in one of ``langs``; detection runs only if needed."""
    if doc is None:
        return False
    if doc.config.language:
        return _primary(doc.config.language) in langs
    if len(text) > LANGUAGE_GATE_CHARS_DEFAULT:
        sample = text[:20_000]
        if sum(sample.count(w) for w in words) < 3:
            return False
    return _language(doc) in langs


class _Lines:
    """Per-rule memo of line facts (is it code?), keyed by line start."""

    __slots__ = ("text", "_code")

    def __init__(self, text: str) -> None:
        self.text = text
        self._code: dict[int, bool] = {}

    def code(self, ls: int, le: int) -> bool:
        v = self._code.get(ls)
        if v is None:
            v = self._code[ls] = _is_code_line(self.text[ls:le])
        return v


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


def _closes_curly(text: str, q: int, ls: int) -> bool:
    """Whether the curly quote at ``q`` closes a quotation opened earlier on its line."""
    ch = text[q]
    before = text[ls:q]
    if ch == "\u201d":  # ”: an English “ is open
        return before.count("\u201c") > before.count("\u201d")
    if ch == "\u2019":  # ’: a ‘ is open (apostrophes do not close)
        closed = before.count("\u2019") - _apostrophe_count(text[ls : q + 1])
        return before.count("\u2018") > closed
    if ch == "\u201c":  # “ closes only a German-style „
        return before.count("\u201e") > before.count("\u201c")
    return False


def _flag(doc: DocState | None, rule_id: str, start: int, end: int, text: str, reason: str,
          suggestion: str | None = None) -> None:
    if doc is not None:
        doc.flag(rule_id, start, end, text[start:end], reason, suggestion)


def apply_rule(fn: Callable[..., Iterable[Change]], text: str, *, language: str | None = None
               ) -> tuple[str, list[tuple[str, str]]]:
    """Run one rule alone on ``text``: return the new text and its ``(rule, text)`` reviews.

    For doctests and tests; ``language`` overrides detection (``"und"`` for none).

    >>> apply_rule(collapse_doubled_period, "industry. .")
    ('industry.', [])
    """
    from cleaners.core.config import Config
    from cleaners.core.state import DocState

    tracked = TrackedText(text)
    doc = DocState(tracked, config=Config(language=language), fmt="text")
    tracked.apply(list(fn(text, doc)))
    return tracked.text, [(r.rule, r.text) for r in doc.reviews]


# -- repairs: doubled marks --------------------------------------------------------------


@rule("punctuation.collapse_doubled_period", category="punctuation")
def collapse_doubled_period(text: str, doc: Any) -> Iterator[Change]:
    """Drop the second of two periods separated by white space (``. .``) or after ``。``.

    Machine translation appends a period to a sentence that already has one (seed 002
    l.9, 15, 27). Only when the second period ends the sentence.

    Leaves alone: ellipses ``...``, ``…``, ``(...)`` and the spaced ``. . .``; two
    adjacent periods ``..`` (a truncated ellipsis or a path); ``e.g. .bashrc``; ``Inc.``.

    >>> apply_rule(collapse_doubled_period, "the United States. . This is because")[0]
    'the United States. This is because'
    >>> apply_rule(collapse_doubled_period, "so . . . then (...) wait.. e.g. .bashrc")[0]
    'so . . . then (...) wait.. e.g. .bashrc'
    """
    if doc is not None:
        doc.marks[STAGE_INPUT_MARK] = text
    rid = DOUBLED_PERIOD.id
    latin, ideographic = DOUBLED_PERIOD.parts
    if " ." in text or "\t." in text:
        for m in _matches(latin, _FINDERS["period_dup"], text):
            yield Change(m.start("dup"), m.end("dup"), "", rid)
    if _has_wide(text) and "\u3002" in text:
        for m in ideographic.finditer(text):
            yield Change(m.start("dup"), m.end("dup"), "", rid)


@rule("punctuation.collapse_doubled_comma", category="punctuation")
def collapse_doubled_comma(text: str, doc: Any) -> Iterator[Change]:
    """Drop the second of two commas (``, ,``, ``，，``, ``，,``).

    Seed 002 l.71 ``work together, , by cooperating``.

    Leaves alone: ``,,`` (the ASCII stand-in for German ``„``), empty fields in number
    lists ``1, ,2``.

    >>> apply_rule(collapse_doubled_comma, "work together, , by cooperating")[0]
    'work together, by cooperating'
    >>> apply_rule(collapse_doubled_comma, ",,Bild'' sagt, und 1, ,2")[0]
    ",,Bild'' sagt, und 1, ,2"
    """
    rid = DOUBLED_COMMA.id
    ascii_first, fullwidth_first = DOUBLED_COMMA.parts
    wide = _has_wide(text) and "\uff0c" in text
    if " ," in text or "\t," in text or wide:
        for m in ascii_first.finditer(text):
            yield Change(m.start("dup"), m.end("dup"), "", rid)
    if wide:
        for m in fullwidth_first.finditer(text):
            yield Change(m.start("dup"), m.end("dup"), "", rid)


@rule("punctuation.drop_comma_before_period", category="punctuation")
def drop_comma_before_period(text: str, doc: Any) -> Iterator[Change]:
    """Drop a comma (ASCII or fullwidth) standing right before a sentence's final period.

    ``in 2023，.`` -> ``in 2023.``: the period ends the sentence, the comma is debris of a
    clause the translation cut off.

    Leaves alone: ``,...`` (comma and ellipsis), ``Co.,``/``etc.,`` (period first),
    ``,.5``, a list of names that start with a period (``Electron, .NET``, ``.docx, .odt``),
    Chinese text (``中国，.``: which mark was meant is a guess).

    >>> apply_rule(drop_comma_before_period, "revenue rose in 2023\\uff0c. Next year")[0]
    'revenue rose in 2023. Next year'
    >>> apply_rule(drop_comma_before_period, "Co., Ltd., so on,... like Electron, .NET, or Java")[0]
    'Co., Ltd., so on,... like Electron, .NET, or Java'
    """
    rid = COMMA_BEFORE_PERIOD.id
    ascii_first, fullwidth_first = COMMA_BEFORE_PERIOD.parts
    hits: list[regex.Match[str]] = []
    if _has_wide(text) and "\uff0c" in text:
        hits.extend(fullwidth_first.finditer(text))
    if ",." in text or ", ." in text or ",  " in text or ",\t" in text:
        hits.extend(_matches(ascii_first, _FINDERS["comma_period"], text))
    for m in hits:
        yield Change(_space_start(text, m.start()), m.end() - 1, "", rid)


# -- repairs: script -------------------------------------------------------------------


@rule("punctuation.convert_fullwidth_in_latin", category="script")
def convert_fullwidth_in_latin(text: str, doc: Any) -> Iterator[Change]:
    """Turn fullwidth CJK punctuation inside a Latin-script sentence into ASCII.

    ``，。：；！？（）、`` typed with a Chinese input method into English text (PATTERNS F8;
    ftfy maps ``，`` but never ``。``). The mark converts only when neither neighbour is a
    CJK character, no CJK letter is within :data:`LATIN_WINDOW_DEFAULT` characters on the
    line, and a Latin letter or digit is; a space is added where the fullwidth mark carried
    its own spacing (``Hello，world`` -> ``Hello, world``).

    Leaves alone: the same marks in Chinese, Japanese or Korean text, and between Latin
    names inside a Chinese sentence (``使用Sora，ChatGPT等``).

    >>> apply_rule(convert_fullwidth_in_latin, "Hello\\uff0cworld\\u3002 See\\uff08note\\uff09")[0]
    'Hello, world. See (note)'
    >>> apply_rule(convert_fullwidth_in_latin, "我们使用Sora\\uff0cChatGPT等工具\\u3002")[0]
    '我们使用Sora，ChatGPT等工具。'
    """
    if not _has_wide(text) or not any(ch in text for ch in FULLWIDTH_TO_ASCII):
        return
    rid = FULLWIDTH_MARK.id
    w = LATIN_WINDOW_DEFAULT
    for m in FULLWIDTH_MARK.regex.finditer(text):
        i = m.start()
        ch = m.group()
        ls, le = _line_at(text, i)
        lo, hi = max(ls, i - w), min(le, i + w + 1)
        if _CJK_RE.search(text, lo, hi) or not _LATIN_OR_DIGIT_RE.search(text, lo, hi):
            continue
        prev = text[i - 1] if i > ls else ""
        nxt = text[i + 1] if i + 1 < le else ""
        after = FULLWIDTH_TO_ASCII[ch]
        if ch == "\uff08":
            if _is_word_char(prev):
                after = " " + after
        elif ch == "\uff09":
            if _is_word_char(nxt):
                after += " "
        elif nxt.isalpha() or (nxt.isdigit() and not prev.isdigit()):
            after += " "
        yield Change(i, i + 1, after, rid)


# -- repairs: quotes ---------------------------------------------------------------------


@rule("punctuation.replace_double_apostrophe_quotes", category="quotes")
def replace_double_apostrophe_quotes(text: str, doc: Any) -> Iterator[Change]:
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
            before = text[ls:j]
            if before.count("\u201c") > before.count("\u201d"):
                closer = "\u201d"
            elif before.count("\u201e") > before.count("\u201c"):
                closer = "\u201c"
            elif before.count('"') % 2 == 1:
                closer = '"'
            else:
                _flag(doc, rid, s, e, text,
                      "'' used as a quotation mark, but no quotation is open on this line",
                      "\u201d" if curly else '"')
                continue
            yield Change(j, e, closer, rid)


@rule("punctuation.match_quote_pair", category="quotes")
def match_quote_pair(text: str, doc: Any) -> Iterator[Change]:
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
    for pattern, proper in jobs:
        for m in pattern.finditer(text):
            o, c = m.start(), m.end() - 1
            ls, le = _line_at(text, o)
            if lines.code(ls, le):
                continue
            if pattern is not straight_open:
                if not _closing_position(text, c, le) or proper in text[c + 1 : le]:
                    continue  # an apostrophe or a nested quote: the real closer comes later
                if text[o] == "\u201c" and _closes_curly(text, o, ls):
                    continue  # this “ closes a German „: it opens nothing
                if text[c] == '"':
                    replaced.add(c)
                yield Change(c, c + 1, proper, rid)
            else:  # "…”
                before = text[ls:o]
                straight = text.count('"', ls, le) - sum(1 for k in replaced if ls <= k < le)
                if straight % 2 == 0 or before.count("\u201c") > before.count("\u201d"):
                    continue
                if not _opening_position(text, o, ls, le) or not _closing_position(text, c, le):
                    continue
                yield Change(o, o + 1, proper, rid)


@rule("punctuation.move_space_outside_quote", category="quotes")
def move_space_outside_quote(text: str, doc: Any) -> Iterator[Change]:
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
    german: list[bool] = []

    def is_german() -> bool:
        if not german:
            german.append(_in_languages(doc, text, LOW_HIGH_QUOTE_LANGUAGES, _LOW_HIGH_WORDS))
        return german[0]

    if '"' in text:
        for m in straight_closer.finditer(text):
            q = m.start()
            ls, le = _line_at(text, q)
            pairs = _straight_pairs(text, ls, le)
            if pairs is None or lines.code(ls, le):
                continue
            pos, bad = pairs
            idx = pos.index(q)
            if idx % 2 == 0 or set(bad) - _glued_closers(text, pos, bad):
                continue
            o = pos[idx - 1]
            s0 = _space_start(text, q)
            if _shape(text, o, ls, le) != "open" or not text[o + 1 : s0].strip():
                continue
            yield Change(s0, q + 1, '" ', rid)
        for m in straight_opener.finditer(text):
            q = m.start()
            ls, le = _line_at(text, q)
            pairs = _straight_pairs(text, ls, le)
            if pairs is None or lines.code(ls, le):
                continue
            pos, bad = pairs
            idx = pos.index(q)
            if idx % 2 == 1 or set(bad) - _glued_closers(text, pos, bad) or not _is_word_char(text[m.end()]):
                continue  # `" #user"` is a string in code, `" "` a quoted space
            yield Change(q + 1, m.end(), "", rid)
    if "\u201d" in text:
        for m in curly_closer.finditer(text):
            q = m.start()
            ls, le = _line_at(text, q)
            if not _closes_curly(text, q, ls) or lines.code(ls, le):
                continue
            yield Change(_space_start(text, q), q + 1, "\u201d ", rid)
    if "\u201c" in text:
        for m in curly_opener.finditer(text):
            q = m.start()
            ls, le = _line_at(text, q)
            close = text.find("\u201d", m.end(), le)
            if close < 0 or not _is_word_char(text[m.end()]) or "\u201e" in text[ls:le]:
                continue
            if lines.code(ls, le) or is_german():
                continue
            yield Change(q + 1, m.end(), "", rid)


@rule("punctuation.remove_space_before_closing_quote", category="quotes")
def remove_space_before_closing_quote(text: str, doc: Any) -> Iterator[Change]:
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
    rid = SPACE_BEFORE_CLOSING_QUOTE.id
    lines = _Lines(text)
    french: list[bool] = []
    for p, q in zip(SPACE_BEFORE_CLOSING_QUOTE.parts, ('"', "\u201c", "\u201d", "\u2019")):
        if q not in text:
            continue
        for m in p.finditer(text):
            k = m.start()
            ls, le = _line_at(text, k)
            s0 = _space_start(text, k)
            if q == '"':
                pairs = _straight_pairs(text, ls, le)
                if pairs is None or pairs[1]:
                    continue
                pos = pairs[0]
                idx = pos.index(k)
                if idx % 2 == 0 or not text[pos[idx - 1] + 1 : s0].strip(" \t.,;:!?"):
                    continue
            elif not _closes_curly(text, k, ls):
                continue
            if lines.code(ls, le):
                continue
            if not french:
                french.append(_in_languages(doc, text, SPACED_PUNCT_LANGUAGES, _FRENCH_WORDS))
            if french[0]:
                return
            yield Change(s0, k, "", rid)


# -- repairs: spacing --------------------------------------------------------------------


@rule("punctuation.remove_space_before_punct", category="punctuation")
def remove_space_before_punct(text: str, doc: Any) -> Iterator[Change]:
    """Remove white space between a word and the ``. , ; : ! ?`` that ends its clause.

    Tokenizer leaks in machine translation, glued HTML text nodes and site templates
    (``Editor : Li Yan``, seed 000 l.3; ``Mr . Zhou``). Only after a Latin, Greek or
    Cyrillic word, a number or a closing quote/bracket, and only when the mark is followed
    by white space, the end of the line or a closing quote.

    Leaves alone: French ``; : ! ?`` (doc.language ``fr``, or a line with ``«``/``»``),
    ellipses `` ...`` and `` . . .``, ``.NET``, ``.5``, emoticons ``:)``/``: )``, NBSP
    (deliberate), ratios ``3 : 1``, German ``3 %``, Chinese text, marks used as symbols
    (``the ? operator``, ``The period . matches``), ``&amp ;``, code lines.

    >>> apply_rule(remove_space_before_punct, "Editor : Li Yan , said Mr . Zhou")[0]
    'Editor: Li Yan, said Mr. Zhou'
    >>> apply_rule(remove_space_before_punct, "Qu'est-ce que c'est ? Voilà : rien !", language="fr")[0]
    "Qu'est-ce que c'est ? Voilà : rien !"
    """
    rid = SPACE_BEFORE_PUNCT.id
    lines = _Lines(text)
    french: list[bool] = []
    tabs = "\t" in text
    for p, mark in zip(SPACE_BEFORE_PUNCT.parts, ".,;:!?"):
        if " " + mark not in text and not (tabs and "\t" + mark in text):
            continue
        for m in p.finditer(text):
            e = m.start()
            s = _space_start(text, e)
            ls, le = _line_at(text, e)
            nxt = _next_word_char(text, e + 1, le)
            if mark in ".?!" and nxt.islower():
                continue  # a symbol, not a sentence end: `the ? operator`, `. com`
            if mark in ";:" and (nxt in "()" and nxt or (mark == ";" and nxt.isupper())):
                continue  # `: )`, and `ret ; We exit` (a code comment)
            if mark in ",.:" and text[s - 1].isdigit() and nxt.isdigit():
                continue  # 3 : 1, 1 , 2
            t = s - 1
            while t > ls and not text[t - 1].isspace():
                t -= 1
            if text[t] == "&":
                continue  # `&amp ;` must not become an entity
            if lines.code(ls, le):
                continue
            if mark in ";:!?":
                if "\u00ab" in text[ls:le] or "\u00bb" in text[ls:le]:
                    continue
                if not french:
                    french.append(_in_languages(doc, text, SPACED_PUNCT_LANGUAGES, _FRENCH_WORDS))
                if french[0]:
                    continue
            yield Change(s, e, "", rid)


@rule("punctuation.insert_space_after_sentence_end", category="punctuation")
def insert_space_after_sentence_end(text: str, doc: Any) -> Iterator[Change]:
    """Insert the missing space between a sentence's end and the next sentence.

    Seed 002 l.65 ``hands and technology.There is`` and l.69 ``AI applications.China
    still``; glued HTML text nodes (``report!Run free``). Only ``[lower][lower][.!?][Upper]
    [lower]``, so initials and acronyms never trigger.

    Leaves alone: ``DALL.E``, ``U.S.``, ``GPT-4.0``, ``ISC.AI``, ``Co.,Ltd.``, domains
    (``China.org.cn``, ``Amazon.Com``), ``.NET`` names, abbreviations (``Leg.Interest``),
    code (a code line, a token with ``/ @ _ = ( :`` …, digits, more than one dot, a
    camel-case right part: ``Console.WriteLine``), a dotted name used twice in the text
    (``Maui.Gtk``, ``String.Index``), ``Yahoo!Japan``.

    >>> apply_rule(insert_space_after_sentence_end, "hands and technology.There is")[0]
    'hands and technology. There is'
    >>> apply_rule(insert_space_after_sentence_end, "Use Console.WriteLine or China.org.cn or ado.Net")[0]
    'Use Console.WriteLine or China.org.cn or ado.Net'
    """
    rid = MISSING_SPACE.id
    lines = _Lines(text)
    period, exclamation, question = MISSING_SPACE.parts
    hits = list(_matches(period, _FINDERS["glued"], text))
    for mark, p in (("!", exclamation), ("?", question)):
        if mark in text:
            hits.extend(p.finditer(text))
    for m in hits:
        mark = m.group()
        i = m.start()
        ts = i
        while ts > 0 and not text[ts - 1].isspace():
            ts -= 1
        te = i + 1
        while te < len(text) and not text[te].isspace():
            te += 1
        left = text[ts:i].lstrip("\"'\u201c\u2018\u201e\u00ab([{")
        right = text[i + 1 : te].rstrip("\"'\u201d\u2019\u00bb)]},.;:!?")
        core = left + mark + right
        if any(c in _CODE_CHARS for c in core) or any(c.isdigit() for c in core):
            continue
        if any(c in ".!?" for c in left) or any(c in ".!?" for c in right):
            continue  # a dotted chain: domain, file name, attribute path
        if _CAMEL_RE.search(right) or _CAMEL_RE.search(left) or right.lower() in DOMAIN_PARTS:
            continue  # WriteLine, SonyMake.Believe, Amazon.Com
        word = _LETTERS_AT_END_RE.search(left)
        if word and (word.group().lower() in ENTITY_LEFT_PARTS
                     or word.group().lower() + "." in ABBREVIATIONS):
            continue
        if mark == "." and word and _dotted_uses(text, word.group()) > 1:
            continue  # a name used as a namespace elsewhere: Maui.Gtk, logging.Handler
        ls, le = _line_at(text, i)
        if lines.code(ls, le):
            continue
        yield Change(i + 1, i + 1, " ", rid)


def _dotted_uses(text: str, word: str) -> int:
    """How often ``word.`` is glued to a following letter in ``text`` (``logging.Handler``)."""
    n = 0
    k = text.find(word + ".")
    while k >= 0:
        e = k + len(word) + 1
        if e < len(text) and text[e].isalpha() and (k == 0 or not text[k - 1].isalpha()):
            n += 1
        k = text.find(word + ".", e)
    return n


# -- repairs: attribution -----------------------------------------------------------------


@rule("punctuation.drop_duplicate_attribution", category="attribution")
def drop_duplicate_attribution(text: str, doc: Any) -> Iterator[Change]:
    """Drop a second, lower-case attribution right after a quotation's attribution.

    Seed 002 l.57 ``frameworks,” Zhou said. he said.`` -> ``frameworks,” Zhou said.``:
    round-trip translation repeats the speech verb; the lower-case pronoun after a full
    stop shows the second one is debris.

    Leaves alone: a capitalised ``He said …`` (a new sentence), any attribution that is
    not right after a closing quote.

    >>> apply_rule(drop_duplicate_attribution, "frameworks,\\u201d Zhou said. he said.")[0]
    'frameworks,” Zhou said.'
    >>> apply_rule(drop_duplicate_attribution, "frameworks,\\u201d Zhou said. He said more.")[0]
    'frameworks,” Zhou said. He said more.'
    """
    rid = DUPLICATE_ATTRIBUTION.id
    seen: set[int] = set()
    for hit in _DUP_PRONOUN_RE.finditer(text):
        ls, le = _line_at(text, hit.start())
        if ls in seen:
            continue
        seen.add(ls)
        for m in DUPLICATE_ATTRIBUTION.regex.finditer(text, ls, le):
            yield Change(m.start("dup"), m.end("dup"), "", rid)


# -- a fixed point -------------------------------------------------------------------------


class _QuietDoc:
    """The document's state for a re-run: same config and language; no new flags (the first
    run raised them) and scratch marks."""

    __slots__ = ("_doc", "marks")

    def __init__(self, doc: Any) -> None:
        self._doc = doc
        self.marks: dict[str, Any] = {}

    @property
    def config(self) -> Any:
        return self._doc.config

    @property
    def language(self) -> str | None:
        return self._doc.language

    def flag(self, *args: Any, **kwargs: Any) -> None:
        return None


@rule("punctuation.repeat_until_stable", category="punctuation")
def repeat_until_stable(text: str, doc: Any) -> Iterator[Change]:
    """Run the repairs again until they change nothing (at most SETTLE_ROUNDS_DEFAULT rounds).

    One repair can set up another that ran before it: a fullwidth ``）`` becomes ``)`` after
    the doubled-period rule looked for ``. .)``; a glued closer moved out of a quotation
    makes the line's quotes pair cleanly for the opener. Like ftfy's loop, this makes the
    stage reach a fixed point, so that cleaning twice changes nothing. Each change keeps
    the id of the rule that made it; nothing runs when the earlier repairs changed nothing.

    >>> apply_rule(repeat_until_stable, "China. .\uff09 and \uff0c.")[0]
    'China.) and.'
    >>> apply_rule(repeat_until_stable, "Nothing to do.")[0]
    'Nothing to do.'
    """
    start = doc.marks.get(STAGE_INPUT_MARK) if doc is not None else None
    if start is text:
        return  # no repair changed anything: a re-run would not either
    quiet = _QuietDoc(doc) if doc is not None else None
    # The repairs never add or remove a line and look no further than their line, so only
    # the lines they changed are run again.
    lines = text.split("\n")
    before = start.split("\n") if isinstance(start, str) else None
    if before is not None and len(before) != len(lines):
        before = None
    pos = 0
    for i, line in enumerate(lines):
        if before is None or line != before[i]:
            for c in _settle(line, quiet):
                yield Change(c.start + pos, c.end + pos, c.after, c.rule, c.action, c.reason)
        pos += len(line) + 1


def _settle(line: str, quiet: _QuietDoc | None) -> list[Change]:
    """The changes that bring ``line`` to a fixed point of :data:`REPAIRS`."""
    tracked = TrackedText(line)
    for _ in range(SETTLE_ROUNDS_DEFAULT):
        changed = False
        for fn in REPAIRS:
            if quiet is not None and not quiet.config.enabled(fn.rule_id):
                continue
            changes = [c for c in fn(tracked.text, quiet)
                       if quiet is None or quiet.config.enabled(c.rule)]
            if changes:
                tracked.apply(changes)
                changed = True
        if not changed:
            break
    return [Change(e.start, e.end, e.after, e.rule, e.action, e.reason) for e in tracked.edits()]


# -- flags -------------------------------------------------------------------------------


@rule("punctuation.flag_displaced_attribution", category="attribution")
def flag_displaced_attribution(text: str, doc: Any) -> Iterator[Change]:
    """Flag a lower-case ``said X`` right after a full stop: a split or moved attribution.

    Seed 002 l.13 ``…Artificial Intelligence. said Shen Hao, deputy chief engineer.`` and
    l.19 ``360 Security said. said Hongyi Zhou, Technology's founder``: machine translation
    split the organisation's name from the speaker. Repairing needs the original sentence,
    so this only adds a review entry.

    Leaves alone: ``Said`` capitalised (``…was said. Said once, …``), ``” he said.``.

    >>> apply_rule(flag_displaced_attribution, "the Institute. said Shen Hao, deputy chief engineer.")
    ('the Institute. said Shen Hao, deputy chief engineer.', [('punctuation.flag_displaced_attribution', '. said Shen Hao, deputy chief engineer.')])
    >>> apply_rule(flag_displaced_attribution, "nothing was said. Said once, not on every focus.")[1]
    []
    """
    if doc is None or " said" not in text and " says" not in text:
        return
    rid = DISPLACED_ATTRIBUTION.id
    for m in _matches(DISPLACED_ATTRIBUTION.regex, _FINDERS["said"], text):
        s = m.start()
        _, le = _line_at(text, s)
        end = text.find(". ", m.end(), le)
        end = le if end < 0 else end + 1
        _flag(doc, rid, s, end, text,
              "lower-case 'said' after a full stop: the attribution was split or moved "
              "(machine translation); rewrite it from the source")
    yield from ()


@rule("punctuation.flag_comma_capital", category="punctuation")
def flag_comma_capital(text: str, doc: Any) -> Iterator[Change]:
    """Flag a comma followed by a capitalised function word continuing in lower case.

    Seed 002 l.65 ``within that vertical sector, The model will``: either the comma should
    be a full stop or the capital a small letter; which one is a guess (English only).

    Leaves alone: proper nouns after a comma (``Beijing, China``, ``, The Hague``), ``, I``,
    ``, A``, quotations (``said, “The``), other languages.

    >>> apply_rule(flag_comma_capital, "within that vertical sector, The model will not only", language="en")[1]
    [('punctuation.flag_comma_capital', ', The model')]
    >>> apply_rule(flag_comma_capital, "It was moved to Nanjing, The Hague and Beijing, China.", language="en")[1]
    []
    """
    if doc is None:
        return
    rid = COMMA_CAPITAL.id
    checked = False
    for m in _matches(COMMA_CAPITAL.regex, _FINDERS["comma_capital"], text):
        if not checked:
            if _language(doc) not in ("", "en"):
                return
            checked = True
        end = m.end() - 1
        while end < len(text) and text[end].isalpha():
            end += 1
        suggestion = ", " + m.group("word").lower() + text[m.end("word") : end]
        _flag(doc, rid, m.start(), end, text,
              "comma followed by a capitalised function word: a lost or an added sentence "
              "boundary (machine translation)", suggestion)
    yield from ()


@rule("punctuation.flag_period_lowercase", category="punctuation")
def flag_period_lowercase(text: str, doc: Any) -> Iterator[Change]:
    """Flag a full stop followed by a lower-case function word: a sentence split in two.

    Seed 002 l.47 ``industrial revitalization. and accelerate``, l.35 ``sector. is not
    possible``, l.71 ``AI. can do.`` (English only). Dropping the period is right only when
    the two halves belong together, hence a review entry.

    Leaves alone: abbreviations (``etc.``, ``e.g.``, ``i.e.``, ``vs.``, ``U.S.``, ``Co.``,
    ``Dr.``, ``in.``, any token with an inner period, initials ``J.``), ellipses, ``.
    said`` (its own flag), capitalised words, other languages.

    >>> apply_rule(flag_period_lowercase, "promote industrial revitalization. and accelerate", language="en")[1]
    [('punctuation.flag_period_lowercase', '. and')]
    >>> apply_rule(flag_period_lowercase, "founders in the U.S. are, Co. and Dr. who etc. and", language="en")[1]
    []
    """
    if doc is None:
        return
    rid = PERIOD_LOWERCASE.id
    checked = False
    for m in _matches(PERIOD_LOWERCASE.regex, _FINDERS["period_lower"], text):
        p = m.start()
        t = p
        while t > 0 and not text[t - 1].isspace():
            t -= 1
        token = text[t:p].lstrip("\"'\u201c\u2018([")
        if "." in token or (token + ".").lower() in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if not checked:
            if _language(doc) not in ("", "en"):
                return
            checked = True
        _flag(doc, rid, p, m.end(), text,
              "full stop followed by a lower-case word: a sentence split by machine translation",
              " " + m.group("word"))
    yield from ()


@rule("punctuation.flag_ascii_in_chinese", category="script")
def flag_ascii_in_chinese(text: str, doc: Any) -> Iterator[Change]:
    """Flag ASCII ``, . : ; ! ?`` between Chinese characters (one entry per line).

    Decision: flag, do not repair. Stored copies of Chinese pages are often NFKC-folded
    (fullwidth marks became ASCII, see the PATTERNS conventions), so the fix is restoring
    the original form, and an ASCII comma maps to ``，`` or to the enumeration comma ``、``:
    a guess. The suggestion uses ``，``.

    Leaves alone: fullwidth marks, decimals ``2.0``, ellipses ``...``, Latin words inside
    Chinese text (``ChatGPT, Sora``), Korean (it uses ASCII punctuation).

    >>> apply_rule(flag_ascii_in_chinese, "中国,美国和日本.")[1]
    [('punctuation.flag_ascii_in_chinese', ',美国和日本.')]
    >>> apply_rule(flag_ascii_in_chinese, "中国，美国。版本2.0")[1]
    []
    """
    if doc is None or not _has_wide(text) or not _HAN_KANA_RANGE_RE.search(text):
        return
    rid = ASCII_IN_CHINESE.id
    by_line: dict[int, list[int]] = {}
    for m in ASCII_IN_CHINESE.regex.finditer(text):
        by_line.setdefault(_line_at(text, m.start())[0], []).append(m.start())
    for positions in by_line.values():
        s, e = positions[0], positions[-1] + 1
        marks = set(positions)
        suggestion = "".join(
            ASCII_TO_FULLWIDTH[text[k]] if k in marks else text[k] for k in range(s, e)
        )
        _flag(doc, rid, s, e, text,
              f"{len(positions)} ASCII punctuation mark(s) between Chinese characters "
              "(a ',' may be '，' or '、')", suggestion)
    yield from ()


@rule("punctuation.flag_reversed_opening_quote", category="quotes")
def flag_reversed_opening_quote(text: str, doc: Any) -> Iterator[Change]:
    """Flag a closing ``”`` that opens a Chinese quotation (``写道:”中国…``).

    PATTERNS F6 (creaders page). Swapping it is likely right, but the text around such
    quotes is usually garbled too, so a reviewer decides.

    Leaves alone: ``“`` openers, ``”`` before Latin text (Swedish and Finnish open with
    ``”``).

    >>> apply_rule(flag_reversed_opening_quote, "报道写道:\\u201d中国经济\\u3002\\u201d")[1]
    [('punctuation.flag_reversed_opening_quote', '”')]
    >>> apply_rule(flag_reversed_opening_quote, "报道写道:\\u201c中国经济\\u3002\\u201d")[1]
    []
    """
    if doc is None or "\u201d" not in text or not _has_wide(text):
        return
    rid = REVERSED_OPENING_QUOTE.id
    for m in REVERSED_OPENING_QUOTE.regex.finditer(text):
        _flag(doc, rid, m.start(), m.end(), text,
              "closing quotation mark used to open a quotation", "\u201c")
    yield from ()


#: The repairs, in the order they run (flags follow them).
REPAIRS = (
    collapse_doubled_period,
    collapse_doubled_comma,
    drop_comma_before_period,
    convert_fullwidth_in_latin,
    replace_double_apostrophe_quotes,
    match_quote_pair,
    move_space_outside_quote,
    remove_space_before_closing_quote,
    remove_space_before_punct,
    insert_space_after_sentence_end,
    drop_duplicate_attribution,
)

STAGE = Stage(
    "punctuation",
    (
        *REPAIRS,
        repeat_until_stable,
        flag_displaced_attribution,
        flag_comma_capital,
        flag_period_lowercase,
        flag_ascii_in_chinese,
        flag_reversed_opening_quote,
    ),
)
