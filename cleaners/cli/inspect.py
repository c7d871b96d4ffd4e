"""Commands to inspect what cleaning did: ``diff``, ``explain``, ``report`` and ``rules``.

``diff`` and ``explain`` take one document: a file, cleaned on the fly with the library
(nothing is written), or with ``--out DIR`` the document as cleaned into that output folder
(its sidecar and body). ``report`` writes one self-contained HTML page for a whole output
folder; ``rules`` lists every rule, with hit counts when given an output folder.

Colour only when standard output is a terminal and ``NO_COLOR`` is unset (``--color``
overrides); ``--unified`` is a plain unified diff that ``patch`` can apply.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from cleaners.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    add_command,
    add_config_option,
    add_disable_option,
    add_format_option,
    add_json_option,
    config_from_args,
    fail,
)
from cleaners.configload import run_config
from cleaners.core.pipeline import STAGES
from cleaners.core.registry import RULES
from cleaners.inspect import report
from cleaners.inspect.diff import render_inline, render_side_by_side
from cleaners.inspect.explain import explain_data, print_explain_rich, render_explain_plain
from cleaners.inspect.terminal import plain_table, print_lines
from cleaners.inspect.unified import render_unified
from cleaners.inspect.view import DocView, find_sidecar, load_input, load_sidecar, read_sidecar
from cleaners.stages.user import described_rules

NOT_FOUND_TEXT = "scrubline: error: {path} not found"
NOT_A_FOLDER_TEXT = "scrubline: error: {path} is not an output folder"
UNKNOWN_RULE_TEXT = (
    "scrubline: error: unknown rule or stage id(s): {ids}; see `scrubline rules` for the list"
)
STALE_TEXT = (
    "scrubline: note: {path} changed since it was cleaned into {out}; "
    "showing the edits recorded in {sidecar}"
)


def use_color(choice: str, stream: Any = None) -> bool:
    """Colour for ``always``; for ``auto`` only on a terminal without ``NO_COLOR`` or a dumb
    ``TERM``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _reads_as_sidecar(path: Path) -> bool:
    """Whether a ``.json`` file is a scrubline sidecar (else it is a document to clean)."""
    try:
        read_sidecar(path)
    except ValueError:
        return False
    return True


def load_view(args: argparse.Namespace) -> DocView | int:
    """The document of ``diff``/``explain``: from ``--out DIR`` or cleaned on the fly.

    Returns the view, or an exit status after printing why.
    """
    path = Path(args.input)
    if args.out is not None:
        out_dir = Path(args.out)
        if not out_dir.is_dir():
            print(NOT_A_FOLDER_TEXT.format(path=out_dir), file=sys.stderr)
            return EXIT_USAGE
        try:
            sidecar_path = find_sidecar(out_dir, args.input)
            view = load_sidecar(sidecar_path)
        except LookupError as exc:
            print(f"scrubline: error: {exc.args[0]}", file=sys.stderr)
            return EXIT_USAGE
        except ValueError as exc:
            return fail(exc, EXIT_FAILED)
        if path.is_file():
            recorded = read_sidecar(sidecar_path).get("input_sha256")
            if recorded and hashlib.sha256(path.read_bytes()).hexdigest() != recorded:
                print(
                    STALE_TEXT.format(path=path, out=out_dir, sidecar=sidecar_path),
                    file=sys.stderr,
                )
        return view
    if not path.exists():
        print(NOT_FOUND_TEXT.format(path=path), file=sys.stderr)
        return EXIT_USAGE
    if not path.is_file():
        print(f"scrubline: error: {path} is a folder; give one document", file=sys.stderr)
        return EXIT_USAGE
    if path.suffix == ".json" and _reads_as_sidecar(path):  # show it as it was cleaned
        try:
            return load_sidecar(path)
        except ValueError as exc:
            return fail(exc, EXIT_FAILED)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        return fail(exc)
    try:
        return load_input(path, fmt=args.format, config=config)
    except ValueError as exc:
        return fail(exc, EXIT_FAILED)
    except Exception as exc:  # a document the library cannot clean: say so, do not crash
        return fail(f"cleaning {path} failed: {type(exc).__name__}: {exc}", EXIT_FAILED)


