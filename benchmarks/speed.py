"""Speed on the shared bench pages: pages/s and MB/s per format, beside reference systems.

Sections (each system runs on the same pages, loaded into memory first, one process):

* **html (issue 8)**: ``clean(fmt="html")`` (extraction + text stages), the extraction
  alone (:func:`cleaners.stages.extract.html_to_text`), a bare ``BeautifulSoup(html, "lxml")``
  parse (the floor the issue compares against), a bare lxml parse, and trafilatura's
  ``extract`` when installed (benchmark extra; never imported by the project).
* **text (issue 8)**: ``clean(fmt="text")`` on the naive scraped text, edits recorded and
  not, beside a bare ``ftfy.fix_text`` of the same text (the ratio is issue 3's), then each
  stage's share of the time.
* **text pipeline (issue 3)**: the whole text pipeline with edit recording on and off,
  against a bare ``ftfy.fix_text`` of the same text.

Every round runs every system once, in turn, so load from other processes spreads over all
of them; the table shows the median round. Usage (from the repository root)::

    python -m benchmarks.speed                    # all pages, 3 rounds
    python -m benchmarks.speed --limit 200 --rounds 5 --sections html
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from statistics import median

from .common import Page, find_bench, load_pages, loadavg

Runner = Callable[[Page], object]


def html_systems(with_trafilatura: bool) -> list[tuple[str, str, Runner]]:
    from bs4 import BeautifulSoup
    from lxml import etree

    from cleaners import clean
    from cleaners.stages.extract import html_to_text

    def lxml_parse(p: Page) -> object:
        return etree.fromstring(p.html.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))

    systems: list[tuple[str, str, Runner]] = [
        ("scrubline clean(fmt=html)", "html", lambda p: clean(p.html, fmt="html")),
        ("scrubline html_to_text only", "html", lambda p: html_to_text(p.html)),
        ('bare BeautifulSoup(html, "lxml")', "html", lambda p: BeautifulSoup(p.html, "lxml")),
        ("bare lxml HTML parse", "html", lxml_parse),
    ]
    if with_trafilatura:
        try:
            import trafilatura
        except ImportError:
            print("trafilatura not installed (pip install -e .[bench]): skipped",
                  file=sys.stderr)
        else:
            systems.append((f"trafilatura {trafilatura.__version__} extract", "html",
                            lambda p: trafilatura.extract(p.html)))
    return systems


def text_systems() -> list[tuple[str, str, Runner]]:
    import ftfy

    from cleaners import clean
    from cleaners.core.config import DEFAULT_CONFIG

    no_edits = replace(DEFAULT_CONFIG, record_edits=False)
    return [
        ("scrubline clean(fmt=text)", "text", lambda p: clean(p.text, fmt="text")),
        ("scrubline clean(fmt=text), edits not recorded", "text",
         lambda p: clean(p.text, fmt="text", config=no_edits)),
        ("bare ftfy.fix_text", "text", lambda p: ftfy.fix_text(p.text)),
    ]


def stage_shares(pages: list[Page]) -> None:
    """Where the text pipeline's time goes: each stage's share of ``clean`` (from the
    stage timings every result carries in ``stats["seconds"]``), the rest outside stages."""
    from cleaners import clean

    totals: dict[str, float] = {}
    t0 = time.perf_counter()
    for p in pages:
        for stage, sec in clean(p.text, fmt="text").stats["seconds"].items():
            totals[stage] = totals.get(stage, 0.0) + sec
    wall = time.perf_counter() - t0
    totals["(outside stages: site resolution, language, edits)"] = wall - sum(totals.values())
    print(f"\nper-stage time shares (one pass, edits recorded, {wall:.2f} s):\n")
    print("| stage | seconds | share |")
    print("|---|---|---|")
    for stage, sec in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {sec:.3f} | {sec / wall:.0%} |")


def issue3_systems() -> list[tuple[str, str, Runner]]:
    import ftfy

    from cleaners import clean
    from cleaners.core.config import DEFAULT_CONFIG

    no_edits = replace(DEFAULT_CONFIG, record_edits=False)
    return [
        ("text pipeline, edits recorded", "text", lambda p: clean(p.text, fmt="text")),
        ("text pipeline, edits not recorded", "text",
         lambda p: clean(p.text, fmt="text", config=no_edits)),
        ("bare ftfy.fix_text", "text", lambda p: ftfy.fix_text(p.text)),
    ]


def time_once(pages: list[Page], fn: Runner) -> float:
    t0 = time.perf_counter()
    for p in pages:
        fn(p)
    return time.perf_counter() - t0


def measure(pages: list[Page], systems: list[tuple[str, str, Runner]], rounds: int
            ) -> list[tuple[str, str, list[float]]]:
    times: dict[str, list[float]] = {name: [] for name, _, _ in systems}
    for fn_name, _, fn in systems:  # warm-up: imports, lazy models, caches
        fn(pages[0])
        del fn_name
    for _ in range(rounds):
        for name, _, fn in systems:
            times[name].append(time_once(pages, fn))
    return [(name, fmt, times[name]) for name, fmt, _ in systems]


def report(title: str, pages: list[Page], results: list[tuple[str, str, list[float]]],
           baseline: str | None = None) -> None:
    mb = {"html": sum(len(p.html.encode("utf-8")) for p in pages) / 1e6,
          "text": sum(len(p.text.encode("utf-8")) for p in pages) / 1e6}
    print(f"\n## {title} ({len(pages)} pages; html {mb['html']:.1f} MB, "
          f"text {mb['text']:.1f} MB)\n")
    print("| system | input | pages/s (median) | MB/s | rounds pages/s | vs baseline |")
    print("|---|---|---|---|---|---|")
    base = next((median(t) for n, _, t in results if n == baseline), None)
    for name, fmt, t in results:
        med = median(t)
        pps = len(pages) / med
        rounds = ", ".join(f"{len(pages) / x:.1f}" for x in t)
        rel = f"{base / med:.0%}" if base else "-"
        print(f"| {name} | {fmt} | {pps:.1f} | {mb[fmt] / med:.2f} | {rounds} | {rel} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", help="bench folder (default: ../shared/bench)")
    ap.add_argument("--limit", type=int, help="an even spread of N pages (default: all)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds per system (default 3)")
    ap.add_argument("--sections", default="html,text,issue3",
                    help="html,text,issue3 (default all)")
    ap.add_argument("--no-trafilatura", action="store_true", help="skip trafilatura")
    args = ap.parse_args(argv)
    sections = {s.strip() for s in args.sections.split(",")}

    bench = find_bench(args.bench)
    if bench is None:
        print("bench folder not found: pass --bench or set SCRUBLINE_BENCH", file=sys.stderr)
        return 2
    pages = load_pages(bench, limit=args.limit)
    print(f"{len(pages)} pages from {bench}; {args.rounds} rounds; "
          f"load average at start {loadavg()}")
    if "html" in sections:
        res = measure(pages, html_systems(not args.no_trafilatura), args.rounds)
        report("HTML input (issue 8)", pages, res, baseline='bare BeautifulSoup(html, "lxml")')
        print('\n"vs baseline": time of a bare bs4 lxml parse / time of the system '
              "(issue target for clean(fmt=html): >= 80%; and >= trafilatura's pages/s)")
    if "text" in sections:
        report("Text input (issue 8)", pages, measure(pages, text_systems(), args.rounds),
               baseline="bare ftfy.fix_text")
        print('\n"vs baseline": time of a bare ftfy.fix_text / time of the system (issue 3 '
              "target for the whole pipeline: >= 300%); issue 8 target: >= 200 pages/s")
        stage_shares(pages)
    if "issue3" in sections:
        res = measure(pages, issue3_systems(), args.rounds)
        report("Text pipeline vs bare ftfy (issue 3)", pages, res,
               baseline="bare ftfy.fix_text")
    print(f"\nload average at end {loadavg()} (other processes share these cores: "
          "compare systems within one run, not across runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
