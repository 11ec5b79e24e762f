"""What a URL tells about where a document came from."""

from __future__ import annotations

from urllib.parse import urlsplit


def domain_of(url: str | None) -> str | None:
    """The host without a leading 'www.': the key sources are grouped and looked up by."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
