"""The static parts of the HTML report: its style sheet and its script (inlined, no network).

The script reads the report's data from a ``<script type="application/json">`` element and
builds every piece of document text with ``textContent`` (never ``innerHTML``), so text from
a page is always shown as text. Its row builder mirrors :func:`cleaners.inspect.rows.build_rows`
(a browser test compares the two on the seeds).
"""

from __future__ import annotations

CSS = r"""
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1d2430; --muted: #66707f; --line: #e2e5ea;
  --accent: #2f5bd3; --drop: #fde2e1; --lift: #dcecff; --ins: #dff5e3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
    sans-serif;
  color: var(--ink); background: var(--bg); font-size: 14px; line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
header.top { background: #1d2430; color: #fff; padding: 10px 24px; display: flex;
  align-items: baseline; gap: 16px; flex-wrap: wrap; }
header.top h1 { font-size: 18px; margin: 0; font-weight: 600; }
header.top .where { color: #c9d1de; font-family: ui-monospace, monospace; font-size: 13px; }
main { padding: 16px 24px 48px; max-width: 1800px; margin: 0 auto; }
h2 { font-size: 16px; margin: 0 0 8px; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 16px; margin-bottom: 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px;
  margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 14px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 22px; font-weight: 600; }
.card .s { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; background: var(--panel);
  position: sticky; top: 0; z-index: 1; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { max-height: 42vh; overflow: auto; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC",
  monospace; font-size: 12.5px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px;
  border: 1px solid var(--ink-c, #888); vertical-align: -1px; margin-right: 6px; }
#rules tbody tr { cursor: pointer; }
#rules tbody tr:hover, #docs tbody tr:hover { background: #eef2fb; }
#rules tbody tr.active, #docs tbody tr.open { background: #e3eafc; }
#rules tbody tr.idle { color: var(--muted); }
.toolbar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
.toolbar select, .toolbar input, button { font: inherit; }
.toolbar input[type=search] { padding: 3px 8px; min-width: 220px; }
button { cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 6px;
  padding: 2px 10px; }
button:hover { border-color: var(--accent); }
.banner { background: #fff7d6; border: 1px solid #f0dc8a; border-radius: 6px; padding: 4px 10px; }
.banner[hidden] { display: none; }
#docs tbody tr { cursor: pointer; }
.bar { display: inline-block; height: 8px; background: #e0645c; border-radius: 2px;
  vertical-align: 0; margin-right: 6px; }
.muted { color: var(--muted); }
#doc-view header { position: sticky; top: 0; background: var(--panel); z-index: 2;
  padding: 6px 0 8px; border-bottom: 1px solid var(--line); margin-bottom: 8px;
  display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
#doc-view header h2 { margin: 0; font-family: ui-monospace, monospace; }
.doc-grid { display: grid; grid-template-columns: minmax(0, 1fr) 270px; gap: 16px; }
.doc-grid > div { min-width: 0; }
@media (max-width: 1000px) { .doc-grid { grid-template-columns: 1fr; } }
table.diff { table-layout: fixed; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
  "Noto Sans Mono CJK SC", monospace; font-size: 12.5px; }
table.diff col.ln { width: 3.6em; }
table.diff col.lab { width: 20em; }
table.diff td { border-bottom: 1px solid #f0f1f4; padding: 2px 6px; }
table.diff td.txt { white-space: pre-wrap; overflow-wrap: anywhere; }
table.diff td.ln { color: #9aa3b1; text-align: right; user-select: none; }
table.diff tr.drop td.left { background: var(--drop); }
table.diff tr.lift td.left { background: var(--lift); }
table.diff tr.change td.left { background: #fff6f5; }
table.diff tr.change td.right { background: #f5fcf6; }
table.diff tr.gap td { background: #f3f5f8; color: var(--muted); text-align: center; }
table.diff tr.gap button { border: none; background: none; color: var(--accent); }
.gone { border-left: 4px solid var(--ink-c); padding-left: 4px; display: inline-block; }
.gone.drop { text-decoration: line-through; text-decoration-color: #c0392b; }
.gone.blank { font-style: italic; color: var(--muted); text-decoration: none; }
.chg { background: var(--c); box-shadow: inset 0 -2px 0 var(--ink-c); border-radius: 2px; }
.chg.del, .chg.lift { text-decoration: line-through; text-decoration-color: #c0392b; }
.chg.ins { text-decoration: underline; text-decoration-color: #1e8449; }
.where-to { color: var(--muted); font-style: italic; }
.chip { display: inline-block; background: var(--c); border: 1px solid var(--ink-c);
  border-radius: 10px; padding: 0 7px; font-size: 11.5px; margin: 1px 2px 1px 0;
  font-family: ui-monospace, monospace; color: #1d2430; max-width: 100%;
  overflow-wrap: anywhere; text-align: left; }
.reason { display: block; color: var(--muted); font-size: 11.5px; font-family: system-ui,
  sans-serif; margin-bottom: 3px; white-space: normal; }
aside.meta { font-size: 13px; }
aside.meta h3 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
aside.meta h3:first-child { margin-top: 0; }
aside.meta dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
aside.meta dt { color: var(--muted); }
aside.meta dd { margin: 0; overflow-wrap: anywhere; }
aside.meta ol { padding-left: 18px; margin: 0; }
aside.meta li { margin-bottom: 6px; overflow-wrap: anywhere; }
.empty { color: var(--muted); padding: 12px; }
"""

