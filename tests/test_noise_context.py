"""Corpus context: boilerplate repeated within one source goes; lines shared across sources and leads stay."""

from __future__ import annotations

from cleaner.config import Config
from cleaner.dedup.params import params_from_config
from cleaner.document import Document
from cleaner.noise.context import ContextEntry, CorpusContext
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
    clean_document(document, Config({"noise": {"disabled_rules": ["line_classifier_v5"]}}), context)
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


def test_context_does_not_depend_on_document_order() -> None:
    docs = corpus()
    assert context_of(docs) == context_of(docs[::-1])


def test_without_context_nothing_is_called_repeated() -> None:
    key, raw, metadata = corpus()[0]
    document = Document(id=key, source=key, raw=raw, metadata=metadata)
    clean_document(document, Config({"noise": {"disabled_rules": ["line_classifier_v5"]}}))
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
