"""Files in, files out: discovery, decoding, atomic outputs, sidecars and the manifest.

The CLI and the Prefect flow both call :func:`clean_file` (through :func:`clean_files`), so
they write the same bytes. Guarantees:

* inputs are only ever read;
* each output is written to a temporary file in the output folder and renamed into place,
  so a reader (or a killed run) never sees half a file;
* every input file gets a manifest row: ``cleaned``, ``skipped`` (with why) or ``failed``
  (with the exception type and message);
* a document whose input hash, pipeline version and config hash match its existing sidecar
  is skipped without being cleaned again (``force=True`` re-cleans).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .document import CleanResult
from .pipeline import clean, pipeline_version

#: Name of the manifest in the output folder.
MANIFEST_NAME = "manifest.jsonl"
#: File endings read as text or HTML; other files are skipped with a reason.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".ocr"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
#: Files larger than this are failed with a clear error instead of being read.
MAX_BYTES_DEFAULT = 64 * 1024 * 1024
#: Bytes looked at to sniff formats and binary content.
SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HTML_SNIFF_RE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


class SkipFile(Exception):
    """Raised for an input that is not a document (binary, unsupported); not a failure."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the decision and how sure it is."""

    text: str
    encoding: str
    #: ``bom``, ``utf-8``, ``declared`` (HTML meta), ``detected`` (charset-normalizer).
    method: str
    confidence: float


def binary_reason(head: bytes) -> str | None:
    """Why the bytes are not text (a known magic number, or NUL bytes), or ``None``.

    >>> binary_reason(b"%PDF-1.7 ...")
    'PDF document'
    >>> binary_reason("Hello".encode("utf-16-le")) is None
    False
    >>> binary_reason(codecs.BOM_UTF16_LE + "Hello".encode("utf-16-le")) is None
    True
    """
    for bom, _ in _BOMS:
        if head.startswith(bom) and bom not in (codecs.BOM_UTF8,):
            return None  # UTF-16/32 text has NUL bytes by design
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


def decode_bytes(data: bytes, *, is_html: bool = False) -> Decoded:
    """Decode a file's bytes: BOM, then strict UTF-8, then an HTML-declared charset, then
    detection among legacy encodings (charset-normalizer).

    >>> decode_bytes("Grüße".encode("utf-8")).encoding
    'utf-8'
    >>> d = decode_bytes("中文网页内容，测试编码识别。这是一段较长的中文文本。".encode("gb18030"))
    >>> d.method, d.text[:4]
    ('detected', '中文网页')
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(enc, errors="replace"), enc, "bom", 1.0)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    if is_html:
        m = _META_CHARSET_RE.search(data[:SNIFF_BYTES * 4])
        if m:
            name = m.group(1).decode("ascii", "replace").lower()
            try:
                codecs.lookup(name)
            except LookupError:
                name = ""
            if name:
                if name in ("gb2312", "gbk"):
                    name = "gb18030"  # superset; pages labelled gb2312 use GBK characters
                try:
                    return Decoded(data.decode(name), name, "declared", 0.9)
                except UnicodeDecodeError:
                    pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return Decoded(data.decode("utf-8", errors="replace"), "utf-8", "fallback", 0.0)
    enc = best.encoding
    confidence = round(1.0 - float(best.chaos), 3)
    return Decoded(str(best), enc, "detected", confidence)


def sniff_format(path: Path, head: bytes) -> str:
    """``html`` or ``text`` for ``--format auto``: by file ending, then by content."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "html" if _HTML_SNIFF_RE.match(head) else "text"


