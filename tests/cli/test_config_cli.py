"""The command line with a config file: config show/check/init, --config everywhere, a user
rule visible in edits, diff, explain, the report and `scrubline rules`, CLI over file."""

from __future__ import annotations

import json
import shutil
import tomllib
from argparse import Namespace
from pathlib import Path

import pytest

from cleaners.cli import main
from cleaners.cli.common import config_from_args
from cleaners.cli.config import STARTER
from cleaners.core.config import DEFAULT_CONFIG
from cleaners.configload import parse_config

from ..conftest import SEEDS

SEED_004 = "004_2588aa231c02aec4.txt"
PR_CONFIG = """\
[site."pressreader.com"]
disable = ["boilerplate.drop_aggregator_stamp"]

[site."pressreader.com".drop]
edition_stamp = { regex = 'Newspapers (?:in|from) \\p{Lu}\\p{L}*(?: \\p{Lu}\\p{L}*)*', description = "PressReader edition stamp" }
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds in a folder of their own, with a scrubline.toml next to them."""
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    (inp / "scrubline.toml").write_text(PR_CONFIG, "utf-8")
    return inp


def test_clean_finds_the_config_in_the_input_folder_and_never_cleans_it(corpus, tmp_path):
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "--out", str(out), "-q"]) == 0
    assert not (out / "scrubline.txt").exists()
    rows = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 5
    sc = json.loads((out / "004_2588aa231c02aec4.json").read_text("utf-8"))
    assert {e["rule"] for e in sc["edits"] if e["action"] == "drop"} == {"user.edition_stamp"}
    assert sc["config"]["section"] == "pressreader.com"
    assert sc["config"]["user_rules"] == {"user.edition_stamp": "PressReader edition stamp"}
    other = json.loads((out / "000_a84aef7cf012a7d2.json").read_text("utf-8"))
    assert "section" not in other.get("config", {})


