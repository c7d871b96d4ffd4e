"""``scrubline run`` and the clean-corpus flow take every config ``scrubline clean`` takes
(user rules, site sections, thresholds, pinned lines, found or given), write the same bytes,
refuse a bad config before touching anything, and hold the output folder's lock."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from cleaners import io
from cleaners.cli import main
from cleaners.cli.common import config_from_args
from cleaners.cli.main import build_parser

from ..conftest import SEEDS, read_tree

SEED_000 = "000_a84aef7cf012a7d2"  # ecns.cn
SEED_004 = "004_2588aa231c02aec4"  # pressreader.com
CONFIG = """\
disable = ["punctuation"]

[boilerplate]
caption_max_chars = 120

[drop]
authenticity = { regex = '"How to ensure the authenticity .*', description = "closing quote" }

[site."pressreader.com"]
enable = ["punctuation"]
disable = ["boilerplate.drop_aggregator_stamp"]
boilerplate_lines = ["Most popular"]

[site."pressreader.com".drop]
edition_stamp = { regex = 'Newspapers (?:in|from) \\p{Lu}\\p{L}*(?: \\p{Lu}\\p{L}*)*' }

[site."ecns.cn"]
paths = ["000_*"]
language = "en"

[site."ecns.cn".keep]
sora = { literal = "Sora", match = "contains" }
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    return inp


def drops(out: Path, stem: str) -> set[str]:
    sc = json.loads((out / f"{stem}.json").read_text("utf-8"))
    return {e["rule"] for e in sc["edits"] if e["action"] == "drop"}


def statuses(out: Path) -> list[str]:
    rows = (out / io.MANIFEST_NAME).read_text("utf-8").splitlines()
    return [json.loads(x)["status"] for x in rows]


# -- without a server ------------------------------------------------------------------


def test_the_schedule_parameters_carry_the_config_file_and_only_the_cli_switches(
    corpus, tmp_path, monkeypatch
):
    from flows.clean_corpus import clean_corpus, resolve_config
    from flows.options import check_args, flow_parameters

    (corpus / "scrubline.toml").write_text(CONFIG, "utf-8")
    monkeypatch.chdir(tmp_path)
    argv = ["schedule", "in", "--out", "out", "--interval", "15m", "--disable", "normalize"]
    args = build_parser().parse_args(argv + ["--ocr", "off"])
    checked = check_args(args)
    assert checked is not None
    config, (_kind, workers, _address) = checked
    params = flow_parameters(args, config, workers)
    assert params["config_path"] == str((corpus / "scrubline.toml").resolve())  # found, absolute
    assert params["disabled"] == ["normalize"]  # not the file's "punctuation": see below
    assert (params["ocr"], params["language"]) == ("off", None)
    assert json.loads(json.dumps(params)) == params  # a deployment can carry it
    clean_corpus.validate_parameters(params)  # and the flow accepts it
    flow_args = {k: params[k] for k in ("config_path", "disabled", "ocr", "language")}
    resolved = resolve_config(params["input_dir"], **flow_args)
    assert replace(resolved, source=None) == replace(config, source=None)
    # the file's global disable stays under the site's enable (CLI > site > global)
    eff = resolved.for_document(site_keys=("pressreader.com",))
    assert eff.enabled("punctuation.collapse_doubled_period") and not eff.enabled("normalize")

    other = tmp_path / "other.toml"
    other.write_text('ocr = "on"\n', "utf-8")
    args = build_parser().parse_args(argv + ["--config", "other.toml"])
    params = flow_parameters(args, config_from_args(args), workers)
    assert params["config_path"] == str(other.resolve()) and params["ocr"] is None
    (corpus / "scrubline.toml").unlink()
    args = build_parser().parse_args(argv)
    assert flow_parameters(args, config_from_args(args), workers)["config_path"] is None


def test_the_deployments_parameters_are_valid_flow_parameters():
    import yaml

    from flows.clean_corpus import clean_corpus
    from tests.conftest import ROOT

    deployments = yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]
    assert any("config_path" in d["parameters"] for d in deployments)
    for d in deployments:
        clean_corpus.validate_parameters(d["parameters"])


def test_a_deployment_loads_the_flow_and_accepts_the_config_parameters(corpus, monkeypatch):
    from prefect.flows import load_flow_from_entrypoint

    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)  # a worker loads the flow from its entrypoint, not an import
    flow = load_flow_from_entrypoint("flows/clean_corpus.py:clean_corpus")
    for ocr in (None, True, "off"):
        params = {"input_dir": str(corpus), "config_path": "/x/scrubline.toml", "ocr": ocr}
        assert flow.validate_parameters(params)["ocr"] == ocr


