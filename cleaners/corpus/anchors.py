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

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

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
#: its separators, and an optional scale word after it.
_NUMBER_RE = regex.compile(
    r"""
    (?<![\p{L}\d][-.]?|[\d.,]\d*)  # not the tail of a name or of a longer number
    (?<num> \d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?   # grouped thousands
          | \d+(?:[.,]\d+)? )
    (?![\p{L}\d]|[.,]\d)
    (?: [\s\u00a0]? (?<scale>\p{L}+)\.? )?
    """,
    regex.VERBOSE,
)
#: Words written in Latin script with a capital or a digit inside: names, acronyms,
#: model names (``OpenAI``, ``EFLOPS``, ``GPT-4.0``, ``Zhu``).
_NAME_RE = regex.compile(
    r"""
    (?<![\p{L}\d])
    (?: \p{Lu}[\p{Latin}\p{Mn}]*(?:[-.]?[\p{Latin}\d]+)*   # Capitalised word, maybe hyphened
      | [\p{Ll}]+\p{Lu}[\p{Latin}]*                         # iPhone, eBay
      | \p{Latin}+\d[\p{Latin}\d]*                           # H100, A380
    )
    (?![\p{L}\d])
    """,
    regex.VERBOSE,
)
#: A no-break space grouping thousands (French, Russian...): 12 500.
_GROUP_SPACE_RE = regex.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_DOTTED_RE = regex.compile(r"(?:\p{L}\.)+\p{L}\.?")
_TIME_RE = regex.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


@dataclass(frozen=True, slots=True)
class Anchor:
    """One piece of evidence: ``n:<value>`` or ``w:<name>``, and how specific it is."""

    key: str
    weight: float


def _parse_number(raw: str, comma_decimal: bool) -> float | None:
    digits = raw.replace("\u00a0", "").replace("\u202f", "")
    if regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        seps = set(regex.sub(r"\d", "", digits))
        sep = seps.pop() if len(seps) == 1 else None
        # 1,234 is a thousand and more in English but 1.234 in German; 7,600 likewise.
        if sep == "," and comma_decimal and digits.count(",") == 1:
            return float(digits.replace(",", "."))
        if sep == "." and not comma_decimal and digits.count(".") == 1:
            return float(digits)
        return float(regex.sub(r"[.,]", "", digits))
    if regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+[.,]\d+", digits):
        return float(regex.sub(r"[.,]", "", digits[:-len(regex.split(r"[.,]", digits)[-1]) - 1])
                     + "." + regex.split(r"[.,]", digits)[-1])
    try:
        return float(digits.replace(",", "."))
    except ValueError:
        return None


def number_weight(value: float, scaled: bool) -> float:
    """How specific a number is: 0 for small integers, 0.5 for years and two-digit ones.

    >>> number_weight(7, False), number_weight(2026, False), number_weight(7.6e6, True)
    (0.0, 0.5, 1.0)
    """
    if value == int(value) and not scaled:
        if value <= 12:
            return 0.0
        if value < 100 or 1900 <= value <= 2100:
            return 0.5
    return 1.0


def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError):
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
    ['w:idc', 'n:2.644e+10', 'w:us-dollar', 'n:2026', 'w:zhu', 'w:keli']
    >>> [a.key for a in extract_anchors("7.6 million units and 197 EFLOPS", "en")]
    ['n:7.6e+06', 'n:197', 'w:eflops']
    >>> [a.key for a in extract_anchors("7,6 Millionen Einheiten und 197 EFLOPS", "de")]
    ['n:7.6e+06', 'n:197', 'w:eflops']
    >>> extract_anchors("", "en")
    []
    """
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
        w = number_weight(value, factor is not None)
        if w > 0 and math.isfinite(value):
            found.append((m.start(), f"n:{value:.6g}", w))
    for m in _NAME_RE.finditer(text):
        word = m.group(0)
        if _DOTTED_RE.fullmatch(word):  # U.S. is US; GPT-4.0 keeps its dot
            word = word.replace(".", "")
        if len(word) < 2 or m.start() in taken:
            continue
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


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def compare(a: Sequence[Anchor], b: Sequence[Anchor]) -> Evidence:
    """Compare two anchor lists; ``score`` = geometric mean of the coverages times order.

    >>> en = extract_anchors("In 2026 IDC saw $26.44 billion; Zhu Keli and Sugon agreed.", "en")
    >>> de = extract_anchors("2026 sah IDC 26,44 Milliarden US-Dollar; Zhu Keli und Sugon.", "de")
    >>> round(compare(en, de).score, 2) > 0.8
    True
    """
    wa = {x.key: x.weight for x in a}
    wb = {x.key: x.weight for x in b}
    common = wa.keys() & wb.keys()
    shared = sum(min(wa[k], wb[k]) for k in common)
    tot_a = sum(wa.values()) or 1.0
    tot_b = sum(wb.values()) or 1.0
    cov_a, cov_b = shared / tot_a, shared / tot_b
    seq_a = [x.key for x in a if x.key in common]
    seq_b = [x.key for x in b if x.key in common]
    order = _lcs(seq_a, seq_b) / len(common) if common else 0.0
    score = math.sqrt(cov_a * cov_b) * order
    return Evidence(round(shared, 3), round(cov_a, 3), round(cov_b, 3), round(order, 3),
                    round(score, 3))
