"""The Ray engine: the same `process_to_json` as the local engine, run as Ray Data `map_batches` over shards.

The driver lists the input files (directories expanded in the local engine's sorted order) and groups
consecutive files into shards of similar size. Each map task reads its shard with `read_inputs`, runs
every item through `process_to_json` and writes `shards/documents-NNNNN.jsonl` and
`shards/quarantine-NNNNN.jsonl` atomically under a name fixed by the shard's position. Ray retries a
task whose worker or node died (Ray core's `max_retries`, 3 by default); the retry rewrites the same
file with the same bytes, never appends a second copy. Only per-shard counts travel back through the
object store; the driver then reads the shard files in shard order, which is input order, so the
runner writes the same `documents.jsonl` as the local engine, byte for byte.

Workers must see the input and output paths at the same place as the driver (one machine, or a
shared file system on a cluster). The corpus context, a SQLite file on the driver, travels as the
database's bytes (`CorpusContext.image`, put once in the object store), which each task opens in
memory: a worker on another machine cannot be assumed to see the driver's temporary file, and the
context is a few kB per document, far less than the records the same corpus puts through the workers.
The `cleaner` package itself is shipped to the workers with the job (`runtime_env` `py_modules`), so
a cluster runs exactly the driver's code.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import orjson

import cleaner
from cleaner.config import Config
from cleaner.engine.local import Result, process_to_json
from cleaner.io.fields import FieldMap
from cleaner.io.readers import STDIN, iter_paths, read_inputs
from cleaner.io.writers import write_atomic
from cleaner.noise.context import CorpusContext

# A local instance only carries per-shard counts (and dedup signatures) in its object store; the
# records themselves go to shard files, so a small store leaves the memory to the workers.
LOCAL_OBJECT_STORE_BYTES = 500_000_000
# Shards per CPU: more than one so that a slow shard at the end does not leave the other CPUs idle.
SHARDS_PER_CPU = 4
# The input files of each shard, so that --resume only reuses shard files cut the same way.
PLAN = "plan.json"


def shard_files(shard_dir: Path, index: int) -> tuple[Path, Path]:
    """The documents and quarantine files of shard `index`."""
    return shard_dir / f"documents-{index:05d}.jsonl", shard_dir / f"quarantine-{index:05d}.jsonl"


def plan_shards(paths: list[str], parts: int) -> list[list[str]]:
    """Split `paths` into at most `parts` runs of consecutive files of roughly equal total size.

    Consecutive, so that reading the shards in order gives input order; a file is never split.
    """
    sizes = [os.path.getsize(p) if os.path.isfile(p) else 0 for p in paths]
    target = max(sum(sizes) / max(parts, 1), 1)
    shards: list[list[str]] = []
    current: list[str] = []
    filled = 0
    for path, size in zip(paths, sizes, strict=True):
        current.append(path)
        filled += size
        if filled >= target:
            shards.append(current)
            current, filled = [], 0
    if current:
        shards.append(current)
    return shards


def paths_to_json(shards: list[list[str]] | list[str]) -> str:
    """File names as JSON text: the shard rows and the plan file.

    A name that is not UTF-8 holds lone surrogates (os.fsdecode), which orjson refuses; the standard
    library writes them as ASCII `\\udcNN` escapes and reads them back as the same surrogates, so a
    worker opens the very file the driver listed.
    """
    return json.dumps(shards, separators=(",", ":"))


def clean_shards(batch: dict[str, np.ndarray], config: Config, context_image: bytes | None, shard_dir: str,
                 reuse: bool) -> dict[str, Any]:
    """Map task: clean every shard in the batch into its two shard files; return their counts.

    `context_image` is the corpus context's database (`CorpusContext.image`). With `reuse`, a shard whose
    files exist is kept as is (they are only ever written whole).
    """
    context = CorpusContext.from_image(context_image) if context_image is not None else None
    counts: dict[str, list[int]] = {"shard": [], "documents": [], "quarantined": []}
    for index, paths_json in zip(batch["shard"], batch["paths"], strict=True):
        documents_path, quarantine_path = shard_files(Path(shard_dir), int(index))
        if reuse and documents_path.exists() and quarantine_path.exists():
            lines = {"document": documents_path.read_bytes().count(b"\n"),
                     "quarantine": quarantine_path.read_bytes().count(b"\n")}
        else:
            out: dict[str, list[bytes]] = {"document": [], "quarantine": []}
            for item in read_inputs(json.loads(paths_json), config["input"]["max_bytes"],
                                    fields=FieldMap.from_config(config)):
                kind, payload = process_to_json(item, config, context)
                out[kind].append(payload + b"\n")
            # quarantine first: the documents file is the one whose presence marks a finished shard
            write_atomic(quarantine_path, b"".join(out["quarantine"]))
            write_atomic(documents_path, b"".join(out["document"]))
            lines = {kind: len(payloads) for kind, payloads in out.items()}
        counts["shard"].append(int(index))
        counts["documents"].append(lines["document"])
        counts["quarantined"].append(lines["quarantine"])
    if context is not None:
        context.close()
    return {name: np.array(values, dtype=np.int64) for name, values in counts.items()}


def connect(address: str | None, cpus: int) -> None:
    """Join the cluster at `address`, or start a private local instance with `cpus` CPUs."""
    import ray

    runtime_env = {"py_modules": [cleaner]}
    if address:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
    else:
        # "local" never attaches to some other cluster that happens to run on this machine
        ray.init(address="local", num_cpus=cpus, object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                 include_dashboard=False, runtime_env=runtime_env, log_to_driver=False)


@contextmanager
def connected(address: str | None, cpus: int) -> Iterator[None]:
    """Ray for the duration of the block: `connect`, then disconnect; inside another block, that one's Ray."""
    import ray

    if ray.is_initialized():
        yield
        return
    connect(address, cpus)
    try:
        yield
    finally:
        ray.shutdown()


