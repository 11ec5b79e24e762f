"""Lines a source repeats across its documents (its boilerplate), found with the corpus context."""

from __future__ import annotations

from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.context import CorpusContext
from cleaner.noise.registry import Line, LineRule, TextView, register
from cleaner.noise.text import is_prose


@register
class RepeatedSourceLine(LineRule):
    """A line printed in many documents of the same source (domain, publisher or input folder).

    Documents are counted as copy groups (`cleaner.noise.context`): a page saved three times is one
    document here. Prose that other sources print in content that is not a copy of this source's is
    protected: a wire story's sentence or a quote carried by several outlets is content, unlike a
    site's own footer, which only that site prints.
    Example: "Reporting by the Harbour Gazette newsroom; corrections to desk@example.org" under every
    article of one site.
    """

    name = "repeated_source_line_v2"
    category = "repeated_line"
    description = ("Lines in >= repeated_min_documents distinct documents (copies count once) of one source, "
                   "except prose other sources share.")

    def find(self, view: TextView) -> Iterator[Span]:
        if isinstance(view.context, CorpusContext):
            yield from super().find(view)

    def match(self, line: Line, view: TextView) -> float | None:
        context = view.context
        assert isinstance(context, CorpusContext)
        counts = context.documents_with_line(line.stripped, view.metadata)
        if counts.in_source < view.settings["repeated_min_documents"]:
            return None
        # this source plus the content elsewhere that prints the line
        if 1 + counts.elsewhere >= view.settings["repeated_protect_sources"] and is_prose(line.stripped):
            return None
        return 0.9
