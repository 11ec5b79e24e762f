"""WET, Parquet and field mapping in; Parquet out: provenance kept, every bad row quarantined, the same
records as JSONL, resumable and byte-identical across --jobs, and read back by dedup, audit and datasets."""

from __future__ import annotations

import io
from pathlib import Path

import jsonschema
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.parquet_stream import write_parquet_inputs
from cleaner.cli import main
from cleaner.config import Config
from cleaner.document import record_schema
from cleaner.io.fields import DEFAULT_FIELDS, FieldMap
from cleaner.io.outputs import read_output_lines
from cleaner.io.readers import Quarantined, RawInput, read_inputs
from cleaner.runner import clean_corpus
from tests.conftest import disk_full_after, read_jsonl, run_cli

ROWS_IN = 36  # rows of the Parquet input, every 12th without content

STORY = ("Residents of three river towns filled sandbags on Tuesday as forecasters warned that melting snow and "
         "heavy rain could push the water above last year's record level.\n\nSubscribe to our newsletter for the "
         "latest news\n\nThe regional authority opened two emergency shelters near the old levees.\n")


def _wet(path: Path) -> str:
    """A WET file as Common Crawl writes one: a warcinfo record, then conversion records (and a response, which
    a WET never holds but a WARC may, to show both kinds are read); returns the response's record id."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test", "format": "WET"}))
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        response = writer.create_warc_record("https://news.example.org/b", "response", http_headers=http,
                                             payload=io.BytesIO(f"<html><body><p>{STORY}</p></body></html>".encode()),
                                             warc_headers_dict={"WARC-Date": "2024-04-03T09:00:00Z"})
        writer.write_record(response)
        conversions = [("https://news.example.org/a", STORY), ("https://news.example.org/c", "")]
        for number, (url, text) in enumerate(conversions):
            writer.write_record(writer.create_warc_record(
                url, "conversion", payload=io.BytesIO(text.encode()),
                warc_headers_dict={"WARC-Date": f"2024-04-03T10:0{number}:00Z", "Content-Type": "text/plain",
                                   "WARC-Refers-To": f"<urn:uuid:00000000-0000-0000-0000-00000000000{number}>"}))
    return response.rec_headers.get_header("WARC-Record-ID")


def test_a_wet_file_cleans_with_provenance_from_the_warc_headers(tmp_path):
    wet = tmp_path / "CC-MAIN-x.warc.wet.gz"
    _wet(wet)
    result = run_cli("clean", str(wet), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode()
    records = read_jsonl(tmp_path / "out" / "documents.jsonl")
    [converted] = [record for record in records if "warc_refers_to" in record["metadata"]]
    meta = converted["metadata"]
    assert (meta["url"], converted["added"], meta["added_from"]) == (
        "https://news.example.org/a", "2024-04-03T10:00:00Z", "warc_date")
    assert meta["warc_refers_to"] == "<urn:uuid:00000000-0000-0000-0000-000000000000>"
    assert (meta["content_type"], meta["content_type_from"], meta["domain"]) == (
        "text", "content_type", "news.example.org")
    assert "sandbags" in converted["text"] and "Subscribe to our newsletter" not in converted["text"]
    jsonschema.validate(converted, record_schema())
    assert len(records) == 2  # the response record too; the empty conversion record is quarantined
    [empty] = read_jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert empty["reason"] == "empty" and empty["key"].endswith("#3")


def _read(path: Path, fields: FieldMap = DEFAULT_FIELDS, max_bytes: int = 1_000_000) -> tuple[list, list]:
    items = list(read_inputs([str(path)], max_bytes, fields=fields))
    return [i for i in items if isinstance(i, RawInput)], [i for i in items if isinstance(i, Quarantined)]


ROWS = [
    {"body": STORY, "doc": 7, "link": "https://a.example/1", "crawled": "2024-01-02T03:04:05Z", "dump": "CC-2024",
     "score": 0.93, "tags": ["x"]},
    {"body": None, "doc": 8, "link": "https://a.example/2", "crawled": None, "dump": "CC-2024", "score": 0.5,
     "tags": []},
]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_field_mapping_reads_named_fields_and_carries_the_other_scalars(tmp_path, suffix):
    path = tmp_path / f"rows{suffix}"
    if suffix == ".jsonl":
        path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in ROWS))
    else:
        pq.write_table(pa.Table.from_pylist(ROWS), path)
    [document], [refused] = _read(path, FieldMap(text=("body",), id="doc", url="link", date="crawled"))
    assert (document.key, document.content, document.url, document.id_hint, document.added) == (
        f"{path}:1", STORY, "https://a.example/1", "7", "2024-01-02T03:04:05Z")
    assert document.extra == {"input_field": "body", "input_fields": {"dump": "CC-2024", "score": 0.93}}
    assert (refused.key, refused.reason) == (f"{path}:2", "missing_text") and "'body'" in refused.detail
    # the defaults read neither row: no html, text or content field
    assert [q.reason for q in _read(path)[1]] == ["missing_text", "missing_text"]


def test_a_parquet_timestamp_is_an_iso_date_and_binary_content_is_decoded(tmp_path):
    path = tmp_path / "typed.parquet"
    table = pa.table({"text": pa.array([STORY.encode("cp1252")], pa.binary()),
                      "added": pa.array([1_700_000_000_000_000], pa.timestamp("us", tz="UTC"))})
    pq.write_table(table, path)
    [document], [] = _read(path)
    assert document.added == "2023-11-14T22:13:20Z" and document.content == STORY.encode("cp1252")


def test_bad_parquet_input_is_quarantined_row_by_row_never_a_crash(tmp_path):
    notparquet = tmp_path / "fake.parquet"
    notparquet.write_bytes(b"PAR1 this is not a parquet file")
    assert [(q.reason, q.key) for q in _read(notparquet)[1]] == [("corrupt_parquet", str(notparquet))]

    big = tmp_path / "big.parquet"
    pq.write_table(pa.table({"text": ["short enough", "x" * 5000, "   "]}), big)
    documents, refused = _read(big, max_bytes=1000)
    assert [d.key for d in documents] == [f"{big}:1", f"{big}:3"]  # a blank text is read: cleaning refuses it
    assert [(q.key, q.reason) for q in refused] == [(f"{big}:2", "oversized")]

    # a row group whose data does not decode (its page header overwritten) costs its rows, not the file
    damaged = tmp_path / "damaged.parquet"
    pq.write_table(pa.table({"text": [f"row {i} " + "words " * 50 for i in range(30)]}), damaged, row_group_size=10)
    data = bytearray(damaged.read_bytes())
    start = pq.ParquetFile(damaged).metadata.row_group(1).column(0).data_page_offset
    data[start:start + 12] = b"\xff" * 12
    damaged.write_bytes(bytes(data))
    documents, refused = _read(damaged)
    assert [d.key for d in documents] == [f"{damaged}:{n}" for n in [*range(1, 11), *range(21, 31)]]
    assert [(q.key, q.reason) for q in refused] == [(f"{damaged}:11", "corrupt_parquet")]
    assert "row group 1 (rows 11-20)" in refused[0].detail


@pytest.fixture(scope="module")
def parquet_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet_inputs(tmp_path_factory.mktemp("in") / "x.parquet", ROWS_IN, seed=3, missing_every=12)


@pytest.fixture(scope="module")
def cleaned(parquet_input: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Parquet input cleaned once into `jsonl/` and once into `parquet/` (--format parquet)."""
    root = tmp_path_factory.mktemp("cleaned")
    for form in ("jsonl", "parquet"):
        clean_corpus([str(parquet_input)], root / form, Config({"output": {"format": form}}))
    return root


