"""The dedup step on real articles: `cleaner run` on the seeds, and `cleaner dedup` on its output."""

from __future__ import annotations

import shutil
from pathlib import Path

import jsonschema
import orjson
import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.config import Config
from cleaner.document import record_schema
from cleaner.runner import run_all

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ORIGINAL = "002_9fc93f9e0507b50f.txt"


def records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def test_the_seeds_are_not_duplicates_of_each_other(tmp_path: Path) -> None:
    run_all([str(SEEDS)], tmp_path / "out", tmp_path / "report", Config())
    marked = records(tmp_path / "out" / "documents.jsonl")
    assert len(marked) == 5 and all(r["metadata"]["dedup"]["kept"] for r in marked)
    assert records(tmp_path / "out" / "clusters.jsonl") == []


@pytest.fixture
def seeds_with_a_repost(tmp_path: Path) -> Path:
    """The seeds plus a re-post of one of them under another name: new headline, syndication footer."""
    inputs = tmp_path / "inputs"
    shutil.copytree(SEEDS, inputs)
    lines = (SEEDS / ORIGINAL).read_text("utf-8").splitlines()
    lines[0] = "China's AI boom: why the threat narrative gets it wrong"
    lines.append("This article first appeared on Example Wire and is republished under a syndication agreement. "
                 "Copyright 2025 Example Wire Ltd. All rights reserved.")
    (inputs / "repost.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return inputs


def test_a_repost_with_new_headline_and_footer_is_clustered_with_its_original(tmp_path: Path,
                                                                               seeds_with_a_repost: Path) -> None:
    out = tmp_path / "out"
    run_all([str(seeds_with_a_repost)], out, tmp_path / "report", Config())
    marked = records(out / "documents.jsonl")  # `cleaner run` marks; `cleaner dedup` drops
    source_of = {r["id"]: Path(r["source"]).name for r in marked}
    (cluster,) = records(out / "clusters.jsonl")
    assert sorted(source_of[m["id"]] for m in cluster["members"]) == [ORIGINAL, "repost.txt"]
    dropped = [r for r in marked if not r["metadata"]["dedup"]["kept"]]
    assert len(dropped) == 1 and 0.8 <= dropped[0]["metadata"]["dedup"]["similarity"] < 1.0
    assert dropped[0]["metadata"]["dedup"]["method"] == "jaccard"
    validator = jsonschema.Draft202012Validator(record_schema())
    assert all(not list(validator.iter_errors(record)) for record in marked)
    summary = orjson.loads((tmp_path / "report" / "summary.json").read_bytes())
    assert summary["dedup"]["clusters"] == 1 and summary["dedup"]["documents_in_clusters"] == 2


def test_dedup_command_marks_only_and_is_byte_for_byte_repeatable(tmp_path: Path, seeds_with_a_repost: Path) -> None:
    no_dedup = Config({"dedup": {"enabled": False}})
    run_all([str(seeds_with_a_repost)], tmp_path / "cleaned", tmp_path / "report", no_dedup)
    source = tmp_path / "cleaned" / "documents.jsonl"
    outputs = []
    for name in ("a", "b"):
        result = CliRunner().invoke(main, ["dedup", str(source), "--out", str(tmp_path / name), "--mark-only"])
        assert result.exit_code == 0, result.output
        outputs.append([(tmp_path / name / f).read_bytes() for f in ("documents.jsonl", "clusters.jsonl",
                                                                      "dedup.json")])
    assert outputs[0] == outputs[1]
    marked = records(tmp_path / "a" / "documents.jsonl")
    assert len(marked) == 6 and sum(not r["metadata"]["dedup"]["kept"] for r in marked) == 1
    assert not list((tmp_path / "a").glob("*.partial"))
    result = CliRunner().invoke(main, ["dedup", str(source), "--out", str(tmp_path / "dropped")])
    assert result.exit_code == 0, result.output
    assert len(records(tmp_path / "dropped" / "documents.jsonl")) == 5
    (duplicate,) = records(tmp_path / "dropped" / "duplicates.jsonl")
    assert Path(duplicate["source"]).name in (ORIGINAL, "repost.txt")
    CliRunner().invoke(main, ["dedup", str(source), "--out", str(tmp_path / "dropped"), "--mark-only"])
    assert not (tmp_path / "dropped" / "duplicates.jsonl").exists()


@pytest.mark.parametrize("setting", ['keep = ["shortest"]', "shingle_size = 12", "candidate_recall = 1.5"])
def test_a_bad_dedup_setting_is_a_usage_error(tmp_path: Path, setting: str) -> None:
    (tmp_path / "in.jsonl").write_bytes(orjson.dumps({"id": "a", "text": "one story"}) + b"\n")
    (tmp_path / "bad.toml").write_text(f"[dedup]\n{setting}\n")
    result = CliRunner().invoke(main, ["dedup", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"),
                                       "--config", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2 and "dedup" in result.output
