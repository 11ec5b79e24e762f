"""`translated`: the article says it was translated, and by whom.

Example: "Translated by Mara Jensen" (a credit line at the end of an op-ed), or a `translator` fact the
noise rules moved out of the text.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.flags.evidence import notice_assessment
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

# "Translated by X", "Translated from the Chinese by X", "Translation: X", "(Translated by X)"
NOTICE = re.compile(
    r"(?im)^[\s(\[*_]*(?:translated|translation)(?:\s+from\s+(?:the\s+)?[A-Z][a-z]+)?(?:\s+by|\s*:)[ \t\u00a0]+"
    r"(?P<translator>[A-Z][\w.'’-]*(?:[ \t\u00a0]+[A-Z][\w.'’-]*){0,4})")


@register
class Translated(Flag):
    name = "translated"
    rule = "translated_v1"
    description = "A translation credit ('Translated by ...') in the text or among the removed credits."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("translator",), "translation credit", "translator")
