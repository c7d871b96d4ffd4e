"""``scrubline export``: an output folder as one JSON-lines or Parquet dataset file.

Enters: an output folder written by ``clean`` or ``run`` (bodies and sidecars).
Leaves: one record per document in ``OUTPUT_DIR/_export/documents.<format>``, ``-o FILE``
or standard output (:func:`cleaners.io.export.export`); a summary on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cleaners.cli.common import EXIT_OK, EXIT_USAGE, Handler, add_command
from cleaners.corpus import scan_ids
from cleaners.io.export import export

NOT_A_FOLDER_TEXT = "scrubline export: {path} is not an output folder (run `scrubline clean` first)"
NO_DOCUMENTS_TEXT = "scrubline export: no documents (sidecar + body) in {path}"


def default_path(out_dir: Path, fmt: str) -> Path:
    """``OUTPUT_DIR/_export/documents.<fmt>`` (``_`` folders are never read as documents).

    >>> default_path(Path("cleaned"), "parquet").as_posix()
    'cleaned/_export/documents.parquet'
    """
    return out_dir / "_export" / f"documents.{fmt}"


def run_export(args: argparse.Namespace) -> int:
    """write an output folder as one JSON-lines or Parquet dataset file

    One record per document (id, text, source_path, language, metadata, duplicates),
    loadable by pandas, pyarrow and Hugging Face datasets.
    """
    out_dir = Path(args.output_dir)
    if not out_dir.is_dir():
        print(NOT_A_FOLDER_TEXT.format(path=out_dir), file=sys.stderr)
        return EXIT_USAGE
    if not scan_ids(out_dir):
        print(NO_DOCUMENTS_TEXT.format(path=out_dir), file=sys.stderr)
        return EXIT_USAGE
    to_stdout = args.output == "-"
    if to_stdout and args.format != "jsonl":
        print("scrubline export: -o - (standard output) is for --format jsonl", file=sys.stderr)
        return EXIT_USAGE
    path = None if to_stdout else Path(args.output or default_path(out_dir, args.format))
    try:
        summary = export(
            out_dir, path, fmt=args.format, drop_dups=args.drop_duplicates, stream=sys.stdout
        )
    except ImportError as exc:
        print(f"scrubline export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:  # a symlinked folder on the way (UnsafePath)
        print(f"scrubline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a read-only or full disk
        print(f"scrubline: error: cannot write the export: {exc} (nothing was written)",
              file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        dropped = f", {summary.dropped} dropped as duplicates" if args.drop_duplicates else ""
        where = summary.path if summary.path is not None else "standard output"
        print(f"exported {summary.documents} documents{dropped} to {where}", file=sys.stderr)
    return EXIT_OK


def register(sub: Any) -> dict[str, Handler]:
    """Add ``export``."""
    p = add_command(sub, "export", run_export)
    p.add_argument("output_dir", metavar="OUTPUT_DIR", help="a folder written by clean/run")
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                   help="file format (default: jsonl; parquet needs pyarrow)")
    p.add_argument("--drop-duplicates", action="store_true",
                   help="keep one document per duplicate cluster (the longest); fragments "
                   "contained in a kept document are dropped, translations kept")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write (default: OUTPUT_DIR/_export/documents.FORMAT; "
                   "- for standard output with jsonl)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    return {"export": run_export}
