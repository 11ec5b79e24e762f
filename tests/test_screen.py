"""The literal screen before the notice patterns: it may pass texts the pattern does not match, never the reverse."""

from __future__ import annotations

import random
import re

import pytest

from cleaner.annotate.flags import funding_disclosure, republished, sponsored_content, translated
from cleaner.annotate.screen import fold, required_literals, screen

NOTICES = [module.NOTICE for module in (funding_disclosure, republished, sponsored_content, translated)]


def test_the_literals_come_from_the_pattern_with_their_case_rule() -> None:
    assert required_literals(re.compile(r"(?i:foo|bar)z")) == {("foo", True), ("bar", True)}
    assert required_literals(re.compile(r"(?i:foo|bar)baz")) == {("baz", False)}  # as long, and one literal
    assert required_literals(re.compile(r"\bCC[ -]BY|(?i:creative\s+commons)")) == {("CC", False), ("creative", True)}
    assert required_literals(re.compile(r"(?:ab)+\s*x?")) == {("ab", False)}
    assert required_literals(re.compile(r"[a-z]+\d")) is None  # classes only: no screen
    assert required_literals(re.compile(r"x?|yy")) is None  # a branch that needs nothing
    assert screen(re.compile(r"[a-z]+")) is None


def test_what_the_regex_engine_folds_to_an_ascii_letter_passes() -> None:
    pattern = re.compile(r"(?i)first|syndicated")
    for text in ("FIRST", "fİrst", "fırst", "ſyndicated", "SYNDİCATED"):
        assert pattern.search(text) and screen(pattern)(text), text
    assert len(fold("İſı")) == 3  # offsets stay the text's


@pytest.mark.parametrize("pattern", NOTICES, ids=lambda p: p.pattern[-30:])
def test_no_text_or_stretch_the_pattern_matches_is_screened_out(pattern: re.Pattern[str]) -> None:
    literals = sorted(text for text, _ in required_literals(pattern))
    sentences = ["This article was originally published on The Conversation.", "Translated by Mara Jensen",
                 "This work was supported by the Harbour Foundation.", "SPONSORED CONTENT", "Paid post | Acme",
                 "We publish under a Creative Commons license.", "Share on Facebook", "Read more", "Ad"]
    generator = random.Random(14)
    texts = []
    for _ in range(300):  # notices, their literals in odd cases, and noise, glued at random
        parts = generator.choices(sentences + literals + [w.upper() for w in literals] + ["İ", "ſ", "\n", ". "], k=6)
        texts.append(" ".join(parts))
    first_look = screen(pattern)
    for text in texts:
        stretches = sorted({tuple(sorted(generator.sample(range(len(text) + 1), 2))) for _ in range(8)})
        passes = first_look.within(text, stretches)
        for (start, end), passed in zip(stretches, passes, strict=True):
            assert passed == first_look(text[start:end])
            assert passed or not pattern.search(text[start:end])
        assert first_look(text) or not pattern.search(text)
