"""Stage ``boilerplate``: drop page chrome lines (footers, licences, navigation, prompts).

One pass over the lines. Each line is classified by a flat ladder (first match wins):

1. page chrome above the title, as the ``metadata`` stage found it (``doc.marks``);
2. Chinese licence / filing numbers (:data:`~cleaners.rules.boilerplate.LICENCE_TABLE`),
   one edit per item when the line holds nothing else;
3. whole-line entries of :data:`~cleaners.rules.boilerplate.LINE_TABLE`, each allowed in its
   zone (``any``, or only above the first / below the last long paragraph);
4. headlines listed under a related-block header, in the footer zone;
5. inline image captions: short unpunctuated lines joined by single newlines in a page whose
   paragraphs are separated by blank lines;
6. lines of the document's site profile (:mod:`cleaners.stages.profiles`, from
   ``Config.site_profiles`` pinned, ``Config.learned_profiles`` learned), outside the body zone;
7. the line classifier (:mod:`cleaners.stages.classify`) on the lines left: it finds the article
   region and drops menus, labels, stamps, teasers and the tail after an end marker outside
   it, each under the rule id of the line's first-pass reason. Prose outside the article and
   pages without an article are kept and flagged for review. Text input only: from HTML,
   :mod:`cleaners.stages.extract` has already chosen the main content by the page's structure.

A dropped line goes with its newline (blank-line cleanup is the ``normalize`` stage's job).
A footer line that names its site (:data:`~cleaners.rules.metadata.SITE_SIGNATURES`) also
sets ``metadata.site``; the edit's reason cites the signature. When a licence number sits in
a long line of other text, the line is kept and flagged for review.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

import regex

from cleaners.stages import classify
from cleaners.core.document import Change
from cleaners.stages.profiles import lines_of, normalize_line, profile_for
from cleaners.core.registry import Stage, rule
from cleaners.core.lines import Removal, ends_sentence, is_long_paragraph, plan_line_removal
from cleaners.rules import Entry, register_heuristic
from cleaners.rules.boilerplate import ITEM_SEPARATORS, LICENCE_TABLE, LINE_TABLE
from cleaners.rules.metadata import SITE_SIGNATURES
from cleaners.core.textutil import iter_lines
from cleaners.core.safety import safe_compile

#: A licence line longer than this that also holds other text is flagged, not dropped
#: (outside the header and footer zones).
LICENCE_LINE_MAX_CHARS_DEFAULT = 300
#: Longest line a whole-line entry may take at all (the entries' own limits are lower).
LINE_ENTRY_MAX_CHARS = max(e.max_chars for e in LINE_TABLE)
#: A headline under a related-block header is at most this long.
HEADLINE_MAX_CHARS_DEFAULT = 150
#: Caption blocks: lines per block, and the longest caption line.
CAPTION_LINES_DEFAULT = (2, 3)
CAPTION_MAX_CHARS_DEFAULT = 200
#: Share of paragraph breaks that must be blank lines for single breaks to stand out.
BLANK_BREAK_SHARE_DEFAULT = 0.7

PRE_TITLE_CHROME = register_heuristic(
    "boilerplate.drop_pre_title_chrome",
    category="header",
    description="Drop page chrome above the title (lead-image captions, kickers) found by metadata.",
)
CAPTION_BLOCK = register_heuristic(
    "boilerplate.drop_caption_block",
    category="caption",
    description="Drop inline image captions: short unpunctuated lines set apart by single newlines.",
)
RELATED_BLOCK = "boilerplate.drop_related_block"  # a LINE_TABLE entry; headlines reuse its id
SITE_PROFILE = register_heuristic(
    "boilerplate.drop_site_profile_line",
    category="site_profile",
    description="Drop lines that repeat across the pages of the document's site (its site profile).",
)
#: Rules of the line classifier (:mod:`cleaners.stages.classify`): what each drops, outside the
#: article region (``drop_after_end_marker`` is the END_MARKER_TABLE's id).
CLASSIFIER_RULES = {
    classify.NAV_LABEL: ("navigation", "Drop short capitalised labels outside the article (menu entries)."),
    classify.SEPARATED_MENU: ("navigation", "Drop menus of labels separated by | • » outside the article."),
    classify.LINK_LINE: ("navigation", "Drop lines made of URLs, e-mail addresses or handles outside the article."),
    classify.RECORD_STAMP: ("records", "Drop recurring date/time stamps of comments and teasers outside the article."),
    classify.REPEATED_LINE: ("navigation", "Drop short lines that repeat within the page, outside the article."),
    classify.WORDLIST_LINE: ("listing", "Drop long lines without stop words (tag clouds, grids) outside the article."),
    classify.SHORT_LINE: ("short", "Drop other short lines outside the article (labels, buttons, headlines)."),
    classify.BLURB_LINE: ("teaser", "Drop short prose outside the article (teasers, promos, blurbs)."),
    classify.RECORD_LIST: ("records", "Drop the page tail where dated records (comments, other stories, a ticker) begin after the article."),
}
for _rid, (_cat, _desc) in CLASSIFIER_RULES.items():
    register_heuristic(_rid, category=_cat, description=_desc)
FLAG_PROSE_OUTSIDE = register_heuristic(
    "boilerplate.flag_prose_outside_article",
    category="review",
    description="Flag prose kept outside the article region (the classifier is not sure it is chrome).",
)
FLAG_NO_ARTICLE = register_heuristic(
    "boilerplate.flag_no_article",
    category="review",
    description="Flag a page in which no article was found: only sure chrome was dropped.",
)
#: What the reason of a classifier edit says about each first-pass reason.
_CF_WORDS = {
    classify.NAV_LABEL: "a short capitalised label",
    classify.SEPARATED_MENU: "a menu of separated labels",
    classify.LINK_LINE: "a line of links",
    classify.RECORD_STAMP: "a recurring date/time stamp",
    classify.REPEATED_LINE: "a short line repeated in the page",
    classify.WORDLIST_LINE: "a long line without stop words",
}

_LICENCE_NEEDLES = tuple(sorted({n for e in LICENCE_TABLE for n in e.contains}))
def _index(words: Sequence[tuple[str, int]], key: int | None) -> dict:
    """Group prefilter literals by their first (key=0) or last (key=-1) character."""
    merged: dict[str, set[int]] = {}
    for word, k in words:
        merged.setdefault(word, set()).add(k)
    if key is None:
        return {"": tuple((w, frozenset(ks)) for w, ks in sorted(merged.items()))}
    out: dict[str, list[tuple[str, frozenset[int]]]] = {}
    for w, ks in sorted(merged.items()):
        out.setdefault(w[key], []).append((w, frozenset(ks)))
    return {c: tuple(v) for c, v in out.items()}


_NONE: frozenset[int] = frozenset()
_START1 = {
    c: frozenset(k for k, e in enumerate(LINE_TABLE) if c in e.starts)
    for e in LINE_TABLE
    for c in e.starts
    if len(c) == 1
}
#: Start literals of two or more characters by their first two: a line is tested against
#: the few that share its first two characters (``startswith``, as ``Entry.prefilter``).
_START2: dict[str, tuple[tuple[str, frozenset[int]], ...]] = {}
_LONG_STARTS = [(w, k) for k, e in enumerate(LINE_TABLE) for w in e.starts if len(w) > 1]
for _w, _ks in _index(_LONG_STARTS, None)[""]:
    _START2[_w[:2]] = (*_START2.get(_w[:2], ()), (_w, _ks))
_END_INDEX = _index([(w, k) for k, e in enumerate(LINE_TABLE) for w in e.ends], -1)
_CONTAINS_INDEX = _index([(w, k) for k, e in enumerate(LINE_TABLE) for w in e.contains], None)[""]
#: stdlib ``re``: for a plain alternation of literals it scans several times faster than
#: ``regex`` (measured on the bench lines).
_CONTAINS_RE = safe_compile(
    "|".join(re.escape(w) for w, _ks in _CONTAINS_INDEX), linear=True, engine="re"
)
#: Words whose presence anywhere in a page makes a licence line possible.
_LICENCE_TRIGGERS = ("ICP", "icp", "公网安备", "许可证", "网文", "网证", "备字", "举报", "B2-", "B1-", "备案")
_LIST_MARKER_RE = safe_compile(r"^(?:[-–•*·]|\d{1,2}[.)])\s")
_SEPARATORS = frozenset(ITEM_SEPARATORS)
_RIGHTS_RESIDUE_RE = safe_compile(
    r"(?i)copyright|©|&copy|all\s+rights\s+reserved|版权所有|保留一切权利|保留所有权利"
)


def lines_with_contains_word(stripped: Sequence[str]) -> set[int]:
    """Indices of the lines whose lower-cased text holds a ``contains`` literal of
    :data:`LINE_TABLE` (what :func:`match_line_entry` searches for), found with one regex
    call on the page instead of one per line. Exact: the literals hold no newline, so a
    match never spans two lines; lines too long for any entry are skipped.

    >>> sorted(lines_with_contains_word(["Home", "Our cookie policy", "News | Sport"]))
    [1, 2]
    """
    lowers = [s.lower() if len(s) <= LINE_ENTRY_MAX_CHARS else "" for s in stripped]
    joined = "\n".join(lowers)
    starts = []
    pos = 0
    for low in lowers:
        starts.append(pos)
        pos += len(low) + 1
    hits: set[int] = set()
    for m in _CONTAINS_RE.finditer(joined):
        hits.add(bisect_right(starts, m.start()) - 1)
    return hits


def match_line_entry(line: str, zone: str, *, contains: bool | None = None) -> Entry | None:
    """The first whole-line entry that takes the stripped ``line`` in ``zone``.

    ``zone`` is ``header``, ``footer``, ``body`` or ``none`` (the page has no long
    paragraph, so no zone is known and only ``any`` entries apply). Only entries whose
    prefilter literal the line starts with, ends with or contains run their regex; the
    literals are indexed by first character, so most lines cost a few string calls.
    ``contains``: whether the line holds a ``contains`` literal, when the caller knows it
    (:func:`lines_with_contains_word`); ``None``: search the line.

    >>> match_line_entry("Newspapers in English", "footer").id
    'boilerplate.drop_aggregator_stamp'
    >>> match_line_entry("Back to top About Us | Jobs | Contact Us | Privacy Policy", "body") is None
    True
    """
    n = len(line)
    if not n or n > LINE_ENTRY_MAX_CHARS:
        return None
    lower = line.lower()
    # starts: keyed by the first one or two characters, the regex decides the rest
    todo = _START1.get(lower[0], _NONE)
    starts = _START2.get(lower[:2])
    if starts is not None:
        for word, ks in starts:
            if lower.startswith(word):
                todo = todo | ks
    ends = _END_INDEX.get(lower[-1])
    if ends is not None:
        for word, ks in ends:
            if lower.endswith(word):
                todo = todo | ks
    if contains is None:
        contains = _CONTAINS_RE.search(lower) is not None
    if contains:
        for word, ks in _CONTAINS_INDEX:
            if word in lower:
                todo = todo | ks
    if not todo:
        return None
    edge = zone in ("header", "footer")
    for k in sorted(todo):
        e = LINE_TABLE[k]
        if n > e.max_chars or (e.zone != "any" and not edge):
            continue
        if e.regex.fullmatch(line):
            return e
    return None


def find_licence_items(line: str) -> list[tuple[int, int, Entry]]:
    """Licence / filing items in ``line``: ``(start, end, entry)``, in order, not overlapping.

    >>> line = "[京公网安备 11010202009201号] [京ICP备05004340号-1]"
    >>> [(line[s:e], x.id) for s, e, x in find_licence_items(line)]
    [('京公网安备 11010202009201号', 'boilerplate.drop_public_security_filing'), ('京ICP备05004340号-1', 'boilerplate.drop_icp_filing')]
    >>> find_licence_items("微信个人主体拿不到《互联网新闻信息服务许可证》")
    []
    """
    lower = line.lower()
    if not any(n in lower for n in _LICENCE_NEEDLES):
        return []
    found: list[tuple[int, int, Entry]] = []
    for e in LICENCE_TABLE:
        if not e.prefilter(lower):
            continue
        for m in e.regex.finditer(line):
            if m.end() > m.start():
                found.append((m.start(), m.end(), e))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    items: list[tuple[int, int, Entry]] = []
    end = -1
    for s, e_, entry in found:
        if s >= end:
            items.append((s, e_, entry))
            end = e_
    return items


def _zones(stripped: Sequence[str]) -> list[str]:
    longs = [i for i, s in enumerate(stripped) if s and is_long_paragraph(s)]
    if not longs:
        return ["none"] * len(stripped)
    first, last = longs[0], longs[-1]
    return ["header" if i < first else "footer" if i > last else "body" for i in range(len(stripped))]


def _site_evidence(line: str, doc: object) -> str:
    """Set ``metadata.site`` from a signature the dropped line carries; return a reason tail."""
    meta = getattr(doc, "metadata", None)
    if meta is None or meta.get("site") is not None or len(line) > 120:
        return ""
    for sig in SITE_SIGNATURES:
        if sig.hit(line):
            meta["site"] = sig.site
            return f"; names site {sig.site} (rules.metadata.SITE_SIGNATURES: {sig.id})"
    return ""


def _limit(doc: object, key: str, default: float) -> float:
    """A threshold set in the config (``[boilerplate]`` of scrubline.toml), else the default."""
    config = getattr(doc, "config", None)
    return default if config is None else config.threshold(f"boilerplate.{key}")


def _enabled(doc: object, rule_id: str) -> bool:
    config = getattr(doc, "config", None)
    return config is None or config.enabled(rule_id)


@rule("boilerplate.drop_page_chrome", category="boilerplate")
def drop_page_chrome(text: str, doc: object) -> Iterator[Change]:
    """Drop footer, licence, navigation, prompt and caption lines, each under its own rule id.

    Applies the tables of :mod:`cleaners.rules.boilerplate` and the layout heuristics
    listed in the module docstring, in one pass over the lines.

    Leaves alone: sentences that mention a phrase (``…concerns about ethics, copyright
    protection…``, ``…leading newspapers in English and German…``), a Chinese sentence
    about a 许可证 without a number, nav-looking lines between body paragraphs.

    >>> body = "A long paragraph of the article that goes on and on. " * 4
    >>> t = body + "\\n\\nNewspapers in English\\n\\nNewspapers from Hong Kong"
    >>> [(c.rule, t[c.start:c.end]) for c in drop_page_chrome(t, None)]
    [('boilerplate.drop_aggregator_stamp', 'Newspapers in English\\n\\n'), ('boilerplate.drop_aggregator_stamp', 'Newspapers from Hong Kong')]
    >>> list(drop_page_chrome(body + "\\n\\nThey read newspapers in English at school.", None))
    []
    """
    lines = list(iter_lines(text))
    if not lines:
        return
    stripped = [ln[2].strip() for ln in lines]
    zones = _zones(stripped)
    removals: dict[int, Removal] = {}

    def whole(i: int, rule_id: str, reason: str) -> None:
        s, e, line = lines[i]
        reason += _site_evidence(line, doc)
        removals[i] = Removal(s, e, ((s, e, rule_id, reason),))

    # 1. chrome above the title, as the metadata stage recorded it
    marks = getattr(doc, "marks", None) or {}
    chrome = list(marks.get("header_chrome", ()))
    i = 0
    while chrome and i < len(lines):
        if not stripped[i]:
            i += 1
            continue
        if stripped[i] != chrome[0] or zones[i] not in ("header", "none"):
            break
        chrome.pop(0)
        entry = match_line_entry(stripped[i], "header")
        rid = entry.id if entry is not None else PRE_TITLE_CHROME
        if _enabled(doc, rid):
            whole(i, rid, "above the title (metadata.lift_title): page chrome, not article text")
        i += 1

    # 2-3. licence items and whole-line entries
    licences = any(w in text for w in _LICENCE_TRIGGERS)
    contains = lines_with_contains_word(stripped)
    for i, s in enumerate(stripped):
        if not s or i in removals:
            continue
        if licences and len(s) >= 8:
            items = [it for it in find_licence_items(lines[i][2]) if _enabled(doc, it[2].id)]
            if items:
                _licence_removal(i, lines[i], items, zones[i], removals, doc)
                continue
        entry = match_line_entry(s, zones[i], contains=i in contains)
        if entry is not None and _enabled(doc, entry.id):
            whole(i, entry.id, f"whole line is {entry.category} chrome ({entry.source})")

    # 4. headlines under a related-block header, in the footer zone
    if _enabled(doc, RELATED_BLOCK):
        for i in sorted(removals):
            if removals[i].segments[0][2] != RELATED_BLOCK or zones[i] != "footer":
                continue
            header = stripped[i]
            j = i + 1
            while j < len(lines):
                if not stripped[j]:
                    j += 1
                    continue
                if j in removals or not _is_headline(
                    stripped[j], _limit(doc, "headline_max_chars", HEADLINE_MAX_CHARS_DEFAULT)
                ):
                    break
                whole(j, RELATED_BLOCK, f"headline listed under {header!r} in the footer")
                j += 1

    # 5. inline image captions
    if _enabled(doc, CAPTION_BLOCK):
        for block in _caption_blocks(stripped, zones, removals, doc):
            for i in block:
                whole(i, CAPTION_BLOCK, "short unpunctuated lines joined by single newlines "
                      "between body paragraphs: an image caption")  # fmt: skip

    # 6. the site profile
    config = getattr(doc, "config", None)
    pinned = getattr(config, "site_profiles", None)
    learned = getattr(config, "learned_profiles", None)
    if (pinned or learned) and _enabled(doc, SITE_PROFILE):
        _apply_profile(stripped, lines, zones, removals, doc, pinned, learned)

    # 7. the line classifier on what is left: text input only. From HTML the extractor
    # has already chosen the main content by structure; judged again line by line, its
    # listings and tables read as chrome (token F1 on the 764 bench pages: 0.839 without
    # the classifier, 0.820 with it)
    classify_lines = getattr(doc, "fmt", "text") != "html"
    memo: dict = {}  # per-line facts, shared by both classifier calls
    if classify_lines:
        _apply_classifier(stripped, lines, removals, doc, memo=memo)

    # 8. the header, read again on the lines kept; what it lifts changes the page the
    # classifier sees, so classify the kept lines once more
    if _reread_header(text, lines, removals, doc) and classify_lines:
        _apply_classifier(stripped, lines, removals, doc, again=True, memo=memo)

    yield from plan_line_removal(text, lines, sorted(removals.items()))


def _reread_header(
    text: str,
    lines: Sequence[tuple[int, int, str]],
    removals: dict[int, Removal],
    doc: object,
) -> bool:
    """Lift the header (title, dateline, byline) that only shows once the chrome is gone;
    return whether anything was lifted.

    The ``metadata`` stage runs before this one and reads the header from the first lines
    of the page; under forty menu lines it finds none. Cleaning the output again would then
    find it, so this runs :func:`cleaners.stages.metadata.lift_fields` on the lines kept (removed
    lines blanked) and records its lifts here, under the metadata rule ids and reasons.
    Lines it marks as chrome above the title go as in step 1.
    """
    if not removals or not _enabled(doc, "metadata.lift_fields"):
        return False
    from cleaners.stages.metadata import lift_fields

    marks = getattr(doc, "marks", None)
    before = marks.get("header_chrome") if marks is not None else None
    sim_lines = ["" if i in removals else ln[2] for i, ln in enumerate(lines)]
    sim = "\n".join(sim_lines) + ("\n" if text.endswith("\n") else "")
    starts = []
    pos = 0
    for ln in sim_lines:
        starts.append(pos)
        pos += len(ln) + 1
    segs: dict[int, list[tuple[int, int, str, str | None]]] = {}
    for c in lift_fields(sim, doc):
        i = bisect_right(starts, c.start) - 1
        if not 0 <= i < len(lines) or i in removals:
            continue
        s0, e0, line = lines[i]
        a = max(0, c.start - starts[i])
        b = min(len(line), c.end - starts[i])
        segs.setdefault(i, []).append((s0 + a, s0 + b, c.rule, c.reason))
    for i, seg in segs.items():
        s0, e0, _line = lines[i]
        seg.sort()
        if not seg[0][0] == s0:
            seg[0] = (s0, *seg[0][1:])
        if not seg[-1][1] == e0:
            seg[-1] = (seg[-1][0], e0, *seg[-1][2:])
        removals[i] = Removal(s0, e0, tuple(seg), action="lift")
    chrome = list(marks.get("header_chrome", ())) if marks is not None else []
    if not chrome or marks.get("header_chrome") == before or not _enabled(doc, PRE_TITLE_CHROME):
        return bool(segs)
    for i, ln in enumerate(lines):
        if not chrome:
            break
        s = ln[2].strip()
        if not s or i in removals:
            continue
        if s != chrome[0]:
            break
        chrome.pop(0)
        removals[i] = Removal(ln[0], ln[1], ((ln[0], ln[1], PRE_TITLE_CHROME,
                              "above the title (metadata.lift_title): page chrome, not article text"),))  # fmt: skip
    return True


def _apply_profile(
    stripped: Sequence[str],
    lines: Sequence[tuple[int, int, str]],
    zones: Sequence[str],
    removals: dict[int, Removal],
    doc: object,
    pinned: object,
    learned: object,
) -> None:
    """Drop the lines of the document's site profile; flag those inside the body zone.

    The pinned profile (``[site."<key>"] boilerplate_lines``; the effective config holds
    only the document's own site's) and the learned one that matches the document
    (:func:`cleaners.stages.profiles.profile_for`) are used together."""
    keys = [normalize_line(s) if s else "" for s in stripped]
    meta = getattr(doc, "metadata", None) or {}
    found = []
    if pinned:
        found += [(f"[site.{site!r}] boilerplate_lines", site, lines)
                  for site, lines in lines_of(pinned).items()]  # type: ignore[arg-type]  # fmt: skip
    if learned:
        hit = profile_for((k for k in keys if k), learned, meta.get("site"))  # type: ignore[arg-type]
        if hit is not None:
            found.append((f"_profiles/ of {hit[0]!r}", hit[0], hit[1]))
    if not found:
        return
    profile = frozenset().union(*(f[2] for f in found))
    where = "; ".join(f[0] for f in found)
    site = found[0][1]
    cite = f"site profile {site!r} ({len(profile)} lines; {where})"
    flag = getattr(doc, "flag", None)
    for i, key in enumerate(keys):
        if not key or i in removals or key not in profile:
            continue
        s, e, _line = lines[i]
        if zones[i] == "body":
            if flag is not None:
                flag(SITE_PROFILE, s, e, stripped[i][:80],
                     f"line of the {cite} between body paragraphs: kept")  # fmt: skip
            continue
        removals[i] = Removal(s, e, ((s, e, SITE_PROFILE, f"line of the {cite}"),))


def _user_claimer(config: object) -> object:
    """:func:`cleaners.stages.user.claimer`, imported late (userrules imports this stage's
    tables)."""
    from cleaners.stages.user import claimer

    return claimer(config)  # type: ignore[arg-type]


def _classifier_params(doc: object) -> classify.Params:
    """The classifier's thresholds from the document's config (defaults when unset)."""
    config = getattr(doc, "config", None)
    if config is None or not config.thresholds:
        return classify.DEFAULT_PARAMS
    return classify.Params(
        *(config.threshold(f"boilerplate.classifier_{name}") for name in classify.Params._fields)
    )


def _apply_classifier(
    stripped: Sequence[str],
    lines: Sequence[tuple[int, int, str]],
    removals: dict[int, Removal],
    doc: object,
    *,
    again: bool = False,
    memo: dict | None = None,
) -> None:
    """Run :func:`cleaners.stages.classify.classify_page` and turn its verdicts into removals
    and review entries. ``again``: classify only the lines kept so far (removed lines
    blanked), add what it drops, and flag nothing new."""
    params = _classifier_params(doc)
    if again:
        kept = ["" if i in removals else s for i, s in enumerate(stripped)]
        verdicts = classify.classify_page(kept, memo=memo, params=params)
    else:
        verdicts = classify.classify_page(stripped, sure=removals.keys(), memo=memo, params=params)
    flag = getattr(doc, "flag", None) if not again else None
    config = getattr(doc, "config", None)
    claimed = _user_claimer(config) if config is not None and config.user_rules else None
    marker = next(
        (v.index for v in verdicts if v is not None and v.reason in (classify.AFTER_END, classify.RECORD_LIST)),
        None,
    )
    if any(v is not None and v.reason == classify.NO_ARTICLE for v in verdicts):
        if flag is not None and _enabled(doc, FLAG_NO_ARTICLE):
            kept = sum(1 for v in verdicts if v is not None and not v.drop)
            first = next(i for i, v in enumerate(verdicts) if v is not None and not v.drop)
            s, e, _ = lines[first]
            flag(FLAG_NO_ARTICLE, s, e, stripped[first][:80],
                 f"no article found (no stretch of prose): {kept} lines kept, only sure chrome dropped")  # fmt: skip
    drops = {
        v.index for v in verdicts
        if v is not None and v.drop and not v.flag and _enabled(doc, v.reason)
        and not (claimed is not None and claimed(stripped[v.index]))
    }  # fmt: skip
    if drops and all(i in removals or i in drops for i, x in enumerate(stripped) if x):
        # nothing would be left: a page that is all one kind of line (a list, a poem with a
        # refrain, a test file) is not all chrome; keep it and say so
        if flag is not None and _enabled(doc, FLAG_NO_ARTICLE):
            first = min(drops)
            s, e, _ = lines[first]
            flag(FLAG_NO_ARTICLE, s, e, stripped[first][:80],
                 f"the line classifier would drop all {len(drops)} remaining lines: kept")  # fmt: skip
        return
    for v in verdicts:
        if v is None:
            continue
        s, e, _line = lines[v.index]
        if v.flag:
            if flag is not None:
                flag(FLAG_PROSE_OUTSIDE, s, e, stripped[v.index][:80],
                     "prose outside the article region: kept, check whether it is the article's")  # fmt: skip
            continue
        if not v.drop or not _enabled(doc, v.reason):
            continue
        if claimed is not None and claimed(stripped[v.index]):
            continue  # a user drop rule takes it, under the user's id
        if v.reason == classify.AFTER_END:
            if v.index == marker:
                why = f"{stripped[v.index][:60]!r} opens the page tail after the article"
            else:
                why = f"below the end marker {stripped[marker][:60]!r}: the article is over"  # type: ignore[index]
        elif v.reason == classify.RECORD_LIST:
            why = (f"in the list of dated records (comments, other stories) that starts at "
                   f"{stripped[marker][:60]!r} after the article")  # type: ignore[index]  # fmt: skip
        else:
            what = _CF_WORDS.get(v.cf_reason, f"{v.cf_class.value} line ({v.cf_reason})")
            where = "outside the article region" if v.reason != v.cf_reason or v.cf_class is not classify.BlockClass.UNSURE else ""
            why = f"{what}, {where or 'outside the article region'}"
        removals[v.index] = Removal(s, e, ((s, e, v.reason, why),))


def _licence_removal(
    i: int,
    line: tuple[int, int, str],
    items: list[tuple[int, int, Entry]],
    zone: str,
    removals: dict[int, Removal],
    doc: object,
) -> None:
    """Drop a licence line: one segment per item when the line holds nothing else.

    A line that also holds other text is dropped whole when that text is a rights notice,
    or when the line is no body paragraph and is short or outside the body; a paragraph
    that cites a licence number is kept and flagged.
    """
    start, end, text = line
    residue = []
    pos = 0
    for s, e, _entry in items:
        residue.append(text[pos:s])
        pos = e
    residue.append(text[pos:])
    rest = "".join(residue)
    names = ", ".join(text[s:e] for s, e, _ in items)
    if all(ch in _SEPARATORS for ch in rest):
        segs = []
        for k, (s, _e, entry) in enumerate(items):
            seg_start = start if k == 0 else start + s
            seg_end = end if k + 1 == len(items) else start + items[k + 1][0]
            reason = f"licence/filing number {text[s:_e]!r} (PRC footer)"
            segs.append((seg_start, seg_end, entry.id, reason))
        removals[i] = Removal(start, end, tuple(segs))
        return
    first = items[0][2]
    stripped = text.strip()
    if _RIGHTS_RESIDUE_RE.search(rest) or (
        not is_long_paragraph(stripped)
        and (zone in ("header", "footer") or len(stripped) <= _limit(doc, "licence_line_max_chars", LICENCE_LINE_MAX_CHARS_DEFAULT))
    ):
        reason = f"footer line with licence/filing number(s) {names}"
        removals[i] = Removal(start, end, ((start, end, first.id, reason),))
        return
    flag = getattr(doc, "flag", None)
    if flag is not None:
        flag(first.id, start, end, stripped[:80],
             f"licence number(s) {names} inside a paragraph of other text: kept", None)  # fmt: skip


def _is_headline(line: str, max_chars: float = HEADLINE_MAX_CHARS_DEFAULT) -> bool:
    return len(line) <= max_chars and not ends_sentence(line)


def _caption_blocks(
    stripped: Sequence[str], zones: Sequence[str], removals: dict[int, Removal], doc: object = None
) -> Iterator[list[int]]:
    """Runs of 2-3 short unpunctuated lines set apart by single newlines in the body zone
    of a page whose paragraphs are separated by blank lines (seed 003:36-37)."""
    n = len(stripped)
    blank_breaks = single_breaks = 0
    for i in range(n - 1):
        if stripped[i]:
            if stripped[i + 1]:
                single_breaks += 1
            else:
                blank_breaks += 1
    share = _limit(doc, "blank_break_share", BLANK_BREAK_SHARE_DEFAULT)
    max_chars = _limit(doc, "caption_max_chars", CAPTION_MAX_CHARS_DEFAULT)
    if blank_breaks < 3 or blank_breaks < share * (blank_breaks + single_breaks):
        return
    lo, hi = CAPTION_LINES_DEFAULT
    i = 0
    while i < n:
        if not stripped[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and stripped[j + 1]:
            j += 1
        block = list(range(i, j + 1))
        i = j + 1
        if not lo <= len(block) <= hi:
            continue
        if any(zones[k] != "body" or k in removals for k in block):
            continue
        if all(_is_caption_line(stripped[k], max_chars) for k in block):
            yield block


def _is_caption_line(line: str, max_chars: float = CAPTION_MAX_CHARS_DEFAULT) -> bool:
    return (
        len(line) <= max_chars
        and len(line.split()) >= 3
        and not ends_sentence(line)
        and not line.endswith((":", ";", ","))
        and not _LIST_MARKER_RE.match(line)
    )


STAGE = Stage("boilerplate", (drop_page_chrome,))
