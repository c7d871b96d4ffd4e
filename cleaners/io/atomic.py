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
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cleaners.io.discovery import UnsafePath, cut_to_bytes

#: The lock file that keeps two runs out of the same output folder.
LOCK_NAME = ".scrubline.lock"
#: Ending of temporary output files (hidden: they start with a dot).
TMP_SUFFIX = ".scrubline.tmp"


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows
    (``/proc/self/status`` on Linux), else set and restored at once."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def file_mode() -> int:
    """The mode a new output file gets: ``0o666`` less the umask, as ``open()`` would give
    (``mkstemp`` alone gives ``0o600``, unreadable by the rest of a shared corpus)."""
    return 0o666 & ~current_umask()


def check_no_symlink(root: Path | str, path: Path | str) -> None:
    """Raise :class:`UnsafePath` if a folder between ``root`` and ``path`` (``root`` itself
    excluded, ``path`` included if it is a folder) is a symlink: nothing under an output
    folder is followed (a planted ``_index`` link must not get the index written into its
    target). A missing part is fine (it will be created as a real folder).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "elsewhere").mkdir()
    >>> os.symlink(d / "elsewhere", d / "_index")
    >>> check_no_symlink(d, d / "_index" / "x.jsonl")
    Traceback (most recent call last):
    ...
    cleaners.io.discovery.UnsafePath: ... is a symlink; scrubline never writes through one ...
    """
    root = Path(root)
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        raise UnsafePath(f"{path} is not inside the output folder {root}") from None
    here = root
    for part in parts[:-1]:
        here = here / part
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(st.st_mode):
            raise UnsafePath(
                f"{here} is a symlink; scrubline never writes through one inside the "
                f"output folder (remove it, or choose another --out)"
            )


@contextlib.contextmanager
def atomic_target(path: Path, *, prefix: str, suffix: str) -> Iterator[tuple[int, str]]:
    """A temporary file beside ``path`` as ``(fd, name)``, renamed onto ``path`` when the
    block ends, removed when it raises. The block owns ``fd`` (it closes it). The file
    gets :func:`file_mode` (the umask is honoured); ``mkstemp`` creates it exclusively,
    so a planted symlink is never followed, and the rename replaces a link, never its
    target.

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
        os.fchmod(fd, file_mode())
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


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(
    os, "O_NONBLOCK", 0
)


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
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
            except OSError as exc:
                if os.path.islink(self.path):
                    raise UnsafePath(
                        f"{self.path} is a symlink; scrubline never writes through one "
                        f"(remove it, or choose another --out)"
                    ) from None
                raise OSError(exc.errno, f"cannot create the lock file: {exc.strerror}",
                              str(self.path)) from None
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise UnsafePath(f"{self.path} is not a regular file; remove it")
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
                same = os.fstat(fd).st_ino == os.lstat(self.path).st_ino
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
