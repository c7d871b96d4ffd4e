"""Boilerplate tables: licence and filing numbers, rights lines, navigation, prompts, stamps,
end-of-article markers.

Enters: nothing at run time. Leaves: the tables of :mod:`.licence` (numbered items found
inside a line), :mod:`.lines` (whole-line chrome and the tails glued to metadata lines) and
:mod:`.markers` (headers that close an article), collected here for the ``metadata`` and
``boilerplate`` stages. The ``boilerplate`` stage applies them in one pass
(:func:`cleaners.stages.boilerplate.drop_page_chrome`) whose rules are the tables' ids, and
its line classifier (:mod:`cleaners.stages.boilerplate.classify`) reads the markers.
"""

from __future__ import annotations

from types import MappingProxyType

from cleaners.rules.boilerplate.licence import ITEM_SEPARATORS, LICENCE_TABLE
from cleaners.rules.boilerplate.lines import LINE_TABLE, TAIL_TABLE
from cleaners.rules.boilerplate.markers import (
    COMMENT_MARKER_TABLE,
    END_MARKER_BANDS,
    END_MARKER_TABLE,
)

#: Entries by id, for the stage and the tests.
ENTRIES_BY_ID = MappingProxyType({e.id: e for e in (*LICENCE_TABLE, *LINE_TABLE)})

__all__ = [
    "COMMENT_MARKER_TABLE",
    "END_MARKER_BANDS",
    "END_MARKER_TABLE",
    "ENTRIES_BY_ID",
    "ITEM_SEPARATORS",
    "LICENCE_TABLE",
    "LINE_TABLE",
    "TAIL_TABLE",
]
