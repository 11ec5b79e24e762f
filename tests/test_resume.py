"""An interrupted run, resumed with --resume, writes exactly what an uninterrupted run writes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.config import Config
from cleaner.engine.saved_pass import CONTEXT, FOLDER, MANIFEST, SPILL
from cleaner.runner import clean_corpus
from tests.conftest import SEEDS, disk_full_after, run_cli


def _corpus(root: Path, documents: int) -> None:
    """Many distinct articles, made by shuffling the seeds' paragraphs."""
    paragraphs = [p for seed in sorted(SEEDS.iterdir()) for p in seed.read_text().split("\n") if len(p) > 80]
    rng = random.Random(7)
    root.mkdir()
    for number in range(documents):
        (root / f"article_{number:04d}.txt").write_text("\n".join(rng.sample(paragraphs, 6)) + "\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("resume") / "corpus"
    _corpus(root, 600)
    return root


@pytest.fixture(scope="module")
def reference(corpus: Path) -> Path:
    """The corpus cleaned by one uninterrupted run."""
    out = corpus.parent / "reference"
    assert run_cli("clean", str(corpus), "--out", str(out)).returncode == 0
    return out


def _assert_same_output(out: Path, reference: Path) -> None:
    assert (out / "documents.jsonl").read_bytes() == (reference / "documents.jsonl").read_bytes()
    assert (out / "quarantine.jsonl").read_bytes() == (reference / "quarantine.jsonl").read_bytes()
    # the kept first pass, partial files and resume state are gone: only the documented outputs remain
    assert sorted(path.name for path in out.iterdir()) == sorted(path.name for path in reference.iterdir())


def _during_first_pass(out: Path) -> bool:
    spill = out / FOLDER / SPILL
    return spill.exists() and spill.stat().st_size > 0 and not (out / FOLDER / MANIFEST).exists()


def _after_first_pass(out: Path) -> bool:
    return (out / FOLDER / MANIFEST).exists()


def _mid_second_pass(out: Path) -> bool:
    partial = out / "documents.jsonl.partial"
    return partial.exists() and partial.stat().st_size >= 200_000


@pytest.mark.parametrize(("moment", "note"), [
    (_during_first_pass, b"note: redoing the first pass: no finished first pass"),
    (_after_first_pass, b"note: reusing the finished first pass"),
    (_mid_second_pass, b"note: reusing the finished first pass"),
])
def test_killed_run_resumes_to_the_same_bytes(tmp_path, corpus, reference, moment, note):
    out = tmp_path / "interrupted"
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not moment(out) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert moment(out), f"the run went past {moment.__name__} before it could be killed"
    assert not (out / "documents.jsonl").exists()

    resumed = run_cli("clean", str(corpus), "--out", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert note in resumed.stderr
    _assert_same_output(out, reference)


def _failed_run(corpus: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that fails after writing 50 documents, its first pass kept, as a crash would leave it."""
    with disk_full_after(50, monkeypatch):
        with pytest.raises(RuntimeError, match="disk full"):
            clean_corpus([str(corpus)], out, Config())
    assert (out / FOLDER / MANIFEST).exists()


def test_resume_redoes_the_first_pass_when_an_input_changed(tmp_path, corpus, reference, monkeypatch):
    out = tmp_path / "out"
    _failed_run(corpus, out, monkeypatch)
    touched = corpus / "article_0599.txt"
    stamp = touched.stat()
    # touched within the same second: records date a file by its mtime in whole seconds, so the output
    # stays the reference's while the first pass, which saw another mtime, must be redone
    second, fraction = divmod(stamp.st_mtime_ns, 1_000_000_000)
    os.utime(touched, ns=(stamp.st_atime_ns, second * 1_000_000_000 + (fraction + 1) % 1_000_000_000))
    try:
        resumed = run_cli("clean", str(corpus), "--out", str(out), "--resume")
    finally:
        os.utime(touched, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert b"note: redoing the first pass: inputs changed since it was computed" in resumed.stderr
    _assert_same_output(out, reference)


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _replace_by_a_file(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.write_bytes(b"not a folder")


@pytest.mark.parametrize(("damage", "note"), [
    (lambda folder: _flip_a_byte(folder / SPILL), b"prepared.pickle is missing or damaged"),
    (lambda folder: (folder / CONTEXT).unlink(), CONTEXT.encode() + b" is missing or damaged"),
    (lambda folder: (folder / MANIFEST).write_bytes(b'{"identity": {"con'), b"unreadable manifest.json"),
    (lambda folder: (folder / MANIFEST).write_bytes(b'{"identity": [], "digests": 3}'), b"unreadable manifest.json"),
    (_replace_by_a_file, b"unreadable manifest.json"),
])
def test_a_damaged_first_pass_is_redone_not_used(tmp_path, corpus, reference, monkeypatch, damage, note):
    out = tmp_path / "out"
    _failed_run(corpus, out, monkeypatch)
    damage(out / FOLDER)
    resumed = run_cli("clean", str(corpus), "--out", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert b"note: redoing the first pass: " + note in resumed.stderr
    _assert_same_output(out, reference)


def test_resume_refuses_output_written_with_another_config(tmp_path):
    corpus = tmp_path / "corpus"
    _corpus(corpus, 3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "resume.json").write_text('{"config_hash": "someotherconfig"}')
    result = run_cli("clean", str(corpus), "--out", str(out), "--resume")
    assert result.returncode == 1
    assert b"config" in result.stderr