# -- discovery -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file: where it is, and its path relative to the input root."""

    path: Path
    #: POSIX path relative to the input root (for a file given directly: its name).
    rel: str
    #: The output name without ending (unique within a run).
    stem: str


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def discover(inputs: Iterable[Path | str], *, exclude: Path | None = None) -> list[InputFile]:
    """List the files to clean: files as given, folders recursively (hidden ones skipped).

    Output stems are the relative path without its ending; when two inputs would share a
    stem (``a.txt`` and ``a.html``), both keep their ending (``a.txt.txt``, ``a.html.txt``).
    ``exclude`` (the output folder) is never read as input.
    """
    found: list[tuple[Path, str]] = []
    excluded = exclude.resolve() if exclude is not None else None
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in _walk(p):
                if excluded is not None and excluded in f.resolve().parents:
                    continue
                found.append((f, f.relative_to(p).as_posix()))
        elif p.exists():
            found.append((p, p.name))
        else:
            raise FileNotFoundError(f"input not found: {p}")
    stems: dict[str, int] = {}
    for _, rel in found:
        s = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
        stems[s] = stems.get(s, 0) + 1
    out: list[InputFile] = []
    seen: set[str] = set()
    for path, rel in found:
        s = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
        stem = rel if stems[s] > 1 else s
        if stem in seen:
            continue  # the same file given twice
        seen.add(stem)
        out.append(InputFile(path, rel, stem))
    return out


# -- writing ---------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_paths(out_dir: Path, stem: str) -> tuple[Path, Path]:
    """The body and sidecar paths of a document."""
    return out_dir / f"{stem}.txt", out_dir / f"{stem}.json"


def build_sidecar(
    inp: InputFile,
    result: CleanResult,
    *,
    input_sha: str,
    output_sha: str,
    config: Config,
    fmt: str,
    decoded: Decoded,
) -> dict[str, Any]:
    """The JSON sidecar of one cleaned document (stable: no times, no absolute paths)."""
    stats = {k: v for k, v in result.stats.items() if k != "seconds"}
    sidecar: dict[str, Any] = {
        "id": inp.stem,
        "source_path": inp.rel,
        "input_sha256": input_sha,
        "output_sha256": output_sha,
        "pipeline_version": pipeline_version(),
        "config_hash": config.digest(),
        "format": fmt,
        "encoding": {
            "name": decoded.encoding,
            "method": decoded.method,
            "confidence": decoded.confidence,
        },
        "metadata": result.metadata,
        "stats": stats,
        "edits": [e.to_json() for e in result.edits],
        "review": [r.to_json() for r in result.review],
    }
    if fmt == "html":
        # Edit offsets refer to the text extracted from the HTML: keep it for replay.
        sidecar["source_text"] = result.source_text
    return sidecar


