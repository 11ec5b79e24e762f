"""Word lengths for scripts written without spaces between words (Chinese, Japanese).

Rules and the line classifier measure lines in words, counted as spaces + 1, so a Chinese or Japanese
paragraph of 200 characters read as one word: too short to be prose, and the article was dropped with
the menus (text-path F1 0.64 on the Chinese and Japanese pages of trafilatura's evaluation set). Here
such a run counts one word per `CHARS_PER_WORD` characters (words of Chinese and Japanese average
1.5-2 characters), and the ideographic full stop ends a sentence. Korean separates its words with spaces
and needs none of this. Text without these characters is measured exactly as before.
"""

from __future__ import annotations

import re

CHARS_PER_WORD = 2
# kana, CJK ideographs (unified, extension A, compatibility)
_CHARACTERS = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
UNSPACED = re.compile(_CHARACTERS)
UNSPACED_RUN = re.compile(_CHARACTERS + "+")
SENTENCE_ENDS = "。！？"


def word_gaps(text: str) -> int:
    """The gaps between the words of `text`: its spaces, plus one per CHARS_PER_WORD unspaced characters."""
    spaces = text.count(" ")
    if text.isascii():
        return spaces
    return spaces + len(UNSPACED.findall(text)) // CHARS_PER_WORD


def split_unspaced(token: str) -> list[str]:
    """A word-character token cut into pieces of CHARS_PER_WORD where it runs in an unspaced script."""
    if token.isascii() or UNSPACED.search(token) is None:
        return [token]
    pieces: list[str] = []
    cursor = 0
    for run in UNSPACED_RUN.finditer(token):
        if run.start() > cursor:
            pieces.append(token[cursor:run.start()])
        pieces.extend(run.group()[i:i + CHARS_PER_WORD] for i in range(0, len(run.group()), CHARS_PER_WORD))
        cursor = run.end()
    if cursor < len(token):
        pieces.append(token[cursor:])
    return pieces
