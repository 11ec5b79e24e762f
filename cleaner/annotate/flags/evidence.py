"""Finding notice lines (translation credits, funding notes, licences) in the clean text or in removed spans.

Provenance notices are noise to the text, so the noise rules may already have removed them and kept
what they said as span facts. A notice flag therefore looks in two places: the clean text (evidence
offsets into `text`), then the removed spans (evidence offsets into `raw`, said so in the detail).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from cleaner.annotate.flags.registry import Assessment, Evidence
from cleaner.annotate.screen import may_match, screen
from cleaner.document import Document

# Where a notice starts: a line's start (after list marks, brackets, emphasis and a label such as
# "Editor's note:") or a sentence's start. A notice phrase inside a sentence ("the virus first appeared
# in", "the city, in partnership with local groups") is prose, not a notice.
_NOTICE_START = (r"(?:(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’')]\s))[ \t\u00a0]*[(\[*_>•·—–-]*[ \t\u00a0]*"
                 r"(?:(?i:(?:editor['’]?s?\s+)?note|disclosure|disclaimer|funding|acknowledge?ments?)"
                 r"[ \t\u00a0]*[:.–—-][ \t\u00a0]*)?)")
# a sentence about the piece itself ("This article was ...", "Our reporting is ...")
PIECE = (r"(?i:(?:this|our)\s+(?:article|story|piece|post|essay|column|report|reporting|interview|commentary"
         r"|op-ed|feature|series|content|research|work|study|project|analysis|publication|paper|investigation"
         r"|journalism|coverage|page)\s+)")


# a superset of the places _NOTICE_START's first group allows (after each match, plus the text's start)
_STARTS = re.compile(r"\n|[.!?][\"”’')]?\s")
# the patterns of notice_pattern: they match nowhere else than where _STARTS ends
_AT_NOTICE_STARTS: set[re.Pattern[str]] = set()


def notice_pattern(statement: str) -> re.Pattern[str]:
    """`statement` (a regular expression; `^` and `$` match at line breaks) where a notice starts: at a
    line's or a sentence's start."""
    pattern = re.compile(_NOTICE_START + f"(?:{statement})", re.MULTILINE)
    _AT_NOTICE_STARTS.add(pattern)
    return pattern


def _finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`; a notice pattern is tried only where a line or sentence starts, not at every
    character (a match at a position sees the text before it, as the search's would)."""
    if pattern not in _AT_NOTICE_STARTS:
        yield from pattern.finditer(text)
        return
    cursor = 0
    for start in (0, *(m.end() for m in _STARTS.finditer(text))):
        if start < cursor:
            continue
        match = pattern.match(text, start)
        if match is None:
            continue
        if match.end() == match.start():  # finditer's rule for empty matches is its own: let it decide
            yield from pattern.finditer(text, start)
            return
        yield match
        cursor = match.end()


def find_in_text(document: Document, pattern: re.Pattern[str], limit: int = 5) -> list[tuple[Evidence, re.Match]]:
    """Matches of `pattern` in the clean text, as (evidence, match); evidence is the whole matched line."""
    text = document.text
    found: list[tuple[Evidence, re.Match]] = []
    if not may_match(pattern, text):
        return found
    for match in _finditer(pattern, text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        found.append(((line_start, line_end, text[line_start:line_end].strip()), match))
        if len(found) >= limit:
            break
    return found


def find_in_removed(document: Document, fact_names: Iterable[str],
                    pattern: re.Pattern[str] | None = None) -> list[tuple[Evidence, dict[str, str]]]:
    """Removed spans that carry one of `fact_names` (or whose removed text matches `pattern`).

    A stretch that several rules removed is evidence once, with the facts of all of them.
    """
    wanted = set(fact_names)
    found: dict[tuple[int, int], tuple[Evidence, dict[str, str]]] = {}
    raw = document.raw
    spans = document.sorted_spans()
    searched = _may_match_in(pattern, raw, [(span.start, span.end) for span in spans]) if pattern is not None else None
    for index, span in enumerate(spans):
        if any(name in wanted for name, _ in span.facts) or (
                searched is not None and searched[index]
                and next(_finditer(pattern, raw[span.start:span.end]), None) is not None):
            removed = raw[span.start:span.end]
            _, known = found.setdefault((span.start, span.end), ((span.start, span.end, removed.strip()), {}))
            known.update(span.facts)
    return list(found.values())


def _may_match_in(pattern: re.Pattern[str], text: str, stretches: list[tuple[int, int]]) -> Sequence[bool]:
    """`may_match` for each stretch (start, end) of `text`, as if cut out (cleaner/annotate/screen.py)."""
    first_look = screen(pattern)
    return [True] * len(stretches) if first_look is None else first_look.within(text, stretches).tolist()


def notice_assessment(document: Document, pattern: re.Pattern[str], fact_names: tuple[str, ...],
                      what: str, fact_of: str) -> Assessment | None:
    """Score 1 with evidence when a notice is in the clean text or among the removed spans, else None.

    `fact_of` names the regex group (in text) or span fact (in removed spans) to report, e.g. `translator`.
    """
    in_text = find_in_text(document, pattern)
    if in_text:
        named = sorted({m.group(fact_of).strip(" .,;") for _, m in in_text if m.groupdict().get(fact_of)})
        return Assessment(1.0, [ev for ev, _ in in_text],
                          f"{what} in the clean text" + (f": {', '.join(named)}" if named else ""),
                          {fact_of: named} if named else {})
    removed = find_in_removed(document, fact_names, pattern)
    if removed:
        named = sorted({facts[fact_of] for _, facts in removed if facts.get(fact_of)})
        return Assessment(1.0, [ev for ev, _ in removed],
                          f"{what} removed by the noise rules (evidence offsets are into raw)"
                          + (f": {', '.join(named)}" if named else ""),
                          {fact_of: named} if named else {})
    return None
