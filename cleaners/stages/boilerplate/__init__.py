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
6. lines of the document's site profile (:mod:`cleaners.stages.boilerplate.profiles`, from
   ``Config.site_profiles`` pinned, ``Config.learned_profiles`` learned), outside the body zone;
7. the line classifier (:mod:`cleaners.stages.boilerplate.classify`) on the lines left: it finds the article
   region and drops menus, labels, stamps, teasers and the tail after an end marker outside
   it, each under the rule id of the line's first-pass reason. Prose outside the article and
   pages without an article are kept and flagged for review. Text input only: from HTML,
   :mod:`cleaners.stages.extract` has already chosen the main content by the page's structure;
8. the header read again on the lines kept (:mod:`.header`): what only shows once the
   chrome is gone is lifted under the ``metadata`` stage's ids, and the kept lines are
   classified once more.

A dropped line goes with its newline (blank-line cleanup is the ``normalize`` stage's job).
A footer line that names its site (:data:`~cleaners.rules.metadata.SITE_SIGNATURES`) also
sets ``metadata.site``; the edit's reason cites the signature. When a licence number sits in
a long line of other text, the line is kept and flagged for review.

What enters: the page text and its :class:`~cleaners.core.state.DocState`. What leaves: drop
(and ``lift``) changes, each under the id of the rule that took the line. The stage runs one
pass, :func:`drop_page_chrome`, which is no rule itself: it emits the ids listed in
:data:`CHROME_RULES`, every one a registered rule that can be disabled alone. The parts:
:mod:`cleaners.stages.chrome` (table matching), :mod:`.layout` (licences, headlines,
captions, site profiles), :mod:`.classify` and :mod:`.verdicts` (the line classifier),
:mod:`.header` (step 8).
"""

from __future__ import annotations

from collections.abc import Iterator

from cleaners.core.document import Change
from cleaners.core.registry import Pass, Stage
from cleaners.core.state import DocState
from cleaners.core.textutil import iter_lines
from cleaners.core.lines import Removal, plan_line_removal
from cleaners.rules.boilerplate import LICENCE_TABLE, LINE_TABLE
from cleaners.stages.boilerplate.header import PRE_TITLE_CHROME, PRE_TITLE_REASON, reread_header
from cleaners.stages.boilerplate.layout import (
    CAPTION_BLOCK,
    RELATED_BLOCK,
    SITE_PROFILE,
    cite_site,
    drop_licence_line,
    drop_profile_lines,
    find_caption_blocks,
    is_headline,
    limit,
)
from cleaners.stages.boilerplate.verdicts import (
    CLASSIFIER_RULES,
    FLAG_NO_ARTICLE,
    FLAG_PROSE_OUTSIDE,
    drop_classified_lines,
)
from cleaners.stages.chrome import (
    could_hold_licence,
    find_licence_items,
    line_zones,
    lines_with_contains_word,
    match_line_entry,
)
from cleaners.stages.metadata import LIFT_RULES


def drop_page_chrome(text: str, doc: DocState) -> Iterator[Change]:
    """Drop footer, licence, navigation, prompt and caption lines, each under its own rule id.

    Applies the tables of :mod:`cleaners.rules.boilerplate` and the layout heuristics
    listed in the module docstring, in one pass over the lines.

    Leaves alone: sentences that mention a phrase (``…concerns about ethics, copyright
    protection…``, ``…leading newspapers in English and German…``), a Chinese sentence
    about a 许可证 without a number, nav-looking lines between body paragraphs.

    >>> body = "A long paragraph of the article that goes on and on. " * 4
    >>> t = body + "\\n\\nNewspapers in English\\n\\nNewspapers from Hong Kong"
    >>> [(c.rule, t[c.start:c.end]) for c in drop_page_chrome(t, DocState.for_text(t))]
    [('boilerplate.drop_aggregator_stamp', 'Newspapers in English\\n\\n'), ('boilerplate.drop_aggregator_stamp', 'Newspapers from Hong Kong')]
    >>> t = body + "\\n\\nThey read newspapers in English at school."
    >>> list(drop_page_chrome(t, DocState.for_text(t)))
    []
    """
    lines = list(iter_lines(text))
    if not lines:
        return
    stripped = [ln[2].strip() for ln in lines]
    zones = line_zones(stripped)
    removals: dict[int, Removal] = {}

    def whole(i: int, rule_id: str, reason: str) -> None:
        s, e, line = lines[i]
        reason += cite_site(line, doc)
        removals[i] = Removal(s, e, ((s, e, rule_id, reason),))

    # 1. chrome above the title, as the metadata stage recorded it
    chrome = list(doc.marks.get("header_chrome", ()))
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
        if doc.config.enabled(rid):
            whole(i, rid, PRE_TITLE_REASON)
        i += 1

    # 2-3. licence items and whole-line entries
    licences = could_hold_licence(text)
    contains = lines_with_contains_word(stripped)
    for i, s in enumerate(stripped):
        if not s or i in removals:
            continue
        if licences and len(s) >= 8:
            items = [it for it in find_licence_items(lines[i][2]) if doc.config.enabled(it[2].id)]
            if items:
                drop_licence_line(i, lines[i], items, zones[i], removals, doc)
                continue
        entry = match_line_entry(s, zones[i], contains=i in contains)
        if entry is not None and doc.config.enabled(entry.id):
            whole(i, entry.id, f"whole line is {entry.category} chrome")

    # 4. headlines under a related-block header, in the footer zone
    if doc.config.enabled(RELATED_BLOCK):
        for i in sorted(removals):
            if removals[i].segments[0][2] != RELATED_BLOCK or zones[i] != "footer":
                continue
            header = stripped[i]
            j = i + 1
            while j < len(lines):
                if not stripped[j]:
                    j += 1
                    continue
                if j in removals or not is_headline(stripped[j], limit(doc, "headline_max_chars")):
                    break
                whole(j, RELATED_BLOCK, f"headline listed under {header!r} in the footer")
                j += 1

    # 5. inline image captions
    if doc.config.enabled(CAPTION_BLOCK):
        for block in find_caption_blocks(stripped, zones, removals, doc):
            for i in block:
                whole(i, CAPTION_BLOCK, "short unpunctuated lines joined by single newlines "
                      "between body paragraphs: an image caption")  # fmt: skip

    # 6. the site profile
    drop_profile_lines(stripped, lines, zones, removals, doc)

    # 7. the line classifier on what is left: text input only. From HTML the extractor
    # has already chosen the main content by structure; judged again line by line, its
    # listings and tables read as chrome (token F1 on the 764 bench pages: 0.839 without
    # the classifier, 0.820 with it)
    classify_lines = doc.fmt != "html"
    memo: dict = {}  # per-line facts, shared by both classifier calls
    if classify_lines:
        drop_classified_lines(stripped, lines, removals, doc, memo=memo)

    # 8. the header, read again on the lines kept; what it lifts changes the page the
    # classifier sees, so classify the kept lines once more
    if reread_header(text, lines, removals, doc) and classify_lines:
        drop_classified_lines(stripped, lines, removals, doc, again=True, memo=memo)

    yield from plan_line_removal(text, lines, sorted(removals.items()))


#: Every rule id :func:`drop_page_chrome` emits, in the order ``scrubline rules`` lists
#: them: chrome above the title, the tables' rows, the layout heuristics, the line
#: classifier's rules and review flags; the header read again (step 8) emits the
#: ``metadata`` stage's ids.
CHROME_RULES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [PRE_TITLE_CHROME]
        + [e.id for e in LICENCE_TABLE]
        + [e.id for e in LINE_TABLE]
        + [CAPTION_BLOCK, SITE_PROFILE, *CLASSIFIER_RULES, FLAG_PROSE_OUTSIDE, FLAG_NO_ARTICLE]
        + list(LIFT_RULES)
    )
)

STAGE = Stage("boilerplate", (Pass(drop_page_chrome, emits=CHROME_RULES),))
