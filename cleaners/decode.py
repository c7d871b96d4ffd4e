"""Stage ``decode``: make the text well-formed Unicode before any rule reads it.

ftfy runs with an explicit :class:`ftfy.TextFixerConfig` (see :data:`FTFY_CONFIG`): it keeps
curly quotes (seed 004 is typeset with them) and never changes character width (fullwidth
CJK punctuation is correct in Chinese text). Only lines that can need it are given to ftfy:
pure-ASCII lines without control characters cannot hold mojibake.
"""

from __future__ import annotations

from collections.abc import Iterator

import ftfy

from .document import Change
from .registry import Stage, rule
from .safety import safe_compile
from .textutil import iter_lines, minimal_change

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
_NEEDS_FTFY_RE = safe_compile(r"[^\t\n\x20-\x7e]")


@rule("decode.normalize_newlines", category="whitespace")
def normalize_newlines(text: str, doc: object) -> Iterator[Change]:
    """Turn CRLF, CR and Unicode line/paragraph separators into ``\\n``.

    Leaves alone: ``\\n`` itself.

    >>> [c.after for c in normalize_newlines("a\\r\\nb\\u2028c", None)]
    ['\\n', '\\n']
    >>> list(normalize_newlines("a\\nb", None))
    []
    """
    for m in _NEWLINE_RE.finditer(text):
        yield Change(m.start(), m.end(), "\n", "decode.normalize_newlines")


@rule("decode.fix_encoding", category="encoding")
def fix_encoding(text: str, doc: object) -> Iterator[Change]:
    """Repair mojibake, ligatures, control characters and C1 codes with ftfy.

    Runs ftfy line by line on the lines that contain anything but printable ASCII; the
    result equals ``ftfy.fix_text(text, FTFY_CONFIG)`` on the same text.

    Leaves alone: curly quotes, fullwidth CJK punctuation, HTML entities.

    >>> [c.after for c in fix_encoding("Chinaâ€™s “AI”", None)]
    ['’']
    >>> list(fix_encoding("Is AI China’s critical new productive force?", None))
    []
    """
    for start, _end, line in iter_lines(text):
        if not _NEEDS_FTFY_RE.search(line):
            continue
        fixed = ftfy.fix_text(line, FTFY_CONFIG)
        change = minimal_change(start, line, fixed, "decode.fix_encoding")
        if change is not None:
            yield change


STAGE = Stage("decode", (normalize_newlines, fix_encoding))
