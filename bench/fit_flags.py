"""Fit the sentence models behind `loaded_language` and `opinion` on BABE's train split.

    PYTHONPATH=$PWD python3 bench/fit_flags.py [path/to/final_labels_SG2.csv]

Writes `cleaner/annotate/data/sentence_models.json`: per model an intercept and, per feature, its
weight and standardisation (mean, scale). Only these numbers are shipped; the features are counts over
our own lexicons (see cleaner/annotate/sentence_scores.py), so no BABE sentence or word leaves here.
Deterministic: a fixed number of Newton steps on an L2-regularised logistic loss.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, bias_task, load, opinion_task  # noqa: E402

from cleaner.annotate.sentence_scores import FEATURES, sentence_features  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / "data" / "sentence_models.json"
L2 = 1.0
STEPS = 30


def design(texts: list[str]) -> np.ndarray:
    return np.array([[sentence_features(t).values[name] for name in FEATURES] for t in texts], dtype=float)


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * L2
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (p - y) + penalty @ beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return float(beta[0]), beta[1:], mean, scale


def main(path: Path) -> None:
    items = load(path)
    models = {}
    for name, task in (("loaded_language", bias_task(items, "train")), ("opinion", opinion_task(items, "train"))):
        x = design([item.text for item, _ in task])
        y = np.array([label for _, label in task], dtype=float)
        intercept, weights, mean, scale = fit_logistic(x, y)
        models[name] = {
            "trained_on": f"BABE final_labels_SG2.csv train split ({len(task)} sentences, {int(y.sum())} positive)",
            "intercept": round(intercept, 6),
            "weights": {f: [round(float(w), 6), round(float(m), 6), round(float(s), 6)]
                        for f, w, m, s in zip(FEATURES, weights, mean, scale, strict=True)},
        }
    OUT.write_text(json.dumps({"about": __doc__.strip().splitlines()[0], "models": models}, indent=1) + "\n")
    for name, spec in models.items():
        top = sorted(spec["weights"].items(), key=lambda kv: -abs(kv[1][0]))[:6]
        print(name, ", ".join(f"{f}={w[0]:+.2f}" for f, w in top))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH)
