"""Pattern tables for the ``ocr`` stage: page numbers, line shapes, hyphen and split candidates.

Every entry is data: an id, one compiled ``regex`` pattern (VERBOSE, commented) and real
examples it ``matches`` and ``leaves_alone`` (tests/test_ocr.py walks them all). The stage
functions in :mod:`cleaners.stages.ocr` decide what to do with a match, most of them against a word
list; a pattern alone never edits.

Examples come from ../shared/PATTERNS.md section E (the pdf-lines-gluer README, newspaper
OCR from newspapers.digitalnc.org) or are the shapes those sources show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

import regex
from cleaners.core.safety import safe_compile


def alt(words: Iterable[str]) -> str:
    """An escaped regex alternation of ``words``; refuses an empty list or an empty word.

    An empty alternative would match everywhere, so it is an error, not a pattern.

    >>> alt(["fig.", "table"])
    'fig\\\\.|table'
    >>> alt([])
    Traceback (most recent call last):
    ...
    ValueError: empty alternation
    """
    items = list(words)
    if not items or any(not w for w in items):
        raise ValueError("empty alternation")
    return "|".join(regex.escape(w) for w in items)


@dataclass(frozen=True, slots=True)
class Pattern:
    """One table entry: what it finds, with examples that must and must not match."""

    id: str
    regex: regex.Pattern[str]
    matches: tuple[str, ...]
    leaves_alone: tuple[str, ...]
    note: str = ""


def _entry(id: str, pattern: str, matches: tuple[str, ...], leaves_alone: tuple[str, ...],
           note: str = "", flags: int = 0) -> Pattern:
    if not matches or not leaves_alone:
        raise ValueError(f"{id}: an entry needs a matches and a leaves_alone example")
    return Pattern(id, safe_compile(pattern, regex.VERBOSE | flags), matches, leaves_alone, note)


# -- page numbers --------------------------------------------------------------------------
#: A whole line that is only a page number. Group ``n`` holds the number (absent for roman).
#: ``needs_page_break`` entries count only next to a form feed (see cleaners/ocr.py).
PAGE_NUMBER_TABLE: tuple[Pattern, ...] = (
    _entry(
        "page_number.bare",
        r"""^ [^\S\n]*
            (?: [-–—] [^\S\n]* )?          # optional dash before: "- 12 -"
            (?P<n> \d{1,4} )
            (?: [^\S\n]* [-–—] )?          # optional dash after
            [^\S\n]* $""",
        matches=("12", "- 12 -", "— 7 —", "  3  "),
        leaves_alone=(
            "5. Section 6 discusses power aware protocols within the network",
            "2001 Kluwer Academic Publishers. Printed in the Netherlands.",
            "12345",
        ),
    ),
    _entry(
        "page_number.labelled",
        r"""^ [^\S\n]*
            (?: page | pg\.? | p\. | seite | s\. | pagina | página )   # the label
            [^\S\n]* (?P<n> \d{1,4} )
            (?: [^\S\n]* (?: of | / | von | sur | de ) [^\S\n]* \d{1,4} )?   # "of 12"
            [^\S\n]* $""",
        matches=("Page 3", "Page 3 of 12", "Seite 4 von 10", "p. 17"),
        leaves_alone=("Page 3 shows the results.", "see page 3 for details"),
        flags=regex.IGNORECASE,
    ),
    _entry(
        "page_number.fraction",
        r"""^ [^\S\n]* (?P<n> \d{1,4} ) [^\S\n]* (?: / | of ) [^\S\n]* \d{1,4} [^\S\n]* $""",
        matches=("3/12", "3 of 12"),
        leaves_alone=("3/4 cup flour", "3 of 12 members voted"),
    ),
    _entry(
        "page_number.cjk",
        r"""^ [^\S\n]*
            第 [^\S\n]* (?P<n> \d{1,4} ) [^\S\n]* 页          # 第 3 页
            (?: [^\S\n]* [,，/／]? [^\S\n]* 共 [^\S\n]* \d{1,4} [^\S\n]* 页 )?   # 共 40 页
            [^\S\n]* $""",
        matches=("第3页", "第 12 页 共 40 页"),
        leaves_alone=("第3页的表格显示了结果",),
    ),
    _entry(
        "page_number.roman",
        r"""^ [^\S\n]*
            (?= [ivxlc] )                                     # not empty
            c{0,3} (?: xc | xl | l?x{0,3} ) (?: ix | iv | v?i{0,3} )   # i .. ccclxxxix
            [^\S\n]* $""",
        matches=("xii", "iv", "vii"),
        leaves_alone=("civic", "mix", "I"),
        note="front-matter numbers: only next to a form feed",
    ),
)
#: Entries that only count at a page edge next to a form feed.
NEEDS_PAGE_BREAK: frozenset[str] = frozenset({"page_number.roman"})


# -- line shapes ---------------------------------------------------------------------------
SENTENCE_END = _entry(
    "line.sentence_end",
    r"""[.!?。！？…‼⁇]             # a final mark
        [\"'”’»«)\]」』）】]*      # then closing quotes or brackets
        [^\S\n]* $""",
    matches=("the physical layer is further discussed.", "he said.”", "这是一个问题。"),
    leaves_alone=("power conserving protocols are addressed in Section", "two-"),
)

BULLET = _entry(
    "line.bullet",
    r"""^ [^\S\n]* [•*·▪‣◦●■] [^\S\n]+   # a bullet symbol: never inside a sentence""",
    matches=("• first item", "* second item"),
    leaves_alone=("- a dash may continue a sentence", "2. Background"),
)

