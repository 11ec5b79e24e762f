"""How well the sentence scores behind `loaded_language` and `opinion` separate BABE's labels.

    PYTHONPATH=$PWD python3 bench/flags.py [path/to/final_labels_SG2.csv]

Tasks: bias (Biased vs Non-biased) and opinion (writer's opinion vs entirely factual; also with
'somewhat opinionated' counted as opinion). For each score, ROC-AUC on the test split, and precision /
recall / F1 on the test split at the threshold that maximised F1 on the dev split. The baseline is
sentence length in words. For loaded_language, also the share of the annotators' biased words that
our evidence words hit. Last, per document flag: the share of L3S-GN1's held-out gold news articles it
raises (the reference it is calibrated on is the other split, bench/calibrate_flags.py), and the Spearman
correlation between its document score and the share of biased (opinion) sentences of BABE's articles.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, Item, article_groups, bias_task, load, opinion_task  # noqa: E402

from cleaner.annotate.sentence_scores import sentence_features, sentence_models  # noqa: E402
from cleaner.annotate.text import words  # noqa: E402
from cleaner.config import DEFAULTS  # noqa: E402
from cleaner.document import Document  # noqa: E402


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given the mean of their ranks."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ordered = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and ordered[j + 1] == ordered[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count one half)."""
    ranks = average_ranks(scores)
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation (Pearson's on average ranks)."""
    return float(np.corrcoef(average_ranks(x), average_ranks(y))[0, 1])


def prf(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float, float]:
    predicted = scores >= threshold
    tp = float((predicted & (labels == 1)).sum())
    precision = tp / max(predicted.sum(), 1)
    recall = tp / max(labels.sum(), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-12)


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(scores)
    return float(max(candidates, key=lambda t: (prf(scores, labels, t)[2], -t)))


def evaluate(name: str, score: Callable[[Item], float], dev: list[tuple[Item, int]],
             test: list[tuple[Item, int]]) -> str:
    dev_s = np.array([score(i) for i, _ in dev])
    dev_y = np.array([y for _, y in dev])
    test_s = np.array([score(i) for i, _ in test])
    test_y = np.array([y for _, y in test])
    threshold = best_threshold(dev_s, dev_y)
    p, r, f = prf(test_s, test_y, threshold)
    return (f"| {name} | {roc_auc(test_s, test_y):.3f} | {roc_auc(dev_s, dev_y):.3f} | {threshold:.3f} | {p:.3f} "
            f"| {r:.3f} | {f:.3f} |")


def biased_word_hits(test: list[tuple[Item, int]]) -> tuple[int, int, int, int]:
    """(annotated words hit by evidence, annotated words, evidence words, evidence words annotated)."""
    hit = total = evidence_total = evidence_marked = 0
    model = sentence_models()["loaded_language"]
    for item, label in test:
        if not label:
            continue
        marked = {w.lower for phrase in item.biased_words for w in words(phrase)}
        evidence = {w.lower for w in model.drivers(sentence_features(item.text))}
        hit += len(marked & evidence)
        total += len(marked)
        evidence_total += len(evidence)
        evidence_marked += len(evidence & marked)
    return hit, total, evidence_total, evidence_marked


def main(path: Path) -> None:
    items = load(path)
    models = sentence_models()
    length = lambda item: float(len(words(item.text)))  # noqa: E731
    header = ("| score | ROC-AUC (test) | ROC-AUC (dev) | threshold (dev) | P (test) | R (test) | F1 (test) |"
              "\n|---|---|---|---|---|---|---|")
    tasks = {
        "bias: biased vs non-biased": (bias_task, "loaded_language", {}),
        "opinion: writer's opinion vs entirely factual": (opinion_task, "opinion", {}),
        "opinion: opinion or somewhat opinionated vs entirely factual": (opinion_task, "opinion",
                                                                          {"somewhat_positive": True}),
    }
    for title, (task, model_name, options) in tasks.items():
        dev, test = task(items, "dev", **options), task(items, "test", **options)
        model = models[model_name]
        print(f"\n### {title} (dev {len(dev)}, test {len(test)} sentences)\n{header}")
        print(evaluate(f"{model_name} sentence score", lambda i, m=model: m.probability(sentence_features(i.text)),
                       dev, test))
        print(evaluate("baseline: sentence length", length, dev, test))
    hit, total, evidence_total, evidence_marked = biased_word_hits(bias_task(items, "test"))
    print(f"\nloaded_language evidence on biased test sentences: hits {hit}/{total} = {hit / total:.3f} of the "
          f"annotators' biased words; {evidence_marked}/{evidence_total} = "
          f"{evidence_marked / max(evidence_total, 1):.3f} of our evidence words were marked by annotators")


def document_flags(items: list[Item]) -> None:
    """Per document flag: the share of held-out news articles raised, and how its score ranks BABE's articles."""
    from calibrate_flags import FLAGS, news_scores

    print("\n### document flags: held-out L3S-GN1 gold articles raised; Spearman with BABE's per-article labels")
    print("(BABE articles: >= 3 labelled dev/test sentences, one a line; the label is the share of biased sentences,"
          " for opinion of opinion sentences with 'somewhat' counted half)")
    print("| flag | threshold | held-out news articles | raised | BABE articles | Spearman |")
    print("|---|---|---|---|---|---|")
    for flag in FLAGS:
        settings = DEFAULTS["flags"][flag.name]
        news = news_scores(flag, "held_out")
        raised = sum(score >= settings["threshold"] for score in news)
        pairs = [(a.score, share) for i, (text, share) in enumerate(article_groups(items, flag.name))
                 if (a := flag.assess(Document(f"babe-{i}", "babe", text), settings)) is not None]
        scores, shares = (np.array(column) for column in zip(*pairs, strict=True))
        print(f"| {flag.name} | {settings['threshold']} | {len(news)} | {raised} ({raised / len(news):.1%}) "
              f"| {len(pairs)} | {spearman(scores, shares):.3f} |")


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    main(path)
    document_flags(load(path))
