"""The report as a person sees it: `cleaner run seeds/` and a richer synthetic corpus, opened in headless
Chromium with no network. No console errors, every chart drawn, a full-page screenshot of real size; and
with paths, ids and other values far too long for a cell, every table inside its card and every column in
the window, at a laptop's width and a narrow one."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from audit_browser import Browser, chromium_path, png_size
from click.testing import CliRunner

from bench.corpus import write_corpus
from cleaner.cli import main
from cleaner.document import Document, Span
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


# For every table: how far it reaches past its card's content box, how much of it is scrolled out of sight
# in the box that holds it, how far the widest cell's content spills out of the cell, and how many cells
# lie partly outside the window. Closed <details> are opened first, so their tables are measured too.
LAYOUT = """(function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var width = document.documentElement.clientWidth;
  var tables = Array.from(document.querySelectorAll("main table")).map(function (table) {
    var card = table.closest("section"), style = getComputedStyle(card), holder = table.parentElement;
    var inner = card.getBoundingClientRect().right - parseFloat(style.paddingRight)
      - parseFloat(style.borderRightWidth);
    var cells = Array.from(table.querySelectorAll("th, td"));
    return {card: card.id || card.querySelector("h2").textContent, columns: table.rows[0].cells.length,
            overflow: table.getBoundingClientRect().right - inner, hidden: holder.scrollWidth - holder.clientWidth,
            spill: Math.max.apply(null, cells.map(function (c) { return c.scrollWidth - c.clientWidth; })),
            offscreen: cells.filter(function (c) {
              var box = c.getBoundingClientRect();
              return box.left < 0 || box.right > width;
            }).length};
  });
  return {width: width, page_width: document.documentElement.scrollWidth, tables: tables};
})()"""
LAPTOP, NARROW = 1280, 800


def _inputs_with_long_paths(folder: Path) -> Path:
    """The seeds under a folder path of some 500 characters with file names of over 100, their URL lines
    dropped so that each source is its path; one saved twice (a duplicate cluster), and an empty file
    (quarantined under its path)."""
    inputs = folder.joinpath(*(f"regional_newspaper_archive_{i}_scraped_without_any_url_recorded" for i in range(7)))
    inputs.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = [line for line in seed.read_text("utf-8").splitlines() if "http" not in line]
        (inputs / f"article_saved_with_an_extremely_long_file_name_and_no_spaces_{seed.name}").write_text(
            "\n".join(lines) + "\n", encoding="utf-8")
    first = sorted(inputs.iterdir())[0]
    (inputs / f"{first.stem}_saved_twice.txt").write_bytes(first.read_bytes())
    (inputs / "an_empty_file_whose_long_name_is_all_the_quarantine_can_show_of_it.txt").write_text("")
    return inputs


def _assert_fits(browser: Browser, page: Path, width: int) -> dict:
    """Open `page` and check by element geometry that the page is no wider than the window, and no table
    passes its card, hides columns in a scroll box, spills out of a cell or has a cell off screen."""
    browser.open(page)
    layout = browser.evaluate(LAYOUT)
    assert layout["page_width"] <= width, f"{page.name} is {layout['page_width']} px wide in a {width} px window"
    for table in layout["tables"]:
        # one pixel of slack for sub-pixel rounding
        assert table["overflow"] <= 1 and table["hidden"] <= 1 and table["spill"] <= 1, (page.name, width, table)
        assert table["offscreen"] == 0, (page.name, width, table)
    return layout


def test_long_paths_and_provenance_values_keep_every_table_in_its_card_and_every_column_in_view(browser, tmp_path):
    inputs = _inputs_with_long_paths(tmp_path)
    report = tmp_path / "report"
    result = CliRunner().invoke(main, ["run", str(inputs), "--out", str(tmp_path / "out"), "--report", str(report)])
    assert result.exit_code == 0, result.output
    views = sorted((report / "docs").glob("*.html"))
    assert len(views) == len(list(inputs.iterdir())) - 1  # every document but the quarantined empty file
    try:
        for width in (LAPTOP, NARROW):
            browser.resize(width, 900)
            layout = _assert_fits(browser, report / "index.html", width)
            columns = {table["card"]: table["columns"] for table in layout["tables"]}
            # the Documents table and the flags' evidence table (the last in its card), all columns measured
            assert columns["documents"] == 9 and columns["flags"] == 5
            assert {"sources", "duplicates", "quarantine"} <= set(columns)
            assert browser.errors == []
            for view in views:
                layout = _assert_fits(browser, view, width)
                assert {table["card"] for table in layout["tables"]} >= {"Provenance", "Duplicates"}
                assert browser.errors == []
            data = browser.screenshot(tmp_path / f"view-{width}.png")
            assert png_size(data)[0] == width
    finally:
        browser.resize(WIDTH, 900)

    # a shortened path shows its start and its end, and keeps the whole of it in its tooltip
    browser.open(report / "index.html")
    sources = browser.evaluate("Array.from(document.querySelectorAll('#sources tbody td:first-child'))"
                               ".map(td => [td.textContent, td.querySelector('span[title]').title])")
    assert sorted(title for _, title in sources) == sorted(str(path) for path in inputs.iterdir()
                                                           if path.stat().st_size)
    assert all(len(shown) == 48 and "…" in shown and title.endswith(shown.split("…")[1]) for shown, title in sources)


def _overlong_record(n: int) -> dict:
    """A record that passes the audit's checks with every value a page shows far too long to fit: id,
    source, title, URL, language, rule, category, flag, evidence, provenance and cluster."""
    raw = "Rain fell over the valley all night.\nSubscribe to our newsletter\n"
    start = raw.index("Subscribe")
    document = Document(id=f"{n}" + "f" * 400, source="/" + "/".join(["p" * 90] * 8), raw=raw,
                        spans=[Span(start, len(raw), "c" * 150, "r" * 200 + "_v1")])
    document.metadata = {
        "title": "T" * 600, "url": "https://example.org/" + "u" * 900, "language": "l" * 80,
        "flags": [{"name": "n" * 120, "rule": "n_v1", "score": 0.8, "threshold": 0.5,
                   "evidence": [[0, 4, "E" * 900]], "detail": "D" * 800}],
        "provenance": {"k" * 200: "v" * 900},
        "dedup": {"cluster": "C" * 300, "kept": n == 0, "similarity": 0.9,
                  **({"duplicate_of": "0" + "f" * 400} if n else {})}}
    return document.to_dict()


def test_values_of_any_length_from_the_records_stay_inside_the_layout(browser, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_bytes(b"".join(orjson.dumps(_overlong_record(n)) + b"\n" for n in range(3)))
    (out / "quarantine.jsonl").write_bytes(orjson.dumps({"key": "/" + "q" * 900, "reason": "R" * 300,
                                                         "detail": "d" * 900}) + b"\n")
    report = write_report(out, tmp_path / "report")
    views = sorted((report / "docs").glob("*.html"))
    assert len(views) == 3
    try:
        for width in (LAPTOP, NARROW):
            browser.resize(width, 900)
            layout = _assert_fits(browser, report / "index.html", width)
            cards = {table["card"] for table in layout["tables"]}
            assert {"sources", "duplicates", "flags", "quarantine", "documents"} <= cards
            for view in views:
                _assert_fits(browser, view, width)
            assert browser.errors == []
    finally:
        browser.resize(WIDTH, 900)
