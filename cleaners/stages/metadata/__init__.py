"""Stage ``metadata``: lift the page header and photo credits out of the body into metadata.

The header is read from the lines above the first long paragraph. Its *anchor* is the
first dateline (a date at the start of a line, maybe followed by source, editor, credit)
or byline (``- By Cheng Yu``), within the first few lines. Around the anchor:

* the title is the nearest short line above it with no sentence punctuation at its end and
  no sentence break inside (a deck in capitals may sit between them); without an anchor no
  title is guessed (seed 001 starts mid-article);
* in a byline layout, a publication-name line that opens the page right above the title
  is ``source`` (PressReader, seed 004);
* lines above the title are page chrome: they are recorded in ``doc.marks["header_chrome"]``
  for the ``boilerplate`` stage, which drops them; if one of them could itself be the
  title, they are all kept and flagged;
* datelines, bylines and credits right below the anchor are lifted too (with at most one
  deck between two of them), and then a deck (short line with no final period, right
  before the first long paragraph) is ``subtitle``;
* a second dateline or byline further down the header makes it ambiguous (a teaser, a
  list of posts): nothing is lifted from it, and it is flagged.

Chrome and credit lines are skipped when the header is read, so a second run, after the
boilerplate stage dropped them, reads the same header (idempotency). Chrome glued to a
dateline (``… Editor : Li Yan ECNS App Download``) stays in the text as a line of its own,
for the boilerplate stage to drop under its own rule id. Photo credit lines
(``Ma Xuejing/China Daily``) are lifted wherever they stand. Fields keep the first value
found; absent fields stay ``None``; ``language`` is the pipeline's.

What enters: the page text and its :class:`~cleaners.core.state.DocState`. What leaves:
``lift`` changes under the field's rule id (:data:`LIFT_RULES`), the fields in
``doc.metadata``, and ``doc.marks["header_chrome"]``. The stage runs one pass,
:func:`lift_fields`, which is no rule itself. One line's fields are parsed in
:mod:`.fields`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from cleaners.core.document import Change
from cleaners.core.registry import Pass, Stage
from cleaners.core.state import DocState
from cleaners.core.textutil import iter_lines
from cleaners.core.lines import Removal, is_long_paragraph, plan_line_removal
from cleaners.stages.metadata.fields import (
    _CREDIT_GATE_RE,
    BYLINE,
    CREDIT,
    DATE,
    EDITOR,
    SOURCE,
    SOURCE_LINE_RE,
    SUBTITLE,
    TITLE,
    Field,
    classify_header_line,
    could_pass_credit_gate,
    credit_value,
    is_all_caps,
    is_deck_shape,
    is_publication_shape,
    is_title_shape,
)

#: The dateline or byline must come within this many non-empty lines (chrome and credits
#: not counted) at the top of a page.
HEADER_LINES_DEFAULT = 12
#: At most this many lines above the first long paragraph are classified at all.
HEADER_SCAN_MAX_DEFAULT = 200
#: Page chrome above the title is dropped only if there are at most this many lines, each
#: at most this long; otherwise it is kept and flagged.
PRE_TITLE_LINES_DEFAULT = 6
PRE_TITLE_MAX_CHARS_DEFAULT = 300


def _set(doc: DocState, name: str, value: object) -> None:
    meta = doc.metadata
    if name in ("authors", "credits"):
        values = value if isinstance(value, list) else [value]
        current = meta.get(name) or []
        meta[name] = current + [v for v in values if v not in current]
    elif meta.get(name) is None:
        meta[name] = value


def lift_fields(text: str, doc: DocState) -> Iterator[Change]:
    """Lift title, subtitle, dateline fields, byline, source and photo credits into metadata.

    Each lifted span is its own edit (action ``lift``) with the field's rule id; see the
    module docstring for how the header is read.

    Leaves alone: a page that starts mid-article (no dateline or byline: no title is
    guessed), a date followed by prose, sentences that start with "By".

    >>> t = "AI chain spurred on by Sora\\n\\n- By Cheng Yu\\n\\n" + "Body sentence here. " * 9
    >>> [(c.rule, t[c.start:c.end]) for c in lift_fields(t, DocState.for_text(t))]
    [('metadata.lift_title', 'AI chain spurred on by Sora\\n\\n'), ('metadata.lift_byline', '- By Cheng Yu\\n\\n')]
    >>> t = "Go to the forum, he said.\\n" + "Body sentence here. " * 9
    >>> list(lift_fields(t, DocState.for_text(t)))
    []
    """
    lines = list(iter_lines(text))
    if not lines:
        return
    stripped = [ln[2].strip() for ln in lines]
    removals: dict[int, Removal] = {}

    def lift(i: int, fields: Sequence[Field]) -> None:
        s, e, _line = lines[i]
        segs = []
        for f in fields:
            if not doc.config.enabled(f.rule):
                continue
            _set(doc, f.name, f.value)
            segs.append((s + f.start, s + f.end, f.rule, f"{f.name}: {f.value!r}"))
        if segs:
            removals[i] = Removal(s, e, tuple(segs), action="lift")

    def lift_line(i: int, rid: str, name: str, value: object, why: str) -> None:
        if not doc.config.enabled(rid):
            return
        s, e, _line = lines[i]
        _set(doc, name, value)
        removals[i] = Removal(s, e, ((s, e, rid, f"{name}: {value!r} ({why})"),), action="lift")

    # the header: non-empty lines above the first long paragraph
    idx: list[int] = []
    body_follows = False  # the header ends at a long paragraph (not at the scan limit)
    for i, s in enumerate(stripped):
        if not s:
            continue
        if is_long_paragraph(s):
            body_follows = True
            break
        if len(idx) >= HEADER_SCAN_MAX_DEFAULT:
            break
        idx.append(i)
    kinds = _Kinds(lines)  # classified on first use: most pages have no anchor
    anchor_pos = _find_anchor(idx, kinds)
    if anchor_pos is not None:
        end, decks = _block_end(idx, anchor_pos, kinds, stripped)
        later = [i for i in idx[end:] if kinds[i][0] in ANCHOR_KINDS]
        if later:
            # two separate headers (a teaser and the article, or a page of several posts):
            # which one is the article's cannot be told from layout; lift nothing
            a = idx[anchor_pos]
            doc.flag(TITLE, lines[a][0], lines[a][1], stripped[a][:80],
                     f"another dateline/byline further down the header ({stripped[later[0]][:40]!r}): "
                     "header not lifted")  # fmt: skip
        else:
            _read_header(
                idx, anchor_pos, end, decks, kinds, stripped, lines, doc, lift, lift_line, body_follows
            )

    # credits anywhere else (a one-call gate first: most lines cannot be credits)
    for i, s in enumerate(stripped):
        if not s or len(s) > 120 or i in removals:
            continue
        if not could_pass_credit_gate(s) or _CREDIT_GATE_RE.search(s) is None:
            continue
        credit = credit_value(s)
        if credit is not None:
            lift_line(i, CREDIT, "credits", credit, "photo credit line")

    yield from plan_line_removal(text, lines, sorted(removals.items()))


ANCHOR_KINDS = ("dateline", "byline")


class _Kinds(dict):
    """Line index -> :func:`~.fields.classify_header_line` result, computed when first asked for."""

    def __init__(self, lines: Sequence[tuple[int, int, str]]) -> None:
        super().__init__()
        self.lines = lines

    def __missing__(self, i: int) -> tuple[str, object]:
        value = self[i] = classify_header_line(self.lines[i][2])
        return value


#: Header lines that the header reading skips: dropped later, or lifted wherever they are.
_SKIPPED = ("chrome", "credit")


def _next_text(idx: Sequence[int], p: int, kinds: dict) -> int | None:
    """Position of the next header line after ``p`` that is neither chrome nor a credit."""
    for q in range(p + 1, len(idx)):
        if kinds[idx[q]][0] not in _SKIPPED:
            return q
    return None


def _find_anchor(idx: Sequence[int], kinds: dict) -> int | None:
    """Position in ``idx`` of the first dateline or byline, if it comes within the first
    :data:`HEADER_LINES_DEFAULT` lines that are neither chrome nor credits (those are
    dropped or lifted, so counting them would make a second run see a different header)."""
    counted = 0
    for p, i in enumerate(idx):
        kind = kinds[i][0]
        if kind in ANCHOR_KINDS:
            return p
        if kind not in ("chrome", "credit"):
            counted += 1
            if counted >= HEADER_LINES_DEFAULT:
                return None
    return None


def _block_end(idx: Sequence[int], p: int, kinds: dict, stripped: Sequence[str]) -> tuple[int, list[int]]:
    """End (position in ``idx``) of the header block that starts at the anchor: datelines,
    bylines, credits and chrome, and at most one deck sitting between two of them."""
    decks: list[int] = []
    while p < len(idx):
        i = idx[p]
        kind = kinds[i][0]
        if kind in ("dateline", "byline", "credit", "chrome"):
            p += 1
            continue
        q = _next_text(idx, p, kinds)
        if (
            kind == "text"
            and not decks
            and q is not None
            and kinds[idx[q]][0] in ANCHOR_KINDS
            and is_deck_shape(stripped[i])
        ):
            decks.append(i)
            p += 1
            continue
        break
    return p, decks


def _read_header(  # noqa: PLR0913
    idx: Sequence[int],
    anchor_pos: int,
    end: int,
    decks: Sequence[int],
    kinds: _Kinds,
    stripped: Sequence[str],
    lines: Sequence[tuple[int, int, str]],
    doc: DocState,
    lift: Callable[[int, Sequence[Field]], None],
    lift_line: Callable[[int, str, str, object, str], None],
    body_follows: bool,
) -> None:
    """Lift the title, source and deck around the anchor, and the anchor block itself."""
    anchor = idx[anchor_pos]
    above = idx[:anchor_pos]
    # chrome (dropped by the boilerplate stage) and credits (lifted anyway) are skipped, so
    # that a second run, which no longer has them, reads the header the same way
    text_above = [i for i in above if kinds[i][0] not in _SKIPPED]
    title = subtitle = None
    # the title: the nearest text line above the anchor (a deck in capitals may sit between)
    if text_above:
        b = text_above[-1]
        a = text_above[-2] if len(text_above) >= 2 else None
        if is_title_shape(stripped[b]):
            if (
                is_all_caps(stripped[b])
                and a is not None
                and is_title_shape(stripped[a])
                and not is_all_caps(stripped[a])
            ):
                title, subtitle = a, b
            else:
                title = b
    pre: list[int] = []
    if title is not None:
        lift_line(title, TITLE, "title", stripped[title], f"short line right above the {kinds[anchor][0]}")
        if subtitle is not None:
            lift_line(subtitle, SUBTITLE, "subtitle", stripped[subtitle], "capitals deck under the title")
        pre = [i for i in above if i < title and kinds[i][0] != "credit"]  # credits: lifted
        if (
            kinds[anchor][0] == "byline"
            and len(pre) == 1
            and pre[0] == idx[0]
            and kinds[pre[0]][0] == "text"
            and is_publication_shape(stripped[pre[0]])
        ):
            src = pre.pop()
            value = SOURCE_LINE_RE.fullmatch(stripped[src]).group("source")
            lift_line(src, SOURCE, "source", value, "publication name above the title (byline layout)")
        chrome = [i for i in pre if kinds[i][0] != "chrome"]
        # a title-shaped line above the title competes with it: keep everything then
        rival = any(is_title_shape(stripped[i]) for i in chrome)
        if (
            not rival
            and len(pre) <= PRE_TITLE_LINES_DEFAULT
            and all(len(stripped[i]) <= PRE_TITLE_MAX_CHARS_DEFAULT for i in pre)
        ):
            if pre:
                doc.marks["header_chrome"] = tuple(stripped[i] for i in pre)
        elif chrome:
            s = lines[chrome[0]][0]
            e = lines[chrome[-1]][1]
            doc.flag(TITLE, s, e, stripped[chrome[0]][:80],
                     f"{len(pre)} line(s) above the title kept: another title candidate, or too "
                     "many or too long to be sure they are chrome")  # fmt: skip
    # the anchor block: datelines, bylines, credits; chrome lines are left for boilerplate
    for i in idx[anchor_pos:end]:
        kind, value = kinds[i]
        if kind == "dateline":
            fields, _end = value
            lift(i, fields)
        elif kind == "byline":
            lift_line(i, BYLINE, "authors", value, "byline")
        elif kind == "credit":
            lift_line(i, CREDIT, "credits", value, "photo credit in the header")
        elif i in decks and subtitle is None:
            subtitle = i
            lift_line(i, SUBTITLE, "subtitle", stripped[i], "deck between dateline and byline")
    # the deck: the next text line, if the body starts right after it (chrome aside)
    p = end
    while p < len(idx) and kinds[idx[p]][0] in _SKIPPED:
        p += 1
    if p < len(idx) and subtitle is None:
        i = idx[p]
        if (
            kinds[i][0] == "text"
            and (title is None or stripped[i] != stripped[title])
            and is_deck_shape(stripped[i])
            and _next_text(idx, p, kinds) is None
            and body_follows
        ):
            lift_line(i, SUBTITLE, "subtitle", stripped[i], "deck between the header and the body")


#: Every rule id :func:`lift_fields` emits (edits and review entries).
LIFT_RULES = (TITLE, SUBTITLE, DATE, EDITOR, BYLINE, CREDIT, SOURCE)

STAGE = Stage("metadata", (Pass(lift_fields, emits=LIFT_RULES),))

