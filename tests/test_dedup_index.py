"""The persistent index: incremental batches find what one combined run finds, on SQLite and on Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import numpy as np
import orjson
import pytest
import redis
from dedup_helpers import article, edit_words, reference_shingles, vocabulary

from cleaner.config import Config
from cleaner.dedup import stage
from cleaner.dedup.clusters import UnionFind
from cleaner.dedup.index import (
    DedupIndex,
    IndexMismatch,
    pack_ids,
    pack_input_shingles,
    unpack_ids,
    unpack_input_shingles,
)
from cleaner.dedup.params import Params, params_from_config
from cleaner.dedup.stage import dedup_corpus, make_entries
from cleaner.dedup.storage import RedisStorage, open_storage

PARAMS = params_from_config(Config())


def corpus() -> list[dict]:
    """40 articles: 15 copies of earlier ones with 0-10% of their words edited (above 2%, J < 0.8), shuffled."""
    rng = np.random.default_rng(11)
    words = vocabulary()
    originals = [article(rng, words, length=int(rng.integers(150, 500))) for _ in range(25)]
    copies = [edit_words(rng, originals[i], rate=float(rng.choice([0.0, 0.01, 0.02, 0.05, 0.1]))) for i in range(15)]
    texts = originals + copies
    order = rng.permutation(len(texts))
    return [{"id": f"doc{k:02d}", "text": texts[i], "created": f"2025-01-{1 + i % 28:02d}", "metadata": {}}
            for k, i in enumerate(order)]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real redis-server on a free local port, without persistence, stopped after the tests."""
    server = shutil.which("redis-server")
    if server is None:  # a failure, not a skip: CI installs it, and a skipped backend is an untested one
        pytest.fail("redis-server is not installed: apt-get install redis-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def state(spec: str, batches: list[list[dict]]) -> tuple[dict, list]:
    """Decisions for every document and the explained clusters after adding the batches in order."""
    storage = open_storage(spec)
    index = DedupIndex(storage, PARAMS)
    for batch in batches:
        index.add(make_entries(batch, PARAMS))
    ids = [record["id"] for batch in batches for record in batch]
    decisions = {doc_id: d.to_dict() for doc_id, d in index.decisions(ids).items()}
    clusters = index.explain(index.cluster_roots(ids))
    storage.close()
    return decisions, clusters


def specs(tmp_path: Path, redis_url: str, backend: str) -> tuple[str, str]:
    if backend == "sqlite":
        return str(tmp_path / "combined.sqlite"), str(tmp_path / "incremental.sqlite")
    return f"{redis_url}?prefix=combined", f"{redis_url}?prefix=incremental"


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_two_batches_equal_one_combined_run(tmp_path: Path, redis_url: str, backend: str) -> None:
    docs = corpus()
    combined_spec, incremental_spec = specs(tmp_path, redis_url, backend)
    combined = state(combined_spec, [docs])
    first = state(incremental_spec, [docs[:22]])
    second = state(incremental_spec, [docs[22:]])  # as a new process would: only the index is shared
    assert second[0] == {doc_id: combined[0][doc_id] for doc_id in second[0]}
    # every id already indexed: reports the final state of both batches without adding anything
    assert state(incremental_spec, [docs]) == combined
    assert first != combined and len(combined[1]) >= 5


def test_clusters_are_the_groups_of_pairs_at_jaccard_08(tmp_path: Path) -> None:
    docs = corpus()
    sets = {d["id"]: reference_shingles(d["text"], PARAMS.shingle_size) for d in docs}
    truth = UnionFind()
    for a, b in combinations(sorted(sets), 2):
        if len(sets[a] & sets[b]) / len(sets[a] | sets[b]) >= 0.8:
            truth.union(a, b)
    expected = sorted(group for group in truth.groups().values() if len(group) > 1)
    decisions, clusters = state(str(tmp_path / "i.sqlite"), [docs])
    assert sorted([m["id"] for m in c["members"]] for c in clusters) == expected
    assert 5 <= len(expected) < 15  # the corpus plants both sides of the threshold
    assert all(d["similarity"] >= 0.8 for d in decisions.values() if not d["kept"])


def test_rerunning_a_batch_changes_nothing(tmp_path: Path) -> None:
    docs = corpus()
    spec = str(tmp_path / "i.sqlite")
    first = state(spec, [docs])
    assert state(spec, [docs]) == first


def test_a_later_longer_copy_supersedes_the_kept_document(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    text = article(rng, vocabulary(), 300)
    spec = str(tmp_path / "i.sqlite")
    state(spec, [[{"id": "wire", "text": text, "metadata": {}}]])
    decisions, clusters = state(spec, [[{"id": "repost", "text": text + " Read more at our site today.",
                                         "metadata": {}}]])
    assert decisions["repost"]["kept"] and decisions["repost"]["cluster"] == "wire"
    assert clusters[0]["kept"] == "repost" and clusters[0]["members"][1]["id"] == "wire"
    assert clusters[0]["members"][1]["kept"] is False


def test_an_index_refuses_other_parameters(tmp_path: Path) -> None:
    spec = str(tmp_path / "i.sqlite")
    state(spec, [corpus()[:2]])
    other = params_from_config(Config({"dedup": {"shingle_size": 3}}))
    with pytest.raises(IndexMismatch):
        DedupIndex(open_storage(spec), other)


def test_an_index_of_an_older_format_is_refused_naming_it(tmp_path: Path) -> None:
    spec = str(tmp_path / "i.sqlite")
    state(spec, [corpus()[:2]])
    storage = open_storage(spec)
    storage.delete("meta", ["format"])  # as format 1 wrote it: input shingle sets whole, no `format`
    storage.commit()
    with pytest.raises(IndexMismatch, match="dedup index format 1 .* reads format 2 only: rebuild"):
        DedupIndex(storage, PARAMS)


@pytest.mark.parametrize("count", [0, 1, 2, 800, 20000])
def test_a_clean_shingle_set_is_stored_in_about_3_bytes_an_id_and_read_back_whole(count: int) -> None:
    rng = np.random.default_rng(count)
    ids = np.unique(np.concatenate((rng.integers(0, 2**32, size=count, dtype=np.uint64),
                                    [0, 2**32 - 1][:count]))).astype(np.uint32)  # the extremes too
    packed = pack_ids(ids)
    assert unpack_ids(packed).tolist() == ids.tolist() and unpack_ids(packed).dtype == np.uint32
    if count >= 800:
        assert len(packed) < 3.1 * count  # 4 bytes an id unpacked


def test_an_input_shingle_set_is_stored_as_bits_of_its_clean_set_and_the_rest() -> None:
    clean = np.array([3, 8, 15, 21, 40, 41, 77, 90, 91], dtype=np.uint32)
    given = np.array([1, 3, 15, 21, 41, 77, 91, 2**31 + 5], dtype=np.uint32)  # lines removed by cleaning: 1, 2**31+5
    packed = pack_input_shingles(clean, given)
    assert len(packed) == 4 + 2 + 2 * 4  # the count, 9 bits, two shingles of its own
    assert unpack_input_shingles(clean, packed).tolist() == given.tolist()
    assert unpack_input_shingles(clean, pack_input_shingles(clean, clean)).tolist() == clean.tolist()
    with pytest.raises(ValueError, match="packed against 9 clean shingles, read against 8"):
        unpack_input_shingles(clean[1:], packed)


def test_a_run_killed_mid_way_is_finished_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = corpus()
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(d) for d in docs) + b"\n")
    config = Config({"dedup": {"batch_size": 10}})
    expected = dedup_corpus(source, tmp_path / "clean", config)
    calls = []
    original = stage.make_entries

    def dies_on_third_batch(records: list[dict], params: Params) -> list:
        calls.append(len(records))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(records, params)

    monkeypatch.setattr(stage, "make_entries", dies_on_third_batch)
    index = str(tmp_path / "index.sqlite")
    with pytest.raises(KeyboardInterrupt):
        dedup_corpus(source, tmp_path / "killed", config, index=index)
    assert not (tmp_path / "killed" / "documents.jsonl").exists()
    indexed = DedupIndex(open_storage(index), PARAMS).seqs([d["id"] for d in docs])
    assert indexed == list(range(20)) + [None] * 20  # the two finished batches were committed
    monkeypatch.setattr(stage, "make_entries", original)
    assert dedup_corpus(source, tmp_path / "killed", config, index=index) == expected
    for name in ("documents.jsonl", "duplicates.jsonl", "clusters.jsonl"):
        assert (tmp_path / "killed" / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()


def test_batches_are_cut_by_bytes_as_well_and_the_output_stays_the_same(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(d) for d in corpus()) + b"\n")
    whole = dedup_corpus(source, tmp_path / "whole", Config())
    sizes = []
    original = stage.make_entries
    monkeypatch.setattr(stage, "make_entries", lambda records, params: sizes.append(len(records))
                        or original(records, params))
    monkeypatch.setattr(stage, "BATCH_BYTES", 8000)  # three or four articles of 150-500 words
    assert dedup_corpus(source, tmp_path / "cut", Config()) == whole
    assert sum(sizes) == 40 and max(sizes) < 6  # not one batch of 40 (dedup.batch_size 5000)
    for name in ("documents.jsonl", "duplicates.jsonl", "clusters.jsonl"):
        assert (tmp_path / "cut" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def test_redis_commit_cut_short_is_repaired_by_adding_the_batch_again(redis_url: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    docs = corpus()
    expected = state(f"{redis_url}?prefix=whole", [docs])
    spec = f"{redis_url}?prefix=cut"
    state(spec, [docs[:22]])

    def dies_before_ids(self: RedisStorage) -> None:
        for table, storage in self.tables.items():
            if table != "ids":
                storage.empty_buffer()
        self.bands.empty_buffer()
        raise KeyboardInterrupt  # killed before the ids container was flushed

    monkeypatch.setattr(RedisStorage, "commit", dies_before_ids)
    with pytest.raises(KeyboardInterrupt):
        state(spec, [docs[22:]])
    monkeypatch.undo()
    state(spec, [docs[22:]])
    assert state(spec, [docs]) == expected
