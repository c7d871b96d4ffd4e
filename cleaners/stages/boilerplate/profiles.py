"""Site profiles: lines that repeat across one site's pages are that site's chrome.

:func:`cleaners.clean` sees one document at a time, so a run learns profiles in a pass
over its inputs before cleaning (:func:`learn`), writes each as a reviewable JSON file
(:func:`dump_profile`, written by :mod:`cleaners.io.profiles`: ``OUT/_profiles/<site>.json``),
and hands them to the pipeline
through :attr:`cleaners.core.config.Config.site_profiles` (:func:`as_config`). The
``boilerplate`` stage drops a document's lines that are in its site's profile, under the
rule ``boilerplate.drop_site_profile_line``, citing the profile in the edit's reason.

A profile is data: site key -> exact :func:`normalize_line` forms. The site key is what
grouped the documents (a host such as ``example.com``, or a source folder). A user may pin
a profile in ``scrubline.toml`` (``[site."example.com"] boilerplate_lines = [...]``); the
configuration maps it onto the same field, normalizing the lines with
:func:`normalize_line`, the single definition of "the same line".

What is learned (:func:`learn`): a line is chrome for a site when it occurs in at least
:data:`MIN_SHARE_DEFAULT` of the site's documents (and in at least two), and in most of
them outside the body zone (above the first or below the last long paragraph). The
second condition keeps section headings that every article of a site shares
(``Ingredients``, ``Conclusion``) out of the profile. Sites with fewer than
:data:`MIN_DOCS_DEFAULT` documents get no profile.

Which profile applies to a document (:func:`profile_for`): the one named by
``metadata.site`` when there is one; otherwise the profile that shares the most lines with
the document, if it shares at least :data:`MATCH_MIN_LINES_DEFAULT` lines (or all of a
smaller profile) and at least :data:`MATCH_SHARE_DEFAULT` of the profile. A page of
another site does not carry a site's menu and footer, so it does not match.

What enters: documents' texts grouped by site (learning), a document's lines (applying).
What leaves: profiles, their file bytes and config values, and the profile that applies.
Reading and writing files is :mod:`cleaners.io.profiles`' job; nothing here touches disk.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from cleaners.core.config import Config
from cleaners.core.safety import safe_compile
from cleaners.core.lines import is_long_paragraph

#: A site needs this many documents in a run before a profile is learned for it.
MIN_DOCS_DEFAULT = 3
#: A line must occur in at least this share of a site's documents.
MIN_SHARE_DEFAULT = 0.5
#: Share of a line's occurrences that must lie outside the body zone.
EDGE_SHARE_DEFAULT = 0.5
#: Lines longer than this (normalized) are not learned: a footer blurb is shorter, and a
#: paragraph two pages share is more likely a syndicated quote than chrome.
MAX_LINE_CHARS_DEFAULT = 300
#: Matching a document to a profile without ``metadata.site``: shared lines and share of the
#: profile's lines.
MATCH_MIN_LINES_DEFAULT = 3
MATCH_SHARE_DEFAULT = 0.2
#: Folder (inside the output folder) the profiles are written to.
PROFILE_DIR = "_profiles"

_SPACE_RE = safe_compile(r"\s+")


def normalize_line(line: str) -> str:
    """The form lines are compared in: NFKC, white space collapsed and stripped, case folded.

    Case is folded because the same chrome comes in several cases (``SHARE THIS`` in one
    template, ``Share this`` in another); digits and punctuation are kept, so ``12
    Comments`` and ``13 Comments`` stay different lines.

    >>> normalize_line("  Share\\u00a0THIS   story ")
    'share this story'
    >>> normalize_line("Ｃｏｐｙｒｉｇｈｔ ©2024")
    'copyright ©2024'
    """
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", line)).strip().casefold()


@dataclass(frozen=True, slots=True)
class Profile:
    """A learned profile: the site key, how many documents it was learned from, and each
    chrome line with the number of documents it occurs in."""

    site: str
    documents: int
    lines: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "site": self.site,
            "documents": self.documents,
            "rule": "boilerplate.drop_site_profile_line",
            "learned": {
                "min_docs": MIN_DOCS_DEFAULT,
                "min_share": MIN_SHARE_DEFAULT,
                "edge_share": EDGE_SHARE_DEFAULT,
            },
            "lines": [
                {"line": line, "documents": n}
                for line, n in sorted(self.lines.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Profile:
        return cls(
            site=str(data["site"]),
            documents=int(data.get("documents", 0)),
            lines={normalize_line(x["line"]): int(x.get("documents", 0)) for x in data.get("lines", ())},
        )


def _edge_lines(text: str) -> tuple[set[str], set[str]]:
    """Normalized lines of one document: all of them, and those outside its body zone."""
    stripped = [s.strip() for s in text.splitlines()]
    longs = [i for i, s in enumerate(stripped) if s and is_long_paragraph(s)]
    first, last = (longs[0], longs[-1]) if longs else (len(stripped), -1)
    every: set[str] = set()
    edge: set[str] = set()
    for i, s in enumerate(stripped):
        if not s:
            continue
        key = normalize_line(s)
        if not key or len(key) > MAX_LINE_CHARS_DEFAULT:
            continue
        every.add(key)
        if i < first or i > last:
            edge.add(key)
    return every, edge


def learn(
    texts_by_site: Mapping[str, Iterable[str]],
    *,
    min_docs: int = MIN_DOCS_DEFAULT,
    min_share: float = MIN_SHARE_DEFAULT,
) -> dict[str, Profile]:
    """Learn a profile per site from its documents' texts; sites with too few documents or
    no repeated chrome get none.

    >>> menu = "Home\\nNews\\nSport\\n"
    >>> body = "The {} council met on Tuesday and agreed, after a long debate about the cost " \\
    ...        "of the work and the time it would take, that the bridge should be closed soon."
    >>> docs = [menu + body.format(w) + "\\nIngredients\\n" + body.format(w + "s") + "\\n© 2024 Example"
    ...         for w in ("city", "town", "village")]
    >>> p = learn({"example.com": docs})["example.com"]
    >>> sorted(p.lines)
    ['home', 'news', 'sport', '© 2024 example']
    >>> learn({"example.com": docs[:2]})
    {}
    """
    out: dict[str, Profile] = {}
    for site, texts in texts_by_site.items():
        docs = [_edge_lines(t) for t in texts]
        n = len(docs)
        if n < max(min_docs, 2):
            continue
        seen: Counter[str] = Counter()
        edge: Counter[str] = Counter()
        for every, edges in docs:
            seen.update(every)
            edge.update(edges)
        need = max(2, math.ceil(min_share * n))
        lines = {
            line: k
            for line, k in seen.items()
            if k >= need and edge[line] >= EDGE_SHARE_DEFAULT * k
        }
        if lines:
            out[site] = Profile(site, n, lines)
    return out


def with_profiles(config: Config, profiles: Mapping[str, Profile]) -> Config:
    """``config`` with learned profiles added to its ``learned_profiles`` (a group learned
    twice keeps the union of its lines)."""
    merged = {k: set(v) for k, v in config.learned_profiles}
    for site, prof in profiles.items():
        merged.setdefault(site, set()).update(prof.lines)
    value = tuple((k, tuple(sorted(v))) for k, v in sorted(merged.items()))
    return replace(config, learned_profiles=value)


def as_config(profiles: Mapping[str, Profile]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The :attr:`Config.learned_profiles <cleaners.core.config.Config.learned_profiles>` value
    for learned profiles: ``(group, sorted normalized lines)`` pairs, sorted by group."""
    return tuple((site, tuple(sorted(p.lines))) for site, p in sorted(profiles.items()))


