"""The learned line classifier: shipped as plain JSON numbers, and sensible on a made-up page."""

from __future__ import annotations

import json
import re
from importlib import resources

import numpy as np

from cleaner.config import Config
from cleaner.document import Document
from cleaner.noise import RULES
from cleaner.noise.classifier import (
    LINE_FEATURES,
    _char_counts,
    _edge_runs,
    _sentence_pieces,
    _tokens,
    line_features,
    load_classifier,
)
from cleaner.noise.engine import clean_document
from cleaner.noise.registry import Line

ARTICLE = [
    "The river burst its banks on Sunday night, flooding hundreds of homes in the lower town and cutting the road.",
    "Emergency crews worked through the night to move families to the sports hall, where volunteers gave blankets.",
    "The regional government said it would release emergency funds once the damage had been assessed by engineers.",
    "Residents said the flood defences promised after the last disaster, ten years ago, had never been finished.",
]
MENU = ["Home", "World", "Business", "Sport", "Weather", "Contact us", "Privacy | Terms | Cookies"]
COMMENTS = ["12 Comments", "jdoe says:", "March 3, 2024 at 10:12 pm",
            "lol my house flooded too and you know what nobody came", "Reply"]


def test_weights_are_plain_json_numbers() -> None:
    data = json.loads(resources.files("cleaner.noise.data").joinpath("line_classifier.json").read_text("utf-8"))
    stage1 = data["stages"][0]
    assert len(stage1["edges"]) == len(stage1["weights"]) == len(LINE_FEATURES)
    assert all(isinstance(v, float) for w in stage1["weights"] for v in w)


def test_menu_and_comment_lines_score_low_and_the_article_high() -> None:
    lines = MENU + ["Flood leaves town under water"] + ARTICLE + COMMENTS + MENU[:3]
    p = load_classifier().content_probability(lines)
    article = p[len(MENU) + 1:len(MENU) + 1 + len(ARTICLE)]
    assert article.min() > 0.5
    assert p[:len(MENU)].max() < 0.5
    assert p[len(MENU) + 1 + len(ARTICLE):].max() < 0.5


def test_a_short_clean_article_is_left_alone() -> None:
    raw = "\n\n".join(["Flood leaves town under water", *ARTICLE]) + "\n"
    document = Document(id="t", source="test", raw=raw)
    clean_document(document, Config())
    assert all(paragraph in document.text for paragraph in ARTICLE)


def test_features_are_deterministic_and_finite() -> None:
    lines = MENU + ARTICLE + COMMENTS
    first, second = line_features(lines), line_features(lines)
    assert (first == second).all() and bool(abs(first).max() < 1e6)


def test_numpy_character_counts_equal_the_regex_definitions() -> None:
    # the features are counted over code points in numpy; the weights were fitted on these regex counts
    lines = ["İstanbul ÜBER Ärger: «Zitat» 3.5 km/h | x", "- a bullet line", "12) numbered. Next!", "@user said:",
             "see https://example.org or [a](b)", "𝐀stral é_Ünder ÀÖØÞ×", "2024 was big.Really?", "•·>"]
    definitions = {"sentences": r"[.!?](?= |$)", "capitalised": r"[A-ZÀ-ÖØ-Þ](?<![\w][A-ZÀ-ÖØ-Þ])",
                   "digits": r"[0-9]", "symbols": r"[|»«•·►▶→©®™/\\>]", "bullet": r"^(?:[-*•·>]|\d+[.)]) "}
    counted = dict(zip(definitions, _char_counts(lines, "\n".join(lines)), strict=True))
    for name, pattern in definitions.items():
        expected = [len(re.findall(pattern, line)) for line in lines]
        assert [int(v) for v in counted[name]] == expected, name
    assert _tokens("\n".join(lines)) == [re.findall(r"\w+", line.lower()) for line in lines]


def test_on_extracted_text_only_the_edges_are_trimmed() -> None:
    assert _edge_runs(np.array([True, True, False, True, False, True])).tolist() == [
        True, True, False, False, False, True]
    # the three menu lines inside the article score as boilerplate, but only the trailing menu is removed
    raw = "\n\n".join(["Flood leaves town under water", *ARTICLE[:2], *MENU[:3], *ARTICLE[2:], *MENU]) + "\n"
    document = Document(id="t", source="test", raw=raw, metadata={"content_type": "html"})
    others = [name for name in RULES.rules if name != "line_classifier_v7"]
    # the classifier runs on extracted text only when noise.disabled_rules_extracted lets it (off by default)
    clean_document(document, Config({"noise": {"classifier_threshold_extracted": 0.5, "disabled_rules": others,
                                               "disabled_rules_extracted": []}}))
    assert "\n\n".join([*ARTICLE[:2], *MENU[:3], *ARTICLE[2:]]) in document.text
    assert not document.text.rstrip().endswith(MENU[-1])


def test_a_wrapped_paragraph_is_cut_where_a_wrap_falls_between_two_sentences() -> None:
    raw = ("The council voted on Tuesday to delay the new tram line until the spring.\n"
           "Residents of the eastern suburbs, who have waited ten years for the line,\n"
           "said they were disappointed.\n")
    line = Line(0, 0, len(raw) - 1, len(raw), raw[:-1].replace("\n", " "))  # the paragraph as a view reads it

    pieces = _sentence_pieces(raw, line)

    assert [text for _, _, text in pieces] == [
        "The council voted on Tuesday to delay the new tram line until the spring.",
        "Residents of the eastern suburbs, who have waited ten years for the line, said they were disappointed."]
    # the pieces tile the line: removing one removes its text and its line breaks
    assert pieces[0][0] == line.start and pieces[0][1] == pieces[1][0] and pieces[1][1] == line.stop
