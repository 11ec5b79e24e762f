"""Navigation, cookie-consent and page-chrome residue."""

from __future__ import annotations

import re

from cleaner.noise.registry import PatternLineRule, register


@register
class CookieConsent(PatternLineRule):
    """Cookie banners and consent prompts.

    Example: "We use cookies to improve your experience. By continuing you accept our use of cookies."
    """

    name = "cookie_consent_v1"
    category = "cookie_consent"
    description = "Cookie / consent banner text."
    keywords = re.compile(r"cookie|consent")
    max_words = 60
    pattern = re.compile(
        r"\b(?:we use cookies|this (?:web)?site uses cookies|use of cookies|accept (?:all )?cookies|cookie (?:policy"
        r"|settings|preferences)|manage (?:your )?consent)\b",
        re.IGNORECASE,
    )


@register
class NavigationLabel(PatternLineRule):
    """Lone labels of menus, pagers and page chrome.

    Example: "Skip to main content", "Back to top", "Previous article".
    """

    name = "navigation_label_v1"
    category = "navigation"
    description = "Menu / pager / chrome labels standing alone on a line."
    max_words = 6
    pattern = re.compile(
        r"^(?:skip to (?:main )?content|skip navigation|back to top|main menu|toggle navigation|menu|search"
        r"|home|close|next|previous|(?:next|previous|prev) (?:article|post|story|page)|read more|continue reading"
        r"|advertisement|sponsored(?: content)?|privacy policy|terms (?:of (?:use|service)|and conditions)"
        r"|contact us|about us|log ?in|sign ?in|log ?out|register|all rights reserved\.?)\W*$",
        re.IGNORECASE,
    )
