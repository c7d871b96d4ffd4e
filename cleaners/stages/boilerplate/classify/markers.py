"""End markers: the headers that close an article (related stories, comments, share, tags).

What enters: a stripped line. What leaves: whether it is such a header. The table is
:data:`~cleaners.rules.boilerplate.END_MARKER_TABLE`; this module indexes its literals so that
most lines cost a dictionary look-up.
"""

from __future__ import annotations

from cleaners.rules.boilerplate import COMMENT_MARKER_TABLE, END_MARKER_BANDS, END_MARKER_TABLE

_END_MARKER_MAX_CHARS = max(e.max_chars for e in END_MARKER_TABLE)
_END_STARTS = tuple(sorted({w for e in END_MARKER_TABLE for w in e.starts}))
#: :data:`_END_STARTS` by first character: a line is tested against the few prefixes that
#: share its first character, not all of them.
_END_STARTS_BY_CHAR: dict[str, tuple[str, ...]] = {}
for _w in _END_STARTS:
    _END_STARTS_BY_CHAR[_w[0]] = (*_END_STARTS_BY_CHAR.get(_w[0], ()), _w)
_END_CONTAINS = tuple(sorted({w for e in END_MARKER_TABLE for w in e.contains}))


def is_end_marker(line: str) -> bool:
    """Whether a stripped line is a related / comments / share / tags header.

    >>> is_end_marker("Related Posts"), is_end_marker("34 Comments"), is_end_marker("Share this:")
    (True, True, True)
    >>> is_end_marker("Related work on this topic began in 2019.")
    False
    """
    if not line or len(line) > _END_MARKER_MAX_CHARS or line[-1] in ".!":
        return False  # a header, not a sentence
    lower = line.lower()
    starts = _END_STARTS_BY_CHAR.get(lower[0])
    if not (starts and lower.startswith(starts)):
        for c in _END_CONTAINS:  # a loop, not any(): no generator for every line
            if c in lower:
                break
        else:
            return False
    n = len(line)
    for top, pattern in END_MARKER_BANDS:
        if n <= top:
            return pattern.fullmatch(line) is not None
    return False


def is_comment_marker(line: str) -> bool:
    """Whether a stripped line is a comment-thread header (``34 Comments``, ``Leave a Reply``).

    >>> is_comment_marker("34 Comments"), is_comment_marker("Related Posts")
    (True, False)
    """
    return (
        bool(line)
        and len(line) <= _END_MARKER_MAX_CHARS
        and any(e.hit(line) is not None for e in COMMENT_MARKER_TABLE)
    )
