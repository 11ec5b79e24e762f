"""Every figure in summary.json, recounted here from documents.jsonl and quarantine.jsonl by plain loops
that share no code with `cleaner.report`."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from statistics import median_low

import orjson
import pytest
from click.testing import CliRunner

from bench.corpus import write_corpus
from cleaner.cli import main
from cleaner.report.audit import write_report
from cleaner.report.page import view_href
from tests.conftest import SEEDS, run_cli

DOCUMENTS = 400
VIEWS = 60  # fewer than DOCUMENTS, so the views are a sample


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict], dict, Path, Path]:
    """A synthetic corpus with every later-stage field, its report, and the records read back."""
    out = write_corpus(tmp_path_factory.mktemp("corpus") / "out", DOCUMENTS, seed=7)
    report = write_report(out, tmp_path_factory.mktemp("reports") / "synthetic", view_limit=VIEWS)
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    return _lines(out / "documents.jsonl"), _lines(out / "quarantine.jsonl"), summary, report, out


def test_totals_match_a_recount(audited):
    records, quarantine, summary, *_ = audited
    raw = sum(len(r["raw"]) for r in records)
    clean = sum(len(r["text"]) for r in records)
    duplicates = sum(1 for r in records if r["metadata"].get("dedup", {}).get("kept") is False)
    assert duplicates and quarantine, "the synthetic corpus must exercise every figure"
    assert summary["totals"] == {
        "inputs": len(records) + len(quarantine),
        "documents": len(records),
        "kept": len(records) - duplicates,
        "duplicates": duplicates,
        "quarantined": len(quarantine),
        "flagged_documents": sum(1 for r in records if r["metadata"].get("flags")),
        "empty_after_cleaning": sum(1 for r in records if "empty_after_cleaning" in r["metadata"]),
        "raw_chars": raw,
        "clean_chars": clean,
        "removed_chars": raw - clean,
        "noise_share": round((raw - clean) / raw, 4),
    }
    assert summary["quarantine"]["by_reason"] == dict(Counter(q["reason"] for q in quarantine))
    assert [e["key"] for e in summary["quarantine"]["examples"]] == [q["key"] for q in quarantine][:20]


def test_noise_figures_match_a_recount(audited):
    records, _, summary, *_ = audited
    chars, spans, documents, by_rule = Counter(), Counter(), Counter(), Counter()
    lines: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        for category, found in r["attributes"].items():
            documents[category] += 1
            spans[category] += len(found)
            chars[category] += sum(end - start for start, end, _ in found)
        seen = set()
        for removal in r["metadata"]["removals"]:
            by_rule[removal["rule"]] += removal["end"] - removal["start"]
            for line in r["raw"][removal["start"]:removal["end"]].splitlines():
                if line.strip():
                    seen.add((removal["category"], line.strip()))
        for category, line in seen:
            lines[category][line] += 1
    noise = summary["noise"]
    assert noise["removed_chars_by_category"] == chars
    assert noise["spans_by_category"] == spans
    assert noise["documents_by_category"] == documents
    assert noise["removed_chars_by_rule"] == by_rule
    for category, counts in lines.items():
        top = noise["top_removed_lines"][category]
        assert top["exact"] and top["max_undercount"] == 0
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        assert [tuple(pair) for pair in top["lines"]] == expected
    assert set(noise["top_removed_lines"]) == set(lines)


def test_emptied_documents_and_the_rules_responsible_match_a_recount(audited):
    records, _, summary, *_ = audited
    emptied = [r for r in records if not r["text"].strip()]
    assert emptied, "the synthetic corpus must hold documents of nothing but noise"
    assert all("empty_after_cleaning" in r["metadata"] for r in emptied)
    # each document once per rule, however many of its spans the rule removed
    rules = Counter(rule for r in emptied for rule in {removal["rule"] for removal in r["metadata"]["removals"]})
    assert summary["empty_after_cleaning"]["documents_by_rule"] == rules
    assert summary["empty_after_cleaning"]["examples"] == [r["id"] for r in emptied][:20]


def test_sources_languages_and_lengths_match_a_recount(audited):
    records, _, summary, *_ = audited
    by_source: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_source[r["metadata"].get("domain") or r["source"]].append(r)
    assert summary["sources"]["count"] == len(by_source)
    for row in summary["sources"]["rows"]:
        docs = by_source[row["source"]]
        raw, clean = sum(len(d["raw"]) for d in docs), sum(len(d["text"]) for d in docs)
        dups = sum(1 for d in docs if d["metadata"]["dedup"]["kept"] is False)
        flagged = sum(1 for d in docs if d["metadata"].get("flags"))
        judged = [d["metadata"]["quality"] for d in docs if "quality" in d["metadata"]]
        passed = sum(all(family["pass"] for family in quality.values()) for quality in judged)
        assert row == {
            "quality_assessed": len(judged), "quality_pass_rate": round(passed / len(judged), 4) if judged else 0.0,
            "flagged_share": round(flagged / len(docs), 4),
            "median_clean_chars": median_low(len(d["text"]) for d in docs),
            "source": row["source"], "documents": len(docs),
            "mean_clean_chars": round(clean / len(docs), 1),
            "noise_share": round((raw - clean) / raw, 4),
            "duplicate_share": round(dups / len(docs), 4),
            "flagged": flagged,
            "languages": dict(Counter(d["metadata"].get("language") or "unknown" for d in docs)),
        }
    shown = [row["source"] for row in summary["sources"]["rows"]]
    assert shown == sorted(by_source, key=lambda s: (-len(by_source[s]), s))[:50]
    assert summary["languages"] == dict(Counter(r["metadata"].get("language") or "unknown" for r in records))

    lengths = summary["lengths"]
    edges = lengths["edges"]
    for key, field in (("raw", "raw"), ("clean", "text")):
        expected = [0] * (len(edges) + 1)
        for r in records:
            expected[sum(1 for edge in edges if len(r[field]) >= edge)] += 1
        assert lengths[key] == expected
    assert lengths["raw_mean"] == round(sum(len(r["raw"]) for r in records) / len(records), 1)
    assert lengths["clean_mean"] == round(sum(len(r["text"]) for r in records) / len(records), 1)


def test_dedup_flags_and_provenance_match_a_recount(audited):
    records, _, summary, *_ = audited
    clusters: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        clusters[r["metadata"]["dedup"]["cluster"]].append(r)
    real = {name: members for name, members in clusters.items() if len(members) > 1}
    dedup = summary["dedup"]
    assert dedup["records_with_dedup"] == len(records)
    assert dedup["clusters"] == len(real)
    assert dedup["documents_in_clusters"] == sum(len(m) for m in real.values())
    assert dedup["cluster_sizes"] == {str(k): v for k, v in Counter(len(m) for m in real.values()).items()}
    for cluster in dedup["largest"]:
        members = real[cluster["cluster"]]
        kept = [m["id"] for m in members if m["metadata"]["dedup"]["kept"]]
        similarities = [m["metadata"]["dedup"]["similarity"] for m in members if not m["metadata"]["dedup"]["kept"]]
        assert cluster["size"] == len(members)
        assert [cluster["kept"]] == kept
        assert (cluster["similarity_min"], cluster["similarity_max"]) == (min(similarities), max(similarities))
    assert [c["size"] for c in dedup["largest"]] == sorted((len(m) for m in real.values()), reverse=True)[:25]

    flagged = [r for r in records if r["metadata"].get("flags")]
    names = Counter(f["name"] for r in flagged for f in r["metadata"]["flags"])
    assert {k: v["documents"] for k, v in summary["flags"]["by_name"].items()} == names
    for name, figures in summary["flags"]["by_name"].items():
        scores = [f["score"] for r in flagged for f in r["metadata"]["flags"] if f["name"] == name]
        assert figures["mean_score"] == round(sum(scores) / len(scores), 4)
    unread = Counter(name for r in records for name in r["metadata"].get("flags_not_assessed", {}))
    assert unread and summary["flags"]["not_assessed"] == dict(unread)
    first = summary["flags"]["examples"][0]
    assert first["id"] == flagged[0]["id"]
    assert first["flags"][0]["evidence"] == [ev[2] for ev in flagged[0]["metadata"]["flags"][0]["evidence"]]

    facts = {
        "author": lambda m: m.get("author") or m["provenance"]["authors"],
        "date": lambda m: m.get("date") or m["provenance"]["date_published"],
        "url": lambda m: m.get("url") or m["provenance"]["url"],
        "license": lambda m: m.get("license") or m["provenance"]["license"],
    }
    provenance = summary["provenance"]
    for name, has in facts.items():
        count = sum(1 for r in records if has(r["metadata"]))
        assert provenance["documents_with"][name] == count
        assert provenance["share"][name] == round(count / len(records), 4)
    complete = sum(1 for r in records if all(has(r["metadata"]) for has in facts.values()))
    assert provenance["complete"] == complete


def test_document_views_are_a_stated_sample(audited):
    records, _, summary, report, _ = audited
    views = summary["views"]
    assert views["mode"] == "sample" and len(views["selected"]) == VIEWS
    written = sorted(p.relative_to(report).as_posix() for p in (report / "docs").glob("*.html"))
    assert written == sorted(view_href(doc_id) for doc_id in views["selected"])
    by_id = {r["id"]: r for r in records}
    for row in views["documents"]:
        record = by_id[row["id"]]
        assert (row["raw_chars"], row["clean_chars"]) == (len(record["raw"]), len(record["text"]))
        assert row["categories"] == sorted(record["attributes"])
    # flagged documents come first, so with room for them all, each one listed has a view to drill into
    flagged = {e["id"] for e in summary["flags"]["examples"]}
    assert 0 < len(flagged) < VIEWS and flagged <= set(views["selected"])
    page = (report / "index.html").read_text("utf-8")
    assert f"deterministic sample of {VIEWS}" in page


def test_same_records_give_the_same_report_bytes(audited, tmp_path):
    *_, report, out = audited
    write_report(out, tmp_path / "synthetic", view_limit=VIEWS + 20)  # an earlier, larger report in the folder
    again = write_report(out, tmp_path / "synthetic", view_limit=VIEWS)
    for name in ("summary.json", "summary.md", "index.html"):
        assert (again / name).read_bytes() == (report / name).read_bytes()
    assert sorted(p.name for p in (again / "docs").iterdir()) == sorted(p.name for p in (report / "docs").iterdir())


def test_audit_command_writes_the_three_files_and_rejects_a_folder_without_records(audited, tmp_path):
    *_, out = audited
    runner = CliRunner()
    result = runner.invoke(main, ["audit", str(out), "--report", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "cli").iterdir()} >= {"index.html", "summary.json", "summary.md", "docs"}
    assert "| subscribe_prompt |" in (tmp_path / "cli" / "summary.md").read_text("utf-8")
    result = runner.invoke(main, ["audit", str(tmp_path / "cli" / "docs")])
    assert result.exit_code == 2 and "no documents.jsonl" in result.output


def test_every_link_in_the_report_leads_to_a_page_of_the_report(audited):
    *_, report, _ = audited
    pages = [report / "index.html", *sorted((report / "docs").glob("*.html"))]
    checked = 0
    for page in pages:
        for href in re.findall(r'href="([^"#]+)"', page.read_text("utf-8")):
            assert (page.parent / href).resolve().is_file(), (page.name, href)
            checked += 1
    assert checked > len(pages)


def test_a_category_whose_spans_all_lie_under_other_categories_still_gets_a_colour(tmp_path) -> None:
    # on this seed a trailing excerpt lies wholly inside the classifier's boilerplate: it removes no
    # character of its own, yet the report lists it by its spans
    result = run_cli("run", str(SEEDS / "000_d86b51388400303c.txt"), "--out", str(tmp_path / "out"),
                     "--report", str(tmp_path / "report"))
    assert result.returncode == 0, result.stderr.decode()
    summary = orjson.loads((tmp_path / "report" / "summary.json").read_bytes())
    silent = set(summary["noise"]["spans_by_category"]) - set(summary["noise"]["removed_chars_by_category"])
    assert silent, "the case this test is about no longer occurs on this seed"
