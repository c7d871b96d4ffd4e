"""User patterns that backtrack badly are refused when a config is checked or loaded, with
the line and key of the pattern; look-alikes that run in linear time pass."""

from __future__ import annotations

import hashlib

import pytest

from cleaners.cli import main
from cleaners.core.configfile import ConfigError, config_from_text

#: Alternatives under a repetition that match the same text two ways: exponential.
REJECTED = ["(?:e|ee)+$", "(e|ee)+x", "(?:-|--)+!", "(?:a|a)+$", "(?:ab|a|b)+$", "(?:\\.|\\.\\.)+$"]
#: Look-alikes that run in linear time (nested quantifiers included: ``regex`` handles them).
ACCEPTED = ["(?:e|f)+$", "e+$", "(?:ee|f)+$", "(?:e|ee)$", "Go to (?:Forum|Home)", "(?:ab)+$",
            "(a+)+$"]


def load(pattern: str) -> None:
    text = f"# user rules\n[drop]\nslowpoke = {{ regex = '{pattern}' }}\n"
    config_from_text(text, file="scrubline.toml", builtin_ids=set())


@pytest.mark.parametrize("pattern", REJECTED)
def test_a_backtracking_pattern_is_refused_with_its_line_and_key(pattern):
    with pytest.raises(ConfigError) as exc:
        load(pattern)
    (problem,) = exc.value.problems
    assert (problem.line, problem.key) == (3, "drop.slowpoke.regex")
    assert "too slow" in problem.message and "(e|ee)+" in problem.message
    assert str(exc.value).startswith("scrubline.toml:3: drop.slowpoke.regex: regex is too slow")


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_a_linear_look_alike_is_accepted(pattern):
    load(pattern)


def test_config_check_reports_the_pattern_and_leaves_the_file_alone(tmp_path, capsys):
    conf = tmp_path / "scrubline.toml"
    conf.write_text("[drop]\nfooter = { regex = 'Powered by .*' }\nslow = { regex = '(?:e|ee)+$' }\n")
    digest = hashlib.sha256(conf.read_bytes()).hexdigest()
    assert main(["config", "check", str(conf)]) == 1  # config check: 1 = problems found
    err = capsys.readouterr().err
    assert f"{conf}:3: drop.slow.regex: regex is too slow" in err
    assert hashlib.sha256(conf.read_bytes()).hexdigest() == digest
    conf.write_text("[drop]\nfooter = { regex = 'Powered by .*' }\nok = { regex = '(?:e|f)+$' }\n")
    assert main(["config", "check", str(conf)]) == 0
