"""Paths in, documents out: which files a run reads, their ids, and where their outputs go.

Enters: the input paths given on the command line or to the flow (files and folders) and
the output folder. Leaves: :class:`InputFile` rows in a stable order (with a skip reason
for what will not be cleaned: symlinks out of the root, FIFOs, unreadable folders), the
output stem (= document id) of each, :func:`safe_output_paths` (never outside the output
folder), and :func:`scan_ids` (the documents an output folder holds).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Longest file name (bytes) most file systems accept; see :func:`fit_name`.
NAME_MAX = 255


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


def cut_to_bytes(name: str, limit: int) -> str:
    """The longest start of ``name`` that fits in ``limit`` bytes (file-system encoding).

    >>> cut_to_bytes("中文名", 7)
    '中文'
    """
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
    return f"{head}{sep}{cut_to_bytes(last, 180)}~{digest}"


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
                    (e for e in it if not e.name.startswith(".") and e.name != "scrubline.toml"),
                    key=lambda e: e.name,
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
    cleaners.io.discovery.UnsafePath: unsafe output name '../etc/x': ...
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


def scan_ids(out_dir: Path) -> list[str]:
    """Ids of the documents in an output folder: sidecars with a body beside them.

    Folders whose names start with ``_`` or ``.`` at the top (``_index``, ``_export``,
    ``_stats``) are not documents.
    """
    out_dir = Path(out_dir)
    ids = []
    for dirpath, dirnames, filenames in os.walk(out_dir):
        rel_dir = Path(dirpath).relative_to(out_dir)
        if rel_dir == Path("."):
            dirnames[:] = [d for d in dirnames if not d.startswith(("_", "."))]
        else:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        names = set(filenames)
        for name in filenames:
            if name.endswith(".json") and not name.startswith("."):
                stem = name[: -len(".json")]
                if f"{stem}.txt" in names:
                    ids.append((rel_dir / stem).as_posix())
    return sorted(ids)
