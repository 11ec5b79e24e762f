"""The document flags `loaded_language` and `opinion` are calibrated on news (docs/flags.md).

Their score is a percentile among L3S-GN1's train-split gold articles; the thresholds must hold on the
held-out split (at most 15 % / 20 % of those articles raised), and the shipped reference must have been
made with the shipped sentence models (re-run `bench/calibrate_flags.py --write` after a refit).
"""

from __future__ import annotations

import json

from bench.calibrate_flags import FLAGS, OUT, calibration_key, news_scores
from cleaner.annotate.flags import annotate_flags
from cleaner.annotate.flags.news_reference import news_percentile, news_reference
from cleaner.annotate.flags.opinion import Opinion
from cleaner.annotate.flags.sentence_model import full_sentences
from cleaner.api import clean
from cleaner.config import DEFAULTS, Config
from cleaner.document import Document

# the ceilings: the share of held-out news articles a flag may be raised on
MAX_NEWS_RAISE_RATE = {"loaded_language": 0.15, "opinion": 0.20}


def test_the_reference_was_made_with_the_shipped_sentence_models_and_settings() -> None:
    stored = json.loads(OUT.read_text("utf-8"))
    key = calibration_key()
    assert {k: stored.get(k) for k in key} == key, "stale news reference: run bench/calibrate_flags.py --write"
    for name, scores in news_reference().items():
        assert list(scores) == sorted(scores) and len(scores) >= 300, name


def test_a_percentile_is_the_share_of_reference_articles_outscored_ties_counted_half() -> None:
    scores = news_reference()["loaded_language"]
    assert news_percentile("loaded_language", scores[0] - 1) == 0.0
    assert news_percentile("loaded_language", scores[-1] + 1) == 1.0
    middle = scores[len(scores) // 2]
    expected = (sum(s < middle for s in scores) + sum(s <= middle for s in scores)) / (2 * len(scores))
    assert news_percentile("loaded_language", middle) == round(expected, 4)


def test_held_out_news_raises_each_flag_on_at_most_its_share() -> None:
    held_out = news_scores("held_out")
    for flag in FLAGS:
        scores = held_out[flag.name]
        assert len(scores) >= 150, flag.name
        raised = sum(score >= DEFAULTS["flags"][flag.name]["threshold"] for score in scores) / len(scores)
        assert raised <= MAX_NEWS_RAISE_RATE[flag.name], (flag.name, raised)


def test_flag_scores_are_news_percentiles_of_the_raw_score_and_the_detail_says_so() -> None:
    text = ("I think the council was wrong, and we should say so. Frankly, the plan is a disgrace to us all. "
            "Surely nobody believes this shameful scheme will work. We must demand better from our leaders now.\n")
    document = Document("d", "test", text, metadata={"language": "en"})
    annotate_flags(document, Config({"flags": {"opinion": {"threshold": 0.0}}}))
    opinion = next(flag for flag in document.metadata["flags"] if flag["name"] == "opinion")
    assert opinion["score"] == news_percentile("opinion", opinion["raw_score"]) == \
        document.metadata["flag_scores"]["opinion"]
    assert "of news articles" in opinion["detail"]


def test_a_sentence_hard_wrapped_across_lines_is_scored_whole_at_its_offsets() -> None:
    text = "Headline of the piece\nThe council voted on Monday to\nraise the taxes of every household.\nNext line.\n"
    scored = [sentence for sentence, _, _ in full_sentences(text)]
    assert [(s.start, s.end) for s in scored] == [(22, 88), (89, 99)]
    assert scored[0].text == "The council voted on Monday to raise the taxes of every household."


REPORT = ("The city council met on Tuesday to discuss the new budget for the coming year.\n"
          "Members reviewed the proposed spending on roads, schools and parks across the district.\n"
          "The mayor said the plan would be put to a final vote at the next meeting in March.\n"
          "Officials expect the budget to pass with minor changes after a public hearing.\n")


def opinion_reading(text: str) -> tuple[float, str]:
    reading = Opinion().read(clean(text, kind="text"), DEFAULTS["flags"]["opinion"])
    assert reading is not None
    return reading.raw_score, reading.cue_detail


def test_a_contributor_bio_is_an_op_ed_cue_and_a_staff_reporters_bio_is_not() -> None:
    plain, _ = opinion_reading(REPORT)
    contributor, detail = opinion_reading(REPORT + "Dana Whitfield is a professor of economics at Ohio State.\n")
    staff, staff_detail = opinion_reading(REPORT + "Dana Whitfield covers city hall for the Denver Post.\n")
    assert contributor == round(plain + DEFAULTS["flags"]["opinion"]["contributor_bio_bonus"], 4)
    assert "contributor bio" in detail and "professor of economics" in detail
    assert staff == plain and "bio" not in staff_detail
