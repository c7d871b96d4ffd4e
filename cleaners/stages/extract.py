"""HTML input: reduce a page to its main content as text lines, and the metadata it declares.

How a page becomes lines (one parse, one walk over the tree, then passes over flat arrays):

1. **Parse once.** libxml2's HTML parser through lxml (the parser bs4's ``"lxml"`` feature
   drives, without bs4's Python tree build, which costs about 8x the parse itself). Pages
   libxml2 refuses or truncates (nesting deeper than 256 elements, unusable input) are
   parsed with ``BeautifulSoup(html, "lxml")`` instead, the robust documented path, and the
   soup is converted to an lxml tree without recursion.
2. **One iterative walk** (:func:`lxml.etree.iterwalk`, no Python recursion, so a page nested
   100,000 deep is fine) records every element once: its parent, subtree span, cues (tag,
   ARIA role, class/id words from :mod:`cleaners.rules.extract`, hidden flags), and the text
   pieces in document order. Non-text elements (script, style, svg, template, iframe,
   form controls...) are skipped without being entered. Each block (paragraph, heading,
   list item, table cell, pre...) gets its line's length, link share and sentence marks.
3. **Regions.** Page chrome (nav, header, footer, aside, form, dialog, boilerplate or hidden
   cues, link-dense lists) is dropped, unless it holds most of the page's prose: a
   ``<form>`` wrapping a whole ASP.NET page, or ``class="content-with-sidebar"``.
4. **Main content.** Every element is a candidate; the one kept is the one whose lines
   would best match the page's prose, estimated as
   ``2 * prose(el) / (text(el) + prose(page))`` (an F1 of the element's prose against all
   prose on the page), with a small bonus for ``<article>``, ``<main>`` and content cues.
5. **Lines.** The chosen element's text, one block per line; ``<pre>`` keeps its lines.

Metadata (title, date, authors, site) comes from JSON-LD (Article types, ``@graph``),
``<meta>`` (og:, article:, twitter:, name=author/date, Dublin Core, citation_), ``<title>``
and ``<time datetime>``, in that order of trust.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import regex
from lxml import etree

from cleaners.core import safety
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

# -- thresholds -------------------------------------------------------------------------

#: A region with chrome cues is kept when it holds at least this share of the page's prose.
PROTECT_SHARE_DEFAULT = 0.6
#: A subtree whose text is more than this share link text, with little prose, is dropped.
LINK_DENSITY_DEFAULT = 0.5
#: ... unless it holds at least this share of the page's prose (then only its link-dense
#: parts are dropped, one level down).
LINKY_PROSE_SHARE_DEFAULT = 0.1
#: A block line is prose when its link share is below this ...
PROSE_LINK_DENSITY_DEFAULT = 0.35
#: ... and it has at least this many characters ...
PROSE_MIN_CHARS_DEFAULT = 60
#: ... or at least this many with sentence punctuation.
PROSE_PUNCT_CHARS_DEFAULT = 25
#: Share of a short non-prose line's length counted as prose in the content estimate
#: (headings and list items of the article are short; so are "Share" and "Log in").
SHORT_LINE_WEIGHT_DEFAULT = 0.3
#: Comments are the content when prose outside them is below this share of the page's.
COMMENTS_MAIN_SHARE_DEFAULT = 0.15
#: ... and prose outside them is shorter than this (an article with a long thread is still
#: an article).
COMMENTS_ARTICLE_CHARS_DEFAULT = 800
#: Hidden elements are dropped unless prose is at least this share of their text: React
#: streams server-rendered content into ``<div hidden id="S:1">``, accordions hide
#: answers; menus, modals and screen-reader labels hidden the same way carry no prose.
HIDDEN_PROSE_SHARE_DEFAULT = 0.3
#: Identical lines at least this long are kept once.
REPEATED_LINE_MIN_CHARS_DEFAULT = 30
#: Prose outside <p>/<pre>/<blockquote> (in div, li, td...) counts this much in the
#: content estimate: teaser cards and widgets are divs and list items, articles are <p>s.
OTHER_PROSE_WEIGHT_DEFAULT = 0.4
_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote"})
#: Cues that would leave less than this share of the page's prose are ignored.
MIN_KEPT_PROSE_SHARE_DEFAULT = 0.2
#: Bonus, times the share of an element's prose in its own and its children's lines: the
#: parent of the paragraphs (readability's candidate) beats a wrapper with the same text.
PARAGRAPH_PARENT_BONUS_DEFAULT = 0.05
#: Bonus factor for <article>, <main> and elements with content cues.
CONTENT_CUE_BONUS_DEFAULT = 1.1

_SENTENCE_RE = safe_compile(r"[.!?;:,\u3002\uff01\uff1f\uff1b\uff0c\u060c\u0964]")
_HIDDEN_STYLE_RE = safe_compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.I)
_EXCESSIVE_DEPTH = "Excessive depth"
#: Deeper elements of a page parsed by the bs4 fallback are flattened into their ancestor.
MAX_DEPTH_DEFAULT = 200

# Cue codes stored per element.
_NO_CUE, _CONTENT, _CHROME, _HIDDEN, _COMMENTS, _NOSCRIPT = 0, 1, 2, 3, 4, 5
#: Tags whose class/id words are not read: the article element of a CMS carries its
#: topic's slugs in its classes.
_NO_CLASS_CUE_TAGS = frozenset({"html", "body", "article", "main"})


@lru_cache(maxsize=4096)
def _classify_cue(raw: str) -> int:
    """The strongest cue a class/id string carries: hidden > chrome > content > none."""
    words = cue_words(raw)
    if not words:
        return _NO_CUE
    found = _NO_CUE
    for cue in CUE_TABLE:
        assert cue.regex is not None
        if cue.regex.search(words):
            if cue.role == "hidden":
                return _HIDDEN
            if cue.role == "boilerplate":
                found = _CHROME
            elif cue.role == "comments" and found != _CHROME:
                found = _COMMENTS
            elif found == _NO_CUE:
                found = _CONTENT
    return found


def _element_cue(el: Any, tag: str) -> int:
    """The cue code of one element, from its attributes (most elements have none)."""
    if tag == "noscript":
        return _NOSCRIPT
    attrib = el.attrib
    if not attrib:
        return _NO_CUE
    get = attrib.get
    if "hidden" in attrib or get("aria-hidden") == "true":
        return _HIDDEN
    style = get("style")
    if style and "none" in style or style and "hidden" in style:
        if _HIDDEN_STYLE_RE.search(style):
            return _HIDDEN
    cue = _NO_CUE
    role = get("role")
    if role:
        r = ROLE_CUES.get(role.strip().lower())
        if r == "boilerplate":
            return _CHROME
        if r == "content":
            cue = _CONTENT
    if get("itemprop") == "articleBody":
        return _CONTENT
    if tag in _NO_CLASS_CUE_TAGS:
        return cue
    klass = get("class")
    ident = get("id")
    raw = f"{klass} {ident}" if klass and ident else klass or ident
    if raw:
        c = _classify_cue(raw)
        if c != _NO_CUE:
            cue = c
    return cue


# -- parsing ----------------------------------------------------------------------------


def _new_parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
        default_doctype=False,
    )


def parse(html: str) -> Any:
    """Parse a page into an lxml element tree; ``None`` when there is nothing to parse.

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


