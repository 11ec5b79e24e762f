"""The one text normalisation every input gets before cleaning: all span offsets refer to its output."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_TRAILING_BLANKS = " \t\u00a0"
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, Unix line breaks, no control or zero-width characters, no trailing blanks.

    Paragraph structure survives: single breaks stay single, runs of blank lines become one blank
    line, so rules can still see a paragraph broken by an empty line.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # per-line rstrip: a '[ \t\u00a0]+$' pattern is tried (and fails) at every space of the text
    text = "\n".join([line.rstrip(_TRAILING_BLANKS) for line in text.split("\n")])
    if "\n\n\n" in text:  # a literal search spares most texts the slower regex scan
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n ") + "\n" if text.strip() else ""
