"""Stage ``normalize``: whitespace, last, so the output has one shape.

Output shape: no space at line ends or starts, single spaces inside lines, paragraphs
separated by exactly one blank line, no blank lines at the start, one ``\\n`` at the end
(an empty document stays empty).
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaners.core.document import Change
from cleaners.core.registry import Stage, rule
from cleaners.core.state import DocState
from cleaners.core.safety import safe_compile
from cleaners.core.textutil import INLINE_SPACE_RE

#: Horizontal white space a line may start or end with: space, tab, NBSP, U+3000 and kin.
#: The trailing alternative only starts right after a non-space (possessive, no backtracking):
#: without that, a run of n spaces inside a line costs n^2 steps (10,000 spaces: 3 s).
_EDGE_SPACE_RE = safe_compile(r"(?m)^[^\S\n]+|(?<=\S)[^\S\n]++$")
_BLANK_RUN_RE = safe_compile(r"\n{3,}")
_LEADING_BREAKS_RE = safe_compile(r"\A\n+")


@rule("normalize.strip_line_space", category="whitespace")
def strip_line_space(text: str, doc: DocState) -> Iterator[Change]:
    """Remove white space (NBSP and U+3000 included) at the start and end of every line.

    A line of only NBSP becomes empty, so it counts as a blank line (seed 003).

    >>> [(c.start, c.end) for c in strip_line_space(" a \\n\\u00a0\\nb", None)]
    [(0, 1), (2, 3), (4, 5)]
    >>> list(strip_line_space("a b\\nc", None))
    []
    """
    pos = 0
    for line in text.split("\n"):
        if line and (line[0].isspace() or line[-1].isspace()):
            for m in _EDGE_SPACE_RE.finditer(line):
                yield Change(pos + m.start(), pos + m.end(), "", "normalize.strip_line_space")
        pos += len(line) + 1


@rule("normalize.collapse_inline_space", category="whitespace")
def collapse_inline_space(text: str, doc: DocState) -> Iterator[Change]:
    """Turn runs of spaces and tabs inside a line into one space.

    Leaves alone: single spaces, NBSP (it may bind a number to its unit, as in ``3 %``).

    >>> [c.after for c in collapse_inline_space("a  b\\tc", None)]
    [' ', ' ']
    >>> list(collapse_inline_space("a b", None))
    []
    """
    if "  " not in text and "\t" not in text:
        return
    for m in INLINE_SPACE_RE.finditer(text):
        yield Change(m.start(), m.end(), " ", "normalize.collapse_inline_space")


@rule("normalize.separate_paragraphs", category="whitespace")
def separate_paragraphs(text: str, doc: DocState) -> Iterator[Change]:
    """Separate paragraphs written one per line with a blank line.

    Text input treats each line as a block (as scrapers save it); OCR input is re-flowed
    before this runs, so its lines are paragraphs by then.

    >>> [c.after for c in separate_paragraphs("a\\nb\\n\\nc", None)]
    ['\\n\\n']
    >>> list(separate_paragraphs("a\\n\\nb", None))
    []
    """
    pos = -1
    prev_blank = True
    for line in text.split("\n"):
        if line and not prev_blank:
            yield Change(pos, pos + 1, "\n\n", "normalize.separate_paragraphs")
        prev_blank = not line
        pos += len(line) + 1


@rule("normalize.collapse_blank_lines", category="whitespace")
def collapse_blank_lines(text: str, doc: DocState) -> Iterator[Change]:
    """Collapse runs of blank lines to one, and drop blank lines at the start.

    >>> [(c.start, c.end, c.after) for c in collapse_blank_lines("\\na\\n\\n\\n\\nb", None)]
    [(0, 1, ''), (2, 6, '\\n\\n')]
    >>> list(collapse_blank_lines("a\\n\\nb", None))
    []
    """
    m = _LEADING_BREAKS_RE.match(text)
    if m and m.end() < len(text):
        yield Change(0, m.end(), "", "normalize.collapse_blank_lines")
    for m in _BLANK_RUN_RE.finditer(text):
        if m.start() == 0 or m.end() == len(text):
            continue  # the start is handled above, the end by end_with_newline
        yield Change(m.start(), m.end(), "\n\n", "normalize.collapse_blank_lines")


@rule("normalize.end_with_newline", category="whitespace")
def end_with_newline(text: str, doc: DocState) -> Iterator[Change]:
    """End a non-empty text with exactly one newline; a blank text becomes empty.

    >>> [c.after for c in end_with_newline("a\\n\\n\\n", None)]
    ['\\n']
    >>> list(end_with_newline("a\\n", None))
    []
    """
    body = text.rstrip("\n")
    tail = text[len(body) :]
    if not body.strip():
        if text:
            yield Change(0, len(text), "", "normalize.end_with_newline", "drop")
        return
    if tail != "\n":
        yield Change(len(body), len(text), "\n", "normalize.end_with_newline")


STAGE = Stage(
    "normalize",
    (
        strip_line_space,
        collapse_inline_space,
        separate_paragraphs,
        collapse_blank_lines,
        end_with_newline,
    ),
)
