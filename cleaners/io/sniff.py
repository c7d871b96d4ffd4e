"""Bytes in, text out: BOMs, declared charsets, legacy encodings, binary and format sniffing.

Enters: the bytes of one input file (and whether it is HTML). Leaves: :class:`SniffedText`
(the text, the encoding, how it was told and how sure), :func:`binary_reason` (why bytes
are not text) and :func:`sniff_format` (``html`` or ``text`` for ``--format auto``).
Nothing here cleans text: the ``decode`` stage (``cleaners/stages/decode.py``) repairs the
text this module hands over. Never raises on odd bytes.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from cleaners.core.document import Review
from cleaners.core.safety import safe_compile
from cleaners.io.charsets import (
    LEGACY_CANDIDATES,
    cjk_share,
    confidence,
    html_codec,
    plausibility,
    repair_utf8,
    weigh_legacy,
)
from cleaners.stages.decode import FLAG_GUESSED_CHARSET

#: File endings read as text or HTML; other files are sniffed.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".ocr"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
#: Bytes looked at to sniff formats and binary content.
SNIFF_BYTES = 4096
#: Bytes charset-normalizer looks at for an undeclared legacy encoding (the whole file is
#: then decoded with its answer): detection time stays bounded for large files.
DETECT_BYTES = 256 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _at(offset: int, magic: bytes) -> Callable[[bytes], bool]:
    return lambda h: h[offset : offset + len(magic)] == magic


#: (what it is, prefixes, extra test or None), tried in order. Prefixes that are plain
#: letters ("ID3", "BZh", "%PDF-") need the bytes after them too, so a text starting "ID3
#: tags" stays text.
_FONT_FLAVOURS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
_BINARY_MAGIC: tuple[tuple[str, tuple[bytes, ...], Callable[[bytes], bool] | None], ...] = (
    ("PDF document", (b"%PDF-",), lambda h: h[5:6].isdigit()),
    ("PNG image", (b"\x89PNG\r\n\x1a\n",), None),
    ("JPEG image", (b"\xff\xd8\xff",), None),
    ("GIF image", (b"GIF87a", b"GIF89a"), None),
    ("TIFF image", (b"II*\x00", b"MM\x00*"), None),
    ("RIFF media (WAV, AVI, WebP)", (b"RIFF",), lambda h: h[8:12] in (b"WAVE", b"AVI ", b"WEBP")),
    ("MP4/QuickTime/HEIF media", (b"",), _at(4, b"ftyp")),
    ("Matroska/WebM media", (b"\x1a\x45\xdf\xa3",), None),
    ("Ogg media", (b"OggS\x00",), None),
    ("MP3 audio", (b"ID3",), lambda h: h[3:4] in (b"\x02", b"\x03", b"\x04")),
    ("FLAC audio", (b"fLaC",), lambda h: h[4:5] in (b"\x00", b"\x80")),
    ("ZIP archive (or docx/xlsx/epub)", (b"PK\x03\x04",), None),
    ("ZIP archive", (b"PK\x05\x06",), None),
    ("gzip archive", (b"\x1f\x8b",), None),
    ("bzip2 archive", (b"BZh",), lambda h: h[3:4].isdigit() and h[4:10] == b"1AY&SY"),
    ("xz archive", (b"\xfd7zXZ\x00",), None),
    ("zstd archive", (b"\x28\xb5\x2f\xfd",), None),
    ("lz4 archive", (b"\x04\x22\x4d\x18",), None),
    ("RAR archive", (b"Rar!\x1a\x07",), None),
    ("7z archive", (b"7z\xbc\xaf\x27\x1c",), None),
    ("tar archive", (b"",), _at(257, b"ustar")),
    ("executable", (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"), None),
    ("executable or Java class", (b"\xca\xfe\xba\xbe",), None),
    ("MS Office document (OLE)", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), None),
    ("SQLite database", (b"SQLite format 3\x00",), None),
    ("HDF5 data", (b"\x89HDF\r\n\x1a\n",), None),
    ("WOFF font", (b"wOFF",), lambda h: h[4:8] in _FONT_FLAVOURS),
    ("WOFF2 font", (b"wOF2",), lambda h: h[4:8] in _FONT_FLAVOURS),
    ("RTF document", (b"{\\rtf",), None),
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
#: The review entry of a charset guess (any decision below certainty).
CHARSET_REVIEW_RULE = FLAG_GUESSED_CHARSET
#: A declared charset whose text scores this much below another reading is doubted.
DECLARED_DOUBT_DEFAULT = 0.25


@dataclass(frozen=True, slots=True)
class SniffedText:
    """The text of a file's bytes, with the encoding decision and how sure it is."""

    text: str
    encoding: str
    method: str
    """``bom``; ``utf-16``/``utf-32`` sniffed without BOM (``sniffed``); ``utf-8`` (stray
    bytes read as windows-1252 are counted in the note); ``declared`` (HTML
    meta or XML declaration); ``detected`` (legacy candidates weighed by language);
    ``fallback`` (nothing fitted: UTF-8 with U+FFFD for bad bytes)."""
    confidence: float
    """1.0: the bytes say it (BOM, valid UTF-8, a declared charset that fits and reads
    well). Below: a guess, as likely as the number says; it becomes a review entry."""
    note: str | None = None
    """Anything a reader should know: bytes replaced with U+FFFD, a truncated last
    character, a declared charset that did not fit, the other candidates."""

    def to_json(self) -> dict[str, Any]:
        """The sidecar's ``encoding`` field (with ``note`` only when there is one)."""
        d: dict[str, Any] = dict(name=self.encoding, method=self.method, confidence=self.confidence)
        return {**d, "note": self.note} if self.note else d

    def review(self) -> list[Review]:
        """A review entry for a decision below certainty (none at confidence 1.0).

        >>> SniffedText("x", "cp1252", "detected", 0.6, "also possible: cp1250").review()[0].reason
        'encoding guessed: cp1252 (detected, confidence 0.6; also possible: cp1250)'
        """
        if self.confidence >= 1.0:
            return []
        why = f"{self.method}, confidence {self.confidence}" + (f"; {self.note}" if self.note else "")
        reason = f"encoding guessed: {self.encoding} ({why})"
        return [Review(CHARSET_REVIEW_RULE, 0, 0, "", reason)]


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
    for what, prefixes, test in _BINARY_MAGIC:
        if head.startswith(prefixes) and (test is None or test(head)):
            return what
    n = len(head)
    if not n or sniff_utf16_32(head):
        return None
    nul = head.count(0)
    controls = n - len(head.translate(None, _CONTROL_BYTES))
    why = None
    if nul and (nul >= _NUL_SHARE * n or controls >= _CONTROL_SHARE_WITH_NUL * n):
        why = "binary data (NUL bytes)"
    elif controls >= _CONTROL_SHARE * n:
        why = "binary data (control bytes)"
    return None if why and sniff_utf16_cjk(head) else why


