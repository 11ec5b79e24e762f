"""Output records as a table: the Parquet form of `documents.parquet` (`--format parquet`) and the columns
that `cleaner.clean_batch` returns.

The schema is fixed, whatever the records hold, so that files of different runs concatenate and a
`datasets.load_dataset("parquet", ...)` sees the same features everywhere:

| column | type | holds |
|---|---|---|
| `id`, `text`, `source` | string | as in the JSONL record |
| `added`, `created` | string, nullable | as in the JSONL record (ISO 8601) |
| `raw` | string, nullable | the normalised input; null with `--raw none` |
| `metadata`, `attributes` | string | the record's JSON object, keys sorted, as in its JSONL line |

Metadata and attributes are JSON strings, not structs: their keys differ between records (flags,
provenance, a row's own `input_fields`), and a struct would give every file its own schema. A row
read back (`record_of_row`) is the JSONL record again, so a Parquet output is read (`ParquetLines`)
as exactly the JSON lines its JSONL form holds.

Writing is deterministic: the same records give the same bytes (one thread, row groups of a fixed
number of rows or bytes, zstd at a fixed level, no pandas metadata).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from cleaner.io.outputs import UnreadableOutput

RECORD_COLUMNS = ("id", "text", "source", "added", "created", "raw", "metadata", "attributes")
JSON_COLUMNS = ("metadata", "attributes")
NULLABLE = ("added", "created", "raw")
SCHEMA = pa.schema([pa.field(name, pa.string(), nullable=name in NULLABLE) for name in RECORD_COLUMNS])
# a row group ends after this many records or this many bytes of JSON, whichever comes first: readers
# stream a file row group by row group (cleaner/io/parquet_rows.py reads ours as any other Parquet)
ROW_GROUP_ROWS = 2048
ROW_GROUP_BYTES = 64 << 20
PARQUET_COMPRESSION = "zstd"
PARQUET_LEVEL = 10  # the level of --compress zst (cleaner/io/outputs.py)
READ_BATCH_ROWS = 256


def row_of_record(record: dict[str, Any]) -> dict[str, Any]:
    """A JSONL record as a table row."""
    row = {name: record.get(name) for name in RECORD_COLUMNS}
    for name in JSON_COLUMNS:
        row[name] = orjson.dumps(record.get(name, {}), option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return row


def record_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """A table row as its JSONL record (`raw` left out when null, as a record written without it).

    A JSON column that does not parse (a file someone else wrote) stays a string, so that the record's
    checks (`cleaner.untrusted.check_record`) name the field, as for a JSONL line of the same record.
    """
    record = {name: row[name] for name in RECORD_COLUMNS if not (name == "raw" and row[name] is None)}
    for name in JSON_COLUMNS:
        try:
            record[name] = orjson.loads(row[name])
        except (orjson.JSONDecodeError, TypeError):
            pass
    return record


def columns_of(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [row[name] for row in rows] for name in RECORD_COLUMNS}


def write_parquet(lines: Iterable[bytes], fh: IO[bytes]) -> None:
    """The records of JSON `lines` written to `fh` as a Parquet file, a row group at a time."""
    with pq.ParquetWriter(fh, SCHEMA, compression=PARQUET_COMPRESSION, compression_level=PARQUET_LEVEL,
                          use_dictionary=False, write_statistics=False) as writer:
        rows: list[dict[str, Any]] = []
        held = 0
        for line in lines:
            if not line.strip():
                continue
            rows.append(row_of_record(orjson.loads(line)))
            held += len(line)
            if len(rows) == ROW_GROUP_ROWS or held >= ROW_GROUP_BYTES:
                writer.write_table(pa.table(columns_of(rows), schema=SCHEMA))
                rows, held = [], 0
        if rows:  # a file without records has no row group: every reader sees zero rows of SCHEMA
            writer.write_table(pa.table(columns_of(rows), schema=SCHEMA))


class ParquetLines:
    """A records Parquet file read as the JSON lines of its JSONL form (each ending in a newline), row group
    by row group: what `open_output` gives for a `.parquet` output, so every reader of records reads both."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file = pq.ParquetFile(path)
        except pa.ArrowException as exc:
            raise UnreadableOutput(f"{path} is not a readable Parquet file: {exc}") from exc
        missing = [name for name in RECORD_COLUMNS if name not in self._file.schema_arrow.names]
        if missing:
            self._file.close()
            raise UnreadableOutput(f"{path} holds no cleaner records: no column {', '.join(missing)} "
                                   "(written by `cleaner clean --format parquet`?)")

    def __iter__(self) -> Iterator[bytes]:
        try:
            for batch in self._file.iter_batches(batch_size=READ_BATCH_ROWS, use_threads=False):
                for row in batch.to_pylist():
                    yield orjson.dumps(record_of_row(row), option=orjson.OPT_SORT_KEYS) + b"\n"
        except pa.ArrowException as exc:
            raise UnreadableOutput(f"{self.path}: a row group does not decode: {exc}") from exc

    def read(self) -> bytes:
        return b"".join(self)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ParquetLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
