"""One header line in, its fields out: datelines, bylines, credits, titles and decks.

What enters: one line of a page's header (raw or stripped). What leaves: the fields it
holds (:class:`Field`: offsets in the line, rule id, name, value) or a yes/no on its shape.
The patterns are the tables of :mod:`cleaners.rules.metadata`; the ``metadata`` stage
(:mod:`cleaners.stages.metadata`) decides which lines of a page are its header.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import regex

from cleaners.core.safety import safe_compile
from cleaners.rules import register_heuristic
from cleaners.rules.boilerplate import TAIL_TABLE
from cleaners.rules.metadata import (
    BYLINE_TABLE,
    CREDIT_TABLE,
    CREDIT_TAIL_RE,
    DATELINE_TABLE,
    NAME,
    NAMES,
    PUBLICATION,
    SOURCE_TABLE,
    month_number,
)
from cleaners.stages.chrome import find_licence_items, match_line_entry

#: A title: at most this many characters and words.
TITLE_MAX_CHARS_DEFAULT = 200
TITLE_MAX_WORDS_DEFAULT = 30
#: A deck (subtitle): at most this many characters, at least this many words.
DECK_MAX_CHARS_DEFAULT = 300
DECK_MIN_WORDS_DEFAULT = 4
#: A publication-name line (byline layout) is at most this long.
SOURCE_MAX_CHARS_DEFAULT = 50

TITLE = register_heuristic(
    "metadata.lift_title",
    category="title",
    description="Lift the title: the short unpunctuated line right above the dateline or byline.",
)
SUBTITLE = register_heuristic(
    "metadata.lift_subtitle",
    category="title",
    description="Lift the deck: a short line without a final period between the header and the body.",
)
DATE = DATELINE_TABLE[0].id
DATE_RE = DATELINE_TABLE[0].regex
EDITOR = "metadata.lift_editor"
BYLINE = BYLINE_TABLE[0].id
BYLINE_RE = BYLINE_TABLE[0].regex
CREDIT = CREDIT_TABLE[0].id
SOURCE = SOURCE_TABLE[0].id
SOURCE_LINE_RE = SOURCE_TABLE[0].regex

_SEP = r"[\s|/·•,;–-]*"
#: Fields that may follow the date on a dateline, each anchored where the last one ended.
_EDITOR_AT = safe_compile(
    rf"{_SEP}(?:(?:Editor|Edited\ by|Redakteur(?:in)?|Redaktion)(?!['’]s)\s*[:：]?\s*|(?:责任编辑|责编|编辑)\s*[:：]\s*)"
    rf"(?P<v>{NAME})",
    regex.VERSION0,
)
_BYLINE_AT = safe_compile(rf"{_SEP}(?:By|BY|Von|VON)\s+(?P<v>{NAMES})", regex.VERSION0)
_SOURCE_AT = safe_compile(
    rf"{_SEP}(?:(?:Source|Quelle)\s*:\s*|来源\s*[:：]\s*)?(?P<v>{PUBLICATION}|\p{{Han}}{{2,12}})",
    regex.VERBOSE | regex.VERSION0,
)
_CREDIT_AT = safe_compile(rf"{_SEP}(?P<v>{CREDIT_TAIL_RE.pattern})", regex.VERBOSE | regex.VERSION0)
_SPACE_SEP_RE = safe_compile(r"[\s|/·•,;–-]*")
_SENTENCE_BREAK_RE = safe_compile(r"\p{Ll}{2,}[.!?]\s+\p{Lu}")
_TITLE_END_BAD = (".", ",", ";", ":", "。", "，", "；", "：")
#: Lines that start like these are credits or stamps, not titles.
_NOT_TITLE_START_RE = safe_compile(
    r"(?i)(?:by|von|reviewed\s+by|written\s+by|posted\s+(?:by|on|in)|updated|published|filed\s+under)\b"
)
_LOWER_WORD_RE = safe_compile(r"(?:^|\s)\p{Ll}")
_HAN_RE = safe_compile(r"\p{Han}")
_AUTHOR_SPLIT_RE = safe_compile(r"\s*(?:,|\band\b|\bund\b|&|、|和)\s*")
_LETTER_RE = safe_compile(r"\p{L}")
#: Cheap gate before :data:`CREDIT_TABLE`: a credit starts with a bracket, © or a label,
#: holds a slash, or ends with 摄 (stdlib ``re``: one fast scan per line).
_CREDIT_GATE_RE = safe_compile(
    r"^(?:[\[(©]|photo|foto|bild|image|credit|illustration|grafik|新华社|中新社|记者)|/|摄$", re.I,
    linear=True,
)

_CREDIT_GATE_WORDS = ("photo", "foto", "bild", "image", "credit", "illustration", "grafik")


def could_pass_credit_gate(s: str) -> bool:
    """Cheap necessary condition of ``_CREDIT_GATE_RE.search(s)`` for ASCII lines (exact
    case folding); other lines always go to the regex.

    >>> could_pass_credit_gate("PHOTO: AP"), could_pass_credit_gate("The end.")
    (True, False)
    """
    if not s.isascii():
        return True
    return "/" in s or s[:1] in ("[", "(") or s.lower().startswith(_CREDIT_GATE_WORDS)


@dataclass(frozen=True, slots=True)
class Field:
    """One lifted field of a header line: ``[start, end)`` in line offsets."""

    start: int
    end: int
    rule: str
    name: str
    value: object


# -- parsing one line -------------------------------------------------------------------------


def iso_date(m: regex.Match[str]) -> str | None:
    """ISO 8601 of a :data:`DATE_RE` match: date, or date and time; no timezone invented.

    >>> iso_date(DATE_RE.search("2024-03-06 12:59:31China Daily"))
    '2024-03-06T12:59:31'
    >>> iso_date(DATE_RE.search("March 6, 2024 um 06:00 AM"))
    '2024-03-06T06:00:00'
    >>> iso_date(DATE_RE.search(" date 2024-03-11 "))
    '2024-03-11'
    >>> iso_date(DATE_RE.search("2024-13-45")) is None
    True
    """
    g = m.groupdict()
    try:
        if g["y1"]:
            y, mo, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), month_number(g["mn2"]), int(g["d2"])
        elif g["y3"]:
            y, mo, d = int(g["y3"]), month_number(g["mn3"]), int(g["d3"])
        elif g["y4"]:
            y, mo, d = int(g["y4"]), month_number(g["mn4"]), int(g["d4"])
        elif g["y5"]:
            y, mo, d = int(g["y5"]), int(g["m5"]), int(g["d5"])
        else:
            y, mo, d = int(g["y6"]), int(g["m6"]), int(g["d6"])
        if mo is None:
            return None
        day = _dt.date(y, mo, d)
        if g["hh"] is None:
            return day.isoformat()
        hh, mi, ss = int(g["hh"]), int(g["mi"]), int(g["ss"] or 0)
        if g["ampm"]:
            if not 1 <= hh <= 12:
                return None
            hh = hh % 12 + (12 if g["ampm"].lower() == "p" else 0)
        stamp = _dt.datetime(y, mo, d, hh, mi, ss)
    except ValueError:
        return None
    out = stamp.isoformat()
    if g["tzh"]:
        out += f"{int(g['tzh']):+03d}:{int(g['tzm'] or 0):02d}"
    return out


def parse_dateline(line: str) -> tuple[list[Field], int] | None:
    """Split a dateline into fields; return them and where the metadata part ends.

    The part after the date must be made only of fields (source, editor, byline, credit);
    a date followed by prose is not a dateline. Chrome glued at the end (an app prompt) is
    not a field: the returned end stops before it.

    >>> fields, end = parse_dateline("2024-03-06 12:59:31China Daily Editor : Li Yan ECNS App Download")
    >>> [(f.name, f.value) for f in fields], end
    ([('date', '2024-03-06T12:59:31'), ('source', 'China Daily'), ('editor', 'Li Yan')], 47)
    >>> parse_dateline("2024-03-06 was the day the plan came out.") is None
    True
    >>> parse_dateline("November 28, 2025/Living Healthy/Wellness") is None
    True
    """
    m = DATE_RE.search(line)
    if m is None:
        return None
    iso = iso_date(m)
    if iso is None:
        return None
    fields: list[Field] = []
    if m.group("pre"):
        pre = m.group("pre").strip()
        if not _LETTER_RE.search(pre) or pre.endswith(_TITLE_END_BAD):
            return None
        fields.append(Field(0, m.start("date"), SOURCE, "source", pre))
        fields.append(Field(m.start("date"), m.end(), DATE, "date", iso))
    else:
        fields.append(Field(0, m.end(), DATE, "date", iso))
    end = len(line)
    for t in TAIL_TABLE:
        tm = t.regex.search(line, m.end())
        if tm is not None:
            end = tm.start()
            break
    pos = m.end()
    while True:
        sep = _SPACE_SEP_RE.match(line, pos, end)
        if sep is not None and sep.end() == end:
            break
        for pattern, rid, name in (
            (_EDITOR_AT, EDITOR, "editor"),
            (_BYLINE_AT, BYLINE, "authors"),
            (_CREDIT_AT, CREDIT, "credits"),
            (_SOURCE_AT, SOURCE, "source"),
        ):
            fm = pattern.match(line, pos, end)
            if fm is not None and fm.end() > pos:
                if any(f.name == name for f in fields):
                    return None  # a field twice ('date/Section/Subsection'): not a dateline
                value: object = fm.group("v").strip()
                if name == "authors":
                    value = split_authors(str(value))
                label_start = sep.end() if sep is not None else pos
                fields.append(Field(label_start, fm.end(), rid, name, value))
                pos = fm.end()
                break
        else:
            return None
    # each field takes the separators after it, up to the next field or the end
    out = []
    for k, f in enumerate(fields):
        start = f.start if k else 0
        stop = fields[k + 1].start if k + 1 < len(fields) else end
        out.append(Field(start, stop, f.rule, f.name, f.value))
    return out, end


def split_authors(names: str) -> list[str]:
    """Split ``'A, B and C'`` into names.

    >>> split_authors("Max Mustermann und Erika Musterfrau")
    ['Max Mustermann', 'Erika Musterfrau']
    """
    return [n for n in _AUTHOR_SPLIT_RE.split(names.strip()) if n]


def parse_byline(line: str) -> list[str] | None:
    """Authors of a byline line, or ``None``.

    >>> parse_byline("- By Cheng Yu")
    ['Cheng Yu']
    >>> parse_byline("By the time the plan was released, prices had risen.") is None
    True
    """
    s = line.strip()
    if len(s) > BYLINE_TABLE[0].max_chars:
        return None
    m = BYLINE_RE.fullmatch(s)
    return split_authors(m.group("names")) if m else None


def credit_value(line: str) -> str | None:
    """The credit a whole line holds (brackets and a trailing ``|`` removed), or ``None``.

    >>> credit_value("Ma Xuejing/China Daily"), credit_value("[Photo/Agencies] |")
    ('Ma Xuejing/China Daily', 'Photo/Agencies')
    """
    s = line.strip()
    if CREDIT_TABLE[0].hit(s) is None:
        return None
    s = s.rstrip("| ").strip()
    if s[:1] in "[(" and s[-1:] in "])":
        s = s[1:-1].strip()
    return s


def is_title_shape(line: str) -> bool:
    """A short line with letters, no final sentence punctuation and no sentence break inside.

    A title may end with ``?`` or ``!`` (seed 004: ``Is AI China’s critical new productive force?``).
    A name or a one-word label is not taken for a title.

    >>> is_title_shape("AI industrial chain spurred on by Sora")
    True
    >>> is_title_shape("Dan Davies"), is_title_shape("Main")
    (False, False)
    >>> is_title_shape("China Technology: Ein Smartphone liegt neben einem MacBook und zeigt das Logo von Sora. Artificial Intelligence")
    False
    """
    words = len(line.split())
    return (
        3 <= len(line) <= TITLE_MAX_CHARS_DEFAULT
        and words <= TITLE_MAX_WORDS_DEFAULT
        and not line.endswith(_TITLE_END_BAD)
        and _LETTER_RE.search(line) is not None
        and _SENTENCE_BREAK_RE.search(line) is None
        and _NOT_TITLE_START_RE.match(line) is None
        # a name or a label ("Dan Davies", "Main", "Saturday") is not a title: ask for three
        # words, or two with a lower-case one, or Han characters
        and (words >= 3 or (words == 2 and _LOWER_WORD_RE.search(line) is not None)
             or len(_HAN_RE.findall(line)) >= 4)
    )


def is_deck_shape(line: str) -> bool:
    """A standfirst: a few words up to a paragraph's length, no final period.

    >>> is_deck_shape("Chinese firms may need to pool more resources into research, development of crucial technology")
    True
    >>> is_deck_shape("It rained.")
    False
    """
    return (
        len(line) <= DECK_MAX_CHARS_DEFAULT
        and len(line.split()) >= DECK_MIN_WORDS_DEFAULT
        and not line.endswith(_TITLE_END_BAD)
        and not line.endswith(("!", "?"))
    )


def is_all_caps(line: str) -> bool:
    """A line whose letters (at least eight) are all capitals (PressReader decks).

    >>> is_all_caps("CHINA NEEDS TO APPLY AI TO REAL USE"), is_all_caps("China Daily")
    (True, False)
    """
    letters = _LETTER_RE.findall(line)
    return len(letters) >= 8 and not any(ch.islower() for ch in letters)


def is_publication_shape(line: str) -> bool:
    """A masthead line: 1-6 capitalised words, no digits, no punctuation at the end.

    >>> is_publication_shape("China Daily"), is_publication_shape("Is AI China’s critical new productive force?")
    (True, False)
    """
    return (
        len(line) <= SOURCE_MAX_CHARS_DEFAULT
        and not any(ch.isdigit() for ch in line)
        and SOURCE_LINE_RE.fullmatch(line) is not None
    )


def classify_header_line(raw: str) -> tuple[str, object]:
    """Kind of a header line: chrome, dateline, byline, credit or text, and its value.

    A dateline's fields are in offsets of ``raw`` (the line as it stands in the text).
    """
    line = raw.strip()
    if match_line_entry(line, "header") is not None or find_licence_items(line):
        return "chrome", None
    parsed = parse_dateline(raw)
    if parsed is not None:
        return "dateline", parsed
    authors = parse_byline(line)
    if authors is not None:
        return "byline", authors
    credit = credit_value(line)
    if credit is not None:
        return "credit", credit
    return "text", None
