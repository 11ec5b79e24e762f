"""How well the sentence scores behind `loaded_language` and `opinion` separate BABE's labels.

    PYTHONPATH=$PWD python3 bench/flags.py [path/to/final_labels_SG2.csv]

Tasks: bias (Biased vs Non-biased) and opinion (writer's opinion vs entirely factual; also with
'somewhat opinionated' counted as opinion). For each score, ROC-AUC on the test split, and precision /
recall / F1 on the test split at the threshold that maximised F1 on the dev split. The baseline is
sentence length in words. For loaded_language, also the share of the annotators' biased words that
our evidence words hit. Last, how often the document flags fire on news: the gold article texts of
L3S-GN1 (621 Google News pages of many outlets), a rate to weigh a raised flag by.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, Item, bias_task, load, opinion_task  # noqa: E402
from extraction import load_harness  # noqa: E402

from cleaner.annotate.flags.loaded_language import LoadedLanguage  # noqa: E402
from cleaner.annotate.flags.opinion import Opinion  # noqa: E402
from cleaner.annotate.sentence_scores import sentence_features, sentence_models  # noqa: E402
from cleaner.annotate.text import words  # noqa: E402
from cleaner.config import DEFAULTS  # noqa: E402
from cleaner.document import Document  # noqa: E402


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count one half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


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
    print("\n### document thresholds (dev split, at the configured sentence_threshold)")
    print("| flag | sentence_threshold | share of negatives over it (news_baseline) | share of positives | midpoint |")
    print("|---|---|---|---|---|")
    for model_name, task in (("loaded_language", bias_task), ("opinion", opinion_task)):
        cut = DEFAULTS["flags"][model_name]["sentence_threshold"]
        dev = task(items, "dev")
        flagged = [(models[model_name].probability(sentence_features(i.text)) >= cut, y) for i, y in dev]
        negative = sum(f for f, y in flagged if not y) / max(sum(1 for _, y in flagged if not y), 1)
        positive = sum(f for f, y in flagged if y) / max(sum(1 for _, y in flagged if y), 1)
        print(f"| {model_name} | {cut} | {negative:.3f} | {positive:.3f} | {(negative + positive) / 2:.3f} |")
    hit, total, evidence_total, evidence_marked = biased_word_hits(bias_task(items, "test"))
    print(f"\nloaded_language evidence on biased test sentences: hits {hit}/{total} = {hit / total:.3f} of the "
          f"annotators' biased words; {evidence_marked}/{evidence_total} = "
          f"{evidence_marked / max(evidence_total, 1):.3f} of our evidence words were marked by annotators")


def news_rates() -> None:
    """Share of L3S-GN1's gold news articles that raise each document flag, and the median score."""
    harness = load_harness()
    if harness is None:
        print("\nextraction harness not found: no news rates")
        return
    articles = [record["gold_text"] for record in harness.load_dataset("l3s_gn1")]
    print(f"\n### document flags on news (L3S-GN1 gold articles: {len(articles)})")
    print("| flag | threshold | scored articles | median score | share raised |\n|---|---|---|---|---|")
    for flag in (LoadedLanguage(), Opinion()):
        settings = DEFAULTS["flags"][flag.name]
        found = [flag.assess(Document(str(i), "l3s_gn1", text), settings) for i, text in enumerate(articles)]
        scores = np.array([a.score for a in found if a is not None])
        print(f"| {flag.name} | {settings['threshold']} | {len(scores)} | {np.median(scores):.3f} "
              f"| {(scores >= settings['threshold']).mean():.3f} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH)
    news_rates()
