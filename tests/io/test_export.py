"""``scrubline export``: JSON lines and Parquet that dataset tools load without glue code."""

from __future__ import annotations

import io as stdio
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from cleaners.cli import main
from cleaners.io.export import drop_duplicates, export, metadata_types

from ..conftest import SEEDS

IDS = [
    "000_a84aef7cf012a7d2",
    "001_70bdca7a8d704a85",
    "002_8294012faee38cb1",
    "003_7f106514c5169790",
    "004_2588aa231c02aec4",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export-out")
    assert main(["clean", str(SEEDS), "--out", str(folder), "-q"]) == 0
    return folder


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_jsonl_has_one_record_per_document_with_text_metadata_and_links(out, tmp_path):
    path = tmp_path / "docs.jsonl"
    assert main(["export", str(out), "-o", str(path), "-q"]) == 0
    recs = read_jsonl(path)
    assert [r["id"] for r in recs] == IDS
    for r in recs:
        assert set(r) == {"id", "text", "source_path", "language", "metadata", "duplicates"}
        assert r["text"] == (out / f"{r['id']}.txt").read_text("utf-8")
        assert r["metadata"] == json.loads((out / f"{r['id']}.json").read_text())["metadata"]
    by_id = {r["id"]: r for r in recs}
    assert {(d["id"], d["relation"]) for d in by_id[IDS[1]]["duplicates"]} == {
        (IDS[0], "contained_in")
    }
    assert by_id[IDS[3]]["language"] == "de"
    assert by_id[IDS[2]]["duplicates"] == []


def test_drop_duplicates_keeps_the_longest_and_the_translation(out, tmp_path):
    path = tmp_path / "docs.jsonl"
    assert main(["export", str(out), "--drop-duplicates", "-o", str(path), "-q"]) == 0
    assert [r["id"] for r in read_jsonl(path)] == [IDS[0], IDS[2], IDS[3], IDS[4]]


def test_default_path_is_inside_the_folder_and_not_read_back_as_a_document(out, tmp_path):
    folder = tmp_path / "o"
    shutil.copytree(out, folder)
    assert main(["export", str(folder), "-q"]) == 0
    assert (folder / "_export" / "documents.jsonl").exists()
    assert main(["export", str(folder), "-q"]) == 0
    assert len(read_jsonl(folder / "_export" / "documents.jsonl")) == 5


def test_stdout_export(out):
    buf = stdio.StringIO()
    with redirect_stdout(buf):
        assert main(["export", str(out), "-o", "-", "-q"]) == 0
    assert [json.loads(x)["id"] for x in buf.getvalue().splitlines()] == IDS


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "{missing}"], "not an output folder"),
        (["export", "{empty}"], "no documents"),
        (["export", "{out}", "--format", "parquet", "-o", "-"], "standard output"),
    ],
)
def test_usage_errors(argv, message, out, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    names = {"missing": tmp_path / "nope", "empty": tmp_path / "empty", "out": out}
    assert main([a.format(**names) for a in argv]) == 2
    assert message in capsys.readouterr().err


def test_metadata_types_are_uniform_across_records():
    from cleaners.io.export import _Doc

    docs = [
        _Doc("a", None, "en", {"title": "T", "authors": "Cheng Yu", "n": 1}, [], 1),
        _Doc("b", None, "en", {"title": None, "authors": ["A", "B"], "n": 2.5}, [], 1),
        _Doc("c", None, "en", {"extra": {"k": 1}, "flag": True}, [], 1),
    ]
    assert metadata_types(docs) == {
        "title": "str",
        "authors": "list",
        "extra": "json",
        "flag": "bool",
        "n": "float",
    }
    kept, dropped = drop_duplicates(docs)
    assert len(kept) == 3 and dropped == 0


def _mixed_folder(out: Path, tmp_path: Path) -> Path:
    """The seeds, with metadata of different types per document (as richer rules give)."""
    folder = tmp_path / "mixed"
    shutil.copytree(out, folder)
    extra = {
        IDS[0]: {"authors": ["Li Yan"], "title": "AI industrial chain", "words": 1595},
        IDS[1]: {"authors": "Someone", "words": 600.5},
        IDS[4]: {"custom": {"edition": "Hong Kong"}},
    }
    for doc_id, meta in extra.items():
        p = folder / f"{doc_id}.json"
        sc = json.loads(p.read_text("utf-8"))
        sc["metadata"].update(meta)
        p.write_text(json.dumps(sc), "utf-8")
    return folder


def test_pandas_and_pyarrow_load_both_formats(out, tmp_path):
    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    folder = _mixed_folder(out, tmp_path)
    jl, pa_path = tmp_path / "d.jsonl", tmp_path / "d.parquet"
    assert main(["export", str(folder), "-o", str(jl), "-q"]) == 0
    assert main(["export", str(folder), "--format", "parquet", "-o", str(pa_path), "-q"]) == 0
    df_json = pd.read_json(jl, lines=True)
    df_parquet = pd.read_parquet(pa_path)
    assert list(df_json["id"]) == list(df_parquet["id"]) == IDS
    table = pq.read_table(pa_path)
    assert table.num_rows == 5
    rows = table.to_pylist()
    assert rows[0]["metadata"]["authors"] == ["Li Yan"]
    assert rows[1]["metadata"]["authors"] == ["Someone"]
    assert rows[4]["metadata"]["custom"] == '{"edition": "Hong Kong"}'
    assert rows[0]["duplicates"] == read_jsonl(jl)[0]["duplicates"]
    import pyarrow.json as pj

    assert pj.read_json(jl).num_rows == 5  # the reader datasets' json loader uses


def test_huggingface_datasets_loads_both_formats(out, tmp_path):
    datasets = pytest.importorskip("datasets")
    folder = _mixed_folder(out, tmp_path)
    for fmt in ("jsonl", "parquet"):
        path = tmp_path / f"d.{fmt}"
        assert main(["export", str(folder), "--format", fmt, "-o", str(path), "-q"]) == 0
        loader = "json" if fmt == "jsonl" else "parquet"
        ds = datasets.load_dataset(
            loader, data_files=str(path), split="train", cache_dir=str(tmp_path / "hf")
        )
        assert ds.num_rows == 5 and ds[1]["duplicates"][0]["relation"] == "contained_in"


def test_parquet_without_pyarrow_is_a_usage_error_with_advice(out, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *a, **k):
        if name.startswith("pyarrow"):
            raise ImportError("no pyarrow here")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ImportError, match=r"scrubline\[export\]"):
        export(out, tmp_path / "x.parquet", fmt="parquet")
