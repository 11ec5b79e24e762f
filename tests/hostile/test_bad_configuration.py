"""A configuration, output folder or index that cannot work is refused before any work, with a message
that names it: exit 2 for what the user wrote wrongly, exit 1 when an index cannot be used, never a traceback."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cleaner.config import DEFAULTS, SCHEMA, Config, ConfigError, leaves, rule_for
from tests.conftest import read_jsonl, run_cli

ARTICLE = ("The council voted on Tuesday to rebuild the old stone bridge over the river before winter.\n\n"
           "Engineers said the work would take four months and close the road to heavy traffic.\n")


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in ("bridge.txt", "road.txt"):
        (folder / name).write_text(ARTICLE.replace("bridge", name[:-4]))
    return folder


def write_config(folder: Path, toml: str) -> Path:
    path = folder / "config.toml"
    path.write_text(toml)
    return path


def assert_refused(result: subprocess.CompletedProcess, code: int, *named: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    for text in named:
        assert text in stderr, stderr


def test_the_defaults_pass_and_every_key_has_a_rule() -> None:
    Config()
    for key, value in leaves(DEFAULTS):
        assert rule_for(key).accepts(value), key
    # a flag's or a quality family's own keys share the `<section>.*.` entries
    used = {key if key in SCHEMA else f"{key.split('.')[0]}.*.{key.rsplit('.', 1)[1]}" for key, _ in leaves(DEFAULTS)}
    assert used == set(SCHEMA), "a SCHEMA entry no key uses"


@pytest.mark.parametrize(("toml", "key", "value", "allowed"), [
    ("[input]\nmax_bytes = \"big\"", "input.max_bytes", '"big"', "an integer >= 1"),
    ("[input]\nmax_bytes = -5", "input.max_bytes", "-5", "an integer >= 1"),
    ("[dedup]\nnum_perm = 0", "dedup.num_perm", "0", "an integer >= 1"),
    ("[dedup]\nshingle_size = \"5\"", "dedup.shingle_size", '"5"', "an integer from 1 to 8"),
    ("[dedup]\nbatch_size = 0", "dedup.batch_size", "0", "an integer >= 1"),
    ("[dedup]\nbatch_size = true", "dedup.batch_size", "true", "an integer >= 1"),
    ("[dedup]\nkeep = [\"shortest\"]", "dedup.keep", '["shortest"]', "longest, earliest"),
    ("[dedup]\nindex = \"http://example.org/index\"", "dedup.index", '"http://example.org/index"', "redis://"),
    ("[noise]\ndisabled_rules = [\"no_such_rule\"]", "noise.disabled_rules", '["no_such_rule"]', "noise rule names"),
    ("[noise]\ncorpus_context = \"false\"", "noise.corpus_context", '"false"', "true or false"),
    ("[noise]\nmin_score = 1.5", "noise.min_score", "1.5", "a number from 0 to 1"),
    ("[flags]\ndisabled = [\"no_such_flag\"]", "flags.disabled", '["no_such_flag"]', "flag names"),
    ("[flags.opinion]\nthreshold = -0.1", "flags.opinion.threshold", "-0.1", "a number from 0 to 1"),
])
def test_a_bad_value_is_a_usage_error_naming_key_value_and_what_is_allowed(
        inputs: Path, tmp_path: Path, toml: str, key: str, value: str, allowed: str) -> None:
    config = write_config(tmp_path, toml)
    result = run_cli("run", str(inputs), "--out", str(tmp_path / "out"), "--report", str(tmp_path / "report"),
                     "--config", str(config))
    assert_refused(result, 2, f"config key '{key}': {value} is not allowed", allowed)
    assert not (tmp_path / "out").exists(), "refused before any work"


def test_the_python_api_refuses_the_same_values() -> None:
    with pytest.raises(ConfigError, match="'dedup.num_perm': 0 is not allowed"):
        Config({"dedup": {"num_perm": 0}})


def test_no_banding_of_the_slots_reaches_the_recall(inputs: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path, "[dedup]\nnum_perm = 1\ntarget_jaccard = 0.5\ncandidate_recall = 1.0")
    result = run_cli("clean", str(inputs), "--out", str(tmp_path / "out"), "--config", str(config))
    assert_refused(result, 2, "dedup.num_perm", "no banding of 1 slots")


@pytest.mark.parametrize("command", ["clean", "run", "dedup"])
def test_out_naming_an_existing_file_is_a_usage_error(inputs: Path, tmp_path: Path, command: str) -> None:
    taken = tmp_path / "taken.jsonl"
    taken.write_text("{}\n")
    source = str(taken) if command == "dedup" else str(inputs)
    result = run_cli(command, source, "--out", str(taken))
    assert_refused(result, 2, f"{taken} is a file, not a folder")


@pytest.fixture
def cleaned(inputs: Path, tmp_path: Path) -> Path:
    out = tmp_path / "cleaned"
    assert run_cli("clean", str(inputs), "--out", str(out)).returncode == 0
    return out / "documents.jsonl"


@pytest.mark.parametrize(("spec", "why"), [
    ("http://example.org/x", "only a SQLite file path or redis://host:port/db"),
    ("redis://127.0.0.1:6379/zero", "the database must be a number"),
    ("redis://127.0.0.1:port/0", "Port could not be cast"),
])
def test_an_index_that_is_no_sqlite_path_or_redis_url_is_a_usage_error(
        cleaned: Path, tmp_path: Path, spec: str, why: str) -> None:
    result = run_cli("dedup", str(cleaned), "--out", str(tmp_path / "dedup"), "--index", spec, cwd=tmp_path)
    assert_refused(result, 2, spec, why)
    assert not (tmp_path / "http:").exists()


def foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (number INTEGER, total REAL)")


def truncated_index(path: Path, cleaned: Path) -> None:
    assert run_cli("dedup", str(cleaned), "--out", str(path.parent / "first"), "--index", str(path)).returncode == 0
    path.write_bytes(path.read_bytes()[:1000])


@pytest.mark.parametrize(("make", "why"), [
    (lambda path, cleaned: path.write_bytes(b"not a database at all\n" * 100), "file is not a database"),
    (lambda path, cleaned: foreign_sqlite(path), "a SQLite file of something else"),
    (truncated_index, "cannot be used"),
])
def test_an_unusable_sqlite_index_fails_naming_it(cleaned: Path, tmp_path: Path, make, why: str) -> None:
    index = tmp_path / "index.sqlite"
    make(index, cleaned)
    result = run_cli("dedup", str(cleaned), "--out", str(tmp_path / "dedup"), "--index", str(index))
    assert_refused(result, 1, f"dedup index {index}", why)


def test_an_index_in_a_read_only_folder_fails_naming_it(cleaned: Path, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        index = folder / "index.sqlite"
        result = run_cli("dedup", str(cleaned), "--out", str(tmp_path / "dedup"), "--index", str(index))
    assert_refused(result, 1, f"dedup index {index}")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` made read-only for this process: by its mode, or, for root (whom modes do not stop), by a
    read-only file system mounted over it."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True)
    assert mounted.returncode == 0, f"cannot mount a read-only file system as root: {mounted.stderr.decode()}"
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_redis_that_is_down_fails_naming_it(cleaned: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    result = run_cli("dedup", str(cleaned), "--out", str(tmp_path / "dedup"), "--index", url)
    assert_refused(result, 1, f"dedup index {url}")


def test_out_inside_the_input_folder_is_not_read_on_the_next_run(inputs: Path) -> None:
    out, report = inputs / "out", inputs / "report"
    counts = []
    for _ in range(2):
        result = run_cli("run", str(inputs), "--out", str(out), "--report", str(report))
        assert result.returncode == 0, result.stderr.decode()
        counts.append(len(read_jsonl(out / "documents.jsonl")))
    assert counts == [2, 2]
