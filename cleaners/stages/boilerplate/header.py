"""The page header read again once the chrome is gone (step 8 of the ``boilerplate`` stage).

What enters: the page's lines, the removals planned so far and the document's state. What
leaves: ``lift`` removals under the ``metadata`` stage's rule ids (title, dateline, byline
that only show under the menus once those are dropped), and chrome above the title.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from cleaners.core.state import DocState
from cleaners.core.lines import Removal
from cleaners.rules import register_heuristic
from cleaners.stages.metadata import lift_fields

PRE_TITLE_CHROME = register_heuristic(
    "boilerplate.drop_pre_title_chrome",
    category="header",
    description="Drop page chrome above the title (lead-image captions, kickers) found by metadata.",
)
#: The reason of a line dropped above the title.
PRE_TITLE_REASON = "above the title (metadata.lift_title): page chrome, not article text"


def reread_header(
    text: str,
    lines: Sequence[tuple[int, int, str]],
    removals: dict[int, Removal],
    doc: DocState,
) -> bool:
    """Lift the header (title, dateline, byline) that only shows once the chrome is gone;
    return whether anything was lifted.

    The ``metadata`` stage runs before this one and reads the header from the first lines
    of the page; under forty menu lines it finds none. Cleaning the output again would then
    find it, so this runs :func:`cleaners.stages.metadata.lift_fields` on the lines kept (removed
    lines blanked) and records its lifts here, under the metadata rule ids and reasons.
    Lines it marks as chrome above the title go as in step 1.
    """
    if not removals or not doc.config.enabled("metadata"):
        return False
    marks = doc.marks
    before = marks.get("header_chrome")
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
    chrome = list(marks.get("header_chrome", ()))
    if not chrome or marks.get("header_chrome") == before or not doc.config.enabled(PRE_TITLE_CHROME):
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
        removals[i] = Removal(ln[0], ln[1], ((ln[0], ln[1], PRE_TITLE_CHROME, PRE_TITLE_REASON),))
    return True
