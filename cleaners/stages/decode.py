"""Stage ``decode``: make the text well-formed Unicode before any rule reads it.

ftfy runs with an explicit :class:`ftfy.TextFixerConfig` (see :data:`FTFY_CONFIG`): it keeps
curly quotes (seed 004 is typeset with them) and never changes character width (fullwidth
CJK punctuation is correct in Chinese text). Only lines that can need it are given to ftfy:
pure-ASCII lines without control characters cannot hold mojibake, and lines without any
character ftfy reacts to are skipped too (:func:`_build_ftfy_trigger_re`).

The rules after ftfy repair what ftfy leaves: GBK quotes, a Mac ellipsis, HTML entities,
backslash-escaped quotes, invisible characters. When such a repair reveals text that ftfy
would change (mojibake behind an entity or a soft hyphen), the line goes through ftfy again
in the same step (:func:`_refix`), so that cleaning twice changes nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

import ftfy
from ftfy.badness import MOJIBAKE_CATEGORIES
from ftfy.chardata import CONTROL_CHARS, LIGATURES

from cleaners.core.document import Change
from cleaners.core.registry import Stage, rule
from cleaners.core.state import DocState
from cleaners.rules import Entry, register_heuristic
from cleaners.rules.decode import (
    EMOJI,
    GBK_QUOTES,
    GBK_QUOTES_TABLE,
    HTML_ENTITY,
    JOINING_SCRIPTS,
    MACROMAN_ELLIPSIS,
    QUOTE_BACKSLASH,
    SPACELESS_SCRIPTS,
    ZERO_WIDTH,
)
from cleaners.core.safety import SafePattern, safe_compile
from cleaners.core.textutil import INLINE_SPACE_RE, iter_lines, minimal_change
from cleaners.core.tracked import splice

#: ftfy's settings, each chosen on purpose (defaults differ where noted).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # default "auto"; entities are a rule of their own, with its own id
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=True,  # ﬁ -> fi: extraction artefact, never meaningful in prose
    fix_character_width=False,  # default True: would rewrite fullwidth CJK punctuation
    uncurl_quotes=False,  # default True: would destroy correct typography (seed 004)
    fix_line_breaks=False,  # done by decode.normalize_newlines, with its own edits
    fix_surrogates=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)

_NEWLINE_RE = safe_compile(r"\r\n?|[\u0085\u2028\u2029]")
#: A line ftfy could change: anything beyond ASCII, or ASCII control characters.
_NEEDS_FTFY_RE = safe_compile(r"[^\t\n\x20-\x7e]", linear=True, engine="re")


def _build_ftfy_trigger_re() -> SafePattern:
    """Characters without which ftfy (with :data:`FTFY_CONFIG`) leaves an NFC line alone.

    ftfy repairs encoding only where ``ftfy.badness.is_bad`` finds a suspicious sequence,
    and every alternative of its pattern needs a character of a category other than
    ``common``, ``start_punctuation`` and ``end_punctuation`` (curly quotes, dashes, NBSP,
    ``…``, ``©``, ``®`` alone never trigger it). Its other fixes act on C1 and other control
    characters, ligatures, surrogates and terminal escapes. A line with none of these, in
    NFC, comes back unchanged, so the (slow) ftfy call is skipped; a hypothesis test checks
    that the result still equals ``ftfy.fix_text``.
    """
    cats = "".join(
        chars for name, chars in MOJIBAKE_CATEGORIES.items()
        if name not in ("common", "start_punctuation", "end_punctuation")
    )
    extra = "\u00b0\u0152\u0153\u00d7\u00b2\u00b3\u00d8\u00d9\u00e0\u221a\u2248\u00c2\u00c3\u00ce\u00d0\u00c4\u00e2\u00f3"
    singles = "".join(chr(c) for c in sorted(set(CONTROL_CHARS) | set(LIGATURES)))
    # one character class of explicit characters, searched on every line: linear (no
    # timeout), and `re` scans a class this size some 15x faster than `regex`
    pattern = "[" + cats + re.escape(extra + singles) + "\x1b\x80-\x9f\ud800-\udfff]"
    return safe_compile(pattern, linear=True, engine="re")


_FTFY_TRIGGER_RE = _build_ftfy_trigger_re()
#: The ASCII characters :data:`_FTFY_TRIGGER_RE` takes (control characters).
_ASCII_TRIGGERS = "".join(c for c in map(chr, range(128)) if _FTFY_TRIGGER_RE.search(c))


def _has_ftfy_trigger(text: str) -> bool:
    """``_FTFY_TRIGGER_RE.search(text) is not None``; for ASCII text a few substring scans
    instead (the big character class scans slowly).

    >>> _has_ftfy_trigger("plain text"), _has_ftfy_trigger("bell\x07"), _has_ftfy_trigger("Ã©")
    (False, True, True)
    """
    if text.isascii():
        return any(c in text for c in _ASCII_TRIGGERS)
    return _FTFY_TRIGGER_RE.search(text) is not None


@rule("decode.normalize_newlines", category="whitespace")
def normalize_newlines(text: str, doc: DocState) -> Iterator[Change]:
    """Turn CRLF, CR and Unicode line/paragraph separators into ``\\n``.

    Leaves alone: ``\\n`` itself.

    >>> [c.after for c in normalize_newlines("a\\r\\nb\\u2028c", None)]
    ['\\n', '\\n']
    >>> list(normalize_newlines("a\\nb", None))
    []
    """
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text and "\u0085" not in text:
        return  # four substring scans are cheaper than one scan for a character class
    for m in _NEWLINE_RE.finditer(text):
        yield Change(m.start(), m.end(), "\n", "decode.normalize_newlines")


@rule("decode.fix_encoding", category="encoding")
def fix_encoding(text: str, doc: DocState) -> Iterator[Change]:
    """Repair mojibake, ligatures, control characters and C1 codes with ftfy.

    Runs ftfy line by line, only on the lines it could change (beyond printable ASCII, and
    holding a character ftfy reacts to or not in NFC: see :func:`_build_ftfy_trigger_re`);
    the result equals ``ftfy.fix_text(text, FTFY_CONFIG)`` on the same text.

    Leaves alone: curly quotes, fullwidth CJK punctuation, HTML entities.

    >>> [c.after for c in fix_encoding("Chinaâ€™s “AI”", None)]
    ['’']
    >>> list(fix_encoding("Is AI China’s critical new productive force?", None))
    []
    """
    nfc = unicodedata.is_normalized("NFC", text)
    if nfc and text.isascii() and not _has_ftfy_trigger(text):
        return  # (other text: the loop looks at its non-ASCII lines only, which is cheaper)
    for start, _end, line in iter_lines(text):
        if line.isascii() and line.isprintable():
            continue  # all of \x20-\x7e: what _NEEDS_FTFY_RE looks for is not there
        if not _NEEDS_FTFY_RE.search(line):
            continue
        if not _FTFY_TRIGGER_RE.search(line) and (nfc or unicodedata.is_normalized("NFC", line)):
            continue
        fixed = ftfy.fix_text(line, FTFY_CONFIG)
        change = minimal_change(start, line, fixed, "decode.fix_encoding")
        if change is not None:
            yield change


@rule("decode.normalize_revealed_newlines", category="whitespace")
def normalize_revealed_newlines(text: str, doc: DocState) -> Iterator[Change]:
    """Turn line separators that ftfy revealed into ``\\n``, as normalize_newlines does.

    Mojibake can hide a separator (``вЂ©`` is U+2029 read as cp1251); ftfy restores it after
    :func:`normalize_newlines` has run, and a second clean would then change the text.

    >>> [c.after for c in normalize_revealed_newlines("a\\u2029b", None)]
    ['\\n']
    >>> list(normalize_revealed_newlines("a\\nb", None))
    []
    """
    for c in normalize_newlines(text, doc):
        yield Change(c.start, c.end, c.after, "decode.normalize_revealed_newlines")


#: What the normalize stage will do to a line's white space (strip_line_space, and
#: collapse_inline_space with its INLINE_SPACE_RE): ftfy's mojibake heuristic looks at
#: spaces and line starts.
_EDGE_SPACE_RE = safe_compile(r"^[^\S\n]+|(?<=\S)[^\S\n]++$")  # possessive: linear on long space runs


@rule("decode.fix_mojibake_beside_spaces", category="encoding")
def fix_mojibake_beside_spaces(text: str, doc: DocState) -> Iterator[Change]:
    """Repair mojibake that ftfy recognises only once the line's white space is normalized.

    ftfy judges ``\\xa0â€™“`` clean but ``â€™“`` broken; the normalize stage strips that
    NBSP later, so a second clean would repair what the first left. For the few lines with
    a character ftfy reacts to and white space normalize will change, ftfy runs on the
    normalized line; when that repairs something, the line is replaced by the result.
    Removes or changes letters (ftfy's repair): a named exception to "rules keep letters".

    Leaves alone: lines ftfy leaves alone either way; the spacing of every other line.

    >>> [(c.start, c.end, c.after) for c in fix_mojibake_beside_spaces("\\xa0\u00e2\u20ac\u2122\u201c", None)]
    [(0, 4, '’')]
    >>> list(fix_mojibake_beside_spaces(" Caf\u00e9 au lait ", None))
    []
    """
    rid = "decode.fix_mojibake_beside_spaces"
    if "\u00a0" not in text and "  " not in text and "\t" not in text and " \n" not in text \
            and "\n " not in text and text[:1] != " " and text[-1:] != " " and "\u3000" not in text:
        return  # no white space that normalize would change (the usual case)
    pos = 0
    while (m := _FTFY_TRIGGER_RE.search(text, pos)) is not None:
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.start())
        le = len(text) if le < 0 else le
        pos = le + 1
        line = text[ls:le]
        fixed = _fix_spaced(line)
        if fixed is not None:
            change = minimal_change(ls, line, fixed, rid)
            if change is not None:
                yield change


#: Rounds of spacing and repair in :func:`_fix_spaced` (each one removes characters).
_SPACED_ROUNDS = 4


def _fix_spaced(line: str) -> str | None:
    """ftfy's repair of ``line`` with the spacing normalize will give it, if that repairs.

    A repair can expose more edge space (``\\xa0Â\\xa0\\xa0â€™``: ``Â\\xa0`` is an NBSP, now
    at the line's start), so spacing and repair alternate until neither changes the line.
    """
    out = line
    for _ in range(_SPACED_ROUNDS):
        if not (out[:1].isspace() or out[-1:].isspace() or "  " in out or "\t" in out):
            break
        spaced = INLINE_SPACE_RE.sub(" ", _EDGE_SPACE_RE.sub("", out))
        if spaced == out or not _needs_ftfy(spaced):
            break
        fixed = ftfy.fix_text(spaced, FTFY_CONFIG)
        if fixed == spaced:
            break
        out = fixed
    return out if out != line else None


def _needs_ftfy(line: str) -> bool:
    """Whether ftfy could change this line (the fast path of :func:`fix_encoding`)."""
    return bool(_NEEDS_FTFY_RE.search(line)) and (
        _FTFY_TRIGGER_RE.search(line) is not None or not unicodedata.is_normalized("NFC", line)
    )


def _refix(text: str, changes: Iterable[Change], rule_id: str) -> Iterator[Change]:
    """Yield ``changes``, unless they leave a line that ftfy would now change.

    The rules after ftfy can reveal mojibake (``&Atilde;&copy;`` -> ``Ã©``; a soft hyphen
    that split ``Â\xa0``) or text that is not NFC. Then the line's changes and ftfy's fix
    become one change of this rule, so that a second run of the stage changes nothing.
    """
    by_line: dict[int, list[Change]] = {}
    ls, le = 0, -1  # the line of the last change: the next one is usually on it too
    for c in changes:
        if not ls <= c.start <= le:
            ls = text.rfind("\n", 0, c.start) + 1
            le = text.find("\n", c.start)
            le = len(text) if le < 0 else le
        by_line.setdefault(ls, []).append(c)
    for ls, cs in by_line.items():
        le = text.find("\n", ls)
        line = text[ls : len(text) if le < 0 else le]
        new_line = splice(line, [Change(c.start - ls, c.end - ls, c.after, c.rule) for c in cs])
        refixed = ftfy.fix_text(new_line, FTFY_CONFIG) if _needs_ftfy(new_line) else new_line
        refixed = _fix_spaced(refixed) or refixed
        if refixed == new_line:
            yield from cs
        else:
            change = minimal_change(ls, line, refixed, rule_id,
                                    reason="the repair revealed text ftfy fixes too")
            if change is not None:
                yield change


def _refix_matches(text: str, entry: Entry, after: Callable[[str], str]) -> Iterator[Change]:
    """Replace each match of ``entry`` by ``after(match)``, under its id, through :func:`_refix`."""
    changes = (Change(m.start(), m.end(), after(m.group()), entry.id)
               for m in entry.regex.finditer(text))
    yield from _refix(text, changes, entry.id)


@rule("decode.map_gbk_quotes", category="encoding")
def map_gbk_quotes(text: str, doc: DocState) -> Iterator[Change]:
    """Map GBK curly quotes read as Latin-1 (``¡¯ ¡° ¡± ¡®``) back to ``’ “ ” ‘``.

    ecns.cn's about page: ``one of the world¡¯s most prominent providers``. ftfy does not
    fix it (the bytes are valid Latin-1). Leaves alone: Spanish ``¡``, ``¡¡`` (also Spanish),
    every other GBK pair (ambiguous with real text).

    >>> [c.after for c in map_gbk_quotes("the world\u00a1\u00afs \u00a1\u00b0Top 10\u00a1\u00b1", None)]
    ['’', '“', '”']
    >>> list(map_gbk_quotes("\u00a1\u00a1Qu\u00e9 bien!! \u00b15 \u00b0C", None))
    []
    """
    if "\u00a1" in text:
        yield from _refix_matches(text, GBK_QUOTES, GBK_QUOTES_TABLE.__getitem__)


@rule("decode.map_macroman_ellipsis", category="encoding")
def map_macroman_ellipsis(text: str, doc: DocState) -> Iterator[Change]:
    """Map the Mac-encoding mojibake ``‚Ķ`` back to ``…``.

    kotaku.com: ``no other major Chinese news outlet is doing,‚Ķ »``. ftfy keeps it with our
    config (its default ``uncurl_quotes`` would make it ``'Ķ``, worse). This rule removes a
    letter (Ķ): a named exception to "rules keep letters". Leaves alone: ``‚`` as a German
    single low quote, ``Ķ`` in Latvian words.

    >>> [c.after for c in map_macroman_ellipsis("doing,\u201a\u0136 \u00bb", None)]
    ['…']
    >>> list(map_macroman_ellipsis("\u201aQuote\u2018 \u0136ekava", None))
    []
    """
    if "\u201a" in text:
        yield from _refix_matches(text, MACROMAN_ELLIPSIS, lambda _: "\u2026")


def _resolve_entity(raw: str) -> str | None:
    """What an entity (maybe escaped several times) stands for, or ``None`` to keep it."""
    out = raw
    for _ in range(8):
        nxt = html.unescape(out)
        if nxt == out:
            break
        out = nxt
    if out == raw or "\ufffd" in out:
        return None  # unknown name, or a number that is no character
    if any(c in "<>" or unicodedata.category(c) == "Cc" for c in out):
        return None  # markup and control characters stay escaped: tags are the HTML path's job
    return out


@rule("decode.unescape_html_entities", category="encoding")
def unescape_html_entities(text: str, doc: DocState) -> Iterator[Change]:
    """Replace HTML entities left in text (``&nbsp;``, ``&amp;``, ``&#169;``) by their characters.

    gh#17426372142: ``Copyright&nbsp;&copy;&nbsp;2015``; PATTERNS A8 ``&#169 2016``. Only
    real entity syntax: a known name with its semicolon, or a number. Double escaping
    (``&amp;nbsp;``) resolves in one go, so a second run changes nothing. When the revealed
    characters are mojibake or need NFC (``&Atilde;&copy;``), ftfy runs on that line again.
    Removes letters (the entity names): a named exception to "rules keep letters".

    Leaves alone: a bare ``&`` (``R&D``, ``AT&T``, ``Science & Technology``), ``&nothing``
    (no semicolon), unknown names, ``&lt;``/``&gt;`` (they would make tags) and entities for
    control characters (``&#13;``).

    >>> [c.after for c in unescape_html_entities("R&amp;D &#169 2016 &amp;nbsp;", None)]
    ['&', '©', '\xa0']
    >>> list(unescape_html_entities("R&D, AT&T, &nothing, &lt;br&gt; &#13;", None))
    []
    """
    if "&" not in text:
        return
    rid = HTML_ENTITY.id
    changes = []
    for m in HTML_ENTITY.regex.finditer(text):
        after = _resolve_entity(m.group())
        if after is not None:
            changes.append(Change(m.start(), m.end(), after, rid))
    yield from _refix(text, changes, rid)


_PROSE_BLOCKERS_RE = safe_compile(r"[{}<>=|]|\\(?![\"'\u2018\u2019\u201c\u201d])")


@rule("decode.drop_quote_backslash", category="encoding")
def drop_quote_backslash(text: str, doc: DocState) -> Iterator[Change]:
    """Drop the backslash a JSON/SQL escape left before a quote in prose (``\\’`` -> ``’``).

    howaty.com: ``Tanzania\\’s youth engineers``, ``second \\”Summit for Democracy,\\”``.
    Before a curly quote the backslash is always debris; before ``"`` or ``'`` only on a
    line that reads as prose (no other backslash escapes, no ``{ } < > = |``).

    Leaves alone: code and JSON (``\\u003cdiv class=\\"x\\"``), escaped backslashes
    ``\\\\"``, Windows paths.

    >>> [(c.start, c.after) for c in drop_quote_backslash("Tanzania\\’s youth", None)]
    [(8, '')]
    >>> list(drop_quote_backslash('\\u003cdiv class=\\"rich_media_content\\"\\u003e', None))
    []
    """
    if "\\" not in text:
        return
    rid = QUOTE_BACKSLASH.id
    yield from _refix(text, _quote_backslashes(text, rid), rid)


def _quote_backslashes(text: str, rid: str) -> Iterator[Change]:
    prose: dict[int, bool] = {}
    for m in QUOTE_BACKSLASH.regex.finditer(text):
        i = m.start()
        if text[i + 1] in "\"'":
            ls = text.rfind("\n", 0, i) + 1
            if ls not in prose:
                le = text.find("\n", i)
                line = text[ls : len(text) if le < 0 else le]
                prose[ls] = not _PROSE_BLOCKERS_RE.search(line)
            if not prose[ls]:
                continue
        yield Change(i, i + 1, "", rid)


_SPACELESS_RE = safe_compile(rf"[{SPACELESS_SCRIPTS}]")
_JOINING_RE = safe_compile(rf"[{JOINING_SCRIPTS}]")
_EMOJI_RE = safe_compile(rf"[{EMOJI}]")


@rule("decode.remove_zero_width", category="encoding")
def remove_zero_width(text: str, doc: DocState) -> Iterator[Change]:
    """Remove invisible characters that only break matching: ZWSP, stray ZWNJ/ZWJ, BOM, soft hyphen.

    They split words for every later regex (``Sora\u200b is``, ``co\u00adoperation``).
    Kept where they are spelling: U+200B between Thai, Lao, Khmer, Myanmar or Tibetan
    letters (it marks word breaks there), U+200C/U+200D next to Arabic-script, Hebrew,
    Indic or Sinhala letters, U+200D inside emoji sequences. Also removes U+2060 (word
    joiner). NBSP is not zero-width: normalize strips it at line edges. A soft hyphen at a
    line end stays: it marks a hyphenated word, which the OCR stage joins.

    >>> [(c.start, c.after) for c in remove_zero_width("Sora\u200b is co\u00adop", None)]
    [(4, ''), (11, '')]
    >>> list(remove_zero_width("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f468\u200d\U0001f469 \u0e44\u0e17\u0e22\u200b\u0e20\u0e32\u0e29\u0e32", None))
    []
    """
    if not any(c in text for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"):
        return
    rid = ZERO_WIDTH.id
    yield from _refix(text, _zero_width_changes(text, rid), rid)


def _zero_width_changes(text: str, rid: str) -> Iterator[Change]:
    n = len(text)
    k, j = -1, -1  # the run of zero-width characters around the last one seen: k < run < j
    for m in ZERO_WIDTH.regex.finditer(text):
        i = m.start()
        ch = text[i]
        if ch in "\u200b\u200c\u200d":
            if not k < i < j:  # a new run: find its ends once, not once per character
                k = i - 1
                while k >= 0 and text[k] in "\u200b\u200c\u200d":
                    k -= 1
                j = i + 1
                while j < n and text[j] in "\u200b\u200c\u200d":
                    j += 1
            around = (text[k] if k >= 0 else "") + (text[j] if j < n else "")
            if ch == "\u200b" and _SPACELESS_RE.search(around):
                continue
            if ch != "\u200b" and _JOINING_RE.search(around):
                continue
            if ch == "\u200d" and _EMOJI_RE.search(around):
                continue
        yield Change(i, i + 1, "", rid)


#: The review entry of a file whose bytes were read in a guessed encoding (its
#: confidence below 1.0). The guess is made before the stages run, when bytes become text
#: (:mod:`cleaners.io.sniff`); the rule lives here so that ``--disable`` and ``scrubline
#: rules`` know it.
FLAG_GUESSED_CHARSET = register_heuristic(
    "decode.flag_guessed_charset",
    category="encoding",
    description="Flag a file whose byte encoding was guessed (below certainty) for a person to check.",
)


STAGE = Stage(
    "decode",
    (
        normalize_newlines,
        fix_encoding,
        fix_mojibake_beside_spaces,
        map_gbk_quotes,
        map_macroman_ellipsis,
        unescape_html_entities,
        drop_quote_backslash,
        remove_zero_width,
        # last: ftfy (directly or through _refix after any rule above) can reveal separators
        normalize_revealed_newlines,
    ),
    entry_rules=(FLAG_GUESSED_CHARSET,),
)
