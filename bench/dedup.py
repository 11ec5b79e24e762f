"""Dedup benchmark: quality on a planted corpus, signature throughput against peers, index memory.

    PYTHONPATH=. python3 bench/dedup.py                 # 20,000 documents, as in the acceptance test
    PYTHONPATH=. python3 bench/dedup.py --docs 2000 --throughput-docs 200 --index-signatures 10000   # quick

1. Quality. A corpus of news-like articles (real English words and their frequencies from `seeds/`,
   a tail of made-up names, one header/footer per source) of which about a third are planted
   derivations of another article: word edits at a known rate, paragraph reorder, added or removed
   boilerplate, truncation, a new headline. Truth: every pair whose exact Jaccard similarity of word
   5-gram sets (computed here independently, from Python tuples) is >= 0.8. `dedup_corpus` runs on it
   end to end (SQLite index) and its verified pairs are scored against the truth. The candidate
   recall of datasketch's own banding for 0.8 (9 x 13) is printed for comparison.
2. Throughput, one process: clean text in, signature out (shingling included), docs/s and MB/s for
   datasketch `MinHash.update` per shingle, `update_batch`, `MinHash.bulk`, rensa `RMinHash`, and ours.
3. Time and peak memory (RSS growth, fresh process each) to index N signatures: ours (SQLite) and
   datasketch's in-memory `MinHashLSH`. `--only footprint --docs N`: peak RSS of `cleaner dedup` on N
   quality-corpus articles with page chrome as input, and the index's bytes per document by table.
4. Planted tiers on real articles (`--only tiers [--quick] [--target 0.7]`, details in `bench/tiers.py`): a
   background of the dev sets' distinct gold texts, variants in tiers of true input Jaccard (>= 0.9, 0.8-0.9,
   0.7-0.8, 0.5-0.7) by kind of edit, layout-only variants and exact copies, and same-topic negatives;
   pair recall per tier and kind and false pairs for `clean -> dedup` end to end, beside datasketch's
   `MinHashLSH(0.8, 128)` on the input text; then the same at each `--target` setting of
   `dedup.target_jaccard`. Default size (3,627 files) 4-5 min on the shared 2-core machine, `--quick` (570)
   ~1.5 min; `--keep DIR` leaves the input files and the clean and dedup output for inspection.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import orjson

from cleaner.config import Config
from cleaner.dedup.index import DedupIndex, Entry
from cleaner.dedup.lsh import band_keys
from cleaner.dedup.minhash import signatures
from cleaner.dedup.params import params_from_config
from cleaner.dedup.shingles import shingle_hashes
from cleaner.dedup.stage import dedup_corpus
from cleaner.dedup.storage import open_storage

ROOT = Path(__file__).resolve().parent.parent
SIZE = 5  # shingle size, as the default config


# --- the corpus -------------------------------------------------------------------------------------
class Writer:
    """Articles from real English word frequencies (the seeds) plus a tail of rare names."""

    def __init__(self, rng: np.random.Generator) -> None:
        text = " ".join(p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
        counts = Counter(re.findall(r"[A-Za-z][a-z']+", text))
        letters = list("abcdefghijklmnopqrstuvwxyz")
        names = {"".join(rng.choice(letters, size=rng.integers(4, 10))).capitalize() for _ in range(20000)}
        self.words = [w for w, _ in counts.most_common()] + sorted(names)
        weights = np.array([c for _, c in counts.most_common()] + [0.02] * len(names), dtype=float)
        self.cdf = np.cumsum(weights / weights.sum())
        self.rng = rng

    def sentence(self) -> str:
        picks = np.searchsorted(self.cdf, self.rng.random(int(self.rng.integers(10, 36))))
        words = [self.words[min(i, len(self.words) - 1)] for i in picks]
        return " ".join(words).capitalize() + self.rng.choice([".", ".", ".", "?", "!"])

    def paragraph(self, sentences: int | None = None) -> str:
        return " ".join(self.sentence() for _ in range(sentences or int(self.rng.integers(2, 6))))

    def article(self) -> list[str]:
        return [self.sentence()] + [self.paragraph() for _ in range(int(self.rng.integers(4, 16)))]


def derive(rng: np.random.Generator, writer: Writer, paragraphs: list[str], boilerplate: list[str]) -> list[str]:
    """A re-post: one or two of the edits that syndication and scraping make."""
    out = list(paragraphs)
    for kind in rng.choice(["edit", "reorder", "add", "remove", "truncate", "headline"], size=int(rng.integers(1, 3))):
        if kind == "edit":
            rate = rng.uniform(0.002, 0.06)
            words = " ".join(out).split(" ")
            for i in rng.choice(len(words), size=int(rate * len(words)), replace=False):
                words[i] = writer.words[int(rng.integers(0, len(writer.words)))]
            out = [" ".join(words)]
        elif kind == "reorder" and len(out) > 2:
            i, j = rng.choice(len(out), size=2, replace=False)
            out[i], out[j] = out[j], out[i]
        elif kind == "add":
            out.append(boilerplate[int(rng.integers(0, len(boilerplate)))])
        elif kind == "remove" and len(out) > 2:
            del out[int(rng.integers(0, len(out)))]
        elif kind == "truncate" and len(out) > 3:
            out = out[:max(2, int(len(out) * rng.uniform(0.7, 0.97)))]
        elif kind == "headline":
            out[0] = writer.sentence()
    return out


def make_corpus(docs: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    writer = Writer(rng)
    boilerplate = [writer.paragraph(3) for _ in range(50)]
    texts: list[list[str]] = []
    while len(texts) < docs:
        if texts and rng.random() < 0.33:
            texts.append(derive(rng, writer, texts[int(rng.integers(max(0, len(texts) - 2000), len(texts)))],
                                boilerplate))
        else:
            source = int(rng.integers(0, len(boilerplate)))
            texts.append(writer.article() + [boilerplate[source]])
    return [{"id": f"d{i:06d}", "text": "\n".join(t), "created": None, "metadata": {}} for i, t in enumerate(texts)]


# --- the truth ----------------------------------------------------------------------------------------
def reference_sets(texts: list[str]) -> list[np.ndarray]:
    """Word 5-gram sets the obvious way (regex tokens, Python tuples), as sorted arrays of tuple hashes."""
    out = []
    for text in texts:
        tokens = re.sub(r"[\W_]+", " ", text.lower()).split()
        grams = {hash(tuple(tokens[i:i + SIZE])) for i in range(max(1, len(tokens) - SIZE + 1))}
        out.append(np.array(sorted(grams), dtype=np.int64))
    return out


def true_pairs(sets: list[np.ndarray], threshold: float, cap: int = 64) -> dict[tuple[int, int], float]:
    """Every pair with Jaccard >= threshold, exactly.

    A pair at J >= t shares at least t * |A| of A's shingles, so it shares a shingle found in at most
    `cap` documents, unless at least t * |A| of A's shingles are more frequent than that (a short
    article that is mostly its site's footer): such documents are compared with every document
    sharing any shingle with them.
    """
    doc = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    gram = np.concatenate(sets)
    order = np.lexsort((doc, gram))
    gram, doc = gram[order], doc[order]
    starts = np.flatnonzero(np.r_[True, gram[1:] != gram[:-1]])
    sizes = np.diff(np.r_[starts, len(gram)])
    frequent = np.repeat(sizes > cap, sizes)
    frequent_share = np.bincount(doc[frequent], minlength=len(sets)) / np.maximum(1, [len(s) for s in sets])
    candidates = []
    for a in np.flatnonzero(frequent_share >= threshold):
        first = np.searchsorted(gram, sets[a])
        last = np.searchsorted(gram, sets[a], side="right")
        others = np.unique(np.concatenate([doc[i:j] for i, j in zip(first, last, strict=True)]))
        others = others[others != a]
        candidates.append(np.minimum(a, others).astype(np.int64) * len(sets) + np.maximum(a, others))
    for k in range(2, cap + 1):
        groups = starts[sizes == k]
        if len(groups):
            members = doc[groups[:, None] + np.arange(k)]
            for i in range(k):
                for j in range(i + 1, k):
                    candidates.append(members[:, i].astype(np.int64) * len(sets) + members[:, j])
    pairs = {}
    for code in np.unique(np.concatenate(candidates)) if candidates else []:
        a, b = divmod(int(code), len(sets))
        common = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
        jac = common / (len(sets[a]) + len(sets[b]) - common)
        if jac >= threshold:
            pairs[(a, b)] = jac
    return pairs


def predicted_pairs(out: Path, ids: dict[str, int]) -> set[tuple[int, int]]:
    """Verified pairs from clusters.jsonl; a content-hash copy has every pair of its original."""
    same: dict[int, set[int]] = {}
    near = []
    for line in (out / "clusters.jsonl").read_bytes().splitlines():
        for pair in orjson.loads(line)["pairs"]:
            a, b = ids[pair["a"]], ids[pair["b"]]
            if pair["method"] == "content_hash":
                group = same.setdefault(a, {a}) | same.setdefault(b, {b})
                for member in group:
                    same[member] = group
            else:
                near.append((a, b))
    found = {(min(x, y), max(x, y)) for a, b in near for x in same.get(a, {a}) for y in same.get(b, {b})}
    for group in {frozenset(g) for g in same.values()}:
        found |= {(x, y) for x in group for y in group if x < y}
    return found


def quality(docs: int, seed: int, index: str | None) -> None:
    t0 = time.perf_counter()
    corpus = make_corpus(docs, seed)
    sets = reference_sets([r["text"] for r in corpus])
    close = true_pairs(sets, 0.7)
    truth = {pair: jac for pair, jac in close.items() if jac >= 0.8}
    near_misses = close.keys() - truth.keys()
    t1 = time.perf_counter()
    mb = sum(len(r["text"].encode()) for r in corpus) / 1e6
    print(f"corpus: {docs} documents, {mb:.1f} MB, {len(truth)} true pairs at J >= 0.8, of which "
          f"{sum(j < 0.85 for j in truth.values())} below 0.85; {len(near_misses)} near misses at 0.7 <= J < 0.8 "
          f"(generated and checked in {t1 - t0:.0f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        source.write_bytes(b"\n".join(orjson.dumps(r) for r in corpus) + b"\n")
        t2 = time.perf_counter()
        summary = dedup_corpus(source, Path(tmp) / "out", Config(), index=index)
        t3 = time.perf_counter()
        found = predicted_pairs(Path(tmp) / "out", {r["id"]: i for i, r in enumerate(corpus)})
    hits = len(found & truth.keys())
    print(f"dedup_corpus: {t3 - t2:.1f} s ({docs / (t3 - t2):.0f} docs/s, index {index or 'SQLite'}), "
          f"counts {summary['counts']}")
    print(f"pairs: precision {hits / max(1, len(found)):.4f}  recall {hits / max(1, len(truth)):.4f}  "
          f"(found {len(found)}, true {len(truth)}, both {hits}; near misses reported: {len(found & near_misses)})")
    params = params_from_config(Config())
    rows = signatures(*shingle_hashes([r["text"] for r in corpus], SIZE), params.num_perm, params.seed)
    for bands, rows_per_band, label in ((params.bands, params.rows, "ours"), (9, 13, "datasketch optimum for 0.8")):
        keys = band_keys(rows, bands, rows_per_band)
        caught = sum(bool((keys[a] == keys[b]).any()) for a, b in truth)
        print(f"candidate recall with {bands} x {rows_per_band} ({label}): {caught / max(1, len(truth)):.4f}")


def _timed(fn, texts: list[str]) -> float:
    start = time.perf_counter()
    fn(texts)
    return time.perf_counter() - start


# --- throughput ---------------------------------------------------------------------------------------
def throughput(docs: int, seed: int) -> None:
    from datasketch import MinHash
    from rensa import RMinHash

    corpus = [r["text"] for r in make_corpus(docs, seed + 1)]
    mb = sum(len(t.encode()) for t in corpus) / 1e6
    print(f"\nthroughput: {docs} articles, mean {mb * 1e6 / docs / 1000:.1f} kB, one process, 128 slots, word 5-grams, "
          "best of 3")

    def grams(text: str) -> list[str]:
        tokens = re.sub(r"[\W_]+", " ", text.lower()).split()
        return [" ".join(tokens[i:i + SIZE]) for i in range(max(1, len(tokens) - SIZE + 1))]

    def shingling_only(texts: list[str]) -> None:
        for text in texts:
            grams(text)

    def per_token(texts: list[str]) -> None:
        for text in texts:
            m = MinHash(num_perm=128)
            for g in grams(text):
                m.update(g.encode())

    def update_batch(texts: list[str]) -> None:
        for text in texts:
            m = MinHash(num_perm=128)
            m.update_batch([g.encode() for g in grams(text)])

    def bulk(texts: list[str]) -> None:
        MinHash.bulk([[g.encode() for g in grams(text)] for text in texts], num_perm=128)

    def rensa(texts: list[str]) -> None:
        for text in texts:
            m = RMinHash(num_perm=128, seed=1)
            m.update(grams(text))
            m.digest()

    def ours(texts: list[str]) -> None:
        for i in range(0, len(texts), 256):
            signatures(*shingle_hashes(texts[i:i + 256], SIZE), 128, 1)

    print(f"{'method':<34}{'docs/s':>10}{'MB/s':>10}")
    for name, fn, share in (("shingling only (Python, no hash)", shingling_only, 1.0),
                            ("datasketch update per shingle", per_token, 0.2),
                            ("datasketch update_batch", update_batch, 0.5),
                            ("datasketch MinHash.bulk", bulk, 0.5),
                            ("rensa RMinHash", rensa, 1.0),
                            ("cleaner (numpy OPH)", ours, 1.0)):
        texts = corpus[:max(1, int(len(corpus) * share))]
        size = sum(len(t.encode()) for t in texts) / 1e6
        seconds = min(_timed(fn, texts) for _ in range(3))  # best of 3: the machine is shared
        print(f"{name:<34}{len(texts) / seconds:>10.0f}{size / seconds:>10.1f}")


# --- index memory -------------------------------------------------------------------------------------
def _memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process; unlike ru_maxrss, VmHWM starts afresh in a spawned child."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1e3
    raise RuntimeError(f"no {field} in /proc/self/status")


def _index_in_child(kind: str, count: int, queue: multiprocessing.Queue) -> None:
    """Index `count` random signatures in a fresh process; report seconds, peak RSS growth, index file size."""
    from datasketch import LeanMinHash, MinHashLSH

    params = params_from_config(Config())
    rows = np.random.default_rng(7).integers(0, 1 << 32, size=(count, params.num_perm), dtype=np.uint32)
    facts = [{"id": f"s{j}", "chars": 1, "created": None, "fields": 0} for j in range(count)]
    base = _memory_mb("VmRSS")
    start = time.perf_counter()
    size = 0
    if kind == "cleaner":
        with tempfile.TemporaryDirectory() as tmp:
            storage = open_storage(Path(tmp) / "index.sqlite")
            index = DedupIndex(storage, params)
            for i in range(0, count, 5000):
                index.add([Entry(f"s{j}", f"h{j}", facts[j], rows[j], np.array([j], dtype=np.uint32))
                           for j in range(i, min(count, i + 5000))])
            size = sum(f.stat().st_size for f in Path(tmp).iterdir())
            storage.close()
    else:
        lsh = MinHashLSH(num_perm=params.num_perm, params=(params.bands, params.rows))
        for j in range(count):
            lsh.insert(f"s{j}", LeanMinHash(seed=1, hashvalues=rows[j], scheme="affine32"), check_duplication=False)
    seconds = time.perf_counter() - start
    queue.put((seconds, _memory_mb("VmHWM") - base, size / 1e6))


def index_memory(count: int) -> None:
    params = params_from_config(Config())
    print(f"\nindexing {count} signatures ({params.bands} x {params.rows} bands), each in a fresh process")
    context = multiprocessing.get_context("spawn")
    for kind, label in (("cleaner", "cleaner DedupIndex, SQLite file, batches of 5000"),
                        ("datasketch", "datasketch MinHashLSH, in memory")):
        queue = context.Queue()
        child = context.Process(target=_index_in_child, args=(kind, count, queue))
        child.start()
        seconds, growth, size = queue.get()
        child.join()
        on_disk = f", index file {size:.0f} MB" if size else ""
        print(f"{label:<50} {seconds:6.1f} s ({count / seconds:.0f}/s), peak RSS growth {growth:.0f} MB{on_disk}")


def footprint(docs: int, seed: int) -> None:
    """`cleaner dedup` on `docs` quality-corpus articles, each with page chrome as its `raw` input (as
    `cleaner clean` writes records): peak RSS of the whole command (/usr/bin/time -v) and the SQLite
    index's bytes per document, by table (SQLite's dbstat: pages, B-tree overhead included)."""
    import os
    import sqlite3
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "documents.jsonl"
        with open(source, "wb") as fh:
            for record in make_corpus(docs, seed):
                record["raw"] = f"Home | News | Sport | Contact\n{record['text']}\nCopyright 2026. Privacy. Terms."
                fh.write(orjson.dumps(record) + b"\n")
        command = ["/usr/bin/time", "-v", sys.executable, "-m", "cleaner.cli", "dedup", str(source), "--out",
                   str(Path(tmp) / "out")]
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1e3
        index = Path(tmp) / "out" / "dedup-index.sqlite"
        db = sqlite3.connect(index)
        tables = dict(db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
        db.close()
        print(f"\ncleaner dedup, {docs} documents ({source.stat().st_size / docs / 1e3:.1f} kB of JSON each): "
              f"peak RSS {peak:.0f} MB, index {index.stat().st_size / docs / 1e3:.1f} kB per document ("
              + ", ".join(f"{name} {size / docs:.0f} B" for name, size in tables.items() if size >= docs) + ")")


# --- planted tiers on real articles -------------------------------------------------------------------
def tiers(quick: bool, targets: list[float], seed: int, jobs: int, keep: Path | None) -> None:
    from bench.extraction import HARNESS, load_harness
    from bench.tiers import run

    harness = load_harness()
    if harness is None:
        print(f"\ntier benchmark: extraction harness not found at {HARNESS}; skipped")
        return
    print()
    run(harness, quick, targets, seed, jobs, keep)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--throughput-docs", type=int, default=1000)
    parser.add_argument("--index-signatures", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--index", help="index for the quality run, e.g. redis://127.0.0.1:6379/0 (default: SQLite)")
    parser.add_argument("--only", choices=["quality", "throughput", "index", "footprint", "tiers"],
                        help="run one section")
    parser.add_argument("--quick", action="store_true", help="tiers: a small corpus (~2 min)")
    parser.add_argument("--target", default="0.7",
                        help="tiers: comma list of dedup.target_jaccard values to rerun dedup at ('' for none)")
    parser.add_argument("--jobs", type=int, default=2, help="tiers: cleaning processes")
    parser.add_argument("--keep", type=Path, help="tiers: work in this folder and leave it (input files, clean output, "
                        "dedup output) for inspection")
    args = parser.parse_args()
    if args.only in (None, "quality"):
        quality(args.docs, args.seed, args.index)
    if args.only in (None, "throughput"):
        throughput(args.throughput_docs, args.seed)
    if args.only in (None, "index"):
        index_memory(args.index_signatures)
    if args.only in (None, "footprint"):
        footprint(args.docs, args.seed)
    if args.only in (None, "tiers"):
        tiers(args.quick, [float(t) for t in args.target.split(",") if t.strip()], args.seed, args.jobs, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