def test_a_user_rule_shows_in_diff_explain_rules_and_the_report(corpus, tmp_path, capsys, monkeypatch):
    doc = str(corpus / SEED_004)
    assert main(["diff", doc, "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "Newspapers in English  ⟨user.edition_stamp⟩" in out
    assert main(["explain", doc, "--rule", "user.edition_stamp", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["rule"] for e in data["edits"]] == ["user.edition_stamp"] * 2
    # without the folder's config file: the built-in rule
    assert main(["explain", doc, "--config", str(tmp_path / "none.toml"), "--json"]) == 2
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert main(["explain", doc, "--config", str(empty), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "boilerplate.drop_aggregator_stamp" in {e["rule"] for e in data["edits"]}

    out_dir = tmp_path / "out"
    assert main(["clean", str(corpus), "--out", str(out_dir), "-q"]) == 0
    assert main(["rules", "--config", str(corpus / "scrubline.toml"), "--out", str(out_dir), "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["user.edition_stamp"]["hits"] == 2 and rows["user.edition_stamp"]["documents"] == 1
    assert rows["user.edition_stamp"]["description"].startswith("PressReader edition stamp")
    assert rows["boilerplate.drop_aggregator_stamp"]["hits"] == 0
    monkeypatch.chdir(tmp_path)  # no config here: the hits are still named as a user rule
    assert main(["rules", "--out", str(out_dir), "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["user.edition_stamp"]["category"] == "user"
    assert "user rule" in rows["user.edition_stamp"]["description"]
    assert main(["report", str(out_dir), "-q"]) == 0
    html = (out_dir / "report.html").read_text("utf-8")
    assert '"id":"user.edition_stamp","desc":"PressReader edition stamp","cat":"user","n":2' in html


def test_rules_lists_the_config_s_user_rules_only_with_that_config(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "--json"]) == 0
    ids = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert not any(i.startswith("user.") for i in ids)  # no user rule without a config
    (tmp_path / "scrubline.toml").write_text('[keep]\nmine = "x"\n')
    assert main(["rules", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["user.mine"]["category"] == "user keep"


def test_bad_config_stops_clean_before_any_document(corpus, tmp_path, capsys):
    (corpus / "scrubline.toml").write_text('disable = ["boilerplate.drop_nope"]\n')
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "scrubline.toml:1: disable[0]: unknown rule or stage id 'boilerplate.drop_nope'" in err
    assert not out.exists()
    assert main(["diff", str(corpus / SEED_004)]) == 2


def test_command_line_wins_over_the_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('ocr = "off"\nlanguage = "de"\n[site."a.org"]\nenable = ["punctuation"]\n')

    def args(**kw):
        base = {"inputs": [str(tmp_path)], "config": str(cfg), "disable": [], "ocr": None,
                "language": None, "command": "clean"}  # fmt: skip
        return Namespace(**{**base, **kw})

    c = config_from_args(args())
    assert (c.ocr, c.language) == (False, "de")
    c = config_from_args(args(ocr="on", language="fr", disable=["punctuation"]))
    assert (c.ocr, c.language) == (True, "fr")
    assert not c.for_document(site_keys=("a.org",)).enabled("punctuation.collapse_doubled_period")


def test_config_show_for_a_document_a_folder_and_as_json(corpus, capsys):
    assert main(["config", "show", str(corpus / SEED_004)]) == 0
    out = capsys.readouterr().out
    assert f"# config file: {corpus / 'scrubline.toml'}" in out
    assert '# site section: [site."pressreader.com"] (matched by site)' in out
    assert "# hosts the document names: pressreader.com" in out
    assert 'disable = ["boilerplate.drop_aggregator_stamp"]' in out
    assert main(["config", "show", str(corpus / "000_a84aef7cf012a7d2.txt")]) == 0
    out = capsys.readouterr().out
    assert "# site section: none" in out and "# hosts the document names: ecns.cn" in out
    assert main(["config", "show", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert '[site."pressreader.com"]' in out and "[site.\"pressreader.com\".drop]" in out
    assert main(["config", "show", str(corpus / SEED_004), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["site"] == "pressreader.com" and data["matched_by"] == "site"
    assert data["config_hash"] == json.loads(
        json.dumps(data))["config_hash"] and len(data["config_hash"]) == 16  # fmt: skip


def test_config_show_output_parses_back_to_the_same_config(corpus, capsys):
    assert main(["config", "show", str(corpus)]) == 0
    text = capsys.readouterr().out
    assert parse_config(text).digest() == parse_config(PR_CONFIG).digest()


def test_config_check(corpus, tmp_path, capsys, monkeypatch):
    assert main(["config", "check", str(corpus / "scrubline.toml")]) == 0
    assert "ok: 0 disabled, 1 user rules, 1 site sections" in capsys.readouterr().out
    assert main(["config", "check", str(corpus)]) == 0  # a folder: its scrubline.toml
    bad = tmp_path / "bad.toml"
    bad.write_text('[drop]\nx = { regex = "(" }\n[keep]\ny = 3\n')
    assert main(["config", "check", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("scrubline: error: ") and f"{bad}:2: drop.x.regex: bad regex" in err[0]
    assert f"{bad}:4: keep.y: must be a string or a table" in err[1]
    monkeypatch.chdir(tmp_path)
    assert main(["config", "check"]) == 2
    assert "no config file found" in capsys.readouterr().err
    assert main(["config", "check", "missing.toml"]) == 2


def test_config_init_writes_a_starter_that_checks_and_changes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["config", "init"]) == 0
    path = tmp_path / "scrubline.toml"
    assert path.read_text("utf-8") == STARTER
    assert main(["config", "check"]) == 0
    assert parse_config(STARTER).digest() == DEFAULT_CONFIG.digest()
    assert main(["config", "init"]) == 2  # never overwrites by accident
    assert "exists" in capsys.readouterr().err
    assert main(["config", "init", "--force"]) == 0


def test_starter_examples_are_valid_when_uncommented():
    """Every commented-out setting of the starter file is a valid setting."""
    lines = []
    for line in STARTER.splitlines():
        candidate = line[2:] if line.startswith("# ") else line
        try:
            tomllib.loads(candidate if not candidate.startswith("[") else candidate + "\n")
        except tomllib.TOMLDecodeError:
            continue  # prose
        lines.append(candidate)
    cfg = parse_config("\n".join(lines) + "\n")
    assert cfg.disabled == {"punctuation.flag_period_lowercase", "boilerplate.drop_caption_block"}
    assert {r.id for r in cfg.user_rules} == {"user.share_bar", "user.forum_widget", "user.press_note"}
    (site,) = cfg.sites
    assert site.boilerplate_lines == ("Most popular in 24h", "MoreTop news")
    assert [r.id for r in site.user_rules] == ["user.related"]


def test_help_lists_config(capsys):
    with pytest.raises(SystemExit):
        main(["config", "--help"])
    out = capsys.readouterr().out
    for word in ("show", "check", "init"):
        assert word in out
