"""Records read back from a documents.jsonl are data from outside: someone else may have written them.

`check_record` checks the types of every field that `cleaner audit` and `cleaner explain` read (ids,
texts, span offsets, rule and category names, flag scores, thresholds and evidence) and raises
`InvalidRecord` naming the first field at fault, e.g. `metadata.flags[0].score: expected a number, got str`.

Why not the published JSON Schema (cleaner/schema/document.schema.json)? It describes what `cleaner clean`
writes, strictly (32-hex ids, every provenance field); the report also reads hand-made and older
records that lack fields it does not need, and `jsonschema` is only a test dependency. Every record
the schema accepts passes this check (tests/hostile/test_untrusted_records.py holds it to that).

`terminal_safe` makes a record-derived string safe to print: control characters other than newline
and tab, and the bidirectional overrides that can reorder what a terminal shows, become visible
escapes such as `\\x1b`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


class InvalidRecord(ValueError):
    """A record whose `field` does not hold what the report needs."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = terminal_safe(field)
        self.problem = problem
        super().__init__(f"{self.field}: {problem}")


# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings/overrides/isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every character that could steer a terminal shown as an escape instead."""
    return _UNSAFE.sub(_visible, text)


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _is_number(value: Any) -> bool:
    # JSON true/false load as bool, a subclass of int, and are not figures
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _expect(value: Any, field: str, test: Callable[[Any], bool], what: str) -> None:
    if not test(value):
        raise InvalidRecord(field, f"expected {what}, got {_type_name(value)}")


def _string(value: Any, field: str) -> None:
    _expect(value, field, lambda v: isinstance(v, str), "a string")


def _optional_string(value: Any, field: str) -> None:
    _expect(value, field, lambda v: v is None or isinstance(v, str), "a string or null")


def _object(value: Any, field: str) -> None:
    _expect(value, field, lambda v: isinstance(v, dict), "an object")


def _array(value: Any, field: str) -> None:
    _expect(value, field, lambda v: isinstance(v, list), "an array")


def _number(value: Any, field: str) -> None:
    _expect(value, field, _is_number, "a number")


def _integer(value: Any, field: str) -> None:
    _expect(value, field, _is_integer, "an integer")


def _strings_to(value: Any, field: str, check_value: Callable[[Any, str], None]) -> None:
    """An object whose values all pass `check_value` (its keys are strings in any JSON object)."""
    _object(value, field)
    for key, item in value.items():
        check_value(item, f"{field}.{key}")


def _offsets(start: Any, end: Any, field: str, limit: int) -> None:
    _integer(start, f"{field}.start")
    _integer(end, f"{field}.end")
    if not 0 <= start <= end <= limit:
        raise InvalidRecord(field, f"offsets [{start}:{end}] do not lie within the {limit} characters they index")


def _removal(removal: Any, field: str, raw_chars: int) -> None:
    _object(removal, field)
    _offsets(removal.get("start"), removal.get("end"), field, raw_chars)
    _string(removal.get("category"), f"{field}.category")
    _string(removal.get("rule"), f"{field}.rule")
    if "score" in removal:
        _number(removal["score"], f"{field}.score")
    if "facts" in removal:
        _strings_to(removal["facts"], f"{field}.facts", _string)


def _evidence(evidence: Any, field: str) -> None:
    _expect(evidence, field, lambda v: isinstance(v, list) and len(v) == 3, "[start, end, text]")
    _integer(evidence[0], f"{field}[0]")
    _integer(evidence[1], f"{field}[1]")
    _string(evidence[2], f"{field}[2]")


def _flag(flag: Any, field: str) -> None:
    _object(flag, field)
    _string(flag.get("name"), f"{field}.name")
    if "rule" in flag:
        _string(flag["rule"], f"{field}.rule")
    _number(flag.get("score"), f"{field}.score")
    _number(flag.get("threshold"), f"{field}.threshold")
    if "detail" in flag:
        _optional_string(flag["detail"], f"{field}.detail")
    _array(flag.get("evidence", []), f"{field}.evidence")
    for i, evidence in enumerate(flag.get("evidence", [])):
        _evidence(evidence, f"{field}.evidence[{i}]")


