"""Text assembly: a :class:`~cleaners.stages.extract.walk.Page`, the chosen element and the
dropped flags in; the main content's lines out, one block per line.

Text pieces of the chosen subtree are joined between line breaks, their whitespace
collapsed; ``<pre>`` keeps its own lines. Identical long lines are kept once.
"""

from __future__ import annotations

from cleaners.stages.extract.walk import Page

#: Identical lines at least this long are kept once.
REPEATED_LINE_MIN_CHARS_DEFAULT = 30


def assemble_lines(page: Page, sel: int, bad: list[bool]) -> list[str]:
    """The lines of element ``sel``'s subtree, without the dropped elements' text.

    >>> from cleaners.stages.extract.parse import parse
    >>> from cleaners.stages.extract.walk import walk_page
    >>> page = walk_page(parse("<div><p>One <b>two</b></p><pre>a\\n  b</pre></div>"))
    >>> assemble_lines(page, 0, [False] * len(page.tags))
    ['One two', 'a', '  b']
    """
    lo, hi = sel, page.end[sel] if page.end else 0
    lines: list[str] = []
    buf: list[str] = []
    pre = False

    def flush() -> None:
        nonlocal pre
        if buf:
            joined = "".join(buf)
            if pre:
                lines.extend(s.rstrip() for s in joined.strip("\n").split("\n") if s.strip())
            else:
                line = " ".join(joined.split())
                if line:
                    lines.append(line)
            buf.clear()
        pre = False

    for ctx, text, in_pre in zip(page.piece_ctx, page.piece_text, page.piece_pre):
        if ctx < lo or ctx >= hi:
            continue
        if text is None:
            flush()
            continue
        if bad[ctx]:
            continue
        buf.append(text)
        pre = pre or in_pre
    flush()
    return drop_repeated_lines(lines)


def drop_repeated_lines(lines: list[str]) -> list[str]:
    """Keep the first of identical long lines: galleries and sliders repeat a caption or a
    teaser once per slide; an article does not repeat a sentence verbatim.

    >>> drop_repeated_lines(["A caption that the gallery shows again.", "Text.",
    ...                       "A caption that the gallery shows again.", "Text."])
    ['A caption that the gallery shows again.', 'Text.', 'Text.']
    """
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        if len(line) >= REPEATED_LINE_MIN_CHARS_DEFAULT:
            if line in seen:
                continue
            seen.add(line)
        out.append(line)
    return out
