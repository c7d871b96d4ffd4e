"""Line classifier for page text: keep the article, drop the page around it.

Scraped page text has one block per line: menus, headlines of other stories, cookie
notices, footers, comment threads and the article itself. Following jusText (STYLE.md §4,
§10), every line gets features computed once (:class:`LineFeatures`), a context-free class
from a flat ladder (:func:`classify_line`), and a revised class from its context
(:func:`classify_page`):

1. **First pass.** Long lines full of stop words are prose (``CONTENT``); link-only lines,
   pipe-separated menus, recurring date stamps and long lines without stop words are
   ``BOILERPLATE``; short lines are ``SHORT`` (a heading, a list item or a menu entry: only
   context can tell); medium lines with some stop words are ``UNSURE``. Each reason id
   carries a prior: how likely a line of that kind belongs to the article
   (:data:`PRIOR_DEFAULT`).
2. **The article region.** The article is the densest stretch of prose. Each line scores
   ``words × (2·prior − 1)`` (prose counts for, chrome against), and a two-state path
   (outside / inside the article) that pays a switch cost (``classifier_switch_cost``) per
   change of state picks the lines inside (:func:`article_region`). A short line between paragraphs is thus
   a heading or a list item and stays; a menu of forty labels is not worth crossing.
3. **The end of the article.** A related-stories, comments, share or tags header
   (:data:`~cleaners.rules.boilerplate.END_MARKER_TABLE`) closes the article when most of
   the region's prose lies above it, or when dated records (comments, teasers) follow it;
   a run of dated records after the article closes it too (:func:`end_cut`). The rest
   goes with it.
4. **Revision.** Outside the region, chrome and short lines are dropped, each under the
   rule id of its first-pass reason; prose outside the region is kept and flagged (never
   drop an article line on a guess). A page without any article (a shop grid, a home page)
   keeps everything except sure chrome; a snippet of a few lines is left alone.

Both classes and both reasons are kept in each :class:`Verdict`. Everything here is pure
(lines in, verdicts out); the ``boilerplate`` stage turns verdicts into edits.

What enters: a page's stripped lines. What leaves: one :class:`Verdict` per non-empty line.
The parts: :mod:`.features` (step 1's input), :mod:`.ladder` (step 1: classes, reason ids,
priors, :class:`Params`), :mod:`.region` (steps 2-3), :mod:`.markers` (end markers); this
module runs them and revises (step 4).

Priors and thresholds were set from line statistics of the shared bench pages and checked
on the half of the pages not used to set them (token F1 0.787 / 0.785 on the two halves).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

from cleaners.stages.boilerplate.classify.features import (
    LENGTH_LOW_DEFAULT,
    LineFeatures,
    _Line,
    compute_features,
    norm_key,
    page_language,
)
from cleaners.stages.boilerplate.classify.ladder import (
    AFTER_END,
    BLURB_LINE,
    CODE,
    DEFAULT_PARAMS,
    IN_ARTICLE,
    LINK_LINE,
    NAV_LABEL,
    NO_ARTICLE,
    NO_STOP_LIST,
    PRIOR_DEFAULT,
    PROSE,
    PROSE_OUTSIDE,
    PROSE_SHAPE,
    RECORD_LIST,
    RECORD_STAMP,
    REPEATED_LINE,
    SEPARATED_MENU,
    SHORT_CODE,
    SHORT_FRAGMENT,
    SHORT_LINE,
    SHORT_LIST_ITEM,
    SHORT_PHRASE,
    SHORT_SENTENCE,
    SMALL_PAGE,
    SOME_PROSE,
    SURE,
    SURE_PRIOR_DEFAULT,
    WORDLIST_LINE,
    BlockClass,
    Params,
    classify_line,
)
from cleaners.stages.boilerplate.classify.markers import is_comment_marker, is_end_marker
from cleaners.stages.boilerplate.classify.region import (
    PROSE_PRIOR_DEFAULT,
    SWITCH_COST_MIN_DEFAULT,
    SWITCH_COST_PER_LINE_DEFAULT,
    article_region,
    end_cut,
)

#: The package's API: the classifier, its parts, and the reason-id vocabulary.
__all__ = [
    "AFTER_END", "BLURB_LINE", "CODE", "DEFAULT_PARAMS", "IN_ARTICLE", "LENGTH_LOW_DEFAULT",
    "LINK_LINE", "NAV_LABEL", "NO_ARTICLE", "NO_STOP_LIST", "PRIOR_DEFAULT", "PROSE",
    "PROSE_OUTSIDE", "PROSE_SHAPE", "RECORD_LIST", "RECORD_STAMP", "REPEATED_LINE",
    "SEPARATED_MENU", "SHORT_CODE", "SHORT_FRAGMENT", "SHORT_LINE", "SHORT_LIST_ITEM",
    "SHORT_PHRASE", "SHORT_SENTENCE", "SMALL_PAGE", "SOME_PROSE", "SURE", "WORDLIST_LINE",
    "BlockClass", "LineFeatures", "Params", "Verdict", "article_region", "classify_line",
    "classify_page", "compute_features", "end_cut", "is_comment_marker", "is_end_marker",
    "norm_key", "page_language",
]  # fmt: skip

#: A region with fewer prose words than ``params.article_min_words`` is no article: the
#: page keeps everything except lines whose prior is below this.
NO_ARTICLE_DROP_BELOW_DEFAULT = 0.16
#: A text of fewer non-empty lines than this without an article is a snippet, not a page:
#: the classifier leaves it alone.
NO_ARTICLE_MIN_LINES_DEFAULT = 10
#: Extra rounds of classifying the kept lines until nothing more is dropped.
FIXPOINT_ROUNDS_DEFAULT = 3


class Verdict(NamedTuple):
    """The classifier's decision for one line: first-pass and revised class, with reasons.

    ``cf_reason`` and ``reason`` are reason ids: ``boilerplate.*`` ids are the rules a
    dropped line is recorded under; ``content.*``, ``unsure.*`` and ``short.*`` ids explain
    a keep. (A named tuple: a page makes hundreds per round, and a tuple is built several
    times faster than a frozen dataclass.)
    """

    index: int
    cf_class: BlockClass
    cf_reason: str
    cls: BlockClass
    reason: str
    #: Keep the line but add a review entry (the classifier is not sure).
    flag: bool = False

    @property
    def drop(self) -> bool:
        """Whether the line goes (revised class boilerplate or short)."""
        cls = self.cls
        return cls is BlockClass.BOILERPLATE or cls is BlockClass.SHORT


def _drop_reason(cls: BlockClass, reason: str) -> str:
    if reason.startswith("boilerplate."):
        return reason
    return BLURB_LINE if cls in (BlockClass.UNSURE, BlockClass.BOILERPLATE) else SHORT_LINE


def classify_page(
    lines: Sequence[str],
    *,
    sure: Collection[int] = (),
    lang: str | None = None,
    memo: dict[str, _Line] | None = None,
    params: Params = DEFAULT_PARAMS,
) -> list[Verdict | None]:
    """Verdicts for every stripped line of a page (``None`` for blank lines).

    ``sure`` are indices the pattern tables (or a site profile) already drop: they count as
    chrome for the region and get no verdict of their own.

    The verdicts are a fixed point: classifying only the lines kept drops nothing more
    (at most :data:`FIXPOINT_ROUNDS_DEFAULT` extra rounds), so a second cleaning of the
    output changes nothing. Without this, a label kept at the edge of a region that ran on
    into a comment thread (cut at its end marker) would go only in the second run.

    ``memo`` keeps the per-line facts (which depend on a line's text alone) for further
    calls on the same page, e.g. on the lines kept after a first call. ``params``: the
    thresholds a config file set (:class:`Params`).

    >>> menu = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather", "Sign In"]
    >>> page = [*menu,
    ...         "The council voted on Tuesday to close the old bridge, which has been in a poor "
    ...         "state for years, and to build a new one by the end of the decade, after a long "
    ...         "debate about the cost of the work and about the time it would take.",
    ...         "Work will start in the spring, the mayor said, and the cost will be shared "
    ...         "with the region, which has set aside money for it in its budget for the next "
    ...         "three years and has promised to pay for a ferry while the bridge is closed.",
    ...         "Privacy Policy", "Terms and Conditions", "Contact Us", "Careers", "Advertise"]
    >>> verdicts = classify_page(page)
    >>> [v.index for v in verdicts if not v.drop]
    [8, 9]
    >>> sorted({(v.reason, v.cls.value) for v in verdicts if v.drop})
    [('boilerplate.drop_nav_label', 'boilerplate'), ('boilerplate.drop_short_line', 'boilerplate')]
    """
    if memo is None:
        memo = {}
    verdicts = _classify_once(lines, sure, lang, memo, params)
    for _ in range(FIXPOINT_ROUNDS_DEFAULT):
        kept = [s if (v is not None and not v.drop) else "" for s, v in zip(lines, verdicts)]
        again = _classify_once(kept, (), None, memo, params)
        newly = [v for v in again if v is not None and v.drop]
        if not newly:
            break
        for v in newly:
            verdicts[v.index] = v
    return verdicts


def _classify_once(
    lines: Sequence[str],
    sure: Collection[int],
    lang: str | None,
    memo: dict[str, _Line],
    params: Params = DEFAULT_PARAMS,
) -> list[Verdict | None]:
    """One pass of :func:`classify_page`: features, first pass, region, end cut, revision."""
    features = compute_features(lines, lang, memo=memo)
    first: list[tuple[BlockClass, str] | None] = [
        classify_line(f, params) if f is not None else None for f in features
    ]
    priors = [0.0] * len(lines)
    for f, cf in zip(features, first):
        if f is not None and cf is not None:
            priors[f.index] = SURE_PRIOR_DEFAULT if f.index in sure else PRIOR_DEFAULT[cf[1]]
    n_lines = sum(1 for f in features if f is not None)
    floor = min(SWITCH_COST_MIN_DEFAULT, params.switch_cost)
    switch = min(params.switch_cost, max(floor, SWITCH_COST_PER_LINE_DEFAULT * n_lines))
    region = article_region(features, priors, switch_cost=switch)
    if region:
        # a record stamp right above the article is its dateline (or a forum's first post
        # header): it belongs to the article
        above = next((f for f in reversed(features[: min(region)]) if f is not None), None)
        if above is not None and above.stamp and above.index not in sure:
            region.add(above.index)
    prose = sum(features[k].words for k in region if priors[k] >= PROSE_PRIOR_DEFAULT)  # type: ignore[union-attr]
    out: list[Verdict | None] = [None] * len(lines)
    if prose < params.article_min_words:
        small = sum(1 for f in features if f is not None) < NO_ARTICLE_MIN_LINES_DEFAULT
        for f, cf in zip(features, first):
            if f is None or cf is None or f.index in sure:
                continue
            cls, reason = cf
            if small:
                out[f.index] = Verdict(f.index, cls, reason, BlockClass.UNSURE, SMALL_PAGE)
            elif priors[f.index] < NO_ARTICLE_DROP_BELOW_DEFAULT:
                out[f.index] = Verdict(f.index, cls, reason, BlockClass.BOILERPLATE, reason)
            else:
                out[f.index] = Verdict(f.index, cls, reason, BlockClass.UNSURE, NO_ARTICLE)
        return out
    found = end_cut(features, priors, region)
    cut, cut_reason = found if found is not None else (None, AFTER_END)
    for f, cf in zip(features, first):
        if f is None or cf is None or f.index in sure:
            continue
        cls, reason = cf
        i = f.index
        if cut is not None and i >= cut:
            out[i] = Verdict(i, cls, reason, BlockClass.BOILERPLATE, cut_reason)
        elif i in region:
            out[i] = Verdict(i, cls, reason, BlockClass.CONTENT, IN_ARTICLE)
        elif cls is BlockClass.CONTENT:
            out[i] = Verdict(i, cls, reason, BlockClass.UNSURE, PROSE_OUTSIDE, flag=True)
        else:
            out[i] = Verdict(i, cls, reason, BlockClass.BOILERPLATE, _drop_reason(cls, reason))
    return out
