"""Corpus context: what a first pass over the whole corpus knows that one document cannot.

* per source (domain, else publisher, else input folder): in how many pieces of content each normalised
  line occurs, so lines repeated across a source's pages can be recognised as its boilerplate;
* across sources: in how many pieces of content outside a source each line occurs, so wire copy and
  quotes other outlets print are protected rather than deleted corpus-wide (CCNet's failure mode);
* the leads (first prose line) of every document, so an article's opening glued after another
  article is recognised as a trailing excerpt.

A piece of content is a copy group (`cleaner.dedup.copies`): exact and near copies of one input are
one witness, not k. Otherwise a re-crawl makes every line of a page "repeated" and a copy's opening
"another document's lead", and copies empty each other. A group's lines are the union of its members'
lines; a group counts in every source one of its members belongs to.

Everything is counted from the documents, so the context is the same whatever order they come in.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import xxhash

from cleaner.dedup.copies import Fingerprint, copy_groups, fingerprint
from cleaner.dedup.lines import leads
from cleaner.dedup.params import Params
from cleaner.noise.registry import TextView
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


class LineCounts(NamedTuple):
    """How many copy groups hold a line: among a source's documents, and with no member in that source."""

    in_source: int
    elsewhere: int


@dataclass(frozen=True)
class ContextEntry:
    """What one document adds to the corpus context: computed where the document is prepared."""

    key: str
    source: str
    lines: frozenset[int]
    lead: int | None
    copy: Fingerprint

    @classmethod
    def of(cls, key: str, raw: str, metadata: dict[str, Any], settings: Params) -> ContextEntry:
        # the logical lines the rules judge (a hard-wrapped paragraph is one line), so that their look-ups
        # meet these keys whatever the layout
        paragraphs = [line.stripped for line in TextView(raw).content_lines()]
        prose = [line for line in paragraphs if is_prose(line)]
        copy = fingerprint(raw, "\n".join(prose), settings)
        return cls(key, source_key(metadata), frozenset(map(line_key, paragraphs)),
                   lead_key(prose[0]) if prose else None, copy)


@dataclass
class CorpusContext:
    """Line and lead statistics of a corpus, counted per copy group, built by `CorpusContext.build`."""

    line_documents: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    line_groups: Counter[int] = field(default_factory=Counter)  # line -> copy groups, all sources
    leads: dict[int, tuple[str, ...]] = field(default_factory=dict)  # lead -> up to two groups holding it
    group_of: dict[str, str] = field(default_factory=dict)  # input key -> copy group

    @classmethod
    def build(cls, entries: Iterable[ContextEntry], settings: Params) -> CorpusContext:
        """From every document's entry, in any order."""
        by_key = {entry.key: entry for entry in entries}
        context = cls(group_of=copy_groups({key: entry.copy for key, entry in by_key.items()}, settings))
        members: dict[str, list[ContextEntry]] = defaultdict(list)
        for key in sorted(by_key):
            members[context.group_of[key]].append(by_key[key])
        holders: dict[int, set[str]] = defaultdict(set)
        for group, entries_of_group in members.items():
            lines = frozenset().union(*(entry.lines for entry in entries_of_group))
            context.line_groups.update(lines)
            for source in {entry.source for entry in entries_of_group}:
                context.line_documents[source].update(lines)
            for entry in entries_of_group:
                if entry.lead is not None:
                    holders[entry.lead].add(group)
        context.leads = {lead: tuple(sorted(groups)[:2]) for lead, groups in holders.items()}
        return context

    def documents_with_line(self, text: str, metadata: dict[str, Any]) -> LineCounts:
        """Copy groups holding the line: in this document's source, and with no member in it."""
        key = line_key(text)
        in_source = self.line_documents.get(source_key(metadata), Counter())[key]
        return LineCounts(in_source, self.line_groups[key] - in_source)

    def is_foreign_lead(self, text: str, metadata: dict[str, Any]) -> bool:
        """True when `text` opens like the lead of a document that is not a copy of this one."""
        found = lead_key(text)
        own = self.group_of.get(str(metadata.get("input_key")))
        return found is not None and any(group != own for group in self.leads.get(found, ()))
