"""Config: layers (defaults < file < site section < command line), digests, thresholds."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cleaners.core.config import (
    BOILERPLATE_THRESHOLDS,
    DEFAULT_CONFIG,
    Config,
    SiteSection,
    UserRule,
    thresholds,
)
from cleaners.stages import boilerplate
from cleaners.stages.boilerplate import classify, layout
from cleaners.stages.boilerplate.classify import ladder, region
from cleaners.configload import parse_config
from cleaners.core.pipeline import clean

from ..conftest import SEEDS

SEED_003 = (SEEDS / "003_7f106514c5169790.txt").read_text("utf-8")
SEED_004 = (SEEDS / "004_2588aa231c02aec4.txt").read_text("utf-8")
DROP_X = UserRule("user.x", "drop", "x")


@pytest.mark.parametrize(
    "change",
    [
        {"disabled": frozenset({"punctuation"})},
        {"ocr": True},
        {"ocr": False},
        {"language": "de"},
        {"record_edits": False},
        {"thresholds": (("boilerplate.caption_max_chars", 100),)},
        {"user_rules": (DROP_X,)},
        {"user_rules": (replace(DROP_X, match="contains"),)},
        {"user_rules": (replace(DROP_X, action="keep"),)},
        {"site_profiles": (("ecns.cn", ("Most popular in 24h",)),)},
        {"sites": (SiteSection("ecns.cn"),)},
        {"sites": (SiteSection("ecns.cn", ocr="on"),)},
        {"sites": (SiteSection("ecns.cn", disable=frozenset({"user"})),)},
        {"sites": (SiteSection("ecns.cn", boilerplate_lines=("a",)),)},
    ],
    ids=lambda d: next(iter(d)),
)
def test_digest_changes_with_every_setting(change):
    assert replace(DEFAULT_CONFIG, **change).digest() != DEFAULT_CONFIG.digest()


def test_digest_ignores_where_the_file_is_and_which_hosts_were_seen():
    same = replace(DEFAULT_CONFIG, source="/somewhere/scrubline.toml", site_keys=("a.org",))
    assert same.digest() == DEFAULT_CONFIG.digest()


def test_digest_is_stable_under_set_order():
    a = Config(disabled=frozenset(["punctuation", "normalize", "decode.fix_encoding"]))
    b = Config(disabled=frozenset(["decode.fix_encoding", "normalize", "punctuation"]))
    assert a.digest() == b.digest()


# -- site over global ---------------------------------------------------------------------

ROOT = parse_config(
    """