def run_ray(inputs: list[str], config: Config, shard_dir: Path, *, address: str | None = None, cpus: int = 1,
            resume: bool = False, skip: frozenset[str] = frozenset(), progress: bool = False,
            context: CorpusContext | None = None, exclude: Sequence[Path] = ()) -> Iterator[Result]:
    """Clean `inputs` on Ray into `shard_dir`, then yield every result in input order, like `run_local`.

    `resume` keeps the shards that an interrupted run of the same configuration finished, if it cut the
    inputs into the same shards (the cut depends on the cluster's CPUs); `skip` holds input keys
    already written; `context` is the corpus context of the driver's first pass, shared by every task;
    folders in `exclude` (the run's own output) are not read.
    """
    import ray
    from ray.data import DataContext

    paths = list(iter_paths(inputs, exclude))
    if STDIN in paths:
        raise ValueError("the Ray engine reads files; stdin ('-') needs the local engine")
    with connected(address, cpus):
        DataContext.get_current().enable_progress_bars = progress
        shards = plan_shards(paths, SHARDS_PER_CPU * int(ray.cluster_resources().get("CPU", 1)))
        plan_path, plan = shard_dir / PLAN, paths_to_json(shards).encode()
        reuse = resume and plan_path.exists() and plan_path.read_bytes() == plan
        if not reuse and shard_dir.exists():
            shutil.rmtree(shard_dir)  # shards of another run or another cut must not be mistaken for this one's
        shard_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(plan_path, plan)
        if shards:
            rows = [{"shard": index, "paths": paths_to_json(shard)} for index, shard in enumerate(shards)]
            ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
                clean_shards, batch_size=1, num_cpus=1,
                fn_kwargs={"config": config, "context_image": context.image() if context is not None else None,
                           "shard_dir": str(shard_dir), "reuse": reuse},
            ).materialize()
    for index in range(len(shards)):
        for kind, path in zip(("document", "quarantine"), shard_files(shard_dir, index), strict=True):
            with open(path, "rb") as fh:
                for line in fh:
                    payload = line.rstrip(b"\n")
                    if skip and _input_key(kind, payload) in skip:
                        continue
                    yield kind, payload


def _input_key(kind: str, payload: bytes) -> str:
    record = orjson.loads(payload)
    return record["metadata"]["input_key"] if kind == "document" else record["key"]
