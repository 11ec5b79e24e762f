"""Damaged WARCs, unbounded inputs and HTML in a JSONL text field, through the real CLI.

Each test builds the hostile input and checks what every hostile run must give: an exit code of 0 or 3
(2 is a usage error), no traceback, `inputs = documents + quarantined` with a reason and a detail for each
quarantined input, and no file written outside --out. The memory tests read the peak RSS of the CLI
process itself (os.wait4) and hold it to README's bound: 2 x input.max_bytes + 16 MB over an ordinary run.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import resource
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import ROOT, read_jsonl

HANG = 120  # seconds
MB = 1 << 20
RSS_FACTOR, RSS_SLACK = 2, 16 * MB  # README: peak RSS <= an ordinary run + 2 x input.max_bytes + 16 MB
RECORDS = 5
# runs start in a scratch folder (a stray write would land there), still on this checkout's code
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


@dataclass
class Run:
    returncode: int
    stderr: str
    counts: dict
    documents: list[dict]
    quarantined: list[dict]

    def reasons(self) -> list[str]:
        return [entry["reason"] for entry in self.quarantined]


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def clean(tmp_path: Path, *inputs: str, config: str | None = None, stdin: object = None) -> Run:
    """`cleaner clean INPUTS --out tmp_path/out`, checked as every hostile run is."""
    out = tmp_path / "out"
    args = [*inputs, "--out", str(out)]
    if config is not None:
        (tmp_path / "cleaner.toml").write_text(config)
        args += ["--config", str(tmp_path / "cleaner.toml")]
    before = files_under(tmp_path)
    result = subprocess.run([sys.executable, "-m", "cleaner", "clean", *args], stdin=stdin, capture_output=True,
                            cwd=tmp_path, env=ENV, timeout=HANG)
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode in (0, 2, 3), stderr
    assert "Traceback" not in stderr, stderr
    assert all(out in path.parents for path in files_under(tmp_path) - before - {tmp_path / "cleaner.toml"})
    counts = orjson.loads((out / "run.json").read_bytes())["counts"]
    documents, quarantined = read_jsonl(out / "documents.jsonl"), read_jsonl(out / "quarantine.jsonl")
    assert counts["inputs"] == counts["documents"] + counts["quarantined"], counts
    assert (len(documents), len(quarantined)) == (counts["documents"], counts["quarantined"])
    assert all(entry["reason"] and entry["detail"] for entry in quarantined), quarantined
    return Run(result.returncode, stderr, counts, documents, quarantined)


# --- WARC -------------------------------------------------------------------------------------------------

def page(i: int) -> bytes:
    paragraphs = "".join(f"<p>Paragraph {j} of story {i}: rain fell on the harbour all night, and the ferries"
                         " stayed in port until the wind dropped.</p>" for j in range(4))
    return (f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>{paragraphs}"
            "</article></body></html>").encode()


def warc_bytes(gzipped: bool, records: int = RECORDS) -> bytes:
    """A WARC of `records` HTML responses, one gzip member per record when gzipped."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for i in range(records):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://news.example.org/{i}", "response", payload=io.BytesIO(page(i)), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-04-03T10:00:00Z"}))
    return buffer.getvalue()


def record_starts(data: bytes) -> list[int]:
    return [match.start() for match in re.finditer(rb"WARC/1\.\d\r\n", data)]


def gzip_members(data: bytes) -> list[bytes]:
    members, start = [], 0
    while start < len(data):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data[start:])
        end = len(data) - len(decompressor.unused_data)
        members.append(data[start:end])
        start = end
    return members


def with_content_length(record: bytes, delta: int) -> bytes:
    """`record` (one uncompressed WARC record) with its Content-Length off by `delta`."""
    match = re.search(rb"Content-Length: (\d+)\r\n", record)
    assert match
    return record[: match.start(1)] + str(int(match.group(1)) + delta).encode() + record[match.end(1):]


def stories(run: Run) -> list[int]:
    return sorted(int(re.search(r"Story (\d)", d["text"]).group(1)) for d in run.documents)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    (tmp_path / "in").mkdir(parents=True, exist_ok=True)
    (tmp_path / "in" / name).write_bytes(data)
    return str(tmp_path / "in" / name)


@pytest.mark.parametrize("where", ["block", "header"])
def test_a_truncated_warc_keeps_the_whole_records_and_quarantines_the_cut_one(tmp_path, where):
    data = warc_bytes(gzipped=False)
    third = record_starts(data)[2]
    cut = third + 20 if where == "header" else third + (record_starts(data)[3] - third) // 2
    run = clean(tmp_path, write(tmp_path, "cut.warc", data[:cut]))
    assert stories(run) == [0, 1]
    [entry] = run.quarantined
    assert entry["reason"] == "corrupt_warc" and "truncated" in entry["detail"]
    assert entry["detail"].startswith(f"record 3 at offset {third}:"), entry["detail"]


