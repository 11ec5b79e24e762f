"""C4's line rules (Raffel et al. 2020, section 2.2) as datatrove's `C4QualityFilter` applies them: a line
is kept only if it ends in terminal punctuation (not an ellipsis), has at least 3 words, no word over
1,000 characters, no "javascript" and no cookie/terms-of-use phrase; a page keeps too little when its kept
lines hold fewer than 5 sentences, and is dropped outright for "lorem ipsum" or a curly bracket in a line
that would be kept. E.g. a page of menu items and one long paragraph of 3 sentences fails on sentences.

The bad-words list is not applied (datatrove downloads it; nothing here fetches data at run time).
Signals count every line; datatrove stops at the first page-level failure, which changes no verdict.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.quality.registry import QualityFamily, QualityText, Signals, register
from cleaner.annotate.quality.words import sentences_in, text_words

CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
TERMINAL = (".", "?", "!", '"', "'")
POLICY_PHRASES = re.compile("terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies")


@register
class C4Quality(QualityFamily):
    name = "c4"
    rule = "c4_quality_v1"
    description = "C4 line rules: terminal punctuation, words per line, javascript, policy lines; lorem ipsum, " \
                  "curly brackets, sentences kept"

    reasons = ("lorem_ipsum", "curly_bracket", "too_few_sentences")

    def measure(self, text: QualityText, settings: dict[str, Any]) -> Signals:
        counts = dict.fromkeys(("lines", "kept_lines", "sentences", "long_word_lines", "no_terminal_punct_lines",
                                "too_few_words_lines", "javascript_lines", "policy_lines", "lorem_ipsum_lines",
                                "curly_bracket_lines"), 0)
        for raw_line in text.lines:
            counts["lines"] += 1
            line = raw_line.strip()
            # only a line longer than the limit can hold a word longer than it
            if len(line) > settings["max_word_length"] and any(len(chunk) > settings["max_word_length"]
                                                               for chunk in line.split()):
                counts["long_word_lines"] += 1
                continue
            cited = CITATION.sub("", line) if "[" in line else line
            if not cited.endswith(TERMINAL) or cited.endswith("..."):
                counts["no_terminal_punct_lines"] += 1
                continue
            if len(line.split()) < settings["min_words_per_line"]:
                counts["too_few_words_lines"] += 1
                continue
            lowered = cited.lower()
            if "lorem ipsum" in lowered:
                counts["lorem_ipsum_lines"] += 1
                continue
            if "javascript" in lowered:
                counts["javascript_lines"] += 1
                continue
            if "{" in cited:
                counts["curly_bracket_lines"] += 1
                continue
            if POLICY_PHRASES.search(lowered):
                counts["policy_lines"] += 1
                continue
            counts["kept_lines"] += 1
            # a line without citation marks is made of the text's chunks, already split into words
            counts["sentences"] += sentences_in(cited, text_words if "[" in line else text.line_words)
        return counts

    def judge(self, signals: Signals, settings: dict[str, Any]) -> list[str]:
        checks = [
            ("lorem_ipsum", signals["lorem_ipsum_lines"] > 0),
            ("curly_bracket", signals["curly_bracket_lines"] > 0),
            ("too_few_sentences", signals["sentences"] < settings["min_sentences"]),
        ]
        return [reason for reason, failed in checks if failed]
