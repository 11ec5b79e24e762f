"""Translation credits; the translator moves to provenance."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, PatternLineRule, register
from cleaner.noise.text import NAME


@register
class TranslationCredit(PatternLineRule):
    """A line crediting the translator.

    Example: "Translated from the Spanish by Ana Ruiz".
    """

    name = "translation_credit_v1"
    category = "translation_credit"
    description = "'Translated by NAME' / 'Translation: NAME' lines; the name becomes the `translator` fact."
    max_words = 12
    pattern = re.compile(
        rf"^(?:translated(?: from (?:the )?\w+)?(?: into \w+)?|translation|english translation)(?: by|:)\s+({NAME})",
        re.IGNORECASE,
    )

    def facts(self, match: re.Match[str], line: Line) -> dict[str, str]:
        return {"translator": match.group(1).strip()}
