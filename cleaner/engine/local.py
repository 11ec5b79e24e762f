"""The local engine: a process pool that keeps input order, so `--jobs N` writes the same bytes as 1.

With a corpus context the corpus is read in two passes. The first prepares every input (decode,
extract, normalise: the costly part for HTML) in the pool, counts its lines into the context and spills
the prepared document to a file (kept in the output folder for `--resume`: `cleaner.engine.saved_pass`);
the second cleans and annotates the spilled documents with the finished context. Each input is thus
extracted once, by the pool, whichever pass it is in.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

import orjson

from cleaner.config import Config
from cleaner.dedup.params import params_from_config
from cleaner.document import Document
from cleaner.io.readers import Item, Quarantined, RawInput
from cleaner.noise.context import ContextBuilder, ContextEntry, CorpusContext
from cleaner.pipeline import finish, prepare

# (kind, payload): ("document", record JSON) or ("quarantine", entry JSON)
Result = tuple[str, bytes]
# what the first pass hands to the second: an input prepared into a document, or why it could not be
Prepared = Document | Quarantined

In = TypeVar("In")
Out = TypeVar("Out")

_worker_config: Config | None = None
_worker_context: CorpusContext | None = None


def _to_result(outcome: Prepared) -> Result:
    if isinstance(outcome, Quarantined):
        return "quarantine", orjson.dumps(outcome.to_dict(), option=orjson.OPT_SORT_KEYS)
    return "document", outcome.to_json()


def _guarded(item: Item | Document, stage: Callable[[], Prepared]) -> Prepared:
    """A crash in a stage quarantines the input, not the run."""
    try:
        return stage()
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a corpus
        key = item.metadata["input_key"] if isinstance(item, Document) else item.key
        return Quarantined(key, item.source, "processing_error", f"{type(exc).__name__}: {exc}")


def process_to_json(item: Item | Document, config: Config, context: CorpusContext | None = None) -> Result:
    """One input (raw, or prepared by a first pass) to its serialised result."""
    if isinstance(item, Quarantined):
        return _to_result(item)
    if isinstance(item, Document):
        return _to_result(_guarded(item, lambda: finish(item, config, context)))

    def whole() -> Prepared:
        prepared = prepare(item, config)
        return prepared if isinstance(prepared, Quarantined) else finish(prepared, config, context)

    return _to_result(_guarded(item, whole))


def prepare_with_entry(item: Item, config: Config, _context: CorpusContext | None = None
                       ) -> tuple[Prepared, ContextEntry | None]:
    """First pass: an input prepared, and what its text adds to the corpus context.

    Takes (and ignores) a context like every task of `_ordered_map`: the first pass is what builds it.
    """
    if isinstance(item, Quarantined):
        return item, None
    assert isinstance(item, RawInput)
    prepared = _guarded(item, lambda: prepare(item, config))
    if isinstance(prepared, Quarantined):
        return prepared, None
    return prepared, ContextEntry.of(prepared.metadata["input_key"], prepared.raw, prepared.metadata,
                                     params_from_config(config))


def _init_worker(config: Config, context: CorpusContext | None) -> None:
    # a context kept in a file arrives as its path, and each worker opens the file read-only
    global _worker_config, _worker_context
    _worker_config, _worker_context = config, context


def _in_worker(work: Callable[[In, Config, CorpusContext | None], Out], item: In) -> Out:
    # config and context reach each worker once, through the pool's initializer, not with every task
    assert _worker_config is not None
    return work(item, _worker_config, _worker_context)


def _ordered_map(work: Callable[[In, Config, CorpusContext | None], Out], items: Iterable[In], jobs: int,
                 config: Config, context: CorpusContext | None) -> Iterator[Out]:
    """`work(item, config, context)` over `items` in input order; with jobs > 1 on a pool of processes."""
    if jobs <= 1:
        for item in items:
            yield work(item, config, context)
        return
    # Pool.imap would read the whole input ahead of the workers; a bounded window of pending tasks
    # keeps memory flat on any corpus size while preserving input order.
    window = jobs * 8
    pool_context = multiprocessing.get_context("spawn")
    with pool_context.Pool(jobs, initializer=_init_worker, initargs=(config, context)) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.apply_async(_in_worker, (work, item)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _key(prepared: Prepared) -> str:
    return prepared.metadata["input_key"] if isinstance(prepared, Document) else prepared.key


def first_pass(items: Iterable[Item], config: Config, jobs: int = 1, spill: IO[bytes] | None = None,
               path: Path | None = None) -> CorpusContext:
    """The corpus context of every input, built in the file `path` (else in memory) as the inputs come.

    With `spill`, every prepared input is pickled to it, in input order, for `second_pass`: all of them,
    so that one spill serves a run and every resume of it (`cleaner.engine.saved_pass`).
    """
    builder = ContextBuilder(params_from_config(config), path)
    for prepared, entry in _ordered_map(prepare_with_entry, items, jobs, config, None):
        if spill is not None:
            pickle.dump(prepared, spill, protocol=pickle.HIGHEST_PROTOCOL)
        if entry is not None:
            builder.add(entry)
    return builder.finish()


def _spilled(spill: IO[bytes]) -> Iterator[Prepared]:
    # the spill is a file this run (or the run it resumes, checked by its digest) wrote, never input:
    # unpickling it is safe
    spill.seek(0)
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return


def second_pass(spill: IO[bytes], config: Config, context: CorpusContext, jobs: int = 1,
                skip: frozenset[str] = frozenset()) -> Iterator[Result]:
    """Clean and annotate the documents `first_pass` spilled, in their order, but those whose key is in `skip`."""
    todo = (prepared for prepared in _spilled(spill) if _key(prepared) not in skip)
    yield from _ordered_map(process_to_json, todo, jobs, config, context)


def run_local(items: Iterable[Item], config: Config, jobs: int = 1,
              context: CorpusContext | None = None) -> Iterator[Result]:
    """Results in input order, each input read, prepared and finished in one pass."""
    yield from _ordered_map(process_to_json, items, jobs, config, context)
