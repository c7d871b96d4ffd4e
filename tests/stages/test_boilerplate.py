"""Stage ``boilerplate``: real cases from tests/cases/boilerplate and the stage's edge rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import Config, clean, replay
from cleaners.core.state import DocState
from cleaners.stages.boilerplate import drop_page_chrome
from cleaners.rules.boilerplate import LINE_TABLE

CASE_DIR = Path(__file__).resolve().parent.parent / "cases" / "boilerplate"
STAGE = "boilerplate."


def _cases():
    for path in sorted(CASE_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            marks = [pytest.mark.xfail(strict=True)] if case["expect"] == "fail" else []
            yield pytest.param(path.stem, case, id=f"{path.stem}:{case['label']}", marks=marks)


@pytest.mark.parametrize("kind,case", list(_cases()))
def test_case(kind, case):
    r = clean(case["original"])
    assert r.text == case["expected"]
    fired = {e.rule for e in r.edits}
    missing = set(case.get("rules", ())) - fired
    assert not missing, f"rules that did not fire: {sorted(missing)}"
    for key, value in case.get("metadata", {}).items():
        assert r.metadata[key] == value, key
    assert set(case.get("review", ())) <= {x.rule for x in r.review}
    if kind == "negative":
        assert not [e for e in r.edits if e.rule.startswith(STAGE)]
    assert replay(case["original"], r.edits) == r.text
    assert clean(r.text).text == r.text


BODY = (
    "China's artificial intelligence industrial chains, including computing power, cloud "
    "servers and data centers, are expected to usher in unprecedented development "
    "opportunities amid a worldwide frenzy around Sora, experts said."
)


def test_licence_number_inside_a_long_line_is_kept_and_flagged():
    long_line = (
        "据报道，该网站因未在首页底部展示备案号（京ICP备05004340号-1）而被约谈，"
        + "相关负责人表示将立即整改，并对全部页面进行检查，确保符合主管部门的各项规定。" * 4
    )
    r = clean("\n\n".join([BODY, long_line, BODY]))
    assert long_line in r.text
    assert [x.rule for x in r.review] == ["boilerplate.drop_icp_filing"]


def test_disabled_rule_keeps_its_line():
    text = "\n\n".join([BODY, "Copyright ©1999-2024 All rights reserved."])
    assert "Copyright" not in clean(text).text
    cfg = Config(disabled=frozenset({"boilerplate.drop_copyright_line"}))
    assert "Copyright ©1999-2024 All rights reserved." in clean(text, config=cfg).text


def test_nav_bar_only_at_the_edges():
    bar = "Impressum | Datenschutz | Kontakt | AGB"
    assert bar not in clean("\n\n".join([BODY, BODY, bar])).text
    assert bar in clean("\n\n".join([BODY, bar, BODY])).text


def test_drop_edits_are_not_merged_into_whitespace_edits():
    """Removing a line takes its blank separator, so normalize never swallows the edit."""
    text = "Related news\n\n\n" + BODY + "\n\nNewspapers in English\n\n\nNewspapers from Hong Kong\n\n"
    r = clean(text)
    drops = [e for e in r.edits if e.rule.startswith(STAGE)]
    assert len(drops) == 3 and not any(e.merged for e in r.edits)
    assert r.text == BODY + "\n"


def test_page_without_long_paragraph_uses_only_anywhere_entries():
    # no zone is known: the edge-only nav bar stays, the anywhere copyright line goes
    out = clean("Home • News • Sport • Kultur\n\nCopyright ©1999-2024 All rights reserved.").text
    assert out == "Home • News • Sport • Kultur\n"


def test_stage_function_is_total_on_odd_text():
    for text in ["", "\n", "\u00a0", "|||", "©", "京ICP备", "\n\n\n©1999", "x" * 5000]:
        list(drop_page_chrome(text, DocState.for_text(text)))


def test_every_line_entry_has_a_category_and_limit():
    for e in LINE_TABLE:
        assert e.category and 0 < e.max_chars <= 600


#: The 31 one-character province abbreviations of mainland China (PATTERNS.md A: any may
#: prefix a filing number).
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


@pytest.mark.parametrize("prov", list(PROVINCES))
def test_every_province_prefix(prov):
    assert len(PROVINCES) == 31
    footer = f"{prov}ICP备12345678号-2　{prov}公网安备 11010202009201号 | {prov}ICP证040655号"
    r = clean("\n\n".join([BODY, BODY, footer]))
    assert r.text == "\n\n".join([BODY, BODY]) + "\n"
    assert {e.rule for e in r.edits if e.rule.startswith(STAGE)} == {
        "boilerplate.drop_icp_filing",
        "boilerplate.drop_public_security_filing",
        "boilerplate.drop_icp_licence",
    }


def test_licence_items_on_one_line_each_get_an_edit():
    line = "[网上传播视听节目许可证(0106168)] [京ICP证040655号]"
    r = clean("\n\n".join([BODY, BODY, line]))
    edits = [e for e in r.edits if e.rule.startswith(STAGE)]
    assert [e.rule for e in edits] == ["boilerplate.drop_av_licence", "boilerplate.drop_icp_licence"]
    assert "".join(e.before for e in edits).strip() == line


def test_site_is_named_in_the_edit_reason():
    r = clean("\n".join([BODY, "Go to Forum >>0 Comment(s)"]))
    (edit,) = [e for e in r.edits if e.rule == "boilerplate.drop_comment_counter"]
    assert "china.org.cn" in edit.reason and r.metadata["site"] == "china.org.cn"


# -- property: any mixture of real chrome, header and body lines cleans idempotently -------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MIXTURE = [
    BODY, "", "", "\u00a0",
    "AI industrial chain spurred on by Sora",
    "2024-03-06 12:59:31China Daily Editor : Li Yan ECNS App Download",
    "- By Cheng Yu", "China Daily", " date 2024-03-11 ", "Ma Xuejing/China Daily",
    "March 6, 2024 um 06:00 AM © IMAGO / Bihlmayerfotografie", "China today logo",
    "Artikel anhören • 6 Minuten", "Newspapers in English", "Related news", "MoreTop news",
    "Back to top About Us | Jobs | Contact Us | Privacy Policy",
    "Copyright ©1999-2024 All rights reserved.",
    "[京公网安备 11010202009201号] [京ICP备05004340号-1]", "Go to Forum >>0 Comment(s)",
    "Tencent größtes Big Data Center und Cloud Computing Basis in China",
    "Is AI China’s critical new productive force?", "CHINA NEEDS TO APPLY AI TO REAL USE",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(MIXTURE), max_size=12), st.sampled_from(["\n", "\n\n"]))
def test_mixtures_replay_and_are_idempotent(parts, sep):
    text = sep.join(parts)
    r = clean(text)
    assert replay(text, r.edits) == r.text
    assert clean(r.text).text == r.text


# -- every rule id is a registered leaf -------------------------------------------------------


def test_passes_are_not_rules_and_emit_only_registered_ids():
    from cleaners import RULES, STAGES
    from cleaners.core.registry import Pass

    for name in ("boilerplate.drop_page_chrome", "metadata.lift_fields", "user.drop_matching_lines"):
        assert name not in RULES
    for stage in STAGES:
        for step in stage.passes:
            assert isinstance(step, Pass)
            step.check()
    assert {rid for s in STAGES for rid in s.rule_ids} == set(RULES)


@pytest.mark.parametrize("old", ["boilerplate.drop_page_chrome", "metadata.lift_fields",
                                 "user.drop_matching_lines"])
def test_a_config_naming_a_pass_is_refused(old):
    with pytest.raises(ValueError, match="unknown rule or stage id"):
        clean("Body.", config=Config(disabled=frozenset({old})))


def test_disabling_one_rule_disables_exactly_that_rule():
    body = "A long paragraph of the article that goes on and on. " * 4
    text = body.strip() + "\n\nNewspapers in English\n\nCopyright ©1999-2024 All rights reserved.\n"
    base = {e.rule for e in clean(text).edits}
    assert {"boilerplate.drop_aggregator_stamp"} < base
    off = clean(text, config=Config(disabled=frozenset({"boilerplate.drop_aggregator_stamp"})))
    assert "Newspapers in English" in off.text
    assert {e.rule for e in off.edits} == base - {"boilerplate.drop_aggregator_stamp"}
    stage_off = clean(text, config=Config(disabled=frozenset({"boilerplate"})))
    assert not any(e.rule.startswith("boilerplate.") for e in stage_off.edits)


def test_edits_on_the_seeds_carry_ids_their_stage_declares():
    from cleaners import STAGES

    from ..conftest import SEEDS

    declared = {rid for s in STAGES for step in s.passes for rid in step.emits}
    declared |= {rid for s in STAGES for rid in s.rule_ids}
    for path in sorted(SEEDS.glob("*.txt")):
        r = clean(path.read_text("utf-8"))
        assert {e.rule for e in r.edits} | {v.rule for v in r.review} <= declared, path.name
