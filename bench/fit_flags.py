"""Fit the models behind `loaded_language` and `opinion` on BABE's train split.

    PYTHONPATH=$PWD python3 bench/fit_flags.py [path/to/final_labels_SG2.csv]

Writes `cleaner/annotate/data/sentence_models.json`:
- `word_model`: per word feature (lexicon entries, Brill class, Empath categories, quotes; never the word
  itself) a weight of the log-odds that annotators mark a content word as biased, fitted on the words of
  the train sentences against BABE's `biased_words`; its `evidence_threshold` is the word probability
  at which the evidence (at most `evidence_words` per flagged sentence) best matches the annotators' marks
  on the dev split: the larger of precision and recall's minimum, as both should be high;
- per sentence model an intercept and, per feature, its weight and standardisation (mean, scale).
Only these numbers are shipped; the features are counts over our own lexicons (see
cleaner/annotate/sentence_scores.py), so no BABE sentence or word leaves here. Deterministic: a fixed
number of Newton steps on an L2-regularised logistic loss. The L2 strengths are chosen by 5-fold
cross-validation on the train split (ROC-AUC), for a sentence model two of them: one for all weights and a
factor on it for the 194 Empath categories' (many small, noisy counts that a common strength under-shrinks);
the sentence models see out-of-fold word scores, so a sentence's word features never come from a word model
fitted on its own marks. The dev split is only
reported and used for the evidence threshold; the test split is not read here.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, Item, bias_task, load, marked_forms, opinion_task  # noqa: E402
from flags import Agreement, evidence_agreement, roc_auc  # noqa: E402

from cleaner.annotate.sentence_scores import (  # noqa: E402
    WordModel,
    occurrence_features,
    sentence_feature_names,
    sentence_features,
    sentence_words,
)
from cleaner.config import DEFAULTS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / "data" / "sentence_models.json"
L2_GRID = (3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
EMPATH_L2_FACTORS = (1.0, 3.0, 10.0)
WORD_L2_GRID = (0.3, 1.0, 3.0)
EVIDENCE_GRID = tuple(round(0.01 * k, 2) for k in range(5, 41))
FOLDS = 5
STEPS = 30
WORD_STEPS = 12  # the word model's loss is smooth and its optimum near zero weights: Newton converges in fewer


def design(texts: list[str], word_models: list[WordModel]) -> np.ndarray:
    """Sentence features; sentence i's words are scored by `word_models[i]`."""
    names = sentence_feature_names()
    return np.array([[sentence_features(text, word_model=model).values.get(name, 0.0) for name in names]
                     for text, model in zip(texts, word_models, strict=True)], dtype=float)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, counts: np.ndarray | None = None,
                 standardise: bool = True, steps: int = STEPS,
                 factors: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """L2-regularised logistic regression by Newton steps; `y` may be positive counts out of `counts` rows;
    `factors` multiply `l2` per feature (default 1)."""
    counts = np.ones(len(x)) if counts is None else counts
    if standardise:
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
    else:
        mean, scale = np.zeros(x.shape[1]), np.ones(x.shape[1])
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.diag(np.concatenate([[0.0], np.ones(x.shape[1]) if factors is None else factors])) * l2
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (counts * p - y) + penalty @ beta
        hessian = (z * (counts * p * (1 - p))[:, None]).T @ z + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return float(beta[0]), beta[1:], mean, scale


