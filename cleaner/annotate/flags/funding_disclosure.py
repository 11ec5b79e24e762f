"""`funding_disclosure`: the article discloses who paid for it, with the funder named.

Example: "This research was funded by the Harbour Foundation under Grant No. 1234." (a think-tank piece),
or a `funder` fact the noise rules moved out of the text.
"""

from __future__ import annotations

from typing import Any

from cleaner.annotate.flags.evidence import PIECE, notice_assessment, notice_pattern
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

# a statement about the piece: "(This work|research|reporting ...) was supported/funded/financed by F",
# "Funding for this ... was provided by F", "(This story was produced) with (financial) support from F";
# F runs to the next clause boundary. "The plan was supported by residents" is prose, not a disclosure.
NOTICE = notice_pattern(
    rf"(?:{PIECE}(?:[\w-]+\s+){{0,3}}?(?i:(?:was|is|were|are|has\s+been|have\s+been)\s+)"
    r"(?i:(?:generously\s+|partly\s+|partially\s+)?(?:supported|funded|financed|made\s+possible|underwritten)"
    r"\s+(?:in\s+part\s+)?by)"
    r"|(?i:(?:funding|support)\s+for\s+this\s+[\w-]+(?:\s+[\w-]+)?\s+(?:was\s+|is\s+)?(?:provided\s+by|comes\s+from))"
    r"|(?i:funding\s+(?:was\s+)?provided\s+by)"
    rf"|{PIECE}(?i:(?:was|is|has\s+been)\s+(?:produced|made|published|written|reported)\s+)"
    r"(?i:with\s+(?:the\s+)?(?:financial\s+|generous\s+)?(?:support|funding)\s+(?:of|from))"
    # alone, only as a credit ("With support from the Ford Foundation."), not before a clause of prose
    r"|(?i:with\s+(?:the\s+)?(?:financial\s+|generous\s+)?(?:support|funding)\s+(?:of|from))(?=[^,;\n]{3,120}(?:\.|$)))"
    r"\s+(?:(?i:a\s+grant\s+from)\s+)?(?P<funder>(?:the\s+)?[A-Z][^.;:\n]{2,120}?)"
    r"(?=\s+under\b|\s+as\s+part\b|\s+through\b|\s+grant\b|,|\.(?:\s|$)|;|:|\n|$)")


@register
class FundingDisclosure(Flag):
    name = "funding_disclosure"
    rule = "funding_disclosure_v1"
    description = "A funding note ('This work was supported by ...') naming the funder."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("funder",), "funding note", "funder")
