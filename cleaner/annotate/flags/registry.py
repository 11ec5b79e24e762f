"""The flag registry: every bias/provenance flag is a small class registered here under a versioned id.

A flag *assesses* a document and returns a score with its evidence; the annotate step compares the
score with the flag's configured threshold and records raised flags in `metadata.flags` as
`{name, rule, score, threshold, evidence: [[start, end, text]], detail}`. Evidence offsets point into
the clean text unless `detail` says they point into `raw` (a line the noise rules removed).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cleaner.document import Document
from cleaner.registries import registrar

Evidence = tuple[int, int, str]
ENGLISH = frozenset({"en"})


@dataclass
class Assessment:
    """What a flag found: a score comparable with its threshold, the evidence, and a readable detail."""

    score: float
    evidence: list[Evidence] = field(default_factory=list)
    detail: str = ""
    # extra structured facts for the record (e.g. the funder's name, the registry entry)
    facts: dict[str, Any] = field(default_factory=dict)


class Flag(ABC):
    """A flag: `name` as it appears in records, a versioned `rule` id, a one-line `description`."""

    name: ClassVar[str]
    rule: ClassVar[str]
    description: ClassVar[str]
    # the document languages (ISO 639-1) the flag can read, None for any: a flag whose lexicons are English
    # is not assessed on German text rather than scoring it 0, which would read as "not loaded"
    languages: ClassVar[frozenset[str] | None] = None

    @abstractmethod
    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        """The flag's score and evidence for this document, or None when there is nothing to weigh."""


FLAGS: dict[str, type[Flag]] = {}


register = registrar(FLAGS, "flag", ("name", "rule", "description"))
