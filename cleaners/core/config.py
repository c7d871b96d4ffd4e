"""The pipeline's configuration: one frozen object, every field documented.

Vary it with :func:`dataclasses.replace`; its :meth:`Config.digest` goes into every sidecar
(``config_hash``), so that a run can tell which documents were cleaned under another config.

A config read from ``scrubline.toml`` (:mod:`cleaners.core.configfile`) is a *root* config: the
global settings plus per-site sections (:class:`SiteSection`). The pipeline resolves it per
document with :meth:`Config.for_document` into an *effective* config (no sections; the one
section that applied merged in). Layers, strongest last: defaults, the file's global
settings, the matching site section, the command line (pushed into every layer by
:meth:`Config.with_overrides`). Keep patterns win over drop patterns.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from cleaners.core.registry import RULES

#: Input formats :func:`cleaners.clean` accepts.
FORMATS = ("text", "html")
#: How a user pattern is applied to a line (see :class:`UserRule`).
MatchMode = Literal["line", "contains", "span"]
MATCH_MODES: tuple[str, ...] = ("line", "contains", "span")
#: A ``contains`` drop pattern never takes a line longer than this (a body sentence that
#: merely mentions the phrase survives).
USER_MAX_CHARS_DEFAULT = 200
#: The stage that applies user drop patterns (its rule ids are ``user.<name>``).
USER_STAGE = "user"


@dataclass(frozen=True, slots=True)
class Threshold:
    """A numeric knob of a stage, settable in the ``[<stage>]`` table of ``scrubline.toml``."""

    key: str
    default: int | float
    minimum: int | float
    maximum: int | float
    doc: str

    @property
    def type(self) -> type:
        return type(self.default)


_THRESHOLDS: dict[str, Threshold] = {}


def register_threshold(
    key: str, default: int | float, *, minimum: int | float, maximum: int | float, doc: str
) -> Threshold:
    """Declare a threshold ``<stage>.<name>`` so that config files may set it (validated).

    Every threshold is declared once, with its default, in this module (the config model is
    its one home); a stage reads the value with :meth:`Config.threshold`.
    """
    stage, _, name = key.partition(".")
    if not name or not minimum <= default <= maximum:
        raise ValueError(f"bad threshold declaration {key!r}")
    t = Threshold(key, default, minimum, maximum, doc)
    old = _THRESHOLDS.get(key)
    if old is not None and old != t:
        raise ValueError(f"threshold {key!r} declared twice")
    _THRESHOLDS[key] = t
    return t


def thresholds() -> dict[str, Threshold]:
    """Every declared threshold by key (a copy)."""
    return dict(_THRESHOLDS)


#: The ``[boilerplate]`` thresholds of scrubline.toml, declared here and nowhere else: the
#: stage reads them with :meth:`Config.threshold` (the line classifier's ``classifier_*``
#: through :meth:`cleaners.stages.boilerplate.classify.Params.from_config`).
#: ``(name, default, minimum, maximum, what it does and the trade-off)``.
BOILERPLATE_THRESHOLDS: tuple[tuple[str, int | float, int | float, int | float, str], ...] = (
    ("licence_line_max_chars", 300, 20, 5000,
     "a line holding a licence number and other text is dropped up to this length, "
     "flagged above it (outside header and footer). Higher: more mixed lines dropped."),
    ("headline_max_chars", 150, 10, 1000,
     "a line under a related-block header in the footer counts as a listed headline "
     "up to this length. Higher: longer lines dropped with the block."),
    ("caption_max_chars", 200, 10, 1000,
     "longest inline image-caption line. Higher: longer unpunctuated lines dropped."),
    ("blank_break_share", 0.7, 0.0, 1.0,
     "share of paragraph breaks that must be blank lines before blocks joined by "
     "single breaks are read as captions. Lower: captions found in more pages, more risk."),
    ("classifier_article_min_words", 80, 0, 100_000,
     "prose words the line classifier needs in a stretch to call it the article; "
     "below it the page keeps all but sure chrome. Higher: more pages read as article-less."),
    ("classifier_switch_cost", 12.0, 0.0, 1000.0,
     "cost, in words of prose, of entering or leaving the article region. Higher: "
     "fewer, longer stretches (short lines between paragraphs kept more often)."),
    ("classifier_prose_min_chars", 200, 1, 100_000,
     "characters a line needs (with enough stop words) to read as prose on its own. "
     "Lower: more short paragraphs count as article text."),
    ("classifier_prose_stop_share", 0.30, 0.0, 1.0,
     "share of stop words a long line needs to read as prose. Lower: more lists and "
     "listings count as article text."),
    ("classifier_wordlist_stop_share", 0.15, 0.0, 1.0,
     "share of stop words below which a long line outside the article is a word list "
     "(tag cloud, product grid) and dropped. Higher: more such lines dropped."),
)  # fmt: skip
for _name, _default, _lo, _hi, _doc in BOILERPLATE_THRESHOLDS:
    register_threshold(f"boilerplate.{_name}", _default, minimum=_lo, maximum=_hi, doc=_doc)


@dataclass(frozen=True, slots=True)
class UserRule:
    """A drop or keep pattern a user wrote in ``scrubline.toml`` (``[drop]``, ``[keep]``).

    Its id ``user.<name>`` is shown in edits, diffs, the report and ``scrubline rules``
    like any built-in rule, and can be disabled like one.
    """

    #: ``user.<name>``.
    id: str
    #: ``drop`` removes matching lines (or spans); ``keep`` protects matching lines from
    #: every drop of the ``boilerplate`` and ``user`` stages (keep wins).
    action: Literal["drop", "keep"]
    #: The text to look for: a literal string, or a ``regex`` pattern when ``regex``.
    pattern: str
    regex: bool = False
    #: ``line``: the whole stripped line must match (default; safest). ``contains``: a line
    #: holding a match anywhere, up to ``max_chars`` long. ``span``: drop only the matched
    #: text (drop rules only).
    match: MatchMode = "line"
    ignore_case: bool = False
    max_chars: int = USER_MAX_CHARS_DEFAULT
    #: One line for ``scrubline rules`` and the report.
    description: str = ""
    #: The site section the rule comes from (``None``: global).
    section: str | None = None

    def describe(self) -> str:
        if self.description:
            return self.description
        kind = "regex" if self.regex else "text"
        verb = "Drop" if self.action == "drop" else "Keep"
        what = {"line": "lines that are", "contains": "lines containing", "span": "each"}[
            self.match
        ]
        return f"{verb} {what} {kind} {self.pattern!r} (user rule)"


@dataclass(frozen=True, slots=True)
class SiteSection:
    """``[site."<key>"]`` of ``scrubline.toml``: settings for one site's documents.

    A section applies to a document whose input path matches one of ``paths`` (decided
    before cleaning), else whose site is ``key`` or a subdomain of it (decided after the
    ``metadata`` stage, from site metadata, a footer that names its site, or the host of
    the page's URL). Unset fields (``None``) inherit the global value.
    """

    key: str
    paths: tuple[str, ...] = ()
    disable: frozenset[str] = field(default_factory=frozenset)
    enable: frozenset[str] = field(default_factory=frozenset)
    #: ``"auto"``, ``"on"``, ``"off"`` or ``None`` (inherit).
    ocr: str | None = None
    #: A BCP 47 code, ``"auto"`` (detect) or ``None`` (inherit).
    language: str | None = None
    record_edits: bool | None = None
    thresholds: tuple[tuple[str, int | float], ...] = ()
    user_rules: tuple[UserRule, ...] = ()
    #: The pinned site profile: exact boilerplate lines (``boilerplate_lines``).
    boilerplate_lines: tuple[str, ...] | None = None

    def matches_path(self, path: str | None) -> bool:
        """Whether an input path (POSIX, relative to the input root) matches a glob.

        ``*`` also crosses ``/``; a leading ``**/`` also matches at the top.

        >>> SiteSection("ecns.cn", paths=("ecns/*",)).matches_path("ecns/a/b.txt")
        True
        >>> SiteSection("ecns.cn", paths=("**/ecns_*",)).matches_path("ecns_1.txt")
        True
        >>> SiteSection("ecns.cn", paths=("ecns/*",)).matches_path("other/ecns.txt")
        False
        """
        if not path:
            return False
        for glob in self.paths:
            if fnmatch.fnmatchcase(path, glob):
                return True
            if glob.startswith("**/") and fnmatch.fnmatchcase(path, glob[3:]):
                return True
        return False

    def matches_site(self, host: str) -> bool:
        """Whether a site (host name) is this section's key or a subdomain of it.

        >>> s = SiteSection("ecns.cn")
        >>> s.matches_site("www.ecns.cn"), s.matches_site("ECNS.cn"), s.matches_site("xecns.cn")
        (True, True, False)
        """
        host = host.lower().rstrip(".")
        key = self.key.lower()
        return host == key or host.endswith("." + key)


_OCR = {"auto": None, "on": True, "off": False}


@dataclass(frozen=True, slots=True)
class Config:
    """Switches for one pipeline run.

    disabled:
        Rule ids (``punctuation.collapse_doubled_period``, ``user.<name>``) or stage ids
        (``punctuation``) to skip. Default: nothing disabled. Unknown ids raise
        ``ValueError`` when the pipeline is built (:func:`cleaners.core.pipeline.check_config`),
        never halfway through a run. Trade-off: a disabled boilerplate rule keeps its chrome.
    ocr:
        ``True`` runs the OCR repairs, ``False`` never does, ``None`` (default) decides per
        document from its shape. Trade-off: forcing OCR on web text re-flows lines that were
        meant to be separate.
    language:
        A BCP 47 code to use instead of detection (default ``None``: detect). Set it for
        short or mixed documents where detection is unreliable; wrong for mixed corpora.
    record_edits:
        Keep every edit with its input offsets (default ``True``). ``False`` is faster and
        leaves ``edits`` empty in results and sidecars; cleaned text is identical.
    thresholds:
        ``(key, value)`` pairs overriding declared stage thresholds (:func:`thresholds`),
        sorted by key. Default: none (every threshold has its declared default). Read with
        :meth:`threshold`.
    user_rules:
        Drop and keep patterns from the user's file (:class:`UserRule`). Default: none.
        Trade-off: a ``contains`` drop pattern is as good as its phrase; keep patterns win.
    site_profiles:
        Pinned site profiles: ``(site, lines)`` pairs, sorted by site; ``lines`` are exact
        normalized boilerplate lines the ``boilerplate`` stage drops for that site (rule
        ``boilerplate.drop_site_profile_line``). Default: none. An effective config keeps
        only the profile of its document's site, so editing one site's profile re-cleans
        only that site's documents.
    learned_profiles:
        Profiles learned from a run's own inputs (``scrubline clean --learn-profiles``,
        :mod:`cleaners.stages.boilerplate.profiles`): ``(group, lines)`` pairs, sorted by group (a host or an
        input folder), ``lines`` in :func:`cleaners.stages.boilerplate.profiles.normalize_line` form. Unlike
        pinned profiles they are not filtered per document: the ``boilerplate`` stage picks
        the one named by ``metadata.site`` or the one whose lines the document carries
        (:func:`cleaners.stages.boilerplate.profiles.profile_for`). Default: none. Trade-off: a document's
        output then depends on the other documents of its folder in the run.
    sites:
        Per-site sections (:class:`SiteSection`) of a root config; default none. Resolved
        away by :meth:`for_document`.
    site / matched_by / site_keys:
        Set on an effective config only: the section that applied (``None``: none), how
        (``"path"`` or ``"site"``), and the hosts the document was identified by
        (provenance, not a setting: not part of the digest).
    source:
        The file the config was read from (``None``: defaults or code). Not part of the
        digest: moving the file re-cleans nothing.
    """

    disabled: frozenset[str] = field(default_factory=frozenset)
    ocr: bool | None = None
    language: str | None = None
    record_edits: bool = True
    thresholds: tuple[tuple[str, int | float], ...] = ()
    user_rules: tuple[UserRule, ...] = ()
    site_profiles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    learned_profiles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sites: tuple[SiteSection, ...] = ()
    site: str | None = None
    matched_by: str | None = None
    site_keys: tuple[str, ...] = ()
    source: str | None = None
    #: Digest of the global layer a section was merged into (internal; see :meth:`digest`).
    base_digest: str = ""

    def enabled(self, rule_id: str) -> bool:
        """Whether a rule runs: neither it nor its stage is disabled."""
        if not self.disabled:
            return True
        return rule_id not in self.disabled and rule_id.split(".", 1)[0] not in self.disabled

    def threshold(self, key: str) -> int | float:
        """The value of a declared threshold: configured, else its default."""
        for k, v in self.thresholds:
            if k == key:
                return v
        return _THRESHOLDS[key].default

    def profile(self, site: str) -> tuple[str, ...]:
        """The pinned boilerplate lines for ``site`` (empty tuple if none)."""
        for k, lines in self.site_profiles:
            if k == site:
                return lines
        return ()

    def user_rule_ids(self) -> frozenset[str]:
        """Ids of every user rule, global and in any site section."""
        ids = {r.id for r in self.user_rules}
        for s in self.sites:
            ids.update(r.id for r in s.user_rules)
        return frozenset(ids)

    def digest(self) -> str:
        """A short stable hash of every setting that changes outputs or sidecars.

        An effective config hashes its merged settings and, when a site section was merged
        in, the global layer it came from: the sidecar's ``config_hash`` changes exactly
        when the document's global settings or its own section change.
        """
        d = asdict(self)
        for k in ("site_keys", "source"):
            d.pop(k)
        if not self.learned_profiles:  # added later: configs without keep their old hash
            d.pop("learned_profiles")
        d["disabled"] = sorted(self.disabled)
        for s in d["sites"]:
            s["disable"] = sorted(s["disable"])
            s["enable"] = sorted(s["enable"])
        blob = json.dumps(d, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    # -- layers ----------------------------------------------------------------------------

    def with_overrides(
        self,
        *,
        disable: frozenset[str] | set[str] | tuple[str, ...] = (),
        ocr: str | None = None,
        language: str | None = None,
        record_edits: bool | None = None,
    ) -> Config:
        """The command line over this config: its values win over global and site settings.

        ``ocr`` is ``"auto"``/``"on"``/``"off"``; ``None`` arguments change nothing.

        >>> c = Config(sites=(SiteSection("x.org", enable=frozenset({"punctuation"})),))
        >>> eff = c.with_overrides(disable={"punctuation.collapse_doubled_comma"}).for_document(
        ...     site_keys=("x.org",))
        >>> eff.enabled("punctuation.collapse_doubled_period"), eff.enabled("punctuation.collapse_doubled_comma")
        (True, False)
        """
        disable = frozenset(disable)
        top: dict[str, Any] = {"disabled": self.disabled | disable}
        sec: dict[str, Any] = {}
        if ocr is not None:
            top["ocr"] = _OCR[ocr]
            sec["ocr"] = None
        if language is not None:
            top["language"] = None if language == "auto" else language
            sec["language"] = None
        if record_edits is not None:
            top["record_edits"] = record_edits
            sec["record_edits"] = None
        sites = tuple(  # a section's own disable is applied after its enable: the CLI's win
            replace(s, enable=s.enable - disable, disable=s.disable | disable, **sec)
            for s in self.sites
        )
        return replace(self, sites=sites, **top)

    def section_for_path(self, path: str | None) -> SiteSection | None:
        """The first section (in file order) one of whose ``paths`` globs matches."""
        for s in self.sites:
            if s.matches_path(path):
                return s
        return None

    def section_for_site(self, site_keys: tuple[str, ...]) -> tuple[SiteSection, str] | None:
        """The section for the first of ``site_keys`` that any section matches: the most
        specific key (``news.ecns.cn`` before ``ecns.cn``) wins."""
        for host in site_keys:
            found = [s for s in self.sites if s.matches_site(host)]
            if found:
                return max(found, key=lambda s: len(s.key)), host
        return None

    def for_document(
        self, *, path: str | None = None, site_keys: tuple[str, ...] | None = None
    ) -> Config:
        """The effective config of one document: its section merged in, sections gone.

        The path step runs first: the first section whose ``paths`` glob matches the input
        path applies (``matched_by="path"``). Else, once the pipeline knows the hosts the
        document names (``site_keys``, after the ``metadata`` stage), the section matching
        the first of them applies (``matched_by="site"``). ``site_keys=None`` means "not
        known yet". Only the site profiles of the document's site are kept.

        >>> root = Config(sites=(SiteSection("ecns.cn", ocr="on"),))
        >>> root.for_document(site_keys=("www.ecns.cn",)).ocr
        True
        >>> root.for_document(site_keys=("example.org",)).ocr is None
        True
        >>> eff = root.for_document(site_keys=("ecns.cn",))
        >>> eff.for_document(site_keys=("ecns.cn",)) == eff
        True
        """
        keys = tuple(site_keys or ())
        base = replace(self, sites=())
        section = self.section_for_path(path)
        how = "path"
        if section is None and site_keys is not None:
            hit = self.section_for_site(keys)
            if hit is not None:
                section, how = hit[0], "site"
        eff = base if section is None else base._merge(section, how)
        hosts = keys + tuple(k for k in (eff.site,) if k)
        return replace(eff._profiles_for(hosts), site_keys=keys)

    def _profiles_for(self, hosts: tuple[str, ...]) -> Config:
        """Keep only the site profiles of the hosts the document names."""
        keep = []
        for k, lines in self.site_profiles:
            probe = SiteSection(k)
            if any(probe.matches_site(h) for h in hosts):
                keep.append((k, lines))
        return replace(self, site_profiles=tuple(keep))

    def _merge(self, s: SiteSection, how: str) -> Config:
        """Merge a section over this (global, section-free) config."""
        disabled = set(self.disabled)
        if s.enable:
            disabled = _enable(disabled, s.enable)
        disabled |= s.disable
        thresholds = dict(self.thresholds)
        thresholds.update(s.thresholds)
        rules = {r.id: r for r in self.user_rules}
        rules.update({r.id: r for r in s.user_rules})
        profiles = dict(self.site_profiles)
        if s.boilerplate_lines is not None:
            profiles[s.key] = s.boilerplate_lines
        return replace(
            self,
            disabled=frozenset(disabled),
            ocr=self.ocr if s.ocr is None else _OCR[s.ocr],
            language=self.language if s.language is None else (
                None if s.language == "auto" else s.language
            ),
            record_edits=self.record_edits if s.record_edits is None else s.record_edits,
            thresholds=tuple(sorted(thresholds.items())),
            user_rules=tuple(rules.values()),
            site_profiles=tuple(sorted(profiles.items())),
            site=s.key,
            matched_by=how,
            base_digest=replace(self, site_profiles=()).digest(),
        )

    def digest_for(self, path: str | None, info: dict[str, Any] | None) -> str:
        """The ``config_hash`` a document cleaned under this (root) config would carry,
        given the ``config`` block of its sidecar (the hosts it was identified by)."""
        raw = info.get("site_keys") if isinstance(info, dict) else None
        keys = tuple(k for k in raw if isinstance(k, str)) if isinstance(raw, list) else ()
        return self.for_document(path=path, site_keys=keys).digest()

    def sidecar_info(self) -> dict[str, Any]:
        """What a sidecar records about how this effective config was resolved."""
        info: dict[str, Any] = {}
        if self.site is not None:
            info["section"] = self.site
            info["matched_by"] = self.matched_by
        if self.site_keys:
            info["site_keys"] = list(self.site_keys)
        rules = {r.id: r.describe() for r in self.user_rules if r.action == "drop"}
        if rules:
            info["user_rules"] = rules
        return info


def _enable(disabled: set[str], enable: frozenset[str]) -> set[str]:
    """Remove enabled ids from a disabled set; enabling a stage enables all its rules,
    enabling a rule of a disabled stage disables the stage's other rules instead."""
    out = {d for d in disabled if d not in enable and d.split(".", 1)[0] not in enable}
    for rid in enable:
        stage = rid.split(".", 1)[0]
        if stage != rid and stage in out:
            out.discard(stage)
            out |= {r for r in RULES if r.startswith(stage + ".") and r not in enable}
    return out


DEFAULT_CONFIG = Config()
