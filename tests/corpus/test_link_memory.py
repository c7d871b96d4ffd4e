"""Linking's memory budget: a huge body is sketched from its start (the index entry says
so) instead of exhausting memory, so the run, and every re-run, finishes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaners.corpus import CorpusIndex, LinkConfig, link_outputs, read_body

from ..conftest import ROOT


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = digits[n % 36]
    while n >= 36:
        n //= 36
        out = digits[n % 36] + out
    return out


def story(words: int, seed: int = 0) -> str:
    """Text of ``words`` short words (1-3 letters, as in real prose: many words per byte)."""
    return " ".join("k" + _base36((i * 7919 + seed) % 40_009) for i in range(words))


def put(out: Path, doc_id: str, body: str) -> None:
    out.mkdir(exist_ok=True)
    (out / f"{doc_id}.txt").write_text(body, "utf-8")
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    sidecar = {  # a whole sidecar: linking leaves out one that does not read as one
        "id": doc_id, "source_path": f"{doc_id}.txt", "input_sha256": sha, "output_sha256": sha,
        "pipeline_version": "test", "config_hash": "test", "format": "text",
        "encoding": {"name": "utf-8"}, "metadata": {"language": "en"}, "stats": {},
        "edits": [], "review": [],
    }
    (out / f"{doc_id}.json").write_text(json.dumps(sidecar), "utf-8")


def test_a_body_over_the_budget_is_sketched_from_its_start_with_a_note(tmp_path):
    out = tmp_path / "out"
    big = story(20_000)
    put(out, "big", big)
    put(out, "head", " ".join(big.split()[:2000]))  # the start of big: found in the sample
    put(out, "tail", " ".join(big.split()[-2000:]))  # past the sample: not found
    config = LinkConfig(max_chars=30_000)
    summary = link_outputs(out, config=config)
    assert summary["sampled"] == 1 and summary["documents"] == 3
    rows = [json.loads(x) for x in (out / "_index" / "corpus-index.jsonl").read_text().splitlines()]
    notes = {r["doc"]["id"]: r["doc"].get("note") for r in rows if "doc" in r}
    assert notes["head"] is None and notes["tail"] is None
    assert notes["big"].startswith("sketched from its first ")
    assert "at most 30,000 characters" in notes["big"] and "memory budget" in notes["big"]
    sidecars = {d: json.loads((out / f"{d}.json").read_text()) for d in ("big", "head", "tail")}
    assert {x["id"] for x in sidecars["head"].get("duplicates", [])} == {"big"}
    assert "duplicates" not in sidecars["tail"]
    # the index round-trips the note; a second run changes nothing
    index, usable = CorpusIndex.load(out, config)
    assert usable and index.docs["big"].note == notes["big"]
    assert link_outputs(out, config=config)["indexed"] == 0
    # without the budget (0: off) the whole body is read and the tail is found
    assert link_outputs(out, config=LinkConfig(max_chars=0))["sampled"] == 0
    assert {x["id"] for x in json.loads((out / "tail.json").read_text())["duplicates"]} == {"big"}


def test_read_body_reads_a_bounded_prefix_cut_at_a_space(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("alpha beta gamma delta", "utf-8")
    assert read_body(path, 0) == ("alpha beta gamma delta", "")
    assert read_body(path, 22) == ("alpha beta gamma delta", "")
    text, note = read_body(path, 13)
    assert text == "alpha beta" and "first 10 characters of 22 bytes" in note


LINK_UNDER_1GB = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from cleaners.corpus import LinkConfig, link_outputs
config = None if sys.argv[2] == "default" else LinkConfig(max_chars=0)
try:
    print(json.dumps(link_outputs(sys.argv[1], config=config)))
except MemoryError:
    print(json.dumps({"error": "MemoryError"}))
"""


def run_linking(out: Path, config: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", LINK_UNDER_1GB, str(out), config], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # about 30 s: a 50 MB body, linked three times in fresh processes
def test_a_50_mb_document_links_under_a_1_gb_memory_limit_run_after_run(tmp_path):
    out = tmp_path / "out"
    put(out, "huge", story(12_000_000))  # about 50 MB, one document that cleaned fine
    put(out, "small", story(500, seed=3))
    size = (out / "huge.txt").stat().st_size
    assert size > 45_000_000
    digest = hashlib.sha256((out / "huge.txt").read_bytes()).hexdigest()
    # the failure the budget prevents: the whole body does not fit in 1 GB
    assert run_linking(out, "off") == {"error": "MemoryError"}
    for _ in range(2):  # a re-run succeeds too
        summary = run_linking(out, "default")
        assert summary["documents"] == 2, summary
    rows = [json.loads(x) for x in (out / "_index" / "corpus-index.jsonl").read_text().splitlines()]
    note = next(r["doc"]["note"] for r in rows if r.get("doc", {}).get("id") == "huge")
    assert f"of {size:,} bytes" in note
    assert hashlib.sha256((out / "huge.txt").read_bytes()).hexdigest() == digest  # body untouched
