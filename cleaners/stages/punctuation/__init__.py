"""Stage ``punctuation``: repair the punctuation machine translation and tokenizers leave.

Runs on the body lines (after metadata is lifted and boilerplate dropped), before
whitespace is normalized. Every rule keeps every letter and digit: it only drops, moves or
swaps marks and spaces, so meaning is never touched. Where a repair would be a guess (which
of two sentence boundaries was meant, which of two Chinese commas), the rule adds a review
entry with :meth:`~cleaners.core.state.DocState.flag` instead of editing.

Language and script decide what is a defect: French spacing before ``; : ! ?`` is correct,
German ``„…“`` / ``»…«`` and ``3 %`` are correct, fullwidth ``，。`` are correct between
Chinese characters and ASCII ones are not. No rule imposes a house style: quotes are never
curled or uncurled, only the odd one out inside one quotation is made to match.

Enters: the body text and the document state. Leaves: changes (repairs) and review
entries (flags), in the order of :data:`STAGE`: the repairs of :mod:`.marks` (doubled
marks, fullwidth marks in Latin text), :mod:`.quotes` and :mod:`.spacing` (spacing,
attributions), the fixed point of :mod:`.settle`, then the flags of :mod:`.flags`. Shared
helpers live in :mod:`.common`.

Sources: shared/SEEDS.md section 002 (the 17 catalogued defects of seed 002), shared/PATTERNS.md
section F. Trigger patterns live in :mod:`cleaners.rules.punctuation`.
"""

from __future__ import annotations

from cleaners.core.registry import Stage
from cleaners.stages.punctuation.common import apply_rule
from cleaners.stages.punctuation.flags import (
    flag_ascii_in_chinese,
    flag_comma_capital,
    flag_displaced_attribution,
    flag_period_lowercase,
    flag_reversed_opening_quote,
)
from cleaners.stages.punctuation.settle import REPAIRS, repeat_until_stable

STAGE = Stage(
    "punctuation",
    (
        *REPAIRS,
        repeat_until_stable,
        flag_displaced_attribution,
        flag_comma_capital,
        flag_period_lowercase,
        flag_ascii_in_chinese,
        flag_reversed_opening_quote,
    ),
)

__all__ = ["REPAIRS", "STAGE", "apply_rule"]
