"""readability-lxml (the port of Arc90's Readability): the page's best-scoring block of paragraphs.

It often keeps a whole article where trafilatura trims a list or a table at its end, and it drops a page's
edges (headline, standfirst) that trafilatura keeps: a good counterweight in the combiner.
"""

from __future__ import annotations

import logging
from typing import Any

from readability import Document

from cleaner.extract.extractors.registry import Extracted, Extractor, register
from cleaner.extract.visible import visible_text

# Readability scores every paragraph against every candidate parent: on a huge page (a forum thread,
# a long archive) that takes seconds, so such a page is left to the other extractors
MAX_PAGE_CHARS = 1_000_000
# readability logs a traceback before raising on a page it cannot parse; the combiner records the error,
# so the log would only repeat it on the user's terminal
logging.getLogger("readability.readability").addHandler(logging.NullHandler())
logging.getLogger("readability.readability").propagate = False


@register
class Readability(Extractor):
    """readability-lxml's `Document(html).summary()`, read as visible text (one block per line)."""

    name = "readability"
    package = "readability-lxml"
    description = "readability-lxml Document(html).summary(), then its visible text; pages up to 1 M characters"

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"max_page_chars": MAX_PAGE_CHARS}

    def extract(self, html: str, url: str | None, options: dict[str, Any]) -> Extracted | None:
        if len(html) > MAX_PAGE_CHARS:
            return None
        text = visible_text(Document(html, url=url).summary())
        return Extracted(text) if text.strip() else None
