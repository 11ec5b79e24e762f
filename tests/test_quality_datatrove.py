"""The quality signals agree with datatrove's Gopher, C4 and FineWeb filters, which define them.

On 1,000 dev-set pages' gold text, each family's verdict (pass, or the first reason it fails) must be
datatrove's on at least 99% of the pages, our words must be its English words, and the repetition
figures must be the numbers datatrove's own helpers compute. Crafted texts make every rule fire at least
once, so a rule that never fails on real pages is still compared.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import pytest
from datatrove.data import Document as DatatroveDocument
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.pipeline.filters.gopher_repetition_filter import find_all_duplicate, find_top_duplicate, get_n_grams
from datatrove.utils.text import split_into_words
from datatrove.utils.word_tokenizers import load_word_tokenizer

from cleaner.annotate.quality import assess_text
from cleaner.annotate.quality.registry import QualityText
from cleaner.config import Config
from tests.devsets import dev_pages

# pages per dev set (the first by id with any gold text): 1,000 in all; cleaneval's are long, and spaCy
# (datatrove's English tokenizer) is what makes this test slow
PAGES = {"dragnet": 850, "cleaneval": 150}
# datatrove's n-gram helpers are pure Python loops: their figures are compared on every FIGURES-th page
FIGURES = 4
FILTERS = {"gopher_quality": GopherQualityFilter, "gopher_repetition": GopherRepetitionFilter,
           "c4": C4QualityFilter, "fineweb": FineWebQualityFilter}
SETTINGS = Config()["quality"]
# datatrove frees spaCy's vocabulary after every call (a memory zone), so that each call builds the lexemes
# of its words anew; letting spaCy keep them gives the same tokens in less time
load_word_tokenizer("eng").tokenizer.memory_zone = contextlib.nullcontext
# text that makes each rule fail; a test below checks that every reason is met
CRAFTED = [
    "Too short to count.",
    " ".join(["a", "of", "the", "be"] * 20),
    " ".join(["antidisestablishmentarianism", "the", "of"] * 20),
    " ".join(["#tag the of story and to be"] * 20),
    " ".join(["wait... the of story and to be"] * 20),
    "\n".join(f"- item {i} of the list and to be seen" for i in range(60)),
    "\n".join(f"line {i} of the story and to be continued..." for i in range(60)),
    " ".join(["1234 5678 9012 the of and"] * 20),
    " ".join(f"Word{i} Other{i} Thing{i}" for i in range(40)),
    "\n\n".join(["The same paragraph of the story, and to be read again."] * 5 + ["One other."]),
    "\n\n".join(["A long paragraph of the story that is repeated twice and to be read again."] * 2
                + [f"Paragraph {i} of the story." for i in range(6)]),
    "\n".join(["The same line of the story, and to be read."] * 5 + [f"Line {i} of it." for i in range(6)]),
    "\n".join(["A long line of the story that is repeated twice and to be read again, word for word."] * 2
              + [f"Line {i} of it." for i in range(12)]),
    " ".join(["of the"] * 200) + " story and to be",
    " ".join([f"of the people {i}" for i in range(100)]),
    " ".join([f"{i} for the people" for i in range(100)]),
    " ".join(["to be or not to be, that is the question and the answer"] * 4 + [f"w{i}" for i in range(200)]),
    "Lorem ipsum dolor sit amet, and the rest.\n" + "\n".join(f"Sentence {i} of the story." for i in range(9)),
    "We use {curly} brackets in code, and the rest.\n" + "\n".join(f"Sentence {i} of the story." for i in range(9)),
    "Please enable JavaScript to view the comments.\nThis site uses cookies to give the best service.\n"
    "Read the privacy policy of the site.\nShort line.\nno end punctuation here and the rest",
    "\n".join(f"Menu item {i}" for i in range(40)) + "\nOne real sentence of the story and to be read.",
    "\n".join(f"Sentence {i} of the story and to be read." for i in range(30)) + "\n" + "\n".join(["x"] * 30),
    "\n".join(f"Sentence {i} of the story and to be read." for i in range(30)) + "\n" + "\n".join(
        ["This line of the story, and to be read twice."] * 2),
    "\n".join(f"A{i}." for i in range(100)) + "\n" + " ".join(["of the story and to be read"] * 10) + ".",
    "",
]


def datatrove_verdict(family: str, text: str) -> str:
    """'pass', or the reason datatrove's filter gives for dropping the text."""
    outcome = FILTERS[family]().filter(DatatroveDocument(text=text, id="0"))
    return "pass" if outcome is True else outcome[1]


def our_verdict(entry: dict) -> str:
    return "pass" if entry["pass"] else entry["reasons"][0]


@cache
def page_texts() -> tuple[str, ...]:
    texts = [page["gold_text"] for name, limit in PAGES.items() for page in dev_pages(name, limit, min_gold_words=1)]
    assert len(texts) == 1000, "the dev sets hold fewer pages with gold text than the test needs"
    return tuple(texts)


