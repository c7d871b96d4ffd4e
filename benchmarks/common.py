"""What the benchmark scripts share: finding the bench folder, loading its pages.

The bench pages are third-party content used for evaluation only: they are read from the
shared folder at run time and never copied into the project.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent

#: Reference figures from issue 8 (token F1 per source; pages/s on one core, one run).
REFERENCE_ROWS: tuple[tuple[str, str, float, float, float, float, float | None], ...] = (
    ("keep everything", "text", 0.696, 0.701, 0.733, 0.647, None),
    ("C4-style line filter", "text", 0.720, 0.698, 0.748, 0.825, 468.0),
    ("jusText 3.0.2", "html", 0.688, 0.668, 0.738, 0.770, 22.8),
    ("readability-lxml 0.9", "html", 0.734, 0.671, 0.973, 0.958, 12.5),
    ("resiliparse 2.0.1", "html", 0.786, 0.755, 0.903, 0.894, 132.8),
    ("trafilatura 2.3.1", "html", 0.828, 0.795, 0.954, 0.943, 12.1),
)
SOURCES = ("modern2026", "readability", "scrapinghub")
#: Every source of the bench, in the order tables print them.
ALL_SOURCES = ("modern2026", "readability", "scrapinghub", "wcxb", "zhweb")
#: Cross-validation: pages are split into this many folds by site (all pages of a site
#: fall in one fold), so a figure scored on a fold never comes from a site it was tuned on.
FOLDS = 5
#: The fold kept sealed while hand-written rules and tables are developed: look only at
#: pages of the other folds when writing a rule; report this fold's figure beside the mean.
SEALED_FOLD = 4


def find_bench(explicit: str | None = None) -> Path | None:
    """The bench folder: ``--bench``, ``$SCRUBLINE_BENCH``, or ``shared/bench`` beside the
    repository (or beside its parent, for a git worktree)."""
    candidates = [explicit, os.environ.get("SCRUBLINE_BENCH")]
    candidates += [str(p / "shared" / "bench") for p in (REPO.parent, REPO.parent.parent)]
    for c in candidates:
        if c and (Path(c) / "score.py").is_file() and (Path(c) / "dev").is_dir():
            return Path(c)
    return None


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    source: str
    html: str
    text: str
    #: The page's address from the manifest ("" when it has none).
    url: str = ""
    #: The page's site (the manifest's ``site``, else the host of its address, else its id).
    site: str = ""
    lang: str = ""
    #: title/author/date as the dataset gives them (``wcxb`` and ``zhweb`` pages only).
    meta_truth: dict[str, Any] = field(default_factory=dict)
    page_type: str = ""

    @property
    def fold(self) -> int:
        """The page's cross-validation fold, ``0 .. FOLDS-1``, fixed by its site alone."""
        return fold_of(self.site)


def site_of(rec: dict[str, Any]) -> str:
    """The site a manifest record belongs to: ``site``, else its address's host without
    ``www.``, else the record's id (a page without an address is a site of its own)."""
    if rec.get("site"):
        return str(rec["site"]).lower().removeprefix("www.")
    host = urlsplit(rec.get("url") or "").hostname or ""
    return host.lower().removeprefix("www.") or str(rec.get("id", ""))


def fold_of(site: str) -> int:
    """A stable fold for a site (a hash, so adding pages never moves a site).

    >>> fold_of("example.com") == fold_of("example.com") and 0 <= fold_of("x.org") < FOLDS
    True
    """
    return int.from_bytes(hashlib.sha1(site.encode("utf-8")).digest()[:4], "big") % FOLDS


def load_pages(bench: Path, *, limit: int | None = None, ids: set[str] | None = None
               ) -> list[Page]:
    """Every dev page (html decompressed, naive text), sorted by id; ``limit`` takes an
    even spread over the sorted ids."""
    manifest = {}
    for line in (bench / "manifest.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        manifest[rec["id"]] = rec
    dev = bench / "dev"
    all_ids = sorted(p.name[: -len(".html.gz")] for p in (dev / "html").glob("*.html.gz"))
    if ids is not None:
        all_ids = [i for i in all_ids if i in ids]
    if limit is not None and 0 < limit < len(all_ids):
        step = len(all_ids) / limit
        all_ids = [all_ids[int(k * step)] for k in range(limit)]
    pages = []
    for pid in all_ids:
        html = gzip.decompress((dev / "html" / f"{pid}.html.gz").read_bytes()).decode(
            "utf-8", "replace")
        text_path = dev / "text" / f"{pid}.txt"
        text = text_path.read_text("utf-8") if text_path.exists() else ""
        rec = manifest.get(pid, {})
        pages.append(Page(
            pid, rec.get("source", "?"), html, text, rec.get("url") or "",
            site=site_of({**rec, "id": pid}), lang=rec.get("lang") or "",
            meta_truth=rec.get("meta_truth") or {}, page_type=rec.get("page_type") or "",
        ))
    return pages


def loadavg() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (cpus: {os.cpu_count()})"
