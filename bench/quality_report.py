"""The audit's quality section on a real run: `cleaner run` over dev-set pages, the report opened in
headless Chromium (not a test; tests/test_audit_quality.py checks the seeds).

    PYTHONPATH=$PWD python3 bench/quality_report.py [--pages 2000] [--jobs 2] [--work /tmp/quality-report]

Pages are the dev sets' HTML, round-robin across datasets (bench/throughput.py's `dev_pages`). Prints the
run's time, the quality figures of summary.json (pass rate per family, the commonest reasons, the sources
with the lowest pass rate), and what the browser saw in the quality section: charts drawn, table rows,
whether clicking the pass-rate header sorts the sources by it, console errors; a full-page screenshot is
left in the work folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from audit_browser import Browser, chromium_path  # noqa: E402

from bench.extraction import load_harness  # noqa: E402
from bench.throughput import dev_pages, write_pages  # noqa: E402

QUALITY_CHARTS = """Array.from(document.querySelectorAll("#quality svg.chart")).map(function (svg) {
  var box = svg.getBoundingClientRect();
  return {label: svg.getAttribute("aria-label"), width: box.width, height: box.height,
          bars: Array.from(svg.querySelectorAll("rect")).filter(function (r) {
            return !r.classList.contains("track") && r.getBoundingClientRect().height > 0; }).length};
})"""
# the per-source quality table is the second table of the section; its pass-rate column the fifth
SORTED = """(function () {
  var table = document.querySelectorAll("#quality table")[1];
  table.querySelectorAll("thead th")[4].click();
  return Array.from(table.tBodies[0].rows).map(function (r) { return Number(r.cells[4].dataset.v); });
})()"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/quality-report"))
    args = parser.parse_args(argv)
    harness = load_harness()
    if harness is None or chromium_path() is None:
        print("extraction harness or chromium not found; nothing to do")
        return 0
    shutil.rmtree(args.work, ignore_errors=True)
    size = write_pages(dev_pages(harness, args.pages), args.work / "pages", "html")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "cleaner", "run", str(args.work / "pages"), "--out", str(args.work / "out"),
                    "--report", str(args.work / "report"), "--jobs", str(args.jobs)], check=True)
    print(f"# cleaner run: {args.pages} pages ({size / 1e6:.1f} MB HTML), --jobs {args.jobs}, "
          f"{time.monotonic() - started:.0f} s wall")
    summary = orjson.loads((args.work / "report" / "summary.json").read_bytes())
    quality = summary["quality"]
    print(f"# assessed {quality['documents_assessed']}, not assessed {quality['documents_not_assessed']}, "
          f"passing every family {quality['documents_passing_all']} ({quality['pass_rate_all']:.1%})")
    for name, family in quality["families"].items():
        reasons = sorted(family["reasons"].items(), key=lambda kv: -kv[1])[:3]
        print(f"  {name}: pass rate {family['pass_rate']:.1%}; commonest reasons {reasons}")
    rows = [row for row in summary["sources"]["rows"] if row["quality_assessed"] >= 5]
    for row in sorted(rows, key=lambda r: (r["quality_pass_rate"], r["source"]))[:5]:
        print(f"  low: {row['source']}: {row['documents']} documents, pass rate {row['quality_pass_rate']:.0%}, "
              f"noise {row['noise_share']:.0%}, duplicates {row['duplicate_share']:.0%}, "
              f"median {row['median_clean_chars']} chars")
    browser = Browser(width=1280, height=900)
    try:
        browser.open(args.work / "report" / "index.html")
        charts = browser.evaluate(QUALITY_CHARTS)
        drawn = [c for c in charts if c["width"] > 200 and c["height"] > 20 and c["bars"] > 0]
        rows_shown = browser.evaluate("document.querySelectorAll('#quality table')[1].tBodies[0].rows.length")
        rates = browser.evaluate(SORTED)
        shot = browser.screenshot(args.work / "report.png")
        print(f"# browser: {len(drawn)}/{len(charts)} quality charts drawn with bars; {rows_shown} source rows; "
              f"sorted by pass rate on click: {rates == sorted(rates)}; console errors: {browser.errors}; "
              f"screenshot {len(shot) / 1e6:.1f} MB -> {args.work / 'report.png'}")
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
