"""Pattern tables for the encoding rules of the ``decode`` stage (after ftfy).

Enters: nothing at run time. Leaves: the trigger entries of the rules of
:mod:`cleaners.stages.decode` (each found by its ``matches`` examples and not by its
``leaves_alone`` ones) and the script classes those rules consult. Source:
shared/PATTERNS.md section D (real pages).
"""

from __future__ import annotations

from types import MappingProxyType

from cleaners.rules import Entry, trigger

#: GBK curly quotes read as Latin-1: bytes A1AE A1AF A1B0 A1B1 are ‘ ’ “ ” in GBK.
#: Only these four pairs: ``¡¡`` (GBK ideographic space) is also Spanish ``¡¡Hola!!``, and
#: ``¡£`` (GBK 。) is also ``¡£100 de descuento!``.
GBK_QUOTES_TABLE = MappingProxyType(
    {"\u00a1\u00ae": "\u2018", "\u00a1\u00af": "\u2019", "\u00a1\u00b0": "\u201c", "\u00a1\u00b1": "\u201d"}
)

#: Scripts written without spaces, where U+200B marks the word breaks.
SPACELESS_SCRIPTS = r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}\p{Balinese}\p{Javanese}"
#: Scripts where U+200C/U+200D change how letters join or form conjuncts (Persian,
#: Arabic, the Indic scripts, Sinhala …): the invisible characters are spelling there.
JOINING_SCRIPTS = (
    r"\p{Arabic}\p{Syriac}\p{Nko}\p{Mongolian}\p{Thaana}\p{Hebrew}\p{Devanagari}"
    r"\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}\p{Kannada}"
    r"\p{Malayalam}\p{Sinhala}"
)
#: Characters a ZWJ joins into one emoji.
EMOJI = r"\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\ufe0f\u20e3"

GBK_QUOTES = trigger(
    "decode.map_gbk_quotes",
    "GBK curly quotes decoded as Latin-1 (`¡®` for ‘).",
    r"""
    \u00a1[\u00ae\u00af\u00b0\u00b1]   # ¡ + ® ¯ ° ±: a GBK quote byte pair decoded as Latin-1
    """,
    matches=["one of the world\u00a1\u00afs most prominent providers",
             "topping the list of \u00a1\u00b0Top 10 Weibo Influence"],
    leaves_alone=["\u00a1Hola!", "\u00a1\u00a1Qu\u00e9 bien!!", "\u00b15 \u00b0C"],
)

MACROMAN_ELLIPSIS = trigger(
    "decode.map_macroman_ellipsis",
    "A Mac-encoded ellipsis (`‚Ķ`).",
    r"""
    \u201a\u0136        # ‚Ķ: a Mac-encoded … (ftfy leaves it; its default would make it worse)
    """,
    matches=["no other major Chinese news outlet is doing,\u201a\u0136 \u00bb"],
    leaves_alone=["\u201aQuote\u2018", "\u0136ekava"],
)

HTML_ENTITY = trigger(
    "decode.unescape_html_entities",
    "HTML character references left in the text (`&amp;`, `&#169;`).",
    r"""
    &(?:amp;)*                        # double escaping: &amp;nbsp;
    (?:
        \#[0-9]{1,7}(?:;|(?![0-9A-Za-z]))      # decimal: &#169; (&#169 before a space too)
      | \#[xX][0-9a-fA-F]{1,6}(?:;|(?![0-9A-Za-z]))  # hexadecimal: &#xA9;
      | [A-Za-z][A-Za-z0-9]{1,31};    # named: only with its semicolon (&nothing is prose)
    )
    """,
    matches=["Copyright&nbsp;&copy;&nbsp;2015", "Copyright &#169 2016", "R&amp;D"],
    leaves_alone=["R&D", "AT&T", "Science & Technology", "&nothing to say"],
)

QUOTE_BACKSLASH = trigger(
    "decode.drop_quote_backslash",
    "A backslash escaping a quotation mark.",
    r"""
    (?<!\\)\\                          # one backslash (not an escaped backslash) ...
    (?=["'\u2018\u2019\u201c\u201d])   # ... before a quotation mark or apostrophe
    """,
    matches=["Tanzania\\\u2019s youth engineers", "second \\\u201dSummit for Democracy,\\\u201d"],
    leaves_alone=["C:\\temp\\new", "a \\\\\" b", "plain \u201cquotes\u201d"],
)

ZERO_WIDTH = trigger(
    "decode.remove_zero_width",
    "Zero-width characters and soft hyphens inside a line.",
    r"""
    [\u200b\u200c\u200d\u2060\ufeff]      # ZWSP ZWNJ ZWJ WORD-JOINER BOM
    | \u00ad(?![^\S\n]*\n)                  # SOFT HYPHEN, except at a line end: there it
                                           # marks a hyphenated word the OCR stage joins
    """,
    matches=["Sora\u200b is", "co\u00adoperation", "\ufeffBody"],
    leaves_alone=["plain text", "a\u00a0b", "Univer\u00ad\nsity"],
)

#: Every entry of this table, in the order the decode stage applies them.
DECODE_PATTERNS: tuple[Entry, ...] = (
    GBK_QUOTES,
    MACROMAN_ELLIPSIS,
    HTML_ENTITY,
    QUOTE_BACKSLASH,
    ZERO_WIDTH,
)
