"""Layout heuristics of the ``boilerplate`` stage: licence lines, headlines under a
related-block header, inline image captions, site-profile lines, and the site a footer names.

What enters: the page's lines (``(start, end, line)``), their stripped text and zones, the
removals planned so far and the document's state. What leaves: more planned removals
(:class:`~cleaners.rules.Removal`, one per line, under the rule id that took it) and review
entries; the thresholds come from the document's config (``[boilerplate]`` of scrubline.toml).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cleaners.core.state import DocState
from cleaners.core.lines import Removal, ends_sentence, is_long_paragraph
from cleaners.rules import Entry, register_heuristic
from cleaners.rules.boilerplate import ITEM_SEPARATORS
from cleaners.rules.metadata import SITE_SIGNATURES
from cleaners.core.safety import safe_compile
from cleaners.stages.boilerplate.profiles import lines_of, normalize_line, profile_for

#: Caption blocks: lines per block (the longest caption line is the
#: ``[boilerplate] caption_max_chars`` threshold).
CAPTION_LINES_DEFAULT = (2, 3)

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

_LIST_MARKER_RE = safe_compile(r"^(?:[-–•*·]|\d{1,2}[.)])\s")
_SEPARATORS = frozenset(ITEM_SEPARATORS)
_RIGHTS_RESIDUE_RE = safe_compile(
    r"(?i)copyright|©|&copy|all\s+rights\s+reserved|版权所有|保留一切权利|保留所有权利"
)


def limit(doc: DocState, key: str) -> int | float:
    """The threshold ``boilerplate.<key>`` of the document's config (its one home is
    :mod:`cleaners.core.config`, which declares it with its default)."""
    return doc.config.threshold(f"boilerplate.{key}")


def cite_site(line: str, doc: DocState) -> str:
    """Set ``metadata.site`` from a signature the dropped line carries; return a reason tail.

    >>> doc = DocState.for_text("")
    >>> cite_site("Newspapers in English", doc), doc.metadata["site"]
    ('; the line names the site pressreader.com', 'pressreader.com')
    """
    meta = doc.metadata
    if meta.get("site") is not None or len(line) > 120:
        return ""
    for sig in SITE_SIGNATURES:
        if sig.hit(line):
            meta["site"] = sig.site
            return f"; the line names the site {sig.site}"
    return ""


def drop_profile_lines(
    stripped: Sequence[str],
    lines: Sequence[tuple[int, int, str]],
    zones: Sequence[str],
    removals: dict[int, Removal],
    doc: DocState,
) -> None:
    """Drop the lines of the document's site profile; flag those inside the body zone.

    The pinned profile (``[site."<key>"] boilerplate_lines``; the effective config holds
    only the document's own site's) and the learned one that matches the document
    (:func:`cleaners.stages.boilerplate.profiles.profile_for`) are used together."""
    pinned, learned = doc.config.site_profiles, doc.config.learned_profiles
    if not (pinned or learned) or not doc.config.enabled(SITE_PROFILE):
        return
    keys = [normalize_line(s) if s else "" for s in stripped]
    meta = doc.metadata
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
    for i, key in enumerate(keys):
        if not key or i in removals or key not in profile:
            continue
        s, e, _line = lines[i]
        if zones[i] == "body":
            doc.flag(SITE_PROFILE, s, e, stripped[i][:80],
                     f"line of the {cite} between body paragraphs: kept")  # fmt: skip
            continue
        removals[i] = Removal(s, e, ((s, e, SITE_PROFILE, f"line of the {cite}"),))


def drop_licence_line(
    i: int,
    line: tuple[int, int, str],
    items: list[tuple[int, int, Entry]],
    zone: str,
    removals: dict[int, Removal],
    doc: DocState,
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
        and (zone in ("header", "footer") or len(stripped) <= limit(doc, "licence_line_max_chars"))
    ):
        reason = f"footer line with licence/filing number(s) {names}"
        removals[i] = Removal(start, end, ((start, end, first.id, reason),))
        return
    doc.flag(first.id, start, end, stripped[:80],
             f"licence number(s) {names} inside a paragraph of other text: kept", None)  # fmt: skip


def is_headline(line: str, max_chars: float) -> bool:
    """Whether a stripped line reads as a listed headline: short, no sentence end.

    >>> is_headline("Police search for missing hiker", 150), is_headline("He left.", 150)
    (True, False)
    """
    return len(line) <= max_chars and not ends_sentence(line)


def find_caption_blocks(
    stripped: Sequence[str], zones: Sequence[str], removals: dict[int, Removal], doc: DocState
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
    share = limit(doc, "blank_break_share")
    max_chars = limit(doc, "caption_max_chars")
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
        if all(is_caption_line(stripped[k], max_chars) for k in block):
            yield block


def is_caption_line(line: str, max_chars: float) -> bool:
    """Whether a stripped line can be an image caption: short, three words or more, no
    sentence end, no list marker.

    >>> is_caption_line("Tourists on the Great Wall in Beijing", 200)
    True
    >>> is_caption_line("- a list item here", 200), is_caption_line("A sentence ends.", 200)
    (False, False)
    """
    return (
        len(line) <= max_chars
        and len(line.split()) >= 3
        and not ends_sentence(line)
        and not line.endswith((":", ";", ","))
        and not _LIST_MARKER_RE.match(line)
    )
