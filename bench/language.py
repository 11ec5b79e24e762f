"""langdetect itself beside `cleaner.annotate.langdetect_fast` on the same samples, in one run (not a test).

    PYTHONPATH=$PWD python3 bench/language.py [--pages N]

The samples are what the pipeline gives langdetect: the first `language.sample_chars` (1,000) characters
of each held-out noisy page of the dev sets. Prints CPU seconds of each, best of 3 interleaved passes,
their ratio, and whether every answer (languages and probabilities) is the same.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import langdetect
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from bench.extraction import DATASETS, load_harness
from cleaner.annotate.langdetect_fast import detect_langs
from cleaner.config import Config
from cleaner.noise.train import is_held_out

PASSES = 3


def answers(detect: Callable[[str], list], texts: list[str]) -> list[object]:
    out: list[object] = []
    for text in texts:
        try:
            out.append([(language.lang, language.prob) for language in detect(text)])
        except LangDetectException as error:
            out.append(str(error))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200, help="held-out pages per dataset")
    args = parser.parse_args(argv)
    harness = load_harness()
    if harness is None:
        print("extraction harness not found; nothing to benchmark")
        return 0
    DetectorFactory.seed = 0
    sample_chars = Config()["language"]["sample_chars"]
    texts = []
    for dataset in DATASETS:
        records = [r for r in harness.load_dataset(dataset) if is_held_out(dataset, r["id"])][:args.pages]
        harness.attach_noisy(records, 1)
        texts += [r["noisy_text"][:sample_chars] for r in records]
    systems = (("langdetect.detect_langs", langdetect.detect_langs), ("langdetect_fast.detect_langs", detect_langs))
    results = [answers(detect, texts) for _, detect in systems]  # warm-up, and the answers compared
    best = [float("inf")] * len(systems)
    for _ in range(PASSES):
        for i, (_, detect) in enumerate(systems):
            start = time.process_time()
            answers(detect, texts)
            best[i] = min(best[i], time.process_time() - start)
    print(f"{len(texts)} samples of at most {sample_chars} characters, best of {PASSES} interleaved passes")
    for (name, _), seconds in zip(systems, best, strict=True):
        print(f"{name:<30} {seconds:6.2f} s CPU ({1000 * seconds / len(texts):.2f} ms/sample)")
    print(f"speed-up {best[0] / best[1]:.2f}x; identical answers: {results[0] == results[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
