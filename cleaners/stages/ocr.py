"""Stage ``ocr``: repair text that came out of OCR or PDF extraction, and only such text.

The stage does nothing unless OCR applies: ``Config.ocr`` True forces it, False disables it,
None (default) asks :func:`detect_ocr` once per document, on the text as decode left it.
The detector is conservative on purpose: hard-wrapped lines alone do not make a document
OCR (web pages scraped from HTML with newlines inside ``<p>`` are hard-wrapped too); it also
needs page structure (form feeds, a run of page-number lines) or line-end hyphenation that
splits words a word list knows (``Univer-\\nsity``), which text wrappers never produce.
A web page or a seed has none of these, so the stage costs a few regex scans there.

Rules, in the order they run (each a named rule with its own edits):

1. ``ocr.drop_running_heads``: lines repeated at page edges (same text ± page number).
2. ``ocr.drop_page_numbers``: page-number lines at page edges or in an increasing run.
3. ``ocr.drop_page_breaks``: form feeds and the blank lines around them.
4. ``ocr.reflow_paragraphs``: join hard-wrapped lines of a paragraph.
5. ``ocr.join_hyphenated_words``: ``Univer-\\nsity`` -> ``University``, keep real compounds.
6. ``ocr.join_split_words``: ``sus pected`` -> ``suspected`` (newspaper OCR).
7. ``ocr.restore_dropped_ligatures``: ``signicant`` -> ``significant`` (after the joins, so
   that ``se ries`` becomes ``series`` before ``ries`` could look like ``rifles``).

Word decisions use wordfreq's list for the document's language (Zipf frequency: 3 means
about once per million words). Without a list for the language, words are never joined or
restored; hyphens at line ends then stay and only the line break goes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import regex

from cleaners.core.document import Change
from cleaners.core.registry import Stage, rule
from cleaners.rules import ocr as T
from cleaners.core.textutil import iter_lines
from cleaners.core.safety import safe_compile

if TYPE_CHECKING:
    from cleaners.core.state import DocState

# -- thresholds ------------------------------------------------------------------------------
#: Fewer non-blank lines than this: never detected as OCR (too little shape to judge).
DETECT_MIN_LINES_DEFAULT = 6
#: The wrap width is this quantile of the line widths (wrapped lines cluster just below it).
WRAP_QUANTILE_DEFAULT = 0.8
#: A wrap width outside [min, max] columns is not hard wrapping (max: web paragraphs).
WRAP_MIN_WIDTH_DEFAULT = 20
WRAP_MAX_WIDTH_DEFAULT = 160
#: A line within this band of the wrap width, not ending a sentence, is a wrapped line.
WRAP_BAND_DEFAULT = (0.7, 1.3)
#: Share of wrapped lines among non-blank lines a document needs to count as hard wrapped.
WRAP_SHARE_DEFAULT = 0.25
#: Line-end hyphenations the word list would join (``Univer-\nsity``) that make OCR certain.
HYPHEN_EVIDENCE_DEFAULT = 2
#: Page-number lines in an increasing run that make OCR certain (with hard wrapping).
PAGE_RUN_DETECT_DEFAULT = 3
#: ... and that, once OCR is decided, split the document into pages.
PAGE_RUN_MIN_DEFAULT = 2
#: Page numbers of one run have at least this many non-blank lines between them
#: (pagination bars do not).
PAGE_MIN_LINES_DEFAULT = 8
#: Lines at the top and at the bottom of a page where heads and page numbers live.
PAGE_EDGE_LINES_DEFAULT = 2
#: A running head repeats on at least this share of the pages (and on two at least).
HEAD_MIN_PAGE_SHARE_DEFAULT = 0.3
#: A running head recurs within this many pages (odd/even heads alternate); chapter
#: headings at page tops are further apart.
HEAD_MAX_PAGE_GAP_DEFAULT = 2
#: Longer lines are text, not running heads.
HEAD_MAX_CHARS_DEFAULT = 100
#: A head needs this many letters once digits are gone (else it is a page number).
HEAD_MIN_LETTERS_DEFAULT = 4
#: An unpaged repeated line is a masthead when this share of its letters is upper case.
HEAD_CAPS_SHARE_DEFAULT = 0.8
#: Reflow: a line shorter than this share of the wrap width ends its paragraph or is a
#: heading; a line ending a sentence ends its paragraph unless it is this full; a line
#: longer than the last share is not part of the wrapped flow.
SHORT_LINE_RATIO_DEFAULT = 0.6
FULL_LINE_RATIO_DEFAULT = 0.85
LONG_LINE_RATIO_DEFAULT = 1.5
#: Hyphens: join when the joined word reaches this Zipf frequency...
JOIN_MIN_ZIPF_DEFAULT = 2.0
#: ... or this one when both halves are words themselves (``long-term`` vs ``longterm``:
#: 2.75, a web misspelling; ``any-where`` vs ``anywhere``: 4.71).
COMPOUND_JOIN_ZIPF_DEFAULT = 3.0
#: A half at or above this Zipf frequency is a word on its own.
HALF_WORD_ZIPF_DEFAULT = 3.0
#: Ligatures: a token below this Zipf frequency is no word (``rst`` 2.48, ``oce`` 2.21)...
LIGATURE_RARE_ZIPF_DEFAULT = 2.5
#: ... one up to this is repaired only when the document shows the defect elsewhere
#: (``nite`` is 3.0: slang; ``res`` 3.79 stays whatever happens).
LIGATURE_TOKEN_MAX_ZIPF_DEFAULT = 3.2
#: The restored word must reach this Zipf frequency and beat the token by the margin.
LIGATURE_CANDIDATE_ZIPF_DEFAULT = 3.0
LIGATURE_MARGIN_DEFAULT = 0.5
#: Candidates below this Zipf frequency are ignored; one at or above it that comes within
#: LIGATURE_RIVAL_MARGIN_DEFAULT of the best makes the repair ambiguous (``ight``: fight,
#: flight): a review entry instead. ``ocial`` -> official (5.0), not oficial (2.3).
LIGATURE_RIVAL_ZIPF_DEFAULT = 2.0
LIGATURE_RIVAL_MARGIN_DEFAULT = 1.0
#: Sure repairs (rare tokens) a document needs before near-words like ``nite`` are repaired.
LIGATURE_DOC_EVIDENCE_DEFAULT = 2
#: Split words: a part below this Zipf frequency is a fragment (``pected`` 0, ``ject`` 1.75).
SPLIT_FRAGMENT_MAX_ZIPF_DEFAULT = 2.5
#: Join fragment + part when the joined word reaches this (or occurs in the document).
SPLIT_JOIN_MIN_ZIPF_DEFAULT = 3.0
#: Flag (not join) when the joined word beats its rarer part by this much.
SPLIT_FLAG_MARGIN_DEFAULT = 1.0
#: Flag a fragment pair whose joined word is at least this frequent (``Wil liamston``).
SPLIT_FLAG_MIN_ZIPF_DEFAULT = 1.5

_MARK = "ocr.applies"
_PAGE_NUMBERS_MARK = "ocr.page_numbers"
_HYPHEN_CHARS = "-\u00ad¬"
_URL_CHUNK_RE = safe_compile(r"(?<!\S)\S*?(?:@|:\/\/|www\.)\S*+")  # one start per token: linear
_HYPHEN_TOKEN_RE = safe_compile(r"\p{L}+(?:-\p{L}+)*")
_TRAILING_ALNUM_RE = safe_compile(r"[\p{L}\p{M}\p{N}]+$")
_LEADING_ALNUM_RE = safe_compile(r"^[\p{L}\p{M}\p{N}]+")
_NON_SPACE_BEFORE_RE = safe_compile(r"\S+$")
_NON_SPACE_AFTER_RE = safe_compile(r"\S+")
_FORM_FEED_RUN_RE = safe_compile(r"\s*\f\s*")
#: Bare number lines (``12``, ``- 12 -``): the detector's cheap pre-check for a page-number
#: run (the table decides later). Stdlib ``re``: its literal-prefix scan for ``\n`` is several
#: times faster than ``regex`` here, and this runs on every document.
_PAGE_NUMBER_QUICK_RE = safe_compile(r"\n[ \t]*[-–—]?[ \t]*\d{1,4}[ \t]*[-–—]?[ \t]*(?=\n)")
#: A line that starts with a lower-case or caseless (Han, kana) letter.
_LOWER_START_RE = safe_compile(r"\n[^\S\n]*[\p{Ll}\p{Lo}]")
_DIGITS_RE = safe_compile(r"\d+", linear=True)
_BLANK_LINE_RE = safe_compile(r"\n[^\S\n]*\n")
_NON_LETTERS_RE = safe_compile(r"[^\p{L}]+")


# -- word list ---------------------------------------------------------------------------------
class Lexicon:
    """Zipf frequencies of one language's words (wordfreq ``best`` list), memoized.

    >>> lex = lexicon("en")
    >>> lex.zipf("significant") > 4 > lex.zipf("signicant")
    True
    """

    __slots__ = ("language", "_freq", "_zipf")

    def __init__(self, language: str, freq: dict[str, float]) -> None:
        self.language = language
        self._freq = freq
        self._zipf: dict[str, float] = {}

    def zipf(self, word: str) -> float:
        """Zipf frequency of ``word`` (case-insensitive), 0.0 when the list lacks it.

        Equals ``wordfreq.zipf_frequency(word, language)`` for single words, without its
        tokenizer (a hyphenated word is looked up whole, so it is simply absent).
        """
        key = word.casefold()
        z = self._zipf.get(key)
        if z is None:
            f = self._freq.get(key, 0.0)
            z = round(math.log10(f) + 9.0, 2) if f > 0 else 0.0
            if len(self._zipf) > 500_000:
                self._zipf.clear()
            self._zipf[key] = z
        return z


@lru_cache(maxsize=1)
def _available_languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages(wordlist="best"))


@lru_cache(maxsize=None)
def lexicon(language: str | None) -> Lexicon | None:
    """The word list for a BCP 47 code, or ``None`` when wordfreq has none for it."""
    if not language:
        return None
    code = language.split("-")[0].lower()
    if code not in _available_languages():
        return None
    import wordfreq

    return Lexicon(code, wordfreq.get_frequency_dict(code, wordlist="best"))


# -- line shapes --------------------------------------------------------------------------------
def line_width(line: str) -> int:
    """Columns a line takes: CJK characters count two.

    >>> line_width("abc"), line_width("中文")
    (3, 4)
    """
    if line.isascii():
        return len(line)
    return len(line) + len(T.WIDE_CHAR_RE.findall(line))


def wrap_width(widths: list[int]) -> int | None:
    """The width a document's lines were wrapped at, or ``None`` if it is not plausible."""
    if not widths:
        return None
    s = sorted(widths)
    w = s[int(WRAP_QUANTILE_DEFAULT * (len(s) - 1))]
    return w if WRAP_MIN_WIDTH_DEFAULT <= w <= WRAP_MAX_WIDTH_DEFAULT else None


