"""Resiliparse's main-content text (lexbor's HTML5 parser and rule-based boilerplate removal, in C++).

About ten times faster than trafilatura, with no nesting limit; its choices are coarser (whole blocks
by their tag and class names), so it votes in the combiner rather than deciding alone.
"""

from __future__ import annotations

from typing import Any

from resiliparse.extract.html2text import extract_plain_text

from cleaner.extract.extractors.registry import Extracted, Extractor, register

# comments and image alt texts are never article text; form fields and <noscript> are off by default
SETTINGS = {"main_content": True, "comments": False, "alt_texts": False, "links": False}


@register
class Resiliparse(Extractor):
    """`resiliparse.extract.html2text.extract_plain_text` with main_content=True, comments off."""

    name = "resiliparse"
    package = "resiliparse"
    description = "resiliparse extract_plain_text(main_content=True, comments=False, alt_texts=False)"

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        return dict(SETTINGS)

    def extract(self, html: str, url: str | None, options: dict[str, Any]) -> Extracted | None:
        text = extract_plain_text(html, **SETTINGS)
        return Extracted(text) if text.strip() else None
