"""Site profiles on disk: learn them from a run's input files, write and read
``OUT/_profiles/<site>.json``.

What enters: a run's input files (:class:`cleaners.io.InputFile`) or an output folder. What
leaves: :class:`~cleaners.stages.boilerplate.profiles.Profile` objects and the paths written. Learning
and the file format are :mod:`cleaners.stages.boilerplate.profiles`' (pure, no disk); this module does
the reading and writing for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from cleaners.io import (
    MAX_BYTES_DEFAULT,
    SNIFF_BYTES,
    InputFile,
    atomic_write,
    binary_reason,
    check_no_symlink,
    sniff_text,
    sniff_format,
)
from cleaners.core.safety import safe_compile
from cleaners.stages.boilerplate.profiles import (
    PROFILE_DIR,
    Profile,
    dump_profile,
    learn,
    load_profile,
    with_profiles,
)

__all__ = ["learn_from_files", "profile_path", "read_profiles", "site_key", "with_profiles",
           "write_profiles"]  # fmt: skip

_UNSAFE_RE = safe_compile(r"[^\w.-]+")


def site_key(rel: str, path: Path) -> str:
    """The group a run's input belongs to when learning: its folder relative to the input
    root, or (for files directly in it) the name of the folder it sits in.

    >>> site_key("example.com/2024/a.txt", Path("in/example.com/2024/a.txt"))
    'example.com/2024'
    >>> site_key("a.txt", Path("crawl/example.com/a.txt"))
    'example.com'
    """
    parent = Path(rel).parent.as_posix()
    return parent if parent != "." else (path.resolve().parent.name or ".")


def learn_from_files(files: Iterable[InputFile], *, max_bytes: int | None = None) -> dict[str, Profile]:
    """Learn profiles from a run's text inputs, grouped by :func:`site_key`. HTML inputs,
    binaries and unreadable or oversized files are skipped: the profile is learned from the
    lines the text track cleans."""
    limit = max_bytes or MAX_BYTES_DEFAULT
    groups: dict[str, list[str]] = {}
    for inp in files:
        path = inp.path
        try:
            if path.stat().st_size > limit:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        head = data[:SNIFF_BYTES]
        if binary_reason(head) or sniff_format(path, head) != "text":
            continue
        groups.setdefault(site_key(inp.rel, path), []).append(sniff_text(data).text)
    return learn(groups)


def profile_path(out_dir: Path, site: str) -> Path:
    """Where a site's profile is written: ``OUT/_profiles/<site>.json`` (unsafe characters
    of the key replaced by ``_``).

    >>> profile_path(Path("out"), "news/example.com").as_posix()
    'out/_profiles/news_example.com.json'
    """
    return out_dir / PROFILE_DIR / f"{_UNSAFE_RE.sub('_', site).strip('_') or '_'}.json"


def write_profiles(out_dir: Path, profiles: Mapping[str, Profile]) -> list[Path]:
    """Write each profile (:func:`~cleaners.stages.boilerplate.profiles.dump_profile`) under ``out_dir``."""
    paths = []
    for site, prof in sorted(profiles.items()):
        path = profile_path(out_dir, site)
        check_no_symlink(out_dir, path)  # a planted _profiles link is never written through
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, dump_profile(prof))
        paths.append(path)
    return paths


def read_profiles(out_dir: Path) -> dict[str, Profile]:
    """Profiles written by :func:`write_profiles` (reviewed or edited by hand)."""
    out = {}
    for path in sorted((out_dir / PROFILE_DIR).glob("*.json")):
        prof = load_profile(path.read_text(encoding="utf-8"))
        out[prof.site] = prof
    return out
