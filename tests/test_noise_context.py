"""Corpus context: boilerplate repeated within one source goes; lines shared across sources and leads stay."""

from __future__ import annotations

import itertools
import pickle
import random
from collections import Counter, defaultdict

import numpy as np

from cleaner.config import Config
from cleaner.dedup.clusters import UnionFind
from cleaner.dedup.lsh import band_keys
from cleaner.dedup.minhash import estimate_jaccard
from cleaner.dedup.params import params_from_config
from cleaner.document import Document
from cleaner.noise.context import ContextEntry, CorpusContext, lead_key, line_key
from cleaner.noise.engine import clean_document

STORIES = [
    "Fishing fleets stayed in port on Monday as a storm pushed waves over the harbour wall and flooded the quay.",
    "The school board voted to extend the lunch break by ten minutes after a year-long campaign by the pupils.",
    "A rare orchid was found growing beside the motorway, surprising botanists who had thought it extinct here.",
    "Bus drivers will strike for two days next week over pay, the union said after talks broke down on Friday.",
]
FOOTER = "Harbour Gazette | Reporting desk, 12 Quay Street"
WIRE = "\"We have never seen anything like this in forty years of keeping records,\" the agency spokesperson said."


def corpus() -> list[tuple[str, str, dict]]:
    docs = []
    for i, story in enumerate(STORIES[:3]):
        raw = f"{story}\n\n{WIRE}\n\nMore detail follows in the second paragraph of story {i}, as told.\n\n{FOOTER}\n"
        docs.append((f"gazette/{i}", raw, {"domain": "gazette.example", "input_key": f"gazette/{i}"}))
    docs.append(("other/0", f"{STORIES[3]}\n\n{WIRE}\n", {"domain": "other.example", "input_key": "other/0"}))
    return docs


SETTINGS = params_from_config(Config())


def context_of(docs: list[tuple[str, str, dict]]) -> CorpusContext:
    return CorpusContext.build((ContextEntry.of(key, raw, metadata, SETTINGS) for key, raw, metadata in docs),
                               SETTINGS)


def cleaned(key: str, raw: str, metadata: dict, context: CorpusContext) -> Document:
    document = Document(id=key, source=key, raw=raw, metadata=metadata)
    clean_document(document, Config({"noise": {"disabled_rules": ["line_classifier_v7"]}}), context)
    return document


def test_a_sources_repeated_footer_goes_but_wire_copy_shared_with_another_source_stays() -> None:
    docs = corpus()
    context = context_of(docs)
    document = cleaned(*docs[0], context)
    assert FOOTER not in document.text
    assert WIRE in document.text
    assert STORIES[0] in document.text


def test_the_lead_of_another_document_glued_at_the_end_is_a_trailing_excerpt() -> None:
    docs = corpus()
    key, raw, metadata = docs[0]
    glued = raw + "\n" + STORIES[3] + "\n"
    document = cleaned(key, glued, metadata, context_of([*docs[1:], (key, glued, metadata)]))
    assert STORIES[3] not in document.text
    assert {"trailing_excerpt"} <= {span.category for span in document.spans}


def answers(context: CorpusContext, docs: list[tuple[str, str, dict]]) -> list[tuple]:
    """Every look-up the rules can make of the corpus's documents: each line's counts, each line as a lead."""
    found = []
    for _, raw, metadata in docs:
        for line in filter(None, (line.strip() for line in raw.splitlines())):
            found.append((context.documents_with_line(line, metadata), context.is_foreign_lead(line, metadata)))
    return found


def test_context_does_not_depend_on_document_order() -> None:
    docs = corpus()
    assert answers(context_of(docs), docs) == answers(context_of(docs[::-1]), docs)


def reference_context(entries: list[ContextEntry]) -> tuple[dict, Counter, dict, dict]:
    """The counting rules, spelled out in memory: what the SQL of `ContextBuilder` must agree with."""
    by_key = {entry.key: entry for entry in entries}
    groups = UnionFind()
    first_with_words: dict[str, str] = {}
    for key in sorted(by_key):
        groups.union(first_with_words.setdefault(by_key[key].copy.words, key), key)
    signed = sorted(key for key in first_with_words.values() if by_key[key].copy.signature is not None)
    for a, b in itertools.combinations(signed, 2):
        sig_a, sig_b = (np.frombuffer(by_key[k].copy.signature, dtype=np.uint32) for k in (a, b))
        shares_band = bool(set(band_keys(np.stack([sig_a]), SETTINGS.bands, SETTINGS.rows)[0].tolist())
                           & set(band_keys(np.stack([sig_b]), SETTINGS.bands, SETTINGS.rows)[0].tolist()))
        if shares_band and estimate_jaccard(sig_a, sig_b) >= SETTINGS.target:
            groups.union(a, b)
    members: dict[str, list[ContextEntry]] = defaultdict(list)
    for key, entry in by_key.items():
        members[groups.find(key)].append(entry)
    per_source: dict[str, Counter] = defaultdict(Counter)
    overall: Counter = Counter()
    holders: dict[int, set[str]] = defaultdict(set)
    for group, group_entries in members.items():
        lines = frozenset().union(*(entry.lines for entry in group_entries))
        overall.update(lines)
        for source in {entry.source for entry in group_entries}:
            per_source[source].update(lines)
        holders.update({entry.lead: holders[entry.lead] | {group} for entry in group_entries if entry.lead})
    return per_source, overall, holders, {key: groups.find(key) for key in by_key}


