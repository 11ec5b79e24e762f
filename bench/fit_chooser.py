"""Fit the extractor chooser (cleaner/extract/chooser.py) on the TRAINING split of ../shared/data/extraction.

    PYTHONPATH=$PWD python3 bench/fit_chooser.py [--datasets ...] [--limit N] [--cache FILE]   # needs scipy

Every accurate-mode extractor runs on every training page (the slow part: `--cache FILE` keeps their
outputs in a pickle of this script's own making, reused when it exists). Each candidate's usefulness is its
page F1 against the gold (snippet F1 on trafilatura's pages); the weights maximise the expected F1 of the
choice under a softmax over each page's candidate scores (temperature TEMPERATURE, so the optimum is the
argmax the product takes, smoothed enough to have a gradient), with an L2 penalty; each dataset's weight in
that objective is chosen by cross-validation within the training split (WEIGHT_GRID). Writes
cleaner/extract/data/extractor_chooser.json with what it was fitted on and its training F1.
"""

from __future__ import annotations

import argparse
import json
import pickle
from datetime import date
from pathlib import Path
from types import ModuleType

import numpy as np
from scipy.optimize import minimize

from bench.extraction import _CONFIG, DATASETS, extractor_outputs, held_out_records, load_harness, page_counts, text_of
from cleaner.extract import chooser, combine

TEMPERATURE = 0.05
L2 = 1e-3
# each dataset's weight in the objective is searched on this grid, one dataset after another, by FOLDS-fold
# cross-validation within the training split, for the acceptance of issue 15: the mean F1 over datasets,
# less every shortfall beyond TOLERANCE below the best single extractor of a dataset
WEIGHT_GRID = (1.0, 2.0, 3.0)
FOLDS = 5
TOLERANCE = 0.003


def training_pages(harness: ModuleType, datasets: list[str], limit: int | None, cache: Path | None) -> list[dict]:
    """Per training page: dataset, id, html, every extractor's text and the harness's counts of each."""
    if cache and cache.exists():
        with cache.open("rb") as fh:
            return [page for page in pickle.load(fh) if not page.get("held") and page["dataset"] in datasets]
    pages = []
    for dataset in datasets:
        records = held_out_records(harness, dataset, limit, held_out=False)
        for record, outputs in zip(records, extractor_outputs(records), strict=True):
            texts = {name: text_of(result) for name, result in outputs.items()}
            counts = {name: page_counts(harness, record, text) for name, text in texts.items()}
            pages.append({"dataset": dataset, "id": record["id"], "html": record["html"], "texts": texts,
                          "counts": {**counts, None: page_counts(harness, record, "")}})
    if cache:
        with cache.open("wb") as fh:
            pickle.dump(pages, fh)
    return pages


def page_f1(counts: tuple, snippets: bool) -> float:
    """F1 of one page's counts: (tp, fp, fn, tn) snippets, or the harness's (tp, fp, fn) token shares."""
    tp, fp, fn = counts[:3]
    if snippets:
        precision = tp / (tp + fp) if tp + fp else float(fn == 0)
        recall = tp / (tp + fn) if tp + fn else 1.0
    else:
        precision = 1.0 if fp == fn == 0 else (tp / (tp + fp) if tp + fp else 0.0)
        recall = 1.0 if fp == fn == 0 else (tp / (tp + fn) if tp + fn else 0.0)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def feature_names(reference: str, names: list[str], example: dict[str, float]) -> list[tuple[str | None, str]]:
    """The weight vector's layout: (None, feature) shared, then (extractor, feature) for the non-reference ones."""
    page = set(chooser.page_features(""))
    shared = [feature for feature in example if feature not in page]
    own = ["bias", *example]
    return [(None, f) for f in shared] + [(name, f) for name in names if name != reference for f in own]


def candidate_texts(page: dict, names: list[str]) -> dict[str, str]:
    """The page's non-empty outputs of the extractors `names`, in that order."""
    return {name: page["texts"][name] for name in names if page["texts"].get(name, "").strip()}


def design(pages: list[dict], names: list[str]) -> tuple[list[tuple[str | None, str]], np.ndarray, np.ndarray,
                                                           np.ndarray, list[list[str]]]:
    """(layout, X, y, group starts, candidate names per page) over `pages`, each with at least one candidate."""
    rows, targets, starts, candidates = [], [], [], []
    layout: list[tuple[str | None, str]] = []
    for page in pages:
        texts = candidate_texts(page, names)
        _, by_name = combine.features(texts, page["html"])
        layout = layout or feature_names(names[0], names, next(iter(by_name.values())))
        starts.append(len(rows))
        candidates.append(list(texts))
        for name in texts:
            values = by_name[name]
            rows.append([(1.0 if feature == "bias" else values[feature]) if owner in (None, name) else 0.0
                         for owner, feature in layout])
            targets.append(page_f1(page["counts"][name], page["dataset"] == "trafilatura_eval"))
    return layout, np.array(rows), np.array(targets), np.array(starts), candidates


def fit(X: np.ndarray, y: np.ndarray, starts: np.ndarray, page_weight: np.ndarray) -> np.ndarray:
    """Weights maximising the weighted expected F1 of a softmax choice per page, less L2."""
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(y))))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = X @ w / TEMPERATURE
        s -= np.maximum.reduceat(s, starts)[group]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[group]
        expected = np.add.reduceat(p * y, starts)
        gradient = X.T @ (page_weight[group] * p * (y - expected[group])) / TEMPERATURE
        return -(page_weight @ expected) + L2 * w @ w, -gradient + 2 * L2 * w

    return minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B").x


