"""Files in, files out: discovery, decoding, atomic outputs, sidecars and the manifest.

The CLI and the Prefect flow both call :func:`clean_file` (through :func:`clean_files`), so
they write the same bytes. Guarantees (README "Failure behaviour"; docs/failure.md):

* inputs are only ever read;
* each output is written to a temporary file in its own folder and renamed into place, so
  a reader (or a killed run) never sees half a file; temporary files a killed run leaves
  behind are removed by the next run (:func:`remove_stale_temp_files`, under the lock);
* every input file gets a manifest row: ``cleaned``, ``skipped`` (with why) or ``failed``
  (with the reason and the exception type); one bad document never stops a run;
* output names derive from input paths relative to their input root, and nothing is ever
  written outside the output folder;
* a document whose input hash, pipeline version and config hash match its existing sidecar
  is skipped without being cleaned again (``force=True`` re-cleans), so re-running an
  interrupted run completes the rest;
* one run at a time per output folder (:class:`OutputLock`).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from cleaners.core import safety
from cleaners.core.config import Config
from cleaners.core.document import CleanResult
from cleaners.core.pipeline import clean, pipeline_version
from cleaners.core.safety import safe_compile

#: Name of the manifest in the output folder.
MANIFEST_NAME = "manifest.jsonl"
#: The lock file that keeps two runs out of the same output folder.
LOCK_NAME = ".scrubline.lock"
#: Ending of temporary output files (hidden: they start with a dot).
TMP_SUFFIX = ".scrubline.tmp"
#: File endings read as text or HTML; other files are sniffed.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".ocr"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
#: Files larger than this are failed with a clear error instead of being read.
MAX_BYTES_DEFAULT = safety.MAX_BYTES_DEFAULT
#: Bytes looked at to sniff formats and binary content.
SNIFF_BYTES = 4096
#: Bytes charset-normalizer looks at for an undeclared legacy encoding (the whole file is
#: then decoded with its answer): detection time stays bounded for large files.
DETECT_BYTES = 256 * 1024
#: Longest file name (bytes) most file systems accept; see :func:`fit_name`.
NAME_MAX = 255

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _at(offset: int, magic: bytes) -> Callable[[bytes], bool]:
    return lambda h: h[offset : offset + len(magic)] == magic


#: (prefix, what it is, extra test or None). Prefixes that are plain letters ("ID3",
#: "BZh", "%PDF-") need the bytes after them too, so a text starting "ID3 tags" stays text.
_BINARY_MAGIC: tuple[tuple[bytes, str, Callable[[bytes], bool] | None], ...] = (
    (b"%PDF-", "PDF document", lambda h: h[5:6].isdigit()),
    (b"\x89PNG\r\n\x1a\n", "PNG image", None),
    (b"\xff\xd8\xff", "JPEG image", None),
    (b"GIF87a", "GIF image", None),
    (b"GIF89a", "GIF image", None),
    (b"II*\x00", "TIFF image", None),
    (b"MM\x00*", "TIFF image", None),
    (b"RIFF", "RIFF media (WAV, AVI, WebP)", lambda h: h[8:12] in (b"WAVE", b"AVI ", b"WEBP")),
    (b"", "MP4/QuickTime/HEIF media", _at(4, b"ftyp")),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM media", None),
    (b"OggS\x00", "Ogg media", None),
    (b"ID3", "MP3 audio", lambda h: h[3:4] in (b"\x02", b"\x03", b"\x04")),
    (b"fLaC", "FLAC audio", lambda h: h[4:5] in (b"\x00", b"\x80")),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)", None),
    (b"PK\x05\x06", "ZIP archive", None),
    (b"\x1f\x8b", "gzip archive", None),
    (b"BZh", "bzip2 archive", lambda h: h[3:4].isdigit() and h[4:10] == b"1AY&SY"),
    (b"\xfd7zXZ\x00", "xz archive", None),
    (b"\x28\xb5\x2f\xfd", "zstd archive", None),
    (b"\x04\x22\x4d\x18", "lz4 archive", None),
    (b"Rar!\x1a\x07", "RAR archive", None),
    (b"7z\xbc\xaf\x27\x1c", "7z archive", None),
    (b"", "tar archive", _at(257, b"ustar")),
    (b"\x7fELF", "executable", None),
    (b"\xcf\xfa\xed\xfe", "executable", None),
    (b"\xce\xfa\xed\xfe", "executable", None),
    (b"\xca\xfe\xba\xbe", "executable or Java class", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document (OLE)", None),
    (b"SQLite format 3\x00", "SQLite database", None),
    (b"\x89HDF\r\n\x1a\n", "HDF5 data", None),
    (b"wOFF", "WOFF font", lambda h: h[4:8] in (b"\x00\x01\x00\x00", b"OTTO", b"true")),
    (b"wOF2", "WOFF2 font", lambda h: h[4:8] in (b"\x00\x01\x00\x00", b"OTTO", b"true")),
    (b"{\\rtf", "RTF document", None),
)
#: C0 control bytes that plain text does not contain (tab, newlines, form feed, ESC and
#: the DOS end-of-file mark 0x1a are allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20)])
#: Share of NUL bytes (1%) or other control bytes (5% with NULs, 10% without) from which
#: the head of a file is binary. A stray NUL in otherwise plain text is not enough.
_NUL_SHARE = 0.01
_CONTROL_SHARE_WITH_NUL = 0.05
_CONTROL_SHARE = 0.10

_META_CHARSET_RE = safe_compile(
    rb"""<meta\b[^>]{0,1024}?\bcharset\s{0,64}=\s{0,64}["']?\s{0,64}([A-Za-z0-9_.:-]{1,64})""",
    regex.IGNORECASE,
)
_XML_ENCODING_RE = safe_compile(
    rb"""\A\s{0,64}<\?xml\b[^>]{0,256}?\bencoding\s{0,64}=\s{0,64}["']([A-Za-z0-9_.:-]{1,64})""",
    regex.IGNORECASE,
)
#: Labels a page may declare that browsers read as a superset (WHATWG Encoding standard):
#: pages labelled gb2312 use GBK characters, latin-1 pages use cp1252 quotes, and so on.
_SUPERSET = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}
#: Codecs a page cannot meaningfully declare (ASCII-compatible bytes in hand) or that are
#: not character encodings of documents at all.
_NOT_DECLARABLE = frozenset(
    {"undefined", "utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode",
     "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)
_UTF8_REPLACEMENT = "\ufffd".encode()
_ASCII_BYTES = bytes(range(0x80))


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the decision and how sure it is."""

    text: str
    encoding: str
    #: ``bom``; ``utf-16``/``utf-32`` sniffed without BOM (``sniffed``); ``utf-8``;
    #: ``declared`` (HTML meta or XML declaration); ``detected`` (charset-normalizer);
    #: ``fallback`` (nothing fitted: UTF-8 with U+FFFD for bad bytes).
    method: str
    confidence: float
    #: Anything a reader should know: bytes replaced with U+FFFD, a truncated last
    #: character, a declared charset that did not fit.
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.encoding,
            "method": self.method,
            "confidence": self.confidence,
        }
        if self.note:
            d["note"] = self.note
        return d


def sniff_utf16_32(head: bytes) -> str | None:
    """The codec of BOM-less UTF-16 or UTF-32 text, told by where its NUL bytes fall.

    Text with ASCII in it (letters, digits, spaces, newlines) has a NUL in every ASCII code
    unit, always on the same side; binary data does not keep to one side, and its decoded
    form is full of control characters. At least 8 such units are needed: shorter files
    without a BOM are not told apart from binary.

    >>> sniff_utf16_32("Grüße aus Köln\\n".encode("utf-16-le"))
    'utf-16-le'
    >>> sniff_utf16_32("中文 2024\\n".encode("utf-32-be"))
    'utf-32-be'
    >>> sniff_utf16_32(b"plain text") is None, sniff_utf16_32(bytes(64)) is None
    (True, True)
    """
    n = len(head)
    if n < 4:
        return None
    k4 = n - n % 4
    if k4 >= 8:
        units = k4 // 4
        for enc, zero, low in (("utf-32-le", 3, 2), ("utf-32-be", 0, 1)):
            if head[zero:k4:4].count(0) == units and max(head[low:k4:4]) <= 0x10:
                if _plausible_text(head[:k4], enc):
                    return enc
    k2 = n - n % 2
    units = k2 // 2
    even, odd = head[0:k2:2], head[1:k2:2]
    for enc, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        zeros = high.count(0)
        if zeros >= 8 and zeros >= 0.2 * units and low.count(0) <= 0.02 * units:
            if _plausible_text(head[:k2], enc):
                return enc
    return None


def _plausible_text(data: bytes, enc: str) -> bool:
    """Whether ``data`` decodes strictly in ``enc`` (the last unit may be cut) to text with
    few control characters and not only NULs."""
    step = 4 if "32" in enc else 2
    for cut in (0, step):  # the head may end inside a surrogate pair
        try:
            text = data[: len(data) - cut].decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    if not text.strip("\x00"):
        return False
    controls = sum(
        1 for ch in text if (ch < " " or "\x7f" <= ch <= "\x9f") and ch not in "\t\n\r\x0c"
    )
    return controls <= 0.05 * len(text)


def binary_reason(head: bytes) -> str | None:
    """Why the bytes are not text (a known magic number, NUL or control bytes), or ``None``.

    >>> binary_reason(b"%PDF-1.7 ...")
    'PDF document'
    >>> binary_reason(b"ID3 tags are metadata in MP3 files.") is None
    True
    >>> binary_reason("Hello, world".encode("utf-16-le")) is None
    True
    >>> binary_reason(codecs.BOM_UTF16_LE + "Hello".encode("utf-16-le")) is None
    True
    >>> binary_reason(b"abc\\x00\\x01\\x02def")
    'binary data (NUL bytes)'
    """
    for bom, _ in _BOMS:
        if head.startswith(bom) and bom != codecs.BOM_UTF8:
            return None  # UTF-16/32 text has NUL bytes by design
    for magic, what, test in _BINARY_MAGIC:
        if head.startswith(magic) and (test is None or test(head)):
            return what
    n = len(head)
    if not n or sniff_utf16_32(head):
        return None
    nul = head.count(0)
    controls = n - len(head.translate(None, _CONTROL_BYTES))
    if nul and (nul >= _NUL_SHARE * n or controls >= _CONTROL_SHARE_WITH_NUL * n):
        return "binary data (NUL bytes)"
    if controls >= _CONTROL_SHARE * n:
        return "binary data (control bytes)"
    return None


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    """The codec an HTML/XML head declares, as (label, codec), or ``None``."""
    window = data[: SNIFF_BYTES * 4]
    m = _XML_ENCODING_RE.search(window) or _META_CHARSET_RE.search(window)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").lower()
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_DECLARABLE:
        return None
    return label, _SUPERSET.get(info.name, info.name)


def _replaced(text: str, data: bytes) -> int:
    """How many U+FFFD a lenient UTF-8 decode put in (those not in the input itself)."""
    return text.count("\ufffd") - data.count(_UTF8_REPLACEMENT)


def _mostly_utf8(data: bytes, bad: int | None = None, high: int | None = None) -> bool:
    """UTF-8 with a few bad sequences among many good multi-byte characters (at most one
    bad per 50 bytes >= 0x80): a damaged UTF-8 file, not a legacy encoding."""
    if bad is None:
        bad = _replaced(data.decode("utf-8", errors="replace"), data)
    if high is None:
        high = len(data.translate(None, _ASCII_BYTES))  # bytes >= 0x80
    return high >= 20 and bad * 50 <= high


def _detection_sample(data: bytes) -> bytes:
    """At most :data:`DETECT_BYTES`, cut where no multi-byte character can be split."""
    if len(data) <= DETECT_BYTES:
        return data
    sample = data[:DETECT_BYTES]
    # Bytes below 0x30 are never the 2nd-4th byte of a GB18030/GBK/Big5/Shift_JIS/EUC
    # character (nor a UTF-8 continuation byte): cut after the last one.
    cut = max(sample.rfind(bytes([b])) for b in b"\n\r\t !\"'(),-./")
    return sample[: cut + 1] if cut > DETECT_BYTES // 2 else sample


def decode_bytes(data: bytes, *, is_html: bool = False) -> Decoded:
    """Decode a file's bytes; never raises.

    In order: a BOM; BOM-less UTF-16/32 (by its NUL pattern); strict UTF-8; UTF-8 with a
    character cut off at the end, or with a few bad bytes among many good multi-byte
    characters (bad bytes become U+FFFD, noted); an HTML/XML-declared charset (read as
    browsers do: gb2312 as GB18030, latin-1 as cp1252...); detection among legacy encodings
    by charset-normalizer on the first 256 KB; else UTF-8 with U+FFFD (``fallback``).

    >>> decode_bytes("Grüße".encode("utf-8")).encoding
    'utf-8'
    >>> d = decode_bytes("中文网页内容，测试编码识别。这是一段较长的中文文本。".encode("gb18030"))
    >>> d.method, d.text[:4]
    ('detected', '中文网页')
    >>> decode_bytes("Ende: “ß”".encode("utf-8")[:-2]).note
    'the file ends inside a character (truncated?): replaced with U+FFFD'
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(enc, errors="replace")
            bad = text.count("\ufffd")
            note = f"{bad} undecodable sequence(s) replaced with U+FFFD" if bad else None
            return Decoded(text, enc, "bom", 1.0, note)
    enc16 = sniff_utf16_32(data[:SNIFF_BYTES])
    if enc16:
        text = data.decode(enc16, errors="replace")
        return Decoded(text, enc16, "sniffed", 0.9, "no BOM: told by the NUL-byte pattern")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8", 1.0)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:
                text = data[: exc.start].decode("utf-8") + "\ufffd"
                note = "the file ends inside a character (truncated?): replaced with U+FFFD"
                return Decoded(text, "utf-8", "utf-8", 0.99, note)
            except UnicodeDecodeError:
                pass
    if _mostly_utf8(data[:DETECT_BYTES]):  # a sample first: no full copy for legacy files
        lenient = data.decode("utf-8", errors="replace")
        bad = _replaced(lenient, data)
        high = len(data.translate(None, _ASCII_BYTES))
        if _mostly_utf8(data, bad, high):
            note = f"{bad} invalid UTF-8 sequence(s) replaced with U+FFFD"
            return Decoded(lenient, "utf-8", "utf-8", round(1 - bad / high, 3), note)
        del lenient
    note = None
    if is_html:
        declared = _declared_charset(data)
        if declared:
            label, enc = declared
            text = data.decode(enc, errors="replace")
            bad = text.count("\ufffd")
            if bad <= 0.005 * len(data):
                note = f"declared {label!r}, read as {enc}" if label != enc else None
                if bad:
                    note = (note + "; " if note else "") + f"{bad} bad byte(s) replaced"
                return Decoded(text, enc, "declared", 0.9 if not bad else 0.8, note)
            note = f"declared {label!r} does not fit the bytes ({bad} errors): detected instead"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(_detection_sample(data)).best()
    except Exception:  # detection is best effort; never let it stop a document
        best = None
    if best is not None:
        enc = _SUPERSET.get(codecs.lookup(best.encoding).name, best.encoding)
        if enc != "utf-8":
            text = data.decode(enc, errors="replace")
            bad = text.count("\ufffd")
            if bad:
                note = (note + "; " if note else "") + f"{bad} bad byte(s) replaced"
            confidence = round(max(0.0, 1.0 - float(best.chaos)), 3)
            return Decoded(text, enc, "detected", confidence, note)
    bad = _replaced(data.decode("utf-8", errors="replace"), data)
    note = (note + "; " if note else "") + f"no encoding fits: {bad} bad sequence(s) replaced"
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", "fallback", 0.0, note)


def _ascii_view(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes (UTF-16/32 heads decoded), BOM removed."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            if enc == "utf-8":
                return head[len(bom) :]
            return head[len(bom) :].decode(enc, "ignore").encode("ascii", "ignore")
    enc16 = sniff_utf16_32(head)
    if enc16:
        return head.decode(enc16, "ignore").encode("ascii", "ignore")
    return head


def looks_like_html(head: bytes) -> bool:
    """Whether a file starts like an HTML page (after white space, comments, an XML
    declaration): ``<!doctype html``, ``<html``, ``<head`` or ``<body``; a head that is
    nothing but comments counts as HTML.

    A plain loop (a regex with a repeated comment group backtracks exponentially on a
    head of many comments).

    >>> looks_like_html(b"<!-- a --> <!-- b -->\\n<!DOCTYPE html><p>x")
    True
    >>> looks_like_html(b"a <html>")
    False
    """
    s = _ascii_view(head)
    n = len(s)
    i = 0
    while True:
        while i < n and s[i : i + 1].isspace():
            i += 1
        if s.startswith(b"<!--", i):
            end = s.find(b"-->", i + 4)
            if end < 0:
                return True  # nothing but markup as far as the head goes
            i = end + 3
        elif s.startswith(b"<?", i):
            end = s.find(b"?>", i + 2)
            if end < 0:
                return True
            i = end + 2
        else:
            break
    tag = s[i : i + 15].lower()
    if tag.startswith(b"<!doctype") and b"html" in tag:
        return True
    for name in (b"<html", b"<head", b"<body"):
        if tag.startswith(name):
            after = tag[len(name) : len(name) + 1]
            return after in (b"", b">", b"/") or after.isspace()
    return False


def sniff_format(path: Path, head: bytes) -> str:
    """``html`` or ``text`` for ``--format auto``: by file ending, then by content."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "html" if looks_like_html(head) else "text"


# -- discovery -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file: where it is, and its path relative to the input root."""

    path: Path
    #: POSIX path relative to the input root (for a file given directly: its name).
    rel: str
    #: The output name without ending (unique within a run; see :func:`fit_name`).
    stem: str
    #: Set when discovery already knows the file will not be cleaned (a symlink leading
    #: out of the input root, a FIFO, an unreadable folder...): the manifest reason.
    skip_reason: str | None = None
    #: With ``skip_reason``: the exception type when it is a failure, not a skip.
    error_type: str | None = None


def display_path(rel: str) -> str:
    """A path as the manifest and sidecars show it: bytes that are not UTF-8 (kept by
    Python as lone surrogates) become ``\\xNN`` escapes, so the JSON stays valid UTF-8.

    >>> display_path("caf\\udce9.txt"), display_path("中文.txt")
    ('caf\\\\xe9.txt', '中文.txt')
    """
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _cut_to_bytes(name: str, limit: int) -> str:
    out = []
    used = 0
    for ch in name:
        size = len(os.fsencode(ch))
        if used + size > limit:
            break
        out.append(ch)
        used += size
    return "".join(out)


def fit_name(stem: str, rel: str) -> str:
    """Shorten the last part of an output stem whose file name would pass :data:`NAME_MAX`
    bytes once ``.json`` is added: its first 180 bytes, ``~``, and 16 hex digits of the
    SHA-256 of the input's relative path (so the name stays unique and stable).

    >>> short = fit_name("a/" + "é" * 200, "a/" + "é" * 200 + ".txt")
    >>> len(short.encode()), short[:4], short[-17:]
    (199, 'a/éé', '~baa1158833a10866')
    >>> fit_name("a/short", "a/short.txt")
    'a/short'
    """
    head, sep, last = stem.rpartition("/")
    if len(os.fsencode(last)) + len(".json") <= NAME_MAX:
        return stem
    digest = hashlib.sha256(os.fsencode(rel)).hexdigest()[:16]
    return f"{head}{sep}{_cut_to_bytes(last, 180)}~{digest}"


def _within(root_real: str, path_real: str) -> bool:
    return path_real == root_real or path_real.startswith(root_real.rstrip(os.sep) + os.sep)


def _walk(root: Path, exclude_real: str | None) -> Iterator[tuple[Path, str | None, str | None]]:
    """Files under ``root`` in a stable order (a folder's files, then its subfolders, each
    sorted by name; hidden ones skipped), as ``(path, skip_reason, error_type)``.

    Symlinks are never followed out of the root: a link to a file inside the root is read,
    a link leading out of it, a link to a folder and a broken link are skipped with a
    reason. FIFOs, sockets and devices are skipped (reading a FIFO would block forever).
    An unreadable folder is reported as failed.
    """
    root_real = os.path.realpath(root)
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(
                    (e for e in it if not e.name.startswith(".") and e.name != "scrubline.toml"), key=lambda e: e.name
                )
        except OSError as exc:
            yield folder, f"cannot read folder: {exc.strerror or exc}", type(exc).__name__
            continue
        subfolders = []
        for e in entries:
            path = Path(e.path)
            try:
                if e.is_symlink():
                    target = os.path.realpath(e.path)
                    if not os.path.exists(target):
                        yield path, "broken symlink", None
                    elif not _within(root_real, target):
                        yield path, "symlink points outside the input root", None
                    elif os.path.isdir(target):
                        yield path, "symlink to a folder: not followed", None
                    elif stat.S_ISREG(os.stat(target).st_mode):
                        yield path, None, None
                    else:
                        yield path, "not a regular file (FIFO, socket or device)", None
                elif e.is_dir(follow_symlinks=False):
                    if exclude_real is None or os.path.realpath(e.path) != exclude_real:
                        subfolders.append(path)
                elif e.is_file(follow_symlinks=False):
                    yield path, None, None
                else:
                    yield path, "not a regular file (FIFO, socket or device)", None
            except OSError as exc:
                yield path, f"cannot inspect: {exc.strerror or exc}", type(exc).__name__
        stack.extend(reversed(subfolders))


def _stem_of(rel: str) -> str:
    return rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel


def discover(inputs: Iterable[Path | str], *, exclude: Path | None = None) -> list[InputFile]:
    """List the files to clean: files as given, folders recursively (hidden ones skipped).

    Output stems are the relative path without its ending; when two inputs would share a
    stem (``a.txt`` and ``a.html``), both keep their ending (``a.txt.txt``, ``a.html.txt``);
    a name too long for the file system is shortened (:func:`fit_name`). ``exclude`` (the
    output folder) is never read as input. Entries that will not be cleaned (see
    :func:`_walk`) are listed with their ``skip_reason``, so the manifest accounts for them.
    """
    found: list[tuple[Path, str, str | None, str | None]] = []
    exclude_real = os.path.realpath(exclude) if exclude is not None else None
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f, why, etype in _walk(p, exclude_real):
                rel = f.relative_to(p).as_posix() if f != p else "."
                if why and etype and f.is_dir():
                    rel += "/"
                found.append((f, rel, why, etype))
        elif p.exists():
            why = None if p.is_file() else "not a regular file (FIFO, socket or device)"
            found.append((p, p.name, why, None))
        elif p.is_symlink():
            found.append((p, p.name, "broken symlink", None))
        else:
            raise FileNotFoundError(f"input not found: {p}")
    stems: dict[str, int] = {}
    for _, rel, why, _ in found:
        if why is None:
            s = _stem_of(rel)
            stems[s] = stems.get(s, 0) + 1
    out: list[InputFile] = []
    seen: set[str] = set()
    seen_skipped: set[str] = set()
    for path, rel, why, etype in found:
        if why is not None:
            if rel not in seen_skipped:
                seen_skipped.add(rel)
                out.append(InputFile(path, rel, rel, why, etype))
            continue
        s = _stem_of(rel)
        stem = fit_name(rel if stems[s] > 1 else s, rel)
        if stem in seen:
            continue  # the same file given twice
        seen.add(stem)
        out.append(InputFile(path, rel, stem))
    return out


# -- writing ---------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    The temporary file is ``.<name>.<random>.scrubline.tmp`` (hidden, never read as
    input); a run killed before the rename leaves it behind, and the next run in the same
    output folder removes it (:func:`remove_stale_temp_files`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = "." + _cut_to_bytes(path.name, 96) + "."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=TMP_SUFFIX, dir=path.parent)
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


def remove_stale_temp_files(out_dir: Path) -> int:
    """Delete the temporary files killed runs left under ``out_dir``; return how many.

    Only call it while holding the :class:`OutputLock` (no other run can be writing).
    """
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(out_dir):
        for name in filenames:
            if name.startswith(".") and name.endswith(TMP_SUFFIX):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed


class OutputLocked(RuntimeError):
    """Another run holds the lock of the output folder."""


class OutputLock:
    """One run at a time per output folder: ``fcntl.flock`` on ``DIR/.scrubline.lock``.

    The lock is taken without waiting (a second run is refused with
    :class:`OutputLocked`, naming the holder's pid) and released by the kernel if the
    holder dies, even by SIGKILL. The file is removed on release; the inode is checked
    after locking, so a run that opened the file just before it was removed retries.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with OutputLock(d):
    ...     OutputLock(d).acquire()
    Traceback (most recent call last):
    ...
    cleaners.io.OutputLocked: another scrubline run (pid ...) is writing to ...
    >>> (d / LOCK_NAME).exists()
    False
    """

    def __init__(self, out_dir: Path | str) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> OutputLock:
        for _ in range(10):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                try:
                    holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "pid unknown"
                finally:
                    os.close(fd)
                raise OutputLocked(
                    f"another scrubline run ({holder}) is writing to {self.out_dir}"
                ) from None
            except BaseException:
                os.close(fd)
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"pid {os.getpid()}\n".encode())
                self._fd = fd
                return self
            os.close(fd)  # the holder removed the file as we opened it: try again
        raise OutputLocked(f"could not lock {self.path}: it keeps being replaced")

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.unlink(self.path)  # while still locked: see the class docstring
        except FileNotFoundError:
            pass
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutputLock:
        return self if self._fd is not None else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def output_paths(out_dir: Path, stem: str) -> tuple[Path, Path]:
    """The body and sidecar paths of a document."""
    return out_dir / f"{stem}.txt", out_dir / f"{stem}.json"


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def safe_output_paths(out_dir: Path, stem: str) -> tuple[Path, Path]:
    """:func:`output_paths`, refusing any stem that would write outside ``out_dir``:
    absolute, ``..``/``.``/empty parts, NUL, or a folder inside ``out_dir`` that is a
    symlink leading elsewhere.

    >>> safe_output_paths(Path("/out"), "a/b")[0].as_posix()
    '/out/a/b.txt'
    >>> safe_output_paths(Path("/out"), "../etc/x")
    Traceback (most recent call last):
    ...
    cleaners.io.UnsafePath: unsafe output name '../etc/x': ...
    """
    parts = stem.split("/")
    if not stem or stem.startswith("/") or "\x00" in stem or any(
        p in ("", ".", "..") for p in parts
    ):
        raise UnsafePath(
            f"unsafe output name {display_path(stem)!r}: absolute, or with an empty, "
            f"'.' or '..' part"
        )
    body, sidecar = output_paths(out_dir, stem)
    if len(parts) == 1:
        return body, sidecar  # directly in out_dir: no folder of ours to resolve
    root = os.path.realpath(out_dir)
    if not _within(root, os.path.realpath(body.parent)):
        raise UnsafePath(
            f"output path for {display_path(stem)!r} leads out of the output folder "
            f"(a symlinked folder inside it?)"
        )
    return body, sidecar


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
    sidecar_path: Path, body_path: Path, input_sha: str, config: Config, rel: str | None = None
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
        and old.get("config_hash") == config.digest_for(rel, old.get("config"))
        and old.get("output_sha256") == sha256(body)
    ):
        return old
    return None