def filter_rules(view: DocView, wanted: list[str]) -> DocView | int:
    """The view of only the ``--rule`` ids (a stage id selects its rules), or an exit status."""
    if not wanted:
        return view
    known = set(RULES) | {e.rule for e in view.edits} | {r.rule for r in view.review}
    stages = {k.split(".", 1)[0] for k in known}
    unknown = sorted(w for w in wanted if w not in known and w not in stages)
    if unknown:
        print(UNKNOWN_RULE_TEXT.format(ids=", ".join(unknown)), file=sys.stderr)
        return EXIT_USAGE
    ids = {k for k in known for w in wanted if k == w or k.startswith(w + ".")}
    return view.only(ids)


def _rule_note(wanted: list[str], view: DocView) -> str | None:
    if not wanted:
        return None
    return (
        f"only {', '.join(wanted)}: {len(view.edits)} edits "
        "(the output side is the input with just these edits applied)"
    )


def load_rules_view(args: argparse.Namespace) -> DocView | int:
    """The document of ``diff``/``explain`` with only the ``--rule`` edits, or an exit status."""
    view = load_view(args)
    return view if isinstance(view, int) else filter_rules(view, args.rule)


def run_diff(args: argparse.Namespace) -> int:
    """show a document's input against its output, each change with its rule

    Show what cleaning changed in one document: dropped lines (-), lines lifted into
    metadata (^) and lines changed in place (~, with [-removed-]{+added+} spans), each with
    the ids of the rules that changed it.
    """
    view = load_rules_view(args)
    if isinstance(view, int):
        return view
    color = use_color(args.color)
    note = _rule_note(args.rule, view)
    if args.unified:
        lines = render_unified(view, context=3 if args.context is None else args.context,
                                    note=note)
    elif args.side_by_side:
        width = args.width or shutil.get_terminal_size((160, 24)).columns
        lines = render_side_by_side(
            view, width=width, context=2 if args.context is None else args.context,
            color=color, note=note,
        )
    else:
        lines = render_inline(
            view, context=2 if args.context is None else args.context, color=color, note=note
        )
    print_lines(lines, color)
    return EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    """list a document's edits and review entries (rule, action, line, before, after)

    List every edit (rule, action, input line, before, after, reason) and every review entry
    of one document.
    """
    view = load_rules_view(args)
    if isinstance(view, int):
        return view
    data = explain_data(view)
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif use_color(args.color):
        print_explain_rich(data)
    else:
        sys.stdout.write(render_explain_plain(data))
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    """write one self-contained HTML report for an output folder

    Write one static HTML page (no network) for an output folder: summary, edits per rule,
    failures, the documents sortable by how much was removed, and per document a
    side-by-side diff coloured by rule, with its metadata.
    """
    out_dir = Path(args.output_dir)
    if not out_dir.is_dir():
        print(NOT_A_FOLDER_TEXT.format(path=out_dir), file=sys.stderr)
        return EXIT_USAGE
    dest = Path(args.output) if args.output else out_dir / report.REPORT_NAME
    t0 = time.perf_counter()
    try:
        stats = report.write_report(out_dir, dest)  # nothing written for a non-output folder
    except OSError as exc:  # read-only or full
        return fail(f"cannot write {dest}: {exc.strerror or exc} (nothing was written)")
    if stats["documents"] == 0 and stats["failures"] == 0:
        print(f"scrubline: error: no cleaned documents (sidecars) in {out_dir}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(
            f"report: {stats['documents']} documents, {stats['edits']} edits, "
            f"{stats['failures']} failures -> {dest} "
            f"({stats['bytes'] / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)",
            file=sys.stderr,
        )
    return EXIT_OK if not stats["unreadable"] else EXIT_FAILED