def test_a_truncated_warc_gz_keeps_the_whole_members_and_quarantines_the_cut_one(tmp_path):
    members = gzip_members(warc_bytes(gzipped=True))
    assert len(members) == RECORDS
    cut = b"".join(members[:2]) + members[2][: len(members[2]) // 2]
    run = clean(tmp_path, write(tmp_path, "cut.warc.gz", cut))
    assert stories(run) == [0, 1]
    [entry] = run.quarantined
    assert entry["reason"] == "corrupt_warc"
    assert entry["detail"] == (f"record 3 in the gzip member at offset {len(members[0]) + len(members[1])}:"
                               " truncated: the file ends inside this gzip member")


def test_a_warc_gzipped_as_one_stream_and_truncated_keeps_what_decompressed(tmp_path):
    whole = gzip.compress(warc_bytes(gzipped=False))
    assert len(gzip_members(whole)) == 1
    run = clean(tmp_path, write(tmp_path, "stream.warc.gz", whole[: len(whole) * 3 // 4]))
    assert 0 < len(run.documents) < RECORDS and run.reasons() == ["corrupt_warc"]
    assert "truncated" in run.quarantined[0]["detail"]
    assert clean(tmp_path / "whole", write(tmp_path / "whole", "stream.warc.gz", whole)).counts["documents"] == RECORDS


@pytest.mark.parametrize("delta", [+300, -300, +2000])
def test_a_wrong_content_length_costs_its_record_only(tmp_path, delta):
    data = warc_bytes(gzipped=False)
    starts = [*record_starts(data), len(data)]
    second = data[starts[1]: starts[2]]
    broken = data[: starts[1]] + with_content_length(second, delta) + data[starts[2]:]
    run = clean(tmp_path, write(tmp_path, "length.warc", broken))
    assert stories(run) == [0, 2, 3, 4]
    [entry] = run.quarantined
    assert entry["reason"] == "corrupt_warc" and "bad Content-Length" in entry["detail"]
    assert entry["detail"].startswith(f"record 2 at offset {starts[1]}:") and "resynchronised" in entry["detail"]
    assert "WARNING" not in run.stderr  # warcio's complaint about the length is not printed any more


@pytest.mark.parametrize("delta", [+300, -300])
def test_a_wrong_content_length_inside_a_gzip_member_costs_that_member_only(tmp_path, delta):
    members = gzip_members(warc_bytes(gzipped=True))
    members[1] = gzip.compress(with_content_length(gzip.decompress(members[1]), delta))
    run = clean(tmp_path, write(tmp_path, "length.warc.gz", b"".join(members)))
    assert stories(run) == [0, 2, 3, 4]
    [entry] = run.quarantined
    assert entry["reason"] == "corrupt_warc" and "bad Content-Length" in entry["detail"]
    assert entry["detail"].startswith(f"record 2 in the gzip member at offset {len(members[0])}:")


def test_a_corrupt_gzip_member_is_skipped_to_the_next_member(tmp_path):
    members = gzip_members(warc_bytes(gzipped=True))
    damaged = bytearray(members[2])
    damaged[30:60] = bytes(byte ^ 0x55 for byte in damaged[30:60])
    members[2] = bytes(damaged)
    run = clean(tmp_path, write(tmp_path, "flipped.warc.gz", b"".join(members)))
    assert stories(run) == [0, 1, 3, 4]
    [entry] = run.quarantined
    assert "corrupt gzip data" in entry["detail"]
    assert entry["detail"].endswith(f"skipped to the next gzip member, at offset {sum(map(len, members[:3]))}")


@pytest.mark.parametrize("damage", ["junk", "no_length", "negative_length", "huge_header"])
def test_a_damaged_record_header_is_quarantined_and_reading_goes_on(tmp_path, damage):
    data = warc_bytes(gzipped=False)
    starts = [*record_starts(data), len(data)]
    second = data[starts[1]: starts[2]]
    second = {
        "junk": b"this is not a WARC record at all\r\n\r\n",
        "no_length": re.sub(rb"Content-Length: \d+\r\n", b"", second),
        "negative_length": re.sub(rb"Content-Length: \d+", b"Content-Length: -5", second),
        "huge_header": second.replace(b"WARC-Type:", b"X-Padding: " + b"x" * 200_000 + b"\r\nWARC-Type:"),
    }[damage]
    run = clean(tmp_path, write(tmp_path, f"{damage}.warc", data[: starts[1]] + second + data[starts[2]:]))
    assert stories(run) == [0, 2, 3, 4]
    [entry] = run.quarantined
    assert entry["reason"] == "corrupt_warc" and "resynchronised" in entry["detail"]
    where = "after record 1" if damage == "junk" else "record 2"
    assert entry["detail"].startswith(f"{where} at offset {starts[1]}:"), entry["detail"]


def test_a_file_that_is_no_warc_at_all_is_one_corrupt_warc(tmp_path):
    run = clean(tmp_path, write(tmp_path, "text.warc", b"just some text, not an archive\n" * 50))
    assert run.returncode == 3 and run.reasons() == ["corrupt_warc"]
    assert "no WARC record" in run.quarantined[0]["detail"]


# --- bounds -----------------------------------------------------------------------------------------------

def test_dev_zero_named_as_an_input_is_refused_not_read(tmp_path):
    run = clean(tmp_path, "/dev/zero")
    assert run.returncode == 3 and run.quarantined == [
        {"key": "/dev/zero", "source": "/dev/zero", "reason": "not_a_regular_file", "detail": "a character device"}]


def test_dev_zero_on_stdin_is_read_only_up_to_max_bytes(tmp_path):
    with open("/dev/zero", "rb") as zeros:
        run = clean(tmp_path, "-", config="[input]\nmax_bytes = 1000000\n", stdin=zeros)
    assert run.returncode == 3 and run.reasons() == ["oversized"]


def one_long_line(path: Path, length: int) -> None:
    """A JSONL file (gzipped by its suffix) of a good line, one line of `length` bytes, and another good line."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS | 16) if path.suffix == ".gz" else None
    with open(path, "wb") as fh:
        def put(data: bytes) -> None:
            fh.write(compressor.compress(data) if compressor else data)

        put(b'{"text": "The ferries stayed in port until the wind dropped."}\n{"text": "')
        block = b"a" * MB
        for _ in range(length // MB):
            put(block)
        put(b'"}\n{"text": "Rain fell on the harbour all night, and nobody went out."}\n')
        if compressor:
            fh.write(compressor.flush())


def wait_with_usage(child: subprocess.Popen) -> tuple[int, resource.struct_rusage]:
    """The exit status and resource usage of `child` alone (os.wait4), killing it after HANG seconds."""
    deadline = time.monotonic() + HANG
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            return status, usage
        if time.monotonic() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            pytest.fail(f"still running after {HANG} s: {child.args}")
        time.sleep(0.05)


def peak_rss(tmp_path: Path, name: str, max_bytes: int) -> tuple[int, Run]:
    """The peak RSS (bytes) of `cleaner clean tmp_path/in/name` with `max_bytes`, and the checked run."""
    config = tmp_path / "rss.toml"
    config.write_text(f"[input]\nmax_bytes = {max_bytes}\n")
    out = tmp_path / f"out-{name}"
    before = files_under(tmp_path)
    with open(tmp_path / "stderr", "wb") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(tmp_path / "in" / name), "--out",
                                  str(out), "--config", str(config)], stdout=subprocess.DEVNULL, stderr=stderr,
                                 cwd=tmp_path, env=ENV)
        status, usage = wait_with_usage(child)
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr_text = (tmp_path / "stderr").read_text(errors="replace")
    assert child.returncode in (0, 3) and "Traceback" not in stderr_text, stderr_text
    assert all(out in path.parents for path in files_under(tmp_path) - before - {tmp_path / "stderr"})
    counts = orjson.loads((out / "run.json").read_bytes())["counts"]
    assert counts["inputs"] == counts["documents"] + counts["quarantined"]
    run = Run(child.returncode, stderr_text, counts, read_jsonl(out / "documents.jsonl"),
              read_jsonl(out / "quarantine.jsonl"))
    return usage.ru_maxrss * 1024, run


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl"])
def test_a_200_mb_jsonl_line_is_oversized_in_bounded_memory(tmp_path, suffix):
    max_bytes = 4 * MB
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"small{suffix}").write_bytes(
        (gzip.compress if suffix.endswith(".gz") else bytes)(b'{"text": "A short and ordinary line."}\n'))
    one_long_line(tmp_path / "in" / f"long{suffix}", 200 * MB)
    baseline, _ = peak_rss(tmp_path, f"small{suffix}", max_bytes)
    peak, run = peak_rss(tmp_path, f"long{suffix}", max_bytes)
    assert peak <= baseline + RSS_FACTOR * max_bytes + RSS_SLACK, (peak // MB, baseline // MB)
    assert [d["source"].rsplit(":", 1)[1] for d in run.documents] == ["1", "3"]
    [entry] = run.quarantined
    assert entry["reason"] == "oversized" and entry["key"].endswith(":2")
    length = 200 * MB + len(b'{"text": ""}')
    assert entry["detail"] == f"a line of {length} bytes > input.max_bytes={max_bytes}"


def test_a_gzip_bomb_of_a_1_gb_line_is_read_past_in_bounded_memory(tmp_path):
    """The issue's case: a 1 MB .jsonl.gz expanding to one 1 GB line (it took 3.1 GB of RAM)."""
    max_bytes = 4 * MB
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "small.jsonl.gz").write_bytes(gzip.compress(b'{"text": "A short and ordinary line."}\n'))
    one_long_line(tmp_path / "in" / "bomb.jsonl.gz", 1024 * MB)
    assert (tmp_path / "in" / "bomb.jsonl.gz").stat().st_size < 8 * MB
    baseline, _ = peak_rss(tmp_path, "small.jsonl.gz", max_bytes)
    peak, run = peak_rss(tmp_path, "bomb.jsonl.gz", max_bytes)
    assert peak <= baseline + RSS_FACTOR * max_bytes + RSS_SLACK, (peak // MB, baseline // MB)
    assert run.reasons() == ["oversized"] and len(run.documents) == 2


@pytest.mark.parametrize("damage", ["huge_record", "huge_header_line"])
def test_a_200_mb_warc_record_or_header_line_is_read_past_in_bounded_memory(tmp_path, damage):
    max_bytes = 4 * MB
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "small.warc").write_bytes(warc_bytes(gzipped=False, records=1))
    good = warc_bytes(gzipped=False, records=1)
    with open(tmp_path / "in" / "big.warc", "wb") as fh:
        fh.write(good)
        if damage == "huge_record":
            block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + b"a" * (200 * MB)
            fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example.org/big\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(block))
            fh.write(block + b"\r\n\r\n")
        else:
            fh.write(b"WARC/1.0\r\nX-Endless: ")
            for _ in range(200):
                fh.write(b"a" * MB)
            fh.write(b"\r\n\r\n")
        fh.write(good)
    baseline, _ = peak_rss(tmp_path, "small.warc", max_bytes)
    peak, run = peak_rss(tmp_path, "big.warc", max_bytes)
    assert peak <= baseline + RSS_FACTOR * max_bytes + RSS_SLACK, (peak // MB, baseline // MB)
    assert len(run.documents) == 2
    assert run.reasons() == ["oversized" if damage == "huge_record" else "corrupt_warc"], run.quarantined


def test_a_gzipped_text_file_is_decompressed_only_up_to_max_bytes(tmp_path):
    bomb = gzip.compress(b"All work and no play. " * (20 * MB // 22))
    run = clean(tmp_path, write(tmp_path, "bomb.txt.gz", bomb), config="[input]\nmax_bytes = 1000000\n")
    assert run.reasons() == ["oversized"] and "decompresses to more than" in run.quarantined[0]["detail"]


# --- HTML in JSONL ----------------------------------------------------------------------------------------

def test_html_in_a_jsonl_text_field_is_detected_and_extracted(tmp_path):
    markup = page(7).decode()
    lines = [{"id": "in-text", "url": "https://news.example.org/7", "text": markup},
             {"id": "in-html", "html": markup},
             {"id": "plain", "content": "Plain text that names a <p> tag once is still plain text, about rain."}]
    run = clean(tmp_path, write(tmp_path, "pages.jsonl", b"".join(orjson.dumps(line) + b"\n" for line in lines)))
    by_id = {d["metadata"]["input_id"]: d for d in run.documents}
    assert run.quarantined == [] and set(by_id) == {"in-text", "in-html", "plain"}
    for name in ("in-text", "in-html"):
        assert by_id[name]["metadata"]["content_type"] == "html"
        assert "<p>" not in by_id[name]["text"] and "Paragraph 0 of story 7" in by_id[name]["text"]
    assert by_id["in-text"]["metadata"]["content_type_from"] == "detected"
    assert by_id["in-text"]["metadata"]["title"] == "Story 7"
    assert by_id["in-html"]["metadata"]["content_type_from"] == "field"
    assert [by_id[name]["metadata"]["input_field"] for name in ("in-text", "in-html", "plain")] == [
        "text", "html", "content"]
    assert by_id["plain"]["metadata"]["content_type"] == "text" and "<p>" in by_id["plain"]["text"]
