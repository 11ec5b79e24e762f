"""Noise rules: one module per family, all registered in `cleaner.noise.registry.RULES`.

Importing this package imports every rule module, so the registry is complete.
"""

from cleaner.noise import (  # noqa: F401
    author_bios,
    classifier,
    comment_sections,
    comment_threads,
    comment_widgets,
    community_prompts,
    datelines,
    duplicate_titles,
    event_ads,
    funding_notes,
    image_credits,
    license_notices,
    link_markup,
    navigation,
    newsletter_prompts,
    paragraph_joins,
    related_links,
    repeated_lines,
    tag_lists,
    teaser_rails,
    trailing_excerpts,
    translation_credits,
    url_lines,
)
from cleaner.noise.registry import RULES, LineRule, Rule, TextView, register

__all__ = ["RULES", "LineRule", "Rule", "TextView", "register"]
