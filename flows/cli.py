"""``scrubline run``: the clean-corpus flow on Prefect's embedded server (nothing to start).

Imports Prefect only when the command runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from cleaners.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_common_output, print_summary


def run_flow(args: argparse.Namespace) -> int:
    """Run the clean-corpus flow once over INPUT_DIR."""
    from cleaners.cli import config_from_args

    input_dir = Path(args.input_dir)
    if not input_dir.is_dir():
        print(f"scrubline: error: {input_dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        config = config_from_args(args)
    except ValueError as exc:
        print(f"scrubline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if config.ocr is not None or config.language is not None:
        print("scrubline: error: --ocr/--language are not supported by `run` yet; "
              "use `scrubline clean`", file=sys.stderr)
        return EXIT_USAGE
    t0 = time.perf_counter()
    from flows.settings import apply_prefect_env_defaults

    apply_prefect_env_defaults()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.clean_corpus import clean_corpus

    # A one-off run needs no heartbeats (they cost ~1 s per flow run; PREFECT.md section 3).
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        summary: dict[str, Any] = clean_corpus(
            input_dir=str(input_dir),
            output_dir=str(args.out),
            fmt=args.format,
            force=args.force,
            disabled=sorted(config.disabled),
        )
    if not args.quiet:
        print_summary(summary, Path(args.out))
        print(f"flow run took {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return EXIT_FAILED if summary["failed"] else EXIT_OK


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="run the clean-corpus Prefect flow over a folder (default: seeds -> cleaned)",
        description="Run the clean-corpus flow once on Prefect's embedded server: the same "
        "outputs as `scrubline clean`, plus a Prefect flow run with artifacts.",
    )
    p.add_argument(
        "input_dir", nargs="?", default="seeds", metavar="INPUT_DIR",
        help="folder of inputs (default: seeds)",
    )
    add_common_output(p, default_out="cleaned")
    p.set_defaults(func=run_flow)
