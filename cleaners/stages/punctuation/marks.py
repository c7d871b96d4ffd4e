"""Punctuation repairs of doubled marks and of fullwidth marks in Latin sentences.

Enters: the body text and the document state. Leaves: changes that drop a second period
(``. .``) or comma (``, ,``), a comma before a sentence-ending period, and turn a fullwidth
``，。：`` with no CJK neighbour into its ASCII form.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

import regex

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.rules.punctuation import (
    COMMA_BEFORE_PERIOD, DOUBLED_COMMA, DOUBLED_PERIOD, FULLWIDTH_MARK, FULLWIDTH_TO_ASCII,
)
from cleaners.stages.punctuation.common import (
    LATIN_WINDOW_DEFAULT, _CJK_RE, _FINDERS, _LATIN_OR_DIGIT_RE, _has_wide, _is_word_char,
    _line_at, _matches, _space_start, apply_rule,
)


@rule("punctuation.collapse_doubled_period", category="punctuation")
def collapse_doubled_period(text: str, doc: DocState) -> Iterator[Change]:
    """Drop the second of two periods separated by white space (``. .``) or after ``。``.

    Machine translation appends a period to a sentence that already has one (seed 002
    l.9, 15, 27). Only when the second period ends the sentence.

    Leaves alone: ellipses ``...``, ``…``, ``(...)`` and the spaced ``. . .``; two
    adjacent periods ``..`` (a truncated ellipsis or a path); ``e.g. .bashrc``; ``Inc.``.

    >>> apply_rule(collapse_doubled_period, "the United States. . This is because")[0]
    'the United States. This is because'
    >>> apply_rule(collapse_doubled_period, "so . . . then (...) wait.. e.g. .bashrc")[0]
    'so . . . then (...) wait.. e.g. .bashrc'
    """
    rid = DOUBLED_PERIOD.id
    latin, ideographic = DOUBLED_PERIOD.parts
    if " ." in text or "\t." in text:
        for m in _matches(latin, _FINDERS["period_dup"], text):
            yield Change(m.start("dup"), m.end("dup"), "", rid)
    if _has_wide(text) and "\u3002" in text:
        for m in ideographic.finditer(text):
            yield Change(m.start("dup"), m.end("dup"), "", rid)


@rule("punctuation.collapse_doubled_comma", category="punctuation")
def collapse_doubled_comma(text: str, doc: DocState) -> Iterator[Change]:
    """Drop the second of two commas (``, ,``, ``，，``, ``，,``).

    Seed 002 l.71 ``work together, , by cooperating``.

    Leaves alone: ``,,`` (the ASCII stand-in for German ``„``), empty fields in number
    lists ``1, ,2``.

    >>> apply_rule(collapse_doubled_comma, "work together, , by cooperating")[0]
    'work together, by cooperating'
    >>> apply_rule(collapse_doubled_comma, ",,Bild'' sagt, und 1, ,2")[0]
    ",,Bild'' sagt, und 1, ,2"
    """
    ascii_first, fullwidth_first = DOUBLED_COMMA.parts
    wide = _has_wide(text) and "\uff0c" in text
    spaced = wide or " ," in text or "\t," in text
    hits = chain(ascii_first.finditer(text) if spaced else (),
                 fullwidth_first.finditer(text) if wide else ())
    yield from (Change(m.start("dup"), m.end("dup"), "", DOUBLED_COMMA.id) for m in hits)


@rule("punctuation.drop_comma_before_period", category="punctuation")
def drop_comma_before_period(text: str, doc: DocState) -> Iterator[Change]:
    """Drop a comma (ASCII or fullwidth) standing right before a sentence's final period.

    ``in 2023，.`` -> ``in 2023.``: the period ends the sentence, the comma is debris of a
    clause the translation cut off.

    Leaves alone: ``,...`` (comma and ellipsis), ``Co.,``/``etc.,`` (period first),
    ``,.5``, a list of names that start with a period (``Electron, .NET``, ``.docx, .odt``),
    Chinese text (``中国，.``: which mark was meant is a guess).

    >>> apply_rule(drop_comma_before_period, "revenue rose in 2023\\uff0c. Next year")[0]
    'revenue rose in 2023. Next year'
    >>> apply_rule(drop_comma_before_period, "Co., Ltd., so on,... like Electron, .NET, or Java")[0]
    'Co., Ltd., so on,... like Electron, .NET, or Java'
    """
    ascii_first, fullwidth_first = COMMA_BEFORE_PERIOD.parts
    hits: list[regex.Match[str]] = []
    if _has_wide(text) and "\uff0c" in text:
        hits.extend(fullwidth_first.finditer(text))
    if ",." in text or ", ." in text or ",  " in text or ",\t" in text:
        hits.extend(_matches(ascii_first, _FINDERS["comma_period"], text))
    for m in hits:
        yield Change(_space_start(text, m.start()), m.end() - 1, "", COMMA_BEFORE_PERIOD.id)


@rule("punctuation.convert_fullwidth_in_latin", category="script")
def convert_fullwidth_in_latin(text: str, doc: DocState) -> Iterator[Change]:
    """Turn fullwidth CJK punctuation inside a Latin-script sentence into ASCII.

    ``，。：；！？（）、`` typed with a Chinese input method into English text (PATTERNS F8;
    ftfy maps ``，`` but never ``。``). The mark converts only when neither neighbour is a
    CJK character, no CJK letter is within :data:`LATIN_WINDOW_DEFAULT` characters on the
    line, and a Latin letter or digit is; a space is added where the fullwidth mark carried
    its own spacing (``Hello，world`` -> ``Hello, world``).

    Leaves alone: the same marks in Chinese, Japanese or Korean text, and between Latin
    names inside a Chinese sentence (``使用Sora，ChatGPT等``).

    >>> apply_rule(convert_fullwidth_in_latin, "Hello\\uff0cworld\\u3002 See\\uff08note\\uff09")[0]
    'Hello, world. See (note)'
    >>> apply_rule(convert_fullwidth_in_latin, "我们使用Sora\\uff0cChatGPT等工具\\u3002")[0]
    '我们使用Sora，ChatGPT等工具。'
    """
    if not _has_wide(text) or not any(ch in text for ch in FULLWIDTH_TO_ASCII):
        return
    rid = FULLWIDTH_MARK.id
    w = LATIN_WINDOW_DEFAULT
    for m in FULLWIDTH_MARK.regex.finditer(text):
        i = m.start()
        ch = m.group()
        ls, le = _line_at(text, i)
        lo, hi = max(ls, i - w), min(le, i + w + 1)
        if _CJK_RE.search(text, lo, hi) or not _LATIN_OR_DIGIT_RE.search(text, lo, hi):
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