def run_rules(args: argparse.Namespace) -> int:
    """list every rule id with its description (and hits with --out)

    List every rule id with its category and description; with --out DIR, also how often
    each rule fired in that folder's last run (edits, documents, review entries).
    """
    try:
        user = described_rules(run_config([], args.config))  # --config, else ./scrubline.toml
    except ValueError as exc:
        return fail(exc)
    order = {rid: i for i, rid in enumerate(r for s in STAGES for r in s.rule_ids)}
    stage_order = {s.id: i for i, s in enumerate(STAGES)}
    rules = sorted(
        [*RULES.values(), *(r for r in user if r.id not in RULES)],
        key=lambda r: (stage_order.get(r.stage, 99), order.get(r.id, 10**6), r.id),
    )
    hits: dict[str, list[int]] | None = None
    if args.out is not None:
        out_dir = Path(args.out)
        if not out_dir.is_dir():
            print(NOT_A_FOLDER_TEXT.format(path=out_dir), file=sys.stderr)
            return EXIT_USAGE
        hits = report.rule_hits(out_dir)
    rows = [
        {
            "id": r.id,
            "stage": r.stage,
            "category": r.category,
            "description": r.description,
        }
        for r in rules
    ]
    if hits is not None:
        for row in rows:
            n, docs, review = hits.get(row["id"], (0, 0, 0))
            row.update(hits=n, documents=docs, review=review)
        for rid in sorted(set(hits) - set(RULES) - {r.id for r in user}):
            n, docs, review = hits[rid]
            user_id = rid.startswith("user.")
            rows.append(
                {
                    "id": rid,
                    "stage": rid.split(".", 1)[0],
                    "category": "user" if user_id else "?",
                    "description": "(a user rule of the config that cleaned these outputs; "
                    "pass it with --config)" if user_id
                    else "(not a rule of this version: outputs are from another)",
                    "hits": n,
                    "documents": docs,
                    "review": review,
                }
            )
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    if hits is None:
        cols = ("id", "category", "description")
    else:
        cols = ("id", "category", "hits", "docs", "review", "description")
    table = [
        [str(row[c if c != "docs" else "documents"]) for c in cols] for row in rows
    ]
    sys.stdout.write(plain_table(cols, table))
    return EXIT_OK


def _add_document_args(p: argparse.ArgumentParser) -> None:
    inp = p.add_argument_group("input")
    inp.add_argument(
        "input",
        metavar="INPUT",
        help="a document to clean on the fly; with --out, a document of that output folder "
        "(its input path, id or sidecar)",
    )
    inp.add_argument(
        "--out",
        metavar="DIR",
        help="read the document as cleaned into this output folder (sidecar and body) "
        "instead of cleaning it now",
    )
    rules = p.add_argument_group("rules")
    rules.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="show only this rule's edits (repeatable; a stage id selects its rules)",
    )
    add_format_option(rules, "input format when cleaning on the fly (default: auto)")
    add_disable_option(rules, "skip a rule or stage when cleaning on the fly (repeatable)")
    add_config_option(rules)
    p.set_defaults(ocr=None, language=None)


def _add_color(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour: auto = only on a terminal without NO_COLOR (default: auto)",
    )


def register(sub: Any) -> dict[str, Handler]:
    """Add ``diff``, ``explain``, ``report`` and ``rules``."""
    d = add_command(sub, "diff", run_diff)
    _add_document_args(d)
    view = d.add_argument_group("view")
    how = view.add_mutually_exclusive_group()
    how.add_argument(
        "--side-by-side", action="store_true", help="input and output in two columns"
    )
    how.add_argument(
        "--unified",
        action="store_true",
        help="a plain unified diff (pipe-friendly; `patch` applies it to the input)",
    )
    view.add_argument(
        "--context",
        "-U",
        type=int,
        default=None,
        metavar="N",
        help="unchanged lines around each change (default: 2, unified 3; -1: all)",
    )
    view.add_argument(
        "--width", type=int, default=None, metavar="N", help="columns for --side-by-side"
    )
    _add_color(view)

    e = add_command(sub, "explain", run_explain)
    _add_document_args(e)
    add_json_option(e)
    _add_color(e)

    r = add_command(sub, "report", run_report)
    r.add_argument("output_dir", metavar="OUTPUT_DIR", help="a folder written by clean or run")
    r.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write the page (default: OUTPUT_DIR/report.html)",
    )
    r.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")

    ru = add_command(sub, "rules", run_rules)
    ru.add_argument("--out", metavar="DIR", help="count hits in this output folder")
    add_config_option(ru, "also list this config's user rules (default: ./scrubline.toml)")
    add_json_option(ru)
    return {"diff": run_diff, "explain": run_explain, "report": run_report, "rules": run_rules}
