"""Pattern tables for the ``ocr`` stage: page numbers, line shapes, hyphen and split candidates.

Enters: nothing at run time. Leaves: :class:`~cleaners.rules.Entry` tables (an id, one
compiled ``regex`` pattern, VERBOSE and commented, a description and real examples it
``matches`` and ``leaves_alone``; tests/rules/test_rule_tables.py walks them all) and the word
lists the stage consults. The stage
functions in :mod:`cleaners.stages.ocr` decide what to do with a match, most of them against a word
list; a pattern alone never edits.

Examples come from ../shared/PATTERNS.md section E (the pdf-lines-gluer README, newspaper
OCR from newspapers.digitalnc.org) or are the shapes those sources show.
"""

from __future__ import annotations

from types import MappingProxyType

import regex

from cleaners.core.safety import safe_compile
from cleaners.rules import Entry, alt, trigger


# -- page numbers --------------------------------------------------------------------------
#: A whole line that is only a page number. Group ``n`` holds the number (absent for roman).
#: ``needs_page_break`` entries count only next to a form feed (see cleaners/ocr.py).
PAGE_NUMBER_TABLE: tuple[Entry, ...] = (
    trigger(
        "page_number.bare",
        "A line that is only a number, maybe between dashes.",
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
    trigger(
        "page_number.labelled",
        "A labelled page number (`Page 3 of 12`, `Seite 4`).",
        r"""^ [^\S\n]*
            (?: page | pg\.? | p\. | seite | s\. | pagina | página )   # the label
            [^\S\n]* (?P<n> \d{1,4} )
            (?: [^\S\n]* (?: of | / | von | sur | de ) [^\S\n]* \d{1,4} )?   # "of 12"
            [^\S\n]* $""",
        matches=("Page 3", "Page 3 of 12", "Seite 4 von 10", "p. 17"),
        leaves_alone=("Page 3 shows the results.", "see page 3 for details"),
        flags=regex.IGNORECASE,
    ),
    trigger(
        "page_number.fraction",
        "A page number with the page count (`3/12`).",
        r"""^ [^\S\n]* (?P<n> \d{1,4} ) [^\S\n]* (?: / | of ) [^\S\n]* \d{1,4} [^\S\n]* $""",
        matches=("3/12", "3 of 12"),
        leaves_alone=("3/4 cup flour", "3 of 12 members voted"),
    ),
    trigger(
        "page_number.cjk",
        "A Chinese page number (`第 3 页`).",
        r"""^ [^\S\n]*
            第 [^\S\n]* (?P<n> \d{1,4} ) [^\S\n]* 页          # 第 3 页
            (?: [^\S\n]* [,，/／]? [^\S\n]* 共 [^\S\n]* \d{1,4} [^\S\n]* 页 )?   # 共 40 页
            [^\S\n]* $""",
        matches=("第3页", "第 12 页 共 40 页"),
        leaves_alone=("第3页的表格显示了结果",),
    ),
    trigger(
        "page_number.roman",
        "A roman front-matter page number (only next to a form feed).",
        r"""^ [^\S\n]*
            (?= [ivxlc] )                                     # not empty
            c{0,3} (?: xc | xl | l?x{0,3} ) (?: ix | iv | v?i{0,3} )   # i .. ccclxxxix
            [^\S\n]* $""",
        matches=("xii", "iv", "vii"),
        leaves_alone=("civic", "mix", "I"),
    ),
)
#: Entries that only count at a page edge next to a form feed.
NEEDS_PAGE_BREAK: frozenset[str] = frozenset({"page_number.roman"})


# -- line shapes ---------------------------------------------------------------------------
SENTENCE_END = trigger(
    "line.sentence_end",
    "A line that ends a sentence.",
    r"""[.!?。！？…‼⁇]             # a final mark
        [\"'”’»«)\]」』）】]*      # then closing quotes or brackets
        [^\S\n]* $""",
    matches=("the physical layer is further discussed.", "he said.”", "这是一个问题。"),
    leaves_alone=("power conserving protocols are addressed in Section", "two-"),
)

BULLET = trigger(
    "line.bullet",
    "A line that starts with a bullet symbol.",
    r"""^ [^\S\n]* [•*·▪‣◦●■] [^\S\n]+   # a bullet symbol: never inside a sentence""",
    matches=("• first item", "* second item"),
    leaves_alone=("- a dash may continue a sentence", "2. Background"),
)

LIST_MARKER = trigger(
    "line.list_marker",
    "A line that starts with a list marker (dash, number, letter).",
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
NUMBER_CUE = trigger(
    "line.number_cue",
    "A line that ends with a word a number follows (`Section`, `Fig.`).",
    rf"""(?: (?<![\p{{L}}]) (?: {alt(*_NUMBER_CUES)} ) | § )   # a word a number follows
         [^\S\n]* $""",
    matches=("power conserving protocols are addressed in Section", "as shown in Fig."),
    leaves_alone=("one of the most challenging problems in wireless communication, and",),
    flags=regex.IGNORECASE,
)

HYPHEN_END = trigger(
    "line.hyphen_end",
    "A line that ends with a hyphen after a letter or digit.",
    r"""[\p{L}\p{N}] [-\u00ad¬] [^\S\n]* $   # a letter or digit, then a hyphen at the end""",
    matches=("the work was done at Washington State Univer-", "grants F-49620-97-1-"),
    leaves_alone=("pages 3 -", "the model —", "non-hyphenated end"),
)

TABLE_ROW = trigger(
    "line.table_row",
    "A line with two wide gaps: a table row.",
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
DATE = trigger(
    "line.date",
    "A line holding a month name or a year (newspaper mastheads).",
    rf"""(?<![\p{{L}}]) (?: {alt(*_MONTHS)} ) (?![\p{{L}}])   # a month name
       | (?<![\d]) (?: 1[5-9] | 20 ) \d\d (?![\d])          # or a year 1500-2099""",
    matches=("THE PROGRESSIVE FARMER, SEPTEMBER 24, 1889.", "THE STANDARD. Friday, August 17"),
    leaves_alone=("THE PROGRESSIVE FARMER", "grants F-49620-97-1-0471 and 12345"),
    flags=regex.IGNORECASE,
)

LINE_SHAPE_TABLE: tuple[Entry, ...] = (
    SENTENCE_END, BULLET, LIST_MARKER, NUMBER_CUE, HYPHEN_END, TABLE_ROW, DATE,
)


# -- words ---------------------------------------------------------------------------------
HYPHEN_BREAK = trigger(
    "hyphen.line_end",
    "A hyphen at a line end inside a word (`Univer-\\nsity`).",
    r"""(?<= [\p{L}\p{N}] )               # a letter or digit right before the hyphen
        (?P<hy> [-\u00ad¬] )             # hyphen, soft hyphen, or the OCR mark ¬
        (?P<gap> [^\S\n]* \n [^\S\n]* )  # the line break (and stray spaces)
        (?= [\p{L}\p{N}] )               # the next line goes on with a letter or digit""",
    matches=("Univer-\nsity", "F-49620-97-1-\n0471", "KI-\nIndustriekette", "Ent¬\nwicklung"),
    leaves_alone=("a dash -\nnext line", "end-\n\nnew paragraph", "(see-\n“quote”)"),
)

HYPHEN_LOST_BREAK = trigger(
    "hyphen.lost_line_break",
    "A hyphen and a space where a line break was (`edu- cation`); the word list decides.",
    r"""(?<= \p{L} )           # a letter right before the hyphen
        - (?P<gap> [ ] )       # one space where the line break was
        (?= \p{Ll} )           # the rest of the word, lower case""",
    matches=("ignorant m 5n who are framing ... the edu- cation", "A- bout ten per cent"),
    leaves_alone=("short-term and long-term", "pre - war", "co-operate"),
)

SPLIT_PAIR = trigger(
    "split.word_pair",
    "Two letter tokens, the second lower case: a word OCR may have split (the word list decides).",
    r"""(?<! [\p{L}\p{N}'’\-@/.] )   # a whole token starts here
        (?P<left> \p{L}{2,} )
        [ ]
        (?P<right> \p{Ll}{2,} )
        (?! [\p{L}\p{N}'’\-@/] )     # and the next one ends here""",
    matches=("ought to be even sus pected of", "one in Wil liamston and"),
    leaves_alone=("a tack", "F-49620 97"),
)

WORD = trigger(
    "ligature.word",
    "A whole letter token (a candidate for a dropped ligature).",
    r"""(?<! [\p{L}\p{N}'’@] ) \p{L}{3,} (?! [\p{L}\p{N}'’@] )   # a whole letter token""",
    matches=("is nite power", "Oce of Scientic Research"),
    leaves_alone=("F-49620", "it's"),
)

WORD_TABLE: tuple[Entry, ...] = (HYPHEN_BREAK, HYPHEN_LOST_BREAK, SPLIT_PAIR, WORD)

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
