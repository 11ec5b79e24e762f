"""The persistent, incremental dedup index: every document seen so far, its cluster and the kept one.

Documents are numbered in the order they are added (`seq`); adding batch 1 and then batch 2 gives the
same numbers, pairs, clusters and kept documents as adding both at once, because

- a new document is compared with every earlier one that shares a band (or its content hash), and
  pairs are symmetric, so each pair is verified exactly once whichever batch it falls in;
- a cluster is named after its first-seen member and its kept document is chosen by the keep policy
  over all its members, old and new: a later, better copy supersedes a document kept earlier.

A document id already in the index is not added again: re-running a batch changes nothing.

Tables (see `storage.py`): `ids` id -> seq; `hashes` content hash -> first seq with it; `docs` seq ->
{id, hash, rep (seq whose shingles it shares), facts (for the keep policy), cluster (root seq),
similarity and method (to the kept document), edges (verified pairs with earlier documents)};
`signatures`/`shingles` seq -> arrays (only for the first document of each content hash);
`clusters` root seq -> {members, kept} for clusters of two or more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from cleaner.dedup.clusters import UnionFind, choose_kept
from cleaner.dedup.lsh import band_keys
from cleaner.dedup.storage import Storage
from cleaner.dedup.verify import jaccard, verify


class IndexMismatch(ValueError):
    """The index was built with other parameters; its signatures cannot be compared with ours."""


@dataclass(frozen=True)
class Params:
    shingle_size: int
    num_perm: int
    seed: int
    bands: int
    rows: int
    target: float
    estimate_margin: float
    keep: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "keep": list(self.keep)}


@dataclass
class Entry:
    """A document as the index sees it."""

    id: str
    content_hash: str
    facts: dict[str, Any]
    signature: np.ndarray  # uint32 slots, shape (num_perm,)
    shingles: np.ndarray  # sorted distinct shingle hashes


@dataclass(frozen=True)
class Decision:
    """What `metadata.dedup` says about one document."""

    cluster: str
    kept: bool
    duplicate_of: str | None
    similarity: float | None
    method: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _json(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


class DedupIndex:
    """Every document added so far, behind any `Storage`:

        index = DedupIndex(open_storage("index.sqlite"), params_from_config(Config()))
        index.add(make_entries(records, index.params))     # cleaner.dedup.stage.make_entries
        index.decisions([r["id"] for r in records])         # id -> Decision
    """

    def __init__(self, storage: Storage, params: Params) -> None:
        self.storage = storage
        self.params = params
        (stored,) = storage.get("meta", ["params"])
        if stored is None:
            storage.put("meta", {"params": _json(params.to_dict())})
            storage.commit()
        elif orjson.loads(stored) != orjson.loads(_json(params.to_dict())):
            raise IndexMismatch(f"index built with {orjson.loads(stored)}, this run uses {params.to_dict()}")
        # documents are numbered 0, 1, ... and `ids` is written last: its size is the next number, and
        # a batch whose commit was cut short gets the same numbers when it is added again
        self.next_seq = storage.count("ids")

    def _records(self, seqs: Sequence[int]) -> dict[int, dict[str, Any]]:
        raws = self.storage.get("docs", [str(s) for s in seqs])
        return {seq: orjson.loads(raw) for seq, raw in zip(seqs, raws, strict=True) if raw is not None}

    def _arrays(self, table: str, seqs: Sequence[int], dtype: str) -> dict[int, np.ndarray]:
        raws = self.storage.get(table, [str(s) for s in seqs])
        return {seq: np.frombuffer(raw, dtype=dtype) for seq, raw in zip(seqs, raws, strict=True) if raw is not None}

    def _clusters(self, roots: Sequence[int]) -> dict[int, dict[str, Any]]:
        raws = self.storage.get("clusters", [str(r) for r in roots])
        return {root: orjson.loads(raw) for root, raw in zip(roots, raws, strict=True) if raw is not None}

    def _indexed(self, raw: bytes | None) -> int | None:
        """A stored document number, unless it is a leftover of a commit cut short (see `__init__`)."""
        return None if raw is None or int(raw) >= self.next_seq else int(raw)

    def seqs(self, ids: Sequence[str]) -> list[int | None]:
        return [None if raw is None else int(raw) for raw in self.storage.get("ids", list(ids))]

    def decisions(self, ids: Sequence[str]) -> dict[str, Decision]:
        """The current decision for each indexed id (ids not in the index are left out)."""
        seqs = [seq for seq in self.seqs(ids) if seq is not None]
        records = self._records(seqs)
        roots = sorted({records[seq]["cluster"] for seq in seqs})
        clusters = self._clusters(roots)
        kept_of = {root: clusters[root]["kept"] if root in clusters else root for root in roots}
        names = {seq: rec["id"] for seq, rec in self._records(sorted({*roots, *kept_of.values()})).items()}
        out: dict[str, Decision] = {}
        for seq in seqs:
            rec = records[seq]
            kept = kept_of[rec["cluster"]]
            out[rec["id"]] = Decision(names[rec["cluster"]], seq == kept, None if seq == kept else names[kept],
                                      rec.get("similarity"), rec.get("method"))
        return out

    def explain(self, roots: Sequence[int]) -> list[dict[str, Any]]:
        """Each cluster of two or more among `roots`: members, kept one, and the verified pairs linking them."""
        out = []
        clusters = self._clusters(sorted(set(roots)))
        everyone = self._records(sorted(m for cluster in clusters.values() for m in cluster["members"]))
        for root, cluster in sorted(clusters.items()):
            records = {seq: everyone[seq] for seq in cluster["members"]}
            name = {seq: rec["id"] for seq, rec in records.items()}
            members = [{"id": name[seq], "kept": seq == cluster["kept"], "similarity": rec.get("similarity"),
                        "method": rec.get("method")} for seq, rec in records.items()]
            pairs = [{"a": name[other], "b": name[seq], "similarity": sim, "method": method}
                     for seq, rec in records.items() for other, sim, method in rec["edges"]]
            out.append({"cluster": name[root], "kept": name[cluster["kept"]], "size": len(members),
                        "members": sorted(members, key=lambda m: m["id"]),
                        "pairs": sorted(pairs, key=lambda p: (p["a"], p["b"]))})
        return sorted(out, key=lambda c: c["cluster"])

    def roots(self, ids: Sequence[str]) -> list[int]:
        seqs = [seq for seq in self.seqs(ids) if seq is not None]
        return sorted({rec["cluster"] for rec in self._records(seqs).values()})

    def add(self, entries: Sequence[Entry]) -> None:
        """Add a batch (in order), verify its candidate pairs, update the clusters, commit."""
        p = self.params
        known = self.seqs([e.id for e in entries])
        fresh: dict[int, Entry] = {}
        seen_ids: set[str] = set()
        for entry, seq in zip(entries, known, strict=True):
            if seq is None and entry.id not in seen_ids:
                seen_ids.add(entry.id)
                fresh[self.next_seq + len(fresh)] = entry
        if not fresh:
            return
        # exact duplicates: same content hash as an earlier document
        stored_hashes = self.storage.get("hashes", [e.content_hash for e in fresh.values()])
        first_with: dict[str, int] = {}
        rep: dict[int, int] = {}
        edges: dict[int, list[list[Any]]] = {seq: [] for seq in fresh}
        for (seq, entry), stored in zip(fresh.items(), stored_hashes, strict=True):
            earlier = self._indexed(stored)
            earlier = first_with.get(entry.content_hash) if earlier is None else earlier
            if earlier is None:
                first_with[entry.content_hash] = seq
                rep[seq] = seq
            else:
                rep[seq] = earlier  # `hashes` and `first_with` only ever name a first document
                edges[seq].append([earlier, 1.0, "content_hash"])
        # near duplicates: band collisions with earlier documents, then verification
        lsh = [seq for seq in fresh if rep[seq] == seq and len(fresh[seq].shingles)]
        keys = band_keys(np.stack([fresh[s].signature for s in lsh]), p.bands, p.rows) if lsh else np.zeros((0, 0))
        old_members = {key: [seq for seq in seqs if seq < self.next_seq]
                       for key, seqs in self.storage.band_members([int(k) for k in np.unique(keys)]).items()}
        batch_members: dict[int, list[int]] = {}
        candidates: dict[int, set[int]] = {}
        for seq, row in zip(lsh, keys.tolist(), strict=True):
            found: set[int] = set()
            for key in row:
                found.update(old_members.get(key, ()))
                found.update(batch_members.get(key, ()))
                batch_members.setdefault(key, []).append(seq)
            candidates[seq] = found
        old = sorted({c for found in candidates.values() for c in found if c not in fresh})
        signatures = {**self._arrays("signatures", old, "<u4"), **{s: fresh[s].signature for s in lsh}}
        shingles = _ShingleCache(self, {s: fresh[s].shingles for s in fresh if rep[s] == s})
        for seq in lsh:
            # a short text fills few bins, so its estimate is too noisy for the shortcut (see verify.py)
            margin = p.estimate_margin if len(fresh[seq].shingles) >= 2 * p.num_perm else math.inf
            for other in sorted(candidates[seq]):
                verdict = verify(signatures[seq], signatures[other], lambda a=seq, b=other: (shingles[a], shingles[b]),
                                 p.target, margin)
                if verdict is not None:
                    edges[seq].append([other, *verdict])
        records, clusters = self._cluster(fresh, rep, edges, shingles)
        self._store(fresh, rep, records, clusters, keys, lsh)

    def _cluster(self, fresh: dict[int, Entry], rep: dict[int, int], edges: dict[int, list[list[Any]]],
                 shingles: _ShingleCache) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any] | None]]:
        """Union the new pairs with the old clusters they touch; choose the kept document of each.

        Returns the document records and the clusters to write (None: a cluster merged into another).
        """
        linked_old = sorted({other for pairs in edges.values() for other, _, _ in pairs if other not in fresh})
        old_records = self._records(linked_old)
        old_roots = sorted({rec["cluster"] for rec in old_records.values()})
        old_clusters = self._clusters(old_roots)
        uf = UnionFind()
        for seq in fresh:
            uf.find(seq)
        for root in old_roots:
            for member in old_clusters.get(root, {"members": [root]})["members"]:
                if member < self.next_seq:  # not a leftover of a commit cut short
                    uf.union(root, member)
        for seq, pairs in edges.items():
            for other, _, _ in pairs:
                uf.union(seq, other)
        groups = uf.groups()
        unlinked = sorted(m for members in groups.values() for m in members if m not in fresh and m not in old_records)
        records = {**old_records, **self._records(unlinked)}
        changed_records: dict[int, dict[str, Any]] = {}
        changed_clusters: dict[int, dict[str, Any] | None] = {root: None for root in old_roots}
        for root, members in groups.items():
            facts = {m: fresh[m].facts if m in fresh else records[m]["facts"] for m in members}
            kept = choose_kept(members, facts, self.params.keep)
            reps = {m: rep[m] if m in fresh else records[m]["rep"] for m in members}
            for member in members:
                record = records[member] if member in records else {
                    "id": fresh[member].id, "hash": fresh[member].content_hash, "rep": rep[member],
                    "facts": fresh[member].facts, "edges": edges[member]}
                if member == kept:
                    similarity, method = None, None
                elif reps[member] == reps[kept]:
                    similarity, method = 1.0, "content_hash"
                else:
                    similarity, method = round(jaccard(shingles[reps[member]], shingles[reps[kept]]), 4), "jaccard"
                changed_records[member] = {**record, "cluster": root, "similarity": similarity, "method": method}
            changed_clusters[root] = {"members": members, "kept": kept} if len(members) > 1 else None
        return changed_records, changed_clusters

    def _store(self, fresh: dict[int, Entry], rep: dict[int, int], records: dict[int, dict[str, Any]],
               clusters: dict[int, dict[str, Any] | None], keys: np.ndarray, lsh: list[int]) -> None:
        s = self.storage
        s.put("docs", {str(seq): _json(rec) for seq, rec in records.items()})
        s.put("signatures", {str(seq): fresh[seq].signature.astype("<u4").tobytes() for seq in lsh})
        s.put("shingles", {str(seq): fresh[seq].shingles.astype("<u8").tobytes() for seq in fresh if rep[seq] == seq})
        s.put("hashes", {entry.content_hash: str(seq).encode() for seq, entry in fresh.items() if rep[seq] == seq})
        s.put("clusters", {str(root): _json(c) for root, c in clusters.items() if c is not None})
        s.delete("clusters", [str(root) for root, c in clusters.items() if c is None])
        s.add_bands((key, seq) for seq, row in zip(lsh, keys.tolist(), strict=True) for key in row)
        self.next_seq += len(fresh)
        s.put("ids", {entry.id: str(seq).encode() for seq, entry in fresh.items()})
        s.commit()


class _ShingleCache:
    """Shingle sets by seq: the batch's in memory, older ones loaded from the index on first use."""

    def __init__(self, index: DedupIndex, batch: dict[int, np.ndarray]) -> None:
        self.index = index
        self.known = dict(batch)

    def __getitem__(self, seq: int) -> np.ndarray:
        if seq not in self.known:
            self.known.update(self.index._arrays("shingles", [seq], "<u8"))
        return self.known[seq]
