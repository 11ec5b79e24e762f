"""Every kind of input reaches a record or a quarantine entry with a reason; the counts add up."""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from pathlib import Path

import orjson
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.io.readers import Quarantined, RawInput, read_inputs
from cleaner.io.warc import ByteStream
from tests.conftest import read_jsonl, run_cli

ARTICLE = (
    "<!doctype html><html><head><title>River towns brace for spring floods</title>"
    '<meta name="author" content="Maria Lopez">'
    '<meta property="article:published_time" content="2024-04-02T08:00:00Z">'
    "</head><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article>"
    "<h1>River towns brace for spring floods</h1>"
    "<p>Residents of three river towns filled sandbags on Tuesday as forecasters warned that melting snow "
    "and heavy rain could push the water above last year's record level by the weekend.</p>"
    "<p>The regional authority opened two emergency shelters and asked families living near the banks to "
    "prepare to leave their homes at short notice, while engineers inspected the old levees.</p>"
    "<p>Farmers said the timing could hardly be worse, with spring planting due to begin next week and "
    "many fields still waterlogged from the storms of the previous month.</p>"
    "</article><footer>Copyright 2024 Example News</footer></body></html>"
)


def test_html_page_goes_through_extraction_with_title_author_date(tmp_path):
    page = tmp_path / "floods.html"
    page.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("clean", str(page), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode()
    [record] = read_jsonl(tmp_path / "out" / "documents.jsonl")
    meta = record["metadata"]
    assert meta["title"] == "River towns brace for spring floods"
    assert meta["author"] == "Maria Lopez"
    assert meta["date"].startswith("2024-04-02")
    assert record["created"].startswith("2024-04-02")
    # the chooser may keep any candidate with the article's words (here trafilatura and resiliparse agree);
    # the page metadata still comes from trafilatura, the first candidate that finds it
    assert meta["tool"]["extractor"]["name"] == meta["tool"]["extraction"]["chosen"]
    assert meta["tool"]["extraction"]["chosen"] in meta["tool"]["extraction"]["candidates"]
    assert "sandbags" in record["text"] and "Home | News" not in record["text"]


def _warc(path: Path) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body, ctype in [
            ("https://news.example.org/floods", ARTICLE.encode(), "text/html; charset=utf-8"),
            ("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2024-04-03T10:00:00Z"})
            writer.write_record(record)


def test_warc_response_records_become_documents_with_warc_provenance(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive)
    result = run_cli("clean", str(archive), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode()
    [record] = read_jsonl(tmp_path / "out" / "documents.jsonl")
    [refused] = read_jsonl(tmp_path / "out" / "quarantine.jsonl")
    assert record["added"] == "2024-04-03T10:00:00Z"
    assert record["metadata"]["added_from"] == "warc_date"
    assert record["metadata"]["url"] == "https://news.example.org/floods"
    assert record["metadata"]["domain"] == "news.example.org"
    assert record["metadata"]["warc_record_id"].startswith("<urn:uuid:")
    assert record["metadata"]["author"] == "Maria Lopez"
    assert refused["reason"] == "unsupported_content_type"


def _hostile_corpus(root: Path) -> int:
    """Write one of each hostile input; return how many inputs (files or JSONL lines) there are."""
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (root / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me: a pr\xe9cis of the d\xe9bat, na\xefve but honest.\n"
                                       .encode("latin-1"))
    with open(root / "huge.txt", "wb") as fh:
        line = b"All work and no play makes a very long and very dull text file indeed.\n"
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    whole = gzip.compress(b"".join(json.dumps({"text": f"Line {i} of a compressed corpus that is fine."})
                                   .encode() + b"\n" for i in range(200)))
    (root / "truncated.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (root / "malformed.html").write_text("<html><body><p>Unclosed <b>tags <div>and <p>a short article that "
                                         "ends abruptly<table><tr><td>cell", encoding="utf-8")
    (root / "lines.jsonl").write_text(
        '{"id": "a", "text": "A perfectly good first record about the weather."}\n'
        '{"id": "b", "text": "broken record\n'
        '{"id": "c", "html": "<html><body><p>A second good record, given as HTML.</p></body></html>"}\n'
        '[1, 2, 3]\n', encoding="utf-8")
    return 6 + 4  # six plain files, and four lines in lines.jsonl; the truncated gzip is counted below


def test_hostile_inputs_never_crash_and_the_counts_add_up(tmp_path):
    _hostile_corpus(tmp_path / "hostile")
    out = tmp_path / "out"
    result = run_cli("clean", str(tmp_path / "hostile"), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    documents = read_jsonl(out / "documents.jsonl")
    quarantined = read_jsonl(out / "quarantine.jsonl")
    run = orjson.loads((out / "run.json").read_bytes())
    reasons = {Path(q["source"]).name.split(":")[0]: q["reason"] for q in quarantined}
    assert reasons["empty.txt"] == "empty"
    assert reasons["binary.txt"] == "binary"
    assert reasons["huge.txt"] == "oversized"
    assert reasons["truncated.jsonl.gz"] == "corrupt_gzip"
    assert sorted(q["reason"] for q in quarantined if "lines.jsonl" in q["source"]) == ["invalid_json"] * 2
    sources = {Path(d["source"]).name.split(":")[0] for d in documents}
    assert {"latin1.txt", "malformed.html", "lines.jsonl", "truncated.jsonl.gz"} <= sources
    assert any("Café crème" in d["text"] for d in documents)
    assert all(q["reason"] and q["detail"] for q in quarantined)
    counts = run["counts"]
    assert counts["documents"] == len(documents) and counts["quarantined"] == len(quarantined)
    assert counts["inputs"] == counts["documents"] + counts["quarantined"]
    truncated_records = sum(1 for d in documents if "truncated.jsonl.gz" in d["source"])
    assert 0 < truncated_records < 200
    assert counts["inputs"] == 6 + 4 + truncated_records


def test_stdin_to_stdout_cleans_one_document():
    result = run_cli("clean", "-", "--out", "-", input=b"Snow closed the mountain pass for a third day.\n")
    assert result.returncode == 0, result.stderr.decode()
    [record] = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert record["text"] == "Snow closed the mountain pass for a third day.\n"
    assert record["source"] == "-"


def test_only_quarantined_input_exits_with_code_3():
    result = run_cli("clean", "-", "--out", "-", input=b"\x89PNG\r\n\x1a\n\0\0\0")
    assert result.returncode == 3
    assert b"binary" in result.stderr


def test_unknown_config_key_is_a_usage_error(tmp_path):
    config = tmp_path / "cleaner.toml"
    config.write_text("[noise]\nmin_scor = 0.7\n")
    result = run_cli("clean", "-", "--out", "-", "--config", str(config), input=b"text\n")
    assert result.returncode == 2
    assert b"min_scor" in result.stderr


# --- the readers in-process: every byte of a damaged WARC accounted for, JSONL fields and bounds -----------

def _read(path: Path, max_bytes: int = 10**7) -> tuple[list[RawInput], list[Quarantined]]:
    items = list(read_inputs([str(path)], max_bytes))
    return [i for i in items if isinstance(i, RawInput)], [i for i in items if isinstance(i, Quarantined)]


def _five_records(gzipped: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for i in range(5):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = f"<html><body><p>Story {i}: the ferries stayed in port until the wind dropped.</p></body></html>"
        writer.write_record(writer.create_warc_record(f"https://news.example.org/{i}", "response",
                                                      payload=io.BytesIO(body.encode()), http_headers=headers))
    return buffer.getvalue()


def test_a_warc_cut_anywhere_keeps_every_whole_record_and_reports_the_cut_one(tmp_path):
    data = _five_records(gzipped=False)
    starts = [m.start() for m in re.finditer(rb"WARC/1\.\d\r\n", data)]
    ends = [start - 4 for start in starts[1:]] + [len(data) - 4]  # where each block ends, before its \r\n\r\n
    path = tmp_path / "cut.warc"
    for cut in range(1, len(data)):
        path.write_bytes(data[:cut])
        documents, refused = _read(path)
        assert len(documents) == sum(end <= cut for end in ends), cut
        inside = any(start < cut < end for start, end in zip(starts, ends, strict=True))
        assert [q.reason for q in refused] == (["corrupt_warc"] if inside else []), (cut, refused)
        assert all("truncated" in q.detail for q in refused), (cut, refused)


def test_a_warc_gz_cut_anywhere_keeps_every_whole_member_and_reports_the_cut_one(tmp_path):
    data = _five_records(gzipped=True)
    ends, start = [], 0
    while start < len(data):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data[start:])
        start = len(data) - len(decompressor.unused_data)
        ends.append(start)
    path = tmp_path / "cut.warc.gz"
    for cut in range(2, len(data)):  # one byte is not yet recognisably gzip: "no WARC record here"
        path.write_bytes(data[:cut])
        documents, refused = _read(path)
        assert len(documents) == sum(end <= cut for end in ends), cut
        assert [q.reason for q in refused] == ([] if cut in ends else ["corrupt_warc"]), (cut, refused)
        assert all("truncated" in q.detail for q in refused), (cut, refused)


def test_damaged_stretches_have_keys_of_their_own(tmp_path):
    data = _five_records(gzipped=False)
    starts = [m.start() for m in re.finditer(rb"WARC/1\.\d\r\n", data)]
    junk = b"junk\r\n\r\n"
    path = tmp_path / "junk.warc"
    path.write_bytes(data[: starts[1]] + junk + data[starts[1]: starts[3]] + junk + data[starts[3]:])
    documents, refused = _read(path)
    keys = [item.key for item in documents + refused]
    assert len(documents) == 5 and len(refused) == 2 and len(set(keys)) == len(keys)
    assert [q.key for q in refused] == [f"{path}@{starts[1]}", f"{path}@{starts[3] + len(junk)}"]


def test_a_byte_stream_reads_lines_with_a_bound_and_finds_across_chunks():
    data = b"WARC/1.0\r\n" + b"x" * 100 + b"\nWARC/1.1\r\nend"
    chunks_from = lambda offset: (data[i: i + 7] for i in range(offset, len(data), 7))  # noqa: E731
    stream = ByteStream(chunks_from)
    assert stream.readline(64) == b"WARC/1.0\r\n"
    assert stream.readline(16) == b"x" * 16 and stream.pos == 26
    assert stream.find(b"\nWARC/1.") == 110 and stream.read(4) == b"\nWAR"
    stream.seek(3)  # back: the source starts again
    assert stream.read(5) == b"C/1.0" and stream.skip(10**6) == len(data) - 8 and stream.at_end()


@pytest.mark.parametrize(("record", "field", "kind"), [
    ({"html": "<p>x</p>", "text": "y"}, "html", "html"),
    ({"html": "  ", "text": "y"}, "text", "auto"),
    ({"text": 5, "content": "y"}, "content", "auto"),
    ({"content": "y", "url": 3, "id": 7}, "content", "auto"),
])
def test_a_jsonl_record_takes_its_content_from_html_text_or_content(tmp_path, record, field, kind):
    path = tmp_path / "one.jsonl"
    path.write_bytes(orjson.dumps(record) + b"\n")
    [document], [] = _read(path)
    assert (document.content, document.kind, document.extra["input_field"]) == (record[field], kind, field)
    assert document.url is None and document.id_hint == (str(record["id"]) if "id" in record else None)


def test_a_jsonl_record_without_a_content_field_is_missing_text(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_bytes(b'{"title": "no body", "text": null}\n')
    [], [refused] = _read(path)
    assert refused.reason == "missing_text" and "'html', 'text' or 'content'" in refused.detail


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_a_jsonl_line_over_max_bytes_is_oversized_and_the_next_lines_keep_their_numbers(tmp_path, suffix):
    fits = orjson.dumps({"text": "a" * 89})  # 100 bytes: exactly max_bytes, without its newline
    lines = [fits, orjson.dumps({"text": "b" * 5000}), fits, b"", fits]
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / f"lines{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    documents, [refused] = _read(path, max_bytes=100)
    assert [d.key.rsplit(":", 1)[1] for d in documents] == ["1", "3", "5"]
    assert (refused.key.rsplit(":", 1)[1], refused.reason) == ("2", "oversized")
    assert refused.detail == "a line of 5011 bytes > input.max_bytes=100"
