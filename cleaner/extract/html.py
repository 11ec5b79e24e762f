"""HTML to text plus metadata: one extractor (`extract.mode = "fast"`) or several combined ("accurate").

The extractors are registered in `cleaner.extract.extractors`; `cleaner.extract.combine` runs them and
keeps the output that agrees most with the others. docs/extraction.md measures both modes.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.extract.combine import Extraction, combine
from cleaner.extract.visible import too_deep_for_a_tree

MODES = ("fast", "accurate")
_HTML_HINT = re.compile(r"<(!doctype html|html|head|body|p|div|article|span|a|br)[\s>/]", re.IGNORECASE)
TOO_DEEP = "nested deeper than the HTML parser's limit"


def looks_like_html(text: str) -> bool:
    """Enough markup in the first 4 kB to be a web page rather than text mentioning a tag."""
    return len(_HTML_HINT.findall(text[:4096])) >= 2


def extractor_names(options: dict[str, Any]) -> list[str]:
    """The extractors the `extract` table's mode runs: the fast one alone, or every accurate one."""
    return [options["fast_extractor"]] if options["mode"] == "fast" else list(options["accurate_extractors"])


def extract_html(html: str, url: str | None, options: dict[str, Any]) -> Extraction:
    """The page's main text by the configured mode; its `text` is empty when no extractor finds any.

    Also empty for a page nested deeper than the HTML parser's limit: a tree-based extractor would see only
    the part before it and drop the rest unsaid, so such a page is cleaned from all of its visible text.
    """
    names = extractor_names(options)
    if too_deep_for_a_tree(html):
        return Extraction("", {}, None, {"mode": options["mode"], "candidates": names, "chosen": None,
                                         "agreement": {}, "score": {}, "failed": dict.fromkeys(names, TOO_DEEP)})
    return combine(html, url, options, names, options["mode"])
