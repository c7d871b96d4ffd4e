"""Punctuation flags: defects whose repair would be a guess, left for a reviewer.

Enters: the body text and the document state. Leaves: no changes; review entries
(:meth:`~cleaners.core.state.DocState.flag`) for displaced attributions, a comma before a
capitalised function word, a period before a lower-case one, ASCII marks in Chinese and a
reversed opening quote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.rules.punctuation import (
    ABBREVIATIONS, ASCII_IN_CHINESE, ASCII_TO_FULLWIDTH, COMMA_CAPITAL, DISPLACED_ATTRIBUTION,
    PERIOD_LOWERCASE, REVERSED_OPENING_QUOTE,
)
from cleaners.stages.punctuation.common import (
    _FINDERS, _HAN_KANA_RANGE_RE, _flag, _has_wide, _language, _line_at, _matches, apply_rule,
)


@rule("punctuation.flag_displaced_attribution", category="attribution")
def flag_displaced_attribution(text: str, doc: DocState) -> Iterator[Change]:
    """Flag a lower-case ``said X`` right after a full stop: a split or moved attribution.

    Seed 002 l.13 ``…Artificial Intelligence. said Shen Hao, deputy chief engineer.`` and
    l.19 ``360 Security said. said Hongyi Zhou, Technology's founder``: machine translation
    split the organisation's name from the speaker. Repairing needs the original sentence,
    so this only adds a review entry.

    Leaves alone: ``Said`` capitalised (``…was said. Said once, …``), ``” he said.``.

    >>> apply_rule(flag_displaced_attribution, "the Institute. said Shen Hao, deputy chief engineer.")
    ('the Institute. said Shen Hao, deputy chief engineer.', [('punctuation.flag_displaced_attribution', '. said Shen Hao, deputy chief engineer.')])
    >>> apply_rule(flag_displaced_attribution, "nothing was said. Said once, not on every focus.")[1]
    []
    """
    if doc is None or " said" not in text and " says" not in text:
        return
    rid = DISPLACED_ATTRIBUTION.id
    for m in _matches(DISPLACED_ATTRIBUTION.regex, _FINDERS["said"], text):
        s = m.start()
        _, le = _line_at(text, s)
        end = text.find(". ", m.end(), le)
        end = le if end < 0 else end + 1
        _flag(doc, rid, s, end, text,
              "lower-case 'said' after a full stop: the attribution was split or moved "
              "(machine translation); rewrite it from the source")
    yield from ()


@rule("punctuation.flag_comma_capital", category="punctuation")
def flag_comma_capital(text: str, doc: DocState) -> Iterator[Change]:
    """Flag a comma followed by a capitalised function word continuing in lower case.

    Seed 002 l.65 ``within that vertical sector, The model will``: either the comma should
    be a full stop or the capital a small letter; which one is a guess (English only).

    Leaves alone: proper nouns after a comma (``Beijing, China``, ``, The Hague``), ``, I``,
    ``, A``, quotations (``said, “The``), other languages.

    >>> apply_rule(flag_comma_capital, "within that vertical sector, The model will not only", language="en")[1]
    [('punctuation.flag_comma_capital', ', The model')]
    >>> apply_rule(flag_comma_capital, "It was moved to Nanjing, The Hague and Beijing, China.", language="en")[1]
    []
    """
    if doc is None:
        return
    for m in _english_matches(COMMA_CAPITAL.regex, "comma_capital", text, doc):
        end = m.end() - 1
        while end < len(text) and text[end].isalpha():
            end += 1
        suggestion = ", " + m.group("word").lower() + text[m.end("word") : end]
        _flag(doc, COMMA_CAPITAL.id, m.start(), end, text,
              "comma followed by a capitalised function word: a lost or an added sentence "
              "boundary (machine translation)", suggestion)
    yield from ()


@rule("punctuation.flag_period_lowercase", category="punctuation")
def flag_period_lowercase(text: str, doc: DocState) -> Iterator[Change]:
    """Flag a full stop followed by a lower-case function word: a sentence split in two.

    Seed 002 l.47 ``industrial revitalization. and accelerate``, l.35 ``sector. is not
    possible``, l.71 ``AI. can do.`` (English only). Dropping the period is right only when
    the two halves belong together, hence a review entry.

    Leaves alone: abbreviations (``etc.``, ``e.g.``, ``i.e.``, ``vs.``, ``U.S.``, ``Co.``,
    ``Dr.``, ``in.``, any token with an inner period, initials ``J.``), ellipses, ``.
    said`` (its own flag), capitalised words, other languages.

    >>> apply_rule(flag_period_lowercase, "promote industrial revitalization. and accelerate", language="en")[1]
    [('punctuation.flag_period_lowercase', '. and')]
    >>> apply_rule(flag_period_lowercase, "founders in the U.S. are, Co. and Dr. who etc. and", language="en")[1]
    []
    """
    if doc is None:
        return
    rid = PERIOD_LOWERCASE.id
    for m in _english_matches(PERIOD_LOWERCASE.regex, "period_lower", text, doc,
                              skip=_ends_abbreviation):
        _flag(doc, rid, m.start(), m.end(), text,
              "full stop followed by a lower-case word: a sentence split by machine translation",
              " " + m.group("word"))
    yield from ()


@rule("punctuation.flag_ascii_in_chinese", category="script")
def flag_ascii_in_chinese(text: str, doc: DocState) -> Iterator[Change]:
    """Flag ASCII ``, . : ; ! ?`` between Chinese characters (one entry per line).

    Decision: flag, do not repair. Stored copies of Chinese pages are often NFKC-folded
    (fullwidth marks became ASCII, see the PATTERNS conventions), so the fix is restoring
    the original form, and an ASCII comma maps to ``，`` or to the enumeration comma ``、``:
    a guess. The suggestion uses ``，``.

    Leaves alone: fullwidth marks, decimals ``2.0``, ellipses ``...``, Latin words inside
    Chinese text (``ChatGPT, Sora``), Korean (it uses ASCII punctuation).

    >>> apply_rule(flag_ascii_in_chinese, "中国,美国和日本.")[1]
    [('punctuation.flag_ascii_in_chinese', ',美国和日本.')]
    >>> apply_rule(flag_ascii_in_chinese, "中国，美国。版本2.0")[1]
    []
    """
    if doc is None or not _has_wide(text) or not _HAN_KANA_RANGE_RE.search(text):
        return
    rid = ASCII_IN_CHINESE.id
    by_line: dict[int, list[int]] = {}
    for m in ASCII_IN_CHINESE.regex.finditer(text):
        by_line.setdefault(_line_at(text, m.start())[0], []).append(m.start())
    for positions in by_line.values():
        s, e = positions[0], positions[-1] + 1
        marks = set(positions)
        suggestion = "".join(
            ASCII_TO_FULLWIDTH[text[k]] if k in marks else text[k] for k in range(s, e)
        )
        _flag(doc, rid, s, e, text,
              f"{len(positions)} ASCII punctuation mark(s) between Chinese characters "
              "(a ',' may be '，' or '、')", suggestion)
    yield from ()


@rule("punctuation.flag_reversed_opening_quote", category="quotes")
def flag_reversed_opening_quote(text: str, doc: DocState) -> Iterator[Change]:
    """Flag a closing ``”`` that opens a Chinese quotation (``写道:”中国…``).

    PATTERNS F6 (creaders page). Swapping it is likely right, but the text around such
    quotes is usually garbled too, so a reviewer decides.

    Leaves alone: ``“`` openers, ``”`` before Latin text (Swedish and Finnish open with
    ``”``).

    >>> apply_rule(flag_reversed_opening_quote, "报道写道:\\u201d中国经济\\u3002\\u201d")[1]
    [('punctuation.flag_reversed_opening_quote', '”')]
    >>> apply_rule(flag_reversed_opening_quote, "报道写道:\\u201c中国经济\\u3002\\u201d")[1]
    []
    """
    if doc is None or "\u201d" not in text or not _has_wide(text):
        return
    rid = REVERSED_OPENING_QUOTE.id
    for m in REVERSED_OPENING_QUOTE.regex.finditer(text):
        _flag(doc, rid, m.start(), m.end(), text,
              "closing quotation mark used to open a quotation", "\u201c")
    yield from ()


def _english_matches(pattern: regex.Pattern[str], finder: str, text: str, doc: DocState,
                     skip: Callable[[str, int], bool] | None = None
                     ) -> Iterator[regex.Match[str]]:
    """The matches of ``pattern`` (tried where ``_FINDERS[finder]`` points) that ``skip``
    does not refuse, while the document is English or of unknown language.

    The language is asked once, at the first match kept (detection is lazy and costly).
    """
    checked = False
    for m in _matches(pattern, _FINDERS[finder], text):
        if skip is not None and skip(text, m.start()):
            continue
        if not checked:
            if _language(doc) not in ("", "en"):
                return
            checked = True
        yield m


def _ends_abbreviation(text: str, p: int) -> bool:
    """Whether the period at ``p`` ends an abbreviation, a dotted token or an initial.

    >>> _ends_abbreviation("the U.S. are", 7), _ends_abbreviation("said J. and", 6)
    (True, True)
    >>> _ends_abbreviation("revitalization. and", 14)
    False
    """
    t = p
    while t > 0 and not text[t - 1].isspace():
        t -= 1
    token = text[t:p].lstrip("\"'\u201c\u2018([")
    return "." in token or (token + ".").lower() in ABBREVIATIONS or (
        len(token) == 1 and token.isalpha())
