"""`Clean`, a datatrove `PipelineStep` (`pip install 'cleaner[datatrove]'`): cleaner in a datatrove pipeline.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import Clean

    LocalPipelineExecutor(pipeline=[
        ParquetReader("crawl/"),
        Clean(exclusion_writer=JsonlWriter("quarantined/")),
        JsonlWriter("cleaned/"),
    ], tasks=4).run()

Each document is cleaned as `clean_batch` cleans a row (cleaner/batch.py): its `text`, its `id` and its
metadata fields (datatrove readers put `url`, `date`, `dump`... there) are the row, read with config
`input.fields`. The document leaves with its `text` cleaned and the rest of cleaner's record in
`metadata["cleaner"]` (`id`, `source`, `added`, `created`, `raw`, `metadata` and `attributes` as in a
JSONL record, so `Document.from_dict({**metadata["cleaner"], "text": text})` re-derives the text from
the removals). A document that cannot become one is dropped, counted as `dropped_<reason>` (datatrove's
stats, like its filters) and, with an `exclusion_writer`, written there with `metadata["filter_reason"]`
and the quarantine entry in `metadata["cleaner_quarantine"]`: nothing vanishes.

Documents are cleaned `batch_size` at a time; with `noise.corpus_context` (the default) the noise rules
that read other documents see the batch (clean_batch's module docstring). A document's key is
`datatrove/<rank>:<n>`, n its 1-based position in the task, so the same task gives the same ids.
"""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.batching import batched

from cleaner.batch import QUARANTINE_COLUMN, clean_batch
from cleaner.config import Config
from cleaner.io.record_table import RECORD_COLUMNS, record_of_row


class Clean(PipelineStep):
    """Clean every document's text with cleaner, keeping the removals and provenance in its metadata."""

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(self, config: Config | None = None, exclusion_writer: DiskWriter | None = None,
                 batch_size: int = 1000) -> None:
        super().__init__()
        self.config = config or Config()
        self.exclusion_writer = exclusion_writer
        self.batch_size = batch_size

    def _columns(self, batch: list[Document]) -> dict[str, list[Any]]:
        rows = [{**doc.metadata, "text": doc.text, "id": doc.id} for doc in batch]
        names = sorted({name for row in rows for name in row})
        return {name: [row.get(name) for row in rows] for name in names}

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        done = 0
        with self.exclusion_writer or contextlib.nullcontext() as writer:
            for batch in batched(data, self.batch_size):
                with self.track_time("batch"):
                    cleaned = clean_batch(self._columns(batch), range(done, done + len(batch)),
                                          config=self.config, source=f"datatrove/{rank}")
                done += len(batch)
                for row, doc in enumerate(batch):
                    self.stat_update("total")
                    entry = cleaned[QUARANTINE_COLUMN][row]
                    if entry is None:
                        record = record_of_row({name: cleaned[name][row] for name in RECORD_COLUMNS})
                        doc.text = record.pop("text")
                        doc.metadata["cleaner"] = record
                        self.stat_update("forwarded")
                        self.update_doc_stats(doc)
                        yield doc
                        continue
                    reason = orjson.loads(entry)["reason"]
                    self.stat_update("dropped", f"dropped_{reason}")
                    if writer is not None:
                        doc.metadata["filter_reason"] = reason
                        doc.metadata["cleaner_quarantine"] = orjson.loads(entry)
                        writer.write(doc, rank)
