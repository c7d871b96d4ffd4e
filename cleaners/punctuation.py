"""Stage ``punctuation``: repair the punctuation machine translation and tokenizers leave.

Runs on the body lines (after metadata is lifted and boilerplate dropped), before
whitespace is normalized. Every rule keeps every letter and digit: it only drops, moves or
swaps marks and spaces, so meaning is never touched. Where a repair would be a guess (which
of two sentence boundaries was meant, which of two Chinese commas), the rule adds a review
entry with :meth:`~cleaners.pipeline.DocState.flag` instead of editing.

Language and script decide what is a defect: French spacing before ``; : ! ?`` is correct,
German ``„…“`` / ``»…«`` and ``3 %`` are correct, fullwidth ``，。`` are correct between
Chinese characters and ASCII ones are not. No rule imposes a house style: quotes are never
curled or uncurled, only the odd one out inside one quotation is made to match.

Sources: shared/SEEDS.md section 002 (the 17 catalogued defects of seed 002), shared/PATTERNS.md
section F. Trigger patterns live in :mod:`cleaners.rules.punctuation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import regex

from .document import Change
from .registry import Stage, rule
from .rules.punctuation import (
    ABBREVIATIONS,
    ASCII_IN_CHINESE,
    ASCII_TO_FULLWIDTH,
    CJK,
    COMMA_BEFORE_PERIOD,
    COMMA_CAPITAL,
    DISPLACED_ATTRIBUTION,
    DOMAIN_PARTS,
    DOUBLE_APOSTROPHE,
    DOUBLED_COMMA,
    DOUBLED_PERIOD,
    DUPLICATE_ATTRIBUTION,
    ENTITY_LEFT_PARTS,
    FULLWIDTH_MARK,
    FULLWIDTH_TO_ASCII,
    LATIN_LIKE,
    MISSING_SPACE,
    PERIOD_LOWERCASE,
    QUOTE_PAIR,
    REVERSED_OPENING_QUOTE,
    SPACE_BEFORE_CLOSING_QUOTE,
    SPACE_BEFORE_PUNCT,
    SPACED_QUOTE,
)

if TYPE_CHECKING:
    from .pipeline import DocState

#: Characters on each side of a fullwidth mark that must be free of CJK letters (and hold
#: at least one Latin letter or digit) for the mark to count as inside a Latin sentence.
LATIN_WINDOW_DEFAULT = 24
#: Languages that put a space before ``; : ! ?`` (and use spaced guillemets).
SPACED_PUNCT_LANGUAGES = frozenset({"fr", "br"})
#: Languages whose closing quote is ``“`` (opening ``„``).
LOW_HIGH_QUOTE_LANGUAGES = frozenset({"de", "cs", "sk", "sl", "hr", "bs", "sr", "lt", "et", "is", "ka", "bg"})

_CJK_RE = regex.compile(rf"[{CJK}]")
_LATIN_OR_DIGIT_RE = regex.compile(rf"[{LATIN_LIKE}\p{{N}}]")
_CAMEL_RE = regex.compile(r"\p{Lu}\p{Ll}+\p{Lu}")
_CODE_CHARS = frozenset("/@\\_=#:()[]{}<>|~*^$%&+")
_OPENERS_BEFORE = frozenset(" \t([{\u2014\u2013")
_WORD_CHARS_RE = regex.compile(r"[\p{L}\p{M}\p{N}]")
#: Cheap prefilters: a rule whose trigger cannot occur skips its full pattern.
_COMMA_PERIOD_PRE_RE = regex.compile(r"[,\uff0c][ \t]*\.")
_SPACE_QUOTE_PRE_RE = regex.compile(r"[ \t][\"\u201c\u201d\u2019]")


# -- small helpers -----------------------------------------------------------------------


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """Start and end (without the newline) of the line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _language(doc: DocState | None) -> str:
    """The document's primary language subtag (``"de"``), or ``""`` when unknown."""
    if doc is None:
        return ""
    lang = doc.language
    return lang.split("-")[0].lower() if lang else ""


def _is_word_char(ch: str) -> bool:
    return bool(ch) and bool(_WORD_CHARS_RE.match(ch))


