"""`state_affiliated` and `advocacy`: the source registry classifies the outlet so.

The evidence is the registry entry itself (in the detail and `registry`), not a span of text: the
provenance step matched the document's domain or publisher name against the registry
(`metadata.provenance.source_registry`). Example: a page from rt.com -> state_affiliated.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document


class RegistryTypeFlag(Flag):
    """Raised when the registry entry of the document's source has type `registry_type`."""

    registry_type: ClassVar[str]

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        entry = (document.metadata.get("provenance") or {}).get("source_registry")
        if not entry:
            return None
        if entry.get("type") != self.registry_type:
            return Assessment(0.0)
        names = ", ".join(entry.get("names", []) or entry.get("domains", []))
        return Assessment(1.0, [], f"source registry ({entry.get('matched')}): {names} is {self.registry_type}; "
                                   f"ownership: {entry.get('ownership', 'not stated')}", {"registry": entry})


@register
class StateAffiliated(RegistryTypeFlag):
    name = "state_affiliated"
    rule = "state_affiliated_v1"
    description = "The source registry lists the outlet as state media."
    registry_type = "state media"


@register
class Advocacy(RegistryTypeFlag):
    name = "advocacy"
    rule = "advocacy_v1"
    description = "The source registry lists the outlet as an advocacy organisation."
    registry_type = "advocacy"
