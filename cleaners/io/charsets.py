"""Which charset: WHATWG labels, UTF-8 with stray bytes, and legacy candidates weighed by language.

Enters: the bytes of a file that is not clean UTF-8 (or an HTML charset label). Leaves:
:func:`html_codec` (the codec a page's label means, as browsers read it),
:func:`repair_utf8` (UTF-8 whose few stray bytes are read as windows-1252) and
:func:`weigh_legacy` (each legacy candidate's text scored for the languages its script
covers, best first). :mod:`cleaners.io.sniff` decides with these.

The language check: a candidate's text is scored by the share of its non-ASCII letters and
letter pairs that the languages of that encoding use (from wordfreq's word lists). A
Latin-1 Portuguese ``não`` read as cp1250 is ``năo``: ``ă`` is a Romanian letter, but
``ăo`` is not a Romanian pair, so cp1252 wins.
"""

from __future__ import annotations

import codecs
import gzip
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: WHATWG Encoding standard, "Names and labels": encoding -> its labels. Labels are matched
#: after trimming ASCII white space and lowercasing; a label not listed (``cp037``,
#: ``latin-1``, ``utf-7``) is no encoding at all and is ignored.
_WHATWG_LABELS: dict[str, tuple[str, ...]] = {
    "UTF-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
              "x-unicode20utf8"),
    "IBM866": ("866", "cp866", "csibm866", "ibm866"),
    "ISO-8859-2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
                   "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"),
    "ISO-8859-3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
                   "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"),
    "ISO-8859-4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
                   "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"),
    "ISO-8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5",
                   "iso88595", "iso_8859-5", "iso_8859-5:1988"),
    "ISO-8859-6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
                   "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127",
                   "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"),
    "ISO-8859-7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
                   "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987",
                   "sun_eu_greek"),
    "ISO-8859-8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
                   "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988",
                   "visual"),
    "ISO-8859-8-I": ("csiso88598i", "iso-8859-8-i", "logical"),
    "ISO-8859-10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910",
                    "l6", "latin6"),
    "ISO-8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "ISO-8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "ISO-8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15",
                    "l9"),
    "ISO-8859-16": ("iso-8859-16",),
    "KOI8-R": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "KOI8-U": ("koi8-ru", "koi8-u"),
    "macintosh": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "windows-874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620",
                    "windows-874"),
    "windows-1250": ("cp1250", "windows-1250", "x-cp1250"),
    "windows-1251": ("cp1251", "windows-1251", "x-cp1251"),
    "windows-1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
                     "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
                     "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
                     "x-cp1252"),
    "windows-1253": ("cp1253", "windows-1253", "x-cp1253"),
    "windows-1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9",
                     "iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5",
                     "windows-1254", "x-cp1254"),
    "windows-1255": ("cp1255", "windows-1255", "x-cp1255"),
    "windows-1256": ("cp1256", "windows-1256", "x-cp1256"),
    "windows-1257": ("cp1257", "windows-1257", "x-cp1257"),
    "windows-1258": ("cp1258", "windows-1258", "x-cp1258"),
    "x-mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "GBK": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
            "iso-ir-58", "x-gbk"),
    "gb18030": ("gb18030",),
    "Big5": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "EUC-JP": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "ISO-2022-JP": ("csiso2022jp", "iso-2022-jp"),
    "Shift_JIS": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
                  "windows-31j", "x-sjis"),
    "EUC-KR": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
               "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    "replacement": ("csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext",
                    "iso-2022-kr", "replacement"),
    "UTF-16BE": ("unicodefffe", "utf-16be"),
    "UTF-16LE": ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
                 "utf-16le"),
    "x-user-defined": ("x-user-defined",),
}
#: WHATWG encoding -> the Python codec that decodes like it. A page's meta that names
#: UTF-16 means UTF-8 (HTML standard: the bytes in hand are ASCII-compatible) and
#: x-user-defined means windows-1252; ``replacement`` (ISO-2022-KR/CN, HZ) is ignored.
_CODEC_OF: dict[str, str | None] = {
    "UTF-8": "utf-8", "IBM866": "cp866", "ISO-8859-8-I": "iso8859_8",
    "KOI8-R": "koi8_r", "KOI8-U": "koi8_u", "macintosh": "mac_roman",
    "windows-874": "cp874", "x-mac-cyrillic": "mac_cyrillic", "GBK": "gb18030",
    "gb18030": "gb18030", "Big5": "big5hkscs", "EUC-JP": "euc_jp",
    "ISO-2022-JP": "iso2022_jp", "Shift_JIS": "cp932", "EUC-KR": "cp949",
    "replacement": None, "UTF-16BE": "utf-8", "UTF-16LE": "utf-8",
    "x-user-defined": "cp1252",
    **{f"ISO-8859-{n}": f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    **{f"windows-{n}": f"cp{n}" for n in range(1250, 1259)},
}
_LABEL_TO_ENCODING = {label: enc for enc, labels in _WHATWG_LABELS.items() for label in labels}
_ASCII_WS = "\t\n\x0c\r "


def html_codec(label: str) -> tuple[str, str] | None:
    """The (WHATWG encoding, Python codec) a page's charset label means, or ``None`` when
    browsers ignore the label (not in the standard, or the ``replacement`` encoding).

    >>> html_codec(" Latin1 "), html_codec("gb2312")
    (('windows-1252', 'cp1252'), ('GBK', 'gb18030'))
    >>> html_codec("utf-16"), html_codec("cp037"), html_codec("iso-2022-kr")
    (('UTF-16LE', 'utf-8'), None, None)
    """
    enc = _LABEL_TO_ENCODING.get(label.strip(_ASCII_WS).lower())
    codec = _CODEC_OF.get(enc) if enc else None
    return (enc, codec) if enc and codec else None


#: Legacy candidates, in order of preference on a tie, with the wordfreq languages whose
#: letters they encode. The first of several candidates giving the same text is kept.
LEGACY_CANDIDATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cp1252", ("en", "fr", "de", "es", "pt", "it", "nl", "ca", "sv", "da", "nb", "fi",
                "is", "id")),
    ("gb18030", ("zh",)),
    ("cp1250", ("cs", "pl", "sk", "hu", "sl", "sh", "ro")),
    ("cp1251", ("ru", "uk", "bg", "mk")),
    ("big5hkscs", ("zh",)),
    ("cp932", ("ja",)),
    ("euc_jp", ("ja",)),
    ("cp949", ("ko",)),
    ("iso8859_2", ("cs", "pl", "sk", "hu", "sl", "sh", "ro")),
    ("koi8_r", ("ru", "uk", "bg")),
    ("cp1253", ("el",)),
    ("iso8859_7", ("el",)),
    ("cp1254", ("tr",)),
    ("cp1257", ("lt", "lv")),
    ("cp1255", ("he",)),
    ("cp1256", ("ar", "fa", "ur")),
    ("cp1258", ("vi",)),
    ("cp866", ("ru", "uk", "bg")),
)
#: Keep a character or pair that makes up at least this share of a language's non-ASCII
#: mass in its word list (drops loanwords and names: Polish lists hold a rare "São").
_MIN_SHARE = 2e-5
#: Characters of non-ASCII words scored per candidate (enough to tell languages apart; the
#: whole sample is still checked for undecodable bytes).
_SCORE_CHARS = 16_000
#: Symbols any language's text may hold (quotes, dashes, currency, CJK punctuation).
_COMMON_SYMBOLS = frozenset(
    "\u00a0\u00a1\u00a2\u00a3\u00a5\u00a7\u00a9\u00ab\u00ae\u00b0\u00b1\u00b2\u00b3\u00b4"
    "\u00b5\u00b7\u00bb\u00bc\u00bd\u00be\u00bf\u00d7\u00f7\u2013\u2014\u2018\u2019\u201a"
    "\u201c\u201d\u201e\u2020\u2022\u2026\u2030\u2032\u2033\u2039\u203a\u20ac\u2116\u2122"
    "\u3000\u3001\u3002\u300a\u300b\u300c\u300d\u300e\u300f\u3010\u3011\u30fb\u00ad"
)


