"""``scrubline diff --unified``: a plain unified diff of a document, hunks from its edits.

Enters: a :class:`~cleaners.inspect.view.DocView`.
Leaves: lines of ``(text, style)`` segments in ``diff -u`` format (``patch`` applies them to
the input), each hunk header ending with the ids of the rules whose edits it holds.
"""

from __future__ import annotations

import bisect
import difflib
from typing import Any

from cleaners.inspect.terminal import Line, visible
from cleaners.inspect.view import DocView, line_starts


def render_unified(
    view: DocView, *, context: int = 3, note: str | None = None, raw: bool = True
) -> list[Line]:
    """A unified diff of input and output lines (``patch`` applies it to the input).

    ``raw=False`` shows control characters as ``<U+XXXX>`` (for a terminal; the diff then
    no longer applies to documents that contain them).

    Hunks come from the edits, not from a text diff: each edit's lines (widened until both
    sides end at a line end) form a block, blocks closer than ``2 * context`` lines share a
    hunk, and each hunk header ends with the ids of the rules whose edits it holds.
    """
    context = max(context, 0)
    src, out = view.source, view.output
    lines: list[Line] = [] if note is None else [[(note, "note")]]
    lines += [[(f"--- a/{view.name}", "header")], [(f"+++ b/{view.name}", "header")]]
    blocks = _blocks(view)
    if not blocks:
        return lines
    src_starts = line_starts(src)
    out_starts = line_starts(out)
    src_lines = split_lines(src)
    out_lines = split_lines(out)

    def src_line(offset: int) -> int:  # 0-based index of the line starting at offset
        return bisect.bisect_left(src_starts, offset) if offset < len(src) else len(src_lines)

    def out_line(offset: int) -> int:
        return bisect.bisect_left(out_starts, offset) if offset < len(out) else len(out_lines)

    spans = [
        (src_line(a), src_line(b), out_line(c), out_line(d), rules)
        for a, b, c, d, rules in blocks
    ]
    hunks: list[list[tuple[int, int, int, int, list[str]]]] = [[spans[0]]]
    for span in spans[1:]:
        if span[0] - hunks[-1][-1][1] <= 2 * context:
            hunks[-1].append(span)
        else:
            hunks.append([span])
    for hunk in hunks:
        s1 = max(0, hunk[0][0] - context)
        o1 = hunk[0][2] - (hunk[0][0] - s1)
        s2 = min(len(src_lines), hunk[-1][1] + context)
        o2 = hunk[-1][3] + (s2 - hunk[-1][1])
        ids = list(dict.fromkeys(r for span in hunk for r in span[4]))
        header = f"@@ -{_range(s1, s2)} +{_range(o1, o2)} @@"
        lines.append([(header, "hunk"), (" " + ", ".join(ids), "label")])
        body: list[tuple[str, str]] = []
        at = s1
        for a, b, c, d, _ in hunk:
            body += [(" ", ln) for ln in src_lines[at:a]]
            old, new = src_lines[a:b], out_lines[c:d]
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            for tag, x1, x2, y1, y2 in matcher.get_opcodes():
                if tag == "equal":
                    body += [(" ", ln) for ln in old[x1:x2]]
                else:
                    body += [("-", ln) for ln in old[x1:x2]]
                    body += [("+", ln) for ln in new[y1:y2]]
            at = b
        body += [(" ", ln) for ln in src_lines[at:s2]]
        style = {" ": "same", "-": "u-del", "+": "u-ins"}
        for prefix, ln in body:
            text = ln[:-1] if ln.endswith("\n") else ln
            lines.append([(prefix + (text if raw else visible(text)), style[prefix])])
            if not ln.endswith("\n"):
                lines.append([("\\ No newline at end of file", "note")])
    return lines


def split_lines(text: str) -> list[str]:
    """Lines with their ``\\n`` (only ``\\n`` ends a line, unlike ``str.splitlines``).

    >>> split_lines("a\\r\\nb\\x0cc")
    ['a\\r\\n', 'b\\x0cc']
    """
    parts = text.split("\n")
    last = parts.pop()
    return [p + "\n" for p in parts] + ([last] if last else [])


def _blocks(view: DocView) -> list[tuple[int, int, int, int, list[str]]]:
    """Input and output spans of whole lines that hold the edits: ``(a, b, c, d, rule ids)``
    with ``source[a:b]`` turned into ``output[c:d]``, both starting and ending at line ends.
    """
    src, out = view.source, view.output
    spans: list[list[Any]] = []
    for e in view.edits:
        a = src.rfind("\n", 0, e.start) + 1
        nl = src.find("\n", max(e.start, e.end - 1))
        b = len(src) if nl < 0 else nl + 1
        if spans and a < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
            spans[-1][2].append(e)
        else:
            spans.append([a, b, [e]])
    blocks = []
    delta = 0  # output offset minus input offset before the current block
    k = 0
    while k < len(spans):
        a, b, eds = spans[k]
        k += 1
        while True:
            grow = sum(len(e.after) - len(e.before) for e in eds)
            d = b + delta + grow
            if d >= len(out) or out[d - 1] == "\n":
                break
            nl = src.find("\n", b)  # the output line goes on: take the next input line too
            b = len(src) if nl < 0 else nl + 1
            while k < len(spans) and spans[k][0] < b:
                b = max(b, spans[k][1])
                eds = eds + spans[k][2]
                k += 1
        blocks.append((a, b, a + delta, d, list(dict.fromkeys(e.rule for e in eds))))
        delta += grow
    return blocks


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"

