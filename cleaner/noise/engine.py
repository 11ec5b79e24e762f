"""Run the registered rules over a document and keep the spans that clear the score threshold."""

from __future__ import annotations

import re
from functools import lru_cache

from cleaner.config import Config
from cleaner.document import Document, Span, span_order
from cleaner.noise.registry import RULES, Rule, TextView

_VERSION = re.compile(r"_v\d+$")


@lru_cache(maxsize=8)
def _enabled_rules(disabled: tuple[str, ...]) -> tuple[Rule, ...]:
    unknown = set(disabled) - set(RULES.rules)
    if unknown:
        raise ValueError(f"noise.disabled_rules names unknown rules: {sorted(unknown)}")
    return tuple(cls() for name, cls in RULES.rules.items() if name not in disabled)


def rule_family(name: str) -> str:
    """A rule's id without its version: `line_classifier_v5` -> `line_classifier`."""
    return _VERSION.sub("", name)


def enabled_rules(config: Config, extracted: bool = False) -> tuple[Rule, ...]:
    """The rules to run; on an HTML extractor's output (`extracted`) not those whose family is listed in
    `noise.disabled_rules_extracted` either: they measured as removing article text the extractors had rightly
    kept (docs/extraction.md). Families, not ids, so that a new version of a rule keeps the policy."""
    disabled = set(config["noise"]["disabled_rules"])
    if extracted:
        families = set(config["noise"]["disabled_rules_extracted"])
        disabled |= {name for name in RULES.rules if rule_family(name) in families}
    return _enabled_rules(tuple(sorted(disabled)))


def find_noise(document: Document, config: Config, context: object = None) -> list[Span]:
    """All spans the enabled rules find in `document.raw` with a score >= noise.min_score."""
    view = TextView(document.raw, document.metadata, config["noise"], context)
    threshold = config["noise"]["min_score"]
    found: list[Span] = []
    for rule in enabled_rules(config, view.is_extracted_article):
        found.extend(span for span in rule.find(view) if span.score >= threshold and span.end > span.start)
    # keyed by the tuple of all fields (Span's equality and dataclass order), built in C: deduplicating
    # a set of Spans called their Python-level __hash__ once per span
    unique = dict(zip(map(span_order, found), found, strict=True))
    return list(map(unique.__getitem__, sorted(unique)))



def clean_document(document: Document, config: Config, context: object = None) -> None:
    """Pipeline step: add the noise spans to the document (and how repair spans are rendered)."""
    for rule in enabled_rules(config):
        if rule.replacement is not None:
            document.replacements[rule.category] = rule.replacement
    document.add_spans(find_noise(document, config, context))
