"""Parquet files read as inputs: one document per row, streamed with pyarrow, a few rows at a time.

Hugging Face datasets and most web corpora (FineWeb, C4, RefinedWeb-style dumps) ship as Parquet with
fields such as `text`, `url`, `id`, `date`, `dump`; which field holds what is the same `FieldMap` as
for JSONL (cleaner/io/fields.py). A row's key is `file:row` (1-based, as a JSONL line's `file:line`).

Memory is bounded: a row group is read in batches of `BATCH_ROWS` rows (`ParquetFile.iter_batches`
decodes column pages as the batch needs them, never the whole file), and a row group whose uncompressed
size exceeds `ROW_GROUPS_PER_MAX_BYTES` x `input.max_bytes` is skipped unread (`oversized`): pyarrow may
hold a row group's column chunk whole while it decodes it. Nothing bad stops the file:
- a file that is not Parquet (or whose footer is damaged) is one `corrupt_parquet` entry;
- a row group that does not decode is one `corrupt_parquet` entry for the rows it held not yet read,
  and reading goes on with the next row group;
- a row without a content string is `missing_text`, a content longer than `input.max_bytes` `oversized`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaner.io.fields import FieldMap, row_input
from cleaner.io.items import Item, Quarantined

BATCH_ROWS = 256
# pyarrow decodes a column chunk (one column of one row group) at a time; a row group far larger than
# any document we accept would hold one chunk of that size in memory
ROW_GROUPS_PER_MAX_BYTES = 16


def read_parquet(path: Path, name: str, max_bytes: int, fields: FieldMap, mtime: str) -> Iterator[Item]:
    """Every row of a Parquet file as a document or a refusal, in row order."""
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield Quarantined(name, name, "corrupt_parquet", f"not a readable Parquet file: {exc}")
        return
    with parquet:
        first = 0  # 0-based index of the row group's first row in the file
        for group in range(parquet.num_row_groups):
            meta = parquet.metadata.row_group(group)
            yield from _row_group(parquet, group, first, meta.num_rows, meta.total_byte_size, name, max_bytes,
                                  fields, mtime)
            first += meta.num_rows


def _row_group(parquet: pq.ParquetFile, group: int, first: int, rows: int, size: int, name: str, max_bytes: int,
               fields: FieldMap, mtime: str) -> Iterator[Item]:
    where = f"row group {group} (rows {first + 1}-{first + rows})"
    if size > ROW_GROUPS_PER_MAX_BYTES * max_bytes:
        key = f"{name}@{group}"
        yield Quarantined(key, key, "oversized", f"{where}: {size} bytes uncompressed > {ROW_GROUPS_PER_MAX_BYTES} x "
                                                 f"input.max_bytes={max_bytes}")
        return
    done = 0
    try:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], use_threads=False):
            for values in batch.to_pylist():
                done += 1
                key = f"{name}:{first + done}"
                yield row_input(key, values, "parquet", mtime, fields, max_bytes)
    except (pa.ArrowException, OSError) as exc:
        key = f"{name}:{first + done + 1}"
        yield Quarantined(key, key, "corrupt_parquet", f"{where}: rows {first + done + 1}-{first + rows} do not "
                                                       f"decode: {exc}")
