"""An interrupted run, resumed with --resume, writes exactly what an uninterrupted run writes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SEEDS, run_cli


def _corpus(root: Path, documents: int) -> None:
    """Many distinct articles, made by shuffling the seeds' paragraphs."""
    paragraphs = [p for seed in sorted(SEEDS.iterdir()) for p in seed.read_text().split("\n") if len(p) > 80]
    rng = random.Random(7)
    root.mkdir()
    for number in range(documents):
        (root / f"article_{number:04d}.txt").write_text("\n".join(rng.sample(paragraphs, 6)) + "\n")


def test_killed_run_resumes_to_the_same_bytes(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 600)
    reference = tmp_path / "reference"
    assert run_cli("clean", str(corpus), "--out", str(reference)).returncode == 0

    out = tmp_path / "interrupted"
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    partial = out / "documents.jsonl.partial"
    deadline = time.monotonic() + 120
    while (not partial.exists() or partial.stat().st_size < 200_000) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "documents.jsonl").exists(), "the run finished before it could be interrupted"
    assert partial.stat().st_size >= 200_000

    resumed = run_cli("clean", str(corpus), "--out", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert (out / "documents.jsonl").read_bytes() == (reference / "documents.jsonl").read_bytes()
    assert (out / "quarantine.jsonl").read_bytes() == (reference / "quarantine.jsonl").read_bytes()
    assert not partial.exists()


def test_resume_refuses_output_written_with_another_config(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "resume.json").write_text('{"config_hash": "someotherconfig"}')
    result = run_cli("clean", str(corpus), "--out", str(out), "--resume")
    assert result.returncode == 1
    assert b"config" in result.stderr
