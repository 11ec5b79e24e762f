"""A synthetic cleaned corpus in the real output format, for the audit benchmark and tests.

Records are built with `Document`, so `text`, `attributes` and `metadata.removals` agree exactly as the
pipeline writes them; they also carry the fields the later stages add (`dedup`, `flags`,
`provenance`, `empty_after_cleaning`). Deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson

from cleaner.config import Config
from cleaner.document import Document, Span
from cleaner.io.writers import DOCUMENTS, QUARANTINE, RUN, dumps
from cleaner.pipeline import mark_empty_after_cleaning

WORDS = ("the council said on monday that new rules for data centres would cut power use by a third while "
         "critics argued the plan left rural regions behind and raised costs for small firms across the "
         "country as officials weighed tax relief grid upgrades and water limits").split()
NOISE = {
    "comment_widget": ["Comments (12)", "Leave a comment", "Log in to reply", "Show 40 more replies"],
    "subscribe_prompt": ["Subscribe to our newsletter for the latest news", "Sign up for free to keep reading"],
    "event_ad": ["Join us at the Data Summit 2026: book your tickets now", "Advertisement"],
    "share_bar": ["Share on Facebook", "Share on X", "Copy link"],
}
LANGUAGES = ("en",) * 14 + ("de", "de", "fr", "zh", None)
FLAGS = ("one_sided_sourcing", "state_media_source", "loaded_language")
QUARANTINE_REASONS = ("empty", "binary", "no_main_text", "too_large")
DEFAULT_CONFIG = Config()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(10, 22))
    return " ".join(words).capitalize() + "."


def _document(rng: random.Random, index: int, pool: list[Document], sources: int) -> Document:
    domain = f"news{rng.randrange(sources)}.example" if rng.random() < 0.9 else None
    if pool and rng.random() < 0.1:
        original = rng.choice(pool)
        raw, spans = original.raw + "\nUpdated.", list(original.spans)
        dedup = {"cluster": original.metadata["dedup"]["cluster"], "kept": False, "duplicate_of": original.id,
                 "similarity": round(rng.uniform(0.8, 1.0), 3)}
    else:
        pieces: list[str] = []
        spans = []
        cursor = 0
        for _ in range(rng.randint(3, 9)):
            if rng.random() < 0.35:
                category = rng.choice(sorted(NOISE))
                line = rng.choice(NOISE[category])
                spans.append(Span(cursor, cursor + len(line) + 1, category, f"{category}_v1", 0.9))
            elif rng.random() < 0.05:
                line = "Translated by Mara Jensen"
                spans.append(Span(cursor, cursor + len(line) + 1, "credits", "translator_credit_v1", 1.0,
                                  (("translator", "Mara Jensen"),)))
            else:
                line = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
            pieces.append(line + "\n")
            cursor += len(line) + 1
        raw = "".join(pieces)
        dedup = {"cluster": f"c{index}", "kept": True, "duplicate_of": None, "similarity": None}
    doc_id = f"{index:08d}{rng.getrandbits(64):016x}"
    author = rng.choice(["Dana Whitfield", "Ana Ruiz", None])
    license_ = "CC-BY-4.0" if rng.random() < 0.2 else None
    date = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if rng.random() < 0.8 else None
    metadata_url = f"https://{domain}/a/{index}" if domain else None
    metadata = {
        "domain": domain, "url": metadata_url,
        "title": f"Article {index}", "author": author, "date": date,
        "language": rng.choice(LANGUAGES), "language_confidence": 0.99,
        "source_path": f"crawl/part-{index % 7}.warc.gz", "dedup": dedup,
        # the shape harvest_provenance writes (cleaner/annotate/provenance.py)
        "provenance": {"authors": [author] if author else [], "license": {"id": license_} if license_ else None,
                       "date_published": date, "publisher": domain, "url": metadata_url},
    }
    if metadata["language"] != "en":  # the shape annotate_flags writes for its English-only flags
        metadata["flags_not_assessed"] = {name: f"reads en text only; document language {metadata['language']}"
                                          for name in ("loaded_language", "one_sided_sourcing", "opinion")}
    if rng.random() < 0.05:
        start = rng.randrange(0, max(1, len(raw) - 40))
        metadata["flags"] = [{"name": rng.choice(FLAGS), "score": round(rng.uniform(0.6, 1.0), 3), "threshold": 0.6,
                              "evidence": [[start, start + 40, raw[start:start + 40]]], "detail": "synthetic"}]
    document = Document(id=doc_id, source=metadata["source_path"], raw=raw, added="2026-11-23T00:00:00Z",
                        created=date, spans=spans, metadata=metadata)
    document.metadata["raw_chars"] = len(document.raw)
    document.metadata["clean_chars"] = len(document.text)
    mark_empty_after_cleaning(document, DEFAULT_CONFIG)  # a record of nothing but noise says so, as in a run
    return document


def write_corpus(out: Path, documents: int, seed: int = 0, sources: int = 30) -> Path:
    """Write documents.jsonl, quarantine.jsonl and run.json for a synthetic corpus into `out/`.

    `sources` is the number of web domains; a large one stresses the per-source aggregation.
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    pool: list[Document] = []  # recent originals that later records duplicate (bounded)
    with open(out / DOCUMENTS, "wb") as fh:
        for index in range(documents):
            document = _document(rng, index, pool, sources)
            fh.write(document.to_json() + b"\n")
            if document.metadata["dedup"]["kept"]:
                pool = (pool + [document])[-50:]
    quarantined = documents // 50
    with open(out / QUARANTINE, "wb") as fh:
        for index in range(quarantined):
            fh.write(orjson.dumps({"key": f"crawl/bad-{index}", "source": "crawl", "detail": "synthetic",
                                   "reason": QUARANTINE_REASONS[index % len(QUARANTINE_REASONS)]}) + b"\n")
    (out / RUN).write_bytes(dumps({"counts": {"documents": documents, "quarantined": quarantined},
                                   "config_hash": "synthetic", "jobs": 1,
                                   "timing": {"finished": "2026-11-23T00:00:00Z", "seconds": 0}}))
    return out
