"""Parquet in and out (issue 17): a Parquet input streams in bounded memory and round-trips through
`cleaner clean --format parquet`, `cleaner dedup` and `cleaner audit`.

    PYTHONPATH=$PWD python3 bench/parquet_stream.py [--rows 100000 10000] [--clean-rows 2000] [--jobs 2] [--no-jsonl]

For each `--rows` size it writes a Parquet file of news-like rows (bench/raw_corpus.py's articles, with
FineWeb-like `dump` and `added` fields and one row in 500 without text), row groups of 1,000 rows, and
reads it with cleaner's reader in a fresh process (`read_inputs`, every row to a document or a
quarantine entry), reporting the peak RSS: flat across sizes means the reader streams. Then it cleans
the first `--clean-rows` rows' file end to end (clean, dedup, audit) as bench/memory.py measures a run
(`/usr/bin/time -v` and a sampler of the whole process tree's RSS), prints each step's time and peaks,
and checks that `documents.parquet` holds the same records as a JSONL run of the same input.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bench.memory import measure
from bench.raw_corpus import input_records

HERE = Path(__file__).resolve().parents[1]
ROW_GROUP_ROWS = 1000
READ_ONLY = """
import json, resource, sys
from cleaner.io.readers import read_inputs
kinds = {}
for item in read_inputs([sys.argv[1]], 20_000_000):
    kinds[type(item).__name__] = kinds.get(type(item).__name__, 0) + 1
print(json.dumps({"kinds": kinds, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def write_parquet_inputs(path: Path, rows: int, seed: int = 0, missing_every: int = 500) -> Path:
    """`rows` input rows as a Parquet file (text or html, id, url, added, dump), written a row group at a time;
    every `missing_every`-th row has no content."""
    schema = pa.schema([(name, pa.string()) for name in ("id", "url", "text", "html", "added", "dump")])
    with pq.ParquetWriter(path, schema) as writer:
        group: list[dict] = []
        for index, record in enumerate(input_records(rows, seed)):
            record.update(added=f"2024-05-{1 + index % 28:02d}T00:00:00Z", dump="CC-MAIN-2024-22")
            if index % missing_every == missing_every - 1:
                for content in ("text", "html"):  # a row without content: missing_text
                    record.pop(content, None)
            group.append(record)
            if len(group) == ROW_GROUP_ROWS:
                writer.write_table(pa.Table.from_pylist(group, schema=schema))
                group = []
        if group:
            writer.write_table(pa.Table.from_pylist(group, schema=schema))
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 10_000])
    parser.add_argument("--clean-rows", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-jsonl", action="store_true",
                        help="skip the JSONL run the Parquet output is compared with (it doubles the clean time)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parquet-bench-") as temporary:
        root = Path(temporary)
        print("| rows | file MB | uncompressed MB | read: documents | quarantined | peak RSS MiB | seconds |")
        print("|---|---|---|---|---|---|---|")
        for rows in args.rows:
            path = write_parquet_inputs(root / f"rows-{rows}.parquet", rows)
            meta = pq.ParquetFile(path).metadata
            raw = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            started = time.monotonic()
            read = json.loads(subprocess.run([sys.executable, "-c", READ_ONLY, str(path)], capture_output=True,
                                             text=True, env=_env(), check=True).stdout)
            kinds, peak = read["kinds"], read["peak"]
            print(f"| {rows} | {path.stat().st_size / 1e6:.1f} | {raw / 1e6:.1f} | {kinds.get('RawInput', 0)} | "
                  f"{kinds.get('Quarantined', 0)} | {peak} | {time.monotonic() - started:.1f} |")
        source = write_parquet_inputs(root / "x.parquet", args.clean_rows)
        jobs = ("--jobs", str(args.jobs))
        steps = {
            "clean --format parquet": ("clean", str(source), "--out", str(root / "out"), "--format", "parquet", *jobs),
            "dedup": ("dedup", str(root / "out" / "documents.parquet"), "--out", str(root / "dedup")),
            "audit": ("audit", str(root / "dedup"), "--report", str(root / "report")),
        }
        if not args.no_jsonl:
            steps["clean (jsonl, for comparison)"] = ("clean", str(source), "--out", str(root / "jsonl"), *jobs)
        print(f"\n{args.clean_rows} rows end to end, --jobs {args.jobs}:\n")
        print("| step | seconds | peak RSS MiB (largest process) | peak RSS MiB (process tree) |\n|---|---|---|---|")
        for name, step in steps.items():
            run = measure(HERE, list(step))
            print(f"| {name} | {run['seconds']:.1f} | {run['rss_mb']:.0f} | {run['tree_mb']:.0f} |", flush=True)
        if args.no_jsonl:
            return
        from cleaner.io.outputs import read_output_lines

        same = read_output_lines(root / "out" / "documents.parquet") == read_output_lines(
            root / "jsonl" / "documents.jsonl")
        print(f"\ndocuments.parquet holds the JSONL run's records, line for line: {same}")


if __name__ == "__main__":
    main()
