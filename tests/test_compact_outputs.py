"""Compact outputs: `--compress gz|zst` for every JSONL written, `--raw inline|sidecar|none` for the input text."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from cleaner.config import Config
from cleaner.document import Document
from cleaner.io.outputs import read_output_lines
from cleaner.io.writers import OutputDirectory
from tests.conftest import SEEDS, read_jsonl, run_cli
from tests.test_resume import _corpus

SUFFIX = {"none": "", "gz": ".gz", "zst": ".zst"}


def records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in read_output_lines(path) if line.strip()]


def clean(out: Path, *options: str, inputs: Path = SEEDS) -> Path:
    result = run_cli("clean", str(inputs), "--out", str(out), *options)
    assert result.returncode == 0, result.stderr.decode()
    return out


@pytest.mark.parametrize("raw", ["inline", "sidecar", "none"])
@pytest.mark.parametrize("compress", ["none", "gz", "zst"])
def test_every_combination_writes_the_plain_runs_records_in_its_own_form(seeds_out, tmp_path, compress, raw):
    out = clean(tmp_path / "out", "--compress", compress, "--raw", raw)
    suffix = SUFFIX[compress]
    expected = {"documents.jsonl", "quarantine.jsonl", *(["raw.jsonl"] if raw == "sidecar" else [])}
    assert sorted(p.name for p in out.iterdir()) == sorted([*(name + suffix for name in expected), "run.json"])
    plain = read_jsonl(seeds_out / "documents.jsonl")
    written = records(out / f"documents.jsonl{suffix}")
    if raw == "inline":
        assert written == plain
        return
    sidecar = records(out / f"raw.jsonl{suffix}") if raw == "sidecar" else []
    assert [entry["id"] for entry in sidecar] == ([record["id"] for record in plain] if sidecar else [])
    for record, original in zip(written, plain, strict=True):
        assert "raw" not in record
        assert record["metadata"]["raw_in"] == (f"raw.jsonl{suffix}" if raw == "sidecar" else None)
        metadata = {name: value for name, value in record["metadata"].items() if name != "raw_in"}
        assert {**record, "metadata": metadata} == {name: value for name, value in original.items() if name != "raw"}
    for record, entry in zip(written, sidecar, strict=False):
        assert Document.from_dict(record, raw=entry["raw"]).text == record["text"]
    with pytest.raises(ValueError, match="pass raw=" if sidecar else "without its input text"):
        Document.from_dict(written[0])


@pytest.mark.parametrize("compress", ["gz", "zst"])
def test_the_same_input_compresses_to_the_same_bytes(tmp_path, compress):
    first = clean(tmp_path / "first", "--compress", compress, "--raw", "sidecar")
    os.utime(first / f"documents.jsonl.{compress}", (0, 0))  # an mtime that a header could have copied
    second = clean(tmp_path / "second", "--compress", compress, "--raw", "sidecar")
    for name in ("documents.jsonl", "quarantine.jsonl", "raw.jsonl"):
        assert (first / f"{name}.{compress}").read_bytes() == (second / f"{name}.{compress}").read_bytes(), name


def test_a_gzip_output_has_no_time_or_file_name_in_its_header(tmp_path):
    data = (clean(tmp_path / "out", "--compress", "gz") / "documents.jsonl.gz").read_bytes()
    flags, mtime = data[3], int.from_bytes(data[4:8], "little")
    assert (flags & 0x08, mtime) == (0, 0)  # FNAME unset
    assert gzip.decompress(data).count(b"\n") == 5


def test_a_config_file_sets_the_output_form_and_the_command_line_overrides_it(tmp_path):
    config = tmp_path / "compact.toml"
    config.write_text('[output]\ncompress = "gz"\nraw = "sidecar"\n')
    out = clean(tmp_path / "out", "--config", str(config), "--compress", "zst")
    assert sorted(p.name for p in out.glob("*.jsonl*")) == ["documents.jsonl.zst", "quarantine.jsonl.zst",
                                                             "raw.jsonl.zst"]


def test_the_records_config_hash_does_not_depend_on_the_output_form(seeds_out, tmp_path):
    out = clean(tmp_path / "out", "--compress", "zst", "--raw", "sidecar")
    hashes = {r["metadata"]["tool"]["config_hash"] for r in records(out / "documents.jsonl.zst")}
    assert hashes == {r["metadata"]["tool"]["config_hash"] for r in read_jsonl(seeds_out / "documents.jsonl")}


def test_a_rerun_in_another_compression_leaves_only_its_own_files(tmp_path):
    out = clean(tmp_path / "out", "--compress", "gz", "--raw", "sidecar")
    clean(out, "--compress", "zst")
    assert sorted(p.name for p in out.glob("*.jsonl*")) == ["documents.jsonl.zst", "quarantine.jsonl.zst"]


def test_audit_and_explain_read_a_compressed_sidecar_output_as_the_plain_one(seeds_out, tmp_path):
    out = clean(tmp_path / "out", "--compress", "zst", "--raw", "sidecar")
    for target, report in ((seeds_out, tmp_path / "plain"), (out, tmp_path / "compact")):
        result = run_cli("audit", str(target), "--report", str(report))
        assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "compact" / "summary.json").read_bytes() == (tmp_path / "plain" / "summary.json").read_bytes()
    plain = run_cli("explain", str(seeds_out / "documents.jsonl"), "--no-color")
    compact = run_cli("explain", str(out / "documents.jsonl.zst"), "--no-color")
    assert compact.returncode == 0, compact.stderr.decode()
    assert compact.stdout == plain.stdout and b"[-" in compact.stdout


def test_audit_and_explain_refuse_records_whose_input_text_is_gone(tmp_path):
    out = clean(tmp_path / "out", "--compress", "gz", "--raw", "sidecar")
    (out / "raw.jsonl.gz").unlink()
    for result in (run_cli("audit", str(out), "--report", str(tmp_path / "r")),
                   run_cli("explain", str(out / "documents.jsonl.gz"))):
        assert result.returncode == 2 and b"raw.jsonl.gz" in result.stderr and b"Traceback" not in result.stderr
    dropped = clean(tmp_path / "dropped", "--raw", "none")
    result = run_cli("explain", str(dropped / "documents.jsonl"))
    assert result.returncode == 2 and b'output.raw = "none"' in result.stderr


def test_dedup_of_a_compressed_sidecar_output_decides_as_on_the_plain_one(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.iterdir()):  # every seed twice: five clusters of copies to find
        (corpus / seed.name).write_bytes(seed.read_bytes())
        (corpus / f"copy_{seed.name}").write_bytes(seed.read_bytes())
    plain = clean(tmp_path / "plain", inputs=corpus)
    compact = clean(tmp_path / "compact", "--compress", "zst", "--raw", "sidecar", inputs=corpus)
    for source, out in ((plain / "documents.jsonl", tmp_path / "dp"),
                        (compact / "documents.jsonl.zst", tmp_path / "dc")):
        result = run_cli("dedup", str(source), "--out", str(out), "--compress", "gz")
        assert result.returncode == 0, result.stderr.decode()
    kept = records(tmp_path / "dc" / "documents.jsonl.gz")
    dropped = records(tmp_path / "dc" / "duplicates.jsonl.gz")
    assert [r["metadata"]["dedup"] for r in kept] == [r["metadata"]["dedup"] for r in
                                                      records(tmp_path / "dp" / "documents.jsonl.gz")]
    assert len(kept) == len(dropped) == 5
    assert records(tmp_path / "dc" / "clusters.jsonl.gz") == records(tmp_path / "dp" / "clusters.jsonl.gz")
    # the sidecar moved with the records, and serves the kept documents and the duplicates alike
    assert {r["metadata"]["raw_in"] for r in kept + dropped} == {"raw.jsonl.gz"}
    explained = run_cli("explain", str(tmp_path / "dc" / "duplicates.jsonl.gz"), "--no-color")
    assert explained.returncode == 0 and explained.stdout.count(b"== ") == 5, explained.stderr.decode()


def test_run_compresses_dedup_output_and_skips_the_report_when_raw_is_dropped(tmp_path):
    result = run_cli("run", str(SEEDS), "--out", str(tmp_path / "out"), "--report", str(tmp_path / "report"),
                     "--compress", "zst", "--raw", "none")
    assert result.returncode == 0, result.stderr.decode()
    assert b"no report" in result.stderr and not (tmp_path / "report").exists()
    assert all("dedup" in r["metadata"] for r in records(tmp_path / "out" / "documents.jsonl.zst"))
    assert (tmp_path / "out" / "clusters.jsonl.zst").exists()


def test_a_killed_compressed_sidecar_run_resumes_to_the_same_bytes(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 600)
    options = ("--compress", "zst", "--raw", "sidecar")
    reference = clean(tmp_path / "reference", *options, inputs=corpus)

    out = tmp_path / "interrupted"
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "--out", str(out), *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    partial = out / "documents.jsonl.partial"
    deadline = time.monotonic() + 120
    while (not partial.exists() or partial.stat().st_size < 200_000) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "documents.jsonl.zst").exists(), "the run finished before it could be interrupted"

    clean(out, *options, "--resume", inputs=corpus)
    for name in ("documents.jsonl.zst", "quarantine.jsonl.zst", "raw.jsonl.zst"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert not list(out.glob("*.partial"))


@pytest.mark.parametrize("options", [(), ("--compress", "zst", "--raw", "sidecar")])
def test_resume_refuses_output_written_in_another_form(tmp_path, options):
    out = tmp_path / "out"
    out.mkdir()
    state = {"config_hash": Config().hash, "output": {"compress": "gz", "raw": "sidecar"}}
    (out / "resume.json").write_bytes(orjson.dumps(state))
    result = run_cli("clean", str(SEEDS), "--out", str(out), "--resume", *options)
    assert result.returncode == 1 and b"'compress': 'gz', 'raw': 'sidecar'" in result.stderr


@pytest.mark.parametrize(("args", "complaint"), [
    (("--compress", "bz2"), b"--compress"),
    (("--raw", "sidecars"), b"--raw"),
])
def test_unknown_output_forms_are_refused_on_the_command_line(tmp_path, args, complaint):
    for command in ("clean", "run"):
        result = run_cli(command, str(SEEDS), "--out", str(tmp_path / "out"), *args)
        assert result.returncode == 2 and complaint in result.stderr, result.stderr.decode()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("compress", ["gz", "zst"])
def test_a_damaged_compressed_output_is_refused_without_a_traceback(tmp_path, compress):
    out = clean(tmp_path / "out", "--compress", compress)
    documents = out / f"documents.jsonl.{compress}"
    documents.write_bytes(documents.read_bytes()[:10] + b"not compressed data" * 20)
    for result in (run_cli("audit", str(out), "--report", str(tmp_path / "r")),
                   run_cli("explain", str(documents)),
                   run_cli("dedup", str(documents), "--out", str(tmp_path / "d"))):
        assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr.decode()


def test_the_stdout_stream_refuses_compact_options():
    result = run_cli("clean", "-", "--out", "-", "--compress", "gz", input=b"Some text.\n")
    assert result.returncode == 2 and b"--out -" in result.stderr


@pytest.mark.parametrize(("toml", "complaint"), [
    ('compress = "bz2"', b"'output.compress': \"bz2\" is not allowed"),
    ("compress = true", b"'output.compress': true is not allowed"),
    ("raw = 0", b"'output.raw': 0 is not allowed"),
    ('level = 3', b"unknown config key output.'level'"),
])
def test_bad_output_config_is_refused_with_the_key_at_fault(tmp_path, toml, complaint):
    config = tmp_path / "bad.toml"
    config.write_text(f"[output]\n{toml}\n")
    result = run_cli("clean", str(SEEDS), "--out", str(tmp_path / "out"), "--config", str(config))
    assert result.returncode == 2 and complaint in result.stderr, result.stderr.decode()
    assert b"Traceback" not in result.stderr


def _record(number: int) -> bytes:
    return orjson.dumps({"id": f"{number:032x}", "raw": f"input {number}", "text": f"input {number}",
                         "metadata": {"input_key": f"key{number}"}}, option=orjson.OPT_SORT_KEYS)


def test_a_resume_cuts_documents_and_sidecar_back_to_the_records_both_hold(tmp_path):
    # a kill flushes each file's buffer or not: here the documents got a record and a half more than the sidecar
    output = OutputDirectory(tmp_path, "hash", resume=False, compression="gz", raw="sidecar")
    for number in range(3):
        output.write_document(_record(number))
    output.close()
    sidecar = tmp_path / "raw.jsonl.partial"
    sidecar.write_bytes(b"".join(sidecar.read_bytes().splitlines(keepends=True)[:2]))
    with open(tmp_path / "documents.jsonl.partial", "ab") as fh:
        fh.write(_record(3)[:20])

    resumed = OutputDirectory(tmp_path, "hash", resume=True, compression="gz", raw="sidecar")
    assert resumed.done == {"key0", "key1"}
    for number in (2, 3):
        resumed.write_document(_record(number))
    resumed.finish({})
    assert [r["id"] for r in records(tmp_path / "documents.jsonl.gz")] == [f"{n:032x}" for n in range(4)]
    assert [r["raw"] for r in records(tmp_path / "raw.jsonl.gz")] == [f"input {n}" for n in range(4)]
