"""Community and social prompts: join our chat group, follow us, share buttons."""

from __future__ import annotations

import re

from cleaner.noise.registry import PatternLineRule, register

_PLATFORMS = r"(?:whats ?app|telegram|discord|slack|signal|facebook|linkedin|twitter|x|instagram|youtube|reddit)"


@register
class CommunityPrompt(PatternLineRule):
    """Invitations to join a community, group or channel, and their one-word widget labels.

    Example: "Join our Telegram channel for daily market alerts".
    """

    name = "community_prompt_v1"
    category = "community_cta"
    description = "Join-our-community prompts, chat-group labels, 'stay connected', special-offer teasers."
    keywords = re.compile(r"ways to|join|stay |become a|group|server|channel|community|offers|top stories")
    max_words = 16
    pattern = re.compile(
        rf"^(?:(?:\d+|two|three|four) ways to (?:join|connect|follow)|join (?:our|the) (?:\w+ )?(?:community|group"
        rf"|channel|server|network|conversation)|stay (?:connected|in touch|tuned)|become a (?:member|patron)"
        rf"|{_PLATFORMS} (?:group|server|channel|community)$)"
        rf"|\b(?:special|exclusive) offers\b|\btop stories, upcoming events\b",
        re.IGNORECASE,
    )


@register
class SocialPrompt(PatternLineRule):
    """Follow / share prompts and share-button labels.

    Example: "Follow @CityDesk on X" or a lone "Share on Facebook".
    """

    name = "social_prompt_v1"
    category = "social_cta"
    description = "Follow @handle, follow-us-on, share-this and share-button labels."
    max_words = 12
    pattern = re.compile(
        rf"^\[?(?:follow (?:@\w+|us|me|\w+ on)|share (?:this|on|via)|(?:share|tweet|e-?mail|print|{_PLATFORMS})$"
        rf"|like us on|find us on|connect with us)",
        re.IGNORECASE,
    )
