"""Incremental runs re-clean exactly the documents whose effective config changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cleaners import io
from cleaners.configload import run_config
from cleaners.core.pipeline import clean

from ..conftest import SEEDS

BASE = """\
disable = ["punctuation.flag_period_lowercase"]

[site."pressreader.com"]
disable = ["boilerplate.drop_aggregator_stamp"]

[site."pressreader.com".drop]
stamp = { regex = 'Newspapers (?:in|from) .+' }

[site."ecns.cn"]
boilerplate_lines = ["Most popular in 24h"]

[site."gazette"]
paths = ["gazette/**"]
"""
ECNS, CHINA_ORG, PRESSREADER = (
    "000_a84aef7cf012a7d2.txt", "001_70bdca7a8d704a85.txt", "004_2588aa231c02aec4.txt",
)  # fmt: skip
GAZETTE = "gazette/003_copy.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    (inp / "gazette").mkdir()
    shutil.copy(SEEDS / "003_7f106514c5169790.txt", inp / GAZETTE)
    (inp / "scrubline.toml").write_text(BASE, "utf-8")
    return inp


def run(inp: Path, out: Path) -> dict[str, str]:
    """One `scrubline clean`-equivalent run; the status of each document (``reused`` when
    its outputs were up to date)."""
    config = run_config([inp])
    rows = io.clean_files(io.discover([inp], exclude=out), out, config=config)
    return {r.path: "reused" if r.reused else r.status for r in rows}


def edit(inp: Path, old: str, new: str) -> None:
    path = inp / "scrubline.toml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def cleaned(statuses: dict[str, str]) -> set[str]:
    return {p for p, s in statuses.items() if s == "cleaned"}


def test_changing_one_site_section_recleans_only_that_sites_documents(corpus, tmp_path):
    out = tmp_path / "out"
    first = run(corpus, out)
    assert len(first) == 6 and cleaned(first) == set(first)
    assert cleaned(run(corpus, out)) == set()  # nothing changed: all reused

    edit(corpus, "regex = 'Newspapers (?:in|from) .+'", "regex = 'Newspapers (?:in|from) .+', ignore_case = true")
    assert cleaned(run(corpus, out)) == {PRESSREADER}

    edit(corpus, '["Most popular in 24h"]', '["Most popular in 24h", "MoreTop news"]')
    assert cleaned(run(corpus, out)) == {ECNS}

    # a new section for a site no section matched before
    (corpus / "scrubline.toml").write_text(
        (corpus / "scrubline.toml").read_text() + '\n[site."china.org.cn"]\nocr = "off"\n'
    )
    assert cleaned(run(corpus, out)) == {CHINA_ORG}

    # a section matched by a path glob
    edit(corpus, 'paths = ["gazette/**"]', 'paths = ["gazette/**"]\nlanguage = "de"')
    assert cleaned(run(corpus, out)) == {GAZETTE}

    # comments, order and formatting do not matter
    text = (corpus / "scrubline.toml").read_text()
    (corpus / "scrubline.toml").write_text("# reformatted\n\n" + text.replace(" = ", "="))
    assert cleaned(run(corpus, out)) == set()

    # the global settings reach every document
    edit(corpus, 'disable=["punctuation.flag_period_lowercase"]', "disable=[]")
    assert cleaned(run(corpus, out)) == set(first)


def test_sidecar_hash_is_the_documents_effective_config(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    root = run_config([corpus])
    hashes = {}
    for name in (ECNS, CHINA_ORG, PRESSREADER, GAZETTE):
        sc = json.loads((out / name).with_suffix(".json").read_text("utf-8"))
        text = (corpus / name).read_text("utf-8")
        assert sc["config_hash"] == clean(text, config=root, path=name).config.digest()
        hashes[name] = sc["config_hash"]
    assert len(set(hashes.values())) == 4  # ecns, pressreader, gazette differ; 001 is global
    sc = json.loads((out / PRESSREADER).with_suffix(".json").read_text("utf-8"))
    assert sc["config"]["section"] == "pressreader.com" and sc["config"]["matched_by"] == "site"
    sc = json.loads((out / GAZETTE).with_suffix(".json").read_text("utf-8"))
    assert sc["config"]["section"] == "gazette" and sc["config"]["matched_by"] == "path"


def test_a_corrupt_config_block_in_a_sidecar_only_forces_a_reclean(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    path = (out / PRESSREADER).with_suffix(".json")
    sc = json.loads(path.read_text("utf-8"))
    sc["config"] = ["not", "a", "dict"]
    path.write_text(json.dumps(sc), "utf-8")
    assert cleaned(run(corpus, out)) == {PRESSREADER}


def test_command_line_switches_are_part_of_every_documents_hash(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    config = run_config([corpus], disable=["user"])
    rows = io.clean_files(io.discover([corpus], exclude=out), out, config=config)
    assert {r.status for r in rows} == {"cleaned"}
