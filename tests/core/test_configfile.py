"""scrubline.toml: every error path names the file, the line and the key; discovery order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaners.core.config import DEFAULT_CONFIG
from cleaners.configload import (
    ConfigError,
    find_config,
    load_config,
    parse_config,
    run_config,
)
from cleaners.core.configlines import KeyLocator
from cleaners.core.registry import RULES

# (label, file text, line, key, words the message must hold)
ERRORS = [
    ("toml syntax", 'disable = ["a"\nocr = "on"\n', 2, "", "invalid TOML"),
    ("unknown top key", 'ocr = "on"\nlanguag = "de"\n', 2, "languag", "did you mean 'language'"),
    ("unknown rule id", 'disable = [\n  "punctuation",\n  "boilerplate.drop_foo",\n]\n', 3,
     "disable[1]", "unknown rule or stage id 'boilerplate.drop_foo'"),
    ("unknown id in enable", 'enable = ["nope"]\n', 1, "enable[0]", "unknown rule or stage id"),
    ("disable not a list", 'disable = "punctuation"\n', 1, "disable", "must be a list of rule or stage ids, not a string"),
    ("id not a string", "disable = [3]\n", 1, "disable[0]", "must be a string, not an integer"),
    ("disabled and enabled", 'disable = ["normalize"]\nenable = ["normalize"]\n', 2, "enable", "both disabled and enabled"),
    ("ocr wrong type", "ocr = true\n", 1, "ocr", 'must be one of "auto", "on", "off", not a boolean'),
    ("ocr wrong value", 'ocr = "sometimes"\n', 1, "ocr", "not 'sometimes'"),
    ("language", 'language = "German language"\n', 1, "language", "BCP 47"),
    ("output not a table", "output = 1\n", 1, "output", "must be a table, not an integer"),
    ("output key", "[output]\nedit = true\n", 2, "output.edit", "did you mean 'edits'"),
    ("output type", '[output]\nedits = "no"\n', 2, "output.edits", "must be true or false, not a string"),
    ("threshold unknown", "[boilerplate]\ncaption_max = 3\n", 2, "boilerplate.caption_max", "caption_max_chars"),
    ("threshold type", '[boilerplate]\ncaption_max_chars = "80"\n', 2, "boilerplate.caption_max_chars", "must be an integer"),
    ("threshold float for int", "[boilerplate]\ncaption_max_chars = 80.5\n", 2, "boilerplate.caption_max_chars", "must be an integer"),
    ("threshold range", "[boilerplate]\nblank_break_share = 1.5\n", 2, "boilerplate.blank_break_share", "between 0.0 and 1.0"),
    ("rule name", '[drop]\n"My Rule" = "x"\n', 2, 'drop."My Rule"', "lower-case letters"),
    ("rule wrong type", "[drop]\nfooter = 3\n", 2, "drop.footer", "must be a string or a table, not an integer"),
    ("rule both kinds", '[drop]\nfooter = { literal = "a", regex = "b" }\n', 2, "drop.footer", 'exactly one of "literal" or "regex"'),
    ("rule unknown key", '[drop]\nfooter = { literal = "a", matches = "line" }\n', 2, "drop.footer.matches", "did you mean 'match'"),
    ("rule match value", '[drop]\nfooter = { literal = "a", match = "word" }\n', 2, "drop.footer.match", "line, contains, span"),
    ("span keep", '[keep]\nnote = { literal = "a", match = "span" }\n', 2, "keep.note.match", "for a keep rule"),
    ("max_chars type", '[drop]\nfooter = { literal = "a", max_chars = "80" }\n', 2, "drop.footer.max_chars", "must be an integer"),
    ("empty literal", '[drop]\nfooter = "  "\n', 2, "drop.footer", "must not be empty"),
    ("bad regex", "[drop]\nfooter = { regex = '(unclosed' }\n", 2, "drop.footer.regex", "bad regex: missing )"),
    ("empty-matching regex", "[drop]\n\nfooter = { regex = 'x*' }\n", 3, "drop.footer.regex", "matches the empty string"),
    ("slow regex", "[drop]\nslow = { regex = '(a|aa)+$' }\n", 2, "drop.slow.regex", "too slow"),
    ("drop and keep same name", '[drop]\nx = "a"\n[keep]\nx = "b"\n', 4, "keep.x", "both a drop and a keep rule"),
    ("site not a table", 'site = "ecns.cn"\n', 1, "site", "must be a table"),
    ("site unknown key", '[site."ecns.cn"]\npath = ["a/*"]\n', 2, 'site."ecns.cn".path', "did you mean 'paths'"),
    ("site paths type", '[site."ecns.cn"]\npaths = "ecns/*"\n', 2, 'site."ecns.cn".paths', "must be a list of glob patterns"),
    ("site unknown id", '[site."ecns.cn"]\ndisable = ["boilerplate.drop_nav_bars"]\n', 2,
     'site."ecns.cn".disable[0]', "did you mean 'boilerplate.drop_nav_bar'"),
    ("profile line type", '[site."ecns.cn"]\nboilerplate_lines = [\n  "Most popular in 24h",\n  42,\n]\n', 4,
     'site."ecns.cn".boilerplate_lines[1]', "must be a string, not an integer"),
    ("site rule regex", "[site.\"ecns.cn\".drop]\nfooter = { regex = '[' }\n", 2, 'site."ecns.cn".drop.footer.regex', "bad regex"),
    ("dotted key", 'site."ecns.cn".ocr = "sometimes"\n', 1, 'site."ecns.cn".ocr', "must be one of"),
    ("inline table key", '[site."a.org"]\ndrop = { x = "ok", y = 5 }\n', 2, 'site."a.org".drop.y', "must be a string or a table"),
]


@pytest.mark.parametrize("label, text, line, key, words", ERRORS, ids=[e[0] for e in ERRORS])
def test_each_error_names_file_line_and_key(label, text, line, key, words):
    with pytest.raises(ConfigError) as exc:
        parse_config(text, file="conf/scrubline.toml")
    problems = exc.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert (p.file, p.line, p.key) == ("conf/scrubline.toml", line, key)
    assert words in p.message
    prefix = f"conf/scrubline.toml:{line}: " + (f"{key}: " if key else "")
    assert str(exc.value).startswith(prefix)


def test_every_problem_is_reported_at_once_in_line_order():
    text = 'ocr = 1\ndisable = ["x.y"]\n[drop]\na = { regex = "(" }\nb = ""\n'
    with pytest.raises(ConfigError) as exc:
        parse_config(text)
    assert [p.line for p in exc.value.problems] == [1, 2, 4, 5]
    assert str(exc.value).startswith("scrubline.toml: 4 problems:\n  scrubline.toml:1: ocr:")


def test_pyproject_keys_are_named_with_their_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.scrubline]\ndisable = ["nope"]\n', "utf-8"
    )
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path / "pyproject.toml")
    p = exc.value.problems[0]
    assert (p.line, p.key) == (5, "tool.scrubline.disable[0]")


def test_a_valid_file_builds_the_config():
    c = parse_config(
        """
