"""Calibrate the `loaded_language` and `opinion` document scores on news: the reference their percentiles use.

    PYTHONPATH=$PWD python3 bench/calibrate_flags.py [--write] [--compare] [--model minilm]

The reference is the gold article texts of L3S-GN1 (621 Google News articles of 408 sites) outside the
held-out split (`cleaner.noise.train.is_held_out`), each cleaned by the pipeline (flags off) the way a
document is before it is flagged. `--write` stores each flag's sorted raw scores in
`cleaner/annotate/data/news_reference.json` (with a digest of the sentence models and the settings they
depend on, so tests/test_flags_calibration.py fails when the reference is stale); re-run it after a refit of
`data/sentence_models.json` or a change of those settings. Always printed: the share of the train and of
the held-out articles each flag raises at the configured thresholds. `--compare` also prints how well
candidate raw scores (aggregates of the sentence probabilities) rank BABE's articles by their share of
biased / opinion sentences (Spearman), the measurement behind the mean probability the flags use.
`--model minilm` does the same for the optional MiniLM sentence model (`flags.<name>.model`), whose reference
is `data/news_reference_minilm.json` (with the digest of `data/minilm_heads.json`): re-run it after a refit of
the heads (bench/fit_embedding_heads.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import DEFAULT_PATH, article_groups, load  # noqa: E402
from extraction import load_harness  # noqa: E402

from cleaner.annotate.flags import FLAGS as REGISTERED  # noqa: E402
from cleaner.annotate.flags.embedding_model import HEADS_FILE  # noqa: E402
from cleaner.annotate.flags.loaded_language import LoadedLanguage  # noqa: E402
from cleaner.annotate.flags.news_reference import REFERENCE_FILES  # noqa: E402
from cleaner.annotate.flags.opinion import Opinion  # noqa: E402
from cleaner.annotate.flags.sentence_model import SentenceModelFlag, full_sentences  # noqa: E402
from cleaner.annotate.sentence_scores import sentence_models  # noqa: E402
from cleaner.api import QuarantineError, clean  # noqa: E402
from cleaner.config import DEFAULTS, Config  # noqa: E402
from cleaner.document import Document  # noqa: E402
from cleaner.noise.train import is_held_out  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTS = {model: ROOT / "cleaner" / "annotate" / path for model, path in REFERENCE_FILES.items()}
OUT = OUTS["lexicon"]
# what each sentence model's scores come from: a refit makes its reference stale
MODEL_FILES = {"lexicon": ROOT / "cleaner" / "annotate" / "data" / "sentence_models.json",
               "minilm": ROOT / "cleaner" / "annotate" / HEADS_FILE}
DATASET = "l3s_gn1"
SPLITS = ("train", "held_out")
FLAGS: tuple[SentenceModelFlag, ...] = (LoadedLanguage(), Opinion())
# the settings a raw score depends on (the threshold and the evidence cut-off do not change it)
RAW_SETTINGS = ("min_words", "min_sentences", "genre_label_bonus", "contributor_bio_bonus")


def calibration_key(model: str = "lexicon") -> dict[str, object]:
    """What the shipped reference was computed with: the sentence models' digest and the raw-score settings."""
    digest = hashlib.sha256(MODEL_FILES[model].read_bytes()).hexdigest()
    return {("sentence_models_sha256" if model == "lexicon" else f"{model}_heads_sha256"): digest,
            "settings": {flag.name: {k: DEFAULTS["flags"][flag.name][k] for k in RAW_SETTINGS
                                     if k in DEFAULTS["flags"][flag.name]} for flag in FLAGS}}


def flag_settings(flag: SentenceModelFlag, model: str) -> dict[str, object]:
    """The flag's default settings with sentence model `model`."""
    return {**DEFAULTS["flags"][flag.name], "model": model}


@cache
def news_documents(split: str) -> list[Document]:
    """L3S-GN1's gold articles of one split ('train' or 'held_out') as the pipeline leaves them (flags off)."""
    harness = load_harness()
    if harness is None:
        raise SystemExit("the extraction harness (../shared/tools/extraction_eval.py) is missing")
    config = Config({"flags": {"disabled": sorted(REGISTERED)}})
    documents = []
    for record in sorted(harness.load_dataset(DATASET), key=lambda r: r["id"]):
        if ("held_out" if is_held_out(DATASET, record["id"]) else "train") != split:
            continue
        try:
            documents.append(clean(record["gold_text"] or "", kind="text", config=config))
        except QuarantineError:
            continue
    return documents


def raw_scores(flag: SentenceModelFlag, documents: list[Document], model: str = "lexicon") -> list[float]:
    """The flag's raw score of every document it can read (English, enough sentences), sorted."""
    settings = flag_settings(flag, model)
    readings = [flag.read(d, settings) for d in documents if d.metadata.get("language") in flag.languages]
    return sorted(r.raw_score for r in readings if r is not None)


