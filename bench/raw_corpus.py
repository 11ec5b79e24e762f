"""A synthetic *input* corpus (what a scraper hands over), for the engine benchmark and engine tests.

JSONL shards of news-like articles: plain text and HTML pages, noise lines the rules remove
(prompts, share bars, link markup), near-duplicates of earlier articles (for dedup) and a few broken
lines (for quarantine), plus loose .txt/.html files so that directory walking is exercised too.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import orjson

WORDS = ("the council said on monday that new rules for data centres would cut power use by a third while "
         "critics argued the plan left rural regions behind and raised costs for small firms across the "
         "country as officials weighed tax relief grid upgrades water limits rail links harbour dredging "
         "schools hospitals farmers exporters budget deficit inflation wages housing court ruling election "
         "minister parliament opposition survey researchers university climate storm flood drought").split()
NOISE = ("Subscribe to our newsletter for the latest news", "Share on Facebook", "Sign up for free to keep reading",
         "Read more: [Full coverage](https://news.example/coverage)", "Advertisement", "Comments (12)")
BROKEN = (b'{"text": "unterminated', b'{"url": "https://x.example/a"}', b"[1, 2, 3]")


def _paragraph(rng: random.Random) -> str:
    sentences = (" ".join(rng.choices(WORDS, k=rng.randint(10, 24))).capitalize() + "."
                 for _ in range(rng.randint(2, 5)))
    return " ".join(sentences)


def _article(rng: random.Random) -> list[str]:
    lines = [_paragraph(rng) for _ in range(rng.randint(3, 8))]
    for _ in range(rng.randint(0, 3)):
        lines.insert(rng.randint(0, len(lines)), rng.choice(NOISE))
    return lines


def _html(title: str, lines: list[str]) -> str:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>")


def _record(rng: random.Random, index: int, pool: list[list[str]]) -> bytes:
    if pool and rng.random() < 0.1:
        lines = list(rng.choice(pool))  # a copy, or a near-duplicate with a few words changed
        if rng.random() < 0.6:
            line = rng.randrange(len(lines))
            words = lines[line].split(" ")
            for _ in range(rng.randint(1, 4)):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            lines[line] = " ".join(words)
    else:
        lines = _article(rng)
        pool.append(lines)
        del pool[:-200]
    url = f"https://news{index % 13}.example/story/{index}"
    if rng.random() < 0.2:
        record = {"id": f"doc-{index}", "url": url, "html": _html(f"Story {index}", lines)}
    else:
        record = {"id": f"doc-{index}", "url": url, "text": "\n\n".join(lines) + "\n"}
    return orjson.dumps(record)


def input_records(documents: int, seed: int = 0) -> Iterator[dict]:
    """`documents` input rows as dicts (the JSONL lines' objects, without broken lines): for Parquet inputs."""
    rng = random.Random(seed)
    pool: list[list[str]] = []
    for index in range(documents):
        yield orjson.loads(_record(rng, index, pool))


def write_inputs(out: Path, documents: int, *, files: int = 20, seed: int = 0) -> Path:
    """Write about `documents` inputs into `out/`: `files` JSONL shards plus a few loose files."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    loose = max(documents // 100, 2)
    pool: list[list[str]] = []
    per_file = max((documents - loose) // files, 1)
    index = 0
    for part in range(files):
        count = per_file if part < files - 1 else documents - loose - per_file * (files - 1)
        lines = []
        for _ in range(count):
            lines.append(rng.choice(BROKEN) if rng.random() < 0.01 else _record(rng, index, pool))
            index += 1
        (out / f"part-{part:05d}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    pages = out / "pages"
    pages.mkdir(exist_ok=True)
    for number in range(loose):
        lines = _article(rng)
        if number % 2:
            (pages / f"page-{number:04d}.html").write_text(_html(f"Page {number}", lines), encoding="utf-8")
        else:
            (pages / f"page-{number:04d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return out
