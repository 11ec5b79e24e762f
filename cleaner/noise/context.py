"""Corpus context: what a first pass over the whole corpus knows that one document cannot.

* per source (domain, else publisher, else input folder): in how many documents each normalised line
  occurs, so lines repeated across a source's pages can be recognised as its boilerplate;
* across sources: how many sources print each line, so wire copy and quotes shared by different
  outlets are protected rather than deleted corpus-wide (CCNet's failure mode);
* the leads (first prose line) of every document, so an article's opening glued after another
  article is recognised as a trailing excerpt.

Everything is counted from the documents, so the context is the same whatever order they come in.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import xxhash

from cleaner.dedup.lines import leads
from cleaner.noise.text import is_prose

_SPACE = re.compile(r"\s+")
LEAD_WORDS = 12


def line_key(text: str) -> int:
    """Hash of a line up to case and white space."""
    return xxhash.xxh64_intdigest(_SPACE.sub(" ", text.casefold()).strip().encode())


def lead_key(text: str) -> int | None:
    """Key of a paragraph's first words, or None when it is too short to identify anything.

    The words are the dedup stage's normalised tokens (case, punctuation and quote styles ignored):
    a glued excerpt is often re-rendered (straight quotes, other dashes). On leads of training pages
    cut at 50-90% and so re-rendered, it finds 85-97% of them against 75-87% for a hash of the raw
    words, with no more false matches (`bench/excerpt_leads.py`). A paragraph MinHash would not fit:
    a teaser cut at half its lead shares only about half the lead's shingles.
    """
    return leads([text], LEAD_WORDS)[0]


def source_key(metadata: dict[str, Any]) -> str:
    """Which source a document belongs to: its domain, else its publisher, else its input folder."""
    for field_name in ("domain", "hostname", "sitename", "publisher"):
        if metadata.get(field_name):
            return str(metadata[field_name]).lower()
    return os.path.dirname(str(metadata.get("source_path") or metadata.get("input_key") or ""))


@dataclass(frozen=True)
class ContextEntry:
    """What one document adds to the corpus context: computed where the document is prepared."""

    key: str
    source: str
    lines: frozenset[int]
    lead: int | None

    @classmethod
    def of(cls, key: str, raw: str, metadata: dict[str, Any]) -> ContextEntry:
        lines = frozenset(line_key(line) for line in raw.split("\n") if line.strip())
        lead = next((line for line in raw.split("\n") if is_prose(line.strip())), None)
        return cls(key, source_key(metadata), lines, lead_key(lead) if lead else None)


@dataclass
class CorpusContext:
    """Line and lead statistics of a corpus, built by `CorpusContext.build`."""

    documents: Counter[str] = field(default_factory=Counter)  # source -> documents
    line_documents: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    line_sources: Counter[int] = field(default_factory=Counter)  # line -> distinct sources
    leads: dict[int, str] = field(default_factory=dict)  # lead -> smallest document key holding it

    @classmethod
    def build(cls, entries: Iterable[ContextEntry]) -> CorpusContext:
        """From every document's entry, in any order."""
        context = cls()
        sources_of: dict[int, set[str]] = defaultdict(set)
        for entry in entries:
            context.documents[entry.source] += 1
            context.line_documents[entry.source].update(entry.lines)
            for line in entry.lines:
                sources_of[line].add(entry.source)
            if entry.lead is not None:
                context.leads[entry.lead] = min(entry.key, context.leads.get(entry.lead, entry.key))
        context.line_sources.update({line: len(sources) for line, sources in sources_of.items()})
        return context

    def documents_with_line(self, text: str, metadata: dict[str, Any]) -> tuple[int, int]:
        """(documents of this document's source holding the line, sources holding it)."""
        key = line_key(text)
        return self.line_documents.get(source_key(metadata), Counter())[key], self.line_sources[key]

    def is_foreign_lead(self, text: str, metadata: dict[str, Any]) -> bool:
        """True when `text` opens like the lead of another document of the corpus."""
        found = lead_key(text)
        owner = self.leads.get(found) if found is not None else None
        return owner is not None and owner != metadata.get("input_key")
