"""The report opened in real headless Chromium (Debian's package, driven by Playwright).

No browser is downloaded: Playwright launches /usr/bin/chromium, which .ci/run installs with
apt. Outside CI, the test is skipped when that browser is missing.

`UPDATE_SCREENSHOT=1 python -m pytest tests/inspect/test_report_browser.py` also refreshes
docs/report.png (the report of the seeds, as the README shows it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cleaners.cli import main
from cleaners.inspect.rows import build_rows
from cleaners.inspect.view import load_sidecar

from ..conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EVIL_TEXT = (
    "Injected markup must stay text\n\n"
    "<img src=x onerror=\"window.__pwned = 'img'\">\n\n"
    "<script>window.__pwned = 'script'</script>\n\n"
    "A line with a double period. .\n"
    "Footer \u00a9 2024 <b onmouseover=\"window.__pwned='b'\">bold</b>   \n\n\n\n"
)
EVIL_HTML = (
    "<html><head><title>&lt;img src=x onerror=window.__pwned=1&gt;</title></head><body>"
    "<p>Escaped in the page: &lt;img src=y onerror=\"window.__pwned='html'\"&gt;</p>"
    "<p>  Second   paragraph.  </p></body></html>"
)
ASTRAL_TEXT = "😀 emoji before an edit 𠀀  \n\n\n\nLast line"


def _browser():
    """Chromium through Playwright, or a skip (outside CI) saying what is missing."""
    in_ci = bool(os.environ.get("CI"))
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); not in CI")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright not installed (pip install -e '.[dev]')")
    return sync_playwright


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """Seeds plus hostile and astral documents, cleaned and reported."""
    root = tmp_path_factory.mktemp("report")
    inp = root / "in"
    shutil.copytree(ROOT / "seeds", inp)
    (inp / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
    (inp / "hostile.html").write_text(EVIL_HTML, encoding="utf-8")
    (inp / "astral.txt").write_text(ASTRAL_TEXT, encoding="utf-8")
    out = root / "out"
    assert main(["clean", str(inp), "--out", str(out), "-q"]) == 0
    assert main(["report", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def page(report):
    sync_playwright = _browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1440, "height": 1000})
            pg.set_default_timeout(10_000)
            problems: list[str] = []
            pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                  if m.type in ("error", "warning") else None)
            pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            pg.on("request", lambda r: problems.append(f"request: {r.url}")
                  if not r.url.startswith(("file:", "data:")) else None)
            pg.goto((report / "report.html").as_uri())
            pg.wait_for_selector("body[data-ready='1']", timeout=15000)
            pg.problems = problems  # type: ignore[attr-defined]
            yield pg
        finally:
            browser.close()


def _sidecars(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in out.glob("*.json")}


def _visible_doc_ids(pg) -> list[str]:
    return pg.eval_on_selector_all("#docs tbody tr", "rows => rows.map(r => r.dataset.id)")


def test_loads_without_console_errors_and_shows_every_seed(page, report):
    assert page.problems == []
    ids = _visible_doc_ids(page)
    for seed in (ROOT / "seeds").glob("*.txt"):
        assert seed.stem in ids
    assert sorted(ids) == sorted(_sidecars(report))
    text = page.inner_text("#docs")
    for seed in (ROOT / "seeds").glob("*.txt"):
        assert seed.stem in text
    assert page.is_visible("#doc-view"), "the first document is open"


def test_documents_are_sorted_by_removed_characters(page, report):
    ids = _visible_doc_ids(page)
    removed = {}
    for doc_id, sc in _sidecars(report).items():
        removed[doc_id] = sum(max(0, len(e["before"]) - len(e["after"])) for e in sc["edits"])
    assert [removed[i] for i in ids] == sorted(removed.values(), reverse=True)
    page.click("#docs th[data-key='id']")
    assert _visible_doc_ids(page) == sorted(ids)
    page.click("#docs th[data-key='rm']")
    assert [removed[i] for i in _visible_doc_ids(page)] == sorted(removed.values(), reverse=True)


def test_filter_by_rule_by_clicking(page, report):
    sidecars = _sidecars(report)
    docs_of: dict[str, set[str]] = {}
    for doc_id, sc in sidecars.items():
        for e in sc["edits"]:
            docs_of.setdefault(e["rule"], set()).add(doc_id)
    # The rule found in the fewest documents shows the filter best.
    rule = min(docs_of, key=lambda r: (len(docs_of[r]), r))
    assert docs_of[rule] != set(sidecars)
    page.click(f"#rules tbody tr:has(td:text-is('{rule}'))")
    assert set(_visible_doc_ids(page)) == docs_of[rule]
    assert page.inner_text("#filter-name") == rule
    page.click(f"#docs tbody tr[data-id='{sorted(docs_of[rule])[0]}']")
    chips = page.eval_on_selector_all("#diff button.chip", "cs => cs.map(c => c.textContent)")
    assert chips and set(chips) == {rule}
    page.click("#clear-filter")
    assert sorted(_visible_doc_ids(page)) == sorted(sidecars)
    # A rule chip in a diff filters too.
    page.click(f"#docs tbody tr[data-id='{sorted(docs_of[rule])[0]}']")
    page.click(f"#diff button.chip:text-is('{rule}')")
    assert set(_visible_doc_ids(page)) == docs_of[rule]
    page.select_option("#rule-filter", "-1")
    assert sorted(_visible_doc_ids(page)) == sorted(sidecars)


def test_injected_markup_does_not_execute(page, report):
    for doc_id in ("evil", "hostile"):
        page.click(f"#docs tbody tr[data-id='{doc_id}']")
        page.check("#all-lines")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.images.length") == 0
        assert page.evaluate("document.querySelectorAll('#diff script, #diff b').length") == 0
    page.click("#docs tbody tr[data-id='evil']")
    text = page.inner_text("#diff")
    assert "<img src=x onerror=\"window.__pwned = 'img'\">" in text
    assert "<script>window.__pwned = 'script'</script>" in text
    page.click("#docs tbody tr[data-id='hostile']")
    assert "<img src=y onerror=" in page.inner_text("#diff")
    assert "<img src=x onerror=window.__pwned=1>" in page.inner_text("#doc-meta")
    page.uncheck("#all-lines")
    assert page.problems == []


def test_browser_rows_match_the_python_rows(page, report):
    """The page's row builder mirrors cleaners.inspect.rows.build_rows, astral characters included."""
    for sidecar in sorted(report.glob("*.json")):
        view = load_sidecar(sidecar)
        expected = [[r.kind, r.src, r.out] for r in build_rows(view)]
        assert page.evaluate("id => scrublineReport.rows(id)", view.id) == expected, view.id
        for rule in sorted({e.rule for e in view.edits}):
            only = [[r.kind, r.src, r.out] for r in build_rows(view.only([rule]))]
            got = page.evaluate("([id, r]) => scrublineReport.rows(id, r)", [view.id, rule])
            assert got == only, (view.id, rule)