@lru_cache(maxsize=1)
def _simplified_map() -> dict[int, str]:
    """wordfreq's Traditional -> Simplified Chinese character map (its word lists are
    Simplified)."""
    import msgpack
    import wordfreq

    path = wordfreq.available_languages("small")["zh"].rsplit("/", 1)[0]
    with gzip.open(f"{path}/_chinese_mapping.msgpack.gz") as f:
        return msgpack.load(f, raw=False, strict_map_key=False)


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3"


def _units(text: str) -> tuple[list[str], list[str]]:
    """The non-ASCII letters of ``text`` and the letter pairs holding one (a word boundary
    as a space), lowercased."""
    chars: list[str] = []
    pairs: list[str] = []
    prev = " "
    for ch in text.casefold():
        letter = ch.isalpha() or unicodedata.category(ch).startswith("M")
        cur = ch if letter else " "
        if ch >= "\x80" and letter:
            chars.append(ch)
        if (prev >= "\x80" or cur >= "\x80") and (prev != " " or cur != " "):
            pairs.append(prev + cur)
        prev = cur
    if prev >= "\x80":
        pairs.append(prev + " ")
    return chars, pairs


#: A unit's weight by its share of the language's non-ASCII mass: common ones count fully,
#: rare ones a little (random letters of a dense alphabet such as Cyrillic form many rare
#: pairs, real text few).
_TIERS = ((1e-3, 1.0), (1e-4, 0.7), (_MIN_SHARE, 0.3))


