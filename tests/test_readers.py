"""Every kind of input reaches a record or a quarantine entry with a reason; the counts add up."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import orjson
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

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
    assert meta["tool"]["extractor"]["name"] == "trafilatura"
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
