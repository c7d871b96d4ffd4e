"""OCR word rules: hyphenated line ends, words split by a space, dropped ligatures.

Enters: the text of a document the detector (:mod:`.detect`) calls OCR, and its state.
Leaves: changes that join ``Univer-\\nsity``, ``sus pected`` and restore ``signicant`` ->
``significant`` when the language's word list says so (review entries when it is unsure).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.rules import ocr as T
from cleaners.stages.ocr.detect import (
    HALF_WORD_ZIPF_DEFAULT,
    LIGATURE_DOC_EVIDENCE_DEFAULT,
    SPLIT_FLAG_MARGIN_DEFAULT,
    SPLIT_FLAG_MIN_ZIPF_DEFAULT,
    SPLIT_FRAGMENT_MAX_ZIPF_DEFAULT,
    SPLIT_JOIN_MIN_ZIPF_DEFAULT,
    _HYPHEN_TOKEN_RE,
    _LEADING_ALNUM_RE,
    _TRAILING_ALNUM_RE,
    _URL_CHUNK_RE,
    _applies,
    _doc,
    _hyphen_decision,
    _hyphen_parts,
    Lexicon,
    _ligature_verdict,
    lexicon,
)


def _word_counts(text: str) -> Counter[str]:
    return Counter(_HYPHEN_TOKEN_RE.findall(text.casefold()))


@rule("ocr.join_hyphenated_words", category="hyphenation")
def join_hyphenated_words(text: str, doc: DocState) -> Iterator[Change]:
    """Join a word hyphenated at a line end when the joined form is a known word.

    ``Univer-\\nsity`` -> ``University``. "More likely than the hyphenated compound" is
    decided in this order: a number on either side keeps the hyphen
    (``F-49620-97-1-\\n0471``); a capitalised second part keeps it (German
    ``KI-\\nIndustriekette``, ``Sino-\\nAmerican``); ``and``/``or``/``und`` next makes it a
    suspended compound (``short-\\nand long-term`` -> ``short- and``); the document's own
    spelling elsewhere wins; else the word list: the joined word must reach
    JOIN_MIN_ZIPF_DEFAULT, or COMPOUND_JOIN_ZIPF_DEFAULT when both halves are words
    (``two-\\nmonth``: ``twomonth`` is unknown, the hyphen stays). A kept hyphen loses only
    the line break (``two-month``); an unknown split of non-words (``Sivalin-\\ngam``) keeps
    the hyphen and becomes a review entry. Soft hyphens always join. In newspaper OCR whose
    line breaks became spaces (``edu- cation``) only sure joins are made. Source: PATTERNS.md
    E1, serge-sotnyk/pdf-lines-gluer README.

    Leaves alone: ``self-\\naware``, ``two-\\nmonth`` (hyphen kept, break removed),
    ``short- and long-term``, a hyphen before a blank line.

    >>> text = "at Washington State Univer-\\nsity and F-49620-97-1-\\n0471 for a two-\\nmonth trip"
    >>> [c.after or text[c.start:c.end] for c in join_hyphenated_words(text, _doc(text))]
    ['-\\n', '\\n', '\\n']
    >>> list(join_hyphenated_words("well-known and short- and long-term", _doc("")))
    []
    """
    if not _applies(text, doc) or not (
        "-" in text or "\u00ad" in text or "¬" in text
    ):
        return
    lex = lexicon(doc.language)
    counts = _word_counts(text)
    for m in T.HYPHEN_BREAK.regex.finditer(text):
        hy, hs, ge = m.group("hy"), m.start("hy"), m.end("gap")
        gs = m.start("gap")
        if hy == "\u00ad":
            yield Change(hs, ge, "", "ocr.join_hyphenated_words", reason="soft hyphen")
            continue
        left, right = _hyphen_parts(text, hs, ge)
        action, reason = _hyphen_decision(left, right, lex, counts)
        rid = "ocr.join_hyphenated_words"
        if action == "join":
            yield Change(hs, ge, "", rid, reason=reason)
        else:
            # keep (or suspend): only the break goes; the OCR mark ¬ becomes a real hyphen
            gap = " " if action == "suspend" else ""
            if hy == "¬":
                yield Change(hs, ge, "-" + gap, rid, reason=reason)
            else:
                yield Change(gs, ge, gap, rid, reason=reason)
            if action == "flag":
                a = _TRAILING_ALNUM_RE.search(left)
                b = _LEADING_ALNUM_RE.search(right)
                if a and b:
                    doc.flag(rid, hs - len(a.group()), ge + len(b.group()),
                             f"{a.group()}-{b.group()}", reason, a.group() + b.group())
    for m in T.HYPHEN_LOST_BREAK.regex.finditer(text):
        hs, ge = m.start(), m.end("gap")
        left, right = _hyphen_parts(text, hs, ge)
        a = _TRAILING_ALNUM_RE.search(left)
        if a is None or len(a.group()) < 2 or len(left) != len(a.group()):
            continue  # "A- bout" needs care: a one-letter start is a list letter as often
        action, reason = _hyphen_decision(left, right, lex, counts)
        if action == "join":
            yield Change(hs, ge, "", "ocr.join_hyphenated_words", reason=reason)


# -- ligatures ---------------------------------------------------------------------------------
def _restore_case(token: str, i: int, lig: str) -> str:
    if i == 0 and token[:1].isupper():
        return lig.capitalize() + token[0].lower() + token[1:]
    return token[:i] + lig + token[i:]


@rule("ocr.restore_dropped_ligatures", category="ligature")
def restore_dropped_ligatures(text: str, doc: DocState) -> Iterator[Change]:
    """Put back ``fi``/``fl``/``ff``/``ffi``/``ffl`` a PDF extraction dropped with its glyph.

    ``signicant`` -> ``significant``, ``rst author`` -> ``first author``, ``Oce`` ->
    ``Office``, ``ecient`` -> ``efficient``, ``oppy`` -> ``floppy``. Only when the token is
    not a frequent word (Zipf under LIGATURE_RARE_ZIPF_DEFAULT; up to
    LIGATURE_TOKEN_MAX_ZIPF_DEFAULT, e.g. ``nite``, only when the document has
    LIGATURE_DOC_EVIDENCE_DEFAULT sure repairs elsewhere), and exactly one insertion gives a
    word at least LIGATURE_CANDIDATE_ZIPF_DEFAULT; two plausible words (``ight``: fight or
    flight) make a review entry. Source: PATTERNS.md E3 (pdf-lines-gluer README).

    Leaves alone: words (``res``, ``grin``, ``led``), ALL-CAPS and mixed-case tokens,
    tokens of e-mail addresses and URLs, tokens shorter than three letters.

    >>> text = "the rst author found signicant and ecient power"
    >>> [c.after for c in restore_dropped_ligatures(text, _doc(text))]
    ['first', 'significant', 'efficient']
    >>> list(restore_dropped_ligatures("the first author found nite sets", _doc("")))
    []
    """
    lex = _word_list(text, doc)
    if lex is None:
        return
    skip = [m.span() for m in _URL_CHUNK_RE.finditer(text)]
    decided: dict[str, tuple[str, Any]] = {}
    found: list[tuple[int, int, str, str, Any]] = []
    for m in T.WORD.regex.finditer(text):
        tok = m.group()
        if not (tok.islower() or (tok[0].isupper() and tok[1:].islower())):
            continue
        if skip and any(s <= m.start() < e for s, e in skip):
            continue
        key = tok.casefold()
        verdict = decided.get(key)
        if verdict is None:
            verdict = _ligature_verdict(key, lex)
            decided[key] = verdict
        if verdict[0] != "none":
            found.append((m.start(), m.end(), tok, verdict[0], verdict[1]))
    sure = {tok.casefold() for _s, _e, tok, kind, _v in found if kind == "sure"}
    evidence = len(sure) >= LIGATURE_DOC_EVIDENCE_DEFAULT
    rid = "ocr.restore_dropped_ligatures"
    for start, end, tok, kind, info in found:
        if kind == "sure" or (kind == "weak" and evidence):
            word, i, lig = info
            yield Change(start, end, _restore_case(tok, i, lig), rid,
                         reason=f"dropped ligature: {word}")
        elif kind == "ambiguous" or (kind == "weak_ambiguous" and evidence):
            doc.flag(rid, start, end, tok, "a dropped ligature, but which word?",
                     " | ".join(info))


# -- split words -------------------------------------------------------------------------------
@rule("ocr.join_split_words", category="split_word")
def join_split_words(text: str, doc: DocState) -> Iterator[Change]:
    """Join a word that newspaper OCR split with a space where a hyphen was lost.

    ``sus pected`` -> ``suspected``: one part is a fragment (Zipf under
    SPLIT_FRAGMENT_MAX_ZIPF_DEFAULT: ``pected``) and the joined word is frequent
    (SPLIT_JOIN_MIN_ZIPF_DEFAULT) or spelled joined elsewhere in the document. A pair of
    real words whose join is much more frequent (``mat ter``), or a fragment pair whose
    join is a rare word (``Wil liamston``), becomes a review entry. Source: PATTERNS.md E2
    (newspapers.digitalnc.org OCR).

    Leaves alone: pairs of words (``some times``, ``in to``, ``a tack``), ALL-CAPS tokens,
    one-letter tokens.

    >>> text = "ought to be even sus pected of it; the sub ject of the day"
    >>> [(text[c.start - 3:c.end + 3], c.after) for c in join_split_words(text, _doc(text))]
    [('sus pec', ''), ('sub jec', '')]
    >>> list(join_split_words("at some times in to the town", _doc("")))
    []
    """
    lex = _word_list(text, doc)
    if lex is None:
        return
    counts: Counter[str] | None = None
    rid = "ocr.join_split_words"
    last_end = -1
    for m in T.SPLIT_PAIR.regex.finditer(text, overlapped=True):
        if m.start() < last_end:
            continue
        a, b = m.group("left"), m.group("right")
        if not (a.islower() or (a[0].isupper() and a[1:].islower())):
            continue
        za, zb = lex.zipf(a), lex.zipf(b)
        lo = min(za, zb)
        if lo >= HALF_WORD_ZIPF_DEFAULT + SPLIT_FLAG_MARGIN_DEFAULT:
            continue  # two common words: fast path
        zj = lex.zipf(a + b)
        fragment = lo < SPLIT_FRAGMENT_MAX_ZIPF_DEFAULT
        if fragment and zj < SPLIT_JOIN_MIN_ZIPF_DEFAULT and counts is None:
            counts = _word_counts(text)
        in_doc = counts is not None and counts[(a + b).casefold()] > 0
        space = m.end("left")
        if fragment and (zj >= SPLIT_JOIN_MIN_ZIPF_DEFAULT or in_doc):
            why = f"zipf {zj:.2f}"
            if zj < SPLIT_JOIN_MIN_ZIPF_DEFAULT:
                why = "spelled joined elsewhere"
            yield Change(space, space + 1, "", rid, reason=f"{a + b} is a word ({why})")
            last_end = m.end()
        elif (fragment and zj >= SPLIT_FLAG_MIN_ZIPF_DEFAULT) or (
            zj >= SPLIT_JOIN_MIN_ZIPF_DEFAULT and zj >= lo + SPLIT_FLAG_MARGIN_DEFAULT
        ):
            doc.flag(rid, m.start(), m.end(), m.group(),
                     f"maybe one word split by OCR (zipf {zj:.2f})", a + b)
            last_end = m.end()


def _word_list(text: str, doc: DocState) -> Lexicon | None:
    """The document's word list, when the OCR rules run on it (asked first) and wordfreq
    has a list for its language; else ``None``."""
    return lexicon(doc.language) if _applies(text, doc) else None
