"""Item 7 of issue 17: `clean -q` prints nothing, wordfreq never prints, and the progress
bar labels documents and bytes apart."""

from __future__ import annotations

import io as stdio
import subprocess
import sys

from rich.console import Console

from cleaners.cli.progress import Progress

from ..conftest import ROOT

LATIN = (
    "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, "
    "tertiam qui ipsorum lingua Celtae, nostra Galli appellantur. Hi omnes lingua, "
    "institutis, legibus inter se differunt. Gallos ab Aquitanis Garumna flumen, a Belgis "
    "Matrona et Sequana dividit. Horum omnium fortissimi sunt Belgae, propterea quod a cultu "
    "atque humanitate provinciae longissime absunt, minimeque ad eos mercatores saepe "
    "commeant. Anno 1852 Caesar Romam venit.\n"
)


def test_clean_quiet_prints_nothing_even_for_a_language_wordfreq_lacks(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    # Latin: linking asks wordfreq for 'la', which it answers with its nearest list and,
    # unless silenced, a notice on stderr.
    (src / "a.txt").write_text(LATIN, "utf-8")
    (src / "b.txt").write_text(LATIN + "Caesar in Gallia anno 1852 fuit.\n", "utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaners.cli", "clean", str(src), "--out", str(out), "-q"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout, proc.stderr) == ("", "")
    assert '"language": "la"' in (out / "a.json").read_text("utf-8")


def test_the_progress_bar_counts_documents_and_bytes_apart():
    console = Console(file=stdio.StringIO(), width=200, color_system=None, force_terminal=True)
    with Progress(5, 5_000_000, enabled=True, console=console) as bar:
        for _ in range(3):
            bar.advance(1_000_000)
        shown = bar.render()
    assert "3/5 docs" in shown
    assert "3.0/5.0 MB" in shown
    assert "3000000/5000000" not in shown  # bytes are never labelled as documents


def test_no_bar_when_disabled():
    with Progress(5, 100, enabled=False) as bar:
        bar.advance(10)
        assert bar.render() == ""
