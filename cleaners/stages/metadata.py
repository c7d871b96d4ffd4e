"""Stage ``metadata``: lift the page header and photo credits out of the body into metadata.

The header is read from the lines above the first long paragraph. Its *anchor* is the
first dateline (a date at the start of a line, maybe followed by source, editor, credit)
or byline (``- By Cheng Yu``), within the first few lines. Around the anchor:

* the title is the nearest short line above it with no sentence punctuation at its end and
  no sentence break inside (a deck in capitals may sit between them); without an anchor no
  title is guessed (seed 001 starts mid-article);
* in a byline layout, a publication-name line that opens the page right above the title
  is ``source`` (PressReader, seed 004);
* lines above the title are page chrome: they are recorded in ``doc.marks["header_chrome"]``
  for the ``boilerplate`` stage, which drops them; if one of them could itself be the
  title, they are all kept and flagged;
* datelines, bylines and credits right below the anchor are lifted too (with at most one
  deck between two of them), and then a deck (short line with no final period, right
  before the first long paragraph) is ``subtitle``;
* a second dateline or byline further down the header makes it ambiguous (a teaser, a
  list of posts): nothing is lifted from it, and it is flagged.

Chrome and credit lines are skipped when the header is read, so a second run, after the
boilerplate stage dropped them, reads the same header (idempotency). Chrome glued to a
dateline (``… Editor : Li Yan ECNS App Download``) stays in the text as a line of its own,
for the boilerplate stage to drop under its own rule id. Photo credit lines
(``Ma Xuejing/China Daily``) are lifted wherever they stand. Fields keep the first value
found; absent fields stay ``None``; ``language`` is the pipeline's.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from cleaners.stages.boilerplate import find_licence_items, match_line_entry
from cleaners.core.document import Change
from cleaners.core.registry import Stage, rule
from cleaners.core.lines import Removal, is_long_paragraph, plan_line_removal
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
from cleaners.core.textutil import iter_lines
from cleaners.core.safety import safe_compile

#: The dateline or byline must come within this many non-empty lines (chrome and credits
#: not counted) at the top of a page.
HEADER_LINES_DEFAULT = 12
#: At most this many lines above the first long paragraph are classified at all.
HEADER_SCAN_MAX_DEFAULT = 200
#: A title: at most this many characters and words.
TITLE_MAX_CHARS_DEFAULT = 200
TITLE_MAX_WORDS_DEFAULT = 30
#: A deck (subtitle): at most this many characters, at least this many words.
DECK_MAX_CHARS_DEFAULT = 300
DECK_MIN_WORDS_DEFAULT = 4
#: Page chrome above the title is dropped only if there are at most this many lines, each
#: at most this long; otherwise it is kept and flagged.
PRE_TITLE_LINES_DEFAULT = 6
PRE_TITLE_MAX_CHARS_DEFAULT = 300
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


# -- the stage --------------------------------------------------------------------------------


def _enabled(doc: object, rule_id: str) -> bool:
    config = getattr(doc, "config", None)
    return config is None or config.enabled(rule_id)


def _set(doc: object, name: str, value: object) -> None:
    meta = getattr(doc, "metadata", None)
    if meta is None:
        return
    if name in ("authors", "credits"):
        values = value if isinstance(value, list) else [value]
        current = meta.get(name) or []
        meta[name] = current + [v for v in values if v not in current]
    elif meta.get(name) is None:
        meta[name] = value


def _classify(raw: str) -> tuple[str, object]:
    """Kind of a header line: chrome, dateline, byline, credit or text.

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


