"""The corpus-level dedup step behind `cleaner dedup` and `cleaner run`.

Two passes over a documents.jsonl: the first adds every document to the index batch by batch (so
memory stays bounded and a killed run resumes from the last committed batch), the second writes
each record with `metadata.dedup` taken from the final state of the index, so a document that a later
batch of the same run superseded is reported as dropped. Output, in input order:

- `documents.jsonl`: the kept documents (every document with `mark_only`);
- `duplicates.jsonl`: the dropped ones, marked, so that nothing vanishes (not written with `mark_only`);
- `clusters.jsonl`: every cluster of two or more that this run's documents belong to, sorted by
  cluster id, with the verified pairs that link its members;
- `dedup.json`: counts and the effective parameters.

A `documents.parquet` source gives `documents.parquet` and `duplicates.parquet` (`--format parquet`);
`clusters.jsonl` stays JSON lines, compressed as `output.compress` says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import xxhash

from cleaner.config import Config
from cleaner.dedup.clusters import rank_facts, rank_fields
from cleaner.dedup.index import DedupIndex, Entry
from cleaner.dedup.minhash import signatures
from cleaner.dedup.params import Params, params_from_config
from cleaner.dedup.shingles import shingle_ids, shingles_of_tokens, token_hashes
from cleaner.dedup.storage import index_errors, open_storage
from cleaner.io.outputs import (
    RAW,
    Compression,
    RawTexts,
    compressed_name,
    is_parquet,
    open_output,
    sidecar_of,
)
from cleaner.io.writers import (
    DOCUMENTS,
    AtomicLines,
    AtomicRecords,
    aborted_on_error,
    commit_replacing,
    dumps,
    write_atomic,
)

DUPLICATES = "duplicates.jsonl"
CLUSTERS = "clusters.jsonl"
SUMMARY = "dedup.json"
DEFAULT_INDEX = "dedup-index.sqlite"
HASH_CHUNK = 256
HASH_CHARS = 1_000_000
# at most this many bytes of input records per batch, whatever `dedup.batch_size`: with the records' shingle
# sets, signatures and the SQLite cache it keeps `cleaner dedup` under 300 MB at any corpus size (docs/dedup.md)
BATCH_BYTES = 12_000_000


def _texts(texts: list[str], params: Params) -> tuple[list[str], list[np.ndarray], np.ndarray, np.ndarray]:
    """Per text: the hash of its word sequence, its shingle set (`shingle_ids`), its signature, its word count."""
    tokens, token_offsets = token_hashes(texts)
    hashes, offsets = shingles_of_tokens(tokens, token_offsets, params.shingle_size)
    rows = signatures(hashes, offsets, params.num_perm, params.seed)
    words = [xxhash.xxh3_128_hexdigest(tokens[token_offsets[i]:token_offsets[i + 1]].tobytes())
             for i in range(len(texts))]
    sets = [shingle_ids(hashes[offsets[i]:offsets[i + 1]]) for i in range(len(texts))]
    return words, sets, rows, np.diff(token_offsets)


def make_entries(records: Sequence[dict[str, Any]], params: Params) -> list[Entry]:
    """Both texts of a batch of output records, as the index compares them: the clean `text` and the
    input `raw` (the clean text again for a record without one)."""
    entries = []
    for chunk in _hash_chunks(records):
        clean = _texts([record["text"] for record in chunk], params)
        given = _texts([record.get("raw") or record["text"] for record in chunk], params)
        for i, record in enumerate(chunk):
            entries.append(Entry(record["id"], clean[0][i], rank_facts(record), clean[2][i], clean[1][i],
                                 input_hash=given[0][i], input_signature=given[2][i], input_shingles=given[1][i],
                                 comparable=bool(clean[3][i] >= params.min_tokens)))
    return entries


def _hash_chunks(records: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    """The records a few hundred at a time, fewer when long: one numpy pass over HASH_CHARS characters
    amortises the calls, while its arrays (8 bytes per character, several of them) stay tens of MB."""
    start = held = 0
    for end, record in enumerate(records, 1):
        held += max(len(record["text"]), len(record.get("raw") or ""))
        if end - start == HASH_CHUNK or held >= HASH_CHARS:
            yield records[start:end]
            start, held = end, 0
    if start < len(records):
        yield records[start:]


def read_records(path: Path, with_raw: bool) -> Iterator[dict[str, Any]]:
    """The records of a documents file (compressed or not); `with_raw` puts back a sidecar's raw texts.

    Records written with output.raw = "none" stay without: dedup then compares their clean text twice.
    """
    for record, _ in _sized_records(path, with_raw):
        yield record


def _sized_records(path: Path, with_raw: bool) -> Iterator[tuple[dict[str, Any], int]]:
    """`read_records` with the bytes each record was read from (its line and its sidecar raw text)."""
    with open_output(path) as fh, RawTexts(path, dropped_ok=True) as raw:
        for line in fh:
            if line.strip():
                record = orjson.loads(line)
                if with_raw:
                    raw.fill(record)
                yield record, len(line) + (len(record.get("raw") or "") if record.get("metadata", {}).get("raw_in")
                                           else 0)


def for_index(record: dict[str, Any]) -> dict[str, Any]:
    """What the index reads of a record: its texts and its keep-policy facts. The rest (spans, flags,
    provenance) is most of a record's objects, and pass 1 holds a whole batch of them."""
    return {**rank_fields(record), "raw": record.get("raw")}