def compare(text: str, figures: bool = False) -> dict:
    """One text through our families and datatrove's filters, with the words (and the repetition figures)
    to compare."""
    ours = assess_text(text, SETTINGS)
    # datatrove's filters keep the last texts' words: its three that split words share one split
    theirs = {family: datatrove_verdict(family, text) for family in FILTERS}
    words = split_into_words(text)
    compared = {"verdicts": {family: (our_verdict(ours[family]), theirs[family]) for family in FILTERS},
                "same_words": QualityText(text).words == words}
    if figures:
        signals = ours["gopher_repetition"]["signals"]
        compared["top_ngrams"] = [(signals[f"top_{n}_gram_char_share"],
                                   find_top_duplicate(get_n_grams(words, n)) / len(text)) for n in (2, 3, 4)]
        compared["dup_ngrams"] = [(signals[f"dup_{n}_gram_char_share"],
                                   find_all_duplicate(words, n) / len(text)) for n in range(5, 11)]
    return compared


def compare_all(texts: tuple[str, ...], figures: bool) -> list[dict]:
    # spaCy is slow on 1,000 pages: both cores share them (forked workers inherit the loaded modules)
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(compare, texts, [figures and i % FIGURES == 0 for i in range(len(texts))],
                             chunksize=25))


@cache
def page_comparisons() -> list[dict]:
    return compare_all(page_texts(), figures=True)


@cache
def crafted_comparisons() -> list[dict]:
    return compare_all(tuple(CRAFTED), figures=False)


@pytest.mark.parametrize("family", FILTERS)
def test_same_verdicts_as_datatrove_on_dev_pages(family: str) -> None:
    pairs = [compared["verdicts"][family] for compared in page_comparisons()]
    same = sum(ours == theirs for ours, theirs in pairs)
    outcomes = {theirs == "pass" for _, theirs in pairs}
    assert outcomes == {True, False}, f"{family}: the pages must hold passes and failures to compare"
    differing = [pair for pair in pairs if pair[0] != pair[1]][:10]
    assert same / len(pairs) >= 0.99, f"{family}: {same}/{len(pairs)} agree; (ours, datatrove) e.g. {differing}"


def test_same_words_as_datatrove_on_dev_pages() -> None:
    same = sum(compared["same_words"] for compared in page_comparisons())
    assert same / len(page_comparisons()) >= 0.99, f"{same}/{len(page_comparisons())} pages split into the same words"


def test_repetition_figures_are_datatroves() -> None:
    """The n-gram figures, computed faster here, are the numbers of datatrove's own helpers; repeated
    5-10-grams may differ where datatrove's key (words joined without spaces) makes "of" "Education" the
    same as "ofEducation" (8 of the 1,000 pages, no verdict changed: gopher_repetition docstring)."""
    comparisons = [compared for compared in page_comparisons() if "top_ngrams" in compared]
    assert len(comparisons) >= 250
    assert all(ours == theirs for compared in comparisons for ours, theirs in compared["top_ngrams"])
    same = sum(all(ours == theirs for ours, theirs in compared["dup_ngrams"]) for compared in comparisons)
    assert same / len(comparisons) >= 0.98, f"{same}/{len(comparisons)} pages have datatrove's repeated n-grams"


@pytest.mark.parametrize("family", FILTERS)
def test_crafted_texts_fail_each_rule_as_datatrove_does(family: str) -> None:
    pairs = [compared["verdicts"][family] for compared in crafted_comparisons()]
    assert [ours for ours, _ in pairs] == [theirs for _, theirs in pairs]


def test_long_documents_fail_as_datatrove_says() -> None:
    """Gopher's upper bound (100,000 words) at a lower limit on both sides: the same rule, a small text."""
    text = " ".join(["the story of it and to be told"] * 40)
    theirs = GopherQualityFilter(max_doc_words=200).filter(DatatroveDocument(text=text, id="0"))
    settings = Config({"quality": {"gopher_quality": {"max_words": 200}}})["quality"]
    assert our_verdict(assess_text(text, settings)["gopher_quality"]) == theirs[1] == "gopher_long_doc"


def test_crafted_texts_meet_every_reason() -> None:
    reasons = {family: set() for family in FILTERS}
    for text in CRAFTED:
        for family, entry in assess_text(text, SETTINGS).items():
            reasons[family].update(entry["reasons"])
    expected = {
        # gopher_long_doc: test_long_documents_fail_as_datatrove_says
        "gopher_quality": {"gopher_short_doc", "gopher_below_avg_threshold",
                           "gopher_above_avg_threshold", "gopher_too_many_hashes", "gopher_too_many_ellipsis",
                           "gopher_too_many_bullets", "gopher_too_many_end_ellipsis", "gopher_below_alpha_threshold",
                           "gopher_enough_stop_words"},
        "gopher_repetition": {"empty", "dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac",
                              "top_2_gram", "top_3_gram", "top_4_gram",
                              *(f"duplicated_{n}_n_grams" for n in range(5, 11))},
        "c4": {"lorem_ipsum", "curly_bracket", "too_few_sentences"},
        "fineweb": {"empty", "line_punct_ratio", "short_line_ratio", "char_dup_ratio", "list_ratio"},
    }
    assert {family: expected[family] - reasons[family] for family in FILTERS} == {family: set() for family in FILTERS}
