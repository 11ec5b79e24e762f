"""What a reader yields: `RawInput` (one document to clean) or `Quarantined` (one refusal, with its reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawInput:
    """One document as read: bytes (or text from JSON) plus what the container told us about it."""

    key: str  # unique within a run, stable across runs: used for ids and for --resume
    source: str  # the file, or file plus record, it came from
    content: bytes | str
    format: str  # txt | html | jsonl | parquet | warc | stdin | api | batch
    kind: str = "auto"  # text | html | auto (decided from the content: `looks_like_html`)
    kind_from: str | None = None  # what set a kind other than auto: "suffix" | "field" | "content_type"
    url: str | None = None
    id_hint: str | None = None
    added: str | None = None
    added_from: str | None = None  # "warc_date" | "file_mtime" | "input_field"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Quarantined:
    """An input we could not turn into a document, and why."""

    key: str
    source: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "source": self.source, "reason": self.reason, "detail": self.detail}


Item = RawInput | Quarantined
