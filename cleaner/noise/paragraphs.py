"""Logical paragraphs: which physical lines of a text are pieces of one paragraph that a hard wrap split.

Text arrives one paragraph per line (extracted articles, scraped page text) or hard-wrapped at a
fixed width (plain-text archives, e-mail, some corpora), with or without blank lines. Rules and the
line classifier judge paragraphs, so the same words must give the same paragraphs whatever the
layout. A text is hard-wrapped at width W when its lines share that ceiling and most lines that reach
it stop mid-sentence; there a line is continued when the next line's first word would not have fit
on it (after two spaces where the text puts two after a sentence), a short line too when that word is
longer than any word a wrap leaves room for (a web address). A full line is also the last of its
paragraph when the first word of the next paragraph is long enough: those two paragraphs are read as
one (ambiguous from the layout alone; the line classifier judges the sentences on either side apart
when it is sure they differ).

Text wrapped by hand or by a proportional layout (pasted from a browser: BBC, MSNBC) has a ceiling but
no greedy fit: many lines stopping mid-sentence had room for the next word. There a line that does not
end a sentence is continued when it is long (over the ceiling too: the ceiling is a quantile, and the
few lines above it are the ones a re-wrap splits) or when the next line goes on in lower case (the
short remainder a re-wrap leaves: "Washington" / "DC"), so re-wrapping its longest lines leaves the
same paragraphs.

Blank lines count only where they say something: in a wrapped text where some lines are followed by a
blank line and others are not (the usual plain-text layout), a blank line ends a paragraph, unless it
falls inside a wrapped sentence (the line before stops mid-sentence, the next goes on in lower case). A blank
line after every line, or none at all, says nothing, and the grouping is then a function of the
non-blank lines alone: adding a blank line after every line or removing them never changes a decision.

>>> continued_lines([
...     "Tram line delayed",
...     "The council voted on Tuesday to delay the new tram line",
...     "until the spring, after the contractor warned that the",
...     "bridge works would not be finished in time. Residents of the",
...     "eastern suburbs, who have waited ten years for the line,",
...     "said they were disappointed.",
...     "Related stories",
... ])
[False, True, True, True, True, False, False]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# a hard-wrapped text has at most this share of its multi-word lines longer than its width (URLs,
# unbreakable tokens), and at least this share of its lines longer than half the width fill the
# width (the others end paragraphs); one-paragraph-per-line text has no such ceiling
_OVER_WIDTH_SHARE = 0.02
# blank lines mark paragraph ends when they follow some lines and not most (a paragraph is a few lines)
_MAX_BLANK_SHARE = 0.75
_FULL_SHARE = 0.6
_MIN_FULL_LINES = 3
# ... and most of those full lines stop mid-sentence
_MID_SENTENCE_SHARE = 0.5
# ... and at least this share of those go on in lower case (most words of running text are; names and
# titles are not, so news heavy with them stays well above it, and a list of titles stays below)
_LOWER_AFTER_SHARE = 0.25
_OPENING = " \t\"'“‘([-–—"
# widths of plain-text layouts (terminals, e-mail, fixed-width archives)
_MIN_WIDTH, _MAX_WIDTH = 30, 160
# a greedy wrap leaves no room for the next word on a line stopping mid-sentence; a ragged wrap often does.
# A text wrapped by hand and then re-wrapped where its longest lines exceed a width is both: its ceiling
# drops to that width and only its untouched lines have room (0.17-0.25 of the dev gold texts that do
# not keep their words at 0.3), while greedily wrapping a text one paragraph per line leaves at most
# 0.17 (99th percentile 0.11: the ceiling is a quantile, a little under the width)
_ROOMY_SHARE = 0.15
# a wrapped line is at most the longest word that did not fit shorter than the width
_MAX_WORD = 16
# a numbered item has one or two digits: "2007. Only ..." is a year a wrap put first
_LIST_ITEM = re.compile(r"(?:[-*•·>]|\d{1,2}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]$")
_DOUBLE_SPACED = re.compile(r"[.!?][\"'”’)]?  (?=\S)")
_SINGLE_SPACED = re.compile(r"[.!?][\"'”’)]? (?=\S)")


def wrap_width(lines: Sequence[str]) -> int | None:
    """The width the text is greedily hard-wrapped at, or None when its lines show no common ceiling."""
    width = _ceiling(lines)
    if width is None:
        return None
    long_lines = [line for line in lines if width // 2 <= len(line) <= width]
    full = [(line, after) for line, after in zip(lines, [*lines[1:], ""], strict=True)
            if width // 2 <= len(line) <= width and len(line) >= width - _MAX_WORD]
    # a wrap falls mid-sentence; paragraphs of similar length, one per line, all end a sentence
    mid_sentence = [after for line, after in full if _SENTENCE_END.search(line) is None]
    # ... and mid-sentence the next word is mostly lower-case; teasers cut at a fixed length ("... More
    # info ›") stop mid-sentence too, but the next line is a title
    lower = sum(map(_goes_on_in_lower_case, mid_sentence))
    wrapped = (len(full) >= _MIN_FULL_LINES and len(full) >= _FULL_SHARE * len(long_lines)
               and len(mid_sentence) >= _MID_SENTENCE_SHARE * len(full)
               and lower >= _LOWER_AFTER_SHARE * len(mid_sentence))
    return width if wrapped else None


def ragged_width(lines: Sequence[str]) -> int | None:
    """The ceiling of a text wrapped by hand or by a proportional layout, or None when it is not so wrapped.

    Its long lines mostly stop mid-sentence and the next line goes on in lower case, but unlike a
    greedy wrap many of those lines had room for the next word ("says Denis Danielevsky, pointing
    at" / "several smoking chimneys", 60 characters under a ceiling of 75).
    """
    width = _ceiling(lines)
    if width is None:
        return None
    pairs = list(zip(lines, lines[1:], strict=False))
    open_ended = [(line, after) for line, after in pairs if _is_ragged_long(line, width) and not _ends_sentence(line)]
    mid_sentence = [(line, after) for line, after in open_ended if after.lstrip()[:1].islower()]
    long_lines = sum(_is_ragged_long(line, width) for line in lines)
    roomy = sum(len(line) + 1 + len(after.split(maxsplit=1)[0]) <= width for line, after in mid_sentence)
    ragged = (len(mid_sentence) >= _MIN_FULL_LINES and len(open_ended) >= _MID_SENTENCE_SHARE * long_lines
              and len(mid_sentence) >= _MID_SENTENCE_SHARE * len(open_ended)
              and roomy >= _ROOMY_SHARE * len(mid_sentence))
    return width if ragged else None


def continued_lines(lines: Sequence[str], blank_after: Sequence[bool] = ()) -> list[bool]:
    """For each non-blank line (indentation kept: it takes up width), whether the next line continues its
    paragraph; `blank_after[i]` says a blank line separates line i from the next."""
    continued = _continued(lines)
    if blank_lines_end_paragraphs(blank_after):
        # ... except inside a sentence: a blank line after a line stopping mid-sentence, the next going on
        # in lower case (a text wrapped before blank lines were put between its lines)
        return [flag and (not blank or (not _ends_sentence(line) and _goes_on_in_lower_case(after)))
                for flag, blank, line, after in zip(continued, blank_after, lines, lines[1:], strict=False)] + [False]
    return continued


def blank_lines_end_paragraphs(blank_after: Sequence[bool]) -> bool:
    """Blank lines follow some lines and not most: they mark where paragraphs end."""
    return 0 < sum(blank_after) <= _MAX_BLANK_SHARE * len(blank_after)


def _continued(lines: Sequence[str]) -> list[bool]:
    pairs = list(zip(lines, lines[1:], strict=False))
    width = ragged_width(lines)
    if width is not None:
        # without a fixed width, only a line stopping mid-sentence says its paragraph goes on
        return [not _ends_sentence(line) and not _is_list_item(after)
                and (_is_ragged_long(line, width) or _goes_on_in_lower_case(after))
                for line, after in pairs] + [False]
    width = wrap_width(lines)
    if width is None:
        return [False] * len(lines)
    gap = _sentence_gap(lines)
    continued = [_wrapped(line, after, width, gap) for line, after in pairs] + [False]
    for i in range(len(lines) - 1):
        # a heading or a menu item under a full last line of a paragraph is not part of it
        if continued[i] and not continued[i + 1] and _is_heading_after(lines[i], lines[i + 1]):
            continued[i] = False
    return continued


def _ceiling(lines: Sequence[str]) -> int | None:
    """The length only a few multi-word lines exceed, when it is a plausible wrap width."""
    lengths = sorted((len(line) for line in lines if " " in line.strip()), reverse=True)
    if len(lengths) < _MIN_FULL_LINES:
        return None
    width = lengths[int(len(lengths) * _OVER_WIDTH_SHARE)]
    return width if _MIN_WIDTH <= width <= _MAX_WIDTH else None


def _is_long(line: str, width: int) -> bool:
    return width // 2 <= len(line) <= width


def _is_ragged_long(line: str, width: int) -> bool:
    """Long for a ragged wrap: no upper bound, since a hand wrap has no hard ceiling."""
    return width // 2 <= len(line)


def _goes_on_in_lower_case(after: str) -> bool:
    return after.lstrip(_OPENING)[:1].islower()


def _ends_sentence(line: str) -> bool:
    return _SENTENCE_END.search(line) is not None


def _is_list_item(line: str) -> bool:
    return _LIST_ITEM.match(line.lstrip()) is not None


def _wrapped(line: str, after: str, width: int, gap: int = 1) -> bool:
    """`after` starts with a word that would not have fit on `line` in a text wrapped at `width` (`gap`:
    the spaces the text puts after a sentence). A short line is wrapped only before a word too long to fit."""
    first_word = after.split(maxsplit=1)[0]
    spaces = gap if _ends_sentence(line) else 1
    return ((_is_long(line, width) or len(first_word) > _MAX_WORD)
            and width < len(line) + spaces + len(first_word) and not _is_list_item(after))


def _sentence_gap(lines: Sequence[str]) -> int:
    """2 when the text puts two spaces after a sentence (typewriter style), else 1."""
    text = "\n".join(lines)
    double = len(_DOUBLE_SPACED.findall(text))
    return 2 if double > len(_SINGLE_SPACED.findall(text)) else 1


def _is_heading_after(line: str, after: str) -> bool:
    return _ends_sentence(line) and not _ends_sentence(after)