def test_parquet_out_round_trips_through_dedup_and_audit(parquet_input, tmp_path):
    out, deduped, report = tmp_path / "out", tmp_path / "dedup", tmp_path / "report"
    cleaned = run_cli("clean", str(parquet_input), "--out", str(out), "--format", "parquet", "--compress", "zst")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert sorted(p.name for p in out.iterdir()) == ["documents.parquet", "quarantine.jsonl.zst", "run.json"]
    assert pq.read_schema(out / "documents.parquet").names == ["id", "text", "source", "added", "created", "raw",
                                                                "metadata", "attributes"]
    records = [orjson.loads(line) for line in read_output_lines(out / "documents.parquet")]
    assert len(records) == ROWS_IN - 3 and records[0]["metadata"]["input_fields"] == {"dump": "CC-MAIN-2024-22"}
    for record in records:  # the published schema holds the new formats' records too
        jsonschema.validate(record, record_schema())
    for step in (("dedup", str(out / "documents.parquet"), "--out", str(deduped)),
                 ("audit", str(out), "--report", str(report))):
        done = run_cli(*step)
        assert done.returncode == 0, done.stderr.decode()
    summary = orjson.loads((report / "summary.json").read_bytes())
    # the quarantine beside documents.parquet is read too, compressed as --compress said
    assert (summary["totals"]["documents"], summary["quarantine"]["by_reason"]) == (ROWS_IN - 3, {"missing_text": 3})
    kept, dropped = pq.read_table(deduped / "documents.parquet"), pq.read_table(deduped / "duplicates.parquet")
    assert dropped.num_rows > 0 and kept.num_rows + dropped.num_rows == len(records)
    assert summary["invalid_records"]["count"] == 0
    explained = CliRunner().invoke(main, ["explain", str(out / "documents.parquet"), "--id", records[0]["id"],
                                          "--no-color"])
    assert explained.exit_code == 0 and records[0]["id"] in explained.output