def _closing_position(text: str, i: int, line_end: int) -> bool:
    """The quote at ``i`` follows a non-space and is not glued to a following word."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < line_end else ""
    return not prev.isspace() and not _is_word_char(nxt)


def _opening_position(text: str, i: int, line_start: int, line_end: int) -> bool:
    """The quote at ``i`` starts the line or follows a space/bracket, and precedes a non-space."""
    prev = text[i - 1] if i > line_start else " "
    nxt = text[i + 1] if i + 1 < line_end else " "
    return prev in _OPENERS_BEFORE and not nxt.isspace()


def _apostrophe_count(s: str) -> int:
    """``’`` used as an apostrophe (between two letters) in ``s``."""
    return sum(1 for k in range(1, len(s) - 1) if s[k] == "\u2019" and s[k - 1].isalpha() and s[k + 1].isalpha())


def _straight_double_parity_ok(line: str) -> bool:
    """Straight ``"`` on this line pair up: an even count and no inch marks (``12"``)."""
    n = line.count('"')
    return n > 0 and n % 2 == 0 and not regex.search(r'\d"(?!\p{L})', line)


def _is_closer(text: str, q: int, line_start: int, line_end: int) -> bool:
    """Whether the quote at ``q`` closes a quotation opened earlier on its line."""
    ch = text[q]
    before = text[line_start:q]
    if ch == "\u201d":  # ”: an English “ is open
        return before.count("\u201c") > before.count("\u201d")
    if ch == '"':
        return _straight_double_parity_ok(text[line_start:line_end]) and before.count('"') % 2 == 1
    if ch == "\u2019":  # ’: a ‘ is open (apostrophes do not close)
        closed = before.count("\u2019") - _apostrophe_count(text[line_start : q + 1])
        return before.count("\u2018") > closed
    if ch == "\u201c":  # “ closes only a German-style „
        return before.count("\u201e") > before.count("\u201c")
    return False


def _flag(doc: DocState | None, rule_id: str, start: int, end: int, text: str, reason: str,
          suggestion: str | None = None) -> None:
    if doc is not None:
        doc.flag(rule_id, start, end, text[start:end], reason, suggestion)


def apply_rule(fn: Callable[..., Iterable[Change]], text: str, *, language: str | None = None
               ) -> tuple[str, list[tuple[str, str]]]:
    """Run one rule alone on ``text``: return the new text and its ``(rule, text)`` reviews.

    For doctests and tests; ``language`` overrides detection (``"und"`` for none).

    >>> apply_rule(collapse_doubled_period, "industry. .")
    ('industry.', [])
    """
    from .config import Config
    from .pipeline import DocState
    from .tracked import TrackedText

    tracked = TrackedText(text)
    doc = DocState(tracked, config=Config(language=language), fmt="text")
    tracked.apply(list(fn(text, doc)))
    return tracked.text, [(r.rule, r.text) for r in doc.reviews]


# -- repairs: doubled marks --------------------------------------------------------------


@rule("punctuation.collapse_doubled_period", category="punctuation")
def collapse_doubled_period(text: str, doc: Any) -> Iterator[Change]:
    """Drop the second of two periods separated by white space (``. .``) or after ``。``.

    Machine translation appends a period to a sentence that already has one (seed 002
    l.9, 15, 27). Leaves alone: ellipses ``...``, ``…``, ``(...)`` and the spaced
    ``. . .``; two adjacent periods ``..`` (a truncated ellipsis or a path); ``Inc.``.

    >>> apply_rule(collapse_doubled_period, "the United States. . This is because")[0]
    'the United States. This is because'
    >>> apply_rule(collapse_doubled_period, "so . . . then (...) wait..")[0]
    'so . . . then (...) wait..'
    """
    if " ." not in text and "\t." not in text and "\u3002" not in text:
        return
    rid = DOUBLED_PERIOD.id
    for m in DOUBLED_PERIOD.regex.finditer(text):
        yield Change(m.start("dup"), m.end("dup"), "", rid)


@rule("punctuation.collapse_doubled_comma", category="punctuation")
def collapse_doubled_comma(text: str, doc: Any) -> Iterator[Change]:
    """Drop the second of two commas (``, ,``, ``，，``, ``，,``).

    Seed 002 l.71 ``work together, , by cooperating``. Leaves alone: ``,,`` (the ASCII
    stand-in for German ``„``), empty fields in number lists ``1, ,2``.

    >>> apply_rule(collapse_doubled_comma, "work together, , by cooperating")[0]
    'work together, by cooperating'
    >>> apply_rule(collapse_doubled_comma, ",,Bild'' sagt, und 1, ,2")[0]
    ",,Bild'' sagt, und 1, ,2"
    """
    if " ," not in text and "\t," not in text and "\uff0c" not in text:
        return
    rid = DOUBLED_COMMA.id
    for m in DOUBLED_COMMA.regex.finditer(text):
        yield Change(m.start("dup"), m.end("dup"), "", rid)


@rule("punctuation.drop_comma_before_period", category="punctuation")
def drop_comma_before_period(text: str, doc: Any) -> Iterator[Change]:
    """Drop a comma (ASCII or fullwidth) standing right before a sentence's period.

    ``in 2023，.`` -> ``in 2023.``: the period ends the sentence, the comma is debris of a
    clause the translation cut off. Leaves alone: ``,...`` (comma + ellipsis), ``Co.,``,
    ``etc.,`` (period first), decimals ``,.5``, and Chinese text (``中国，.`` is flagged
    by nobody and left: which mark was meant is a guess).

    >>> apply_rule(drop_comma_before_period, "revenue rose in 2023\\uff0c. Next year")[0]
    'revenue rose in 2023. Next year'
    >>> apply_rule(drop_comma_before_period, "Co., Ltd., and so on,... etc.,")[0]
    'Co., Ltd., and so on,... etc.,'
    """
    if not _COMMA_PERIOD_PRE_RE.search(text):
        return
    rid = COMMA_BEFORE_PERIOD.id
    for m in COMMA_BEFORE_PERIOD.regex.finditer(text):
        yield Change(m.start("drop"), m.end("drop"), "", rid)


# -- repairs: script -------------------------------------------------------------------


@rule("punctuation.convert_fullwidth_in_latin", category="script")
def convert_fullwidth_in_latin(text: str, doc: Any) -> Iterator[Change]:
    """Turn fullwidth CJK punctuation inside a Latin-script sentence into ASCII.

    ``，。：；！？（）、`` typed with a Chinese input method into English text (PATTERNS F8;
    ftfy maps ``，`` but never ``。``). The mark converts only when neither neighbour is a
    CJK character, no CJK letter is within :data:`LATIN_WINDOW_DEFAULT` characters on the
    line, and a Latin letter or digit is; a space is added where the fullwidth mark carried
    its own spacing (``Hello，world`` -> ``Hello, world``).

    Leaves alone: the same marks in Chinese or Japanese text, and between Latin names inside
    a Chinese sentence (``使用Sora，ChatGPT等``).

    >>> apply_rule(convert_fullwidth_in_latin, "Hello\\uff0cworld\\u3002 See\\uff08note\\uff09")[0]
    'Hello, world. See (note)'
    >>> apply_rule(convert_fullwidth_in_latin, "我们使用Sora\\uff0cChatGPT等工具\\u3002")[0]
    '我们使用Sora，ChatGPT等工具。'
    """
    if not any(ch in text for ch in FULLWIDTH_TO_ASCII):
        return
    rid = FULLWIDTH_MARK.id
    w = LATIN_WINDOW_DEFAULT
    for m in FULLWIDTH_MARK.regex.finditer(text):
        i = m.start()
        ch = m.group()
        ls, le = _line_at(text, i)
        window = text[max(ls, i - w) : min(le, i + w + 1)]
        if _CJK_RE.search(window) or not _LATIN_OR_DIGIT_RE.search(window):
            continue
        prev = text[i - 1] if i > ls else ""
        nxt = text[i + 1] if i + 1 < le else ""
        after = FULLWIDTH_TO_ASCII[ch]
        if ch == "\uff08":
            if _is_word_char(prev):
                after = " " + after
        elif ch == "\uff09":
            if _is_word_char(nxt):
                after += " "
        elif nxt.isalpha() or (nxt.isdigit() and not prev.isdigit()):
            after += " "
        yield Change(i, i + 1, after, rid)


# -- repairs: quotes ---------------------------------------------------------------------


def _curly_style(text: str) -> bool:
    return "\u201c" in text or "\u201d" in text


@rule("punctuation.replace_double_apostrophe_quotes", category="quotes")
def replace_double_apostrophe_quotes(text: str, doc: Any) -> Iterator[Change]:
    """Replace ``''`` (and ````…''`` pairs) used as double quotes with the quotation's mark.

    Seed 002 l.25: ``“Considering … within 1-2 years. '' said Mr. Zhou.`` -> ``years.”
    said``. A closing ``''`` takes the closer of the quotation open on its line (``“`` ->
    ``”``, ``„`` -> ``“``, ``"`` -> ``"``) and loses the space before it; a LaTeX pair
    ````x''`` becomes ``“x”`` (or ``"x"`` in a text without curly quotes). A closing ``''``
    with no open quotation is flagged, not guessed.

    Leaves alone: inch/second marks ``12''``, ``'''``, ``''…''`` pairs (wiki markup), lone
    ````` (Markdown code), empty strings in code (``x = ''``).

    >>> apply_rule(replace_double_apostrophe_quotes, "\\u201cIt can be closed within 1-2 years. '' said Mr. Zhou.")[0]
    '“It can be closed within 1-2 years.” said Mr. Zhou.'
    >>> apply_rule(replace_double_apostrophe_quotes, "a 12'' screen and ''italic'' text")[0]
    "a 12'' screen and ''italic'' text"
    """
    if "''" not in text and "``" not in text:
        return
    rid = DOUBLE_APOSTROPHE.id
    curly = _curly_style(text)
    by_line: dict[int, list[regex.Match[str]]] = {}
    for m in DOUBLE_APOSTROPHE.regex.finditer(text):
        by_line.setdefault(_line_at(text, m.start())[0], []).append(m)
    for ls, ms in by_line.items():
        le = _line_at(text, ls)[1]
        used: set[int] = set()
        # 1. ``…'' pairs
        for a, b in zip(ms, ms[1:]):
            if a.group() == "``" and b.group() == "''" and a.start() not in used:
                used.update((a.start(), b.start()))
                yield Change(a.start(), a.end(), "\u201c" if curly else '"', rid)
                yield Change(b.start(), b.end(), "\u201d" if curly else '"', rid)
        rest = [m for m in ms if m.start() not in used and m.group() == "''"]
        # 2. a '' in opening position means ''…'' markup: leave the whole line
        if any(_opening_position(text, m.start(), ls, le) and _is_word_char(text[m.end() : m.end() + 1])
               for m in rest):
            continue
        for m in rest:
            s, e = m.start(), m.end()
            nxt = text[e] if e < le else ""
            if _is_word_char(nxt) or nxt in "'`\"":
                continue
            j = s - 1 if s - 1 >= ls and text[s - 1] in " \t" else s
            prev = text[j - 1] if j > ls else ""
            if not prev or prev.isdigit() or not (_is_word_char(prev) or prev in ".!?,;:\u2026)"):
                continue
            before = text[ls:j]
            if before.count("\u201c") > before.count("\u201d"):
                closer = "\u201d"
            elif before.count("\u201e") > before.count("\u201c"):
                closer = "\u201c"
            elif before.count('"') % 2 == 1:
                closer = '"'
            else:
                _flag(doc, rid, s, e, text,
                      "'' used as a quotation mark, but no quotation is open on this line",
                      "\u201d" if curly else '"')
                continue
            yield Change(j, e, closer, rid)


@rule("punctuation.match_quote_pair", category="quotes")
def match_quote_pair(text: str, doc: Any) -> Iterator[Change]:
    """Make a quotation's closing (or opening) mark match the style of the other one.

    ``‘politically correct'.`` -> ``‘politically correct’.``, ``“Top 10" list`` -> ``“Top
    10” list``, ``„Bild" sagt`` -> ``„Bild“ sagt``, ``"America First” policy`` ->
    ``“America First” policy`` (PATTERNS F6). The style is the one the quotation already
    uses; nothing is curled or uncurled outside it.

    Leaves alone: apostrophes (``‘don't go’``, ``‘the students' work’``), a straight
    ``'`` opening a curly ``’`` (``'90s … students’``: apostrophes make it a guess),
    straight quotes nested in curly ones (``“He said "yes" to me”``).

    >>> apply_rule(match_quote_pair, "not on whether they are \\u2018politically correct'.")[0]
    'not on whether they are ‘politically correct’.'
    >>> apply_rule(match_quote_pair, "\\u2018the students' work\\u2019 and \\u201cHe said \\"yes\\" to me\\u201d")[0]
    '‘the students\\' work’ and “He said "yes" to me”'
    """
    if not ("'" in text or '"' in text) or not any(c in text for c in "\u2018\u201c\u201e\u201d"):
        return
    rid = QUOTE_PAIR.id
    proper = {"\u2018": "\u2019", "\u201c": "\u201d", "\u201e": "\u201c"}
    weight = {"\u2018": "'", "\u201c": '"', "\u201e": '"'}
    for m in QUOTE_PAIR.regex.finditer(text):
        o, c = m.start(), m.end() - 1
        ls, le = _line_at(text, o)
        och, cch = text[o], text[c]
        if och in proper:
            if cch != weight[och] or not _closing_position(text, c, le):
                continue
            if proper[och] in text[c + 1 : le]:
                continue  # the real closer comes later: this one is an apostrophe or nested
            yield Change(c, c + 1, proper[och], rid)
        else:  # "…”
            line = text[ls:le]
            before = text[ls:o]
            if line.count('"') % 2 == 0 or before.count("\u201c") > before.count("\u201d"):
                continue
            if not _opening_position(text, o, ls, le) or not _closing_position(text, c, le):
                continue
            yield Change(o, o + 1, "\u201c", rid)


@rule("punctuation.move_space_outside_quote", category="quotes")
def move_space_outside_quote(text: str, doc: Any) -> Iterator[Change]:
    """Move a space from inside a quotation to outside it.

    ``Donald Trump's "America First "policy`` -> ``"America First" policy`` and Moses's
    ``" The Present Situation"`` -> ``"The Present Situation"`` (PATTERNS F6). Which quote
    opens and which closes comes from pairing the line's straight quotes (an even count, no
    inch marks) or from the open ``“``.

    Leaves alone: unpaired or inch-mark lines, ``”`` with no open ``“`` (Swedish
    ``”…”``), ``“`` in German text (it closes there).

    >>> apply_rule(move_space_outside_quote, "Donald Trump's \\"America First \\"policy")[0]
    'Donald Trump\\'s "America First" policy'
    >>> apply_rule(move_space_outside_quote, 'a 12" screen, "fine "and done')[0]
    'a 12" screen, "fine "and done'
    """
    if '"' not in text and "\u201c" not in text and "\u201d" not in text:
        return
    rid = SPACED_QUOTE.id
    lang_cache: list[str] = []

    def lang() -> str:
        if not lang_cache:
            lang_cache.append(_language(doc))
        return lang_cache[0]

    for m in SPACED_QUOTE.regex.finditer(text):
        s, e = m.span()
        ls, le = _line_at(text, s)
        if text[e - 1] in '"\u201d':  # a closer glued to the next word
            q = e - 1
            if _is_closer(text, q, ls, le):
                yield Change(s, q + 1, text[q] + " ", rid)
        else:  # an opener spaced off its first word
            q = s
            ch = text[q]
            line = text[ls:le]
            if ch == '"':
                ok = _straight_double_parity_ok(line) and text[ls:q].count('"') % 2 == 0
            else:
                ok = "\u201e" not in line and "\u201d" in text[q:le] and lang() not in LOW_HIGH_QUOTE_LANGUAGES
            if ok:
                yield Change(q + 1, e, "", rid)


@rule("punctuation.remove_space_before_closing_quote", category="quotes")
def remove_space_before_closing_quote(text: str, doc: Any) -> Iterator[Change]:
    """Remove white space before a closing quotation mark.

    Seed 002 l.37 ``and ongoing uncertainty. ”`` and l.65 ``in several vertical areas. ”``
    -> ``….”``. The mark must close a quotation open on its line (``“`` before ``”``,
    ``‘`` before ``’``, ``„`` before a German ``“``, an odd straight ``"``).

    Leaves alone: opening quotes, Swedish/Finnish ``”…”`` (no ``“`` opens them), French
    text (``“ … ”`` with spaces is a French convention), guillemets ``« »`` / ``» «``.

    >>> apply_rule(remove_space_before_closing_quote, "\\u201cThere is a good chance, in several vertical areas. \\u201d")[0]
    '“There is a good chance, in several vertical areas.”'
    >>> apply_rule(remove_space_before_closing_quote, "Han sa , \\u201d Hej \\u201d till mig")[0]
    'Han sa , ” Hej ” till mig'
    """
    if not _SPACE_QUOTE_PRE_RE.search(text):
        return
    rid = SPACE_BEFORE_CLOSING_QUOTE.id
    lang_cache: list[str] = []

    def lang() -> str:
        if not lang_cache:
            lang_cache.append(_language(doc))
        return lang_cache[0]

    for m in SPACE_BEFORE_CLOSING_QUOTE.regex.finditer(text):
        q = m.end() - 1
        ls, le = _line_at(text, q)
        if not _is_closer(text, q, ls, le):
            continue
        if lang() in SPACED_PUNCT_LANGUAGES:
            continue
        yield Change(m.start(), q, "", rid)


# -- repairs: spacing --------------------------------------------------------------------


@rule("punctuation.remove_space_before_punct", category="punctuation")
def remove_space_before_punct(text: str, doc: Any) -> Iterator[Change]:
    """Remove white space between a word and the ``. , ; : ! ?`` that ends its clause.

    Tokenizer leaks in machine translation and site templates (``Editor : Li Yan``, seed
    000 l.3; ``Mr . Zhou``). Only after a Latin, Greek or Cyrillic word, a number or a
    closing quote/bracket, and only when the mark is followed by white space, the end of the
    line or a closing quote.

    Leaves alone: French ``; : ! ?`` (doc.language ``fr``, or a line with ``«``/``»``),
    ellipses `` ...``, ``.NET``, ``.5``, emoticons ``:)``, NBSP (deliberate), ratios ``3 :
    1``, German ``3 %``, Chinese text.

    >>> apply_rule(remove_space_before_punct, "Editor : Li Yan , said Mr . Zhou")[0]
    'Editor: Li Yan, said Mr. Zhou'
    >>> apply_rule(remove_space_before_punct, "Qu'est-ce que c'est ? Voilà : rien !", language="fr")[0]
    "Qu'est-ce que c'est ? Voilà : rien !"
    """
    if " " not in text and "\t" not in text:
        return
    rid = SPACE_BEFORE_PUNCT.id
    french: bool | None = None
    for m in SPACE_BEFORE_PUNCT.regex.finditer(text):
        s, e = m.span()
        mark = text[e]
        if mark in ";:!?":
            if french is None:
                french = _language(doc) in SPACED_PUNCT_LANGUAGES
            ls, le = _line_at(text, s)
            if french or "\u00ab" in text[ls:le] or "\u00bb" in text[ls:le]:
                continue
        if mark in ",.:" and text[s - 1].isdigit():
            k = e + 1
            while k < len(text) and text[k] in " \t":
                k += 1
            if k < len(text) and text[k].isdigit():
                continue  # 3 : 1, 1 , 2
        yield Change(s, e, "", rid)


@rule("punctuation.insert_space_after_sentence_end", category="punctuation")
def insert_space_after_sentence_end(text: str, doc: Any) -> Iterator[Change]:
    """Insert the missing space between a sentence's end and the next sentence.

    Seed 002 l.65 ``hands and technology.There is`` and l.69 ``AI applications.China
    still``. Only ``[lower][lower][.!?][Upper][lower]``, so initials and acronyms never
    trigger.

    Leaves alone: ``DALL.E``, ``U.S.``, ``GPT-4.0``, ``ISC.AI``, ``Co.,Ltd.``, domains
    (``China.org.cn``, ``Amazon.Com``), ``.NET`` names, code and paths (a token with ``/ @ _
    = ( :`` …, more than one dot, digits or a camel-case right part: ``Console.WriteLine``),
    ``Yahoo!Japan``.

    >>> apply_rule(insert_space_after_sentence_end, "hands and technology.There is")[0]
    'hands and technology. There is'
    >>> apply_rule(insert_space_after_sentence_end, "Use Console.WriteLine or see China.org.cn or ado.Net")[0]
    'Use Console.WriteLine or see China.org.cn or ado.Net'
    """
    rid = MISSING_SPACE.id
    for m in MISSING_SPACE.regex.finditer(text):
        i = m.start()
        ts = i
        while ts > 0 and not text[ts - 1].isspace():
            ts -= 1
        te = i + 1
        while te < len(text) and not text[te].isspace():
            te += 1
        left = text[ts:i].lstrip("\"'\u201c\u2018\u201e\u00ab([{")
        right = text[i + 1 : te].rstrip("\"'\u201d\u2019\u00bb)]},.;:!?")
        core = left + text[i] + right
        if any(c in _CODE_CHARS for c in core) or any(c.isdigit() for c in core):
            continue
        if any(c in ".!?" for c in left) or any(c in ".!?" for c in right):
            continue  # a dotted chain: domain, file name, attribute path
        if _CAMEL_RE.search(right) or right.lower() in DOMAIN_PARTS:
            continue
        word = regex.search(r"\p{L}+$", left)
        if word and word.group().lower() in ENTITY_LEFT_PARTS:
            continue
        yield Change(i + 1, i + 1, " ", rid)


# -- repairs: attribution -----------------------------------------------------------------


@rule("punctuation.drop_duplicate_attribution", category="attribution")
def drop_duplicate_attribution(text: str, doc: Any) -> Iterator[Change]:
    """Drop a second, lower-case attribution right after a quotation's attribution.

    Seed 002 l.57 ``frameworks,” Zhou said. he said.`` -> ``frameworks,” Zhou said.``:
    round-trip translation repeats the speech verb; the lower-case pronoun after a full
    stop shows the second one is debris. Leaves alone: a capitalised ``He said …`` (a new
    sentence) and any attribution that is not right after a closing quote.

    >>> apply_rule(drop_duplicate_attribution, "frameworks,\\u201d Zhou said. he said.")[0]
    'frameworks,” Zhou said.'
    >>> apply_rule(drop_duplicate_attribution, "frameworks,\\u201d Zhou said. He said more.")[0]
    'frameworks,” Zhou said. He said more.'
    """
    if "said" not in text and "says" not in text and "added" not in text:
        return
    rid = DUPLICATE_ATTRIBUTION.id
    for m in DUPLICATE_ATTRIBUTION.regex.finditer(text):
        yield Change(m.start("dup"), m.end("dup"), "", rid)


# -- flags -------------------------------------------------------------------------------


@rule("punctuation.flag_displaced_attribution", category="attribution")
def flag_displaced_attribution(text: str, doc: Any) -> Iterator[Change]:
    """Flag a lower-case ``said X`` right after a full stop: a split or moved attribution.

    Seed 002 l.13 ``…Artificial Intelligence. said Shen Hao, deputy chief engineer.`` and
    l.19 ``360 Security said. said Hongyi Zhou, Technology's founder``: machine translation
    split the organisation's name from the speaker. Repairing needs the original sentence,
    so this only adds a review entry. Leaves alone: ``Said`` capitalised (``…was said.
    Said once, …``), ``” he said.``.

    >>> apply_rule(flag_displaced_attribution, "the Institute. said Shen Hao, deputy chief engineer.")
    ('the Institute. said Shen Hao, deputy chief engineer.', [('punctuation.flag_displaced_attribution', '. said Shen Hao, deputy chief engineer.')])
    >>> apply_rule(flag_displaced_attribution, "nothing was said. Said once, not on every focus.")[1]
    []
    """
    if doc is None or ". said" not in text and ". says" not in text:
        return
    rid = DISPLACED_ATTRIBUTION.id
    for m in DISPLACED_ATTRIBUTION.regex.finditer(text):
        s = m.start()
        _, le = _line_at(text, s)
        end = text.find(". ", m.end(), le)
        end = le if end < 0 else end + 1
        _flag(doc, rid, s, end, text,
              "lower-case 'said' after a full stop: the attribution was split or moved "
              "(machine translation); rewrite from the source")
    return
    yield  # a generator that only flags


@rule("punctuation.flag_comma_capital", category="punctuation")
def flag_comma_capital(text: str, doc: Any) -> Iterator[Change]:
    """Flag a comma followed by a capitalised function word continuing in lower case.

    Seed 002 l.65 ``within that vertical sector, The model will``: either the comma should
    be a full stop or the capital should be lower case; which one is a guess (English only).
    Leaves alone: proper nouns after a comma (``Beijing, China``, ``, The Hague``), ``, I``,
    ``, A``, quotations (``said, “The``), other languages.

    >>> apply_rule(flag_comma_capital, "within that vertical sector, The model will not only", language="en")[1]
    [('punctuation.flag_comma_capital', ', The model')]
    >>> apply_rule(flag_comma_capital, "It was moved to Nanjing, The Hague and Beijing, China.", language="en")[1]
    []
    """
    if doc is None or ", " not in text:
        return
    rid = COMMA_CAPITAL.id
    checked = False
    for m in COMMA_CAPITAL.regex.finditer(text):
        if not checked:
            if _language(doc) not in ("", "en"):
                return
            checked = True
        w = m.group("word")
        end = m.end() - 1
        while end < len(text) and text[end].isalpha():
            end += 1
        excerpt_after = ", " + w.lower() + text[m.end("word") : end]
        _flag(doc, rid, m.start(), end, text,
              "comma followed by a capitalised function word: a lost or an added sentence "
              "boundary (machine translation)", excerpt_after)
    return
    yield


@rule("punctuation.flag_period_lowercase", category="punctuation")
def flag_period_lowercase(text: str, doc: Any) -> Iterator[Change]:
    """Flag a full stop followed by a lower-case function word: a sentence split in two.

    Seed 002 l.47 ``industrial revitalization. and accelerate``, l.35 ``sector. is not
    possible``, l.71 ``AI. can do.`` (English only). Dropping the period is right only when
    the two halves belong together, hence a review entry.

    Leaves alone: abbreviations (``etc.``, ``e.g.``, ``i.e.``, ``vs.``, ``U.S.``, ``Co.``,
    ``Dr.``, any token with an inner period, initials ``J.``), ellipses, ``. said`` (its own
    flag), capitalised words, other languages.

    >>> apply_rule(flag_period_lowercase, "promote industrial revitalization. and accelerate", language="en")[1]
    [('punctuation.flag_period_lowercase', '. and')]
    >>> apply_rule(flag_period_lowercase, "founders in the U.S. are, Co. and Dr. who etc. and", language="en")[1]
    []
    """
    if doc is None or ". " not in text:
        return
    rid = PERIOD_LOWERCASE.id
    checked = False
    for m in PERIOD_LOWERCASE.regex.finditer(text):
        token = m.group("token").lstrip("\"'\u201c\u2018([")
        dotted = token + "."
        if "." in token or dotted.lower() in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if not checked:
            if _language(doc) not in ("", "en"):
                return
            checked = True
        s = m.end("token")
        _flag(doc, rid, s, m.end(), text,
              "full stop followed by a lower-case word: a sentence split by machine translation",
              " " + m.group("word"))
    return
    yield


@rule("punctuation.flag_ascii_in_chinese", category="script")
def flag_ascii_in_chinese(text: str, doc: Any) -> Iterator[Change]:
    """Flag ASCII ``, . : ; ! ?`` between Chinese characters (one entry per line).

    Decision: flag, do not repair. The stored copies of Chinese pages are often NFKC-folded
    (fullwidth marks became ASCII, PATTERNS conventions), so the fix is restoring the
    original form, and an ASCII comma maps to ``，`` or to the enumeration comma ``、``:
    a guess. The suggestion uses ``，``.

    Leaves alone: fullwidth marks, decimals ``2.0``, ellipses ``...``, Latin words inside
    Chinese text (``ChatGPT, Sora``).

    >>> apply_rule(flag_ascii_in_chinese, "中国,美国和日本.")[1]
    [('punctuation.flag_ascii_in_chinese', ',美国和日本.')]
    >>> apply_rule(flag_ascii_in_chinese, "中国，美国。版本2.0")[1]
    []
    """
    if doc is None or not _CJK_RE.search(text):
        return
    rid = ASCII_IN_CHINESE.id
    by_line: dict[int, list[int]] = {}
    for m in ASCII_IN_CHINESE.regex.finditer(text):
        by_line.setdefault(_line_at(text, m.start())[0], []).append(m.start())
    for positions in by_line.values():
        s, e = positions[0], positions[-1] + 1
        suggestion = "".join(
            ASCII_TO_FULLWIDTH[text[k]] if k in positions else text[k] for k in range(s, e)
        )
        _flag(doc, rid, s, e, text,
              f"{len(positions)} ASCII punctuation mark(s) between Chinese characters "
              "(a ',' may be '，' or '、')", suggestion)
    return
    yield


@rule("punctuation.flag_reversed_opening_quote", category="quotes")
def flag_reversed_opening_quote(text: str, doc: Any) -> Iterator[Change]:
    """Flag a closing ``”`` that opens a Chinese quotation (``写道:”中国…``).

    PATTERNS F6 (creaders page). Swapping it is likely right, but the text around such
    quotes is usually garbled too, so a reviewer decides. Leaves alone: ``“`` openers,
    ``”`` before Latin text (Swedish and Finnish open with ``”``).

    >>> apply_rule(flag_reversed_opening_quote, "报道写道:\\u201d中国经济\\u3002\\u201d")[1]
    [('punctuation.flag_reversed_opening_quote', '”')]
    >>> apply_rule(flag_reversed_opening_quote, "报道写道:\\u201c中国经济\\u3002\\u201d")[1]
    []
    """
    if doc is None or "\u201d" not in text:
        return
    rid = REVERSED_OPENING_QUOTE.id
    for m in REVERSED_OPENING_QUOTE.regex.finditer(text):
        _flag(doc, rid, m.start(), m.end(), text,
              "closing quotation mark used to open a quotation", "\u201c")
    return
    yield


STAGE = Stage(
    "punctuation",
    (
        collapse_doubled_period,
        collapse_doubled_comma,
        drop_comma_before_period,
        convert_fullwidth_in_latin,
        replace_double_apostrophe_quotes,
        match_quote_pair,
        move_space_outside_quote,
        remove_space_before_closing_quote,
        remove_space_before_punct,
        insert_space_after_sentence_end,
        drop_duplicate_attribution,
        flag_displaced_attribution,
        flag_comma_capital,
        flag_period_lowercase,
        flag_ascii_in_chinese,
        flag_reversed_opening_quote,
    ),
)
