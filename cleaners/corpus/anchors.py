"""Translation evidence without a model: the anchors two versions of a story share.

A translation rewrites every word but keeps the *anchors*: numbers (with their scale words
turned into values, so ``7.6 million`` = ``7,6 Millionen`` and ``$26.44 billion`` =
``26,44 Milliarden US-Dollar``), years, and names written in Latin script (``Zhu Keli``,
``EFLOPS``, ``OpenAI``), in roughly the same order. Two stories on the same topic share a
few names (``Zhou Hongyi``, ``GPT-4.0``) but not the run of specific figures and minor
names, and not their order; so the score needs broad coverage on *both* sides, in order.

Weights say how specific an anchor is: a number like ``26.44e9`` is strong, a year or a
two-digit number weak, a number up to 12 nothing (it is spelled out as often as not); a name
is weighted by how rare it is as a word in either language (wordfreq's Zipf scale), so
``China`` or ``Cloud`` count little and ``Keli`` or ``Sugon`` fully.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_left
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex
from cleaners.core.safety import safe_compile

#: Languages that write ``7,6`` for 7.6 (and ``1.234`` or ``1 234`` for 1234).
DECIMAL_COMMA_LANGS = frozenset(
    "de fr es it pt nl ru pl cs sk sl hr sr bg uk ro hu tr da sv no nb nn fi et lv lt id el"
    " ca gl eu is".split()
)
#: A name whose Zipf frequency (wordfreq) is at least this in either language weighs 0.
ZIPF_COMMON_DEFAULT = 5.5
#: ...and one this rare or rarer weighs 1 (linear in between).
ZIPF_RARE_DEFAULT = 2.5

#: A word this much (Zipf) more frequent in its own language than in English is a word
#: of that language (a German noun), not a name.
NATIVE_MARGIN_DEFAULT = 0.5

#: A capitalised word at a sentence start is a name only when rarer than this (Zipf):
#: ``Additionally``/``Luckily`` are not names, ``Zhou`` (3.4) is, ``Wang`` (3.95) then
#: counts from its other mentions.
SENTENCE_START_ZIPF_DEFAULT = 3.5

#: Scale words after a number, by language family. ``billion`` is 1e9 in English but 1e12
#: in French; German ``Billion`` is 1e12 and ``Milliarde`` 1e9.
_SCALES_EN = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6,
    "mln": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
    "trillions": 1e12, "tn": 1e12,
}
_SCALES_OTHER = {
    "tausend": 1e3, "mille": 1e3, "mil": 1e3, "duizend": 1e3,
    "million": 1e6, "millionen": 1e6, "millions": 1e6, "mio": 1e6, "millón": 1e6,
    "millones": 1e6, "milione": 1e6, "milioni": 1e6, "milhão": 1e6, "milhões": 1e6,
    "miljoen": 1e6, "mln": 1e6,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "milliard": 1e9, "milliards": 1e9,
    "miliardo": 1e9, "miliardi": 1e9, "miljard": 1e9, "mld": 1e9, "bilhão": 1e9,
    "bilhões": 1e9, "billion": 1e12, "billionen": 1e12, "billions": 1e12, "billón": 1e12,
    "billones": 1e12, "biljoen": 1e12, "trilhão": 1e12, "trilhões": 1e12,
}

#: A number not glued to a word (``GPT-4.0``, ``H100`` and ``COVID-19`` are names), with
#: its separators, and an optional scale word after it. Stdlib ``re`` (fixed-width
#: lookbehinds): twice as fast as ``regex`` here, and this runs over every document.
_NUMBER_RE = safe_compile(
    r"""
    (?<![\w.,])(?<![^\W\d_][-.])                # not the tail of a name or a longer number
    (?P<num> \d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?   # grouped thousands, maybe decimals
          | \d+(?:[.,]\d+)? )
    (?![.,]\d)
    (?: \s? (?P<scale>[^\W\d_]+)\.? )?           # million, Milliarden, Mrd., $26bn
    (?!\w)
    """,
    re.VERBOSE,
)
#: Words in Latin script that start with a capital: names, acronyms, model names
#: (``OpenAI``, ``EFLOPS``, ``GPT-4.0``, ``H100``, ``Zhu``). One cheap pattern on purpose
#: (a second one for ``iPhone``-style names tripled the cost of anchor extraction).
_NAME_RE = safe_compile(
    r"""
    (?<![\w])
    \p{Lu}[^\W_]*            # a capital (Latin: checked per match, a lookahead is slow)
    (?:[-.][^\W_]+)*         # hyphened or dotted parts: GPT-4.0, Co-Direktor
    """,
    regex.VERBOSE,
)
#: A no-break space grouping thousands (French, Russian...): 12 500.
_GROUP_SPACE_RE = safe_compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?!\d))")
#: Just before a sentence's first word: start of text or line, or . ! ? : and a space.
_SENTENCE_START_RE = safe_compile(r"(?:^|\n|[.!?:]\s|[.!?:][\"'\u201d\u2019]\s)\Z")
_GROUPED_RE = safe_compile(r"\d{1,3}(?:[.,]\d{3})+")
_GROUPED_DECIMAL_RE = safe_compile(r"(\d{1,3}(?:[.,]\d{3})+)[.,](\d+)")
_DOTTED_RE = safe_compile(r"(?:\p{L}\.)+\p{L}\.?")
_TIME_RE = safe_compile(r"\d{1,2}:\d{2}(?::\d{2})?")


@lru_cache(maxsize=4096)
def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


@dataclass(frozen=True, slots=True)
class Anchor:
    """One piece of evidence: ``n:<value>`` or ``w:<name>``, and how specific it is."""

    key: str
    weight: float


def _parse_number(raw: str, comma_decimal: bool) -> float | None:
    """The value of a number written with the separators of its language.

    >>> _parse_number("1,234", False), _parse_number("1,234", True), _parse_number("1.234", True)
    (1234.0, 1.234, 1234.0)
    >>> _parse_number("1.234.567,89", True), _parse_number("26.44", False)
    (1234567.89, 26.44)
    """
    digits = raw.replace("\u00a0", "").replace("\u202f", "")
    decimal = "," if comma_decimal else "."
    if _GROUPED_RE.fullmatch(digits):
        seps = {c for c in digits if not c.isdigit()}
        # One group is ambiguous: 1,234 is a thousand and more in English, 1.234 in German.
        if len(digits) == 5 and seps == {decimal}:
            return float(digits.replace(",", "."))
        return float(digits.replace(",", "").replace(".", ""))
    m = _GROUPED_DECIMAL_RE.fullmatch(digits)
    if m:
        return float(m.group(1).replace(",", "").replace(".", "") + "." + m.group(2))
    try:
        return float(digits.replace(",", "."))
    except ValueError:
        return None


def number_weight(value: float, scaled: bool) -> float:
    """How specific a number is: 0 for small integers, 0.5 for years and two-digit ones.

    >>> number_weight(7, False), number_weight(2026, False), number_weight(7.6e6, True)
    (0.0, 0.5, 1.0)
    >>> number_weight(float("inf"), False)
    1.0
    """
    if math.isfinite(value) and value == int(value) and not scaled:
        if value <= 12:
            return 0.0
        if value < 100 or 1900 <= value <= 2100:
            return 0.5
    return 1.0


class _NoNearestMatchNotice(logging.Filter):
    """Drops wordfreq's "You asked for word frequencies in language 'la'. Using the nearest
    match..." notice: the nearest list is the intended behaviour here, and a library must
    not print to the user of a command (``-q`` or not)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("You asked for word frequencies")


