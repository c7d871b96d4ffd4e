"""Small helpers the stages share: walking lines with their offsets, minimal changes."""

from __future__ import annotations

from collections.abc import Iterator

from cleaners.core.document import Action, Change
from cleaners.core.safety import safe_compile

#: A run of spaces (two or more) or tabs inside a line: what ``normalize`` collapses and what
#: ``decode`` collapses before it asks ftfy about a line.
INLINE_SPACE_RE = safe_compile(r"(?<=\S)(?:[ \t]{2,}|\t)(?=\S)")


def iter_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, line)`` for each line; ``end`` excludes the newline.

    >>> list(iter_lines("ab\\n\\nc"))
    [(0, 2, 'ab'), (3, 3, ''), (4, 5, 'c')]
    """
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()  # the text ends with a newline (or is empty): no line after it
    pos = 0
    for part in parts:
        yield pos, pos + len(part), part
        pos += len(part) + 1


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a line's span ``[start, end)`` to take its newline with it when it is dropped.

    The newline after the line is taken; for the last line without one, the newline before.

    >>> line_span("a\\nb\\nc", 2, 3)
    (2, 4)
    >>> line_span("a\\nb", 2, 3)
    (1, 3)
    """
    if end < len(text) and text[end] == "\n":
        return start, end + 1
    if start > 0 and text[start - 1] == "\n":
        return start - 1, end
    return start, end


def minimal_change(
    offset: int,
    old: str,
    new: str,
    rule: str,
    action: Action = "replace",
    reason: str | None = None,
) -> Change | None:
    """The smallest change turning ``old`` (found at ``offset``) into ``new``, or ``None``.

    >>> minimal_change(10, "a â€™ b", "a ’ b", "decode.fix_encoding")
    Change(start=12, end=15, after='’', rule='decode.fix_encoding', action='replace', reason=None)
    """
    if old == new:
        return None
    p = 0
    m = min(len(old), len(new))
    while p < m and old[p] == new[p]:
        p += 1
    s = 0
    while s < m - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return Change(offset + p, offset + len(old) - s, new[p : len(new) - s], rule, action, reason)
