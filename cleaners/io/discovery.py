"""Paths in, documents out: which files a run reads, their ids, and where their outputs go.

Enters: the input paths given on the command line or to the flow (files and folders) and
the output folder. Leaves: :class:`InputFile` rows in a stable order (with a skip reason
for what will not be cleaned: symlinks out of the root, FIFOs, unreadable folders), the
output stem (= document id) of each, :func:`safe_output_paths` (never outside the output
folder), and :func:`scan_ids` (the documents an output folder holds).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Longest file name (bytes) most file systems accept; see :func:`fit_name`.
NAME_MAX = 255
#: scrubline's own folders at the top of an output folder: never documents, never inputs'
#: output names (an input folder of that name gets a ``~`` after it; see :func:`discover`).
RESERVED_FOLDERS = frozenset({"_index", "_profiles", "_export"})
#: The manifest's name (also in :mod:`.outputs`): a folder holding one is an output folder.
_MANIFEST = "manifest.jsonl"
#: Skip reason of an output folder given as input.
OUTPUT_FOLDER_REASON = (
    "a scrubline output folder (it holds manifest.jsonl): its outputs are not cleaned again"
)
_HEX = frozenset("0123456789abcdefABCDEF")


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
    #: ``(st_dev, st_ino)`` of the file discovery saw (for a symlink inside the root: its
    #: target); reading checks the opened file against it, so a file swapped for a
    #: symlink or another file after discovery is refused. ``None``: no check.
    ident: tuple[int, int] | None = None
    #: Whether discovery saw a symlink (inside the root) here: only then may the input be
    #: opened through a link.
    is_link: bool = False


def display_path(rel: str) -> str:
    """A path as the manifest, sidecars and the index show it: printable, valid UTF-8 and
    lossless. File names are bytes on POSIX; bytes that are not UTF-8 (kept by Python as
    lone surrogates, ``surrogateescape``) become ``\\xNN``, and a backslash becomes
    ``\\\\`` so the escape cannot be confused with a name that holds one.
    :func:`parse_display` gives the path back.

    >>> display_path("caf\\udce9.txt"), display_path("中文.txt"), display_path("a\\\\xe9")
    ('caf\\\\xe9.txt', '中文.txt', 'a\\\\\\\\xe9')
    """
    if "\\" not in rel:
        try:
            rel.encode("utf-8")
            return rel
        except UnicodeEncodeError:
            pass
    raw = rel.replace("\\", "\\\\").encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


def parse_display(shown: str) -> str:
    """The path :func:`display_path` showed (as Python holds file names: lone surrogates
    for bytes that are not UTF-8).

    >>> parse_display(display_path("caf\\udce9.txt")) == "caf\\udce9.txt"
    True
    >>> parse_display("a\\\\\\\\xe9"), parse_display("中文")
    ('a\\\\xe9', '中文')
    """
    if "\\" not in shown:
        return shown
    out = bytearray()
    i = 0
    while i < len(shown):
        ch = shown[i]
        if ch == "\\" and shown.startswith("\\\\", i):
            out += b"\\"
            i += 2
        elif (
            shown.startswith("\\x", i)
            and len(shown) >= i + 4
            and all(c in _HEX for c in shown[i + 2 : i + 4])
        ):
            out.append(int(shown[i + 2 : i + 4], 16))
            i += 4
        else:
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
    return out.decode("utf-8", "surrogateescape")


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


class OutputIsInput(ValueError):
    """``--out`` would overwrite an input: the output folder is an input folder, or holds
    an input file (the rule of docs/failure.md, "Outputs never touch inputs")."""


def check_out_vs_inputs(inputs: Iterable[Path | str], out_dir: Path | str) -> None:
    """Refuse (:class:`OutputIsInput`, naming both paths) an output folder that is an input
    folder or that holds an input (file or folder): an output path could then equal an
    input's path. An output folder *inside* an input folder is allowed: it is never read.

    Callers run it before they write anything (:func:`discover` runs it too).

    >>> check_out_vs_inputs(["/data/in"], "/data/in")
    Traceback (most recent call last):
    ...
    cleaners.io.discovery.OutputIsInput: --out /data/in is the input folder /data/in: ...
    >>> check_out_vs_inputs(["/data/in"], "/data/in/cleaned")
    """
    out_real = os.path.realpath(out_dir)
    for item in inputs:
        p = Path(item)
        real = os.path.realpath(p)
        if real == out_real:
            kind = "file" if p.is_file() else "folder"
            raise OutputIsInput(
                f"--out {out_dir} is the input {kind} {p}: its outputs would replace the "
                f"inputs; choose another --out (nothing was written)"
            )
        if _within(out_real, real) or _within(out_real, os.path.abspath(p)):
            kind = "folder" if p.is_dir() else "file"
            raise OutputIsInput(
                f"the input {kind} {p} is inside --out {out_dir}: outputs could replace "
                f"it; choose another --out (nothing was written)"
            )


def is_output_folder(folder: Path | str) -> bool:
    """Whether ``folder`` holds a scrubline manifest (``manifest.jsonl`` whose first row
    has a ``path`` and a ``status``): an output folder, whose files are never documents."""
    try:
        with open(os.path.join(folder, _MANIFEST), "rb") as fh:
            first = fh.readline(65536)
    except OSError:
        return False
    if not first.strip():
        return os.path.isfile(os.path.join(folder, _MANIFEST))  # an empty run's manifest
    try:
        row = json.loads(first)
    except ValueError:
        return False
    return isinstance(row, dict) and "path" in row and "status" in row


#: One walked entry: path, skip reason, error type, (st_dev, st_ino), is a symlink.
_Entry = tuple[Path, "str | None", "str | None", "tuple[int, int] | None", bool]


def _ident(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _walk(root: Path, exclude_real: str | None) -> Iterator[_Entry]:
    """Files under ``root`` in a stable order (a folder's files, then its subfolders, each
    sorted by name; hidden ones skipped), as :data:`_Entry` rows.

    Symlinks are never followed out of the root: a link to a file inside the root is read,
    a link leading out of it, a link to a folder and a broken link are skipped with a
    reason. FIFOs, sockets and devices are skipped (reading a FIFO would block forever).
    An unreadable folder is reported as failed. An output folder (:func:`is_output_folder`)
    is skipped whole, with a reason.
    """
    root_real = os.path.realpath(root)
    stack = [root]
    while stack:
        folder = stack.pop()
        if is_output_folder(folder):
            yield folder, OUTPUT_FOLDER_REASON, None, None, False
            continue
        try:
            with os.scandir(folder) as it:
                entries = sorted(
                    (e for e in it if not e.name.startswith(".") and e.name != "scrubline.toml"),
                    key=lambda e: e.name,
                )
        except OSError as exc:
            why = f"cannot read folder: {exc.strerror or exc}"
            yield folder, why, type(exc).__name__, None, False
            continue
        subfolders = []
        for e in entries:
            path = Path(e.path)
            try:
                if e.is_symlink():
                    target = os.path.realpath(e.path)
                    if not os.path.exists(target):
                        yield path, "broken symlink", None, None, True
                    elif not _within(root_real, target):
                        yield path, "symlink points outside the input root", None, None, True
                    elif os.path.isdir(target):
                        yield path, "symlink to a folder: not followed", None, None, True
                    elif stat.S_ISREG((st := os.stat(target)).st_mode):
                        yield path, None, None, _ident(st), True
                    else:
                        yield path, "not a regular file (FIFO, socket or device)", None, None, True
                elif e.is_dir(follow_symlinks=False):
                    if exclude_real is None or os.path.realpath(e.path) != exclude_real:
                        subfolders.append(path)
                elif e.is_file(follow_symlinks=False):
                    yield path, None, None, _ident(e.stat(follow_symlinks=False)), False
                else:
                    yield path, "not a regular file (FIFO, socket or device)", None, None, False
            except OSError as exc:
                why = f"cannot inspect: {exc.strerror or exc}"
                yield path, why, type(exc).__name__, None, False
        stack.extend(reversed(subfolders))


def _stem_of(rel: str) -> str:
    return rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel


def _found_in(p: Path, exclude_real: str | None) -> list[tuple[Path, str, _Entry]]:
    """``(root label, rel, entry)`` rows for one input given on the command line."""
    label = os.path.basename(os.path.abspath(p))
    if p.is_dir():
        rows = []
        for entry in _walk(p, exclude_real):
            f, why, etype = entry[:3]
            rel = f.relative_to(p).as_posix() if f != p else "."
            folder_row = etype or why == OUTPUT_FOLDER_REASON
            if why and folder_row and f.is_dir() and not f.is_symlink():
                rel = rel.rstrip("/") + "/"
            rows.append((label, rel, entry))
        return rows
    parent = os.path.basename(os.path.dirname(os.path.abspath(p)))
    if p.is_symlink() and not p.exists():
        return [(parent, p.name, (p, "broken symlink", None, None, True))]
    if not p.exists():
        raise FileNotFoundError(f"input not found: {p}")
    try:
        st = os.stat(p)
    except OSError as exc:
        return [(parent, p.name, (p, f"cannot inspect: {exc.strerror or exc}",
                                  type(exc).__name__, None, False))]
    if not stat.S_ISREG(st.st_mode):
        return [(parent, p.name, (p, "not a regular file (FIFO, socket or device)", None,
                                  None, False))]
    return [(parent, p.name, (p, None, None, _ident(st), p.is_symlink()))]


def _unique_names(rels: list[str], keys: list[str]) -> list[str]:
    """Distinct output stems for distinct inputs ``rels`` (``keys``: their absolute paths).

    A stem is the relative path without its ending; inputs whose stems clash keep their
    ending (``a.txt`` -> ``a.txt``); inputs whose whole paths still clash (same relative
    path under two input folders of the same name) get ``~`` and 8 hex digits of the
    SHA-256 of their absolute path. A first folder named like scrubline's own
    (:data:`RESERVED_FOLDERS`) gets a ``~`` after it (``_index~/x``).

    >>> _unique_names(["a.txt", "a.html", "a.txt.txt", "b.txt"], ["1", "2", "3", "4"])
    ['a.txt', 'a.html', 'a.txt.txt', 'b']
    >>> _unique_names(["_index/x.txt", "_posts/y.md"], ["1", "2"])
    ['_index~/x', '_posts/y']
    """
    names = [_stem_of(r) for r in rels]
    while True:
        groups: dict[str, list[int]] = {}
        for i, n in enumerate(names):
            groups.setdefault(n, []).append(i)
        clash = [i for g in groups.values() if len(g) > 1 for i in g if names[i] != rels[i]]
        if not clash:
            break
        for i in clash:
            names[i] = rels[i]
    for g in groups.values():
        if len(g) > 1:
            for i in g:
                digest = hashlib.sha256(os.fsencode(keys[i])).hexdigest()[:8]
                names[i] = f"{names[i]}~{digest}"
    for i, n in enumerate(names):
        first, sep, rest = n.partition("/")
        if sep and first in RESERVED_FOLDERS:
            names[i] = f"{first}~/{rest}"
    return names


def discover(inputs: Iterable[Path | str], *, exclude: Path | None = None) -> list[InputFile]:
    """List the files to clean: files as given, folders recursively (hidden ones skipped).

    ``exclude`` is the output folder: it is never read as input, and an output folder that
    is an input folder or holds an input is refused (:func:`check_out_vs_inputs`, raising
    :class:`OutputIsInput`) before anything is read. Every distinct input file gets one
    row (the same path given twice: one row); two inputs with the same path relative to
    their input folders (``d1/x.txt``, ``d2/x.txt``) are told apart by the folder's name
    (``rel`` = ``d1/x.txt``). Output stems come from :func:`_unique_names` (distinct,
    stable) and :func:`fit_name` (length). Entries that will not be cleaned (see
    :func:`_walk`) are listed with their ``skip_reason``, so the manifest accounts for them.
    """
    inputs = list(inputs)
    if exclude is not None:
        check_out_vs_inputs(inputs, exclude)
    exclude_real = os.path.realpath(exclude) if exclude is not None else None
    found: list[tuple[str, str, _Entry]] = []
    for item in inputs:
        found.extend(_found_in(Path(item), exclude_real))
    seen: set[str] = set()
    rows: list[tuple[str, str, _Entry]] = []
    for label, rel, entry in found:
        key = os.path.abspath(entry[0])
        if key not in seen:  # the same file given twice (or in a folder also given)
            seen.add(key)
            rows.append((label, rel, entry))
    by_rel: dict[str, int] = {}
    for _, rel, _ in rows:
        by_rel[rel] = by_rel.get(rel, 0) + 1
    rows = [(lb, f"{lb}/{rel}" if by_rel[rel] > 1 else rel, e) for lb, rel, e in rows]
    todo = [i for i, (_, _, e) in enumerate(rows) if e[1] is None]
    names = _unique_names(
        [rows[i][1] for i in todo], [os.path.abspath(rows[i][2][0]) for i in todo]
    )
    stems = dict(zip(todo, names))
    out: list[InputFile] = []
    for i, (_, rel, (path, why, etype, ident, is_link)) in enumerate(rows):
        if why is not None:
            out.append(InputFile(path, rel, rel, why, etype))
        else:
            out.append(InputFile(path, rel, fit_name(stems[i], rel), ident=ident,
                                 is_link=is_link))
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

    scrubline's own folders at the top (:data:`RESERVED_FOLDERS`: ``_index``,
    ``_profiles``, ``_export``) and hidden ones are not documents; every other folder is,
    ``_posts`` and ``_drafts`` included.
    """
    out_dir = Path(out_dir)
    ids = []
    for dirpath, dirnames, filenames in os.walk(out_dir):
        rel_dir = Path(dirpath).relative_to(out_dir)
        if rel_dir == Path("."):
            dirnames[:] = [
                d for d in dirnames if not d.startswith(".") and d not in RESERVED_FOLDERS
            ]
        else:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        names = set(filenames)
        for name in filenames:
            if name.endswith(".json") and not name.startswith("."):
                stem = name[: -len(".json")]
                if f"{stem}.txt" in names:
                    ids.append((rel_dir / stem).as_posix())
    return sorted(ids)
