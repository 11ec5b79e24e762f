"""Docs/s of the local engine (--jobs 1 and 2) and of Ray on the same generated corpus, in one run.

Then the same for dedup of the cleaned records: the local index against the Ray shuffles.

    PYTHONPATH=. python3 bench/engines.py --docs 20000 --cpus 2
    PYTHONPATH=. python3 bench/engines.py --docs 20000 --address HEAD_IP:6379   # Ray: an existing cluster

Every engine cleans the same inputs into its own directory; the run also checks that all of them
wrote the same `documents.jsonl`, and that both dedups made the same decisions. Times are wall clock
for the whole library call, so Ray's figures include starting (or joining) Ray and shipping the code
to its workers.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.raw_corpus import write_inputs
from cleaner.config import Config
from cleaner.dedup.stage import dedup_corpus
from cleaner.engine.ray import connected
from cleaner.engine.ray_dedup import dedup_file
from cleaner.runner import clean_corpus


def _row(name: str, documents: int, seconds: float) -> None:
    print(f"{name:<28} {documents:>9} {seconds:>8.1f} {documents / seconds:>8.1f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents in the generated corpus")
    parser.add_argument("--files", type=int, default=40, help="JSONL files the corpus is split into")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray instance")
    parser.add_argument("--address", default=None, help="Ray cluster to use instead of a local instance")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        root = Path(tmp)
        corpus = str(write_inputs(root / "corpus", args.docs, files=args.files, seed=args.seed))
        runs = [("local --jobs 1", {"jobs": 1}), ("local --jobs 2", {"jobs": 2}),
                (f"ray ({args.address or f'local, {args.cpus} CPUs'})",
                 {"engine": "ray", "jobs": args.cpus, "address": args.address})]
        print(f"{'engine':<28} {'documents':>9} {'seconds':>8} {'docs/s':>8}")
        outputs = []
        for number, (name, options) in enumerate(runs):
            out = root / f"out{number}"
            started = time.monotonic()
            info = clean_corpus([corpus], out, Config(), **options)
            _row(name, info["counts"]["documents"], time.monotonic() - started)
            outputs.append((out / "documents.jsonl").read_bytes())
        identical = all(output == outputs[0] for output in outputs)
        print(f"documents.jsonl identical across engines: {'yes' if identical else 'NO'}")

        cleaned = root / "out0" / "documents.jsonl"
        deduped = []
        for name, dedup in (("dedup local", lambda out: dedup_corpus(cleaned, out, Config())),
                            (runs[2][0].replace("ray", "dedup ray"), lambda out: _ray_dedup(cleaned, out, args))):
            out = root / name.split()[1]
            started = time.monotonic()
            summary = dedup(out)
            _row(name, summary["counts"]["documents"], time.monotonic() - started)
            deduped.append([(out / file).read_bytes() for file in ("documents.jsonl", "clusters.jsonl")])
        same_dedup = deduped[0] == deduped[1]
        print(f"dedup output identical across engines: {'yes' if same_dedup else 'NO'}")
    return 0 if identical and same_dedup else 1


def _ray_dedup(source: Path, out: Path, args: argparse.Namespace) -> dict:
    with connected(args.address, args.cpus):
        return dedup_file(source, out, Config())


if __name__ == "__main__":
    sys.exit(main())
