"""Size and write/read time of the output forms (output.raw x output.compress), on the seeds and dev pages.

    PYTHONPATH=$PWD python3 bench/outputs.py [--pages 500]

Each corpus is cleaned once (inline, uncompressed); its records are then written again through the run's
own writer (`OutputDirectory`: write_document for every record, then finish, which compresses) in every
form, and read back as `cleaner dedup` reads them (`read_records`, raw put back from a sidecar). Sizes are
every JSONL of the output (documents, quarantine, raw sidecar) over the input bytes, and the documents file
alone over them; times are the best of 3 and shown relative to inline/none. Last, the inline documents
compressed at other gzip and zstd levels. The dev pages are the first pages by id of each extraction
dataset outside the held-out split (`cleaner.noise.train.is_held_out`), as HTML files.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import zstandard

from bench.extraction import DATASETS, load_harness
from cleaner.config import Config
from cleaner.dedup.stage import read_records
from cleaner.io.outputs import COMPRESSIONS, RAW_MODES, Compression, compressed_name, read_output_lines
from cleaner.io.writers import DOCUMENTS, OutputDirectory
from cleaner.noise.train import is_held_out
from cleaner.runner import clean_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def dev_pages(folder: Path, count: int) -> Path | None:
    """`count` dev pages as HTML files in `folder`, spread evenly over the datasets; None without the data."""
    harness = load_harness()
    if harness is None:
        return None
    folder.mkdir()
    per_dataset = -(-count // len(DATASETS))
    for dataset in DATASETS:
        pages = sorted((r for r in harness.load_dataset(dataset) if not is_held_out(dataset, r["id"])),
                       key=lambda r: r["id"])[:per_dataset]
        for page in pages:
            name = f"{dataset}_{page['id'].replace('/', '_')}.html"
            (folder / name).write_text(page["html"], "utf-8", errors="surrogatepass")
    return folder


def _best(work: Callable[[], None]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(inputs: Path, work_dir: Path) -> None:
    input_bytes = sum(p.stat().st_size for p in inputs.iterdir())
    started = time.perf_counter()
    info = clean_corpus([str(inputs)], work_dir / "clean", Config())
    clean_seconds = time.perf_counter() - started
    lines = read_output_lines(work_dir / "clean" / DOCUMENTS)
    print(f"\n{inputs.name}: {info['counts']['documents']} documents ({info['counts']['quarantined']} quarantined), "
          f"{input_bytes:,} input bytes, "
          f"cleaned in {clean_seconds:.1f} s")
    print(f"{'raw':<8} {'compress':<8} {'bytes':>11} {'x input':>8} {'documents':>10} {'write':>7} {'read':>7}")
    baseline: tuple[float, float] | None = None
    for raw in RAW_MODES:
        for compression in COMPRESSIONS:
            out = work_dir / f"{raw}-{compression}"

            def write(out: Path = out, raw: str = raw, compression: Compression = compression) -> None:
                shutil.rmtree(out, ignore_errors=True)
                output = OutputDirectory(out, "bench", False, compression, raw)
                for line in lines:
                    output.write_document(line)
                output.finish({})

            def read(out: Path = out, compression: Compression = compression) -> None:
                for _ in read_records(out / compressed_name(DOCUMENTS, compression), with_raw=True):
                    pass

            write_seconds, read_seconds = _best(write), _best(read)
            baseline = baseline or (write_seconds, read_seconds)
            size = sum(p.stat().st_size for p in out.glob("*.jsonl*"))
            documents = (out / compressed_name(DOCUMENTS, compression)).stat().st_size
            print(f"{raw:<8} {compression:<8} {size:>11,} {size / input_bytes:>8.3f} {documents / input_bytes:>10.3f} "
                  f"{write_seconds / baseline[0]:>7.2f} {read_seconds / baseline[1]:>7.2f}")
    print(f"(inline/none: write {baseline[0] * 1000:.0f} ms, read {baseline[1] * 1000:.0f} ms)")
    levels(b"".join(line + b"\n" for line in lines), input_bytes)


def levels(data: bytes, input_bytes: int) -> None:
    """The inline documents at other levels: what the fixed GZIP_LEVEL and ZSTD_LEVEL trade."""
    print(f"{'level':<8} {'x input':>8} {'MB/s':>7}")
    compressors: list[tuple[str, Callable[[bytes], bytes]]] = [
        *((f"gz {n}", lambda d, n=n: gzip.compress(d, n, mtime=0)) for n in (1, 6, 9)),
        *((f"zst {n}", zstandard.ZstdCompressor(level=n).compress) for n in (3, 10, 19)),
    ]
    for name, compress in compressors:
        seconds = _best(lambda compress=compress: compress(data))
        print(f"{name:<8} {len(compress(data)) / input_bytes:>8.3f} {len(data) / seconds / 1e6:>7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure(SEEDS, Path(tmp) / "seeds")
        pages = dev_pages(Path(tmp) / "dev_pages", args.pages)
        if pages is None:
            print("\nno extraction harness: dev pages skipped", file=sys.stderr)
        else:
            measure(pages, Path(tmp) / "dev")
    return 0


if __name__ == "__main__":
    sys.exit(main())
