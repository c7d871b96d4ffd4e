"""Stage ``user``: the drop and keep patterns users write in ``scrubline.toml``.

Users add their own boilerplate without touching code (:class:`~cleaners.core.config.UserRule`):

* a **drop** pattern ``user.<name>`` removes the lines it matches (or, with
  ``match = "span"``, just the matched text), right after the built-in ``boilerplate``
  stage, with its own id in every edit, diff, report and ``scrubline rules`` listing;
* a **keep** pattern protects the lines it matches from every drop of the ``boilerplate``
  stage and of the user's drop patterns (keep wins): the runner passes those stages'
  changes through :func:`protect`.

Patterns are literal text or ``regex`` patterns, matched with a per-line timeout
(:data:`MATCH_TIMEOUT_SECONDS_DEFAULT`): a pattern that takes longer leaves the line alone
and adds a review entry, so a pathological regex cannot stall a run.

This module also finds the hosts a document names (:func:`site_keys`), so that the pipeline
can apply a ``[site."<host>"]`` section of the config before the ``boilerplate`` stage
(:func:`resolve_site`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import regex

from cleaners.core.config import Config, SiteSection, UserRule
from cleaners.core.document import Change
from cleaners.core.registry import Pass, Rule, Stage
from cleaners.core.state import DocState
from cleaners.core.lines import Removal, plan_line_removal
from cleaners.rules.metadata import SITE_SIGNATURES
from cleaners.core.textutil import iter_lines
from cleaners.core.safety import safe_compile

#: Longest a user pattern may search one line before it gives up (and flags the line).
MATCH_TIMEOUT_SECONDS_DEFAULT = 0.05
#: Stages whose drops keep patterns veto (the user stage applies its keeps itself).
PROTECTED_STAGES = frozenset({"boilerplate"})
#: The stage before which the site of a document is resolved (after ``metadata``).
RESOLVE_BEFORE = "boilerplate"
#: Stages that run before the site is known: a site section that changes their settings
#: makes the pipeline run again with the document's final config.
EARLY_STAGES = ("decode", "metadata", "ocr")
#: Signature and URL lines are short; longer lines are body text.
SITE_LINE_MAX_CHARS = 120


# -- matching ----------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def compile_rule(pattern: str, is_regex: bool, ignore_case: bool) -> regex.Pattern[str]:
    """Compile a user pattern once (``regex`` module, V1 off, optionally case-blind).

    >>> compile_rule("a.b", False, False).pattern
    'a\\\\.b'
    """
    flags = regex.IGNORECASE if ignore_case else 0
    return safe_compile(pattern if is_regex else regex.escape(pattern), flags)


class PatternTimeout(Exception):
    """A user pattern took longer than the timeout on one line."""


def _call(method: Callable[..., Any], line: str, timeout: float) -> Any:
    try:
        return method(line, timeout=timeout)
    except TimeoutError as exc:
        raise PatternTimeout from exc


def line_matches(r: UserRule, line: str, *, timeout: float = MATCH_TIMEOUT_SECONDS_DEFAULT) -> bool:
    """Whether the stripped ``line`` is taken by a ``line`` or ``contains`` rule.

    Keep rules ignore ``max_chars`` (a long line holding a kept phrase is kept).

    >>> r = UserRule("user.x", "drop", "Go to Forum", match="contains")
    >>> line_matches(r, "Go to Forum >>0 Comment(s)"), line_matches(r, "We go to forums.")
    (True, False)
    """
    if r.action == "drop" and r.match == "contains" and len(line) > r.max_chars:
        return False
    p = compile_rule(r.pattern, r.regex, r.ignore_case)
    if r.match == "line":
        return _call(p.fullmatch, line, timeout) is not None
    return _call(p.search, line, timeout) is not None


def span_matches(r: UserRule, line: str, *, timeout: float = MATCH_TIMEOUT_SECONDS_DEFAULT) -> list[tuple[int, int]]:
    """Non-empty matches of a ``span`` rule in ``line`` as ``(start, end)``.

    >>> span_matches(UserRule("user.x", "drop", "ECNS App Download", match="span"),
    ...              "Li Yan ECNS App Download")
    [(7, 24)]
    """
    p = compile_rule(r.pattern, r.regex, r.ignore_case)
    try:
        return [m.span() for m in p.finditer(line, timeout=timeout) if m.end() > m.start()]
    except TimeoutError as exc:
        raise PatternTimeout from exc


def keeper(config: Config) -> Callable[[str], bool] | None:
    """A predicate telling whether a stripped line is protected by an enabled keep rule."""
    keeps = [r for r in config.user_rules if r.action == "keep" and config.enabled(r.id)]
    return _any_line_match(keeps, on_timeout=True)  # not sure: keeping is the safe side


def claimer(config: Config) -> Callable[[str], bool] | None:
    """A predicate telling whether an enabled user drop rule takes a whole stripped line
    (``line`` and ``contains`` rules): the line classifier leaves such lines to the user
    rule, so the user's id, not a guess, is on the edit.

    >>> cfg = Config(user_rules=(UserRule("user.stamp", "drop", "Newspapers in English"),))
    >>> take = claimer(cfg)
    >>> take("Newspapers in English"), take("Body text.")
    (True, False)
    >>> claimer(Config()) is None
    True
    """
    drops = [
        r for r in config.user_rules
        if r.action == "drop" and r.match != "span" and config.enabled(r.id)
    ]  # fmt: skip
    return _any_line_match(drops, on_timeout=False)


def _any_line_match(rules: Sequence[UserRule], *, on_timeout: bool) -> Callable[[str], bool] | None:
    """A predicate: does one of ``rules`` take a stripped line (:func:`line_matches`)? A
    pattern that times out on the line answers ``on_timeout``; no rules, no predicate."""
    if not rules:
        return None

    def test(line: str) -> bool:
        for r in rules:
            try:
                if line_matches(r, line):
                    return True
            except PatternTimeout:
                if on_timeout:
                    return True
        return False

    return test


def protect(text: str, changes: Sequence[Change], doc: DocState) -> list[Change]:
    """Drop the drop changes that touch a line a keep rule protects (keep wins).

    A change touches the lines whose text it overlaps (its newline alone does not count).

    >>> cfg = Config(user_rules=(UserRule("user.k", "keep", "Related news"),))
    >>> t = "Body.\\nRelated news\\nFooter"
    >>> cs = [Change(6, 19, "", "boilerplate.a", "drop"), Change(19, 25, "", "boilerplate.b", "drop")]
    >>> [c.rule for c in protect(t, cs, DocState.for_text(t, cfg))]
    ['boilerplate.b']
    """
    keep = keeper(doc.config)
    if keep is None:
        return list(changes)
    out = []
    for c in changes:
        if c.action == "drop" and _touches_kept_line(text, c.start, c.end, keep):
            continue
        out.append(c)
    return out


def _touches_kept_line(text: str, start: int, end: int, keep: Callable[[str], bool]) -> bool:
    ls = text.rfind("\n", 0, start) + 1
    while True:
        le = text.find("\n", ls)
        if le < 0:
            le = len(text)
        if max(ls, start) < min(le, end):
            line = text[ls:le].strip()
            if line and keep(line):
                return True
        if le >= end or le >= len(text):
            return False
        ls = le + 1


# -- the stage ---------------------------------------------------------------------------


def _where(r: UserRule) -> str:
    table = "drop" if r.action == "drop" else "keep"
    return f'[site."{r.section}".{table}]' if r.section else f"[{table}]"


def _reason(r: UserRule) -> str:
    kind = "regex" if r.regex else "text"
    how = {"line": "whole line matches", "contains": "line contains", "span": "matches"}[r.match]
    return f"{how} user {kind} `{r.pattern}` ({_where(r)})"


def drop_matching_lines(text: str, doc: DocState) -> Iterator[Change]:
    """Drop the lines (or spans) that the user's drop patterns match, each under its own id.

    Runs right after the ``boilerplate`` stage, on the lines it kept. Source: the user's
    ``scrubline.toml`` (``[drop]`` and ``[site."<host>".drop]``). A line that a keep
    pattern matches is never touched; a pattern that times out on a line leaves it alone
    and flags it.

    Leaves alone: every line when no drop pattern is configured; lines a keep pattern
    protects; ``contains`` matches in lines longer than the rule's ``max_chars``.

    >>> cfg = Config(user_rules=(UserRule("user.forum", "drop", "Go to Forum", match="contains"),))
    >>> t = "Body text.\\n\\nGo to Forum >>0 Comment(s)"
    >>> [(c.rule, t[c.start:c.end]) for c in drop_matching_lines(t, DocState.for_text(t, cfg))]
    [('user.forum', '\\nGo to Forum >>0 Comment(s)')]
    >>> t = "Body text. We go to forums."
    >>> list(drop_matching_lines(t, DocState.for_text(t, cfg)))
    []
    """
    config = doc.config
    drops = [r for r in config.user_rules if r.action == "drop" and config.enabled(r.id)]
    if not drops:
        return
    keep = keeper(config)
    lines = list(iter_lines(text))
    removals: dict[int, Removal] = {}
    partial: list[Change] = []
    for i, (start, end, line) in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if keep is not None and keep(s):
            continue
        spans: list[tuple[int, int, UserRule]] = []
        for r in drops:
            try:
                if r.match == "span":
                    spans += [(a, b, r) for a, b in span_matches(r, line)]
                elif line_matches(r, s):
                    removals[i] = Removal(start, end, ((start, end, r.id, _reason(r)),))
                    break
            except PatternTimeout:
                _flag_timeout(doc, r, start, end, s)
        if i in removals or not spans:
            continue
        merged = _merge_spans(spans)
        if not _gaps(line, merged):  # nothing else on the line: it goes whole
            r = merged[0][2]
            removals[i] = Removal(start, end, ((start, end, r.id, _reason(r)),))
            continue
        for a, b, r in merged:
            if a > 0 and line[a - 1] == " " and (b == len(line) or line[b] == " "):
                a -= 1  # take one of the two spaces around the span
            partial.append(Change(start + a, start + b, "", r.id, "drop", _reason(r)))
    changes = plan_line_removal(text, lines, sorted(removals.items())) + partial
    yield from sorted(changes, key=lambda c: (c.start, c.end))


def _merge_spans(spans: list[tuple[int, int, UserRule]]) -> list[tuple[int, int, UserRule]]:
    out: list[tuple[int, int, UserRule]] = []
    for a, b, r in sorted(spans, key=lambda t: (t[0], -t[1])):
        if out and a < out[-1][1]:
            pa, pb, pr = out[-1]
            out[-1] = (pa, max(pb, b), pr)
        else:
            out.append((a, b, r))
    return out


def _gaps(line: str, spans: list[tuple[int, int, UserRule]]) -> bool:
    """Whether text other than white space lies between or around the spans."""
    pos = 0
    for a, b, _ in spans:
        if line[pos:a].strip():
            return True
        pos = b
    return bool(line[pos:].strip())


def _flag_timeout(doc: DocState, r: UserRule, start: int, end: int, line: str) -> None:
    doc.flag(r.id, start, end, line[:80],
             f"user pattern {r.pattern!r} took longer than {MATCH_TIMEOUT_SECONDS_DEFAULT} s "
             "on this line: line kept", None)  # fmt: skip


STAGE = Stage("user", (Pass(drop_matching_lines, emits=(), user_rules=True),))


def described_rules(config: Config) -> list[Rule]:
    """The config's user rules as (unregistered) :class:`~cleaners.core.registry.Rule` rows for
    listings: the registry stays free of per-run rules, so configs never leak into each
    other. A name used in several sections is listed once, with every section named.
    """
    by_id: dict[str, list[UserRule]] = {}
    for r in config.user_rules + tuple(r for s in config.sites for r in s.user_rules):
        by_id.setdefault(r.id, []).append(r)
    out = []
    for rid, rs in by_id.items():
        where = ", ".join(_where(r) for r in rs)
        out.append(Rule(id=rid, stage="user", description=f"{rs[0].describe()} {where}",
                        category=f"user {rs[0].action}"))  # fmt: skip
    return out


# -- which site a document comes from ---------------------------------------------------------

_HOST = r"((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})"
#: A line that is a URL (or ``www.`` host), optionally after a short label (``Source:``).
_URL_LINE_RE = safe_compile(
    rf"^[^\S\n]*(?:[^\s:：]{{1,20}}[^\S\n]*[:：][^\S\n]*)?(?:https?://|(?=www\.)){_HOST}"
    rf"(?::\d+)?(?:[/?#][^\s]*)?[^\S\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: The page's own URL in raw HTML: ``<link rel=canonical>`` or ``<meta property=og:url>``.
_HEAD_TAG_RE = safe_compile(r"<(?:link|meta)\b[^<>]*>", re.IGNORECASE)  # [^<>]: linear on unclosed tags
_TAG_URL_RE = safe_compile(rf"""(?:href|content)\s*=\s*["']?https?://{_HOST}""", re.IGNORECASE)


