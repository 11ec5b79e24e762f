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
`signatures`/`shingles` seq -> arrays (only for the first document of each content hash; an input's
shingle set is stored as the part of its own clean set it keeps plus what it adds: see `pack_input_shingles`);
`clusters` root seq -> {members, kept} for clusters of two or more; `meta`: parameters and `FORMAT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from cleaner.dedup.clusters import UnionFind, choose_kept
from cleaner.dedup.lsh import band_keys, input_band_keys
from cleaner.dedup.params import Params
from cleaner.dedup.storage import Storage
from cleaner.dedup.verify import CLEAN, INPUT, similarity_to_kept, verification_signature, verify_pair

# input hashes share the `hashes` table with clean ones
_INPUT_HASH = "input:"
# the layout of the tables; an index written in another one is refused, never misread. Format 1 (no
# `format` in `meta`) stored 32-bit signature slots and every shingle set whole, as 8-byte hashes.
FORMAT = 2


class IndexMismatch(ValueError):
    """The index was built with other parameters; its signatures cannot be compared with ours."""


@dataclass
class Entry:
    """A document as the index sees it: its clean text and its input text (`raw`), each as a content
    hash, a signature and a shingle set.

    Without input fields the input is taken to be the clean text. A document that is not `comparable`
    (too few words of clean text) is matched only by its input hash.
    """

    id: str
    content_hash: str
    facts: dict[str, Any]
    signature: np.ndarray  # uint32 slots, shape (num_perm,)
    shingles: np.ndarray  # its shingle set: sorted distinct uint32 ids (`shingle_ids`)
    input_hash: str = ""
    input_signature: np.ndarray | None = None
    input_shingles: np.ndarray | None = None
    comparable: bool = True

    def __post_init__(self) -> None:
        self.input_hash = self.input_hash or self.content_hash
        self.input_signature = self.signature if self.input_signature is None else self.input_signature
        self.input_shingles = self.shingles if self.input_shingles is None else self.input_shingles

    def text(self, which: str) -> tuple[np.ndarray, np.ndarray]:
        """(signature, shingles) of the clean text (CLEAN) or of the input (INPUT)."""
        if which == CLEAN:
            return self.signature, self.shingles
        assert self.input_signature is not None and self.input_shingles is not None
        return self.input_signature, self.input_shingles


@dataclass(frozen=True)
class Decision:
    """What `metadata.dedup` says about one document."""

    cluster: str
    kept: bool
    duplicate_of: str | None
    similarity: float | None
    method: str | None
    content_compared: bool = True

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
        stored, written = storage.get("meta", ["params", "format"])
        if stored is None:
            storage.put("meta", {"params": _json(params.to_dict()), "format": str(FORMAT).encode()})
            storage.commit()
        elif int(written or 1) != FORMAT:
            raise IndexMismatch(f"index written in dedup index format {int(written or 1)} by another version of "
                                f"cleaner; this one reads format {FORMAT} only: rebuild the index from the "
                                f"documents it holds (cleaner dedup without --index, or a new --index)")
        elif orjson.loads(stored) != orjson.loads(_json(params.to_dict())):
            raise IndexMismatch(f"index built with {orjson.loads(stored)}, this run uses {params.to_dict()}")
        # documents are numbered 0, 1, ... and `ids` is written last: its size is the next number, and
        # a batch whose commit was cut short gets the same numbers when it is added again
        self.next_seq = storage.count("ids")

    def _records(self, seqs: Sequence[int]) -> dict[int, dict[str, Any]]:
        raws = self.storage.get("docs", [str(s) for s in seqs])
        return {seq: orjson.loads(raw) for seq, raw in zip(seqs, raws, strict=True) if raw is not None}

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
                                      rec.get("similarity"), rec.get("method"), rec.get("comparable", True))
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

    def cluster_roots(self, ids: Sequence[str]) -> list[int]:
        """The roots of the clusters of two or more that these indexed ids belong to."""
        seqs = [seq for seq in self.seqs(ids) if seq is not None]
        roots = sorted({rec["cluster"] for rec in self._records(seqs).values()})
        return [root for root, raw in zip(roots, self.storage.get("clusters", [str(r) for r in roots]), strict=True)
                if raw is not None]

    def by_name(self, roots: set[int]) -> list[int]:
        """Cluster roots in the order of their names (the root document's id), as `explain` sorts them."""
        ordered = sorted(roots)
        names: dict[int, str] = {}
        for start in range(0, len(ordered), 5000):
            names.update((seq, rec["id"]) for seq, rec in self._records(ordered[start:start + 5000]).items())
        return sorted(ordered, key=names.__getitem__)

    def _first_with(self, keys: list[str], fresh: dict[int, Entry]) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
        """For each new document, the earlier document with its clean text (key CLEAN, comparable
        documents only) and with its input (key INPUT); and the hashes that new documents are first with."""
        lookups = sorted(set(keys))
        stored = dict(zip(lookups, self.storage.get("hashes", lookups), strict=True))
        first: dict[str, int] = {}
        found: dict[int, dict[str, int]] = {}
        for seq, entry in fresh.items():
            found[seq] = {}
            for text, key in ((CLEAN, entry.content_hash if entry.comparable else None),
                              (INPUT, _INPUT_HASH + entry.input_hash)):
                if key is None:
                    continue
                earlier = self._indexed(stored[key])
                earlier = first.get(key) if earlier is None else earlier
                if earlier is None:
                    first[key] = seq
                else:
                    found[seq][text] = earlier
        return found, first

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
        # exact copies: the same clean text as an earlier document, or the same input
        copies, firsts = self._first_with([key for e in fresh.values() for key in
                                           ([e.content_hash] if e.comparable else []) + [_INPUT_HASH + e.input_hash]],
                                          fresh)
        # each text of a document is signed and stored once, by its first copy: the text's representative
        reps: dict[int, dict[str, int]] = {}
        edges: dict[int, list[list[Any]]] = {seq: [] for seq in fresh}
        for seq, earlier in copies.items():
            reps[seq] = {CLEAN: earlier.get(CLEAN, seq), INPUT: earlier.get(INPUT, seq)}
            if CLEAN in earlier:
                edges[seq].append([earlier[CLEAN], 1.0, "content_hash"])
            if INPUT in earlier and earlier[INPUT] != earlier.get(CLEAN):
                edges[seq].append([earlier[INPUT], 1.0, "input_hash"])
        # near duplicates: band collisions of either text with earlier documents, then verification
        banded = {text: [seq for seq in fresh if reps[seq][text] == seq and fresh[seq].comparable
                         and len(fresh[seq].shingles)] for text in (CLEAN, INPUT)}
        keys = self._band_keys(fresh, banded)
        old_members = {key: [seq for seq in seqs if seq < self.next_seq] for key, seqs in self.storage.band_members(
            sorted({key for row in keys.values() for key in row})).items()}
        batch_members: dict[int, list[int]] = {}
        candidates: dict[int, set[int]] = {}
        for seq, row in keys.items():
            found: set[int] = set()
            for key in row:
                found.update(old_members.get(key, ()))
                found.update(batch_members.get(key, ()))
                batch_members.setdefault(key, []).append(seq)
            candidates[seq] = found
        texts = _Texts(self, fresh, reps)
        texts.load_signatures(sorted({c for found in candidates.values() for c in found if c not in fresh}))
        for seq in sorted(candidates):
            for other in sorted(candidates[seq]):
                verdict = verify_pair(texts, seq, other, p.target, p.estimate_margin, p.num_perm, p.clean_agreement)
                if verdict is not None:
                    edges[seq].append([other, *verdict])
        records, clusters = self._cluster(fresh, reps, {seq: sorted(pairs) for seq, pairs in edges.items()}, texts)
        self._store(fresh, reps, firsts, records, clusters, keys, banded)

    def _band_keys(self, fresh: dict[int, Entry], banded: dict[str, list[int]]) -> dict[int, list[int]]:
        """Each banded document's band keys: of its clean text and of its input, where it is their first copy."""
        p = self.params
        clean, given = banded[CLEAN], banded[INPUT]
        keys: dict[int, list[int]] = {seq: [] for seq in sorted({*clean, *given})}
        if clean:
            for seq, row in zip(clean, band_keys(np.stack([fresh[s].signature for s in clean]), p.bands,
                                                 p.rows).tolist(), strict=True):
                keys[seq] += row
        if given:
            for seq, row in zip(given, input_band_keys(np.stack([fresh[s].input_signature for s in given]), p.bands,
                                                       p.rows).tolist(), strict=True):
                keys[seq] += row
        return keys

    def _cluster(self, fresh: dict[int, Entry], reps: dict[int, dict[str, int]], edges: dict[int, list[list[Any]]],
                 texts: _Texts) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any] | None]]:
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
        for seq, entry in fresh.items():
            records[seq] = {"id": entry.id, "hash": entry.content_hash, "input": entry.input_hash,
                            "rep": reps[seq][CLEAN], "input_rep": reps[seq][INPUT], "facts": entry.facts,
                            "edges": edges[seq], "comparable": entry.comparable}
        changed_records: dict[int, dict[str, Any]] = {}
        changed_clusters: dict[int, dict[str, Any] | None] = {root: None for root in old_roots}
        for root, members in groups.items():
            kept = choose_kept(members, {m: records[m]["facts"] for m in members}, self.params.keep)
            for member in members:
                record = records[member]
                if member == kept:
                    similarity, method = None, None
                elif record["rep"] == records[kept]["rep"]:
                    similarity, method = 1.0, "content_hash"
                elif record["input"] == records[kept]["input"]:
                    similarity, method = 1.0, "input_hash"
                else:
                    similarity, method = similarity_to_kept(texts, member, kept, self.params.target)
                changed_records[member] = {**record, "cluster": root, "similarity": similarity, "method": method}
            changed_clusters[root] = {"members": members, "kept": kept} if len(members) > 1 else None
        return changed_records, changed_clusters

    def _store(self, fresh: dict[int, Entry], reps: dict[int, dict[str, int]], hashes: dict[str, int],
               records: dict[int, dict[str, Any]], clusters: dict[int, dict[str, Any] | None],
               keys: dict[int, list[int]], banded: dict[str, list[int]]) -> None:
        s = self.storage
        s.put("docs", {str(seq): _json(rec) for seq, rec in records.items()})
        s.put("signatures", {_text_key(seq, text): verification_signature(fresh[seq].text(text)[0]).astype("<u2")
                             .tobytes() for text, seqs in banded.items() for seq in seqs})
        s.put("shingles", {str(seq): pack_ids(fresh[seq].shingles)
                           for seq in fresh if reps[seq][CLEAN] == seq})
        s.put("shingles", {_text_key(seq, INPUT): pack_input_shingles(fresh[seq].shingles, fresh[seq].input_shingles)
                           for seq in fresh if reps[seq][INPUT] == seq})
        s.put("hashes", {key: str(seq).encode() for key, seq in hashes.items()})
        s.put("clusters", {str(root): _json(c) for root, c in clusters.items() if c is not None})
        s.delete("clusters", [str(root) for root, c in clusters.items() if c is None])
        s.add_bands((key, seq) for seq, row in keys.items() for key in row)
        self.next_seq += len(fresh)
        s.put("ids", {entry.id: str(seq).encode() for seq, entry in fresh.items()})
        s.commit()


def pack_ids(ids: np.ndarray) -> bytes:
    """Sorted distinct uint32 ids in Elias-Fano form, 3 bytes each for the 800 of an article (4 as they are).

    With n ids, the low L = floor(log2(2**32 / n)) bits of each are stored as they are, packed; the high
    bits, which rise from id to id by about 1 on average, as a unary code: bit high_i + i set in a
    vector of n + 2**32 >> L bits. Layout: uint32 n, the low bits, the vector.
    """
    n = len(ids)
    low_bits = _low_bits(n)
    upper = np.zeros(n + (int(ids[-1]) >> low_bits) + 1 if n else 0, dtype=np.uint8)
    upper[(ids >> np.uint32(low_bits)).astype(np.int64) + np.arange(n)] = 1
    low = ids[:, None] >> np.arange(low_bits - 1, -1, -1, dtype=np.uint32) & np.uint32(1)
    return (np.uint32(n).astype("<u4").tobytes() + np.packbits(low.astype(np.uint8)).tobytes()
            + np.packbits(upper).tobytes())


def unpack_ids(packed: bytes) -> np.ndarray:
    """The sorted uint32 ids that `pack_ids` stored."""
    n = int(np.frombuffer(packed[:4], dtype="<u4")[0])
    low_bits = _low_bits(n)
    end = 4 + (n * low_bits + 7) // 8
    fields = np.unpackbits(np.frombuffer(packed[4:end], dtype=np.uint8), count=n * low_bits).reshape(n, low_bits)
    low = fields.astype(np.uint32) @ (np.uint32(1) << np.arange(low_bits - 1, -1, -1, dtype=np.uint32))
    high = np.flatnonzero(np.unpackbits(np.frombuffer(packed[end:], dtype=np.uint8)))[:n] - np.arange(n)
    return high.astype(np.uint32) << np.uint32(low_bits) | low.astype(np.uint32)


def _low_bits(n: int) -> int:
    """floor(log2(2**32 / n)), at most 31: numpy's uint32 shift by 32 is not defined."""
    return min(31, (2**32 // n).bit_length() - 1) if n else 0


def pack_input_shingles(clean: np.ndarray, given: np.ndarray) -> bytes:
    """An input's shingle set, stored against the same document's clean set: cleaning mostly removes
    lines, so most input shingles are clean ones (one bit each, in clean-set order) and the rest, the
    removed lines' and their joins', are few (4 bytes each). Layout: uint32 len(clean), the bits, the rest."""
    kept = np.isin(clean, given, assume_unique=True)
    return (np.uint32(len(clean)).astype("<u4").tobytes() + np.packbits(kept).tobytes()
            + np.setdiff1d(given, clean[kept], assume_unique=True).astype("<u4").tobytes())


def unpack_input_shingles(clean: np.ndarray, packed: bytes) -> np.ndarray:
    """The sorted input shingle set that `pack_input_shingles(clean, ...)` stored."""
    count = int(np.frombuffer(packed[:4], dtype="<u4")[0])
    if count != len(clean):
        raise ValueError(f"an input shingle set packed against {count} clean shingles, read against {len(clean)}")
    bits = 4 + (count + 7) // 8
    kept = np.unpackbits(np.frombuffer(packed[4:bits], dtype=np.uint8), count=count).astype(bool)
    return np.sort(np.concatenate((clean[kept], np.frombuffer(packed[bits:], dtype="<u4"))))


def _text_key(seq: int, text: str) -> str:
    """Key of a document's signature or shingles: the clean text's under its number, the input's prefixed."""
    return str(seq) if text == CLEAN else f"i{seq}"


class _Texts:
    """Signatures and shingle sets by document number and text, read from the text's first copy: the
    batch's in memory, older ones loaded from the index on first use."""

    def __init__(self, index: DedupIndex, fresh: dict[int, Entry], reps: dict[int, dict[str, int]]) -> None:
        self.index = index
        self.reps = dict(reps)
        self.signatures: dict[tuple[int, str], np.ndarray] = {}
        self.known: dict[tuple[int, str], np.ndarray] = {}
        for seq, entry in fresh.items():
            for text in (CLEAN, INPUT):
                if reps[seq][text] == seq:
                    self.signatures[(seq, text)], self.known[(seq, text)] = entry.text(text)

    def _rep(self, seq: int, text: str) -> int:
        if seq not in self.reps:
            record = self.index._records([seq])[seq]
            self.reps[seq] = {CLEAN: record["rep"], INPUT: record["input_rep"]}
        return self.reps[seq][text]

    def _load_signatures(self, wanted: list[tuple[int, str]]) -> None:
        raws = self.index.storage.get("signatures", [_text_key(seq, text) for seq, text in wanted])
        self.signatures.update({key: np.frombuffer(raw, dtype="<u2") for key, raw in zip(wanted, raws, strict=True)
                                if raw is not None})

    def load_signatures(self, seqs: list[int]) -> None:
        """Both signatures of these indexed documents, in two look-ups."""
        for seq, record in self.index._records([seq for seq in seqs if seq not in self.reps]).items():
            self.reps[seq] = {CLEAN: record["rep"], INPUT: record["input_rep"]}
        wanted = sorted({(self._rep(seq, text), text) for seq in seqs for text in (CLEAN, INPUT)})
        self._load_signatures([key for key in wanted if key not in self.signatures])

    def signature(self, seq: int, text: str) -> np.ndarray:
        key = (self._rep(seq, text), text)
        if key not in self.signatures:
            self._load_signatures([key])
        return self.signatures[key]

    def shingles(self, seq: int, text: str) -> np.ndarray:
        key = (self._rep(seq, text), text)
        if key not in self.known:
            (packed,) = self.index.storage.get("shingles", [_text_key(*key)])
            self.known[key] = (unpack_ids(packed) if text == CLEAN
                               else unpack_input_shingles(self.shingles(key[0], CLEAN), packed))
        return self.known[key]
