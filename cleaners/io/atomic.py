"""Bytes in, files out, whole or not at all: atomic writes and the output folder's lock.

Enters: a path and the bytes to put there (or a writer that fills a temporary file), and
the output folder a run writes to. Leaves: files that appear complete or not at all (a
temporary file in the same folder, renamed into place), :func:`remove_stale_temp_files`
for what killed runs left behind, and :class:`OutputLock` (one run at a time per folder).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cleaners.io.discovery import cut_to_bytes

#: The lock file that keeps two runs out of the same output folder.
LOCK_NAME = ".scrubline.lock"
#: Ending of temporary output files (hidden: they start with a dot).
TMP_SUFFIX = ".scrubline.tmp"


@contextlib.contextmanager
def atomic_target(path: Path, *, prefix: str, suffix: str) -> Iterator[tuple[int, str]]:
    """A temporary file beside ``path`` as ``(fd, name)``, renamed onto ``path`` when the
    block ends, removed when it raises. The block owns ``fd`` (it closes it).

    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_target(d / "x.txt", prefix=".x.", suffix=".tmp") as (fd, tmp):
    ...     os.close(fd)
    ...     _ = Path(tmp).write_text("whole")
    >>> (d / "x.txt").read_text(), len(list(d.iterdir()))
    ('whole', 1)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    try:
        yield fd, tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    The temporary file is ``.<name>.<random>.scrubline.tmp`` (hidden, never read as
    input); a run killed before the rename leaves it behind, and the next run in the same
    output folder removes it (:func:`remove_stale_temp_files`).
    """
    prefix = "." + cut_to_bytes(path.name, 96) + "."
    with atomic_target(path, prefix=prefix, suffix=TMP_SUFFIX) as (fd, _tmp):
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


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
    cleaners.io.atomic.OutputLocked: another scrubline run (pid ...) is writing to ...
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
