"""Shared helpers: run the real CLI and read its output."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run_cli(*args: str | bytes, input: bytes | None = None, cwd: Path | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `cleaner ARGS` in a fresh interpreter, exactly as a user would (bytes for names that are not UTF-8)."""
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=input, capture_output=True,
                          cwd=cwd, timeout=timeout)


@contextmanager
def disk_full_after(documents: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Inside the block, writing a document fails ("disk full") once `documents` have been written."""
    from cleaner.io.writers import OutputDirectory

    written, write = 0, OutputDirectory.write_document

    def failing(self: OutputDirectory, record_json: bytes) -> None:
        nonlocal written
        if written == documents:
            raise RuntimeError("disk full")
        written += 1
        write(self, record_json)

    with monkeypatch.context() as patched:
        patched.setattr(OutputDirectory, "write_document", failing)
        yield


def read_jsonl(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds cleaned once per test session."""
    out = tmp_path_factory.mktemp("seeds_out")
    result = run_cli("clean", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    return out
