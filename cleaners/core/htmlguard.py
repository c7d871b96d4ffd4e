"""HTML text or a parsed tree in, a page within the limits out (or a limit error).

Before the parser pays for a page, :func:`check_html_source` refuses absurd nesting and
:func:`check_html_attributes` too many attributes on one tag (``max_html_attributes``) or in
all (``max_html_attributes_total``); after it, :func:`check_tree_depth` checks the exact
depth (``max_html_depth``). :func:`without_surrogates` makes any string safe for parsers.
Nothing here imports a parser: :func:`check_tree_depth` takes any tree whose nodes have
``contents`` (beautifulsoup4).
"""

from __future__ import annotations

from typing import Any

import regex

from cleaners.core.limits import HtmlTooDeep, Limits, TooManyAttributes, current
from cleaners.core.safety import safe_compile

#: Elements that never have content (nothing to nest) and elements a parser closes by
#: itself when the next one starts (``<p>`` ``<p>``, ``<li>`` ``<li>``): neither adds depth.
_VOID_OR_IMPLIED = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
     "param", "source", "track", "wbr", "basefont", "bgsound", "frame", "image", "isindex",
     "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
     "colgroup", "rb", "rt", "rtc", "rp"}
)
#: Elements whose content is raw text for the parser (no tags inside).
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "noframes"})
#: How far down the open-element stack a close tag looks for its element (bounds the
#: scan's cost; a close tag for something deeper counts as stray, which only over-counts).
_CLOSE_WINDOW = 64
_TAG_RE = safe_compile(r"<(/?)([A-Za-z][A-Za-z0-9:._-]*)|<!--")
_RAW_CLOSE_RE = {name: safe_compile(rf"</{name}\b", regex.IGNORECASE) for name in _RAW_TEXT}


def estimate_html_depth(html: str, stop_above: int) -> int:
    """How deep the elements of ``html`` nest, estimated from its tags without parsing.

    Linear time, and it stops as soon as the estimate passes ``stop_above``. Close tags
    pop their element and any unclosed ones above it, as parsers do; stray close tags
    (nothing to close) are ignored, as parsers do; ``<x/>`` closes itself (as libxml2
    does). Comments and raw text (scripts, styles) are skipped.

    >>> estimate_html_depth("<div><p>a<p>b<span>c</div><br><div><svg><path d='M0'/></svg>", 100)
    2
    >>> estimate_html_depth("<div></span>" * 1000, 100)
    101
    """
    return _walk_tags(html, stop_above, 0)[0]


