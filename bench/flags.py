"""How well the sentence scores behind `loaded_language` and `opinion` separate BABE's labels.

    PYTHONPATH=$PWD python3 bench/flags.py [path/to/final_labels_SG2.csv]

Tasks: bias (Biased vs Non-biased) and opinion (writer's opinion vs entirely factual; also with
'somewhat opinionated' counted as opinion). For each score, ROC-AUC on the test split, and precision /
recall / F1 on the test split at the threshold that maximised F1 on the dev split. The baseline is
sentence length in words. For loaded_language, also how its evidence words agree with the words
BABE's annotators marked as biased (precision, recall) on the test split. Then sentences scored per
second. Last, how often the document flags fire on news: the gold article texts of
L3S-GN1 (621 Google News pages of many outlets), a rate to weigh a raised flag by.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, Item, bias_task, load, marked_forms, opinion_task  # noqa: E402
from extraction import load_harness  # noqa: E402

from cleaner.annotate.flags.loaded_language import LoadedLanguage  # noqa: E402
from cleaner.annotate.flags.opinion import Opinion  # noqa: E402
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
    from cleaner.annotate.sentence_scores import _form_profile, _profile

    _profile.cache_clear()
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
