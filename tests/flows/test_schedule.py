"""``scrubline schedule``: finding or starting a Prefect server, serving, stopping cleanly.

The end-to-end test starts a real ``prefect server start`` (PREFECT_HOME in tmp), lets an
interval schedule fire, reuses the same server from a second ``schedule``, and checks that
SIGTERM leaves no process behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cleaners.cli import main
from flows import server as srv
from flows.schedule import parse_interval

ROOT = Path(__file__).resolve().parent.parent.parent


# -- without Prefect -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,seconds",
    [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("5", 5),
     ("1.5m", 90), ("2 min", 120)],
)
def test_intervals(text, seconds):
    assert parse_interval(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "0m", "m", "15x", "-5m", "15m later"])
def test_bad_intervals(text):
    with pytest.raises(ValueError, match="--interval"):
        parse_interval(text)


@pytest.fixture
def fake_prefect():
    """An HTTP server that answers /api/health like Prefect does."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            ok = self.path == "/api/health"
            self.send_response(200 if ok else 404)
            self.end_headers()
            self.wfile.write(b"true" if ok else b"")

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_first_answering_server_is_reused(fake_prefect):
    dead = f"http://127.0.0.1:{srv.free_port(None)}/api"
    assert srv.first_healthy([None, dead, fake_prefect], timeout=1) == fake_prefect + "/api"
    assert srv.first_healthy([dead], timeout=1) is None
    assert not srv.port_is_free(int(fake_prefect.rsplit(":", 1)[1]))


def test_the_server_gets_telemetry_off_and_no_client_url():
    env = srv.server_env({"PREFECT_API_URL": "http://x/api", "PATH": "/bin"})
    assert env["DO_NOT_TRACK"] == "1" and env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert "PREFECT_API_URL" not in env and env["PATH"] == "/bin"
    kept = srv.server_env({"PREFECT_SERVER_ANALYTICS_ENABLED": "true"})
    assert kept["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true"  # the user's choice wins


def test_stopping_a_server_reaps_its_whole_process_group(tmp_path):
    local = srv.LocalServer(srv.free_port(None), log_path=tmp_path / "log")
    # Stand-in for the server: a process that ignores SIGTERM, with a child of its own.
    code = (
        "import signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
        "print(c.pid, flush=True); time.sleep(60)"
    )
    local.process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, start_new_session=True
    )
    child = int(local.process.stdout.readline())
    proc = local.process
    local.stop(timeout=1)
    assert proc.returncode is not None and local.process is None
    assert not _alive(child, wait=5)


def test_usage_errors_exit_2_before_anything_starts(tmp_path, fake_prefect):
    args = ["schedule", str(tmp_path), "--out", str(tmp_path / "o"), "-q"]
    assert main(args + ["--interval", "soon"]) == 2
    assert main(["schedule", str(tmp_path / "missing"), "--out", "o", "--interval", "5m"]) == 2
    dead = f"http://127.0.0.1:{srv.free_port(None)}/api"
    assert main(args + ["--interval", "5m", "--api-url", dead]) == 2
    assert main(args + ["--cron", "61 * * * *", "--api-url", fake_prefect]) == 2
    with pytest.raises(SystemExit):  # argparse: exactly one of --cron and --interval
        main(args + ["--cron", "0 * * * *", "--interval", "5m"])


# -- a real server ----------------------------------------------------------------------


def _alive(pid: int, wait: float = 0.0) -> bool:
    """Whether ``pid`` exists and is not a zombie, waiting up to ``wait`` seconds for it to go."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
            alive = state not in ("Z", "X")
        except (FileNotFoundError, ProcessLookupError, IndexError):
            alive = False
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.2)


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def _manifest_rows(out: Path) -> list[dict]:
    try:
        return [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    except (OSError, ValueError):
        return []


def _wait_for_outputs(proc, out: Path, n: int, seen: set[int], timeout: float, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen |= _descendants(proc.pid)
        if len(_manifest_rows(out)) == n:
            return
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"no scheduled run wrote {out} in time:\n{log.read_text()[-3000:]}")


@pytest.mark.flow
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_scheduled_run_fires_on_a_local_server_and_everything_stops(tmp_path, seeds_dir):
    home, src, out = tmp_path / "home", tmp_path / "inbox", tmp_path / "out"
    shutil.copytree(seeds_dir, src)
    port = srv.free_port(None)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_RUNNER_POLL_FREQUENCY="2",  # pick scheduled runs up quickly
        PREFECT_LOGGING_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    cmd = [sys.executable, "-m", "cleaners.cli", "schedule"]
    log1, log2 = tmp_path / "schedule1.log", tmp_path / "schedule2.log"
    procs: list[subprocess.Popen] = []
    seen: set[int] = set()
    try:
        with open(log1, "wb") as fh:
            first = subprocess.Popen(
                cmd + [str(src), "--out", str(out), "--interval", "4s", "--port", str(port),
                       "--workers", "1"],
                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
            )
        procs.append(first)
        _wait_for_outputs(first, out, 5, seen, 300, log1)
        text = log1.read_text()
        assert f"starting a Prefect server on http://127.0.0.1:{port}" in text
        assert f"Prefect UI: http://127.0.0.1:{port}" in text
        assert {r["status"] for r in _manifest_rows(out)} <= {"cleaned", "skipped"}
        assert srv.is_healthy(f"http://127.0.0.1:{port}/api")

        # A second schedule reuses the running server, and leaves it running when stopped.
        with open(log2, "wb") as fh:
            second = subprocess.Popen(
                cmd + [str(src), "--out", str(tmp_path / "out2"), "--interval", "1h",
                       "--port", str(port), "--name", "second"],
                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
            )
        procs.append(second)
        deadline = time.monotonic() + 120
        while "serving deployment" not in log2.read_text() and time.monotonic() < deadline:
            assert second.poll() is None, log2.read_text()
            time.sleep(0.5)
        seen |= _descendants(second.pid)
        assert f"reusing the Prefect server at http://127.0.0.1:{port}/api" in log2.read_text()
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0, log2.read_text()
        assert srv.is_healthy(f"http://127.0.0.1:{port}/api")

        seen |= _descendants(first.pid)
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=90) == 0, log1.read_text()[-3000:]
        assert "stopping the Prefect server" in log1.read_text()
        left = sorted(p for p in seen if _alive(p, wait=10))
        assert left == [], f"processes left behind: {left}"
        assert not srv.is_healthy(f"http://127.0.0.1:{port}/api", timeout=1)
    finally:
        for p in procs:  # never leave anything behind, even when an assertion failed
            if p.poll() is None:
                p.kill()
                p.wait()
        for pid in seen:
            if _alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