def news_scores(split: str, model: str = "lexicon") -> dict[str, list[float]]:
    """Per flag, its document scores (news percentiles) of one split's articles it can read; each document
    is assessed by every flag in turn, so the flags share its sentence embeddings (cached for a few
    documents only)."""
    settings = {flag.name: flag_settings(flag, model) for flag in FLAGS}
    scores: dict[str, list[float]] = {flag.name: [] for flag in FLAGS}
    for document in news_documents(split):
        for flag in FLAGS:
            if document.metadata.get("language") in flag.languages:
                if (assessment := flag.assess(document, settings[flag.name])) is not None:
                    scores[flag.name].append(assessment.score)
    return scores


def raise_rates(model: str = "lexicon") -> list[str]:
    """Table rows: per flag and split, the articles scored and the share raised at the configured threshold."""
    rows = []
    by_split = {split: news_scores(split, model) for split in SPLITS}
    for flag in FLAGS:
        threshold = DEFAULTS["flags"][flag.name]["threshold"]
        for split in SPLITS:
            scores = by_split[split][flag.name]
            raised = sum(s >= threshold for s in scores)
            rows.append(f"| {flag.name} | {split} | {threshold} | {len(scores)} | {raised} "
                        f"| {raised / max(len(scores), 1):.3f} |")
    return rows


def write_reference(model: str = "lexicon") -> None:
    train = news_documents("train")
    prefix = "" if model == "lexicon" else f"{model} "
    flags = {flag.name: {"raw_score": f"mean {prefix}{flag.model} sentence probability" + (
        " + the bonuses of its op-ed cues" if flag.name == "opinion" else ""),
        "raw_scores": raw_scores(flag, train, model)} for flag in FLAGS}
    command = "bench/calibrate_flags.py --write" + ("" if model == "lexicon" else f" --model {model}")
    reference = {"about": f"Sorted raw document scores of {DATASET}'s gold articles outside the held-out split, "
                          f"cleaned by the pipeline; made by {command}",
                 **calibration_key(model), "flags": flags}
    out = OUTS[model]
    out.write_text(json.dumps(reference, indent=None, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: " + ", ".join(f"{n} {len(v['raw_scores'])} articles"
                                                        for n, v in flags.items()))
    from cleaner.annotate.flags.news_reference import news_reference

    news_reference.cache_clear()


# candidate document raw scores from a document's sentence probabilities (the flags use "mean")
AGGREGATES: dict[str, Callable[[np.ndarray, float], float]] = {
    "share >= sentence_threshold": lambda p, cut: float((p >= cut).mean()),
    "mean": lambda p, cut: float(p.mean()),
    "mean log-odds": lambda p, cut: float(np.log(p / (1 - p)).mean()),
    "median": lambda p, cut: float(np.median(p)),
    "mean of the top third": lambda p, cut: float(np.sort(p)[-max(1, len(p) // 3):].mean()),
    "max": lambda p, cut: float(p.max()),
}


def compare_aggregates(babe: Path) -> None:
    from flags import spearman

    items = load(babe)
    print("\n### raw score candidates: Spearman with the share of biased / opinion sentences per BABE article")
    print("(articles with >= 3 labelled sentences and at least min_sentences full sentences; the dev and test splits"
          " are the sentences the models were not fit on, all splits add the train split for more articles)")
    print("| flag | sentences | articles | " + " | ".join(AGGREGATES) + " |\n|---|---|---|" + "---|" * len(AGGREGATES))
    for flag in FLAGS:
        model = sentence_models()[flag.model]
        settings = DEFAULTS["flags"][flag.name]
        for splits in (("dev", "test"), ("train", "dev", "test")):
            columns: dict[str, list[float]] = {name: [] for name in AGGREGATES}
            targets = []
            for text, share in article_groups(items, flag.name, splits):
                p = np.array([model.probability(f) for _, f, n in full_sentences(text) if n >= settings["min_words"]])
                if len(p) < settings["min_sentences"]:  # as the flag: too few sentences to weigh
                    continue
                for name, aggregate in AGGREGATES.items():
                    columns[name].append(aggregate(p, settings["sentence_threshold"]))
                targets.append(share)
            print(f"| {flag.name} | {' + '.join(splits)} | {len(targets)} | " + " | ".join(
                f"{spearman(np.array(v), np.array(targets)):.3f}" for v in columns.values()) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the model's news reference from the train split")
    parser.add_argument("--model", choices=sorted(REFERENCE_FILES), default="lexicon")
    parser.add_argument("--compare", action="store_true", help="compare raw-score aggregates on BABE articles")
    parser.add_argument("--babe", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args()
    if args.write:
        write_reference(args.model)
    print(f"\n### document flags on {DATASET} gold articles (percentile thresholds of the shipped reference)")
    print("| flag | split | threshold | scored articles | raised | share raised |\n|---|---|---|---|---|---|")
    print("\n".join(raise_rates(args.model)))
    if args.compare:
        compare_aggregates(args.babe)


if __name__ == "__main__":
    main()