def test_a_bad_config_makes_run_exit_2_with_clean_s_message_and_write_nothing(
    corpus, tmp_path, capsys
):
    bad_config = CONFIG.replace('"punctuation"]', '"punctuation", "boilerplate.drop_nope"]', 1)
    (corpus / "scrubline.toml").write_text(bad_config, "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "--out", str(out), "-q"]) == 2
    clean_err = capsys.readouterr().err
    assert main(["run", str(corpus), "--out", str(out), "-q"]) == 2
    run_err = capsys.readouterr().err
    assert "scrubline.toml:" in run_err and "disable" in run_err
    assert run_err == clean_err
    assert not out.exists()

    bad = tmp_path / "bad.toml"
    bad.write_text("[drop]\nx = { regex = '(' }\n", "utf-8")
    assert main(["run", str(corpus), "--out", str(out), "--config", str(bad), "-q"]) == 2
    assert "bad.toml:2: drop.x.regex: bad regex" in capsys.readouterr().err
    good = tmp_path / "good.toml"
    good.write_text(CONFIG, "utf-8")
    args = ["--config", str(good), "--disable", "user.nope", "-q"]
    assert main(["run", str(corpus), "--out", str(out), *args]) == 2
    assert "unknown rule or stage id(s): user.nope" in capsys.readouterr().err
    assert not out.exists()


def test_run_into_a_locked_folder_exits_2_before_prefect_starts(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with io.OutputLock(out):
        assert main(["run", str(corpus), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "another scrubline run (pid" in err and f"is writing to {out}" in err
    assert "nothing was written" in err
    assert sorted(p.name for p in out.iterdir()) == []


# -- real flow runs on the session's test server ----------------------------------------


@pytest.mark.flow
def test_run_with_a_config_file_writes_what_clean_writes(
    prefect_server, corpus, tmp_path, monkeypatch
):
    from flows import clean_corpus as module

    cfg = tmp_path / "cfg.toml"
    cfg.write_text(CONFIG, "utf-8")
    opts = ["--config", str(cfg), "--disable", "normalize.collapse_inline_space", "-q"]
    assert main(["clean", str(corpus), "--out", str(tmp_path / "cli"), *opts]) == 0
    assert main(["run", str(corpus), "--out", str(tmp_path / "run"), "--workers", "1", *opts]) == 0
    cli = read_tree(tmp_path / "cli")
    assert read_tree(tmp_path / "run") == cli
    # the config was applied: site section by site, user rules global and per site
    assert "user.edition_stamp" in drops(tmp_path / "run", SEED_004)
    assert "boilerplate.drop_aggregator_stamp" not in drops(tmp_path / "run", SEED_004)
    assert "user.authenticity" in drops(tmp_path / "run", SEED_000)
    sc = json.loads(cli[f"{SEED_000}.json"])
    assert sc["config"]["section"] == "ecns.cn" and sc["config"]["matched_by"] == "path"
    assert cli[f"{SEED_000}.json"] != read_tree(SEEDS.parent / "cleaned")[f"{SEED_000}.json"]

    # found in the input folder, through the library process pool (the config is pickled;
    # the flow always cleans in the pool)
    shutil.copy(cfg, corpus / "scrubline.toml")
    assert main(["clean", str(corpus), "--out", str(tmp_path / "cli2"), "-q"]) == 0
    assert main(["run", str(corpus), "--out", str(tmp_path / "run2"), "--workers", "2", "-q"]) == 0
    assert read_tree(tmp_path / "run2") == read_tree(tmp_path / "cli2")
    assert "user.edition_stamp" in drops(tmp_path / "run2", SEED_004)
    # incremental: same config, nothing to re-clean (path-matched section included)
    summary = module.clean_corpus(
        input_dir=str(corpus), output_dir=str(tmp_path / "run2"), workers=2
    )
    assert summary["reused"] == 5 and summary["cleaned"] == 5
    assert statuses(tmp_path / "cli2") == ["cleaned"] * 5


@pytest.mark.flow
def test_a_bad_config_fails_the_flow_before_it_writes(prefect_server, corpus, tmp_path):
    from cleaners.core.configfile import ConfigError
    from flows.clean_corpus import clean_corpus

    bad = tmp_path / "bad.toml"
    bad.write_text("[boilerplate]\ncaption_max_chars = 1\n", "utf-8")
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match="bad.toml:2: boilerplate.caption_max_chars"):
        clean_corpus(input_dir=str(corpus), output_dir=str(out), config_path=str(bad))
    assert not out.exists()


@pytest.mark.flow
def test_the_flow_holds_the_output_lock_and_refuses_a_locked_folder(
    prefect_server, corpus, tmp_path, monkeypatch, capsys
):
    from flows import clean_corpus as module
    from flows import cli as flow_cli

    out = tmp_path / "out"
    seen: list[int] = []
    real_link = module.link_outputs

    def link_and_try_clean(out_dir, stems):  # while the flow runs, clean is refused
        seen.append(main(["clean", str(corpus), "--out", str(out_dir), "-q"]))
        return real_link(out_dir, stems)

    monkeypatch.setattr(module, "link_outputs", link_and_try_clean)
    summary = module.clean_corpus(input_dir=str(corpus), output_dir=str(out), workers=1)
    assert summary["cleaned"] == 5 and seen == [2]
    assert "another scrubline run (pid" in capsys.readouterr().err
    assert not (out / io.LOCK_NAME).exists()  # released
    monkeypatch.setattr(module, "link_outputs", real_link)

    before = read_tree(out)
    (corpus / "new.txt").write_text("A new document.\n", "utf-8")
    with io.OutputLock(out):
        with pytest.raises(io.OutputLocked, match="another scrubline run"):
            module.clean_corpus(input_dir=str(corpus), output_dir=str(out), workers=1)
        # `scrubline run` when the folder is taken after its early check: still exit 2
        monkeypatch.setattr(flow_cli, "output_locked", lambda _out: None)
        capsys.readouterr()
        assert main(["run", str(corpus), "--out", str(out), "--workers", "1", "-q"]) == 2
    err = capsys.readouterr().err
    assert "scrubline: error: another scrubline run (pid" in err and "nothing was written" in err
    assert read_tree(out) == before
