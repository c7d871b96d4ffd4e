"""The corpus index: every document's dedup sketch and translation anchors, and the links.

One file, ``<output>/_index/corpus-index.jsonl``, written atomically after each run:

* line 1, a header: format version and the parameters the sketches were made with (when
  they change, the index is rebuilt from the bodies in the folder);
* one ``{"doc": ...}`` line per document, sorted by id: the body's ``output_sha256``, its
  language, shingle count, exact-text key, FracMinHash sketch (base64 of little-endian
  uint64) and anchors (``key@weight`` separated by spaces);
* one ``{"pair": ...}`` line per linked pair, sorted: ``a``, ``b``, ``relation``
  (``duplicate``, ``contained_in`` = a is contained in b, ``translation_of``) and ``score``.

Why a JSON-lines file and not SQLite (both measured, see ``benchmarks/linking.py``): the
candidate search runs on numpy arrays built at load time, which is faster than SQL joins
over a postings table; the file is the same bytes for the same documents whatever order
the runs came in (a golden test can compare it; an SQLite file keeps its history in its
pages and header); and it is readable. The cost is a full rewrite per run (about a second
per 100,000 documents).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from cleaners.corpus.anchors import Anchor, compare, extract_anchors
from cleaners.io.discovery import display_path, parse_display
from cleaners.corpus.shingles import SCALE_DEFAULT, SHINGLE_WORDS_DEFAULT, dedup_words, frac_sketch

FORMAT_VERSION = 1
INDEX_DIR = "_index"
INDEX_FILE = "corpus-index.jsonl"

#: Both documents mostly in each other (containment both ways at least this): ``duplicate``.
DUPLICATE_DEFAULT = 0.8
#: The smaller document at least this much inside the larger: ``contained_in``/``contains``.
CONTAINED_DEFAULT = 0.8
#: Word counts at least this close (smaller/larger) make a pair duplicates, not a fragment.
SAME_SIZE_DEFAULT = 0.9
#: Documents with fewer words are never linked (empty or near-empty bodies are alike).
MIN_WORDS_DEFAULT = 10
#: Sampled shingles two documents must share before they are compared at all.
MIN_SHARED_DEFAULT = 3
#: A sampled hash (or anchor) found in more documents than this is not used to *find*
#: candidates (stock phrases, boilerplate); it still counts when a pair is scored.
DF_CAP_DEFAULT = 1000
#: Translation: score (geometric mean of both coverages times order agreement) ...
TRANSLATION_SCORE_DEFAULT = 0.35
#: ... and each document's anchor weight found in the other, at least this.
TRANSLATION_COVERAGE_DEFAULT = 0.45
#: ... and at least this much shared anchor weight (two names are not a story).
TRANSLATION_SHARED_DEFAULT = 3.0
#: Anchors more specific than years and common names find translation candidates...
STRONG_ANCHOR_DEFAULT = 0.6
#: ...two documents must share this many of them to be compared at all...
MIN_SHARED_ANCHORS_DEFAULT = 2
#: ...and this share of the specific anchors of the one that has fewer.
STRONG_SHARE_DEFAULT = 0.3
#: At most this many links are kept per new document (best scores first), so that a
#: cluster of a thousand copies does not store a million pairs.
MAX_LINKS_DEFAULT = 100
#: Linking's memory budget: a document body longer than this many characters is sketched
#: from its first this-many characters (cut at a space), and its index entry says so.
#: Sketching costs about 15 bytes of memory per character (its words as Python strings,
#: then numpy hashes): 4,000,000 characters stay under 100 MB, where a 50 MB body
#: exhausted a 1 GB limit (``MemoryError`` on every re-run).
MAX_CHARS_DEFAULT = 4_000_000

_U64 = np.dtype("<u8")


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """The parameters of sketches and links (the first two are stored in the index)."""

    shingle_words: int = SHINGLE_WORDS_DEFAULT
    scale: int = SCALE_DEFAULT
    duplicate: float = DUPLICATE_DEFAULT
    contained: float = CONTAINED_DEFAULT
    translation_score: float = TRANSLATION_SCORE_DEFAULT
    translation_coverage: float = TRANSLATION_COVERAGE_DEFAULT
    max_chars: int = MAX_CHARS_DEFAULT

    def header(self) -> dict[str, Any]:
        """What the stored sketches and pairs depend on; any change rebuilds the index."""
        return {
            "format": FORMAT_VERSION,
            "config": [getattr(self, f) for f in self.__slots__],
            "code": _code_digest(),
        }


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A digest of the code that makes sketches, anchors and pairs (and of wordfreq)."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.blake2b(digest_size=8)
    for name in ("shingles.py", "anchors.py", "index.py"):
        h.update((Path(__file__).parent / name).read_bytes())
    try:
        h.update(version("wordfreq").encode())
    except PackageNotFoundError:
        pass
    return h.hexdigest()


@dataclass(slots=True)
class DocEntry:
    """What the index keeps of one document."""

    id: str
    sha: str
    lang: str | None
    words: int
    shingles: int
    key: str
    sketch: np.ndarray
    anchors_text: str  # "key@weight key@weight ..." (parsed only when compared)
    note: str = ""  # why the entry is not from the whole body (linking's memory budget)
    _anchors: list[Anchor] | None = field(default=None, repr=False)
    _strong: np.ndarray | None = field(default=None, repr=False)
    _weights: dict[str, float] | None = field(default=None, repr=False)

    @property
    def anchor_weights(self) -> dict[str, float]:
        """``{key: weight}`` in text order (what :func:`compare` reads fastest)."""
        if self._weights is None:
            self._weights = {x.key: x.weight for x in self.anchors}
        return self._weights

    @property
    def anchors(self) -> list[Anchor]:
        if self._anchors is None:
            out = []
            for item in self.anchors_text.split():
                k, _, w = item.rpartition("@")
                out.append(Anchor(k, float(w)))
            self._anchors = out
        return self._anchors

    def strong_anchor_hashes(self) -> np.ndarray:
        """Hashes of the anchors specific enough to find translation candidates with."""
        if self._strong is None:
            keys = [a.key for a in self.anchors if a.weight >= STRONG_ANCHOR_DEFAULT]
            self._strong = np.unique(np.array([_hash64(k) for k in keys], dtype=np.uint64))
        return self._strong

    def to_json(self) -> dict[str, Any]:
        return {
            "id": display_path(self.id),  # lossless and printable (non-UTF-8 names)
            "sha": self.sha,
            "lang": self.lang,
            "words": self.words,
            "shingles": self.shingles,
            "key": self.key,
            "sketch": base64.b64encode(self.sketch.astype(_U64).tobytes()).decode("ascii"),
            "anchors": self.anchors_text,
            **({"note": self.note} if self.note else {}),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocEntry:
        return cls(
            id=parse_display(d["id"]),
            sha=d["sha"],
            lang=d.get("lang"),
            words=int(d["words"]),
            shingles=int(d["shingles"]),
            key=d["key"],
            sketch=np.frombuffer(base64.b64decode(d["sketch"]), dtype=_U64).astype(np.uint64),
            anchors_text=d["anchors"],
            note=str(d.get("note", "")),
        )


def _hash64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")


def make_entry(
    doc_id: str, text: str, *, sha: str, lang: str | None, config: LinkConfig | None = None,
    note: str = "",
) -> DocEntry:
    """Sketch and anchors of one document body (``note``: it is a sample of the body, and
    why; then only an identical body, by ``sha``, is an exact duplicate of it).

    >>> e = make_entry("a", "The U.S. said 7.6 million units, Zhu Keli said.", sha="x", lang="en")
    >>> e.words, e.shingles, e.anchors_text
    (10, 6, 'n:7.6e+06@1 w:zhu@0.793 w:keli@1')
    """
    config = config or LinkConfig()
    words = dedup_words(text)
    small, positions = frac_sketch(words, config.shingle_words, config.scale)
    lang = None if not lang or lang == "und" else lang
    anchors = extract_anchors(text, lang)
    return DocEntry(
        id=doc_id,
        sha=sha,
        lang=lang,
        words=len(words),
        shingles=positions,
        key=hashlib.blake2b(
            (f"sample of {sha}" if note else " ".join(words)).encode("utf-8"), digest_size=12
        ).hexdigest(),
        sketch=small,
        anchors_text=" ".join(f"{a.key}@{a.weight:g}" for a in anchors),
        note=note,
    )


@dataclass(frozen=True, slots=True)
class Pair:
    """A raw link between two documents (``a`` contained in ``b`` for ``contained_in``)."""

    a: str
    b: str
    relation: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"a": display_path(self.a), "b": display_path(self.b), "relation": self.relation,
                "score": self.score}


class _Postings:
    """An inverted index over uint64 values: value -> documents, as sorted numpy arrays."""

    def __init__(self, arrays: list[np.ndarray], df_cap: int) -> None:
        lens = np.array([len(a) for a in arrays], dtype=np.int64)
        values = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.uint64)
        docs = np.repeat(np.arange(len(arrays), dtype=np.int32), lens)
        order = np.argsort(values, kind="stable")
        values, self.docs = values[order], docs[order]
        if len(values):
            starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        else:
            starts = np.zeros(0, dtype=np.int64)
        self.uniq = values[starts]
        self.starts = starts
        self.counts = np.diff(np.r_[starts, len(values)])
        self.df_cap = df_cap

    def shared(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Documents sharing values with ``query`` and how many each (rare values only)."""
        if not len(query) or not len(self.uniq):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self.uniq, query)
        pos[pos >= len(self.uniq)] = 0
        hit = (self.uniq[pos] == query) & (self.counts[pos] <= self.df_cap)
        pos = pos[hit]
        if not len(pos):
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        counts = self.counts[pos]
        offsets = np.repeat(self.starts[pos] - np.cumsum(np.r_[0, counts[:-1]]), counts)
        idx = offsets + np.arange(counts.sum())
        return np.unique(self.docs[idx], return_counts=True)