def _batches(path: Path, size: int, with_raw: bool, slim: bool = False,
             limit: int = 0) -> Iterator[list[dict[str, Any]]]:
    """Records of `path` (`for_index` of each with `slim`), `size` at a time, fewer where the JSON they
    were read from would exceed `limit` bytes (BATCH_BYTES by default): what a batch holds in memory
    (records, shingle sets) grows with the articles' length and metadata, not only their number."""
    limit = limit or BATCH_BYTES
    batch: list[dict[str, Any]] = []
    held = 0
    for record, read in _sized_records(path, with_raw):
        batch.append(for_index(record) if slim else record)
        held += read
        if len(batch) == size or held >= limit:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def carry_sidecar(source: Path, out: Path, compression: Compression) -> str | None:
    """The raw sidecar of `source` written beside the output (if it is not there already); its new name."""
    given = sidecar_of(source)
    if not given.exists():
        return None
    name = compressed_name(RAW, compression)
    if (out / name).resolve() != given.resolve():
        lines = AtomicLines(out / name, compression)
        with open_output(given) as fh:
            for line in fh:
                lines.write(line.rstrip(b"\n"))
        lines.commit()
    return name


def dedup_corpus(source: Path, out: Path, config: Config, *, index: str | None = None,
                 mark_only: bool = False) -> dict[str, Any]:
    """Deduplicate the records of `source` (a documents.jsonl) into `out/`; returns `out/dedup.json`.

    With an `index` (or config `dedup.index`) the records are also compared with everything indexed
    before, and added to it; without one, a fresh index in `out/` is used.
    `source` may be `out/documents.jsonl` itself: it is only replaced once the output is complete.
    """
    params = params_from_config(config)
    spec = index or config["dedup"]["index"]
    if not spec:
        # no index named: dedup this input alone, so the output depends on nothing but input and config;
        # the file stays for a later `--index <out>/dedup-index.sqlite`
        spec = str(out / DEFAULT_INDEX)
        for suffix in ("", "-wal", "-shm"):
            Path(spec + suffix).unlink(missing_ok=True)
    size = config["dedup"]["batch_size"]
    storage = open_storage(spec)
    try:
        with index_errors(spec):
            idx = DedupIndex(storage, params)
            for batch in _batches(source, size, with_raw=True, slim=True):
                idx.add(make_entries(batch, params))
            counts = _write(source, out, idx, size, mark_only, config["output"]["compress"])
    finally:
        storage.close()
    summary = {"counts": counts, "params": params.to_dict(), "mark_only": mark_only}
    write_atomic(out / SUMMARY, dumps(summary))
    return summary


def _write(source: Path, out: Path, idx: DedupIndex, size: int, mark_only: bool,
           compression: Compression) -> dict[str, int]:
    """The output files from the index's final state, reading `source` batch by batch again: memory
    holds one batch of records and the names of this run's clusters, never every decision. Records
    whose input text is in a sidecar get the sidecar written beside them."""
    sidecar = carry_sidecar(source, out, compression)
    counts: Counter[str] = Counter(documents=0)
    roots: set[int] = set()
    records_in_parquet = is_parquet(source)

    def writer(name: str) -> AtomicLines | AtomicRecords:
        # the records files keep the source's format; the clusters are JSON lines either way
        if records_in_parquet and name != CLUSTERS:
            return AtomicRecords(out, name)
        return AtomicLines(out / compressed_name(name, compression), compression)

    writers = {name: writer(name) for name in (DOCUMENTS, CLUSTERS) + (() if mark_only else (DUPLICATES,))}
    with aborted_on_error(writers):
        # whole records, parsed: each takes several times its JSON in objects, so fewer at a time
        for batch in _batches(source, size, with_raw=False, limit=BATCH_BYTES // 4):
            ids = [record["id"] for record in batch]
            decisions = idx.decisions(ids)
            roots.update(idx.cluster_roots(ids))
            for record in batch:
                decision = decisions[record["id"]]
                record.setdefault("metadata", {})["dedup"] = decision.to_dict()
                if record["metadata"].get("raw_in"):
                    record["metadata"]["raw_in"] = sidecar
                counts["kept" if decision.kept else f"duplicates_{decision.method}"] += 1
                line = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
                writers[DOCUMENTS if decision.kept or mark_only else DUPLICATES].write(line)
            counts["documents"] += len(batch)
        counts["clusters"] = len(roots)
        for start in range(0, len(roots), size):  # in cluster-id order, `size` clusters at a time
            for cluster in idx.explain(idx.by_name(roots)[start:start + size]):
                # how the linking pairs were verified: by content hash, signature estimate or exact Jaccard
                counts.update(f"pairs_{pair['method']}" for pair in cluster["pairs"])
                writers[CLUSTERS].write(orjson.dumps(cluster, option=orjson.OPT_SORT_KEYS))
    # files of an earlier run (or the source's own, in another compression) that this output does not
    # contain; with mark_only every document is in documents.jsonl, so an older duplicates.jsonl would
    # count some twice
    commit_replacing(writers, out, (DOCUMENTS, CLUSTERS, DUPLICATES, RAW), (sidecar,))
    return dict(sorted(counts.items()))
