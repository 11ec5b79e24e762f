"""Near-duplicate detection on Ray: the local dedup's decisions, computed as a map, two shuffles and a graph.

1. Map, one task per clean shard: `make_entries` (shingles, MinHash signatures and content hashes of
   the clean and the input text, the facts the keep policy reads) and their band keys. The entries go
   to `shards/entries-NNNNN.npz` (written atomically under a fixed name, like the record shards, so a
   retried task cannot duplicate them); the task returns one small row per document and bucket: its
   input hash `i:<hash>`, its content hash `h:<hash>` and each of its band keys `b:<key>` (as in the
   local index, a document with too few words has only the first, and documents without shingles have
   no band keys).
2. Shuffle on the bucket (`groupby`): a content-hash bucket links every copy to its first document;
   a band bucket makes candidate pairs of its documents, one per clean text or input (its first copy), which
   is exactly the set of pairs the local index compares, whatever order it saw them in.
3. Shuffle on the earlier document of each candidate pair (`groupby`): `verify` each distinct pair,
   loading the two documents' signatures and shingles from the entries files.

Both shuffles group rows by a partition number derived from the key, so that each call of the
shuffle function handles many buckets (or pairs) rather than one.
4. On the driver, only the links (a few per duplicate): union-find, the keep policy and the similarity
   to the kept document, all with the dedup package's functions; then `DedupIndex` over an in-memory
   store holding this final state writes the same documents, duplicates and clusters files as
   `cleaner dedup` does on a fresh index.

A document is named by `seq = shard << 32 | line`, which orders documents as the input does, so
"first" means the same thing as in the local index.
"""

from __future__ import annotations

import io
import shutil
import zlib
from collections import defaultdict
from itertools import combinations, islice
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from cleaner.config import Config
from cleaner.dedup.clusters import UnionFind, choose_kept
from cleaner.dedup.index import DedupIndex
from cleaner.dedup.lsh import band_keys, input_band_keys
from cleaner.dedup.params import Params, params_from_config
from cleaner.dedup.stage import SUMMARY, _write, make_entries, read_records
from cleaner.dedup.storage import SQLiteStorage
from cleaner.dedup.verify import CLEAN, similarity_to_kept, verify_pair
from cleaner.engine.ray import SHARDS_PER_CPU, shard_files
from cleaner.io.writers import dumps, write_atomic

_SHARD_BITS = 32


def entries_file(shard_dir: Path, index: int) -> Path:
    return shard_dir / f"entries-{index:05d}.npz"


def _seq(shard: int, line: int) -> int:
    return shard << _SHARD_BITS | line


