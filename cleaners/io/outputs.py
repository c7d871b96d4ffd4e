"""A cleaned document in, its records out: sidecars, manifest rows, the manifest, up-to-date checks.

Enters: one :class:`~cleaners.core.document.CleanResult` (with its input and how its
bytes were read), or the rows of a run. Leaves: the sidecar JSON (stable: no times, no
absolute paths), :class:`ManifestRow` (what happened to one input), the manifest file,
and whether a document's existing outputs already record this input, pipeline and config
(:func:`up_to_date_row`), so a re-run reuses them instead of cleaning it again.

A manifest row records a document's outcome, never what one run did: an up-to-date
document's row is the same ``cleaned`` row as when it was cleaned, so a first and a second
run over the same inputs write the same manifest bytes. Whether a row's outputs were reused
(:attr:`ManifestRow.reused`) goes to the run summary only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaners.core import safety
from cleaners.core.config import Config
from cleaners.core.document import CleanResult
from cleaners.core.pipeline import pipeline_version
from cleaners.io.atomic import atomic_write
from cleaners.io.discovery import InputFile, display_path, output_paths
from cleaners.io.sniff import SniffedText

#: Name of the manifest in the output folder.
MANIFEST_NAME = "manifest.jsonl"
#: Files larger than this are failed with a clear error instead of being read.
MAX_BYTES_DEFAULT = safety.MAX_BYTES_DEFAULT


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data`` (input and output fingerprints in sidecars)."""
    return hashlib.sha256(data).hexdigest()


def build_sidecar(
    inp: InputFile,
    result: CleanResult,
    *,
    input_sha: str,
    output_sha: str,
    config: Config,
    fmt: str,
    decoded: SniffedText,
) -> dict[str, Any]:
    """The JSON sidecar of one cleaned document (stable: no times, no absolute paths)."""
    stats = {k: v for k, v in result.stats.items() if k != "seconds"}
    sidecar: dict[str, Any] = {
        "id": display_path(inp.stem),
        "source_path": display_path(inp.rel),
        "input_sha256": input_sha,
        "output_sha256": output_sha,
        "pipeline_version": pipeline_version(),
        "config_hash": (result.config or config).digest(),
        "format": fmt,
        "encoding": decoded.to_json(),
        "metadata": result.metadata,
        "stats": stats,
        "edits": [e.to_json() for e in result.edits],
        "review": [r.to_json() for r in result.review],
    }
    if result.config is not None and result.config.sidecar_info():
        sidecar["config"] = result.config.sidecar_info()  # section, site keys, user rules
    if fmt == "html":
        # Edit offsets refer to the text extracted from the HTML: keep it for replay.
        sidecar["source_text"] = result.source_text
    return sidecar


def dumps_json(obj: Any) -> bytes:
    """A sidecar's bytes: indented UTF-8 JSON with a final newline."""
    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass(slots=True)
class ManifestRow:
    """What became of one input file: ``cleaned``, ``skipped`` (not a document, with why)
    or ``failed`` (with why and the exception type).

    ``reused`` is true when the document's outputs were up to date and were kept as they
    were; it is run information (the summary counts it), never written to the manifest.
    """

    path: str
    status: str  # cleaned | skipped | failed
    reason: str | None = None
    error_type: str | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    edits: int = 0
    review: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    reused: bool = False

    def to_json(self) -> dict[str, Any]:
        d = {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "edits": self.edits,
            "review": self.review,
        }
        if self.error_type:
            d["error_type"] = self.error_type
        return d


#: The sidecar keys a reader may rely on, and the type each must have
#: (:func:`load_sidecar`); others are optional.
SIDECAR_TYPES: dict[str, type] = {
    "id": str,
    "source_path": str,
    "input_sha256": str,
    "output_sha256": str,
    "pipeline_version": str,
    "config_hash": str,
    "format": str,
    "encoding": dict,
    "metadata": dict,
    "stats": dict,
    "edits": list,
    "review": list,
}
#: Optional keys and their types when present.
SIDECAR_OPTIONAL_TYPES: dict[str, type] = {
    "config": dict,
    "source_text": str,
    "duplicates": list,
}


