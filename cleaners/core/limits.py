"""Limits in, a bounded document out: what one document may cost, and the checks that count.

Enters: a :class:`Limits` (the run's, set with :func:`using`; read with :func:`current`)
and what a document has so far: its file size, its text, the changes its rules propose.
Leaves: nothing when the document is within the limits, else a :class:`LimitExceeded`
subclass whose name goes into the manifest as the ``error_type`` and whose message says
which limit, by how much, and how to raise it. The defaults are far above what real pages
need (the 764 bench pages: deepest HTML 56 levels, longest text line 50,618 characters).

The checks that scan with a pattern (HTML depth before parsing, surrogates) and the regex
wrapper that reads ``regex_timeout`` live in :mod:`cleaners.core.safety`.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: Files larger than this many bytes are failed without being read (``--max-bytes``).
MAX_BYTES_DEFAULT = 64 * 1024 * 1024
#: Longest line (characters) a document may have, after HTML extraction
#: (``--max-line-chars``). 20 times the longest line of the 764 bench pages.
MAX_LINE_CHARS_DEFAULT = 1_000_000
#: Deepest element nesting an HTML page may have (``--max-html-depth``). Nine times the
#: deepest bench page (56), and well under Python's recursion limit, so that code walking
#: the tree recursively stays safe.
MAX_HTML_DEPTH_DEFAULT = 512
#: Most attributes (distinct names) one HTML start tag may have (``--max-html-attributes``).
#: libxml2's parse time grows with the square of one element's distinct attributes (5,000:
#: 0.05 s, 10,000: 0.2 s, 20,000: 1.1 s, 40,000: 18 s); the most on one tag of the 1,491
#: bench pages is 1,008 (an SVG path whose quotes were URL-encoded: its numbers became
#: attribute names).
MAX_HTML_ATTRIBUTES_DEFAULT = 10_000
#: Most attributes all the start tags of a page may have together
#: (``--max-html-attributes-total``); the most of the 1,491 bench pages is 43,788.
MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT = 1_000_000
#: Most changes the rules may propose for one document (``--max-edits``). Each recorded
#: edit costs about 0.5 KB while a document is cleaned; this caps that at about 0.5 GB.
MAX_EDITS_DEFAULT = 1_000_000
#: Seconds one regex call may take, plus :data:`REGEX_TIMEOUT_PER_MB_DEFAULT` per million
#: characters of the string it scans (``--regex-timeout``). A linear pattern scans a
#: million characters in well under 0.1 s; only backtracking blow-ups reach the limit.
REGEX_TIMEOUT_DEFAULT = 2.0
REGEX_TIMEOUT_PER_MB_DEFAULT = 2.0


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one document may cost; ``0`` switches a size limit off."""

    max_bytes: int = MAX_BYTES_DEFAULT
    """Input file size in bytes (default 64 MiB). Larger files fail with ``FileTooLarge``
    before they are read."""
    max_line_chars: int = MAX_LINE_CHARS_DEFAULT
    """Characters in one line of the text the rules see (for HTML: of the extracted text);
    default 1,000,000. A longer line fails with ``LineTooLong``: a 50 MB single-line file
    is data (a blob, minified JSON), not a document. Trade-off: raising it is safe for time
    (every stage is linear) but a huge line is one huge paragraph."""
    max_html_depth: int = MAX_HTML_DEPTH_DEFAULT
    """Element nesting depth of an HTML page (default 512). Deeper pages fail with
    ``HtmlTooDeep``; a cheap scan before parsing rejects absurd nesting (100,000 levels)
    without paying the parser's cost for it."""
    max_html_attributes: int = MAX_HTML_ATTRIBUTES_DEFAULT
    """Attributes of one HTML start tag (default 10,000), counted by a linear scan before
    parsing; more fail with ``TooManyAttributes`` instead of stalling the parser, whose
    time grows with the square of one element's attributes."""
    max_html_attributes_total: int = MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT
    """Attributes of all the start tags of a page together (default 1,000,000); more
    fail with ``TooManyAttributes`` before parsing (each costs the parser memory)."""
    max_edits: int = MAX_EDITS_DEFAULT
    """Changes the rules may propose for one document (default 1,000,000); more fail with
    ``TooManyEdits`` instead of exhausting memory."""
    regex_timeout: float = REGEX_TIMEOUT_DEFAULT
    """Seconds per regex call: ``regex_timeout + regex_timeout_per_mb * len(string) / 1e6``
    (defaults 2.0 and 2.0; ``regex_timeout=0``: no timeout). A call over the limit raises
    ``RegexTimeout``."""
    regex_timeout_per_mb: float = REGEX_TIMEOUT_PER_MB_DEFAULT
    """See ``regex_timeout``."""

    def regex_seconds(self, length: int) -> float | None:
        """The timeout of one regex call on a string of ``length`` characters (``None``:
        no timeout, when ``regex_timeout`` is 0).

        >>> Limits().regex_seconds(1_000_000), Limits(regex_timeout=0).regex_seconds(9)
        (4.0, None)
        """
        if self.regex_timeout <= 0:
            return None
        return self.regex_timeout + self.regex_timeout_per_mb * length / 1e6