def _ends_sentence(line: str) -> bool:
    return T.SENTENCE_END.regex.search(line) is not None


def _wrap_share(lines: list[str]) -> tuple[int, float]:
    """(wrap width, share of non-blank lines that are wrapped mid-sentence).

    A wrapped line is about as wide as the wrap width, does not end a sentence, and the
    next line goes on with a lower-case (or caseless, e.g. Han) letter.
    """
    widths = [line_width(x.strip()) for x in lines if x and not x.isspace()]
    if len(widths) < DETECT_MIN_LINES_DEFAULT:
        return 0, 0.0
    w = wrap_width(widths)
    if w is None:
        return 0, 0.0
    lo, hi = WRAP_BAND_DEFAULT[0] * w, WRAP_BAND_DEFAULT[1] * w
    wrapped = 0
    for a, b in zip(lines, lines[1:]):
        first = b.lstrip()[:1]
        if not first.isalpha() or first.isupper():
            continue  # wrapped prose goes on in lower case (or in a caseless script)
        a = a.rstrip()
        if a.strip() and lo <= line_width(a) <= hi and not _ends_sentence(a):
            wrapped += 1
    return w, wrapped / len(widths)


# -- detection ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OcrVerdict:
    """What :func:`detect_ocr` decided and the evidence it used."""

    is_ocr: bool
    reason: str
    width: int = 0
    wrap_share: float = 0.0
    form_feeds: int = 0
    hyphen_joins: int = 0
    page_run: int = 0


