"""Every visible block of an HTML page on its own line: the page as a reader sees it, boilerplate included.

The fallback when the article extractor finds no main text (list pages, blog front pages, pages of
several short posts): rather than quarantining the page, the noise engine cleans its full text, as it
cleans any scraped text.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# elements whose text is never shown (head holds the title, which the extractor's metadata already has)
INVISIBLE = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                       "canvas", "select", "button"})
# elements that start a new line of text
BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div",
                    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
                    "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "p", "pre", "section",
                    "summary", "table", "td", "th", "tr", "ul"})
_SPACE = re.compile(r"\s+")
# `metadata.text_from` of a document made from the whole page
VISIBLE_TEXT = "visible_text"
_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def visible_text(page: str) -> str:
    """The page's visible text, one block per line; empty when it does not parse as HTML."""
    try:
        # bytes: lxml refuses a str that carries an XML encoding declaration
        root = lxml_html.document_fromstring(page.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return ""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    hidden = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        # comments and processing instructions have a function, not a name, as their tag
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in INVISIBLE:
                hidden += tag is not None
                continue
            if tag in BLOCKS:
                flush()
            if not hidden and element.text:
                current.append(element.text)
            continue
        if tag in INVISIBLE:
            hidden -= 1
        elif tag in BLOCKS:
            flush()
        if not hidden and element.tail:
            current.append(element.tail)
    flush()
    return "\n".join(lines)

