"""Check cleaner's numpy MiniLM against sentence-transformers, and time it on one core.

    python3 -m venv /tmp/st && /tmp/st/bin/pip install torch==2.13.0 && /tmp/st/bin/pip install -e '.[models]'
    OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 /tmp/st/bin/python bench/minilm_check.py [--sentences 400]

`check`: for BABE sentences, the largest absolute difference between cleaner.annotate.minilm's 6-layer
embedding and sentence-transformers' `encode(normalize_embeddings=True)`, and between the k-layer embedding and
transformers' hidden state k, mean-pooled and normalised, for every k (needs torch and sentence-transformers,
which `cleaner[models]` pulls in as the weights package's requirement; cleaner never imports them).
`--speed-only` skips that and times `embed` alone: CPU milliseconds per sentence for the full sentences
(>= 6 words) of L3S-GN1's gold articles, one document a batch, as the flags embed them, per layer count.
Run with OPENBLAS_NUM_THREADS=1 for one core. `--fixture` writes sentence-transformers' embeddings of
FIXTURE_SENTENCES (all 6 layers, and hidden state 2, the flags' layer count) to
tests/fixtures/minilm_reference.json, which tests/test_flags_minilm.py compares cleaner's with (no torch there).
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

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "minilm_reference.json"
# made up for the fixture, not from any data set: plain, loaded, an opinion, accents and a long word
FIXTURE_SENTENCES = ("The council approved the budget on Tuesday after a two-hour meeting.",
                     "The reckless spending spree was an utterly shameful betrayal of taxpayers!",
                     "I think we should stop pretending this plan will ever work.",
                     "Café owners in Zürich said antidisestablishmentarianism was not on the menu.")


def reference_embeddings(reference, texts: list[str], layers: int) -> np.ndarray:  # noqa: ANN001 - torch types
    """transformers' hidden state `layers`, mean-pooled over the tokens and normalised."""
    import torch

    features = reference.tokenizer([t.strip() for t in texts], padding=True, truncation=True, max_length=MAX_TOKENS,
                                   return_tensors="pt")
    with torch.no_grad():
        hidden = reference[0].auto_model(**features, output_hidden_states=True).hidden_states[layers]
    mask = features["attention_mask"].unsqueeze(-1).float()
    return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1).numpy()


def check(texts: list[str], fixture: bool) -> None:
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
    for layers in range(LAYERS + 1):
        model = MiniLM(layers)
        worst = max(float(np.abs(model.embed(texts[i:i + 32]) - reference_embeddings(reference, texts[i:i + 32],
                                                                                      layers)).max())
                    for i in range(0, len(texts), 32))
        print(f"{layers} layers vs transformers' hidden state {layers}: max |difference| {worst:.2e}")
    if fixture:
        sentences = list(FIXTURE_SENTENCES)
        found = {"about": "sentence-transformers 'encode(normalize_embeddings=True)' (layers 6) and transformers' "
                          "hidden state 2 mean-pooled and normalised; made by bench/minilm_check.py --fixture",
                 "sentences": sentences,
                 "layers": {"6": np.round(reference.encode(sentences, normalize_embeddings=True), 7).tolist(),
                            "2": np.round(reference_embeddings(reference, sentences, 2), 7).tolist()}}
        FIXTURE.write_text(json.dumps(found) + "\n")
        print(f"wrote {FIXTURE}")


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
    parser.add_argument("--fixture", action="store_true", help="write tests/fixtures/minilm_reference.json")
    args = parser.parse_args()
    if not args.speed_only:
        check([item.text for item in load()][:args.sentences], args.fixture)
    speed(news_documents(args.articles), [int(k) for k in args.layers.split(",")])
    print(json.dumps({"note": "CPU time (time.process_time): one core only with OPENBLAS_NUM_THREADS=1"}))


if __name__ == "__main__":
    main()
