"""The Python API and the smaller commands, used the way a pipeline or a person would."""

from __future__ import annotations

import pytest

from cleaner import QuarantineError, clean
from cleaner.noise import RULES
from tests.conftest import run_cli


def test_clean_returns_a_document_with_spans_and_a_record():
    document = clean("Officials said the bridge will reopen in May.\nRead the [full report](https://x.org/r).\n")
    assert document.text == "Officials said the bridge will reopen in May.\nRead the full report.\n"
    assert {span.category for span in document.spans} == {"link_markup"}
    record = document.to_dict()
    assert record["text"] == document.text and record["metadata"]["format"] == "api"


def test_clean_extracts_html_when_given_html():
    page = ("<html><head><title>Harbour dredging starts</title></head><body><article>"
            "<p>Dredging of the old harbour began on Monday and is expected to last until the end of the summer, "
            "the port authority said in a statement on its website.</p></article></body></html>")
    document = clean(page, url="https://port.example.com/news/dredging")
    assert document.metadata["title"] == "Harbour dredging starts"
    assert document.metadata["domain"] == "port.example.com"
    assert "Dredging of the old harbour" in document.text


def test_a_page_without_an_article_is_cleaned_from_its_visible_text_rather_than_quarantined():
    # trafilatura finds no main text in a page of dated short items (a list page, a blog front page)
    page = ("<html><head><title>Archive</title><script>track()</script></head><body><div id='footer'>"
            "<div>Mon 3 May: harbour wall repaired after the storm.</div>"
            "<div>Tue 4 May: school lunch break extended by ten minutes.</div></div></body></html>")
    doc = clean(page, kind="html")
    assert doc.text.splitlines() == ["Mon 3 May: harbour wall repaired after the storm.",
                                     "Tue 4 May: school lunch break extended by ten minutes."]
    assert doc.metadata["text_from"] == "visible_text"
    assert doc.metadata["tool"]["extractor"]["name"] == "cleaner.visible_text"


def test_a_page_with_no_visible_text_is_quarantined_as_no_main_text():
    with pytest.raises(QuarantineError) as raised:
        clean("<html><body><script>var x = 1;</script></body></html>", kind="html")
    assert raised.value.reason == "no_main_text"


def test_clean_refuses_binary_content_with_a_reason():
    with pytest.raises(QuarantineError) as refused:
        clean(b"%PDF-1.7 binary payload")
    assert refused.value.reason == "binary"


def test_rules_lists_every_registered_rule():
    result = run_cli("rules")
    assert result.returncode == 0
    for name, rule in RULES.rules.items():
        assert name in result.stdout.decode() and rule.category in result.stdout.decode()


def test_explain_shows_each_removal_with_its_category_and_rule(seeds_out):
    result = run_cli("explain", str(seeds_out / "documents.jsonl"), "--no-color")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert text.count("== ") == 5
    assert "{link_markup/markdown_link_v1}" in text
    assert "removed " in text
