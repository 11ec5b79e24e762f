"""`one_sided_sourcing`: the piece quotes or cites sources, but (nearly) all of them are one speaker.

Attributions are counted by named speaker: `X said`, `said X`, `X told`, `according to X`, `X has said`.
Without stance detection "one side" is approximated by "one speaker": the score is the share of
attributions that go to the most cited speaker, raised only when there are at least `min_attributions`.
Example: four paragraphs each ending "..., the ministry said." and no other voice.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from cleaner.annotate.flags.registry import ENGLISH, Assessment, Flag, register
from cleaner.document import Document

# a capitalised name ("Maria Lopez", "the G7") or a definite description ("the foreign ministry")
_NAME = (r"(?:(?:[Tt]he[ \u00a0])?(?:[A-Z][\w.'’-]*[ \u00a0]){0,4}[A-Z][\w'’-]+"
         r"|[Tt]he[ \u00a0](?:[a-z]+[ \u00a0]){0,2}[a-z]+)")
_VERB = r"(?:said|says|told|argued|added|stated|claimed|insisted|warned|wrote|noted|explained|declared)"
ATTRIBUTION = re.compile(
    rf"\b(?P<a>{_NAME})\s+(?:(?:has|had|have)\s+)?{_VERB}\b"
    rf"|[,\"”]\s*{_VERB}\s+(?P<b>{_NAME})"  # inverted, after a quote: '..." said Jane Roe'
    rf"|\b[Aa]ccording\s+to\s+(?P<c>{_NAME})")
# words that start a capitalised run without naming anyone
_NOT_SPEAKERS = frozenset({"it", "this", "that", "he", "she", "they", "we", "i", "the", "a", "an", "reports",
                           "officials", "critics", "experts", "sources", "analysts", "observers", "but", "and"})


def speaker_key(name: str) -> str | None:
    """A speaker's key: the last word of the name, lower-cased ('Maria Lopez' and 'Maria Lopez's office' differ)."""
    parts = [p for p in re.split(r"\s+", name.strip()) if p.lower() != "the"]
    if not parts or parts[0].lower() in _NOT_SPEAKERS:
        return None
    return parts[-1].lower().strip(".'’")


@register
class OneSidedSourcing(Flag):
    name = "one_sided_sourcing"
    rule = "one_sided_sourcing_v1"
    description = "Share of named attributions ('X said', 'according to X') that go to one speaker."
    languages = ENGLISH  # the attribution patterns are English

    def assess(self, document: Document, settings: dict[str, Any]) -> Assessment | None:
        text = document.text
        cited: list[tuple[str, tuple[int, int, str]]] = []
        for match in ATTRIBUTION.finditer(text):
            group = next(g for g in ("a", "b", "c") if match.group(g))
            key = speaker_key(match.group(group))
            if key:
                cited.append((key, (match.start(), match.end(), match.group())))
        if len(cited) < settings["min_attributions"]:
            return None
        counts = Counter(key for key, _ in cited)
        top, top_count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        return Assessment(round(top_count / len(cited), 4), [ev for key, ev in cited if key == top],
                          f"{top_count} of {len(cited)} attributions name {top!r}; speakers: "
                          + ", ".join(f"{k} ({n})" for k, n in counts.most_common()),
                          {"speakers": dict(counts.most_common())})
