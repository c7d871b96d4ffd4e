"""The walk: an lxml element tree in; a :class:`Page` of flat arrays out.

One iterative pass (:func:`lxml.etree.iterwalk`, no Python recursion, so a page nested
100,000 deep is fine) records every element once, in document order: its parent, subtree
span, cue code (:mod:`cleaners.stages.extract.elements`), and the text pieces. Non-text
elements (script, style, svg, template, iframe...) are skipped without being entered. Each
block (paragraph, heading, list item, table cell, pre...) gets its line's length, link share
and sentence marks, and a block line that reads as prose adds its length to the ``prose``
of its ancestors: the later passes choose and assemble from these arrays alone.
"""

from __future__ import annotations

from lxml import etree

from cleaners.core.safety import safe_compile
from cleaners.stages.extract.elements import (
    BLOCK_TAGS,
    HEADING_TAGS,
    PRE_TAGS,
    SKIP_TAGS,
    element_cue,
)

#: A block line is prose when its link share is below this ...
PROSE_LINK_DENSITY_DEFAULT = 0.35
#: ... and it has at least this many characters ...
PROSE_MIN_CHARS_DEFAULT = 60
#: ... or at least this many with sentence punctuation.
PROSE_PUNCT_CHARS_DEFAULT = 25

_SENTENCE_RE = safe_compile(r"[.!?;:,\u3002\uff01\uff1f\uff1b\uff0c\u060c\u0964]")


class Page:
    """Flat arrays describing every element once, in document order (pre-order)."""

    __slots__ = (
        "tags", "parent", "end", "cue", "chars", "links", "prose", "own_chars", "own_links",
        "own_punct", "piece_ctx", "piece_text", "piece_pre",
    )

    def __init__(self) -> None:
        self.tags: list[str] = []
        self.parent: list[int] = []
        self.end: list[int] = []  # one past the last descendant's index
        self.cue: list[int] = []
        self.chars: list[int] = []  # visible characters in the subtree
        self.links: list[int] = []  # of which inside <a>
        self.prose: list[int] = []  # characters of prose lines in the subtree
        self.own_chars: list[int] = []  # characters of the element's own line (blocks)
        self.own_links: list[int] = []
        self.own_punct: list[int] = []
        self.piece_ctx: list[int] = []  # element whose text (or child's tail) the piece is
        self.piece_text: list[str | None] = []  # None: a line break
        self.piece_pre: list[bool] = []


def walk_page(root: etree._Element) -> Page:
    """Record the tree in one iterative pass (see the module docstring).

    >>> from cleaners.stages.extract.parse import parse
    >>> page = walk_page(parse("<div><p>Plain words, and <a href=/>a link</a>.</p></div>"))
    >>> page.tags, page.chars, page.links
    (['html', 'body', 'div', 'p', 'a'], [23, 23, 23, 23, 6], [6, 6, 6, 6, 6])
    """
    page = Page()
    tags, parent, end, cue = page.tags, page.parent, page.end, page.cue
    chars, links, prose = page.chars, page.links, page.prose
    own_chars, own_links, own_punct = page.own_chars, page.own_links, page.own_punct
    p_ctx, p_text, p_pre = page.piece_ctx, page.piece_text, page.piece_pre
    # per open element: (index, owner block index, in_link, in_pre)
    stack: list[tuple[int, int, bool, bool]] = []
    sentence = _SENTENCE_RE.search

    def add_text(text: str, ctx: int, owner: int, in_link: bool, in_pre: bool) -> None:
        n = len(text.strip())
        p_ctx.append(ctx)
        p_text.append(text)
        p_pre.append(in_pre)
        if n:
            chars[ctx] += n
            own_chars[owner] += n
            if in_link:
                links[ctx] += n
                own_links[owner] += n
            if sentence(text):
                own_punct[owner] += 1

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if not isinstance(tag, str):
                walker.skip_subtree()
                stack.append((-1, -1, False, False))
                continue
            tag = tag.lower()
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                stack.append((-1, -1, False, False))
                continue
            idx = len(tags)
            if stack:
                pidx, powner, plink, ppre = stack[-1]
            else:
                pidx, powner, plink, ppre = -1, -1, False, False
            tags.append(tag)
            parent.append(pidx)
            end.append(idx + 1)
            cue.append(element_cue(el, tag))
            chars.append(0)
            links.append(0)
            prose.append(0)
            own_chars.append(0)
            own_links.append(0)
            own_punct.append(0)
            block = tag in BLOCK_TAGS or powner < 0
            owner = idx if block else powner
            in_link = plink or tag == "a"
            in_pre = ppre or tag in PRE_TAGS
            stack.append((idx, owner, in_link, in_pre))
            if block:
                p_ctx.append(pidx)
                p_text.append(None)
                p_pre.append(False)
            text = el.text
            if text:
                add_text(text, idx, owner, in_link, in_pre)
        else:
            idx, owner, _in_link, _in_pre = stack.pop()
            if idx >= 0:
                tag = tags[idx]
                end[idx] = len(tags)
                if owner == idx:  # a block: classify its own line
                    p_ctx.append(parent[idx])
                    p_text.append(None)
                    p_pre.append(False)
                    n = own_chars[idx]
                    if n and own_links[idx] < PROSE_LINK_DENSITY_DEFAULT * n and (
                        n >= PROSE_MIN_CHARS_DEFAULT
                        or (n >= PROSE_PUNCT_CHARS_DEFAULT and own_punct[idx])
                    ) and tag not in HEADING_TAGS:
                        prose[idx] += n
                pidx = parent[idx]
                if pidx >= 0:
                    chars[pidx] += chars[idx]
                    links[pidx] += links[idx]
                    prose[pidx] += prose[idx]
            if stack:
                pidx, powner, plink, ppre = stack[-1]
                tail = el.tail
                if tail and pidx >= 0:
                    add_text(tail, pidx, powner, plink, ppre)
    return page
