"""Extraction quality on the shared bench: the issue-8 table with scrubline's rows added.

Runs ``clean(fmt="text")`` on ``dev/text/*.txt`` and ``clean(fmt="html")`` on
``dev/html/*.html.gz``, writes one ``<id>.txt`` per page into a temporary folder, and scores
each folder with the bench's own scorer::

    python score.py --pred DIR --truth dev/truth --manifest manifest.jsonl --json OUT

Usage (from the repository root)::

    python -m benchmarks.quality                      # both formats, all 764 pages
    python -m benchmarks.quality --trafilatura        # + trafilatura on the same pages
    python -m benchmarks.quality --limit 40 --formats html
    python -m benchmarks.quality --formats text --no-profiles

Text input is run twice: page by page, and with site profiles learned first from the same
pages grouped by host (what ``scrubline clean DIR --learn-profiles`` does when each site's
pages sit in a folder of their own; the learning time is included in pages/s).

trafilatura is a benchmark-only dependency (``pip install -e .[bench]``); the project never
imports it at run time. Targets are printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .common import REFERENCE_ROWS, SOURCES, Page, find_bench, load_pages, loadavg

#: Issue-8 targets on the dev pages.
TARGET_HTML_F1 = 0.85
TARGET_TEXT_F1 = 0.80
TRAFILATURA_REF = dict(zip(SOURCES, REFERENCE_ROWS[-1][3:6], strict=True))
C4_REF = dict(zip(SOURCES, REFERENCE_ROWS[1][3:6], strict=True))


def run_system(pages: list[Page], fn: Callable[[Page], str], out: Path) -> float:
    """Write ``fn(page)`` for every page into ``out``; return pages per second."""
    out.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    for page in pages:
        try:
            results.append((page.id, fn(page)))
        except Exception as exc:  # noqa: BLE001 - a benchmark reports failures, it goes on
            print(f"  {page.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            results.append((page.id, ""))
    elapsed = time.perf_counter() - t0
    for pid, text in results:
        (out / f"{pid}.txt").write_text(text, "utf-8")
    return len(pages) / elapsed if elapsed > 0 else float("inf")


def score(bench: Path, pred: Path, pages: list[Page], work: Path) -> dict:
    """Score ``pred`` with the bench's score.py; returns its JSON summary."""
    truth = bench / "dev" / "truth"
    all_truth = sum(1 for _ in truth.glob("*.txt"))
    if len(pages) != all_truth:  # a subset: score only those pages
        sub = work / "truth"
        sub.mkdir(exist_ok=True)
        for p in pages:
            src = truth / f"{p.id}.txt"
            if src.exists():
                (sub / src.name).write_text(src.read_text("utf-8"), "utf-8")
        truth = sub
    summary = work / f"{pred.name}.json"
    cmd = [sys.executable, str(bench / "score.py"), "--pred", str(pred), "--truth", str(truth),
           "--manifest", str(bench / "manifest.jsonl"), "--json", str(summary)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(summary.read_text("utf-8"))


def f1_row(summary: dict) -> tuple[float, dict[str, float]]:
    by = {s: v["tok_f1"] for s, v in summary.get("by_source", {}).items()}
    return summary["all"]["tok_f1"], by


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    h = urlsplit(url).hostname or ""
    return h[4:] if h.startswith("www.") else h


def _profiled_cleaner(pages: list[Page]) -> Callable[[Page], str]:
    """Clean a page with the site profiles learned from all ``pages`` (grouped by host);
    the profiles are learned on the first call, so the learning is timed with the run."""
    from cleaners import clean
    from cleaners.stages.boilerplate import profiles
    from cleaners.core.config import DEFAULT_CONFIG

    state: dict[str, object] = {}

    def fn(page: Page) -> str:
        if "config" not in state:
            groups: dict[str, list[str]] = {}
            for p in pages:
                groups.setdefault(_host(p.url) or p.id, []).append(p.text)
            state["config"] = profiles.with_profiles(DEFAULT_CONFIG, profiles.learn(groups))
        return clean(page.text, fmt="text", config=state["config"]).text  # type: ignore[arg-type]

    return fn


def _systems(args: argparse.Namespace, pages: list[Page]) -> list[tuple[str, str, Callable[[Page], str]]]:
    from cleaners import clean

    systems: list[tuple[str, str, Callable[[Page], str]]] = []
    if "text" in args.formats:
        systems.append(("scrubline", "text", lambda p: clean(p.text, fmt="text").text))
        if not args.no_profiles:
            systems.append(("scrubline + site profiles", "text", _profiled_cleaner(pages)))
    if "html" in args.formats:
        systems.append(("scrubline", "html", lambda p: clean(p.html, fmt="html").text))
    if args.trafilatura:
        try:
            import trafilatura
        except ImportError:
            print("trafilatura is not installed (pip install -e .[bench]); skipped",
                  file=sys.stderr)
        else:
            version = getattr(trafilatura, "__version__", "?")
            systems.append((f"trafilatura {version} (this run)", "html",
                            lambda p: trafilatura.extract(p.html) or ""))
    return systems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", help="bench folder (default: ../shared/bench)")
    ap.add_argument("--formats", default="text,html", help="text,html (default both)")
    ap.add_argument("--limit", type=int, help="score an even spread of N pages only")
    ap.add_argument("--trafilatura", action="store_true",
                    help="also run trafilatura on the same pages (bench extra)")
    ap.add_argument("--no-profiles", action="store_true",
                    help="skip the text row with learned site profiles")
    ap.add_argument("--out", type=Path, help="keep the outputs here (default: a temp dir)")
    ap.add_argument("--json", type=Path, help="write the rows as JSON")
    args = ap.parse_args(argv)
    args.formats = {f.strip() for f in args.formats.split(",") if f.strip()}

    bench = find_bench(args.bench)
    if bench is None:
        print("bench folder not found: pass --bench or set SCRUBLINE_BENCH", file=sys.stderr)
        return 2
    pages = load_pages(bench, limit=args.limit)
    print(f"{len(pages)} pages from {bench}; load average at start {loadavg()}")

    rows = []
    with tempfile.TemporaryDirectory(prefix="scrubline-quality-") as tmp:
        work = Path(tmp)
        for name, fmt, fn in _systems(args, pages):
            label = f"{name}-{fmt}".replace(" ", "_").replace("(", "").replace(")", "")
            pred = (args.out or work) / label
            pps = run_system(pages, fn, pred)
            summary = score(bench, pred, pages, work)
            f1, by = f1_row(summary)
            rows.append({"system": name, "input": fmt, "f1": f1, "by_source": by,
                         "pages_per_s": pps, "n": summary["all"]["n"]})
    print(f"load average at end {loadavg()}")
    print_table(rows)
    print_targets(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


def print_table(rows: list[dict]) -> None:
    head = "| system | input | F1 | " + " | ".join(SOURCES) + " | pages/s |"
    print()
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for name, fmt, f1, *rest in REFERENCE_ROWS:
        by, pps = rest[:3], rest[3]
        cells = " | ".join(f"{x:.3f}" for x in by)
        print(f"| {name} (issue 8) | {fmt} | {f1:.3f} | {cells} | "
              f"{'-' if pps is None else f'{pps:.1f}'} |")
    for r in rows:
        cells = " | ".join(f"{r['by_source'].get(s, float('nan')):.3f}" for s in SOURCES)
        print(f"| **{r['system']}** | {r['input']} | **{r['f1']:.3f}** | {cells} | "
              f"{r['pages_per_s']:.1f} |")


def print_targets(rows: list[dict]) -> None:
    """The issue's targets, met or not (printed, never asserted)."""
    def ok(flag: bool) -> str:
        return "met" if flag else "NOT met"

    ours = {r["input"]: r for r in rows if r["system"] == "scrubline"}
    traf = next((r for r in rows if r["system"].startswith("trafilatura")), None)
    print()
    if "html" in ours:
        h = ours["html"]
        ref = traf["by_source"] if traf else TRAFILATURA_REF
        where = "same run" if traf else "issue figures"
        print(f"html F1 {h['f1']:.3f} >= {TARGET_HTML_F1}: {ok(h['f1'] >= TARGET_HTML_F1)}")
        for s in SOURCES:
            if s in h["by_source"] and s in ref:
                a, b = h["by_source"][s], ref[s]
                print(f"html {s}: {a:.3f} vs trafilatura {b:.3f} ({where}): {ok(a > b)}")
        if traf:
            print(f"html pages/s {h['pages_per_s']:.1f} vs trafilatura "
                  f"{traf['pages_per_s']:.1f} (same run; see benchmarks.speed for bs4): "
                  f"{ok(h['pages_per_s'] >= traf['pages_per_s'])}")
    for t in (r for r in rows if r["input"] == "text" and r["system"].startswith("scrubline")):
        name = t["system"]
        print(f"{name}: text F1 {t['f1']:.3f} >= {TARGET_TEXT_F1}: "
              f"{ok(t['f1'] >= TARGET_TEXT_F1)}")
        low = [s for s in SOURCES if t["by_source"].get(s, 1.0) < C4_REF[s]]
        print(f"{name}: text, no source below the C4 filter: {ok(not low)}"
              + (f" (below: {', '.join(low)})" if low else ""))
        print(f"{name}: text pages/s {t['pages_per_s']:.1f} >= 200: "
              f"{ok(t['pages_per_s'] >= 200)}")
    print("(pages/s: one process, one core, on whatever else the machine is running; "
          "the load average is printed above)")


if __name__ == "__main__":
    raise SystemExit(main())
