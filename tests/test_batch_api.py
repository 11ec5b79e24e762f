"""The batch API's documented examples, run against the real `datasets`, Ray Data and datatrove: the same
records as `cleaner clean` on the same input."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from bench.parquet_stream import write_parquet_inputs
from cleaner import clean_batch
from cleaner.batch import BATCH_COLUMNS
from cleaner.config import Config
from cleaner.io.record_table import RECORD_COLUMNS, record_of_row
from cleaner.runner import clean_corpus
from tests.conftest import read_jsonl, run_cli
from tests.test_engine_ray import ray_head  # noqa: F401 - the Ray engine tests' own head on loopback

ROWS = 14  # every 7th without content


@pytest.fixture(scope="module")
def rows_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet_inputs(tmp_path_factory.mktemp("rows") / "crawl.parquet", ROWS, seed=5, missing_every=7)


@pytest.fixture(scope="module")
def cli_records(rows_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    out = tmp_path_factory.mktemp("cli")
    result = run_cli("clean", str(rows_file), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    return read_jsonl(out / "documents.jsonl"), read_jsonl(out / "quarantine.jsonl")


def _split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The documents (as JSONL records) and the quarantine entries of clean_batch's output rows."""
    documents = [record_of_row({name: row[name] for name in RECORD_COLUMNS})
                 for row in rows if row["quarantine"] is None]
    return documents, [orjson.loads(row["quarantine"]) for row in rows if row["quarantine"] is not None]


def test_datasets_map_gives_the_cli_records(rows_file, cli_records, tmp_path):
    from datasets import load_dataset

    dataset = load_dataset("parquet", data_files=str(rows_file), split="train", cache_dir=str(tmp_path / "hf"))
    cleaned = dataset.map(clean_batch, batched=True, batch_size=None, with_indices=True,
                          fn_kwargs={"source": str(rows_file)})
    assert set(BATCH_COLUMNS) <= set(cleaned.column_names) and len(cleaned) == ROWS
    assert _split(list(cleaned)) == cli_records
    # a row keeps its place: the quarantined rows are where the input's rows without content were
    assert [number for number, row in enumerate(cleaned, start=1) if row["quarantine"]] == [7, 14]


def test_ray_map_batches_gives_the_cli_records_and_the_ray_engine_the_same_parquet(
        ray_head, rows_file, cli_records, tmp_path):  # noqa: F811 - the fixture
    import ray

    from cleaner.engine.ray import connected

    parquet = Config({"output": {"format": "parquet"}})
    with connected(ray_head, 1):  # one connection for both: starting Ray workers is the slow part
        rows = ray.data.read_parquet(str(rows_file)).map_batches(
            clean_batch, batch_size=None, fn_kwargs={"source": str(rows_file)}).take_all()
        clean_corpus([str(rows_file)], tmp_path / "ray", parquet, engine="ray", address=ray_head)
    assert _split(rows) == cli_records
    clean_corpus([str(rows_file)], tmp_path / "local", parquet)
    ray_bytes, local_bytes = ((tmp_path / engine / "documents.parquet").read_bytes() for engine in ("ray", "local"))
    assert ray_bytes == local_bytes


def test_datatrove_step_cleans_documents_as_clean_batch_does(rows_file, tmp_path):
    """datatrove documents are text: its reader skips the rows with HTML alone, so the step is held to
    clean_batch (the CLI's records, above) on the rows with text, plus one it must quarantine."""
    import pyarrow.parquet as pq
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.document import Document
    from cleaner.integrations.datatrove import Clean

    table = pq.read_table(rows_file)
    rows = [row for row in table.to_pylist() if row["text"]] + [{**table.to_pylist()[0], "text": "\x00\x01 " * 50}]
    source = tmp_path / "in" / "text.parquet"
    source.parent.mkdir()
    pq.write_table(table.from_pylist(rows, schema=table.schema), source)
    LocalPipelineExecutor(pipeline=[
        ParquetReader(str(tmp_path / "in")),
        Clean(exclusion_writer=JsonlWriter(str(tmp_path / "quarantined"), compression=None)),
        JsonlWriter(str(tmp_path / "cleaned"), compression=None),
    ], tasks=1, logging_dir=str(tmp_path / "logs")).run()
    documents = read_jsonl(next((tmp_path / "cleaned").glob("*.jsonl")))
    # datatrove's readers add the file's path to each document's metadata: it is kept as a row field
    columns = {name: [row[name] for row in rows] for name in rows[0]} | {"file_path": [str(source)] * len(rows)}
    cleaned = clean_batch(columns, source="datatrove/0")
    expected, refused = _split([{name: cleaned[name][i] for name in cleaned} for i in range(len(rows))])
    assert len(documents) == len(rows) - 1 == len(expected) > 5
    assert [doc["text"] for doc in documents] == [record["text"] for record in expected]
    assert [doc["metadata"]["cleaner"] for doc in documents] == [
        {name: value for name, value in record.items() if name != "text"} for record in expected]
    for doc in documents:  # the record rides along: its text re-derives from raw and the removals
        assert Document.from_dict({**doc["metadata"]["cleaner"], "text": doc["text"]}).text == doc["text"]
    dropped = read_jsonl(next((tmp_path / "quarantined").glob("*.jsonl")))
    assert [doc["metadata"]["filter_reason"] for doc in dropped] == [entry["reason"] for entry in refused] == [
        "empty"]


def test_clean_batch_reads_named_columns_of_numpy_arrays_as_ray_passes_them():
    import numpy as np

    story = "The harbour reopened on Friday after a week of storms.\n\nSubscribe to our newsletter for the latest news"
    cleaned = clean_batch({"body": np.array([story, "  "]), "n": np.array([4, 5])}, text_field="body",
                          source="feed.jsonl", config=Config({"noise": {"corpus_context": False}}))
    assert list(cleaned) == list(BATCH_COLUMNS)
    metadata = orjson.loads(cleaned["metadata"][0])
    assert (metadata["input_field"], metadata["input_fields"], metadata["format"]) == ("body", {"n": 4}, "jsonl")
    assert cleaned["source"][0] == "feed.jsonl:1" and "newsletter" not in cleaned["text"][0]
    assert orjson.loads(cleaned["quarantine"][1])["reason"] == "empty" and cleaned["text"][1] is None
