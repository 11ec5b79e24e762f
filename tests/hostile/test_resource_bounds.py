"""Hostile inputs through the real CLI, each in a fresh process: every one ends as its expected document or
quarantine entry, in bounded memory and time, and writes nothing outside --out.

Each input fills `input.max_bytes` (kept small here so the suite stays fast; the bounds scale with it):
deep nesting, regex blow-up candidates, control characters, a huge attribute, many tiny lines. The
bounds, measured and explained in docs/hardening.md:

    peak RSS  <= base RSS  + RSS_PER_INPUT_BYTE * input.max_bytes
    wall time <= base time + SECONDS_PER_MB * input.max_bytes / 1e6

where the base is a run on a one-line input in the same session (interpreter, libraries, the line
classifier's weights, langdetect's profiles).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from cleaner import clean
from tests.conftest import ROOT, read_jsonl

# CLEANER_HOSTILE_MAX_BYTES=4000000 runs the same cases at full size (2 million one-character lines...)
MAX_BYTES = int(os.environ.get("CLEANER_HOSTILE_MAX_BYTES", 250_000))
# the worst case is many one-character lines: ~1.2 kB of per-line state for every 2 input bytes (the
# classifier's feature rows, the logical lines, one span per line); prose costs ~20-200 bytes per byte
RSS_PER_INPUT_BYTE = 1000
# linear rules do a megabyte of the worst case (one-character lines) in 20-40 s on a loaded 2-core
# machine; a quadratic or backtracking rule overshoots this by orders of magnitude
SECONDS_PER_MB = 100
# seconds: past twice the time bound the run is killed, and the test fails, rather than wait on a runaway rule
HANG = 60 + 2 * SECONDS_PER_MB * MAX_BYTES / 1e6
ALL_QUARANTINED = 3  # the CLI's exit code when no input became a document
OUTPUTS = {"documents.jsonl", "quarantine.jsonl", "run.json"}

# Runs the CLI as its only child, so RUSAGE_CHILDREN is that one run's peak RSS; reports it with the
# wall time as JSON on stdout, the CLI's stderr passed through.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(json.dumps({"code": code, "seconds": time.monotonic() - start,
                  "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@dataclass(frozen=True)
class Run:
    code: int
    seconds: float
    rss_bytes: int
    stderr: str
    out: Path


def run_measured(input_file: Path, work: Path) -> Run:
    """`cleaner clean input_file` with a small max_bytes, from an empty folder and an empty TMPDIR and
    HOME under `work`, whose only other entries are the input's folder and --out."""
    config = work / "config" / "small.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"[input]\nmax_bytes = {MAX_BYTES}\n")
    for name in ("cwd", "tmp", "home"):
        (work / name).mkdir()
    env = {**os.environ, "TMPDIR": str(work / "tmp"), "HOME": str(work / "home"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "cleaner", "clean", str(input_file),
         "--out", str(work / "out"), "--config", str(config)],
        capture_output=True, cwd=work / "cwd", env=env, timeout=HANG)
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode == 0, stderr
    measured = json.loads(result.stdout)
    return Run(measured["code"], measured["seconds"], measured["rss_kb"] * 1024, stderr, work / "out")


def write_input(work: Path, name: str, content: bytes) -> Path:
    path = work / "in" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A one-line input's run: the fixed cost every bound adds to."""
    work = tmp_path_factory.mktemp("base")
    run = run_measured(write_input(work, "one_line.txt", b"Rain fell on the harbour all night.\n"), work)
    assert run.code == 0, run.stderr
    return run


def fill(piece: str, budget: int, head: str = "", tail: str = "") -> bytes:
    """`head`, `piece` repeated, `tail`: as many repeats as keep the UTF-8 bytes within `budget`."""
    repeats = (budget - len((head + tail).encode())) // len(piece.encode())
    return (head + piece * repeats + tail).encode()


ARTICLE = "The harbour council met on Tuesday and voted to rebuild the breakwater before the winter storms."
DEEP_TEXT = "The text at the bottom of the nesting is kept."


def nested_html(budget: int) -> bytes:
    shell = f"<html><body><p>{ARTICLE}</p>{{}}<p>{ARTICLE}</p></body></html>"
    levels = (budget - len(shell) - len(DEEP_TEXT)) // len("<div></div>")
    return shell.format("<div>" * levels + DEEP_TEXT + "</div>" * levels).encode()


def nested_brackets(budget: int) -> bytes:
    levels = (budget - len(ARTICLE) - 2) // 4
    return ("(" * levels + "[" * levels + ARTICLE + "]" * levels + ")" * levels + "\n").encode()