def dumps_json(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- one file --------------------------------------------------------------------------


@dataclass(slots=True)
class ManifestRow:
    """What happened to one input file."""

    path: str
    status: str  # cleaned | skipped | failed
    reason: str | None = None
    error_type: str | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    edits: int = 0
    review: int = 0
    rules: dict[str, int] = field(default_factory=dict)

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


def _up_to_date(
    sidecar_path: Path, body_path: Path, input_sha: str, config: Config
) -> dict[str, Any] | None:
    """The existing sidecar if it records this input, pipeline and config, else ``None``."""
    try:
        old = json.loads(sidecar_path.read_text("utf-8"))
        body = body_path.read_bytes()
    except (OSError, ValueError):
        return None
    if (
        isinstance(old, dict)
        and old.get("input_sha256") == input_sha
        and old.get("pipeline_version") == pipeline_version()
        and old.get("config_hash") == config.digest()
        and old.get("output_sha256") == sha256(body)
    ):
        return old
    return None


def clean_file(
    inp: InputFile,
    out_dir: Path,
    *,
    fmt: str = "auto",
    config: Config | None = None,
    force: bool = False,
    max_bytes: int = MAX_BYTES_DEFAULT,
) -> ManifestRow:
    """Clean one input file into ``out_dir``; never raises for a bad document.

    ``OSError`` while *writing* outputs is raised (the caller may retry); every other
    problem becomes a ``failed`` row with the exception type.
    """
    config = config or Config()
    row = ManifestRow(path=inp.rel, status="failed")
    try:
        size = inp.path.stat().st_size
        row.bytes_in = size
        if size > max_bytes:
            row.reason = f"file is {size} bytes, above the limit of {max_bytes}"
            row.error_type = "FileTooLarge"
            return row
        data = inp.path.read_bytes()
    except OSError as exc:
        row.reason = f"cannot read input: {exc}"
        row.error_type = type(exc).__name__
        return row
    body_path, sidecar_path = output_paths(out_dir, inp.stem)
    input_sha = sha256(data)
    old = None if force else _up_to_date(sidecar_path, body_path, input_sha, config)
    if old is not None:
        row.status = "skipped"
        row.reason = "unchanged: same input, pipeline version and config"
        row.bytes_out = body_path.stat().st_size
        row.edits = len(old.get("edits", ()))
        row.review = len(old.get("review", ()))
        row.rules = dict(old.get("stats", {}).get("edits_per_rule", {}))
        return row
    head = data[:SNIFF_BYTES]
    why_binary = binary_reason(head)
    if why_binary:
        row.status = "skipped"
        row.reason = f"not a text document: {why_binary}"
        return row
    try:
        doc_fmt = sniff_format(inp.path, head) if fmt == "auto" else fmt
        decoded = decode_bytes(data, is_html=doc_fmt == "html")
        result = clean(decoded.text, fmt=doc_fmt, config=config)
    except Exception as exc:  # one bad document must not stop a run
        row.reason = f"{type(exc).__name__}: {exc}"
        row.error_type = type(exc).__name__
        return row
    body = result.text.encode("utf-8")
    output_sha = sha256(body)
    sidecar = build_sidecar(
        inp,
        result,
        input_sha=input_sha,
        output_sha=output_sha,
        config=config,
        fmt=doc_fmt,
        decoded=decoded,
    )
    # Body first, sidecar last: a sidecar on disk means its body is complete.
    atomic_write(body_path, body)
    atomic_write(sidecar_path, dumps_json(sidecar))
    row.status = "cleaned"
    row.bytes_out = len(body)
    row.edits = len(result.edits)
    row.review = len(result.review)
    row.rules = dict(result.stats.get("edits_per_rule", {}))
    return row


def up_to_date_row(
    inp: InputFile,
    out_dir: Path,
    *,
    config: Config | None = None,
    max_bytes: int = MAX_BYTES_DEFAULT,
) -> ManifestRow | None:
    """The ``skipped`` row :func:`clean_file` would return for an up-to-date document, or
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
    old = _up_to_date(sidecar_path, body_path, sha256(data), config)
    if old is None:
        return None
    return ManifestRow(
        path=inp.rel,
        status="skipped",
        reason="unchanged: same input, pipeline version and config",
        bytes_in=len(data),
        bytes_out=body_path.stat().st_size,
        edits=len(old.get("edits", ())),
        review=len(old.get("review", ())),
        rules=dict(old.get("stats", {}).get("edits_per_rule", {})),
    )


def clean_files(
    files: Iterable[InputFile],
    out_dir: Path,
    *,
    fmt: str = "auto",
    config: Config | None = None,
    force: bool = False,
    max_bytes: int = MAX_BYTES_DEFAULT,
    on_done: Callable[[InputFile, ManifestRow], None] | None = None,
) -> list[ManifestRow]:
    """Clean several files in order; ``on_done`` is called after each (progress bars)."""
    rows = []
    for inp in files:
        row = clean_file(inp, out_dir, fmt=fmt, config=config, force=force, max_bytes=max_bytes)
        rows.append(row)
        if on_done is not None:
            on_done(inp, row)
    return rows


def write_manifest(out_dir: Path, rows: Iterable[ManifestRow]) -> Path:
    """Write the run's manifest (one JSON row per input, in input order) atomically."""
    path = out_dir / MANIFEST_NAME
    lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in rows]
    atomic_write(path, ("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
    return path


def summarize(rows: Iterable[ManifestRow]) -> dict[str, Any]:
    """Counts per status, bytes, edits per rule: the run summary both CLI and flow print."""
    rows = list(rows)
    per_rule: dict[str, int] = {}
    for r in rows:
        for k, v in r.rules.items():
            per_rule[k] = per_rule.get(k, 0) + v
    return {
        "documents": len(rows),
        "cleaned": sum(r.status == "cleaned" for r in rows),
        "skipped": sum(r.status == "skipped" for r in rows),
        "failed": sum(r.status == "failed" for r in rows),
        "bytes_in": sum(r.bytes_in for r in rows),
        "bytes_out": sum(r.bytes_out for r in rows),
        "edits": sum(r.edits for r in rows),
        "review": sum(r.review for r in rows),
        "edits_per_rule": dict(sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
