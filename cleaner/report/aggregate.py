"""Streaming aggregation of the output records into every figure of the audit.

One pass over `documents.jsonl` (plus `quarantine.jsonl`) with memory bounded by the number of distinct
sources, languages and duplicate clusters, never by the size of the text: per-document data is kept
only in fixed-size samples and heaps. The result is a plain dict of sorted keys and rounded floats, so
the same records always give the same `summary.json` bytes.

Definitions (the page repeats them):
- removed characters of a category: the summed length of its spans over `raw` (spans of different
  categories may overlap, so the categories can add up to more than `raw_chars - clean_chars`);
- noise share: `1 - clean_chars / raw_chars`;
- duplicate: a record whose `metadata.dedup.kept` is false; kept = documents - duplicates;
- quality pass rate: of the documents the quality heuristics assessed, the share that every family passes
  (cleaner/report/quality.py);
- emptied: a record with `metadata.empty_after_cleaning` (cleaning left it shorter than `input.min_chars`);
  a rule is responsible for it when the record names the rule there.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cleaner.document import Span, removed_chars_by_category
from cleaner.report.quality import QualityAggregate, SourceQuality

# Upper edges of the length histogram (characters); the last bin is open-ended.
LENGTH_EDGES = (100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000)
TOP_LINES = 10  # recurring removed lines shown per category
LINE_SKETCH = 500  # distinct lines tracked per category (Misra-Gries); exact while not exceeded
LINE_CHARS = 160  # a removed line is counted by its first characters, which keeps keys small
TOP_SOURCES = 50
TOP_CLUSTERS = 25
MOST_REMOVED = 50  # documents with the most removed characters that get a view
FLAG_EXAMPLES = 100  # flagged documents listed with their evidence
EVIDENCE_PER_FLAG = 3
EVIDENCE_CHARS = 200
QUARANTINE_EXAMPLES = 20
EMPTIED_EXAMPLES = 20
VIEW_LIMIT = 300  # per-document views written when the corpus is larger than this
PROVENANCE_FIELDS = ("author", "date", "url", "license")


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _sorted(counter: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counter.items()))


def provenance_fields(metadata: dict[str, Any]) -> dict[str, bool]:
    """Which provenance facts a record carries, from the extractor's fields or the harvested provenance."""
    prov = metadata.get("provenance") or {}
    return {
        "author": bool(metadata.get("author") or prov.get("authors") or prov.get("author")),
        "date": bool(metadata.get("date") or prov.get("date_published")),
        "url": bool(metadata.get("url") or prov.get("url")),
        "license": bool(metadata.get("license") or prov.get("license")),
    }


def source_of(record: dict[str, Any]) -> str:
    """The per-source table groups by web domain (from the page or its text), else the input path."""
    meta = record["metadata"]
    return meta.get("domain") or (meta.get("provenance") or {}).get("domain") or record.get("source") or "unknown"


