"""Layout does not change what is kept: the same words, wrapped or not, spaced or not, clean the same.

The property runs over the gold texts of the dev sets (clean articles, one paragraph per line, a few
raggedly wrapped): each is cleaned as it is and after each change of layout, and the clean word
sequences must agree on >= 98% of the documents for blank lines added or removed and wrapped lines
joined. Hard-wrapped layouts are held to the lower floors reached so far (WRAPPED_FLOORS). The
failures are printed (`pytest -s`) with how many words differ.
"""

from __future__ import annotations

import textwrap
from functools import cache

import pytest

from bench.extraction import engine_only
from bench.layout import DATASETS, LAYOUTS, words, wrap, wrap_in_paragraphs
from cleaner.noise.registry import TextView
from tests.devsets import dev_pages

PAGES_PER_DATASET = 30
MIN_SHARE = 0.98


# Hard-wrapped text falls short of MIN_SHARE (the target, not met; these floors guard what was
# reached). A paragraph ending on a full line is glued to the next when the next one's first word would
# not have fit: ambiguous from the layout, and the classifier does not always judge the lines around the
# glued pair as it judges them around the two paragraphs (short lines near its threshold: headlines,
# bylines, captions). With a blank line between paragraphs (the usual plain-text layout) the boundary is
# known and only gold texts wrapped by hand remain, read another way once their longest lines are
# re-wrapped. `bench/layout.py` measures and classifies the failures; on this sample: in paragraphs
# 0.992, wrapped 0.958, wrapped with a blank line after every line 0.933 (the paragraphs differ in 4, 22
# and 36 of the 120 texts); on the disjoint sample `--skip 30 --per-dataset 100` (339 texts): 0.979,
# 0.947, 0.912.
WRAPPED_FLOORS = {"wrapped_in_paragraphs": 0.99, "wrapped": 0.955, "wrapped_with_blank_lines": 0.93}


@cache
def _gold_texts() -> tuple[tuple[str, str], ...]:
    return tuple((f"{name}/{page['id']}", page["gold_text"].replace("\r\n", "\n"))
                 for name in DATASETS for page in dev_pages(name, PAGES_PER_DATASET, min_gold_words=50))


@cache
def _changed(layout: str) -> tuple[tuple[str, int], ...]:
    """(document, words that differ) for every gold text whose clean words change under `layout`."""
    changed = []
    for name, text in _gold_texts():
        before, after = words(engine_only(text)), words(engine_only(LAYOUTS[layout](text)))
        if before != after:
            changed.append((name, len(set(before) ^ set(after)) + abs(len(before) - len(after))))
    return tuple(changed)


def _unchanged_share(layout: str) -> float:
    changed = _changed(layout)
    share = 1 - len(changed) / len(_gold_texts())
    print(f"\n{layout}: {share:.3f} of {len(_gold_texts())} documents keep their words; changed: {list(changed)}")
    return share


@pytest.mark.parametrize("layout", ["wrapped_and_joined", "blank_after_every_line", "without_blank_lines"])
def test_layout_keeps_the_same_words(layout: str) -> None:
    assert _unchanged_share(layout) >= MIN_SHARE


@pytest.mark.parametrize("layout", sorted(WRAPPED_FLOORS))
def test_hard_wrapped_text_keeps_its_words_on_most_documents(layout: str) -> None:
    assert _unchanged_share(layout) >= WRAPPED_FLOORS[layout]


def test_a_hard_wrapped_paragraph_is_one_line() -> None:
    paragraph = ("The council voted on Tuesday to delay the new tram line until the spring, after the contractor "
                 "warned that the bridge works would not be finished in time. Residents of the eastern suburbs, "
                 "who have waited ten years for the line, said they were disappointed.")
    raw = "Tram line delayed\n\n" + textwrap.fill(paragraph, 60) + "\n\nRelated stories\n"

    lines = TextView(raw).content_lines()

    assert [line.stripped for line in lines] == ["Tram line delayed", paragraph, "Related stories"]
    body = lines[1]
    # offsets still point into raw: the line's text is raw with its line breaks read as spaces
    assert body.text == raw[body.start:body.end].replace("\n", " ")
    assert raw[body.stop - 1] == "\n"


def test_blank_lines_do_not_change_the_lines() -> None:
    paragraph = ("The mayor said the plan would be reviewed next year, once the first contracts have been signed "
                 "and the budget for the extension has been approved by the council.")
    wrapped = textwrap.fill(paragraph, 40) + "\n"

    for raw in (wrapped, wrapped.replace("\n", "\n\n")):
        assert [line.stripped for line in TextView(raw).content_lines()] == [paragraph]