def detect_ocr(
    text: str, language: str | Callable[[], str | None] | None = None
) -> OcrVerdict:
    """Decide whether ``text`` is OCR / PDF-extracted text whose layout needs repair.

    OCR = hard-wrapped lines (at least WRAP_SHARE_DEFAULT of the lines wrapped mid-sentence
    at a common width) plus one of: a form feed, a run of page-number lines, or line-end
    hyphenations the word list joins. Cheap signals are checked first; line statistics are
    computed only when one of them is present. ``language`` (or a function giving it, called
    only when needed) picks the word list.

    >>> detect_ocr("Home\\nNews\\nA paragraph of web text that ends.\\n").is_ocr
    False
    """
    form_feeds = text.count("\f")
    # str.count runs at memory speed; the regexes below run only when these fire
    hyphen_breaks = text.count("-\n") + text.count("- \n")
    if "\u00ad" in text or "¬" in text:
        hyphen_breaks += sum(text.count(f"{h}\n") for h in "\u00ad¬")
    page_cands = 0
    if not form_feeds and hyphen_breaks < HYPHEN_EVIDENCE_DEFAULT:
        page_cands = len(_PAGE_NUMBER_QUICK_RE.findall(text))
        if page_cands < PAGE_RUN_DETECT_DEFAULT:
            return OcrVerdict(False, "no page breaks, page numbers or line-end hyphens")
    lines = text.split("\n")
    nonblank = sum(map(bool, map(str.strip, lines)))
    if len(_LOWER_START_RE.findall(text)) < WRAP_SHARE_DEFAULT * nonblank:
        # a wrapped line is followed by a lower-case (or caseless) start: too few of them
        return OcrVerdict(False, "not hard-wrapped", form_feeds=form_feeds)
    width, share = _wrap_share(lines)
    common = {"width": width, "wrap_share": round(share, 3), "form_feeds": form_feeds}
    if share < WRAP_SHARE_DEFAULT:
        return OcrVerdict(False, "not hard-wrapped", **common)
    if form_feeds:
        return OcrVerdict(True, "hard-wrapped with form feeds", **common)
    joins = 0
    if hyphen_breaks >= HYPHEN_EVIDENCE_DEFAULT:
        joins = _count_hyphen_joins(text, language)
        if joins >= HYPHEN_EVIDENCE_DEFAULT:
            return OcrVerdict(True, "hard-wrapped with hyphenated words", hyphen_joins=joins,
                              **common)
    run = len(_page_run(list(iter_lines(text))))
    if run >= PAGE_RUN_DETECT_DEFAULT:
        return OcrVerdict(True, "hard-wrapped with page numbers", page_run=run,
                          hyphen_joins=joins, **common)
    return OcrVerdict(False, "hard-wrapped but no OCR evidence", hyphen_joins=joins,
                      page_run=run, **common)


def _count_hyphen_joins(text: str, language: str | Callable[[], str | None] | None) -> int:
    """Line-end hyphenations the word list joins, counted up to HYPHEN_EVIDENCE_DEFAULT."""
    hyphens = list(T.HYPHEN_BREAK.regex.finditer(text))
    if len(hyphens) < HYPHEN_EVIDENCE_DEFAULT:
        return 0
    lex = lexicon(language() if callable(language) else language)
    if lex is None:
        return 0
    joins = 0
    counts: Counter[str] = Counter()
    for m in hyphens:
        left, right = _hyphen_parts(text, m.start("hy"), m.end("gap"))
        if _hyphen_decision(left, right, lex, counts)[0] == "join":
            joins += 1
            if joins >= HYPHEN_EVIDENCE_DEFAULT:
                break
    return joins


def _applies(text: str, doc: DocState) -> bool:
    """Whether the OCR rules run on this document (decided once, by the first rule)."""
    decided = doc.marks.get(_MARK)
    if decided is None:
        if doc.config.ocr is not None:
            decided = bool(doc.config.ocr)
        else:
            decided = detect_ocr(text, lambda: doc.language).is_ocr
        doc.marks[_MARK] = decided
    return bool(decided)


def _doc(text: str, language: str | None = "en", ocr: bool | None = True) -> DocState:
    """A document state for trying one rule by hand (doctests, tests)."""
    from cleaners.core.config import Config
    from cleaners.core.state import DocState
    from cleaners.core.tracked import TrackedText

    return DocState(TrackedText(text), config=Config(ocr=ocr, language=language), fmt="text")


# -- pages ----------------------------------------------------------------------------------
Line = tuple[int, int, str]


def _page_number(line: str) -> tuple[str, int | None] | None:
    """(entry id, number) if ``line`` is only a page number."""
    s = line.replace("\f", "").strip()
    if not s or len(s) > 24:
        return None
    for p in T.PAGE_NUMBER_TABLE:
        m = p.regex.match(s)
        if m:
            n = m.groupdict().get("n")
            return p.id, int(n) if n else None
    return None


def _prev_nonblank(lines: list[Line], i: int) -> str | None:
    for j in range(i - 1, -1, -1):
        if lines[j][2].strip(" \t\f"):
            return lines[j][2]
    return None


def _page_run(lines: list[Line]) -> list[int]:
    """Indices of the longest run of page-number lines whose numbers go up by one.

    A number line right after a line like ``... in Section`` is text, not a page number.
    """
    cands: list[tuple[int, int]] = []
    nonblank: list[int] = []  # non-blank lines before each line (spacing ignores blanks)
    seen = 0
    for _s, _e, line in lines:
        nonblank.append(seen)
        if line.strip():
            seen += 1
    for i, (_s, _e, line) in enumerate(lines):
        if len(line) > 30:
            continue
        pn = _page_number(line)
        if pn is None or pn[1] is None or pn[0] in T.NEEDS_PAGE_BREAK:
            continue
        prev = _prev_nonblank(lines, i)
        if prev is not None and T.NUMBER_CUE.regex.search(prev):
            continue
        cands.append((i, pn[1]))
        if len(cands) >= 2000:
            break
    if len(cands) < 2:
        return []
    best = [1] * len(cands)
    back = [-1] * len(cands)
    for k, (ik, nk) in enumerate(cands):
        for j in range(k - 1, -1, -1):
            ij, nj = cands[j]
            apart = nonblank[ik] - nonblank[ij] - 1
            if nk - nj == 1 and apart >= PAGE_MIN_LINES_DEFAULT and best[j] + 1 > best[k]:
                best[k] = best[j] + 1
                back[k] = j
    k = max(range(len(cands)), key=lambda x: best[x])
    run: list[int] = []
    while k >= 0:
        run.append(cands[k][0])
        k = back[k]
    return sorted(run)


