"""Sentences and words of the clean text, with their offsets, for the flags that score language.

Deliberately simple and deterministic (regular expressions, no model): a flag's evidence must be
reproducible from the record alone, and every offset here is a Python string index into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

# A sentence ends at . ! ? (plus closing quotes/brackets) before white space, or at a line break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)|\n+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")
# abbreviations whose final dot does not end a sentence
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "u.s", "u.k", "e.g", "i.e", "jr",
                            "sr", "gen", "gov", "sen", "rep", "inc", "corp", "co", "ltd", "jan", "feb", "mar",
                            "apr", "aug", "sep", "sept", "oct", "nov", "dec"})


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str

    @cached_property  # looked up in several word lists per sentence
    def lower(self) -> str:
        return lookup_form(self.text)


def lookup_form(word: str) -> str:
    """Lower case, straight apostrophe, possessive dropped: the form looked up in word lists."""
    form = word.lower().replace("’", "'")
    return form[:-2] if form.endswith("'s") else form


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """The sentences of `text` with offsets, stripped of surrounding white space; empty ones dropped."""
    found: list[Sentence] = []
    cursor = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and match.group() == "." and _is_abbreviation(text, match.start()):
            continue
        _append(found, text, cursor, match.end())
        cursor = match.end()
    _append(found, text, cursor, len(text))
    return found


# A single line break inside a sentence: the line before does not end one (no . ! ? … : ; before optional
# closing quotes) and the line after goes on in lower case or a digit ("... the council\nvoted on Monday").
_HARD_WRAP = re.compile(r"(?<=[^\s.!?…:;\"”’')\]])[ \t]*\n(?=[ \t]*[a-z0-9])")


def join_hard_wraps(text: str) -> str:
    """`text` with the hard wraps inside sentences turned into spaces, so a sentence split across lines reads
    whole; the length (and so every offset) is unchanged. Blank lines and lines that end a sentence stay."""
    return _HARD_WRAP.sub(lambda m: " " * len(m.group()), text)


def _is_abbreviation(text: str, dot: int) -> bool:
    head = text[max(0, dot - 5):dot].split()
    return bool(head) and (head[-1].lower() in _ABBREVIATIONS or (len(head[-1]) == 1 and head[-1].isupper()))


def _append(found: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right > left:
        found.append(Sentence(start + left, start + right, piece[left:right]))


def words(text: str, offset: int = 0) -> list[Word]:
    """The words of `text`; offsets shifted by `offset` (the position of `text` in the document)."""
    return [Word(start + offset, end + offset, form) for start, end, form in word_spans(text)]


_WORD_PIECES = re.compile(f"({_WORD.pattern})")


def word_pieces(text: str) -> list[str]:
    """`text` cut at its words: [gap, word, gap, word, ..., gap] (gaps may be empty), so that the words are
    `pieces[1::2]` and their offsets the running sums of the pieces' lengths. One regex call for a sentence,
    no object per word: for callers that look words up in bulk."""
    return _WORD_PIECES.split(text)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each word of `text`: `words` without building a Word per word, for callers
    that need objects for a few of them only."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


_QUOTED = re.compile(r"\"[^\"\n]{1,600}\"|“[^”\n]{1,600}”")
QUOTE_MARKS = ('"', "“")  # a text without one has no quoted passage


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of passages between double quotes (straight or curly), quotes included."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

