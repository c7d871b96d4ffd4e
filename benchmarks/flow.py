"""Orchestration benchmark: the clean-corpus flow against the plain library, on real pages.

    /work/venv/bin/python benchmarks/flow.py [--pages DIR] [--limit N] [--skip-e2e]

Copies the pages (default ``../shared/bench/dev/text``, 764 pages) to a temporary folder,
uses a temporary PREFECT_HOME, and prints:

1. the library in a plain loop (``io.clean_files``, one process: what ``scrubline clean``
   does);
2. the flow in this process: Prefect's temporary server start-up, then the flow run with
   the default runner (thread runner, library process pool) and with one worker (the same
   single-process work as the loop, so the difference is orchestration overhead);
3. incremental runs: nothing changed, then 10 files edited (only those are re-cleaned);
4. scale: thread x1, thread + pool x2, Prefect process pool x2, Dask LocalCluster x2;
5. ``scrubline run`` end to end (a new process: imports, temporary server, flow).

Prints figures only; nothing is asserted about times. Other work on the machine skews
them: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent.parent / "shared" / "bench" / "dev" / "text"
if not DEFAULT_PAGES.is_dir():
    DEFAULT_PAGES = Path("/work/shared/bench/dev/text")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    ap.add_argument("--skip-e2e", action="store_true", help="skip the `scrubline run` process")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of the scale runs (best kept)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="scrubline-bench-"))
    home = tmp / "prefect-home"
    os.environ.update(
        PREFECT_HOME=str(home),
        PREFECT_LOGGING_LEVEL="WARNING",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    os.environ.pop("PREFECT_API_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cpu() -> float:
    """CPU seconds of this process and its finished children (pools, clusters)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def load() -> str:
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def run(args: argparse.Namespace, tmp: Path) -> int:
    src = tmp / "in"
    pages = sorted(p for p in args.pages.iterdir() if p.is_file())
    if args.limit:
        pages = pages[: args.limit]
    src.mkdir()
    for p in pages:
        shutil.copy2(p, src / p.name)
    mb = sum(p.stat().st_size for p in src.iterdir()) / 1e6
    print(f"{len(pages)} pages, {mb:.1f} MB, {os.cpu_count()} CPUs, {load()}", flush=True)

    from cleaners import io

    files = io.discover([src])
    c, t = cpu(), time.perf_counter()
    lib_rows = io.clean_files(files, tmp / "lib")
    t_lib = time.perf_counter() - t
    assert all(r.status == "cleaned" for r in lib_rows)
    print(f"library, plain loop (1 process):          {t_lib:7.1f} s  cpu {cpu() - c:6.1f} s",
          flush=True)

    t = time.perf_counter()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows import runners
    from flows.clean_corpus import clean_corpus

    t_import = time.perf_counter() - t
    results: dict[str, float] = {}
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        t = time.perf_counter()
        with runners.shared_api():
            t_server = time.perf_counter() - t
            print(f"import prefect + flows:                   {t_import:7.1f} s")
            print(f"temporary server start-up (fresh home):   {t_server:7.1f} s", flush=True)

            def flow_run(label: str, out: str, *, kind="thread", workers=None, force=True):
                runner = runners.make_task_runner(kind, workers=workers or runners.default_workers())
                flow = clean_corpus.with_options(task_runner=runner)
                c0, t0 = cpu(), time.perf_counter()
                summary = flow(input_dir=str(src), output_dir=str(tmp / out), force=force,
                               workers=workers)
                dt, dc = time.perf_counter() - t0, cpu() - c0
                results[label] = min(dt, results.get(label, dt))
                print(
                    f"{label:<42}{dt:7.1f} s  cpu {dc:6.1f} s  ({summary['cleaned']} cleaned, "
                    f"{summary['skipped']} skipped, {summary['batches']} batches)",
                    flush=True,
                )
                return summary, dt

            default_workers = runners.default_workers()
            _, t_flow = flow_run(f"flow, default (thread, {default_workers} workers):",
                                 "flow", workers=None)
            _, t_flow1 = flow_run("flow, thread, 1 worker:", "flow1", workers=1)
            print(
                f"overhead vs the plain loop: 1 worker {t_flow1 / t_lib:.2f}x, default "
                f"{t_flow / t_lib:.2f}x without start-up; default "
                f"{(t_flow + t_server + t_import) / t_lib:.2f}x with import and start-up",
                flush=True,
            )

            # Incremental: the same output folder again, then after editing 10 files.
            s, t_again = flow_run("incremental, nothing changed:", "flow", force=False)
            assert s["cleaned"] == 0 and s["skipped"] == len(files)
            print(f"  = {t_again / t_flow:.0%} of the first run")
            every = sorted(src.iterdir())
            step = max(1, len(every) // 10)
            for p in every[::step][:10]:
                p.write_text(p.read_text("utf-8") + "\nOne edited line.\n", "utf-8")
            s, _ = flow_run("incremental, 10 files edited:", "flow", force=False)
            print(f"  re-cleaned {s['cleaned']} documents (expected 10)", flush=True)
            touched = every[1::step][:10]
            for p in touched:
                p.touch()
            s, _ = flow_run("incremental, 10 files touched (mtime):", "flow", force=False)
            print(f"  re-cleaned {s['cleaned']} documents (same bytes: 0)", flush=True)

            # Scale: the same input, fresh outputs each time; rounds interleaved, best kept
            # (other work on the machine comes and goes).
            try:
                import prefect_dask  # noqa: F401

                dask = not args.skip_dask
            except ImportError:
                dask = False
                print("scale: dask skipped (pip install 'scrubline[dask]')")
            for _ in range(args.rounds):
                flow_run("scale: thread, 1 worker:", "s-thread1", workers=1)
                flow_run("scale: thread + pool, 2 workers:", "s-thread2", workers=2)
                flow_run("scale: Prefect process pool, 2 workers:", "s-process2",
                         kind="process", workers=2)
                if dask:
                    flow_run("scale: Dask LocalCluster, 2 workers:", "s-dask2", kind="dask",
                             workers=2)
            base = results["scale: thread, 1 worker:"]
            for label, dt in results.items():
                if label.startswith("scale") and "1 worker" not in label:
                    print(f"  speed-up over thread x1 (best of {args.rounds}): "
                          f"{label[7:-1]:<32} {base / dt:.2f}x")

    if not args.skip_e2e:
        out = tmp / "e2e"
        for label in ("`scrubline run`, existing home:", "`scrubline run`, again (skips):"):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "cleaners.cli", "run", str(src), "--out", str(out), "-q"],
                cwd=ROOT, check=False,
            )
            dt = time.perf_counter() - t
            print(f"{label:<42}{dt:7.1f} s  = {dt / t_lib:.2f}x the plain loop", flush=True)
    print(load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
