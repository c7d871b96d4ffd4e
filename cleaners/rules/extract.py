"""Cue tables for HTML extraction: which tags, roles and class/id words mark page chrome.

Enters: nothing at run time. Leaves: :data:`CUE_TABLE` (one :class:`~cleaners.rules.Entry`
a concept, its ``words``, ``role`` and compiled pattern) and :data:`ROLE_CUES`, which
:mod:`cleaners.stages.extract` applies. Each cue entry groups the words of one
concept (navigation, comments, share buttons...) as a token tuple, like trafilatura's
``xpaths.py`` groups its ``contains(@class, ...)`` tests, but matched on *words* of the
class/id string: ``"post-footer"``, ``"site_nav"`` and ``"relatedPosts"`` are split into
words first (:func:`cue_words`), so ``nav`` matches ``main-nav`` but not ``canvas``.
A word may carry a plural ``s``/``es`` and trailing digits (``comments2``).

Cues are evidence, not verdicts: the extractor keeps an element with a boilerplate cue when
it holds most of the page's prose (a wrapper called ``content-with-sidebar``).
"""

from __future__ import annotations

from types import MappingProxyType

import regex

from cleaners.core.safety import safe_compile
from cleaners.rules import Entry, Role, alt

_CUE_WORDS_RE = safe_compile(r"[a-z0-9]+(?: [a-z0-9]+)*")

def word_alternation(words: tuple[str, ...]) -> str:
    """Return a regex matching any of ``words`` as whole words of a cue string.

    An entry is one word or several separated by single spaces (``"sr only"``). Refuses an
    empty tuple and empty or non-word entries: an empty alternative would match every
    element of every page.

    >>> bool(regex.search(word_alternation(("nav", "menu")), "main nav bar"))
    True
    >>> bool(regex.search(word_alternation(("nav",)), "canvas"))
    False
    >>> word_alternation(("nav", ""))
    Traceback (most recent call last):
    ...
    ValueError: empty or non-word alternative in ('nav', '')
    """
    if not words or any(not _CUE_WORDS_RE.fullmatch(w) for w in words):
        raise ValueError(f"empty or non-word alternative in {words!r}")
    return rf"(?<![a-z]){alt(*words, escape=False)}(?:e?s)?[0-9]*(?![a-z])"


_CAMEL_RE = safe_compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD_RE = safe_compile(r"[^a-z0-9]+")


#: Taxonomy classes CMSs put on the article itself (WordPress ``post_class()``:
#: ``tag-social-media``, ``category-share-news``, ``author-jane``): a slug, not a role.
_TAXONOMY_CLASS_RE = safe_compile(
    r"""(?<!\S)
        (?:tag|tags|category|categories|author|topic|term)
        [-_]\S+            # the slug after the taxonomy prefix
    """,
    regex.X | regex.I,
)


def cue_words(raw: str) -> str:
    """Lower-case a class/id string with its words separated by single spaces.

    Taxonomy classes (``tag-social-media``) are left out: their words name a topic.

    >>> cue_words("relatedPosts site_nav  post-footer")
    'related posts site nav post footer'
    >>> cue_words("entry tag-share-economy author-jane")
    'entry'
    """
    if "-" in raw or "_" in raw:
        raw = _TAXONOMY_CLASS_RE.sub(" ", raw)
    if not raw.islower():
        raw = _CAMEL_RE.sub(" ", raw).lower()
    return _NON_WORD_RE.sub(" ", raw).strip()


def cue(
    cue_id: str,
    role: Role,
    words: tuple[str, ...],
    matches: tuple[str, ...],
    leaves_alone: tuple[str, ...],
    description: str,
) -> Entry:
    """One concept of class/id words as a table entry; its examples are raw class strings.

    >>> e = cue("extract.cue_navigation", "boilerplate", ("nav",), ("main-nav",), ("canvas",), "Menus.")
    >>> bool(e.hit("main-nav")), bool(e.hit("canvas")), e.role
    (True, False, 'boilerplate')
    """
    return Entry(
        id=cue_id,
        regex=safe_compile(word_alternation(words)),
        description=description,
        matches=matches,
        leaves_alone=leaves_alone,
        kind="search",
        words=words,
        role=role,
        prepare=cue_words,
    )


