"""Patterns and parsed pages in, bounded work out: the regex wrapper and the HTML guards.

* :func:`safe_compile` is the only way ``cleaners/`` compiles a regular expression: its
  methods pass the ``regex`` module's ``timeout=`` on every call, so a pattern that
  backtracks badly on some input raises :class:`RegexTimeout` (the runner records the
  document as failed) instead of hanging the run. A test walks every module under
  ``cleaners/`` and refuses ``regex.compile(`` or ``re.compile(`` anywhere else.
* :func:`check_html_source` and :func:`check_tree_depth` keep a page within
  ``max_html_depth``, :func:`check_html_attributes` within ``max_html_attributes`` and
  ``max_html_attributes_total``; :func:`without_surrogates` makes any string safe for parsers.

Enters: a pattern (and at each call, the limits in force); HTML text or a parsed tree.
Leaves: :class:`SafePattern` / :class:`LinearPattern` objects, or a
:class:`~cleaners.core.limits.LimitExceeded` error. The limits themselves (:class:`Limits`,
:func:`using`, :func:`current`, the errors and the counting checks) live in
:mod:`cleaners.core.limits` and are re-exported here, so ``from cleaners.core.safety
import Limits, using`` keeps working. Nothing here imports a parser:
:func:`check_tree_depth` takes any tree whose nodes have ``contents`` (beautifulsoup4).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import regex

from cleaners.core.limits import (
    CURRENT_LIMITS,
    DEFAULT_LIMITS,
    MAX_BYTES_DEFAULT,
    MAX_EDITS_DEFAULT,
    MAX_HTML_ATTRIBUTES_DEFAULT,
    MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT,
    MAX_HTML_DEPTH_DEFAULT,
    MAX_LINE_CHARS_DEFAULT,
    REGEX_TIMEOUT_DEFAULT,
    REGEX_TIMEOUT_PER_MB_DEFAULT,
    FileTooLarge,
    HtmlTooDeep,
    LimitExceeded,
    Limits,
    LineTooLong,
    TooManyAttributes,
    TooManyEdits,
    bounded_changes,
    check_file_size,
    check_line_length,
    current,
    longest_line,
    using,
)

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_BYTES_DEFAULT",
    "MAX_EDITS_DEFAULT",
    "MAX_HTML_ATTRIBUTES_DEFAULT",
    "MAX_HTML_ATTRIBUTES_TOTAL_DEFAULT",
    "MAX_HTML_DEPTH_DEFAULT",
    "MAX_LINE_CHARS_DEFAULT",
    "REGEX_TIMEOUT_DEFAULT",
    "REGEX_TIMEOUT_PER_MB_DEFAULT",
    "FileTooLarge",
    "HtmlTooDeep",
    "LimitExceeded",
    "Limits",
    "LineTooLong",
    "LinearPattern",
    "RegexTimeout",
    "SafePattern",
    "TooManyAttributes",
    "TooManyEdits",
    "bounded_changes",
    "check_file_size",
    "check_html_attributes",
    "check_html_source",
    "check_line_length",
    "check_tree_depth",
    "count_html_attributes",
    "current",
    "estimate_html_depth",
    "longest_line",
    "safe_compile",
    "using",
    "without_surrogates",
]


class RegexTimeout(TimeoutError):
    """A regular expression ran longer than its timeout (see :meth:`Limits.regex_seconds`)."""


# -- regular expressions ---------------------------------------------------------------


def _timed(attr: str) -> Callable[..., Any]:
    """A matching method that calls the compiled pattern's ``attr`` with its timeout worked
    out inline (the explicit one, the pattern's own, else :meth:`Limits.regex_seconds` of the
    limits in force: the same arithmetic, one frame less per match on the hot path)."""
    get = operator.attrgetter(attr)

    def method(self: SafePattern, string: Any, *args: Any, timeout: float | None = None,
               **kw: Any) -> Any:  # fmt: skip
        if timeout is None:
            timeout = self._timeout
            if timeout is None:
                lim = CURRENT_LIMITS.get()
                if lim.regex_timeout > 0:
                    timeout = lim.regex_timeout + lim.regex_timeout_per_mb * len(string) / 1e6
        try:
            return get(self)(string, *args, timeout=timeout, **kw)
        except TimeoutError as exc:
            raise _timeout_error(self._p, string, timeout) from exc

    method.__name__ = attr.lstrip("_")
    method.__qualname__ = f"SafePattern.{method.__name__}"
    return method


def _timeout_error(pattern: Any, string: Any, seconds: float | None) -> RegexTimeout:
    shown = pattern.pattern if isinstance(pattern.pattern, str) else repr(pattern.pattern)
    shown = " ".join(str(shown).split())
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return RegexTimeout(
        f"regex {shown!r} took more than {seconds or 0:.3g} s on {len(string):,} characters "
        f"(raise Limits.regex_timeout / --regex-timeout, or report the pattern)"
    )


class SafePattern:
    """A compiled ``regex`` pattern whose matching methods always pass ``timeout=``.

    Drop-in for the pattern object: the same methods and arguments (``pos``, ``endpos``,
    ``count``, ``flags``…); an explicit ``timeout=`` wins over the limits.

    Each method works out its timeout inline (the pattern's own, else
    :meth:`Limits.regex_seconds` of the limits in force, same arithmetic) and calls the
    compiled pattern's bound method directly: the rules make thousands of calls per page,
    so the wrapper costs one Python frame, not four.

    >>> p = safe_compile(r"(?P<word>\\w+)")
    >>> [m["word"] for m in p.finditer("two words")], p.sub("x", "a b"), p.groups
    (['two', 'words'], 'x x', 1)
    """

    __slots__ = ("_p", "_timeout", "_search", "_match", "_fullmatch", "_findall", "_finditer",
                 "_split", "_splititer", "_sub", "_subn", "_subf", "_subfn")  # fmt: skip

    def __init__(self, compiled: Any, timeout: float | None = None) -> None:
        self._p = compiled
        self._timeout = timeout
        self._search = compiled.search
        self._match = compiled.match
        self._fullmatch = compiled.fullmatch
        self._findall = compiled.findall
        self._finditer = compiled.finditer
        self._split = compiled.split
        self._splititer = getattr(compiled, "splititer", None)  # regex only (not re)
        self._sub = compiled.sub
        self._subn = compiled.subn
        self._subf = getattr(compiled, "subf", None)
        self._subfn = getattr(compiled, "subfn", None)

    def _seconds(self, string: Any, timeout: float | None) -> float | None:
        """The timeout of one call on ``string`` (what every method computes inline)."""
        if timeout is not None:
            return timeout
        if self._timeout is not None:
            return self._timeout
        return CURRENT_LIMITS.get().regex_seconds(len(string))

    search = _timed("_search")
    match = _timed("_match")
    fullmatch = _timed("_fullmatch")
    findall = _timed("_findall")

    def split(self, string: Any, *args: Any, **kw: Any) -> list[Any]:
        return self._call(self._split, string, args, kw)

    def finditer(self, string: Any, *args: Any, **kw: Any) -> Iterator[Any]:
        return self._iter(self._finditer, string, args, kw)

    def splititer(self, string: Any, *args: Any, **kw: Any) -> Iterator[Any]:
        return self._iter(self._splititer, string, args, kw)

    def sub(self, repl: Any, string: Any, *args: Any, **kw: Any) -> Any:
        return self._call_repl(self._sub, repl, string, args, kw)

    def subn(self, repl: Any, string: Any, *args: Any, **kw: Any) -> Any:
        return self._call_repl(self._subn, repl, string, args, kw)

    def subf(self, fmt: Any, string: Any, *args: Any, **kw: Any) -> Any:
        return self._call_repl(self._subf, fmt, string, args, kw)

    def subfn(self, fmt: Any, string: Any, *args: Any, **kw: Any) -> Any:
        return self._call_repl(self._subfn, fmt, string, args, kw)

    def _call(self, method: Any, string: Any, args: tuple, kw: dict) -> Any:
        seconds = self._seconds(string, kw.pop("timeout", None))
        try:
            return method(string, *args, timeout=seconds, **kw)
        except TimeoutError as exc:
            raise _timeout_error(self._p, string, seconds) from exc

    def _iter(self, method: Any, string: Any, args: tuple, kw: dict) -> Iterator[Any]:
        seconds = self._seconds(string, kw.pop("timeout", None))
        it = method(string, *args, timeout=seconds, **kw)
        return self._guard(it, string, seconds)

    def _guard(self, it: Iterator[Any], string: Any, seconds: float | None) -> Iterator[Any]:
        try:
            yield from it
        except TimeoutError as exc:
            raise _timeout_error(self._p, string, seconds) from exc

    def _call_repl(self, method: Any, repl: Any, string: Any, args: tuple, kw: dict) -> Any:
        seconds = self._seconds(string, kw.pop("timeout", None))
        try:
            return method(repl, string, *args, timeout=seconds, **kw)
        except TimeoutError as exc:
            raise _timeout_error(self._p, string, seconds) from exc

    # Read-only attributes of the compiled pattern: pattern, flags, groups, groupindex...
    def __getattr__(self, name: str) -> Any:
        if name in ("pattern", "flags", "groups", "groupindex", "named_lists"):
            return getattr(self._p, name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"safe_compile({self._p.pattern!r}, {self._p.flags!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SafePattern) and (self._p, self._timeout) == (
            other._p,
            other._timeout,
        )

    def __hash__(self) -> int:
        return hash(self._p)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._p, self._timeout))


def _rebuild(compiled: Any, timeout: float | None) -> SafePattern:
    return SafePattern(compiled, timeout)


class LinearPattern(SafePattern):
    """A :class:`SafePattern` whose pattern is linear by construction: its matching
    methods pass no timeout unless the caller gives one.

    The ``regex`` module's timeout is not free: it reads the clock as it matches, which
    makes a scan of a whole page about three times slower (``[a-z]+|[0-9]+`` over the bench
    pages: 1.6 ms a page with a timeout, 0.5 ms without). Patterns that every page is
    scanned with, and that cannot backtrack (each quantifier over a single character class,
    alternatives that start with disjoint classes: ``[a-z]+(?:'[a-z]+)?|[0-9]+``), are
    compiled with ``safe_compile(..., linear=True)`` and skip it. They stay covered by
    the growth tests (tests/core/test_failure_regex.py), which time every pattern of
    ``cleaners`` at n and 4n on adversarial text; a pattern marked linear must live in a
    module those tests check unanchored.

    >>> p = safe_compile(r"[a-z]+|[0-9]+", linear=True)
    >>> p.findall("abc 12"), type(p).__name__
    (['abc', '12'], 'LinearPattern')
    """

    __slots__ = ()

    def search(self, string: Any, *args: Any, **kw: Any) -> Any:
        return self._search(string, *args, **kw)

    def match(self, string: Any, *args: Any, **kw: Any) -> Any:
        return self._match(string, *args, **kw)

    def fullmatch(self, string: Any, *args: Any, **kw: Any) -> Any:
        return self._fullmatch(string, *args, **kw)

    def findall(self, string: Any, *args: Any, **kw: Any) -> list[Any]:
        return self._findall(string, *args, **kw)

    def finditer(self, string: Any, *args: Any, **kw: Any) -> Iterator[Any]:
        return self._finditer(string, *args, **kw)

    def split(self, string: Any, *args: Any, **kw: Any) -> list[Any]:
        return self._split(string, *args, **kw)

    def sub(self, repl: Any, string: Any, *args: Any, **kw: Any) -> Any:
        return self._sub(repl, string, *args, **kw)

    def subn(self, repl: Any, string: Any, *args: Any, **kw: Any) -> Any:
        return self._subn(repl, string, *args, **kw)

    def __repr__(self) -> str:
        return f"safe_compile({self._p.pattern!r}, {self._p.flags!r}, linear=True)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_linear, (self._p,))


def _rebuild_linear(compiled: Any) -> LinearPattern:
    return LinearPattern(compiled, None)


def _engine_neutral(pattern: str, flags: int) -> None:
    r"""Raise ``ValueError`` unless ``pattern`` means the same to ``re`` as to ``regex``:
    literals, explicit character ranges, groups, alternation and greedy or lazy
    quantifiers; no flags. (Escaped backslashes are taken out first.)

    >>> _engine_neutral(r"[a-z]+|[0-9]+", 0)
    >>> _engine_neutral(r"\w+", 0)
    Traceback (most recent call last):
    ...
    ValueError: engine='re' needs a pattern that means the same in re and regex: '\\w+'
    """
    plain = pattern.replace("\\\\", "")
    if flags or _ENGINE_SPECIFIC_RE.search(plain):
        raise ValueError(
            f"engine='re' needs a pattern that means the same in re and regex: {pattern!r}"
        )


def safe_compile(
    pattern: Any,
    flags: int = 0,
    *,
    timeout: float | None = None,
    linear: bool = False,
    engine: str = "regex",
) -> SafePattern:
    """``regex.compile`` whose pattern object passes ``timeout=`` on every call.

    ``timeout=None`` (default) takes the time from the limits in force
    (:meth:`Limits.regex_seconds`), read at each call. ``linear=True``: the pattern cannot
    backtrack, so calls pass no timeout (:class:`LinearPattern`; an explicit ``timeout=``
    on a call still applies).

    ``engine="re"`` (linear patterns only): compile with the standard library's ``re``,
    for patterns that mean the same in both engines (:func:`_engine_neutral`: literals and
    explicit ranges, no ``\\w``/``\\d``/``\\s``/``\\b``/``\\p{}``, no flags). On a large
    character class ``re`` scans many times faster: ftfy's trigger class over the bench
    pages took 0.13 ms a page with ``re`` and 1.97 ms with ``regex``.

    >>> p = safe_compile(r"(a|aa)+$", timeout=0.01)
    >>> p.search("a" * 30 + "b")
    Traceback (most recent call last):
    ...
    cleaners.core.safety.RegexTimeout: regex '(a|aa)+$' took more than 0.01 s on 31 characters (raise Limits.regex_timeout / --regex-timeout, or report the pattern)
    """
    if engine not in ("regex", "re"):
        raise ValueError(f"engine must be 'regex' or 're', not {engine!r}")
    if linear:
        if timeout is not None:
            raise ValueError("a linear pattern takes no timeout")
        if engine == "re":
            _engine_neutral(pattern, flags)
            return LinearPattern(re.compile(pattern, flags), None)
        return LinearPattern(regex.compile(pattern, flags), None)
    if engine == "re":
        raise ValueError("engine='re' is for linear patterns only (re has no timeout)")
    return SafePattern(regex.compile(pattern, flags), timeout)


#: Escapes whose meaning differs between ``re`` and ``regex`` (Unicode classes, word
#: boundaries, properties) or that only ``regex`` knows, and group syntax other than
#: ``(?:``, lookahead and lookbehind (inline flags, named groups, atomic groups...).
_ENGINE_SPECIFIC_RE = safe_compile(
    r"\\[wWdDsSbBpPNXRGKLhHvVmMZA]|\(\?(?![:=!]|<[=!])|\[\[:|\{[^}]*[^\d,}][^}]*\}"
)


# -- HTML and text guards ----------------------------------------------------------------


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
    stack: list[str] = []
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
            break
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
    return best


def check_html_source(html: str, limits: Limits | None = None) -> None:
    """Raise :class:`HtmlTooDeep` before parsing when the tags of ``html`` clearly nest
    deeper than ``max_html_depth`` (the estimate may run somewhat high, so the test is
    against twice the limit; :func:`check_tree_depth` checks the exact depth after parsing).

    >>> check_html_source("<div>" * 100_000)
    Traceback (most recent call last):
    ...
    cleaners.core.limits.HtmlTooDeep: HTML nests elements more than 1024 levels deep (estimated before parsing); the limit is 512 (--max-html-depth)
    """
    limit = (limits or current()).max_html_depth
    if not limit:
        return
    if estimate_html_depth(html, 2 * limit) > 2 * limit:
        raise HtmlTooDeep(
            f"HTML nests elements more than {2 * limit} levels deep (estimated before "
            f"parsing); the limit is {limit} (--max-html-depth)"
        )


#: One attribute of a start tag: its name (group 1), and optionally ``=`` and a value. An
#: unterminated quoted value runs to the tag's end (so it is read once, never rescanned).
_ATTRIBUTE_RE = safe_compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s"'>]*))?"""
)


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
    pos = 0
    n = len(html)
    while pos < n:
        m = _TAG_RE.search(html, pos)
        if m is None:
            break
        pos = m.end()
        if m.group(2) is None:  # a comment
            end = html.find("-->", pos)
            pos = n if end < 0 else end + 3
            continue
        gt = html.find(">", pos)
        end = n if gt < 0 else gt
        if not m.group(1) and end - pos >= max(shortest, 1):
            count = len({name.lower() for name in _ATTRIBUTE_RE.findall(html, pos, end)})
            total += count
            if count > most:
                most = count
        pos = end + 1
        if not m.group(1):
            name = m.group(2).lower()
            if name in _RAW_TEXT and html[end - 1 : end] != "/":
                found = _RAW_CLOSE_RE[name].search(html, pos)
                pos = n if found is None else found.end()
    return most, total


def check_html_attributes(html: str, limits: Limits | None = None) -> None:
    """Raise :class:`TooManyAttributes` before parsing when one tag of ``html`` has more
    than ``max_html_attributes`` attributes, or all its tags more than
    ``max_html_attributes_total`` together (libxml2's parse time grows with the square
    of one element's attributes: 40,000 take about 18 s).

    >>> with using(Limits(max_html_attributes=2)):
    ...     check_html_attributes("<div a b c>x</div>")
    Traceback (most recent call last):
    ...
    cleaners.core.limits.TooManyAttributes: an HTML tag has 3 attributes, above the limit of 2 per tag (--max-html-attributes)
    """
    lim = limits or current()
    one, every = lim.max_html_attributes, lim.max_html_attributes_total
    if not one and not every:
        return
    # a page of fewer characters than the total limit cannot pass it: count long tags only
    count_all = every and len(html) > every
    most, total = count_html_attributes(html, 0 if count_all else one)
    if one and most > one:
        raise TooManyAttributes(
            f"an HTML tag has {most} attributes, above the limit of {one} per tag "
            f"(--max-html-attributes)"
        )
    if every and total > every:
        raise TooManyAttributes(
            f"the HTML tags have {total} attributes in all, above the limit of {every} "
            f"(--max-html-attributes-total)"
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
