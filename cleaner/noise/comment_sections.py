"""Reader comments announced by the section's own heading or form, with or without per-comment headers.

Many threads have no recurring header `comment_thread_v2` could see (the name sits in a link or an
image): the comments read as prose and only the line opening the section ('38 comments',
'12 Responses to “Title”', 'Leave a Reply') tells them from the article. A page can announce its
comment count in the head too, so the section opens at the first opener with the article between it
and the previous one; what follows is the thread or the form, then the page footer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleaner.document import Span
from cleaner.noise.comment_threads import MIN_ARTICLE_WORDS
from cleaner.noise.registry import Rule, TextView, register
from cleaner.noise.text import body_of

# a count of comments alone or on the article's quoted title; a counted heading; the comment form and
# the blog engines' sentences around it (feed, moderation, captcha).
# A bare 'Comments' is left out: it is just as often a menu link above the article.
_OPENER = re.compile(
    r"^\{?\s*(?:\d+|no|one)\s+(?:\w+\s+)?(?:comments?|responses?|replies|thoughts|reactions?)"
    r"(?:\s*(?:on|to)\s*[“\"'‘«].*|\s*[^\w\s].*)?$"
    r"|^(?:reader |user )?(?:comments?|responses?|discussion|conversation)\s*\(\d+\):?$"
    r"|^(?:leave|post|add|write|submit) (?:a|your) (?:reply|comment|response)\b"
    r"|^join the (?:discussion|conversation)\b"
    r"|^you can follow (?:this conversation|any responses to this entry)|^all comments are moderated"
    r"|^(?:the letters and numbers you entered|as a final step before posting your comment|your comment has been saved)"
    r"|^by (?:clicking and )?submitting a comment",
    re.IGNORECASE)
_COUNT = re.compile(r"^\{?\s*(?:\d+|no|one)\s+(?:comments?|responses?|replies|thoughts|reactions?)\W*$", re.IGNORECASE)
# every opener holds one of these (on lower-cased text)
_OPENER_HINT = re.compile(r"comment|repl|respons|thought|reaction|discussion|conversation|letters and numbers")
OPENER_MAX_SPACES = 32


@register
class CommentSection(Rule):
    """The comment section after the article, from its opening line to the end of the text.

    Example: after the last paragraph, "{ 53 comments… read them below or add one }" followed by the
    readers' paragraphs, then the page footer.
    """

    name = "comment_section_v1"
    category = "comment_thread"
    description = f"From the first comment-section opener ('N comments', 'N Responses to “…”', 'Leave a Reply') " \
                  f"with >= {MIN_ARTICLE_WORDS} words of prose since the previous one, to the end of the text."

    def find(self, view: TextView) -> Iterator[Span]:
        openers = [line for line in view.candidate_lines(_OPENER_HINT, OPENER_MAX_SPACES, lower=True)
                   if line.spaces < OPENER_MAX_SPACES and _OPENER.match(line.stripped)]
        if not openers:
            return
        # prose words since the previous opener: a count under the headline has none above it
        body = body_of(view)
        previous = -1
        for opener in openers:
            # a bare count with most of the text's prose below it is a widget of the article's head ("11
            # Comments" under the standfirst), however much teaser prose sits above it
            position = body.position(opener)
            if _COUNT.match(opener.stripped) and 2 * body.prose_words(0, position) < body.prose_words(position + 1):
                previous = position
                continue
            if body.prose_words(previous + 1, body.position(opener)) >= MIN_ARTICLE_WORDS:
                yield self.span(opener.start, len(view.raw), 0.85)
                return
            previous = body.position(opener)
