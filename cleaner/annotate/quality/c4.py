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
# the phrases but "terms of use" and "privacy policy" all hold "cookie", a faster first test
POLICY_PHRASES = re.compile("terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies")


@register
class C4Quality(QualityFamily):
    name = "c4"
    rule = "c4_quality_v1"
    description = "C4 line rules: terminal punctuation, words per line, javascript, policy lines; lorem ipsum, " \
                  "curly brackets, sentences kept"

    reasons = ("lorem_ipsum", "curly_bracket", "too_few_sentences")

    def measure(self, text: QualityText, settings: dict[str, Any]) -> Signals:
        max_word, min_words = settings["max_word_length"], settings["min_words_per_line"]
        long_word = no_terminal = few_words = lorem_ipsum = javascript = curly = policy = kept = sentences = 0
        for line in map(str.strip, text.lines):
            # only a line longer than the limit can hold a word longer than it
            if len(line) > max_word and any(len(chunk) > max_word for chunk in line.split()):
                long_word += 1
                continue
            # a line without citation marks is made of the text's chunks, already split into words
            cited, words = (CITATION.sub("", line), text_words) if "[" in line else (line, text.line_words)
            if not cited.endswith(TERMINAL) or cited.endswith("..."):
                no_terminal += 1
                continue
            if len(line.split(None, max(min_words - 1, 0))) < min_words:  # the first min_words chunks suffice
                few_words += 1
                continue
            lowered = cited.lower()
            if "lorem ipsum" in lowered:
                lorem_ipsum += 1
            elif "javascript" in lowered:
                javascript += 1
            elif "{" in cited:
                curly += 1
            elif "terms of use" in lowered or "privacy policy" in lowered or ("cookie" in lowered
                                                                            and POLICY_PHRASES.search(lowered)):
                policy += 1
            else:
                kept += 1
                sentences += sentences_in(cited, words)
        return {"lines": len(text.lines), "kept_lines": kept, "sentences": sentences, "long_word_lines": long_word,
                "no_terminal_punct_lines": no_terminal, "too_few_words_lines": few_words,
                "javascript_lines": javascript, "policy_lines": policy, "lorem_ipsum_lines": lorem_ipsum,
                "curly_bracket_lines": curly}

    def judge(self, signals: Signals, settings: dict[str, Any]) -> list[str]:
        checks = [
            ("lorem_ipsum", signals["lorem_ipsum_lines"] > 0),
            ("curly_bracket", signals["curly_bracket_lines"] > 0),
            ("too_few_sentences", signals["sentences"] < settings["min_sentences"]),
        ]
        return [reason for reason, failed in checks if failed]
