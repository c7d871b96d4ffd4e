"""Regions and main content: a :class:`~cleaners.stages.extract.walk.Page` in; the index of
the element holding the main content and the per-element "dropped" flags out.

1. **Regions** (:func:`mark_dropped`). Page chrome (nav, header, footer, aside, form,
   dialog, boilerplate or hidden cues, link-dense lists) is dropped, unless it holds most of
   the page's prose: a ``<form>`` wrapping a whole ASP.NET page, or
   ``class="content-with-sidebar"``.
2. **Main content** (:func:`best_element`). Every element is a candidate; the one kept is
   the one whose lines would best match the page's prose, estimated as
   ``2 * prose(el) / (text(el) + prose(page))`` (an F1 of the element's prose against all
   prose on the page), with a small bonus for ``<article>``, ``<main>`` and content cues.

When the class/id cues would drop nearly all of the page's prose (a wrapper called
``noRightRail`` around the article), :func:`choose_content` chooses again without them.
"""

from __future__ import annotations

from cleaners.stages.extract.elements import (
    CHROME_TAGS,
    CUE_CHROME,
    CUE_COMMENTS,
    CUE_CONTENT,
    CUE_HIDDEN,
    CUE_NOSCRIPT,
    LINK_LIST_TAGS,
)
from cleaners.stages.extract.walk import Page

#: A region with chrome cues is kept when it holds at least this share of the page's prose.
PROTECT_SHARE_DEFAULT = 0.6
#: A subtree whose text is more than this share link text, with little prose, is dropped.
LINK_DENSITY_DEFAULT = 0.5
#: ... unless it holds at least this share of the page's prose (then only its link-dense
#: parts are dropped, one level down).
LINKY_PROSE_SHARE_DEFAULT = 0.1
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


def choose_content(page: Page, *, cues: bool = True) -> tuple[int, list[bool]]:
    """Drop chrome regions, then pick the element that holds the main content.

    >>> from cleaners.stages.extract.parse import parse
    >>> from cleaners.stages.extract.walk import walk_page
    >>> page = walk_page(parse("<nav><a href=/>Home</a></nav><article><p>"
    ...                        + "A sentence of the article, long enough to be prose. " * 2
    ...                        + "</p></article>"))
    >>> sel, dropped = choose_content(page)
    >>> page.tags[sel], [t for t, d in zip(page.tags, dropped) if d]
    ('article', ['nav', 'a'])
    """
    dropped, expected = mark_dropped(page, cues=cues)
    own_prose = _own_prose(page)
    if cues and page.prose and page.prose[0]:
        kept_prose = sum(p for p, d in zip(own_prose, dropped) if not d)
        if kept_prose < MIN_KEPT_PROSE_SHARE_DEFAULT * expected:
            return choose_content(page, cues=False)
    return best_element(page, dropped, own_prose), dropped


def mark_dropped(page: Page, *, cues: bool = True) -> tuple[list[bool], int]:
    """The elements dropped as page chrome, and the prose the page is expected to keep
    (all of it but the comments and ``<noscript>`` dropped as chrome)."""
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
        if cue[i] == CUE_COMMENTS:
            comment_prose += prose[i]
            i = end[i]
        elif cue[i] == CUE_NOSCRIPT:
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
        reason = ((c == CUE_CHROME and cues) or tag in CHROME_TAGS
                  or (c == CUE_HIDDEN and prose[i] < HIDDEN_PROSE_SHARE_DEFAULT * chars[i])
                  or (c == CUE_COMMENTS and comments_are_chrome)
                  or (c == CUE_NOSCRIPT and noscript_is_chrome))
        if not reason and tag in LINK_LIST_TAGS and links[i] > LINK_DENSITY_DEFAULT * chars[i]:
            reason = prose[i] < LINKY_PROSE_SHARE_DEFAULT * total_prose
        if reason and tag not in ("html", "body") and (prose[i] < protect or total_prose == 0):
            bad[i] = True
    expected = total_prose - (comment_prose if comments_are_chrome else 0) - (
        noscript_prose if noscript_is_chrome else 0)
    return bad, expected


def _own_prose(page: Page) -> list[int]:
    """Prose of each element's own line: its subtree's prose minus its children's."""
    parent, prose = page.parent, page.prose
    n = len(prose)
    child_prose = [0] * n
    for i in range(n - 1, -1, -1):
        p = parent[i]
        if p >= 0:
            child_prose[p] += prose[i]
    return [prose[i] - child_prose[i] for i in range(n)]


def best_element(page: Page, bad: list[bool], own_prose: list[int]) -> int:
    """The kept element whose text best matches the page's prose (see the module docstring)."""
    tags, parent, cue, own_chars = page.tags, page.parent, page.cue, page.own_chars
    n = len(tags)
    good = [0.0] * n  # prose of each subtree without the dropped regions
    kept = [0.0] * n  # text of each subtree without the dropped regions
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
    total_good = good[0] if n else 0.0
    best, best_score = 0, -1.0
    if total_good > 0:
        for i in range(n):
            if bad[i] or good[i] <= 0:
                continue
            score = 2.0 * good[i] / (kept[i] + total_good)
            score *= 1.0 + PARAGRAPH_PARENT_BONUS_DEFAULT * (direct[i] + own_prose[i]) / good[i]
            if cue[i] == CUE_CONTENT or tags[i] in ("article", "main"):
                score *= CONTENT_CUE_BONUS_DEFAULT
            if score > best_score:
                best, best_score = i, score
    return best
