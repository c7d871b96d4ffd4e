"""What the flow commands (``run``, ``schedule``) share: the execution options and the checks.

Enters: a parser to add ``--runner``, ``--workers`` and ``--dask-address`` to; the parsed
options of ``run`` or ``schedule``.
Leaves: the options checked (input folder, ``--out``, the config as ``clean`` resolves it,
the runner) and the clean-corpus flow's parameters for them (:func:`flow_parameters`).
Imports no Prefect.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cleaners import io
from cleaners.cli.clean import add_doc_timeout
from cleaners.cli.common import OUT_IS_INPUT_TEXT, config_from_args, fail
from cleaners.core.config import Config
from flows import runners

def add_runner_options(parser: argparse.ArgumentParser) -> None:
    """``--runner``, ``--workers``, ``--dask-address``, ``--doc-timeout`` (shared by ``run``
    and ``schedule``)."""
    g = parser.add_argument_group("execution")
    g.add_argument(
        "--runner",
        choices=runners.RUNNERS,
        default=None,
        help="where batches run: thread (default; the fastest on one machine: batch tasks "
        "in threads, documents cleaned by a pool of library processes), process (Prefect "
        "process pool), dask (a local Dask cluster, or --dask-address)",
    )
    g.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes cleaning documents at once (default: the CPUs available; "
        "1 cleans in the flow's process)",
    )
    g.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        default=None,
        help="run the batches on this existing Dask cluster (implies --runner dask; needs "
        "the extra: pip install 'scrubline[dask]')",
    )
    add_doc_timeout(g)


def runner_from_args(args: argparse.Namespace) -> tuple[str, int, str | None]:
    """(runner, workers, dask address) from options, then environment, then defaults."""
    kind, workers, address = runners.runner_from_env()
    if args.dask_address:
        if args.runner not in (None, "dask"):
            raise ValueError(f"--dask-address needs --runner dask, not {args.runner}")
        kind, address = "dask", args.dask_address
    elif args.runner:
        kind = args.runner
        if kind != "dask":
            address = None
    if args.workers is not None:
        if args.workers < 1:
            raise ValueError("--workers must be at least 1")
        workers = args.workers
    return kind, workers, address


def flow_parameters(args: argparse.Namespace, config: Config, workers: int) -> dict[str, Any]:
    """The clean-corpus parameters for these options (absolute paths; JSON values only,
    so that a deployment can carry them).

    ``config`` is the config :func:`check_args` resolved: its file (``--config``, or the
    one found for INPUT_DIR as ``clean`` finds it) goes in as ``config_path``, and only
    the command line's own switches go in as ``disabled``, ``ocr`` and ``language``: the
    flow reads the file and lays them over it, as ``clean`` does (a file's settings passed
    as switches would override its site sections).
    """
    return {
        "input_dir": str(Path(args.input_dir).resolve()),
        "output_dir": str(Path(args.out).resolve()),
        "fmt": args.format,
        "force": args.force,
        "config_path": str(Path(config.source).resolve()) if config.source else None,
        "disabled": sorted(set(args.disable)),
        "ocr": args.ocr,
        "language": args.language,
        "max_bytes": args.max_bytes or io.MAX_BYTES_DEFAULT,
        "workers": workers,
        "doc_timeout": args.doc_timeout,
    }


def check_args(args: argparse.Namespace) -> tuple[Config, tuple[str, int, str | None]] | None:
    """Validate INPUT_DIR, --out, the config (file and switches, as ``clean`` does) and
    runner options; print the error and return None."""
    input_dir = Path(args.input_dir)
    if not input_dir.is_dir():
        fail(f"{input_dir} is not a folder")
        return None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(OUT_IS_INPUT_TEXT.format(out=out), file=sys.stderr)
        return None
    try:
        return config_from_args(args), runner_from_args(args)
    except ValueError as exc:
        fail(exc)
        return None
