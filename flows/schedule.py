"""``scrubline schedule``: serve the clean-corpus flow on a schedule, with a server if needed.

1. Find a Prefect server: ``--api-url`` (must answer), else ``PREFECT_API_URL`` (env or
   profile), else ``http://127.0.0.1:<--port or 4200>``; reuse the first that answers
   ``/api/health``.
2. None answers: start ``prefect server start --host 127.0.0.1`` on a free port (4200 if
   free), with telemetry and analytics off, and wait for ``/api/health``.
3. Serve the deployment ``clean-corpus/<name>`` with its parameters and schedule
   (what ``flow.serve(..., pause_on_shutdown=False)`` does, one run at a time), and print
   the UI address.
4. On SIGTERM or Ctrl-C: stop serving first, then stop the server it started (never one it
   reused). The server runs in its own session and, on Linux, dies with this process.

Enters: INPUT_DIR, the options of ``run`` and a ``--cron`` or ``--interval``. Leaves: a
served deployment (its runs write what ``run`` writes) until stopped; exit 0 when stopped.
Imports Prefect only when the command runs, never at import.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from cleaners.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Handler,
    add_command,
    add_common_output,
    fail,
)
from flows import runners
from flows import server as srv
from flows.options import add_runner_options, check_args, flow_parameters
from flows.settings import apply_prefect_env_defaults

_INTERVAL_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(sec|min|s|m|h|d)?", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> timedelta:
    """A schedule interval: ``30s``, ``15m``, ``2h``, ``1d``, ``1h30m``, or plain seconds.

    >>> parse_interval("15m"), parse_interval("1h30m"), parse_interval("5")
    (datetime.timedelta(seconds=900), datetime.timedelta(seconds=5400), datetime.timedelta(seconds=5))
    >>> parse_interval("soon")
    Traceback (most recent call last):
    ...
    ValueError: --interval 'soon': use a number with s, m, h or d (15m, 1h30m, 90s)
    """
    s = text.strip()
    pos, seconds = 0, 0.0
    for m in _INTERVAL_RE.finditer(s):
        if m.start() != pos:
            break
        seconds += float(m.group(1)) * _UNITS[(m.group(2) or "").lower()]
        pos = m.end()
        while pos < len(s) and s[pos] == " ":
            pos += 1
    if not s or pos != len(s) or seconds <= 0:
        raise ValueError(f"--interval {text!r}: use a number with s, m, h or d (15m, 1h30m, 90s)")
    return timedelta(seconds=seconds)


def check_cron(expr: str) -> str:
    """Validate a cron expression as Prefect does; raise ``ValueError``."""
    from prefect._internal.schemas.validators import validate_cron_string

    try:
        return validate_cron_string(expr)
    except ValueError as exc:
        raise ValueError(f"--cron {expr!r}: {exc}") from None


def _sigterm_as_ctrl_c(signum: int, frame: Any) -> None:
    """Handle SIGTERM like Ctrl-C: asyncio then cancels the runner cleanly."""
    signal.raise_signal(signal.SIGINT)


def serve(
    flow: Any,
    *,
    name: str,
    cron: str | None,
    interval: timedelta | None,
    parameters: dict[str, Any],
) -> None:
    """``flow.serve(...)`` with three differences, until Ctrl-C or SIGTERM.

    * ``pause_on_shutdown=False``: stopping this process does not pause the schedule.
    * One run at a time (``Runner(limit=1)``): a run that comes due while the previous
      one still runs waits for it, so two runs never write one folder at once. (Not the
      deployment concurrency limit: its slot, counted in the database but leased in the
      server's memory, stays taken after a crash and a server restart, and then every
      run is cancelled.)
    * SIGTERM is handled like Ctrl-C. Prefect 3.8's own SIGTERM handler does not stop its
      runner (``coroutine 'Runner.astop' was never awaited``, then ``SystemExit`` lands in
      a task group and the runner keeps running).
    """
    import asyncio

    from prefect.runner import Runner

    runner = Runner(name=name, pause_on_shutdown=False, limit=1)
    runner.handle_sigterm = _sigterm_as_ctrl_c  # type: ignore[method-assign]
    runner.add_flow(
        flow,
        name=name,
        cron=cron,
        interval=interval,
        parameters=parameters,
    )
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass


def run_schedule(args: argparse.Namespace) -> int:
    """clean a folder on a schedule (serves the flow; starts a local Prefect server if none is
    reachable)

    Serve the clean-corpus flow for INPUT_DIR on a cron or interval schedule. Reuses the
    Prefect server at --api-url or PREFECT_API_URL if it answers; otherwise starts `prefect
    server start --host 127.0.0.1` and stops it on exit. Stop with Ctrl-C or SIGTERM.
    """
    checked = check_args(args)
    if checked is None:
        return EXIT_USAGE
    config, (kind, workers, address) = checked
    apply_prefect_env_defaults()  # before Prefect is imported (check_cron imports it)
    interval: timedelta | None = None
    try:
        if args.interval is not None:
            interval = parse_interval(args.interval)
        else:
            check_cron(args.cron)
    except ValueError as exc:
        return fail(exc)

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    # Ctrl-C and SIGTERM both stop us, even when started in the background by a shell
    # that set SIGINT to "ignore".
    signal.signal(signal.SIGTERM, _sigterm_as_ctrl_c)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    local: srv.LocalServer | None = None
    try:
        from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

        if args.api_url:
            api = srv.first_healthy([args.api_url])
            if api is None:
                return fail(f"no Prefect server answers at {args.api_url}")
            say(f"using the Prefect server at {api}")
        else:
            configured = get_current_settings().api.url
            port = args.port or srv.DEFAULT_PORT
            api = srv.first_healthy([configured, f"http://127.0.0.1:{port}/api"])
            if api is not None:
                say(f"reusing the Prefect server at {api}")
            else:
                if configured:
                    say(f"PREFECT_API_URL={configured} does not answer; starting a local server")
                if args.port and not srv.port_is_free(args.port):
                    return fail(f"port {args.port} is in use by something that is not a "
                                "Prefect server")
                local = srv.LocalServer(srv.free_port(port))
                say(f"starting a Prefect server on {local.ui_url} (log: {local.log_path}) ...")
                local.start()
                local.wait_healthy(args.startup_timeout)
                api = local.api_url
        os.environ["PREFECT_API_URL"] = api  # for the flow-run processes serve starts
        with temporary_settings({PREFECT_API_URL: api}):
            from flows.clean_corpus import clean_corpus

            flow = clean_corpus.with_options(
                task_runner=runners.make_task_runner(kind, workers=workers, dask_address=address)
            )
            params = flow_parameters(args, config, workers)
            name = args.name or Path(params["input_dir"]).name or "scrubline"
            when = f"cron {args.cron!r}" if args.cron else f"every {interval}"
            say(
                f"\nserving deployment 'clean-corpus/{name}': {params['input_dir']} -> "
                f"{params['output_dir']}, {when}, {kind} runner, {workers} workers\n"
                f"Prefect UI: {srv.ui_url_of(api)}  (runs: {srv.ui_url_of(api)}/runs)\n"
                f"run it now: prefect deployment run 'clean-corpus/{name}'\n"
                "stop with Ctrl-C or SIGTERM"
                + (" (the server started here stops too)" if local else "")
                + "\n"
            )
            serve(flow, name=name, cron=args.cron, interval=interval, parameters=params)
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGTERM before serving started
    except RuntimeError as exc:
        return fail(exc, EXIT_FAILED)
    finally:
        # Serving has stopped; now the server. No second signal interrupts the clean-up, nor
        # the exit: a SIGINT that arrives late (asyncio and Prefect's threads shut down
        # after ``serve`` returns) would otherwise end the process by signal, not with 0.
        # The handlers stay ignored: this is the command's end, the process exits next.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if local is not None:
            say(f"stopping the Prefect server on {local.ui_url}")
            local.stop()
    say("stopped")
    return EXIT_OK


def register(sub: Any) -> dict[str, Handler]:
    """Add ``schedule`` (through :func:`flows.cli.register`)."""
    p = add_command(sub, "schedule", run_schedule)
    p.add_argument("input_dir", metavar="INPUT_DIR", help="folder of inputs")
    add_common_output(p, default_out=None)
    when = p.add_argument_group("schedule").add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", metavar="EXPR", help='cron expression, e.g. "0 * * * *"')
    when.add_argument("--interval", metavar="DURATION", help="e.g. 30s, 15m, 2h, 1d")
    s = p.add_argument_group("server")
    s.add_argument("--name", help="deployment name (default: the input folder's name)")
    s.add_argument(
        "--api-url", metavar="URL",
        help="use this Prefect server (e.g. http://host:4200/api); it must answer",
    )
    s.add_argument(
        "--port", type=int, default=None,
        help="port of the local server to reuse or start (default: 4200, or a free one)",
    )
    s.add_argument(
        "--startup-timeout", type=float, default=180.0, metavar="SECONDS",
        help="how long to wait for a server started here (default: 180)",
    )
    add_runner_options(p)
    return {"schedule": run_schedule}
