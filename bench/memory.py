"""Memory benchmark (issue 14): peak RSS of `cleaner clean` against corpus size, and the same bytes out.

    PYTHONPATH=$PWD python3 bench/memory.py [--sizes 4000 16000] [--jobs 1] [--all-commands]
        [--code before=OLD_TREE --code after=$PWD]

Corpora are built from the dev-set pages of ../shared/data/extraction (the shared harness, as
bench/throughput.py loads them): every page's noisy text (all visible blocks, boilerplate kept) as a
`.txt` file, the datasets round-robin. A corpus larger than the dev sets repeats them: repetition `r`
of a page gets a word `v<r>` inserted into each line of 8 words or more (at a place that moves with
the line), so every repetition is a distinct document with distinct content lines, while the short
lines (menus, footers) stay what they are, as a site's template does. Files go into one folder per
repetition and dataset, so a source (the input folder) holds a few hundred documents.

Each corpus is cleaned by each `--code` tree (a folder put first on PYTHONPATH; by default only
this checkout, as `after`) under `/usr/bin/time -v`, which gives the wall time and the peak RSS of the largest process;
a sampler reading /proc every 0.1 s adds the peak of the whole process tree (the sum over the process
and its workers). Then the `documents.jsonl` of every tree is compared byte for byte, per corpus.
With `--all-commands`, `cleaner dedup --mark-only` and `cleaner audit` run on each clean output too,
measured the same way.

Prints a markdown table: one row per corpus size and tree, then the growth from the smallest to the
largest corpus and the figure it projects at 10M documents (linear in the documents, from that growth).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import xxhash

from bench.extraction import load_harness

DATASETS = ("l3s_gn1", "dragnet", "cleaneval", "cleanportaleval")
HERE = Path(__file__).resolve().parents[1]
LONG_LINE_WORDS = 8
PROJECTED_DOCUMENTS = 10_000_000


def dev_texts() -> list[tuple[str, str]]:
    """(dataset, noisy text) of every dev-set page, the datasets round-robin."""
    harness = load_harness()
    if harness is None:
        sys.exit("the extraction harness is missing (../shared/tools/extraction_eval.py)")
    by_dataset = [harness.load_dataset(name) for name in DATASETS]
    mixed = [r for group in itertools.zip_longest(*by_dataset) for r in group if r is not None]
    harness.attach_noisy(mixed, 2)
    return [(r["dataset"], r["noisy_text"]) for r in mixed if (r["noisy_text"] or "").strip()]


def variant(text: str, repetition: int) -> str:
    """The page as repetition `repetition` of it: a word inserted into every long line (none for 0)."""
    if repetition == 0:
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines):
        words = line.split(" ")
        if len(words) >= LONG_LINE_WORDS:
            words.insert((repetition * 7 + number) % len(words), f"v{repetition}")
            lines[number] = " ".join(words)
    return "\n".join(lines)


def build_corpus(folder: Path, size: int, texts: list[tuple[str, str]]) -> Path:
    """`size` documents in `folder` (kept: a finished corpus, marked by `.done`, is reused)."""
    if (folder / ".done").exists():
        return folder
    for number in range(size):
        repetition, page = divmod(number, len(texts))
        dataset, text = texts[page]
        target = folder / f"r{repetition:02d}-{dataset}" / f"{number:06d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(variant(text, repetition).encode("utf-8", "surrogatepass"))
    (folder / ".done").write_text(str(size))
    return folder


def _tree_rss(root: int) -> int:
    """Resident bytes of process `root` and all its descendants (0 once it is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measure(code: Path, arguments: list[str]) -> dict[str, float]:
    """One `cleaner <arguments>` with the package at `code`: wall seconds, peak RSS (MB) of the
    largest process and of the whole tree."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "cleaner", *arguments]
    # run from the tree itself: `python -m` puts the working directory before PYTHONPATH
    process = subprocess.Popen(command, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    report = err.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"cleaner {arguments[0]} failed ({process.returncode}):\n{report[-3000:]}")
    max_rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))  # type: ignore[union-attr]
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report).group(1)  # type: ignore[union-attr]
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
    # the tree's peak includes /usr/bin/time itself (about 2 MB)
    return {"seconds": seconds, "rss_mb": max_rss / 1024, "tree_mb": peak / 2**20}


def file_digest(path: Path) -> str:
    digest = xxhash.xxh3_128()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--all-commands", action="store_true",
                        help="also measure `cleaner dedup` and `cleaner audit` on each clean output")
    parser.add_argument("--code", action="append", default=[], metavar="LABEL=PATH",
                        help="a source tree to measure, repeatable (default: after=this checkout)")
    parser.add_argument("--work", type=lambda name: Path(name).resolve(),
                        default=Path(tempfile.gettempdir()) / "cleaner-memory-bench",
                        help="where corpora (kept between runs) and outputs go")
    args = parser.parse_args()
    trees = dict(spec.split("=", 1) for spec in args.code) or {"after": str(HERE)}
    texts = dev_texts()
    print(f"# {len(texts)} dev pages; trees: " + ", ".join(f"{k}={v}" for k, v in trees.items()), flush=True)
    rows: dict[str, dict[int, dict[str, float]]] = {label: {} for label in trees}
    later: dict[tuple[str, str, int], dict[str, float]] = {}
    identical: dict[int, bool] = {}
    for size in args.sizes:
        corpus = build_corpus(args.work / f"corpus-{size}", size, texts)
        digests = {}
        for label, code in trees.items():
            out = args.work / f"out-{label}-{size}-j{args.jobs}"
            rows[label][size] = measure(Path(code), ["clean", str(corpus), "--out", str(out),
                                                     "--jobs", str(args.jobs)])
            digests[label] = file_digest(out / "documents.jsonl")
            print(f"# {label} {size}: {rows[label][size]} documents.jsonl {digests[label]}", flush=True)
            if args.all_commands:
                later[label, "dedup", size] = measure(Path(code), [
                    "dedup", str(out / "documents.jsonl"), "--out", str(out / "dedup"), "--mark-only",
                    "--jobs", str(args.jobs)])
                later[label, "audit", size] = measure(Path(code), [
                    "audit", str(out / "dedup"), "--report", str(out / "report")])
                print(f"# {label} {size}: dedup {later[label, 'dedup', size]}"
                      f" audit {later[label, 'audit', size]}", flush=True)
        identical[size] = len(set(digests.values())) == 1
    print(f"\n`cleaner clean --jobs {args.jobs}`\n")
    print("| tree | documents | wall s | peak RSS MB (largest process) | peak RSS MB (process tree) |"
          " documents.jsonl identical across trees |")
    print("|---|---:|---:|---:|---:|---|")
    for label, by_size in rows.items():
        for size, row in by_size.items():
            print(f"| {label} | {size:,} | {row['seconds']:.0f} | {row['rss_mb']:.0f} | {row['tree_mb']:.0f} |"
                  f" {'yes' if identical[size] else 'NO'} |")
    if later:
        print(f"\n`cleaner dedup --mark-only --jobs {args.jobs}` and `cleaner audit` on that output\n")
        print("| tree | command | documents | wall s | peak RSS MB (largest process) | peak RSS MB (process tree) |")
        print("|---|---|---:|---:|---:|---:|")
        for (label, command, size), row in later.items():
            print(f"| {label} | {command} | {size:,} | {row['seconds']:.0f} | {row['rss_mb']:.0f} |"
                  f" {row['tree_mb']:.0f} |")
    low, high = min(args.sizes), max(args.sizes)
    if low != high:
        print("\n| tree | growth MB, " f"{low:,} -> {high:,} | kB per document | projected peak MB at 10M documents |")
        print("|---|---:|---:|---:|")
        for label, by_size in rows.items():
            growth = by_size[high]["rss_mb"] - by_size[low]["rss_mb"]
            per_doc = growth / (high - low)
            projected = by_size[high]["rss_mb"] + per_doc * (PROJECTED_DOCUMENTS - high)
            print(f"| {label} | {growth:.1f} | {1024 * per_doc:.2f} | {projected:,.0f} |")


if __name__ == "__main__":
    main()
