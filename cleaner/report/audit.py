"""The corpus audit: figures aggregated in a streaming pass over the records, then written as
`summary.json` (every figure, for pipelines), `summary.md` and a self-contained `index.html` with a
per-document view for every document (or a deterministic sample of a large corpus).

The records may come from anyone. A line that is not JSON, or a record that fails `check_record`,
is skipped rather than ending the audit (one bad line should not hide a corpus): the report counts
such lines under `invalid_records` with the file, line number, field at fault and the problem, and
`cleaner audit` says so on stderr. Per-document views are named by a hash of the id, never by the
id itself, so nothing is written outside the report folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from cleaner.io.outputs import (
    RawTexts,
    compressed_name,
    compression_of,
    find_output,
    is_parquet,
    open_output,
    uncompressed_name,
)
from cleaner.io.writers import DOCUMENTS, QUARANTINE, RUN, dumps, write_atomic
from cleaner.report.aggregate import VIEW_LIMIT, Aggregator
from cleaner.report.charts import category_palette
from cleaner.report.markdown import summary_markdown
from cleaner.report.page import index_page, view_href
from cleaner.report.views import document_row, render_view
from cleaner.untrusted import InvalidRecord, check_quarantine_entry, check_record

INVALID_EXAMPLES = 20  # invalid lines listed by file, line and field; all are counted


def _checked(path: Path | None, check: Callable[[Any], None],
             invalid: list[dict[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    """The JSON lines of `path` that pass `check`; each line that does not is appended to `invalid`.

    A record that keeps its input text in the sidecar beside `path` gets it back before the check;
    `MissingRaw` (no sidecar, or output.raw = none) ends the audit, since no record could be shown.
    """
    if path is None or not path.exists():
        return
    with open_output(path) as fh, RawTexts(path) as raw:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
                raw.fill(record)
                check(record)
            except orjson.JSONDecodeError as exc:
                field, problem = "line", f"not JSON ({exc.msg})"
            except InvalidRecord as exc:
                field, problem = exc.field, exc.problem
            else:
                yield record
                continue
            if invalid is not None:
                invalid.append({"file": path.name, "line": number, "field": field, "problem": problem})


def _invalid_summary(invalid: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": len(invalid), "examples": invalid[:INVALID_EXAMPLES], "examples_limit": INVALID_EXAMPLES}


def _inputs(target: Path) -> tuple[Path, Path | None, Path | None]:
    """documents, quarantine and run.json paths for an output directory or a documents file.

    A file named documents.jsonl (.gz, .zst) is read with the quarantine.jsonl (compressed alike) and run.json
    beside it, documents.parquet with the quarantine.jsonl (in whichever compression) beside it; any other
    records file stands alone.
    """
    documents = find_output(target, DOCUMENTS) if target.is_dir() else target
    if uncompressed_name(documents) != DOCUMENTS:
        return documents, None, None
    # beside documents.parquet the quarantine is JSON lines, compressed as --compress said
    quarantine = find_output(documents.parent, QUARANTINE) if is_parquet(documents) else \
        documents.with_name(compressed_name(QUARANTINE, compression_of(documents)))
    return documents, quarantine, documents.with_name(RUN)


def default_report_dir(target: Path) -> Path:
    """reports/<name>: the output directory's name, or the file's stem for a standalone .jsonl."""
    documents, _, _ = _inputs(target)
    standalone = uncompressed_name(documents) != DOCUMENTS
    name = documents.name.split(".")[0] if standalone else documents.resolve().parent.name
    return Path("reports") / name


def _views_pass(documents: Path, summary: dict[str, Any], views_dir: Path | None, title: str) -> None:
    """Second pass: the document table rows (into the summary) and, when asked, the view pages."""
    linked = None if summary["views"]["mode"] == "all" else set(summary["views"]["selected"])
    if views_dir is not None:
        # views of an earlier report in the same folder would be linked from nowhere and mislead
        for stale in (views_dir / "docs").glob("*.html"):
            stale.unlink()
    colours = category_palette(summary["noise"])
    rows = []
    for record in _checked(documents, check_record):
        if linked is None or record["id"] in linked:
            rows.append(document_row(record))
            if views_dir is not None:
                write_atomic(views_dir / view_href(record["id"]),
                             render_view(record, colours, title, linked).encode("utf-8"))
    summary["views"]["documents"] = rows


def summarise(out: Path, view_limit: int = VIEW_LIMIT) -> dict[str, Any]:
    """Every figure of the report, recomputable from the output records (see `aggregate` for definitions)."""
    return _summarise(out, view_limit, None, "")


def _summarise(out: Path, view_limit: int, views_dir: Path | None, title: str) -> dict[str, Any]:
    documents, quarantine, _ = _inputs(out)
    if not documents.exists():
        raise FileNotFoundError(f"no {DOCUMENTS} at {out}")
    aggregator = Aggregator(view_limit)
    invalid: list[dict[str, Any]] = []
    for record in _checked(documents, check_record, invalid):
        aggregator.add(record)
    for entry in _checked(quarantine, check_quarantine_entry, invalid):
        aggregator.add_quarantine(entry)
    summary = aggregator.result()
    summary["invalid_records"] = _invalid_summary(invalid)
    _views_pass(documents, summary, views_dir, title)
    return summary


def write_report(out: Path, report: Path, view_limit: int = VIEW_LIMIT) -> Path:
    """Write index.html, summary.json, summary.md and docs/*.html for the output `out` into `report/`."""
    _, _, run_path = _inputs(out)
    title = report.name
    summary = _summarise(out, view_limit, report, title)
    run = orjson.loads(run_path.read_bytes()) if run_path is not None and run_path.exists() else None
    write_atomic(report / "summary.json", dumps(summary))
    write_atomic(report / "summary.md", summary_markdown(summary, title).encode("utf-8"))
    write_atomic(report / "index.html", index_page(summary, run, title).encode("utf-8"))
    return report
