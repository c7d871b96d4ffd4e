"""HTML input: reduce a page to text lines (one block per line) and the metadata it declares.

Parsed once with beautifulsoup4 and lxml. Script, style and other non-text elements are
dropped before text is read. The text stages then run on the lines, exactly as for text
input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

from . import safety

#: Elements whose content is never page text.
DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
     "head", "select", "option", "button", "input", "textarea", "form"}
)
#: Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
     "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
     "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr",
     "ul", "caption", "title"}
)


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag):
            content = tag.get("content")
            if isinstance(content, str) and content.strip():
                return content.strip()
    return None


def _json_ld(soup: BeautifulSoup) -> dict[str, Any]:
    for tag in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(tag.string or "")
        except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly nested JSON
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and any(k in item for k in ("headline", "datePublished")):
                return item
    return {}


def page_metadata(soup: BeautifulSoup) -> dict[str, Any]:
    """Title, date, authors and site as the page declares them (meta, JSON-LD, <time>)."""
    ld = _json_ld(soup)
    title = ld.get("headline") or _meta(soup, "og:title", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = soup.title.string.strip()
    date = ld.get("datePublished") or _meta(soup, "article:published_time", "date", "pubdate")
    if not date:
        t = soup.find("time", attrs={"datetime": True})
        if isinstance(t, Tag):
            date = str(t["datetime"])
    author = ld.get("author")
    authors: list[str] | None = None
    if isinstance(author, dict) and author.get("name"):
        authors = [str(author["name"])]
    elif isinstance(author, list):
        authors = [str(a.get("name")) for a in author if isinstance(a, dict) and a.get("name")] or None
    elif isinstance(author, str):
        authors = [author]
    else:
        meta_author = _meta(soup, "author", "article:author")
        authors = [meta_author] if meta_author else None
    site = _meta(soup, "og:site_name")
    return {k: v for k, v in
            {"title": title, "date": date, "authors": authors, "source": site}.items() if v}


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Return the page's visible text, one block per line, and its declared metadata.

    >>> text, meta = html_to_text("<title>T</title><p>One <b>two</b></p><script>x()</script><p>Three</p>")
    >>> text
    'One two\\nThree'
    >>> meta["title"]
    'T'
    """
    html = safety.without_surrogates(html)  # the parser cannot encode lone surrogates
    safety.check_html_source(html)  # absurd nesting is refused before the parser pays for it
    soup = BeautifulSoup(html, "lxml")
    safety.check_tree_depth(soup)
    meta = page_metadata(soup)
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buf).split())
        if line:
            lines.append(line)
        buf.clear()

    # Depth-first, with an explicit stack (no recursion, whatever the depth): each entry is
    # an iterator over a tag's children and whether the tag is a block (flush after it).
    body = soup.body or soup
    stack: list[tuple[Iterator[PageElement], bool]] = [(iter(body.children), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                flush()
        elif isinstance(child, Comment):
            continue
        elif isinstance(child, NavigableString):
            buf.append(str(child))
        elif isinstance(child, Tag):
            child_block = child.name in BLOCK_TAGS
            if child_block:
                flush()
            stack.append((iter(child.children), child_block))
    flush()
    return "\n".join(lines), meta
