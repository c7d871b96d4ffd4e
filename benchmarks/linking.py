"""Benchmarks for corpus linking (cleaners.corpus): quality and cost. Prints figures.

    python benchmarks/linking.py seeds                 # exact expected pairs on the seeds
    python benchmarks/linking.py synthetic [--pages N] # precision/recall, corpus from bench truth
    python benchmarks/linking.py scale [--sizes 10000,30000,100000]
                                                       # time and peak memory (one subprocess
                                                       # per size), incremental run, SQLite
    python benchmarks/linking.py minhash               # FracMinHash vs k-permutation MinHash+LSH

The synthetic corpus is built at run time from ``../shared/bench/dev/truth`` (pages are
read, never copied into the project): fragments, re-wrapped copies with swapped quote styles
and ``U.S.``/``US``, lightly edited copies, pseudo-translations (every word mapped to a
German word from wordfreq's list, German number formats, paragraphs merged, a sentence
dropped, a caption added) and hard negatives (another page's text quoting this page's
names and years, then pseudo-translated). All figures are from a machine with 2 cores
shared with other jobs: read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaners.corpus import CorpusIndex, make_entry  # noqa: E402
from cleaners.corpus.shingles import dedup_words, shingle_hashes, sketch  # noqa: E402

TRUTH = ROOT.parent.parent / "shared" / "bench" / "dev" / "truth"
if not TRUTH.exists():
    TRUTH = Path("/work/shared/bench/dev/truth")
SEEDS = ROOT / "seeds"
S = {
    "000": "000_a84aef7cf012a7d2",
    "001": "001_70bdca7a8d704a85",
    "002": "002_8294012faee38cb1",
    "003": "003_7f106514c5169790",
    "004": "004_2588aa231c02aec4",
}
EXPECTED_SEEDS = {
    (S["001"], S["000"], "contained_in"),
    (S["000"], S["003"], "translation_of"),
}


def pairs_of(index: CorpusIndex) -> set[tuple[str, str, str]]:
    """Final links as (a, b, relation): contained_in keeps its direction, others sorted."""
    out = set()
    for doc_id in index.docs:
        for link in index.links_of(doc_id):
            rel, other = link["relation"], link["id"]
            if rel == "contains":
                continue
            if rel == "contained_in":
                out.add((doc_id, other, rel))
            else:
                a, b = sorted((doc_id, other))
                out.add((a, b, rel))
    return out


# -- seeds ----------------------------------------------------------------------------------


def bench_seeds() -> int:
    from cleaners.core.pipeline import clean

    bodies = {}
    for doc_id in S.values():
        res = clean((SEEDS / f"{doc_id}.txt").read_text("utf-8"))
        bodies[doc_id] = (res.text, res.metadata.get("language"))
    index = CorpusIndex()
    t0 = time.perf_counter()
    index.add(make_entry(d, t, sha=d, lang=lang) for d, (t, lang) in bodies.items())
    got = pairs_of(index)
    dt = time.perf_counter() - t0
    print("seeds through the current clean():")
    for a, b, rel in sorted(got):
        p = index.pairs[tuple(sorted((a, b)))]
        mark = "ok " if (a, b, rel) in EXPECTED_SEEDS else "FP "
        print(f"  {mark} {a[:3]} {rel:<15} {b[:3]}  score {p.score}")
    for a, b, rel in sorted(EXPECTED_SEEDS - got):
        print(f"  FN  {a[:3]} {rel:<15} {b[:3]}")
    exact = got == EXPECTED_SEEDS
    print(f"  expected pairs: {len(EXPECTED_SEEDS)}, found: {len(got)}, exact: {exact} "
          f"({dt * 1000:.0f} ms to sketch and link)")
    return 0 if exact else 1


# -- synthetic corpus from the bench truth ------------------------------------------------------


def _german_vocab() -> list[str]:
    from wordfreq import top_n_list

    from wordfreq import zipf_frequency as z

    # Distinctly German words (not names or English loans, which a translator would keep
    # only where the source has them).
    words = [w for w in top_n_list("de", 40000) if w.isalpha() and len(w) > 3]
    return [w for w in words if z(w, "de") > z(w, "en") + 0.5][:20000]


def _swap_quotes(text: str) -> str:
    text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
    return text.replace("'", "\u2019")


def _rewrap(text: str, width: int = 60) -> str:
    out = []
    for para in text.split("\n"):
        line = ""
        for w in para.split():
            if line and len(line) + 1 + len(w) > width:
                out.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        out.append(line)
        out.append("")
    return "\n".join(out)


_NUM_RE = re.compile(r"(\d+)\.(\d+)")
_SCALE_RE = {" million": " Millionen", " billion": " Milliarden", " trillion": " Billionen"}


def pseudo_translate(text: str, vocab: list[str], rng: random.Random) -> str:
    """Every word a German word (same English word -> same German word), names and numbers
    kept, German decimal commas and scale words, paragraphs merged in twos, one sentence
    dropped, a caption line added: what an MT system does to the anchors, without a model."""
    import zlib

    def word(m: re.Match) -> str:
        w = m.group(0)
        if w[0].isupper() and m.start() > 0 and text[m.start() - 2 : m.start()].strip() not in (
            ".", "", "!", "?"
        ):
            return w  # a name mid-sentence stays
        g = vocab[zlib.crc32(w.lower().encode()) % len(vocab)]
        return g.capitalize() if zlib.crc32(w.encode()) % 3 == 0 or w[0].isupper() else g

    out = _NUM_RE.sub(r"\1,\2", text)
    for en, de in _SCALE_RE.items():
        out = out.replace(en, de)
    out = re.sub(r"\b[^\W\d_]+\b", word, out)
    paras = [p for p in out.split("\n") if p.strip()]
    merged = [" ".join(paras[i : i + 2]) for i in range(0, len(paras), 2)]
    if len(merged) > 2:
        sentences = merged[1].split(". ")
        if len(sentences) > 1:
            sentences.pop(rng.randrange(len(sentences)))
            merged[1] = ". ".join(sentences)
        merged.insert(len(merged) // 2, "Bildunterschrift Nanjing Provinz Jiangsu")
    return "\n\n".join(merged)


def build_synthetic(n_pages: int, seed: int = 7):
    """Documents {id: (text, lang)}, and each document's (source page, role).

    Roles: ``src`` (the page), ``copy`` (re-wrapped, quotes swapped, U.S. -> US), ``edit``
    (2% of words changed), ``frag`` (15-60% of the page), ``de`` (pseudo-translation), and
    ``neg``: another page's text quoting this page's names and years, pseudo-translated -
    a translation of that other page, and a hard negative for this one.
    """
    rng = random.Random(seed)
    pages = {}
    for f in sorted(TRUTH.glob("*.txt")):
        t = f.read_text("utf-8", errors="replace")
        if len(t.split()) >= 200:
            pages[f.stem] = t
    names = sorted(pages)[:n_pages]
    vocab = _german_vocab()
    docs: dict[str, tuple[str, str]] = {n: (pages[n], "en") for n in names}
    role: dict[str, tuple[str, str]] = {n: (n, "src") for n in names}
    kinds = ["copy", "edit", "frag", "trans", "trans+frag", "negative", "none", "none"]
    for i, n in enumerate(names):
        kind = kinds[i % len(kinds)]
        text = pages[n]
        words = text.split()
        if kind == "copy":
            docs[f"{n}~copy"] = (_rewrap(_swap_quotes(text.replace("U.S.", "US"))), "en")
            role[f"{n}~copy"] = (n, "copy")
        elif kind == "edit":
            ws = [w if rng.random() > 0.02 else "changed" for w in words]
            docs[f"{n}~edit"] = (" ".join(ws), "en")
            role[f"{n}~edit"] = (n, "edit")
        if kind in ("frag", "trans+frag"):
            size = int(len(words) * rng.uniform(0.15, 0.6))
            start = rng.randrange(0, len(words) - size)
            docs[f"{n}~frag"] = (_rewrap(" ".join(words[start : start + size])), "en")
            role[f"{n}~frag"] = (n, "frag")
        if kind in ("trans", "trans+frag"):
            docs[f"{n}~de"] = (pseudo_translate(text, vocab, rng), "de")
            role[f"{n}~de"] = (n, "de")
        if kind == "negative":
            other = names[(i + 1) % len(names)]
            caps = re.findall(r"\b[A-Z][a-z]{3,}\b", text)[:6]
            years = re.findall(r"\b(?:19|20)\d\d\b", text)[:2]
            base = pages[other].split("\n")
            base.insert(len(base) // 2, f"{' '.join(caps)} said in {' '.join(years)}.")
            docs[f"{n}~neg"] = (pseudo_translate("\n".join(base), vocab, rng), "de")
            role[f"{n}~neg"] = (other, "de")
    return docs, role


#: Expected relation between two roles of the same page (None: no link), as (a, b) order.
_EXPECT = {
    ("src", "copy"): "duplicate", ("src", "edit"): "duplicate", ("copy", "edit"): "duplicate",
    ("frag", "src"): "contained_in", ("frag", "copy"): "contained_in",
    ("frag", "edit"): "contained_in",
    ("de", "src"): "translation_of", ("de", "copy"): "translation_of",
    ("de", "edit"): "translation_of",
}


def expected_pairs(role: dict[str, tuple[str, str]]) -> set[tuple[str, str, str]]:
    by_page: dict[str, list[str]] = {}
    for d, (page, _) in role.items():
        by_page.setdefault(page, []).append(d)
    out = set()
    for members in by_page.values():
        for x in members:
            for y in members:
                rel = _EXPECT.get((role[x][1], role[y][1]))
                if x == y or rel is None:
                    continue
                out.add((x, y, rel) if rel == "contained_in" else (*sorted((x, y)), rel))
    return out


def _pages_overlap(a: str, b: str, pages_text: dict[str, str]) -> bool:
    """Whether two bench pages really share text (exact shingles, no sketch): the bench
    holds the same article twice in places; links between them are not errors."""
    ha = set(shingle_hashes(dedup_words(pages_text[a])).tolist())
    hb = set(shingle_hashes(dedup_words(pages_text[b])).tolist())
    if not ha or not hb:
        return False
    return len(ha & hb) / min(len(ha), len(hb)) >= 0.5


def bench_synthetic(n_pages: int) -> int:
    docs, role = build_synthetic(n_pages)
    expected = expected_pairs(role)
    t0 = time.perf_counter()
    entries = [make_entry(d, t, sha=d, lang=lang) for d, (t, lang) in sorted(docs.items())]
    t1 = time.perf_counter()
    index = CorpusIndex()
    index.add(entries)
    t2 = time.perf_counter()
    got = pairs_of(index)
    src_text = {d: docs[d][0] for d, (_, r) in role.items() if r == "src"}
    natural = {
        p for p in got - expected
        if role[p[0]][0] != role[p[1]][0] and _pages_overlap(role[p[0]][0], role[p[1]][0],
                                                              src_text)
    }
    got_eval = got - natural
    print(f"synthetic corpus: {len(docs)} documents from {n_pages} bench truth pages "
          f"(sketch {t1 - t0:.1f} s, link {t2 - t1:.1f} s)")
    print(f"  {'relation':<15} {'expected':>8} {'found':>6} {'correct':>7} {'precision':>9} "
          f"{'recall':>6}")
    worst = 0
    for rel in ("duplicate", "contained_in", "translation_of", "all"):
        e = {p for p in expected if rel in ("all", p[2])}
        g = {p for p in got_eval if rel in ("all", p[2])}
        ok = len(e & g)
        prec = ok / len(g) if g else 1.0
        rec = ok / len(e) if e else 1.0
        print(f"  {rel:<15} {len(e):>8} {len(g):>6} {ok:>7} {prec:>9.3f} {rec:>6.3f}")
        worst = max(worst, int(prec < 0.9 or rec < 0.9))
    neg = {(d, p) for d, (p, r) in role.items() if d.endswith("~neg")}
    hard = [x for x in got if any({x[0], x[1]} == {d, d.split("~")[0]} for d, _ in neg)]
    print(f"  hard negatives (a German story quoting a page's names and years): "
          f"{len(neg)}, linked to that page: {len(hard)}")
    print(f"  links between bench pages that really share text (exact check), not "
          f"counted: {len(natural)}")
    for label, items in (("false positives", sorted(got_eval - expected)),
                         ("missed", sorted(expected - got))):
        if items:
            print(f"  {label} ({len(items)}), first ones:")
            for a, b, rel in items[:8]:
                key = tuple(sorted((a, b)))
                score = index.pairs[key].score if key in index.pairs else "-"
                print(f"    {a} {rel} {b} (score {score})")
    return worst


# -- cost on generated documents --------------------------------------------------------------


def generate(n: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """n documents (id, text, lang): Zipf words, names and figures; 1% copies, 1% fragments,
    0.5% pseudo-translations of earlier documents."""
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(60000)])
    names = np.array([f"N{i}x" for i in range(20000)])
    ranks = np.minimum(rng.zipf(1.1, size=n * 520), len(vocab)) - 1
    docs: list[tuple[str, str, str]] = []
    pos = 0
    for i in range(n):
        r = rng.random()
        if i > 100 and r < 0.01:
            src = docs[int(rng.integers(0, len(docs)))]
            docs.append((f"d{i:06d}", src[1].replace(" ", "\n", 50), src[2]))
            continue
        if i > 100 and r < 0.02:
            src = docs[int(rng.integers(0, len(docs)))][1].split()
            k = len(src) // 3
            docs.append((f"d{i:06d}", " ".join(src[k : 2 * k]), "en"))
            continue
        if i > 100 and r < 0.025:
            src = docs[int(rng.integers(0, len(docs)))][1]
            anchors = re.findall(r"N\d+x|\d+\.\d+ million", src)
            filler = " ".join(f"de{j}" for j in rng.integers(0, 60000, size=200))
            docs.append((f"d{i:06d}", filler + " " + " ".join(a.replace(".", ",")
                         .replace("million", "Millionen") for a in anchors), "de"))
            continue
        length = int(rng.integers(300, 700))
        words = list(vocab[ranks[pos : pos + length]])
        pos += length
        for _ in range(length // 40):
            j = int(rng.integers(0, len(words)))
            words[j] = str(names[int(rng.integers(0, len(names)))])
        for _ in range(3):
            j = int(rng.integers(0, len(words)))
            words[j] = f"{rng.integers(1, 999)}.{rng.integers(1, 99)} million"
        docs.append((f"d{i:06d}", " ".join(words), "en"))
    return docs


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Clock:
    """Wall and CPU seconds of a step (the machine is shared: CPU time is the steadier)."""

    def __init__(self) -> None:
        self.marks = [(time.perf_counter(), time.process_time())]

    def lap(self) -> tuple[float, float]:
        self.marks.append((time.perf_counter(), time.process_time()))
        (w0, c0), (w1, c1) = self.marks[-2], self.marks[-1]
        return round(w1 - w0, 2), round(c1 - c0, 2)


def scale_one(n: int, sqlite: bool) -> dict:
    import tempfile

    docs = generate(n)
    base_rss = _rss_mb()
    clock = _Clock()
    entries = [make_entry(d, t, sha=d, lang=lang) for d, t, lang in docs]
    sketch_t = clock.lap()
    del docs
    split = int(n * 0.99)
    index = CorpusIndex()
    index.add(entries[:split])
    link_t = clock.lap()
    with tempfile.TemporaryDirectory() as tmp:
        path = CorpusIndex.path_in(Path(tmp))
        path.parent.mkdir(parents=True)
        data = index.dumps()
        path.write_bytes(data)
        save_t = clock.lap()
        del index
        loaded, ok = CorpusIndex.load(Path(tmp))
        load_t = clock.lap()
        loaded.add(entries[split:])  # a scheduled run bringing 1% new documents
        path.write_bytes(loaded.dumps())
        incr_t = clock.lap()
    out = {
        "documents": n,
        "words_per_doc": round(sum(e.words for e in entries) / n),
        "sketch": sketch_t,
        "link": link_t,
        "save": save_t,
        "load": load_t,
        "incremental_1pct": incr_t,
        "index_mb": round(len(data) / 2**20, 1),
        "pairs": len(loaded.pairs),
        "peak_rss_mb": round(_rss_mb()),
        "rss_before_mb": round(base_rss),
        "ok": ok,
    }
    if sqlite:
        out.update(sqlite_store(entries))
    return out


def sqlite_store(entries) -> dict:
    """The alternative store: sketch postings in SQLite (insert, index, candidate queries)."""
    import sqlite3
    import tempfile

    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "p.sqlite")
        db.execute("CREATE TABLE p (h INTEGER, doc INTEGER)")
        clock = _Clock()
        rows = (
            (int(h), i)
            for i, e in enumerate(entries)
            for h in e.sketch.view(np.int64).tolist()
        )
        db.executemany("INSERT INTO p VALUES (?, ?)", rows)
        db.execute("CREATE INDEX ph ON p (h)")
        db.commit()
        build = clock.lap()
        q = entries[-1000:]
        for e in q:
            hs = e.sketch.view(np.int64).tolist()
            db.execute(
                f"SELECT doc, count(*) FROM p WHERE h IN ({','.join('?' * len(hs))}) "
                "GROUP BY doc HAVING count(*) >= 3",
                hs,
            ).fetchall()
        query = clock.lap()
        size = (Path(tmp) / "p.sqlite").stat().st_size
        db.close()
    return {
        "sqlite_build": build,
        "sqlite_query_1000": query,
        "sqlite_mb": round(size / 2**20, 1),
    }


def bench_scale(sizes: list[int], sqlite: bool) -> int:
    print("cost on generated documents, seconds as wall/CPU (2 cores shared with other "
          "jobs: wall time is inflated by their load, CPU time is not); one process per size;"
          " 99% linked in one run, then a run bringing the last 1% (load, link, save):")
    for n in sizes:
        cmd = [sys.executable, __file__, "_scale_one", str(n)] + (["--sqlite"] if sqlite else [])
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])

        def f(key: str) -> str:
            return f"{r[key][0]:g}/{r[key][1]:g}"

        print(
            f"  {r['documents']:>7} docs (~{r['words_per_doc']} words): sketch {f('sketch')}, "
            f"link {f('link')}, save {f('save')}, load {f('load')}, +1% run "
            f"{f('incremental_1pct')}; index {r['index_mb']} MB, {r['pairs']} pairs; peak RSS "
            f"{r['peak_rss_mb']} MB (texts alone {r['rss_before_mb']} MB)"
        )
        if sqlite:
            print(f"          SQLite postings instead: build {f('sqlite_build')}, "
                  f"1000 candidate queries {f('sqlite_query_1000')}, {r['sqlite_mb']} MB")
    return 0


# -- FracMinHash vs k-permutation MinHash ------------------------------------------------------


def bench_minhash(n_pages: int = 300) -> int:
    """Per-document cost, and fragment recall of banded LSH vs the FracMinHash index."""
    import numpy as np

    pages = [f.read_text("utf-8", errors="replace") for f in sorted(TRUTH.glob("*.txt"))]
    pages = [p for p in pages if len(p.split()) >= 400][:n_pages]
    hashes = [shingle_hashes(dedup_words(p)) for p in pages]
    rng = np.random.default_rng(1)
    k, bands, rows = 128, 32, 4
    prime = np.uint64((1 << 61) - 1)
    a = rng.integers(1, 1 << 61, size=k, dtype=np.uint64)
    b = rng.integers(0, 1 << 61, size=k, dtype=np.uint64)

    def minhash(h):
        x = (h & np.uint64(0xFFFFFFFF))[None, :]  # 32-bit values as datasketch does
        with np.errstate(over="ignore"):
            return (((a[:, None] * x + b[:, None]) % prime)).min(axis=1)

    from cleaners.corpus.shingles import frac_sketch

    word_lists = [dedup_words(p) for p in pages]
    t0 = time.process_time()
    sigs = [minhash(shingle_hashes(w)) for w in word_lists]
    t1 = time.process_time()
    sks = [frac_sketch(w)[0] for w in word_lists]
    t2 = time.process_time()
    words = sum(len(h) for h in hashes) / len(hashes)
    print(f"{len(pages)} pages, ~{words:.0f} shingles each; CPU ms per document from its "
          f"words (shingle hashing included):")
    print(f"  k=128 MinHash (own, numpy): {(t1 - t0) / len(pages) * 1e3:.2f} ms/doc, "
          f"{k * 8} bytes/doc")
    print(f"  FracMinHash scale 4 (ours): {(t2 - t1) / len(pages) * 1e3:.2f} ms/doc, "
          f"{sum(len(s) for s in sks) * 8 / len(sks):.0f} bytes/doc (grows with the text)")
    print("  fragment recall (fragment's own sketch vs the page's), by fragment size:")
    for frac in (0.8, 0.5, 0.3, 0.15, 0.05):
        lsh_hit = fmh_hit = 0
        for p, sig, sk in zip(pages, sigs, sks):
            w = dedup_words(p)
            m = max(6, int(len(w) * frac))
            fh = shingle_hashes(w[:m])
            fsig = minhash(fh)
            same = (fsig == sig).reshape(bands, rows).all(axis=1).any()
            lsh_hit += int(same)
            fs = sketch(fh)
            shared = len(np.intersect1d(fs, sk))
            fmh_hit += int(len(fs) > 0 and shared >= 3 and shared / len(fs) >= 0.8)
        print(f"    {frac:>4.0%} of the page: banded LSH 32x4 {lsh_hit / len(pages):.2f}, "
              f"FracMinHash containment {fmh_hit / len(pages):.2f}")
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("  datasketch: not installed (PYTHONPATH=<dir with datasketch+scipy> to compare)")
        return 0
    shingles = []
    for w in word_lists:
        shingles.append([" ".join(w[i : i + 5]).encode() for i in range(max(1, len(w) - 4))])
    t0 = time.process_time()
    mhs = []
    for sh in shingles:
        m = MinHash(num_perm=128)
        m.update_batch(sh)
        mhs.append(m)
    t1 = time.process_time()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for i, m in enumerate(mhs):
        lsh.insert(str(i), m)
    for m in mhs:
        lsh.query(m)
    t2 = time.process_time()
    print(f"  datasketch {__import__('datasketch').__version__} MinHash(128).update_batch: "
          f"{(t1 - t0) / len(pages) * 1e3:.2f} ms/doc; LSH insert+query "
          f"{(t2 - t1) / len(pages) * 1e3:.2f} ms/doc; needs scipy (~40 MB installed)")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("seeds")
    s = sub.add_parser("synthetic")
    s.add_argument("--pages", type=int, default=400)
    c = sub.add_parser("scale")
    c.add_argument("--sizes", default="10000,30000,100000")
    c.add_argument("--sqlite", action="store_true", help="also time an SQLite postings store")
    one = sub.add_parser("_scale_one")
    one.add_argument("n", type=int)
    one.add_argument("--sqlite", action="store_true")
    m = sub.add_parser("minhash")
    m.add_argument("--pages", type=int, default=300)
    sub.add_parser("all")
    args = p.parse_args(argv)
    if args.cmd == "seeds":
        return bench_seeds()
    if args.cmd == "synthetic":
        return bench_synthetic(args.pages)
    if args.cmd == "scale":
        return bench_scale([int(x) for x in args.sizes.split(",")], args.sqlite)
    if args.cmd == "_scale_one":
        print(json.dumps(scale_one(args.n, args.sqlite)))
        return 0
    if args.cmd == "minhash":
        return bench_minhash(args.pages)
    rc = bench_seeds() | bench_synthetic(764)
    bench_minhash()
    bench_scale([10000, 30000, 100000], sqlite=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