def test_the_context_counts_copy_groups_as_the_reference_does() -> None:
    """Exact copies, near copies (a word changed), copies across sources, a lead shared by two articles."""
    rng = random.Random(3)
    words = [f"word{i}" for i in range(300)]
    stories = [" ".join(rng.choices(words, k=60)) + "." for _ in range(12)]
    docs = []
    for i in range(60):
        story = stories[i % len(stories)]
        if i % 5 == 1:  # a near copy: one word changed
            story = story.replace(story.split()[rng.randrange(60)], "changed", 1)
        lines = [story, f"Footer of site {i % 3}", rng.choice(stories[:3]) if i % 7 == 0 else f"Line {i}"]
        metadata = {"domain": f"site{i % 4}.example", "input_key": f"doc/{rng.randrange(10**6):06d}-{i}"}
        docs.append((metadata["input_key"], "\n\n".join(lines) + "\n", metadata))
    entries = [ContextEntry.of(key, raw, metadata, SETTINGS) for key, raw, metadata in docs]
    per_source, overall, holders, group_of = reference_context(entries)
    assert len(set(group_of.values())) < len(docs) - 10, "the corpus must hold copies to test anything"
    context = CorpusContext.build(entries, SETTINGS)
    for (key, raw, metadata), entry in zip(docs, entries, strict=True):
        for line in filter(None, (line.strip() for line in raw.splitlines())):
            in_source = per_source[entry.source][line_key(line)]
            expected = (in_source, overall[line_key(line)] - in_source)
            assert context.documents_with_line(line, metadata) == expected, line
            lead = lead_key(line)
            foreign = lead is not None and any(group != group_of[key] for group in holders.get(lead, ()))
            assert context.is_foreign_lead(line, metadata) == foreign, line


def test_a_context_travels_to_another_process_as_its_file_or_its_bytes(tmp_path) -> None:
    docs = corpus()
    entries = [ContextEntry.of(key, raw, metadata, SETTINGS) for key, raw, metadata in docs]
    in_file = CorpusContext.build(entries, SETTINGS, tmp_path / "context.sqlite")
    in_memory = CorpusContext.build(entries, SETTINGS)
    expected = answers(in_memory, docs)
    assert pickle.loads(pickle.dumps(in_file)).path == tmp_path / "context.sqlite"
    for copy in (pickle.loads(pickle.dumps(in_file)), pickle.loads(pickle.dumps(in_memory)),
                 CorpusContext.from_image(in_file.image())):
        assert answers(copy, docs) == expected


def test_without_context_nothing_is_called_repeated() -> None:
    key, raw, metadata = corpus()[0]
    document = Document(id=key, source=key, raw=raw, metadata=metadata)
    clean_document(document, Config({"noise": {"disabled_rules": ["line_classifier_v7"]}}))
    assert "repeated_line" not in {span.category for span in document.spans}


def test_the_runner_builds_the_context_in_a_first_pass(tmp_path) -> None:
    import io
    import json

    from cleaner.runner import clean_to_stream

    for i, story in enumerate(STORIES[:3]):
        (tmp_path / f"{i}.txt").write_text(f"{story}\n\nA second paragraph, with more on story {i}.\n\n{FOOTER}\n")
    out = io.BytesIO()
    clean_to_stream([str(tmp_path)], out, io.StringIO(), Config())
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 3
    assert all(FOOTER not in r["text"] and r["text"].startswith(STORIES[i][:20]) for i, r in enumerate(records))


def test_a_corpus_run_extracts_each_page_once_and_leaves_no_spill(tmp_path, monkeypatch) -> None:
    import cleaner.pipeline
    from cleaner.runner import clean_corpus

    pages = tmp_path / "pages"
    pages.mkdir()
    for i, story in enumerate(STORIES):
        (pages / f"{i}.html").write_text(f"<html><body><article><p>{story}</p><p>{WIRE}</p></article>"
                                         f"<footer><p>{FOOTER}</p></footer></body></html>")
    extracted: list[str] = []
    real_extract = cleaner.pipeline.extract_html

    def counting_extract(html: str, url: str | None, options: dict) -> tuple[str, dict] | None:
        extracted.append(html)
        return real_extract(html, url, options)

    monkeypatch.setattr(cleaner.pipeline, "extract_html", counting_extract)
    info = clean_corpus([str(pages)], tmp_path / "out", Config(), jobs=1)
    assert info["counts"]["documents"] == len(STORIES)
    assert len(extracted) == len(STORIES)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["documents.jsonl", "quarantine.jsonl", "run.json"]
