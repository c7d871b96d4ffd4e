"""Prefect settings scrubline applies before Prefect is imported (see ../shared/PREFECT.md),
and the console quiet that ``-q`` asks for.

Only defaults: a variable the user already set wins.
"""

from __future__ import annotations

import logging
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


#: Under ``-q`` Prefect's console handlers show only records at this level or above: its
#: INFO lines and its warnings at exit ("EventsWorker - Still processing items") are not
#: shown; the records still reach the Prefect API (the UI's logs are unchanged).
QUIET_CONSOLE_LEVEL = logging.ERROR


def quiet_prefect_console(level: int = QUIET_CONSOLE_LEVEL) -> None:
    """Raise every Prefect console log handler to ``level`` for the rest of the process.

    Call after Prefect is imported (it sets up its logging then). Not undone: Prefect's
    services log while the process exits, after any ``with`` block would have ended.
    """
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if type(handler).__name__ == "PrefectConsoleHandler":
                handler.setLevel(max(handler.level, level))
