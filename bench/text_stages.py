"""The text path's stages, checkout beside checkout: ms/page per stage and MB/s (issue 14, not a test).

    PYTHONPATH=$PWD python3 bench/text_stages.py TREE [TREE ...] [--pages 200] [--passes 3]

Writes `--pages` dev-set noisy texts (as bench/throughput.py picks them) to a folder, then, pass after pass,
runs for each TREE (a checkout, first on PYTHONPATH of a child process) one pass of bench/throughput.py's
text path over it (`run_path`: read, prepare, corpus context, finish, record, dedup signatures; CPU time per
stage, exclusive), after a one-page warm-up. Trees are interleaved; per tree and stage the best pass counts,
and a tree's total is the sum of its stages' bests, as in bench/throughput.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

COUNTS = ("pages", "clean_bytes")


def once(folder: Path) -> None:
    """One pass in this process (the child's side): stage seconds as JSON."""
    from bench.throughput import run_path, warm_up
    from cleaner.config import Config

    config = Config()
    warm_up(folder, config)
    print(json.dumps(run_path(folder, config)))


def compare(trees: list[str], pages: int, passes: int) -> None:
    from bench.extraction import load_harness
    from bench.throughput import dev_pages, write_pages

    harness = load_harness()
    if harness is None:
        print("extraction harness not found; nothing to benchmark")
        return
    with tempfile.TemporaryDirectory(prefix="cleaner-text-stages-") as scratch:
        folder = Path(scratch) / "text"
        size = write_pages(dev_pages(harness, pages), folder, "text")
        best: dict[str, dict[str, float]] = {}
        for _ in range(passes):
            for tree in trees:
                env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
                out = subprocess.run([sys.executable, __file__, "--once", str(folder)], env=env, check=True,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1]
                seen = best.setdefault(tree, json.loads(out))
                for stage, seconds in json.loads(out).items():
                    seen[stage] = min(seen.get(stage, seconds), seconds)
    stages = [stage for stage in next(iter(best.values())) if stage not in COUNTS]
    print(f"# {pages} dev-set noisy texts ({size / 1e6:.2f} MB), CPU ms/page, best of {passes} interleaved passes; "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| stage | " + " | ".join(trees) + " |\n|---|" + "---:|" * len(trees))
    for stage in stages:
        print(f"| {stage} | " + " | ".join(f"{1000 * best[t].get(stage, 0.0) / best[t]['pages']:.2f}"
                                          for t in trees) + " |")
    totals = {t: sum(v for k, v in best[t].items() if k not in COUNTS) for t in trees}
    print("| **total** | " + " | ".join(f"**{1000 * totals[t] / best[t]['pages']:.2f}**" for t in trees) + " |")
    print("| MB/s (input bytes / CPU s) | " + " | ".join(f"{size / totals[t] / 1e6:.3f}" for t in trees) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="*", help="checkouts to compare")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--once", type=Path, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.once is not None:
        once(options.once)
    else:
        compare(options.trees or [str(Path(__file__).resolve().parents[1])], options.pages, options.passes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
