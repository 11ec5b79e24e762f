"""Event advertisements: 'Upcoming events' boxes and conference listings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.registry import PatternLineRule, Rule, TextView, register

_HEADING = re.compile(
    r"^(?:our |more )?(?:upcoming|future|featured|next|forthcoming) (?:events|conferences|webinars|workshops)\W*$",
    re.IGNORECASE | re.MULTILINE,
)
# a listing line is short and no sentence; a call to action ends the box
_CTA = re.compile(r"\b(?:join|subscribe|newsletter|follow|community|sign up)\b", re.IGNORECASE)


def _listing_line(text: str) -> bool:
    return text.count(" ") < 12 and not text.endswith(".") and not _CTA.search(text)


@register
class EventListing(Rule):
    """An 'upcoming events' heading and the short listing lines under it (names, places, dates).

    Example: "Upcoming Events" / "Webinar, online" / "Cloud Security Forum 2025" / "4-5 Nov, 2025".
    """

    name = "event_listing_v1"
    category = "event_ad"
    description = "'Upcoming events' heading and the short non-sentence listing lines that follow it."

    def find(self, view: TextView) -> Iterator[Span]:
        headings = view.candidate_lines(_HEADING)
        if not headings:
            return
        inside = False
        for line in view.content_lines()[view.content_lines().index(headings[0]):]:
            text = line.stripped
            if _HEADING.match(text):
                inside = True
            elif not (inside and _listing_line(text)):
                inside = False
                continue
            yield self.span(line.start, line.stop, 0.9)


@register
class EventLine(PatternLineRule):
    """A conference/webinar listing line outside an events box.

    Example: "Summit, in-person (Nairobi)" or "Webinar, virtual".
    """

    name = "event_line_v1"
    category = "event_ad"
    description = "'Conference, in-person (City)'-style event listing lines."
    max_words = 8
    pattern = re.compile(
        r"^(?:conference|summit|webinar|workshop|meetup|hackathon|expo|forum|event)s?,\s*(?:in-person|virtual|online"
        r"|hybrid|live)\b",
        re.IGNORECASE,
    )
