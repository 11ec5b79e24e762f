"""The Ray engine against a real Ray head on 127.0.0.1: the same records and dedup decisions as the local engine."""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.raw_corpus import write_inputs
from tests.conftest import SEEDS, read_jsonl, run_cli

if importlib.util.find_spec("ray") is None:  # a failure, not a skip: ray[data] is a test extra
    pytest.fail("ray is not installed: pip install -e '.[test]' (or `bash scripts/test.sh`)", pytrace=False)

RAY_HEADS: dict[str, int] = {}  # address -> pid of the `ray start` process of each head the tests started
RAY_ENV = {
    # Ray rewrites a 127.0.0.1 address into the machine's outward IP unless told that the cluster is
    # this one machine; that keeps the whole test on loopback.
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    # Token authentication, as a real cluster runs it: `ray start` (Ray >= 2.60) no longer makes a token
    # when none is found, so the test makes one for its head and every driver it starts.
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(32),
    # Nothing runs when the test stops the head: no need to drain for the default 30 s.
    "RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S": "2",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ray start exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"Ray head did not listen on port {port} within {timeout}s")


@pytest.fixture(scope="module")
def ray_head() -> Iterator[str]:
    """A two-CPU Ray head of our own on loopback; `--block` ties its processes to the one we stop."""
    port = _free_port()
    temp_dir = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    # The head and every driver of these tests (the CLI inherits os.environ) share these settings.
    saved = {name: os.environ.pop(name, None) for name in ("RAY_ADDRESS", *RAY_ENV)}
    os.environ.update(RAY_ENV)
    env = dict(os.environ)
    ray_cli = Path(sys.executable).with_name("ray")
    head = subprocess.Popen(
        [str(ray_cli), "start", "--head", "--block", "--port", str(port), "--node-ip-address", "127.0.0.1",
         "--num-cpus", "2", "--object-store-memory", "500000000", "--include-dashboard", "false",
         "--disable-usage-stats", "--temp-dir", temp_dir],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    address = f"127.0.0.1:{port}"
    try:
        _wait_for_port(port, head)
        RAY_HEADS[address] = head.pid
        yield address
    finally:
        head.terminate()  # `ray start --block` drains and stops the head's processes, workers included
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
            head.wait()
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("corpus"), 300, files=6, seed=7)


