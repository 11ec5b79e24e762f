"""The document record: schema-valid, recomputable from itself, byte-identical across runs and job counts."""

from __future__ import annotations

import random
from collections import Counter

import jsonschema

from cleaner.document import (
    Document,
    Span,
    apply_spans,
    merge_intervals,
    record_schema,
    removed_chars_by_category,
    removed_chars_by_rule,
)
from tests.conftest import SEEDS, read_jsonl, run_cli


def test_every_seed_record_is_valid_against_the_published_schema(seeds_out):
    records = read_jsonl(seeds_out / "documents.jsonl")
    assert len(records) == 5
    validator = jsonschema.Draft202012Validator(record_schema())
    for record in records:
        validator.validate(record)


def test_clean_text_is_recomputable_from_the_record_alone(seeds_out):
    for record in read_jsonl(seeds_out / "documents.jsonl"):
        spans = [Span.from_dict(d) for d in record["metadata"]["removals"]]
        replacements = record["metadata"].get("span_replacements", {})
        assert apply_spans(record["raw"], spans, replacements) == record["text"]
        attribute_spans = sorted(tuple(s[:2]) for spans in record["attributes"].values() for s in spans)
        assert attribute_spans == sorted((s.start, s.end) for s in spans)


def test_removed_characters_are_counted_once_each_by_the_most_specific_rule():
    spans = [Span(0, 100, "boilerplate", "line_classifier_v2"),  # the classifier and two rules agree in part
             Span(40, 100, "trailing_excerpt", "trailing_excerpt_v2"),
             Span(60, 80, "author_bio", "author_bio_v1"),
             Span(120, 130, "boilerplate", "line_classifier_v2")]
    counts = removed_chars_by_category(spans)
    assert counts == {"boilerplate": 40 + 10, "trailing_excerpt": 40, "author_bio": 20}
    assert sum(counts.values()) == 110  # the characters removed, whatever the overlaps
    assert removed_chars_by_rule(spans) == {"line_classifier_v2": 40 + 10, "trailing_excerpt_v2": 40,
                                            "author_bio_v1": 20}


def test_removed_characters_by_category_match_a_character_by_character_count():
    rng = random.Random(1)
    for _ in range(200):
        categories = ("boilerplate", "author_bio", "related_links")
        spans = [Span(start, start + rng.randint(1, 30), rng.choice(categories), "r")
                 for start in (rng.randint(0, 80) for _ in range(rng.randint(0, 12)))]
        by_character: Counter[str] = Counter()
        for position in range(120):
            covering = [s for s in spans if s.start <= position < s.end]
            if covering:  # a named rule before the classifier's "boilerplate", then the shortest span
                best = min(covering, key=lambda s: (s.category == "boilerplate", s.end - s.start, s.category))
                by_character[best.category] += 1
        assert removed_chars_by_category(spans) == by_character


def test_seed_removals_by_category_add_up_to_the_union_of_their_spans(seeds_out):
    for record in read_jsonl(seeds_out / "documents.jsonl"):
        spans = [Span.from_dict(d) for d in record["metadata"]["removals"]]
        union = sum(end - start for start, end, _ in merge_intervals(spans, {}))
        assert sum(removed_chars_by_category(spans).values()) == union


def test_record_round_trips_through_json():
    document = Document(id="0" * 32, source="x", raw="Keep this.\nDrop this.\n",
                        spans=[Span(11, 22, "demo", "demo_v1", 0.9)])
    again = Document.from_dict(document.to_dict())
    assert again.text == "Keep this.\n"
    assert again.to_dict() == document.to_dict()


def test_replacement_spans_join_instead_of_delete():
    raw = "The minister said that\n\nthe plan would go ahead.\n"
    spans = [Span(22, 24, "paragraph_join", "join_v1")]
    assert apply_spans(raw, spans, {"paragraph_join": " "}) == "The minister said that the plan would go ahead.\n"


def test_two_runs_write_byte_identical_documents(tmp_path, seeds_out):
    again = tmp_path / "again"
    assert run_cli("clean", str(SEEDS), "--out", str(again)).returncode == 0
    assert (again / "documents.jsonl").read_bytes() == (seeds_out / "documents.jsonl").read_bytes()


def test_two_jobs_write_the_same_bytes_as_one(tmp_path, seeds_out):
    parallel = tmp_path / "parallel"
    assert run_cli("clean", str(SEEDS), "--out", str(parallel), "--jobs", "2").returncode == 0
    assert (parallel / "documents.jsonl").read_bytes() == (seeds_out / "documents.jsonl").read_bytes()