@dataclass(slots=True)
class _Pages:
    """Pages as lists of non-blank line indices (page numbers left out), and the numbers."""

    pages: list[list[int]]
    numbers: set[int]
    how: str


def _pages(lines: list[Line]) -> _Pages:
    if any("\f" in line for _s, _e, line in lines):
        pages: list[list[int]] = [[]]
        for i, (_s, _e, line) in enumerate(lines):
            if "\f" not in line:
                if line.strip():
                    pages[-1].append(i)
                continue
            before, _, after = line.partition("\f")
            if before.strip() and not after.replace("\f", "").strip():
                pages[-1].append(i)
                pages.append([])
            else:
                pages.append([])
                if after.replace("\f", "").strip():
                    pages[-1].append(i)
        numbers: set[int] = set()
        for page in pages:
            edge = page[:PAGE_EDGE_LINES_DEFAULT] + page[-PAGE_EDGE_LINES_DEFAULT:]
            for i in edge:
                if _page_number(lines[i][2]) is None:
                    continue
                prev = _prev_nonblank(lines, i)
                if prev is not None and T.NUMBER_CUE.regex.search(prev):
                    continue
                numbers.add(i)
        pages = [[i for i in page if i not in numbers] for page in pages]
        return _Pages([p for p in pages if p], numbers, "form_feed")
    run = _page_run(lines)
    if len(run) >= PAGE_RUN_MIN_DEFAULT:
        cut = set(run)
        pages = [[]]
        for i, (_s, _e, line) in enumerate(lines):
            if i in cut:
                pages.append([])
            elif line.strip():
                pages[-1].append(i)
        return _Pages([p for p in pages if p], cut, "page_numbers")
    return _Pages([[i for i, x in enumerate(lines) if x[2].strip()]], set(), "none")


def _drop_regions(
    text: str, lines: list[Line], drop: set[int], rule_id: str, reason: str
) -> Iterator[Change]:
    """Drop lines with the blank lines around them; what was around joins with one ``\\n``.

    Two (a paragraph break) when the line before ends a sentence and a blank line was
    there: a page that ended with its paragraph keeps the break; one that ended
    mid-sentence is joined by reflow.
    """
    if not drop:
        return
    keep_idx = [i for i, x in enumerate(lines) if x[2].strip(" \t\f") and i not in drop]
    order = sorted(drop)
    # group dropped lines that only blank lines separate
    import bisect

    groups: list[list[int]] = []
    for i in order:
        if groups:
            last = groups[-1][-1]
            k = bisect.bisect_right(keep_idx, last)
            if k >= len(keep_idx) or keep_idx[k] > i:
                groups[-1].append(i)
                continue
        groups.append([i])
    for g in groups:
        k = bisect.bisect_left(keep_idx, g[0])
        prev = keep_idx[k - 1] if k > 0 else None
        nxt = keep_idx[k] if k < len(keep_idx) else None
        # the line before keeps its own newline, so that a later rule (reflow) edits
        # original text, and each edit keeps one rule
        start = 0 if prev is None else lines[prev][1] + 1
        end = lines[nxt][0] if nxt is not None else len(text)
        after = ""
        if (
            prev is not None
            and nxt is not None
            and _BLANK_LINE_RE.search(text, lines[prev][1], end)
            and _ends_sentence(lines[prev][2])
        ):
            after = "\n"  # a sentence ended and a blank line set it off: keep the break
        if start < end and text[start:end] != after:
            yield Change(start, end, after, rule_id, "drop", reason)


def _head_key(line: str) -> str | None:
    s = _NON_LETTERS_RE.sub(" ", _DIGITS_RE.sub(" ", line.casefold())).strip()
    letters = sum(1 for ch in s if ch != " ")
    return s if letters >= HEAD_MIN_LETTERS_DEFAULT else None


def _same_head(a: tuple[int, ...], b: tuple[int, ...], pages_apart: int) -> bool:
    """Whether two lines' numbers fit one running head: equal, or one page number that
    moved with the pages (``344 JONES`` two pages before ``346 JONES``). ``Chapter 2``
    two pages before ``Chapter 3`` does not fit: a heading, not a head.

    >>> _same_head((344,), (346,), 2), _same_head((2,), (3,), 2), _same_head((7,), (7,), 1)
    (True, False, True)
    """
    if a == b:
        return True
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    return len(diff) == 1 and diff[0][1] - diff[0][0] == pages_apart


def _is_caps(line: str) -> bool:
    cased = [ch for ch in line if ch.isalpha() and (ch.isupper() or ch.islower())]
    if len(cased) < HEAD_MIN_LETTERS_DEFAULT:
        return False
    return sum(ch.isupper() for ch in cased) >= HEAD_CAPS_SHARE_DEFAULT * len(cased)