@dataclass(frozen=True, slots=True)
class _Language:
    chars: dict[str, float]
    pairs: dict[str, float]


@lru_cache(maxsize=None)
def _language(lang: str) -> _Language:
    """The non-ASCII letters and letter pairs of ``lang``'s words (wordfreq ``small`` list,
    each word weighted by its frequency); rare ones are left out."""
    from wordfreq import available_languages, read_cBpack

    buckets = read_cBpack(available_languages("small")[lang])
    chars: dict[str, float] = {}
    pairs: dict[str, float] = {}
    for i, words in enumerate(buckets):
        weight = 10 ** (-i / 100)
        for word in words:
            if word.isascii():
                continue
            cs, ps = _units(word)
            for c in cs:
                chars[c] = chars.get(c, 0.0) + weight
            for p in ps:
                pairs[p] = pairs.get(p, 0.0) + weight

    def common(counts: dict[str, float]) -> dict[str, float]:
        total = sum(counts.values()) or 1.0
        out = {}
        for k, v in counts.items():
            for share, weight in _TIERS:
                if v >= share * total:
                    out[k] = weight
                    break
        return out

    return _Language(common(chars), common(pairs))


def plausibility(text: str, langs: tuple[str, ...]) -> tuple[float, int]:
    """The share (0-1) of ``text``'s non-ASCII units that ``langs`` use, and the number of
    units (letters and letter pairs; symbols count as plausible only if common).

    >>> plausibility("Não há pão.", ("pt",))[0] > plausibility("Năo há păo.", ("ro",))[0]
    True
    """
    if "zh" in langs:
        text = text.translate(_simplified_map())
    good = total = 0
    known = [_language(lang) for lang in langs]
    cjk = not {"zh", "ja", "ko"}.isdisjoint(langs)
    for i, ch in enumerate(text):
        if ch >= "\x80" and not (ch.isalpha() or unicodedata.category(ch).startswith("M")):
            total += 1
            if ch.isspace() or (cjk and ("\u3000" <= ch <= "\u303f" or "\uff00" <= ch)):
                good += 1
            elif ch in _COMMON_SYMBOLS:
                # next to a space, ASCII or the text's edge: a symbol between two non-ASCII
                # letters ("ЦР»Т") is a misread byte
                a = text[i - 1] if i else " "
                b = text[i + 1] if i + 1 < len(text) else " "
                good += a < "\x80" or b < "\x80" or a.isspace() or b.isspace()
    chars, pairs = _units(text)
    for c in chars:
        if _is_cjk(c):  # in a dense alphabet (Cyrillic) any letter is common: pairs tell
            total += 1
            good += max(k.chars.get(c, 0.0) for k in known)
    for p in pairs:
        w = max(k.pairs.get(p, 0.0) for k in known)
        if w or not (_is_cjk(p[0]) and _is_cjk(p[1])):
            total += 1
            good += w
        else:
            total += 0.25  # pairs across CJK words are missing from word lists
    if "ja" in langs and chars:
        kana = sum(1 for c in chars if "\u3040" <= c <= "\u30ff")
        if kana < 0.05 * len(chars):  # Japanese text without kana is some other language
            good *= 0.5
    return (good / total if total else 1.0), int(total)