def cross_validated(harness: ModuleType, X: np.ndarray, y: np.ndarray, starts: np.ndarray, page_datasets: list[str],
                    candidates: list[list[str]], page_counts_of: list[dict[str, tuple]],
                    weights: dict[str, float]) -> float:
    """The acceptance objective of out-of-fold choices (folds by page order modulo FOLDS) with these dataset
    weights."""
    ends = np.append(starts[1:], len(y))
    counts = np.array([weights[d] / page_datasets.count(d) for d in page_datasets])
    picked = [""] * len(starts)
    for fold in range(FOLDS):
        train = [i for i in range(len(starts)) if i % FOLDS != fold]
        rows = np.concatenate([np.arange(starts[i], ends[i]) for i in train])
        local_starts = np.cumsum([0] + [ends[i] - starts[i] for i in train[:-1]])
        w = fit(X[rows], y[rows], local_starts, counts[train])
        for i in range(fold, len(starts), FOLDS):
            picked[i] = candidates[i][int(np.argmax(X[starts[i]:ends[i]] @ w))]
    return acceptance(harness, page_datasets, picked, page_counts_of)


def acceptance(harness: ModuleType, page_datasets: list[str], chosen: list[str],
               page_counts_of: list[dict[str, tuple]]) -> float:
    """Mean F1 over datasets of the chosen extractors, less shortfalls beyond TOLERANCE below the best single
    extractor of the dataset (`page_counts_of` also gives the counts of an extractor that found nothing)."""
    def f1(dataset: str, counts: list[tuple]) -> float:
        aggregate = harness.snippet_aggregate if dataset == "trafilatura_eval" else harness.aggregate
        return aggregate(counts)["f1"]

    total = 0.0
    datasets = sorted(set(page_datasets))
    for dataset in datasets:
        mine = [i for i, d in enumerate(page_datasets) if d == dataset]
        ours = f1(dataset, [page_counts_of[i][chosen[i]] for i in mine])
        best = max(f1(dataset, [page_counts_of[i][name] for i in mine]) for name in page_counts_of[mine[0]])
        total += ours - max(0.0, best - ours - TOLERANCE) * len(datasets)
    return total / len(datasets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the extractors' outputs (made if absent)")
    args = parser.parse_args()
    harness = load_harness()
    if harness is None:
        raise SystemExit("the extraction harness is missing (../shared/tools/extraction_eval.py)")
    datasets = args.datasets.split(",")
    names = list(_CONFIG["extract"]["accurate_extractors"])
    pages = training_pages(harness, datasets, args.limit, args.cache)
    with_text = [page for page in pages if candidate_texts(page, names)]
    layout, X, y, starts, candidates = design(with_text, names)
    datasets_of = [page["dataset"] for page in with_text]
    per_dataset = {d: datasets_of.count(d) for d in datasets}
    # an extractor that found nothing has the counts of an empty text
    counts_of = [{name: page["counts"][name] for name in names} for page in with_text]
    weights = dict.fromkeys(datasets, 1.0)
    best = cross_validated(harness, X, y, starts, datasets_of, candidates, counts_of, weights)
    for dataset in datasets:
        for value in WEIGHT_GRID[1:]:
            trial = {**weights, dataset: value}
            objective = cross_validated(harness, X, y, starts, datasets_of, candidates, counts_of, trial)
            print(f"dataset weights {trial}: cross-validated objective {objective:.4f}", flush=True)
            if objective > best:
                best, weights = objective, trial
    w = fit(X, y, starts, np.array([weights[d] / per_dataset[d] for d in datasets_of]))
    fitted = chooser.Chooser(
        {feature: round(float(v), 6) for (owner, feature), v in zip(layout, w, strict=True) if owner is None},
        {name: {feature: round(float(v), 6) for (owner, feature), v in zip(layout, w, strict=True) if owner == name}
         for name in names[1:]})

    def training_f1(pick: dict[str, str]) -> dict[str, float]:
        """Each dataset's harness F1 when every page keeps pick[(dataset, id)] (no text when it has none)."""
        result = {}
        for dataset in datasets:
            counts = [page["counts"][pick.get((dataset, page["id"]))] for page in pages if page["dataset"] == dataset]
            aggregate = harness.snippet_aggregate if dataset == "trafilatura_eval" else harness.aggregate
            result[dataset] = round(aggregate(counts)["f1"], 4) if counts else None
        return result

    chosen = {(page["dataset"], page["id"]): combine.choose(
        combine.scores(candidate_texts(page, names), page["html"], fitted)[1]) for page in with_text}
    singles = {name: training_f1({(p["dataset"], p["id"]): name for p in with_text
                                  if name in candidate_texts(p, names)}) for name in names}
    path = Path(chooser.__file__).with_name("data") / chooser.CHOOSER_FILE
    path.write_text(json.dumps({
        "shared": fitted.shared, "by_extractor": fitted.by_extractor, "fitted": str(date.today()),
        "split": "training (cleaner.noise.train.is_held_out false)", "candidates": names,
        "objective": {"temperature": TEMPERATURE, "l2": L2, "dataset_weights": weights,
                      "cross_validated": round(best, 4), "folds": FOLDS},
        "pages": per_dataset, "training_f1": {"chooser": training_f1(chosen), **singles},
    }, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps({"chooser": training_f1(chosen), **singles}, indent=1))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
