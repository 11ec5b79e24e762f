"""Wall time of `cleaner clean --resume` after a kill mid second pass, beside a full run (not a test).

    PYTHONPATH=$PWD python3 bench/resume.py PAGES_FOLDER [--jobs N]

Runs `cleaner clean PAGES_FOLDER` once to the end, then again, killed once half of the full run's
documents.jsonl is written, then resumes that run and checks its bytes against the full run's.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _clean(pages: str, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "clean", pages, "--out", str(out), "--jobs", str(jobs), *extra]


def _timed(command: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        full, killed = Path(tmp) / "full", Path(tmp) / "killed"
        full_seconds = _timed(_clean(args.pages, full, args.jobs))
        half = (full / "documents.jsonl").stat().st_size // 2
        process = subprocess.Popen(_clean(args.pages, killed, args.jobs), stdout=subprocess.DEVNULL,
                                   start_new_session=True)
        partial = killed / "documents.jsonl.partial"
        while process.poll() is None and (not partial.exists() or partial.stat().st_size < half):
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        written = partial.stat().st_size
        resume_seconds = _timed(_clean(args.pages, killed, args.jobs, "--resume"))
        same = (killed / "documents.jsonl").read_bytes() == (full / "documents.jsonl").read_bytes()
        print(f"full run {full_seconds:.1f} s; resume after a kill at {written / (2 * half):.0%} of the"
              f" documents {resume_seconds:.1f} s ({resume_seconds / full_seconds:.0%}); same bytes: {same}")


if __name__ == "__main__":
    main()
