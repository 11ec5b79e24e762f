"""Openers of other articles glued after the real one ('trailing excerpts')."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.author_bios import AuthorBio
from cleaner.noise.context import CorpusContext
from cleaner.noise.funding_notes import FundingNote
from cleaner.noise.license_notices import LicenseNotice
from cleaner.noise.registry import LineRule, Rule, TextView, register
from cleaner.noise.related_links import RelatedHeading
from cleaner.noise.text import STOPWORDS, TERMINAL, body_of, is_prose, words
from cleaner.noise.translation_credits import TranslationCredit

# lines that close an article: what follows them and reads as prose belongs to other articles
_END_MARKERS: tuple[LineRule, ...] = (AuthorBio(), TranslationCredit(), LicenseNotice(), FundingNote(),
                                      RelatedHeading())


def _overlap(text: str, vocabulary: set[str]) -> float:
    content = [w for w in words(text) if len(w) > 3 and w not in STOPWORDS]
    return sum(w in vocabulary for w in content) / len(content) if content else 1.0


@register
class TrailingExcerpt(Rule):
    """Prose after the article's end that does not belong to it.

    Evidence: the block follows an end marker (bio, translation credit, license or funding note) and
    its vocabulary drifts from the body, or its opening matches the lead of another document of the
    corpus that is not a copy of this one (corpus context). A cut-off last sentence adds confidence.
    The document's own opening paragraph is never trailing, whatever else starts like it.
    Example: after "Translated by Ana Ruiz", a paragraph opening another story ("Flooding closed the
    port of Valparaíso on Monday as ...").
    """

    name = "trailing_excerpt_v3"
    category = "trailing_excerpt"
    description = "Prose after an end marker with low lexical overlap with the body, or matching another lead."

    def find(self, view: TextView) -> Iterator[Span]:
        body = body_of(view)
        lines = body.lines
        max_overlap = view.settings["excerpt_max_overlap"]
        context = view.context if isinstance(view.context, CorpusContext) else None
        markers = [body.position(line) for rule in _END_MARKERS for line, _, _ in rule.matches(view)]
        end = min((i for i in markers if i >= len(lines) // 2), default=None)
        if end is not None and 2 * body.prose_words(0, end) < body.prose_words(end + 1):
            # far more prose after the marker than before it: the article follows a bio box or a notice
            # printed above it (its head is a long menu), nothing is trailing
            end = None
        if end is None and context is None:
            return
        body_end = end if end is not None else len(lines)
        body_text = view.raw[:lines[body_end].start] if body_end < len(lines) else view.raw
        vocabulary = {w for w in words(body_text) if len(w) > 3}
        for i in range(max(len(lines) // 2, body.first + 1), len(lines)):
            text = lines[i].stripped
            if not is_prose(text):
                continue
            if context is not None and context.is_foreign_lead(text, view.metadata):
                yield self.span(lines[i].start, lines[i].stop, 0.95)
            elif end is not None and i > end and _overlap(text, vocabulary) < max_overlap:
                yield self.span(lines[i].start, lines[i].stop, 0.8 if TERMINAL.search(text) else 0.9)
