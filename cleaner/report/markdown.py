"""`summary.md`: the headline figures and the main tables, for a pull request or a terminal."""

from __future__ import annotations

from html import escape
from typing import Any


def _plain(value: Any) -> str:
    """Text from the records as Markdown shows it: markup escaped (a viewer renders inline HTML) and a pipe
    unable to open a table column."""
    return escape(str(value)).replace("|", "\\|")


def _rows(headers: list[str], rows: list[list[Any]]) -> list[str]:
    align = ["---" if i == 0 else "---:" for i in range(len(headers))]
    return ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(_plain(cell) for cell in row) + " |" for row in rows), ""]


def summary_markdown(summary: dict[str, Any], title: str) -> str:
    t, noise = summary["totals"], summary["noise"]
    raw = t["raw_chars"] or 1
    lines = [f"# Corpus audit: {title}", "",
             f"- documents in: {t['inputs']:,}; kept {t['kept']:,}, duplicates {t['duplicates']:,}, "
             f"quarantined {t['quarantined']:,}",
             f"- characters: {t['raw_chars']:,} in, {t['clean_chars']:,} kept ({t['noise_share']:.1%} removed)",
             f"- flagged documents: {t['flagged_documents']:,}",
             f"- emptied by cleaning (kept, marked `metadata.empty_after_cleaning`): {t['empty_after_cleaning']:,}",
             f"- provenance complete (author, date, URL, license): {summary['provenance']['complete']:,} "
             f"({summary['provenance']['complete_share']:.1%})",
             f"- invalid lines skipped (listed in summary.json `invalid_records`): "
             f"{summary['invalid_records']['count']:,}",
             "", "## Noise removed", ""]
    lines += _rows(["category", "characters", "share of input", "documents"],
                   [[cat, f"{chars:,}", f"{chars / raw:.1%}", noise["documents_by_category"][cat]]
                    for cat, chars in sorted(noise["removed_chars_by_category"].items(), key=lambda kv: -kv[1])])
    for category, top in noise["top_removed_lines"].items():
        lines += [f"Most recurring removed lines, {_plain(category)}:", ""]
        lines += [f"- {count} × `{line}`" for line, count in top["lines"][:3]] + [""]
    if t["empty_after_cleaning"]:
        by_rule = summary["empty_after_cleaning"]["documents_by_rule"]
        lines += ["## Emptied by cleaning", ""]
        lines += _rows(["rule", "documents emptied"],
                       [[rule, count] for rule, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))])
    lines += ["## Sources", ""]
    lines += _rows(["source", "documents", "mean clean length", "noise share", "duplicate share", "flagged"],
                   [[r["source"], r["documents"], f"{r['mean_clean_chars']:,.0f}", f"{r['noise_share']:.1%}",
                     f"{r['duplicate_share']:.1%}", r["flagged"]] for r in summary["sources"]["rows"][:20]])
    quality = summary["quality"]
    lines += ["## Quality", "", f"Passing every family: {quality['documents_passing_all']:,} of "
              f"{quality['documents_assessed']:,} assessed ({quality['pass_rate_all']:.1%}); not assessed: "
              f"{quality['documents_not_assessed']:,}.", ""]
    lines += _rows(["family", "pass rate", "commonest reasons"],
                   [[name, f"{f['pass_rate']:.1%}", ", ".join(f"{reason} {count:,}" for reason, count in sorted(
                       f["reasons"].items(), key=lambda kv: (-kv[1], kv[0]))[:3])]
                    for name, f in quality["families"].items()])
    lines += _rows(["source", "documents", "quality pass rate", "flagged share", "median length"],
                   [[r["source"], r["documents"], f"{r['quality_pass_rate']:.1%}", f"{r['flagged_share']:.1%}",
                     r["median_clean_chars"]] for r in summary["sources"]["rows"][:20]])
    lines += ["## Languages", ""]
    lines += _rows(["language", "documents"], [[k, v] for k, v in sorted(summary["languages"].items(),
                                                                          key=lambda kv: (-kv[1], kv[0]))])
    if summary["flags"]["by_name"]:
        lines += ["## Flags", ""]
        lines += _rows(["flag", "documents", "mean score"],
                       [[k, v["documents"], v["mean_score"]] for k, v in summary["flags"]["by_name"].items()])
    if summary["flags"]["not_assessed"]:
        lines += ["Not assessed (the flag cannot read the document's language): " + ", ".join(
            f"{_plain(name)} {count:,}" for name, count in summary["flags"]["not_assessed"].items()), ""]
    if summary["quarantine"]["by_reason"]:
        lines += ["## Quarantine", ""]
        lines += _rows(["reason", "inputs"], [[k, v] for k, v in summary["quarantine"]["by_reason"].items()])
    return "\n".join(lines)