def test_parquet_out_holds_the_jsonl_records_and_is_the_same_bytes_for_any_jobs_and_after_a_resume(
        parquet_input, cleaned, tmp_path, monkeypatch):
    jsonl, one, two, resumed = cleaned / "jsonl", cleaned / "parquet", tmp_path / "two", tmp_path / "resumed"
    parquet = Config({"output": {"format": "parquet"}})
    clean_corpus([str(parquet_input)], two, parquet, jobs=2)
    assert read_output_lines(one / "documents.parquet") == read_output_lines(jsonl / "documents.jsonl")
    assert (one / "documents.parquet").read_bytes() == (two / "documents.parquet").read_bytes()

    with disk_full_after(12, monkeypatch):
        with pytest.raises(RuntimeError, match="disk full"):
            clean_corpus([str(parquet_input)], resumed, parquet)
    assert not (resumed / "documents.parquet").exists()  # nothing final before the run completes
    with pytest.raises(Exception, match="output"):  # a resume in the other format is refused
        clean_corpus([str(parquet_input)], resumed, Config(), resume=True)
    info = clean_corpus([str(parquet_input)], resumed, parquet, resume=True)
    assert info["counts"]["resumed"] > 0
    assert (resumed / "documents.parquet").read_bytes() == (one / "documents.parquet").read_bytes()


def test_parquet_with_a_raw_sidecar_is_a_configuration_error():
    with pytest.raises(ValueError, match="sidecar"):
        Config({"output": {"format": "parquet", "raw": "sidecar"}})


def test_datasets_loads_our_parquet_and_jsonl_outputs(cleaned, tmp_path):
    from datasets import load_dataset

    expected = [orjson.loads(line) for line in read_output_lines(cleaned / "jsonl" / "documents.jsonl")]
    from_parquet = load_dataset("parquet", data_files=str(cleaned / "parquet" / "documents.parquet"),
                                split="train", cache_dir=str(tmp_path / "hf"))
    assert from_parquet.column_names == ["id", "text", "source", "added", "created", "raw", "metadata", "attributes"]
    assert [row["id"] for row in from_parquet] == [record["id"] for record in expected]
    assert [orjson.loads(row["metadata"]) for row in from_parquet] == [record["metadata"] for record in expected]
    from_json = load_dataset("json", data_files=str(cleaned / "jsonl" / "documents.jsonl"), split="train",
                             cache_dir=str(tmp_path / "hf"))
    assert [(row["id"], row["text"], row["raw"]) for row in from_json] == [
        (record["id"], record["text"], record["raw"]) for record in expected]


def test_a_mapping_without_any_content_field_is_a_configuration_error():
    with pytest.raises(ValueError, match="at least one field"):
        Config({"input": {"fields": {"html": [], "text": []}}})


def test_audit_counts_a_parquet_row_with_bad_metadata_as_invalid_not_a_crash(tmp_path):
    from cleaner.io.record_table import SCHEMA

    row = {"id": "a" * 32, "text": "x", "source": "s", "added": None, "created": None, "raw": "x",
           "metadata": "{not json", "attributes": "{}"}
    pq.write_table(pa.Table.from_pylist([row], schema=SCHEMA), tmp_path / "made.parquet")
    done = CliRunner().invoke(main, ["audit", str(tmp_path / "made.parquet"), "--report", str(tmp_path / "r")])
    assert done.exit_code == 0, done.output
    invalid = orjson.loads((tmp_path / "r" / "summary.json").read_bytes())["invalid_records"]
    assert invalid["count"] == 1 and invalid["examples"][0]["field"] == "metadata"
