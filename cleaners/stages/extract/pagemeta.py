"""Metadata the page declares: an lxml element tree in; title, date, authors and site out.

Sources, in order of trust: JSON-LD (Article types, ``@graph``), ``<meta>`` (og:, article:,
twitter:, name=author/date, Dublin Core, citation_), then ``<title>`` and
``<time datetime>``. Only fields the page declares are returned; nothing is guessed.
"""

from __future__ import annotations

import json
from typing import Any

import regex
from lxml import etree

from cleaners.core.safety import safe_compile

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


def _ld_items(root: etree._Element) -> list[dict[str, Any]]:
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


def _meta_map(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop")
        value = _clean(m.get("content"))
        if key and value:
            out.setdefault(key.strip().lower(), value)
    return out


def page_metadata(root: etree._Element) -> dict[str, Any]:
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