@rule("metadata.lift_fields", category="metadata")
def lift_fields(text: str, doc: object) -> Iterator[Change]:
    """Lift title, subtitle, dateline fields, byline, source and photo credits into metadata.

    Each lifted span is its own edit (action ``lift``) with the field's rule id; see the
    module docstring for how the header is read.

    Leaves alone: a page that starts mid-article (no dateline or byline: no title is
    guessed), a date followed by prose, sentences that start with "By".

    >>> t = "AI chain spurred on by Sora\\n\\n- By Cheng Yu\\n\\n" + "Body sentence here. " * 9
    >>> [(c.rule, t[c.start:c.end]) for c in lift_fields(t, None)]
    [('metadata.lift_title', 'AI chain spurred on by Sora\\n\\n'), ('metadata.lift_byline', '- By Cheng Yu\\n\\n')]
    >>> list(lift_fields("Go to the forum, he said.\\n" + "Body sentence here. " * 9, None))
    []
    """
    lines = list(iter_lines(text))
    if not lines:
        return
    stripped = [ln[2].strip() for ln in lines]
    removals: dict[int, Removal] = {}

    def lift(i: int, fields: Sequence[Field]) -> None:
        s, e, _line = lines[i]
        segs = []
        for f in fields:
            if not _enabled(doc, f.rule):
                continue
            _set(doc, f.name, f.value)
            segs.append((s + f.start, s + f.end, f.rule, f"{f.name}: {f.value!r}"))
        if segs:
            removals[i] = Removal(s, e, tuple(segs), action="lift")

    def lift_line(i: int, rid: str, name: str, value: object, why: str) -> None:
        if not _enabled(doc, rid):
            return
        s, e, _line = lines[i]
        _set(doc, name, value)
        removals[i] = Removal(s, e, ((s, e, rid, f"{name}: {value!r} ({why})"),), action="lift")

    # the header: non-empty lines above the first long paragraph
    idx: list[int] = []
    body_follows = False  # the header ends at a long paragraph (not at the scan limit)
    for i, s in enumerate(stripped):
        if not s:
            continue
        if is_long_paragraph(s):
            body_follows = True
            break
        if len(idx) >= HEADER_SCAN_MAX_DEFAULT:
            break
        idx.append(i)
    kinds = _Kinds(lines)  # classified on first use: most pages have no anchor
    anchor_pos = _find_anchor(idx, kinds)
    if anchor_pos is not None:
        end, decks = _block_end(idx, anchor_pos, kinds, stripped)
        later = [i for i in idx[end:] if kinds[i][0] in ANCHOR_KINDS]
        if later:
            # two separate headers (a teaser and the article, or a page of several posts):
            # which one is the article's cannot be told from layout; lift nothing
            flag = getattr(doc, "flag", None)
            if flag is not None:
                a = idx[anchor_pos]
                flag(TITLE, lines[a][0], lines[a][1], stripped[a][:80],
                     f"another dateline/byline further down the header ({stripped[later[0]][:40]!r}): "
                     "header not lifted")  # fmt: skip
        else:
            _read_header(
                idx, anchor_pos, end, decks, kinds, stripped, lines, doc, lift, lift_line, body_follows
            )

    # credits anywhere else (a one-call gate first: most lines cannot be credits)
    for i, s in enumerate(stripped):
        if not s or len(s) > 120 or i in removals:
            continue
        if not could_pass_credit_gate(s) or _CREDIT_GATE_RE.search(s) is None:
            continue
        credit = credit_value(s)
        if credit is not None:
            lift_line(i, CREDIT, "credits", credit, "photo credit line")

    yield from plan_line_removal(text, lines, sorted(removals.items()))


ANCHOR_KINDS = ("dateline", "byline")


class _Kinds(dict):
    """Line index -> :func:`_classify` result, computed when first asked for."""

    def __init__(self, lines: Sequence[tuple[int, int, str]]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, i: int) -> tuple[str, object]:
        value = self[i] = _classify(self.lines[i][2])
        return value

#: Header lines that the header reading skips: dropped later, or lifted wherever they are.
_SKIPPED = ("chrome", "credit")


def _next_text(idx: Sequence[int], p: int, kinds: dict) -> int | None:
    """Position of the next header line after ``p`` that is neither chrome nor a credit."""
    for q in range(p + 1, len(idx)):
        if kinds[idx[q]][0] not in _SKIPPED:
            return q
    return None


def _find_anchor(idx: Sequence[int], kinds: dict) -> int | None:
    """Position in ``idx`` of the first dateline or byline, if it comes within the first
    :data:`HEADER_LINES_DEFAULT` lines that are neither chrome nor credits (those are
    dropped or lifted, so counting them would make a second run see a different header)."""
    counted = 0
    for p, i in enumerate(idx):
        kind = kinds[i][0]
        if kind in ANCHOR_KINDS:
            return p
        if kind not in ("chrome", "credit"):
            counted += 1
            if counted >= HEADER_LINES_DEFAULT:
                return None
    return None