def _parse_with_bs4(html: str) -> Any:
    """Parse with ``BeautifulSoup(html, "lxml")`` and convert the soup to an lxml tree.

    The conversion walks with an explicit stack of child iterators, never recursing.
    Elements nested deeper than :data:`MAX_DEPTH_DEFAULT` are flattened into their
    ancestor at that depth (a block element leaves a ``<br>`` on each side), so the text
    and its order survive while the tree stays shallow enough to walk cheaply.
    """
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


# -- the walk ---------------------------------------------------------------------------


class _Page:
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


def _walk(root: Any) -> _Page:
    """Record the tree in one iterative pass (see the module docstring, step 2)."""
    page = _Page()
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
            cue.append(_element_cue(el, tag))
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


def _choose(page: _Page, *, cues: bool = True) -> tuple[int, list[bool]]:
    """Drop chrome regions, then pick the element that holds the main content.

    When the class/id cues would drop nearly all of the page's prose (a wrapper called
    ``noRightRail`` around the article), the choice is made again without them.
    """
    tags, parent, end, cue = page.tags, page.parent, page.end, page.cue
    chars, links, prose = page.chars, page.links, page.prose
    n = len(tags)
    total_prose = prose[0] if n else 0
    protect = PROTECT_SHARE_DEFAULT * total_prose
    # Comments are chrome unless they hold most of the page's prose (a forum thread).
    # <noscript> is dropped unless it holds most of the prose (forums that render for
    # crawlers only there).
    comment_prose = noscript_prose = 0
    i = 0
    while i < n:
        if cue[i] == _COMMENTS:
            comment_prose += prose[i]
            i = end[i]
        elif cue[i] == _NOSCRIPT:
            noscript_prose += prose[i]
            i = end[i]
        else:
            i += 1
    outside = total_prose - comment_prose
    comments_are_chrome = (outside >= COMMENTS_MAIN_SHARE_DEFAULT * total_prose
                           or outside >= COMMENTS_ARTICLE_CHARS_DEFAULT)
    noscript_is_chrome = noscript_prose <= total_prose - noscript_prose
    bad = [False] * n
    for i in range(n):
        p = parent[i]
        if p >= 0 and bad[p]:
            bad[i] = True
            continue
        c = cue[i]
        tag = tags[i]
        reason = ((c == _CHROME and cues) or tag in CHROME_TAGS
                  or (c == _HIDDEN and prose[i] < HIDDEN_PROSE_SHARE_DEFAULT * chars[i])
                  or (c == _COMMENTS and comments_are_chrome)
                  or (c == _NOSCRIPT and noscript_is_chrome))
        if not reason and tag in LINK_LIST_TAGS and links[i] > LINK_DENSITY_DEFAULT * chars[i]:
            reason = prose[i] < LINKY_PROSE_SHARE_DEFAULT * total_prose
        if reason and tag not in ("html", "body") and (prose[i] < protect or total_prose == 0):
            bad[i] = True
    # prose and text of each subtree without the dropped regions
    good = [0.0] * n
    kept = [0.0] * n
    own_chars, own_links = page.own_chars, page.own_links
    own_prose = [0] * n
    # own prose = prose[i] - sum(prose[children]); recompute from children sums
    child_prose = [0] * n
    for i in range(n - 1, -1, -1):
        p = parent[i]
        if p >= 0:
            child_prose[p] += prose[i]
    for i in range(n):
        own_prose[i] = prose[i] - child_prose[i]
    if cues and total_prose:
        kept_prose = sum(own_prose[i] for i in range(n) if not bad[i])
        expected = total_prose - (comment_prose if comments_are_chrome else 0) - (
            noscript_prose if noscript_is_chrome else 0)
        if kept_prose < MIN_KEPT_PROSE_SHARE_DEFAULT * expected:
            return _choose(page, cues=False)
    direct = [0.0] * n  # prose of the element's direct children's own lines
    for i in range(n - 1, -1, -1):
        if not bad[i]:
            oc = own_chars[i]
            op = own_prose[i]
            w = 1.0 if tags[i] in _PARAGRAPH_TAGS else OTHER_PROSE_WEIGHT_DEFAULT
            good[i] += w * op + SHORT_LINE_WEIGHT_DEFAULT * (oc - op if oc > op else 0)
            kept[i] += oc
            p = parent[i]
            if p >= 0:
                good[p] += good[i]
                kept[p] += kept[i]
                direct[p] += w * op
    del own_links
    total_good = good[0] if n else 0.0
    best, best_score = 0, -1.0
    if total_good > 0:
        for i in range(n):
            if bad[i] or good[i] <= 0:
                continue
            score = 2.0 * good[i] / (kept[i] + total_good)
            score *= 1.0 + PARAGRAPH_PARENT_BONUS_DEFAULT * (direct[i] + own_prose[i]) / good[i]
            if cue[i] == _CONTENT or tags[i] in ("article", "main"):
                score *= CONTENT_CUE_BONUS_DEFAULT
            if score > best_score:
                best, best_score = i, score
    return best, bad


