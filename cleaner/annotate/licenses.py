"""Licence notices: find them, and name the licence with an SPDX-like id.

Example: "We publish all articles under a Creative Commons Attribution-Noderivatives license ... provided
they attribute the original source (OpenAxis)." -> id `CC-BY-ND`, name `CC BY-ND`, publisher `OpenAxis`.
"""

from __future__ import annotations

import re

# a line that grants or states a reuse licence
NOTICE = re.compile(r"(?i)creative\s+commons|\bCC[ -]BY(?:-[A-Z]{2})*(?:[ -]\d\.\d)?\b|\bCC0\b|public\s+domain")
_ELEMENTS = (("BY", r"attribution|\bby\b"), ("NC", r"non-?\s?commercial|\bnc\b"),
             ("ND", r"no-?\s?deriv\w*|\bnd\b"), ("SA", r"share-?\s?alike|\bsa\b"))
_VERSION = re.compile(r"\b([1-4]\.0)\b")
# "attribute the original source (X)", "must credit X", "please credit X as the source"
_CREDIT = re.compile(r"(?i:\b(?:attribute|credit)\s+(?:the\s+)?(?:original\s+)?(?:source|publisher|author)?)"
                     r"\s*\(?\s*(?P<name>[A-Z][\w&.'’-]*(?:[ \u00a0][A-Z][\w&.'’-]*){0,4})\s*\)?")


def normalise_license(text: str) -> tuple[str, str] | None:
    """(SPDX-like id, short name) for a licence statement, e.g. ('CC-BY-ND-4.0', 'CC BY-ND 4.0'); None if unknown."""
    lower = text.lower()
    if re.search(r"\bcc0\b|public\s+domain\s+dedication", lower):
        return "CC0-1.0", "CC0 1.0"
    if not re.search(r"creative\s+commons|\bcc[ -]by", lower):
        return None
    tail = lower[re.search(r"creative\s+commons|\bcc[ -]by", lower).start():]
    parts = [code for code, pattern in _ELEMENTS if re.search(pattern, tail)]
    if not parts:  # "a Creative Commons licence" without saying which one
        return "LicenseRef-CC-unspecified", "Creative Commons (variant not stated)"
    if "BY" not in parts:  # every CC licence but CC0 requires attribution
        parts.insert(0, "BY")
    version = _VERSION.search(tail)
    suffix = f"-{version.group(1)}" if version else ""
    return "CC-" + "-".join(parts) + suffix, "CC " + "-".join(parts) + (f" {version.group(1)}" if version else "")


def credited_publisher(text: str) -> str | None:
    """The name a republication notice asks to be credited as the source, if it names one."""
    match = _CREDIT.search(text)
    return match.group("name").strip(" .") if match else None
