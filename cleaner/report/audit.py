"""The corpus audit, aggregated in one streaming pass over `documents.jsonl` and `quarantine.jsonl`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from cleaner.io.writers import DOCUMENTS, QUARANTINE, dumps, write_atomic


def _records(path: Path):
    if path.exists():
        with open(path, "rb") as fh:
            for line in fh:
                if line.strip():
                    yield orjson.loads(line)


def summarise(out: Path) -> dict[str, Any]:
    """Every figure of the report, recomputable from the output records."""
    documents = 0
    raw_chars = clean_chars = 0
    removed: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for record in _records(out / DOCUMENTS):
        documents += 1
        raw_chars += len(record["raw"])
        clean_chars += len(record["text"])
        languages[record["metadata"].get("language") or "unknown"] += 1
        for category, spans in record["attributes"].items():
            removed[category] += sum(end - start for start, end, _ in spans)
    reasons = Counter(entry["reason"] for entry in _records(out / QUARANTINE))
    return {
        "documents": documents,
        "quarantined": sum(reasons.values()),
        "quarantined_by_reason": dict(sorted(reasons.items())),
        "raw_chars": raw_chars,
        "clean_chars": clean_chars,
        "removed_chars_by_category": dict(sorted(removed.items())),
        "languages": dict(sorted(languages.items())),
    }


def _markdown(summary: dict[str, Any]) -> str:
    lines = ["# Corpus audit", "",
             f"- documents: {summary['documents']}", f"- quarantined: {summary['quarantined']}",
             f"- characters: {summary['raw_chars']} in, {summary['clean_chars']} kept", "",
             "| noise category | characters removed |", "|---|---:|"]
    lines += [f"| {cat} | {n} |" for cat, n in summary["removed_chars_by_category"].items()]
    return "\n".join(lines) + "\n"


def write_report(out: Path, report: Path) -> Path:
    """Write summary.json and summary.md for the output in `out/` into `report/`; return the folder."""
    summary = summarise(out)
    write_atomic(report / "summary.json", dumps(summary))
    write_atomic(report / "summary.md", _markdown(summary).encode("utf-8"))
    return report
