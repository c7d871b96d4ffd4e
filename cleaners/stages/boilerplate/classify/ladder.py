"""The first pass of the line classifier: a flat ladder from a line's own features to a
class and a reason id.

What enters: :class:`~cleaners.stages.boilerplate.classify.features.LineFeatures` and the
thresholds a config may set (:class:`Params`). What leaves: ``(BlockClass, reason id)``.
The vocabulary lives here: the classes, the reason ids (those named ``boilerplate.*`` are
registered rules: the id a line is dropped under when it falls outside the article), and
each reason's prior (how likely such a line belongs to the article).
"""

from __future__ import annotations

from enum import Enum
from types import MappingProxyType
from typing import NamedTuple

from cleaners.core.config import DEFAULT_CONFIG, Config
from cleaners.rules import register_heuristic
from cleaners.rules.boilerplate import END_MARKER_TABLE
from cleaners.stages.boilerplate.classify.features import (
    LENGTH_LOW_DEFAULT,
    NAV_WORDS_DEFAULT,
    LineFeatures,
)

#: A short line of this many words with this stop-word share is a piece of wrapped prose.
FRAGMENT_WORDS_DEFAULT = 8
PHRASE_WORDS_DEFAULT = 4
FRAGMENT_STOP_DEFAULT = 0.25
#: A short line of at most :data:`NAV_WORDS_DEFAULT` words, mostly capitalised, is a
#: navigation label.
NAV_CAPITALISED_DEFAULT = 0.75
#: Share of a line taken by URLs / e-mail addresses / handles that makes it a link line.
LINK_SHARE_DEFAULT = 0.6
#: A line with at least this many ``|``/``•``/``»`` separators and no sentence end is a menu.
SEPARATORS_MIN_DEFAULT = 2
#: The prior of a line the pattern tables (or a site profile) already took as chrome.
SURE_PRIOR_DEFAULT = 0.02


class Params(NamedTuple):
    """The thresholds a config file may change (``classifier_<field>`` under
    ``[boilerplate]``); their one home is :mod:`cleaners.core.config`, which declares them
    with their defaults. Every other ``*_DEFAULT`` of the classifier is fixed.

    >>> DEFAULT_PARAMS.article_min_words, DEFAULT_PARAMS.switch_cost
    (80, 12.0)
    >>> DEFAULT_PARAMS._replace(article_min_words=200).switch_cost
    12.0
    """

    #: prose words a region needs to be an article
    article_min_words: float
    #: cost of entering or leaving the article region
    switch_cost: float
    #: characters a line needs to read as prose
    prose_min_chars: float
    #: stop-word share a long line needs to read as prose
    prose_stop_share: float
    #: stop-word share below which a long line is a word list
    wordlist_stop_share: float

    @classmethod
    def from_config(cls, config: Config) -> Params:
        """The values ``config`` sets (``boilerplate.classifier_<field>``), else the defaults."""
        return cls(*(config.threshold(f"boilerplate.classifier_{name}") for name in cls._fields))


#: The classifier's thresholds under the default config.
DEFAULT_PARAMS = Params.from_config(DEFAULT_CONFIG)

# -- the class vocabulary ---------------------------------------------------------------------


class BlockClass(Enum):
    """The closed vocabulary of line classes (jusText's good / bad / short / near-good)."""

    CONTENT = "content"
    BOILERPLATE = "boilerplate"
    SHORT = "short"
    UNSURE = "unsure"


# First-pass reason ids. Those that name a ``boilerplate.*`` rule are the rule a line is
# dropped under when it falls outside the article; the others only explain a keep.
LINK_LINE = "boilerplate.drop_link_line"
SEPARATED_MENU = "boilerplate.drop_separated_menu"
RECORD_STAMP = "boilerplate.drop_record_stamp"
WORDLIST_LINE = "boilerplate.drop_wordlist_line"
REPEATED_LINE = "boilerplate.drop_repeated_line"
NAV_LABEL = "boilerplate.drop_nav_label"
SHORT_LINE = "boilerplate.drop_short_line"
BLURB_LINE = "boilerplate.drop_blurb_line"
AFTER_END = END_MARKER_TABLE[0].id  # "boilerplate.drop_after_end_marker"
RECORD_LIST = "boilerplate.drop_record_list"
PROSE = "content.prose"
PROSE_SHAPE = "content.prose_shape"
IN_ARTICLE = "content.in_article"
NO_ARTICLE = "unsure.no_article"
SMALL_PAGE = "unsure.small_page"
PROSE_OUTSIDE = "unsure.prose_outside_article"
SOME_PROSE = "unsure.some_prose"
NO_STOP_LIST = "unsure.no_stop_list"
CODE = "unsure.code"
SURE = "boilerplate.sure"
SHORT_SENTENCE = "short.sentence"
SHORT_LIST_ITEM = "short.list_item"
SHORT_FRAGMENT = "short.prose_fragment"
SHORT_PHRASE = "short.phrase"
SHORT_CODE = "short.code"

