"""Site profiles (cleaners/profiles.py): learning, storing, matching, and the rule
``boilerplate.drop_site_profile_line`` in the pipeline and the CLI. Pages are constructed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cleaners import Config, clean, replay
from cleaners.stages.boilerplate import profiles as P
from cleaners.io import profiles as profile_files
from cleaners.cli import main
from cleaners.core.config import DEFAULT_CONFIG

RULE = "boilerplate.drop_site_profile_line"

HEADER = ["Example Gazette", "Local news you can trust since 1921", "Print edition | Archive | Shop"]
FOOTER = ["Example Gazette is published by Example Media Ltd, 1 High Street, Exampletown.",
          "Letters to the editor: letters@example-gazette.test"]  # fmt: skip
STORIES = [
    [
        "The city council voted on Tuesday to replace the old river bridge, which engineers have "
        "described as unsafe for heavy traffic since a survey last spring found cracks in two of its supports.",
        "Ingredients",
        "Work is expected to begin in the autumn and to last about two years, the mayor said, adding "
        "that a ferry service would run between the two banks while the bridge is closed to cars.",
    ],
    [
        "The library will open on Sundays from next month, after the council found the money for two "
        "more librarians in a budget that was agreed at the last meeting before the summer break.",
        "Ingredients",
        "Readers had asked for longer hours in a survey last year, and more than half of those who "
        "answered said that they could only visit the library at the weekend because of their work.",
    ],
    [
        "A new bus line will link the station with the hospital from March, the transport company said "
        "on Monday, ending years of complaints from patients and staff about the long walk up the hill.",
        "Ingredients",
        "Buses will run every ten minutes in the morning and every twenty minutes in the evening, and the "
        "fare will be the same as on every other line in the city, the company added in a statement.",
    ],
]


def doc(story: list[str]) -> str:
    return "\n".join([*HEADER, *story, *FOOTER])


DOCS = [doc(s) for s in STORIES]


def test_normalize_line_is_the_single_comparison_form():
    assert P.normalize_line("  Print edition |  Archive\u00a0| Shop ") == "print edition | archive | shop"
    assert P.normalize_line("12 Comments") != P.normalize_line("13 Comments")


def test_learn_takes_repeated_edge_lines_not_shared_headings():
    prof = P.learn({"example-gazette.test": DOCS})["example-gazette.test"]
    assert prof.documents == 3
    assert set(prof.lines) == {P.normalize_line(x) for x in HEADER + FOOTER}
    assert "ingredients" not in prof.lines  # between body paragraphs on every page
    assert all(n == 3 for n in prof.lines.values())


def test_learn_needs_enough_documents_and_a_majority():
    assert P.learn({"s": DOCS[:2]}) == {}
    assert P.learn({"s": DOCS[:2]}, min_docs=2)["s"].documents == 2
    # a line on one page of four is not the site's chrome
    docs = [*DOCS, doc(STORIES[0]).replace("Print edition | Archive | Shop", "Special offer today")]
    lines = P.learn({"s": docs})["s"].lines
    assert "special offer today" not in lines and "print edition | archive | shop" in lines


def test_learn_skips_paragraph_long_lines():
    long_footer = "A" * (P.MAX_LINE_CHARS_DEFAULT + 1)
    prof = P.learn({"s": [d + "\n" + long_footer for d in DOCS]})["s"]
    assert P.normalize_line(long_footer) not in prof.lines


def test_profile_files_round_trip(tmp_path):
    learned = P.learn({"news/example-gazette.test": DOCS})
    (path,) = profile_files.write_profiles(tmp_path, learned)
    assert path == tmp_path / "_profiles" / "news_example-gazette.test.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["rule"] == RULE and data["documents"] == 3
    assert data["lines"][0]["documents"] == 3
    assert profile_files.read_profiles(tmp_path) == learned


def test_profile_for_matches_by_site_or_by_shared_lines():
    profiles = P.as_config(P.learn({"gazette": DOCS}))
    keys = [P.normalize_line(x) for x in DOCS[0].split("\n")]
    assert P.profile_for(keys, profiles)[0] == "gazette"
    assert P.profile_for(keys[:1], profiles) is None  # one shared line is not enough
    assert P.profile_for(["something else"], profiles, site="gazette")[0] == "gazette"
    assert P.profile_for(keys, ()) is None
    assert P.profile_for(keys, dict(profiles))[0] == "gazette"  # a mapping works too


def test_learned_profiles_are_in_the_digest():
    learned = P.learn({"gazette": DOCS})
    with_p = P.with_profiles(DEFAULT_CONFIG, learned)
    assert with_p.digest() != DEFAULT_CONFIG.digest()
    same = Config(learned_profiles=(("gazette", tuple(sorted(learned["gazette"].lines))),))
    assert same.digest() == with_p.digest()
    assert P.with_profiles(with_p, learned) == with_p  # learning twice changes nothing


def _learned_config():
    return P.with_profiles(DEFAULT_CONFIG, P.learn({"gazette": DOCS}))


def test_pipeline_drops_profile_lines_and_cites_the_profile():
    cfg = _learned_config()
    text = doc(STORIES[1])
    r = clean(text, config=cfg)
    assert [s for s in r.text.split("\n") if s] == STORIES[1]
    edits = [e for e in r.edits if e.rule == RULE]
    # the pattern tables come first (the | menu is a nav bar); the profile takes the rest
    assert {e.before.strip() for e in edits} == set(HEADER + FOOTER) - {"Print edition | Archive | Shop"}
    assert all("site profile 'gazette'" in e.reason for e in edits)
    assert replay(text, r.edits) == r.text
    assert clean(r.text, config=cfg).text == r.text


def test_profile_line_between_body_paragraphs_is_kept_and_flagged():
    cfg = replace(DEFAULT_CONFIG, learned_profiles=(
        ("gazette", tuple(sorted({*(P.normalize_line(x) for x in HEADER), "ingredients"}))),))  # fmt: skip
    r = clean(doc(STORIES[2]), config=cfg)
    assert "Ingredients" in r.text
    assert RULE in {x.rule for x in r.review}


def test_a_page_of_another_site_is_not_touched_by_the_profile():
    cfg = _learned_config()
    other = "\n".join(["Other Times", *STORIES[0], "Other Times Ltd"])
    r = clean(other, config=cfg)
    assert not [e for e in r.edits if e.rule == RULE]


def test_pinned_profile_applies_by_metadata_site():
    # a user's [site."china.org.cn"] boilerplate_lines (as written: matched case-folded)
    cfg = replace(DEFAULT_CONFIG, site_profiles=(("china.org.cn", ("Print E-mail  Font size",)),))
    body = STORIES[0][0]
    r = clean("\n\n".join([body, body.replace("bridge", "tunnel"), "Print E-mail Font size", "Go to Forum >>0 Comment(s)"]), config=cfg)
    assert r.metadata["site"] == "china.org.cn"
    assert "Print E-mail Font size" not in r.text


def test_disabling_the_rule_keeps_profile_lines():
    cfg = replace(_learned_config(), disabled=frozenset({RULE}))
    r = clean(doc(STORIES[0]), config=cfg)
    assert not [e for e in r.edits if e.rule == RULE]


def test_cli_learn_profiles_writes_and_uses_the_profile(tmp_path):
    src = tmp_path / "in" / "example-gazette.test"
    src.mkdir(parents=True)
    for i, d in enumerate(DOCS):
        (src / f"story{i}.txt").write_text(d, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "--out", str(out), "--learn-profiles", "-q"]) == 0
    prof = json.loads((out / "_profiles" / "example-gazette.test.json").read_text(encoding="utf-8"))
    assert prof["site"] == "example-gazette.test" and len(prof["lines"]) == len(HEADER + FOOTER)
    side = json.loads((out / "example-gazette.test" / "story0.json").read_text(encoding="utf-8"))
    assert RULE in {e["rule"] for e in side["edits"]}
    body = (out / "example-gazette.test" / "story0.txt").read_text(encoding="utf-8")
    assert "Example Gazette" not in body
    # without the option nothing is learned and the profile rule never fires
    out2 = tmp_path / "out2"
    assert main(["clean", str(tmp_path / "in"), "--out", str(out2), "-q"]) == 0
    assert not (out2 / "_profiles").exists()


def test_a_planted_profiles_symlink_is_never_written_through(tmp_path, capsys):
    src = tmp_path / "in" / "example-gazette.test"
    src.mkdir(parents=True)
    for i, d in enumerate(DOCS):
        (src / f"story{i}.txt").write_text(d, encoding="utf-8")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "_profiles").symlink_to(elsewhere)
    rc = main(["clean", str(tmp_path / "in"), "--out", str(out), "--learn-profiles", "-q"])
    assert rc == 2 and "symlink" in capsys.readouterr().err
    assert not list(elsewhere.iterdir())


@pytest.mark.parametrize("texts", [[], ["", ""], ["\n\n\n"] * 3, ["x"] * 5])
def test_learn_is_total(texts):
    P.learn({"s": texts})
