"""The report as a person sees it: `cleaner run seeds/` and a richer synthetic corpus, opened in headless
Chromium with no network. No console errors, every chart drawn, a full-page screenshot of real size."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_browser import Browser, chromium_path, png_size
from click.testing import CliRunner

from bench.corpus import write_corpus
from cleaner.cli import main
from cleaner.report.audit import write_report

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WIDTH = 1280

# Each chart's drawn size, its drawn shapes and text, and how many bars show a value above zero.
CHARTS = """Array.from(document.querySelectorAll("svg.chart")).map(function (svg) {
  var box = svg.getBoundingClientRect();
  var shapes = Array.from(svg.querySelectorAll("rect")).filter(function (r) {
    var box = r.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
  var texts = Array.from(svg.querySelectorAll("text")).filter(function (t) { return t.getBBox().width > 0; });
  return {label: svg.getAttribute("aria-label"), width: box.width, height: box.height, shapes: shapes.length,
          texts: texts.length, bars: shapes.filter(function (r) { return !r.classList.contains("track"); }).length};
})"""


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:  # a failure, not a skip: an unrendered report is an untested one
        pytest.fail("chromium is not installed: `bash scripts/test.sh` installs it", pytrace=False)
    chromium = Browser(width=WIDTH, height=900)
    yield chromium
    chromium.close()


def _check_page(browser: Browser, page: Path, screenshot: Path, min_charts: int) -> list[dict]:
    browser.open(page)
    charts = browser.evaluate(CHARTS)
    assert len(charts) >= min_charts
    for chart in charts:
        # a one-bar chart is about 35 px tall; a collapsed or empty one is 0
        assert chart["width"] > 200 and chart["height"] > 20 and chart["shapes"] > 0 and chart["texts"] > 0, chart
    data = browser.screenshot(screenshot)
    width, height = png_size(data)
    assert width == WIDTH and height > 1500
    # a blank or unstyled page compresses to a few kilobytes; a drawn report is far larger
    assert len(data) > 100_000
    assert browser.errors == []
    return charts


def test_cleaner_run_on_the_seeds_leaves_a_report_that_renders(browser, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", str(SEEDS), "--out", "out"])
    assert result.exit_code == 0, result.output
    report = tmp_path / "reports" / "out"
    charts = _check_page(browser, report / "index.html", report / "screenshot.png", min_charts=4)
    assert {"What became of the inputs", "Documents by language", "Length distribution"} <= {c["label"] for c in charts}
    # `cleaner run` deduplicates: the five seeds are distinct articles, so no cluster
    assert "0 clusters hold 0 documents" in browser.evaluate("document.getElementById('duplicates').textContent")

    links = browser.evaluate("Array.from(document.querySelectorAll('#documents a')).map(a => a.href)")
    assert len(links) == len(list(SEEDS.glob("*.txt")))
    for link in links:
        browser.open(Path(link.removeprefix("file://")))
        assert browser.errors == []
        assert browser.evaluate("document.querySelector('pre.doc').textContent.length") > 1000


def test_a_corpus_with_every_stage_renders_charts_tables_and_highlighted_views(browser, tmp_path):
    out = write_corpus(tmp_path / "out", 500, seed=3)
    report = write_report(out, tmp_path / "reports" / "synthetic", view_limit=80)
    charts = _check_page(browser, report / "index.html", report / "screenshot.png", min_charts=7)
    assert all(chart["bars"] > 0 for chart in charts), charts
    labels = {c["label"] for c in charts}
    assert {"Characters removed by noise category", "Flagged documents by flag",
            "Share of documents with each provenance fact", "Quarantined inputs by reason"} <= labels
    rows = browser.evaluate("document.querySelectorAll('#duplicates tbody tr').length")
    assert rows == 25

    # clicking a numeric header sorts the sources by it
    browser.evaluate("document.querySelectorAll('#sources thead th')[1].click()")
    counts = browser.evaluate("Array.from(document.querySelectorAll('#sources tbody tr'))"
                              ".map(r => Number(r.cells[1].dataset.v))")
    assert counts == sorted(counts)

    # drill down from the first flagged document to its view: removed spans struck through, evidence shown
    href = browser.evaluate("document.querySelector('#flags tbody a').href")
    browser.open(Path(href.removeprefix("file://")))
    assert browser.errors == []
    removed = browser.evaluate("document.querySelectorAll('pre.doc del').length")
    assert removed > 0
    assert browser.evaluate("document.querySelectorAll('.flagbox li').length") > 0
