"""Same output: the records `cleaner clean` writes for a fixed corpus, as one digest (issue 14, not a test).

    PYTHONPATH=$PWD python3 bench/same_output.py [--pages 300] [--keep FOLDER]

An optimisation must not change a byte of output. This writes the seeds and `--pages` dev-set pages
(round-robin over the datasets, each as its HTML and as its noisy text, as bench/throughput.py does)
to a folder, runs `python -m cleaner clean` on it (by relative path) with the tree on PYTHONPATH, and prints the SHA-256
of `documents.jsonl` and `quarantine.jsonl` (run.json holds timings, so it is not compared). Run it
from two checkouts and compare the digests; `--keep` leaves the outputs for a diff.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.extraction import load_harness
from bench.throughput import dev_pages, write_pages

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FIXED_TIME = 1_700_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--keep", type=Path, default=None, help="copy the outputs here")
    options = parser.parse_args(argv)
    harness = load_harness()
    if harness is None:
        print("# extraction harness not found; nothing to compare")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch, "corpus")
        records = dev_pages(harness, options.pages)
        write_pages(records, corpus / "html", "html")
        write_pages(records, corpus / "text", "text")
        shutil.copytree(SEEDS, corpus / "seeds")
        for path in corpus.rglob("*"):  # a record's `added` and retrieval date come from the file's time
            os.utime(path, (FIXED_TIME, FIXED_TIME))
        out = Path(scratch, "out")
        # relative paths: input keys and sources name files, and must not carry the scratch folder's name
        subprocess.run([sys.executable, "-m", "cleaner", "clean", "corpus", "--out", "out"], cwd=scratch,
                       check=True, stdout=subprocess.DEVNULL)
        for name in ("documents.jsonl", "quarantine.jsonl"):
            print(f"{hashlib.sha256((out / name).read_bytes()).hexdigest()}  {name}")
        if options.keep is not None:
            shutil.copytree(out, options.keep, dirs_exist_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