#: Write errors that belong to one document's name, not to the run (a full disk does).
_NAME_ERRNOS = frozenset(
    {errno.ENAMETOOLONG, errno.EILSEQ, errno.EINVAL, errno.EISDIR, errno.ENOTDIR, errno.EEXIST}
)


class _NotRegular(OSError):
    pass


def _read_input(path: Path, limits: safety.Limits) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (+1 to notice growth)."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise _NotRegular(errno.EINVAL, "not a regular file (folder, FIFO, socket or device)")
    safety.check_file_size(st.st_size, limits)
    with open(path, "rb") as fh:
        data = fh.read(limits.max_bytes + 1) if limits.max_bytes else fh.read()
    safety.check_file_size(len(data), limits)  # it grew while we looked
    return data


def clean_file(
    inp: InputFile,
    out_dir: Path,
    *,
    fmt: str = "auto",
    config: Config | None = None,
    force: bool = False,
    max_bytes: int | None = None,
    limits: safety.Limits | None = None,
) -> ManifestRow:
    """Clean one input file into ``out_dir``; never raises for a bad document.

    ``OSError`` while *writing* outputs is raised when it concerns the run (a full or
    read-only disk: the caller may retry or stop); every other problem, including a name
    the file system refuses, becomes a ``failed`` row with the exception type.
    ``max_bytes`` overrides ``limits.max_bytes`` (``limits``: the ones in force).
    """
    config = config or Config()
    limits = limits or safety.current()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    row = ManifestRow(path=display_path(inp.rel), status="failed")
    if inp.skip_reason:
        row.status = "failed" if inp.error_type else "skipped"
        row.reason = inp.skip_reason
        row.error_type = inp.error_type
        return row
    try:
        body_path, sidecar_path = safe_output_paths(out_dir, inp.stem)
    except UnsafePath as exc:
        row.status = "skipped"
        row.reason = str(exc)
        return row
    try:
        row.bytes_in = os.stat(inp.path).st_size
        data = _read_input(inp.path, limits)
    except safety.FileTooLarge as exc:
        row.reason = str(exc)
        row.error_type = type(exc).__name__
        return row
    except _NotRegular as exc:
        row.status = "skipped"
        row.reason = exc.strerror
        return row
    except OSError as exc:
        row.reason = f"cannot read input: {exc}"
        row.error_type = type(exc).__name__
        return row
    input_sha = sha256(data)
    old = None if force else _up_to_date(sidecar_path, body_path, input_sha, config, inp.rel)
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
        with safety.using(limits):
            doc_fmt = sniff_format(inp.path, head) if fmt == "auto" else fmt
            decoded = decode_bytes(data, is_html=doc_fmt == "html")
            del data  # the decoded text is all we need now (peak memory on huge inputs)
            result = clean(decoded.text, fmt=doc_fmt, config=config, path=inp.rel)
        if result.error is not None:
            row.reason = f"{result.stats.get('error_type', 'Error')}: {result.error}"
            row.error_type = result.stats.get("error_type", "Error")
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
        sidecar_bytes = dumps_json(sidecar)
    except Exception as exc:  # one bad document must not stop a run
        row.reason = f"{type(exc).__name__}: {exc}"
        row.error_type = type(exc).__name__
        return row
    try:
        # Body first, sidecar last: a sidecar on disk means its body is complete.
        atomic_write(body_path, body)
        atomic_write(sidecar_path, sidecar_bytes)
    except OSError as exc:
        if exc.errno not in _NAME_ERRNOS:
            raise
        row.reason = f"cannot write output: {exc}"
        row.error_type = type(exc).__name__
        return row
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
    old = _up_to_date(sidecar_path, body_path, sha256(data), config, inp.rel)
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