def _walk_tags(html: str, stop_above: int, long_tag: int) -> tuple[int, list[tuple[int, int]]]:
    """The walk behind :func:`estimate_html_depth`: the depth estimate, and the spans of the
    start tags whose attribute text has at least ``long_tag`` characters (0: none), so
    that one pass over the tags serves both the depth and the attribute limits."""
    stack: list[str] = []
    long_tags: list[tuple[int, int]] = []
    best = 0
    pos = 0
    n = len(html)
    lower_cache: dict[str, str] = {}
    while pos < n:
        m = _TAG_RE.search(html, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(2) is None:  # a comment
            end = html.find("-->", pos)
            pos = n if end < 0 else end + 3
            continue
        raw = m.group(2)
        name = lower_cache.get(raw)
        if name is None:
            name = lower_cache.setdefault(raw, raw.lower())
        gt = html.find(">", pos)  # the tag's end; its attributes are skipped, never rescanned
        if gt < 0:
            if 0 < long_tag <= n - pos and not m.group(1):
                long_tags.append((pos, n))
            break
        if 0 < long_tag <= gt - pos and not m.group(1):
            long_tags.append((pos, gt))
        self_closing = html[gt - 1] == "/"  # <path/> in SVG; libxml2 honours it everywhere
        pos = gt + 1
        if m.group(1):  # a close tag
            for i in range(len(stack) - 1, max(-1, len(stack) - 1 - _CLOSE_WINDOW), -1):
                if stack[i] == name:
                    del stack[i:]
                    break
            continue
        if self_closing:
            continue
        if name in _RAW_TEXT:
            found = _RAW_CLOSE_RE[name].search(html, pos)
            pos = n if found is None else found.end()
            continue
        if name in _VOID_OR_IMPLIED:
            continue
        stack.append(name)
        if len(stack) > best:
            best = len(stack)
            if best > stop_above:
                break
    return best, long_tags


def check_html_source(html: str, limits: Limits | None = None) -> None:
    """Raise :class:`HtmlTooDeep` before parsing when the tags of ``html`` clearly nest
    deeper than ``max_html_depth`` (the estimate may run somewhat high, so the test is
    against twice the limit; :func:`check_tree_depth` checks the exact depth after parsing),
    and :class:`TooManyAttributes` as :func:`check_html_attributes` does, from one walk.

    >>> check_html_source("<div>" * 100_000)
    Traceback (most recent call last):
    ...
    cleaners.core.limits.HtmlTooDeep: HTML nests elements more than 1024 levels deep (estimated before parsing); the limit is 512 (--max-html-depth)
    """
    lim = limits or current()
    limit, one = lim.max_html_depth, lim.max_html_attributes
    if not limit and not one:
        return
    stop = 2 * limit if limit else len(html) + 1
    depth, long_tags = _walk_tags(html, stop, 2 * one if one else 0)
    if limit and depth > 2 * limit:
        raise HtmlTooDeep(
            f"HTML nests elements more than {2 * limit} levels deep (estimated before "
            f"parsing); the limit is {limit} (--max-html-depth)"
        )
    check_html_attributes(html, lim, long_tags=long_tags)


#: One attribute of a start tag: its name (group 1), and optionally ``=`` and a value. An
#: unterminated quoted value runs to the tag's end (so it is read once, never rescanned).
_ATTRIBUTE_RE = safe_compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s"'>]*))?"""
)


#: The characters an attribute of a start tag follows (one each: their count bounds the total).
_ATTRIBUTE_SEPARATORS = " \t\n\r\f\"'/"


def _has_tag_as_long_as(html: str, chars: int) -> bool:
    """Whether ``html`` may hold a start tag of at least ``chars`` characters, told by
    C-speed splits (a ``False`` is certain; a ``True`` is checked by the tag walk).

    A start tag ends at its first ``>``, so it lies inside one run between two ``>``,
    from one of the run's ``<`` to the run's end: at most from the run's first ``<``.

    >>> _has_tag_as_long_as("<p class=a>" + "x" * 50 + "</p>", 20)
    False
    >>> _has_tag_as_long_as("<p " + "a " * 20 + ">", 20)
    True
    """
    runs = html.split(">")
    if max(map(len, runs)) < chars:
        return False
    for run in runs:
        if len(run) >= chars:
            start = run.find("<")
            if start >= 0 and len(run) - start >= chars:
                return True
    return False


def _distinct_names(html: str, start: int, end: int) -> int:
    """How many distinct attribute names the tag text ``html[start:end]`` holds."""
    return len({name.lower() for name in _ATTRIBUTE_RE.findall(html, start, end)})


def count_html_attributes(html: str, shortest: int = 0) -> tuple[int, int]:
    """The most attributes one start tag of ``html`` has, and all its tags' attributes
    together, counted from the tags without parsing. A repeated name counts once: the
    parser drops repeats cheaply (what grows with the square is distinct names).

    Linear time. Comments and raw text (scripts, styles) are skipped as in
    :func:`estimate_html_depth`; a tag ends at its first ``>``. Tags whose attribute text
    is shorter than ``shortest`` characters are not counted (they hold fewer attributes
    than that: each takes at least one character), which makes the scan cheap.

    >>> count_html_attributes("<div id=a class='b c' hidden><p>x</p><a href=/>y</a>")
    (3, 4)
    >>> count_html_attributes("<div " + "a=1 A=2 " * 5000 + ">x</div><!-- <p a b c> -->")
    (1, 1)
    """
    most = total = 0
    for start, end in _walk_tags(html, len(html) + 1, max(shortest, 1))[1]:
        count = _distinct_names(html, start, end)
        total += count
        most = max(most, count)
    return most, total


