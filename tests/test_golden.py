"""The committed cleaned/ folder is exactly what the pipeline makes of seeds/ today.

Any change to a rule therefore shows up as a reviewable diff of real output. Every change to
cleaners/ changes the sidecars' ``pipeline_version`` (a digest of the shipped source) and
the corpus index's code digest, so after any code change regenerate with ``make golden``
(``scrubline clean seeds --out cleaned --force -q``), review ``git diff cleaned/``, commit.
"""

from __future__ import annotations

import json

from cleaners.cli import main

from .conftest import ROOT, read_tree

REGENERATE = (
    "make golden  (= scrubline clean seeds --out cleaned --force -q), "
    "then review git diff cleaned/"
)


def _json_keys_that_differ(a: bytes, b: bytes) -> list[str]:
    """Top-level keys whose values differ between two JSON objects (``[]`` if not JSON)."""
    try:
        x, y = json.loads(a), json.loads(b)
    except ValueError:
        return []
    if not isinstance(x, dict) or not isinstance(y, dict):
        return []
    return sorted(k for k in x.keys() | y.keys() if x.get(k) != y.get(k))


def describe_differences(fresh: dict[str, bytes], committed: dict[str, bytes]) -> str:
    """What differs between a fresh run and cleaned/: missing, extra and changed files, and
    for changed sidecars which keys."""
    lines = []
    missing = sorted(set(committed) - set(fresh))
    extra = sorted(set(fresh) - set(committed))
    if missing:
        lines.append(f"in cleaned/ but not made by a fresh run: {missing}")
    if extra:
        lines.append(f"made by a fresh run but not in cleaned/: {extra}")
    for name in sorted(set(fresh) & set(committed)):
        if fresh[name] != committed[name]:
            keys = _json_keys_that_differ(fresh[name], committed[name])
            lines.append(f"differs: {name}" + (f" (keys: {', '.join(keys)})" if keys else ""))
    return "\n".join(lines)


def test_the_difference_report_names_files_and_keys():
    fresh = {"a.json": b'{"x": 1, "pipeline_version": "1"}', "b.txt": b"new", "m.jsonl": b"1"}
    committed = {"a.json": b'{"x": 1, "pipeline_version": "2"}', "b.txt": b"old", "c.txt": b""}
    report = describe_differences(fresh, committed)
    assert "differs: a.json (keys: pipeline_version)" in report
    assert "differs: b.txt" in report
    assert "not made by a fresh run: ['c.txt']" in report
    assert "not in cleaned/: ['m.jsonl']" in report


def test_cleaned_folder_matches_a_fresh_run(tmp_path):
    assert main(["clean", str(ROOT / "seeds"), "--out", str(tmp_path), "-q"]) == 0
    fresh = read_tree(tmp_path)
    # report.html is what `scrubline report cleaned/` adds; it is not pipeline output
    committed = {k: v for k, v in read_tree(ROOT / "cleaned").items() if k != "report.html"}
    differences = describe_differences(fresh, committed)
    assert not differences, (
        f"cleaned/ is not what the pipeline makes of seeds/ today:\n{differences}\n"
        f"If the change is intended, regenerate: {REGENERATE}"
    )