#: Installed on wordfreq's logger once, when this module is imported.
_WORDFREQ_NOTICE_FILTER = _NoNearestMatchNotice()
logging.getLogger("wordfreq").addFilter(_WORDFREQ_NOTICE_FILTER)


@lru_cache(maxsize=None)
def _frequencies(lang: str) -> dict[str, float]:
    """wordfreq's word list for ``lang`` as a dict (one load per language: 40-70 MB; a
    lookup is ~100x faster than ``zipf_frequency``, which tokenizes every call)."""
    from wordfreq import get_frequency_dict

    try:
        return dict(get_frequency_dict(lang, wordlist="best"))
    except (LookupError, ValueError):
        return {}


def _zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang`` (0 when unknown); a hyphenated word that is
    not listed whole counts as its most frequent part (``US-Dollar`` is not a name)."""
    freqs = _frequencies(lang)
    f = freqs.get(word.casefold())
    if f:
        return math.log10(f) + 9
    if "-" in word:
        return max(_zipf(part, lang) for part in word.split("-") if part) if word.strip("-") \
            else 0.0
    return 0.0


def _native(word: str, lang: str) -> bool:
    """Whether a capitalised word is an ordinary word of ``lang`` (a German noun), not a name.

    It is when it is clearly more frequent in ``lang`` than in English, or (compounds that
    no word list holds) when it ends in such a word: ``Industrieketten`` ends in ``ketten``.
    """
    if lang in ("en", "und"):
        return False
    for part in word.split("-"):
        own, en = _zipf(part, lang), _zipf(part, "en")
        if own >= 1.0 and own > en + NATIVE_MARGIN_DEFAULT:
            return True
        if own == 0.0 and len(part) >= 8:
            for i in range(3, len(part) - 3):
                tail = part[i:]
                own_t = _zipf(tail, lang)
                if own_t >= 3.0 and own_t > _zipf(tail, "en") + NATIVE_MARGIN_DEFAULT:
                    return True
    return False


@lru_cache(maxsize=200_000)
def name_weight(word: str, lang: str) -> float:
    """How rare a name is as a word in ``lang`` and in English (1 rare ... 0 common).

    A capitalised ordinary word of ``lang`` (German nouns) weighs 0: it is not a name, and
    another language's version of the story will not have it.

    >>> name_weight("Keli", "de") == 1.0, name_weight("China", "de") < 0.3
    (True, True)
    >>> name_weight("Rechenleistung", "de"), name_weight("Industrieketten", "de")
    (0.0, 0.0)
    """
    if _native(word, lang):
        return 0.0
    zipf = max(_zipf(word, code) for code in {lang, "en"})
    span = ZIPF_COMMON_DEFAULT - ZIPF_RARE_DEFAULT
    return round(min(1.0, max(0.0, (ZIPF_COMMON_DEFAULT - zipf) / span)), 3)


def extract_anchors(text: str, lang: str | None) -> list[Anchor]:
    """The anchors of ``text`` in order of first appearance (each key once).

    >>> [a.key for a in extract_anchors("IDC expects $26.44 billion in 2026, said Zhu Keli.", "en")]
    ['w:idc', 'n:2.644e+10', 'n:2026', 'w:zhu', 'w:keli']
    >>> [a.key for a in extract_anchors("IDC erwartet 26,44 Milliarden US-Dollar im Jahr 2026, so Zhu Keli.", "de")]
    ['w:idc', 'n:2.644e+10', 'n:2026', 'w:zhu', 'w:keli']
    >>> [a.key for a in extract_anchors("7.6 million units and 197 EFLOPS", "en")]
    ['n:7.6e+06', 'n:197', 'w:eflops']
    >>> [a.key for a in extract_anchors("$26.44bn, GPT-4.0, H100, 2021-2026", "en")]
    ['n:2.644e+10', 'w:gpt-4.0', 'w:h100', 'n:2021', 'n:2026']
    >>> [a.key for a in extract_anchors("7,6 Millionen Einheiten und 197 EFLOPS", "de")]
    ['n:7.6e+06', 'n:197', 'w:eflops']
    >>> extract_anchors("", "en")
    []
    """
    if "\u00a0" in text or "\u202f" in text or "\u2009" in text:
        text = _GROUP_SPACE_RE.sub("", text)  # before NFKC turns NBSP into a space
    text = unicodedata.normalize("NFKC", text)
    lang = (lang or "und").split("-")[0].lower()
    comma_decimal = lang in DECIMAL_COMMA_LANGS
    scales = _SCALES_OTHER if comma_decimal else _SCALES_EN
    text = _TIME_RE.sub(" ", text)
    found: list[tuple[int, str, float]] = []
    taken: set[int] = set()  # where number scale words start (not names)
    for m in _NUMBER_RE.finditer(text):
        value = _parse_number(m.group("num"), comma_decimal)
        if value is None:
            continue
        scale_word = (m.group("scale") or "").casefold()
        factor = scales.get(scale_word)
        if factor is not None:
            value *= factor
            taken.add(m.start("scale"))
        if not math.isfinite(value):  # 400 digits in a row parse as inf: not an anchor
            continue
        w = number_weight(value, factor is not None)
        if w > 0:
            found.append((m.start(), f"n:{value:.6g}", w))
    for m in _NAME_RE.finditer(text):
        word = m.group(0)
        if not _is_latin(word[0]):
            continue
        if _DOTTED_RE.fullmatch(word):  # U.S. is US; GPT-4.0 keeps its dot
            word = word.replace(".", "")
        if len(word) < 2 or m.start() in taken:
            continue
        if _SENTENCE_START_RE.search(text, max(0, m.start() - 3), m.start()) and max(
            _zipf(word, lang), _zipf(word, "en")
        ) >= SENTENCE_START_ZIPF_DEFAULT:
            continue  # "Additionally," "However," - capitalised only by position
        w = name_weight(word, lang)
        if w > 0:
            found.append((m.start(), "w:" + word.casefold(), w))
    found.sort()
    seen: set[str] = set()
    out: list[Anchor] = []
    for _, key, w in found:
        if key not in seen:
            seen.add(key)
            out.append(Anchor(key, w))
    return out


@dataclass(frozen=True, slots=True)
class Evidence:
    """How well two anchor lists agree."""

    shared: float  # weight of the anchors both have
    coverage_a: float  # share of a's anchor weight found in b
    coverage_b: float
    order: float  # share of shared anchors in the same order (LCS)
    score: float


def _in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two sequences of distinct keys (the
    same set): the longest increasing run of b-positions in a-order, O(n log n)."""
    where = {k: i for i, k in enumerate(b)}
    tails: list[int] = []
    for k in a:
        i = bisect_left(tails, where[k])
        if i == len(tails):
            tails.append(where[k])
        else:
            tails[i] = where[k]
    return len(tails)


