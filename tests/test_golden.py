"""The committed cleaned/ folder is exactly what the pipeline makes of seeds/ today.

Any change to a rule therefore shows up as a reviewable diff of real output. To accept a
change on purpose: `scrubline clean seeds --out cleaned --force` and commit the diff.
"""

from __future__ import annotations

from cleaners.cli import main

from .conftest import ROOT, read_tree


def test_cleaned_folder_matches_a_fresh_run(tmp_path):
    assert main(["clean", str(ROOT / "seeds"), "--out", str(tmp_path), "-q"]) == 0
    fresh = read_tree(tmp_path)
    # report.html is what `scrubline report cleaned/` adds; it is not pipeline output
    committed = {k: v for k, v in read_tree(ROOT / "cleaned").items() if k != "report.html"}
    assert sorted(fresh) == sorted(committed), "files differ: regenerate cleaned/"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert not changed, f"outputs differ from cleaned/: {changed}; regenerate and review"
