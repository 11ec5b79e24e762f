"""Nothing emptied in silence: a document that cleaning empties is kept, marked with the rules that emptied
it, and counted in the audit report."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import jsonschema
import pytest

from cleaner import clean
from cleaner.config import Config
from cleaner.document import Document, Span, record_schema
from cleaner.pipeline import mark_empty_after_cleaning
from cleaner.report.audit import write_report
from cleaner.report.page import view_href
from tests.conftest import read_jsonl, run_cli

STORY = "Rain fell over the valley all night, and by morning the river had reached the old stone bridge.\n"
NEWSLETTER = "Subscribe to our newsletter\n"


@pytest.fixture(scope="module")
def emptied_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict], Path]:
    """`cleaner run` over a normal story and a page that is nothing but a newsletter prompt."""
    root = tmp_path_factory.mktemp("emptied")
    inputs = root / "inputs"
    inputs.mkdir()
    (inputs / "story.txt").write_text(STORY, "utf-8")
    (inputs / "newsletter.txt").write_text(NEWSLETTER, "utf-8")
    result = run_cli("run", str(inputs), "--out", str(root / "out"), "--report", str(root / "report"))
    assert result.returncode == 0, result.stderr.decode()
    records = {Path(r["source"]).name: r for r in read_jsonl(root / "out" / "documents.jsonl")}
    return records, root / "report"


def test_an_emptied_document_is_kept_and_names_the_rule_that_emptied_it(emptied_run):
    records, _ = emptied_run
    emptied = records["newsletter.txt"]
    assert emptied["text"] == "" and emptied["raw"] == NEWSLETTER
    assert emptied["metadata"]["empty_after_cleaning"] == {
        "min_chars": 1,
        "rules": {"newsletter_prompt_v1": len(NEWSLETTER)},
        "categories": {"newsletter_cta": len(NEWSLETTER)},
    }
    jsonschema.Draft202012Validator(record_schema()).validate(emptied)


def test_a_document_with_text_left_carries_no_mark(emptied_run):
    records, _ = emptied_run
    assert records["story.txt"]["text"] == STORY
    assert "empty_after_cleaning" not in records["story.txt"]["metadata"]


def test_the_audit_counts_emptied_documents_and_lists_the_rules_responsible(emptied_run):
    records, report = emptied_run
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["totals"]["empty_after_cleaning"] == 1
    assert summary["empty_after_cleaning"] == {
        "documents_by_rule": {"newsletter_prompt_v1": 1},
        "examples": [records["newsletter.txt"]["id"]],
        "examples_limit": 20,
    }
    assert "| newsletter_prompt_v1 | 1 |" in (report / "summary.md").read_text("utf-8")
    page = (report / "index.html").read_text("utf-8")
    assert 'id="emptied"' in page and "<td>newsletter_prompt_v1</td>" in page


def test_text_left_below_min_chars_counts_as_emptied():
    # the prompt goes; "Photos." is all that is left, shorter than the 10 characters this corpus asks for
    document = clean("Photos.\n" + NEWSLETTER, kind="text", config=Config({"input": {"min_chars": 10}}))
    assert document.text.strip() == "Photos."
    assert document.metadata["empty_after_cleaning"]["rules"] == {"newsletter_prompt_v1": len(NEWSLETTER)}


def test_the_blank_line_tidy_is_not_named_among_the_rules_responsible():
    document = clean(NEWSLETTER + "\nLeave a comment\n", kind="text")
    assert document.text == ""
    assert {span.rule for span in document.spans} >= {"blank_line_tidy_v1"}
    assert set(document.metadata["empty_after_cleaning"]["rules"]) == {"newsletter_prompt_v1", "comment_widget_v1"}


def test_rule_names_are_escaped_in_the_report(tmp_path):
    hostile = "<script>alert(1)</script>_v1"
    document = Document(id="0" * 32, source="x.txt", raw=NEWSLETTER,
                        spans=[Span(0, len(NEWSLETTER), "newsletter_cta", hostile)])
    mark_empty_after_cleaning(document, Config())
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "documents.jsonl").write_bytes(document.to_json() + b"\n")
    report = write_report(tmp_path / "out", tmp_path / "report")
    for page in (report / "index.html", report / view_href(document.id)):
        html = page.read_text("utf-8")
        assert hostile not in html and escape(hostile) in html