def sniff_utf16_cjk(head: bytes) -> str | None:
    """The codec of BOM-less UTF-16 text that is mostly Chinese, Japanese or Korean (few
    or no NUL bytes): it decodes strictly to common CJK characters (90%, at least 8).

    >>> sniff_utf16_cjk("中文网页内容，测试编码识别。这是一段中文。".encode("utf-16-le"))
    'utf-16-le'
    >>> sniff_utf16_cjk("中文网页内容，测试编码识别。".encode("gb18030")) is None
    True
    """
    k2 = len(head) - len(head) % 2
    if k2 < 16:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        for cut in (0, 2):  # the head may end inside a surrogate pair
            try:
                text = head[: k2 - cut].decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            continue
        chars = [c for c in text if not c.isspace()]
        plain = sum(1 for c in chars if " " <= c < "\x7f" or "\u3000" <= c <= "\u303f"
                    or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027")
        share, n = cjk_share(text)
        if n >= 8 and plain + share * n >= 0.9 * len(chars) and plain + n == len(chars):
            return enc
    return None


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    """The (label, codec) an HTML/XML head declares, read by the WHATWG Encoding standard
    (labels browsers do not know, such as ``cp037``, are ignored), or ``None``."""
    window = data[: SNIFF_BYTES * 4]
    m = _XML_ENCODING_RE.search(window) or _META_CHARSET_RE.search(window)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").lower()
    found = html_codec(label)
    return (label, found[1]) if found else None


def _detection_sample(data: bytes) -> bytes:
    """At most :data:`DETECT_BYTES`, cut where no multi-byte character can be split."""
    if len(data) <= DETECT_BYTES:
        return data
    sample = data[:DETECT_BYTES]
    # Bytes below 0x30 are never the 2nd-4th byte of a GB18030/GBK/Big5/Shift_JIS/EUC
    # character (nor a UTF-8 continuation byte): cut after the last one.
    cut = max(sample.rfind(bytes([b])) for b in b"\n\r\t !\"'(),-./")
    return sample[: cut + 1] if cut > DETECT_BYTES // 2 else sample


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


def _declared(data: bytes, label: str, enc: str) -> SniffedText | None:
    """The page read in its declared charset, or ``None`` if the bytes do not fit it; a
    declaration whose text reads clearly worse than another legacy reading is kept (as
    browsers do) but doubted: lower confidence, noted."""
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    if bad > 0.005 * len(data):
        return None
    name = "utf-8" if enc == "utf-8" else codecs.lookup(enc).name
    note = f"declared {label!r}, read as {name}" if label != name else None
    note = _join(note, f"{bad} bad byte(s) replaced" if bad else None)
    conf = 1.0 if not bad else 0.8
    langs = dict(LEGACY_CANDIDATES).get(enc)
    if langs and not data.isascii():
        sample = _detection_sample(data)
        own, units = plausibility(sample.decode(enc, errors="replace"), langs)
        best = weigh_legacy(sample)
        if best and units >= 10 and best[0].score - own > DECLARED_DOUBT_DEFAULT:
            conf = round(min(conf, own), 3)
            note = _join(note, f"the text reads better as {best[0].codec}")
    return SniffedText(text, name, "declared", conf, note)


def sniff_text(data: bytes, *, is_html: bool = False) -> SniffedText:
    """Tell the encoding of a file's bytes and return their text; never raises.

    In order: a BOM; BOM-less UTF-16/32 (by its NUL pattern, or strict CJK text); strict
    UTF-8; UTF-8 with a character cut off at the end; UTF-8 with stray bytes (each read as
    windows-1252, counted in the note) when valid multi-byte characters are at least as
    many; an HTML/XML-declared charset (WHATWG labels, read as browsers do: gb2312 as
    GB18030, latin1 as windows-1252, utf-16 as UTF-8, cp037 ignored); legacy candidates
    weighed by language (:func:`cleaners.io.charsets.weigh_legacy`, on the first 256 KB);
    else UTF-8 with U+FFFD (``fallback``). Below ``confidence`` 1.0 the decision is a
    guess, and :meth:`SniffedText.review` makes it a review entry.

    >>> sniff_text("Grüße".encode("utf-8")).encoding
    'utf-8'
    >>> d = sniff_text("中文网页内容，测试编码识别。这是一段较长的中文文本。".encode("gb18030"))
    >>> d.method, d.text[:4]
    ('detected', '中文网页')
    >>> sniff_text("Ende: “ß”".encode("utf-8")[:-2]).note
    'the file ends inside a character (truncated?): replaced with U+FFFD'
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(enc, errors="replace")
            bad = text.count("\ufffd")
            note = f"{bad} undecodable sequence(s) replaced with U+FFFD" if bad else None
            return SniffedText(text, enc, "bom", 1.0, note)
    enc16 = sniff_utf16_32(data[:SNIFF_BYTES])
    if enc16:
        text = data.decode(enc16, errors="replace")
        return SniffedText(text, enc16, "sniffed", 0.9, "no BOM: told by the NUL-byte pattern")
    try:
        return SniffedText(data.decode("utf-8"), "utf-8", "utf-8", 1.0)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:
                text = data[: exc.start].decode("utf-8") + "\ufffd"
                note = "the file ends inside a character (truncated?): replaced with U+FFFD"
                return SniffedText(text, "utf-8", "utf-8", 0.99, note)
            except UnicodeDecodeError:
                pass
    enc16 = sniff_utf16_cjk(data[:SNIFF_BYTES])
    if enc16:
        text = data.decode(enc16, errors="replace")
        return SniffedText(text, enc16, "sniffed", 0.9, "no BOM: CJK text read as UTF-16")
    _, stray, good = repair_utf8(_detection_sample(data))  # a sample: no full copy yet
    if good and stray <= good:
        text, stray, good = repair_utf8(data)
        note = f"{stray} byte(s) not UTF-8, read as windows-1252"
        return SniffedText(text, "utf-8", "utf-8", round(good / (good + stray), 3), note)
    note = None
    if is_html:
        declared = _declared_charset(data)
        if declared:
            found = _declared(data, *declared)
            if found:
                return found
            note = f"declared {declared[0]!r} does not fit the bytes: detected instead"
    sample = _detection_sample(data)
    cands = weigh_legacy(sample)
    if not cands:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(sample).best()
        except Exception:  # detection is best effort; never let it stop a document
            best = None
        if best is not None and best.encoding != "utf_8":
            cands = weigh_legacy(sample, extra=(best.encoding,))
    if cands:
        enc = cands[0].codec
        text = cands[0].text if sample is data else data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        note = _join(note, f"{bad} bad byte(s) replaced" if bad else None)
        others = ", ".join(c.codec for c in cands[1:3])
        note = _join(note, f"also possible: {others}" if others else None)
        return SniffedText(text, codecs.lookup(enc).name, "detected", confidence(cands), note)
    text = data.decode("utf-8", errors="replace")
    note = _join(note, f"no encoding fits: {text.count(chr(0xFFFD))} bad sequence(s) replaced")
    return SniffedText(text, "utf-8", "fallback", 0.0, note)


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
