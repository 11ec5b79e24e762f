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
        # page-level features (position, core, neighbours) no longer hold
        "classifier_threshold_extracted": 0.9,
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
