"""What an HTML element is: lxml elements in; tag classes and cue codes out.

The tag sets say how the walk treats an element by its tag alone (skipped, block, chrome,
link list, heading, pre). :func:`element_cue` reads the attributes that mark an element as
content, page chrome, comments or hidden (``hidden``, ``aria-hidden``, ``style``, ARIA
``role``, ``itemprop``, and class/id words matched against :mod:`cleaners.rules.extract`),
and returns one small integer per element, stored in the page's flat arrays.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from lxml import etree

from cleaners.core.safety import safe_compile
from cleaners.rules.extract import CUE_TABLE, ROLE_CUES, cue_words

# -- tag sets ---------------------------------------------------------------------------

#: Elements whose content is never page text: skipped without being entered.
SKIP_TAGS = frozenset(
    {"script", "style", "template", "svg", "math", "canvas", "iframe", "frame",
     "frameset", "object", "embed", "applet", "audio", "video", "picture", "source", "track",
     "map", "input", "head", "title", "meta", "link", "base"}
)
#: Page chrome by tag: dropped unless it holds most of the page's prose. Form controls are
#: here rather than skipped: libxml2 nests the rest of a page inside an unclosed <button>.
CHROME_TAGS = frozenset(
    {"nav", "header", "footer", "aside", "form", "dialog", "menu", "fieldset", "button",
     "select", "option", "optgroup", "datalist", "textarea", "label", "figcaption"}
)
#: Elements that start a new line of text.
BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
     "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
     "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
     "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br", "listing", "plaintext", "xmp"}
)
#: Containers dropped when their text is mostly link text (menus, link lists, tag clouds).
LINK_LIST_TAGS = frozenset({"ul", "ol", "dl", "div", "section", "table", "tbody", "tr", "menu"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose text keeps its own line breaks.
PRE_TAGS = frozenset({"pre", "listing", "plaintext", "xmp", "textarea"})

# -- cues -------------------------------------------------------------------------------

_HIDDEN_STYLE_RE = safe_compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.I)
#: Cue codes stored per element (plain ints: compared once per element per pass).
CUE_NONE, CUE_CONTENT, CUE_CHROME, CUE_HIDDEN, CUE_COMMENTS, CUE_NOSCRIPT = 0, 1, 2, 3, 4, 5
#: Tags whose class/id words are not read: the article element of a CMS carries its
#: topic's slugs in its classes.
_NO_CLASS_CUE_TAGS = frozenset({"html", "body", "article", "main"})


@lru_cache(maxsize=4096)
def classify_cue(raw: str) -> int:
    """The strongest cue a class/id string carries: hidden > chrome > content > none.

    >>> classify_cue("site-nav") == CUE_CHROME, classify_cue("article-body") == CUE_CONTENT
    (True, True)
    >>> classify_cue("sr-only visually-hidden") == CUE_HIDDEN, classify_cue("foo") == CUE_NONE
    (True, True)
    """
    words = cue_words(raw)
    if not words:
        return CUE_NONE
    found = CUE_NONE
    for cue in CUE_TABLE:
        assert cue.regex is not None
        if cue.regex.search(words):
            if cue.role == "hidden":
                return CUE_HIDDEN
            if cue.role == "boilerplate":
                found = CUE_CHROME
            elif cue.role == "comments" and found != CUE_CHROME:
                found = CUE_COMMENTS
            elif found == CUE_NONE:
                found = CUE_CONTENT
    return found


def element_cue(el: etree._Element, tag: str) -> int:
    """The cue code of one element, from its attributes (most elements have none).

    >>> div = etree.fromstring('<div role="navigation" class="post"/>')
    >>> element_cue(div, "div") == CUE_CHROME
    True
    >>> element_cue(etree.fromstring('<p style="color: red"/>'), "p") == CUE_NONE
    True
    """
    if tag == "noscript":
        return CUE_NOSCRIPT
    attrib = el.attrib
    if not attrib:
        return CUE_NONE
    get = attrib.get
    if "hidden" in attrib or get("aria-hidden") == "true":
        return CUE_HIDDEN
    style = get("style")
    if style and "none" in style or style and "hidden" in style:
        if _HIDDEN_STYLE_RE.search(style):
            return CUE_HIDDEN
    cue = CUE_NONE
    role = get("role")
    if role:
        r = ROLE_CUES.get(role.strip().lower())
        if r == "boilerplate":
            return CUE_CHROME
        if r == "content":
            cue = CUE_CONTENT
    if get("itemprop") == "articleBody":
        return CUE_CONTENT
    if tag in _NO_CLASS_CUE_TAGS:
        return cue
    klass = get("class")
    ident = get("id")
    raw = f"{klass} {ident}" if klass and ident else klass or ident
    if raw:
        c = classify_cue(raw)
        if c != CUE_NONE:
            cue = c
    return cue


