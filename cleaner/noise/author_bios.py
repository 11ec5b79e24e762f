"""Bylines and author bios; the author (and the bio) move to provenance."""

from __future__ import annotations

import re

from cleaner.noise.registry import Line, LineRule, TextView, register
from cleaner.noise.text import NAME, NAME_LINE, body_of

_BYLINE = re.compile(rf"^(?:by|written by|words by|author:|posted by)\s+\[?({NAME})\]?(?:\(#?\))?"
                     rf"(?:\s*(?:,|and|&|\||-|–|—)\s*.{{0,60}})?$", re.IGNORECASE)
# bio sentences open with the name and then a role, an education or an affiliation
_BIO_VERB = (r"(?:is|was|has been|serves as|works as|is currently)\s+(?:a|an|the|currently|senior|former|now)\b"
             r"|graduated|holds|writes|covers|teaches|studies|is based|has (?:written|worked|reported|covered)")
_BIO = re.compile(rf"^(?!(?:Mr|Mrs|Ms|Dr|Sir|Prof)\.?\s)({NAME}|[A-Z][\w'’-]+)[\s,]+(?:\([^)]*\)\s*)?(?:{_BIO_VERB})",
                  re.UNICODE)
# ... and say what the author does: a bio without a role or a study is a sentence about someone else
_BIO_ROLE = re.compile(
    r"\b(?:writer|journalist|reporter|correspondent|editor|author|columnist|freelancer|contributor|blogger|student"
    r"|graduate[ds]?|professor|lecturer|research(?:er)?|fellow|analyst|scholar|candidate|degree|universit(?:y|ies)"
    r"|phd|master'?s|studies|studied|covers|newsletter|podcast|book|novelist|photographer|consultant|founder)\b",
    re.IGNORECASE)
_NAME_STOP = re.compile(r"\b(?:The|A|An|In|On|Of|And|For|To|With|How|Why|What|Is|Are|Read|More|By)\b")


@register
class Byline(LineRule):
    """A byline: 'By NAME', or a line holding only a person's name before the body starts.

    Example: "By Amara Okafor, Lagos" or a lone "MARIA SANTOS" under the headline.
    """

    name = "byline_v1"
    category = "byline"
    description = "'By NAME' lines anywhere, bare name lines in the head; the name becomes the `author` fact."
    candidates = re.compile(f"(?i:{_BYLINE.pattern})|{NAME_LINE.pattern}", re.MULTILINE)
    max_words = 32  # a name plus at most 60 characters of place or role

    def match(self, line: Line, view: TextView) -> tuple[float, dict[str, str]] | None:
        text = line.stripped
        found = _BYLINE.match(text)
        if found:
            return 0.9, {"author": _title(found.group(1))}
        # on an extractor's output, a lone capitalised line in the head is a heading it kept, not a byline
        if view.is_extracted_article:
            return None
        bare = NAME_LINE.match(text)
        # a bare name: two or three words (four when in capitals, as bylines often are), above the body
        if (bare and len(text) < 40 and bare.group(1).count(" ") < (4 if text.isupper() else 3)
                and not _NAME_STOP.search(bare.group(1)) and body_of(view).in_head(line)):
            return 0.7, {"author": _title(bare.group(1))}
        return None


@register
class AuthorBio(LineRule):
    """A short author bio after the body: name (or first name), then a role, a degree or a beat.

    Example: "Dana Whitfield is a health reporter based in Denver. She previously covered science for KUNC."
    """

    name = "author_bio_v1"
    category = "author_bio"
    description = "Author bio paragraphs in the second half of the text; `author` and `author_bio` facts."
    max_words = 80
    candidates = re.compile(_BIO.pattern, re.MULTILINE)

    def match(self, line: Line, view: TextView) -> tuple[float, dict[str, str]] | None:
        text = line.stripped
        found = _BIO.match(text)
        if found is None or not _BIO_ROLE.search(text):
            return None
        # bios close articles: only the second half of the text (by characters or by lines) is searched
        body = body_of(view)
        if line.start < len(view.raw) / 2 and body.position(line) < len(body.lines) / 2:
            return None
        name = found.group(1).strip()
        if " " not in name:  # a bio by first name: the full name is on a name line of the same page
            full = (NAME_LINE.match(other.stripped) for other in body.lines)
            name = next((m.group(1) for m in full if m and m.group(1).startswith(name + " ")), "")
            if not name:
                return None
        return 0.85, {"author": _title(name), "author_bio": text}


def _title(name: str) -> str:
    """'JANE DOE' -> 'Jane Doe'; mixed case is kept as written."""
    return name.title() if name.isupper() else name