JS = r"""
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const RULES = DATA.rules;
  const DOCS = DATA.docs;
  const ACTIONS = DATA.actions;
  const CONTEXT = 2;
  const state = { rule: -1, sort: "rm", dir: -1, open: -1, query: "", all: false, list: [] };
  const $ = (sel) => document.querySelector(sel);

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function colour(node, rule) {
    node.style.setProperty("--c", rule.color);
    node.style.setProperty("--ink-c", rule.ink);
    return node;
  }

  DOCS.forEach((d, k) => { d.k = k; });
  for (const d of DOCS) {
    d.pr = new Map();
    for (const e of d.e) d.pr.set(e[2], (d.pr.get(e[2]) || 0) + 1);
    d.prv = new Map();
    for (const r of d.rv) d.prv.set(r[0], (d.prv.get(r[0]) || 0) + 1);
  }

  // ---- rows: a mirror of cleaners/diff.py build_rows ---------------------------------
  function editsOf(d, rule) {
    const out = [];
    for (const e of d.e) {
      if (rule >= 0 && e[2] !== rule) continue;
      out.push({ s: e[0], e: e[1], rule: e[2], action: ACTIONS[e[3]], after: e[4],
                 reason: e[5] || "", before: d.src.slice(e[0], e[1]) });
    }
    return out;
  }
  function wholeLines(ed, src) {
    if (ed.after || !ed.before) return null;
    const atStart = ed.s === 0 || src[ed.s - 1] === "\n";
    if (atStart && ed.before.endsWith("\n")) return ed.before.slice(0, -1).split("\n");
    if (atStart && ed.e === src.length) return ed.before.split("\n");
    if (ed.before.startsWith("\n") && ed.e === src.length && ed.before.length > 1)
      return ed.before.slice(1).split("\n");
    return null;
  }
  function wholeFromStart(ed, src) {
    const atStart = ed.s === 0 || src[ed.s - 1] === "\n";
    return atStart && (ed.before.endsWith("\n") || ed.e === src.length);
  }
  function countNl(s) {
    let n = 0;
    for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
    return n;
  }
  function buildRows(src, eds) {
    const rows = [];
    let srcNl = 0, outNl = 0, cur = null;
    const start = () => {
      cur = { src: srcNl + 1, out: outNl + 1, left: [], right: [], eds: [], hasOut: false };
    };
    const flush = (force) => {
      if (force || cur.left.length || cur.right.length || cur.eds.length) {
        rows.push({ kind: cur.eds.length ? "change" : "same", src: cur.src,
                    out: cur.hasOut ? cur.out : null, left: cur.left, right: cur.right,
                    eds: cur.eds });
      }
      start();
    };
    const same = (text) => {
      const parts = text.split("\n");
      for (let k = 0; k < parts.length; k++) {
        if (parts[k]) {
          cur.left.push([parts[k], "same", -1]);
          cur.right.push([parts[k], "same", -1]);
          cur.hasOut = true;
        }
        if (k < parts.length - 1) { cur.hasOut = true; srcNl++; outNl++; flush(true); }
      }
    };
    start();
    let pos = 0;
    eds.forEach((ed, i) => {
      same(src.slice(pos, ed.s));
      const lines = wholeLines(ed, src);
      if (lines === null) {
        if (ed.before) cur.left.push([ed.before, ed.action === "lift" ? "lift" : "del", i]);
        if (ed.after) { cur.right.push([ed.after, "ins", i]); cur.hasOut = true; }
        cur.eds.push(i);
        srcNl += countNl(ed.before);
        outNl += countNl(ed.after);
        if (ed.before.endsWith("\n")) flush(true);
      } else {
        if (!wholeFromStart(ed, src)) { srcNl++; flush(true); } else { flush(false); }
        const kind = ed.action === "lift" ? "lift" : "drop";
        for (const t of lines) {
          rows.push({ kind: kind, src: srcNl + 1, out: null, left: [[t, kind, i]], right: [],
                      eds: [i] });
          srcNl++;
        }
        if (!ed.before.endsWith("\n")) srcNl--;
        start();
      }
      pos = ed.e;
    });
    same(src.slice(pos));
    flush(false);
    return rows;
  }
  function withContext(rows, ctx) {
    if (ctx < 0) return rows;
    const keep = new Uint8Array(rows.length);
    rows.forEach((r, k) => {
      if (r.kind === "same") return;
      for (let j = Math.max(0, k - ctx); j < Math.min(rows.length, k + ctx + 1); j++) keep[j] = 1;
    });
    const out = [];
    let k = 0;
    while (k < rows.length) {
      if (keep[k]) { out.push(rows[k]); k++; continue; }
      let j = k;
      while (j < rows.length && !keep[j]) j++;
      out.push({ gap: rows.slice(k, j) });
      k = j;
    }
    return out;
  }

  // ---- text shown in changed spans ----------------------------------------------------
  const SYMBOLS = { "\n": "\u23ce", "\t": "\u21e5", "\r": "\u240d", "\u00a0": "\u237d" };
  const INVISIBLE = new RegExp("[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad" +
                               "\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\ufeff]");
  function visibleSpan(text) {
    const blank = text.trim() === "" && text !== "";
    let out = "";
    for (const ch of text) {
      if (SYMBOLS[ch]) out += SYMBOLS[ch];
      else if (ch === " ") out += blank ? "\u00b7" : " ";
      else if (INVISIBLE.test(ch) || (blank && /\s/.test(ch)))
        out += "<U+" + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + ">";
      else out += ch;
    }
    return out;
  }
  function ruleTitle(rule, ed) {
    const why = ed.reason || rule.desc;
    return rule.id + " (" + ed.action + ")" + (why ? ": " + why : "");
  }
  function pieceNode(piece, eds) {
    const [text, kind, i] = piece;
    if (kind === "same") return document.createTextNode(text);
    const ed = eds[i];
    const rule = RULES[ed.rule];
    const span = colour(el("span", "chg " + kind, visibleSpan(text)), rule);
    span.title = ruleTitle(rule, ed);
    span.dataset.rule = rule.id;
    return span;
  }

  // ---- one document ------------------------------------------------------------------
  function diffRow(row, eds) {
    const tr = el("tr", row.kind);
    const left = el("td", "txt left");
    const right = el("td", "txt right");
    if (row.kind === "drop" || row.kind === "lift") {
      const ed = eds[row.eds[0]];
      const rule = RULES[ed.rule];
      const text = row.left[0][0];
      const span = colour(el("span", "gone " + row.kind + (text ? "" : " blank"),
                             text || "(blank line)"), rule);
      span.title = ruleTitle(rule, ed);
      span.dataset.rule = rule.id;
      left.append(span);
      right.append(el("span", "where-to",
                      row.kind === "lift" ? "\u2191 lifted into metadata" : "dropped"));
    } else {
      for (const p of row.left) left.append(pieceNode(p, eds));
      for (const p of row.right) right.append(pieceNode(p, eds));
    }
    const lab = el("td", "lab");
    const seen = new Map();
    for (const i of row.eds) {
      const ed = eds[i];
      if (!seen.has(ed.rule)) seen.set(ed.rule, new Set());
      seen.get(ed.rule).add(ed.reason || RULES[ed.rule].desc || "");
    }
    for (const [r, reasons] of seen) {
      const chip = colour(el("button", "chip", RULES[r].id), RULES[r]);
      chip.type = "button";
      chip.dataset.rule = String(r);
      chip.title = "show only " + RULES[r].id;
      lab.append(chip);
      for (const why of reasons) if (why) lab.append(el("span", "reason", why));
    }
    tr.append(el("td", "ln", row.src === null ? "" : row.src), left,
              el("td", "ln", row.out === null ? "" : row.out), right, lab);
    return tr;
  }
  function gapRow(gap, eds) {
    const tr = el("tr", "gap");
    const td = el("td");
    td.colSpan = 5;
    const n = gap.length;
    const btn = el("button", "", "\u22ef " + n + " unchanged line" + (n === 1 ? "" : "s") +
                   (gap[0].src ? " from line " + gap[0].src : "") + " (show)");
    btn.type = "button";
    btn.addEventListener("click", () => {
      const frag = document.createDocumentFragment();
      for (const r of gap) frag.append(diffRow(r, eds));
      tr.replaceWith(frag);
    });
    td.append(btn);
    tr.append(td);
    return tr;
  }
  function dl(pairs) {
    const list = el("dl");
    for (const [k, v] of pairs) {
      list.append(el("dt", "", k));
      list.append(el("dd", v === null || v === undefined || v === "" ? "muted" : "",
                     v === null || v === undefined || v === "" ? "\u2014" : v));
    }
    return list;
  }
  function metaValue(v) {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.length ? v.join("; ") : null;
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }
  function openDoc(k, scroll) {
    const d = DOCS[k];
    if (!d) return;
    state.open = k;
    const view = $("#doc-view");
    view.hidden = false;
    $("#doc-title").textContent = d.id;
    const eds = editsOf(d, state.rule);
    const rvs = d.rv.filter((r) => state.rule < 0 || r[0] === state.rule);
    $("#doc-stats").textContent = d.path + " \u00b7 " + d.fmt + " \u00b7 " + d.e.length +
      " edits \u00b7 " + d.rv.length + " review \u00b7 removed " + d.rm.toLocaleString("en") +
      " of " + d.ci.toLocaleString("en") + " characters (" + pct(d) + ")";
    const tbody = $("#diff tbody");
    tbody.textContent = "";
    const frag = document.createDocumentFragment();
    if (!eds.length) {
      const tr = el("tr");
      const td = el("td", "empty", state.rule >= 0 ? "No edits by " + RULES[state.rule].id +
                   " in this document." : "No edits: the output is the input.");
      td.colSpan = 5;
      tr.append(td);
      frag.append(tr);
    }
    const rows = buildRows(d.src, eds);
    for (const item of withContext(rows, state.all || !eds.length ? -1 : CONTEXT)) {
      frag.append(item.gap ? gapRow(item.gap, eds) : diffRow(item, eds));
    }
    tbody.append(frag);
    const aside = $("#doc-meta");
    aside.textContent = "";
    aside.append(el("h3", "", "Metadata"));
    aside.append(dl(Object.keys(d.meta).map((key) => [key, metaValue(d.meta[key])])));
    aside.append(el("h3", "", "Document"));
    aside.append(dl([["source", d.path], ["format", d.fmt], ["encoding", d.enc],
                     ["characters", num(d.ci) + " \u2192 " + num(d.co)],
                     ["lines", d.li + " \u2192 " + d.lo],
                     ["bytes", num(d.bi) + " \u2192 " + num(d.bo)]]));
    aside.append(el("h3", "", "Review entries (" + rvs.length + ")"));
    if (!rvs.length) aside.append(el("div", "muted", "none"));
    else {
      const ol = el("ol");
      for (const r of rvs) {
        const li = el("li");
        li.append(colour(el("span", "chip", RULES[r[0]].id), RULES[r[0]]));
        li.append(el("span", "", " line " + r[6] + ": "));
        li.append(el("code", "", r[3]));
        if (r[5] !== null && r[5] !== undefined) {
          li.append(el("span", "", " \u2192 "), el("code", "", r[5]));
        }
        li.append(el("span", "reason", r[4]));
        ol.append(li);
      }
      aside.append(ol);
    }
    for (const tr of document.querySelectorAll("#docs tbody tr")) {
      tr.classList.toggle("open", Number(tr.dataset.k) === k);
    }
    history.replaceState(null, "", "#doc=" + encodeURIComponent(d.id));
    if (scroll) view.scrollIntoView({ block: "start" });
  }
  function step(delta) {
    const list = state.list;
    if (!list.length) return;
    let at = list.findIndex((d) => d.k === state.open);
    at = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + delta));
    openDoc(list[at].k, false);
  }

  // ---- the list of documents ---------------------------------------------------------
  function num(n) { return n.toLocaleString("en"); }
  function pct(d) { return d.ci ? (100 * d.rm / d.ci).toFixed(1) + "%" : "0%"; }
  function count(d) { return state.rule < 0 ? d.e.length : (d.pr.get(state.rule) || 0); }
  const KEYS = {
    id: (d) => d.id, fmt: (d) => d.fmt, title: (d) => String(d.meta.title || ""),
    n: count, rm: (d) => d.rm, pct: (d) => (d.ci ? d.rm / d.ci : 0), rv: (d) => d.rv.length,
  };
  function renderList() {
    const q = state.query.toLowerCase();
    const list = DOCS.filter((d) =>
      (state.rule < 0 || d.pr.has(state.rule) || d.prv.has(state.rule)) &&
      (!q || d.id.toLowerCase().includes(q) ||
       String(d.meta.title || "").toLowerCase().includes(q)));
    const key = KEYS[state.sort];
    list.sort((a, b) => {
      const x = key(a), y = key(b);
      const c = typeof x === "string" ? x.localeCompare(y) : x - y;
      return c * state.dir || a.id.localeCompare(b.id);
    });
    state.list = list;
    const maxRm = list.reduce((m, d) => Math.max(m, d.rm), 1);
    const tbody = $("#docs tbody");
    tbody.textContent = "";
    const frag = document.createDocumentFragment();
    for (const d of list) {
      const tr = el("tr");
      tr.dataset.k = String(d.k);
      tr.dataset.id = d.id;
      if (d.k === state.open) tr.className = "open";
      const rm = el("td", "num");
      const bar = el("span", "bar");
      bar.style.width = Math.round(60 * d.rm / maxRm) + "px";
      rm.append(bar, document.createTextNode(d.rm.toLocaleString("en")));
      tr.append(el("td", "mono", d.id), el("td", "", d.fmt), el("td", "", d.meta.title || ""),
                el("td", "num", count(d)), rm, el("td", "num", pct(d)),
                el("td", "num", d.rv.length));
      frag.append(tr);
    }
    tbody.append(frag);
    $("#doc-count").textContent = list.length + " of " + DOCS.length + " documents";
    for (const th of document.querySelectorAll("#docs th[data-key]")) {
      th.dataset.dir = th.dataset.key === state.sort ? (state.dir > 0 ? "asc" : "desc") : "";
      const arrow = state.dir > 0 ? " \u25b2" : " \u25bc";
      th.textContent = th.dataset.label + (th.dataset.key === state.sort ? arrow : "");
    }
  }

  // ---- filter by rule ----------------------------------------------------------------
  function setRule(r) {
    state.rule = r;
    $("#rule-filter").value = String(r);
    for (const tr of document.querySelectorAll("#rules tbody tr")) {
      tr.classList.toggle("active", Number(tr.dataset.rule) === r);
    }
    const banner = $("#filter-banner");
    banner.hidden = r < 0;
    $("#filter-name").textContent = r < 0 ? "" : RULES[r].id;
    renderList();
    if (state.open >= 0) openDoc(state.open, false);
  }

  function init() {
    const select = $("#rule-filter");
    select.append(new Option("all rules", "-1"));
    RULES.forEach((r, k) => {
      if (r.n || r.rv) select.append(new Option(r.id + " (" + r.n + ")", String(k)));
    });
    select.addEventListener("change", () => setRule(Number(select.value)));
    $("#rules tbody").addEventListener("click", (ev) => {
      const tr = ev.target.closest("tr[data-rule]");
      if (tr) setRule(Number(tr.dataset.rule) === state.rule ? -1 : Number(tr.dataset.rule));
    });
    $("#clear-filter").addEventListener("click", () => setRule(-1));
    $("#docs thead").addEventListener("click", (ev) => {
      const th = ev.target.closest("th[data-key]");
      if (!th) return;
      if (state.sort === th.dataset.key) state.dir = -state.dir;
      else {
        state.sort = th.dataset.key;
        state.dir = ["id", "fmt", "title"].includes(th.dataset.key) ? 1 : -1;
      }
      renderList();
    });
    $("#docs tbody").addEventListener("click", (ev) => {
      const tr = ev.target.closest("tr[data-k]");
      if (tr) openDoc(Number(tr.dataset.k), true);
    });
    $("#doc-search").addEventListener("input", (ev) => {
      state.query = ev.target.value;
      renderList();
    });
    $("#diff").addEventListener("click", (ev) => {
      const chip = ev.target.closest("button.chip");
      if (chip) setRule(Number(chip.dataset.rule));
    });
    $("#all-lines").addEventListener("change", (ev) => {
      state.all = ev.target.checked;
      if (state.open >= 0) openDoc(state.open, false);
    });
    $("#prev-doc").addEventListener("click", () => step(-1));
    $("#next-doc").addEventListener("click", () => step(1));
    document.addEventListener("keydown", (ev) => {
      if (ev.target.matches("input, select, textarea")) return;
      if (ev.key === "j") step(1);
      else if (ev.key === "k") step(-1);
    });
    renderList();
    const m = /^#doc=(.+)$/.exec(location.hash);
    const wanted = m ? DOCS.find((d) => d.id === decodeURIComponent(m[1])) : null;
    if (wanted) openDoc(wanted.k, false);
    else if (state.list.length) openDoc(state.list[0].k, false);
    document.body.dataset.ready = "1";
  }

  // For tests and the curious: the rows of a document, as [kind, input line, output line].
  window.scrublineReport = Object.freeze({
    rows: (id, rule) => {
      const d = DOCS.find((x) => x.id === id);
      if (!d) return null;
      const r = rule === undefined ? -1 : RULES.findIndex((x) => x.id === rule);
      return buildRows(d.src, editsOf(d, r)).map((row) => [row.kind, row.src, row.out]);
    },
  });
  init();
})();
"""
