"""Language flags (opinion, loaded_language), sourcing, registry flags, and their configuration."""

from __future__ import annotations

import pytest

from cleaner.annotate.flags import annotate_flags
from cleaner.annotate.language import annotate_language
from cleaner.annotate.sentence_scores import LEXICAL, sentence_features, sentence_models
from cleaner.config import Config, ConfigError
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
    """The pipeline's last two steps: the language of the text, then the flags."""
    document = Document("id", "test.txt", text)
    annotate_language(document, config or Config())
    annotate_flags(document, config or Config())
    return document


def raised(document: Document) -> set[str]:
    return {flag["name"] for flag in document.metadata["flags"]}


def test_op_ed_is_opinion_and_loaded_a_news_report_is_neither() -> None:
    assert {"opinion", "loaded_language"} <= raised(annotate(OPINION))
    news = annotate(NEWS)
    assert not {"opinion", "loaded_language"} & raised(news)
    assert news.metadata["flag_scores"]["opinion"] < Config()["flags"]["opinion"]["threshold"]


def test_english_only_flags_do_not_score_other_languages_and_say_why() -> None:
    german = ("Wir müssen endlich aufhören, diesen Haushalt als etwas anderes als ein schändliches Geschenk zu "
              "sehen. Ich sehe seit Jahren zu, wie der Rat unser Geld verschwendet, und ich habe es satt. Warum "
              "müssen die Bürger immer weiter für die Prestigeprojekte des Bürgermeisters zahlen? Der Rat muss "
              "zugeben, dass seine rücksichtslose Verschwendung uns alle im Stich gelassen hat.")
    document = annotate(german)
    assert document.metadata["language"] == "de"
    assert not {"opinion", "loaded_language", "one_sided_sourcing"} & set(document.metadata["flag_scores"])
    assert document.metadata["flags_not_assessed"]["opinion"] == "reads en text only; document language de"
    assert annotate(OPINION).metadata["flags_not_assessed"] == {}


def test_loaded_language_evidence_is_each_loaded_word_at_its_offset() -> None:
    document = annotate(OPINION)
    flag = next(f for f in document.metadata["flags"] if f["name"] == "loaded_language")
    words = {text.lower() for _, _, text in flag["evidence"]}
    assert {"shameful", "reckless"} <= words
    for start, end, text in flag["evidence"]:
        assert document.text[start:end] == text


def test_sentence_features_explain_themselves() -> None:
    text = 'Critics claimed the so-called reforms had utterly failed, "experts" said.'
    features = sentence_features(text, offset=100)
    assert features.values["said_synonyms"] == 1 and features.values["doubt"] == 1
    assert features.values["editorializing"] == 1 and features.values["implicatives"] == 1
    assert features.values["report_verbs"] == 1 and features.values["scare_quotes"] == 1
    evidence = features.evidence(["said_synonyms", "doubt", "editorializing", "implicatives", "scare_quotes"])
    assert [w.text for w in evidence] == ["claimed", "so-called", "utterly", "failed", "experts"]
    assert evidence[0].start == 100 + len("Critics ")  # offsets are document positions


def test_loaded_language_evidence_is_the_words_of_features_that_raise_the_score() -> None:
    model = sentence_models()["loaded_language"]
    features = sentence_features("The council's reckless spending was utterly shameful.")
    raising = {name for name, (weight, _, _) in model.weights.items() if weight > 0}
    drivers = model.drivers(features)
    assert drivers and {w.text for w in drivers} == {w.text for w in features.evidence(raising & LEXICAL)}


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
    longer = annotate(OPINION, Config({"flags": {"opinion": {"min_sentences": 10}}}))  # it has 4 sentences
    assert "opinion" not in raised(longer) and "opinion" not in longer.metadata["flag_scores"]
    # thresholds are shares: a flag is switched off by `disabled`, not by a threshold no score reaches
    with pytest.raises(ConfigError, match="'flags.opinion.threshold': 1.01 is not allowed"):
        Config({"flags": {"opinion": {"threshold": 1.01}}})
    with pytest.raises(ConfigError, match="'flags.disabled': .*no_such_flag.* is not allowed"):
        Config({"flags": {"disabled": ["no_such_flag"]}})


def test_hostile_text_is_linear_time() -> None:
    # one 200,000-letter "word" once made the attribution pattern backtrack quadratically (minutes)
    import time

    started = time.monotonic()
    for text in ("A" * 200_000, "Translated by " + "B" * 100_000, '"' * 100_000):
        annotate(text)
    assert time.monotonic() - started < 10
