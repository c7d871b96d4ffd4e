"""Punctuation repairs of spacing around marks and of duplicated attributions.

Enters: the body text and the document state. Leaves: changes that remove a space before
``. , ; : ! ?`` (not in French), insert one after a sentence end glued to the next word,
and drop a second attribution (`` he said.``).
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.rules.punctuation import (
    ABBREVIATIONS, DOMAIN_PARTS, DUPLICATE_ATTRIBUTION, ENTITY_LEFT_PARTS, MISSING_SPACE,
    SPACE_BEFORE_PUNCT,
)
from cleaners.stages.punctuation.common import (
    _CAMEL_RE, _CODE_CHARS, _DUP_PRONOUN_RE, _FINDERS, _LETTERS_AT_END_RE, _Lines,
    _french_asker, _line_at, _matches, _next_word_char, _space_start, apply_rule,
)


@rule("punctuation.remove_space_before_punct", category="punctuation")
def remove_space_before_punct(text: str, doc: DocState) -> Iterator[Change]:
    """Remove white space between a word and the ``. , ; : ! ?`` that ends its clause.

    Tokenizer leaks in machine translation, glued HTML text nodes and site templates
    (``Editor : Li Yan``, seed 000 l.3; ``Mr . Zhou``). Only after a Latin, Greek or
    Cyrillic word, a number or a closing quote/bracket, and only when the mark is followed
    by white space, the end of the line or a closing quote.

    Leaves alone: French ``; : ! ?`` (doc.language ``fr``, or a line with ``«``/``»``),
    ellipses `` ...`` and `` . . .``, ``.NET``, ``.5``, emoticons ``:)``/``: )``, NBSP
    (deliberate), ratios ``3 : 1``, German ``3 %``, Chinese text, marks used as symbols
    (``the ? operator``, ``The period . matches``), ``&amp ;``, code lines.

    >>> apply_rule(remove_space_before_punct, "Editor : Li Yan , said Mr . Zhou")[0]
    'Editor: Li Yan, said Mr. Zhou'
    >>> apply_rule(remove_space_before_punct, "Qu'est-ce que c'est ? Voilà : rien !", language="fr")[0]
    "Qu'est-ce que c'est ? Voilà : rien !"
    """
    rid = SPACE_BEFORE_PUNCT.id
    lines = _Lines(text)
    is_french = _french_asker(doc, text)
    tabs = "\t" in text
    for p, mark in zip(SPACE_BEFORE_PUNCT.parts, ".,;:!?"):
        if " " + mark not in text and not (tabs and "\t" + mark in text):
            continue
        for m in p.finditer(text):
            e = m.start()
            s = _space_start(text, e)
            ls, le = _line_at(text, e)
            nxt = _next_word_char(text, e + 1, le)
            if mark in ".?!" and nxt.islower():
                continue  # a symbol, not a sentence end: `the ? operator`, `. com`
            if mark in ";:" and (nxt in "()" and nxt or (mark == ";" and nxt.isupper())):
                continue  # `: )`, and `ret ; We exit` (a code comment)
            if mark in ",.:" and text[s - 1].isdigit() and nxt.isdigit():
                continue  # 3 : 1, 1 , 2
            t = s - 1
            while t > ls and not text[t - 1].isspace():
                t -= 1
            if text[t] == "&":
                continue  # `&amp ;` must not become an entity
            if lines.code(ls, le):
                continue
            if mark in ";:!?":
                if "\u00ab" in text[ls:le] or "\u00bb" in text[ls:le]:
                    continue
                if is_french():
                    continue
            yield Change(s, e, "", rid)


@rule("punctuation.insert_space_after_sentence_end", category="punctuation")
def insert_space_after_sentence_end(text: str, doc: DocState) -> Iterator[Change]:
    """Insert the missing space between a sentence's end and the next sentence.

    Seed 002 l.65 ``hands and technology.There is`` and l.69 ``AI applications.China
    still``; glued HTML text nodes (``report!Run free``). Only ``[lower][lower][.!?][Upper]
    [lower]``, so initials and acronyms never trigger.

    Leaves alone: ``DALL.E``, ``U.S.``, ``GPT-4.0``, ``ISC.AI``, ``Co.,Ltd.``, domains
    (``China.org.cn``, ``Amazon.Com``), ``.NET`` names, abbreviations (``Leg.Interest``),
    code (a code line, a token with ``/ @ _ = ( :`` …, digits, more than one dot, a
    camel-case right part: ``Console.WriteLine``), a dotted name used twice in the text
    (``Maui.Gtk``, ``String.Index``), ``Yahoo!Japan``.

    >>> apply_rule(insert_space_after_sentence_end, "hands and technology.There is")[0]
    'hands and technology. There is'
    >>> apply_rule(insert_space_after_sentence_end, "Use Console.WriteLine or China.org.cn or ado.Net")[0]
    'Use Console.WriteLine or China.org.cn or ado.Net'
    """
    rid = MISSING_SPACE.id
    lines = _Lines(text)
    period, exclamation, question = MISSING_SPACE.parts
    hits = list(_matches(period, _FINDERS["glued"], text))
    for mark, p in (("!", exclamation), ("?", question)):
        if mark in text:
            hits.extend(p.finditer(text))
    for m in hits:
        mark = m.group()
        i = m.start()
        ts = i
        while ts > 0 and not text[ts - 1].isspace():
            ts -= 1
        te = i + 1
        while te < len(text) and not text[te].isspace():
            te += 1
        left = text[ts:i].lstrip("\"'\u201c\u2018\u201e\u00ab([{")
        right = text[i + 1 : te].rstrip("\"'\u201d\u2019\u00bb)]},.;:!?")
        core = left + mark + right
        if any(c in _CODE_CHARS for c in core) or any(c.isdigit() for c in core):
            continue
        if any(c in ".!?" for c in left) or any(c in ".!?" for c in right):
            continue  # a dotted chain: domain, file name, attribute path
        if _CAMEL_RE.search(right) or _CAMEL_RE.search(left) or right.lower() in DOMAIN_PARTS:
            continue  # WriteLine, SonyMake.Believe, Amazon.Com
        word = _LETTERS_AT_END_RE.search(left)
        if word and (word.group().lower() in ENTITY_LEFT_PARTS
                     or word.group().lower() + "." in ABBREVIATIONS):
            continue
        if mark == "." and word and _dotted_uses(text, word.group()) > 1:
            continue  # a name used as a namespace elsewhere: Maui.Gtk, logging.Handler
        ls, le = _line_at(text, i)
        if lines.code(ls, le):
            continue
        yield Change(i + 1, i + 1, " ", rid)


def _dotted_uses(text: str, word: str) -> int:
    """How often ``word.`` is glued to a following letter in ``text`` (``logging.Handler``)."""
    n = 0
    k = text.find(word + ".")
    while k >= 0:
        e = k + len(word) + 1
        if e < len(text) and text[e].isalpha() and (k == 0 or not text[k - 1].isalpha()):
            n += 1
        k = text.find(word + ".", e)
    return n


@rule("punctuation.drop_duplicate_attribution", category="attribution")
def drop_duplicate_attribution(text: str, doc: DocState) -> Iterator[Change]:
    """Drop a second, lower-case attribution right after a quotation's attribution.

    Seed 002 l.57 ``frameworks,” Zhou said. he said.`` -> ``frameworks,” Zhou said.``:
    round-trip translation repeats the speech verb; the lower-case pronoun after a full
    stop shows the second one is debris.

    Leaves alone: a capitalised ``He said …`` (a new sentence), any attribution that is
    not right after a closing quote.

    >>> apply_rule(drop_duplicate_attribution, "frameworks,\\u201d Zhou said. he said.")[0]
    'frameworks,” Zhou said.'
    >>> apply_rule(drop_duplicate_attribution, "frameworks,\\u201d Zhou said. He said more.")[0]
    'frameworks,” Zhou said. He said more.'
    """
    rid = DUPLICATE_ATTRIBUTION.id
    seen: set[int] = set()
    for hit in _DUP_PRONOUN_RE.finditer(text):
        ls, le = _line_at(text, hit.start())
        if ls in seen:
            continue
        seen.add(ls)
        for m in DUPLICATE_ATTRIBUTION.regex.finditer(text, ls, le):
            yield Change(m.start("dup"), m.end("dup"), "", rid)
