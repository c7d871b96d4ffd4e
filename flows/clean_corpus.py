"""The ``clean-corpus`` flow: discover inputs, clean them in batches, write the manifest.

One task per *batch* of documents (PREFECT.md section 3: a task run costs 12-20 ms, so one
task per document would cost minutes per 10,000 documents). Each batch task calls the
library, writes its outputs atomically and returns small rows, never the texts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flows.settings import apply_prefect_env_defaults

apply_prefect_env_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402

from cleaners import io  # noqa: E402
from cleaners.config import Config  # noqa: E402
from cleaners.corpus import link_outputs  # noqa: E402

#: A batch closes at this many documents...
BATCH_DOCS_DEFAULT = 250
#: ...or at this many input bytes, whichever comes first.
BATCH_BYTES_DEFAULT = 8 * 1024 * 1024


def make_batches(
    files: list[io.InputFile],
    *,
    max_docs: int = BATCH_DOCS_DEFAULT,
    max_bytes: int = BATCH_BYTES_DEFAULT,
) -> list[list[io.InputFile]]:
    """Split files into batches bounded by count and bytes, keeping their order.

    >>> from pathlib import Path
    >>> fs = [io.InputFile(Path(f"/nonexistent/{i}"), str(i), str(i)) for i in range(5)]
    >>> [len(b) for b in make_batches(fs, max_docs=2)]
    [2, 2, 1]
    """
    batches: list[list[io.InputFile]] = []
    current: list[io.InputFile] = []
    size = 0
    for f in files:
        try:
            n = f.path.stat().st_size
        except OSError:
            n = 0
        if current and (len(current) >= max_docs or size + n > max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(f)
        size += n
    if current:
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


@task(
    name="clean-batch",
    retries=2,
    retry_delay_seconds=1,
    retry_condition_fn=retry_on_io_error,
    persist_result=False,
)
def clean_batch(
    files: list[io.InputFile],
    output_dir: str,
    fmt: str,
    config: Config,
    force: bool,
) -> list[dict[str, Any]]:
    """Clean one batch with the library; return one manifest row (as a dict) per file."""
    rows = io.clean_files(files, Path(output_dir), fmt=fmt, config=config, force=force)
    return [row_to_dict(r) for r in rows]


def row_to_dict(row: io.ManifestRow) -> dict[str, Any]:
    d = row.to_json()
    d["rules"] = row.rules
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
    )


def _run_name() -> str:
    params = flow_run.parameters or {}
    folder = Path(str(params.get("input_dir", "input"))).resolve().name or "input"
    return f"clean-{folder}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def _artifact_key(folder: str) -> str:
    key = "".join(c if c.isalnum() else "-" for c in folder.lower()).strip("-")
    return f"scrubline-{key or 'run'}"[:60]


@flow(name="clean-corpus", flow_run_name=_run_name, log_prints=False)
def clean_corpus(
    input_dir: str = "seeds",
    output_dir: str = "cleaned",
    fmt: str = "auto",
    force: bool = False,
    disabled: list[str] | None = None,
    batch_docs: int = BATCH_DOCS_DEFAULT,
    batch_bytes: int = BATCH_BYTES_DEFAULT,
) -> dict[str, Any]:
    """Clean every file under ``input_dir`` into ``output_dir``; return the run summary."""
    logger = get_run_logger()
    config = Config(disabled=frozenset(disabled or ()))
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = io.discover([input_dir], exclude=out)
    batches = make_batches(files, max_docs=batch_docs, max_bytes=batch_bytes)
    logger.info("%d documents in %d batches from %s", len(files), len(batches), input_dir)

    futures = [clean_batch.submit(b, output_dir, fmt, config, force) for b in batches]
    rows: list[io.ManifestRow] = []
    for batch, fut in zip(batches, futures):
        try:
            rows.extend(row_from_dict(d) for d in fut.result())
        except Exception as exc:  # a failed batch fails its documents; the run goes on
            logger.error("batch of %d documents failed: %s", len(batch), exc)
            rows.extend(
                io.ManifestRow(
                    path=f.rel,
                    status="failed",
                    reason=f"batch failed: {type(exc).__name__}: {exc}",
                    error_type=type(exc).__name__,
                )
                for f in batch
            )
    io.write_manifest(out, rows)
    link_outputs(out, [f.stem for f in files])  # near-duplicates/translations into sidecars
    summary = io.summarize(rows)
    logger.info(
        "%d cleaned, %d skipped, %d failed; %d edits",
        summary["cleaned"],
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
    create_table_artifact(
        key=f"{key}-documents",
        table=[
            {
                "document": r.path,
                "status": r.status,
                "bytes_in": r.bytes_in,
                "bytes_out": r.bytes_out,
                "edits": r.edits,
                "review": r.review,
                "reason": r.reason or "",
            }
            for r in rows
        ],
        description=f"Documents of the run over {input_dir}",
    )
    lines = [
        f"# scrubline run over `{input_dir}`",
        "",
        f"- documents: {summary['documents']} ({summary['cleaned']} cleaned, "
        f"{summary['skipped']} skipped, {summary['failed']} failed)",
        f"- bytes: {summary['bytes_in']:,} in, {summary['bytes_out']:,} out",
        f"- edits: {summary['edits']}, review entries: {summary['review']}",
        f"- outputs: `{output_dir}`",
        "",
        "| rule | edits |",
        "|---|---|",
        *[f"| `{k}` | {v} |" for k, v in summary["edits_per_rule"].items()],
    ]
    failures = [r for r in rows if r.status == "failed"]
    if failures:
        lines += ["", "## Failures", ""] + [f"- `{r.path}`: {r.reason}" for r in failures[:50]]
    create_markdown_artifact(
        key=f"{key}-summary", markdown="\n".join(lines), description="Run summary"
    )
