"""Prefect settings scrubline applies before Prefect is imported (see ../shared/PREFECT.md).

Only defaults: a variable the user already set wins.
"""

from __future__ import annotations

import os

#: Environment defaults: no telemetry or analytics leave the machine, and the embedded
#: server gets time to start on a 2-core machine (the default 20 s is too tight there).
PREFECT_ENV_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


def apply_prefect_env_defaults() -> None:
    """Set :data:`PREFECT_ENV_DEFAULTS` for variables that are not set yet."""
    for key, value in PREFECT_ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
