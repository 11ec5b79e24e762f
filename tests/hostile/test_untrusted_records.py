"""`cleaner audit` and `cleaner explain` on a documents.jsonl someone else wrote: the records are data
from outside. They never choose where the report writes, never run as script in it, never steer the
terminal, and a malformed one is named by file, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from cleaner.document import Document, Span
from cleaner.report.aggregate import source_of
from cleaner.report.charts import category_palette
from cleaner.report.page import view_href
from cleaner.report.views import render_view
from cleaner.untrusted import InvalidRecord, check_record, terminal_safe
from tests.conftest import read_jsonl, run_cli

RAW = "Rain fell over the valley all night.\nSubscribe to our newsletter\n"
SCRIPT = "<img src=x onerror=alert(1)>"
TRAVERSAL = "../../../../tmp/x"


def a_record(doc_id: str = "0" * 32, raw: str = RAW, rule: str = "newsletter_prompt_v1",
             category: str = "newsletter_cta", **flag_fields: Any) -> dict[str, Any]:
    """A record as `cleaner clean` writes it, its last line removed, with one flag (fields overridable)."""
    start = raw.index("Subscribe")
    document = Document(id=doc_id, source="inputs/story.txt", raw=raw, spans=[Span(start, len(raw), category, rule)])
    flag = {"name": "loaded_language", "rule": "loaded_language_v1", "score": 0.8, "threshold": 0.5,
            "evidence": [[0, 4, "Rain"]], "detail": "one loaded word", **flag_fields}
    document.metadata = {"language": "en", "flags": [flag]}
    return document.to_dict()


def write_documents(folder: Path, *records: dict[str, Any] | bytes) -> Path:
    """documents.jsonl in `folder` with one line per record (bytes are written as they are)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    (folder / "documents.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return folder


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def audit(out: Path, report: Path) -> tuple[Any, dict[str, Any]]:
    result = run_cli("audit", str(out), "--report", str(report))
    assert result.returncode == 0, result.stderr.decode()
    return result, orjson.loads((report / "summary.json").read_bytes())


def html_pages(report: Path) -> list[str]:
    return [page.read_text("utf-8") for page in sorted(report.rglob("*.html"))]


def test_an_id_that_climbs_out_of_the_report_names_no_file(tmp_path):
    out = write_documents(tmp_path / "out", a_record(doc_id=TRAVERSAL), a_record(doc_id="../escaped"))
    report = tmp_path / "deep" / "er" / "report"
    before = files_under(tmp_path)
    outside_before = Path("/tmp/x.html").exists(), (tmp_path / "deep" / "escaped.html").exists()

    audit(out, report)

    written = files_under(tmp_path) - before
    assert written and all(report in path.parents for path in written)
    assert (Path("/tmp/x.html").exists(), (tmp_path / "deep" / "escaped.html").exists()) == outside_before
    # the view is named by a hash of the id, and the index links to it
    view = report / view_href(TRAVERSAL)
    assert view.parent == report / "docs" and re.fullmatch(r"[0-9a-f]{16}\.html", view.name)
    assert view.is_file() and f'href="{view_href(TRAVERSAL)}"' in (report / "index.html").read_text("utf-8")


@pytest.mark.parametrize("field", ["score", "threshold"])
def test_script_in_a_flag_figure_makes_the_record_invalid_and_never_reaches_the_page(tmp_path, field):
    out = write_documents(tmp_path / "out", a_record(doc_id="a" * 32), a_record(doc_id="b" * 32, **{field: SCRIPT}))

    result, summary = audit(out, tmp_path / "report")

    assert summary["totals"]["documents"] == 1
    assert summary["invalid_records"]["count"] == 1
    assert summary["invalid_records"]["examples"] == [{"file": "documents.jsonl", "line": 2,
                                                       "field": f"metadata.flags[0].{field}",
                                                       "problem": "expected a number, got str"}]
    assert b"skipped 1 invalid line(s)" in result.stderr
    assert all("<img" not in page for page in html_pages(tmp_path / "report"))
    assert "Invalid records skipped" in (tmp_path / "report" / "index.html").read_text("utf-8")


def test_script_in_evidence_offsets_makes_the_record_invalid(tmp_path):
    out = write_documents(tmp_path / "out", a_record(evidence=[[SCRIPT, 4, "Rain"]]))

    _, summary = audit(out, tmp_path / "report")

    assert summary["invalid_records"]["examples"][0]["field"] == "metadata.flags[0].evidence[0][0]"
    assert all("<img" not in page for page in html_pages(tmp_path / "report"))


def test_script_in_rule_category_and_flag_names_is_shown_as_text(tmp_path):
    record = a_record(rule=f"{SCRIPT}_v1", category=SCRIPT, name=SCRIPT, evidence=[[0, 4, SCRIPT]])
    out = write_documents(tmp_path / "out", record)

    _, summary = audit(out, tmp_path / "report")

    assert summary["invalid_records"]["count"] == 0
    pages = html_pages(tmp_path / "report")
    assert len(pages) == 2 and all("<img" not in page and "&lt;img src=x" in page for page in pages)
    # summary.md too: a Markdown viewer renders inline HTML in its tables
    markdown = (tmp_path / "report" / "summary.md").read_text("utf-8")
    assert "<img" not in markdown and "| &lt;img src=x onerror=alert(1)&gt; |" in markdown


def test_figures_that_skip_the_check_are_still_escaped_in_a_view():
    # defence in depth: a caller of render_view that never checked its record still gets text, not markup
    record = a_record(score=SCRIPT, threshold=SCRIPT, evidence=[[SCRIPT, SCRIPT, SCRIPT]])
    html = render_view(record, category_palette({"removed_chars_by_category": {}, "spans_by_category": {}}), "r")
    assert "<img" not in html and html.count("&lt;img src=x") == 5


@pytest.mark.parametrize(("change", "field", "problem"), [
    (lambda r: r.pop("raw"), "raw", "expected a string, got null"),
    (lambda r: r.update(id=7), "id", "expected a non-empty string, got int"),
    (lambda r: r["metadata"].update(language=["en"]), "metadata.language", "expected a string or null, got list"),
    (lambda r: r["metadata"]["removals"][0].update(end=10_000), "metadata.removals[0]",
     f"offsets [{RAW.index('Subscribe')}:10000] do not lie within the {len(RAW)} characters they index"),
    (lambda r: r["metadata"]["removals"][0].update(rule=None), "metadata.removals[0].rule",
     "expected a string, got null"),
    (lambda r: r["metadata"]["flags"][0].update(score=True), "metadata.flags[0].score", "expected a number, got bool"),
    (lambda r: r.update(attributes=[]), "attributes", "expected an object, got list"),
])
def test_a_record_missing_a_field_or_of_the_wrong_type_is_named_by_its_field(change, field, problem):
    record = a_record()
    change(record)
    with pytest.raises(InvalidRecord) as caught:
        check_record(record)
    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_audit_skips_bad_lines_and_lists_them_while_explain_stops_at_them(tmp_path):
    broken = a_record(doc_id="b" * 32)
    del broken["metadata"]["removals"][0]["category"]
    out = write_documents(tmp_path / "out", a_record(doc_id="a" * 32), b"{not json", broken, b"[1, 2]")

    result, summary = audit(out, tmp_path / "report")

    assert summary["totals"]["documents"] == 1
    assert [(e["line"], e["field"]) for e in summary["invalid_records"]["examples"]] == [
        (2, "line"), (3, "metadata.removals[0].category"), (4, "record")]
    assert "invalid lines skipped (listed in summary.json `invalid_records`): 3" in (
        tmp_path / "report" / "summary.md").read_text("utf-8")

    documents = str(out / "documents.jsonl")
    result = run_cli("explain", documents, "--id", "a" * 32)
    assert result.returncode == 0 and f"{documents}:2: not JSON" in result.stderr.decode()
    result = run_cli("explain", documents, "--id", "b" * 32)
    assert result.returncode == 2
    assert (f"{documents}:3: invalid record: metadata.removals[0].category: expected a string, got null"
            in result.stderr.decode())
    result = run_cli("explain", documents)
    assert result.returncode == 2 and f"{documents}:2: invalid record: not JSON" in result.stderr.decode()


def test_explain_prints_control_characters_in_a_record_as_escapes(tmp_path):
    # retitle the window, clear the screen, then a C1 CSI and a right-to-left override
    raw = "Rain fell\x1b]0;pwned\x07 over the valley\x1b[2J all night.\x9b31m\u202e\nSubscribe to our newsletter\n"
    record = a_record(raw=raw, rule="newsletter\x1b[8m_v1", name="loaded\x1b[1A", detail="hidden\x1b[8m")
    record["source"] = "inputs/\x1b[31mstory.txt"
    out = write_documents(tmp_path / "out", record)

    plain = run_cli("explain", str(out / "documents.jsonl"), "--no-color").stdout.decode()
    coloured = run_cli("explain", str(out / "documents.jsonl"), "--color").stdout.decode()

    assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", plain) is None
    assert "Rain fell\\x1b]0;pwned\\x07 over the valley\\x1b[2J all night.\\x9b31m\\u202e" in plain
    assert "newsletter\\x1b[8m_v1" in plain and "loaded\\x1b[1A" in plain and "hidden\\x1b[8m" in plain
    # in colour, the only escape sequences left are explain's own styles
    assert "\x1b" in coloured and "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", coloured)


def test_terminal_safe_keeps_newlines_tabs_and_ordinary_text():
    assert terminal_safe("naïve\tcafé\n— ok") == "naïve\tcafé\n— ok"
    assert terminal_safe("\x00\r\x7f") == "\\x00\\x0d\\x7f"


def test_every_record_the_published_schema_accepts_passes_the_check(seeds_out):
    records = read_jsonl(seeds_out / "documents.jsonl")
    assert records
    for record in records:
        check_record(record)
        assert source_of(record)
