"""Fit the sentence models behind `loaded_language` and `opinion` on BABE's train split.

    PYTHONPATH=$PWD python3 bench/fit_flags.py [path/to/final_labels_SG2.csv]

Writes `cleaner/annotate/data/sentence_models.json`: per model an intercept and, per feature, its
weight and standardisation (mean, scale). Only these numbers are shipped; the features are counts over
our own lexicons (see cleaner/annotate/sentence_scores.py), so no BABE sentence or word leaves here.
Deterministic: a fixed number of Newton steps on an L2-regularised logistic loss. The L2 strength is
chosen by 5-fold cross-validation on the train split (ROC-AUC); the dev split is only reported, and the
test split is not read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, bias_task, load, opinion_task  # noqa: E402
from flags import roc_auc  # noqa: E402

from cleaner.annotate.sentence_scores import FEATURES, sentence_features  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / "data" / "sentence_models.json"
L2_GRID = (0.3, 3.0, 30.0, 300.0)
FOLDS = 5
STEPS = 30


def design(texts: list[str]) -> np.ndarray:
    return np.array([[sentence_features(t).values[name] for name in FEATURES] for t in texts], dtype=float)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (p - y) + penalty @ beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return float(beta[0]), beta[1:], mean, scale


def predict(model: tuple[float, np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    intercept, weights, mean, scale = model
    return intercept + ((x - mean) / scale) @ weights


def cross_validated_auc(x: np.ndarray, y: np.ndarray, l2: float) -> float:
    """Mean ROC-AUC over FOLDS folds of the train split (fold = row index modulo FOLDS)."""
    fold = np.arange(len(y)) % FOLDS
    return float(np.mean([roc_auc(predict(fit_logistic(x[fold != k], y[fold != k], l2), x[fold == k]), y[fold == k])
                          for k in range(FOLDS)]))


def main(path: Path) -> None:
    items = load(path)
    models = {}
    for name, task_of in (("loaded_language", bias_task), ("opinion", opinion_task)):
        train, dev = task_of(items, "train"), task_of(items, "dev")
        x = design([item.text for item, _ in train])
        y = np.array([label for _, label in train], dtype=float)
        cv = {l2: cross_validated_auc(x, y, l2) for l2 in L2_GRID}
        l2 = max(L2_GRID, key=lambda value: (cv[value], value))
        intercept, weights, mean, scale = model = fit_logistic(x, y, l2)
        dev_auc = roc_auc(predict(model, design([item.text for item, _ in dev])), np.array([lab for _, lab in dev]))
        by_l2 = ", ".join(f"{value:g}: {auc:.3f}" for value, auc in cv.items())
        print(f"{name}: train {FOLDS}-fold CV ROC-AUC by L2 {by_l2}; chosen L2 {l2:g}; dev {dev_auc:.3f}")
        models[name] = {
            "trained_on": f"BABE final_labels_SG2.csv train split ({len(train)} sentences, {int(y.sum())} positive)",
            "l2": l2,
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