def _block_end(idx: Sequence[int], p: int, kinds: dict, stripped: Sequence[str]) -> tuple[int, list[int]]:
    """End (position in ``idx``) of the header block that starts at the anchor: datelines,
    bylines, credits and chrome, and at most one deck sitting between two of them."""
    decks: list[int] = []
    while p < len(idx):
        i = idx[p]
        kind = kinds[i][0]
        if kind in ("dateline", "byline", "credit", "chrome"):
            p += 1
            continue
        q = _next_text(idx, p, kinds)
        if (
            kind == "text"
            and not decks
            and q is not None
            and kinds[idx[q]][0] in ANCHOR_KINDS
            and is_deck_shape(stripped[i])
        ):
            decks.append(i)
            p += 1
            continue
        break
    return p, decks


def _read_header(idx, anchor_pos, end, decks, kinds, stripped, lines, doc, lift, lift_line, body_follows) -> None:  # noqa: ANN001, E501
    """Lift the title, source and deck around the anchor, and the anchor block itself."""
    anchor = idx[anchor_pos]
    above = idx[:anchor_pos]
    # chrome (dropped by the boilerplate stage) and credits (lifted anyway) are skipped, so
    # that a second run, which no longer has them, reads the header the same way
    text_above = [i for i in above if kinds[i][0] not in _SKIPPED]
    title = subtitle = None
    # the title: the nearest text line above the anchor (a deck in capitals may sit between)
    if text_above:
        b = text_above[-1]
        a = text_above[-2] if len(text_above) >= 2 else None
        if is_title_shape(stripped[b]):
            if (
                is_all_caps(stripped[b])
                and a is not None
                and is_title_shape(stripped[a])
                and not is_all_caps(stripped[a])
            ):
                title, subtitle = a, b
            else:
                title = b
    pre: list[int] = []
    if title is not None:
        lift_line(title, TITLE, "title", stripped[title], f"short line right above the {kinds[anchor][0]}")
        if subtitle is not None:
            lift_line(subtitle, SUBTITLE, "subtitle", stripped[subtitle], "capitals deck under the title")
        pre = [i for i in above if i < title and kinds[i][0] != "credit"]  # credits: lifted
        if (
            kinds[anchor][0] == "byline"
            and len(pre) == 1
            and pre[0] == idx[0]
            and kinds[pre[0]][0] == "text"
            and is_publication_shape(stripped[pre[0]])
        ):
            src = pre.pop()
            value = SOURCE_LINE_RE.fullmatch(stripped[src]).group("source")
            lift_line(src, SOURCE, "source", value, "publication name above the title (byline layout)")
        chrome = [i for i in pre if kinds[i][0] != "chrome"]
        # a title-shaped line above the title competes with it: keep everything then
        rival = any(is_title_shape(stripped[i]) for i in chrome)
        if (
            not rival
            and len(pre) <= PRE_TITLE_LINES_DEFAULT
            and all(len(stripped[i]) <= PRE_TITLE_MAX_CHARS_DEFAULT for i in pre)
        ):
            marks = getattr(doc, "marks", None)
            if marks is not None and pre:
                marks["header_chrome"] = tuple(stripped[i] for i in pre)
        elif chrome:
            flag = getattr(doc, "flag", None)
            if flag is not None:
                s = lines[chrome[0]][0]
                e = lines[chrome[-1]][1]
                flag(TITLE, s, e, stripped[chrome[0]][:80],
                     f"{len(pre)} line(s) above the title kept: another title candidate, or too "
                     "many or too long to be sure they are chrome")  # fmt: skip
    # the anchor block: datelines, bylines, credits; chrome lines are left for boilerplate
    for i in idx[anchor_pos:end]:
        kind, value = kinds[i]
        if kind == "dateline":
            fields, _end = value
            lift(i, fields)
        elif kind == "byline":
            lift_line(i, BYLINE, "authors", value, "byline")
        elif kind == "credit":
            lift_line(i, CREDIT, "credits", value, "photo credit in the header")
        elif i in decks and subtitle is None:
            subtitle = i
            lift_line(i, SUBTITLE, "subtitle", stripped[i], "deck between dateline and byline")
    # the deck: the next text line, if the body starts right after it (chrome aside)
    p = end
    while p < len(idx) and kinds[idx[p]][0] in _SKIPPED:
        p += 1
    if p < len(idx) and subtitle is None:
        i = idx[p]
        if (
            kinds[i][0] == "text"
            and (title is None or stripped[i] != stripped[title])
            and is_deck_shape(stripped[i])
            and _next_text(idx, p, kinds) is None
            and body_follows
        ):
            lift_line(i, SUBTITLE, "subtitle", stripped[i], "deck between the header and the body")


STAGE = Stage("metadata", (lift_fields,))