def dump_profile(prof: Profile) -> bytes:
    """A profile as the bytes of its file: indented JSON, one line per chrome line, most
    frequent first (:func:`cleaners.io.profiles.write_profiles` writes them)."""
    return (json.dumps(prof.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def load_profile(text: str) -> Profile:
    """A profile from the text of its file (reviewed or edited by hand)."""
    return Profile.from_json(json.loads(text))


# -- applying ---------------------------------------------------------------------------------

#: A profiles value: ``(site, lines)`` pairs as in :class:`cleaners.core.config.Config`, or a
#: mapping site -> lines.
Profiles = tuple[tuple[str, tuple[str, ...]], ...] | Mapping[str, Iterable[str]]

_INDEX_CACHE: dict[int, tuple[object, dict[str, frozenset[str]], dict[str, tuple[str, ...]]]] = {}


def _index(site_profiles: Profiles) -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """site -> normalized line set, and line -> sites whose profile holds it; built once per
    profiles value (configs are immutable, so the object's identity is its version)."""
    key = id(site_profiles)
    hit = _INDEX_CACHE.get(key)
    if hit is not None and hit[0] is site_profiles:
        return hit[1], hit[2]
    pairs = site_profiles.items() if isinstance(site_profiles, Mapping) else site_profiles
    sets: dict[str, frozenset[str]] = {}
    for site, lines in pairs:
        sets[site] = sets.get(site, frozenset()) | frozenset(
            k for k in (normalize_line(x) for x in lines) if k
        )
    index: dict[str, list[str]] = {}
    for site, norm in sets.items():
        for line in norm:
            index.setdefault(line, []).append(site)
    frozen = {line: tuple(sites) for line, sites in index.items()}
    if len(_INDEX_CACHE) > 8:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[key] = (site_profiles, sets, frozen)
    return sets, frozen


def lines_of(site_profiles: Profiles) -> dict[str, frozenset[str]]:
    """Every profile's lines in :func:`normalize_line` form, by site (cached).

    >>> sorted(lines_of((("a.com", ("Home", "  SHARE  this")),))["a.com"])
    ['home', 'share this']
    """
    return _index(site_profiles)[0]


def profile_for(
    keys: Iterable[str],
    site_profiles: Profiles,
    site: str | None = None,
) -> tuple[str, frozenset[str]] | None:
    """The profile that applies to a document whose normalized lines are ``keys``.

    >>> profiles = (("a.com", ("home", "news", "sport", "about a")), ("b.com", ("menu", "login")))
    >>> profile_for(["home", "news", "sport", "text"], profiles)[0]
    'a.com'
    >>> profile_for(["home", "text"], profiles) is None
    True
    >>> profile_for(["home"], profiles, site="a.com")[0]
    'a.com'
    """
    if not site_profiles:
        return None
    sets, index = _index(site_profiles)
    if site is not None and site in sets:
        return site, sets[site]
    shared: Counter[str] = Counter()
    for key in set(keys):
        for s in index.get(key, ()):
            shared[s] += 1
    best = None
    for s, n in shared.most_common():
        size = len(sets[s])
        if n >= min(MATCH_MIN_LINES_DEFAULT, size) and n >= MATCH_SHARE_DEFAULT * size:
            best = s
            break
    return (best, sets[best]) if best is not None else None
