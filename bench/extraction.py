"""Extraction benchmark on the held-out split of ../shared/data/extraction (not a test).

    PYTHONPATH=$PWD python3 bench/extraction.py [--datasets l3s_gn1,dragnet] [--limit N] [--no-throughput]
    PYTHONPATH=$PWD python3 bench/extraction.py --part html        # the HTML extractors and modes (docs/extraction.md)

`--part html` prints, per dataset and as the mean over datasets, F1 of every registered extractor alone
(its raw output), then of the pipeline's own HTML path in each `extract.mode` (`prepare`: extraction,
combination, the visible-text fallback, normalisation), without and with the noise stage. Every extractor
runs once per page; the modes are given those outputs. bench/fit_chooser.py fits the combiner's chooser
on the TRAINING split (never the held-out one).

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
from unittest import mock

from cleaner.config import EXTRACT_MODES, Config
from cleaner.document import Document
from cleaner.extract import combine
from cleaner.extract.extractors import EXTRACTORS
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


def extractor_outputs(records: list[dict]) -> list[dict[str, object]]:
    """Per page, every registered extractor's result (`combine.run_extractor`: an Extracted or why none)."""
    options = _CONFIG["extract"]
    return [{name: combine.run_extractor(name, r["html"], r.get("url"), options) for name in sorted(EXTRACTORS)}
            for r in records]


def mode_outputs(records: list[dict], outputs: list[dict[str, object]], mode: str) -> tuple[list[str], list[str]]:
    """The pipeline's HTML path in `mode` on each page, given the extractors' outputs: (without, with) the
    noise stage. `prepare` runs as in `cleaner clean`; only the extractors' work is looked up."""
    from cleaner.io.readers import Quarantined, RawInput
    from cleaner.pipeline import prepare

    config = Config({"extract": {"mode": mode}})
    without, with_noise = [], []
    for record, page_outputs in zip(records, outputs, strict=True):
        with mock.patch.object(combine, "run_extractor", lambda name, *_, found=page_outputs: found[name]):
            prepared = prepare(RawInput("bench", "bench", record["html"], "bench", kind="html"), config)
        if isinstance(prepared, Quarantined):
            without.append("")
            with_noise.append("")
        else:
            without.append(prepared.raw)
            with_noise.append(engine_only(prepared.raw, prepared.metadata))
    return without, with_noise


def text_of(result: object) -> str:
    """An extractor's text; empty when it failed (its result is then the reason, a string)."""
    return "" if isinstance(result, str) else result.text


def page_counts(harness: ModuleType, record: dict, text: str) -> tuple:
    """The harness's per-page counts of `text`: snippets found (trafilatura_eval) or token overlap."""
    return harness.snippet_counts(record, text) if record.get("gold_text") is None else \
        harness.doc_counts(record["gold_text"], text)


def score(harness: ModuleType, records: list[dict], texts: list[str]) -> float:
    """The harness's F1 of `texts` against the records' gold (snippets for trafilatura_eval)."""
    pairs = zip(records, texts, strict=True)
    if records[0].get("gold_text") is None:
        return harness.snippet_aggregate([harness.snippet_counts(r, t) for r, t in pairs])["f1"]
    return harness.aggregate([harness.doc_counts(r["gold_text"], t) for r, t in pairs])["f1"]


def html_table(harness: ModuleType, datasets: list[str], limit: int | None) -> None:
    """F1 per dataset (held-out split) of each extractor alone and of each mode without / with the noise stage."""
    rows: dict[str, dict[str, float]] = {}
    for dataset in datasets:
        records = held_out_records(harness, dataset, limit)
        if not records:
            continue
        outputs = extractor_outputs(records)
        for name in sorted(EXTRACTORS):
            rows.setdefault(f"{name} (alone)", {})[dataset] = score(
                harness, records, [text_of(page[name]) for page in outputs])
        for mode in EXTRACT_MODES:
            without, with_noise = mode_outputs(records, outputs, mode)
            rows.setdefault(f"{mode}, no noise stage", {})[dataset] = score(harness, records, without)
            rows.setdefault(f"{mode} + noise stage", {})[dataset] = score(harness, records, with_noise)
        print(f"# {dataset}: {len(records)} held-out pages", flush=True)
    shown = [d for d in datasets if any(d in row for row in rows.values())]
    print("\n| system | " + " | ".join(shown) + " | mean |")
    print("|---|" + "---:|" * (len(shown) + 1))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(f"{row[d]:.4f}" for d in shown) +
              f" | {sum(row[d] for d in shown) / len(shown):.4f} |")


def held_out_records(harness: ModuleType, dataset: str, limit: int | None, held_out: bool = True) -> list[dict]:
    try:
        records = [r for r in harness.load_dataset(dataset) if is_held_out(dataset, r["id"]) == held_out]
    except SystemExit as exc:  # the harness exits when a dataset archive is missing
        print(f"# {dataset}: skipped ({exc})")
        return []
    return records[:limit] if limit else records


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
    parser.add_argument("--part", choices=("systems", "html"), default="systems",
                        help="systems: the peers on text and HTML (default); html: the extractors and modes")
    args = parser.parse_args(argv)
    harness = load_harness()
    if harness is None:
        print(f"extraction harness not found at {HARNESS}; nothing to benchmark")
        return 0
    if args.part == "html":
        html_table(harness, args.datasets.split(","), args.limit)
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
