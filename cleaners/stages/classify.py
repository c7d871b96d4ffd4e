"""Line classifier for page text: keep the article, drop the page around it.

Scraped page text has one block per line: menus, headlines of other stories, cookie
notices, footers, comment threads and the article itself. Following jusText (STYLE.md §4,
§10), every line gets features computed once (:class:`LineFeatures`), a context-free class
from a flat ladder (:func:`classify_line`), and a revised class from its context
(:func:`classify_page`):

1. **First pass.** Long lines full of stop words are prose (``CONTENT``); link-only lines,
   pipe-separated menus, recurring date stamps and long lines without stop words are
   ``BOILERPLATE``; short lines are ``SHORT`` (a heading, a list item or a menu entry: only
   context can tell); medium lines with some stop words are ``UNSURE``. Each reason id
   carries a prior: how likely a line of that kind belongs to the article
   (:data:`PRIOR_DEFAULT`).
2. **The article region.** The article is the densest stretch of prose. Each line scores
   ``words × (2·prior − 1)`` (prose counts for, chrome against), and a two-state path
   (outside / inside the article) that pays :data:`SWITCH_COST_DEFAULT` per change of state
   picks the lines inside (:func:`article_region`). A short line between paragraphs is thus
   a heading or a list item and stays; a menu of forty labels is not worth crossing.
3. **The end of the article.** A related-stories, comments, share or tags header
   (:data:`~cleaners.rules.boilerplate.END_MARKER_TABLE`) closes the article when most of
   the region's prose lies above it, or when dated records (comments, teasers) follow it;
   a run of dated records after the article closes it too (:func:`end_cut`). The rest
   goes with it.
4. **Revision.** Outside the region, chrome and short lines are dropped, each under the
   rule id of its first-pass reason; prose outside the region is kept and flagged (never
   drop an article line on a guess). A page without any article (a shop grid, a home page)
   keeps everything except sure chrome; a snippet of a few lines is left alone.

Both classes and both reasons are kept in each :class:`Verdict`. Everything here is pure
(lines in, verdicts out); the ``boilerplate`` stage turns verdicts into edits.

Priors and thresholds were set from line statistics of the shared bench pages and checked
on the half of the pages not used to set them (token F1 0.787 / 0.785 on the two halves).
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple
from types import MappingProxyType

from cleaners.core.safety import safe_compile
from cleaners.rules.boilerplate import COMMENT_MARKER_TABLE, END_MARKER_BANDS, END_MARKER_TABLE
from cleaners.rules.stopwords import LANGUAGES_BY_WORD, STOP_CHARS_ZH, STOP_WORDS

# -- thresholds -------------------------------------------------------------------------------

#: A line shorter than this (characters; CJK characters count double) is ``SHORT``.
LENGTH_LOW_DEFAULT = 70
#: A line at least this long with enough stop words is ``CONTENT``.
LENGTH_HIGH_DEFAULT = 200
#: Stop-word share (of words) at or above which a long line reads as prose.
STOP_HIGH_DEFAULT = 0.30
#: Below this share a long line is a list of names, a product grid or a tag cloud.
STOP_LOW_DEFAULT = 0.15
#: A short line of this many words with this stop-word share is a piece of wrapped prose.
FRAGMENT_WORDS_DEFAULT = 8
PHRASE_WORDS_DEFAULT = 4
FRAGMENT_STOP_DEFAULT = 0.25
#: A short line of at most this many words, mostly capitalised, is a navigation label.
NAV_WORDS_DEFAULT = 3
NAV_CAPITALISED_DEFAULT = 0.75
#: Share of a line taken by URLs / e-mail addresses / handles that makes it a link line.
LINK_SHARE_DEFAULT = 0.6
#: A line with at least this many ``|``/``•``/``»`` separators and no sentence end is a menu.
SEPARATORS_MIN_DEFAULT = 2
#: A date or time stamp whose shape recurs this often marks records (comments, teasers).
STAMP_REPEATS_DEFAULT = 3
STAMP_MAX_CHARS_DEFAULT = 80
#: Word counts and stop-word shares of a long line are measured on its first this many
#: characters (and scaled): prose does not change its nature half-way through a paragraph.
SAMPLE_CHARS_DEFAULT = 300
#: The page language needs at least this many stop-word hits to be trusted.
LANGUAGE_MIN_HITS_DEFAULT = 10
#: Cost of entering or leaving the article region, in words of prose.
SWITCH_COST_DEFAULT = 12.0
#: On a short page the switch cost shrinks to this much per non-empty line (not below the
#: minimum): a page of twenty lines has no forty-line menu to keep out.
SWITCH_COST_PER_LINE_DEFAULT = 0.2
SWITCH_COST_MIN_DEFAULT = 3.0
#: Every line weighs at least this many words in the region score (a label is a whole block).
LINE_MIN_WORDS_DEFAULT = 2.0
#: Prose words (lines with a prior of at least :data:`PROSE_PRIOR_DEFAULT`) above an end
#: marker before it may close the article, and the largest share of the region's prose that
#: may follow it.
END_MIN_WORDS_DEFAULT = 60
END_TAIL_SHARE_DEFAULT = 0.75
PROSE_PRIOR_DEFAULT = 0.6
#: An end marker closes the article whatever follows when this many record stamps (dated
#: comments, dated teasers) follow it within this many lines.
COMMENT_STAMPS_DEFAULT = 2
COMMENT_WINDOW_DEFAULT = 12
#: Without an end marker, this many more record stamps within the window start a list of
#: records (and the article has ended).
RECORD_STAMPS_DEFAULT = 3
#: A region with fewer prose words than this is no article: the page keeps everything
#: except lines whose prior is below :data:`NO_ARTICLE_DROP_BELOW_DEFAULT`.
ARTICLE_MIN_WORDS_DEFAULT = 80
NO_ARTICLE_DROP_BELOW_DEFAULT = 0.16
#: A text of fewer non-empty lines than this without an article is a snippet, not a page:
#: the classifier leaves it alone.
NO_ARTICLE_MIN_LINES_DEFAULT = 10
#: Extra rounds of classifying the kept lines until nothing more is dropped.
FIXPOINT_ROUNDS_DEFAULT = 3
#: The prior of a line the pattern tables (or a site profile) already took as chrome.
SURE_PRIOR_DEFAULT = 0.02


class Params(NamedTuple):
    """The thresholds a config file may change (``classifier_<field>`` under
    ``[boilerplate]``: :func:`cleaners.core.config.register_threshold`); every other
    ``*_DEFAULT`` is fixed.

    >>> Params().article_min_words == ARTICLE_MIN_WORDS_DEFAULT
    True
    >>> Params(article_min_words=200).switch_cost
    12.0
    """

    #: prose words a region needs to be an article (:data:`ARTICLE_MIN_WORDS_DEFAULT`)
    article_min_words: float = ARTICLE_MIN_WORDS_DEFAULT
    #: cost of entering or leaving the article region (:data:`SWITCH_COST_DEFAULT`)
    switch_cost: float = SWITCH_COST_DEFAULT
    #: characters a line needs to read as prose (:data:`LENGTH_HIGH_DEFAULT`)
    prose_min_chars: float = LENGTH_HIGH_DEFAULT
    #: stop-word share a long line needs to read as prose (:data:`STOP_HIGH_DEFAULT`)
    prose_stop_share: float = STOP_HIGH_DEFAULT
    #: stop-word share below which a long line is a word list (:data:`STOP_LOW_DEFAULT`)
    wordlist_stop_share: float = STOP_LOW_DEFAULT


DEFAULT_PARAMS = Params()

# -- the class vocabulary ---------------------------------------------------------------------


class BlockClass(Enum):
    """The closed vocabulary of line classes (jusText's good / bad / short / near-good)."""

    CONTENT = "content"
    BOILERPLATE = "boilerplate"
    SHORT = "short"
    UNSURE = "unsure"


# First-pass reason ids. Those that name a ``boilerplate.*`` rule are the rule a line is
# dropped under when it falls outside the article; the others only explain a keep.
LINK_LINE = "boilerplate.drop_link_line"
SEPARATED_MENU = "boilerplate.drop_separated_menu"
RECORD_STAMP = "boilerplate.drop_record_stamp"
WORDLIST_LINE = "boilerplate.drop_wordlist_line"
REPEATED_LINE = "boilerplate.drop_repeated_line"
NAV_LABEL = "boilerplate.drop_nav_label"
SHORT_LINE = "boilerplate.drop_short_line"
BLURB_LINE = "boilerplate.drop_blurb_line"
AFTER_END = "boilerplate.drop_after_end_marker"
RECORD_LIST = "boilerplate.drop_record_list"
PROSE = "content.prose"
PROSE_SHAPE = "content.prose_shape"
IN_ARTICLE = "content.in_article"
NO_ARTICLE = "unsure.no_article"
SMALL_PAGE = "unsure.small_page"
PROSE_OUTSIDE = "unsure.prose_outside_article"
SOME_PROSE = "unsure.some_prose"
NO_STOP_LIST = "unsure.no_stop_list"
CODE = "unsure.code"
SURE = "boilerplate.sure"
SHORT_SENTENCE = "short.sentence"
SHORT_LIST_ITEM = "short.list_item"
SHORT_FRAGMENT = "short.prose_fragment"
SHORT_PHRASE = "short.phrase"
SHORT_CODE = "short.code"

#: How likely a line of each first-pass reason belongs to the article (0-1). Lines near
#: 0.5 are left to their neighbours; see the module docstring.
PRIOR_DEFAULT = MappingProxyType(
    {
        PROSE: 0.80,
        PROSE_SHAPE: 0.80,
        SOME_PROSE: 0.65,
        NO_STOP_LIST: 0.55,
        CODE: 0.50,
        SHORT_SENTENCE: 0.63,
        SHORT_LIST_ITEM: 0.70,
        SHORT_FRAGMENT: 0.75,
        SHORT_PHRASE: 0.55,
        SHORT_CODE: 0.50,
        SHORT_LINE: 0.30,
        NAV_LABEL: 0.12,
        REPEATED_LINE: 0.15,
        LINK_LINE: 0.40,
        SEPARATED_MENU: 0.10,
        RECORD_STAMP: 0.20,
        WORDLIST_LINE: 0.55,
        SURE: SURE_PRIOR_DEFAULT,
    }
)

# -- features ---------------------------------------------------------------------------------

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
_END_MARKER_MAX_CHARS = max(e.max_chars for e in END_MARKER_TABLE)


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


class Verdict(NamedTuple):
    """The classifier's decision for one line: first-pass and revised class, with reasons.

    ``cf_reason`` and ``reason`` are reason ids: ``boilerplate.*`` ids are the rules a
    dropped line is recorded under; ``content.*``, ``unsure.*`` and ``short.*`` ids explain
    a keep. (A named tuple: a page makes hundreds per round, and a tuple is built several
    times faster than a frozen dataclass.)
    """

    index: int
    cf_class: BlockClass
    cf_reason: str
    cls: BlockClass
    reason: str
    #: Keep the line but add a review entry (the classifier is not sure).
    flag: bool = False

    @property
    def drop(self) -> bool:
        """Whether the line goes (revised class boilerplate or short)."""
        cls = self.cls
        return cls is BlockClass.BOILERPLATE or cls is BlockClass.SHORT


def norm_key(line: str) -> str:
    """The key lines are compared by within a page: spaces collapsed, case folded.

    >>> norm_key("  Share   THIS ")
    'share this'
    """
    return " ".join(line.split()).casefold()


def _language_of(tokens: Sequence[Sequence[str]], cjk: int) -> str | None:
    counts = Counter(chain.from_iterable(tokens))
    hits: Counter[str] = Counter()
    get = LANGUAGES_BY_WORD.get
    for w, n in counts.items():
        langs = get(w)
        if langs:
            for lang in langs:
                hits[lang] += n
    if cjk > counts.total():
        return "zh"
    if not hits:
        return None
    lang, n = hits.most_common(1)[0]
    return lang if n >= LANGUAGE_MIN_HITS_DEFAULT else None


def page_language(lines: Sequence[str]) -> str | None:
    """The stop-word list that fits the page best, or ``None`` when none fits.

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
    return _language_of(tokens, cjk)


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


_END_STARTS = tuple(sorted({w for e in END_MARKER_TABLE for w in e.starts}))
#: :data:`_END_STARTS` by first character: a line is tested against the few prefixes that
#: share its first character, not all of them.
_END_STARTS_BY_CHAR: dict[str, tuple[str, ...]] = {}
for _w in _END_STARTS:
    _END_STARTS_BY_CHAR[_w[0]] = (*_END_STARTS_BY_CHAR.get(_w[0], ()), _w)
_END_CONTAINS = tuple(sorted({w for e in END_MARKER_TABLE for w in e.contains}))


def is_end_marker(line: str) -> bool:
    """Whether a stripped line is a related / comments / share / tags header.

    >>> is_end_marker("Related Posts"), is_end_marker("34 Comments"), is_end_marker("Share this:")
    (True, True, True)
    >>> is_end_marker("Related work on this topic began in 2019.")
    False
    """
    if not line or len(line) > _END_MARKER_MAX_CHARS or line[-1] in ".!":
        return False  # a header, not a sentence
    lower = line.lower()
    starts = _END_STARTS_BY_CHAR.get(lower[0])
    if not (starts and lower.startswith(starts)):
        for c in _END_CONTAINS:  # a loop, not any(): no generator for every line
            if c in lower:
                break
        else:
            return False
    n = len(line)
    for top, pattern in END_MARKER_BANDS:
        if n <= top:
            return pattern.fullmatch(line) is not None
    return False


def is_comment_marker(line: str) -> bool:
    """Whether a stripped line is a comment-thread header (``34 Comments``, ``Leave a Reply``).

    >>> is_comment_marker("34 Comments"), is_comment_marker("Related Posts")
    (True, False)
    """
    return (
        bool(line)
        and len(line) <= _END_MARKER_MAX_CHARS
        and any(e.hit(line) is not None for e in COMMENT_MARKER_TABLE)
    )


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
        if self.length >= LENGTH_LOW_DEFAULT and (stop_ratio or 0.0) >= STOP_LOW_DEFAULT:
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
        lang = _language_of([x.toks for x in present], sum(x.cjk for x in present))
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


# -- first pass -------------------------------------------------------------------------------


def classify_line(f: LineFeatures, params: Params = DEFAULT_PARAMS) -> tuple[BlockClass, str]:
    """First-pass class of one line from its own features (no context): a flat ladder.

    >>> def cf(line, lang="en"):
    ...     return classify_line(compute_features([line], lang)[0])
    >>> cf("Home | About | Contact | Privacy Policy")
    (<BlockClass.BOILERPLATE: 'boilerplate'>, 'boilerplate.drop_separated_menu')
    >>> cf("The committee met on Tuesday and agreed that the plan should go ahead. " * 3)
    (<BlockClass.CONTENT: 'content'>, 'content.prose')
    >>> cf("Sign In")
    (<BlockClass.SHORT: 'short'>, 'boilerplate.drop_nav_label')
    >>> cf("Preheat the oven to 200 degrees.")
    (<BlockClass.SHORT: 'short'>, 'short.sentence')
    """
    if f.stamp:
        return BlockClass.BOILERPLATE, RECORD_STAMP
    if f.link_share >= LINK_SHARE_DEFAULT:
        return BlockClass.BOILERPLATE, LINK_LINE
    if f.separators >= SEPARATORS_MIN_DEFAULT and not f.sentence_end:
        return BlockClass.BOILERPLATE, SEPARATED_MENU
    if f.length < LENGTH_LOW_DEFAULT:
        if f.repeats > 1 and not f.sentence_end:
            return BlockClass.SHORT, REPEATED_LINE
        if f.list_item:
            return BlockClass.SHORT, SHORT_LIST_ITEM
        if f.sentence_end:
            return BlockClass.SHORT, SHORT_SENTENCE
        if f.code:
            return BlockClass.SHORT, SHORT_CODE
        ratio = f.stop_ratio or 0.0
        if f.words >= FRAGMENT_WORDS_DEFAULT and ratio >= FRAGMENT_STOP_DEFAULT:
            return BlockClass.SHORT, SHORT_FRAGMENT
        if f.words >= PHRASE_WORDS_DEFAULT and ratio >= FRAGMENT_STOP_DEFAULT:
            return BlockClass.SHORT, SHORT_PHRASE
        if (
            f.words <= NAV_WORDS_DEFAULT
            and f.capitalised is not None
            and f.capitalised >= NAV_CAPITALISED_DEFAULT
        ):
            return BlockClass.SHORT, NAV_LABEL
        return BlockClass.SHORT, SHORT_LINE
    if f.stop_ratio is None:
        if f.markup:
            return BlockClass.UNSURE, CODE
        if f.length >= params.prose_min_chars and f.sentence_end:
            return BlockClass.CONTENT, PROSE_SHAPE
        return BlockClass.UNSURE, NO_STOP_LIST
    if f.markup:
        return BlockClass.UNSURE, CODE
    if f.stop_ratio >= params.prose_stop_share and f.length >= params.prose_min_chars:
        return BlockClass.CONTENT, PROSE
    if f.stop_ratio >= params.wordlist_stop_share:
        return BlockClass.UNSURE, SOME_PROSE
    if f.code:
        return BlockClass.UNSURE, CODE
    return BlockClass.BOILERPLATE, WORDLIST_LINE


# -- context ----------------------------------------------------------------------------------


def article_region(
    features: Sequence[LineFeatures | None],
    priors: Sequence[float],
    *,
    switch_cost: float = SWITCH_COST_DEFAULT,
) -> set[int]:
    """Indices of the lines inside the article: the best outside/inside path.

    Inside, a line earns ``words × (2·prior − 1)`` (each line weighs at least
    :data:`LINE_MIN_WORDS_DEFAULT` words); each change of state costs ``switch_cost``, also
    at the page's start and end. A Viterbi pass over the non-empty lines finds the best
    path: one or several stretches.

    >>> menu = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather"]
    >>> feats = compute_features([*menu, "A " * 40 + "end.", *menu], "en")
    >>> sorted(article_region(feats, [0.1] * 7 + [0.8] + [0.1] * 7))
    [7]
    >>> feats = compute_features([*menu, "A " * 40 + "end.", "Advertisement", "B " * 40 + "end.", *menu], "en")
    >>> sorted(article_region(feats, [0.1] * 7 + [0.8, 0.1, 0.8] + [0.1] * 7))  # an ad is bridged
    [7, 8, 9]
    """
    lines = [f for f in features if f is not None]
    if not lines:
        return set()
    out_score, in_score = 0.0, -switch_cost
    back: list[tuple[bool, bool]] = []  # (came from inside when outside, came from inside when inside)
    for f in lines:
        gain = max(f.words, LINE_MIN_WORDS_DEFAULT) * (2.0 * priors[f.index] - 1.0)
        stay_in = in_score
        enter = out_score - switch_cost
        leave = in_score - switch_cost
        back.append((leave > out_score, stay_in >= enter))
        out_score, in_score = max(out_score, leave), max(stay_in, enter) + gain
    inside = in_score - switch_cost > out_score
    keep: set[int] = set()
    for k in range(len(lines) - 1, -1, -1):
        from_out, from_in = back[k]
        if inside:
            keep.add(lines[k].index)
            inside = from_in
        else:
            inside = from_out
    return keep


def end_cut(
    features: Sequence[LineFeatures | None],
    priors: Sequence[float],
    region: Collection[int],
) -> tuple[int, str] | None:
    """Where the article ends, and why: ``(index, rule id)``, or ``None``.

    ``boilerplate.drop_after_end_marker``: the first end marker at or after the region's
    start with at least :data:`END_MIN_WORDS_DEFAULT` words of prose above it (inside the
    region) and at most :data:`END_TAIL_SHARE_DEFAULT` times that much below it; or one
    followed within :data:`COMMENT_WINDOW_DEFAULT` lines by :data:`COMMENT_STAMPS_DEFAULT`
    recurring date stamps (dated comments or teasers of other stories, however many).

    ``boilerplate.drop_record_list``: without a marker, the first record stamp followed
    within the window by :data:`RECORD_STAMPS_DEFAULT` more, with less prose below than
    above (a news ticker, a list of other stories); the cut backs up over the first
    record's headline lines.

    Neither applies when such stamps also open the article (a forum thread or a live blog,
    where the posts are the content).
    """
    if not region:
        return None
    start = min(region)
    mass = [
        f.words if (f is not None and f.index in region and priors[f.index] >= PROSE_PRIOR_DEFAULT) else 0.0
        for f in features
    ]
    total = sum(mass)
    # a thread of dated posts that also starts the article is a forum page, not comments
    opens_with_stamp = any(
        f is not None and f.stamp for f in features[max(0, start - COMMENT_WINDOW_DEFAULT) : start + 2]
    )

    def stamps_after(i: int) -> int:
        window = features[i + 1 : i + 1 + COMMENT_WINDOW_DEFAULT]
        return sum(1 for g in window if g is not None and g.stamp)

    above = 0.0
    for f, m in zip(features, mass):
        above += m
        if f is None or f.index < start or above < END_MIN_WORDS_DEFAULT:
            continue
        if f.end_marker:
            if total - above < END_TAIL_SHARE_DEFAULT * above:
                return f.index, AFTER_END
            if not opens_with_stamp and stamps_after(f.index) >= COMMENT_STAMPS_DEFAULT:
                return f.index, AFTER_END
        elif (
            f.stamp
            and not opens_with_stamp
            and total - above < above
            and stamps_after(f.index) >= RECORD_STAMPS_DEFAULT
        ):
            k = f.index
            for _ in range(3):  # back over the first record's headline / author lines
                prev = next((g for g in reversed(features[start:k]) if g is not None), None)
                if prev is None or prev.sentence_end or prev.length >= LENGTH_LOW_DEFAULT:
                    break
                k = prev.index
            return k, RECORD_LIST
    return None


def _drop_reason(cls: BlockClass, reason: str) -> str:
    if reason.startswith("boilerplate."):
        return reason
    return BLURB_LINE if cls in (BlockClass.UNSURE, BlockClass.BOILERPLATE) else SHORT_LINE


def classify_page(
    lines: Sequence[str],
    *,
    sure: Collection[int] = (),
    lang: str | None = None,
    memo: dict[str, _Line] | None = None,
    params: Params = DEFAULT_PARAMS,
) -> list[Verdict | None]:
    """Verdicts for every stripped line of a page (``None`` for blank lines).

    ``sure`` are indices the pattern tables (or a site profile) already drop: they count as
    chrome for the region and get no verdict of their own.

    The verdicts are a fixed point: classifying only the lines kept drops nothing more
    (at most :data:`FIXPOINT_ROUNDS_DEFAULT` extra rounds), so a second cleaning of the
    output changes nothing. Without this, a label kept at the edge of a region that ran on
    into a comment thread (cut at its end marker) would go only in the second run.

    ``memo`` keeps the per-line facts (which depend on a line's text alone) for further
    calls on the same page, e.g. on the lines kept after a first call. ``params``: the
    thresholds a config file set (:class:`Params`).

    >>> menu = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather", "Sign In"]
    >>> page = [*menu,
    ...         "The council voted on Tuesday to close the old bridge, which has been in a poor "
    ...         "state for years, and to build a new one by the end of the decade, after a long "
    ...         "debate about the cost of the work and about the time it would take.",
    ...         "Work will start in the spring, the mayor said, and the cost will be shared "
    ...         "with the region, which has set aside money for it in its budget for the next "
    ...         "three years and has promised to pay for a ferry while the bridge is closed.",
    ...         "Privacy Policy", "Terms and Conditions", "Contact Us", "Careers", "Advertise"]
    >>> verdicts = classify_page(page)
    >>> [v.index for v in verdicts if not v.drop]
    [8, 9]
    >>> sorted({(v.reason, v.cls.value) for v in verdicts if v.drop})
    [('boilerplate.drop_nav_label', 'boilerplate'), ('boilerplate.drop_short_line', 'boilerplate')]
    """
    if memo is None:
        memo = {}
    verdicts = _classify_once(lines, sure, lang, memo, params)
    for _ in range(FIXPOINT_ROUNDS_DEFAULT):
        kept = [s if (v is not None and not v.drop) else "" for s, v in zip(lines, verdicts)]
        again = _classify_once(kept, (), None, memo, params)
        newly = [v for v in again if v is not None and v.drop]
        if not newly:
            break
        for v in newly:
            verdicts[v.index] = v
    return verdicts


def _classify_once(
    lines: Sequence[str],
    sure: Collection[int],
    lang: str | None,
    memo: dict[str, _Line],
    params: Params = DEFAULT_PARAMS,
) -> list[Verdict | None]:
    """One pass of :func:`classify_page`: features, first pass, region, end cut, revision."""
    features = compute_features(lines, lang, memo=memo)
    first: list[tuple[BlockClass, str] | None] = [
        classify_line(f, params) if f is not None else None for f in features
    ]
    priors = [0.0] * len(lines)
    for f, cf in zip(features, first):
        if f is not None and cf is not None:
            priors[f.index] = SURE_PRIOR_DEFAULT if f.index in sure else PRIOR_DEFAULT[cf[1]]
    n_lines = sum(1 for f in features if f is not None)
    floor = min(SWITCH_COST_MIN_DEFAULT, params.switch_cost)
    switch = min(params.switch_cost, max(floor, SWITCH_COST_PER_LINE_DEFAULT * n_lines))
    region = article_region(features, priors, switch_cost=switch)
    if region:
        # a record stamp right above the article is its dateline (or a forum's first post
        # header): it belongs to the article
        above = next((f for f in reversed(features[: min(region)]) if f is not None), None)
        if above is not None and above.stamp and above.index not in sure:
            region.add(above.index)
    prose = sum(features[k].words for k in region if priors[k] >= PROSE_PRIOR_DEFAULT)  # type: ignore[union-attr]
    out: list[Verdict | None] = [None] * len(lines)
    if prose < params.article_min_words:
        small = sum(1 for f in features if f is not None) < NO_ARTICLE_MIN_LINES_DEFAULT
        for f, cf in zip(features, first):
            if f is None or cf is None or f.index in sure:
                continue
            cls, reason = cf
            if small:
                out[f.index] = Verdict(f.index, cls, reason, BlockClass.UNSURE, SMALL_PAGE)
            elif priors[f.index] < NO_ARTICLE_DROP_BELOW_DEFAULT:
                out[f.index] = Verdict(f.index, cls, reason, BlockClass.BOILERPLATE, reason)
            else:
                out[f.index] = Verdict(f.index, cls, reason, BlockClass.UNSURE, NO_ARTICLE)
        return out
    found = end_cut(features, priors, region)
    cut, cut_reason = found if found is not None else (None, AFTER_END)
    for f, cf in zip(features, first):
        if f is None or cf is None or f.index in sure:
            continue
        cls, reason = cf
        i = f.index
        if cut is not None and i >= cut:
            out[i] = Verdict(i, cls, reason, BlockClass.BOILERPLATE, cut_reason)
        elif i in region:
            out[i] = Verdict(i, cls, reason, BlockClass.CONTENT, IN_ARTICLE)
        elif cls is BlockClass.CONTENT:
            out[i] = Verdict(i, cls, reason, BlockClass.UNSURE, PROSE_OUTSIDE, flag=True)
        else:
            out[i] = Verdict(i, cls, reason, BlockClass.BOILERPLATE, _drop_reason(cls, reason))
    return out
