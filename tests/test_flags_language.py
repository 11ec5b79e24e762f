"""Language flags (opinion, loaded_language), sourcing, registry flags, and their configuration."""

from __future__ import annotations

import pytest

from cleaner.annotate.flags import annotate_flags
from cleaner.annotate.flags.loaded_language import LoadedLanguage, topic_nouns
from cleaner.annotate.flags.sentence_model import full_sentences
from cleaner.annotate.language import annotate_language
from cleaner.annotate.sentence_scores import (
    NOT_EVIDENCE,
    empath_names,
    is_name,
    loaded_words,
    sentence_features,
    shipped_word_model,
)
from cleaner.annotate.text import words
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


def test_loaded_language_evidence_is_the_most_loaded_content_words_at_most_a_few() -> None:
    features = sentence_features("The council's reckless spending was utterly shameful and a disgraceful, "
                                 "scandalous waste of the city's money.")
    model = shipped_word_model()
    ranked = loaded_words(features, model, limit=10)
    assert {"reckless", "shameful", "disgraceful", "scandalous"} & {w.lower for w in ranked}
    scores = {c.word.start: c.logit for c in features.candidates}
    assert [scores[w.start] for w in ranked] == sorted((scores[w.start] for w in ranked), reverse=True)
    assert loaded_words(features, model, limit=2) == ranked[:2]
    assert not {w.lower for w in ranked} & NOT_EVIDENCE  # never "the", "was", "and", "of"


def test_names_and_acronyms_are_not_looked_up_in_the_lexicons() -> None:
    text = "The US Labour Party said Brexit hurt us."
    tokens = words(text)
    named = [w.text for w in tokens if is_name(w, text[:w.start].rstrip()[-1:])]
    assert named == ["US", "Labour", "Party", "Brexit"]  # "The" starts the sentence, "us" is the pronoun
    assert not is_name(words('He said: "Terrible" news.')[2], '"')  # a quote's first word
    assert not is_name(words("Then I left.")[1], "n")
    features = sentence_features(text)
    assert features.values["first_person"] == 1  # "us", not "US"
    assert features.values.get("empath_party", 0.0) == 0 and "party" in empath_names()
    assert features.values["share_names"] == 4 / 8
    assert not {c.word.text for c in features.candidates} & set(named)  # names are never evidence
    # a capitalised word no lexicon knows, at the sentence start, is most likely a name: not evidence either
    opening = sentence_features("Beijing slammed the disgraceful move.")
    assert [c.unknown_capitalised for c in opening.candidates][0]
    assert "Beijing" not in {w.text for w in loaded_words(opening, shipped_word_model(), limit=10)}


def test_a_noun_the_article_is_about_is_not_evidence() -> None:
    settings = Config()["flags"]["loaded_language"]
    once = "Critics say the cult is everywhere. Officials met on Monday. The report was published in May."
    about = "Critics say the cult is everywhere. The cult met on Monday. A report on the cult was published in May."
    assert topic_nouns(about, 3) == {"cult"} and not topic_nouns(once, 3)

    def evidence(text: str) -> set[str]:
        document = Document("id", "test.txt", text)
        sentence, features, _ = full_sentences(text)[0]
        return {t for _, _, t in LoadedLanguage().evidence(sentence, features, document, settings)}

    assert "cult" in evidence(once)  # a loaded noun, said once
    assert "cult" not in evidence(about)  # what the article is about


def test_each_flagged_sentence_names_at_most_evidence_words() -> None:
    config = Config({"flags": {"loaded_language": {"evidence_words": 1}}})
    document = annotate(OPINION, config)
    flag = next(f for f in document.metadata["flags"] if f["name"] == "loaded_language")
    assert 1 <= len(flag["evidence"]) <= flag["sentences_flagged"]


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