@rule("ocr.drop_running_heads", category="running_head")
def drop_running_heads(text: str, doc: DocState) -> Iterator[Change]:
    """Drop running heads and mastheads that repeat across the pages of one document.

    Pages are split at form feeds, else at a run of page-number lines. A line among the
    first or last two of a page whose text (digits aside: ``12 JOURNAL`` = ``JOURNAL 13``)
    recurs at the edge of at least two pages and HEAD_MIN_PAGE_SHARE_DEFAULT of them, each
    within HEAD_MAX_PAGE_GAP_DEFAULT pages of another, is a running head; a number in it
    must stay the same or move with the pages (a page number, not a chapter number). In
    any document, a short ALL-CAPS line with a date that recurs is a
    masthead (PATTERNS.md E4: ``THE PROGRESSIVE FARMER, SEPTEMBER 24, 1889.``). The first
    occurrence stays: on page one it is the title.

    Leaves alone: lines that repeat inside pages, long lines, a head seen on one page only.

    >>> text = ("JOURNAL OF TESTS 1\\nPage one text.\\n"
    ...         "\\fJOURNAL OF TESTS 2\\nPage two text.\\n")
    >>> [text[c.start:c.end] for c in drop_running_heads(text, _doc(text))]
    ['\\x0cJOURNAL OF TESTS 2\\n']
    >>> list(drop_running_heads("JOURNAL OF TESTS\\nBody.\\nJOURNAL OF TESTS\\n", _doc("")))
    []
    """
    if not _applies(text, doc):
        return
    lines = list(iter_lines(text))
    pg = _pages(lines)
    # the page numbers, in input offsets, for ocr.drop_page_numbers: once heads are gone
    # the numbers are closer together than a page, and would no longer look like a run
    doc.marks[_PAGE_NUMBERS_MARK] = frozenset(doc.original_offset(lines[i][0]) for i in pg.numbers)
    drop: set[int] = set()
    if len(pg.pages) >= 2:
        seen: dict[str, list[tuple[int, int]]] = {}
        for p, page in enumerate(pg.pages):
            edge = page[:PAGE_EDGE_LINES_DEFAULT] + page[-PAGE_EDGE_LINES_DEFAULT:]
            edge = list(dict.fromkeys(edge))
            for i in edge:
                line = lines[i][2].replace("\f", "").strip()
                if len(line) > HEAD_MAX_CHARS_DEFAULT:
                    continue
                key = _head_key(line)
                if key is not None:
                    seen.setdefault(key, []).append((p, i))
        need = max(2, math.ceil(HEAD_MIN_PAGE_SHARE_DEFAULT * len(pg.pages)))
        for occ in seen.values():
            nums = {p: tuple(int(d) for d in _DIGITS_RE.findall(lines[i][2])) for p, i in occ}
            near = {
                p for p in nums for q in nums
                if 0 < abs(p - q) <= HEAD_MAX_PAGE_GAP_DEFAULT
                and _same_head(nums[p], nums[q], q - p)
            }
            if len(near) >= need:
                drop.update(i for p, i in occ if p > 0 and p in near)
    masthead: dict[str, list[int]] = {}
    for i, (_s, _e, line) in enumerate(lines):
        s = line.replace("\f", "").strip()
        if not s or len(s) > HEAD_MAX_CHARS_DEFAULT or not _is_caps(s):
            continue
        if not T.DATE.regex.search(s):
            continue
        key = _head_key(s)
        if key is not None:
            masthead.setdefault(key, []).append(i)
    for occ in masthead.values():
        if len(occ) >= 2:
            drop.update(occ[1:])
    yield from _drop_regions(text, lines, drop, "ocr.drop_running_heads", "running head")


@rule("ocr.drop_page_numbers", category="page_number")
def drop_page_numbers(text: str, doc: DocState) -> Iterator[Change]:
    """Drop lines that are only a page number (``12``, ``- 12 -``, ``Page 3 of 9``, ``xii``).

    A number line counts at the edge of a form-feed page, or as part of a run of number
    lines going up by one at least PAGE_MIN_LINES_DEFAULT lines apart. Source:
    PATTERNS.md E4.

    Leaves alone: a lone number line without page structure, a number right after a line
    such as ``... addressed in Section`` (it continues the sentence), and lines that start
    with a number and go on (``5. Section 6 discusses``).

    >>> body = "".join(f"line {k} of a page of text that runs on\\n" for k in range(9))
    >>> text = body + "1\\n" + body + "2\\n" + body
    >>> [text[c.start:c.end] for c in drop_page_numbers(text, _doc(text))]
    ['1\\n', '2\\n']
    >>> text = body + "addressed in Section\\n5\\n" + body
    >>> list(drop_page_numbers(text, _doc(text)))
    []
    """
    if not _applies(text, doc):
        return
    lines = list(iter_lines(text))
    known = doc.marks.get(_PAGE_NUMBERS_MARK)
    if known is None:
        numbers = _pages(lines).numbers
    else:  # found by ocr.drop_running_heads before it dropped lines
        numbers = {
            i for i, (start, _e, line) in enumerate(lines)
            if doc.original_offset(start) in known and _page_number(line) is not None
        }
    yield from _drop_regions(text, lines, numbers, "ocr.drop_page_numbers", "page number")


@rule("ocr.drop_page_breaks", category="page_break")
def drop_page_breaks(text: str, doc: DocState) -> Iterator[Change]:
    """Replace a form feed and the blank lines around it with one line break.

    The text of one page then runs on into the next, and reflow decides whether the
    paragraph goes on; when the page's last line ends a sentence and a blank line follows
    it, a blank line stays (paragraph break). A page break at the start of the document
    goes entirely.

    Leaves alone: the indentation of the line after the break; text without form feeds.

    >>> text = "the end of page one\\n\\n\\f\\n  and page two"
    >>> [(text[c.start:c.end], c.after) for c in drop_page_breaks(text, _doc(text))]
    [('\\n\\x0c\\n', '')]
    >>> list(drop_page_breaks("no page breaks\\nhere", _doc("")))
    []
    """
    if "\f" not in text or not _applies(text, doc):
        return
    for m in _FORM_FEED_RUN_RE.finditer(text):
        start, end = m.span()
        seg = m.group()
        first_ff, last_ff = seg.find("\f"), seg.rfind("\f")
        first_nl, last_nl = seg.find("\n"), seg.rfind("\n")
        if last_nl > last_ff and end < len(text):
            end = start + last_nl + 1  # keep the next line's indentation
        if start == 0:
            after = ""
        elif 0 <= first_nl < first_ff:
            prev_line = text[text.rfind("\n", 0, start) + 1 : start]
            blank = _BLANK_LINE_RE.search(text, start, end)
            start += first_nl + 1  # the line before keeps its newline
            # as in _drop_regions: a finished paragraph set off by a blank line keeps it
            after = "\n" if blank and _ends_sentence(prev_line) else ""
        else:
            after = "\n"  # a form feed inside a line still ends the line
        if start < end and text[start:end] != after:
            yield Change(start, end, after, "ocr.drop_page_breaks", "drop", "page break")


