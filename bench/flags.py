"""How well the sentence scores behind `loaded_language` and `opinion` separate BABE's labels.

    PYTHONPATH=$PWD python3 bench/flags.py [path/to/final_labels_SG2.csv]

Tasks: bias (Biased vs Non-biased) and opinion (writer's opinion vs entirely factual; also with
'somewhat opinionated' counted as opinion). For each score, ROC-AUC on the test split, and precision /
recall / F1 on the test split at the threshold that maximised F1 on the dev split. The baseline is
sentence length in words. For loaded_language, also how its evidence words agree with the words
BABE's annotators marked as biased (precision, recall) on the test split. Then sentences scored per
second. Last, per document flag: the share of L3S-GN1's held-out gold news articles it
raises (the reference it is calibrated on is the other split, bench/calibrate_flags.py), and the Spearman
correlation between its document score and the share of biased (opinion) sentences of BABE's articles.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, Item, article_groups, bias_task, load, marked_forms, opinion_task  # noqa: E402

from cleaner.annotate.sentence_scores import (  # noqa: E402
    SentenceModel,
    WordModel,
    loaded_words,
    sentence_features,
    sentence_models,
    shipped_word_model,
)
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


@dataclass(frozen=True)
class Agreement:
    """Evidence words vs annotators' marks over a set of sentences."""

    sentences: int
    named: int  # evidence words we name
    named_marked: int  # of those, marked by annotators
    marked: int  # words annotators marked
    marked_found: int  # of those, named by us

    @property
    def precision(self) -> float:
        return self.named_marked / max(self.named, 1)

    @property
    def recall(self) -> float:
        return self.marked_found / max(self.marked, 1)

    @property
    def f1(self) -> float:
        return 2 * self.precision * self.recall / max(self.precision + self.recall, 1e-12)

    def __str__(self) -> str:
        return (f"{self.sentences} sentences: precision {self.named_marked}/{self.named} = {self.precision:.3f}, "
                f"recall {self.marked_found}/{self.marked} = {self.recall:.3f}, F1 {self.f1:.3f}")


def evidence_agreement(task: list[tuple[Item, int]], model: SentenceModel, word_model: WordModel,
                       sentence_threshold: float | None, limit: int) -> Agreement:
    """How loaded_language's evidence words (at most `limit` per sentence) match the annotators' biased words,
    over the sentences the model flags (probability >= `sentence_threshold`; None: over the biased ones)."""
    sentences = named = named_marked = marked_total = marked_found = 0
    for item, label in task:
        features = sentence_features(item.text, word_model=word_model)
        if sentence_threshold is None and not label:
            continue
        if sentence_threshold is not None and model.probability(features) < sentence_threshold:
            continue
        marked = marked_forms(item)
        evidence = {w.lower for w in loaded_words(features, word_model, limit)}
        sentences += 1
        named += len(evidence)
        named_marked += len(evidence & marked)
        marked_total += len(marked)
        marked_found += len(marked & evidence)
    return Agreement(sentences, named, named_marked, marked_total, marked_found)


def sentences_per_second(texts: list[str]) -> float:
    """Feature extraction and both sentence models, per sentence, on a cold word cache."""
    from cleaner.annotate.sentence_scores import _form_profile, _form_table

    _form_table.cache_clear()
    _form_profile.cache_clear()
    models = list(sentence_models().values())
    started = time.perf_counter()
    for text in texts:
        features = sentence_features(text)
        for model in models:
            model.probability(features)
    return len(texts) / (time.perf_counter() - started)


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
    settings = DEFAULTS["flags"]["loaded_language"]
    test = bias_task(items, "test")
    print("\n### loaded_language evidence vs the annotators' biased words (test split, "
          f"at most {settings['evidence_words']} words per sentence)")
    for where, cut in (("sentences the model flags (p >= sentence_threshold)", settings["sentence_threshold"]),
                       ("sentences annotators label biased", None)):
        agreement = evidence_agreement(test, models["loaded_language"], shipped_word_model(), cut,
                                       settings["evidence_words"])
        print(f"- on {where}: {agreement}")
    texts = [item.text for item in items]
    print(f"\nspeed: {sentences_per_second(texts):,.0f} sentences/s (features + both models, "
          f"{len(texts)} BABE sentences)")


def document_flags(items: list[Item]) -> None:
    """Per document flag: the share of held-out news articles raised, and how its score ranks BABE's articles."""
    from calibrate_flags import FLAGS, news_scores

    print("\n### document flags: held-out L3S-GN1 gold articles raised; Spearman with BABE's per-article labels")
    print("(BABE articles: >= 3 labelled dev/test sentences, one a line; the label is the share of biased sentences,"
          " for opinion of opinion sentences with 'somewhat' counted half)")
    print("| flag | threshold | held-out news articles | raised | BABE articles | Spearman |")
    print("|---|---|---|---|---|---|")
    held_out = news_scores("held_out")
    for flag in FLAGS:
        settings = DEFAULTS["flags"][flag.name]
        news = held_out[flag.name]
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
