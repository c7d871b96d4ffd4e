"""Item 6 of issue 17: the words users read match the code.

(a) Every rule id written in README.md, docs/*.md and the docstrings and comments of
cleaners/ exists. An id is ``stage.verb_object`` with a known stage prefix (decode, ocr,
metadata, boilerplate, user, punctuation, normalize, extract) and, but for user ids, at
least one underscore after the dot (``ocr.applies``-like marks and ``metadata.title``-like
fields are not rule ids). Known: the registry, the HTML extractor's class/id cue table
(``extract.cue_*``) and, for ``user.<name>``, a name the same file defines as a drop or
keep pattern (``name =`` or ``[drop.name]`` as in the examples of docs/configuration.md and
the starter config, or ``UserRule("user.name", ...)`` in a doctest); any other ``user.x``
is a typo. Code (string constants outside docstrings) is not
scanned: a wrong id there fails where it is used.

(b) Text users read (rule descriptions listed by ``scrubline rules``, and every edit and
review reason produced on the seeds and on tests/cases inputs) cites no internal file, table
path or seed line number, and carries no reST markup.
"""

from __future__ import annotations

import ast
import io as stdio
import json
import re
import tokenize
import tomllib
from pathlib import Path

import pytest

from cleaners import clean
from cleaners.cli import main
from cleaners.cli.config import STARTER
from cleaners.core.registry import RULES
from cleaners.io import sniff_text
from cleaners.rules.extract import CUE_TABLE

from .conftest import ROOT, SEEDS

PREFIXES = "decode|ocr|metadata|boilerplate|user|punctuation|normalize|extract"
ID_RE = re.compile(
    rf"(?<![\w.\-/<])(?:(?:{PREFIXES})\.[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]|user\.[a-z][a-z0-9_]*)"
    rf"(?![\w(<])"
)
KNOWN = set(RULES) | {e.id for e in CUE_TABLE}


def _user_names(text: str) -> set[str]:
    """Names a file defines as user drop or keep patterns (TOML examples, maybe commented)."""
    names = set(re.findall(r"(?m)^[ \t]*#?[ \t]*([A-Za-z0-9_]+)[ \t]*=", text))
    names |= set(re.findall(r"\[(?:drop|keep)\.([A-Za-z0-9_]+)\]", text))
    names |= set(re.findall(r'UserRule\("user\.([A-Za-z0-9_]+)"', text))  # doctests
    return names


def unknown_ids(text: str) -> list[str]:
    names = _user_names(text)
    bad = []
    for rid in ID_RE.findall(text):
        if rid in KNOWN or (rid.startswith("user.") and rid[5:] in names):
            continue
        bad.append(rid)
    return bad


def docstrings_and_comments(path: Path) -> str:
    source = path.read_text("utf-8")
    parts = [
        tok.string
        for tok in tokenize.generate_tokens(stdio.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                parts.append(doc)
    return "\n".join(parts)


def written_texts() -> list[tuple[str, str]]:
    texts = [("README.md", (ROOT / "README.md").read_text("utf-8"))]
    texts += [(f"docs/{p.name}", p.read_text("utf-8")) for p in sorted((ROOT / "docs").glob("*.md"))]
    texts += [
        (p.relative_to(ROOT).as_posix(), docstrings_and_comments(p))
        for p in sorted((ROOT / "cleaners").rglob("*.py"))
    ]
    texts.append(("cleaners/cli/config.py STARTER", STARTER))
    return texts


def test_the_id_finder_finds_wrong_ids():
    assert unknown_ids("use `punctuation.collapse_double_period` here") == [
        "punctuation.collapse_double_period"
    ]
    assert unknown_ids("# punctuation.collapse_doubled_period, stages.decode.fix_x") == []
    assert unknown_ids('disable = ["user.footer"]') == ["user.footer"]
    assert unknown_ids('footer = "x"\n`user.footer` drops it') == []


def test_every_rule_id_written_in_docs_and_docstrings_exists():
    wrong = {name: bad for name, text in written_texts() if (bad := unknown_ids(text))}
    assert not wrong, f"unknown rule ids (see `scrubline rules`): {wrong}"


def test_the_starter_config_checks_with_its_examples_uncommented(tmp_path, capsys):
    lines = []
    for line in STARTER.splitlines():
        candidate = line[2:] if line.startswith("# ") else line
        try:
            tomllib.loads(candidate if not candidate.startswith("[") else candidate + "\n")
        except tomllib.TOMLDecodeError:
            continue  # prose
        lines.append(candidate)
    path = tmp_path / "scrubline.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert 'disable = ["punctuation.' in path.read_text("utf-8")
    assert main(["config", "check", str(path)]) == 0, capsys.readouterr().err


# -- (b) reasons --------------------------------------------------------------------------

INTERNAL_RE = re.compile(
    r"[A-Z]+\.md\b"  # PATTERNS.md, SEEDS.md, STYLE.md
    r"|\bseeds? \d{3}\b|\b\d{3}:\d+"  # seed line numbers
    r"|\b(?:cleaners|rules|stages|core)\.[a-z_.]*[A-Za-z_]"  # module and table paths
    r"|``[^`\s][^`]*``|:(?:func|data|mod|class|meth|attr|obj):`"  # reST
)


@pytest.mark.parametrize(
    "text",
    ["(PATTERNS.md B1, A8; seed 000:88)", "rules.metadata.SITE_SIGNATURES", "``. .``",
     ":func:`clean`"],
)
def test_the_internal_reference_finder_finds_them(text):
    assert INTERNAL_RE.search(text)


def test_rule_descriptions_are_plain_text_for_users():
    bad = {rid: r.description for rid, r in RULES.items() if INTERNAL_RE.search(r.description)}
    assert not bad


def _inputs():
    for p in sorted(SEEDS.iterdir()):
        if p.is_file():
            fmt = "html" if p.suffix == ".html" else "text"
            yield p.name, sniff_text(p.read_bytes(), is_html=fmt == "html").text, fmt
    for p in sorted((ROOT / "tests" / "cases").rglob("*.json")):
        cases = json.loads(p.read_text("utf-8"))
        for case in cases if isinstance(cases, list) else [cases]:
            if isinstance(case, dict) and isinstance(case.get("original"), str):
                fmt = "html" if p.parent.name == "html" else "text"
                yield f"{p.name}:{case.get('label')}", case["original"], fmt


def test_reasons_produced_on_seeds_and_cases_cite_nothing_internal():
    bad: dict[str, str] = {}
    n = 0
    for name, text, fmt in _inputs():
        result = clean(text, fmt=fmt)
        for item in [*result.edits, *result.review]:
            n += 1
            if item.reason and INTERNAL_RE.search(item.reason):
                bad.setdefault(item.reason, name)
    assert n > 200
    assert not bad, bad