@pytest.fixture(scope="module")
def local_clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus cleaned by the local engine: what every Ray `clean` must reproduce."""
    out = tmp_path_factory.mktemp("local_clean")
    result = run_cli("clean", str(corpus), "--out", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr.decode()
    return out


def test_ray_engine_writes_the_local_engines_records(ray_head: str, corpus: Path, tmp_path: Path) -> None:
    inputs = [str(SEEDS), str(corpus)]
    local = run_cli("run", *inputs, "--out", str(tmp_path / "local"), "--report", str(tmp_path / "rl"), "--jobs", "2")
    assert local.returncode == 0, local.stderr.decode()
    ray = run_cli("run", *inputs, "--out", str(tmp_path / "ray"), "--report", str(tmp_path / "rr"),
                  "--engine", "ray", "--address", ray_head)
    assert ray.returncode == 0, ray.stderr.decode()

    local_records = read_jsonl(tmp_path / "local" / "documents.jsonl")
    ray_records = read_jsonl(tmp_path / "ray" / "documents.jsonl")
    assert len(local_records) > 300  # the seeds and the corpus, minus its broken lines
    assert sorted(ray_records, key=lambda r: r["id"]) == sorted(local_records, key=lambda r: r["id"])
    for name in ("documents.jsonl", "quarantine.jsonl", "clusters.jsonl", "dedup.json"):  # the same bytes
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert read_jsonl(tmp_path / "ray" / "quarantine.jsonl"), "the corpus has broken lines to quarantine"

    # the comparison covers every kind of dedup decision: copies, pairs decided by estimate and by exact
    # Jaccard, and clusters of more than two
    clusters = read_jsonl(tmp_path / "ray" / "clusters.jsonl")
    assert {pair["method"] for cluster in clusters for pair in cluster["pairs"]} >= {"content_hash", "minhash",
                                                                                     "jaccard"}
    assert max(cluster["size"] for cluster in clusters) > 2
    assert sum(not record["metadata"]["dedup"]["kept"] for record in ray_records) > 20

    # the shards are the clean records before dedup marked them, in input order, each exactly once
    shards = sorted((tmp_path / "ray" / "shards").glob("documents-*.jsonl"))
    assert len(shards) > 1
    sharded = [record for path in shards for record in read_jsonl(path)]
    assert [r["id"] for r in sharded] == [r["id"] for r in ray_records]


def test_ray_engine_writes_the_local_engines_compressed_sidecar_output(ray_head: str, corpus: Path,
                                                                      tmp_path: Path) -> None:
    compact = ("--compress", "zst", "--raw", "sidecar")
    local = run_cli("run", str(corpus), "--out", str(tmp_path / "local"), "--report", str(tmp_path / "rl"), *compact)
    assert local.returncode == 0, local.stderr.decode()
    ray = run_cli("run", str(corpus), "--out", str(tmp_path / "ray"), "--report", str(tmp_path / "rr"), *compact,
                  "--engine", "ray", "--address", ray_head)
    assert ray.returncode == 0, ray.stderr.decode()
    for name in ("documents.jsonl.zst", "quarantine.jsonl.zst", "raw.jsonl.zst", "clusters.jsonl.zst", "dedup.json"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert b'"duplicates_' in (tmp_path / "ray" / "dedup.json").read_bytes()


def test_ray_dedup_command_matches_the_local_one(ray_head: str, local_clean: Path, tmp_path: Path) -> None:
    source = str(local_clean / "documents.jsonl")
    local = run_cli("dedup", source, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr.decode()
    ray = run_cli("dedup", source, "--out", str(tmp_path / "ray"), "--engine", "ray", "--address", ray_head)
    assert ray.returncode == 0, ray.stderr.decode()
    for name in ("documents.jsonl", "duplicates.jsonl", "clusters.jsonl", "dedup.json"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert read_jsonl(tmp_path / "ray" / "duplicates.jsonl"), "the corpus plants duplicates"


def test_ray_engine_refuses_stdio() -> None:
    result = run_cli("clean", "-", "--out", "-", "--engine", "ray", input=b"Some text.\n")
    assert result.returncode == 2 and b"--engine ray" in result.stderr


def _task_workers(root_pid: int, marker: bytes) -> list[int]:
    """Processes under `root_pid` (our head) whose command line names the task `marker`."""
    children = {root_pid}
    found = []
    for proc in sorted(Path("/proc").glob("[0-9]*"), key=lambda p: int(p.name)):
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid in children:
            children.add(int(proc.name))
            if marker in cmdline:
                found.append(int(proc.name))
    return found


def test_a_worker_killed_mid_shard_is_retried_without_duplicates(ray_head: str, tmp_path: Path) -> None:
    # shards of several seconds each, so that the poll below reliably sees one running (1,200 documents
    # once gave shards short enough to slip between polls on a loaded machine)
    corpus = write_inputs(tmp_path / "corpus", 2400, files=4, seed=11)
    local = run_cli("clean", str(corpus), "--out", str(tmp_path / "local"), "--jobs", "2")
    assert local.returncode == 0, local.stderr.decode()
    ray = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "--out", str(tmp_path / "ray"),
                            "--engine", "ray", "--address", ray_head], stderr=subprocess.PIPE)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and ray.poll() is None and time.monotonic() < deadline:
        workers = _task_workers(RAY_HEADS[ray_head], b"clean_shards")
        if workers:
            killed = workers[0]
            os.kill(killed, signal.SIGKILL)  # a worker of our own head, in the middle of a shard
        time.sleep(0.01)
    _, stderr = ray.communicate(timeout=300)
    assert killed is not None, f"no clean_shards task was seen running (driver exit {ray.returncode}): " \
                               f"{stderr.decode(errors='replace')[-2000:]}"
    assert ray.returncode == 0, stderr.decode()
    for name in ("documents.jsonl", "quarantine.jsonl"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_an_interrupted_ray_run_resumes_from_its_finished_shards(ray_head: str, corpus: Path, local_clean: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "ray"
    args = [sys.executable, "-m", "cleaner", "clean", str(corpus), "--out", str(out), "--engine", "ray",
            "--address", ray_head]
    first = subprocess.Popen(args, stderr=subprocess.DEVNULL)
    finished = out / "shards" / "documents-00000.jsonl"
    deadline = time.monotonic() + 120
    while not finished.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    first.kill()  # the driver dies with one shard written and others still running
    first.wait()
    assert finished.exists() and not (out / "documents.jsonl").exists()
    written = finished.stat().st_mtime_ns

    resumed = run_cli(*args[3:], "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert finished.stat().st_mtime_ns == written, "the finished shard was reused, not redone"
    for name in ("documents.jsonl", "quarantine.jsonl"):
        assert (out / name).read_bytes() == (local_clean / name).read_bytes(), name


def test_shards_are_runs_of_consecutive_files_of_similar_size(tmp_path: Path) -> None:
    from cleaner.engine.ray import plan_shards

    paths = []
    for number, size in enumerate([10, 10, 10, 10, 40, 5, 5, 5, 5]):
        path = tmp_path / f"{number}.txt"
        path.write_bytes(b"x" * size)
        paths.append(str(path))
    shards = plan_shards([*paths, str(tmp_path / "missing.txt")], 4)
    assert [path for shard in shards for path in shard] == [*paths, str(tmp_path / "missing.txt")]
    assert [len(shard) for shard in shards] == [3, 2, 5]  # a 40-byte file is never split; 25 bytes a shard


def test_file_names_that_are_not_utf8_are_read_as_the_local_engine_reads_them(ray_head: str, tmp_path: Path) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path / "in")))
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("Rain fell on the harbour all night, and the ferries stayed.\n")
    (folder / os.fsdecode(b"vide\xff.jsonl")).touch()
    (folder / "good.txt").write_text("The wind dropped at dawn and the first ferry left for the island.\n")
    local = run_cli("clean", str(folder), "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr.decode()
    ray = run_cli("clean", str(folder), "--out", str(tmp_path / "ray"), "--engine", "ray", "--address", ray_head)
    assert ray.returncode == 0, ray.stderr.decode()
    for name in ("documents.jsonl", "quarantine.jsonl"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    sources = [Path(record["source"]).name for record in read_jsonl(tmp_path / "ray" / "documents.jsonl")]
    assert sources == ["caf\\xe9.txt", "good.txt"]
    assert [entry["key"].rsplit("/", 1)[1] for entry in read_jsonl(tmp_path / "ray" / "quarantine.jsonl")] == [
        "vide\\xff.jsonl"]
