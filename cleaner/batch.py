"""`clean_batch`: cleaner inside the batch maps that corpus builders already run, one batch of rows at a time.

A batch is a dict of columns, as `datasets.Dataset.map(..., batched=True)` and Ray Data's `map_batches`
hand it over (lists or numpy arrays). Every row is read as `cleaner clean` reads a JSONL line or a
Parquet row (which fields hold what: cleaner/io/fields.py, config `input.fields`, or the `*_field`
arguments), and the batch comes back with one row per input row, in the columns of a Parquet output
(cleaner/io/record_table.py: `id`, `text`, `source`, `added`, `created`, `raw`, `metadata` and
`attributes` as JSON strings) plus `quarantine`: null for a document, or the quarantine entry as JSON
(`{key, source, reason, detail}`) for a row that could not become one, whose other columns are null.
Nothing vanishes; filter on `quarantine` to drop them.

    >>> from datasets import load_dataset
    >>> rows = load_dataset("parquet", data_files="crawl.parquet", split="train")
    >>> cleaned = rows.map(clean_batch, batched=True, batch_size=None, with_indices=True,
    ...                    fn_kwargs={"source": "crawl.parquet"})
    >>> kept = cleaned.filter(lambda row: row["quarantine"] is None)

The same records as the CLI: a row's key (and so its id) is `source:row` with row the 1-based row
number, as the CLI's `crawl.parquet:7`; pass `with_indices=True` (datasets) so that row numbers are the
dataset's, not the batch's. `metadata.format` follows `source`'s suffix (`parquet`, `jsonl`; `batch`
otherwise). The corpus context (noise rules that read other documents: lines repeated across a source,
glued excerpts) is built from the batch, so a batch of the whole dataset (`batch_size=None`) gives the
CLI's records exactly, and smaller batches each see only themselves; `noise.corpus_context = false`
makes every row independent of its batch. A row without a date field gets `added = null` (the CLI
would take the file's mtime).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from cleaner.config import Config
from cleaner.io.fields import FieldMap, row_input
from cleaner.io.items import Item
from cleaner.io.readers import JSONL_SUFFIXES, PARQUET_SUFFIXES
from cleaner.io.record_table import RECORD_COLUMNS, columns_of, row_of_record

QUARANTINE_COLUMN = "quarantine"
BATCH_COLUMNS = (*RECORD_COLUMNS, QUARANTINE_COLUMN)


def _plain(column: Any) -> list[Any]:
    """A column as a list of Python values (numpy arrays, from Ray, hold numpy scalars)."""
    return column.tolist() if hasattr(column, "tolist") else list(column)


def _format_of(source: str) -> str:
    lower = source.lower()
    return "parquet" if lower.endswith(PARQUET_SUFFIXES) else "jsonl" if lower.endswith(JSONL_SUFFIXES) else "batch"


def clean_batch(examples: Mapping[str, Sequence[Any]], indices: Sequence[int] | None = None, *,
                text_field: str | Sequence[str] | None = None, html_field: str | Sequence[str] | None = None,
                id_field: str | None = None, url_field: str | None = None, date_field: str | None = None,
                config: Config | None = None, source: str = "batch") -> dict[str, list[Any]]:
    """Clean a batch of rows (a dict of columns); one output row per input row (module docstring).

    `indices` are the rows' 0-based positions in the whole dataset (datasets' `with_indices=True`); without
    them a row's number is its position in the batch. A `*_field` argument overrides config `input.fields`.
    """
    config = config or Config()
    fields = FieldMap.from_config(config, text=text_field, html=html_field, id=id_field, url=url_field,
                                  date=date_field)
    columns = {name: _plain(values) for name, values in examples.items()}
    size = len(next(iter(columns.values()), []))
    numbers = [index + 1 for index in _plain(indices)] if indices is not None else range(1, size + 1)
    form = _format_of(source)
    items: list[Item] = [row_input(f"{source}:{number}", {name: values[row] for name, values in columns.items()},
                                   form, None, fields, config["input"]["max_bytes"])
                         for row, number in enumerate(numbers)]
    from cleaner.runner import clean_items  # the runner imports the engines: only when a batch comes

    return _batch_columns(clean_items(items, config))


def _batch_columns(results: Iterable[tuple[str, bytes]]) -> dict[str, list[Any]]:
    empty = dict.fromkeys(RECORD_COLUMNS)
    rows = []
    for kind, payload in results:
        if kind == "document":
            rows.append({**row_of_record(orjson.loads(payload)), QUARANTINE_COLUMN: None})
        else:
            rows.append({**empty, QUARANTINE_COLUMN: payload.decode("utf-8")})
    return {**columns_of(rows), QUARANTINE_COLUMN: [row[QUARANTINE_COLUMN] for row in rows]}