DEFAULT_LIMITS = Limits()
#: The limits in force (:func:`using` sets them; the regex wrapper reads them per call).
CURRENT_LIMITS: contextvars.ContextVar[Limits] = contextvars.ContextVar(
    "scrubline_limits", default=DEFAULT_LIMITS
)


def current() -> Limits:
    """The limits in force (set by :func:`using`; :data:`DEFAULT_LIMITS` otherwise)."""
    return CURRENT_LIMITS.get()


@contextlib.contextmanager
def using(limits: Limits | None) -> Iterator[Limits]:
    """Run a block under ``limits`` (``None``: keep the current ones). Thread- and
    task-local (a :class:`contextvars.ContextVar`).

    >>> with using(Limits(max_html_depth=10)):
    ...     current().max_html_depth
    10
    >>> current().max_html_depth
    512
    """
    if limits is None:
        yield current()
        return
    token = CURRENT_LIMITS.set(limits)
    try:
        yield limits
    finally:
        CURRENT_LIMITS.reset(token)


# -- errors ----------------------------------------------------------------------------


class LimitExceeded(ValueError):
    """A document is beyond one of the :class:`Limits`; its class name is the error type."""


class FileTooLarge(LimitExceeded):
    """The input file is larger than ``max_bytes``."""


class LineTooLong(LimitExceeded):
    """A line of the text is longer than ``max_line_chars``."""


class HtmlTooDeep(LimitExceeded):
    """The HTML nests elements deeper than ``max_html_depth``."""


class TooManyAttributes(LimitExceeded):
    """An HTML tag has more than ``max_html_attributes`` attributes, or the page more than
    ``max_html_attributes_total``."""


class TooManyEdits(LimitExceeded):
    """The rules proposed more than ``max_edits`` changes for one document."""


# -- checks ------------------------------------------------------------------------------


def check_file_size(size: int, limits: Limits | None = None) -> None:
    """Raise :class:`FileTooLarge` if ``size`` bytes is above ``max_bytes``."""
    limit = (limits or current()).max_bytes
    if limit and size > limit:
        raise FileTooLarge(
            f"file is {size} bytes, above the limit of {limit} (--max-bytes)"
        )


def longest_line(text: str, limit: int) -> tuple[int, int] | None:
    """The start offset and length of the first line longer than ``limit``, or ``None``.

    Linear in ``len(text)`` and without copies, however the lines are shaped: each step
    looks for the *last* newline within ``limit + 1`` characters of the current line start.

    >>> longest_line("ab\\nabcd\\nab", 3)
    (3, 4)
    >>> longest_line("ab\\nabc\\n", 3) is None
    True
    """
    n = len(text)
    pos = 0
    while n - pos > limit:
        nl = text.rfind("\n", pos, pos + limit + 1)
        if nl < 0:
            end = text.find("\n", pos)
            return pos, (n if end < 0 else end) - pos
        pos = nl + 1
    return None


def check_line_length(text: str, limits: Limits | None = None) -> None:
    """Raise :class:`LineTooLong` if a line of ``text`` is longer than ``max_line_chars``.

    >>> with using(Limits(max_line_chars=3)):
    ...     check_line_length("ok\\ntoo long")
    Traceback (most recent call last):
    ...
    cleaners.core.limits.LineTooLong: line 2 has 8 characters, above the limit of 3 (--max-line-chars)
    """
    limit = (limits or current()).max_line_chars
    if not limit:
        return
    found = longest_line(text, limit)
    if found is not None:
        start, length = found
        line_no = text.count("\n", 0, start) + 1
        raise LineTooLong(
            f"line {line_no} has {length} characters, above the limit of {limit} "
            f"(--max-line-chars)"
        )


def bounded_changes(changes: Iterable[Any], used: int, limits: Limits | None = None) -> list:
    """Materialize one rule's changes, raising :class:`TooManyEdits` once the document's
    total would pass ``max_edits`` (``used`` changes were proposed before this rule).

    Stops a runaway generator early instead of building all its changes first.

    >>> bounded_changes(iter(range(3)), 0)
    [0, 1, 2]
    >>> with using(Limits(max_edits=4)):
    ...     bounded_changes(iter(range(3)), 2)
    Traceback (most recent call last):
    ...
    cleaners.core.limits.TooManyEdits: the rules proposed more than 4 changes for this document (--max-edits)
    """
    limit = (limits or current()).max_edits
    if not limit:
        return list(changes)
    budget = max(0, limit - used)
    out = list(itertools.islice(changes, budget + 1))
    if len(out) > budget:
        raise TooManyEdits(
            f"the rules proposed more than {limit} changes for this document (--max-edits)"
        )
    return out
