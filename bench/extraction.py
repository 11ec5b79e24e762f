"""Extraction benchmark on the held-out split of ../shared/data/extraction (not a test).

    PYTHONPATH=$PWD python3 bench/extraction.py [--datasets l3s_gn1,dragnet] [--limit N] [--no-throughput]

Prints, per dataset, bag-of-words precision / recall / F1 (ScrapingHub convention, computed by the
shared harness ../shared/tools/extraction_eval.py) side by side for: the noisy text unchanged,
trafilatura on the noisy text, jusText on the HTML, trafilatura on the HTML (favor_precision), ours
on the noisy text and ours on the HTML (the pipeline's own path: trafilatura with the default `extract`
settings, comments excluded, or the page's whole visible text when trafilatura finds no article, then
our engine, which supplies the precision). Then the throughput (best of 3 interleaved passes)
of the noise engine (no language detection) beside trafilatura's extract on the same pages.
Only documents in the held-out split (`cleaner.noise.train.is_held_out`) are used. Exits 0 with a
note when the harness or the data are absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from cleaner.config import Config
from cleaner.document import Document
from cleaner.noise.engine import clean_document
from cleaner.noise.tidy import tidy_spans
from cleaner.noise.train import is_held_out

HARNESS = Path(os.environ.get("CLEANER_EVAL_HARNESS",
                              Path(__file__).resolve().parents[2] / "shared" / "tools" / "extraction_eval.py"))
DATASETS = ("l3s_gn1", "dragnet", "cleanportaleval", "cleaneval", "trafilatura_eval")
_CONFIG = Config()


def load_harness() -> ModuleType | None:
    if not HARNESS.exists():
        return None
    spec = importlib.util.spec_from_file_location("extraction_eval", HARNESS)
    module = importlib.util.module_from_spec(spec)
    # registered, so that the harness's process pool can pickle its own functions by module name
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def engine_only(text: str, metadata: dict | None = None, config: Config = _CONFIG) -> str:
    """Our noise engine alone on text (normalised input, rules, blank-line tidy; no language detection)."""
    from cleaner.extract.normalize import normalize_text

    document = Document(id="bench", source="bench", raw=normalize_text(text),
                        metadata=metadata or {"content_type": "text"})
    clean_document(document, config)
    document.add_spans(tidy_spans(document.raw, document.spans, document.replacements))
    return document.text


def ours(doc: str, kind: str) -> str:
    """Ours: the engine on noisy text; on HTML, the pipeline's own preparation (trafilatura, or the whole
    visible page when it finds no article), then the engine."""
    if kind == "text":
        return engine_only(doc)
    from cleaner.io.readers import Quarantined, RawInput
    from cleaner.pipeline import prepare

    prepared = prepare(RawInput("bench", "bench", doc, "bench", kind="html"), _CONFIG)
    return "" if isinstance(prepared, Quarantined) else engine_only(prepared.raw, prepared.metadata)


def justext_html(doc: str, kind: str) -> str:
    """jusText with its English stop list (most pages are English), good paragraphs only."""
    import justext

    paragraphs = justext.justext(doc.encode("utf-8", "replace"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


SYSTEMS = (
    ("noisy text unchanged", "builtin:identity", "text"),
    ("trafilatura (text)", "builtin:trafilatura", "text"),
    ("jusText (html)", f"{__file__}:justext_html", "html"),
    ("trafilatura prec (html)", "builtin:trafilatura_precision", "html"),
    ("ours (text)", f"{__file__}:ours", "text"),
    ("ours (html)", f"{__file__}:ours", "html"),
)


THROUGHPUT_PASSES = 3


def throughput(records: list[dict], harness: ModuleType) -> None:
    """Best of THROUGHPUT_PASSES interleaved passes per system (as timeit advises: slower passes measure the
    machine's other load, not the code), in CPU seconds of this process, and the ratio of the two."""
    import trafilatura

    texts = [r["noisy_text"] for r in records]

    def cpu_seconds(run: Callable[[str], object], docs: list[str]) -> float:
        start = time.process_time()
        for doc in docs:
            run(doc)
        return time.process_time() - start

    engine_only(texts[0])  # load weights and compile patterns outside the clock
    size = sum(len(t.encode("utf-8")) for t in texts)
    pages = [harness.text_to_html(t) for t in texts]
    systems = (("ours (engine, no langdetect)", engine_only, texts),
               ("trafilatura.extract (same text as HTML)", trafilatura.extract, pages))
    best = [min(passes) for passes in zip(*([cpu_seconds(run, docs) for _, run, docs in systems]
                                           for _ in range(THROUGHPUT_PASSES)), strict=True)]
    print(f"\n# throughput on {len(texts)} held-out noisy texts ({size / 1e6:.1f} MB), one core, "
          f"best of {THROUGHPUT_PASSES} interleaved passes")
    for (name, _, docs), cpu in zip(systems, best, strict=True):
        print(f"{name}: {size / cpu / 1e6:.2f} MB/s CPU ({1000 * cpu / len(docs):.2f} ms/doc)")
    print(f"ours / trafilatura: {best[1] / best[0]:.2f}x the throughput")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--limit", type=int, default=None, help="at most N held-out documents per dataset")
    parser.add_argument("--systems", default=None, help="comma list of system names to run (default all)")
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args(argv)
    harness = load_harness()
    if harness is None:
        print(f"extraction harness not found at {HARNESS}; nothing to benchmark")
        return 0
    wanted = set(args.systems.split(",")) if args.systems else None
    options = argparse.Namespace(jobs=1, timeout=60.0, ngram=1, bootstrap=0, seed=0)
    throughput_records: list[dict] = []
    for dataset in args.datasets.split(","):
        try:
            records = [r for r in harness.load_dataset(dataset) if is_held_out(dataset, r["id"])]
        except SystemExit as exc:  # the harness exits when a dataset archive is missing
            print(f"# {dataset}: skipped ({exc})")
            continue
        records = records[:args.limit] if args.limit else records
        harness.attach_noisy(records, 1)
        print(f"# {dataset}: {len(records)} held-out documents")
        for name, spec, kind in SYSTEMS:
            if wanted and name not in wanted:
                continue
            row = harness.evaluate({"type": "py", "name": name, "spec": spec}, records, kind, options, None)
            print(f"{dataset:<16} {name:<24} P {row['precision']:.3f}  R {row['recall']:.3f}  "
                  f"F1 {row['f1']:.3f}  [{row['metric']}, {row['wall_s']}s]", flush=True)
        if dataset != "trafilatura_eval":
            throughput_records.extend(records[:100])
    if throughput_records and not args.no_throughput:
        throughput(throughput_records, harness)
    return 0


if __name__ == "__main__":
    sys.exit(main())
