"""What a cleaning run shows on stderr: a progress bar while it runs, a summary at the end.

Enters: the number of documents and bytes to clean, then each document's bytes as it is
done (:class:`Progress`, shared by ``clean`` and the flow's ``run``); the run's summary
(:func:`cleaners.io.summarize`).
Leaves: a ``rich`` progress bar on a terminal (nothing elsewhere, nor under ``CI``) and the
summary lines (:func:`print_summary`).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any


class Progress:
    """A progress bar on stderr when it is a terminal: documents done out of all, bytes done
    out of all (the bar itself follows bytes), MB per second and documents per second.

    ``console`` (a ``rich`` console) draws the bar there even when it is not a terminal.
    """

    def __init__(
        self, total: int, total_bytes: int, *, enabled: bool, console: Any = None
    ) -> None:
        on_terminal = sys.stderr.isatty() and not os.environ.get("CI")
        self.enabled = enabled and (console is not None or on_terminal)
        self._console = console
        self._bar: Any = None
        self._task: Any = None
        self.total = total
        self.total_bytes = total_bytes
        self._docs = 0
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]cleaning"),
                BarColumn(),
                TextColumn("{task.fields[docs]}"),
                DownloadColumn(),
                TransferSpeedColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=self._console or Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(
                "clean", total=self.total_bytes or 1, rate="", docs=self.docs_label()
            )
        return self

    def docs_label(self) -> str:
        """Documents done out of all, e.g. ``3/5 docs`` (the bar's own units are bytes)."""
        return f"{self._docs}/{self.total} docs"

    def advance(self, n_bytes: int) -> None:
        """One document of ``n_bytes`` done (thread-safe: flow batches call it from threads)."""
        if self._bar is not None:
            with self._lock:
                self._docs += 1
                elapsed = self._bar.tasks[0].elapsed or 1e-9
                self._bar.update(
                    self._task,
                    advance=n_bytes,
                    rate=f"{self._docs / elapsed:.0f} docs/s",
                    docs=self.docs_label(),
                )

    def render(self) -> str:
        """The bar as plain text, as it shows now (empty when it is not shown)."""
        if self._bar is None:
            return ""
        console = self._bar.console
        with console.capture() as cap:
            console.print(self._bar.get_renderable())
        return cap.get()

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def print_summary(summary: dict[str, Any], out_dir: Path, *, file: Any = None) -> None:
    """Print the run summary (counts, bytes, top rules) to stderr."""
    file = file or sys.stderr
    print(
        f"{summary['documents']} documents: {summary['cleaned']} cleaned"
        + (f" ({summary['reused']} up to date, not cleaned again)" if summary.get("reused") else "")
        + f", {summary['skipped']} skipped, {summary['failed']} failed; "
        f"{summary['bytes_in']:,} -> {summary['bytes_out']:,} bytes; "
        f"{summary['edits']} edits, {summary['review']} review entries",
        file=file,
    )
    top = list(summary["edits_per_rule"].items())[:8]
    if top:
        print("top rules: " + ", ".join(f"{k} {v}" for k, v in top), file=file)
    print(f"outputs and manifest.jsonl in {out_dir}", file=file)