LIST_MARKER = _entry(
    "line.list_marker",
    r"""^ [^\S\n]*
        (?: [-–] [^\S\n]+                 # dashes (may also continue a sentence)
          | \(? \d{1,3} [.)] [^\S\n]+     # 1.  2)  (3)
          | \(? [a-z] \) [^\S\n]+         # a)  (b)
          | \[ \d{1,3} \] [^\S\n]+        # [4] reference lists
        )""",
    matches=("- first item", "2. Background", "(a) the physical layer", "[3] Bambos, 1998"),
    leaves_alone=("2001 Kluwer Academic Publishers.", "5-year plan", "a recent tutorial"),
)

_NUMBER_CUES = (
    "section", "sections", "chapter", "figure", "fig.", "table", "tab.", "page", "pages", "p.",
    "pp.", "no.", "nr.", "vol.", "volume", "eq.", "equation", "step", "part", "appendix",
    "abschnitt", "kapitel", "abb.", "abbildung", "tabelle", "seite", "art.", "artikel",
)
NUMBER_CUE = _entry(
    "line.number_cue",
    rf"""(?: (?<![\p{{L}}]) (?: {alt(_NUMBER_CUES)} ) | § )   # a word a number follows
         [^\S\n]* $""",
    matches=("power conserving protocols are addressed in Section", "as shown in Fig."),
    leaves_alone=("one of the most challenging problems in wireless communication, and",),
    flags=regex.IGNORECASE,
)

HYPHEN_END = _entry(
    "line.hyphen_end",
    r"""[\p{L}\p{N}] [-\u00ad¬] [^\S\n]* $   # a letter or digit, then a hyphen at the end""",
    matches=("the work was done at Washington State Univer-", "grants F-49620-97-1-"),
    leaves_alone=("pages 3 -", "the model —", "non-hyphenated end"),
)

TABLE_ROW = _entry(
    "line.table_row",
    r"""\S (?: [ ]{3,} | \t ) \S .* \S (?: [ ]{3,} | \t ) \S   # two wide gaps: columns""",
    matches=("CPU       21%      display",),
    leaves_alone=("36% of power consumed is by the display, 21% by the CPU",),
)

_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.",
    "sep.", "sept.", "oct.", "nov.", "dec.", "januar", "februar", "märz", "mai", "juni", "juli",
    "oktober", "dezember",
)
DATE = _entry(
    "line.date",
    rf"""(?<![\p{{L}}]) (?: {alt(_MONTHS)} ) (?![\p{{L}}])   # a month name
       | (?<![\d]) (?: 1[5-9] | 20 ) \d\d (?![\d])          # or a year 1500-2099""",
    matches=("THE PROGRESSIVE FARMER, SEPTEMBER 24, 1889.", "THE STANDARD. Friday, August 17"),
    leaves_alone=("THE PROGRESSIVE FARMER", "grants F-49620-97-1-0471 and 12345"),
    flags=regex.IGNORECASE,
)

