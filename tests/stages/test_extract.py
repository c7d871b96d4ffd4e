"""HTML extraction: main content, metadata, hidden elements, robustness, cue tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import clean
from cleaners.stages.extract import html_to_text, page_metadata, parse
from cleaners.rules.extract import CUE_TABLE, cue_words, word_alternation

CASES_DIR = Path(__file__).parent.parent / "cases" / "html"


def _load_cases() -> list[dict]:
    cases: list[dict] = []
    for path in sorted(CASES_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for case in data if isinstance(data, list) else [data]:
            if "original_file" in case:
                case["original"] = (CASES_DIR / case["original_file"]).read_text("utf-8")
            cases.append(case)
    return cases


CASES = _load_cases()


def _param(case: dict):
    marks = [pytest.mark.xfail(strict=True)] if case.get("expect") == "fail" else []
    return pytest.param(case, id=case["label"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case):
    text, meta = html_to_text(case["original"])
    if "expected" in case:
        assert text == case["expected"]
    for snippet in case.get("must_keep", []):
        assert snippet in text, f"lost {snippet!r}"
    for snippet in case.get("must_drop", []):
        assert snippet not in text, f"kept {snippet!r}"
    for key, value in case.get("meta", {}).items():
        assert meta.get(key) == value, key


def test_cases_have_labels_and_checks():
    labels = [c["label"] for c in CASES]
    assert len(labels) == len(set(labels)) >= 8
    for c in CASES:
        assert c.get("comment") and c.get("source") and c.get("expect") in ("pass", "fail")
        assert c.get("expected") or c.get("must_keep") or c.get("meta"), c["label"]


# -- cue tables -------------------------------------------------------------------------


@pytest.mark.parametrize("cue", CUE_TABLE, ids=[c.id for c in CUE_TABLE])
def test_cue_examples(cue):
    for example in cue.matches:
        assert cue.hit(example), f"{cue.id} should match {example!r}"
    for example in cue.leaves_alone:
        assert not cue.hit(example), f"{cue.id} should leave {example!r} alone"


def test_cue_ids_unique_and_tables_immutable():
    ids = [c.id for c in CUE_TABLE]
    assert len(ids) == len(set(ids))
    assert isinstance(CUE_TABLE, tuple)
    assert all(isinstance(c.words, tuple) for c in CUE_TABLE)


@pytest.mark.parametrize("bad", [(), ("",), ("nav", ""), ("a|b",), ("x ",)])
def test_word_alternation_refuses_empty_and_non_words(bad):
    with pytest.raises(ValueError):
        word_alternation(bad)


def test_cue_words_split_camel_case_and_separators():
    assert cue_words("relatedPosts__list main-nav") == "related posts list main nav"


# -- metadata ---------------------------------------------------------------------------

JSON_LD_GRAPH = """<html><head><title>Fallback title | Site</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "The Harbour Post"},
 {"@type": ["NewsArticle"], "headline": "Ferry timetable changes",
  "datePublished": "2024-03-05T08:00:00Z",
  "author": [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Person", "name": "Bo Chen"}]}
]}</script></head><body><p>Text.</p></body></html>"""


def test_metadata_from_json_ld_graph():
    meta = page_metadata(parse(JSON_LD_GRAPH))
    assert meta == {
        "title": "Ferry timetable changes",
        "date": "2024-03-05T08:00:00Z",
        "authors": ["Ana Lima", "Bo Chen"],
        "site": "The Harbour Post",
    }


def test_metadata_from_meta_tags():
    html = """<html><head><title>T | S</title>
    <meta property="og:title" content="  Open  Graph title ">
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2023-11-02">
    <meta name="author" content="By Sam Reed">
    </head><body><p>x</p></body></html>"""
    meta = page_metadata(parse(html))
    assert meta == {"title": "Open Graph title", "site": "Example News",
                    "date": "2023-11-02", "authors": ["Sam Reed"]}


def test_metadata_from_title_and_time_when_nothing_else():
    html = "<title>Plain page</title><body><time datetime='2022-01-09'>9 Jan</time><p>x</p>"
    assert page_metadata(parse(html)) == {"title": "Plain page", "date": "2022-01-09"}


def test_metadata_ignores_broken_json_ld_and_author_urls():
    html = """<head><script type="application/ld+json">{not json</script>
    <meta property="article:author" content="https://facebook.com/someone"></head><p>x</p>"""
    assert page_metadata(parse(html)) == {}


def test_clean_html_lifts_metadata_and_edits_refer_to_extracted_text():
    r = clean(JSON_LD_GRAPH.replace("<p>Text.</p>", "<p>Ferry  text.</p>"), fmt="html")
    assert r.metadata["title"] == "Ferry timetable changes"
    assert r.metadata["authors"] == ["Ana Lima", "Bo Chen"]
    assert r.source_text == "Ferry text."
    for e in r.edits:
        assert r.source_text[e.start:e.end] == e.before


# -- robustness -------------------------------------------------------------------------


@pytest.mark.slow
def test_deeply_nested_page_does_not_recurse():
    depth = 100_000
    html = ("<html><body>" + "<div>" * depth + "<p>Deep inside the page there is a sentence, "
            "and it is the only text there is.</p>" + "</div>" * depth
            + "<p>After the nest.</p></body></html>")
    from cleaners.core.safety import Limits, using

    with using(Limits(max_html_depth=0)):  # the default limit refuses such a page (issue 6)
        text, _ = html_to_text(html)
    assert "Deep inside the page there is a sentence" in text


def test_deep_nesting_through_clean():
    html = "<div>" * 3000 + "<p>Nested words, in a sentence that ends.</p>" + "</div>" * 3000
    assert "Nested words" in clean(html, fmt="html").text


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<", "<<<>>>", "</p></div>", "<p>unclosed <b>bold <i>italic",
     "<html><body><table><tr><td>cell<td>cell2</table>", "\x00<p>nul</p>",
     '<?xml version="1.0" encoding="ISO-8859-1"?><html><body><p>declared</p></body></html>',
     "<p>\ud800 lone surrogate</p>", "<svg><text>only svg</text></svg>",
     "<script>only a script</script>", "plain text, no tags at all"],
)
def test_malformed_html_never_raises(html):
    text, meta = html_to_text(html)
    assert isinstance(text, str) and isinstance(meta, dict)


def test_malformed_html_keeps_text():
    assert "italic" in html_to_text("<p>unclosed <b>bold <i>italic")[0]
    assert html_to_text('<?xml version="1.0" encoding="ISO-8859-1"?><p>declared</p>')[0] == \
        "declared"
    assert html_to_text("plain text, no tags at all")[0] == "plain text, no tags at all"


def test_script_style_svg_never_text():
    text, _ = html_to_text("<p>Keep this.</p><style>p{}</style><script>var x</script>"
                           "<svg><text>logo</text></svg><template><p>tpl</p></template>")
    assert text == "Keep this."


def test_line_breaks_and_inline_elements():
    text, _ = html_to_text("<p>One<br>Two <b>bold</b><span>glued</span></p><p>Three</p>")
    assert text == "One\nTwo boldglued\nThree"


def test_idempotent_on_html_output():
    html = (CASES_DIR / "blog_layout.html").read_text("utf-8")
    once = clean(html, fmt="html").text
    assert clean(once).text == once


# -- the quality benchmark, on a handful of bench pages -----------------------------------


def test_quality_benchmark_runs_and_scores(tmp_path, capsys):
    from benchmarks import quality
    from benchmarks.common import find_bench

    if find_bench() is None:
        pytest.skip("shared bench folder not present")
    out = tmp_path / "rows.json"
    assert quality.main(["--limit", "6", "--out", str(tmp_path / "pred"), "--json", str(out)]) == 0
    rows = json.loads(out.read_text("utf-8"))
    assert {r["input"] for r in rows} == {"text", "html"}
    for r in rows:
        assert r["n"] == 6 and 0.0 <= r["f1"] <= 1.0 and r["pages_per_s"] > 0
        assert r["by_source"]
    assert len(list((tmp_path / "pred" / "scrubline-html").glob("*.txt"))) == 6
    assert "| **scrubline** | html |" in capsys.readouterr().out


def test_extract_never_imports_benchmark_dependencies():
    import subprocess
    import sys

    code = ("import sys, cleaners; from cleaners import clean; "
            "clean('<p>x</p>', fmt='html'); "
            "print(any(m.split('.')[0] in {'trafilatura', 'justext', 'resiliparse'} "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
