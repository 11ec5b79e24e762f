"""`sponsored_content`: the piece is marked as paid-for content (advertorial, sponsored or partner post).

Example: "This article is sponsored by Acme Cloud." or a "SPONSORED CONTENT" label above the headline.
"""

from __future__ import annotations

from typing import Any

from cleaner.annotate.flags.evidence import PIECE, notice_assessment, notice_pattern
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

# a label on a line of its own or before its sponsor ("SPONSORED CONTENT", "Paid post | Acme"), or a
# statement about the piece ("This article is sponsored by", "Brought to you by", "Produced in partnership
# with"); "in partnership with" alone only as a short line, since prose uses it for any joint work
_SPONSOR = r"(?:[ \t\u00a0]+(?P<sponsor>[A-Z][\w&.'’-]*(?:[ \t\u00a0]+[A-Z][\w&.'’-]*){0,4}))?"
NOTICE = notice_pattern(
    r"(?:(?i:(?:sponsored|paid|partner|branded|promoted)\s+(?:content|post|article|feature|story|partnership"
    r"|promotion)|advertorial)(?=[ \t\u00a0]*(?:$|[:|•·—–-]|\s+(?i:by|from)\b))(?:[ \t\u00a0]*[:|•·—–-])?"
    r"(?:[ \t\u00a0]+(?i:by|from))?"
    rf"|{PIECE}?(?i:(?:is|was|has\s+been)\s+)?(?i:(?:sponsored|presented|brought\s+to\s+you|paid\s+for"
    r"|underwritten)\s+by|(?:produced|created|published)\s+in\s+(?:paid\s+)?partnership\s+with)"
    r"|(?i:in\s+(?:paid\s+)?partnership\s+with)(?=[^.\n]{1,60}$))"
    r"(?:[ \t\u00a0]+(?P<sponsor>[A-Z][\w&.'’-]*(?:[ \t\u00a0]+[A-Z][\w&.'’-]*){0,4}))?")


@register
class SponsoredContent(Flag):
    name = "sponsored_content"
    rule = "sponsored_content_v1"
    description = "A sponsorship label ('Sponsored content', 'Paid post', 'brought to you by ...')."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("sponsor",), "sponsorship label", "sponsor")
