"""Line layout shared by the stages that drop whole lines: body paragraphs and removals.

Enters: the stripped lines of a page (``textutil.iter_lines``) and the lines a stage wants
gone. Leaves: whether a line is a body paragraph (:func:`is_long_paragraph`, which bounds
the header and footer zones) and :class:`~cleaners.core.document.Change` objects that take
each removed line's newline (and, between paragraphs, the blank line that separated it)
with it (:func:`plan_line_removal`, used by the ``metadata``, ``boilerplate`` and ``user``
stages).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cleaners.core.document import Action, Change
from cleaners.core.safety import safe_compile

# -- page layout -----------------------------------------------------------------------------

#: A line at least this long (CJK characters count three) that ends a sentence is a body
#: paragraph; the first and last such line bound the header and footer zones.
LONG_PARAGRAPH_CHARS_DEFAULT = 150
_CLOSERS = "\"'”’»«)]）」』"
_ENDERS = frozenset(".!?。！？…")


def ends_sentence(line: str) -> bool:
    """Whether a stripped line ends with sentence punctuation (closing quotes may follow).

    >>> ends_sentence('He said "yes."'), ends_sentence("Related news")
    (True, False)
    """
    tail = line.rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _ENDERS


_CJK_RE = safe_compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]", linear=True)


def is_long_paragraph(line: str) -> bool:
    """Whether a stripped line is a body paragraph: long, and ending a sentence.

    >>> is_long_paragraph("Newspapers in English")
    False
    >>> is_long_paragraph("x " * 80 + "end.")
    True
    """
    n = len(line)
    if n < LONG_PARAGRAPH_CHARS_DEFAULT // 3:
        return False
    if n < LONG_PARAGRAPH_CHARS_DEFAULT:
        if line.isascii():  # no CJK to count
            return False
        n += 2 * len(_CJK_RE.findall(line))
        if n < LONG_PARAGRAPH_CHARS_DEFAULT:
            return False
    return ends_sentence(line)


# -- removing whole lines ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Removal:
    """Remove (part of) one line: ``segments`` are ``(start, end, rule, reason)`` in text
    offsets, in order. ``whole`` says the segments cover the whole line, so its newline goes
    too."""

    line_start: int
    line_end: int
    segments: tuple[tuple[int, int, str, str | None], ...]
    action: Action = "drop"

    @property
    def whole(self) -> bool:
        return self.segments[0][0] == self.line_start and self.segments[-1][1] == self.line_end


def plan_line_removal(
    text: str,
    lines: Sequence[tuple[int, int, str]],
    removals: Iterable[tuple[int, Removal]],
) -> list[Change]:
    """Turn line removals into changes that leave the text's paragraph layout intact.

    ``lines`` is ``list(iter_lines(text))``; ``removals`` pairs a line index with its
    :class:`Removal`. A whole-line removal takes the line's newline (the one before it for a
    last line without one). Removed lines that follow each other, with only blank lines
    between them, form a run: each takes the blank lines after it up to the next removed
    line, and when the run starts the text or follows a blank line, the last one also takes
    the blank lines after it. So no removed edit sits inside a run of blank lines that the
    ``normalize`` stage later collapses (which would merge the two edits into one).

    >>> t = "Title\\n\\nBody.\\n\\nFooter\\n\\nMore"
    >>> from cleaners.core.textutil import iter_lines
    >>> ls = list(iter_lines(t))
    >>> rm = [(i, Removal(s, e, ((s, e, "x.y", None),))) for i, (s, e, l) in enumerate(ls)
    ...       if l in ("Title", "Footer", "More")]
    >>> [t[c.start:c.end] for c in plan_line_removal(t, ls, rm)]
    ['Title\\n\\n', 'Footer\\n\\n', 'More']
    """
    by_line = dict(removals)
    if not by_line:
        return []
    n = len(lines)
    blank = [not ln[2].strip() for ln in lines]
    changes: list[Change] = []
    i = 0
    while i < n:
        rem = by_line.get(i)
        if rem is None or not rem.whole:
            if rem is not None:
                changes.extend(
                    Change(s, e, "", rule, rem.action, reason) for s, e, rule, reason in rem.segments
                )
            i += 1
            continue
        # a run of whole-line removals separated only by blank lines
        run = [i]
        j = i + 1
        while j < n:
            if blank[j]:
                j += 1
                continue
            nxt = by_line.get(j)
            if nxt is not None and nxt.whole:
                run.append(j)
                j += 1
                continue
            break
        k = i - 1
        opens = k < 0 or blank[k]
        for pos, li in enumerate(run):
            r = by_line[li]
            segs = list(r.segments)
            if pos + 1 < len(run):
                end = lines[run[pos + 1]][0]  # up to the next removed line
            else:
                end = r.line_end
                m = li + 1
                if end < len(text):
                    end += 1  # its newline
                if opens:
                    while m < n and blank[m]:
                        end = min(len(text), lines[m][1] + 1)
                        m += 1
            start = r.line_start
            if end == r.line_end and start > 0 and text[start - 1] == "\n" and pos == 0:
                start -= 1  # last line without a newline: take the one before it
            # the first segment starts where the removal starts, the last ends where it ends
            segs[0] = (start, *segs[0][1:])
            segs[-1] = (segs[-1][0], end, *segs[-1][2:])
            changes.extend(Change(s, e, "", rule, r.action, reason) for s, e, rule, reason in segs)
        i = run[-1] + 1
    return changes