def _non_ascii_words(text: str) -> str:
    """The words of ``text`` holding a non-ASCII character (all that is scored), at most
    :data:`_SCORE_CHARS` of them: markup and ASCII prose say nothing about the charset."""
    out: list[str] = []
    size = 0
    for word in text.split():
        if word.isascii():
            continue
        out.append(word)
        size += len(word) + 1
        if size >= _SCORE_CHARS:
            break
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One legacy reading of the bytes: its text, how plausible, how many bytes did not fit."""

    codec: str
    text: str
    score: float
    units: int
    bad: int


def weigh_legacy(data: bytes, extra: tuple[str, ...] = ()) -> list[Candidate]:
    """Every legacy candidate's reading of ``data``, best first (a reading with undecodable
    bytes loses one unit per bad byte; equal texts count once).

    >>> [c.codec for c in weigh_legacy("Não há pão, São Paulo.".encode("latin-1"))][:1]
    ['cp1252']
    """
    seen: set[str] = set()
    out: list[Candidate] = []
    cands = list(LEGACY_CANDIDATES) + [(c, ()) for c in extra]
    for rank, (codec, langs) in enumerate(cands):
        text = data.decode(codec, errors="replace")
        if text in seen:
            continue
        seen.add(text)
        bad = text.count("\ufffd")
        if bad > 0.05 * len(data) + 2:
            continue
        score, units = plausibility(_non_ascii_words(text), langs) if langs else (0.0, 0)
        if units:
            score = score * units / (units + 4 * bad)
        out.append(Candidate(codec, text, score, units, bad))
    order = {c: i for i, (c, _) in enumerate(cands)}
    out.sort(key=lambda c: (-round(c.score, 3), order[c.codec]))
    return out


def confidence(cands: list[Candidate]) -> float:
    """How sure the best candidate is: its score, lowered when a different text scores
    nearly as well; never 1.0 (a detection is a guess).

    >>> confidence([Candidate("a", "x", 1.0, 50, 0), Candidate("b", "y", 0.2, 50, 0)])
    0.9
    """
    if not cands:
        return 0.0
    best = cands[0].score
    second = cands[1].score if len(cands) > 1 else 0.0
    margin = (best - second) / best if best else 0.0
    few = min(1.0, cands[0].units / 20)  # a handful of letters is weak evidence
    return round(min(0.99, best * (0.5 + 0.5 * margin) * (0.6 + 0.4 * few)), 3)


#: Each byte as windows-1252 reads it (its five undefined bytes as C1 controls, as browsers do).
_CP1252_BYTE = tuple(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


def _stray_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "".join(_CP1252_BYTE[b] for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("scrubline.cp1252", _stray_as_cp1252)


def repair_utf8(data: bytes) -> tuple[str, int, int]:
    """``data`` read as UTF-8, each byte that is not part of a valid sequence read as
    windows-1252 (as browsers read its five undefined bytes: C1 controls); also the number
    of such bytes and of valid multi-byte characters.

    >>> repair_utf8("São Paulo é".encode() + b" n\\xe3o")
    ('São Paulo é não', 1, 2)
    """
    text = data.decode("utf-8", errors="scrubline.cp1252")
    strict = data.decode("utf-8", errors="ignore")
    good = sum(1 for ch in strict if ch >= "\x80")
    stray = len(data) - len(strict.encode("utf-8"))
    return text, stray, good


def cjk_share(text: str) -> tuple[float, int]:
    """The share of ``text``'s CJK characters (Han, kana, Hangul) that Chinese, Japanese or
    Korean words use, and how many there are: BOM-less UTF-16 CJK text scores near 1;
    other bytes read as UTF-16 give rare characters.

    >>> cjk_share("中文网页内容，测试编码识别。")
    (1.0, 12)
    """
    chars = [c for c in text.translate(_simplified_map()) if _is_cjk(c)]
    if not chars:
        return 0.0, 0
    known = [_language(lang) for lang in ("zh", "ja", "ko")]
    good = sum(1 for c in chars if any(k.chars.get(c, 0.0) >= 0.3 for k in known))
    return good / len(chars), len(chars)
