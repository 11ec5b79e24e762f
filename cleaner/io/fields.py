"""Which fields of a row (a JSONL object, a Parquet row, a batch of a `datasets.Dataset`) hold what.

One mapping for every row format, set by config `input.fields` (CLI `--html-field`, `--text-field`,
`--id-field`, `--url-field`, `--date-field`). The defaults read what cleaner always read from JSONL:

| role | default | becomes |
|---|---|---|
| html | `html` | the content, read as HTML |
| text | `text`, `content` | the content, HTML or text told apart by the content (`looks_like_html`) |
| id | `id` | `metadata.input_id` |
| url | `url` | `metadata.url` |
| date | `added` | `added` (retrieval time, ISO 8601) |

The content is the first html, then text field holding a non-blank string (bytes, from a Parquet binary
column, are decoded as a file's bytes are). A row with none is `missing_text`. Every other field whose
value is a string, number, boolean or null is carried, as it was, into `metadata.input_fields` (FineWeb's
`dump`, `language_score`, `token_count`: provenance a corpus builder wants to keep); nested values
(lists, objects) are dropped, as their size has no bound and no cleaner stage reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from cleaner.io.items import Quarantined, RawInput

SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class FieldMap:
    """The field names of each role (module docstring); `html` and `text` are tried in order."""

    html: tuple[str, ...] = ("html",)
    text: tuple[str, ...] = ("text", "content")
    id: str = "id"
    url: str = "url"
    date: str = "added"

    @classmethod
    def from_config(cls, config: Any, **overrides: str | Sequence[str] | None) -> FieldMap:
        """The mapping of a `Config`'s `input.fields`, with the roles given in `overrides` (html="page",
        text=["body"], id=...; None leaves the config's) replacing it."""
        given = dict(config["input"]["fields"])
        for role, value in overrides.items():
            if value is not None:
                given[role] = [value] if isinstance(value, str) and role in ("html", "text") else value
        return cls(tuple(given["html"]), tuple(given["text"]), given["id"], given["url"], given["date"])

    def content_fields(self) -> list[tuple[str, str]]:
        """(field, kind) in the order they are tried: html fields are HTML, text fields are detected."""
        return [(name, "html") for name in self.html] + [(name, "auto") for name in self.text if name not in self.html]

    def known(self) -> frozenset[str]:
        return frozenset((*self.html, *self.text, self.id, self.url, self.date))


DEFAULT_FIELDS = FieldMap()


def iso_time(value: Any) -> str | None:
    """A date field's value as ISO 8601 text: a string as given, a timestamp (Parquet) in UTC with a Z (one
    without a time zone as written)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, datetime):
        stamp = value.astimezone(timezone.utc) if value.tzinfo else value
        return stamp.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return None


def row_input(key: str, row: dict[str, Any], fmt: str, fallback_added: str | None, fields: FieldMap,
              max_bytes: int) -> RawInput | Quarantined:
    """One row as a document to clean; `missing_text` when no content field holds a string, `oversized` when
    the content is longer than `max_bytes` (characters or bytes: a string's UTF-8 is at least as long)."""
    candidates = [(name, kind) for name, kind in fields.content_fields() if isinstance(row.get(name), (str, bytes))]
    chosen = next(((name, kind) for name, kind in candidates if row[name].strip()),
                  candidates[0] if candidates else None)
    if chosen is None:
        names = [repr(name) for name, _ in fields.content_fields()]
        wanted = " or ".join(filter(None, (", ".join(names[:-1]), names[-1])))
        return Quarantined(key, key, "missing_text", f"no string field {wanted}")
    field_name, kind = chosen
    if len(row[field_name]) > max_bytes:
        return Quarantined(key, key, "oversized", f"field {field_name!r} holds {len(row[field_name])} characters "
                                                  f"or bytes > input.max_bytes={max_bytes}")
    url = row.get(fields.url) if isinstance(row.get(fields.url), str) else None
    id_hint = str(row[fields.id]) if row.get(fields.id) is not None else None
    added = iso_time(row.get(fields.date))
    extra: dict[str, Any] = {"input_field": field_name}
    carried = {name: value for name, value in row.items()
               if name not in fields.known() and isinstance(value, SCALARS)}
    if carried:
        extra["input_fields"] = dict(sorted(carried.items()))
    return RawInput(key, key, row[field_name], fmt, kind=kind, url=url, id_hint=id_hint,
                    added=added or fallback_added, added_from="input_field" if added else
                    ("file_mtime" if fallback_added else None),
                    kind_from="field" if kind != "auto" else None, extra=extra)