# -- reflow -------------------------------------------------------------------------------------
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _junction(a: str, b: str, width: int) -> str | None:
    """The separator joining line ``a`` to line ``b`` of one paragraph, or ``None`` (break)."""
    a_s, b_s = a.rstrip(), b.strip()
    wa = line_width(a_s.lstrip())
    if T.HYPHEN_END.regex.search(a_s) and b_s[:1].isalnum():
        return None  # ocr.join_hyphenated_words decides these
    if wa > LONG_LINE_RATIO_DEFAULT * width or wa < SHORT_LINE_RATIO_DEFAULT * width:
        return None  # not part of the wrapped flow / ends its paragraph or is a heading
    if T.TABLE_ROW.regex.search(a) or T.TABLE_ROW.regex.search(b):
        return None
    if _indent(b) >= 2 and _indent(b) > _indent(a):
        return None  # an indented first line starts a paragraph
    ends = _ends_sentence(a_s)
    if ends and wa < FULL_LINE_RATIO_DEFAULT * width:
        return None
    if (
        ends
        and line_width(b_s) < SHORT_LINE_RATIO_DEFAULT * width
        and not _ends_sentence(b_s)
        and (b_s[0].isupper() or b_s[0].isdigit())
    ):
        return None  # a short unfinished line after a sentence end: a heading
    if T.BULLET.regex.match(b_s):
        return None  # a bulleted item never continues a sentence
    if T.LIST_MARKER.regex.match(b_s) and (
        ends or a_s.endswith((":", ";")) or T.LIST_MARKER.regex.match(a_s.lstrip())
    ):
        return None  # a numbered item after a sentence end, a colon, or another item
    if _is_caps(a_s) and not _is_caps(b_s):
        return None  # an ALL-CAPS heading over normal text
    last, first = a_s[-1], b_s[0]
    if T.NO_SPACE_SCRIPT_RE.match(last) or T.NO_SPACE_SCRIPT_RE.match(first):
        return ""
    if last in "—–/" and len(a_s) > 1 and not a_s[-2].isspace():
        return ""
    return " "


@rule("ocr.reflow_paragraphs", category="layout")
def reflow_paragraphs(text: str, doc: DocState) -> Iterator[Change]:
    """Join the hard-wrapped lines of a paragraph into one line (CJK lines without a space).

    The wrap width is the WRAP_QUANTILE_DEFAULT quantile of the line widths. A line break
    stays after a blank line, after a short line (a paragraph's last line or a heading),
    after a sentence end that is not a full line, before a heading (a short line without
    a final mark after a sentence end), before an indented line, before a list
    item that follows a sentence end or colon, after an ALL-CAPS heading, around table rows,
    and before and after line-end hyphens (``ocr.join_hyphenated_words`` decides those).

    Leaves alone: text whose lines are not wrapped (wrap width over
    WRAP_MAX_WIDTH_DEFAULT), blank-line paragraph breaks, ``in Section\\n5. Section 6``
    as a list (it is joined: the line before did not end).

    >>> text = ("The rapid expansion of wireless services such as cellular voice, PCS\\n"
    ...         "(Personal Communications Services), mobile data and wireless LANs\\n"
    ...         "in recent years is an indication.\\n"
    ...         "Studies show that the significant consumers of power in a typical\\n")
    >>> [(text[c.start:c.end], c.after) for c in reflow_paragraphs(text, _doc(text))]
    [('\\n', ' '), ('\\n', ' ')]
    >>> list(reflow_paragraphs("A heading\\n\\nOne paragraph.\\n", _doc("")))
    []
    """
    if not _applies(text, doc):
        return
    lines = list(iter_lines(text))
    widths = [line_width(x[2].strip()) for x in lines if x[2].strip()]
    if len(widths) < 2:
        return
    width = wrap_width(widths)
    if width is None:
        return
    for (_s1, e1, a), (s2, _e2, b) in zip(lines, lines[1:]):
        if not a.strip() or not b.strip() or "\f" in a or "\f" in b:
            continue
        sep = _junction(a, b, width)
        if sep is None:
            continue
        start = e1 - (len(a) - len(a.rstrip()))
        end = s2 + _indent(b)
        yield Change(start, end, sep, "ocr.reflow_paragraphs")


# -- hyphens ------------------------------------------------------------------------------------
def _hyphen_parts(text: str, hy_start: int, gap_end: int) -> tuple[str, str]:
    """The non-space runs before a hyphen and after the line break."""
    m1 = _NON_SPACE_BEFORE_RE.search(text, max(0, hy_start - 80), hy_start)
    m2 = _NON_SPACE_AFTER_RE.match(text, gap_end, gap_end + 80)
    return (m1.group() if m1 else ""), (m2.group() if m2 else "")


def _ligature_candidates(word: str, lex: Lexicon) -> dict[str, tuple[float, int, str]]:
    """Words made by inserting one ligature's letters into ``word``: {word: (zipf, pos, lig)}."""
    low = word.casefold()
    out: dict[str, tuple[float, int, str]] = {}
    for i in range(len(low) + 1):
        for lig in T.LIGATURES:
            cand = low[:i] + lig + low[i:]
            if cand in out:
                continue
            z = lex.zipf(cand)
            if z >= LIGATURE_RIVAL_ZIPF_DEFAULT:
                out[cand] = (z, i, lig)
    return out


def _hyphen_decision(
    left: str, right: str, lex: Lexicon | None, counts: Counter[str]
) -> tuple[str, str]:
    """What to do with ``left-`` + line break + ``right``: (action, reason).

    Actions: ``join`` (drop hyphen and break), ``keep`` (drop the break only), ``suspend``
    (hyphen stays, a space replaces the break), ``flag`` (keep, and ask a human).
    """
    lm = _TRAILING_ALNUM_RE.search(left)
    rm = _LEADING_ALNUM_RE.search(right)
    if not lm or not rm:
        return "keep", "not a word around the hyphen"
    a, b = lm.group(), rm.group()
    goes_on = right[len(b):].startswith("-")
    if any(ch.isdigit() for ch in a + b):
        return "keep", "a number or code: the hyphen is part of it"
    if b.casefold() in T.SUSPENDED_HYPHEN_NEXT and not goes_on:
        return "suspend", "suspended compound (short- and long-term)"
    if b[0].isupper() and not (a.isupper() and b.isupper()):
        return "keep", "the next part is capitalised: a compound or a name"
    if lex is None:
        return "keep", "no word list for the language"
    joined = (a + b).casefold()
    hyph = f"{a}-{b}".casefold()
    if counts[joined] > counts[hyph]:
        return "join", f"{a + b} is spelled joined elsewhere in the document"
    if counts[hyph] > counts[joined]:
        return "keep", f"{a}-{b} is spelled with a hyphen elsewhere in the document"
    zj = lex.zipf(joined)
    via = ""
    if zj < COMPOUND_JOIN_ZIPF_DEFAULT:
        kind, info = _ligature_verdict(joined, lex)
        if kind == "sure":
            zj, via = lex.zipf(info[0]), f" (as {info[0]}, a dropped ligature)"
    both = lex.zipf(a) >= HALF_WORD_ZIPF_DEFAULT and lex.zipf(b) >= HALF_WORD_ZIPF_DEFAULT
    need = COMPOUND_JOIN_ZIPF_DEFAULT if both else JOIN_MIN_ZIPF_DEFAULT
    if zj >= need:
        return "join", f"{a + b} is a word{via} (zipf {zj:.2f})"
    if both:
        return "keep", f"{a}-{b}: both parts are words, {a + b} is not (zipf {zj:.2f})"
    return "flag", f"{a + b} is not a known word (zipf {zj:.2f}): hyphen kept"


