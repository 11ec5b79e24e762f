"""Throughput benchmark (issue 14): where a page's time goes, and how far each target is (not a test).

    PYTHONPATH=$PWD python3 bench/throughput.py [--stage-pages 200] [--pages 400] [--passes 3] [--quick]

Pages are the dev sets of ../shared/data/extraction (loaded by the shared harness, as bench/extraction.py
does), taken round-robin across datasets so that a small sample mixes them, and written to a temporary
folder: each page's HTML as `.html`, its noisy text (every visible block, no boilerplate removed) as `.txt`.

1. Stages, in CPU seconds of this process, best of `--passes` interleaved passes per stage (slower passes
   measure the machine's other load, not the code). Each path runs the shape of `cleaner run` in-process:
   read the folder (`read_inputs`), `prepare` (decode, extract, normalise), the corpus context of the first
   pass (`ContextEntry.of`), `finish` with that context (noise engine, then `pipeline.STEPS`), the record
   (`Document.to_json`), and the dedup signatures of `cleaner run` (`dedup.stage.make_entries`). Each stage
   function is wrapped by a clock that keeps exclusive time (a stage nested in another, like extraction in
   `prepare`, is not counted twice); a path's total is the sum of its stages' bests. The HTML path runs
   once per `extract.mode` (fast: trafilatura alone; accurate: the combiner), and `trafilatura.extract`
   alone (default settings) on the same HTML pages in the same passes.
2. `cleaner clean` over `--pages` HTML pages, `--jobs 1` beside `--jobs 2`, wall time of the subprocess
   (start-up included) and the CPU time of it and its workers, interleaved, best of `--passes`.

Absolute times depend on the shared machine; the ratios within one run are what to compare. The quality
step of two checkouts, side by side on the same texts with the same-bytes check: bench/quality_speed.py.
Exits 0 with a note when the harness or the data are absent.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

import orjson

from bench.extraction import load_harness
from cleaner import pipeline
from cleaner.config import EXTRACT_MODES, Config
from cleaner.dedup import stage as dedup_stage
from cleaner.dedup.params import params_from_config
from cleaner.document import Document
from cleaner.io.readers import Quarantined, read_inputs
from cleaner.io.writers import DOCUMENTS, QUARANTINE
from cleaner.noise.context import ContextEntry, CorpusContext

DATASETS = ("l3s_gn1", "dragnet", "cleaneval", "cleanportaleval")
READ = "read/decode/normalise"
EXTRACT = "HTML extraction"
CONTEXT = "corpus context"
NOISE = "noise engine"
SERIALISE = "record serialisation"
DEDUP = "dedup signatures"
QUALITY = "quality signals"
# the pipeline's steps after the noise rules, by function name; a step not listed shows under its own name
STEP_STAGES = {"tidy_whitespace": NOISE, "mark_empty_after_cleaning": NOISE, "annotate_language": "language id",
               "harvest_provenance": "provenance", "annotate_flags": "flags", "annotate_quality": QUALITY}
STAGES = (READ, EXTRACT, CONTEXT, NOISE, "language id", "provenance", "flags", QUALITY, SERIALISE, DEDUP)
# issue 14's targets; issue 18's: the quality signals cost at most 1 ms per 5 kB document (of clean text)
TEXT_MB_S, NOISE_MB_S, HTML_VS_TRAFILATURA, JOBS_SPEEDUP = 1.5, 5.0, 1.25, 1.8
# issue 15's: the default extraction mode is the most accurate one whose HTML path stays within this
MODE_VS_TRAFILATURA = 1.5
QUALITY_MS_PER_5KB = 1.0
# counts kept beside the CPU seconds of a path's stages
COUNTS = ("pages", "clean_bytes")

T = TypeVar("T")


class StageClock:
    """CPU seconds per stage, exclusive: time spent in a nested timed stage is charged to it alone."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self._nested: list[float] = []  # per open stage, the seconds its timed callees took

    def measure(self, stage: str, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)`, its time charged to `stage`."""
        self._nested.append(0.0)
        start = time.process_time()
        try:
            return function(*args)
        finally:
            elapsed = time.process_time() - start
            self.seconds[stage] += elapsed - self._nested.pop()
            if self._nested:
                self._nested[-1] += elapsed

    def wrap(self, stage: str, function: Callable[..., T]) -> Callable[..., T]:
        return lambda *args: self.measure(stage, function, *args)


def timed_pipeline(clock: StageClock) -> ExitStack:
    """The pipeline's stage functions replaced, while the stack is open, by clocked ones."""
    stack = ExitStack()
    for name, stage in (("extract_html", EXTRACT), ("visible_text", EXTRACT), ("clean_document", NOISE)):
        stack.enter_context(mock.patch.object(pipeline, name, clock.wrap(stage, getattr(pipeline, name))))
    steps = [clock.wrap(STEP_STAGES.get(step.__name__, step.__name__), step) for step in pipeline.STEPS]
    stack.enter_context(mock.patch.object(pipeline, "STEPS", steps))
    return stack


def clocked_items(clock: StageClock, folder: Path, config: Config) -> Iterator[Any]:
    """The folder's inputs as `cleaner clean` reads them, the reading charged to READ."""
    items = read_inputs([str(folder)], config["input"]["max_bytes"])
    while True:
        try:
            yield clock.measure(READ, next, items)
        except StopIteration:
            return


def run_path(folder: Path, config: Config) -> Counter[str]:
    """One pass of `cleaner run`'s work over a folder, in-process: CPU seconds per stage."""
    clock = StageClock()
    settings = params_from_config(config)
    with timed_pipeline(clock):
        inputs, prepared, entries = 0, [], []
        for item in clocked_items(clock, folder, config):
            inputs += 1
            document = item if isinstance(item, Quarantined) else clock.measure(READ, pipeline.prepare, item, config)
            if isinstance(document, Document):
                prepared.append(document)
                entries.append(clock.measure(CONTEXT, ContextEntry.of, document.metadata["input_key"], document.raw,
                                             document.metadata, settings))
        context = clock.measure(CONTEXT, CorpusContext.build, entries, settings)
        records = []
        for document in prepared:
            pipeline.finish(document, config, context)
            records.append(clock.measure(SERIALISE, document.to_json))
            clock.seconds["clean_bytes"] += len(document.text.encode("utf-8"))
    parsed = [orjson.loads(record) for record in records]  # dedup reads them back from documents.jsonl
    clock.measure(DEDUP, dedup_stage.make_entries, parsed, settings)
    clock.seconds["pages"] = inputs
    return clock.seconds


def trafilatura_alone(pages: list[str]) -> Counter[str]:
    import trafilatura

    start = time.process_time()
    for page in pages:
        trafilatura.extract(page)
    return Counter({"trafilatura.extract": time.process_time() - start, "pages": len(pages)})


def dev_pages(harness: Any, count: int) -> list[dict]:
    """`count` dev-set records, round-robin across DATASETS (cycled when there are fewer)."""
    by_dataset = []
    for dataset in DATASETS:
        try:
            by_dataset.append(harness.load_dataset(dataset))
        except SystemExit as exc:  # the harness exits when a dataset archive is missing
            print(f"# {dataset}: skipped ({exc})")
    mixed = [r for group in itertools.zip_longest(*by_dataset) for r in group if r is not None]
    chosen = list(itertools.islice(itertools.cycle(mixed), count)) if mixed else []
    harness.attach_noisy(chosen, 1)
    return chosen


def write_pages(records: list[dict], folder: Path, kind: str) -> int:
    """Each record's HTML (`kind="html"`) or noisy text as one file; returns the bytes written."""
    folder.mkdir(parents=True)
    size = 0
    for n, record in enumerate(records):
        data = (record["html"] if kind == "html" else record["noisy_text"]).encode("utf-8", "surrogatepass")
        (folder / f"{n:05d}.{'html' if kind == 'html' else 'txt'}").write_bytes(data)
        size += len(data)
    return size


def best_of(passes: int, systems: dict[str, Callable[[], Counter[str]]]) -> dict[str, Counter[str]]:
    """Each system run `passes` times, interleaved; per system and stage, the least time of any pass."""
    runs: dict[str, list[Counter[str]]] = {name: [] for name in systems}
    for _ in range(passes):
        for name, run in systems.items():
            runs[name].append(run())
    return {name: Counter({key: min(r[key] for r in results) for key in results[0]})
            for name, results in runs.items()}


def cpu_total(stages: Counter[str]) -> float:
    """The CPU seconds of a path: the sum of its stages' bests (each stage's best pass)."""
    return sum(seconds for stage, seconds in stages.items() if stage not in COUNTS)


def stage_table(best: dict[str, Counter[str]], sizes: dict[str, int]) -> list[str]:
    names = list(best)
    lines = ["| stage | " + " | ".join(f"{name} ms/page | share" for name in names) + " |",
             "|---|" + "---:|---:|" * len(names)]
    totals = {name: cpu_total(best[name]) for name in names}
    stages = list(STAGES) + sorted({k for b in best.values() for k in b} - set(STAGES) - set(COUNTS))
    for stage in stages:
        cells = []
        for name in names:
            seconds = best[name].get(stage)
            cells.append("- | -" if seconds is None else
                         f"{1000 * seconds / best[name]['pages']:.2f} | {100 * seconds / totals[name]:.0f}%")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines.append("| **total** | " + " | ".join(f"**{1000 * totals[n] / best[n]['pages']:.2f}** | 100%"
                                               for n in names) + " |")
    lines.append("| MB/s (input bytes / CPU s) | " + " | ".join(f"{sizes[n] / totals[n] / 1e6:.2f} | "
                                                              for n in names) + " |")
    return lines


def html_path(mode: str) -> str:
    return f"HTML path ({mode})"


def target_lines(best: dict[str, Counter[str]], sizes: dict[str, int]) -> list[str]:
    text, alone = best["text path"], best["trafilatura.extract alone"]["trafilatura.extract"]
    text_mb_s = sizes["text path"] / cpu_total(text) / 1e6
    noise_mb_s = sizes["text path"] / text[NOISE] / 1e6
    ratios = {mode: cpu_total(best[html_path(mode)]) / alone for mode in EXTRACT_MODES}
    extraction = {mode: best[html_path(mode)][EXTRACT] / alone for mode in EXTRACT_MODES}
    lines = ["| target | measured | target | measured / target |", "|---|---:|---:|---:|",
             f"| text path, MB/s per core | {text_mb_s:.2f} | >= {TEXT_MB_S} | {text_mb_s / TEXT_MB_S:.2f} |",
             f"| noise engine alone (text path), MB/s per core | {noise_mb_s:.2f} | >= {NOISE_MB_S} | "
             f"{noise_mb_s / NOISE_MB_S:.2f} |"]
    for mode in EXTRACT_MODES:
        lines += [f"| {html_path(mode)} / trafilatura.extract alone | {ratios[mode]:.2f}x | "
                  f"<= {HTML_VS_TRAFILATURA}x (issue 14), <= {MODE_VS_TRAFILATURA}x (issue 15) | "
                  f"{ratios[mode] / MODE_VS_TRAFILATURA:.2f} |",
                  f"| {mode}: HTML extraction stage alone / trafilatura.extract alone | {extraction[mode]:.2f}x | | |"]
    fast, accurate = (cpu_total(best[html_path(mode)]) for mode in ("fast", "accurate"))
    lines.append(f"| HTML path, accurate / fast | {accurate / fast:.2f}x | | |")
    for path in ("text path", *map(html_path, EXTRACT_MODES)):
        quality_ms = 1000 * best[path][QUALITY] / (best[path]["clean_bytes"] / 5000)
        lines.append(f"| quality signals ({path}), ms per 5 kB of clean text | {quality_ms:.2f} | "
                     f"<= {QUALITY_MS_PER_5KB} | {quality_ms / QUALITY_MS_PER_5KB:.2f} |")
    return lines


def cli_seconds(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(wall, CPU) seconds of `cleaner clean folder --jobs N` with this checkout's code, start-up included;
    the CPU time is the subprocess's and its workers'."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    cpu_before = children_cpu_seconds()
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "cleaner", "clean", str(folder), "--out", str(out), "--jobs", str(jobs),
                    "--no-progress"], env=env, check=True, capture_output=True)
    return time.monotonic() - start, children_cpu_seconds() - cpu_before


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def jobs_lines(folder: Path, scratch: Path, pages: int, passes: int) -> list[str]:
    """`--jobs 1` and `--jobs 2` interleaved, best of `passes`: wall time and the CPU time it took."""
    runs: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for n in range(passes):
        for jobs, results in runs.items():
            results.append(cli_seconds(folder, scratch / f"out-{jobs}-{n}", jobs))
    (wall_1, cpu_1), (wall_2, cpu_2) = min(runs[1]), min(runs[2])
    # the engine promises the same bytes for any --jobs: a faster run that wrote other records would not count
    same = all((scratch / "out-1-0" / name).read_bytes() == (scratch / "out-2-0" / name).read_bytes()
               for name in (DOCUMENTS, QUARANTINE))
    return ["| `cleaner clean`, HTML pages | --jobs 1 | --jobs 2 | jobs 2 / jobs 1 | target |",
            "|---|---:|---:|---:|---:|",
            f"| {pages} pages, wall s (best of {passes}) | {wall_1:.1f} | {wall_2:.1f} | "
            f"speed-up {wall_1 / wall_2:.2f}x | >= {JOBS_SPEEDUP}x on 2 cores, >= 2,000 pages |",
            f"| CPU s, all processes (same run) | {cpu_1:.1f} | {cpu_2:.1f} | {cpu_2 / cpu_1:.2f}x | |",
            f"| pages/s (wall) | {pages / wall_1:.1f} | {pages / wall_2:.1f} | | |",
            f"| same {DOCUMENTS} and {QUARANTINE} | | | {'yes' if same else 'NO'} | |"]


def warm_up(folder: Path, config: Config) -> None:
    """The folder's first input through the pipeline: models load and patterns compile outside the clock."""
    pipeline.process(next(read_inputs([str(folder)], config["input"]["max_bytes"])), config)


def profile(folder: Path, config: Config, top: int = 30) -> None:
    """One pass of `run_path` under cProfile: the top functions both ways."""
    import cProfile
    import pstats

    warm_up(folder, config)
    profiler = cProfile.Profile()
    profiler.runcall(run_path, folder, config)
    for order in ("cumulative", "tottime"):
        print(f"# {folder.name} path, by {order}")
        pstats.Stats(profiler).sort_stats(order).print_stats(top)


def stages(sample: list[dict], scratch: Path, config: Config, passes: int, profile_path: str | None) -> None:
    """The stage table and the targets over `sample` (or, with `profile_path`, that path's profile)."""
    sizes = {"text path": write_pages(sample, scratch / "text", "text"),
             "HTML path": write_pages(sample, scratch / "html", "html")}
    if profile_path:
        profile(scratch / profile_path, config)
        return
    for name in (*map(html_path, EXTRACT_MODES), "trafilatura.extract alone"):
        sizes[name] = sizes["HTML path"]
    modes = {mode: Config({**config.to_dict(), "extract": {**config["extract"], "mode": mode}})
             for mode in EXTRACT_MODES}
    for kind in ("text", "html"):
        warm_up(scratch / kind, modes["accurate"])
    pages = [r["html"] for r in sample]
    best = best_of(passes, {"text path": lambda: run_path(scratch / "text", config),
                            **{html_path(mode): lambda c=c: run_path(scratch / "html", c) for mode, c in modes.items()},
                            "trafilatura.extract alone": lambda: trafilatura_alone(pages)})
    print(f"# {len(sample)} dev-set pages per path ({sizes['text path'] / 1e6:.1f} MB noisy text, "
          f"{sizes['HTML path'] / 1e6:.1f} MB HTML), one core, CPU time, best of {passes} interleaved passes\n")
    print("\n".join(stage_table(best, sizes)) + "\n")
    print("\n".join(target_lines(best, sizes)) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage-pages", type=int, default=200, help="pages per path for the stage table")
    parser.add_argument("--pages", type=int, default=300, help="HTML pages for --jobs 1 vs 2 (target: >= 2000)")
    parser.add_argument("--passes", type=int, default=3, help="interleaved passes; the best is reported")
    parser.add_argument("--part", choices=("all", "stages", "jobs"), default="all",
                        help="the stage table, the --jobs 1 vs 2 runs, or both")
    parser.add_argument("--profile", choices=("text", "html"), default=None,
                        help="instead: one pass of that path under cProfile, the top functions by cumulative "
                             "and own time")
    parser.add_argument("--quick", action="store_true", help="a short run: 40 stage pages, 100 pages, 2 passes")
    args = parser.parse_args(argv)
    if args.quick:
        args.stage_pages, args.pages, args.passes = 40, 100, 2
    harness = load_harness()
    if harness is None:
        print("extraction harness not found; nothing to benchmark")
        return 0
    records = dev_pages(harness, max(args.stage_pages, 0 if args.part == "stages" else args.pages))
    if not records:
        print("no dev-set pages found; nothing to benchmark")
        return 0
    config = Config()
    print(f"# load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other users' work "
          f"slows wall times, least so the best pass)\n")
    with tempfile.TemporaryDirectory(prefix="cleaner-throughput-") as tmp:
        scratch = Path(tmp)
        sample = records[:args.stage_pages]
        if args.profile or args.part != "jobs":
            stages(sample, scratch, config, args.passes, args.profile)
        if args.part != "stages" and not args.profile:
            jobs_records = records[:args.pages]
            write_pages(jobs_records, scratch / "jobs", "html")
            print("\n".join(jobs_lines(scratch / "jobs", scratch, len(jobs_records), args.passes)))
    print(f"\n# load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
