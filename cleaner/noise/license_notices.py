"""License and republication notices; the license (normalised id) and its text move to provenance."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, LineRule, TextView, register

_CC = re.compile(
    r"creative\s+commons\s+(attribution(?:[\s-]+(?:non-?commercial|no-?derivatives?|no-?derivs|share-?alike))*)"
    r"(?:[\s-]+(\d\.\d))?|\bCC[\s-]BY(?:[\s-](?:NC|ND|SA)){0,2}(?:[\s-]\d\.\d)?|\bCC0\b|public domain",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"\b(?:licen[cs]e[ds]?|republish|republication|reproduc(?:e|ed|tion)|all rights reserved|copyright"
    r"|may not be (?:reproduced|republished|copied))\b",
    re.IGNORECASE,
)
# license elements in SPDX order, matched in the attribution phrase with spaces and hyphens removed
_PARTS = (("noncommercial", "NC"), ("noderiv", "ND"), ("sharealike", "SA"))


def license_id(text: str) -> str | None:
    """An SPDX-style id for a Creative Commons mention ('CC-BY-ND-4.0', 'CC-BY-NC'), else None."""
    found = _CC.search(text)
    if found is None:
        return None
    if found.group(0).lower() == "public domain":
        return "public-domain"
    if found.group(1) is None:
        return re.sub(r"[\s]+", "-", found.group(0).upper())
    terms = re.sub(r"[\s-]+", "", found.group(1).lower())
    parts = ["CC", "BY"] + [short for term, short in _PARTS if term in terms]
    return "-".join(parts + ([found.group(2)] if found.group(2) else []))


@register
class LicenseNotice(LineRule):
    """A notice saying under which license the article is published or how it may be republished.

    Example: "This article is republished under a Creative Commons Attribution 4.0 licence."
    """

    name = "license_notice_v1"
    category = "license_notice"
    description = "License / republication / copyright notices; `license` (SPDX-style id) and `license_text` facts."
    max_words = 90
    keywords = re.compile(r"licen|republi|reproduc|rights reserved|copyright|may not be")

    def match(self, line: Line, view: TextView) -> tuple[float, dict[str, str]] | None:
        text = line.stripped
        if not _NOTICE.search(text):
            return None
        found = license_id(text)
        if found is not None:
            return 0.95, {"license": found, "license_text": text}
        if re.match(r"^(?:©|copyright|\(c\))", text, re.IGNORECASE) and text.count(" ") < 20:
            return 0.9, {"license_text": text}
        return None