def huge_attribute(budget: int) -> bytes:
    shell = f'<html><body><div title="{{}}"><p>{ARTICLE}</p><p>{ARTICLE}</p></div></body></html>'
    return shell.format("a" * (budget - len(shell))).encode()


@dataclass(frozen=True)
class Case:
    name: str  # the input's file name: its suffix chooses the reader
    content: Callable[[int], bytes]  # the input, given the byte budget
    outcome: str  # "document", or the quarantine reason
    keeps: str = ""  # text the document must still hold


CASES = [
    Case("nested.html", nested_html, "document", DEEP_TEXT),
    Case("brackets.txt", nested_brackets, "document", ARTICLE),
    Case("one_letter.txt", lambda budget: fill("a", budget, tail="\n"), "document"),
    Case("spaces.txt", lambda budget: fill(" ", budget, head="Rain", tail="fell.\n"), "document"),
    Case("punctuation.txt", lambda budget: fill("!?.,;:-*", budget, tail="\n"), "document"),
    Case("link_residue.txt", lambda budget: fill("[Share](#) ", budget, head=ARTICLE + "\n"), "document", ARTICLE),
    Case("link_residue_lines.txt", lambda budget: fill("[Share](#)\n", budget, head=ARTICLE + "\n"), "document",
         ARTICLE),
    # one C0 control per line stays under input.max_control_share (2%) ...
    Case("some_controls.txt", lambda budget: fill(f"{ARTICLE}\x1b[0m\x7f\u200b\u2028\x85\n", budget), "document",
         "breakwater"),
    # ... a line of them is binary data
    Case("many_controls.txt", lambda budget: fill("\x00\x01\x02\x1b" + ARTICLE + "\n", budget), "binary"),
    Case("attribute.html", huge_attribute, "document", ARTICLE),
    Case("tiny_lines.txt", lambda budget: fill("a\n", budget), "document"),
    Case("oversized.txt", lambda budget: fill(ARTICLE + "\n", 2 * budget), "oversized"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_input_is_handled_in_bounded_memory_and_time(case: Case, base: Run, tmp_path: Path) -> None:
    input_file = write_input(tmp_path, case.name, case.content(MAX_BYTES))
    run = run_measured(input_file, tmp_path)

    assert "Traceback" not in run.stderr, run.stderr
    assert run.code == (0 if case.outcome == "document" else ALL_QUARANTINED), run.stderr
    counts = orjson.loads((run.out / "run.json").read_bytes())["counts"]
    documents, quarantined = read_jsonl(run.out / "documents.jsonl"), read_jsonl(run.out / "quarantine.jsonl")
    assert counts["inputs"] == counts["documents"] + counts["quarantined"] == 1, counts
    assert (len(documents), len(quarantined)) == (counts["documents"], counts["quarantined"])
    if case.outcome == "document":
        assert case.keeps in documents[0]["text"]
    else:
        assert [entry["reason"] for entry in quarantined] == [case.outcome], quarantined

    rss_over_base = run.rss_bytes - base.rss_bytes
    assert rss_over_base <= RSS_PER_INPUT_BYTE * MAX_BYTES, f"{rss_over_base / MAX_BYTES:.0f} bytes per input byte"
    assert run.seconds <= base.seconds + SECONDS_PER_MB * MAX_BYTES / 1e6, f"{run.seconds:.1f} s"

    # nothing written outside --out: not the working folder, TMPDIR or HOME, nor beside the input
    assert {path.name for path in tmp_path.iterdir()} == {"in", "out", "cwd", "tmp", "home", "config"}
    assert [path.name for path in (tmp_path / "in").iterdir()] == [case.name]
    assert {path.name for path in run.out.iterdir()} == OUTPUTS
    assert [path for name in ("cwd", "tmp", "home") for path in (tmp_path / name).iterdir()] == []


def test_text_nested_past_the_html_parsers_depth_limit_is_kept() -> None:
    # libxml2 stops its tree at 256 levels: the end of such a page once vanished without a trace, and a
    # page with nothing before the depth was quarantined as having no text
    for before in ("", f"<p>{ARTICLE}</p>"):
        page = f"<html><body>{before}{'<div>' * 300}{DEEP_TEXT}{'</div>' * 300}<p>{ARTICLE} Again.</p></body></html>"
        text = clean(page, kind="html").text
        assert DEEP_TEXT in text and f"{ARTICLE} Again." in text