def _word_counts(text: str) -> Counter[str]:
    return Counter(_HYPHEN_TOKEN_RE.findall(text.casefold()))


@rule("ocr.join_hyphenated_words", category="hyphenation")
def join_hyphenated_words(text: str, doc: DocState) -> Iterator[Change]:
    """Join a word hyphenated at a line end when the joined form is a known word.

    ``Univer-\\nsity`` -> ``University``. "More likely than the hyphenated compound" is
    decided in this order: a number on either side keeps the hyphen
    (``F-49620-97-1-\\n0471``); a capitalised second part keeps it (German
    ``KI-\\nIndustriekette``, ``Sino-\\nAmerican``); ``and``/``or``/``und`` next makes it a
    suspended compound (``short-\\nand long-term`` -> ``short- and``); the document's own
    spelling elsewhere wins; else the word list: the joined word must reach
    JOIN_MIN_ZIPF_DEFAULT, or COMPOUND_JOIN_ZIPF_DEFAULT when both halves are words
    (``two-\\nmonth``: ``twomonth`` is unknown, the hyphen stays). A kept hyphen loses only
    the line break (``two-month``); an unknown split of non-words (``Sivalin-\\ngam``) keeps
    the hyphen and becomes a review entry. Soft hyphens always join. In newspaper OCR whose
    line breaks became spaces (``edu- cation``) only sure joins are made. Source: PATTERNS.md
    E1, serge-sotnyk/pdf-lines-gluer README.

    Leaves alone: ``self-\\naware``, ``two-\\nmonth`` (hyphen kept, break removed),
    ``short- and long-term``, a hyphen before a blank line.

    >>> text = "at Washington State Univer-\\nsity and F-49620-97-1-\\n0471 for a two-\\nmonth trip"
    >>> [c.after or text[c.start:c.end] for c in join_hyphenated_words(text, _doc(text))]
    ['-\\n', '\\n', '\\n']
    >>> list(join_hyphenated_words("well-known and short- and long-term", _doc("")))
    []
    """
    if not _applies(text, doc) or not (
        "-" in text or "\u00ad" in text or "¬" in text
    ):
        return
    lex = lexicon(doc.language)
    counts = _word_counts(text)
    for m in T.HYPHEN_BREAK.regex.finditer(text):
        hy, hs, ge = m.group("hy"), m.start("hy"), m.end("gap")
        gs = m.start("gap")
        if hy == "\u00ad":
            yield Change(hs, ge, "", "ocr.join_hyphenated_words", reason="soft hyphen")
            continue
        left, right = _hyphen_parts(text, hs, ge)
        action, reason = _hyphen_decision(left, right, lex, counts)
        rid = "ocr.join_hyphenated_words"
        if action == "join":
            yield Change(hs, ge, "", rid, reason=reason)
        else:
            # keep (or suspend): only the break goes; the OCR mark ¬ becomes a real hyphen
            gap = " " if action == "suspend" else ""
            if hy == "¬":
                yield Change(hs, ge, "-" + gap, rid, reason=reason)
            else:
                yield Change(gs, ge, gap, rid, reason=reason)
            if action == "flag":
                a = _TRAILING_ALNUM_RE.search(left)
                b = _LEADING_ALNUM_RE.search(right)
                if a and b:
                    doc.flag(rid, hs - len(a.group()), ge + len(b.group()),
                             f"{a.group()}-{b.group()}", reason, a.group() + b.group())
    for m in T.HYPHEN_LOST_BREAK.regex.finditer(text):
        hs, ge = m.start(), m.end("gap")
        left, right = _hyphen_parts(text, hs, ge)
        a = _TRAILING_ALNUM_RE.search(left)
        if a is None or len(a.group()) < 2 or len(left) != len(a.group()):
            continue  # "A- bout" needs care: a one-letter start is a list letter as often
        action, reason = _hyphen_decision(left, right, lex, counts)
        if action == "join":
            yield Change(hs, ge, "", "ocr.join_hyphenated_words", reason=reason)


# -- ligatures ---------------------------------------------------------------------------------
def _restore_case(token: str, i: int, lig: str) -> str:
    if i == 0 and token[:1].isupper():
        return lig.capitalize() + token[0].lower() + token[1:]
    return token[:i] + lig + token[i:]


