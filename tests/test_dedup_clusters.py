"""Clusters and the keep policy."""

from __future__ import annotations

from cleaner.dedup.clusters import UnionFind, choose_kept, rank_facts


def test_union_find_groups_by_smallest_member() -> None:
    uf = UnionFind()
    for a, b in [(3, 4), (4, 9), (1, 2)]:
        uf.union(a, b)
    uf.find(7)
    assert uf.groups() == {1: [1, 2], 3: [3, 4, 9], 7: [7]}


def facts(doc_id: str, chars: int, created: str | None, fields: int) -> dict:
    return {"id": doc_id, "chars": chars, "created": created, "fields": fields}


def test_keep_policy_is_an_ordered_list_of_criteria() -> None:
    docs = {"a": facts("a", 900, "2025-03-02", 1), "b": facts("b", 900, "2025-03-01", 0),
            "c": facts("c", 800, "2025-01-01", 5)}
    assert choose_kept(docs, docs, ["longest", "earliest"]) == "b"
    assert choose_kept(docs, docs, ["earliest"]) == "c"
    assert choose_kept(docs, docs, ["longest", "most_metadata"]) == "a"
    assert choose_kept(docs, docs, []) == "a"  # the id always breaks ties


def test_undated_documents_lose_on_earliest() -> None:
    docs = {"a": facts("a", 1, None, 0), "b": facts("b", 1, "2030-01-01", 0)}
    assert choose_kept(docs, docs, ["earliest"]) == "b"


def test_rank_facts_count_known_provenance_not_bookkeeping() -> None:
    record = {"id": "x", "text": "hello", "created": None,
              "metadata": {"title": "T", "author": "", "clean_chars": 5, "tool": {"name": "cleaner"},
                           "provenance": {"authors": ["Dana Whitfield"], "license": None, "raw_sha256": "ab"}}}
    assert rank_facts(record) == {"id": "x", "chars": 5, "created": None, "fields": 2}
