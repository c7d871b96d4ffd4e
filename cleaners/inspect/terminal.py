"""Terminal text: the lines the views render, made safe, wrapped, padded, printed.

Enters: lines of ``(text, style)`` segments from the renderers (:mod:`cleaners.inspect.diff`,
:mod:`cleaners.inspect.unified`), cells of tables (:mod:`cleaners.inspect.explain`), and
document text to show on a terminal.
Leaves: plain strings (:func:`to_plain`, :func:`plain_table`: markers, no colour) or
coloured :class:`rich.text.Text` (:func:`to_rich`, styles in :data:`RICH_STYLES`), both
written by :func:`print_lines`; text with control and invisible characters spelled out
(:func:`visible`); lines cut and padded to a width in terminal cells (CJK counts 2).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from cleaners.core.safety import safe_compile

#: A rendered segment: (text, style name); see :data:`RICH_STYLES`.
Segment = tuple[str, str]
Line = list[Segment]

#: How each style name looks on a colour terminal.
RICH_STYLES = {
    "": "",
    "same": "",
    "del": "red strike",
    "ins": "green bold",
    "drop": "red strike",
    "lift": "cyan",
    "mark": "dim",
    "label": "dim cyan",
    "lineno": "dim",
    "gutter": "dim",
    "m-drop": "bold red",
    "m-lift": "bold cyan",
    "m-change": "bold yellow",
    "hunk": "bold magenta",
    "header": "bold",
    "note": "dim",
    "u-del": "red",
    "u-ins": "green",
}


_VISIBLE_IN_SPAN = {"\n": "⏎", "\t": "⇥", "\r": "␍", "\u00a0": "⍽"}


def visible(text: str, *, span: bool = False) -> str:
    """Text safe and readable on a terminal: control and invisible format characters become
    ``<U+XXXX>`` (so a document cannot send escape sequences or reorder the line with bidi
    controls). In a changed span (``span=True``) newlines, tabs and no-break spaces get
    symbols, and so do spaces when the span is only white space.

    >>> visible("a\\x1b[2Jb")
    'a<U+001B>[2Jb'
    >>> visible("\\n\\n", span=True), visible(" ", span=True), visible("a b", span=True)
    ('⏎⏎', '·', 'a b')
    """
    blank = span and text.strip() == "" and text != ""
    out = []
    for ch in text:
        if span and ch in _VISIBLE_IN_SPAN:
            out.append(_VISIBLE_IN_SPAN[ch])
        elif ch == " ":
            out.append("·" if blank else " ")
        elif ch == "\t":
            out.append("⇥")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or (
            blank and unicodedata.category(ch) == "Zs"
        ):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)



def wrap(segs: Line, width: int) -> list[Line]:
    """Cut a line of segments into lines of at most ``width`` terminal cells (CJK counts 2),
    between words where possible.

    >>> [''.join(t for t, _ in ln) for ln in wrap([("one two three", "same")], 8)]
    ['one two ', 'three']
    """
    width = max(width, 4)
    lines: list[Line] = [[]]
    used = 0
    for text, style in segs:
        for token in _TOKEN_RE.findall(text):
            w = cell_len(token)
            if used + w > width and used and w <= width and not token.isspace():
                lines.append([])
                used = 0
            if used + w <= width:
                lines[-1].append((token, style))
                used += w
                continue
            for ch in token:  # a word longer than the room left: cut it
                cw = cell_len(ch)
                if used + cw > width:
                    lines.append([])
                    used = 0
                lines[-1].append((ch, style))
                used += cw
    return [_join_styles(ln) for ln in lines]


_TOKEN_RE = safe_compile(r"\S+\s*|\s+")


def _join_styles(line: Line) -> Line:
    out: Line = []
    for t, s in line:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0] + t, s)
        else:
            out.append((t, s))
    return out


def pad_line(segs: Line, width: int) -> Line:
    """The line padded with spaces to ``width`` terminal cells (a wider line as it is).

    >>> pad_line([("中", "same")], 4)
    [('中', 'same'), ('  ', '')]
    """
    used = sum(cell_len(t) for t, _ in segs)
    return segs + [(" " * (width - used), "")] if used < width else segs


def strip_line_end(line: Line) -> Line:
    """The line without trailing spaces (padding and wrapped text's last space).

    >>> strip_line_end([("a ", "same"), ("  ", "")])
    [('a', 'same')]
    """
    line = list(line)
    while line and line[-1][0].rstrip(" ") == "":
        line.pop()
    if line:
        line[-1] = (line[-1][0].rstrip(" "), line[-1][1])
    return line


def to_plain(lines: Iterable[Line]) -> str:
    """The lines as plain text, each ending with a newline."""
    return "".join("".join(t for t, _ in line) + "\n" for line in lines)


def to_rich(line: Line) -> Any:
    """One line as a :class:`rich.text.Text` with the styles of :data:`RICH_STYLES`."""
    text = Text(no_wrap=True, overflow="ignore")
    for t, style in line:
        if t:
            text.append(t, style=RICH_STYLES.get(style, ""))
    return text


def clip_text(text: str, width: int) -> str:
    """The text made :func:`visible` as a changed span, cut to ``width`` cells with ``…``.

    >>> clip_text("abcdef", 4), clip_text("ab\\n", 4)
    ('abc…', 'ab⏎')
    """
    shown = visible(text, span=True)
    if cell_len(shown) <= width:
        return shown
    out, used = "", 0
    for ch in shown:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


def plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned by terminal cells; the last column is not padded."""
    widths = [cell_len(c) for c in columns]
    for row in rows:
        for k, cell in enumerate(row):
            widths[k] = max(widths[k], cell_len(cell))

    def fmt(cells: Sequence[str]) -> str:
        parts = []
        for k, cell in enumerate(cells):
            pad = "" if k == len(cells) - 1 else " " * (widths[k] - cell_len(cell))
            parts.append(cell + pad)
        return "  ".join(parts).rstrip() + "\n"

    return fmt(columns) + fmt(["-" * w for w in widths]) + "".join(fmt(r) for r in rows)


def count_noun(count: int, one: str, many: str | None = None) -> str:
    """``1 edit``, ``2 edits``.

    >>> count_noun(1, "edit"), count_noun(2, "edit"), count_noun(0, "entry", "entries")
    ('1 edit', '2 edits', '0 entries')
    """
    return f"{count} {one if count == 1 else (many or one + 's')}"


def print_lines(lines: list[Line], color: bool) -> None:
    """Write the lines to standard output: plain, or coloured with :data:`RICH_STYLES`."""
    if not color:
        sys.stdout.write(to_plain(lines))
        return
    console = Console(force_terminal=True, highlight=False, soft_wrap=True, emoji=False)
    for line in lines:
        console.print(to_rich(line))
