"""User drop and keep patterns: where they act, keep over drop, ids, safety."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cleaners.stages import user as userrules
from cleaners.core.config import Config, UserRule
from cleaners.configload import parse_config
from cleaners.core.document import replay
from cleaners.core.pipeline import clean
from cleaners.core.registry import RULES

from ..conftest import SEEDS

SEED_000 = (SEEDS / "000_a84aef7cf012a7d2.txt").read_text("utf-8")
BODY = "A paragraph of the article that runs long enough to be read as body text, ending here. " * 2


def doc(*lines: str) -> str:
    return "\n\n".join([BODY.strip(), *lines, BODY.strip()]) + "\n"


def rules_of(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in result.edits:
        if e.action == "drop":
            out.setdefault(e.rule, []).append(e.before.strip())
    return out


def test_literal_whole_line_drop_with_the_users_id():
    cfg = parse_config('[drop]\nseen = "Seen in The Weekly Gazette"\n')
    r = clean(doc("Seen in The Weekly Gazette", "It was seen in The Weekly Gazette first."), config=cfg)
    assert rules_of(r)["user.seen"] == ["Seen in The Weekly Gazette"]
    assert "seen in The Weekly Gazette first" in r.text
    assert replay(r.source_text, r.edits) == r.text


@pytest.mark.parametrize(
    "spec, line, dropped",
    [
        ('{ literal = "Gazette Forum", match = "contains" }', "Gazette Forum >>0 posts", True),
        ('{ literal = "Gazette Forum", match = "contains", max_chars = 10 }', "Gazette Forum >>0 posts", False),
        ('{ literal = "gazette forum", match = "contains" }', "Gazette Forum >>0 posts", False),
        ('{ literal = "gazette forum", match = "contains", ignore_case = true }', "Gazette Forum >>0 posts", True),
        ("{ regex = 'Printed in the \\p{Lu}\\p{L}+ Weekly' }", "Printed in the Gazette Weekly", True),
        ("{ regex = 'Printed in the \\p{Lu}\\p{L}+' }", "Printed in the Gazette Weekly", False),
        ('"Editions of Gazette"', "  Editions of Gazette\u00a0", True),
    ],
)
def test_match_modes(spec, line, dropped):
    cfg = parse_config(f"[drop]\nmine = {spec}\n")
    r = clean(doc(line), config=cfg)
    assert ("user.mine" in rules_of(r)) is dropped
    assert (line.strip() in r.text) is not dropped


def test_span_drops_only_the_match_and_a_whole_line_goes_whole():
    cfg = parse_config("[drop]\napp = { literal = 'Gazette Plus Download', match = 'span' }\n")
    r = clean(doc("Editor: Li Yan Gazette Plus Download", "Gazette Plus Download"), config=cfg)
    assert "Editor: Li Yan\n" in r.text
    assert r.text.count("Gazette Plus Download") == 0
    spans = [e.before for e in r.edits if e.rule == "user.app"]
    assert spans[0] == " Gazette Plus Download" and spans[1].startswith("Gazette Plus Download\n")
    assert replay(r.source_text, r.edits) == r.text
    assert clean(r.text, config=cfg).text == r.text


def test_user_rules_act_after_the_built_in_boilerplate_and_show_in_stats():
    cfg = parse_config('[drop]\nauthor_box = { literal = "China Internet.", match = "contains", max_chars = 400 }\n')
    r = clean(SEED_000, config=cfg)
    assert r.stats["edits_per_rule"]["user.author_box"] == 1
    assert r.stats["edits_per_rule"]["boilerplate.drop_copyright_line"] == 1
    stages = [e.rule.split(".")[0] for e in r.edits]
    assert "user" in stages


def test_keep_wins_over_built_in_drops():
    keep = parse_config('[keep]\nrelated = "Related news"\ncopyright = { literal = "Copyright", match = "contains" }\n')
    r = clean(SEED_000, config=keep)
    assert "Related news\n" in r.text
    assert "Copyright ©1999-2024 All rights reserved.\n" in r.text
    assert "Most popular in 24h" not in r.text  # neighbours still go
    assert "Reproduction in whole" not in r.text
    assert replay(r.source_text, r.edits) == r.text
    assert clean(r.text, config=keep).text == r.text


def test_keep_protects_a_licence_line_from_each_item_drop():
    keep = parse_config("[keep]\nlicence = { regex = '京公网安备', match = 'contains' }\n")
    r = clean(SEED_000, config=keep)
    assert "[京公网安备 11010202009201号] [京ICP备05004340号-1]" in r.text
    assert "京ICP证040655号" not in r.text


def test_keep_wins_over_drop_in_the_same_file_and_over_a_site_drop():
    cfg = parse_config(
        '[drop]\nforum = { literal = "Forum", match = "contains" }\n'
        '[keep]\nreal = { literal = "Forum for Peace", match = "contains" }\n'
        '[site."ecns.cn".drop]\nsite_forum = { literal = "Peace", match = "contains" }\n'
    )
    text = doc("Gazette Forum >>0 posts", "The Forum for Peace opened on Monday", "Peace in our time",
               "ECNS App Download")  # fmt: skip
    r = clean(text, config=cfg)
    assert r.config.site == "ecns.cn"
    assert "Forum for Peace" in r.text
    assert "Gazette Forum" not in r.text and "Peace in our time" not in r.text


def test_disabled_rules_do_nothing():
    cfg = parse_config('[drop]\nseen = "Seen in The Weekly Gazette"\n[keep]\nrel = "Related news"\n')
    text = SEED_000 + "\n\nSeen in The Weekly Gazette"
    assert "Related news" in clean(text, config=cfg).text
    r = clean(text, config=replace(cfg, disabled=frozenset({"user.seen", "user.rel"})))
    # the line may still go as chrome (the line classifier), never under the disabled id
    assert "user.seen" not in {e.rule for e in r.edits} and "Related news" not in r.text
    r = clean(text, config=replace(cfg, disabled=frozenset({"user"})))
    # the line may still go as chrome (the line classifier), never under the disabled id
    assert "user.seen" not in {e.rule for e in r.edits} and "Related news" not in r.text


def test_user_rules_never_enter_the_global_registry_and_configs_do_not_leak():
    a = parse_config('[drop]\nthing = "Alpha line"\n')
    b = parse_config('[drop]\nthing = "Beta line"\n')
    text = doc("Alpha line", "Beta line")
    ra, rb = clean(text, config=a), clean(text, config=b)
    assert "Alpha line" not in ra.text and "Beta line" in ra.text
    assert "Beta line" not in rb.text and "Alpha line" in rb.text
    assert "user.thing" not in RULES
    assert "Alpha line" in clean(text).text


def test_a_pattern_that_times_out_keeps_the_line_and_flags_it(monkeypatch):
    monkeypatch.setattr(userrules, "MATCH_TIMEOUT_SECONDS_DEFAULT", 0.0001)
    slow = UserRule("user.slow", "drop", r"(a|aa)+$", regex=True, match="contains", max_chars=500)
    line = "a" * 60 + "!"
    r = clean(doc(line), config=Config(user_rules=(slow,)))
    assert line in r.text
    assert [x.rule for x in r.review] == ["user.slow"]
    assert "took longer" in r.review[0].reason


def test_user_stage_is_idempotent_on_the_seeds():
    cfg = parse_config(
        "[drop]\nstamp = { regex = 'Newspapers (?:in|from) .+' }\n"
        "tail = { literal = 'Download', match = 'span' }\n"
        "[keep]\nmost = { literal = 'Most popular', match = 'contains' }\n"
    )
    for path in sorted(SEEDS.iterdir()):
        once = clean(path.read_text("utf-8"), config=cfg)
        assert clean(once.text, config=cfg).text == once.text, path.name
        assert replay(once.source_text, once.edits) == once.text


def test_described_rules_for_listings():
    cfg = parse_config('[drop]\na = "x"\n[site."ecns.cn".drop]\na = "y"\n[keep]\nk = "z"\n')
    rows = {r.id: r for r in userrules.described_rules(cfg)}
    assert set(rows) == {"user.a", "user.k"}
    assert '[drop], [site."ecns.cn".drop]' in rows["user.a"].description
    assert rows["user.k"].category == "user keep" and rows["user.a"].stage == "user"
