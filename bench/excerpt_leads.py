"""Trailing excerpts: how well a lead key recognises another page's opening glued after an article.

    PYTHONPATH=$PWD python3 bench/excerpt_leads.py [--datasets dragnet,l3s_gn1,cleaneval]

For every training-split page of ../shared/data/extraction (noisy text), the lead is its first prose
line. Each page gets the lead of a random other page glued on, cut at 50-90% of its words (as
teasers are) and re-rendered the way scrapers do (straight quotes, other dashes, spaced commas).
Prints the share of excerpts found by the raw-word key (hash of the first 12 case-folded words) and by
`cleaner.noise.context.lead_key` (the dedup stage's normalised tokens), and the false matches: prose
lines in the second half of unmodified pages that match another page's lead. Deterministic (seed 0).
"""

from __future__ import annotations

import argparse
import random
import re
import sys

import xxhash

from bench.extraction import load_harness
from cleaner.extract.normalize import normalize_text
from cleaner.noise.context import LEAD_WORDS, lead_key
from cleaner.noise.text import is_prose
from cleaner.noise.train import is_held_out

_SPACE = re.compile(r"\s+")
RENDERINGS = (
    lambda s: s,
    lambda s: s.replace("’", "'").replace("“", '"').replace("”", '"'),
    lambda s: s.replace(" - ", " – "),
    lambda s: s.replace(",", " ,"),
)


def raw_word_key(text: str) -> int | None:
    """The previous key: a hash of the first 12 case-folded, space-separated words."""
    head = _SPACE.sub(" ", text.casefold()).strip().split(" ")[:LEAD_WORDS]
    return xxhash.xxh64_intdigest(" ".join(head).encode()) if len(head) == LEAD_WORDS else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default="dragnet,l3s_gn1,cleaneval")
    args = parser.parse_args(argv)
    harness = load_harness()
    if harness is None:
        print("extraction harness not found; nothing to benchmark")
        return 0
    for dataset in args.datasets.split(","):
        records = [r for r in harness.load_dataset(dataset) if not is_held_out(dataset, r["id"])]
        harness.attach_noisy(records, 1)
        pages = [[line.strip() for line in normalize_text(r["noisy_text"]).split("\n") if is_prose(line.strip())]
                 for r in records]
        rnd = random.Random(0)
        found = {"raw words": 0, "normalised": 0}
        false = {"raw words": 0, "normalised": 0}
        trials = checked = 0
        for key_name, key in (("raw words", raw_word_key), ("normalised", lead_key)):
            owners: dict[int, int] = {}
            for i, prose in enumerate(pages):
                k = key(prose[0]) if prose else None
                if k is not None:
                    owners.setdefault(k, i)
            rnd.seed(0)
            trials = checked = 0
            for i, prose in enumerate(pages):
                tail = prose[len(prose) // 2:]
                checked += len(tail)
                false[key_name] += sum(owners.get(key(line), i) != i for line in tail)  # type: ignore[arg-type]
                j = rnd.randrange(len(pages))
                if j == i or not pages[j]:
                    continue
                words = pages[j][0].split()
                excerpt = rnd.choice(RENDERINGS)(" ".join(words[:max(14, int(len(words) * rnd.uniform(0.5, 0.9)))]))
                trials += 1
                found[key_name] += owners.get(key(excerpt)) == j  # type: ignore[arg-type]
        print(f"{dataset:<10} {trials} glued excerpts found: " +
              ", ".join(f"{name} {found[name] / trials:.3f}" for name in found) +
              f"; false matches in {checked} tail prose lines: " + ", ".join(f"{name} {false[name]}" for name in false))
    return 0


if __name__ == "__main__":
    sys.exit(main())
