"""Every file the CLI writes gets the mode a plain `open()` would give it, 0666 cut by the umask: a
corpus or report written to a shared folder is readable by whoever the umask lets read it, and no more.
(Atomic writes once went through `tempfile.mkstemp`, which left every renamed file at 0600.)"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import SEEDS, run_cli

# What each command must leave behind, so that a command that wrote nothing cannot pass.
EXPECTED = {"clean/documents.jsonl", "clean/quarantine.jsonl", "clean/run.json",
            "run/documents.jsonl", "run/quarantine.jsonl", "run/run.json", "run/dedup.json", "run/clusters.jsonl",
            "run-report/index.html", "run-report/summary.json", "run-report/summary.md",
            "dedup/documents.jsonl", "dedup/duplicates.jsonl", "dedup/clusters.jsonl", "dedup/dedup.json",
            "audit-report/index.html", "audit-report/summary.json", "audit-report/summary.md"}


@pytest.fixture
def umask(request):
    """Run the test's CLI calls (child processes inherit it) under the umask given as the parameter."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def written_by_every_command(folder: Path) -> dict[str, int]:
    """`clean`, `run --report`, `dedup` and `audit` run in `folder`: each file they wrote and its mode."""
    for args in (["clean", str(SEEDS), "--out", "clean"],
                 ["run", str(SEEDS), "--out", "run", "--report", "run-report"],
                 ["dedup", "clean/documents.jsonl", "--out", "dedup"],
                 ["audit", "dedup", "--report", "audit-report"]):
        result = run_cli(*args, cwd=folder)
        assert result.returncode == 0, (args, result.stderr.decode())
    return {path.relative_to(folder).as_posix(): stat.S_IMODE(path.stat().st_mode)
            for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], indirect=True)
def test_every_output_file_has_the_mode_open_gives_under_the_umask(tmp_path, umask):
    modes = written_by_every_command(tmp_path)

    assert EXPECTED <= set(modes)
    views = [name for name in modes if name.startswith(("run-report/docs/", "audit-report/docs/"))]
    assert len(views) == 2 * len(list(SEEDS.glob("*.txt")))
    expected = {name: 0o666 & ~umask for name in modes}
    assert {name: oct(m) for name, m in modes.items()} == {name: oct(m) for name, m in expected.items()}
