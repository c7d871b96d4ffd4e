"""docs/configuration.md: its examples run, and the seed example gives the same output."""

from __future__ import annotations

import json
import re

from cleaners.cli import main
from cleaners.configload import parse_config

from ..conftest import ROOT, read_tree

DOC = (ROOT / "docs" / "configuration.md").read_text("utf-8")
TOML_BLOCKS = re.findall(r"```toml\n(.*?)```", DOC, flags=re.DOTALL)
SEED_004 = "004_2588aa231c02aec4"


def test_the_docs_have_the_example_and_the_reference_file():
    assert len(TOML_BLOCKS) == 2
    assert DOC.startswith("## Configuration\n")


def test_every_toml_example_is_valid():
    for block in TOML_BLOCKS:
        parse_config(block, file="docs/configuration.md")


def test_footer_by_a_user_rule_with_the_built_in_off_gives_the_same_output(tmp_path, capsys):
    example = tmp_path / "pressreader.toml"
    example.write_text(TOML_BLOCKS[0], "utf-8")
    out = tmp_path / "cleaned-pr"
    assert main(["clean", str(ROOT / "seeds"), "--out", str(out), "--config", str(example), "-q"]) == 0

    fresh, committed = read_tree(out), read_tree(ROOT / "cleaned")
    bodies = sorted(k for k in committed if k.endswith(".txt"))
    assert len(bodies) == 5
    for name in bodies:  # same text for every seed
        assert fresh[name] == committed[name], name

    new = json.loads(fresh[f"{SEED_004}.json"])
    old = json.loads(committed[f"{SEED_004}.json"])
    assert new["metadata"] == old["metadata"]  # site is still pressreader.com
    assert new["config"]["section"] == "pressreader.com"

    def drops(sc):
        return [(e["rule"], e["before"]) for e in sc["edits"] if e["action"] == "drop"]

    assert [r for r, _ in drops(old)] == ["boilerplate.drop_aggregator_stamp"] * 2
    assert [r for r, _ in drops(new)] == ["user.edition_stamp"] * 2
    assert [b for _, b in drops(new)] == [b for _, b in drops(old)]
    for name in ("000_a84aef7cf012a7d2", "001_70bdca7a8d704a85"):  # other sites untouched
        a, b = json.loads(fresh[f"{name}.json"]), json.loads(committed[f"{name}.json"])
        assert a["edits"] == b["edits"] and a["config_hash"] == b["config_hash"]


def test_the_shown_commands_print_what_the_docs_say(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    example = tmp_path / "pressreader.toml"
    example.write_text(TOML_BLOCKS[0], "utf-8")
    assert main(["config", "show", f"seeds/{SEED_004}.txt", "--config", str(example)]) == 0
    shown = capsys.readouterr().out.splitlines()[1:4]
    for line in shown:
        assert line in DOC
    assert main(["explain", f"seeds/{SEED_004}.txt", "--config", str(example), "--rule", "user",
                 "--color", "never"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("explain 004_2588aa231c02aec4 (text): 2 edits, 0 review entries")
    assert out.count("user.edition_stamp  drop") == 2
    assert "whole line matches user regex" in out


def test_the_error_example_is_real(tmp_path, capsys, monkeypatch):
    block = re.search(r"```text\n\$ scrubline config check scrubline.toml\n(.*?)```", DOC, re.DOTALL)
    assert block
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scrubline.toml").write_text(
        'disable = ["normalize", "punctuaton"]\nocr = true\n\n[drop]\n'
        'share_row = "Share this article"\nforum = { literal = "Go to Forum", match = "contains" }\n'
        "stamp = { regex = '(unclosed' }\nslow = { regex = '(a|aa)+$' }\n"
    )
    assert main(["config", "check", "scrubline.toml"]) == 1
    assert capsys.readouterr().err == block.group(1)
