"""The command line: outputs, exit codes, help, and no Prefect for one-off cleaning."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cleaners.cli import main

from ..conftest import ROOT


def test_clean_writes_outputs_and_manifest(tmp_path, seeds_dir, capsys):
    assert main(["clean", str(seeds_dir), "--out", str(tmp_path), "--quiet"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "manifest.jsonl" in names
    assert len([n for n in names if n.endswith(".txt")]) == 5
    rows = [json.loads(x) for x in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert {r["status"] for r in rows} == {"cleaned"}


def test_exit_status_is_1_when_an_input_fails_and_others_are_written(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text("x" * 50)
    (src / "ok.txt").write_text("fine")
    rc = main(["clean", str(src), "--out", str(tmp_path / "out"), "--max-bytes", "10", "-q"])
    assert rc == 1
    assert (tmp_path / "out" / "ok.txt").exists()
    assert "failed: big.txt" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["clean"],  # no input
        ["clean", "seeds"],  # no --out
        ["clean", "does-not-exist", "--out", "x"],
        ["clean", "seeds", "--out", "x", "--disable", "no.such_rule"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    argv = [a if a != "x" else str(tmp_path / "x") for a in argv]
    with pytest.raises(SystemExit) as exc:
        sys.exit(main(argv))
    assert exc.value.code == 2
    assert "error" in capsys.readouterr().err


def test_help_lists_commands_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("clean", "run", "rules", "Exit status"):
        assert word in out


def test_rules_lists_every_registered_rule(capsys):
    from cleaners import RULES

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rid in RULES:
        assert rid in out


def test_one_off_cleaning_does_not_import_prefect():
    code = (
        "import sys; from cleaners.cli import main; "
        "rc = main(['clean', 'seeds', '--out', sys.argv[1], '-q']); "
        "assert rc == 0; assert 'prefect' not in sys.modules, 'prefect imported'; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'flows'], 'flows imported'"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-c", code, out], cwd=ROOT, check=True)


def test_the_library_never_names_the_flows_package():
    """The flow commands come in through the ``scrubline.commands`` entry points only."""
    for path in (ROOT / "cleaners").rglob("*.py"):
        text = path.read_text("utf-8")
        assert "import flows" not in text and "from flows" not in text, path


def test_help_lists_the_plugin_commands_and_loading_them_imports_no_prefect():
    code = (
        "import sys; from cleaners.cli.main import build_parser; "
        "help = build_parser().format_help(); "
        "assert 'run' in help and 'schedule' in help, help; "
        "assert 'prefect' not in sys.modules, 'prefect imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_a_plugin_that_fails_to_load_leaves_the_other_commands(monkeypatch, capsys):
    cli_main = sys.modules["cleaners.cli.main"]  # the module (``cleaners.cli.main`` is main())

    class Broken:
        name, value = "broken", "nowhere:register"

        def load(self):
            raise ImportError("no module named nowhere")

    monkeypatch.setattr(cli_main, "entry_points", lambda group: [Broken()])
    with pytest.raises(SystemExit):
        main(["--help"])
    captured = capsys.readouterr()
    assert "the commands of broken (nowhere:register) are not available" in captured.err
    assert "clean" in captured.out and "schedule" not in captured.out


def test_library_does_not_import_prefect():
    for path in (ROOT / "cleaners").rglob("*.py"):
        text = path.read_text("utf-8")
        assert "import prefect" not in text and "from prefect" not in text, path
