"""Every visible block of an HTML page on its own line: the page as a reader sees it, boilerplate included.

The fallback when the article extractor finds no main text (list pages, blog front pages, pages of
several short posts): rather than quarantining the page, the noise engine cleans its full text, as it
cleans any scraped text.

libxml2 stops building the tree at 256 levels of nesting and drops everything after that point. A page
nested deeper (hostile, or a broken generator that never closes a tag) is read instead with the
standard library's tokenizer, which builds no tree and so has no depth to run out of: no text is lost.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

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


class _Lines:
    """Visible text gathered block by block: `add` text, `close` a block, `text` at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, text: str) -> None:
        self.current.append(text)

    def close(self) -> None:
        line = _SPACE.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current.clear()

    def text(self) -> str:
        self.close()
        return "\n".join(self.lines)


def _parse(page: str) -> tuple[Any, bool]:
    """(the page's tree or None when it does not parse, whether the tree holds the whole page)."""
    try:
        # bytes: lxml refuses a str that carries an XML encoding declaration
        root = lxml_html.document_fromstring(page.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None, True
    # libxml2's resource limits (nesting depth above all) end the tree early: what follows is missing
    return root, not any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log)


def too_deep_for_a_tree(page: str) -> bool:
    """Whether an lxml tree of the page (trafilatura's too) would lack its end: nested past libxml2's limit."""
    return not _parse(page)[1]


def visible_text(page: str) -> str:
    """The page's visible text, one block per line; empty when it does not parse as HTML."""
    root, whole = _parse(page)
    if root is None:
        return ""
    if not whole:
        return _flat_visible_text(page)
    lines = _Lines()
    hidden = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        # comments and processing instructions have a function, not a name, as their tag
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in INVISIBLE:
                hidden += tag is not None
                continue
            if tag in BLOCKS:
                lines.close()
            if not hidden and element.text:
                lines.add(element.text)
            continue
        if tag in INVISIBLE:
            hidden -= 1
        elif tag in BLOCKS:
            lines.close()
        if not hidden and element.tail:
            lines.add(element.tail)
    return lines.text()


class _FlatReader(HTMLParser):
    """The same blocks and hidden elements as the tree walk, from the tag stream (no tree, no depth limit).

    Unlike the tree, a stray end tag cannot close what it does not match: an unbalanced invisible element
    stays hidden to the end of the page, as a browser would hide it.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Lines()
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INVISIBLE:
            self.hidden += 1
        elif tag in BLOCKS:
            self.out.close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:  # <br/>, <hr/>: no content to hide
            self.out.close()

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in BLOCKS:
            self.out.close()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.add(data)


def _flat_visible_text(page: str) -> str:
    reader = _FlatReader()
    reader.feed(page)
    reader.close()
    return reader.out.text()

