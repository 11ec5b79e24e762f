"""Same sentence scores, and how fast: the sentence model's outputs as digests, and its speed (issue 14, not a test).

    PYTHONPATH=$PWD python3 bench/same_sentences.py digest [--pages 100]
    python3 bench/same_sentences.py speed TREE [TREE ...] [--pages 100] [--passes 3]

`digest` (run from two checkouts and compare): for every BABE sentence, its features (names, values and
their order, the words behind each), its scored candidate words, both model probabilities and the
`loaded_language` evidence words, as one SHA-256; then the record (`Document.to_json`) of each seed and of
`--pages` dev pages (round-robin over the datasets, their noisy text) cleaned by `cleaner.clean(text,
kind="text")`, as another. Floats are compared by `repr`, so by every bit.

`speed` runs, for each TREE (a checkout, put first on PYTHONPATH of a child process), the sentence path
(features and both models) over all BABE sentences with a cold word cache and again with a warm one, then
the whole text path over the same pages; trees interleaved, best of `--passes`. A tree whose sentence model
has no word model (main before issue 16) is timed on the same calls it has.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # babe.py; cleaner and bench come from PYTHONPATH
from babe import load  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _words(found: list) -> list:
    return [(w.start, w.end, w.text) for w in found]


def sentence_record(text: str) -> str:
    """Everything the sentence model gives for one sentence, as text that differs when one bit does."""
    from cleaner.annotate.sentence_scores import loaded_words, sentence_features, sentence_models, shipped_word_model
    from cleaner.config import DEFAULTS

    features = sentence_features(text, offset=7)
    word_model = shipped_word_model()
    return json.dumps({
        "values": [(name, repr(value)) for name, value in features.values.items()],
        "hits": [(name, _words(found)) for name, found in features.hits.items()],
        "word_count": features.word_count,
        "candidates": [(c.word.start, c.word.end, c.word.text, repr(c.logit), c.noun, c.unknown_capitalised)
                       for c in features.candidates],
        "probabilities": {name: repr(model.probability(features)) for name, model in sentence_models().items()},
        "evidence": _words(loaded_words(features, word_model, DEFAULTS["flags"]["loaded_language"]["evidence_words"])),
    })


def text_pages(pages: int) -> list[str]:
    """The seeds' texts, then `pages` dev pages' noisy texts (as bench/same_output.py picks them)."""
    from bench.extraction import load_harness
    from bench.throughput import dev_pages

    texts = [path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    harness = load_harness()
    if harness is None:
        print("# extraction harness not found: seeds only")
        return texts
    return texts + [record["noisy_text"] for record in dev_pages(harness, pages)]


def clean_text(text: str) -> bytes:
    import cleaner
    from cleaner.api import QuarantineError

    try:
        return cleaner.clean(text, kind="text").to_json()
    except QuarantineError as exc:
        return f"quarantined {exc}".encode()


def digest(pages: int) -> None:
    sentences = hashlib.sha256()
    items = load()
    for item in items:
        sentences.update(sentence_record(item.text).encode("utf-8") + b"\n")
    print(f"{sentences.hexdigest()}  {len(items)} BABE sentences: features, hits, candidates, probabilities, evidence")
    documents = hashlib.sha256()
    texts = text_pages(pages)
    for text in texts:
        documents.update(clean_text(text) + b"\n")
    print(f"{documents.hexdigest()}  {len(texts)} documents (seeds + dev pages) through cleaner.clean(kind='text')")


def time_once(pages: int) -> None:
    """One pass in this process: BABE sentences per second (cold cache), text-path milliseconds per page."""
    from cleaner.annotate import sentence_scores

    texts = [item.text for item in load()]
    pages_text = text_pages(pages)
    clean_text(pages_text[0])  # imports and shipped data loaded before the clocks start
    sentence_scores.sentence_features(texts[0])
    models = list(sentence_scores.sentence_models().values())
    for cache in ("_profile", "_form_profile", "_form_table"):  # the word caches a tree has
        if hasattr(getattr(sentence_scores, cache, None), "cache_clear"):
            getattr(sentence_scores, cache).cache_clear()
    rates = []
    for _ in ("cold", "warm"):  # the second pass finds every word form in the caches
        started = time.process_time()
        for text in texts:
            features = sentence_scores.sentence_features(text)
            for model in models:
                model.probability(features)
        rates.append(len(texts) / (time.process_time() - started))
    started = time.process_time()
    for text in pages_text:
        clean_text(text)
    per_page = (time.process_time() - started) / len(pages_text) * 1000
    print(json.dumps({"sentences_per_second": rates[0], "warm_sentences_per_second": rates[1], "ms_per_page": per_page,
                      "pages": len(pages_text)}))


def speed(trees: list[str], pages: int, passes: int) -> None:
    best: dict[str, dict[str, float]] = {}
    for _ in range(passes):
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(Path(tree).resolve())}
            out = subprocess.run([sys.executable, __file__, "once", "--pages", str(pages)], env=env, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            result = json.loads(out)
            seen = best.setdefault(tree, result)
            for rate in ("sentences_per_second", "warm_sentences_per_second"):
                seen[rate] = max(seen[rate], result[rate])
            seen["ms_per_page"] = min(seen["ms_per_page"], result["ms_per_page"])
    print(f"| tree | BABE sentences/s (features + both models), cold cache | warm cache | text path ms/page "
          f"({next(iter(best.values()))['pages']} pages) |\n|---|---|---|---|")
    for tree, result in best.items():
        print(f"| {tree} | {result['sentences_per_second']:,.0f} | {result['warm_sentences_per_second']:,.0f} "
              f"| {result['ms_per_page']:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("digest", "speed", "once"))
    parser.add_argument("trees", nargs="*", help="checkouts to time (speed)")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--passes", type=int, default=3)
    options = parser.parse_args(argv)
    if options.mode == "digest":
        digest(options.pages)
    elif options.mode == "once":
        time_once(options.pages)
    else:
        speed(options.trees, options.pages, options.passes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
