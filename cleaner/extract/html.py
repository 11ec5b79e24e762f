"""HTML to text plus metadata, with trafilatura (comments excluded unless configured)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import trafilatura

from cleaner.extract.visible import too_deep_for_a_tree

# fields of trafilatura's Document we keep; `filedate` is the wall clock and breaks reproducibility
METADATA_FIELDS = ("title", "author", "date", "sitename", "hostname", "url", "description",
                   "categories", "tags", "license", "pagetype", "image")

_HTML_HINT = re.compile(r"<(!doctype html|html|head|body|p|div|article|span|a|br)[\s>/]", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Enough markup in the first 4 kB to be a web page rather than text mentioning a tag."""
    return len(_HTML_HINT.findall(text[:4096])) >= 2


@lru_cache(maxsize=1)
def trafilatura_version() -> str:
    return trafilatura.__version__


def extract_html(html: str, url: str | None, options: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(text, metadata) from a page, or None when trafilatura finds no main text.

    Also None for a page nested deeper than the HTML parser's limit: trafilatura would see only the part
    before it and drop the rest unsaid, so such a page is cleaned from all of its visible text instead.
    """
    if too_deep_for_a_tree(html):
        return None
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=options["include_comments"],
        include_tables=options["include_tables"],
        favor_precision=options["favor_precision"],
        favor_recall=options["favor_recall"],
    )
    if result is None:
        return None
    fields = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = fields.get("text") or ""
    metadata = {k: fields[k] for k in METADATA_FIELDS if fields.get(k)}
    return text, metadata
