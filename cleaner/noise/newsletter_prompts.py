"""Newsletter, subscription and sign-up prompts."""

from __future__ import annotations

import re

from cleaner.noise.registry import PatternLineRule, register


@register
class NewsletterPrompt(PatternLineRule):
    """Short calls to subscribe or sign up for e-mail updates.

    Example: "Get our free morning briefing delivered to your inbox - sign up now".
    """

    name = "newsletter_prompt_v1"
    category = "newsletter_cta"
    description = "Subscribe / sign-up / newsletter prompts in short lines."
    keywords = re.compile(r"sign up|subscribe|register now|get the latest|join our|enter your e|t miss|never miss"
                          r"|newsletter|inbox")
    max_words = 20
    pattern = re.compile(
        r"^(?:sign up|subscribe|register now|get the latest (?:news|updates|stories|headlines)"
        r"|join our (?:mailing list|newsletter)|enter your e-?mail|don'?t miss (?:out|a)|never miss)"
        # elsewhere in the line only when the line is short (<= 8 words): prose may mention newsletters
        r"|^(?=(?:\S+\s+){0,7}\S+$).*(?:\bnewsletters?\b|\b(?:delivered|straight|direct) to your inbox\b"
        r"|\bsubscribe (?:now|today|here|to)\b|\bsign up (?:now|today|here|for)\b|\bunsubscribe\b)",
        re.IGNORECASE,
    )
