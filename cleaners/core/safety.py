"""Patterns in, bounded work out: the regex wrapper every module compiles through.

* :func:`safe_compile` is the only way ``cleaners/`` compiles a regular expression: its
  methods pass the ``regex`` module's ``timeout=`` on every call, so a pattern that
  backtracks badly on some input raises :class:`RegexTimeout` (the runner records the
  document as failed) instead of hanging the run. A test walks every module under
  ``cleaners/`` and refuses ``regex.compile(`` or ``re.compile(`` anywhere else.
* The guards that keep an HTML page within the limits before and after parsing are in
  :mod:`cleaners.core.htmlguard`.

Enters: a pattern (and at each call, the limits in force). Leaves: :class:`SafePattern` /
:class:`LinearPattern` objects. The limits themselves (:class:`Limits`,
:func:`using`, :func:`current`, the errors and the counting checks) live in
:mod:`cleaners.core.limits` and are re-exported here, so ``from cleaners.core.safety
import Limits, using`` keeps working.
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