@rule("ocr.restore_dropped_ligatures", category="ligature")
def restore_dropped_ligatures(text: str, doc: DocState) -> Iterator[Change]:
    """Put back ``fi``/``fl``/``ff``/``ffi``/``ffl`` a PDF extraction dropped with its glyph.

    ``signicant`` -> ``significant``, ``rst author`` -> ``first author``, ``Oce`` ->
    ``Office``, ``ecient`` -> ``efficient``, ``oppy`` -> ``floppy``. Only when the token is
    not a frequent word (Zipf under LIGATURE_RARE_ZIPF_DEFAULT; up to
    LIGATURE_TOKEN_MAX_ZIPF_DEFAULT, e.g. ``nite``, only when the document has
    LIGATURE_DOC_EVIDENCE_DEFAULT sure repairs elsewhere), and exactly one insertion gives a
    word at least LIGATURE_CANDIDATE_ZIPF_DEFAULT; two plausible words (``ight``: fight or
    flight) make a review entry. Source: PATTERNS.md E3 (pdf-lines-gluer README).

    Leaves alone: words (``res``, ``grin``, ``led``), ALL-CAPS and mixed-case tokens,
    tokens of e-mail addresses and URLs, tokens shorter than three letters.

    >>> text = "the rst author found signicant and ecient power"
    >>> [c.after for c in restore_dropped_ligatures(text, _doc(text))]
    ['first', 'significant', 'efficient']
    >>> list(restore_dropped_ligatures("the first author found nite sets", _doc("")))
    []
    """
    if not _applies(text, doc):
        return
    lex = lexicon(doc.language)
    if lex is None:
        return
    skip = [m.span() for m in _URL_CHUNK_RE.finditer(text)]
    decided: dict[str, tuple[str, Any]] = {}
    found: list[tuple[int, int, str, str, Any]] = []
    for m in T.WORD.regex.finditer(text):
        tok = m.group()
        if not (tok.islower() or (tok[0].isupper() and tok[1:].islower())):
            continue
        if skip and any(s <= m.start() < e for s, e in skip):
            continue
        key = tok.casefold()
        verdict = decided.get(key)
        if verdict is None:
            verdict = _ligature_verdict(key, lex)
            decided[key] = verdict
        if verdict[0] != "none":
            found.append((m.start(), m.end(), tok, verdict[0], verdict[1]))
    sure = {tok.casefold() for _s, _e, tok, kind, _v in found if kind == "sure"}
    evidence = len(sure) >= LIGATURE_DOC_EVIDENCE_DEFAULT
    rid = "ocr.restore_dropped_ligatures"
    for start, end, tok, kind, info in found:
        if kind == "sure" or (kind == "weak" and evidence):
            word, i, lig = info
            yield Change(start, end, _restore_case(tok, i, lig), rid,
                         reason=f"dropped ligature: {word}")
        elif kind == "ambiguous" or (kind == "weak_ambiguous" and evidence):
            doc.flag(rid, start, end, tok, "a dropped ligature, but which word?",
                     " | ".join(info))


def _ligature_verdict(key: str, lex: Lexicon) -> tuple[str, Any]:
    """How to repair the lower-case token ``key``: ("none"|"sure"|"weak"|..., details).

    ``sure``/``weak`` carry (word, position, ligature); the ``*ambiguous`` kinds carry the
    rival words, most frequent first.
    """
    z = lex.zipf(key)
    if z >= LIGATURE_TOKEN_MAX_ZIPF_DEFAULT:
        return "none", None
    cands = _ligature_candidates(key, lex)
    if not cands:
        return "none", None
    ranked = sorted(cands, key=lambda c: -cands[c][0])
    best = cands[ranked[0]]
    if best[0] < LIGATURE_CANDIDATE_ZIPF_DEFAULT or best[0] - z < LIGATURE_MARGIN_DEFAULT:
        return "none", None
    weak = z >= LIGATURE_RARE_ZIPF_DEFAULT
    if len(ranked) == 1 or best[0] - cands[ranked[1]][0] >= LIGATURE_RIVAL_MARGIN_DEFAULT:
        return ("weak" if weak else "sure"), (ranked[0], best[1], best[2])
    return ("weak_ambiguous" if weak else "ambiguous"), tuple(ranked)


# -- split words -------------------------------------------------------------------------------
@rule("ocr.join_split_words", category="split_word")
def join_split_words(text: str, doc: DocState) -> Iterator[Change]:
    """Join a word that newspaper OCR split with a space where a hyphen was lost.

    ``sus pected`` -> ``suspected``: one part is a fragment (Zipf under
    SPLIT_FRAGMENT_MAX_ZIPF_DEFAULT: ``pected``) and the joined word is frequent
    (SPLIT_JOIN_MIN_ZIPF_DEFAULT) or spelled joined elsewhere in the document. A pair of
    real words whose join is much more frequent (``mat ter``), or a fragment pair whose
    join is a rare word (``Wil liamston``), becomes a review entry. Source: PATTERNS.md E2
    (newspapers.digitalnc.org OCR).

    Leaves alone: pairs of words (``some times``, ``in to``, ``a tack``), ALL-CAPS tokens,
    one-letter tokens.

    >>> text = "ought to be even sus pected of it; the sub ject of the day"
    >>> [(text[c.start - 3:c.end + 3], c.after) for c in join_split_words(text, _doc(text))]
    [('sus pec', ''), ('sub jec', '')]
    >>> list(join_split_words("at some times in to the town", _doc("")))
    []
    """
    if not _applies(text, doc):
        return
    lex = lexicon(doc.language)
    if lex is None:
        return
    counts: Counter[str] | None = None
    rid = "ocr.join_split_words"
    last_end = -1
    for m in T.SPLIT_PAIR.regex.finditer(text, overlapped=True):
        if m.start() < last_end:
            continue
        a, b = m.group("left"), m.group("right")
        if not (a.islower() or (a[0].isupper() and a[1:].islower())):
            continue
        za, zb = lex.zipf(a), lex.zipf(b)
        lo = min(za, zb)
        if lo >= HALF_WORD_ZIPF_DEFAULT + SPLIT_FLAG_MARGIN_DEFAULT:
            continue  # two common words: fast path
        zj = lex.zipf(a + b)
        fragment = lo < SPLIT_FRAGMENT_MAX_ZIPF_DEFAULT
        if fragment and zj < SPLIT_JOIN_MIN_ZIPF_DEFAULT and counts is None:
            counts = _word_counts(text)
        in_doc = counts is not None and counts[(a + b).casefold()] > 0
        space = m.end("left")
        if fragment and (zj >= SPLIT_JOIN_MIN_ZIPF_DEFAULT or in_doc):
            why = f"zipf {zj:.2f}"
            if zj < SPLIT_JOIN_MIN_ZIPF_DEFAULT:
                why = "spelled joined elsewhere"
            yield Change(space, space + 1, "", rid, reason=f"{a + b} is a word ({why})")
            last_end = m.end()
        elif (fragment and zj >= SPLIT_FLAG_MIN_ZIPF_DEFAULT) or (
            zj >= SPLIT_JOIN_MIN_ZIPF_DEFAULT and zj >= lo + SPLIT_FLAG_MARGIN_DEFAULT
        ):
            doc.flag(rid, m.start(), m.end(), m.group(),
                     f"maybe one word split by OCR (zipf {zj:.2f})", a + b)
            last_end = m.end()


STAGE = Stage(
    "ocr",
    (
        drop_running_heads,
        drop_page_numbers,
        drop_page_breaks,
        reflow_paragraphs,
        join_hyphenated_words,
        join_split_words,
        restore_dropped_ligatures,
    ),
)