class CorpusIndex:
    """Documents and links of one output folder (load, update, save)."""

    def __init__(self, config: LinkConfig | None = None) -> None:
        self.config = config or LinkConfig()
        self.docs: dict[str, DocEntry] = {}
        #: Pairs by (smaller id, larger id); ``adj`` lists each document's partners.
        self.pairs: dict[tuple[str, str], Pair] = {}
        self.adj: dict[str, set[str]] = {}
        self.dirty = False

    # -- persistence -----------------------------------------------------------------

    @staticmethod
    def path_in(out_dir: Path) -> Path:
        return Path(out_dir) / INDEX_DIR / INDEX_FILE

    @classmethod
    def load(cls, out_dir: Path, config: LinkConfig | None = None) -> tuple[CorpusIndex, bool]:
        """The folder's index and whether it was usable (``False``: start from scratch)."""
        index = cls(config)
        path = cls.path_in(out_dir)
        try:
            with path.open(encoding="utf-8") as fh:
                header = json.loads(fh.readline() or "{}")
                if header != index.config.header():
                    return cls(config), False
                for line in fh:
                    rec = json.loads(line)
                    if "doc" in rec:
                        e = DocEntry.from_json(rec["doc"])
                        index.docs[e.id] = e
                    elif "pair" in rec:
                        p = rec["pair"]
                        index._put(Pair(parse_display(p["a"]), parse_display(p["b"]),
                                        p["relation"], float(p["score"])))
        except (OSError, ValueError, KeyError, TypeError):
            return cls(config), False
        return index, True

    def dumps(self) -> bytes:
        lines = [json.dumps(self.config.header(), sort_keys=True)]
        for doc_id in sorted(self.docs):
            lines.append(json.dumps({"doc": self.docs[doc_id].to_json()}, ensure_ascii=False))
        for key in sorted(self.pairs):
            lines.append(json.dumps({"pair": self.pairs[key].to_json()}, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode("utf-8")

    # -- updates ---------------------------------------------------------------------

    def partners(self, doc_id: str) -> set[str]:
        return set(self.adj.get(doc_id, ()))

    def _put(self, pair: Pair) -> None:
        self.pairs[_key(pair.a, pair.b)] = pair
        self.adj.setdefault(pair.a, set()).add(pair.b)
        self.adj.setdefault(pair.b, set()).add(pair.a)

    def remove(self, ids: Iterable[str]) -> set[str]:
        """Drop documents and their pairs; return the documents that lost a partner."""
        ids = set(ids)
        touched: set[str] = set()
        for doc_id in ids:
            for other in self.adj.pop(doc_id, set()):
                touched.add(other)
                self.pairs.pop(_key(doc_id, other), None)
                self.adj.get(other, set()).discard(doc_id)
            if self.docs.pop(doc_id, None) is not None:
                self.dirty = True
        if touched:
            self.dirty = True
        return touched - ids

    def add(self, entries: Iterable[DocEntry]) -> set[str]:
        """Add (or replace) documents and link them to everything indexed.

        Returns every document whose links may have changed: the new ones, and the old
        and new partners of the new ones.
        """
        entries = list(entries)
        if not entries:
            return set()
        touched = self.remove(e.id for e in entries)
        for e in entries:
            self.docs[e.id] = e
        self.dirty = True
        new_ids = sorted(e.id for e in entries)
        for pair in self._link(new_ids):
            self._put(pair)
            touched.update((pair.a, pair.b))
        return touched | set(new_ids)

    def _link(self, new_ids: list[str]) -> Iterator[Pair]:
        ids = sorted(self.docs)
        entries = [self.docs[d] for d in ids]
        new_set = set(new_ids)
        linkable = [e.words >= MIN_WORDS_DEFAULT for e in entries]
        sketches = _Postings(
            [e.sketch if ok else e.sketch[:0] for e, ok in zip(entries, linkable)],
            DF_CAP_DEFAULT,
        )
        by_key: dict[str, list[str]] = {}
        for e, ok in zip(entries, linkable):
            if ok:
                by_key.setdefault(e.key, []).append(e.id)
        anchors = None  # translation candidates exist only with two languages or more
        if len({e.lang for e in entries if e.lang}) > 1:
            anchors = _Postings(
                [e.strong_anchor_hashes() if (ok and e.lang) else np.zeros(0, np.uint64)
                 for e, ok in zip(entries, linkable)],
                DF_CAP_DEFAULT,
            )
        for doc_id in new_ids:
            a = self.docs[doc_id]
            if a.words < MIN_WORDS_DEFAULT:
                continue
            found: dict[str, Pair] = {}
            for other in by_key.get(a.key, ()):
                if other != doc_id and not (other in new_set and other < doc_id):
                    found[other] = _pair(a, self.docs[other], "duplicate", 1.0)
            cand, shared = sketches.shared(a.sketch)
            for j in cand[shared >= MIN_SHARED_DEFAULT].tolist():
                b = entries[j]
                if b.id == doc_id or b.id in found or (b.id in new_set and b.id < doc_id):
                    continue
                pair = self._near_duplicate(a, b)
                if pair is not None:
                    found[b.id] = pair
            if anchors is not None and a.lang:
                cand, shared = anchors.shared(a.strong_anchor_hashes())
                n_a = len(a.strong_anchor_hashes())
                for j, n in zip(cand.tolist(), shared.tolist()):
                    b = entries[j]
                    # Cheap filter before scoring: a translation shares most of the
                    # specific anchors of the document that has fewer of them.
                    if n < MIN_SHARED_ANCHORS_DEFAULT or n < STRONG_SHARE_DEFAULT * min(
                        n_a, len(b.strong_anchor_hashes())
                    ):
                        continue
                    if (
                        b.id == doc_id
                        or b.id in found
                        or (b.id in new_set and b.id < doc_id)
                        or not b.lang
                        or b.lang == a.lang
                    ):
                        continue
                    pair = self._translation(a, b)
                    if pair is not None:
                        found[b.id] = pair
            best = sorted(found.values(), key=lambda p: (-p.score, p.a, p.b))
            yield from best[:MAX_LINKS_DEFAULT]

    def _near_duplicate(self, a: DocEntry, b: DocEntry) -> Pair | None:
        n = len(np.intersect1d(a.sketch, b.sketch, assume_unique=True))
        if n < MIN_SHARED_DEFAULT or not len(a.sketch) or not len(b.sketch):
            return None
        ca, cb = n / len(a.sketch), n / len(b.sketch)
        jaccard = n / (len(a.sketch) + len(b.sketch) - n)
        if min(ca, cb) >= self.config.duplicate:
            return _pair(a, b, "duplicate", jaccard)
        # Texts of about the same length are not one a fragment of the other: what looks
        # like containment one way only is sampling noise on short texts (300 words).
        similar = min(a.words, b.words) >= SAME_SIZE_DEFAULT * max(a.words, b.words)
        if similar and max(ca, cb) >= self.config.contained:
            return _pair(a, b, "duplicate", jaccard)
        if ca >= self.config.contained and ca >= cb:
            return Pair(a.id, b.id, "contained_in", round(ca, 3))
        if cb >= self.config.contained:
            return Pair(b.id, a.id, "contained_in", round(cb, 3))
        return None

    def _translation(self, a: DocEntry, b: DocEntry) -> Pair | None:
        ev = compare(a.anchor_weights, b.anchor_weights)
        if (
            ev.score >= self.config.translation_score
            and min(ev.coverage_a, ev.coverage_b) >= self.config.translation_coverage
            and ev.shared >= TRANSLATION_SHARED_DEFAULT
        ):
            return _pair(a, b, "translation_of", ev.score)
        return None

    # -- what the sidecars show ------------------------------------------------------

    def links_of(self, doc_id: str) -> list[dict[str, Any]]:
        """The ``duplicates`` list of a document's sidecar.

        A translation of a document's *fragment* is not listed when the translation is
        also linked to the document the fragment is contained in (it is a translation of
        the whole story, not of the fragment).
        """
        out = []
        for other in self.adj.get(doc_id, ()):
            p = self.pairs[_key(doc_id, other)]
            if p.relation == "contained_in":
                rel = "contained_in" if p.a == doc_id else "contains"
            else:
                rel = p.relation
            if rel == "translation_of" and self._fragment_of_translated(doc_id, other):
                continue
            out.append({"id": display_path(other), "relation": rel, "score": p.score})
        out.sort(key=lambda d: (d["id"], d["relation"]))
        return out

    def _relation(self, a: str, b: str) -> Pair | None:
        return self.pairs.get(_key(a, b))

    def _fragment_of_translated(self, x: str, t: str) -> bool:
        """Whether x (or t) is contained in a document that is a translation of the other."""
        for frag, trans in ((x, t), (t, x)):
            for whole in self.adj.get(frag, ()):
                p = self.pairs[_key(frag, whole)]
                if p.relation == "contained_in" and p.a == frag:
                    q = self._relation(whole, trans)
                    if q is not None and q.relation == "translation_of":
                        return True
        return False


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pair(a: DocEntry, b: DocEntry, relation: str, score: float) -> Pair:
    x, y = _key(a.id, b.id)
    score = 0.0 if not math.isfinite(score) else score
    return Pair(x, y, relation, round(score, 3))
