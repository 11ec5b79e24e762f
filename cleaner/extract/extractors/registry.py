"""The extractor registry: every HTML main-text extractor is a small class registered here by name.

An extractor turns one page into its main text plus the page metadata it found, or None when it finds no
article. It only extracts; choosing among several extractors' outputs is `cleaner.extract.combine`'s job.
A record names the extractor (and the version of the package behind it) whose text it holds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version as package_version
from typing import Any, ClassVar


@dataclass(frozen=True)
class Extracted:
    """An extractor's main text and the page metadata (title, author, date, ...) it found."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


class Extractor(ABC):
    """One way to find a page's main text. `package` is the distribution whose version the record names."""

    name: ClassVar[str]
    package: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def extract(self, html: str, url: str | None, options: dict[str, Any]) -> Extracted | None:
        """The page's main text, or None when there is none; `options` is the config's `extract` table."""

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The settings this extractor runs with under the `extract` table `options` (written to the record)."""
        return {}

    def describe(self, options: dict[str, Any]) -> dict[str, Any]:
        """`metadata.tool.extractor` of a record holding this extractor's text."""
        return {"name": self.name, "package": self.package, "version": version_of(self.package),
                "options": self.options(options)}


@cache
def version_of(package: str) -> str:
    return package_version(package)


EXTRACTORS: dict[str, Extractor] = {}


def register(cls: type[Extractor]) -> type[Extractor]:
    """Class decorator: add one instance of the extractor under its name (a name is registered once)."""
    if cls.name in EXTRACTORS:
        raise ValueError(f"extractor {cls.name!r} is registered twice")
    EXTRACTORS[cls.name] = cls()
    return cls
