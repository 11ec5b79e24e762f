"""`cleaner filter`: nothing is dropped unless asked, and what is dropped is written with its reasons."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from cleaner.annotate.quality.filter import FilterError, filter_corpus
from cleaner.config import Config
from tests.conftest import SEEDS, read_jsonl, run_cli

MENU = "\n".join(f"Menu item {i}" for i in range(40)) + "\n"
REPEATED = "\n\n".join(["Subscribe to our newsletter for the latest news and to be the first to know."] * 6 + [
    "The council met on Tuesday and agreed the budget for the coming year, the mayor said."]) + "\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds (good articles) with a menu page and a page of one repeated paragraph, cleaned."""
    inputs = tmp_path_factory.mktemp("inputs")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inputs / seed.name)
    (inputs / "menu.txt").write_text(MENU, "utf-8")
    (inputs / "repeated.txt").write_text(REPEATED, "utf-8")
    out = tmp_path_factory.mktemp("cleaned")
    result = run_cli("clean", str(inputs), "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    return out / "documents.jsonl"


def by_input(records: list[dict]) -> dict[str, dict]:
    return {Path(record["metadata"]["input_key"]).name: record for record in records}


def test_cleaning_annotates_and_drops_nothing(corpus: Path) -> None:
    records = by_input(read_jsonl(corpus))
    assert len(records) == len(list(SEEDS.glob("*.txt"))) + 2
    assert not records["repeated.txt"]["metadata"]["quality"]["gopher_repetition"]["pass"]


def test_filter_drops_on_request_and_writes_the_reason(corpus: Path, tmp_path: Path) -> None:
    result = run_cli("filter", str(corpus), "--out", str(tmp_path), "--drop-if", "gopher_repetition",
                     "--drop-if", "fineweb:short_line_ratio")
    assert result.returncode == 0, result.stderr.decode()
    kept, dropped = by_input(read_jsonl(tmp_path / "documents.jsonl")), by_input(read_jsonl(tmp_path / "dropped.jsonl"))
    assert set(kept) | set(dropped) == set(by_input(read_jsonl(corpus)))
    assert "repeated.txt" in dropped
    assert "gopher_repetition" in dropped["repeated.txt"]["metadata"]["dropped"]["conditions"]
    repeated = dropped["repeated.txt"]["metadata"]
    assert repeated["dropped"]["reasons"]["gopher_repetition"] == repeated["quality"]["gopher_repetition"]["reasons"]
    # a kept record is the input record, byte for byte
    original = {line for line in corpus.read_bytes().splitlines()}
    assert set((tmp_path / "documents.jsonl").read_bytes().splitlines()) <= original
    summary = orjson.loads((tmp_path / "filter.json").read_bytes())
    assert summary["counts"]["dropped"] == len(dropped) and summary["counts"]["kept"] == len(kept)
    assert not list(tmp_path.glob("*.partial"))


def test_other_thresholds_re_judge_the_stored_signals(corpus: Path, tmp_path: Path) -> None:
    lenient = Config({"quality": {"gopher_repetition": {"max_dup_paragraph_share": 1.0,
                                                        "max_dup_paragraph_char_share": 1.0,
                                                        "max_dup_line_share": 1.0, "max_dup_line_char_share": 1.0,
                                                        "max_top_ngram_char_share": [1.0, 1.0, 1.0],
                                                        "max_dup_ngram_char_share": [1.0] * 6}}})
    summary = filter_corpus(corpus, tmp_path, lenient, ["gopher_repetition"])
    assert summary["counts"]["dropped"] == 0
    strict = filter_corpus(corpus, tmp_path / "default", Config(), ["gopher_repetition"])
    assert strict["counts"]["dropped"] >= 1


def test_unknown_conditions_are_refused(corpus: Path, tmp_path: Path) -> None:
    for condition in ("gopher", "c4:no_such_reason", "any:thing"):
        with pytest.raises(FilterError):
            filter_corpus(corpus, tmp_path, Config(), [condition])
    with pytest.raises(FilterError, match="nothing is dropped unless asked"):
        filter_corpus(corpus, tmp_path, Config(), [])
    assert not (tmp_path / "documents.jsonl").exists()


def test_documents_the_heuristics_cannot_read_are_never_dropped(tmp_path: Path) -> None:
    record = b'{"id": "x", "text": "", "source": "s", "metadata": {"quality_not_assessed": "language de"}}\n'
    (tmp_path / "documents.jsonl").write_bytes(record)
    summary = filter_corpus(tmp_path / "documents.jsonl", tmp_path / "out", Config(), ["any"])
    assert summary["counts"] == {"documents": 1, "dropped": 0, "kept": 1, "not_assessed": 1}