class LineSketch:
    """Counts of recurring strings in bounded memory (batched Misra-Gries).

    While fewer than `capacity` distinct strings have been seen the counts are exact. Past that, the
    smallest counts are cut and every reported count may be low by at most `undercount`.
    """

    def __init__(self, capacity: int = LINE_SKETCH) -> None:
        self.capacity = capacity
        self.counts: Counter[str] = Counter()
        self.undercount = 0

    def add(self, key: str) -> None:
        self.counts[key] += 1
        if len(self.counts) > 2 * self.capacity:
            cut = sorted(self.counts.values(), reverse=True)[self.capacity]
            self.undercount += cut
            self.counts = Counter({k: c - cut for k, c in self.counts.items() if c > cut})

    def top(self, n: int) -> list[list[Any]]:
        return [[line, count] for line, count in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


@dataclass
class SourceStats:
    documents: int = 0
    raw_chars: int = 0
    clean_chars: int = 0
    duplicates: int = 0
    flagged: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    quality: SourceQuality = field(default_factory=SourceQuality)

    def row(self, name: str) -> dict[str, Any]:
        return {
            **self.quality.columns(self.documents, self.flagged),
            "source": name,
            "documents": self.documents,
            "mean_clean_chars": round(self.clean_chars / self.documents, 1),
            "noise_share": _share(self.raw_chars - self.clean_chars, self.raw_chars),
            "duplicate_share": _share(self.duplicates, self.documents),
            "flagged": self.flagged,
            "languages": dict(sorted(self.languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


@dataclass
class Cluster:
    size: int = 0
    kept: str | None = None
    similarity_min: float | None = None
    similarity_max: float | None = None
    first_duplicate: str | None = None


def _histogram(length: int) -> int:
    for index, edge in enumerate(LENGTH_EDGES):
        if length < edge:
            return index
    return len(LENGTH_EDGES)


def _id_hash(doc_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big")


class Aggregator:
    """Feed it records with `add` and quarantine entries with `add_quarantine`; `result` gives the summary."""

    def __init__(self, view_limit: int = VIEW_LIMIT) -> None:
        self.view_limit = view_limit
        self.totals: Counter[str] = Counter()
        self.removed_chars: Counter[str] = Counter()
        self.removed_spans: Counter[str] = Counter()
        self.removed_docs: Counter[str] = Counter()
        self.removed_by_rule: Counter[str] = Counter()
        self.lines: dict[str, LineSketch] = {}
        self.sources: dict[str, SourceStats] = {}
        self.languages: Counter[str] = Counter()
        self.raw_bins = [0] * (len(LENGTH_EDGES) + 1)
        self.clean_bins = [0] * (len(LENGTH_EDGES) + 1)
        self.clusters: dict[str, Cluster] = {}
        self.flag_docs: Counter[str] = Counter()
        self.flag_scores: dict[str, float] = Counter()
        self.flag_examples: list[dict[str, Any]] = []
        self.flag_not_assessed: Counter[str] = Counter()
        self.provenance: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.quarantine_examples: list[dict[str, Any]] = []
        self.emptied_by_rule: Counter[str] = Counter()
        self.emptied_examples: list[str] = []
        self.quality = QualityAggregate()
        # candidates for per-document views: (key, id) heaps of bounded size
        self.most_removed: list[tuple[int, str]] = []
        self.hash_sample: list[tuple[int, str]] = []

    def add(self, record: dict[str, Any]) -> None:
        meta = record["metadata"]
        raw, text = record["raw"], record["text"]
        doc_id = record["id"]
        self.totals["documents"] += 1
        self.totals["raw_chars"] += len(raw)
        self.totals["clean_chars"] += len(text)
        language = meta.get("language") or "unknown"
        self.languages[language] += 1
        self.raw_bins[_histogram(len(raw))] += 1
        self.clean_bins[_histogram(len(text))] += 1

        for category, spans in record["attributes"].items():
            self.removed_docs[category] += 1
            self.removed_spans[category] += len(spans)
        removals = [Span.from_dict(removal) for removal in meta.get("removals", [])]
        self.removed_chars.update(removed_chars_by_category(removals))
        sketch_lines: list[tuple[str, str]] = []
        for span in removals:
            self.removed_by_rule[span.rule] += span.end - span.start
            for line in raw[span.start:span.end].split("\n"):
                line = line.strip()
                if line:
                    sketch_lines.append((span.category, line[:LINE_CHARS]))
        # a line removed by two overlapping rules of one category counts once for that document
        for category, line in sorted(set(sketch_lines)):
            self.lines.setdefault(category, LineSketch()).add(line)

        self._add_emptied(doc_id, meta.get("empty_after_cleaning"))

        dedup = meta.get("dedup") or {}
        duplicate = dedup.get("kept") is False
        if dedup:
            self.totals["with_dedup"] += 1
            self._add_to_cluster(doc_id, dedup)
        if duplicate:
            self.totals["duplicates"] += 1

        self.flag_not_assessed.update(iter(meta.get("flags_not_assessed") or {}))  # count names, not reasons
        flags = meta.get("flags") or []
        if flags:
            self.totals["flagged_documents"] += 1
            for flag in flags:
                self.flag_docs[flag["name"]] += 1
                self.flag_scores[flag["name"]] += float(flag.get("score") or 0.0)
            if len(self.flag_examples) < FLAG_EXAMPLES:
                self.flag_examples.append({"id": doc_id, "source": source_of(record), "flags": [
                    {"name": flag["name"], "score": flag.get("score"), "threshold": flag.get("threshold"),
                     "evidence": [str(ev[2])[:EVIDENCE_CHARS]
                                  for ev in (flag.get("evidence") or [])[:EVIDENCE_PER_FLAG]]}
                    for flag in flags]})

        found = provenance_fields(meta)
        for name, present in found.items():
            self.provenance[name] += present
        self.provenance["all"] += all(found.values())

        source = self.sources.setdefault(source_of(record), SourceStats())
        source.documents += 1
        source.raw_chars += len(raw)
        source.clean_chars += len(text)
        source.duplicates += duplicate
        source.flagged += bool(flags)
        source.languages[language] += 1
        self.quality.add(meta.get("quality"))
        source.quality.add(meta.get("quality"), len(text))

        self._offer(self.most_removed, (len(raw) - len(text), doc_id), MOST_REMOVED)
        # the smallest id hashes are a uniform sample that does not depend on input order
        self._offer(self.hash_sample, (-_id_hash(doc_id), doc_id), self.view_limit)

    @staticmethod
    def _offer(heap: list[tuple[int, str]], item: tuple[int, str], size: int) -> None:
        if len(heap) < size:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)

    def _add_emptied(self, doc_id: str, emptied: dict[str, Any] | None) -> None:
        if not emptied:
            return
        self.totals["empty_after_cleaning"] += 1
        self.emptied_by_rule.update(emptied["rules"].keys())
        if len(self.emptied_examples) < EMPTIED_EXAMPLES:
            self.emptied_examples.append(doc_id)

    def _add_to_cluster(self, doc_id: str, dedup: dict[str, Any]) -> None:
        cluster = self.clusters.setdefault(str(dedup.get("cluster", doc_id)), Cluster())
        cluster.size += 1
        if dedup.get("kept") is False:
            cluster.kept = dedup.get("duplicate_of") or cluster.kept
            cluster.first_duplicate = cluster.first_duplicate or doc_id
            similarity = dedup.get("similarity")
            if similarity is not None:
                low, high = cluster.similarity_min, cluster.similarity_max
                cluster.similarity_min = similarity if low is None else min(low, similarity)
                cluster.similarity_max = similarity if high is None else max(high, similarity)
        else:
            cluster.kept = doc_id

    def add_quarantine(self, entry: dict[str, Any]) -> None:
        self.reasons[entry.get("reason") or "unknown"] += 1
        if len(self.quarantine_examples) < QUARANTINE_EXAMPLES:
            self.quarantine_examples.append({k: entry.get(k) for k in ("key", "source", "reason", "detail")})

    def _clusters(self) -> dict[str, Any]:
        real = [(name, c) for name, c in self.clusters.items() if c.size > 1]
        largest = sorted(real, key=lambda nc: (-nc[1].size, nc[0]))[:TOP_CLUSTERS]
        sizes = Counter(c.size for _, c in real)
        return {
            "records_with_dedup": self.totals["with_dedup"],
            "clusters": len(real),
            "documents_in_clusters": sum(c.size for _, c in real),
            "cluster_sizes": {str(size): n for size, n in sorted(sizes.items())},
            "largest": [{"cluster": name, "size": c.size, "kept": c.kept, "example_duplicate": c.first_duplicate,
                         "similarity_min": c.similarity_min, "similarity_max": c.similarity_max}
                        for name, c in largest],
        }

    def _view_ids(self) -> tuple[str, list[str]]:
        """Which documents get a per-document view, and how they were chosen (said on the page)."""
        documents = self.totals["documents"]
        if documents <= self.view_limit:
            return "all", []
        # in priority order; the first `view_limit` distinct ids win
        candidates = [example["id"] for example in self.flag_examples] + self.emptied_examples
        for cluster in self._clusters()["largest"]:
            candidates += [doc_id for doc_id in (cluster["kept"], cluster["example_duplicate"]) if doc_id]
        candidates += [doc_id for _, doc_id in sorted(self.most_removed, reverse=True)]
        candidates += [doc_id for _, doc_id in sorted(self.hash_sample, reverse=True)]
        return "sample", sorted(list(dict.fromkeys(candidates))[:self.view_limit])

    def result(self) -> dict[str, Any]:
        t = self.totals
        documents, quarantined = t["documents"], sum(self.reasons.values())
        ranked = sorted(self.sources.items(), key=lambda kv: (-kv[1].documents, kv[0]))
        mode, view_ids = self._view_ids()
        return {
            "totals": {
                "inputs": documents + quarantined,
                "documents": documents,
                "kept": documents - t["duplicates"],
                "duplicates": t["duplicates"],
                "quarantined": quarantined,
                "flagged_documents": t["flagged_documents"],
                "empty_after_cleaning": t["empty_after_cleaning"],
                "raw_chars": t["raw_chars"],
                "clean_chars": t["clean_chars"],
                "removed_chars": t["raw_chars"] - t["clean_chars"],
                "noise_share": _share(t["raw_chars"] - t["clean_chars"], t["raw_chars"]),
            },
            "noise": {
                "removed_chars_by_category": _sorted(self.removed_chars),
                "spans_by_category": _sorted(self.removed_spans),
                "documents_by_category": _sorted(self.removed_docs),
                "removed_chars_by_rule": _sorted(self.removed_by_rule),
                "top_removed_lines": {
                    category: {"lines": sketch.top(TOP_LINES), "exact": sketch.undercount == 0,
                               "max_undercount": sketch.undercount}
                    for category, sketch in sorted(self.lines.items())},
            },
            "empty_after_cleaning": {
                # rule -> emptied documents that name it; a document emptied by two rules counts for both
                "documents_by_rule": _sorted(self.emptied_by_rule),
                "examples": self.emptied_examples,
                "examples_limit": EMPTIED_EXAMPLES,
            },
            "sources": {
                "count": len(self.sources),
                "rows": [stats.row(name) for name, stats in ranked[:TOP_SOURCES]],
                "not_shown": len(ranked[TOP_SOURCES:]),
            },
            "languages": _sorted(self.languages),
            "lengths": {
                "edges": list(LENGTH_EDGES),
                "raw": self.raw_bins,
                "clean": self.clean_bins,
                "raw_mean": round(t["raw_chars"] / documents, 1) if documents else 0.0,
                "clean_mean": round(t["clean_chars"] / documents, 1) if documents else 0.0,
            },
            "dedup": self._clusters(),
            "flags": {
                "by_name": {name: {"documents": n, "mean_score": round(self.flag_scores[name] / n, 4)}
                            for name, n in sorted(self.flag_docs.items())},
                "examples": self.flag_examples,
                # documents a flag could not read (e.g. English lexicons on German text): no score, not "clean"
                "not_assessed": dict(sorted(self.flag_not_assessed.items())),
                "examples_limit": FLAG_EXAMPLES,
            },
            "provenance": {
                "documents_with": {name: self.provenance[name] for name in PROVENANCE_FIELDS},
                "share": {name: _share(self.provenance[name], documents) for name in PROVENANCE_FIELDS},
                "complete": self.provenance["all"],
                "complete_share": _share(self.provenance["all"], documents),
            },
            "quarantine": {
                "by_reason": _sorted(self.reasons),
                "examples": self.quarantine_examples,
            },
            "quality": self.quality.result(),
            "views": {"mode": mode, "limit": self.view_limit, "selected": view_ids},
        }
