"""Item 1 of issue 17: the pipeline version digests the shipped source of cleaners/, so any
code or table change re-cleans (the real package is never modified: a temp copy is)."""

from __future__ import annotations

import shutil

from cleaners import __about__
from cleaners.core.pipeline import PACKAGE_DIR, pipeline_version, source_digest


def _copy(tmp_path):
    pkg = tmp_path / "cleaners"
    shutil.copytree(PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return pkg


def test_the_version_is_the_library_version_plus_the_source_digest():
    assert pipeline_version() == f"{__about__.__version__}+{source_digest(PACKAGE_DIR)[:12]}"
    assert pipeline_version() is pipeline_version()  # computed once per process


def test_any_change_to_a_module_or_a_table_changes_the_digest(tmp_path):
    pkg = _copy(tmp_path)
    base = source_digest(pkg)
    assert base == source_digest(PACKAGE_DIR)  # the copy digests as the package does

    table = pkg / "rules" / "boilerplate" / "lines.py"
    original = table.read_bytes()
    table.write_bytes(original.replace(b"Back to top", b"Back to the top", 1))
    assert original != table.read_bytes()
    assert source_digest(pkg) != base  # a pattern table edited
    table.write_bytes(original)
    assert source_digest(pkg) == base

    (pkg / "core" / "pipeline.py").write_bytes(
        (pkg / "core" / "pipeline.py").read_bytes() + b"\n# a comment\n"
    )
    assert source_digest(pkg) != base  # any code change, even a comment


def test_package_data_files_count_and_caches_do_not(tmp_path):
    pkg = _copy(tmp_path)
    base = source_digest(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0compiled")
    (pkg / ".hidden").write_text("editor state")
    assert source_digest(pkg) == base  # not shipped source
    (pkg / "rules" / "extra_words.txt").write_text("stamp\n")
    with_data = source_digest(pkg)
    assert with_data != base
    (pkg / "rules" / "extra_words.txt").write_text("stamp2\n")
    assert source_digest(pkg) != with_data  # a data table's content


def test_a_file_moved_to_another_path_changes_the_digest(tmp_path):
    pkg = _copy(tmp_path)
    base = source_digest(pkg)
    (pkg / "core" / "limits.py").rename(pkg / "core" / "limits2.py")
    assert source_digest(pkg) != base
