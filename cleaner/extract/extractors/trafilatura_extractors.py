"""trafilatura, as configured (comments excluded by default), and its favor_precision variant.

The two disagree on many pages (the precision variant drops more of a page's edges: teasers, captions,
link lists), which is what makes them useful side by side in the combiner.
"""

from __future__ import annotations

from typing import Any

import trafilatura

from cleaner.extract.extractors.registry import Extracted, Extractor, register

# fields of trafilatura's Document we keep; `filedate` is the wall clock and breaks reproducibility
METADATA_FIELDS = ("title", "author", "date", "sitename", "hostname", "url", "description",
                   "categories", "tags", "license", "pagetype", "image")
TRAFILATURA_OPTIONS = ("include_comments", "include_tables", "favor_precision", "favor_recall")


def _bare_extraction(html: str, url: str | None, settings: dict[str, Any]) -> Extracted | None:
    result = trafilatura.bare_extraction(html, url=url, with_metadata=True, **settings)
    if result is None:
        return None
    fields = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    return Extracted(fields.get("text") or "", {k: fields[k] for k in METADATA_FIELDS if fields.get(k)})


@register
class Trafilatura(Extractor):
    """trafilatura with the config's `extract` settings (include_comments false by default)."""

    name = "trafilatura"
    package = "trafilatura"
    description = "trafilatura.bare_extraction with the extract.* settings (comments excluded by default)"

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {key: options[key] for key in TRAFILATURA_OPTIONS}

    def extract(self, html: str, url: str | None, options: dict[str, Any]) -> Extracted | None:
        return _bare_extraction(html, url, self.options(options))


@register
class TrafilaturaPrecision(Extractor):
    """trafilatura favouring precision, comments excluded, whatever the config says."""

    name = "trafilatura_precision"
    package = "trafilatura"
    description = "trafilatura.bare_extraction with favor_precision=True and comments excluded"

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"include_comments": False, "include_tables": options["include_tables"], "favor_precision": True,
                "favor_recall": False}

    def extract(self, html: str, url: str | None, options: dict[str, Any]) -> Extracted | None:
        return _bare_extraction(html, url, self.options(options))