def _canonical_host(raw_html: str) -> str | None:
    """The host of the page's canonical URL.

    >>> _canonical_host('<link href="https://www.ecns.cn/news/a.shtml" rel="canonical">')
    'www.ecns.cn'
    """
    for tag in _HEAD_TAG_RE.finditer(raw_html[:200_000]):
        t = tag.group(0).lower()
        if "canonical" in t or "og:url" in t:
            m = _TAG_URL_RE.search(tag.group(0))
            if m:
                return m.group(1)
    return None


def site_keys(text: str, metadata: dict[str, Any] | None = None, raw_html: str | None = None) -> tuple[str, ...]:
    """The hosts a document names, most trusted first, lower-case, without duplicates.

    In order: site metadata; footers and prompts that name their site
    (:data:`~cleaners.rules.metadata.SITE_SIGNATURES`, on short lines); the page's own URL
    (HTML ``canonical`` / ``og:url``); lines that are a URL.

    >>> site_keys("Body.\\n\\nNewspapers in English\\nSource: https://www.Example.org/a/b")
    ('pressreader.com', 'www.example.org')
    >>> site_keys("Visit www.example.org for more, he said.")
    ()
    """
    found: list[str] = []
    site = (metadata or {}).get("site")
    if isinstance(site, str) and site.strip():
        found.append(site)
    # only the signatures whose needles the page holds, only on lines holding one
    sigs = [sig for sig in SITE_SIGNATURES if sig.could_hit(text)]
    for line in text.split("\n") if sigs else ():
        s = line.strip()
        if s and len(s) <= SITE_LINE_MAX_CHARS:
            found += [sig.site for sig in sigs if sig.could_hit(s) and sig.hit(s)][:1]
    if raw_html:
        host = _canonical_host(raw_html)
        if host:
            found.append(host)
    if "http" in text or "www." in text:
        found += [m.group(1) for m in _URL_LINE_RE.finditer(text)]
    out: list[str] = []
    for host in found:
        h = host.strip().lower().rstrip(".")
        if h and h not in out:
            out.append(h)
    return tuple(out)


def resolve_site(root: Config, path: str | None, text: str, doc: DocState, raw_html: str | None) -> Config:
    """The document's final effective config, once the ``metadata`` stage has run."""
    keys = site_keys(text, doc.metadata, raw_html)
    return root.for_document(path=path, site_keys=keys)


def early_settings(config: Config) -> tuple[Any, ...]:
    """The settings the stages before :data:`RESOLVE_BEFORE` read."""
    early = tuple(sorted(d for d in config.disabled if d.split(".", 1)[0] in EARLY_STAGES))
    return (config.record_edits, config.ocr, config.language, early)


def matched_host(config: Config) -> str | None:
    """The host by which a site section was matched (for ``metadata.site``), or ``None``."""
    if config.matched_by != "site" or config.site is None:
        return None
    probe = SiteSection(config.site)
    for host in config.site_keys:
        if probe.matches_site(host):
            return host
    return None