def _read_records(path: Path) -> list[dict[str, Any]]:
    with open(path, "rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


def _stacked(arrays: list[np.ndarray], width: int) -> np.ndarray:
    return np.stack(arrays).astype("<u4") if arrays else np.zeros((0, width), "<u4")


def _concatenated(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """CSR form (values, offsets) of a list of shingle sets."""
    values = np.concatenate(arrays).astype("<u4") if arrays else np.zeros(0, "<u4")  # shingle_ids
    return values, np.cumsum([0, *map(len, arrays)], dtype=np.int64)


def shard_buckets(batch: dict[str, np.ndarray], params: Params, shard_dir: str, parts: int) -> dict[str, np.ndarray]:
    """Map task: entries of each shard in the batch to its entries file; one row per document and bucket,
    with the shuffle partition (`part`) of the bucket."""
    rows: dict[str, list[Any]] = {"bucket": [], "seq": [], "hash": []}
    for shard in batch["shard"].tolist():
        records = _read_records(shard_files(Path(shard_dir), shard)[0])
        entries = make_entries(records, params) if records else []
        signatures = _stacked([e.signature for e in entries], params.num_perm)
        input_signatures = _stacked([e.input_signature for e in entries], params.num_perm)
        shingles, offsets = _concatenated([e.shingles for e in entries])
        input_shingles, input_offsets = _concatenated([e.input_shingles for e in entries])
        buffer = io.BytesIO()
        np.savez(buffer, ids=np.array([e.id for e in entries], dtype=str),
                 hashes=np.array([e.content_hash for e in entries], dtype=str),
                 input_hashes=np.array([e.input_hash for e in entries], dtype=str),
                 comparable=np.array([e.comparable for e in entries], dtype=bool),
                 facts=np.array([orjson.dumps(e.facts).decode() for e in entries], dtype=str),
                 signatures=signatures, input_signatures=input_signatures, offsets=offsets, shingles=shingles,
                 input_offsets=input_offsets, input_shingles=input_shingles)
        write_atomic(entries_file(Path(shard_dir), shard), buffer.getvalue())
        clean_keys = band_keys(signatures, params.bands, params.rows).tolist()
        input_keys = input_band_keys(input_signatures, params.bands, params.rows).tolist()
        for line, entry in enumerate(entries):
            # (bucket, the hash that names the bucket's first copies): a band bucket pairs one document per
            # text, the first with that clean text (clean bands) or that input (input bands)
            buckets = [(f"i:{entry.input_hash}", entry.input_hash)]
            if entry.comparable:
                buckets.append((f"h:{entry.content_hash}", entry.content_hash))
                if len(entry.shingles):
                    buckets += [(f"b:{key:016x}", entry.content_hash) for key in clean_keys[line]]
                    buckets += [(f"b:{key:016x}", entry.input_hash) for key in input_keys[line]]
            rows["bucket"] += [bucket for bucket, _ in buckets]
            rows["seq"] += [_seq(shard, line)] * len(buckets)
            rows["hash"] += [named_by for _, named_by in buckets]
    # crc32, not hash(): the partition of a bucket must be the same in every worker process
    return {"bucket": np.array(rows["bucket"], dtype=object), "seq": np.array(rows["seq"], dtype=np.int64),
            "hash": np.array(rows["hash"], dtype=object),
            "part": np.array([zlib.crc32(bucket.encode()) % parts for bucket in rows["bucket"]], dtype=np.int64)}


def bucket_links(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Shuffle task, one partition of buckets: for each content-hash bucket (clean text `h:`, input
    `i:`), (first, copy) links; for each band bucket, the candidate pairs of its documents.

    Grouping by partition rather than by bucket: one call per partition instead of one per band key
    (there are about `bands` times as many band keys as documents, most of them alone)."""
    buckets: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for bucket, seq, content_hash in zip(group["bucket"].tolist(), group["seq"].tolist(), group["hash"].tolist(),
                                         strict=True):
        buckets[bucket].append((seq, content_hash))
    pairs: list[tuple[int, int, str]] = []
    for bucket, members in buckets.items():
        if len(members) < 2:
            continue
        if not bucket.startswith("b:"):
            first = min(seq for seq, _ in members)
            kind = "hash" if bucket.startswith("h:") else "input_hash"
            pairs += [(first, seq, kind) for seq in sorted({seq for seq, _ in members}) if seq != first]
        else:
            firsts: dict[str, int] = {}
            for seq, text_hash in members:
                firsts[text_hash] = min(seq, firsts.get(text_hash, seq))
            pairs += [(a, b, "band") for a, b in combinations(sorted(firsts.values()), 2)]
    return {"a": np.array([a for a, _, _ in pairs], dtype=np.int64),
            "b": np.array([b for _, b, _ in pairs], dtype=np.int64),
            "kind": np.array([kind for _, _, kind in pairs], dtype=object)}


class _Entries:
    """The entries files of one run, loaded shard by shard on first use; the last few stay in memory."""

    CACHED = 16

    def __init__(self, shard_dir: str) -> None:
        self.shard_dir = Path(shard_dir)
        self._cache: dict[int, dict[str, np.ndarray]] = {}

    def shard(self, index: int) -> dict[str, np.ndarray]:
        if index not in self._cache:
            if len(self._cache) >= self.CACHED:
                del self._cache[next(iter(self._cache))]
            with np.load(entries_file(self.shard_dir, index)) as data:
                self._cache[index] = {name: data[name] for name in data.files}
        return self._cache[index]

    def _field(self, seq: int, name: str) -> Any:
        return self.shard(seq >> _SHARD_BITS)[name][seq & ((1 << _SHARD_BITS) - 1)]

    def signature(self, seq: int, text: str) -> np.ndarray:
        return self._field(seq, "signatures" if text == CLEAN else "input_signatures")

    def shingles(self, seq: int, text: str) -> np.ndarray:
        prefix = "" if text == CLEAN else "input_"
        data, line = self.shard(seq >> _SHARD_BITS), seq & ((1 << _SHARD_BITS) - 1)
        return data[f"{prefix}shingles"][data[f"{prefix}offsets"][line]:data[f"{prefix}offsets"][line + 1]]

    def facts(self, seq: int) -> dict[str, Any]:
        return orjson.loads(str(self._field(seq, "facts")))

    def input_hash(self, seq: int) -> str:
        return str(self._field(seq, "input_hashes"))


def verify_candidates(group: dict[str, np.ndarray], params: Params, shard_dir: str) -> dict[str, np.ndarray]:
    """Shuffle task, one partition of candidate pairs: verify each distinct pair once."""
    entries = _Entries(shard_dir)
    out: dict[str, list[Any]] = {"a": [], "b": [], "similarity": [], "method": []}
    for a, b in sorted(set(zip(group["a"].tolist(), group["b"].tolist(), strict=True))):
        # As DedupIndex.add: the arguments in (later, earlier) order, so that the same code rounds the same numbers
        verdict = verify_pair(entries, b, a, params.target, params.estimate_margin, params.num_perm,
                              params.clean_agreement)
        if verdict is not None:
            out["a"].append(a)
            out["b"].append(b)
            out["similarity"].append(verdict[0])
            out["method"].append(verdict[1])
    return {"a": np.array(out["a"], dtype=np.int64), "b": np.array(out["b"], dtype=np.int64),
            "similarity": np.array(out["similarity"], dtype=np.float64),
            "method": np.array(out["method"], dtype=object)}


def _links(shard_dir: Path, shards: int, params: Params) -> tuple[dict[int, int], dict[int, list[list[Any]]]]:
    """Stages 1-3 on Ray: each copy's first document, and the verified links of each document to earlier ones."""
    if shards == 0:
        return {}, {}
    from ray.data import DataContext
    from ray.data.context import ShuffleStrategy

    # The shuffled rows are small (bucket keys, document numbers). The sort-based shuffle runs as plain
    # tasks; the default hash shuffle first starts aggregator actors, which at this size costs more than
    # the shuffle itself (verification stage, 300 documents, 2 CPUs: 8 s against 0.7 s).
    context = DataContext.get_current()
    strategy, context.shuffle_strategy = context.shuffle_strategy, ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    try:
        return _shuffled_links(shard_dir, shards, params)
    finally:
        context.shuffle_strategy = strategy


def _shuffled_links(shard_dir: Path, shards: int, params: Params) -> tuple[dict[int, int], dict[int, list[list[Any]]]]:
    import ray

    # as many shuffle partitions as shards (four per CPU): the default (200) is made for far bigger data
    rows = [{"shard": index} for index in range(shards)]
    links = ray.data.from_items(rows, override_num_blocks=shards).map_batches(
        shard_buckets, batch_size=1, num_cpus=1,
        fn_kwargs={"params": params, "shard_dir": str(shard_dir), "parts": shards},
    ).groupby("part", num_partitions=shards).map_groups(bucket_links).materialize()
    first: dict[int, int] = {}
    inputs: dict[int, int] = {}
    edges: dict[int, list[list[Any]]] = defaultdict(list)
    for batch in links.iter_batches(batch_size=None):  # the links are few: a handful per duplicate
        for a, b, kind in zip(batch["a"].tolist(), batch["b"].tolist(), batch["kind"].tolist(), strict=True):
            if kind == "hash":
                first[b] = a
                edges[b].append([a, 1.0, "content_hash"])
            elif kind == "input_hash":
                inputs[b] = a
    for b, a in inputs.items():  # as DedupIndex.add: a copy of the input that is not also a copy of the clean text
        if first.get(b) != a:
            edges[b].append([a, 1.0, "input_hash"])
    candidates = links.filter(expr="kind == 'band'").map_batches(
        lambda batch: {**batch, "part": batch["a"] % shards}, batch_size=None)
    verified = candidates.groupby("part", num_partitions=shards).map_groups(
        verify_candidates, fn_kwargs={"params": params, "shard_dir": str(shard_dir)})
    for row in verified.iter_rows():
        edges[int(row["b"])].append([int(row["a"]), float(row["similarity"]), str(row["method"])])
    return first, edges


def dedup_shards(shard_dir: Path, source: Path, out: Path, config: Config, *,
                 mark_only: bool = False) -> dict[str, Any]:
    """Deduplicate the clean shards of a Ray run; `source` is their concatenation (out/documents.jsonl).

    Needs a connected Ray (`cleaner.engine.ray.connected`). Writes what `dedup_corpus` writes on a
    fresh index, except the index itself; returns `out/dedup.json`.
    """
    params = params_from_config(config)
    shards = len(list(shard_dir.glob("documents-*.jsonl")))
    first, edges = _links(shard_dir, shards, params)
    entries = _Entries(str(shard_dir))
    uf = UnionFind()
    for seq, links in edges.items():
        for other, _, _ in links:
            uf.union(seq, other)
    state: dict[int, dict[str, Any]] = {}  # cluster, similarity and method of each member of a cluster
    clusters: dict[int, dict[str, Any]] = {}
    for root, members in uf.groups().items():
        facts = {member: entries.facts(member) for member in members}
        kept = choose_kept(members, facts, params.keep)
        for member in members:
            rep, kept_rep = first.get(member, member), first.get(kept, kept)
            if member == kept:
                similarity, method = None, None
            elif rep == kept_rep:
                similarity, method = 1.0, "content_hash"
            elif entries.input_hash(member) == entries.input_hash(kept):
                similarity, method = 1.0, "input_hash"
            else:
                similarity, method = similarity_to_kept(entries, member, kept, params.target)
            state[member] = {"cluster": root, "similarity": similarity, "method": method}
        clusters[root] = {"members": members, "kept": kept}

    # The final state in DedupIndex's tables, numbered 0, 1, ... in input order as the index numbers
    # documents, so that its decisions, explanations and writer are the ones used.
    starts = np.cumsum([0, *(len(entries.shard(shard)["ids"]) for shard in range(shards))]).tolist()

    def number(seq: int) -> int:
        return starts[seq >> _SHARD_BITS] + (seq & ((1 << _SHARD_BITS) - 1))

    storage = SQLiteStorage(":memory:")
    try:
        for shard in range(shards):
            data = entries.shard(shard)
            docs, names = {}, {}
            for line, (doc_id, content_hash, input_hash, comparable, facts) in enumerate(zip(
                    data["ids"].tolist(), data["hashes"].tolist(), data["input_hashes"].tolist(),
                    data["comparable"].tolist(), data["facts"].tolist(), strict=True)):
                seq = _seq(shard, line)
                found = state.get(seq, {"cluster": seq, "similarity": None, "method": None})
                record = {"id": doc_id, "hash": content_hash, "input": input_hash, "comparable": comparable,
                          "rep": number(first.get(seq, seq)),
                          "facts": orjson.loads(facts), **found, "cluster": number(found["cluster"]),
                          "edges": [[number(other), *rest] for other, *rest in sorted(edges.get(seq, []))]}
                docs[str(number(seq))] = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
                names[doc_id] = str(number(seq)).encode()
            storage.put("docs", docs)
            storage.put("ids", names)
        storage.put("clusters", {str(number(root)): orjson.dumps(
            {"members": [number(m) for m in cluster["members"]], "kept": number(cluster["kept"])},
            option=orjson.OPT_SORT_KEYS) for root, cluster in clusters.items()})
        storage.commit()
        index = DedupIndex(storage, params)  # opened on the finished tables, as after a local run
        counts = _write(source, out, index, config["dedup"]["batch_size"], mark_only, config["output"]["compress"])
    finally:
        storage.close()
    for shard in range(shards):  # only this stage reads them; the shards directory keeps the records
        entries_file(shard_dir, shard).unlink()
    summary = {"counts": counts, "params": params.to_dict(), "mark_only": mark_only}
    write_atomic(out / SUMMARY, dumps(summary))
    return summary


def dedup_file(source: Path, out: Path, config: Config, *, mark_only: bool = False) -> dict[str, Any]:
    """`cleaner dedup SOURCE --engine ray`: cut SOURCE into consecutive shards in `out/shards/`, then dedup them.

    Needs a connected Ray; the shards are as many as `clean` would make on this cluster.
    """
    import ray

    lines = sum(1 for _ in read_records(source, with_raw=False))
    parts = SHARDS_PER_CPU * int(ray.cluster_resources().get("CPU", 1))
    per_shard = max(-(-lines // parts), 1)
    shard_dir = out / "shards"
    if shard_dir.exists():
        shutil.rmtree(shard_dir)  # shards of an earlier run must not join this one
    shard_dir.mkdir(parents=True)
    # the shards hold whole records, as a clean run's do: raw texts of a sidecar put back
    records = (orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n" for record in read_records(source, True))
    for shard in range(-(-lines // per_shard)):
        write_atomic(shard_files(shard_dir, shard)[0], b"".join(islice(records, per_shard)))
    summary = dedup_shards(shard_dir, source, out, config, mark_only=mark_only)
    shutil.rmtree(shard_dir)  # copies of SOURCE, only needed while the tasks ran
    return summary