disable = ["punctuation", "boilerplate.drop_nav_bar"]
ocr = "off"
language = "en"
[drop]
shared = "Shared line"
[site."ecns.cn"]
enable = ["punctuation", "boilerplate.drop_nav_bar"]
disable = ["normalize.collapse_inline_space"]
ocr = "on"
language = "auto"
boilerplate_lines = ["Most  popular in 24h", "MoreTop news"]
[site."ecns.cn".drop]
shared = { literal = "Shared line", match = "contains" }
mine = "Only for ECNS"
[site."news.ecns.cn"]
ocr = "auto"
[site."by-path"]
paths = ["pr/**", "*.pr.txt"]
language = "de"
"""
)


def test_no_section_gives_the_global_settings():
    eff = ROOT.for_document(path="other/a.txt", site_keys=("example.org",))
    assert eff.site is None and eff.matched_by is None and eff.sites == ()
    assert not eff.enabled("punctuation.collapse_doubled_period")
    assert eff.ocr is False and eff.language == "en"
    assert [r.id for r in eff.user_rules] == ["user.shared"]
    assert eff.site_profiles == ()


def test_site_section_wins_over_global():
    eff = ROOT.for_document(site_keys=("www.ecns.cn",))
    assert (eff.site, eff.matched_by) == ("ecns.cn", "site")
    assert eff.enabled("punctuation.collapse_doubled_period")
    assert eff.enabled("boilerplate.drop_nav_bar")
    assert not eff.enabled("normalize.collapse_inline_space")
    assert eff.ocr is True and eff.language is None  # "auto" in the section: detect
    rules = {r.id: r for r in eff.user_rules}
    assert rules["user.shared"].match == "contains"  # the section's rule of the same name
    assert "user.mine" in rules
    assert eff.site_profiles == (("ecns.cn", ("Most popular in 24h", "MoreTop news")),)


def test_most_specific_site_key_wins_and_subdomains_match():
    assert ROOT.for_document(site_keys=("news.ecns.cn",)).site == "news.ecns.cn"
    assert ROOT.for_document(site_keys=("a.news.ecns.cn",)).site == "news.ecns.cn"
    assert ROOT.for_document(site_keys=("ecns.cn.example",)).site is None
    # the first host that any section matches decides
    assert ROOT.for_document(site_keys=("example.org", "ecns.cn")).site == "ecns.cn"


def test_path_glob_wins_over_site_match_and_is_decided_before_cleaning():
    before = ROOT.for_document(path="pr/2024/a.txt")
    assert (before.site, before.matched_by, before.language) == ("by-path", "path", "de")
    after = ROOT.for_document(path="pr/2024/a.txt", site_keys=("ecns.cn",))
    assert after.site == "by-path"
    assert ROOT.for_document(path="x/y.pr.txt").site == "by-path"  # * crosses folders
    assert ROOT.for_document(path="prx/a.txt").site is None


def test_enabling_one_rule_of_a_stage_disabled_globally():
    root = Config(sites=(SiteSection("a.org", enable=frozenset({"punctuation.collapse_doubled_comma"})),),
                  disabled=frozenset({"punctuation"}))  # fmt: skip
    eff = root.for_document(site_keys=("a.org",))
    assert eff.enabled("punctuation.collapse_doubled_comma")
    assert not eff.enabled("punctuation.collapse_doubled_period")


def test_command_line_wins_over_file_and_site():
    cli = ROOT.with_overrides(disable={"punctuation"}, ocr="auto", language="fr")
    eff = cli.for_document(site_keys=("ecns.cn",))
    assert not eff.enabled("punctuation.collapse_doubled_period")  # section's enable lost
    assert eff.enabled("boilerplate.drop_nav_bar")  # the section's other enable stays
    assert eff.ocr is None and eff.language == "fr"
    assert cli.for_document(path="pr/a.txt").language == "fr"


def test_effective_configs_of_two_sites_differ_and_editing_one_leaves_the_other():
    a = ROOT.for_document(site_keys=("ecns.cn",))
    other = ROOT.for_document(site_keys=("example.org",))
    edited = replace(ROOT, sites=(replace(ROOT.sites[0], ocr="off"), *ROOT.sites[1:]))
    assert edited.for_document(site_keys=("ecns.cn",)).digest() != a.digest()
    assert edited.for_document(site_keys=("example.org",)).digest() == other.digest()


def test_only_the_documents_site_profile_is_kept():
    root = Config(site_profiles=(("a.org", ("x",)), ("b.org", ("y",))))
    assert root.for_document(site_keys=("www.a.org",)).site_profiles == (("a.org", ("x",)),)
    assert root.for_document(site_keys=()).site_profiles == ()


def test_pipeline_resolves_sections_and_reports_the_effective_config():
    r = clean(SEED_004, config=ROOT, path="004.txt")
    assert r.config is not None and r.config.site_keys == ("pressreader.com",)
    assert r.config.site is None and r.config.digest() == ROOT.for_document(
        path="004.txt", site_keys=("pressreader.com",)).digest()  # fmt: skip
    root = parse_config('[site."pressreader.com"]\nlanguage = "de"\n')
    r = clean(SEED_004, config=root)
    assert (r.config.site, r.config.matched_by, r.metadata["language"]) == ("pressreader.com", "site", "de")


def test_a_section_that_changes_early_stages_cleans_again_from_the_start():
    root = parse_config('[site."pressreader.com"]\ndisable = ["metadata.lift_title"]\n')
    r = clean(SEED_004, config=root)
    assert r.config.site == "pressreader.com"
    assert r.metadata["title"] is None
    assert "Is AI China’s critical new productive force?" in r.text
    assert clean(SEED_004).metadata["title"] == "Is AI China’s critical new productive force?"


def test_metadata_site_is_set_from_the_matched_host_when_nothing_else_set_it():
    root = parse_config('[site."pressreader.com"]\ndisable = ["boilerplate.drop_aggregator_stamp"]\n')
    assert clean(SEED_004, config=root).metadata["site"] == "pressreader.com"
    off = Config(disabled=frozenset({"boilerplate.drop_aggregator_stamp"}))
    assert clean(SEED_004, config=off).metadata["site"] is None  # no section: not invented


# -- thresholds ---------------------------------------------------------------------------


def test_boilerplate_thresholds_have_one_home():
    declared = {k: t.default for k, t in thresholds().items() if k.startswith("boilerplate.")}
    assert declared == {f"boilerplate.{row[0]}": row[1] for row in BOILERPLATE_THRESHOLDS}
    assert declared["boilerplate.caption_max_chars"] == 200  # the keys and defaults of the file
    # the stage keeps no copy of a declared default (the config model is their one home)
    copies = ("LICENCE_LINE_MAX_CHARS_DEFAULT", "HEADLINE_MAX_CHARS_DEFAULT",
              "CAPTION_MAX_CHARS_DEFAULT", "BLANK_BREAK_SHARE_DEFAULT", "ARTICLE_MIN_WORDS_DEFAULT",
              "SWITCH_COST_DEFAULT", "LENGTH_HIGH_DEFAULT", "STOP_HIGH_DEFAULT", "STOP_LOW_DEFAULT")
    for mod in (boilerplate, layout, classify, ladder, region):
        assert not [name for name in copies if hasattr(mod, name)], mod.__name__


def test_caption_threshold_from_the_file_reaches_the_boilerplate_stage():
    caption = "Tencent größtes Big Data Center und Cloud Computing Basis in China"
    assert caption not in clean(SEED_003).text
    short = parse_config("[boilerplate]\ncaption_max_chars = 40\n")
    assert caption in clean(SEED_003, config=short).text
    strict = parse_config("[boilerplate]\nblank_break_share = 1.0\n")
    assert caption in clean(SEED_003, config=strict).text


def test_classifier_thresholds_equal_its_params_and_reach_it():
    t = thresholds()
    for name in classify.Params._fields:
        assert t[f"boilerplate.classifier_{name}"].default == getattr(classify.DEFAULT_PARAMS, name)
    assert classify.Params.from_config(DEFAULT_CONFIG) == classify.DEFAULT_PARAMS
    menu = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather", "Sign In"]
    body = (
        "The council voted on Tuesday to close the old bridge, which has been in a poor state "
        "for years, and to build a new one by the end of the decade, after a long debate.\n\n"
        "Work will start in the spring, the mayor said, and the cost will be shared with the "
        "region, which has set aside money for it in its budget for the next three years.\n"
    )
    page = "\n".join(menu) + "\n\n" + body * 2
    plain = clean(page)
    assert "Sport" not in plain.text and not plain.review  # menu labels outside the article go
    no_article = parse_config("[boilerplate]\nclassifier_article_min_words = 100000\n")
    r = clean(page, config=no_article)  # no stretch is article enough: the page is flagged
    assert "boilerplate.flag_no_article" in {v.rule for v in r.review}
    prose = parse_config("[boilerplate]\nclassifier_prose_stop_share = 1.0\n")
    assert clean(page, config=prose).config.digest() != clean(page).config.digest()


# -- which site a document names -----------------------------------------------------------


def test_site_from_a_url_line_and_from_the_html_canonical_link():
    root = parse_config('[site."ecns.cn"]\nlanguage = "de"\n')
    body = "A paragraph of the article that runs long enough to be read as body text. " * 3
    text = f"{body}\n\nSource: https://www.ecns.cn/news/2024-03-06/detail.shtml\n"
    r = clean(text, config=root)
    assert (r.config.site, r.config.site_keys) == ("ecns.cn", ("www.ecns.cn",))
    assert r.metadata["site"] == "www.ecns.cn"
    mention = f"{body} More at https://www.ecns.cn/news, the site said.\n"
    assert clean(mention, config=root).config.site is None  # a URL inside a sentence is not
    html = (
        '<html><head><link rel="canonical" href="https://www.ecns.cn/a.shtml">'
        f"</head><body><p>{body}</p></body></html>"
    )
    r = clean(html, fmt="html", config=root)
    assert r.config.site == "ecns.cn" and r.metadata["language"] == "de"


def test_configs_pickle_for_the_flow():
    import pickle

    root = parse_config('[drop]\na = "x"\n[site."a.org"]\npaths = ["a/*"]\nboilerplate_lines = ["y"]\n')
    assert pickle.loads(pickle.dumps(root)) == root
    assert hash(root) == hash(pickle.loads(pickle.dumps(root)))
