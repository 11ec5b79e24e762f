"""Photo credits and the captions that carry them; the credit moves to provenance."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, PatternLineRule, register

_AGENCIES = (r"(?:shutterstock|getty(?: images)?|istock(?:photo)?|unsplash|pexels|pixabay|alamy|reuters|afp|ap photo"
             r"|associated press|epa(?:-efe)?|xinhua|flickr|wikimedia(?: commons)?|depositphotos|adobe stock"
             r"|dreamstime|bloomberg|anadolu|imago|picture alliance)")


@register
class ImageCredit(PatternLineRule):
    """A credit line, or a caption ending in a '(Photographer/Agency)' credit.

    Example: "Fishing boats at dawn in Hoi An (Tran Minh/Reuters)" or "© Marta Ruiz / Getty Images".
    """

    name = "image_credit_v1"
    category = "image_credit"
    description = "Photo credit lines and captions ending in a credit; the credit becomes the `image_credit` fact."
    max_words = 60
    keywords = re.compile(r"©|\(c\)|photo|image|picture|credit|source|/")
    pattern = re.compile(
        rf"^(?:©|\(c\)|photo(?:graph)?s?:|image:|picture:|credit:|photo credit:|source: {_AGENCIES})\s*(.{{2,120}})$"
        rf"|\(([^()]{{2,80}}?\s*/\s*{_AGENCIES}[^()]*)\)$"
        rf"|^([^()]{{2,60}}\s*/\s*{_AGENCIES})$",
        re.IGNORECASE,
    )

    def facts(self, match: re.Match[str], line: Line) -> dict[str, str]:
        credit = next(group for group in match.groups() if group)
        return {"image_credit": credit.strip()}
