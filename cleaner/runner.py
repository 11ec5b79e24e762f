"""Library entry points behind the CLI: clean a corpus into a directory or a stream."""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, nullcontext
from datetime import datetime, timezone
from importlib.metadata import version as package_version
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from cleaner.config import Config
from cleaner.engine import saved_pass
from cleaner.engine.local import Result, first_pass, run_local, second_pass
from cleaner.io.fields import FieldMap
from cleaner.io.outputs import find_output
from cleaner.io.readers import STDIN, Item, iter_paths, printable_path, read_inputs
from cleaner.io.writers import DOCUMENTS, RESUME, OutputDirectory
from cleaner.noise.context import CorpusContext

Engine = Literal["local", "ray"]


class Progress:
    """A one-line counter on stderr, redrawn at most twice a second; silent when stderr is no TTY."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, counts: Counter[str], final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.5 and not final):
            return
        self.last = now
        done = counts["documents"] + counts["quarantined"]
        rate = done / max(now - self.started, 1e-9)
        sys.stderr.write(f"\rcleaned {counts['documents']} documents, quarantined {counts['quarantined']}"
                         f" ({rate:.0f}/s)" + ("\n" if final else ""))
        sys.stderr.flush()


def versions() -> dict[str, str]:
    names = ("cleaner", "trafilatura", "langdetect", "datasketch", "lxml", "warcio", "zstandard")
    found = {name: package_version(name) for name in names}
    found["python"] = platform.python_version()
    return found


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _wants_context(inputs: list[str], config: Config) -> bool:
    # standard input cannot be read twice, so a run reading it goes without context
    return bool(config["noise"]["corpus_context"]) and STDIN not in inputs


def _read(inputs: list[str], config: Config, exclude: Sequence[Path]) -> Iterator[Item]:
    return read_inputs(inputs, config["input"]["max_bytes"], exclude, FieldMap.from_config(config))


def corpus_context(inputs: list[str], config: Config, path: Path, jobs: int = 1, exclude: Sequence[Path] = ()
                   ) -> CorpusContext | None:
    """The noise rules' corpus context from a first pass over the inputs, built in the file `path`, or None
    when the run goes without.

    For the Ray engine, whose workers prepare their shards again; the local engine keeps what its first
    pass prepared (`_results`).
    """
    if not _wants_context(inputs, config):
        return None
    return first_pass(_read(inputs, config, exclude), config, jobs, path=path)


def _note(message: str) -> None:
    sys.stderr.write(f"note: {message}\n")


def _pass_identity(inputs: list[str], config: Config, exclude: Sequence[Path]) -> dict[str, Any]:
    """What a first pass is computed from: a kept pass is reused only by a run with the same."""
    return {"config_hash": config.hash, "versions": versions(),
            "inputs": saved_pass.inputs_fingerprint(iter_paths(inputs, exclude))}


def _kept_context(folder: Path, items: Iterator[Item], identity: dict[str, Any], config: Config, jobs: int,
                  reuse: bool) -> CorpusContext:
    """The context of the first pass kept in `folder`: with `reuse` the one kept there if still valid,
    else a new first pass, kept there (with its spill) for a resume."""
    if reuse:
        try:
            context = saved_pass.load(folder, identity)
        except saved_pass.Unusable as why:
            _note(f"redoing the first pass: {why}")
        else:
            _note(f"reusing the finished first pass in {printable_path(str(folder))}")
            return context
    return saved_pass.save(folder, identity, lambda spill, path: first_pass(items, config, jobs, spill, path))


def clean_items(items: Iterable[Item], config: Config, jobs: int = 1) -> Iterator[Result]:
    """Every item's result in order, cleaned with the corpus context of these items when the config asks
    for one: a stream, or a batch of the Python API, with nothing to resume, so the spill and the context
    are temporary files."""
    if not config["noise"]["corpus_context"]:
        yield from run_local(items, config, jobs)
        return
    with tempfile.TemporaryFile(prefix=".prepared-") as spill, \
            tempfile.TemporaryDirectory(prefix=".context-") as temporary:
        with closing(first_pass(items, config, jobs, spill, Path(temporary) / saved_pass.CONTEXT)) as context:
            yield from second_pass(spill, config, context, jobs)


def _results(inputs: list[str], config: Config, jobs: int, skip: set[str], out: Path | None = None,
             exclude: Sequence[Path] = (), reuse: bool = False) -> Iterator[Result]:
    """Every input's result in input order; with `out`, the first pass is kept there (and with `reuse`
    taken from there if an interrupted run kept it)."""
    items = _read(inputs, config, exclude)
    if not _wants_context(inputs, config):
        yield from run_local((item for item in items if item.key not in skip), config, jobs)
        return
    if out is None:
        yield from clean_items(items, config, jobs)
        return
    # kept next to the output, not in memory or /tmp: the corpus may fit in neither
    folder = out / saved_pass.FOLDER
    context = _kept_context(folder, items, _pass_identity(inputs, config, exclude), config, jobs, reuse)
    with closing(context), open(folder / saved_pass.SPILL, "rb") as spill:
        yield from second_pass(spill, config, context, jobs, frozenset(skip))


def _ray_results(inputs: list[str], out: Path, config: Config, jobs: int, address: str | None, resume: bool,
                 skip: set[str], progress: bool, exclude: Sequence[Path]) -> Iterator[Result]:
    from cleaner.engine.ray import run_ray

    # beside the output, as the local engine's first pass; gone when the run is
    with tempfile.TemporaryDirectory(prefix=".context-", dir=out) as temporary:
        context = corpus_context(inputs, config, Path(temporary) / saved_pass.CONTEXT, jobs, exclude)
        with closing(context) if context is not None else nullcontext():
            yield from run_ray(inputs, config, out / "shards", address=address, cpus=jobs, resume=resume,
                               skip=frozenset(skip), progress=progress, context=context, exclude=exclude)


def clean_corpus(inputs: list[str], out: Path, config: Config, *, jobs: int = 1, resume: bool = False,
                 progress: bool = False, engine: Engine = "local", address: str | None = None,
                 exclude: Sequence[Path] = ()) -> dict[str, Any]:
    """Clean every input into `out/`; returns what is written to `out/run.json`.

    `out` and the `exclude` folders are skipped where they lie inside an input folder: a run must not
    read its own previous output (or report) as input.

    `engine="ray"` runs on the Ray cluster at `address` (or on a private local instance with `jobs`
    CPUs) and also leaves the sharded output in `out/shards/`; the other files are the same bytes.
    """
    started_at, started = _utc_now(), time.monotonic()
    # OutputDirectory checks an interrupted run's configuration; the Ray engine's shards must pass it too
    resuming = resume and (out / RESUME).exists()
    output = OutputDirectory(out, config.hash, resume, config["output"]["compress"], config["output"]["raw"],
                             config["output"]["format"])
    counts: Counter[str] = Counter(output.resumed_counts)
    reasons: Counter[str] = Counter(output.resumed_reasons)
    meter = Progress(progress)
    own = [out, *exclude]
    try:
        results = (_ray_results(inputs, out, config, jobs, address, resuming, output.done, progress, own)
                   if engine == "ray" else _results(inputs, config, jobs, output.done, out, own, resuming))
        for kind, payload in results:
            if kind == "document":
                output.write_document(payload)
                counts["documents"] += 1
            else:
                output.write_quarantine(payload)
                counts["quarantined"] += 1
                reasons[orjson.loads(payload)["reason"]] += 1
            meter.update(counts)
    except BaseException:
        output.close()
        raise
    meter.update(counts, final=True)
    # before the outputs become final: a finished run's folder holds only them, and nothing resumes it
    saved_pass.discard(out / saved_pass.FOLDER)
    seconds = time.monotonic() - started
    run_info = {
        # names that are not UTF-8 as `\xNN` escapes: a lone surrogate is not JSON
        "inputs": [printable_path(name) for name in inputs],
        "counts": {"inputs": counts["documents"] + counts["quarantined"], "documents": counts["documents"],
                   "quarantined": counts["quarantined"], "quarantined_by_reason": dict(sorted(reasons.items())),
                   "resumed": len(output.done)},
        "timing": {"started": started_at, "finished": _utc_now(), "seconds": round(seconds, 3),
                   "documents_per_second": round(counts["documents"] / max(seconds, 1e-9), 2)},
        "jobs": jobs,
        "engine": engine,
        "versions": versions(),
        "config_hash": config.hash,
        "config": config.to_dict(),
    }
    output.finish(run_info)
    return run_info


def clean_to_stream(inputs: list[str], out: IO[bytes], err: IO[str], config: Config, jobs: int = 1) -> Counter[str]:
    """Clean every input, writing records to `out` and quarantine entries to `err`, as JSON lines."""
    counts: Counter[str] = Counter()
    for kind, payload in _results(inputs, config, jobs, set()):
        if kind == "document":
            out.write(payload + b"\n")
            counts["documents"] += 1
        else:
            err.write("quarantined: " + payload.decode("utf-8") + "\n")
            counts["quarantined"] += 1
    out.flush()
    return counts


def _engine_session(engine: Engine, address: str | None, jobs: int) -> AbstractContextManager[None]:
    """One Ray connection for every stage of a Ray run (starting Ray takes seconds); nothing for local."""
    if engine != "ray":
        return nullcontext()
    from cleaner.engine.ray import connected

    return connected(address, jobs)


def _dedup(out: Path, config: Config, engine: Engine) -> dict[str, Any]:
    if engine == "ray":
        from cleaner.engine.ray_dedup import dedup_shards

        return dedup_shards(out / "shards", find_output(out, DOCUMENTS), out, config, mark_only=True)
    from cleaner.dedup.stage import dedup_corpus

    return dedup_corpus(find_output(out, DOCUMENTS), out, config, mark_only=True)


def run_all(inputs: list[str], out: Path, report: Path, config: Config, *, jobs: int = 1,
            resume: bool = False, progress: bool = False, engine: Engine = "local",
            address: str | None = None) -> list[str]:
    """The main job: clean into `out/`, then audit it into `report/`. Returns lines to print."""
    from cleaner.report.audit import write_report

    with _engine_session(engine, address, jobs):
        info = clean_corpus(inputs, out, config, jobs=jobs, resume=resume, progress=progress, engine=engine,
                            address=address, exclude=[report])
        counts = info["counts"]
        lines = [f"{counts['documents']} documents, {counts['quarantined']} quarantined -> {out}"]
        if config["dedup"]["enabled"]:
            # mark only: the audit explains the duplicates from documents.jsonl; dropping them is a separate
            # step (`cleaner dedup` without --mark-only), as tagging and removing are everywhere else
            dedup_counts = _dedup(out, config, engine)["counts"]
            lines.append(f"{dedup_counts['documents'] - dedup_counts.get('kept', 0)} duplicates marked"
                         f" in {dedup_counts['clusters']} clusters -> {find_output(out, 'clusters.jsonl')}")
    if config["output"]["raw"] == "none":
        return [*lines, "no report: with output.raw = none the records keep no input text to audit"]
    written = write_report(out, report)
    return [*lines, f"report -> {written}"]