def check_html_attributes(
    html: str, limits: Limits | None = None, *, long_tags: list[tuple[int, int]] | None = None
) -> None:
    """Raise :class:`TooManyAttributes` before parsing when one tag of ``html`` has more
    than ``max_html_attributes`` attributes, or all its tags more than
    ``max_html_attributes_total`` together (libxml2's parse time grows with the square
    of one element's attributes: 40,000 take about 18 s).

    >>> from cleaners.core.limits import using
    >>> with using(Limits(max_html_attributes=2)):
    ...     check_html_attributes("<div a b c>x</div>")
    Traceback (most recent call last):
    ...
    cleaners.core.limits.TooManyAttributes: an HTML tag has 3 attributes, above the limit of 2 per tag (--max-html-attributes)
    """
    lim = limits or current()
    one, every = lim.max_html_attributes, lim.max_html_attributes_total
    # Bounds first: each attribute follows white space, a quote or "/" (their count bounds
    # the total) and takes two characters of its tag; the long tags come from the caller's
    # tag walk (check_html_source) or are bounded by :func:`_has_tag_as_long_as`.
    in_all = bool(every) and len(html) >= every and sum(
        html.count(c) for c in _ATTRIBUTE_SEPARATORS) >= every
    if long_tags is not None and not in_all:  # the tag walk found every long tag
        for start, end in long_tags:
            count = _distinct_names(html, start, end)
            if one and count > one:
                raise _too_many_in_one_tag(count, one)
        return
    per_tag = bool(one) and _has_tag_as_long_as(html, 2 * one)
    if not (per_tag or in_all):
        return
    # a page of fewer characters than the total limit cannot pass it: count long tags only
    count_all = every and len(html) > every
    most, total = count_html_attributes(html, 0 if count_all else one)
    if one and most > one:
        raise _too_many_in_one_tag(most, one)
    if every and total > every:
        raise TooManyAttributes(
            f"the HTML tags have {total} attributes in all, above the limit of {every} "
            f"(--max-html-attributes-total)"
        )


def _too_many_in_one_tag(count: int, one: int) -> TooManyAttributes:
    return TooManyAttributes(
        f"an HTML tag has {count} attributes, above the limit of {one} per tag "
        f"(--max-html-attributes)"
    )


def check_tree_depth(root: Any, limits: Limits | None = None) -> int:
    """Return the element depth of a parsed tree; raise :class:`HtmlTooDeep` above the limit.

    Iterative: any depth is measured without recursion.

    >>> from bs4 import BeautifulSoup
    >>> check_tree_depth(BeautifulSoup("<div><div><b>x</b></div></div>", "lxml"))
    5
    """
    limit = (limits or current()).max_html_depth
    deepest = 0
    stack: list[tuple[Iterable[Any], int]] = [(getattr(root, "contents", ()), 1)]
    while stack:
        children, depth = stack.pop()
        for child in children:
            contents = getattr(child, "contents", None)
            if contents is None:
                continue
            if depth > deepest:
                deepest = depth
                if limit and deepest > limit:
                    raise HtmlTooDeep(
                        f"HTML nests elements more than {limit} levels deep; the limit is "
                        f"{limit} (--max-html-depth)"
                    )
            if contents:
                stack.append((contents, depth + 1))
    return deepest


_SURROGATE_RE = safe_compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with surrogate pairs joined and lone surrogates replaced by U+FFFD.

    A Python string can hold surrogate code points (decoded bytes never do, but a library
    caller's text may); parsers that encode to UTF-8 refuse them.

    >>> without_surrogates("a\\ud83d\\ude00b\\udc80") == "a\\U0001f600b\\ufffd"
    True
    """
    if text.isascii() or not _SURROGATE_RE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
