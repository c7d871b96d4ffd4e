"""Files in, files out: the names the CLI, the flow and the other layers use, one import away.

Enters: input paths and an output folder. Leaves: cleaned bodies, sidecars, the manifest
and the run summary. The CLI and the Prefect flow both call :func:`clean_file` (through
:func:`clean_files`), so they write the same bytes. Guarantees (README "Failure
behaviour"; docs/failure.md):

* inputs are only ever read;
* each output is written to a temporary file in its own folder and renamed into place, so
  a reader (or a killed run) never sees half a file; temporary files a killed run leaves
  behind are removed by the next run (:func:`remove_stale_temp_files`, under the lock);
* every input file gets a manifest row: ``cleaned``, ``skipped`` (with why) or ``failed``
  (with the reason and the exception type); one bad document never stops a run;
* output names derive from input paths relative to their input root, and nothing is ever
  written outside the output folder;
* a document whose input hash, pipeline version and config hash match its existing sidecar
  is skipped without being cleaned again (``force=True`` re-cleans), so re-running an
  interrupted run completes the rest;
* one run at a time per output folder (:class:`OutputLock`).

Where each job lives, in the order a file meets them:

* :mod:`.sniff`: bytes -> text (BOMs, declared charsets, legacy encodings, binary and
  format sniffing);
* :mod:`.discovery`: input paths -> :class:`InputFile` rows, document ids, output paths;
* :mod:`.one_file`: one input -> body, sidecar, manifest row (:func:`clean_file`);
* :mod:`.outputs`: sidecars, manifest rows and the manifest, up-to-date checks;
* :mod:`.atomic`: atomic writes and the output folder's lock;
* :mod:`.pool`: many inputs -> rows in input order, in one process or the library's
  worker pool (:class:`DocumentPool`; the flow uses it too), each document under a time
  budget;
* :mod:`.summary`: rows -> the run summary;
* :mod:`.export`: an output folder -> one dataset file (imported on its own).
"""

from __future__ import annotations

from cleaners.io.atomic import (
    LOCK_NAME,
    check_no_symlink,
    file_mode,
    TMP_SUFFIX,
    OutputLock,
    OutputLocked,
    atomic_target,
    atomic_write,
    remove_stale_temp_files,
)
from cleaners.io.discovery import (
    NAME_MAX,
    RESERVED_FOLDERS,
    InputFile,
    OutputIsInput,
    UnsafePath,
    discover,
    check_out_vs_inputs,
    display_path,
    fit_name,
    is_output_folder,
    parse_display,
    output_paths,
    safe_output_paths,
    scan_ids,
)
from cleaners.io.one_file import DOC_TIMEOUT_DEFAULT, clean_file
from cleaners.io.outputs import (
    MANIFEST_NAME,
    MAX_BYTES_DEFAULT,
    ManifestRow,
    build_sidecar,
    load_sidecar,
    sidecar_problem,
    dumps_json,
    sha256,
    up_to_date_row,
    write_manifest,
)
from cleaners.io.pool import (
    POOL_MIN_DOCS,
    DocumentPool,
    available_cpus,
    clean_files,
    warm_up,
)
from cleaners.io.sniff import (
    DETECT_BYTES,
    HTML_SUFFIXES,
    SNIFF_BYTES,
    TEXT_SUFFIXES,
    SniffedText,
    binary_reason,
    looks_like_html,
    sniff_format,
    sniff_text,
    sniff_utf16_32,
)
from cleaners.io.summary import summarize

__all__ = [
    "DETECT_BYTES",
    "DOC_TIMEOUT_DEFAULT",
    "HTML_SUFFIXES",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "MAX_BYTES_DEFAULT",
    "NAME_MAX",
    "POOL_MIN_DOCS",
    "SNIFF_BYTES",
    "TEXT_SUFFIXES",
    "TMP_SUFFIX",
    "DocumentPool",
    "InputFile",
    "OutputIsInput",
    "RESERVED_FOLDERS",
    "ManifestRow",
    "OutputLock",
    "OutputLocked",
    "SniffedText",
    "UnsafePath",
    "atomic_target",
    "atomic_write",
    "available_cpus",
    "binary_reason",
    "build_sidecar",
    "check_no_symlink",
    "clean_file",
    "check_out_vs_inputs",
    "clean_files",
    "discover",
    "display_path",
    "dumps_json",
    "file_mode",
    "fit_name",
    "is_output_folder",
    "load_sidecar",
    "looks_like_html",
    "output_paths",
    "parse_display",
    "remove_stale_temp_files",
    "safe_output_paths",
    "scan_ids",
    "sha256",
    "sidecar_problem",
    "sniff_format",
    "sniff_text",
    "sniff_utf16_32",
    "summarize",
    "up_to_date_row",
    "warm_up",
]
