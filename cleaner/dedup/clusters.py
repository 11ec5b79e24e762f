"""Verified pairs -> clusters (union-find), and which document of a cluster is kept.

The keep policy is an ordered list of criteria, the first difference decides (config `dedup.keep`):

- `longest`: the longest clean text (a re-post usually lost paragraphs, rarely gained them);
- `earliest`: the earliest publication date (`created`; documents without one come last);
- `most_metadata`: the most known provenance fields (title, author, date, publisher, license, url...);
- `id`: the smallest id, the final tie-break that makes the choice total, so always applied last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

KEEP_CRITERIA = ("longest", "earliest", "most_metadata", "id")
# what a reader wants to know about where an article came from, in `metadata` or `metadata.provenance`;
# hashes, sizes and versions are on every record and say nothing about how complete its provenance is
_DESCRIPTIVE = ("title", "author", "authors", "date", "date_published", "publisher", "license", "url", "domain",
                "sitename", "translators", "funders")


class UnionFind:
    """Disjoint sets over hashable items; the representative of a set is its smallest item."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, item: Any) -> Any:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            self.parent[high] = low

    def groups(self) -> dict[Any, list[Any]]:
        """Representative -> sorted members, for every item seen."""
        out: dict[Any, list[Any]] = {}
        for item in sorted(self.parent):
            out.setdefault(self.find(item), []).append(item)
        return out


def rank_fields(record: dict[str, Any]) -> dict[str, Any]:
    """The part of an output record that `rank_facts` reads, as a record that ranks the same: a batch of
    these holds a fraction of the objects of whole records (their spans, flags and provenance)."""
    metadata = record.get("metadata") or {}
    known = {**metadata, **(metadata.get("provenance") or {})}
    return {"id": record["id"], "text": record.get("text") or "", "created": record.get("created"),
            "metadata": {key: known[key] for key in _DESCRIPTIVE if key in known}}


def rank_facts(record: dict[str, Any]) -> dict[str, Any]:
    """What the keep policy looks at, taken from an output record (stored in the index with it)."""
    metadata = record.get("metadata") or {}
    known = {**metadata, **(metadata.get("provenance") or {})}
    fields = sum(1 for key in _DESCRIPTIVE if known.get(key) not in (None, "", [], {}))
    return {"id": record["id"], "chars": len(record.get("text") or ""), "created": record.get("created"),
            "fields": fields}


def rank_key(facts: dict[str, Any], policy: Sequence[str]) -> tuple[Any, ...]:
    """Sort key under `policy`: the document with the smallest key is kept."""
    key: list[Any] = []
    for criterion in (*policy, "id"):
        if criterion == "longest":
            key.append(-facts["chars"])
        elif criterion == "earliest":
            key.append((facts["created"] is None, facts["created"] or ""))
        elif criterion == "most_metadata":
            key.append(-facts["fields"])
        elif criterion == "id":
            key.append(facts["id"])
        else:
            raise ValueError(f"unknown keep criterion {criterion!r} (known: {', '.join(KEEP_CRITERIA)})")
    return tuple(key)


def choose_kept(members: Iterable[Any], facts: dict[Any, dict[str, Any]], policy: Sequence[str]) -> Any:
    """The member whose facts rank first under the policy."""
    return min(members, key=lambda member: rank_key(facts[member], policy))