#: Class/id words, grouped by concept. Order matters only for reporting (first match wins).
CUE_TABLE: tuple[Entry, ...] = (
    cue(
        "extract.cue_navigation",
        "boilerplate",
        ("nav", "navbar", "navigation", "menu", "menubar", "submenu", "megamenu", "breadcrumb",
         "breadcrumbs", "pagination", "pager", "skip", "topbar", "toolbar", "tabbar", "subnav",
         "jump", "prev", "previous", "postnav", "pagenav"),
        ("main-nav", "site_navigation", "breadcrumbs", "menuItem", "post-pagination"),
        ("canvas", "article-body", "navy-theme"),
        "Menus, breadcrumbs, pagers and skip links (readability's unlikelyCandidates).",
    ),
    cue(
        "extract.cue_page_chrome",
        "boilerplate",
        ("footer", "sidebar", "masthead", "sitemap", "copyright", "colophon", "aside", "rail",
         "offcanvas", "drawer", "login", "signin", "search", "searchform"),
        ("site-footer", "sidebar-left", "rightRail", "copyright"),
        ("entry-content", "footnote", "researcher"),
        "Site chrome around the article: footers, sidebars, widgets, rails, search and login.",
    ),
    cue(
        "extract.cue_comments",
        "comments",
        ("comment", "commentlist", "disqus", "respond", "discussion"),
        ("comments-area", "commentList", "disqus_thread", "comment-respond"),
        ("commentary-text", "correspondent"),
        "Reader comments and reply forms (trafilatura's COMMENTS_XPATH covers the same).",
    ),
    cue(
        "extract.cue_related",
        "boilerplate",
        ("related", "recommended", "recommendations", "recirculation", "recirc", "trending",
         "popular", "outbrain", "taboola", "upnext", "up next", "relatedposts"),
        ("related-posts", "relatedArticles", "OUTBRAIN", "most-popular"),
        ("relation", "moreover", "article"),
        "Lists of other articles: related, recommended, trending, read-more blocks.",
    ),
    cue(
        "extract.cue_share",
        "boilerplate",
        ("share", "sharing", "sharethis", "addthis", "sharedaddy", "social", "tweet", "facebook",
         "twitter", "linkedin", "whatsapp", "pinterest"),
        ("share-buttons", "social-links", "addthis_toolbox", "post-sharing"),
        ("shareholder-letter", "socialism", "blueprint"),
        "Share and follow buttons, social links.",
    ),
    cue(
        "extract.cue_consent",
        "boilerplate",
        ("cookie", "cookies", "consent", "gdpr", "cmp", "onetrust", "privacy"),
        ("cookie-banner", "CookieConsent", "onetrust-banner-sdk", "gdpr-notice"),
        ("cookbook", "content"),
        "Cookie and consent banners.",
    ),
    cue(
        "extract.cue_promo",
        "boilerplate",
        ("newsletter", "subscribe", "subscription", "signup", "promo", "promotion", "advert",
         "advertisement", "ads", "adsense", "adslot", "ad slot", "ad container", "dfp",
         "sponsor", "sponsored", "popup", "modal", "paywall", "donate"),
        ("newsletter-signup", "ad-slot", "AdContainer", "sponsored-content", "modal-dialog"),
        ("add-to-list", "adjective", "shadow", "headline"),
        "Newsletter boxes, ads, promos, pop-ups and calls to action.",
    ),
    cue(
        "extract.cue_article_meta",
        "boilerplate",
        ("byline", "author", "bio", "dateline", "timestamp", "tagcloud", "ticker", "toc"),
        ("byline", "post-author", "author", "article__timestamp"),
        ("metaphor", "authority"),
        "Bylines, datelines, tag lists and author boxes next to the text; the metadata they "
        "carry is lifted from <meta> and JSON-LD instead.",
    ),
    cue(
        "extract.cue_content",
        "content",
        ("article", "articlebody", "content", "entry", "main", "post", "story", "body",
         "text", "blog", "prose", "page", "hentry", "markdown", "rte", "richtext"),
        ("entry-content", "articleBody", "post_body", "story-text", "main"),
        ("sidebar-widget", "navigation"),
        "Words that name the article's container (readability's positive candidates).",
    ),
    cue(
        "extract.cue_hidden",
        "hidden",
        ("sr only", "visually hidden", "visuallyhidden", "screen reader", "offscreen"),
        ("sr-only", "visually-hidden", "screen-reader-text"),
        ("shadow", "reveal", "is-hidden"),
        "Text only screen readers get: not on the page a reader sees.",
    ),
)

#: ARIA landmark roles that mark page chrome or the content.
ROLE_CUES: MappingProxyType[str, Role] = MappingProxyType({
    "navigation": "boilerplate", "banner": "boilerplate", "contentinfo": "boilerplate",
    "complementary": "boilerplate", "search": "boilerplate", "menu": "boilerplate",
    "menubar": "boilerplate", "dialog": "boilerplate", "alertdialog": "boilerplate",
    "toolbar": "boilerplate",
    "main": "content", "article": "content",
})
