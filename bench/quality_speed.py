"""Quality signals, this checkout against another: the same `metadata.quality` bytes, and the CPU it costs
(issue 18, not a test).

    PYTHONPATH=$PWD python3 bench/quality_speed.py --against ../base [--pages 2000] [--passes 3]

The texts are the seeds and, for the first `--pages` dev-set pages (round-robin over the datasets, as
bench/throughput.py takes them), the gold text (clean text as an annotator cut it) and the noisy text
(every visible block). Each checkout runs `assess_text` (the quality step's whole work on a clean text)
over all of them in its own process, `--passes` times interleaved; a pass's CPU seconds are summed per
corpus and the best pass is reported, as ms per 5 kB of UTF-8 text (the figure of bench/throughput.py)
and per document. Each checkout's first pass writes every text's entry as the record serialises it
(`orjson`, as `Document.to_json`); the entries must be byte-identical text for text. `--against` names
any tree holding the `cleaner` package (e.g. `git archive main | tar -x -C ../base`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

from bench.extraction import load_harness
from bench.throughput import dev_pages

HERE = Path(__file__).resolve().parents[1]
CORPORA = ("gold", "noisy")
# run with a checkout on PYTHONPATH: only `assess_text` and `Config`, which every checkout has
WORKER = """
import sys, time, orjson
import cleaner
from cleaner.annotate.quality import assess_text
from cleaner.config import Config
texts, out = orjson.loads(open(sys.argv[1], "rb").read()), sys.argv[2]
settings = Config()["quality"]
for corpus in texts.values():  # patterns compile and caches of the words' first sight fill outside the clock
    for text in corpus[:5]:
        assess_text(text, settings)
seconds, entries = {}, []
for name, corpus in texts.items():
    start = time.process_time()
    results = [assess_text(text, settings) for text in corpus]
    seconds[name] = time.process_time() - start
    entries += results
if out != "-":
    open(out, "wb").write(b"\\n".join(map(orjson.dumps, entries)))
print(orjson.dumps({"checkout": cleaner.__file__, **seconds}).decode())
"""


def corpus_texts(pages: int) -> dict[str, list[str]]:
    harness = load_harness()
    if harness is None:
        raise SystemExit("extraction harness not found; nothing to benchmark")
    records = dev_pages(harness, pages)
    seeds = [path.read_text("utf-8") for path in sorted((HERE / "seeds").glob("*.txt"))]
    return {"gold": [r["gold_text"] for r in records if r["gold_text"]],
            "noisy": seeds + [r["noisy_text"] for r in records if r["noisy_text"]]}


def run(checkout: Path, texts: Path, out: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    # run from the scratch folder: `python -c` puts the working directory first on sys.path, and a
    # checkout there would be imported instead of `checkout`
    done = subprocess.run([sys.executable, "-c", WORKER, str(texts), out], env=env, check=True,
                          capture_output=True, text=True, cwd=texts.parent)
    return orjson.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", type=Path, required=True, help="the other checkout (the 'before')")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--passes", type=int, default=3)
    options = parser.parse_args(argv)
    texts = corpus_texts(options.pages)
    checkouts = {"before": options.against.resolve(), "after": HERE}
    print(f"# load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="cleaner-quality-") as scratch:
        corpus = Path(scratch, "texts.json")
        corpus.write_bytes(orjson.dumps(texts))
        best: dict[str, dict[str, float]] = {name: {} for name in checkouts}
        for n in range(options.passes):
            for name, checkout in checkouts.items():
                seconds = run(checkout, corpus, str(Path(scratch, f"{name}.jsonl")) if n == 0 else "-")
                loaded = Path(seconds.pop("checkout")).resolve()
                if not loaded.is_relative_to(checkout):
                    raise SystemExit(f"{name}: the worker imported {loaded}, not the checkout {checkout}")
                best[name] = {key: min(value, best[name].get(key, value)) for key, value in seconds.items()}
        entries = {name: Path(scratch, f"{name}.jsonl").read_bytes().split(b"\n") for name in checkouts}
    total = sum(map(len, texts.values()))
    same = sum(a == b for a, b in zip(entries["before"], entries["after"], strict=True))
    print(f"# {total} texts ({', '.join(f'{len(t)} {name}' for name, t in texts.items())}), "
          f"best of {options.passes} interleaved passes, CPU time of one process\n")
    print("| corpus | MB | texts | before ms/5 kB | after ms/5 kB | before ms/doc | after ms/doc | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in CORPORA:
        size = sum(len(text.encode("utf-8", "surrogatepass")) for text in texts[name])
        before, after = best["before"][name], best["after"][name]
        print(f"| {name} | {size / 1e6:.1f} | {len(texts[name])} | {1000 * before / (size / 5000):.3f} | "
              f"{1000 * after / (size / 5000):.3f} | {1000 * before / len(texts[name]):.3f} | "
              f"{1000 * after / len(texts[name]):.3f} | {before / after:.2f}x |")
    print(f"\nsame quality entries: {same} of {total}{'' if same == total else '  <- DIFFERENT'}")
    print(f"# load average at end: {os.getloadavg()[0]:.1f}")
    return 0 if same == total else 1


if __name__ == "__main__":
    sys.exit(main())
