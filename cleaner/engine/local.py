"""The local engine: a process pool that keeps input order, so `--jobs N` writes the same bytes as 1."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator

import orjson

from cleaner.config import Config
from cleaner.io.readers import Item, Quarantined
from cleaner.pipeline import process

# (kind, payload): ("document", record JSON) or ("quarantine", entry JSON)
Result = tuple[str, bytes]

_worker_config: Config | None = None


def process_to_json(item: Item, config: Config) -> Result:
    """One input to its serialised result; a crash in a stage quarantines the input, not the run."""
    if isinstance(item, Quarantined):
        return "quarantine", orjson.dumps(item.to_dict(), option=orjson.OPT_SORT_KEYS)
    try:
        outcome = process(item, config)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus
        outcome = Quarantined(item.key, item.source, "processing_error", f"{type(exc).__name__}: {exc}")
    if isinstance(outcome, Quarantined):
        return "quarantine", orjson.dumps(outcome.to_dict(), option=orjson.OPT_SORT_KEYS)
    return "document", outcome.to_json()


def _init_worker(config: Config) -> None:
    global _worker_config
    _worker_config = config


def _work(item: Item) -> Result:
    assert _worker_config is not None
    return process_to_json(item, _worker_config)


def run_local(items: Iterable[Item], config: Config, jobs: int = 1) -> Iterator[Result]:
    """Results in input order; with jobs > 1 the work is spread over a pool of worker processes."""
    if jobs <= 1:
        for item in items:
            yield process_to_json(item, config)
        return
    # Pool.imap would read the whole input ahead of the workers; a bounded window of pending tasks
    # keeps memory flat on any corpus size while preserving input order.
    window = jobs * 8
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(config,)) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.apply_async(_work, (item,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
