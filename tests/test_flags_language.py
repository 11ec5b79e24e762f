"""Language flags (opinion, loaded_language), sourcing, registry flags, and their configuration."""

from __future__ import annotations

import pytest

from cleaner.annotate.flags import annotate_flags
from cleaner.annotate.sentence_scores import LEXICAL, sentence_features
from cleaner.config import Config
from cleaner.document import Document

NEWS = ("The city council approved the budget on Tuesday by a vote of 7 to 2, officials said. "
        "The plan allocates $4.2 million to road repairs, according to the finance office. "
        "Work on the first three streets is scheduled to begin in May, the mayor's office said. "
        "The council will publish the full budget on its website next week, a spokesperson said.")
OPINION = ("We should stop pretending that this budget is anything but a shameful giveaway. "
           "I have watched the council waste our money for years, and I am tired of it. "
           "Why must residents keep paying for the mayor's vanity projects? "
           "The council must admit its reckless spending has failed us all.")


def annotate(text: str, config: Config | None = None) -> Document:
    document = Document("id", "test.txt", text)
    annotate_flags(document, config or Config())
    return document


def raised(document: Document) -> set[str]:
    return {flag["name"] for flag in document.metadata["flags"]}


def test_op_ed_is_opinion_and_loaded_a_news_report_is_neither() -> None:
    assert {"opinion", "loaded_language"} <= raised(annotate(OPINION))
    news = annotate(NEWS)
    assert not {"opinion", "loaded_language"} & raised(news)
    assert news.metadata["flag_scores"]["opinion"] < Config()["flags"]["opinion"]["threshold"]


def test_loaded_language_evidence_is_each_loaded_word_at_its_offset() -> None:
    document = annotate(OPINION)
    flag = next(f for f in document.metadata["flags"] if f["name"] == "loaded_language")
    words = {text.lower() for _, _, text in flag["evidence"]}
    assert {"shameful", "reckless"} <= words
    for start, end, text in flag["evidence"]:
        assert document.text[start:end] == text


def test_sentence_features_explain_themselves() -> None:
    features = sentence_features("Critics slammed the regime's so-called reforms.", offset=100)
    assert features.values["loaded_emotive_verbs"] == 1 and features.values["loaded_pejorative"] == 1
    evidence = features.evidence(LEXICAL)
    assert [w.text for w in evidence][:3] == ["slammed", "regime's", "so-called"]
    assert evidence[0].start == 100 + len("Critics ")  # offsets are document positions


def test_one_speaker_quoted_throughout_is_one_sided() -> None:
    text = ("The ministry said the dam is safe. Engineers were on site, the ministry said. "
            "According to the ministry, no village is at risk. Water levels are falling, the ministry added.")
    flag = next(f for f in annotate(text).metadata["flags"] if f["name"] == "one_sided_sourcing")
    assert flag["score"] == 1.0 and len(flag["evidence"]) == 4
    balanced = text + " Farmer Ana Diaz said her fields flooded. Hydrologist Tom Reyes said the data is old."
    assert "one_sided_sourcing" not in raised(annotate(balanced))


def test_registry_entry_raises_state_affiliated(tmp_path) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text('[[source]]\ndomains = ["example-state.tv"]\ntype = "state media"\ncountry = "XX"\n'
                        'ownership = "Ministry of Information"\n', "utf-8")
    from cleaner.annotate.provenance import harvest_provenance

    config = Config({"provenance": {"source_registry": str(registry)}})
    document = Document("id", "test.txt", NEWS, metadata={"url": "https://www.example-state.tv/a/1"})
    harvest_provenance(document, config)
    annotate_flags(document, config)
    flag = next(f for f in document.metadata["flags"] if f["name"] == "state_affiliated")
    assert "Ministry of Information" in flag["detail"] and flag["registry"]["country"] == "XX"


def test_flags_are_configurable() -> None:
    assert "opinion" not in raised(annotate(OPINION, Config({"flags": {"disabled": ["opinion"]}})))
    strict = Config({"flags": {"opinion": {"threshold": 1.01}}})
    assert "opinion" not in raised(annotate(OPINION, strict))
    with pytest.raises(ValueError, match="unknown flags"):
        annotate(OPINION, Config({"flags": {"disabled": ["no_such_flag"]}}))


def test_hostile_text_is_linear_time() -> None:
    # one 200,000-letter "word" once made the attribution pattern backtrack quadratically (minutes)
    import time

    started = time.monotonic()
    for text in ("A" * 200_000, "Translated by " + "B" * 100_000, '"' * 100_000):
        annotate(text)
    assert time.monotonic() - started < 10