def _lines(page: _Page, sel: int, bad: list[bool]) -> list[str]:
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
    return _drop_repeated_lines(lines)


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """Keep the first of identical long lines: galleries and sliders repeat a caption or a
    teaser once per slide; an article does not repeat a sentence verbatim.

    >>> _drop_repeated_lines(["A caption that the gallery shows again.", "Text.",
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


def extract_lines(root: Any) -> list[str]:
    """The main content of a parsed page as lines, one block per line."""
    body = root.find("body")
    page = _walk(body if body is not None else root)
    if not page.tags:
        return []
    sel, bad = _choose(page)
    return _lines(page, sel, bad)


# -- metadata ---------------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "techarticle", "scholarlyarticle", "report", "socialmediaposting",
     "liveblogposting", "reviewnewsarticle", "review", "posting", "discussionforumposting",
     "medicalwebpage", "howto", "recipe"}
)
_META_TITLE = ("og:title", "twitter:title", "dc.title", "citation_title", "title")
_META_DATE = (
    "article:published_time", "og:article:published_time", "datepublished", "date",
    "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued", "dc.date",
    "dcterms.date", "dcterms.created", "citation_publication_date", "citation_date",
    "sailthru.date", "parsely-pub-date", "article.published", "published_time",
)
_META_AUTHOR = (
    "author", "article:author", "dc.creator", "dcterms.creator", "citation_author",
    "parsely-author", "sailthru.author", "byl", "twitter:creator",
)
_META_SITE = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher")
_BY_RE = safe_compile(r"^\s*by\s+", regex.I)


def _clean(value: Any) -> str | None:
    if isinstance(value, str):
        s = " ".join(value.split())
        return s or None
    return None


def _ld_items(root: Any) -> list[dict[str, Any]]:
    """JSON-LD objects of the page, flattened over lists and ``@graph``."""
    out: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: absurdly nested JSON
            try:
                data = json.loads(raw.replace("\n", " ").rstrip(";"))
            except (ValueError, RecursionError):
                continue
        todo = [data]
        while todo and len(out) < 200:
            item = todo.pop()
            if isinstance(item, list):
                todo.extend(reversed(item))
            elif isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    todo.extend(reversed(graph))
    return out


def _ld_types(item: dict[str, Any]) -> set[str]:
    t = item.get("@type")
    types = t if isinstance(t, list) else [t]
    return {x.lower() for x in types if isinstance(x, str)}


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author value (string, object, or list of either)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for a in items[:20]:
        name = _clean(a.get("name")) if isinstance(a, dict) else _clean(a)
        if name and not name.startswith(("http://", "https://")) and name not in names:
            names.append(name)
    return names


def _meta_map(root: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop")
        value = _clean(m.get("content"))
        if key and value:
            out.setdefault(key.strip().lower(), value)
    return out


def page_metadata(root: Any) -> dict[str, Any]:
    """Title, date, authors and site as the page declares them.

    Trust order: JSON-LD Article-like objects, then ``<meta>``, then ``<title>`` and
    ``<time datetime>``. Only fields the page declares are returned.
    """
    meta: dict[str, Any] = {}
    items = _ld_items(root)
    article = next((i for i in items if _ld_types(i) & _ARTICLE_TYPES), None)
    if article is None:
        article = next((i for i in items if "headline" in i or "datePublished" in i), None)
    if article is not None:
        meta["title"] = _clean(article.get("headline")) or _clean(article.get("name"))
        meta["date"] = _clean(article.get("datePublished")) or _clean(
            article.get("dateCreated"))
        authors = _names(article.get("author"))
        if authors:
            meta["authors"] = authors
        pub = article.get("publisher")
        if isinstance(pub, dict):
            meta["site"] = _clean(pub.get("name"))
    if "site" not in meta or not meta["site"]:
        site_item = next((i for i in items if _ld_types(i) & {"website", "organization",
                                                             "newsmediaorganization"}), None)
        if site_item is not None:
            meta["site"] = _clean(site_item.get("name"))
    tags = _meta_map(root)

    def first(keys: tuple[str, ...]) -> str | None:
        for k in keys:
            v = tags.get(k)
            if v:
                return v
        return None

    if not meta.get("title"):
        meta["title"] = first(_META_TITLE)
        if not meta["title"]:
            t = root.find(".//title")
            meta["title"] = _clean("".join(t.itertext())) if t is not None else None
    if not meta.get("date"):
        meta["date"] = first(_META_DATE)
        if not meta["date"]:
            for t in root.iter("time"):
                dt = _clean(t.get("datetime"))
                if dt:
                    meta["date"] = dt
                    break
    if not meta.get("authors"):
        a = first(_META_AUTHOR)
        if a and not a.startswith(("http://", "https://", "@")):
            meta["authors"] = [_BY_RE.sub("", a)]
    if not meta.get("site"):
        site = first(_META_SITE)
        if site and not site.startswith(("http://", "https://")):
            meta["site"] = site
    return {k: v for k, v in meta.items() if v}


# -- entry point ------------------------------------------------------------------------


def _check_tree_depth(root: Any) -> None:
    """Raise :class:`cleaners.core.safety.HtmlTooDeep` when the parsed tree is deeper than the
    limit in force (iterative: any depth is measured without recursion)."""
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
    html = safety.without_surrogates(html)  # the parser cannot encode lone surrogates
    safety.check_html_source(html)  # absurd nesting is refused before the parser pays for it
    root = parse(html)
    if root is None:
        return "", {}
    _check_tree_depth(root)
    meta = page_metadata(root)
    return "\n".join(extract_lines(root)), meta