LINE_SHAPE_TABLE: tuple[Pattern, ...] = (
    SENTENCE_END, BULLET, LIST_MARKER, NUMBER_CUE, HYPHEN_END, TABLE_ROW, DATE,
)


# -- words ---------------------------------------------------------------------------------
HYPHEN_BREAK = _entry(
    "hyphen.line_end",
    r"""(?<= [\p{L}\p{N}] )               # a letter or digit right before the hyphen
        (?P<hy> [-\u00ad¬] )             # hyphen, soft hyphen, or the OCR mark ¬
        (?P<gap> [^\S\n]* \n [^\S\n]* )  # the line break (and stray spaces)
        (?= [\p{L}\p{N}] )               # the next line goes on with a letter or digit""",
    matches=("Univer-\nsity", "F-49620-97-1-\n0471", "KI-\nIndustriekette", "Ent¬\nwicklung"),
    leaves_alone=("a dash -\nnext line", "end-\n\nnew paragraph", "(see-\n“quote”)"),
)

HYPHEN_LOST_BREAK = _entry(
    "hyphen.lost_line_break",
    r"""(?<= \p{L} )           # a letter right before the hyphen
        - (?P<gap> [ ] )       # one space where the line break was
        (?= \p{Ll} )           # the rest of the word, lower case""",
    matches=("ignorant m 5n who are framing ... the edu- cation", "A- bout ten per cent"),
    leaves_alone=("short-term and long-term", "pre - war", "co-operate"),
    note="newspaper OCR whose line breaks became spaces; the lexicon decides (short- and: no)",
)

SPLIT_PAIR = _entry(
    "split.word_pair",
    r"""(?<! [\p{L}\p{N}'’\-@/.] )   # a whole token starts here
        (?P<left> \p{L}{2,} )
        [ ]
        (?P<right> \p{Ll}{2,} )
        (?! [\p{L}\p{N}'’\-@/] )     # and the next one ends here""",
    matches=("ought to be even sus pected of", "one in Wil liamston and"),
    leaves_alone=("a tack", "F-49620 97"),
    note="candidates only: the lexicon decides (cleaners.stages.ocr.join_split_words)",
)

WORD = _entry(
    "ligature.word",
    r"""(?<! [\p{L}\p{N}'’@] ) \p{L}{3,} (?! [\p{L}\p{N}'’@] )   # a whole letter token""",
    matches=("is nite power", "Oce of Scientic Research"),
    leaves_alone=("F-49620", "it's"),
)

WORD_TABLE: tuple[Pattern, ...] = (HYPHEN_BREAK, HYPHEN_LOST_BREAK, SPLIT_PAIR, WORD)

#: Every table entry by id (the test walks these).
PATTERNS = MappingProxyType(
    {p.id: p for p in (*PAGE_NUMBER_TABLE, *LINE_SHAPE_TABLE, *WORD_TABLE)}
)

#: Letters a PDF font draws as one ligature glyph; extraction sometimes drops the glyph.
LIGATURES: tuple[str, ...] = ("ffi", "ffl", "ff", "fi", "fl")

#: Words after which a line-end hyphen is a suspended compound (``short-\nand long-term``):
#: the hyphen stays and a space comes back.
SUSPENDED_HYPHEN_NEXT: frozenset[str] = frozenset(
    {"and", "or", "nor", "to", "und", "oder", "bzw", "sowie", "bis", "et", "ou", "y", "o"}
)

#: Scripts that are written without spaces between words: lines join without a space.
NO_SPACE_SCRIPT_RE = safe_compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303f\uff01-\uff60\u30fc]"
)
#: Characters that take two columns (for line widths).
WIDE_CHAR_RE = safe_compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303f\uff01-\uff60]", linear=True
)
