"""Test setup: Prefect runs against a throw-away home and a local test server.

Library tests never touch Prefect. Tests marked ``flow`` request the session-scoped
``prefect_server`` fixture, which starts one test server (about 20 s on 2 cores) for all of
them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def pytest_configure(config: pytest.Config) -> None:
    # Before anything imports prefect: no telemetry, a private home, quiet logs.
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="scrubline-prefect-"))
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.pop("PREFECT_PROFILE", None)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


@pytest.fixture(scope="session")
def prefect_server():
    """One Prefect test server for the session, heartbeats off."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path (for byte-for-byte comparisons)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
