"""The article region and its end: where the article starts and stops in a page.

What enters: the page's :class:`~cleaners.stages.boilerplate.classify.features.LineFeatures`
and each line's prior (from the first pass). What leaves: the indices inside the article
(:func:`article_region`, a two-state Viterbi path) and where the article ends, with the
rule id of the cut (:func:`end_cut`: an end marker, or a run of dated records).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from cleaners.stages.boilerplate.classify.features import LENGTH_LOW_DEFAULT, LineFeatures
from cleaners.stages.boilerplate.classify.ladder import AFTER_END, DEFAULT_PARAMS, RECORD_LIST

#: On a short page the switch cost shrinks to this much per non-empty line (not below the
#: minimum): a page of twenty lines has no forty-line menu to keep out.
SWITCH_COST_PER_LINE_DEFAULT = 0.2
SWITCH_COST_MIN_DEFAULT = 3.0
#: Every line weighs at least this many words in the region score (a label is a whole block).
LINE_MIN_WORDS_DEFAULT = 2.0
#: Prose words (lines with a prior of at least :data:`PROSE_PRIOR_DEFAULT`) above an end
#: marker before it may close the article, and the largest share of the region's prose that
#: may follow it.
END_MIN_WORDS_DEFAULT = 60
END_TAIL_SHARE_DEFAULT = 0.75
PROSE_PRIOR_DEFAULT = 0.6
#: An end marker closes the article whatever follows when this many record stamps (dated
#: comments, dated teasers) follow it within this many lines.
COMMENT_STAMPS_DEFAULT = 2
COMMENT_WINDOW_DEFAULT = 12
#: Without an end marker, this many more record stamps within the window start a list of
#: records (and the article has ended).
RECORD_STAMPS_DEFAULT = 3


def article_region(
    features: Sequence[LineFeatures | None],
    priors: Sequence[float],
    *,
    switch_cost: float = DEFAULT_PARAMS.switch_cost,
) -> set[int]:
    """Indices of the lines inside the article: the best outside/inside path.

    Inside, a line earns ``words × (2·prior − 1)`` (each line weighs at least
    :data:`LINE_MIN_WORDS_DEFAULT` words); each change of state costs ``switch_cost``, also
    at the page's start and end. A Viterbi pass over the non-empty lines finds the best
    path: one or several stretches.

    >>> from cleaners.stages.boilerplate.classify.features import compute_features
    >>> menu = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather"]
    >>> feats = compute_features([*menu, "A " * 40 + "end.", *menu], "en")
    >>> sorted(article_region(feats, [0.1] * 7 + [0.8] + [0.1] * 7))
    [7]
    >>> feats = compute_features([*menu, "A " * 40 + "end.", "Advertisement", "B " * 40 + "end.", *menu], "en")
    >>> sorted(article_region(feats, [0.1] * 7 + [0.8, 0.1, 0.8] + [0.1] * 7))  # an ad is bridged
    [7, 8, 9]
    """
    lines = [f for f in features if f is not None]
    if not lines:
        return set()
    out_score, in_score = 0.0, -switch_cost
    back: list[tuple[bool, bool]] = []  # (came from inside when outside, came from inside when inside)
    for f in lines:
        gain = max(f.words, LINE_MIN_WORDS_DEFAULT) * (2.0 * priors[f.index] - 1.0)
        stay_in = in_score
        enter = out_score - switch_cost
        leave = in_score - switch_cost
        back.append((leave > out_score, stay_in >= enter))
        out_score, in_score = max(out_score, leave), max(stay_in, enter) + gain
    inside = in_score - switch_cost > out_score
    keep: set[int] = set()
    for k in range(len(lines) - 1, -1, -1):
        from_out, from_in = back[k]
        if inside:
            keep.add(lines[k].index)
            inside = from_in
        else:
            inside = from_out
    return keep


def end_cut(
    features: Sequence[LineFeatures | None],
    priors: Sequence[float],
    region: Collection[int],
) -> tuple[int, str] | None:
    """Where the article ends, and why: ``(index, rule id)``, or ``None``.

    ``boilerplate.drop_after_end_marker``: the first end marker at or after the region's
    start with at least :data:`END_MIN_WORDS_DEFAULT` words of prose above it (inside the
    region) and at most :data:`END_TAIL_SHARE_DEFAULT` times that much below it; or one
    followed within :data:`COMMENT_WINDOW_DEFAULT` lines by :data:`COMMENT_STAMPS_DEFAULT`
    recurring date stamps (dated comments or teasers of other stories, however many).

    ``boilerplate.drop_record_list``: without a marker, the first record stamp followed
    within the window by :data:`RECORD_STAMPS_DEFAULT` more, with less prose below than
    above (a news ticker, a list of other stories); the cut backs up over the first
    record's headline lines.

    Neither applies when such stamps also open the article (a forum thread or a live blog,
    where the posts are the content).
    """
    if not region:
        return None
    start = min(region)
    mass = [
        f.words if (f is not None and f.index in region and priors[f.index] >= PROSE_PRIOR_DEFAULT) else 0.0
        for f in features
    ]
    total = sum(mass)
    # a thread of dated posts that also starts the article is a forum page, not comments
    opens_with_stamp = any(
        f is not None and f.stamp for f in features[max(0, start - COMMENT_WINDOW_DEFAULT) : start + 2]
    )

    def stamps_after(i: int) -> int:
        window = features[i + 1 : i + 1 + COMMENT_WINDOW_DEFAULT]
        return sum(1 for g in window if g is not None and g.stamp)

    above = 0.0
    for f, m in zip(features, mass):
        above += m
        if f is None or f.index < start or above < END_MIN_WORDS_DEFAULT:
            continue
        if f.end_marker:
            if total - above < END_TAIL_SHARE_DEFAULT * above:
                return f.index, AFTER_END
            if not opens_with_stamp and stamps_after(f.index) >= COMMENT_STAMPS_DEFAULT:
                return f.index, AFTER_END
        elif (
            f.stamp
            and not opens_with_stamp
            and total - above < above
            and stamps_after(f.index) >= RECORD_STAMPS_DEFAULT
        ):
            k = f.index
            for _ in range(3):  # back over the first record's headline / author lines
                prev = next((g for g in reversed(features[start:k]) if g is not None), None)
                if prev is None or prev.sentence_end or prev.length >= LENGTH_LOW_DEFAULT:
                    break
                k = prev.index
            return k, RECORD_LIST
    return None

