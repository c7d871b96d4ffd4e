"""Line features: what the classifier's ladder looks at, computed once per line.

What enters: a page's stripped lines. What leaves: one :class:`LineFeatures` per non-empty
line (length, words, stop-word share in the page's language, separators, links, stamps,
repeats, end markers...). Facts that depend on a line's text alone are kept in a memo
(:class:`_Line`) across the classifier's rounds; cheap ``could_*`` gates spare most lines
their regex.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.core.language import stop_word_language
from cleaners.core.safety import safe_compile
from cleaners.rules.stopwords import LANGUAGES_BY_WORD, STOP_CHARS_ZH, STOP_WORDS
from cleaners.stages.boilerplate.classify.markers import is_end_marker

#: A line shorter than this (characters; CJK characters count double) is ``SHORT``.
LENGTH_LOW_DEFAULT = 70
#: A line at least this long whose stop-word share is at least this is no code, whatever
#: its brackets (in prose, brackets are just brackets).
CODE_STOP_MAX_DEFAULT = 0.15
#: A short line of at most this many words, mostly capitalised, is a navigation label.
NAV_WORDS_DEFAULT = 3
#: A date or time stamp whose shape recurs this often marks records (comments, teasers).
STAMP_REPEATS_DEFAULT = 3
STAMP_MAX_CHARS_DEFAULT = 80
#: Word counts and stop-word shares of a long line are measured on its first this many
#: characters (and scaled): prose does not change its nature half-way through a paragraph.
SAMPLE_CHARS_DEFAULT = 300

_DIGIT_OR_DAY_RE = safe_compile(r"\d|(?i:today|yesterday)", linear=True)
CJK_RE = safe_compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]", linear=True, engine="re"
)
_WORD_RE = safe_compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+", linear=True)
_LINK_RE = safe_compile(
    r"https?://\S+|www\.\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b|(?<!\w)@\w{2,}"
    r"|\b[\w-]+\.(?:com|org|net|io|co|de|cn|uk|gov|edu)\b"
)
_SEPARATOR_RE = safe_compile(r"\s[|•·»›]\s|\s/\s|\|", linear=True)
_SEPARATOR_CHARS = frozenset("|•·»›/")
_LIST_MARKER_RE = safe_compile(
    r"^(?:[-–—•*·▪►✓✔]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|[ivx]{1,4}\.\s)", linear=True
)
#: Code and markup: brackets, assignments, arrows, keywords at the start, shell prompts.
_CODE_RE = safe_compile(
    r"[{}();=<>\[\]]|->|::|^(?:def|class|import|from|return|if|for|while|const|let|var"
    r"|function|public|private)\b|^[$#>] ", linear=True
)
_MARKUP_RE = safe_compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^<>]*>|&(?:[a-z]+|#\d+);", linear=True)
#: Date and time stamps of records (``2 days ago at 07:52 am``, ``November 19, 2019``).
_STAMP_RE = safe_compile(
    r"(?i)\b(?:\d+\s+(?:sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago"
    r"|\d{1,2}:\d{2}\s*(?:am|pm)?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|yesterday|today)\b", linear=True
)
_SHAPE_DIGITS_RE = safe_compile(r"\d+", linear=True)
_SHAPE_WORDS_RE = safe_compile(r"[^\W\d_]+", linear=True)
_CLOSERS = "\"'”’»)]）」』"
_SENTENCE_END = frozenset(".!?。！？…")


@dataclass(slots=True)
class LineFeatures:
    """What the ladder looks at, computed once per non-empty line."""

    #: Index of the line in the page's line list.
    index: int
    #: The stripped line.
    text: str
    #: Characters, with CJK characters counted twice (they carry a word's worth each).
    length: int
    #: Word tokens (a CJK character counts half a word); for a line longer than
    #: :data:`SAMPLE_CHARS_DEFAULT`, estimated from its start.
    words: float
    #: Stop-word share of words; ``None`` when the page language has no list.
    stop_ratio: float | None
    #: Ends with sentence punctuation (closing quotes and brackets may follow).
    sentence_end: bool
    #: ``|``, ``•``, ``»``, `` / `` separators between segments.
    separators: int
    #: Share of words that start with a capital; only computed for lines of at most
    #: :data:`NAV_WORDS_DEFAULT` words (``None`` otherwise or without cased words).
    capitalised: float | None
    #: Share of characters taken by URL, e-mail, @handle and domain tokens.
    link_share: float
    #: Starts with a list marker (``- ``, ``1. ``, ``• ``).
    list_item: bool
    #: Looks like code (brackets, ``=``, keywords); only looked for on short lines and on
    #: long lines with few stop words (in prose, brackets are just brackets).
    code: bool
    #: Holds HTML markup (two or more tags or entities): a template or an embed code.
    markup: bool
    #: A date or time stamp whose shape recurs in the page (records: comments, teasers).
    stamp: bool
    #: How often the same line (case-folded, spaces collapsed) occurs in the page.
    repeats: int
    #: A related / comments / share / tags header (an entry of ``END_MARKER_TABLE``).
    end_marker: bool



def norm_key(line: str) -> str:
    """The key lines are compared by within a page: spaces collapsed, case folded.

    >>> norm_key("  Share   THIS ")
    'share this'
    """
    return " ".join(line.split()).casefold()



def page_language(lines: Sequence[str]) -> str | None:
    """The stop-word list that fits the page best, or ``None`` when none fits
    (:func:`cleaners.core.language.stop_word_language` on the page's words).

    Chinese (``zh``) is chosen when CJK characters outnumber other words.

    >>> page_language(["The cat sat on the mat and it was happy with the day."] * 2)
    'en'
    >>> page_language(["Der Hund ist nicht in dem Haus, aber er ist auf der Straße."] * 2)
    'de'
    >>> page_language(["Home", "Login"]) is None
    True
    """
    tokens = [_WORD_RE.findall(s.lower()) for s in lines if s]
    cjk = sum(len(CJK_RE.findall(s)) for s in lines if s and not s.isascii())
    return stop_word_language(tokens, cjk, LANGUAGES_BY_WORD)


def _record_shape(line: str) -> str | None:
    """The shape of a line's date/time stamp (digits as 0, words as a), with ``x``/``y``
    for text before/after it: ``reader7 on March 3, 2024 at 9:14 am said:`` and ``Catherine
    (GiveWell) on May 20, 2018 at 10:07 am said:`` share one shape; ``None`` without a stamp.

    >>> _record_shape("Tom on March 3, 2024 at 9:14 am said:")
    'x a 0, 0 y'
    >>> _record_shape("Home") is None
    True
    """
    m = _STAMP_RE.search(line)
    if m is None:
        return None
    stamp = _SHAPE_WORDS_RE.sub("a", _SHAPE_DIGITS_RE.sub("0", m.group().lower()))
    return ("x " if m.start() else "") + stamp + (" y" if m.end() < len(line) else "")



class _Line:
    """Facts about one line's text that do not depend on the rest of the page (computed
    once per distinct line within a :func:`classify_page` call, its rounds included)."""

    __slots__ = ("toks", "cjk", "length", "words", "key", "shape", "sentence_end", "separators",
                 "capitalised", "link_share", "list_item", "markup", "end_marker", "_code",
                 "_stops", "text")  # fmt: skip

    def __init__(self, s: str, toks: list[str] | None = None) -> None:
        self.text = s
        n = len(s)
        sample = s if n <= SAMPLE_CHARS_DEFAULT else s[:SAMPLE_CHARS_DEFAULT]
        # toks: the words of the sample, when :func:`sample_tokens` found them for a batch
        self.toks = _WORD_RE.findall(sample.lower()) if toks is None else toks
        cjk = 0 if s.isascii() else len(CJK_RE.findall(sample))
        scale = n / len(sample)
        self.cjk = round(cjk * scale)
        self.length = n + self.cjk
        self.words = (len(self.toks) + cjk / 2) * scale
        self.key = norm_key(s)
        self.shape = (
            _record_shape(s)
            if n <= STAMP_MAX_CHARS_DEFAULT and could_have_digit_or_day(s) and _DIGIT_OR_DAY_RE.search(s)
            else None
        )
        tail = s.rstrip(_CLOSERS)
        self.sentence_end = bool(tail) and tail[-1] in _SENTENCE_END
        self.separators = 0
        if not _SEPARATOR_CHARS.isdisjoint(s):
            self.separators = len(_SEPARATOR_RE.findall(s)) + s.count("•")
        self.capitalised = None
        if self.words <= NAV_WORDS_DEFAULT:
            n_cased = n_upper = 0
            for w in s.split():
                c = w[0]
                if c.isupper():
                    n_upper += 1
                    n_cased += 1
                elif c.islower():
                    n_cased += 1
            self.capitalised = n_upper / n_cased if n_cased else None
        link_chars = 0
        if "://" in s or "www." in s or "@" in s or (
            self.length < LENGTH_LOW_DEFAULT and could_have_domain(s)
        ):
            for m in _LINK_RE.finditer(s):
                link_chars += m.end() - m.start()
        self.link_share = link_chars / len(s)
        self.list_item = could_be_list_item(s) and _LIST_MARKER_RE.match(s) is not None
        self.markup = ("<" in s or "&" in s) and len(_MARKUP_RE.findall(s)) >= 2
        self.end_marker = is_end_marker(s)
        self._code: bool | None = None
        self._stops: dict[str, float] = {}

    def stop_ratio(self, lang: str | None) -> float | None:
        if lang is None:
            return None
        ratio = self._stops.get(lang)
        if ratio is None:
            stops = STOP_WORDS.get("en" if lang == "zh" else lang)
            if stops is None:
                return None
            sample_words = len(self.toks)
            n_stop = sum(map(stops.__contains__, self.toks))
            if self.cjk:
                sample = self.text[:SAMPLE_CHARS_DEFAULT]
                n_stop += sum(map(STOP_CHARS_ZH.__contains__, sample))
                sample_words += len(CJK_RE.findall(sample)) / 2
            ratio = n_stop / sample_words if sample_words else 0.0
            self._stops[lang] = ratio
        return ratio

    def code(self, stop_ratio: float | None) -> bool:
        # brackets and '=' only hint at code on short lines and on lines with few stop words
        if self.length >= LENGTH_LOW_DEFAULT and (stop_ratio or 0.0) >= CODE_STOP_MAX_DEFAULT:
            return False
        if self._code is None:
            self._code = could_be_code(self.text) and _CODE_RE.search(self.text) is not None
        return self._code


#: First characters of the bullets :data:`_LIST_MARKER_RE` takes.
_BULLETS = frozenset("-–—•*·▪►✓✔")
#: :data:`_WORD_RE` on lower-cased ASCII text, plus ``Q``: :func:`sample_tokens` joins
#: samples with ``\nQ\n`` (``\nQQSEP\n`` for the others), which no lower-cased text holds.
_ASCII_WORD_RE = safe_compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+|Q", linear=True, engine="re")


_ASCII_DIGITS = frozenset("0123456789")
_CODE_CHARS = frozenset("{}();=<>[]")
_CODE_WORDS = ("def", "class", "import", "from", "return", "if", "for", "while", "const", "let",
               "var", "function", "public", "private")  # fmt: skip


def could_have_digit_or_day(s: str) -> bool:
    """Cheap necessary condition of ``_DIGIT_OR_DAY_RE.search(s)`` (exact for ASCII text;
    other text always goes to the regex).

    >>> could_have_digit_or_day("Home"), could_have_digit_or_day("Posted TODAY")
    (False, True)
    """
    if not s.isascii():
        return True
    if not _ASCII_DIGITS.isdisjoint(s):
        return True
    low = s.lower()
    return "today" in low or "yesterday" in low


def could_be_code(s: str) -> bool:
    """Cheap necessary condition of ``_CODE_RE.search(s)``: a code character, ``::``, a
    keyword at the start or a prompt (``$ ``, ``# ``, ``> ``).

    >>> could_be_code("f(x)"), could_be_code("import os"), could_be_code("Home")
    (True, True, False)
    """
    return (
        not _CODE_CHARS.isdisjoint(s) or "::" in s or s.startswith(_CODE_WORDS)
        or s[:2] in ("$ ", "# ", "> ")
    )  # fmt: skip


#: The endings :data:`_LINK_RE`'s bare-domain alternative takes (``.co`` covers ``.com``).
_DOMAIN_ENDINGS = (".co", ".org", ".net", ".io", ".de", ".cn", ".uk", ".gov", ".edu")


def could_have_domain(s: str) -> bool:
    """Cheap necessary condition of a :data:`_LINK_RE` match in a line without ``://``,
    ``www.`` or ``@``: only the bare-domain alternative is left, and it needs one of
    :data:`_DOMAIN_ENDINGS` (short lines with a full stop are common; domains are not).

    >>> could_have_domain("example.org"), could_have_domain("Mr. Smith, 3.5 km")
    (True, False)
    """
    for ending in _DOMAIN_ENDINGS:
        if ending in s:
            return True
    return False


def could_be_list_item(s: str) -> bool:
    """Cheap necessary condition of ``_LIST_MARKER_RE.match(s)``: every alternative starts
    with a bullet, or has its ``.`` / ``)`` within the first five characters.

    >>> could_be_list_item("- a"), could_be_list_item("(12) b"), could_be_list_item("Home")
    (True, True, False)
    """
    return s[:1] in _BULLETS or "." in s[1:5] or ")" in s[1:5]


def sample_tokens(lines: Sequence[str]) -> list[list[str]]:
    """The words of each line's lower-cased sample (its first :data:`SAMPLE_CHARS_DEFAULT`
    characters), as ``_WORD_RE.findall`` finds them line by line, in two calls: tokens
    never span the newlines between the samples. ASCII samples go through
    ``_ASCII_WORD_RE`` (the same tokens: on lower-cased ASCII, ``[^\\W\\d_]`` is ``[a-z]``,
    ``\\d`` is ``[0-9]``, and ’ cannot occur), which scans several times faster.

    >>> sample_tokens(["Don't stop", "", "2 QQSEP x", "Ça va l’été"])
    [["don't", 'stop'], [], ['2', 'qqsep', 'x'], ['ça', 'va', 'l’été']]
    """
    out: list[list[str]] = [[] for _ in lines]
    ascii_i: list[int] = []
    other_i: list[int] = []
    samples: list[str] = []
    for i, s in enumerate(lines):
        sample = (s if len(s) <= SAMPLE_CHARS_DEFAULT else s[:SAMPLE_CHARS_DEFAULT]).lower()
        samples.append(sample)
        (ascii_i if sample.isascii() else other_i).append(i)
    for idx, pattern, sep in ((ascii_i, _ASCII_WORD_RE, "Q"), (other_i, _WORD_RE, "QQSEP")):
        if not idx:
            continue
        flat = pattern.findall(f"\n{sep}\n".join(samples[i] for i in idx))
        start = 0
        for k in idx[:-1]:
            j = flat.index(sep, start)
            out[k] = flat[start:j]
            start = j + 1
        out[idx[-1]] = flat[start:]
    return out


def compute_features(
    lines: Sequence[str], lang: str | None = None, *, memo: dict[str, _Line] | None = None
) -> list[LineFeatures | None]:
    """Features of each stripped line (``None`` for blank lines).

    ``lang`` picks the stop-word list; by default :func:`page_language` decides. ``memo``
    keeps the per-line facts between calls on overlapping pages.

    >>> f = compute_features(["Home", "The plan is on the table and it will go ahead."], "en")
    >>> f[0].words, f[0].stop_ratio, f[1].sentence_end, round(f[1].stop_ratio, 2)
    (1.0, 0.0, True, 0.64)
    """
    if memo is None:
        memo = {}
    new = [s for s in dict.fromkeys(lines) if s and s not in memo]
    if new:  # the words of all new lines in one regex call
        for s, toks in zip(new, sample_tokens(new)):
            memo[s] = _Line(s, toks)
    facts: list[_Line | None] = [memo[s] if s else None for s in lines]
    present = [x for x in facts if x is not None]
    if lang is None:
        lang = stop_word_language([x.toks for x in present], sum(x.cjk for x in present), LANGUAGES_BY_WORD)
    counts = Counter(x.key for x in present)
    shape_counts = Counter(x.shape for x in present if x.shape is not None)
    out: list[LineFeatures | None] = []
    append = out.append
    for i, x in enumerate(facts):
        if x is None:
            append(None)
            continue
        stop_ratio = x.stop_ratio(lang)
        shape = x.shape
        # positional, in field order (keywords cost a third more, hundreds of times a page)
        append(
            LineFeatures(
                i,  # index
                x.text,
                x.length,
                x.words,
                stop_ratio,
                x.sentence_end,
                x.separators,
                x.capitalised,
                x.link_share,
                x.list_item,
                x.code(stop_ratio),
                x.markup,
                shape is not None and shape_counts[shape] >= STAMP_REPEATS_DEFAULT,  # stamp
                counts[x.key],  # repeats
                x.end_marker,
            )
        )
    return out

