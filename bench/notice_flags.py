"""How often the notice flags fire on real articles, and on what (issue 16; not a test).

    PYTHONPATH=$PWD python3 bench/notice_flags.py [--examples 5]

Runs `republished`, `sponsored_content`, `funding_disclosure` and `translated` on the gold article texts
of the dev sets (no noise, so every raise must come from the article's own words) and prints, per
dataset, how many articles raise each flag and the first evidence lines, to read whether they are notices.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from cleaner.annotate.flags.registry import FLAGS
from cleaner.config import Config
from cleaner.document import Document
from tests.devsets import dev_pages

NOTICE_FLAGS = ("republished", "sponsored_content", "funding_disclosure", "translated")
DATASETS = ("l3s_gn1", "dragnet", "cleanportaleval", "cleaneval")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=5, help="evidence lines shown per flag and dataset")
    options = parser.parse_args(argv)
    settings = Config()["flags"]
    print("| dataset | gold articles | " + " | ".join(NOTICE_FLAGS) + " |")
    print("|---|---:|" + "---:|" * len(NOTICE_FLAGS))
    examples: list[str] = []
    for dataset in DATASETS:
        pages = dev_pages(dataset, 100_000, min_gold_words=50)
        raised: Counter[str] = Counter()
        for page in pages:
            document = Document(str(page["id"]), dataset, page["gold_text"].replace("\r\n", "\n"))
            for name in NOTICE_FLAGS:
                found = FLAGS[name]().assess(document, settings[name])
                if found is not None and found.score >= settings[name]["threshold"]:
                    raised[name] += 1
                    if raised[name] <= options.examples:
                        examples.append(f"{dataset} {name}: {found.evidence[0][2][:120]!r}")
        print(f"| {dataset} | {len(pages)} | " + " | ".join(str(raised[name]) for name in NOTICE_FLAGS) + " |")
    print()
    print("\n".join(examples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
