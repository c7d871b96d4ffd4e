"""HTML input: a page's HTML text in; its main content as text lines and the metadata it
declares out (:func:`html_to_text`, which the pipeline calls for ``fmt="html"``).

How a page becomes lines (one parse, one walk over the tree, then passes over flat arrays),
one module per step:

1. :mod:`~cleaners.stages.extract.parse`: **parse once** with libxml2 through lxml (bs4 for
   the pages libxml2 refuses), within the nesting limits of :mod:`cleaners.core.htmlguard`.
2. :mod:`~cleaners.stages.extract.walk`: **one iterative walk** records every element once
   in flat arrays: parent, subtree span, cue (:mod:`~cleaners.stages.extract.elements`:
   tag, ARIA role, class/id words from :mod:`cleaners.rules.extract`, hidden flags), text
   pieces, and each block line's length, link share and prose.
3. :mod:`~cleaners.stages.extract.choose`: **regions** of page chrome are dropped unless
   they hold most of the prose, and the **main content** is the element whose lines best
   match the page's prose.
4. :mod:`~cleaners.stages.extract.lines`: **lines**, the chosen element's text, one block
   per line; ``<pre>`` keeps its lines.

Metadata (title, date, authors, site) comes from JSON-LD, ``<meta>``, ``<title>`` and
``<time datetime>`` (:mod:`~cleaners.stages.extract.pagemeta`).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from cleaners.core import htmlguard
from cleaners.stages.extract.choose import choose_content
from cleaners.stages.extract.lines import assemble_lines
from cleaners.stages.extract.pagemeta import page_metadata
from cleaners.stages.extract.parse import check_tree_depth, parse
from cleaners.stages.extract.walk import walk_page

__all__ = ["extract_lines", "html_to_text", "page_metadata", "parse"]


def extract_lines(root: etree._Element) -> list[str]:
    """The main content of a parsed page as lines, one block per line.

    >>> extract_lines(parse("<nav><a href=/>Home</a></nav><main><h1>Title</h1><p>Text."))
    ['Title', 'Text.']
    """
    body = root.find("body")
    page = walk_page(body if body is not None else root)
    if not page.tags:
        return []
    sel, bad = choose_content(page)
    return assemble_lines(page, sel, bad)


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Return the page's main content, one block per line, and its declared metadata.

    >>> text, meta = html_to_text(
    ...     "<title>T</title><nav><a href=/>Home</a></nav>"
    ...     "<p>One <b>two</b>, three.</p><script>x()</script><p>Four.</p>")
    >>> text
    'One two, three.\\nFour.'
    >>> meta["title"]
    'T'
    """
    html = htmlguard.without_surrogates(html)  # the parser cannot encode lone surrogates
    htmlguard.check_html_source(html)  # absurd nesting is refused before the parser pays for it
    root = parse(html)
    if root is None:
        return "", {}
    check_tree_depth(root)
    meta = page_metadata(root)
    return "\n".join(extract_lines(root)), meta
