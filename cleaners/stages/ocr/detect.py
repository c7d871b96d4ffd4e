"""OCR detection, thresholds and word lists: does the OCR stage apply to this document?

Enters: a document's text (as ``decode`` left it) and its state. Leaves: an
:class:`OcrVerdict` (:func:`detect_ocr`), the decision the rules share (:func:`_applies`,
asked once per document), the thresholds of every OCR rule and the word list
(:func:`lexicon`) their word decisions use.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cleaners.core.config import Config
from cleaners.core.language import primary_subtag
from cleaners.core.safety import safe_compile
from cleaners.core.state import DocState
from cleaners.core.textutil import iter_lines
from cleaners.core.tracked import TrackedText
from cleaners.rules import ocr as T

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
    code = primary_subtag(language)
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


# -- page numbers and hyphen decisions (the detector's evidence; the rules reuse them) ------
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
    return DocState(TrackedText(text), config=Config(ocr=ocr, language=language), fmt="text")
