"""Corpus-level knowledge: near-duplicates, fragments and translations across documents.

After a run, :func:`link_outputs` adds the run's documents to the output folder's index
(``_index/corpus-index.jsonl``), links them to every document indexed by this or earlier
runs, and writes each affected sidecar's ``duplicates`` list::

    "duplicates": [{"id": "000_a84aef7cf012a7d2", "relation": "contained_in", "score": 0.98}]

Relations: ``duplicate`` (each mostly inside the other; score = Jaccard estimate),
``contained_in`` / ``contains`` (the smaller one inside the larger; score = containment),
``translation_of`` (different languages, same story; score from shared anchors). A
sidecar without the key has no links. Only the sidecar's ``duplicates`` key changes: the
body and its ``output_sha256`` stay, so incremental runs still skip unchanged documents.

Pieces: :mod:`.shingles` (normalization, shingles, FracMinHash), :mod:`.anchors`
(numbers and names for translations), :mod:`.index` (the persistent index and the rules
for links).

Decisions (figures from ``benchmarks/linking.py``, 2 shared cores):

* Own FracMinHash over numpy, not datasketch: a k=128 MinHash (datasketch's or ours) costs
  3-5x the CPU per document, needs scipy, and banded LSH finds a fragment of 30% of its
  source one time in four, of 15% almost never; the FracMinHash index finds all of them
  (containment, not Jaccard).
* The index is one JSON-lines file, not SQLite: SQLite postings were slower to build and
  far slower to query (1000 candidate queries cost more than linking 10,000 documents in
  numpy), larger on disk, and their bytes depend on history.
* Translations are found from anchors, with no model: numbers (as values, across decimal
  conventions and scale words), years, Latin-script names weighted by rarity (wordfreq),
  both coverages and their order. Topical neighbours (the seeds 002 and 004) share names
  but neither the figures nor the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleaners.corpus.index import INDEX_DIR, CorpusIndex, DocEntry, LinkConfig, make_entry
from cleaners.io import atomic_write, dumps_json, load_sidecar, output_paths, scan_ids
from cleaners.io.atomic import check_no_symlink

__all__ = ["CorpusIndex", "DocEntry", "LinkConfig", "link_outputs", "make_entry", "read_body",
           "scan_ids"]


def _read_sidecar(path: Path) -> dict[str, Any] | None:
    return load_sidecar(path)  # malformed: not linked (the next run cleans it again)


def read_body(path: Path, max_chars: int) -> tuple[str, str]:
    """A document body, or its first ``max_chars`` characters (cut at the last space
    within them) when it is longer, and the note that says so (``""`` for the whole body).

    Reads at most ``max_chars + 1`` characters: memory stays bounded however large the
    file (``max_chars=0``: no limit).
    """
    with path.open(encoding="utf-8") as f:
        text = f.read(max_chars + 1 if max_chars else -1)
    if not max_chars or len(text) <= max_chars:
        return text, ""
    cut = max(text.rfind(" ", 0, max_chars + 1), text.rfind("\n", 0, max_chars + 1))
    text = text[: cut if cut > max_chars // 2 else max_chars]
    size = path.stat().st_size
    note = (f"sketched from its first {len(text):,} characters of {size:,} bytes: linking "
            f"reads at most {max_chars:,} characters of a document (its memory budget)")
    return text, note


def link_outputs(
    out_dir: Path | str,
    ids: Iterable[str] | None = None,
    *,
    config: LinkConfig | None = None,
) -> dict[str, int]:
    """Index the documents ``ids`` of ``out_dir`` (all when ``None``), link them to all the
    folder's indexed documents, and update the ``duplicates`` of affected sidecars.

    A missing or outdated index is rebuilt from every document in the folder; documents
    whose files are gone leave the index (and their partners' sidecars). Returns counts:
    ``documents`` indexed, ``indexed`` (added or changed now), ``pairs``, ``sidecars``
    rewritten, ``sampled`` (bodies above the memory budget, sketched from their start;
    their index entries carry a ``note``).
    """
    out_dir = Path(out_dir)
    check_no_symlink(out_dir, CorpusIndex.path_in(out_dir))  # a planted _index link: refused
    index, usable = CorpusIndex.load(out_dir, config)
    run_ids = scan_ids(out_dir) if (ids is None or not usable) else sorted(set(ids))

    gone = [d for d in index.docs if not all(p.exists() for p in output_paths(out_dir, d))]
    touched = index.remove(gone)

    sidecars: dict[str, dict[str, Any]] = {}
    entries: list[DocEntry] = []
    sampled = 0
    for doc_id in run_ids:
        body_path, sidecar_path = output_paths(out_dir, doc_id)
        sc = _read_sidecar(sidecar_path)
        if sc is None:
            touched |= index.remove([doc_id])
            continue
        sidecars[doc_id] = sc
        lang = (sc.get("metadata") or {}).get("language")
        lang = None if not lang or lang == "und" else str(lang)
        old = index.docs.get(doc_id)
        if old is not None and old.sha == sc["output_sha256"] and old.lang == lang:
            continue
        try:
            text, note = read_body(body_path, index.config.max_chars)
        except (OSError, UnicodeDecodeError):
            touched |= index.remove([doc_id])
            continue
        sampled += bool(note)
        entries.append(make_entry(doc_id, text, sha=sc["output_sha256"], lang=lang,
                                  config=index.config, note=note))
        del text
    touched |= index.add(entries)

    written = 0
    for doc_id in sorted(set(sidecars) | touched):
        sc = sidecars.get(doc_id)
        if sc is None:
            sc = _read_sidecar(output_paths(out_dir, doc_id)[1])
            if sc is None:
                continue
        want = index.links_of(doc_id)
        if sc.get("duplicates", []) == want and ("duplicates" in sc or not want):
            continue
        if want:
            sc["duplicates"] = want
        else:
            sc.pop("duplicates", None)
        atomic_write(output_paths(out_dir, doc_id)[1], dumps_json(sc))
        written += 1
    if index.dirty or not usable:
        atomic_write(CorpusIndex.path_in(out_dir), index.dumps())
    return {
        "documents": len(index.docs),
        "indexed": len(entries),
        "pairs": len(index.pairs),
        "sidecars": written,
        "sampled": sampled,
    }


# The index folder name, for tools that walk output folders.
INDEX_FOLDER = INDEX_DIR