#: With fewer documents to clean than this, :func:`clean_files` cleans them in its own
#: process even when given workers: starting worker processes (each imports the library,
#: ~0.5-1 s) costs more than they save (~15-70 ms a document).
POOL_MIN_DOCS = 24


def available_cpus() -> int:
    """CPUs this process may run on (its affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def warm_up() -> None:
    """Load the pipeline once per worker process, before its first document (the
    ``initializer`` of the pools here and in the Prefect flow)."""
    pipeline_version()


def clean_files(
    files: Iterable[InputFile],
    out_dir: Path,
    *,
    fmt: str = "auto",
    config: Config | None = None,
    force: bool = False,
    max_bytes: int | None = None,
    limits: safety.Limits | None = None,
    on_done: Callable[[InputFile, ManifestRow], None] | None = None,
    workers: int = 1,
) -> list[ManifestRow]:
    """Clean several files; the rows come back in input order. ``on_done`` is called after
    each document (progress bars), in the order they finish.

    ``workers > 1``: when at least :data:`POOL_MIN_DOCS` documents need cleaning (not up to
    date), they are cleaned by that many worker processes (spawned; they import only the
    library), the others here. The outputs are the same bytes either way. A document that
    kills its worker (out of memory, a crash in a parser) fails with why, and only that
    one; an ``OSError`` that stops the run (full or read-only disk) is raised as from one
    process, once the workers have stopped.
    """
    files = list(files)
    if workers > 1 and len(files) >= POOL_MIN_DOCS:
        lim = limits or safety.current()
        cap = lim.max_bytes if max_bytes is None else max_bytes
        todo = [
            i for i, f in enumerate(files)
            if f.skip_reason is None
            and (force or up_to_date_row(f, out_dir, config=config, max_bytes=cap or 2**62) is None)
        ]  # fmt: skip
        if len(todo) >= POOL_MIN_DOCS:
            return _clean_files_in_pool(
                files, todo, out_dir, workers, on_done,
                dict(fmt=fmt, config=config, force=force, max_bytes=max_bytes, limits=limits),
            )  # fmt: skip
    rows = []
    for inp in files:
        row = clean_file(
            inp, out_dir, fmt=fmt, config=config, force=force, max_bytes=max_bytes,
            limits=limits,
        )
        rows.append(row)
        if on_done is not None:
            on_done(inp, row)
    return rows


def _clean_files_in_pool(
    files: list[InputFile],
    todo: list[int],
    out_dir: Path,
    workers: int,
    on_done: Callable[[InputFile, ManifestRow], None] | None,
    options: dict[str, Any],
) -> list[ManifestRow]:
    """:func:`clean_files` with the documents ``todo`` (indices) cleaned by a process pool.

    When a worker dies, every document in flight fails with it (the pool cannot say which
    one killed it), so the documents not finished are cleaned again one at a time, each in
    a fresh single-worker pool once one dies: only the document that kills its worker fails.
    """
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    rows: list[ManifestRow | None] = [None] * len(files)

    def finish(i: int, row: ManifestRow) -> None:
        rows[i] = row
        if on_done is not None:
            on_done(files[i], row)

    pool = _spawn_pool(min(workers, len(todo)))
    try:
        futures = {pool.submit(clean_file, files[i], out_dir, **options): i for i in todo}
        pending = set(todo)
        for i in range(len(files)):  # skipped and up-to-date ones, while the workers start
            if i not in pending:
                finish(i, clean_file(files[i], out_dir, **options))
        with contextlib.suppress(BrokenProcessPool):  # what is left is retried below
            for fut in as_completed(futures):
                finish(futures[fut], fut.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    left = [i for i in todo if rows[i] is None]
    pool = None
    try:
        for i in left:
            if pool is None:
                pool = _spawn_pool(1)
            try:
                finish(i, pool.submit(clean_file, files[i], out_dir, **options).result())
            except BrokenProcessPool as exc:
                pool.shutdown(wait=True)
                pool = None
                finish(i, ManifestRow(
                    path=display_path(files[i].rel),
                    status="failed",
                    reason=f"the worker process cleaning it died ({exc}): it may need more "
                           "memory than the machine has",
                    error_type="WorkerDied",
                ))  # fmt: skip
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return rows  # type: ignore[return-value]  # every index was finished


def _spawn_pool(workers: int) -> Any:
    """A pool of ``workers`` spawned processes (never forked) that die with the thread that
    starts them and load the pipeline first. The pool lives only while :func:`clean_files`
    runs in that thread."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
    )


def _worker_start() -> None:
    """Initializer of :func:`clean_files`'s workers: die with the parent, then warm up.

    A killed run (``kill -9``, an out-of-memory kill of the command) must not leave workers
    behind that go on writing outputs. On Linux the kernel kills the worker when the thread
    that spawned it ends (``PR_SET_PDEATHSIG``); elsewhere a worker ends when it next asks
    the dead parent for work.
    """
    import multiprocessing
    import signal
    import sys

    if sys.platform.startswith("linux"):
        # without a libc prctl the worker still ends at its next read from the parent
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        parent = multiprocessing.parent_process()
        if parent is not None and os.getppid() != parent.pid:
            os._exit(1)  # the parent died before the signal was armed
    warm_up()


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
