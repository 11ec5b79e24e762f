"""`sponsored_content`: the piece is marked as paid-for content (advertorial, sponsored or partner post).

Example: "This article is sponsored by Acme Cloud." or a "SPONSORED CONTENT" label above the headline.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.flags.evidence import notice_assessment
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

NOTICE = re.compile(
    r"(?i:\b(?:sponsored\s+(?:content|post|article|feature|story)|paid\s+(?:post|content|partnership|promotion)"
    r"|advertorial|partner\s+content|branded\s+content|promoted\s+content"
    r"|(?:is|was)\s+sponsored\s+by|presented\s+by|brought\s+to\s+you\s+by|in\s+(?:paid\s+)?partnership\s+with))"
    r"(?:[ \t\u00a0]+(?P<sponsor>[A-Z][\w&.'’-]*(?:[ \t\u00a0]+[A-Z][\w&.'’-]*){0,4}))?")


@register
class SponsoredContent(Flag):
    name = "sponsored_content"
    rule = "sponsored_content_v1"
    description = "A sponsorship label ('Sponsored content', 'Paid post', 'brought to you by ...')."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("sponsor",), "sponsorship label", "sponsor")