def test_changed_spans_carry_rule_and_reason(page, report):
    page.click("#docs tbody tr[data-id='astral']")
    spans = page.eval_on_selector_all(
        "#diff .chg, #diff .gone", "ss => ss.map(s => [s.dataset.rule, s.title])"
    )
    assert spans
    for rule, title in spans:
        assert title.startswith(rule + " (")
    assert "😀 emoji before an edit 𠀀" in page.inner_text("#diff")


def test_screenshot_is_not_trivial(page, tmp_path):
    page.click("#docs tbody tr[data-id='evil']")
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 30_000


@pytest.mark.skipif(os.environ.get("UPDATE_SCREENSHOT") != "1",
                    reason="set UPDATE_SCREENSHOT=1 to refresh docs/report.png")
def test_update_docs_screenshot(tmp_path):
    """docs/report.png: the report of the seeds, first document open."""
    sync_playwright = _browser()
    out = tmp_path / "cleaned"
    assert main(["clean", str(ROOT / "seeds"), "--out", str(out), "-q"]) == 0
    assert main(["report", str(out), "-q"]) == 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1440, "height": 1400}, device_scale_factor=1)
        pg.goto((out / "report.html").as_uri())
        pg.wait_for_selector("body[data-ready='1']")
        pg.screenshot(path=str(ROOT / "docs" / "report.png"))
        browser.close()
