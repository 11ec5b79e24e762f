"""Hostile inputs: nothing hangs and nothing vanishes. Each odd input becomes one quarantine entry with a
reason, and run.json keeps `inputs = documents + quarantined`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from cleaner.cli import main
from tests.conftest import read_jsonl, run_cli

ARTICLE = "Rain fell on the harbour all night, and the ferries stayed in port until the wind dropped.\n"
HANG = 60  # seconds: a run that takes longer than this on a handful of files is waiting on a pipe
ALL_QUARANTINED = 3  # the CLI's exit code when no input became a document


def counts_and_reasons(out: Path) -> tuple[dict, dict[str, str]]:
    """run.json's counts, checked to add up, and each quarantined input's reason by its file name."""
    run = orjson.loads((out / "run.json").read_bytes())
    counts = run["counts"]
    assert counts["inputs"] == counts["documents"] + counts["quarantined"], counts
    quarantined = read_jsonl(out / "quarantine.jsonl")
    assert len(quarantined) == counts["quarantined"]
    return counts, {Path(entry["source"]).name: entry["reason"] for entry in quarantined}


def clean(out: Path, *inputs: str | bytes) -> tuple[dict, dict[str, str]]:
    result = run_cli("clean", *inputs, "--out", str(out), timeout=HANG)
    assert result.returncode in (0, ALL_QUARANTINED), result.stderr.decode(errors="replace")
    return counts_and_reasons(out)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An input folder holding one good article."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE)
    return folder


def test_a_named_pipe_given_as_input_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    counts, reasons = clean(tmp_path / "out", str(tmp_path / "pipe.txt"))
    assert reasons == {"pipe.txt": "not_a_regular_file"} and counts["documents"] == 0


def test_a_named_pipe_inside_a_folder_is_refused_and_the_rest_is_read(tmp_path: Path, folder: Path) -> None:
    os.mkfifo(folder / "pipe.jsonl")
    counts, reasons = clean(tmp_path / "out", str(folder))
    assert reasons == {"pipe.jsonl": "not_a_regular_file"} and counts["documents"] == 1


def test_dangling_and_looping_symlinks_are_unreadable(tmp_path: Path, folder: Path) -> None:
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder symlink back into the walk
    counts, reasons = clean(tmp_path / "out", str(folder))
    assert reasons == {"dangling.txt": "unreadable", "loop.txt": "unreadable", "up": "unreadable"}
    assert counts["documents"] == 1


@pytest.fixture
def unlistable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A sub-folder nobody may list. Root ignores permissions, so there os.scandir refuses it instead."""
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(ARTICLE)
    locked.chmod(0)
    if os.geteuid() == 0:
        scandir = os.scandir

        def refuse_locked(path: str | int) -> object:
            # shutil.rmtree lists folders by file descriptor: only a path can be the locked folder
            if not isinstance(path, int) and Path(path) == locked:
                raise PermissionError(13, "Permission denied", path)
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refuse_locked)
    yield locked
    locked.chmod(0o755)


def test_an_unreadable_sub_folder_is_quarantined(tmp_path: Path, folder: Path, unlistable: Path) -> None:
    # in-process, so that the stand-in for permissions applies when the tests run as root
    result = CliRunner().invoke(main, ["clean", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    counts, reasons = counts_and_reasons(tmp_path / "out")
    assert reasons == {"locked": "unreadable"} and counts["documents"] == 1


def test_zero_byte_jsonl_and_warc_files_are_empty(tmp_path: Path, folder: Path) -> None:
    (folder / "nothing.jsonl").touch()
    (folder / "nothing.warc").touch()
    counts, reasons = clean(tmp_path / "out", str(folder))
    assert reasons == {"nothing.jsonl": "empty", "nothing.warc": "empty"} and counts["documents"] == 1


def test_hidden_files_and_hidden_folders_are_both_skipped_inside_a_folder(tmp_path: Path, folder: Path) -> None:
    (folder / ".hidden.txt").write_text(ARTICLE)
    (folder / ".cache").mkdir()
    (folder / ".cache" / "copy.txt").write_text(ARTICLE)
    counts, reasons = clean(tmp_path / "out", str(folder))
    assert reasons == {} and counts["documents"] == 1
    counts, _ = clean(tmp_path / "named", str(folder / ".hidden.txt"))  # named as an input, it is read
    assert counts["documents"] == 1


def test_a_file_name_that_is_not_utf8_is_read_with_an_escaped_key(tmp_path: Path, folder: Path) -> None:
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode(b"caf\xe9.txt")).write_text(ARTICLE)
    (Path(os.fsdecode(bytes(folder))) / os.fsdecode(b"vide\xff.jsonl")).touch()
    counts, reasons = clean(tmp_path / "out", str(folder))
    assert reasons == {"vide\\xff.jsonl": "empty"} and counts["documents"] == 2
    sources = [Path(record["source"]).name for record in read_jsonl(tmp_path / "out" / "documents.jsonl")]
    assert sources == ["caf\\xe9.txt", "good.txt"]