def compare(
    a: Sequence[Anchor] | dict[str, float], b: Sequence[Anchor] | dict[str, float]
) -> Evidence:
    """Compare two anchor lists (or ``{key: weight}`` dicts in text order); ``score`` =
    geometric mean of the coverages times the share of shared anchors in the same order.

    >>> en = extract_anchors("In 2026 IDC saw $26.44 billion; Zhu Keli and Sugon agreed.", "en")
    >>> de = extract_anchors("2026 sah IDC 26,44 Milliarden US-Dollar; Zhu Keli und Sugon.", "de")
    >>> round(compare(en, de).score, 2) > 0.8
    True
    """
    wa = a if isinstance(a, dict) else {x.key: x.weight for x in a}
    wb = b if isinstance(b, dict) else {x.key: x.weight for x in b}
    common = wa.keys() & wb.keys()
    shared = sum(min(wa[k], wb[k]) for k in common)
    tot_a = sum(wa.values()) or 1.0
    tot_b = sum(wb.values()) or 1.0
    cov_a, cov_b = shared / tot_a, shared / tot_b
    seq_a = [k for k in wa if k in common]  # dicts keep the text order
    seq_b = [k for k in wb if k in common]
    order = _in_order(seq_a, seq_b) / len(common) if common else 0.0
    score = math.sqrt(cov_a * cov_b) * order
    return Evidence(round(shared, 3), round(cov_a, 3), round(cov_b, 3), round(order, 3),
                    round(score, 3))
