"""The quality registry: each family of published document-quality heuristics is a small class registered here.

A family *measures* the clean text (its signals, numbers a corpus builder filters on) and *judges* them
against its thresholds (the published defaults in `cleaner.config`, `quality.<family>`), giving the reasons
it would drop the document. The annotate step records both in `metadata.quality`; nothing is dropped here
(`cleaner filter` drops on request, writing what it dropped and why).

Definitions are datatrove's (huggingface/datatrove, pipeline/filters/*.py) so that figures compare with
corpora built by it; a family's docstring says where it departs and why.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property
from itertools import count
from typing import Any, ClassVar, NamedTuple

import numpy as np

from cleaner.annotate.quality.words import chunks_words, split_chunks
from cleaner.registries import registrar

Signals = dict[str, float]


class QualityText:
    """The clean text with the views every family reads, each computed once per document."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def newline_lines(self) -> list[str]:
        """The lines as "\\n" alone splits them (datatrove's repetition and FineWeb filters)."""
        return self.text.split("\n")

    @cached_property
    def chunks(self) -> list[str]:
        return self.text.split()

    @cached_property
    def split_chunks(self) -> dict[str, tuple[str, ...]]:
        return split_chunks(set(self.chunks))

    @cached_property
    def words(self) -> list[str]:
        return chunks_words(self.chunks, self.split_chunks)

    def line_words(self, line: str) -> list[str]:
        """The words of a line of the text, or of any run of its whitespace-separated chunks."""
        return chunks_words(line.split(), self.split_chunks)

    @cached_property
    def word_ids(self) -> WordIds:
        first: dict[str, int] = {}
        ids = np.fromiter(map(first.setdefault, self.words, count()), np.int64, len(self.words))
        return WordIds(first, ids)


class WordIds(NamedTuple):
    """A text's words as integers, for counting: each word's id is the position of its first occurrence."""

    first: dict[str, int]  # each distinct word and its id, in the order of first sight
    ids: np.ndarray  # per word, its id: the same id, the same word


def ratio(part: float, whole: float) -> float:
    """part / whole, 0 for an empty whole (a document with no words has no word ratios to speak of)."""
    return part / whole if whole else 0.0


class QualityFamily(ABC):
    """A family: `name` as in records and config, a versioned `rule` id, a one-line `description`."""

    name: ClassVar[str]
    rule: ClassVar[str]
    description: ClassVar[str]
    # every reason `judge` can give, in its order
    reasons: ClassVar[tuple[str, ...]]

    @abstractmethod
    def measure(self, text: QualityText, settings: dict[str, Any]) -> Signals:
        """The family's signals for this text."""

    @abstractmethod
    def judge(self, signals: Signals, settings: dict[str, Any]) -> list[str]:
        """The reasons (datatrove's reason names) the family would drop a text with these signals, in its order."""


FAMILIES: dict[str, type[QualityFamily]] = {}


register = registrar(FAMILIES, "quality family", ("name", "rule", "description", "reasons"))
