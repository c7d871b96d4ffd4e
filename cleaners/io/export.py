"""Export an output folder as one dataset file: JSON lines or Parquet, one record per document.

Enters: an output folder (bodies and sidecars). Leaves: one JSON-lines or Parquet file
(written atomically) or JSON lines on a stream, and an :class:`ExportSummary`.

Each record::

    {"id": ..., "text": ..., "source_path": ..., "language": ...,
     "metadata": {"title": ..., ...},
     "duplicates": [{"id": ..., "relation": ..., "score": ...}]}

Loadable as is by pandas (``read_json(lines=True)``, ``read_parquet``), pyarrow and
Hugging Face ``datasets`` (``load_dataset("json"|"parquet", data_files=...)``). Those
loaders need one type per field across all records, so metadata values are made uniform
per key: a key that is a list in one record is a list (of strings) in all, numbers stay
numbers, anything mixed becomes a JSON string; every record has every key (``None`` when
absent).

``drop_duplicates`` keeps one document per duplicate cluster, the longest: documents are
taken longest first, and one is dropped when it is a ``duplicate`` of, or ``contained_in``,
a document already kept. Translations are kept (another language is not a copy).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaners.core.document import METADATA_FIELDS
from cleaners.io.atomic import atomic_target, check_no_symlink
from cleaners.io.discovery import display_path, parse_display, scan_ids
from cleaners.io.outputs import load_sidecar

FORMATS = ("jsonl", "parquet")
#: Records per Parquet row group (and per write): bounds memory on large folders.
ROW_GROUP_DEFAULT = 1000
#: Relations that make a document redundant when its partner is kept.
REDUNDANT_RELATIONS = frozenset({"duplicate", "contained_in"})

NO_PYARROW_TEXT = (
    "Parquet export needs pyarrow: pip install 'scrubline[export]' (or use --format jsonl)"
)


@dataclass(slots=True)
class _Doc:
    id: str
    source_path: str | None
    language: str | None
    metadata: dict[str, Any]
    duplicates: list[dict[str, Any]]
    size: int


def _read_docs(out_dir: Path) -> list[_Doc]:
    docs = []
    for doc_id in scan_ids(out_dir):
        sc = load_sidecar(out_dir / f"{doc_id}.json")  # malformed: left out, never a crash
        try:
            size = (out_dir / f"{doc_id}.txt").stat().st_size
        except OSError:
            continue
        if sc is None:
            continue
        meta = sc["metadata"]
        dups = [
            {"id": parse_display(str(d["id"])), "relation": str(d["relation"]),
             "score": float(d["score"])}
            for d in sc.get("duplicates") or ()
            if isinstance(d, dict) and {"id", "relation", "score"} <= d.keys()
            and isinstance(d["score"], (int, float))
        ]
        lang = meta.get("language")
        docs.append(_Doc(doc_id, sc.get("source_path"), lang if lang else None, meta, dups, size))
    return docs


def drop_duplicates(docs: list[_Doc]) -> tuple[list[_Doc], int]:
    """Keep the longest document of each duplicate cluster; return kept (in id order), dropped.

    >>> a = _Doc("a", None, "en", {}, [{"id": "b", "relation": "contains", "score": 1.0}], 9)
    >>> b = _Doc("b", None, "en", {}, [{"id": "a", "relation": "contained_in", "score": 1.0}], 5)
    >>> c = _Doc("c", None, "de", {}, [{"id": "a", "relation": "translation_of", "score": .6}], 9)
    >>> kept, n = drop_duplicates([a, b, c]); [d.id for d in kept], n
    (['a', 'c'], 1)
    """
    kept: set[str] = set()
    for d in sorted(docs, key=lambda d: (-d.size, d.id)):
        if not any(x["relation"] in REDUNDANT_RELATIONS and x["id"] in kept for x in d.duplicates):
            kept.add(d.id)
    out = [d for d in docs if d.id in kept]
    return out, len(docs) - len(out)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)) and all(isinstance(x, str) for x in value):
        return "list"
    return "json"


def metadata_types(docs: Iterable[_Doc]) -> dict[str, str]:
    """One type per metadata key over all documents: bool, int, float, str, list or json.

    >>> d = lambda m: _Doc("x", None, None, m, [], 0)
    >>> metadata_types([d({"authors": "A", "n": 1}), d({"authors": ["B"], "n": 2.5, "x": {}})])
    {'authors': 'list', 'n': 'float', 'x': 'json'}
    """
    kinds: dict[str, set[str]] = {}
    for doc in docs:
        for k, v in doc.metadata.items():
            kinds.setdefault(str(k), set()).add(_kind(v))
    out = {}
    for k, ks in kinds.items():
        ks.discard("null")
        if not ks:
            out[k] = "str"
        elif len(ks) == 1:
            out[k] = ks.pop()
        elif ks == {"int", "float"}:
            out[k] = "float"
        elif ks == {"str", "list"}:
            out[k] = "list"
        else:
            out[k] = "json"
    order = {f: i for i, f in enumerate(METADATA_FIELDS)}
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _coerce(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "list":
        return [value] if isinstance(value, str) else [str(x) for x in value]
    if kind == "float":
        return float(value)
    if kind == "json":
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return value


def _records(out_dir: Path, docs: list[_Doc], types: dict[str, str]) -> Iterator[dict[str, Any]]:
    for d in docs:
        try:
            text = (out_dir / f"{d.id}.txt").read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        yield {
            "id": display_path(d.id),  # lossless and printable (non-UTF-8 names)
            "text": text,
            "source_path": d.source_path,
            "language": d.language,
            "metadata": {k: _coerce(d.metadata.get(k), t) for k, t in types.items()},
            "duplicates": [{**x, "id": display_path(x["id"])} for x in d.duplicates],
        }


def _arrow_schema(types: dict[str, str]) -> Any:
    import pyarrow as pa

    arrow = {
        "bool": pa.bool_(),
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "list": pa.list_(pa.string()),
        "json": pa.string(),
    }
    link = pa.struct([("id", pa.string()), ("relation", pa.string()), ("score", pa.float64())])
    return pa.schema(
        [
            ("id", pa.string()),
            ("text", pa.string()),
            ("source_path", pa.string()),
            ("language", pa.string()),
            ("metadata", pa.struct([(k, arrow[t]) for k, t in types.items()])),
            ("duplicates", pa.list_(link)),
        ]
    )


@dataclass(frozen=True, slots=True)
class ExportSummary:
    documents: int
    dropped: int
    path: Path | None


def export(
    out_dir: Path | str,
    path: Path | str | None,
    *,
    fmt: str = "jsonl",
    drop_dups: bool = False,
    stream: Any = None,
) -> ExportSummary:
    """Write the documents of ``out_dir`` to ``path`` (atomically), or JSON lines to ``stream``.

    Raises ``ValueError`` for an unknown format (and :class:`~cleaners.io.UnsafePath`, a
    ``ValueError``, for a symlinked folder on the way to ``path`` inside ``out_dir``) and
    ``ImportError`` (with advice) when Parquet is asked for without pyarrow. Ids are shown
    losslessly (:func:`~cleaners.io.display_path`); malformed sidecars are left out.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise ImportError(NO_PYARROW_TEXT) from exc
    out_dir = Path(out_dir)
    docs = _read_docs(out_dir)
    dropped = 0
    if drop_dups:
        docs, dropped = drop_duplicates(docs)
    types = metadata_types(docs)
    records = _records(out_dir, docs, types)
    if path is None:
        n = 0
        for rec in records:
            stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
        return ExportSummary(n, dropped, None)
    path = Path(path)
    if os.path.abspath(path).startswith(os.path.join(os.path.abspath(out_dir), "")):
        check_no_symlink(os.path.abspath(out_dir), os.path.abspath(path))  # a planted _export link
    with atomic_target(path, prefix=f".{path.name}.", suffix=".tmp") as (fd, tmp):
        if fmt == "jsonl":
            n = _write_jsonl(fd, records)
        else:
            os.close(fd)
            n = _write_parquet(tmp, records, types)
    return ExportSummary(n, dropped, path)


def _write_jsonl(fd: int, records: Iterable[dict[str, Any]]) -> int:
    """Write ``records`` as JSON lines to ``fd`` (closed after); return how many."""
    n = 0
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_parquet(tmp: str, records: Iterable[dict[str, Any]], types: dict[str, str]) -> int:
    """Write ``records`` to the Parquet file ``tmp``, :data:`ROW_GROUP_DEFAULT` per row
    group; return how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    schema = _arrow_schema(types)
    with pq.ParquetWriter(tmp, schema) as writer:
        batch: list[dict[str, Any]] = []
        for rec in records:
            batch.append(rec)
            n += 1
            if len(batch) >= ROW_GROUP_DEFAULT:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n
