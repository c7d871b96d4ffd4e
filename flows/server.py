"""A local Prefect server for ``scrubline schedule``: find one, or start, wait for and stop one.

Schedules need a real server (``prefect server start``): Prefect's temporary server does not
run the scheduler service (``../shared/PREFECT.md`` section 5). This module uses only the
standard library, so it can decide before Prefect is imported.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from flows.settings import PREFECT_ENV_DEFAULTS

#: The port ``prefect server start`` uses by default; tried first when it is free.
DEFAULT_PORT = 4200
#: Seconds to wait for ``/api/health`` (a fresh database takes ~30 s on 2 busy cores).
STARTUP_TIMEOUT = 180.0


def api_url_of(url: str) -> str:
    """The API URL (ending in ``/api``) for a server or API address.

    >>> api_url_of("http://127.0.0.1:4200")
    'http://127.0.0.1:4200/api'
    >>> api_url_of("http://127.0.0.1:4200/api/")
    'http://127.0.0.1:4200/api'
    """
    url = url.strip().rstrip("/")
    return url if url.endswith("/api") else url + "/api"


def ui_url_of(api_url: str) -> str:
    """The UI address of a server from its API URL.

    >>> ui_url_of("http://127.0.0.1:4200/api")
    'http://127.0.0.1:4200'
    """
    api_url = api_url.rstrip("/")
    return api_url[: -len("/api")] if api_url.endswith("/api") else api_url


def is_healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Whether ``GET <api>/health`` answers 200 within ``timeout`` seconds.

    >>> is_healthy("http://127.0.0.1:9/api", timeout=0.5)
    False
    """
    try:
        with urllib.request.urlopen(f"{api_url_of(api_url)}/health", timeout=timeout) as r:
            return r.status == 200
    except (OSError, ValueError, urllib.error.URLError):
        return False


def first_healthy(candidates: Iterable[str | None], timeout: float = 2.0) -> str | None:
    """The API URL of the first candidate that answers its health check, or ``None``."""
    seen: set[str] = set()
    for url in candidates:
        if not url:
            continue
        api = api_url_of(url)
        if api not in seen:
            seen.add(api)
            if is_healthy(api, timeout=timeout):
                return api
    return None


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int | None = DEFAULT_PORT, host: str = "127.0.0.1") -> int:
    """``preferred`` if it is free, else a port the system hands out.

    >>> 0 < free_port(None) < 65536
    True
    """
    if preferred and port_is_free(preferred, host):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def prefect_home() -> Path:
    """Prefect's home folder (``PREFECT_HOME``, default ``~/.prefect``)."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: ours, with telemetry and analytics off unless set, and no
    client-side API URL (the server does not call itself)."""
    env = dict(os.environ if base is None else base)
    for key, value in PREFECT_ENV_DEFAULTS.items():
        env.setdefault(key, value)
    env.pop("PREFECT_API_URL", None)
    return env


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the server gets SIGTERM if scrubline dies without cleaning up (SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class LocalServer:
    """``prefect server start --host 127.0.0.1 --port PORT`` as a child process.

    It runs in its own session (Ctrl-C in the terminal reaches scrubline only, so that the
    served flow stops before the server), logs to ``<PREFECT_HOME>/scrubline-server.log``,
    and on Linux dies with its parent even if the parent is killed.
    """

    def __init__(self, port: int, *, host: str = "127.0.0.1", log_path: Path | None = None):
        self.host = host
        self.port = port
        self.log_path = log_path or prefect_home() / "scrubline-server.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it open
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "prefect", "server", "start",
                    "--host", self.host, "--port", str(self.port),
                ],
                env=server_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        finally:
            log.close()

    def wait_healthy(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Wait for ``/api/health``; raise ``RuntimeError`` if the server exits or is late."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(
                    f"the Prefect server exited with status "
                    f"{None if self.process is None else self.process.returncode}:\n"
                    + self.log_tail()
                )
            if is_healthy(self.api_url, timeout=1.0):
                return
            time.sleep(0.25)
        raise RuntimeError(
            f"the Prefect server did not answer {self.api_url}/health within {timeout:.0f} s:\n"
            + self.log_tail()
        )

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text("utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM to the server's process group, SIGKILL after ``timeout``; reaps it."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
