"""Dedup that cleaning cannot break: each document is compared by its clean text and by its input.

Records are written by hand, as `cleaner clean` would write them (`raw` is the input, `text` what
cleaning kept), so that each case shows one situation the rule must decide.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

from cleaner.config import Config
from cleaner.dedup.stage import dedup_corpus
from tests.conftest import read_jsonl
from tests.dedup_helpers import article, vocabulary

WORDS = vocabulary()


def story(seed: int, length: int = 300) -> str:
    return article(np.random.default_rng(seed), WORDS, length)


def record(doc_id: str, raw: str, text: str) -> dict:
    return {"id": doc_id, "raw": raw, "text": text, "source": doc_id, "metadata": {}}


def decisions(tmp_path: Path, records: list[dict], config: Config | None = None) -> dict[str, dict]:
    tmp_path.mkdir(exist_ok=True)
    source = tmp_path / "documents.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    dedup_corpus(source, tmp_path / "out", config or Config(), mark_only=True)
    return {r["id"]: r["metadata"]["dedup"] for r in read_jsonl(tmp_path / "out" / "documents.jsonl")}


def same_cluster(found: dict[str, dict], a: str, b: str) -> bool:
    return found[a]["cluster"] == found[b]["cluster"]


def test_a_copy_that_cleaning_treated_differently_is_paired_by_its_input(tmp_path) -> None:
    original = story(1)
    paragraphs = original.split("\n")
    # the copy's last paragraphs were judged boilerplate: its clean text alone is below the target
    shortened = "\n".join(paragraphs[:len(paragraphs) * 2 // 3])
    found = decisions(tmp_path, [record("a", original, original), record("b", original + "\nShare this", shortened)])
    assert same_cluster(found, "a", "b")
    assert found["b"]["method"] == "input_jaccard" and found["b"]["similarity"] >= 0.8


def test_an_input_read_back_from_the_index_pairs_as_the_one_in_memory(tmp_path) -> None:
    original = story(1)
    shortened = "\n".join(original.split("\n")[:-2])
    # b's input shares a's clean text less its last paragraphs: packed as bits of a's clean set plus "Share this"
    records = [record("a", original + "\nMenu", original), record("b", original + "\nShare this", shortened)]
    together = decisions(tmp_path / "together", records)
    one_by_one = decisions(tmp_path / "apart", records, Config({"dedup": {"batch_size": 1}}))
    assert one_by_one == together and together["b"]["method"] == "input_jaccard"


def test_a_copy_of_which_cleaning_kept_only_a_third_is_still_paired(tmp_path) -> None:
    original = story(8)
    paragraphs = original.split("\n")
    # an inserted sentence moved the classifier's page-level decisions: it kept a third of this copy
    third = "\n".join(paragraphs[:len(paragraphs) // 3])
    found = decisions(tmp_path, [record("a", original, original), record("b", original + "\nOne more line.", third)])
    assert same_cluster(found, "a", "b") and found["b"]["method"] == "input_jaccard"


def test_two_short_stories_in_one_heavy_page_template_are_not_paired(tmp_path) -> None:
    template = story(7, 1500)  # menus, teasers and footers: most of each input
    first, second = story(2, 60), story(3, 60)
    found = decisions(tmp_path, [record("a", template + "\n" + first, first),
                                 record("b", template + "\n" + second, second)])
    assert not same_cluster(found, "a", "b")


def test_the_same_article_under_different_page_chrome_is_paired_by_its_clean_text(tmp_path) -> None:
    text = story(4)
    found = decisions(tmp_path, [record("a", story(5, 400) + "\n" + text, text),
                                 record("b", story(6, 400) + "\n" + text, text)])
    assert same_cluster(found, "a", "b") and found["b"]["method"] == "content_hash"


def test_emptied_and_near_empty_documents_are_not_clustered_by_content(tmp_path) -> None:
    records = [record(f"d{i}", story(10 + i), "") for i in range(7)]
    records += [record(f"s{i}", story(20 + i), "Share this story") for i in range(7)]
    found = decisions(tmp_path, records)
    assert len({d["cluster"] for d in found.values()}) == len(records)
    assert not any(d["content_compared"] for d in found.values())


def test_identical_inputs_are_paired_even_when_their_clean_text_is_too_short(tmp_path) -> None:
    page = story(30)
    found = decisions(tmp_path, [record("a", page, ""), record("b", page, ""), record("c", story(31), "")])
    assert same_cluster(found, "a", "b") and not same_cluster(found, "a", "c")
    assert found["b"]["method"] == "input_hash" and not found["b"]["content_compared"]


def test_a_copy_is_compared_with_every_distinct_input_not_only_the_first_with_its_clean_text(tmp_path) -> None:
    original = story(40)
    paragraphs = original.split("\n")
    # the first record: the same clean text behind a long menu, so its input is far from the others'
    menu = story(41, 200)
    found = decisions(tmp_path, [record("menu", menu + "\n" + original, original), record("a", original, original),
                                 record("b", original + "\nShare", "\n".join(paragraphs[:len(paragraphs) * 2 // 3]))])
    assert found["b"]["cluster"] == found["a"]["cluster"] == found["menu"]["cluster"]
