"""Check that a speed change left every output alone: a baseline of the bench pages'
results, and a comparison of the current code against it.

For every dev page it records, per mode (text with edits recorded, text without, and HTML
for an even spread of pages), the output text, every edit (rule, action, start, end,
before, after, reason, merged), every review entry, the metadata, the error, and the stats
without timings. Usage (from the repository root, with ``PYTHONPATH=.``)::

    python -m benchmarks.same_outputs --write --baseline /tmp/speed_baseline
    python -m benchmarks.same_outputs --baseline /tmp/speed_baseline   # exit 1 on a diff
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .common import find_bench, load_pages


def snapshot(result: Any) -> tuple:
    """Everything a caller can see of one result, in comparable form (timings aside)."""
    stats = {k: v for k, v in result.stats.items() if k != "seconds"}
    return (
        result.text,
        tuple((e.rule, e.action, e.start, e.end, e.before, e.after, e.reason, e.merged)
              for e in result.edits),
        tuple((r.rule, r.start, r.end, r.text, r.reason, r.suggestion) for r in result.review),
        repr(sorted(result.metadata.items())),
        result.error,
        repr(sorted(stats.items())),
        result.source_text,
    )


def run_all(bench: Path, html_every: int, limit: int | None) -> dict[str, dict[str, tuple]]:
    from cleaners import clean
    from cleaners.core.config import DEFAULT_CONFIG

    no_edits = replace(DEFAULT_CONFIG, record_edits=False)
    pages = load_pages(bench, limit=limit)
    out: dict[str, dict[str, tuple]] = {"text": {}, "text_no_edits": {}, "html": {}}
    for i, p in enumerate(pages):
        out["text"][p.id] = snapshot(clean(p.text, fmt="text"))
        out["text_no_edits"][p.id] = snapshot(clean(p.text, fmt="text", config=no_edits))
        if html_every and i % html_every == 0:
            out["html"][p.id] = snapshot(clean(p.html, fmt="html"))
    return out


FIELDS = ("text", "edits", "review", "metadata", "error", "stats", "source_text")


def compare(base: dict, now: dict) -> list[str]:
    problems = []
    for mode, pages in base.items():
        for pid, want in pages.items():
            got = now.get(mode, {}).get(pid)
            if got is None:
                continue  # a --limit run checks a subset
            for name, a, b in zip(FIELDS, want, got):
                if a != b:
                    problems.append(f"{mode} {pid}: {name} differs")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", required=True, help="folder of the baseline pickle")
    ap.add_argument("--write", action="store_true", help="write the baseline (current code)")
    ap.add_argument("--bench", help="bench folder (default: ../shared/bench)")
    ap.add_argument("--limit", type=int, help="check an even spread of N pages only")
    ap.add_argument("--html-every", type=int, default=6,
                    help="HTML for every Nth page (default 6; 0: none)")
    args = ap.parse_args(argv)
    bench = find_bench(args.bench)
    if bench is None:
        print("bench folder not found", file=sys.stderr)
        return 2
    folder = Path(args.baseline)
    path = folder / "outputs.pickle"
    import cleaners

    print(f"cleaners from {cleaners.__file__}")
    now = run_all(bench, args.html_every, args.limit)
    if args.write:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(now))
        print(f"wrote {sum(len(v) for v in now.values())} results to {path}")
        return 0
    base = pickle.loads(path.read_bytes())
    problems = compare(base, now)
    checked = {m: len(v) for m, v in now.items()}
    for line in problems[:40]:
        print(line)
    print(f"checked {checked}: {'IDENTICAL' if not problems else f'{len(problems)} DIFFERENCES'}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