#: The rules the ``boilerplate.*`` reasons drop lines under: ``(category, description)``,
#: registered here (``boilerplate.drop_after_end_marker`` is END_MARKER_TABLE's own id).
DROP_RULES = MappingProxyType({
    LINK_LINE: ("navigation", "Drop lines made of URLs, e-mail addresses or handles outside the article."),
    SEPARATED_MENU: ("navigation", "Drop menus of labels separated by | • » outside the article."),
    RECORD_STAMP: ("records", "Drop recurring date/time stamps of comments and teasers outside the article."),
    WORDLIST_LINE: ("listing", "Drop long lines without stop words (tag clouds, grids) outside the article."),
    REPEATED_LINE: ("navigation", "Drop short lines that repeat within the page, outside the article."),
    NAV_LABEL: ("navigation", "Drop short capitalised labels outside the article (menu entries)."),
    SHORT_LINE: ("short", "Drop other short lines outside the article (labels, buttons, headlines)."),
    BLURB_LINE: ("teaser", "Drop short prose outside the article (teasers, promos, blurbs)."),
    RECORD_LIST: ("records", "Drop the page tail where dated records (comments, other stories, a ticker) begin after the article."),
})  # fmt: skip
for _rid, (_category, _description) in DROP_RULES.items():
    register_heuristic(_rid, category=_category, description=_description)

#: How likely a line of each first-pass reason belongs to the article (0-1). Lines near
#: 0.5 are left to their neighbours; see the module docstring.
PRIOR_DEFAULT = MappingProxyType(
    {
        PROSE: 0.80,
        PROSE_SHAPE: 0.80,
        SOME_PROSE: 0.65,
        NO_STOP_LIST: 0.55,
        CODE: 0.50,
        SHORT_SENTENCE: 0.63,
        SHORT_LIST_ITEM: 0.70,
        SHORT_FRAGMENT: 0.75,
        SHORT_PHRASE: 0.55,
        SHORT_CODE: 0.50,
        SHORT_LINE: 0.30,
        NAV_LABEL: 0.12,
        REPEATED_LINE: 0.15,
        LINK_LINE: 0.40,
        SEPARATED_MENU: 0.10,
        RECORD_STAMP: 0.20,
        WORDLIST_LINE: 0.55,
        SURE: SURE_PRIOR_DEFAULT,
    }
)


def classify_line(f: LineFeatures, params: Params = DEFAULT_PARAMS) -> tuple[BlockClass, str]:
    """First-pass class of one line from its own features (no context): a flat ladder.

    >>> from cleaners.stages.boilerplate.classify.features import compute_features
    >>> def cf(line, lang="en"):
    ...     return classify_line(compute_features([line], lang)[0])
    >>> cf("Home | About | Contact | Privacy Policy")
    (<BlockClass.BOILERPLATE: 'boilerplate'>, 'boilerplate.drop_separated_menu')
    >>> cf("The committee met on Tuesday and agreed that the plan should go ahead. " * 3)
    (<BlockClass.CONTENT: 'content'>, 'content.prose')
    >>> cf("Sign In")
    (<BlockClass.SHORT: 'short'>, 'boilerplate.drop_nav_label')
    >>> cf("Preheat the oven to 200 degrees.")
    (<BlockClass.SHORT: 'short'>, 'short.sentence')
    """
    if f.stamp:
        return BlockClass.BOILERPLATE, RECORD_STAMP
    if f.link_share >= LINK_SHARE_DEFAULT:
        return BlockClass.BOILERPLATE, LINK_LINE
    if f.separators >= SEPARATORS_MIN_DEFAULT and not f.sentence_end:
        return BlockClass.BOILERPLATE, SEPARATED_MENU
    if f.length < LENGTH_LOW_DEFAULT:
        if f.repeats > 1 and not f.sentence_end:
            return BlockClass.SHORT, REPEATED_LINE
        if f.list_item:
            return BlockClass.SHORT, SHORT_LIST_ITEM
        if f.sentence_end:
            return BlockClass.SHORT, SHORT_SENTENCE
        if f.code:
            return BlockClass.SHORT, SHORT_CODE
        ratio = f.stop_ratio or 0.0
        if f.words >= FRAGMENT_WORDS_DEFAULT and ratio >= FRAGMENT_STOP_DEFAULT:
            return BlockClass.SHORT, SHORT_FRAGMENT
        if f.words >= PHRASE_WORDS_DEFAULT and ratio >= FRAGMENT_STOP_DEFAULT:
            return BlockClass.SHORT, SHORT_PHRASE
        if (
            f.words <= NAV_WORDS_DEFAULT
            and f.capitalised is not None
            and f.capitalised >= NAV_CAPITALISED_DEFAULT
        ):
            return BlockClass.SHORT, NAV_LABEL
        return BlockClass.SHORT, SHORT_LINE
    if f.stop_ratio is None:
        if f.markup:
            return BlockClass.UNSURE, CODE
        if f.length >= params.prose_min_chars and f.sentence_end:
            return BlockClass.CONTENT, PROSE_SHAPE
        return BlockClass.UNSURE, NO_STOP_LIST
    if f.markup:
        return BlockClass.UNSURE, CODE
    if f.stop_ratio >= params.prose_stop_share and f.length >= params.prose_min_chars:
        return BlockClass.CONTENT, PROSE
    if f.stop_ratio >= params.wordlist_stop_share:
        return BlockClass.UNSURE, SOME_PROSE
    if f.code:
        return BlockClass.UNSURE, CODE
    return BlockClass.BOILERPLATE, WORDLIST_LINE


# -- context ----------------------------------------------------------------------------------
