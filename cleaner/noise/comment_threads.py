"""Reader comment threads kept as prose after the article.

A thread is recognised by its rhythm, not its words: short header lines (a name with a time stamp,
'N hours ago', 'X says:', a lone 'Reply') recurring every few lines, with the comments' prose between
them. Prose alone cannot tell a comment from the article; the headers can, once the article has ended.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.comment_widgets import CommentWidget
from cleaner.noise.registry import Line, Rule, TextView, register
from cleaner.noise.text import DATE, body_of

# a comment's header: when it was posted, who says, or the action links under it
_HEADER = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:[ap]m)?\b"
    r"|\b\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\b"
    r"|\b(?:says|said|wrote|writes)\W{0,2}$"
    r"|(?:\b[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\b\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]{2,8}\.? \d{4}"
    r"|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\W{0,3}$"
    r"|^(?:reply|report(?: abuse)?|like|permalink|quote|flag|link)\W{0,3}$|^(?:reply to this|flag as inappropriate)\b",
    re.IGNORECASE,
)
# every header holds one of these (on lower-cased text): a scan for them is far faster than _HEADER itself
_HEADER_HINT = re.compile(r"\d:\d|\d [a-z]+ ago|\d\d\W{0,3}$|says|said|wrote|writes"
                          r"|^(?:reply|report|like|permalink|quote|flag|link)", re.MULTILINE)
# the thread's own heading ("12 comments", "Comments", "Responses to ...") opens it above the first header
_HEADING = re.compile(r"^(?:\d+\s+)?(?:comments?|responses?|replies|reactions?|discussion|reader comments)\b",
                      re.IGNORECASE)
HEADER_MAX_SPACES = 12
# never a header: a table row (extractors render cells as "| a | b |": schedules, archives), a post's
# footer counting its comments ("Comments (7)"), which repeats under every post of a blog's front page,
# or the signature of a tweet embedded in the article ("— Jane Roe (@janeroe) March 3, 2019")
_NOT_HEADER = re.compile(r"^\||\bcomments? \(\d+\)|\(@\w{1,15}\)|pic\.twitter\.com/", re.IGNORECASE)
# a thread is at least this many headers, each at most this many lines after the previous one
MIN_HEADERS = 3
MAX_GAP = 12
# ... and it goes on while the next header is at most this many lines further (long comments, reply trees),
# unless that header is a bare date: the dated posts of a blog's front page follow one another the same way
THREAD_GAP = 20
# ... after at least this many words of prose with no header among them (the article)
MIN_ARTICLE_WORDS = 60
# lines of the last comment after its header: while they read as sentences, at most this many
LAST_COMMENT_LINES = 8
_WIDGET = CommentWidget()


def _is_header(line: Line) -> bool:
    return (line.spaces < HEADER_MAX_SPACES and _HEADER.search(line.stripped) is not None
            and _NOT_HEADER.search(line.stripped) is None)


@register
class CommentThread(Rule):
    """A run of reader comments after the article: the thread's heading, every header and comment.

    Example: after the last paragraph, "Jane Roe 07.09.12 at 08:11" / "Great piece, but ..." /
    "Sam 07.10.12 at 19:55" / "I disagree ..." / "Jane Roe 07.11.12 at 05:05" / "Fair point."
    """

    name = "comment_thread_v2"
    category = "comment_thread"
    description = f"From the first of >= {MIN_HEADERS} comment headers (time stamps, 'says:', 'Reply') recurring " \
                  f"within {MAX_GAP} lines, after >= {MIN_ARTICLE_WORDS} words of article prose, to the last comment."

    def find(self, view: TextView) -> Iterator[Span]:
        lines = view.content_lines()
        found = [line for line in view.candidate_lines(_HEADER_HINT, HEADER_MAX_SPACES, lower=True) if _is_header(line)]
        if len(found) < MIN_HEADERS:
            return
        body = body_of(view)
        headers = [body.position(line) for line in found]
        # prose words before each line: chains are tested against spans of the text
        prose = body.prose_before
        # an extractor's output has had its comments dropped: dated lines left there are the page's own
        # posts, so only the strict chain is a thread
        strict = view.is_extracted_article
        dated = [strict or DATE.match(line.stripped) is not None for line in found]
        thread = self._first_thread(prose, headers, dated, strict)
        if thread is None:
            return
        start, last = thread
        # the heading (or comment-form chrome) just above the first header belongs to the thread
        for i in range(start - 1, max(start - MAX_GAP, -1), -1):
            text = lines[i].stripped
            if lines[i].spaces < HEADER_MAX_SPACES and (_HEADING.match(text) or _WIDGET.match(lines[i], view)):
                start = i
        end = last
        while end + 1 < len(lines) and end - last < LAST_COMMENT_LINES and lines[end + 1].spaces >= 3:
            end += 1
        # comments follow the article: time-stamped lines with more prose after them than before
        # are the article's own head (posted / updated lines) or a live blog
        if prose[-1] - prose[end + 1] <= prose[start]:
            yield self.span(lines[start].start, lines[end].stop, 0.85)

    @staticmethod
    def _first_thread(prose: list[int], headers: list[int], dated: list[bool],
                      strict: bool) -> tuple[int, int] | None:
        """(first, last header) of the first chain of >= MIN_HEADERS headers that follows the article, continued
        through later headers within THREAD_GAP lines (`dated`: headers that end it). `strict`: the chain
        must start after the article."""
        chain_start = 0
        for k in range(1, len(headers) + 1):
            if k < len(headers) and headers[k] - headers[k - 1] <= MAX_GAP:
                continue
            # a header in the article's head (a byline's date) may chain with the comments: the thread
            # then starts at the first header with the article right above it, and needs more headers
            # after it, as a dated line or two under the article (an embed, a teaser) is no thread
            for first in range(chain_start, chain_start + 1 if strict else k - MIN_HEADERS + 1):
                before = headers[first - 1] if first else -1
                enough = k - first >= (MIN_HEADERS if first == chain_start else 2 * MIN_HEADERS)
                if enough and prose[headers[first]] - prose[before + 1] >= MIN_ARTICLE_WORDS:
                    last = k - 1
                    while (last + 1 < len(headers) and headers[last + 1] - headers[last] <= THREAD_GAP
                           and not dated[last + 1]):
                        last += 1
                    return headers[first], headers[last]
            chain_start = k
        return None
