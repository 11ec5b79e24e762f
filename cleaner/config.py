"""Every threshold in one place: the defaults below, overridden by a TOML file (`--config FILE`).

A TOML file only needs the keys it changes; an unknown section or key is an error, so a typo never
silently leaves a default in force. The effective configuration is hashed into every record.
"""

from __future__ import annotations

import copy
import hashlib
import sys
from pathlib import Path
from typing import Any

import orjson

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULTS: dict[str, dict[str, Any]] = {
    "input": {
        # larger inputs are quarantined as "oversized" before being read into memory
        "max_bytes": 20_000_000,
        # inputs shorter than this after normalisation are quarantined as "empty"
        "min_chars": 1,
        # share of control characters above which decoded bytes are "binary"
        "max_control_share": 0.02,
    },
    "extract": {
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
        # sentence thresholds and baselines: BABE dev split, see docs/flags.md. A document is flagged
        # when its share of flagged sentences is about midway between neutral news (the baseline:
        # share of non-biased / factual sentences over the sentence threshold) and loaded/opinion text.
        "opinion": {"threshold": 0.37, "sentence_threshold": 0.5, "news_baseline": 0.09, "min_words": 6,
                    "min_sentences": 3, "genre_label_bonus": 0.25},
        "loaded_language": {"threshold": 0.29, "sentence_threshold": 0.6, "news_baseline": 0.16, "min_words": 6,
                            "min_sentences": 3},
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
}


class ConfigError(ValueError):
    """A configuration file that cannot be used as written."""


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
        self.hash = hashlib.sha256(orjson.dumps(self._data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]

    @classmethod
    def from_file(cls, path: str | Path | None) -> Config:
        if path is None:
            return cls()
        try:
            with open(path, "rb") as fh:
                return cls(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc

    def __getitem__(self, section: str) -> dict[str, Any]:
        return self._data[section]

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)
