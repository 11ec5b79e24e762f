"""Check cleaner's numpy MiniLM against sentence-transformers, and time it on one core.

    python3 -m venv /tmp/st && /tmp/st/bin/pip install torch==2.13.0 && /tmp/st/bin/pip install -e '.[models]'
    OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 /tmp/st/bin/python bench/minilm_check.py [--sentences 400]

`check`: for BABE sentences, the largest absolute difference between cleaner.annotate.minilm's 6-layer
embedding and sentence-transformers' `encode(normalize_embeddings=True)`, and between the k-layer embedding and
transformers' hidden state k, mean-pooled and normalised, for every k (needs torch and sentence-transformers,
which `cleaner[models]` pulls in as the weights package's requirement; cleaner never imports them).
`--speed-only` skips that and times `embed` alone: CPU milliseconds per sentence for the full sentences
(>= 6 words) of L3S-GN1's gold articles, one document a batch, as the flags embed them, per layer count.
Run with OPENBLAS_NUM_THREADS=1 for one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from babe import load  # noqa: E402

from cleaner.annotate.minilm import LAYERS, MAX_TOKENS, MiniLM, model_dir  # noqa: E402


def check(texts: list[str]) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    reference = SentenceTransformer(str(model_dir()), device="cpu")
    reference.max_seq_length = MAX_TOKENS
    full = MiniLM(LAYERS)
    ours = np.concatenate([full.embed(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    theirs = reference.encode(texts, batch_size=32, normalize_embeddings=True)
    print(f"6 layers vs sentence-transformers, {len(texts)} BABE sentences: max |difference| "
          f"{np.abs(ours - theirs).max():.2e}")
    bert = reference[0].auto_model
    for layers in range(LAYERS + 1):
        model = MiniLM(layers)
        worst = 0.0
        for i in range(0, len(texts), 32):
            batch = texts[i:i + 32]
            features = reference.tokenizer([t.strip() for t in batch], padding=True, truncation=True,
                                           max_length=MAX_TOKENS, return_tensors="pt")
            with torch.no_grad():
                hidden = bert(**features, output_hidden_states=True).hidden_states[layers]
            mask = features["attention_mask"].unsqueeze(-1).float()
            pooled = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1).numpy()
            worst = max(worst, float(np.abs(model.embed(batch) - pooled).max()))
        print(f"{layers} layers vs transformers' hidden state {layers}: max |difference| {worst:.2e}")


def news_documents(limit: int) -> list[list[str]]:
    from extraction import load_harness

    from cleaner.annotate.flags.sentence_model import full_sentences

    harness = load_harness()
    records = sorted(harness.load_dataset("l3s_gn1"), key=lambda r: r["id"])[:limit]
    return [[s.text for s, _, n in full_sentences(r["gold_text"] or "") if n >= 6] for r in records]


def speed(documents: list[list[str]], layer_counts: list[int]) -> None:
    sentences = sum(map(len, documents))
    tokens = 0
    for layers in layer_counts:
        model = MiniLM(layers)
        tokens = sum(len(ids) for doc in documents for ids in model.token_ids(doc))
        best = min(_timed(model, documents) for _ in range(3))
        print(f"{layers} layers: {1000 * best / sentences:.2f} ms CPU per sentence ({sentences} sentences of "
              f"{len(documents)} L3S-GN1 articles, {tokens / sentences:.1f} tokens each; best of 3)")


def _timed(model: MiniLM, documents: list[list[str]]) -> float:
    started = time.process_time()
    for doc in documents:
        for i in range(0, len(doc), 32):
            model.embed(doc[i:i + 32])
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--layers", default="0,1,2,3,6")
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args()
    if not args.speed_only:
        check([item.text for item in load()][:args.sentences])
    speed(news_documents(args.articles), [int(k) for k in args.layers.split(",")])
    print(json.dumps({"note": "CPU time (time.process_time): one core only with OPENBLAS_NUM_THREADS=1"}))


if __name__ == "__main__":
    main()
