"""The Python API for pipelines that embed cleaner: `clean(content) -> Document`."""

from __future__ import annotations

import hashlib
from typing import Literal

from cleaner.config import Config
from cleaner.document import Document
from cleaner.io.readers import RawInput
from cleaner.pipeline import process


class QuarantineError(ValueError):
    """The content cannot become a document; `reason` is the quarantine reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def clean(content: str | bytes, *, kind: Literal["auto", "text", "html"] = "auto", url: str | None = None,
          config: Config | None = None) -> Document:
    """Clean one document (text or HTML) and return it with its spans and metadata.

    >>> doc = clean("Fresh rain fell over the valley all night long.\\n[Share](#)\\n")
    >>> doc.text
    'Fresh rain fell over the valley all night long.\\nShare\\n'

    Raises QuarantineError for content that cannot be a document (binary, empty, ...).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    key = url or "api:" + hashlib.sha256(data).hexdigest()[:16]
    item = RawInput(key, url or "api", content, "api", kind=kind, url=url)
    outcome = process(item, config or Config())
    if isinstance(outcome, Document):
        return outcome
    raise QuarantineError(outcome.reason, outcome.detail)
