"""One document as the inspection commands see it: its input, its output and the edits between.

Enters: an input file (cleaned on the fly with the library, nothing written:
:func:`load_input`) or a sidecar and body in an output folder (:func:`load_sidecar`,
:func:`find_sidecar` to locate it by id, input path or sidecar path).
Leaves: a :class:`DocView`, whose ``source`` is the text the edit offsets refer to (the
decoded input, or for HTML the extracted text the sidecar keeps). A sidecar without the
source gives it back from the body and the edits (:func:`unreplay`).

Also the line arithmetic the views and the report share (:func:`line_starts`,
:func:`count_lines`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cleaners import io
from cleaners.core.document import Edit, Review, replay
from cleaners.core.pipeline import clean


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

    >>> e = Edit("punctuation.collapse_doubled_period", "replace", 5, 7, " .", "")
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
    data = path.read_bytes()
    why = io.binary_reason(data[: io.SNIFF_BYTES])
    if why:
        raise ValueError(f"{path} is not a text document: {why}")
    doc_fmt = io.sniff_format(path, data[: io.SNIFF_BYTES]) if fmt == "auto" else fmt
    decoded = io.sniff_text(data, is_html=doc_fmt == "html")
    result = clean(decoded.text, fmt=doc_fmt, config=config)
    return DocView(
        id=io.display_path(path.stem),  # printable: a file name may not be UTF-8
        name=io.display_path(path.name),
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
    review = tuple(review_from_json(r) for r in sidecar.get("review", ()))
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


def review_from_json(r: dict[str, Any]) -> Review:
    """A sidecar's review entry as a :class:`Review` (``KeyError`` if a field is missing).

    >>> review_from_json({"rule": "a.b", "start": 0, "end": 1, "text": "x", "reason": "odd"})
    Review(rule='a.b', start=0, end=1, text='x', reason='odd', suggestion=None)
    """
    fields = {k: r[k] for k in _REVIEW_FIELDS}
    return Review(**fields, suggestion=r.get("suggestion"))


_REVIEW_FIELDS = ("rule", "start", "end", "text", "reason")


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
    """Where the body of a sidecar's document is (``<out>/<id>.txt``; the sidecar shows
    the id losslessly, :func:`cleaners.io.display_path`, so non-UTF-8 names are found)."""
    return out_dir / f"{io.parse_display(str(sidecar['id']))}.txt"


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
        raw = io.parse_display(name)  # an id or path as sidecars show it (non-UTF-8 names)
        if raw != name:
            candidates += [out_dir / f"{raw}.json", out_dir / Path(raw).with_suffix(".json")]
    candidates += [out_dir / f"{p.name}.json", out_dir / p.with_suffix(".json").name]
    for c in candidates:
        if c.is_file() and c.name != "manifest.jsonl":
            try:
                read_sidecar(c)
            except ValueError:
                continue
            return c
    given = p.as_posix().lstrip("./")
    shown = io.display_path(given)  # as sidecars show paths
    wanted = shown
    found = []
    for c in sorted(out_dir.rglob("*.json")):
        try:
            data = read_sidecar(c)
        except ValueError:
            continue
        src = str(data.get("source_path", ""))
        if any(src == w or w.endswith("/" + src) or src.endswith("/" + w)
               for w in {shown, given}):
            found.append(c)
    if len(found) == 1:
        return found[0]
    if found:
        raise LookupError(
            f"{name} matches several documents in {out_dir}: "
            + ", ".join(str(f.relative_to(out_dir)) for f in found)
        )
    raise LookupError(f"no sidecar for {name} in {out_dir}")


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character (only ``\\n`` ends a line).

    >>> line_starts("ab\\nc\\n")
    [0, 3, 5]
    """
    starts = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def count_lines(text: str) -> int:
    """Lines in ``text``, a last line without newline included.

    >>> count_lines(""), count_lines("a\\nb"), count_lines("a\\n")
    (0, 2, 1)
    """
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)
