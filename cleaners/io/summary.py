"""Manifest rows in, the run summary out: counts per status, bytes, edits per rule.

Enters: the :class:`~cleaners.io.outputs.ManifestRow` rows of a run. Leaves: the summary
dict both the CLI and the flow print and store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cleaners.io.outputs import ManifestRow


def summarize(rows: Iterable[ManifestRow]) -> dict[str, Any]:
    """Counts per status, bytes, edits per rule: the run summary both CLI and flow print.

    ``cleaned`` counts the documents whose outputs are clean and current (as the manifest
    does); ``reused`` is how many of them were up to date and not cleaned again this run.
    """
    rows = list(rows)
    per_rule: dict[str, int] = {}
    for r in rows:
        for k, v in r.rules.items():
            per_rule[k] = per_rule.get(k, 0) + v
    return {
        "documents": len(rows),
        "cleaned": sum(r.status == "cleaned" for r in rows),
        "reused": sum(r.status == "cleaned" and r.reused for r in rows),
        "skipped": sum(r.status == "skipped" for r in rows),
        "failed": sum(r.status == "failed" for r in rows),
        "bytes_in": sum(r.bytes_in for r in rows),
        "bytes_out": sum(r.bytes_out for r in rows),
        "edits": sum(r.edits for r in rows),
        "review": sum(r.review for r in rows),
        "edits_per_rule": dict(sorted(per_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
