"""One self-contained HTML page for an output folder: what the run removed, and why.

``write_report(out_dir, dest)`` reads the folder's manifest and sidecars (the documents of
its last run), rebuilds each document's input from its body and edits, and writes a static
page with no network access (inline CSS and JS, a Content-Security-Policy that allows
nothing else): a summary, the edits per rule (click one to filter), the failures, the
documents sortable by how much was removed, and for the selected document a side-by-side
diff with every change coloured by rule and labelled with its id and reason, its metadata
beside it.

Text from documents never becomes markup: the server-side parts are escaped with
:func:`html.escape`, and the documents travel as JSON in a
``<script type="application/json">`` element (``<``, ``>`` and ``&`` written as ``\\u003c``…,
so the JSON cannot close the element) from which the script builds the page with
``textContent``. Per-document diffs are built in the browser only when a document is
opened, so a report of hundreds of documents is written in seconds and opens at once.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaners.core.document import Edit, replay
from cleaners.core.pipeline import STAGES
from cleaners.core.registry import RULES
from cleaners.core.safety import safe_compile
from cleaners.inspect.report_assets import CSS, JS
from cleaners.inspect.view import body_path, check_body, count_lines, is_sidecar, line_starts
from cleaners.io import atomic_write, display_path

#: File name of the report in the output folder when ``-o`` is not given.
REPORT_NAME = "report.html"
#: Edit actions, in the order the report's JSON numbers them.
ACTIONS = ("replace", "drop", "lift")

_ACTION_CODE = {a: k for k, a in enumerate(ACTIONS)}
_ASTRAL_RE = safe_compile("[\U00010000-\U0010ffff]")


# -- reading an output folder --------------------------------------------------------------


def read_manifest(out_dir: Path) -> list[dict[str, Any]] | None:
    """The rows of ``manifest.jsonl`` (``None`` when there is none); bad lines are skipped."""
    path = out_dir / "manifest.jsonl"
    try:
        text = path.read_text("utf-8")
    except OSError:
        return None
    rows = []
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "path" in row:
            rows.append(row)
    return rows


def run_sidecars(
    out_dir: Path, manifest: list[dict[str, Any]] | None = None
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The sidecars of the folder's last run: those whose ``source_path`` the manifest lists
    as cleaned or skipped (every sidecar when there is no manifest), in path order."""
    if manifest is None:
        manifest = read_manifest(out_dir)
    wanted = (
        {r["path"] for r in manifest if r.get("status") in ("cleaned", "skipped")}
        if manifest is not None
        else None
    )
    for path in sorted(out_dir.rglob("*.json")):
        rel = path.relative_to(out_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if not is_sidecar(data):
            continue
        if wanted is not None and data.get("source_path") not in wanted:
            continue
        yield path, data


def rule_hits(out_dir: Path) -> dict[str, tuple[int, int, int]]:
    """Per rule id: (edits, documents with an edit, review entries) in the last run."""
    hits: dict[str, list[int]] = {}
    for _, sc in run_sidecars(out_dir):
        per_doc: dict[str, int] = {}
        for e in sc.get("edits", ()):
            per_doc[e["rule"]] = per_doc.get(e["rule"], 0) + 1
        for rid, n in per_doc.items():
            h = hits.setdefault(rid, [0, 0, 0])
            h[0] += n
            h[1] += 1
        for r in sc.get("review", ()):
            hits.setdefault(r["rule"], [0, 0, 0])[2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in hits.items()}


# -- the data the page is built from -------------------------------------------------------


def _utf16(text: str) -> Any:
    """A function mapping code point offsets of ``text`` to JavaScript (UTF-16) offsets."""
    astral = [m.start() for m in _ASTRAL_RE.finditer(text)]
    if not astral:
        return int
    return lambda i: i + bisect.bisect_left(astral, i)


def source_of(sidecar: dict[str, Any], body: str) -> str:
    """The text a sidecar's edits refer to, checked against the body; ``ValueError`` if the
    two disagree. (:func:`cleaners.inspect.view.unreplay` for JSON edits, without building objects:
    a corpus run has hundreds of thousands.)
    """
    edits = sidecar["edits"]
    if "source_text" in sidecar:
        source = sidecar["source_text"]
        if replay(source, [Edit.from_json(e) for e in edits]) != body:
            raise ValueError("the body does not match the sidecar's edits")
        return source
    out: list[str] = []
    pos = opos = 0
    for e in edits:
        start, before, after = e["start"], e["before"], e["after"]
        if start < pos or e["end"] - start != len(before):
            raise ValueError(f"edits overlap or are out of order at {start} ({e['rule']})")
        at = opos + (start - pos)
        if not body.startswith(after, at):
            raise ValueError(f"the body does not match edit {e['rule']} at input offset {start}")
        out.append(body[opos:at])
        out.append(before)
        opos = at + len(after)
        pos = e["end"]
    out.append(body[opos:])
    return "".join(out)


def _rule_colours(k: int) -> tuple[str, str]:
    hue = (k * 137.508 + 200) % 360
    return f"hsl({hue:.0f} 80% 86%)", f"hsl({hue:.0f} 55% 40%)"


def collect(out_dir: Path) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (documents in path order)."""
    manifest = read_manifest(out_dir)
    by_path = {r["path"]: r for r in manifest or ()}
    stage_order = {s.id: i for i, s in enumerate(STAGES)}
    rule_order = {rid: i for i, rid in enumerate(r for s in STAGES for r in s.rule_ids)}
    known = sorted(
        RULES.values(),
        key=lambda r: (stage_order.get(r.stage, 99), rule_order.get(r.id, 10**6), r.id),
    )
    rules: list[dict[str, Any]] = [
        {"id": r.id, "desc": r.description, "cat": r.category, "n": 0, "docs": 0, "rv": 0}
        for r in known
    ]
    index = {r["id"]: k for k, r in enumerate(rules)}

    def rule_index(rid: str) -> int:
        if rid not in index:
            index[rid] = len(rules)
            rules.append(
                {"id": rid, "desc": "(not a rule of this version: outputs are from another)",
                 "cat": "?", "n": 0, "docs": 0, "rv": 0}
            )
        return index[rid]

    docs: list[dict[str, Any]] = []
    unreadable: list[dict[str, str]] = []
    versions: set[str] = set()
    for path, sc in run_sidecars(out_dir, manifest):
        doc_id = str(sc["id"])
        try:
            raw = body_path(out_dir, sc).read_bytes()
            check_body(sc, raw)
            body = raw.decode("utf-8", "replace")
            edits = sc["edits"]
            source = source_of(sc, body)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            unreadable.append(
                {"path": display_path(path.relative_to(out_dir).as_posix()), "reason": str(exc)}
            )
            continue
        if sc.get("pipeline_version"):
            versions.add(str(sc["pipeline_version"]))
        user = (sc.get("config") or {}).get("user_rules") if isinstance(sc.get("config"), dict) else None
        for rid, desc in (user if isinstance(user, dict) else {}).items():
            if rid not in index:  # the user's own rules, described by the config that ran
                index[rid] = len(rules)
                rules.append({"id": rid, "desc": str(desc), "cat": "user", "n": 0, "docs": 0, "rv": 0})
        u16 = _utf16(source)
        ids = [index[e["rule"]] if e["rule"] in index else rule_index(e["rule"]) for e in edits]
        packed_edits = [
            [u16(e["start"]), u16(e["end"]), k, _ACTION_CODE.get(e["action"], 0), e["after"]]
            + ([e["reason"]] if e.get("reason") else [])
            for e, k in zip(edits, ids)
        ]
        removed = sum(max(0, len(e["before"]) - len(e["after"])) for e in edits)
        for k, n in Counter(ids).items():
            rules[k]["n"] += n
            rules[k]["docs"] += 1
        packed_review = []
        starts = line_starts(source) if sc.get("review") else []
        for r in sc.get("review", ()):
            k = rule_index(r["rule"])
            rules[k]["rv"] += 1
            packed_review.append(
                [k, u16(r["start"]), u16(r["end"]), r.get("text", ""), r.get("reason", ""),
                 r.get("suggestion"), bisect.bisect_right(starts, r["start"])]
            )
        row = by_path.get(sc.get("source_path", ""), {})
        enc = sc.get("encoding") or {}
        docs.append(
            {
                "id": doc_id,
                "path": str(sc.get("source_path") or doc_id),
                "fmt": str(sc.get("format", "text")),
                "enc": f"{enc.get('name', '?')} ({enc.get('method', '?')})",
                "meta": sc.get("metadata") or {},
                "src": source,
                "e": packed_edits,
                "rv": packed_review,
                "ci": len(source),
                "co": len(body),
                "li": count_lines(source),
                "lo": count_lines(body),
                "bi": int(row.get("bytes_in") or len(source.encode("utf-8", "replace"))),
                "bo": int(row.get("bytes_out") or len(body.encode("utf-8", "replace"))),
                "rm": removed,
            }
        )
    for k, r in enumerate(rules):
        r["color"], r["ink"] = _rule_colours(k)
    failures = [
        {"path": r["path"], "type": r.get("error_type") or "", "reason": r.get("reason") or ""}
        for r in manifest or ()
        if r.get("status") == "failed"
    ]
    not_text = [r for r in manifest or () if _not_text(r)]
    statuses = [r.get("status") for r in manifest or ()]
    summary = {
        "documents": len(docs),
        "listed": len(manifest) if manifest is not None else len(docs),
        "cleaned": statuses.count("cleaned") if manifest is not None else len(docs),
        "unchanged": sum(
            1 for r in manifest or () if r.get("status") == "skipped" and not _not_text(r)
        ),
        "not_text": len(not_text),
        "failed": len(failures),
        "bytes_in": sum(d["bi"] for d in docs),
        "bytes_out": sum(d["bo"] for d in docs),
        "chars_removed": sum(d["rm"] for d in docs),
        "edits": sum(len(d["e"]) for d in docs),
        "review": sum(len(d["rv"]) for d in docs),
        "rules_fired": sum(1 for r in rules if r["n"]),
        "pipeline_versions": sorted(versions),
        "has_manifest": manifest is not None,
    }
    return {
        "out_dir": out_dir.name or str(out_dir),
        "summary": summary,
        "rules": rules,
        "docs": docs,
        "failures": failures,
        "unreadable": unreadable,
        "actions": list(ACTIONS),
    }


def _not_text(row: dict[str, Any]) -> bool:
    """A manifest row of an input skipped because it is not a text document."""
    return row.get("status") == "skipped" and str(row.get("reason", "")).startswith("not a text")


# -- the page ------------------------------------------------------------------------------


def script_json(data: Any) -> str:
    """JSON that can sit inside a ``<script>`` element: every ``<`` is written ``\\u003c``, so
    no text can end the element (``</script>``) or open a comment (``<!--``) in it.

    >>> script_json({"a": "</script><img src=x onerror=alert(1)>"})
    '{"a":"\\\\u003c/script>\\\\u003cimg src=x onerror=alert(1)>"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(n: int) -> str:
    return f"{n:,}"


def _summary_html(data: dict[str, Any]) -> str:
    s = data["summary"]
    saved = s["bytes_in"] - s["bytes_out"]
    share = f"{100 * saved / s['bytes_in']:.1f}%" if s["bytes_in"] else "0%"
    parts = [f"{_num(s['cleaned'])} cleaned"]  # up-to-date documents keep their cleaned rows
    if s["unchanged"]:  # skipped for another reason than "not a text document"
        parts.append(f"{_num(s['unchanged'])} skipped")
    if s["not_text"]:
        parts.append(f"{_num(s['not_text'])} not text")
    parts.append(f"{_num(s['failed'])} failed")
    cards = [
        ("documents", _num(s["documents"]), ", ".join(parts)),
        ("bytes before → after", f"{_num(s['bytes_in'])} → {_num(s['bytes_out'])}",
         f"{_num(saved)} bytes ({share}) removed"),
        ("edits", _num(s["edits"]), f"by {s['rules_fired']} rules; "
         f"{_num(s['chars_removed'])} characters removed"),
        ("review entries", _num(s["review"]), "defects found but not changed"),
        ("failures", _num(s["failed"] + len(data["unreadable"])),
         "from manifest.jsonl" if s["has_manifest"] else "no manifest.jsonl in the folder"),
    ]
    out = ['<section class="cards" id="summary">']
    for key, value, sub in cards:
        out.append(
            f'<div class="card"><div class="k">{_e(key)}</div><div class="v">{_e(value)}</div>'
            f'<div class="s">{_e(sub)}</div></div>'
        )
    out.append("</section>")
    return "\n".join(out)


def _rules_html(data: dict[str, Any]) -> str:
    rows = []
    for k, r in enumerate(data["rules"]):
        idle = "" if (r["n"] or r["rv"]) else ' class="idle"'
        rows.append(
            f'<tr data-rule="{k}"{idle}><td class="mono"><span class="swatch" '
            f'style="background:{_e(r["color"])};border-color:{_e(r["ink"])}"></span>'
            f'{_e(r["id"])}</td><td>{_e(r["cat"])}</td><td>{_e(r["desc"])}</td>'
            f'<td class="num">{_num(r["n"])}</td><td class="num">{_num(r["docs"])}</td>'
            f'<td class="num">{_num(r["rv"])}</td></tr>'
        )
    return (
        '<section class="panel" id="rules-panel"><h2>Edits per rule</h2>'
        '<p class="muted">Click a rule to show only its edits (again to show all).</p>'
        '<div class="scroll"><table id="rules"><thead><tr><th>rule</th><th>category</th>'
        '<th>description</th><th class="num">edits</th><th class="num">documents</th>'
        '<th class="num">review</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div></section>"
    )


def _failures_html(data: dict[str, Any]) -> str:
    rows = [
        f'<tr><td class="mono">{_e(f["path"])}</td><td>{_e(f["type"])}</td>'
        f"<td>{_e(f['reason'])}</td></tr>"
        for f in data["failures"]
    ] + [
        f'<tr><td class="mono">{_e(u["path"])}</td><td>unreadable output</td>'
        f"<td>{_e(u['reason'])}</td></tr>"
        for u in data["unreadable"]
    ]
    if not rows:
        return (
            '<section class="panel" id="failures"><h2>Failures</h2>'
            '<p class="muted">None: every input was cleaned or skipped.</p></section>'
        )
    return (
        f'<section class="panel" id="failures"><h2>Failures ({len(rows)})</h2>'
        '<div class="scroll"><table><thead><tr><th>input</th><th>error</th><th>reason</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div></section>"
    )


_DOCS_HTML = """<section class="panel" id="documents">
<h2>Documents</h2>
<div class="toolbar">
<label>Rule <select id="rule-filter"></select></label>
<input type="search" id="doc-search" placeholder="find a document by id or title">
<span id="doc-count" class="muted"></span>
<span id="filter-banner" class="banner" hidden>only <code id="filter-name"></code>
<button type="button" id="clear-filter">show all rules</button></span>
</div>
<div class="scroll"><table id="docs"><thead><tr>
<th data-key="id" data-label="document">document</th>
<th data-key="fmt" data-label="format">format</th>
<th data-key="title" data-label="title">title</th>
<th data-key="n" data-label="edits" class="num">edits</th>
<th data-key="rm" data-label="removed (chars)" class="num">removed (chars)</th>
<th data-key="pct" data-label="removed %" class="num">removed %</th>
<th data-key="rv" data-label="review" class="num">review</th>
</tr></thead><tbody></tbody></table></div>
</section>
<section class="panel" id="doc-view" hidden>
<header><h2 id="doc-title"></h2><span id="doc-stats" class="muted"></span>
<span class="toolbar">
<button type="button" id="prev-doc" title="previous (k)">&larr; previous</button>
<button type="button" id="next-doc" title="next (j)">next &rarr;</button>
<label><input type="checkbox" id="all-lines"> all lines</label></span></header>
<div class="doc-grid">
<div><table class="diff" id="diff"><colgroup><col class="ln"><col><col class="ln"><col>
<col class="lab"></colgroup><thead><tr><th></th><th>input</th><th></th><th>output</th>
<th>rule and reason</th></tr></thead><tbody></tbody></table></div>
<aside class="meta" id="doc-meta"></aside>
</div>
</section>"""


def render(data: dict[str, Any]) -> str:
    """The report page for :func:`collect`'s data."""
    script_hash = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode()
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    versions = ", ".join(data["summary"]["pipeline_versions"]) or "unknown"
    title = f"scrubline report: {data['out_dir']}"
    return "".join(
        [
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<link rel="icon" href="data:,">\n',
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            f'<header class="top"><h1>scrubline report</h1>'
            f'<span class="where">{_e(data["out_dir"])}</span>'
            f'<span class="where">pipeline {_e(versions)}</span></header>\n<main>\n',
            _summary_html(data),
            "\n",
            _rules_html(data),
            "\n",
            _failures_html(data),
            "\n",
            _DOCS_HTML,
            "\n</main>\n",
            '<script type="application/json" id="report-data">',
            script_json(data),
            "</script>\n",
            f"<script>{JS}</script>\n</body>\n</html>\n",
        ]
    )


def write_report(out_dir: Path, dest: Path) -> dict[str, Any]:
    """Write the report of ``out_dir`` to ``dest`` (atomically); return counts for the CLI.

    A folder that is not an output folder (no document and no failure to show) gets no
    page: nothing is written there (``path`` is ``None``), so a later ``clean`` of that
    folder never meets a report it would clean as a document.
    """
    data = collect(out_dir)
    page = render(data).encode("utf-8", "replace")
    empty = not data["docs"] and not data["failures"]
    if not empty:
        atomic_write(dest, page)
    return {
        "documents": len(data["docs"]),
        "edits": data["summary"]["edits"],
        "failures": len(data["failures"]),
        "unreadable": len(data["unreadable"]),
        "bytes": len(page),
        "path": None if empty else os.fspath(dest),
    }
