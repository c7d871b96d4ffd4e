"""Parsing with limits: HTML text in; an lxml element tree out (``None`` for a blank page).

libxml2's HTML parser through lxml (the parser bs4's ``"lxml"`` feature drives, without
bs4's Python tree build, which costs about 8x the parse itself). Pages libxml2 refuses or
truncates (nesting deeper than 256 elements, unusable input) are parsed with
``BeautifulSoup(html, "lxml")`` instead, the robust documented path, and the soup is
converted to an lxml tree without recursion. Before parsing, the caller refuses a page
nested too deep or with too many attributes (:mod:`cleaners.core.htmlguard`); after it,
:func:`check_tree_depth` refuses a tree deeper than the limit in force.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from cleaners.core import safety
from cleaners.stages.extract.elements import BLOCK_TAGS

_EXCESSIVE_DEPTH = "Excessive depth"
#: Deeper elements of a page parsed by the bs4 fallback are flattened into their ancestor.
MAX_DEPTH_DEFAULT = 200


def _new_parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
        default_doctype=False,
    )


def parse(html: str) -> etree._Element | None:
    """Parse a page into an lxml element tree; ``None`` when there is nothing to parse.

    The caller checks the source first (:func:`cleaners.core.htmlguard.check_html_source`,
    as :func:`~cleaners.stages.extract.html_to_text` does): libxml2's time grows with the
    square of one element's attributes.

    >>> parse("<p>Hi</p>").tag
    'html'
    >>> parse("   ") is None
    True
    """
    data = html.encode("utf-8", "replace")
    if not data.strip():
        return None
    parser = _new_parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None or any(_EXCESSIVE_DEPTH in e.message for e in parser.error_log):
        return _parse_with_bs4(html)
    return root


def _parse_with_bs4(html: str) -> etree._Element:
    """Parse with ``BeautifulSoup(html, "lxml")`` and convert the soup to an lxml tree.

    The conversion walks with an explicit stack of child iterators, never recursing.
    Elements nested deeper than :data:`MAX_DEPTH_DEFAULT` are flattened into their
    ancestor at that depth (a block element leaves a ``<br>`` on each side), so the text
    and its order survive while the tree stays shallow enough to walk cheaply.
    """
    # bs4 is imported here, not at the top: only the few pages libxml2 refuses need it
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    soup = BeautifulSoup(html, "lxml")
    skip_types = (Comment, Declaration, Doctype, ProcessingInstruction)
    root = etree.Element("html")
    # entry: (children iterator, lxml target, depth, holder of the target's last child,
    #         whether to leave a <br> when the entry closes)
    top = soup.find("html")
    start = top if isinstance(top, Tag) else soup
    stack: list[tuple[Any, Any, int, list[Any], bool]] = [
        (iter(start.children), root, 1, [None], False)
    ]
    while stack:
        it, target, depth, holder, close_br = stack[-1]
        child = next(it, None)
        if child is None:
            stack.pop()
            if close_br:
                holder[0] = etree.SubElement(target, "br")
            continue
        if isinstance(child, NavigableString):
            if isinstance(child, skip_types):
                continue
            last = holder[0]
            if last is None:
                target.text = (target.text or "") + str(child)
            else:
                last.tail = (last.tail or "") + str(child)
            continue
        if not isinstance(child, Tag):
            continue
        name = (child.name or "div").lower()
        if depth >= MAX_DEPTH_DEFAULT:
            block = name in BLOCK_TAGS
            if block:
                holder[0] = etree.SubElement(target, "br")
            stack.append((iter(child.children), target, depth, holder, block))
            continue
        try:
            el = etree.SubElement(target, name)
        except ValueError:
            el = etree.SubElement(target, "span")
        for k, v in child.attrs.items():
            try:
                el.set(k, " ".join(v) if isinstance(v, list) else str(v))
            except (ValueError, TypeError):
                pass
        holder[0] = el
        stack.append((iter(child.children), el, depth + 1, [None], False))
    return root


def check_tree_depth(root: etree._Element) -> None:
    """Raise :class:`cleaners.core.safety.HtmlTooDeep` when the parsed tree is deeper than the
    limit in force (iterative: any depth is measured without recursion).

    >>> check_tree_depth(parse("<div><p>Deep enough.</p></div>")) is None
    True
    """
    limit = safety.current().max_html_depth
    if not limit:
        return
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            raise safety.HtmlTooDeep(
                f"HTML nests elements more than {limit} levels deep; the limit is "
                f"--max-html-depth {limit} (0 switches it off)"
            )
        stack.extend((child, depth + 1) for child in el)