disable = ["punctuation.flag_period_lowercase"]
ocr = "on"
language = "zh-Hans"
[output]
edits = false
[boilerplate]
caption_max_chars = 120
blank_break_share = 1
[drop]
share = "Share this article"
forum = { regex = 'Go to Forum >>\\s*\\d+', match = "contains", max_chars = 60, ignore_case = true, description = "forum  link" }
[keep]
ethics = { literal = "copyright protection", match = "contains" }
[site."ecns.cn"]
paths = ["ecns/**"]
enable = ["punctuation.flag_period_lowercase"]
boilerplate_lines = ["Most  popular in 24h", "Most popular in 24h", "MoreTop news"]
[site."ecns.cn".keep]
share_kept = { literal = "Share this article", match = "line" }
""",
        file="s.toml",
    )
    assert c.disabled == {"punctuation.flag_period_lowercase"}
    assert (c.ocr, c.language, c.record_edits, c.source) == (True, "zh-Hans", False, "s.toml")
    assert c.thresholds == (("boilerplate.blank_break_share", 1), ("boilerplate.caption_max_chars", 120))
    assert isinstance(c.threshold("boilerplate.blank_break_share"), float)
    forum = {r.id: r for r in c.user_rules}["user.forum"]
    assert (forum.regex, forum.match, forum.max_chars, forum.ignore_case) == (True, "contains", 60, True)
    assert forum.description == "forum link"
    (site,) = c.sites
    assert site.paths == ("ecns/**",)
    assert site.boilerplate_lines == ("Most popular in 24h", "MoreTop news")  # normalized, once
    # no user rule leaks into the global registry
    assert not any(rid.startswith("user.") and rid != "user.drop_matching_lines" for rid in RULES)


def test_empty_file_is_the_defaults():
    assert parse_config("").digest() == DEFAULT_CONFIG.digest()
    assert parse_config("# nothing\n[drop]\n[keep]\n").digest() == DEFAULT_CONFIG.digest()


def test_locator_handles_strings_comments_arrays_and_inline_tables():
    text = (
        'a = "x # not a comment ] ["\n'
        "b = '''\nmulti [\n'''\n"
        '# [not.a.table]\n'
        '[t."quoted.key"] # comment\n'
        'c = [ { d = 1 },\n  { d = 2, e = [\n 1, 2] } ]\n'
        "[[arr]]\nf = 1\n[[arr]]\nf = 2\n"
    )
    loc = KeyLocator(text)
    assert loc.line(("a",)) == 1
    assert loc.line(("b",)) == 2
    assert loc.line(("t", "quoted.key")) == 6
    assert loc.line(("t", "quoted.key", "c", 1, "e", 1)) == 9
    assert loc.line(("t", "quoted.key", "c", 1, "d")) == 8
    assert loc.line(("arr", 1, "f")) == 13
    assert loc.line(("nope",)) is None


# -- discovery ------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_discovery_order(tmp_path):
    inp = tmp_path / "in"
    cwd = tmp_path / "cwd"
    (inp).mkdir()
    cwd.mkdir()
    assert find_config([inp], cwd) is None
    _write(cwd / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config([inp], cwd) is None  # no [tool.scrubline] table
    _write(cwd / "pyproject.toml", '[tool.scrubline]\nocr = "on"\n')
    assert find_config([inp], cwd) == cwd / "pyproject.toml"
    _write(cwd / "scrubline.toml", 'ocr = "off"\n')
    assert find_config([inp], cwd) == cwd / "scrubline.toml"
    _write(inp / "scrubline.toml", 'language = "de"\n')
    assert find_config([inp], cwd) == inp / "scrubline.toml"
    doc = _write(inp / "a.txt", "x")
    assert find_config([doc], cwd) == inp / "scrubline.toml"  # a file: its folder
    explicit = _write(tmp_path / "other.toml", 'language = "fr"\n')
    assert run_config([inp], explicit, cwd=cwd).language == "fr"  # --config wins
    assert run_config([inp], cwd=cwd).language == "de"
    assert run_config([tmp_path / "elsewhere"], cwd=cwd).ocr is False
    (cwd / "scrubline.toml").unlink()
    assert run_config([tmp_path / "elsewhere"], cwd=cwd).ocr is True  # pyproject


def test_inputs_with_different_config_files_must_choose(tmp_path):
    a = _write(tmp_path / "a" / "scrubline.toml", "")
    b = _write(tmp_path / "b" / "scrubline.toml", "")
    with pytest.raises(ConfigError, match="different config files; pass one with --config"):
        find_config([a.parent, b.parent], tmp_path)
    assert find_config([a.parent, a.parent / "x.txt"], tmp_path) == a


def test_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        run_config([], tmp_path / "nope.toml", cwd=tmp_path)


def test_command_line_ids_are_checked_against_the_files_user_rules(tmp_path):
    cfg = _write(tmp_path / "scrubline.toml", '[drop]\nmine = "x"\n')
    assert "user.mine" in run_config([], cfg, disable=["user.mine"]).disabled
    with pytest.raises(ValueError, match="user.other"):
        run_config([], cfg, disable=["user.other"])


def test_unreadable_file_is_an_error(tmp_path):
    bad = tmp_path / "scrubline.toml"
    bad.write_bytes(b"\xff\xfe not utf-8 \xff")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(bad)
    if os.name == "posix" and os.geteuid() != 0:
        bad.write_text("")
        bad.chmod(0)
        with pytest.raises(ConfigError, match="cannot read"):
            load_config(bad)
