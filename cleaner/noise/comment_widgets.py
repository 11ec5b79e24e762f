"""Comment widgets left in the text: reply forms, log-in prompts, comment counters."""

from __future__ import annotations

import re

from cleaner.noise.registry import PatternLineRule, register


@register
class CommentWidget(PatternLineRule):
    """Lines of a comment form or thread chrome.

    Example: "You are commenting using your Google account. Log Out / Change )".
    """

    name = "comment_widget_v1"
    category = "comment_widget"
    description = "Comment form and thread chrome: 'Leave a Reply', log-in prompts, 'Connecting to %s'."
    max_words = 30
    pattern = re.compile(
        r"^(?:leave a (?:reply|comment)|post a comment|add (?:a|your) comment|\d+ (?:comments?|responses?|replies)$"
        r"|(?:no|one) (?:comments?|responses?)(?: yet)?$|comments? (?:are )?closed|cancel reply|join the discussion"
        r"|(?:view|show|hide|load|read) (?:all )?(?:\d+ )?comments|fill in your details below"
        r"|you are commenting using|connecting to %s|notify me of (?:new|follow-up)"
        r"|your email address will not be published|required fields are marked|log in to (?:leave|post|comment)"
        r"|(?:sign|log) in to comment|(?:twitter|facebook|google|wordpress\.com) (?:picture|photo|account)$"
        r"|sort by (?:newest|oldest|best|top)|be the first to comment|comment policy|report (?:this )?comment$"
        r"|this site uses akismet)",
        re.IGNORECASE,
    )
