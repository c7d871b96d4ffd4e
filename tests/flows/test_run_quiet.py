"""Items 5 and 7 of issue 17 through the real command: `scrubline run -q` prints nothing on
success, and a second run over the same inputs leaves the output tree byte-identical (what
`make run` does to the committed cleaned/ on a fresh clone)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from cleaners.cli import main

from ..conftest import ROOT, SEEDS, read_tree


def _run_quiet(out, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = home  # its own embedded server, as `make run` on a fresh clone
    cmd = [sys.executable, "-m", "cleaners.cli", "run", str(SEEDS), "--out", str(out), "-q"]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.flow
@pytest.mark.slow
def test_run_quiet_prints_nothing_and_a_second_run_changes_no_byte(tmp_path):
    out = tmp_path / "cleaned"
    home = tempfile.mkdtemp(prefix="scrubline-prefect-", dir=tmp_path)
    first = _run_quiet(out, home)
    assert first.returncode == 0, first.stderr
    assert (first.stdout, first.stderr) == ("", "")
    tree = read_tree(out)
    second = _run_quiet(out, home)
    assert second.returncode == 0, second.stderr
    assert (second.stdout, second.stderr) == ("", "")
    assert read_tree(out) == tree
    # ...and the flow writes what `clean` writes, manifest included
    assert main(["clean", str(SEEDS), "--out", str(tmp_path / "by_clean"), "-q"]) == 0
    assert read_tree(tmp_path / "by_clean") == tree
