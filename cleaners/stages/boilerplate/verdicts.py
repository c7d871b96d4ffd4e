"""The line classifier's verdicts as edits of the ``boilerplate`` stage.

What enters: the page's lines, the removals the tables and heuristics planned, and the
document's state. What leaves: more removals, each under the rule id of the line's
first-pass reason (:mod:`cleaners.stages.boilerplate.classify`), and review entries for
prose kept outside the article and for pages without one. A line a user drop pattern takes
is left to the ``user`` stage, so that the user's id is on its edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaners.core.state import DocState
from cleaners.core.lines import Removal
from cleaners.rules import register_heuristic
from cleaners.stages.boilerplate import classify
from cleaners.stages.boilerplate.classify import DEFAULT_PARAMS, Params
from cleaners.stages.boilerplate.classify.ladder import DROP_RULES
from cleaners.stages.user import claimer

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
#: The rules the classifier's verdicts drop lines under (the last two cut the page's tail).
CLASSIFIER_RULES = (*DROP_RULES, classify.AFTER_END)
#: What the reason of a classifier edit says about each first-pass reason.
_CF_WORDS = {
    classify.NAV_LABEL: "a short capitalised label",
    classify.SEPARATED_MENU: "a menu of separated labels",
    classify.LINK_LINE: "a line of links",
    classify.RECORD_STAMP: "a recurring date/time stamp",
    classify.REPEATED_LINE: "a short line repeated in the page",
    classify.WORDLIST_LINE: "a long line without stop words",
}


def classifier_params(doc: DocState) -> Params:
    """The classifier's thresholds from the document's config."""
    config = doc.config
    return DEFAULT_PARAMS if not config.thresholds else Params.from_config(config)


def drop_classified_lines(
    stripped: Sequence[str],
    lines: Sequence[tuple[int, int, str]],
    removals: dict[int, Removal],
    doc: DocState,
    *,
    again: bool = False,
    memo: dict | None = None,
) -> None:
    """Run :func:`cleaners.stages.classify.classify_page` and turn its verdicts into removals
    and review entries. ``again``: classify only the lines kept so far (removed lines
    blanked), add what it drops, and flag nothing new."""
    params = classifier_params(doc)
    if again:
        kept = ["" if i in removals else s for i, s in enumerate(stripped)]
        verdicts = classify.classify_page(kept, memo=memo, params=params)
    else:
        verdicts = classify.classify_page(stripped, sure=removals.keys(), memo=memo, params=params)
    flag = doc.flag if not again else None
    config = doc.config
    claimed = claimer(config) if config.user_rules else None
    marker = next(
        (v.index for v in verdicts if v is not None and v.reason in (classify.AFTER_END, classify.RECORD_LIST)),
        None,
    )
    if any(v is not None and v.reason == classify.NO_ARTICLE for v in verdicts):
        if flag is not None and config.enabled(FLAG_NO_ARTICLE):
            kept = sum(1 for v in verdicts if v is not None and not v.drop)
            first = next(i for i, v in enumerate(verdicts) if v is not None and not v.drop)
            s, e, _ = lines[first]
            flag(FLAG_NO_ARTICLE, s, e, stripped[first][:80],
                 f"no article found (no stretch of prose): {kept} lines kept, only sure chrome dropped")  # fmt: skip
    drops = {
        v.index for v in verdicts
        if v is not None and v.drop and not v.flag and config.enabled(v.reason)
        and not (claimed is not None and claimed(stripped[v.index]))
    }  # fmt: skip
    if drops and all(i in removals or i in drops for i, x in enumerate(stripped) if x):
        # nothing would be left: a page that is all one kind of line (a list, a poem with a
        # refrain, a test file) is not all chrome; keep it and say so
        if flag is not None and config.enabled(FLAG_NO_ARTICLE):
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
        if not v.drop or not config.enabled(v.reason):
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
