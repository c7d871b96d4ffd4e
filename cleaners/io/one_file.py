"""One input file in, its body, sidecar and manifest row out: :func:`clean_file`.

Enters: an :class:`~cleaners.io.discovery.InputFile`, the output folder, the format, the
config and the limits in force. Leaves: ``<stem>.txt`` and ``<stem>.json`` written
atomically (body first, sidecar last: a sidecar on disk means its body is complete) and a
:class:`~cleaners.io.outputs.ManifestRow` saying ``cleaned``, ``skipped`` (with why) or
``failed`` (with the reason and exception type). Never raises for a bad document; only an
``OSError`` that concerns the whole run (a full or read-only disk) goes up.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from cleaners.core import safety
from cleaners.core.config import Config
from cleaners.core.pipeline import clean
from cleaners.io.atomic import atomic_write
from cleaners.io.discovery import InputFile, UnsafePath, display_path, safe_output_paths
from cleaners.io.outputs import (
    ManifestRow,
    build_sidecar,
    dumps_json,
    sha256,
    unchanged_row,
    up_to_date_sidecar,
)
from cleaners.io.sniff import (
    CHARSET_REVIEW_RULE,
    SNIFF_BYTES,
    binary_reason,
    sniff_format,
    sniff_text,
)

#: Write errors that belong to one document's name, not to the run (a full disk does).
_NAME_ERRNOS = frozenset(
    {errno.ENAMETOOLONG, errno.EILSEQ, errno.EINVAL, errno.EISDIR, errno.ENOTDIR, errno.EEXIST}
)


#: The per-document time budget in seconds (``--doc-timeout``; 0: none).
DOC_TIMEOUT_DEFAULT = 60.0


class _NotRegular(OSError):
    pass


class _Swapped(OSError):
    pass


#: How an input is opened: never blocking (a FIFO swapped in), never through a symlink
#: unless discovery saw one there (see :func:`_read_input`).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class DocTimeout(BaseException):
    """A document passed its time budget. A ``BaseException``, like ``KeyboardInterrupt``,
    so that no ``except Exception`` between the alarm and :func:`clean_file` swallows it."""


def timeout_reason(seconds: float) -> str:
    """The manifest reason of a document past its budget.

    >>> timeout_reason(60.0)
    'took longer than 60 s (--doc-timeout)'
    """
    return f"took longer than {seconds:g} s (--doc-timeout)"


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`DocTimeout` in the body once it has run ``seconds`` (0: no budget).

    An interval timer (``SIGALRM``), so only in the main thread of a process on a system
    that has it; elsewhere the body runs unbounded (the pool's parent bounds its workers).
    The signal is handled between Python steps: a single call into C code (a parser, one
    regular-expression match) is interrupted only when it returns.
    """
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def on_alarm(_signum: int, _frame: object) -> None:
        raise DocTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_input(inp: InputFile, limits: safety.Limits) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (+1 to notice growth).

    The file is opened with ``O_NOFOLLOW`` unless discovery saw a symlink (inside the
    input root) there, and the opened file is checked (``fstat``) against the one
    discovery saw: an input swapped for a symlink or another file since is refused.
    """
    flags = _READ_FLAGS | (0 if inp.is_link else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(inp.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (not inp.is_link and os.path.islink(inp.path)):
            raise _Swapped(errno.ELOOP, "the input became a symlink after discovery: "
                           "not read") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular(errno.EINVAL, "not a regular file (folder, FIFO, socket or device)")
        if inp.ident is not None and (st.st_dev, st.st_ino) != inp.ident:
            raise _Swapped(errno.ESTALE, "the input was replaced by another file after "
                           "discovery: not read")
        safety.check_file_size(st.st_size, limits)
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
    doc_timeout: float = 0,
) -> ManifestRow:
    """Clean one input file into ``out_dir``; never raises for a bad document.

    ``OSError`` while *writing* outputs is raised when it concerns the run (a full or
    read-only disk: the caller may retry or stop); every other problem, including a name
    the file system refuses, becomes a ``failed`` row with the exception type.
    ``max_bytes`` overrides ``limits.max_bytes`` (``limits``: the ones in force).
    ``doc_timeout`` (seconds, 0: none) bounds the cleaning with :func:`time_budget`; a
    document past it fails with :func:`timeout_reason` and ``error_type`` ``DocTimeout``.
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
        data = _read_input(inp, limits)
    except safety.FileTooLarge as exc:
        row.reason = str(exc)
        row.error_type = type(exc).__name__
        return row
    except _NotRegular as exc:
        row.status = "skipped"
        row.reason = exc.strerror
        return row
    except _Swapped as exc:
        row.reason = exc.strerror
        row.error_type = "InputChanged"
        return row
    except OSError as exc:
        row.reason = f"cannot read input: {exc}"
        row.error_type = type(exc).__name__
        return row
    input_sha = sha256(data)
    old = None if force else up_to_date_sidecar(sidecar_path, body_path, input_sha, config, inp.rel)
    if old is not None:
        return unchanged_row(row.path, old, row.bytes_in, body_path.stat().st_size)
    head = data[:SNIFF_BYTES]
    why_binary = binary_reason(head)
    if why_binary:
        row.status = "skipped"
        row.reason = f"not a text document: {why_binary}"
        return row
    try:
        with time_budget(doc_timeout), safety.using(limits):
            doc_fmt = sniff_format(inp.path, head) if fmt == "auto" else fmt
            decoded = sniff_text(data, is_html=doc_fmt == "html")
            del data  # the decoded text is all we need now (peak memory on huge inputs)
            result = clean(decoded.text, fmt=doc_fmt, config=config, path=inp.rel)
        if result.error is not None:
            row.reason = f"{result.stats.get('error_type', 'Error')}: {result.error}"
            row.error_type = result.stats.get("error_type", "Error")
            return row
        if config.enabled(CHARSET_REVIEW_RULE):  # a charset guess is for a person to check
            result.review.extend(decoded.review())
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
    except DocTimeout:
        row.reason = timeout_reason(doc_timeout)
        row.error_type = DocTimeout.__name__
        return row
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
