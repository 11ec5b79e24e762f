"""`funding_disclosure`: the article discloses who paid for it, with the funder named.

Example: "This research was funded by the Harbour Foundation under Grant No. 1234." (a think-tank piece),
or a `funder` fact the noise rules moved out of the text.
"""

from __future__ import annotations

import re
from typing import Any

from cleaner.annotate.flags.evidence import notice_assessment
from cleaner.annotate.flags.registry import Assessment, Flag, register
from cleaner.document import Document

# "(This work|research|...) was supported/funded/financed by F", "with (financial) support from F",
# "made possible by (a grant from) F"; F runs to the next clause boundary
NOTICE = re.compile(
    r"(?i:\b(?:was|is|were|are|been|being)\s+(?:generously\s+|partly\s+|partially\s+)?"
    r"(?:supported|funded|financed|made\s+possible)\s+(?:in\s+part\s+)?by"
    r"|\bwith\s+(?:the\s+)?(?:financial\s+|generous\s+)?(?:support|funding)\s+(?:of|from)"
    r"|\bfunding\s+(?:was\s+)?provided\s+by)"
    r"\s+(?:(?i:a\s+grant\s+from)\s+)?(?P<funder>(?:the\s+)?[A-Z][^.;:\n]{2,120}?)"
    r"(?=\s+under\b|\s+as\s+part\b|\s+through\b|\s+grant\b|,|\.(?:\s|$)|;|:|\n|$)")


@register
class FundingDisclosure(Flag):
    name = "funding_disclosure"
    rule = "funding_disclosure_v1"
    description = "A funding note ('This work was supported by ...') naming the funder."

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        return notice_assessment(document, NOTICE, ("funder",), "funding note", "funder")
