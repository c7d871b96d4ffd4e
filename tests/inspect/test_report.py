"""`scrubline report`: one self-contained page; every piece of page text escaped; fast.

The page itself is opened in a real browser in test_report_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from pathlib import Path

import pytest

from cleaners.cli import main
from cleaners.core.document import replay
from cleaners.inspect.report import collect, render, script_json, write_report
from cleaners.inspect.report_assets import JS

from ..conftest import ROOT

EVIL = '<img src=x onerror="window.__pwned=1">'


def make_sidecar(out: Path, doc_id: str, body: str, edits: list[dict], **extra) -> None:
    """Write a hand-made output document (body + sidecar) the way cleaners.io does."""
    sidecar = {
        "id": doc_id,
        "source_path": f"{doc_id}.txt",
        "format": "text",
        "encoding": {"name": "utf-8", "method": "utf-8", "confidence": 1.0},
        "metadata": {"title": None, "language": "en"},
        "stats": {},
        "edits": edits,
        "review": [],
    }
    sidecar.update(extra)
    (out / f"{doc_id}.json").write_text(json.dumps(sidecar, ensure_ascii=False), "utf-8")
    (out / f"{doc_id}.txt").write_text(body, "utf-8")


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_report_of_the_seeds_holds_every_document_exactly():
    data = collect(ROOT / "cleaned")
    sidecars = {json.loads(p.read_text("utf-8"))["id"] for p in (ROOT / "cleaned").glob("*.json")}
    assert {d["id"] for d in data["docs"]} == sidecars
    manifest = [json.loads(line) for line in (ROOT / "cleaned/manifest.jsonl").open()]
    assert data["summary"]["bytes_in"] == sum(r["bytes_in"] for r in manifest)
    assert data["summary"]["bytes_out"] == sum(r["bytes_out"] for r in manifest)
    for doc in data["docs"]:
        seed = (ROOT / "seeds" / doc["path"]).read_text("utf-8")
        assert doc["src"] == seed
        body = (ROOT / "cleaned" / f"{doc['id']}.txt").read_text("utf-8")
        assert doc["co"] == len(body)
    per_rule = {r["id"]: r["n"] for r in data["rules"]}
    edits = [e for p in (ROOT / "cleaned").glob("*.json")
             for e in json.loads(p.read_text("utf-8"))["edits"]]
    for rid in {e["rule"] for e in edits}:
        assert per_rule[rid] == sum(e["rule"] == rid for e in edits)


def test_report_command_writes_into_the_output_folder_by_default(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["clean", str(ROOT / "seeds"), "--out", str(out), "-q"]) == 0
    assert main(["report", str(out)]) == 0
    page = (out / "report.html").read_text("utf-8")
    assert page.startswith("<!doctype html>")
    assert "report.html" in capsys.readouterr().err
    assert main(["report", str(out), "-o", str(tmp_path / "r.html"), "-q"]) == 0
    assert (tmp_path / "r.html").read_text("utf-8") == page, "the page is reproducible"
    assert main(["clean", str(ROOT / "seeds"), "--out", str(out), "-q"]) == 0, (
        "report.html in the output folder does not disturb the next run"
    )


def test_report_needs_an_output_folder(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing")]) == 2
    assert main(["report", str(tmp_path)]) == 2
    assert "no cleaned documents" in capsys.readouterr().err


def test_page_is_self_contained():
    page = render(collect(ROOT / "cleaned"))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert len(re.findall(r"<script\b", page)) == 2
    digest = base64.b64encode(hashlib.sha256(JS.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src &#x27;none&#x27;" in csp
    assert f"script-src &#x27;sha256-{digest}&#x27;" in csp


def test_script_json_cannot_end_its_element():
    data = {"a": "</script><script>alert(1)</script>", "b": "<!-- \u2028&", "c": "</SCRIPT "}
    text = script_json(data)
    assert "<" not in text
    assert json.loads(text) == data


def test_every_piece_of_page_text_is_escaped(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    source = f"{EVIL}\n<script>window.__pwned=2</script>\nBody text.\n"
    drop = {"rule": "boilerplate.<b>bad</b>", "action": "drop", "start": 0,
            "end": len(EVIL) + 1, "before": EVIL + "\n", "after": "",
            "reason": "</script><script>window.__pwned=3</script>"}
    make_sidecar(out, "evil", replay(source, [_edit(drop)]), [drop],
                 metadata={"title": EVIL, "authors": [EVIL]},
                 source_path=f"in/{EVIL}.txt")
    (out / "manifest.jsonl").write_text(
        json.dumps({"path": f"in/{EVIL}.txt", "status": "cleaned"}) + "\n"
        + json.dumps({"path": f"{EVIL}.bin", "status": "failed", "error_type": "<i>E</i>",
                      "reason": EVIL}) + "\n",
        "utf-8",
    )
    page = render(collect(out))
    outside_scripts = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    for needle in ("<img", "onerror=\"", "<b>", "<i>", "<script"):
        assert needle not in outside_scripts, needle
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in outside_scripts
    assert "boilerplate.&lt;b&gt;bad&lt;/b&gt;" in outside_scripts
    data_block = re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data_block
    data = embedded_data(page)
    assert data["docs"][0]["meta"]["title"] == EVIL, "the text itself is kept, as text"
    assert data["failures"][0]["reason"] == EVIL


def _edit(d: dict):
    from cleaners.core.document import Edit

    return Edit.from_json(d)


def test_offsets_are_utf16_for_the_browser(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    source = "😀 emoji 𠀀 first. .\n"
    start = source.index(" .")
    e = {"rule": "punctuation.collapse_double_period", "action": "replace", "start": start,
         "end": start + 2, "before": " .", "after": ""}
    make_sidecar(out, "e", replay(source, [_edit(e)]), [e])
    doc = collect(out)["docs"][0]
    js_start = len(source[:start].encode("utf-16-le")) // 2
    assert doc["e"][0][:2] == [js_start, js_start + 2]
    assert js_start == start + 2


def test_outputs_not_in_the_last_run_are_left_out(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("One.\n\n\n\nTwo.", encoding="utf-8")
    (inp / "b.txt").write_text("Three.", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(inp), "--out", str(out), "-q"]) == 0
    (inp / "b.txt").unlink()
    assert main(["clean", str(inp), "--out", str(out), "-q"]) == 0
    assert [d["id"] for d in collect(out)["docs"]] == ["a"]


def test_failures_and_unreadable_outputs_are_listed(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "ok.txt").write_text("Fine.\n", encoding="utf-8")
    (inp / "big.txt").write_text("x" * 100, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(inp), "--out", str(out), "-q", "--max-bytes", "50"]) == 1
    (out / "ok.txt").write_text("Edited by hand afterwards.\n", encoding="utf-8")
    data = collect(out)
    assert [f["path"] for f in data["failures"]] == ["big.txt"]
    assert data["failures"][0]["type"] == "FileTooLarge"
    assert [u["path"] for u in data["unreadable"]] == ["ok.json"]
    assert main(["report", str(out), "-q"]) == 1, "an unreadable output is an error"
    page = (out / "report.html").read_text("utf-8")
    assert "big.txt" in page and "FileTooLarge" in page and "unreadable output" in page


@pytest.mark.slow
def test_report_of_764_documents_builds_in_seconds(tmp_path):
    """As many documents as the benchmark, of its typical size (12 KB, 20 edits each)."""
    out = tmp_path / "out"
    out.mkdir()
    para = "A sentence of body text that is long enough to wrap , twice over. " * 3
    source = "Site name | Home | News\n" + (para + "\n\n") * 60 + "Copyright 2024 Site\n"
    edits = [{"rule": "boilerplate.drop_nav_bar", "action": "drop", "start": 0, "end": 24,
              "before": source[:24], "after": ""}]
    pos = 24
    for _ in range(20):
        at = source.index(" ,", pos)
        edits.append({"rule": "punctuation.remove_space_before_comma", "action": "replace",
                      "start": at, "end": at + 1, "before": " ", "after": ""})
        pos = at + 2
    body = replay(source, [_edit(e) for e in edits])
    for k in range(764):
        make_sidecar(out, f"doc{k:04d}", body, edits)
    t0 = time.perf_counter()
    stats = write_report(out, tmp_path / "report.html")
    seconds = time.perf_counter() - t0
    assert stats["documents"] == 764
    assert seconds < 20, f"report took {seconds:.1f} s"
