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
    """A progress bar on stderr (documents and MB per second) when it is a terminal."""

    def __init__(self, total: int, total_bytes: int, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self._bar: Any = None
        self._task: Any = None
        self.total = total
        self.total_bytes = total_bytes
        self._lock = threading.Lock()

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]cleaning"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("docs"),
                TransferSpeedColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("clean", total=self.total_bytes or 1, rate="")
            self._docs = 0
        return self

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
                    description=f"{self._docs}/{self.total}",
                )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def print_summary(summary: dict[str, Any], out_dir: Path, *, file: Any = None) -> None:
    """Print the run summary (counts, bytes, top rules) to stderr."""
    file = file or sys.stderr
    print(
        f"{summary['documents']} documents: {summary['cleaned']} cleaned, "
        f"{summary['skipped']} skipped, {summary['failed']} failed; "
        f"{summary['bytes_in']:,} -> {summary['bytes_out']:,} bytes; "
        f"{summary['edits']} edits, {summary['review']} review entries",
        file=file,
    )
    top = list(summary["edits_per_rule"].items())[:8]
    if top:
        print("top rules: " + ", ".join(f"{k} {v}" for k, v in top), file=file)
    print(f"outputs and manifest.jsonl in {out_dir}", file=file)
