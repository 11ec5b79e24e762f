"""Provenance harvesting: what the noise rules moved out of the text ends up in `metadata.provenance`."""

from __future__ import annotations

from cleaner import clean
from cleaner.annotate.licenses import credited_publisher, normalise_license
from cleaner.annotate.provenance import harvest_provenance, parse_date
from cleaner.annotate.source_registry import load_registry, lookup
from cleaner.config import Config
from cleaner.document import Document, Span

RAW = ("Related: Why rivers flood\n12 January 2021\n"
       "Published 27 Mar 2024\n"
       "The river rose two metres overnight, the council said.\n"
       "By Jane Roe\n"
       "Translated by Ken Park\n"
       "This work was supported by the Rivers Trust.\n"
       "This article is licensed under CC BY-NC-SA 4.0.\n")


def span_over(line: str, category: str, **facts: str) -> Span:
    start = RAW.index(line)
    return Span(start, start + len(line) + 1, category, f"{category}_test", 1.0, tuple(sorted(facts.items())))


def harvested(metadata: dict | None = None, spans: list[Span] | None = None, added: str | None = None) -> dict:
    document = Document("id", "test.txt", RAW, added=added, metadata=dict(metadata or {}), spans=list(spans or []))
    harvest_provenance(document, Config())
    return document.metadata["provenance"]


def test_facts_of_removed_lines_become_provenance() -> None:
    provenance = harvested(spans=[
        span_over("By Jane Roe", "byline", author="Jane Roe"),
        span_over("Translated by Ken Park", "translation_credit", translator="Ken Park"),
        span_over("This work was supported by the Rivers Trust.", "funding_disclaimer", funder="Rivers Trust"),
        span_over("This article is licensed under CC BY-NC-SA 4.0.", "license_notice",
                  license_text="This article is licensed under CC BY-NC-SA 4.0."),
    ])
    assert provenance["authors"] == ["Jane Roe"]
    assert provenance["translators"] == ["Ken Park"]
    assert provenance["funders"] == ["Rivers Trust"]
    assert provenance["license"]["id"] == "CC-BY-NC-SA-4.0"
    assert provenance["license"]["from"] == "fact"


def test_date_comes_from_the_dateline_not_from_related_links() -> None:
    provenance = harvested(spans=[
        span_over("12 January 2021", "related_links", date="12 January 2021"),
        span_over("Published 27 Mar 2024", "dateline", date="27 Mar 2024"),
    ])
    assert provenance["date_published"] == "2024-03-27"
    assert provenance["date_published_from"] == "text_line (dateline)"


def test_page_metadata_wins_and_url_is_a_last_resort() -> None:
    assert harvested({"date": "2023-05-01"})["date_published_from"] == "html_meta"
    from_url = harvested({"url": "https://example.org/news/2022/07/09/floods"})
    assert (from_url["date_published"], from_url["date_published_from"]) == ("2022-07-09", "url")
    assert from_url["domain"] == "example.org"


def test_retrieval_date_says_where_it_came_from() -> None:
    provenance = harvested({"added_from": "warc_date"}, added="2024-04-01T10:00:00Z")
    assert (provenance["date_retrieved"], provenance["date_retrieved_from"]) == ("2024-04-01T10:00:00Z", "warc_date")


def test_hashes_and_sizes_describe_the_clean_text() -> None:
    provenance = harvested(spans=[span_over("By Jane Roe", "byline", author="Jane Roe")])
    assert provenance["clean_chars"] == len(RAW) - len("By Jane Roe\n")
    assert len(provenance["clean_sha256"]) == 64


def test_dates_are_normalised_to_iso_8601() -> None:
    assert parse_date("Published 27 Mar 2024") == "2024-03-27"
    assert parse_date("March 9, 2021") == "2021-03-09"
    assert parse_date("2020-02-30") is None  # not a date
    assert parse_date("no date here") is None


def test_licences_get_spdx_like_ids() -> None:
    assert normalise_license("Creative Commons Attribution-NoDerivatives 4.0 International") == (
        "CC-BY-ND-4.0", "CC BY-ND 4.0")
    assert normalise_license("republished under a Creative Commons license")[0] == "LicenseRef-CC-unspecified"
    assert normalise_license("All rights reserved.") is None
    assert credited_publisher("provided they attribute the original source (OpenAxis).") == "OpenAxis"


def test_registry_matches_parent_domains_and_publisher_names() -> None:
    registry = load_registry(None)
    assert lookup(registry, "www.news.cgtn.com", [])["type"] == "state media"
    assert lookup(registry, None, ["Human Rights Watch"])["type"] == "advocacy"
    assert lookup(registry, "example.org", ["Nobody"]) is None


def test_without_a_byline_the_bio_names_the_author() -> None:
    provenance = harvested(spans=[span_over("By Jane Roe", "author_bio", author_bio="Jane Roe is a reporter.")])
    assert provenance["authors"] == ["Jane Roe"]


def test_a_paragraph_in_another_language_marks_the_document_mixed():
    english = ("The minister spoke to reporters on Monday about the new budget and the plans for the coming year, "
               "which include more money for schools and hospitals across the country, and fewer tax breaks for "
               "large firms.\n")
    french = ("Le ministre a parlé aux journalistes lundi du nouveau budget et des projets pour l'année à venir, "
              "qui prévoient plus d'argent pour les écoles et les hôpitaux dans tout le pays, et moins d'avantages "
              "fiscaux pour les grandes entreprises.\n")
    provenance = clean(english * 3 + french).metadata["provenance"]
    assert provenance["mixed_language"] is True
    [(start, end, lang, _)] = provenance["paragraph_languages"]
    assert lang == "fr" and end - start == len(french) - 1
    assert clean(english * 4).metadata["provenance"]["mixed_language"] is False


def test_each_fact_carries_the_categories_of_every_span_over_it_as_a_brute_force_count_says() -> None:
    import random

    from cleaner.annotate.provenance import _facts

    def brute_force(spans: list[Span]) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = {}
        for span in sorted(spans):
            covering = ",".join(sorted({s.category for s in spans if s.start < span.end and s.end > span.start}))
            for name, value in span.facts:
                if value.strip() and value.strip().lower() not in {v.lower() for v, _ in found.get(name, [])}:
                    found.setdefault(name, []).append((value.strip(), covering))
        return found

    rng = random.Random(7)
    for _ in range(200):
        document = Document(id="x", source="x", raw="x" * 300, metadata={})
        for _ in range(rng.randint(0, 30)):
            start = rng.randint(0, 299)
            facts = (("author", rng.choice(["Ana Ruiz", "ana ruiz", "Bo Chen", " "])),) if rng.random() < 0.4 else ()
            category = rng.choice(["byline", "boilerplate", "dateline"])
            document.spans.append(Span(start, rng.randint(start, 300), category, "rule_v1", 0.9, facts))
        assert dict(_facts(document)) == brute_force(document.spans)
