"""Reproduce the line-classifier weights from the annotated pages of ../shared/data/extraction.

    python3 ../shared/tools/extraction_eval.py --datasets dragnet,l3s_gn1,cleaneval,cleanportaleval \\
        --export /tmp/extraction.jsonl
    python -m cleaner.noise.train /tmp/extraction.jsonl      # writes cleaner/noise/data/line_classifier.json

Every page's noisy text (one visible block per line) is labelled line by line against the gold main
text; documents whose hashed id falls in the held-out split (`is_held_out`) are never trained on.
Deterministic: same export -> same weights. Needs scipy (L-BFGS) at training time only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from cleaner.noise.classifier import MISSING, BinnedLogistic, context_features, line_features

TRAIN_DATASETS = ("dragnet", "l3s_gn1", "cleaneval", "cleanportaleval")
HELD_OUT_SHARE = 0.3
BINS = 20
L2 = 3e-4
SMOOTHING_STAGES = 1
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def is_held_out(dataset: str, doc_id: str) -> bool:
    """The fixed held-out split: 30% of documents by a hash of their id, the same for every tool."""
    digest = hashlib.sha1(f"{dataset}/{doc_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < HELD_OUT_SHARE


def label_lines(lines: list[str], gold: str) -> np.ndarray:
    """1 for a line that is part of the gold text: a substring of it when long, a whole gold line when short."""
    gold_flat = _SPACE.sub(" ", gold).strip()
    gold_lines = {_SPACE.sub(" ", g).strip() for g in gold.splitlines()}
    labels = np.zeros(len(lines))
    for i, line in enumerate(lines):
        text = _SPACE.sub(" ", line).strip()
        if text in gold_lines or (len(_TOKEN.findall(text)) >= 5 and text in gold_flat):
            labels[i] = 1.0
    return labels


def load(path: Path, held_out: bool) -> Iterable[tuple[list[str], np.ndarray, str]]:
    with path.open(encoding="utf-8") as fh:
        for row in fh:
            record = json.loads(row)
            if record["dataset"] not in TRAIN_DATASETS or is_held_out(record["dataset"], record["id"]) != held_out:
                continue
            lines = [line.strip() for line in record["noisy_text"].split("\n") if line.strip()]
            if len(lines) >= 3 and record.get("gold_text"):
                yield lines, label_lines(lines, record["gold_text"]), record["dataset"]


def token_weights(lines: list[str]) -> np.ndarray:
    """Each document weighs 1 in total, spread over its lines by token count (the metric counts tokens)."""
    counts = np.array([max(len(_TOKEN.findall(line)), 1) for line in lines], dtype=float)
    return counts / counts.sum()


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> BinnedLogistic:
    """Quantile-bin every feature, then fit one weight per bin by L2-regularised weighted logistic loss."""
    from scipy.optimize import minimize

    quantiles = np.linspace(0, 1, BINS + 1)[1:-1]
    # the extra edge gives MISSING (no neighbour) a bin of its own
    edges = [np.unique(np.concatenate([[MISSING / 2], np.quantile(x[:, j], quantiles)])) for j in range(x.shape[1])]
    model = BinnedLogistic([e.tolist() for e in edges], [[0.0] * (len(e) + 1) for e in edges], 0.0)
    sizes = [len(e) + 1 for e in edges]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    index = model.bins(x) + offsets
    w = w / w.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        logit = theta[0] + theta[1:][index].sum(axis=1)
        p = 1.0 / (1.0 + np.exp(-logit))
        eps = 1e-12
        value = -(w * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))).sum() + L2 * (theta[1:] ** 2).sum()
        residual = w * (p - y)
        grad = np.concatenate([[residual.sum()], np.bincount(index.ravel(), np.repeat(residual, x.shape[1]),
                                                             minlength=sum(sizes)) + 2 * L2 * theta[1:]])
        return value, grad

    theta = minimize(loss, np.zeros(1 + sum(sizes)), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    weights = [theta[1 + o:1 + o + s].tolist() for o, s in zip(offsets, sizes, strict=True)]
    return BinnedLogistic([e.tolist() for e in edges], weights, float(theta[0]))


def train(path: Path) -> dict[str, dict]:
    docs = list(load(path, held_out=False))
    print(f"training on {len(docs)} documents, {sum(len(d[0]) for d in docs)} lines", file=sys.stderr)
    feats = [line_features(lines) for lines, _, _ in docs]
    labels = [y for _, y, _ in docs]
    weights = [token_weights(lines) for lines, _, _ in docs]

    def stack(parts: list[np.ndarray], keep: list[int]) -> np.ndarray:
        return np.concatenate([parts[i] for i in keep])

    everything = list(range(len(docs)))
    folds = [everything[0::2], everything[1::2]]
    y, w = stack(labels, everything), stack(weights, everything)
    stages = [fit(stack(feats, everything), y, w)]
    # each smoothing stage learns from scores of models that did not see the document (two-fold cross-fitting)
    inputs = feats
    for _ in range(SMOOTHING_STAGES):
        oof: list[np.ndarray] = [np.empty(0)] * len(docs)
        for train_fold, score_fold in (folds, folds[::-1]):
            model = fit(stack(inputs, train_fold), stack(labels, train_fold), stack(weights, train_fold))
            for i in score_fold:
                oof[i] = context_features(model.probability(inputs[i]), feats[i])
        inputs = oof
        stages.append(fit(stack(inputs, everything), y, w))
    return {"stages": [stage.to_dict() for stage in stages]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", type=Path, help="JSONL written by extraction_eval.py --export")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "line_classifier.json")
    args = parser.parse_args(argv)
    model = train(args.export)
    model["about"] = {"train_datasets": list(TRAIN_DATASETS), "held_out_share": HELD_OUT_SHARE, "bins": BINS,
                      "l2": L2, "smoothing_stages": SMOOTHING_STAGES, "trained_by": "python -m cleaner.noise.train"}
    args.out.write_text(json.dumps(model, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
