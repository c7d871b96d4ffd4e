"""The Prefect flow writes what the CLI writes, and publishes its artifacts."""

from __future__ import annotations

import pytest

from cleaners.cli import main

from .conftest import read_tree

pytestmark = pytest.mark.flow


def test_flow_outputs_equal_cli_outputs(prefect_server, tmp_path, seeds_dir):
    from flows.clean_corpus import clean_corpus

    assert main(["clean", str(seeds_dir), "--out", str(tmp_path / "cli"), "-q"]) == 0
    summary = clean_corpus(input_dir=str(seeds_dir), output_dir=str(tmp_path / "flow"))
    assert summary["cleaned"] == 5 and summary["failed"] == 0
    assert read_tree(tmp_path / "flow") == read_tree(tmp_path / "cli")

    again = clean_corpus(input_dir=str(seeds_dir), output_dir=str(tmp_path / "flow"))
    assert again["skipped"] == 5 and again["cleaned"] == 0


def test_flow_publishes_a_table_and_a_summary(prefect_server, tmp_path, seeds_dir):
    import asyncio

    from prefect.client.orchestration import get_client

    from flows.clean_corpus import clean_corpus

    clean_corpus(input_dir=str(seeds_dir), output_dir=str(tmp_path / "out"))

    async def read():
        async with get_client() as client:
            return await client.read_artifacts()

    artifacts = asyncio.run(read())
    kinds = {(a.key, a.type) for a in artifacts}
    assert ("scrubline-seeds-documents", "table") in kinds
    assert ("scrubline-seeds-summary", "markdown") in kinds


def test_a_failed_batch_fails_its_documents_and_the_run_goes_on(prefect_server, tmp_path):
    from flows import clean_corpus as module

    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(f"Document {i}.")
    calls = {"n": 0}
    real = module.io.clean_files

    def flaky(files, *a, **k):
        calls["n"] += 1
        if any(f.rel == "d0.txt" for f in files):
            raise RuntimeError("disk on fire")
        return real(files, *a, **k)

    module.io.clean_files = flaky
    try:
        summary = module.clean_corpus(
            input_dir=str(src), output_dir=str(tmp_path / "out"), batch_docs=2
        )
    finally:
        module.io.clean_files = real
    assert summary["failed"] == 2 and summary["cleaned"] == 2
    manifest = (tmp_path / "out" / "manifest.jsonl").read_text()
    assert manifest.count('"failed"') == 2 and "disk on fire" in manifest