def predict(model: tuple[float, np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    intercept, weights, mean, scale = model
    return intercept + ((x - mean) / scale) @ weights


def cross_validated_auc(x: np.ndarray, y: np.ndarray, l2: float, factors: np.ndarray | None = None) -> float:
    """Mean ROC-AUC over FOLDS folds of the train split (fold = row index modulo FOLDS)."""
    fold = np.arange(len(y)) % FOLDS
    return float(np.mean([roc_auc(predict(fit_logistic(x[fold != k], y[fold != k], l2, factors=factors),
                                          x[fold == k]), y[fold == k]) for k in range(FOLDS)]))


class WordRows:
    """The content words of labelled sentences, grouped by identical word-model inputs: (inputs, marked, total)."""

    def __init__(self, items: list[Item]) -> None:
        self.by_fold: list[dict[tuple, list[int]]] = [defaultdict(lambda: [0, 0]) for _ in range(FOLDS)]
        for i, item in enumerate(items):
            marked = marked_forms(item)
            for word, profile, quoted, scare in sentence_words(item.text):
                if profile.candidate:
                    row = self.by_fold[i % FOLDS][occurrence_features(profile, quoted, scare)]
                    row[0] += word.lower in marked
                    row[1] += 1
        self.names = sorted({name for fold in self.by_fold for key in fold for name, _ in key})

    def matrix(self, folds: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for k in folds:
            for key, (marked, total) in self.by_fold[k].items():
                merged[key][0] += marked
                merged[key][1] += total
        index = {name: j for j, name in enumerate(self.names)}
        x = np.zeros((len(merged), len(self.names)))
        for r, key in enumerate(sorted(merged)):
            for name, value in key:
                x[r, index[name]] = value
        stats = np.array([merged[key] for key in sorted(merged)], dtype=float)
        return x, stats[:, 0], stats[:, 1]

    def fit(self, folds: list[int], l2: float) -> WordModel:
        x, marked, total = self.matrix(folds)
        intercept, weights, _, _ = fit_logistic(x, marked, l2, counts=total, standardise=False, steps=WORD_STEPS)
        return WordModel(intercept, dict(zip(self.names, weights.tolist(), strict=True)), 0.5)

    def auc(self, model: WordModel, k: int) -> float:
        """Word-level ROC-AUC of `model` on fold k (rows weighted by how often they occur)."""
        x, marked, total = self.matrix([k])
        scores = model.intercept + x @ np.array([model.weights.get(name, 0.0) for name in self.names])
        labels = np.concatenate([np.ones(int(marked.sum())), np.zeros(int((total - marked).sum()))])
        expanded = np.concatenate([np.repeat(scores, marked.astype(int)),
                                   np.repeat(scores, (total - marked).astype(int))])
        return roc_auc(expanded, labels)


def rounded(model: WordModel, threshold: float) -> WordModel:
    return WordModel(round(model.intercept, 6), {f: round(w, 6) for f, w in model.weights.items() if w}, threshold)


def fit_word_models(items: list[Item]) -> tuple[WordModel, list[WordModel], float]:
    """The word model on all train folds, the out-of-fold models (model k left fold k out), and its L2."""
    rows = WordRows(items)
    others = [[j for j in range(FOLDS) if j != k] for k in range(FOLDS)]
    by_l2 = {l2: [rows.fit(others[k], l2) for k in range(FOLDS)] for l2 in WORD_L2_GRID}
    cv = {l2: float(np.mean([rows.auc(models[k], k) for k in range(FOLDS)])) for l2, models in by_l2.items()}
    l2 = max(WORD_L2_GRID, key=lambda value: (cv[value], value))
    print(f"word model: {len(rows.names)} features; train {FOLDS}-fold CV word ROC-AUC by L2 "
          + ", ".join(f"{value:g}: {auc:.3f}" for value, auc in cv.items()) + f"; chosen L2 {l2:g}")
    return rounded(rows.fit(list(range(FOLDS)), l2), 0.5), [rounded(m, 0.5) for m in by_l2[l2]], l2


def main(path: Path) -> None:
    items = load(path)
    names = sentence_feature_names()
    empath = np.array([name.startswith("empath_") for name in names])
    word_items = [item for item, _ in bias_task(items, "train")]
    word_model, out_of_fold, word_l2 = fit_word_models(word_items)
    models = {}
    for name, task_of in (("loaded_language", bias_task), ("opinion", opinion_task)):
        train, dev = task_of(items, "train"), task_of(items, "dev")
        # the word model of fold k left out the k-th fold of the bias task's train sentences; the opinion
        # task's sentences are scored by the fold of the same sentence there (BABE's train split is shared)
        position = {item.text: i for i, item in enumerate(word_items)}
        x = design([item.text for item, _ in train],
                   [out_of_fold[position.get(item.text, i) % FOLDS] for i, (item, _) in enumerate(train)])
        y = np.array([label for _, label in train], dtype=float)
        cv = {(l2, factor): cross_validated_auc(x, y, l2, np.where(empath, factor, 1.0))
              for l2 in L2_GRID for factor in EMPATH_L2_FACTORS}
        l2, factor = max(cv, key=lambda key: (cv[key], key))  # ties to the stronger penalty
        intercept, weights, mean, scale = model = fit_logistic(x, y, l2, factors=np.where(empath, factor, 1.0))
        dev_auc = roc_auc(predict(model, design([item.text for item, _ in dev], [word_model] * len(dev))),
                          np.array([lab for _, lab in dev]))
        by_l2 = ", ".join(f"{value:g}: {cv[value, factor]:.3f}" for value in L2_GRID)
        by_factor = ", ".join(f"{f:g}: {max(cv[value, f] for value in L2_GRID):.3f}" for f in EMPATH_L2_FACTORS)
        print(f"{name}: train {FOLDS}-fold CV ROC-AUC by L2 (Empath factor {factor:g}) {by_l2}; best by Empath "
              f"factor {by_factor}; chosen L2 {l2:g}, Empath factor {factor:g}: CV {cv[l2, factor]:.3f}; "
              f"dev {dev_auc:.3f}")
        models[name] = {
            "trained_on": f"BABE final_labels_SG2.csv train split ({len(train)} sentences, {int(y.sum())} positive)",
            "l2": l2,
            "empath_l2_factor": factor,
            "intercept": round(intercept, 6),
            "weights": {f: [round(float(w), 6), round(float(m), 6), round(float(s), 6)]
                        for f, w, m, s in zip(names, weights, mean, scale, strict=True)},
        }
    threshold = choose_evidence_threshold(items, models, word_model)
    spec = {"trained_on": f"the content words of BABE's {len(word_items)} train sentences with a bias label, "
                          "marked = among the annotators' biased words", "l2": word_l2,
            "evidence_threshold": threshold, "intercept": word_model.intercept,
            "weights": dict(sorted(word_model.weights.items()))}
    OUT.write_text(json.dumps({"about": __doc__.strip().splitlines()[0], "word_model": spec, "models": models},
                              indent=1) + "\n")
    for name, model_spec in models.items():
        top = sorted(model_spec["weights"].items(), key=lambda kv: -abs(kv[1][0]))[:8]
        print(name, ", ".join(f"{f}={w[0]:+.2f}" for f, w in top))
    top_words = sorted(word_model.weights.items(), key=lambda kv: -abs(kv[1]))[:10]
    print("word model", ", ".join(f"{f}={w:+.2f}" for f, w in top_words))


def choose_evidence_threshold(items: list[Item], models: dict, word_model: WordModel) -> float:
    """The word probability whose evidence best matches the annotators' marks in the dev sentences the
    lexicon model flags (`best_evidence_threshold`)."""
    from cleaner.annotate.sentence_scores import SentenceModel

    spec = models["loaded_language"]
    sentence_model = SentenceModel("loaded_language", spec["intercept"],
                                   {f: tuple(v) for f, v in spec["weights"].items()})
    settings = DEFAULTS["flags"]["loaded_language"]
    dev = bias_task(items, "dev")
    return best_evidence_threshold(lambda model: evidence_agreement(
        dev, sentence_model, model, settings["sentence_threshold"], settings["evidence_words"]), word_model)


def best_evidence_threshold(agreement_of: Callable[[WordModel], Agreement], word_model: WordModel) -> float:
    """The threshold of EVIDENCE_GRID at which `word_model`'s evidence (`agreement_of` a word model with that
    threshold, measured on dev sentences) has the highest min(precision, recall), ties to the higher threshold
    (fewer words)."""
    scored = []
    for threshold in EVIDENCE_GRID:
        agreement = agreement_of(word_model.with_threshold(threshold))
        scored.append((min(agreement.precision, agreement.recall), threshold, agreement))
        print(f"evidence threshold {threshold:.2f}: dev {agreement}")
    best = max(scored, key=lambda s: (s[0], s[1]))
    print(f"chosen evidence threshold {best[1]:.2f} (dev {best[2]})")
    return best[1]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH)
