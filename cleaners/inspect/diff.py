"""Show what cleaning did to one document: its input beside its output, change by change.

Every view is built from the document's recorded edits (input offsets), not from a text
diff, so each change carries the rule that made it. A document comes either from cleaning a
file on the fly (:func:`load_input`) or from an output folder (:func:`load_sidecar`): the
sidecar's edits plus the body give back the input (:func:`unreplay`), or, for HTML, the
sidecar keeps the extracted text the edits refer to.

Views:

* :func:`render_inline` (the default of ``scrubline diff``): changed lines with context;
  dropped lines marked ``-``, lines lifted into metadata ``^``, lines changed in place ``~``
  with ``[-removed-]{+added+}`` spans, each with the ids of the rules that changed it.
* :func:`render_side_by_side`: input and output in two columns, one row per input line.
* :func:`render_unified`: a plain unified diff (``diff -u`` / ``patch`` format), with the
  rule ids in each hunk header.

Renderers return lines of ``(text, style)`` segments; :func:`to_plain` and :func:`to_rich`
turn them into plain strings (markers, no colour) or coloured :class:`rich.text.Text`.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cleaners.core.document import Edit, Review, replay
from cleaners.core.safety import safe_compile

#: A piece of one side of a row: (text, kind, edit index or -1). Kinds: ``same``, ``del``
#: (removed in place), ``ins`` (added), ``drop`` (whole line dropped), ``lift`` (lifted into
#: metadata).
Piece = tuple[str, str, int]
#: A rendered segment: (text, style name); see :data:`RICH_STYLES`.
Segment = tuple[str, str]
Line = list[Segment]

#: How each style name looks on a colour terminal.
RICH_STYLES = {
    "": "",
    "same": "",
    "del": "red strike",
    "ins": "green bold",
    "drop": "red strike",
    "lift": "cyan",
    "mark": "dim",
    "label": "dim cyan",
    "lineno": "dim",
    "gutter": "dim",
    "m-drop": "bold red",
    "m-lift": "bold cyan",
    "m-change": "bold yellow",
    "hunk": "bold magenta",
    "header": "bold",
    "note": "dim",
    "u-del": "red",
    "u-ins": "green",
}
#: The marker column of each row kind.
ROW_MARKS = {"same": " ", "change": "~", "drop": "-", "lift": "^"}
LEGEND = (
    "- dropped line, ^ lifted into metadata, ~ changed in place: [-removed-]{+added+}; "
    "⏎ newline, · space, ⍽ no-break space"
)


# -- the document --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocView:
    """One document's input, output and the edits that turn one into the other."""

    id: str
    #: The name shown in headers: the input's path relative to its root, or its file name.
    name: str
    fmt: str
    #: The text the edit offsets refer to: the decoded input, or for HTML the extracted text.
    source: str
    output: str
    edits: tuple[Edit, ...]
    review: tuple[Review, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    def only(self, rule_ids: Iterable[str]) -> DocView:
        """The view of only these rules' edits: the output is the input with just them applied.

        Edits never overlap and are in input offsets, so any subset replays on the input.
        """
        keep = set(rule_ids)
        edits = tuple(e for e in self.edits if e.rule in keep)
        review = tuple(r for r in self.review if r.rule in keep)
        return replace(self, edits=edits, review=review, output=replay(self.source, edits))

    def line_of(self, offset: int) -> int:
        """The 1-based input line an offset is on."""
        return self.source.count("\n", 0, offset) + 1


def unreplay(output: str, edits: Sequence[Edit]) -> str:
    """Rebuild the input from the output and the edits that made it (inverse of ``replay``).

    Raises ``ValueError`` when the output does not hold an edit's ``after`` where it should
    (the body was changed after cleaning).

    >>> e = Edit("punctuation.collapse_double_period", "replace", 5, 7, " .", "")
    >>> unreplay("Done.", [e])
    'Done. .'
    >>> unreplay("Done!", [Edit("x.y", "replace", 4, 5, "?", "!")])
    'Done?'
    """
    out: list[str] = []
    pos = 0  # in the input
    opos = 0  # in the output
    for e in edits:
        if e.start < pos:
            raise ValueError(f"edits overlap or are out of order at {e.start} ({e.rule})")
        at = opos + (e.start - pos)
        if output[at : at + len(e.after)] != e.after:
            raise ValueError(
                f"output does not match edit {e.rule} at input offset {e.start}: "
                f"expected {e.after!r}, found {output[at:at + len(e.after)]!r}"
            )
        out.append(output[opos:at])
        out.append(e.before)
        opos = at + len(e.after)
        pos = e.end
    out.append(output[opos:])
    return "".join(out)


def load_input(path: Path, *, fmt: str = "auto", config: Any = None) -> DocView:
    """Read, decode and clean one input file with the library (nothing is written).

    Raises ``ValueError`` for a file that is not a text document.
    """
    from cleaners import io
    from cleaners.core.pipeline import clean

    data = path.read_bytes()
    why = io.binary_reason(data[: io.SNIFF_BYTES])
    if why:
        raise ValueError(f"{path} is not a text document: {why}")
    doc_fmt = io.sniff_format(path, data[: io.SNIFF_BYTES]) if fmt == "auto" else fmt
    decoded = io.decode_bytes(data, is_html=doc_fmt == "html")
    result = clean(decoded.text, fmt=doc_fmt, config=config)
    return DocView(
        id=path.stem,
        name=path.name,
        fmt=doc_fmt,
        source=result.source_text,
        output=result.text,
        edits=tuple(result.edits),
        review=tuple(result.review),
        metadata=dict(result.metadata),
    )


def view_from_sidecar(sidecar: dict[str, Any], body: str) -> DocView:
    """The view of a cleaned document from its sidecar and body; ``ValueError`` if they
    disagree."""
    edits = tuple(Edit.from_json(e) for e in sidecar.get("edits", ()))
    if "source_text" in sidecar:
        source = sidecar["source_text"]
    else:
        source = unreplay(body, edits)
    if replay(source, edits) != body:
        raise ValueError(f"the body of {sidecar.get('id')} does not match its sidecar's edits")
    review = tuple(
        Review(
            rule=r["rule"],
            start=r["start"],
            end=r["end"],
            text=r["text"],
            reason=r["reason"],
            suggestion=r.get("suggestion"),
        )
        for r in sidecar.get("review", ())
    )
    return DocView(
        id=str(sidecar.get("id", "")),
        name=str(sidecar.get("source_path") or sidecar.get("id", "")),
        fmt=str(sidecar.get("format", "text")),
        source=source,
        output=body,
        edits=edits,
        review=review,
        metadata=dict(sidecar.get("metadata") or {}),
    )


def read_sidecar(path: Path) -> dict[str, Any]:
    """A sidecar's JSON; ``ValueError`` if the file is not a scrubline sidecar."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read sidecar {path}: {exc}") from exc
    if not is_sidecar(data):
        raise ValueError(f"{path} is not a scrubline sidecar")
    return data


def is_sidecar(data: Any) -> bool:
    return isinstance(data, dict) and "id" in data and isinstance(data.get("edits"), list)


def body_path(out_dir: Path, sidecar: dict[str, Any]) -> Path:
    """Where the body of a sidecar's document is (``<out>/<id>.txt``)."""
    return out_dir / f"{sidecar['id']}.txt"


def load_sidecar(path: Path, out_dir: Path | None = None) -> DocView:
    """The view of a document cleaned into an output folder, from its sidecar and body."""
    sidecar = read_sidecar(path)
    out_dir = out_dir if out_dir is not None else _out_root(path, str(sidecar["id"]))
    body_file = body_path(out_dir, sidecar)
    try:
        data = body_file.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read the body {body_file}: {exc}") from exc
    check_body(sidecar, data)
    return view_from_sidecar(sidecar, data.decode("utf-8", "replace"))


def check_body(sidecar: dict[str, Any], data: bytes) -> None:
    """``ValueError`` when the body's bytes are not the ones the sidecar recorded."""
    import hashlib

    recorded = sidecar.get("output_sha256")
    if recorded and hashlib.sha256(data).hexdigest() != recorded:
        raise ValueError(
            f"the body of {sidecar.get('id')} changed after it was cleaned "
            "(its checksum differs from the sidecar's output_sha256)"
        )


def _out_root(sidecar_path: Path, doc_id: str) -> Path:
    """The output folder of a sidecar: its folder, minus the id's own sub-folders."""
    root = sidecar_path.parent
    for _ in range(doc_id.count("/")):
        root = root.parent
    return root


def find_sidecar(out_dir: Path, name: str) -> Path:
    """The sidecar in ``out_dir`` for ``name``: a document id, an input path, or a sidecar.

    Tries ``<out>/<name>.json``, then the name without its ending, then every sidecar whose
    ``source_path`` is the name or ends with it. ``LookupError`` when none or several match.
    """
    p = Path(name)
    candidates = [p] if p.suffix == ".json" and p.is_file() else []
    if not p.is_absolute() and ".." not in p.parts:
        candidates += [out_dir / f"{name}.json", out_dir / p.with_suffix(".json")]
    candidates += [out_dir / f"{p.name}.json", out_dir / p.with_suffix(".json").name]
    for c in candidates:
        if c.is_file() and c.name != "manifest.jsonl":
            try:
                read_sidecar(c)
            except ValueError:
                continue
            return c
    wanted = p.as_posix().lstrip("./")
    found = []
    for c in sorted(out_dir.rglob("*.json")):
        try:
            data = read_sidecar(c)
        except ValueError:
            continue
        src = str(data.get("source_path", ""))
        if src == wanted or wanted.endswith("/" + src) or src.endswith("/" + wanted):
            found.append(c)
    if len(found) == 1:
        return found[0]
    if found:
        raise LookupError(
            f"{name} matches several documents in {out_dir}: "
            + ", ".join(str(f.relative_to(out_dir)) for f in found)
        )
    raise LookupError(f"no sidecar for {name} in {out_dir}")


# -- rows: one per input line --------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One row of a diff: usually one input line, with what became of it."""

    #: ``same``, ``change`` (edited in place), ``drop`` (line dropped), ``lift`` (line lifted).
    kind: str
    #: 1-based input line, and output line (``None`` when the line is gone).
    src: int | None
    out: int | None
    left: list[Piece]
    right: list[Piece]
    #: Indices into the view's edits shown in this row, in order.
    edits: list[int]


def whole_lines(e: Edit, source: str) -> list[str] | None:
    """The lines an edit removes whole (its ``before`` split into lines), else ``None``.

    A removal is whole when it starts at a line start and takes the line's newline (or runs
    to the end), or when it takes the newline before the last line, as
    :func:`cleaners.core.textutil.line_span` does for a last line without newline.

    >>> whole_lines(Edit("b.x", "drop", 2, 6, "foo\\n", ""), "a\\nfoo\\nb")
    ['foo']
    >>> whole_lines(Edit("b.x", "drop", 1, 5, "\\nfoo", ""), "a\\nfoo")
    ['foo']
    >>> whole_lines(Edit("b.x", "replace", 2, 4, "fo", ""), "a\\nfoo\\nb") is None
    True
    """
    if e.after or not e.before:
        return None
    at_start = e.start == 0 or source[e.start - 1] == "\n"
    if at_start and e.before.endswith("\n"):
        return e.before[:-1].split("\n")
    if at_start and e.end == len(source):
        return e.before.split("\n")
    if e.before.startswith("\n") and e.end == len(source) and len(e.before) > 1:
        return e.before[1:].split("\n")
    return None


class _RowBuilder:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.src_nl = 0
        self.out_nl = 0
        self._start()

    def _start(self) -> None:
        self.left: list[Piece] = []
        self.right: list[Piece] = []
        self.eds: list[int] = []
        self.row_src = self.src_nl + 1
        self.row_out = self.out_nl + 1
        self.has_out = False

    def flush(self, *, force: bool = True) -> None:
        if force or self.left or self.right or self.eds:
            self.rows.append(
                Row(
                    "change" if self.eds else "same",
                    self.row_src,
                    self.row_out if self.has_out else None,
                    self.left,
                    self.right,
                    self.eds,
                )
            )
        self._start()

    def same(self, text: str) -> None:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if part:
                self.left.append((part, "same", -1))
                self.right.append((part, "same", -1))
                self.has_out = True
            if k < len(parts) - 1:
                self.has_out = True
                self.src_nl += 1
                self.out_nl += 1
                self.flush()

    def inline(self, e: Edit, i: int) -> None:
        if e.before:
            self.left.append((e.before, "lift" if e.action == "lift" else "del", i))
        if e.after:
            self.right.append((e.after, "ins", i))
            self.has_out = True
        self.eds.append(i)
        self.src_nl += e.before.count("\n")
        self.out_nl += e.after.count("\n")
        if e.before.endswith("\n"):
            self.flush()

    def whole(self, e: Edit, i: int, lines: list[str], *, takes_newline_before: bool) -> None:
        if takes_newline_before:
            # A dropped last line takes the newline before it: that newline ends the row.
            self.src_nl += 1
            self.flush()
        else:
            self.flush(force=False)
        kind = "lift" if e.action == "lift" else "drop"
        for text in lines:
            self.rows.append(Row(kind, self.src_nl + 1, None, [(text, kind, i)], [], [i]))
            self.src_nl += 1
        if not e.before.endswith("\n"):
            self.src_nl -= 1  # the last line had no newline
        self._start()


def build_rows(view: DocView) -> list[Row]:
    """One row per input line (a row may span lines when an edit joins them).

    >>> v = DocView("d", "d", "text", "Title\\nBody. .\\n", "Body.\\n",
    ...     (Edit("metadata.lift_title", "lift", 0, 6, "Title\\n", ""),
    ...      Edit("punctuation.collapse_double_period", "replace", 10, 12, " .", "")))
    >>> [(r.kind, r.src, r.out) for r in build_rows(v)]
    [('lift', 1, None), ('change', 2, 1)]
    """
    src = view.source
    b = _RowBuilder()
    pos = 0
    for i, e in enumerate(view.edits):
        b.same(src[pos : e.start])
        lines = whole_lines(e, src)
        if lines is None:
            b.inline(e, i)
        else:
            b.whole(e, i, lines, takes_newline_before=not _whole_from_start(e, src))
        pos = e.end
    b.same(src[pos:])
    b.flush(force=False)
    return b.rows


def _whole_from_start(e: Edit, src: str) -> bool:
    """Whether a whole-line removal is read from a line start (not from the newline before)."""
    at_start = e.start == 0 or src[e.start - 1] == "\n"
    return at_start and (e.before.endswith("\n") or e.end == len(src))


@dataclass(frozen=True, slots=True)
class Gap:
    """Unchanged rows left out of a view."""

    rows: int
    src: int | None


def with_context(rows: Sequence[Row], context: int) -> list[Row | Gap]:
    """Keep changed rows and ``context`` unchanged rows around each; the rest become gaps."""
    if context < 0:
        return list(rows)
    keep = [False] * len(rows)
    for k, r in enumerate(rows):
        if r.kind != "same":
            for j in range(max(0, k - context), min(len(rows), k + context + 1)):
                keep[j] = True
    out: list[Row | Gap] = []
    k = 0
    while k < len(rows):
        if keep[k]:
            out.append(rows[k])
            k += 1
            continue
        j = k
        while j < len(rows) and not keep[j]:
            j += 1
        out.append(Gap(j - k, rows[k].src))
        k = j
    return out


# -- rendering -----------------------------------------------------------------------------

_VISIBLE_IN_SPAN = {"\n": "⏎", "\t": "⇥", "\r": "␍", "\u00a0": "⍽"}


def visible(text: str, *, span: bool = False) -> str:
    """Text safe and readable on a terminal: control and invisible format characters become
    ``<U+XXXX>`` (so a document cannot send escape sequences or reorder the line with bidi
    controls). In a changed span (``span=True``) newlines, tabs and no-break spaces get
    symbols, and so do spaces when the span is only white space.

    >>> visible("a\\x1b[2Jb")
    'a<U+001B>[2Jb'
    >>> visible("\\n\\n", span=True), visible(" ", span=True), visible("a b", span=True)
    ('⏎⏎', '·', 'a b')
    """
    blank = span and text.strip() == "" and text != ""
    out = []
    for ch in text:
        if span and ch in _VISIBLE_IN_SPAN:
            out.append(_VISIBLE_IN_SPAN[ch])
        elif ch == " ":
            out.append("·" if blank else " ")
        elif ch == "\t":
            out.append("⇥")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or (
            blank and unicodedata.category(ch) == "Zs"
        ):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def _segments(pieces: Iterable[Piece], *, markers: bool) -> Line:
    segs: Line = []
    for text, kind, _ in pieces:
        if kind == "same":
            segs.append((visible(text), "same"))
        elif kind in ("drop", "lift") and markers:
            segs.append((visible(text), kind))
        else:
            shown = visible(text, span=True)
            if markers:
                opening, closing = {"del": ("[-", "-]"), "ins": ("{+", "+}")}.get(
                    kind, ("[^", "^]")
                )
                segs += [(opening, "mark"), (shown, kind), (closing, "mark")]
            else:
                segs.append((shown, kind))
    return segs


def _row_left(row: Row, markers: bool) -> Line:
    if row.kind in ("drop", "lift"):
        return [(visible(t), k) for t, k, _ in row.left]
    return _segments(row.left, markers=markers)


def _rule_ids(view: DocView, row: Row) -> list[str]:
    return list(dict.fromkeys(view.edits[i].rule for i in row.edits))


def _label(view: DocView, row: Row) -> Segment:
    ids = ", ".join(_rule_ids(view, row))
    return (f"⟨{ids}⟩", "label") if ids else ("", "label")


def _header(view: DocView, title: str, note: str | None) -> list[Line]:
    n_rules = len({e.rule for e in view.edits})
    lines_in = _count_lines(view.source)
    lines_out = _count_lines(view.output)
    head: list[Line] = [
        [
            (
                f"{title} {view.id} ({view.fmt}): {lines_in} -> {lines_out} lines, "
                f"{_n(len(view.edits), 'edit')} by {_n(n_rules, 'rule')}, "
                f"{_n(len(view.review), 'review entry', 'review entries')}",
                "header",
            )
        ]
    ]
    if note:
        head.append([(note, "note")])
    return head


def _n(count: int, one: str, many: str | None = None) -> str:
    """``1 edit``, ``2 edits``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _count_lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def _gap_line(gap: Gap) -> Line:
    where = f" after line {gap.src - 1}" if gap.src and gap.src > 1 else ""
    return [(f"@@ {gap.rows} unchanged lines{where} @@", "hunk")]


def render_inline(
    view: DocView, *, context: int = 2, color: bool = False, note: str | None = None
) -> list[Line]:
    """Changed rows with ``context`` unchanged rows around them (``-1``: every row)."""
    markers = not color
    lines = _header(view, "diff", note)
    if markers:
        lines.append([("legend: " + LEGEND, "note")])
    rows = build_rows(view)
    if not view.edits:
        lines.append([("no edits: the output is the input", "note")])
        return lines
    for item in with_context(rows, context):
        if isinstance(item, Gap):
            lines.append(_gap_line(item))
            continue
        mark = ROW_MARKS[item.kind]
        line: Line = [
            (mark, f"m-{item.kind}" if item.kind != "same" else "gutter"),
            (f" {item.src:>5} │ " if item.src is not None else "       │ ", "lineno"),
        ]
        line += _row_left(item, markers) if item.kind in ("drop", "lift") else _segments(
            item.right if item.kind == "same" else _merged(item), markers=markers
        )
        if item.edits:
            line += [("  ", ""), _label(view, item)]
        lines.append(_rstrip(line))
    return lines


def _merged(row: Row) -> list[Piece]:
    """A changed row as one line: the input with removed and added spans in place.

    ``left`` and ``right`` share their ``same`` pieces in the same order; each edit's
    removed piece (left) comes before its added piece (right).
    """
    out: list[Piece] = []
    li = ri = 0
    left, right = row.left, row.right
    while li < len(left) or ri < len(right):
        if li < len(left) and left[li][1] != "same":
            out.append(left[li])
            li += 1
            while ri < len(right) and right[ri][1] == "ins" and right[ri][2] == left[li - 1][2]:
                out.append(right[ri])
                ri += 1
        elif ri < len(right) and right[ri][1] == "ins":
            out.append(right[ri])
            ri += 1
        else:
            if li < len(left):
                out.append(left[li])
            li += 1
            ri += 1
    return out


def wrap(segs: Line, width: int) -> list[Line]:
    """Cut a line of segments into lines of at most ``width`` terminal cells (CJK counts 2),
    between words where possible.

    >>> [''.join(t for t, _ in ln) for ln in wrap([("one two three", "same")], 8)]
    ['one two ', 'three']
    """
    from rich.cells import cell_len

    width = max(width, 4)
    lines: list[Line] = [[]]
    used = 0
    for text, style in segs:
        for token in _TOKEN_RE.findall(text):
            w = cell_len(token)
            if used + w > width and used and w <= width and not token.isspace():
                lines.append([])
                used = 0
            if used + w <= width:
                lines[-1].append((token, style))
                used += w
                continue
            for ch in token:  # a word longer than the room left: cut it
                cw = cell_len(ch)
                if used + cw > width:
                    lines.append([])
                    used = 0
                lines[-1].append((ch, style))
                used += cw
    return [_join_styles(ln) for ln in lines]


_TOKEN_RE = safe_compile(r"\S+\s*|\s+")


def _join_styles(line: Line) -> Line:
    out: Line = []
    for t, s in line:
        if out and out[-1][1] == s:
            out[-1] = (out[-1][0] + t, s)
        else:
            out.append((t, s))
    return out


def _pad(segs: Line, width: int) -> Line:
    from rich.cells import cell_len

    used = sum(cell_len(t) for t, _ in segs)
    return segs + [(" " * (width - used), "")] if used < width else segs


def render_side_by_side(
    view: DocView,
    *,
    width: int = 160,
    context: int = 2,
    color: bool = False,
    note: str | None = None,
) -> list[Line]:
    """Input (left) and output (right), one row per input line, wrapped to ``width``."""
    markers = not color
    lines = _header(view, "diff", note)
    if markers:
        lines.append([("legend: " + LEGEND, "note")])
    if not view.edits:
        lines.append([("no edits: the output is the input", "note")])
        return lines
    col = max(12, (width - 2 - 7 - 3 - 6) // 2)
    lines.append(
        [("  " + " " * 6, ""), (_fit("input", col), "header"), (" │ ", "gutter"),
         (" " * 6 + "output", "header")]
    )
    for item in with_context(build_rows(view), context):
        if isinstance(item, Gap):
            lines.append(_gap_line(item))
            continue
        kind = item.kind
        if kind in ("drop", "lift"):
            left = _row_left(item, markers)
            verb = "lifted into metadata" if kind == "lift" else "dropped"
            right: Line = [(f"⟨{verb}: {', '.join(_rule_ids(view, item))}⟩", "label")]
        else:
            left = _segments(item.left, markers=markers)
            right = _segments(item.right, markers=markers)
            if item.edits:
                right = right + [(" ", ""), _label(view, item)]
        lcells = wrap(left, col)
        rcells = wrap(right, col)
        for k in range(max(len(lcells), len(rcells))):
            first = k == 0
            lcell = lcells[k] if k < len(lcells) else []
            rcell = rcells[k] if k < len(rcells) else []
            src = f"{item.src:>5} " if first and item.src is not None else " " * 6
            out = f"{item.out:>5} " if first and item.out is not None else " " * 6
            mark = ROW_MARKS[kind] if first else " "
            mark_style = f"m-{kind}" if kind != "same" else "gutter"
            line: Line = [(mark + " ", mark_style), (src, "lineno")]
            line += _pad(lcell, col)
            line += [(" │ ", "gutter"), (out, "lineno")]
            line += rcell
            lines.append(_rstrip(line))
    return lines


def _rstrip(line: Line) -> Line:
    """The line without trailing spaces (padding and wrapped text's last space)."""
    line = list(line)
    while line and line[-1][0].rstrip(" ") == "":
        line.pop()
    if line:
        line[-1] = (line[-1][0].rstrip(" "), line[-1][1])
    return line


def _fit(text: str, width: int) -> str:
    return text[:width].ljust(width)


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
    src_starts = _line_starts(src)
    out_starts = _line_starts(out)
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


def to_plain(lines: Iterable[Line]) -> str:
    """The lines as plain text, each ending with a newline."""
    return "".join("".join(t for t, _ in line) + "\n" for line in lines)


def to_rich(line: Line) -> Any:
    """One line as a :class:`rich.text.Text` with the styles of :data:`RICH_STYLES`."""
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    for t, style in line:
        if t:
            text.append(t, style=RICH_STYLES.get(style, ""))
    return text


# -- explain -------------------------------------------------------------------------------


def explain_data(view: DocView) -> dict[str, Any]:
    """The edits and review entries of a document, with line numbers, for ``--json``."""
    from cleaners.core.registry import RULES

    starts = _line_starts(view.source)
    edits = []
    for e in view.edits:
        d: dict[str, Any] = {
            "rule": e.rule,
            "action": e.action,
            "line": bisect.bisect_right(starts, e.start),
            "start": e.start,
            "end": e.end,
            "before": e.before,
            "after": e.after,
            "reason": e.reason,
            "description": RULES[e.rule].description if e.rule in RULES else None,
        }
        if e.merged:
            d["merged"] = list(e.merged)
        edits.append(d)
    review = [
        {
            "rule": r.rule,
            "line": bisect.bisect_right(starts, r.start),
            "start": r.start,
            "end": r.end,
            "text": r.text,
            "reason": r.reason,
            "suggestion": r.suggestion,
        }
        for r in view.review
    ]
    return {
        "id": view.id,
        "source_path": view.name,
        "format": view.fmt,
        "metadata": view.metadata,
        "edits": edits,
        "review": review,
    }


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _clip(text: str, width: int) -> str:
    from rich.cells import cell_len

    shown = visible(text, span=True)
    if cell_len(shown) <= width:
        return shown
    out, used = "", 0
    for ch in shown:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


EXPLAIN_COLUMNS = ("rule", "action", "line", "before", "after", "reason")
REVIEW_COLUMNS = ("rule", "line", "text", "suggestion", "reason")


def explain_rows(
    data: dict[str, Any], *, clip: int = 40
) -> tuple[list[list[str]], list[list[str]]]:
    """Table cells for the edits and the review entries (``before``/``after`` clipped)."""
    edits = [
        [
            e["rule"],
            e["action"],
            str(e["line"]),
            '"' + _clip(e["before"], clip) + '"',
            '"' + _clip(e["after"], clip) + '"',
            visible(e["reason"] or e["description"] or ""),
        ]
        for e in data["edits"]
    ]
    review = [
        [
            r["rule"],
            str(r["line"]),
            '"' + _clip(r["text"], clip) + '"',
            '"' + _clip(r["suggestion"], clip) + '"' if r["suggestion"] is not None else "",
            visible(r["reason"]),
        ]
        for r in data["review"]
    ]
    return edits, review


def plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns aligned by terminal cells; the last column is not padded."""
    from rich.cells import cell_len

    widths = [cell_len(c) for c in columns]
    for row in rows:
        for k, cell in enumerate(row):
            widths[k] = max(widths[k], cell_len(cell))

    def fmt(cells: Sequence[str]) -> str:
        parts = []
        for k, cell in enumerate(cells):
            pad = "" if k == len(cells) - 1 else " " * (widths[k] - cell_len(cell))
            parts.append(cell + pad)
        return "  ".join(parts).rstrip() + "\n"

    return fmt(columns) + fmt(["-" * w for w in widths]) + "".join(fmt(r) for r in rows)


def render_explain_plain(data: dict[str, Any]) -> str:
    """``scrubline explain`` without colour: a header, the edits table, the review table."""
    edits, review = explain_rows(data)
    out = (
        f"explain {data['id']} ({data['format']}): {_n(len(edits), 'edit')}, "
        f"{_n(len(review), 'review entry', 'review entries')}\n"
    )
    out += "\n" + (plain_table(EXPLAIN_COLUMNS, edits) if edits else "no edits\n")
    if review:
        out += "\nreview entries (not changed; a person decides):\n"
        out += plain_table(REVIEW_COLUMNS, review)
    return out
