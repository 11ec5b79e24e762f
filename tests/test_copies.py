"""Copies in a corpus are marked, never destroyed: each copy is cleaned as if it were alone.

Real corpora hold re-crawls, pages saved twice and the same article inside a WARC and as a file. The
corpus context counts a piece of content once however many copies it has, so a copy's lines are not
"repeated boilerplate" and its opening is not "another document's lead".
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import orjson
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.config import Config
from cleaner.dedup.stage import dedup_corpus
from cleaner.runner import clean_corpus
from tests.conftest import SEEDS, read_jsonl
from tests.devsets import dev_pages


def real_pages() -> list[tuple[str, str]]:
    """(file name, content): noisy page text and HTML of real dev-set pages, and the seed articles."""
    pages = []
    for dataset, count, field, suffix in (("dragnet", 4, "noisy_text", "txt"), ("l3s_gn1", 4, "noisy_text", "txt"),
                                          ("cleanportaleval", 2, "html", "html")):
        pages += [(f"{dataset}-{i}.{suffix}", page[field])
                  for i, page in enumerate(dev_pages(dataset, count, min_gold_words=150))]
    pages += [(path.name, path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]
    return pages


def write_site(folder: Path, files: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True)
    for name, content in files:
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def texts_by_name(out: Path) -> dict[str, str]:
    return {Path(record["source"]).name: record["text"] for record in read_jsonl(out / "documents.jsonl")}


def clean_and_mark(inputs: list[Path], out: Path) -> list[dict]:
    """`cleaner run` without the report: clean, then mark the duplicates."""
    clean_corpus([str(path) for path in inputs], out, Config())
    dedup_corpus(out / "documents.jsonl", out, Config(), mark_only=True)
    return read_jsonl(out / "documents.jsonl")


def clean_folder(folder: Path, out: Path) -> dict[str, str]:
    clean_corpus([str(folder)], out, Config())
    return texts_by_name(out)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The pages cleaned as one corpus with one copy of each."""
    pages = real_pages()
    folder = write_site(tmp_path_factory.mktemp("alone") / "site", pages)
    return pages, clean_folder(folder, tmp_path_factory.mktemp("alone-out"))


@pytest.mark.parametrize("copies", [2, 3, 4, 5])
def test_k_copies_of_a_document_are_each_cleaned_exactly_as_the_one_copy(copies, alone, tmp_path) -> None:
    pages, single = alone
    # every page gets copies (one folder, as a site saved several times over)
    copied = [(f"copy{k}-{name}", content) for name, content in pages for k in range(1, copies)]
    texts = clean_folder(write_site(tmp_path / "site", pages + copied), tmp_path / "out")
    for name, _ in pages:
        assert single[name].strip(), f"{name} is empty even alone"
        for copy_name in [name, *(f"copy{k}-{name}" for k in range(1, copies))]:
            assert texts[copy_name] == single[name], f"{copy_name} ({copies} copies) differs from {name} alone"


def test_near_copies_keep_their_text_and_differ_only_where_they_were_edited(alone, tmp_path) -> None:
    pages, single = alone
    # two re-crawls of each page, each with its last paragraph's last word changed (a live counter, a fix)
    recrawls = [(f"recrawl{k}-{name}", content.rstrip().rsplit(" ", 1)[0] + f" edit{k}\n")
                for name, content in pages for k in (1, 2)]
    texts = clean_folder(write_site(tmp_path / "site", pages + recrawls), tmp_path / "out")
    for name, _ in pages:
        assert texts[name] == single[name], name
        for k in (1, 2):
            original, copy = single[name].split(), texts[f"recrawl{k}-{name}"].split()
            assert len(original) - 2 <= len(copy) <= len(original) + 1, f"recrawl{k}-{name} lost text"


def _warc_of(pages: list[tuple[str, str]], path: Path) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for name, content in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://news.example.org/{name}", "response",
                                               payload=io.BytesIO(content.encode("utf-8")), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2024-04-03T10:00:00Z"})
            writer.write_record(record)


def test_a_recrawl_in_separate_folders_keeps_every_text_and_marks_the_extra_copies(alone, tmp_path) -> None:
    pages, single = alone
    chosen = [(name, content) for name, content in pages if not name.endswith(".html")][:10]
    crawl = tmp_path / "crawl"
    for day in ("day1", "day2", "day3"):
        write_site(crawl / day, chosen)
    once = tmp_path / "once"
    shutil.copytree(crawl / "day1", once)
    single_folder = clean_folder(once, tmp_path / "once-out")
    records = clean_and_mark([crawl], tmp_path / "out")
    assert len(records) == 30
    for record in records:
        name = Path(record["source"]).name
        assert record["text"].strip() and record["text"] == single_folder[name], record["source"]
    duplicates = [r for r in records if not r["metadata"]["dedup"]["kept"]]
    assert len(duplicates) == 20
    by_id = {r["id"]: r for r in records}
    for duplicate in duplicates:
        original = by_id[duplicate["metadata"]["dedup"]["duplicate_of"]]
        assert Path(original["source"]).name == Path(duplicate["source"]).name


def test_the_same_pages_as_files_and_inside_a_warc_are_all_kept_intact_and_paired(alone, tmp_path) -> None:
    pages, _ = alone
    html = [(name, content) for name, content in pages if name.endswith(".html")]
    html += [(name.replace(".txt", ".html"), "<html><body><article>" + "".join(
        f"<p>{paragraph}</p>" for paragraph in content.split("\n\n") if paragraph.strip()) + "</article></body></html>")
        for name, content in pages if name.startswith("0")]
    files = write_site(tmp_path / "files", html)
    _warc_of(html, tmp_path / "crawl.warc.gz")
    out = tmp_path / "out"
    records = clean_and_mark([files, tmp_path / "crawl.warc.gz"], out)
    assert len(records) == 2 * len(html)
    by_page: dict[str, list[dict]] = {}
    for record in records:
        # a file is named by its path, a WARC record by its target URI (the pipeline keeps both as given)
        page = record["source"] if record["metadata"]["format"] != "warc" else record["metadata"]["url"]
        by_page.setdefault(Path(page).name, []).append(record)
    for name, pair in by_page.items():
        assert len(pair) == 2 and all(r["text"].strip() for r in pair), name
        assert pair[0]["metadata"]["dedup"]["cluster"] == pair[1]["metadata"]["dedup"]["cluster"], name
    assert orjson.loads((out / "run.json").read_bytes())["counts"]["quarantined"] == 0
