"""The audit's quality section: figures that recount from the records, and a page that draws them.

A small corpus (the seeds, a menu page, a page of one repeated paragraph, a German article) is cleaned;
summary.json must give the pass rates, reasons and per-source columns the records imply, and headless
Chromium must draw every quality chart and sort the per-source table by a clicked column.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from statistics import median_low

import orjson
import pytest
from audit_browser import Browser, chromium_path

from cleaner.report.aggregate import source_of
from cleaner.report.audit import write_report
from cleaner.report.quality import MAIN_SIGNALS
from tests.conftest import SEEDS, read_jsonl, run_cli

GERMAN = ("Der Gemeinderat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. Die Bürgermeisterin "
          "sagte, die Stadt werde mehr Geld für Schulen und für den Nahverkehr ausgeben. ") * 4 + "\n"
MENU = "\n".join(f"Menu item {i}" for i in range(40)) + "\n"
REPEATED = "\n\n".join(["Subscribe to our newsletter for the latest news and to be the first to know."] * 6 + [
    "The council met on Tuesday and agreed the budget for the coming year, the mayor said."]) + "\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    inputs = tmp_path_factory.mktemp("inputs")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inputs / seed.name)
    for name, text in (("menu.txt", MENU), ("repeated.txt", REPEATED), ("german.txt", GERMAN)):
        (inputs / name).write_text(text, "utf-8")
    out = tmp_path_factory.mktemp("out")
    result = run_cli("clean", str(inputs), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    return out, write_report(out, out / "report")


def test_summary_recounts_the_records(report: tuple[Path, Path]) -> None:
    out, folder = report
    records = read_jsonl(out / "documents.jsonl")
    quality = orjson.loads((folder / "summary.json").read_bytes())["quality"]
    assessed = [r for r in records if "quality" in r["metadata"]]
    assert quality["documents_not_assessed"] == len(records) - len(assessed) >= 1  # the German article
    passing = [r for r in assessed if all(f["pass"] for f in r["metadata"]["quality"].values())]
    assert quality["documents_passing_all"] == len(passing) < len(assessed)
    for name, family in quality["families"].items():
        assert family["passed"] == sum(r["metadata"]["quality"][name]["pass"] for r in assessed)
        assert sum(family["reasons"].values()) == sum(len(r["metadata"]["quality"][name]["reasons"]) for r in assessed)
    assert [(h["family"], h["signal"]) for h in quality["histograms"]] == [(f, s) for f, s, _ in MAIN_SIGNALS]
    assert all(sum(h["counts"]) == len(assessed) for h in quality["histograms"])
    rows = {row["source"]: row for row in orjson.loads((folder / "summary.json").read_bytes())["sources"]["rows"]}
    for source, row in rows.items():
        mine = [r for r in records if source_of(r) == source]
        assert row["median_clean_chars"] == median_low(len(r["text"]) for r in mine)
        judged = [r for r in mine if "quality" in r["metadata"]]
        passed = sum(all(f["pass"] for f in r["metadata"]["quality"].values()) for r in judged)
        assert row["quality_pass_rate"] == (round(passed / len(judged), 4) if judged else 0.0)


def test_the_quality_section_draws_its_charts_and_sorts_by_source(report: tuple[Path, Path]) -> None:
    if chromium_path() is None:  # a failure, not a skip: an unrendered report is an untested one
        pytest.fail("chromium is not installed: `bash scripts/test.sh` installs it", pytrace=False)
    browser = Browser(width=1280, height=900)
    try:
        browser.open(report[1] / "index.html")
        charts = browser.evaluate("""Array.from(document.querySelectorAll("#quality svg.chart")).map(function (s) {
          var box = s.getBoundingClientRect();
          return [box.width, box.height, Array.from(s.querySelectorAll("rect")).filter(function (r) {
            return !r.classList.contains("track") && r.getBoundingClientRect().height > 0; }).length];
        })""")
        # the pass rates and one histogram per main signal, each drawn with bars
        assert len(charts) == 1 + len(MAIN_SIGNALS)
        assert all(width > 200 and height > 20 and bars > 0 for width, height, bars in charts), charts
        table = "document.querySelectorAll('#quality table')[1]"
        headers = browser.evaluate(f"Array.from({table}.tHead.rows[0].cells).map(c => c.textContent)")
        assert headers == ["source", "documents", "noise share", "duplicate share", "quality pass rate",
                           "flagged share", "median length"]
        browser.evaluate(f"{table}.tHead.rows[0].cells[6].click()")
        lengths = browser.evaluate(f"Array.from({table}.tBodies[0].rows).map(r => Number(r.cells[6].dataset.v))")
        assert lengths == sorted(lengths) and len(lengths) >= 3
        assert browser.errors == []
    finally:
        browser.close()