def sidecar_problem(obj: Any) -> str | None:
    """What is wrong with a parsed sidecar (a key missing or of the wrong type, an edit or
    review entry that is not an object, ``stats.edits_per_rule`` not counts), or ``None``.

    >>> sidecar_problem({"id": "a"})
    'missing key source_path'
    >>> ok = {k: t() if isinstance(t, type) else "" for k, t in SIDECAR_TYPES.items()}
    >>> sidecar_problem(ok) is None, sidecar_problem({**ok, "edits": {"x": 1}})
    (True, 'edits is dict, not list')
    >>> sidecar_problem({**ok, "stats": {"edits_per_rule": {"r": "7"}}})
    'stats.edits_per_rule holds something other than counts'
    """
    if not isinstance(obj, dict):
        return f"not a JSON object ({type(obj).__name__})"
    for key, kind in (*SIDECAR_TYPES.items(), *SIDECAR_OPTIONAL_TYPES.items()):
        if key not in obj:
            if key in SIDECAR_TYPES:
                return f"missing key {key}"
            continue
        if not isinstance(obj[key], kind):
            return f"{key} is {type(obj[key]).__name__}, not {kind.__name__}"
    for key in ("edits", "review", "duplicates"):
        if not all(isinstance(e, dict) for e in obj.get(key, ())):
            return f"{key} holds something other than objects"
    per_rule = obj["stats"].get("edits_per_rule", {})
    if not isinstance(per_rule, dict) or not all(
        isinstance(k, str) and type(v) is int for k, v in per_rule.items()
    ):
        return "stats.edits_per_rule holds something other than counts"
    return None


def load_sidecar(path: Path) -> dict[str, Any] | None:
    """The sidecar at ``path`` if it reads as one (:func:`sidecar_problem`), else ``None``:
    a missing, unreadable, malformed or tampered sidecar means "stale, clean again",
    never a crash."""
    try:
        obj = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return obj if sidecar_problem(obj) is None else None


def unchanged_row(path: str, old: dict[str, Any], bytes_in: int, bytes_out: int) -> ManifestRow:
    """The row of a document whose existing sidecar ``old`` is up to date: the same
    ``cleaned`` row as when it was cleaned (counts from the sidecar), marked ``reused``."""
    return ManifestRow(
        path=path,
        status="cleaned",
        reused=True,
        bytes_in=bytes_in,
        bytes_out=bytes_out,
        edits=len(old.get("edits", ())),
        review=len(old.get("review", ())),
        rules=dict(old.get("stats", {}).get("edits_per_rule", {})),
    )


def up_to_date_sidecar(
    sidecar_path: Path, body_path: Path, input_sha: str, config: Config, rel: str | None = None
) -> dict[str, Any] | None:
    """The existing sidecar if it records this input, pipeline and config, else ``None``."""
    old = load_sidecar(sidecar_path)
    if old is None:
        return None
    try:
        body = body_path.read_bytes()
    except OSError:
        return None
    if (
        old.get("input_sha256") == input_sha
        and old.get("pipeline_version") == pipeline_version()
        and old.get("config_hash") == config.digest_for(rel, old.get("config"))
        and old.get("output_sha256") == sha256(body)
    ):
        return old
    return None


def up_to_date_row(
    inp: InputFile,
    out_dir: Path,
    *,
    config: Config | None = None,
    max_bytes: int = MAX_BYTES_DEFAULT,
) -> ManifestRow | None:
    """The (``reused``) row :func:`clean_file` would return for an up-to-date document, or
    ``None`` when it must be cleaned (or cannot be read: :func:`clean_file` reports that).

    A cheap pre-check (one read and hash of the input, no pipeline) for callers that hand
    the documents to be cleaned to other processes.
    """
    config = config or Config()
    try:
        if inp.path.stat().st_size > max_bytes:
            return None
        data = inp.path.read_bytes()
    except OSError:
        return None
    body_path, sidecar_path = output_paths(out_dir, inp.stem)
    old = up_to_date_sidecar(sidecar_path, body_path, sha256(data), config, inp.rel)
    if old is None:
        return None
    return unchanged_row(inp.rel, old, len(data), body_path.stat().st_size)


def write_manifest(out_dir: Path, rows: Iterable[ManifestRow]) -> Path:
    """Write the run's manifest (one JSON row per input, in input order) atomically."""
    path = out_dir / MANIFEST_NAME
    lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in rows]
    atomic_write(path, ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
    return path