def test_a_raggedly_wrapped_paragraph_is_one_line() -> None:
    # wrapped by hand: lines stop mid-sentence although the next word would have fit
    raw = ("The old steelworks still stand at the edge of town,\n"
           "says Denis Danielevsky, pointing at\n"
           "several smoking chimneys across the river. Nobody knows\n"
           "how long they will keep working, he adds.\n"
           "Most of the workers have already left\n"
           "for the capital, where wages are twice as high.\n")

    lines = [line.stripped for line in TextView(raw).content_lines()]

    assert len(lines) == 2
    assert lines[0].startswith("The old steelworks") and lines[0].endswith("he adds.")
    assert lines[1].startswith("Most of the workers") and lines[1].endswith("twice as high.")


def test_re_wrapping_the_longest_lines_of_a_hand_wrapped_text_keeps_its_words() -> None:
    # a BBC article pasted from the browser: lines wrapped by the proportional layout, a few of them
    # longer than the rest; wrapping those at 72 leaves short remainders ("... from Washington" / "DC")
    # that once became paragraphs of their own and took the headline and standfirst down with them
    gold = dict(_gold_texts())["cleanportaleval/bbc.co.uk_news_02"]
    assert wrap(gold) != gold

    clean = words(engine_only(gold))

    assert clean[:3] == ["insight", "selling", "how"]
    assert words(engine_only(wrap_in_paragraphs(gold))) == clean


def test_a_short_line_before_a_word_too_long_to_fit_is_wrapped() -> None:
    # the greedy wrap put the address on the next line: it did not fit after "visit"
    lines = ["The agency said that anyone who wants to learn more about the programme",
             "and its grants should visit",
             "http://www.example.org/education/programmes/science-and-technology/"]
    assert len(lines[1]) < 72 // 2 and 72 < len(lines[1]) + 1 + len(lines[2])
    raw = "\n".join(lines) + "\n" + textwrap.fill(_PARAGRAPH, 72) + "\n"

    assert [line.stripped for line in TextView(raw).content_lines()] == [" ".join(lines), _PARAGRAPH]


def test_two_spaces_after_a_sentence_count_when_the_text_uses_them() -> None:
    # typewriter spacing, wrapped at 72: "enforced." and "They" would fit with one space, not with two
    lines = ["Today it is clear to most of us that those rules we once had in place to",
             "protect the savings of families were old, and were poorly enforced.",
             "They allowed dangerous risk-taking to go unchecked.  And when the banks",
             "did fail, they left hardworking taxpayers to pay the bill for years.",
             "Nobody wants to see that happen again."]
    assert max(map(len, lines)) == 72 and len(lines[1]) + 1 + len("They") == 72
    next_paragraph = _PARAGRAPH.replace(". ", ".  ")
    raw = "\n".join(lines) + "\n" + textwrap.fill(next_paragraph, 72) + "\n"

    assert [line.stripped for line in TextView(raw).content_lines()] == [" ".join(lines), next_paragraph]


_PARAGRAPH = ("The council voted on Tuesday to delay the new tram line until the spring, after the contractor "
              "warned that the bridge works would not be finished in time. Residents of the eastern suburbs, "
              "who have waited ten years for the line, said they were disappointed by the news.")


def test_a_blank_line_inside_a_wrapped_sentence_does_not_end_its_paragraph() -> None:
    # blank lines mark the paragraph ends, but one also fell inside a sentence (a hand-wrapped text
    # with blank lines put between its lines where a re-wrap did not split them)
    first, second = textwrap.wrap(_PARAGRAPH, 60), textwrap.wrap(_PARAGRAPH.replace("council", "board"), 60)
    assert not first[1].endswith(".") and first[2][0].islower()
    raw = "\n".join(first[:2]) + "\n\n" + "\n".join(first[2:]) + "\n\n" + "\n".join(second) + "\n"

    lines = [line.stripped for line in TextView(raw).content_lines()]

    assert lines == [_PARAGRAPH, " ".join(second)]


def test_a_year_first_on_a_wrapped_line_is_not_a_list_item() -> None:
    paragraph = ("The singer, who finished fourth behind Hicks, sold 2.5 million albums in 2007. Only two other "
                 "artists sold more that year, according to the figures released on Monday by the trade group.")
    lines = textwrap.wrap(paragraph, 72)
    assert lines[1].startswith("2007. ")
    raw = "\n".join(lines) + "\n" + textwrap.fill(_PARAGRAPH, 72) + "\n"

    assert [line.stripped for line in TextView(raw).content_lines()] == [paragraph, _PARAGRAPH]
