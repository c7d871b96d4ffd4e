"""OCR layout rules: running heads, page numbers, page breaks, hard-wrapped paragraphs.

Enters: the text of a document the detector (:mod:`.detect`) calls OCR, and its state.
Leaves: changes that drop running heads and page-number lines at page edges, the form
feeds between pages, and the line breaks inside hard-wrapped paragraphs.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from cleaners.core.document import Change
from cleaners.core.registry import rule
from cleaners.core.state import DocState
from cleaners.core.textutil import iter_lines
from cleaners.rules import ocr as T
from cleaners.stages.ocr.detect import (
    FULL_LINE_RATIO_DEFAULT,
    HEAD_CAPS_SHARE_DEFAULT,
    HEAD_MAX_CHARS_DEFAULT,
    HEAD_MAX_PAGE_GAP_DEFAULT,
    HEAD_MIN_LETTERS_DEFAULT,
    HEAD_MIN_PAGE_SHARE_DEFAULT,
    LONG_LINE_RATIO_DEFAULT,
    Line,
    PAGE_EDGE_LINES_DEFAULT,
    PAGE_RUN_MIN_DEFAULT,
    SHORT_LINE_RATIO_DEFAULT,
    _BLANK_LINE_RE,
    _DIGITS_RE,
    _FORM_FEED_RUN_RE,
    _NON_LETTERS_RE,
    _PAGE_NUMBERS_MARK,
    _applies,
    _doc,
    _ends_sentence,
    _page_number,
    _page_run,
    _prev_nonblank,
    line_width,
    wrap_width,
)


@dataclass(slots=True)
class _Pages:
    """Pages as lists of non-blank line indices (page numbers left out), and the numbers."""

    pages: list[list[int]]
    numbers: set[int]
    how: str


def _pages(lines: list[Line]) -> _Pages:
    if any("\f" in line for _s, _e, line in lines):
        pages: list[list[int]] = [[]]
        for i, (_s, _e, line) in enumerate(lines):
            if "\f" not in line:
                if line.strip():
                    pages[-1].append(i)
                continue
            before, _, after = line.partition("\f")
            if before.strip() and not after.replace("\f", "").strip():
                pages[-1].append(i)
                pages.append([])
            else:
                pages.append([])
                if after.replace("\f", "").strip():
                    pages[-1].append(i)
        numbers: set[int] = set()
        for page in pages:
            edge = page[:PAGE_EDGE_LINES_DEFAULT] + page[-PAGE_EDGE_LINES_DEFAULT:]
            for i in edge:
                if _page_number(lines[i][2]) is None:
                    continue
                prev = _prev_nonblank(lines, i)
                if prev is not None and T.NUMBER_CUE.regex.search(prev):
                    continue
                numbers.add(i)
        pages = [[i for i in page if i not in numbers] for page in pages]
        return _Pages([p for p in pages if p], numbers, "form_feed")
    run = _page_run(lines)
    if len(run) >= PAGE_RUN_MIN_DEFAULT:
        cut = set(run)
        pages = [[]]
        for i, (_s, _e, line) in enumerate(lines):
            if i in cut:
                pages.append([])
            elif line.strip():
                pages[-1].append(i)
        return _Pages([p for p in pages if p], cut, "page_numbers")
    return _Pages([[i for i, x in enumerate(lines) if x[2].strip()]], set(), "none")


def _drop_regions(
    text: str, lines: list[Line], drop: set[int], rule_id: str, reason: str
) -> Iterator[Change]:
    """Drop lines with the blank lines around them; what was around joins with one ``\\n``.

    Two (a paragraph break) when the line before ends a sentence and a blank line was
    there: a page that ended with its paragraph keeps the break; one that ended
    mid-sentence is joined by reflow.
    """
    if not drop:
        return
    keep_idx = [i for i, x in enumerate(lines) if x[2].strip(" \t\f") and i not in drop]
    order = sorted(drop)
    # group dropped lines that only blank lines separate
    import bisect

    groups: list[list[int]] = []
    for i in order:
        if groups:
            last = groups[-1][-1]
            k = bisect.bisect_right(keep_idx, last)
            if k >= len(keep_idx) or keep_idx[k] > i:
                groups[-1].append(i)
                continue
        groups.append([i])
    for g in groups:
        k = bisect.bisect_left(keep_idx, g[0])
        prev = keep_idx[k - 1] if k > 0 else None
        nxt = keep_idx[k] if k < len(keep_idx) else None
        # the line before keeps its own newline, so that a later rule (reflow) edits
        # original text, and each edit keeps one rule
        start = 0 if prev is None else lines[prev][1] + 1
        end = lines[nxt][0] if nxt is not None else len(text)
        after = ""
        if (
            prev is not None
            and nxt is not None
            and _BLANK_LINE_RE.search(text, lines[prev][1], end)
            and _ends_sentence(lines[prev][2])
        ):
            after = "\n"  # a sentence ended and a blank line set it off: keep the break
        if start < end and text[start:end] != after:
            yield Change(start, end, after, rule_id, "drop", reason)


def _head_key(line: str) -> str | None:
    s = _NON_LETTERS_RE.sub(" ", _DIGITS_RE.sub(" ", line.casefold())).strip()
    letters = sum(1 for ch in s if ch != " ")
    return s if letters >= HEAD_MIN_LETTERS_DEFAULT else None


def _same_head(a: tuple[int, ...], b: tuple[int, ...], pages_apart: int) -> bool:
    """Whether two lines' numbers fit one running head: equal, or one page number that
    moved with the pages (``344 JONES`` two pages before ``346 JONES``). ``Chapter 2``
    two pages before ``Chapter 3`` does not fit: a heading, not a head.

    >>> _same_head((344,), (346,), 2), _same_head((2,), (3,), 2), _same_head((7,), (7,), 1)
    (True, False, True)
    """
    if a == b:
        return True
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    return len(diff) == 1 and diff[0][1] - diff[0][0] == pages_apart


def _is_caps(line: str) -> bool:
    cased = [ch for ch in line if ch.isalpha() and (ch.isupper() or ch.islower())]
    if len(cased) < HEAD_MIN_LETTERS_DEFAULT:
        return False
    return sum(ch.isupper() for ch in cased) >= HEAD_CAPS_SHARE_DEFAULT * len(cased)


@rule("ocr.drop_running_heads", category="running_head")
def drop_running_heads(text: str, doc: DocState) -> Iterator[Change]:
    """Drop running heads and mastheads that repeat across the pages of one document.

    Pages are split at form feeds, else at a run of page-number lines. A line among the
    first or last two of a page whose text (digits aside: ``12 JOURNAL`` = ``JOURNAL 13``)
    recurs at the edge of at least two pages and HEAD_MIN_PAGE_SHARE_DEFAULT of them, each
    within HEAD_MAX_PAGE_GAP_DEFAULT pages of another, is a running head; a number in it
    must stay the same or move with the pages (a page number, not a chapter number). In
    any document, a short ALL-CAPS line with a date that recurs is a
    masthead (PATTERNS.md E4: ``THE PROGRESSIVE FARMER, SEPTEMBER 24, 1889.``). The first
    occurrence stays: on page one it is the title.

    Leaves alone: lines that repeat inside pages, long lines, a head seen on one page only.

    >>> text = ("JOURNAL OF TESTS 1\\nPage one text.\\n"
    ...         "\\fJOURNAL OF TESTS 2\\nPage two text.\\n")
    >>> [text[c.start:c.end] for c in drop_running_heads(text, _doc(text))]
    ['\\x0cJOURNAL OF TESTS 2\\n']
    >>> list(drop_running_heads("JOURNAL OF TESTS\\nBody.\\nJOURNAL OF TESTS\\n", _doc("")))
    []
    """
    if not _applies(text, doc):
        return
    lines = list(iter_lines(text))
    pg = _pages(lines)
    # the page numbers, in input offsets, for ocr.drop_page_numbers: once heads are gone
    # the numbers are closer together than a page, and would no longer look like a run
    doc.marks[_PAGE_NUMBERS_MARK] = frozenset(doc.original_offset(lines[i][0]) for i in pg.numbers)
    drop: set[int] = set()
    if len(pg.pages) >= 2:
        seen: dict[str, list[tuple[int, int]]] = {}
        for p, page in enumerate(pg.pages):
            edge = page[:PAGE_EDGE_LINES_DEFAULT] + page[-PAGE_EDGE_LINES_DEFAULT:]
            edge = list(dict.fromkeys(edge))
            for i in edge:
                line = lines[i][2].replace("\f", "").strip()
                if len(line) > HEAD_MAX_CHARS_DEFAULT:
                    continue
                key = _head_key(line)
                if key is not None:
                    seen.setdefault(key, []).append((p, i))
        need = max(2, math.ceil(HEAD_MIN_PAGE_SHARE_DEFAULT * len(pg.pages)))
        for occ in seen.values():
            nums = {p: tuple(int(d) for d in _DIGITS_RE.findall(lines[i][2])) for p, i in occ}
            near = {
                p for p in nums for q in nums
                if 0 < abs(p - q) <= HEAD_MAX_PAGE_GAP_DEFAULT
                and _same_head(nums[p], nums[q], q - p)
            }
            if len(near) >= need:
                drop.update(i for p, i in occ if p > 0 and p in near)
    masthead: dict[str, list[int]] = {}
    for i, (_s, _e, line) in enumerate(lines):
        s = line.replace("\f", "").strip()
        if not s or len(s) > HEAD_MAX_CHARS_DEFAULT or not _is_caps(s):
            continue
        if not T.DATE.regex.search(s):
            continue
        key = _head_key(s)
        if key is not None:
            masthead.setdefault(key, []).append(i)
    for occ in masthead.values():
        if len(occ) >= 2:
            drop.update(occ[1:])
    yield from _drop_regions(text, lines, drop, "ocr.drop_running_heads", "running head")


@rule("ocr.drop_page_numbers", category="page_number")
def drop_page_numbers(text: str, doc: DocState) -> Iterator[Change]:
    """Drop lines that are only a page number (``12``, ``- 12 -``, ``Page 3 of 9``, ``xii``).

    A number line counts at the edge of a form-feed page, or as part of a run of number
    lines going up by one at least PAGE_MIN_LINES_DEFAULT lines apart. Source:
    PATTERNS.md E4.

    Leaves alone: a lone number line without page structure, a number right after a line
    such as ``... addressed in Section`` (it continues the sentence), and lines that start
    with a number and go on (``5. Section 6 discusses``).

    >>> body = "".join(f"line {k} of a page of text that runs on\\n" for k in range(9))
    >>> text = body + "1\\n" + body + "2\\n" + body
    >>> [text[c.start:c.end] for c in drop_page_numbers(text, _doc(text))]
    ['1\\n', '2\\n']
    >>> text = body + "addressed in Section\\n5\\n" + body
    >>> list(drop_page_numbers(text, _doc(text)))
    []
    """
    if not _applies(text, doc):
        return
    lines = list(iter_lines(text))
    known = doc.marks.get(_PAGE_NUMBERS_MARK)
    if known is None:
        numbers = _pages(lines).numbers
    else:  # found by ocr.drop_running_heads before it dropped lines
        numbers = {
            i for i, (start, _e, line) in enumerate(lines)
            if doc.original_offset(start) in known and _page_number(line) is not None
        }
    yield from _drop_regions(text, lines, numbers, "ocr.drop_page_numbers", "page number")


@rule("ocr.drop_page_breaks", category="page_break")
def drop_page_breaks(text: str, doc: DocState) -> Iterator[Change]:
    """Replace a form feed and the blank lines around it with one line break.

    The text of one page then runs on into the next, and reflow decides whether the
    paragraph goes on; when the page's last line ends a sentence and a blank line follows
    it, a blank line stays (paragraph break). A page break at the start of the document
    goes entirely.

    Leaves alone: the indentation of the line after the break; text without form feeds.

    >>> text = "the end of page one\\n\\n\\f\\n  and page two"
    >>> [(text[c.start:c.end], c.after) for c in drop_page_breaks(text, _doc(text))]
    [('\\n\\x0c\\n', '')]
    >>> list(drop_page_breaks("no page breaks\\nhere", _doc("")))
    []
    """
    if "\f" not in text or not _applies(text, doc):
        return
    for m in _FORM_FEED_RUN_RE.finditer(text):
        start, end = m.span()
        seg = m.group()
        first_ff, last_ff = seg.find("\f"), seg.rfind("\f")
        first_nl, last_nl = seg.find("\n"), seg.rfind("\n")
        if last_nl > last_ff and end < len(text):
            end = start + last_nl + 1  # keep the next line's indentation
        if start == 0:
            after = ""
        elif 0 <= first_nl < first_ff:
            prev_line = text[text.rfind("\n", 0, start) + 1 : start]
            blank = _BLANK_LINE_RE.search(text, start, end)
            start += first_nl + 1  # the line before keeps its newline
            # as in _drop_regions: a finished paragraph set off by a blank line keeps it
            after = "\n" if blank and _ends_sentence(prev_line) else ""
        else:
            after = "\n"  # a form feed inside a line still ends the line
        if start < end and text[start:end] != after:
            yield Change(start, end, after, "ocr.drop_page_breaks", "drop", "page break")


# -- reflow -------------------------------------------------------------------------------------
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _junction(a: str, b: str, width: int) -> str | None:
    """The separator joining line ``a`` to line ``b`` of one paragraph, or ``None`` (break)."""
    a_s, b_s = a.rstrip(), b.strip()
    wa = line_width(a_s.lstrip())
    if T.HYPHEN_END.regex.search(a_s) and b_s[:1].isalnum():
        return None  # ocr.join_hyphenated_words decides these
    if wa > LONG_LINE_RATIO_DEFAULT * width or wa < SHORT_LINE_RATIO_DEFAULT * width:
        return None  # not part of the wrapped flow / ends its paragraph or is a heading
    if T.TABLE_ROW.regex.search(a) or T.TABLE_ROW.regex.search(b):
        return None
    if _indent(b) >= 2 and _indent(b) > _indent(a):
        return None  # an indented first line starts a paragraph
    ends = _ends_sentence(a_s)
    if ends and wa < FULL_LINE_RATIO_DEFAULT * width:
        return None
    if (
        ends
        and line_width(b_s) < SHORT_LINE_RATIO_DEFAULT * width
        and not _ends_sentence(b_s)
        and (b_s[0].isupper() or b_s[0].isdigit())
    ):
        return None  # a short unfinished line after a sentence end: a heading
    if T.BULLET.regex.match(b_s):
        return None  # a bulleted item never continues a sentence
    if T.LIST_MARKER.regex.match(b_s) and (
        ends or a_s.endswith((":", ";")) or T.LIST_MARKER.regex.match(a_s.lstrip())
    ):
        return None  # a numbered item after a sentence end, a colon, or another item
    if _is_caps(a_s) and not _is_caps(b_s):
        return None  # an ALL-CAPS heading over normal text
    last, first = a_s[-1], b_s[0]
    if T.NO_SPACE_SCRIPT_RE.match(last) or T.NO_SPACE_SCRIPT_RE.match(first):
        return ""
    if last in "—–/" and len(a_s) > 1 and not a_s[-2].isspace():
        return ""
    return " "


@rule("ocr.reflow_paragraphs", category="layout")
def reflow_paragraphs(text: str, doc: DocState) -> Iterator[Change]:
    """Join the hard-wrapped lines of a paragraph into one line (CJK lines without a space).

    The wrap width is the WRAP_QUANTILE_DEFAULT quantile of the line widths. A line break
    stays after a blank line, after a short line (a paragraph's last line or a heading),
    after a sentence end that is not a full line, before a heading (a short line without
    a final mark after a sentence end), before an indented line, before a list
    item that follows a sentence end or colon, after an ALL-CAPS heading, around table rows,
    and before and after line-end hyphens (``ocr.join_hyphenated_words`` decides those).

    Leaves alone: text whose lines are not wrapped (wrap width over
    WRAP_MAX_WIDTH_DEFAULT), blank-line paragraph breaks, ``in Section\\n5. Section 6``
    as a list (it is joined: the line before did not end).

    >>> text = ("The rapid expansion of wireless services such as cellular voice, PCS\\n"
    ...         "(Personal Communications Services), mobile data and wireless LANs\\n"
    ...         "in recent years is an indication.\\n"
    ...         "Studies show that the significant consumers of power in a typical\\n")
    >>> [(text[c.start:c.end], c.after) for c in reflow_paragraphs(text, _doc(text))]
    [('\\n', ' '), ('\\n', ' ')]
    >>> list(reflow_paragraphs("A heading\\n\\nOne paragraph.\\n", _doc("")))
    []
    """
    if not _applies(text, doc):
        return
    lines = list(iter_lines(text))
    widths = [line_width(x[2].strip()) for x in lines if x[2].strip()]
    if len(widths) < 2:
        return
    width = wrap_width(widths)
    if width is None:
        return
    for (_s1, e1, a), (s2, _e2, b) in zip(lines, lines[1:]):
        if not a.strip() or not b.strip() or "\f" in a or "\f" in b:
            continue
        sep = _junction(a, b, width)
        if sep is None:
            continue
        start = e1 - (len(a) - len(a.rstrip()))
        end = s2 + _indent(b)
        yield Change(start, end, sep, "ocr.reflow_paragraphs")
