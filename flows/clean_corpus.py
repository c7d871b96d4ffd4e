"""The ``clean-corpus`` flow: discover inputs, clean them in batches, write the manifest.

One task per *batch* of documents (PREFECT.md section 3: a task run costs 12-20 ms, so one
task per document would cost minutes per 10,000 documents). Each batch task calls the
library, writes its outputs atomically and returns small rows, never the texts.

The documents that need cleaning go to the library's process pool
(:class:`cleaners.io.DocumentPool`, the one ``scrubline clean`` uses): with the default
thread runner one pool of ``workers`` processes per flow run, shared by the batch tasks;
with the ``process`` runner a one-worker pool in each Prefect worker process. So a document
that kills its worker, or passes the time budget (``doc_timeout``), fails alone and the
rest of its batch is cleaned and written. The ``dask`` runner cleans in the Dask worker
(its processes are daemonic and may not start their own). Documents whose outputs are up
to date are reused after one read of the input (hash compared with the sidecar's),
before any process is started; their manifest rows are the rows they got when they were
cleaned, and the summary counts them as ``reused``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from flows.settings import apply_prefect_env_defaults

apply_prefect_env_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.context import FlowRunContext  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402

from cleaners import io  # noqa: E402
from cleaners.core.config import Config  # noqa: E402
from cleaners.configload import OCR_MODES, run_config  # noqa: E402
from cleaners.corpus import link_outputs  # noqa: E402
from flows import runners  # noqa: E402

#: A batch closes at this many documents...
BATCH_DOCS_DEFAULT = 250
#: ...or at this many input bytes, whichever comes first.
BATCH_BYTES_DEFAULT = 8 * 1024 * 1024
#: Batches are not made smaller than this to give every worker one.
BATCH_DOCS_MIN = 50
#: The HTML report another command may write into the output folder (linked if present).
REPORT_NAME = "report.html"
#: At most this many rows in the documents table artifact (manifest.jsonl has them all).
TABLE_ROWS_MAX = 1000


def make_batches(
    files: list[io.InputFile],
    *,
    max_docs: int = BATCH_DOCS_DEFAULT,
    max_bytes: int = BATCH_BYTES_DEFAULT,
    parallel: int = 1,
    sizes: list[int] | None = None,
) -> list[list[io.InputFile]]:
    """Split files into balanced batches bounded by count and bytes, keeping their order.

    The number of batches is the smallest that respects ``max_docs`` and ``max_bytes``,
    raised to ``parallel`` (one batch per worker) while batches keep at least
    :data:`BATCH_DOCS_MIN` documents; documents and bytes are then spread evenly.

    >>> from pathlib import Path
    >>> fs = [io.InputFile(Path(f"/nonexistent/{i}"), str(i), str(i)) for i in range(5)]
    >>> [len(b) for b in make_batches(fs, max_docs=2)]
    [2, 2, 1]
    >>> fs = [io.InputFile(Path(f"/nonexistent/{i}"), str(i), str(i)) for i in range(764)]
    >>> [len(b) for b in make_batches(fs, max_docs=250)]
    [191, 191, 191, 191]
    >>> [len(b) for b in make_batches(fs[:120], max_docs=250, parallel=2)]
    [60, 60]
    >>> [len(b) for b in make_batches(fs[:4], sizes=[5, 5, 90, 5], max_bytes=60)]
    [2, 1, 1]
    """
    if not files:
        return []
    if sizes is None:
        sizes = []
        for f in files:
            try:
                sizes.append(f.path.stat().st_size)
            except OSError:
                sizes.append(0)
    n, total = len(files), sum(sizes)
    k = max(1, math.ceil(n / max(1, max_docs)), math.ceil(total / max(1, max_bytes)))
    k = max(k, min(parallel, n // BATCH_DOCS_MIN))
    per_docs = math.ceil(n / k)
    per_bytes = total / k
    batches: list[list[io.InputFile]] = []
    current: list[io.InputFile] = []
    size = 0
    for f, s in zip(files, sizes):
        if current and (
            len(current) >= min(per_docs, max_docs)
            or size + s > max_bytes
            or (0 < per_bytes <= size and len(batches) < k - 1)
        ):
            batches.append(current)
            current, size = [], 0
        current.append(f)
        size += s
    batches.append(current)
    return batches


def retry_on_io_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a batch only when it failed on I/O (a full disk, a flaky mount), not on bugs."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


# -- progress (the CLI's bar) ----------------------------------------------------------

_progress: Callable[[int], None] | None = None
_progress_lock = threading.Lock()


@contextmanager
def progress_to(callback: Callable[[int], None] | None) -> Iterator[None]:
    """Call ``callback(bytes_in)`` once per finished document while the flow runs here."""
    global _progress
    with _progress_lock:
        previous, _progress = _progress, callback
    try:
        yield
    finally:
        with _progress_lock:
            _progress = previous


def _report(n_bytes: int) -> None:
    callback = _progress
    if callback is not None:
        callback(n_bytes)


# -- the batch task --------------------------------------------------------------------


@task(
    name="clean-batch",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=retry_on_io_error,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def clean_batch(
    files: list[io.InputFile],
    output_dir: str,
    fmt: str,
    config: Config,
    force: bool,
    max_bytes: int = io.MAX_BYTES_DEFAULT,
    pool_workers: int = 1,
    pool_key: str = "",
    label: str = "batch",
    doc_timeout: float = io.DOC_TIMEOUT_DEFAULT,
) -> list[dict[str, Any]]:
    """Clean one batch with the library; return one manifest row (as a dict) per file.

    ``pool_workers >= 1``: the documents that are not up to date are cleaned by the library
    pool of flow run ``pool_key`` in this process (made with that many workers on first
    use); ``0`` cleans them right here (the dask runner), under ``doc_timeout`` only where
    an alarm can be set.
    """
    logger = get_run_logger()
    out = Path(output_dir)
    logger.info("%s: %d documents", label, len(files))
    pool = runners.document_pool(pool_key, pool_workers, doc_timeout) if pool_workers else None
    rows = io.clean_files(
        files,
        out,
        fmt=fmt,
        config=config,
        force=force,
        max_bytes=max_bytes,
        doc_timeout=doc_timeout,
        pool=pool,
        on_done=lambda _f, row: _report(row.bytes_in),
    )
    counts = {s: sum(r.status == s for r in rows) for s in ("cleaned", "skipped", "failed")}
    logger.info(
        "%s done: %d cleaned, %d skipped, %d failed",
        label,
        counts["cleaned"],
        counts["skipped"],
        counts["failed"],
    )
    return [row_to_dict(r) for r in rows]


def row_to_dict(row: io.ManifestRow) -> dict[str, Any]:
    d = row.to_json()
    d["rules"] = row.rules
    d["reused"] = row.reused
    return d


def row_from_dict(d: dict[str, Any]) -> io.ManifestRow:
    return io.ManifestRow(
        path=d["path"],
        status=d["status"],
        reason=d.get("reason"),
        error_type=d.get("error_type"),
        bytes_in=d.get("bytes_in", 0),
        bytes_out=d.get("bytes_out", 0),
        edits=d.get("edits", 0),
        review=d.get("review", 0),
        rules=d.get("rules", {}),
        reused=d.get("reused", False),
    )


# -- the flow --------------------------------------------------------------------------


def _run_name() -> str:
    params = flow_run.parameters or {}
    folder = Path(str(params.get("input_dir", "input"))).resolve().name or "input"
    return f"clean-{folder}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def _artifact_key(folder: str) -> str:
    key = "".join(c if c.isalnum() else "-" for c in folder.lower()).strip("-")
    return f"scrubline-{key or 'run'}"[:60]


def resolve_config(
    input_dir: str,
    config_path: str | None = None,
    disabled: list[str] | None = None,
    ocr: bool | str | None = None,
    language: str | None = None,
) -> Config:
    """The run's root config, resolved as ``scrubline clean`` resolves it.

    The file is ``config_path``, else the one :func:`cleaners.core.configfile.find_config`
    finds for ``input_dir`` (its ``scrubline.toml``, else the current folder's
    ``scrubline.toml`` or ``pyproject.toml`` ``[tool.scrubline]``); ``disabled``, ``ocr``
    and ``language`` are the command line's switches over it. ``ocr`` is ``"auto"``,
    ``"on"``, ``"off"`` (``True``/``False`` mean on/off) or ``None`` (the file's, else
    auto). Raises :class:`cleaners.core.configfile.ConfigError` (a ``ValueError``) for a bad
    file and ``ValueError`` for an unknown id, before any document is read.

    >>> resolve_config("/nonexistent", "/nonexistent/scrubline.toml")
    Traceback (most recent call last):
    ...
    cleaners.core.configfile.ConfigError: /nonexistent/scrubline.toml: config file not found
    >>> resolve_config("/nonexistent", disabled=["punctuation"], ocr=False).ocr
    False
    >>> resolve_config("/nonexistent", ocr="yes")
    Traceback (most recent call last):
    ...
    ValueError: ocr must be one of "auto", "on", "off" (or true, false, null), not 'yes'
    """
    if isinstance(ocr, bool):
        ocr = "on" if ocr else "off"
    elif ocr is not None and ocr not in OCR_MODES:
        modes = '"auto", "on", "off" (or true, false, null)'
        raise ValueError(f"ocr must be one of {modes}, not {ocr!r}")
    return run_config(
        [input_dir], config_path, disable=disabled or (), ocr=ocr, language=language
    )


def _default_task_runner() -> Any:
    kind, workers, address = runners.runner_from_env()
    return runners.make_task_runner(kind, workers=workers, dask_address=address)


@flow(
    name="clean-corpus",
    flow_run_name=_run_name,
    task_runner=_default_task_runner(),
    log_prints=False,
)
def clean_corpus(
    input_dir: str = "seeds",
    output_dir: str = "cleaned",
    fmt: str = "auto",
    force: bool = False,
    config_path: str | None = None,
    disabled: list[str] | None = None,
    ocr: bool | str | None = None,
    language: str | None = None,
    max_bytes: int = io.MAX_BYTES_DEFAULT,
    workers: int | None = None,
    batch_docs: int = BATCH_DOCS_DEFAULT,
    batch_bytes: int = BATCH_BYTES_DEFAULT,
    doc_timeout: float = io.DOC_TIMEOUT_DEFAULT,
) -> dict[str, Any]:
    """Clean every file under ``input_dir`` into ``output_dir``; return the run summary.

    ``workers`` (default: the CPUs available) is how many processes clean documents at
    once; the task runner (``thread``, ``process``, ``dask``) is chosen with
    ``clean_corpus.with_options(task_runner=...)`` or ``SCRUBLINE_RUNNER``.
    ``doc_timeout`` (seconds, 0: none) is the per-document time budget: a document
    cleaning longer fails alone, with why, and the run goes on.

    The config is resolved once, before any document is read, exactly as ``scrubline
    clean`` resolves it (:func:`resolve_config`): ``config_path``, else the
    ``scrubline.toml`` found for ``input_dir`` (or ``[tool.scrubline]``), with
    ``disabled``, ``ocr`` and ``language`` over it (command line > file > defaults). The
    batches get that root config; each document's site section is resolved by the
    library, as in ``clean``. A bad config fails the run before anything is written.

    The run holds the output folder's lock (:class:`cleaners.io.OutputLock`) from before
    discovery until the manifest and corpus index are written; if another run (``clean``
    or ``run``) holds it, the run fails with :class:`cleaners.io.OutputLocked` and writes
    nothing.
    """
    t0 = time.perf_counter()
    logger = get_run_logger()
    config = resolve_config(input_dir, config_path, disabled, ocr, language)
    if config.source:
        logger.info("config file: %s", config.source)
    out = Path(output_dir)
    io.check_out_vs_inputs([input_dir], out)  # --out over an input: refused before any write
    out.mkdir(parents=True, exist_ok=True)
    with io.OutputLock(out):  # raises OutputLocked: another run is writing here
        io.remove_stale_temp_files(out)  # left by a killed run; we hold the lock
        files = io.discover([input_dir], exclude=out)
        ctx = FlowRunContext.get()
        kind = runners.runner_kind(ctx.task_runner) if ctx else "thread"
        workers = workers or runners.default_workers()
        batches = make_batches(
            files, max_docs=batch_docs, max_bytes=batch_bytes, parallel=workers
        )
        logger.info(
            "%d documents in %d batches from %s (%s runner, %d workers)",
            len(files), len(batches), input_dir, kind, workers,
        )
        in_process = kind == "thread"
        # thread: one pool of `workers` here; process: one worker in each Prefect worker;
        # dask: none (Dask's worker processes are daemonic and may not start processes)
        pool_workers = workers if in_process else (1 if kind == "process" else 0)
        key = str(flow_run.id or id(files))
        rows: list[io.ManifestRow] = []
        try:
            futures = [
                clean_batch.submit(
                    b, output_dir, fmt, config, force, max_bytes,
                    pool_workers=pool_workers,
                    pool_key=key,
                    label=f"batch {i}/{len(batches)}",
                    doc_timeout=doc_timeout,
                )
                for i, b in enumerate(batches, 1)
            ]
            for batch, fut in zip(batches, futures):
                try:
                    batch_rows = [row_from_dict(d) for d in fut.result()]
                except Exception as exc:  # a failed batch fails its documents; the run goes on
                    logger.error("batch of %d documents failed: %s", len(batch), exc)
                    batch_rows = [
                        io.ManifestRow(
                            path=io.display_path(f.rel),
                            status="failed",
                            reason=f"batch failed: {type(exc).__name__}: {exc}",
                            error_type=type(exc).__name__,
                        )
                        for f in batch
                    ]
                if not in_process:
                    for r in batch_rows:
                        _report(r.bytes_in)
                rows.extend(batch_rows)
        finally:
            runners.close_pool(key)
        io.write_manifest(out, rows)
        link_outputs(out, [f.stem for f in files])  # near-duplicates/translations into sidecars
    summary = io.summarize(rows)
    summary.update(
        runner=kind, workers=workers, batches=len(batches),
        seconds=round(time.perf_counter() - t0, 3),
    )
    logger.info(
        "%d cleaned (%d reused), %d skipped, %d failed; %d edits",
        summary["cleaned"],
        summary["reused"],
        summary["skipped"],
        summary["failed"],
        summary["edits"],
    )
    publish_artifacts(rows, summary, input_dir, output_dir)
    return summary


def publish_artifacts(
    rows: list[io.ManifestRow], summary: dict[str, Any], input_dir: str, output_dir: str
) -> None:
    """A table of documents and a markdown summary, shown in the Prefect UI."""
    key = _artifact_key(Path(input_dir).resolve().name)
    # Failures first, then cleaned, then skipped documents; capped (the manifest has all).
    order = {"failed": 0, "cleaned": 1, "skipped": 2}
    shown = sorted(rows, key=lambda r: order.get(r.status, 3))[:TABLE_ROWS_MAX]
    more = len(rows) - len(shown)
    create_table_artifact(
        key=f"{key}-documents",
        table=[
            {
                "document": r.path,
                "status": r.status,
                "reused": r.reused,
                "bytes_in": r.bytes_in,
                "bytes_out": r.bytes_out,
                "edits": r.edits,
                "review": r.review,
                "reason": r.reason or "",
            }
            for r in shown
        ],
        description=f"Documents of the run over {input_dir}"
        + (f" (first {len(shown)} of {len(rows)}; all in manifest.jsonl)" if more else ""),
    )
    create_markdown_artifact(
        key=f"{key}-summary",
        markdown=summary_markdown(rows, summary, input_dir, output_dir),
        description="Run summary",
    )


def summary_markdown(
    rows: list[io.ManifestRow], summary: dict[str, Any], input_dir: str, output_dir: str
) -> str:
    """The run summary as markdown: counts, edits per rule, failures, report and manifest.

    >>> rows = [io.ManifestRow("a.txt", "cleaned", edits=2, rules={"normalize.x": 2}),
    ...         io.ManifestRow("b.txt", "failed", reason="boom")]
    >>> md = summary_markdown(rows, io.summarize(rows), "in", "/nonexistent/out")
    >>> "| `normalize.x` | 2 |" in md, "- `b.txt`: boom" in md, "HTML report" in md
    (True, True, False)
    """
    out = Path(output_dir).resolve()
    lines = [
        f"# scrubline run over `{input_dir}`",
        "",
        f"- documents: {summary['documents']} ({summary['cleaned']} cleaned, of which "
        f"{summary['reused']} up to date and reused, {summary['skipped']} skipped, "
        f"{summary['failed']} failed)",
        f"- bytes: {summary['bytes_in']:,} in, {summary['bytes_out']:,} out",
        f"- edits: {summary['edits']}, review entries: {summary['review']}",
        f"- outputs: `{out}` (manifest: `{out / io.MANIFEST_NAME}`)",
    ]
    if "runner" in summary:
        lines.append(
            f"- runner: {summary['runner']}, {summary['workers']} workers, "
            f"{summary['batches']} batches, {summary['seconds']:.1f} s"
        )
    report = out / REPORT_NAME
    if report.is_file():
        lines.append(f"- HTML report: `{report}`")
    lines += ["", "## Edits per rule", "", "| rule | edits |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in summary["edits_per_rule"].items()]
    if not summary["edits_per_rule"]:
        lines.append("| (none) | 0 |")
    failures = [r for r in rows if r.status == "failed"]
    if failures:
        lines += ["", f"## Failures ({len(failures)})", ""]
        lines += [f"- `{r.path}`: {r.reason}" for r in failures[:50]]
        if len(failures) > 50:
            lines.append(f"- ... and {len(failures) - 50} more (see the manifest)")
    return "\n".join(lines)
