"""`cleaner filter`: drop documents on their quality verdicts, on request, and keep what was dropped.

Annotating never drops anything; a user who wants a filtered corpus names the conditions:

    cleaner filter out/documents.jsonl --out filtered/ --drop-if gopher_repetition --drop-if c4:curly_bracket

A condition is a family (`gopher_quality`, `gopher_repetition`, `c4`, `fineweb`: drop when it fails), a
family and one of its reasons (`fineweb:list_ratio`: drop when it fails for that reason), or `any` (drop
when any family fails). The verdicts are judged again from each record's stored signals under the
thresholds of `--config` (the published defaults without one), so a corpus can be re-filtered at other
thresholds without cleaning it again. Kept records go to `documents.jsonl` unchanged; dropped ones go
to `dropped.jsonl` with `metadata.dropped = {"conditions": [...], "reasons": {family: [...]}}`, and
`filter.json` counts both by condition. Every file is written atomically (`AtomicLines`). A record the
heuristics did not assess (`metadata.quality_not_assessed`) is never dropped; it is counted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from cleaner.annotate.quality.registry import FAMILIES
from cleaner.config import Config
from cleaner.dedup.stage import carry_sidecar
from cleaner.io.outputs import RAW, Compression, compressed_name, open_output
from cleaner.io.writers import DOCUMENTS, AtomicLines, aborted_on_error, commit_replacing, dumps, write_atomic

DROPPED = "dropped.jsonl"
SUMMARY = "filter.json"
ANY = "any"


class FilterError(ValueError):
    """A condition or a record that `cleaner filter` cannot use as given."""


def parse_conditions(conditions: list[str]) -> list[tuple[str, str | None]]:
    """(family or "any", reason or None) for each `--drop-if`; unknown names are an error."""
    parsed = []
    for condition in conditions:
        family, _, reason = condition.partition(":")
        if family == ANY and not reason:
            parsed.append((ANY, None))
            continue
        if family not in FAMILIES:
            raise FilterError(f"--drop-if {condition!r}: no quality family {family!r} (known: "
                              f"{', '.join([ANY, *sorted(FAMILIES)])})")
        if reason and reason not in FAMILIES[family].reasons:
            raise FilterError(f"--drop-if {condition!r}: {family} has no reason {reason!r} (its reasons: "
                              f"{', '.join(FAMILIES[family].reasons)})")
        parsed.append((family, reason or None))
    if not parsed:
        raise FilterError("name at least one --drop-if condition: nothing is dropped unless asked")
    return parsed


def judge_record(record: dict[str, Any], settings: dict[str, Any]) -> dict[str, list[str]] | None:
    """family -> reasons it fails under `settings`, from the record's signals; None when not assessed."""
    quality = record.get("metadata", {}).get("quality")
    if quality is None:
        return None
    reasons = {}
    for name, entry in quality.items():
        family = FAMILIES.get(name)
        if family is None or entry.get("rule") != family.rule:
            raise FilterError(f"record {record.get('id')}: quality family {name} was measured by rule "
                              f"{entry.get('rule')}, this cleaner has {family.rule if family else 'no such family'}; "
                              "clean the input again")
        reasons[name] = family().judge(entry["signals"], settings[name])
    return reasons


def matched(conditions: list[tuple[str, str | None]], reasons: dict[str, list[str]]) -> list[str]:
    """The conditions (as written) that these verdicts meet."""
    met = []
    for family, reason in conditions:
        failing = [name for name, found in reasons.items() if found] if family == ANY else \
            [family] if (reasons.get(family) and (reason is None or reason in reasons[family])) else []
        if failing:
            met.append(family if reason is None else f"{family}:{reason}")
    return met


def filter_corpus(source: Path, out: Path, config: Config, conditions: list[str]) -> dict[str, Any]:
    """Split the records of `source` (a documents.jsonl) into `out/documents.jsonl` and `out/dropped.jsonl`;
    returns `out/filter.json`."""
    parsed = parse_conditions(conditions)
    settings = config["quality"]
    compression: Compression = config["output"]["compress"]
    if (out / DOCUMENTS).resolve() == source.resolve():
        raise FilterError("--out must not hold the source: the filtered documents.jsonl would replace it")
    counts: Counter[str] = Counter(documents=0, kept=0, dropped=0, not_assessed=0)
    writers = {name: AtomicLines(out / compressed_name(name, compression), compression)
               for name in (DOCUMENTS, DROPPED)}
    with aborted_on_error(writers):
        sidecar = carry_sidecar(source, out, compression)
        with open_output(source) as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise FilterError(f"{source}:{number}: not a JSON record ({exc.msg})") from exc
                counts["documents"] += 1
                reasons = judge_record(record, settings)
                if reasons is None:
                    counts["not_assessed"] += 1
                met = matched(parsed, reasons) if reasons is not None else []
                if record.get("metadata", {}).get("raw_in"):
                    record["metadata"]["raw_in"] = sidecar
                if met:
                    counts["dropped"] += 1
                    counts.update(f"dropped_by_{condition}" for condition in met)
                    record["metadata"]["dropped"] = {"conditions": met,
                                                     "reasons": {k: v for k, v in reasons.items() if v}}
                    writers[DROPPED].write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
                else:
                    counts["kept"] += 1
                    writers[DOCUMENTS].write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    commit_replacing(writers, out, (DOCUMENTS, DROPPED, RAW), (sidecar,))
    summary = {"source": str(source), "conditions": conditions, "counts": dict(sorted(counts.items())),
               "thresholds": {name: settings[name] for name in sorted(FAMILIES)}}
    write_atomic(out / SUMMARY, dumps(summary))
    return summary