def _dedup(dedup: Any, field: str) -> None:
    _object(dedup, field)
    if "cluster" in dedup:
        _string(dedup["cluster"], f"{field}.cluster")
    if "kept" in dedup:
        _expect(dedup["kept"], f"{field}.kept", lambda v: isinstance(v, bool), "true or false")
    if "duplicate_of" in dedup:
        _optional_string(dedup["duplicate_of"], f"{field}.duplicate_of")
    if dedup.get("similarity") is not None:
        _number(dedup["similarity"], f"{field}.similarity")


def _empty_after_cleaning(emptied: Any, field: str) -> None:
    _object(emptied, field)
    _integer(emptied.get("min_chars"), f"{field}.min_chars")
    _strings_to(emptied.get("rules"), f"{field}.rules", _integer)


# metadata fields shown as text (or used as a table key) when present
_TEXT_FIELDS = ("title", "author", "date", "url", "domain", "language", "license", "sitename", "source_path",
                "input_key")


def _quality_family(entry: Any, field: str) -> None:
    _object(entry, field)
    _string(entry.get("rule"), f"{field}.rule")
    _expect(entry.get("pass"), f"{field}.pass", lambda value: isinstance(value, bool), "true or false")
    _array(entry.get("reasons"), f"{field}.reasons")
    for i, reason in enumerate(entry["reasons"]):
        _string(reason, f"{field}.reasons[{i}]")
    _strings_to(entry.get("signals"), f"{field}.signals", _number)


def _metadata(meta: Any, raw_chars: int) -> None:
    _object(meta, "metadata")
    for name in _TEXT_FIELDS:
        if name in meta:
            _optional_string(meta[name], f"metadata.{name}")
    if meta.get("language_confidence") is not None:
        _number(meta["language_confidence"], "metadata.language_confidence")
    _array(meta.get("removals", []), "metadata.removals")
    for i, removal in enumerate(meta.get("removals", [])):
        _removal(removal, f"metadata.removals[{i}]", raw_chars)
    if "span_replacements" in meta:
        _strings_to(meta["span_replacements"], "metadata.span_replacements", _string)
    _array(meta.get("flags") or [], "metadata.flags")
    for i, flag in enumerate(meta.get("flags") or []):
        _flag(flag, f"metadata.flags[{i}]")
    if meta.get("flags_not_assessed") is not None:
        _strings_to(meta["flags_not_assessed"], "metadata.flags_not_assessed", _optional_string)
    if meta.get("provenance") is not None:
        _object(meta["provenance"], "metadata.provenance")
        _optional_string(meta["provenance"].get("domain"), "metadata.provenance.domain")
    if meta.get("dedup"):
        _dedup(meta["dedup"], "metadata.dedup")
    if meta.get("empty_after_cleaning"):
        _empty_after_cleaning(meta["empty_after_cleaning"], "metadata.empty_after_cleaning")
    if meta.get("quality") is not None:
        _strings_to(meta["quality"], "metadata.quality", _quality_family)


def check_record(record: Any) -> None:
    """Raise `InvalidRecord` unless `record` holds, with the right types, every field the report reads."""
    _object(record, "record")
    _expect(record.get("id"), "id", lambda v: isinstance(v, str) and v != "", "a non-empty string")
    for name in ("text", "raw", "source"):
        _string(record.get(name), name)
    for name in ("added", "created"):
        _optional_string(record.get(name), name)
    _metadata(record.get("metadata"), len(record["raw"]))
    _strings_to(record.get("attributes"), "attributes", _array)


def check_quarantine_entry(entry: Any) -> None:
    """Raise `InvalidRecord` unless `entry` is an object whose reason, if any, is a string (a table key)."""
    _object(entry, "entry")
    _optional_string(entry.get("reason"), "reason")
