"""Funding acknowledgements and views disclaimers; funder and disclaimer move to provenance."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, LineRule, TextView, register

_FUNDING = re.compile(
    r"\b(?:(?:was|is|were|are|has been) (?:generously |partly |partially )?(?:supported|funded|sponsored|made possible)"
    r" (?:in part )?by|with (?:the )?(?:financial )?support (?:of|from)|thanks to (?:a )?(?:grant|funding) from)"
    r"\s+(?:a grant from\s+)?(?P<funder>.+?)(?=\s+(?:under|through|as part|grant|agreement|award)\b|[.;,]|$)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^(?:this|the|our|research|reporting|support)\b(?:\W+\w+){0,5}\W*$", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"(?:the )?(?:views|opinions)(?: and opinions)? expressed (?:here|herein|therein|in this \w+|are)[^.]*\.?",
    re.IGNORECASE,
)


@register
class FundingNote(LineRule):
    """A short note naming who funded the work, or disclaiming that the views are the funder's.

    Example: "This reporting was supported by a grant from the Ocean Trust. The views expressed are the author's."
    """

    name = "funding_note_v1"
    category = "funding_disclaimer"
    description = "Funding acknowledgements and views disclaimers; `funder` and `disclaimer` facts."
    max_words = 80
    keywords = re.compile(r"support|funded|sponsored|made possible|grant|funding|expressed")

    def match(self, line: Line, view: TextView) -> tuple[float, dict[str, str]] | None:
        text = line.stripped
        facts: dict[str, str] = {}
        funding = _FUNDING.search(text)
        # a funding sentence opens with its subject ('This work', 'The research for this article'), not mid-story
        if funding and _SUBJECT.match(text[:funding.start() + 1]):
            facts["funder"] = funding.group("funder").strip()
        disclaimer = _DISCLAIMER.search(text)
        if disclaimer:
            facts["disclaimer"] = disclaimer.group(0).strip()
        return (0.9, facts) if facts else None
