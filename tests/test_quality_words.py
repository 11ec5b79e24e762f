"""The shortcuts that make the quality signals fast give what the plain definitions give.

The word splitter stops at letters, matches spaCy's character classes in two parts and tries its infix
pattern only where an infix can start; the repetition family splits lines and paragraphs without regular
expressions. Each is checked here against the plain form, over every code point or every short string
where that is possible, and over the distinct chunks of real dev-set pages otherwise.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from cleaner.annotate.quality import words
from cleaner.annotate.quality.gopher_repetition import duplicates, lines_of, paragraphs_of
from tests.devsets import dev_pages

EVERY_CHARACTER = "".join(map(chr, range(0x110000)))
LETTERS = "".join(filter(str.isalpha, EVERY_CHARACTER))
# every class the splitter matches with `one_of`, as its patterns spell them
CLASSES = {
    "symbols": words._CLASSES["symbols"],
    "alpha": words._ALPHA,
    "alpha and digits": words._ALPHA + "0-9",
    "lower and quotes": words._LOWER + re.escape(words._QUOTES),
    "upper and quotes": words._UPPER + re.escape(words._QUOTES),
    "before a final period": f"0-9{words._LOWER}%²\\-+{re.escape(words._PUNCT + words._QUOTES)}",
    "infix start": re.escape(".…+-*^,–—~:<>=/") + words._CLASSES["symbols"],
}


@pytest.mark.parametrize("name", CLASSES)
def test_split_classes_match_the_characters_of_the_class(name: str) -> None:
    members = CLASSES[name]
    plain = [m.start() for m in re.finditer(f"[{members}]", EVERY_CHARACTER)]
    split = [m.start() for m in re.finditer(words.one_of(members), EVERY_CHARACTER)]
    assert len(plain) > 5000
    assert split == plain


def test_no_letter_takes_part_in_an_affix_or_an_infix() -> None:
    """What lets `chunk_words` stop at a run of letters: none is a prefix, suffix or symbol character, and
    no infix starts at one."""
    assert len(LETTERS) > 100_000
    assert not set(LETTERS) & (words._PREFIX_CHARS | words._SUFFIX_CHARS)
    assert not words._SYMBOL.search(LETTERS)
    assert not words._INFIX_START.search(LETTERS)
    assert not words._AFTER_DIGIT.search(LETTERS)


def test_every_infix_starts_at_an_infix_start() -> None:
    """`_split_infixes` tries the pattern only where `_INFIX_START` matches: every match of the pattern, in
    any context, begins with such a character (here: the first 12,288 code points, which hold every
    infix character but the symbols, themselves infix starts)."""
    contexts = ["a", "Z", "5", "'", ""]  # what the lookbehinds and lookaheads ask for, or nothing
    starts = set()
    for before, char, after in itertools.product(contexts, EVERY_CHARACTER[:0x3000], contexts):
        match = words._INFIX.match(before + char + after, len(before))
        if match:
            starts.add(char)
    assert {".", ",", "-", "/", "…"} <= starts
    assert all(words._INFIX_START.match(char) for char in starts)


@pytest.fixture(scope="module")
def dev_chunks() -> list[str]:
    """The distinct chunks of 300 dev pages' gold and noisy text that are not letters or digits alone."""
    pages = dev_pages("dragnet", 200) + dev_pages("cleaneval", 100)
    chunks = {chunk for page in pages for text in (page["gold_text"], page["noisy_text"]) if text
              for chunk in text.split()}
    odd = sorted(chunk for chunk in chunks if not (chunk.isalpha() or chunk.isdigit()))
    assert len(odd) > 20_000
    return odd


def finditer_infixes(chunk: str) -> list[str]:
    """The chunk split at every match of `_INFIX.finditer`, a match at its start not split off."""
    pieces, offset = [], 0
    for match in words._INFIX.finditer(chunk):
        if offset == 0 and match.start() == 0:
            continue
        pieces += [chunk[offset:match.start()]] if match.start() > offset else []
        pieces.append(match.group())
        offset = match.end()
    return pieces + ([chunk[offset:]] if offset < len(chunk) else [])


def test_infixes_split_as_the_whole_pattern_splits_them(dev_chunks: list[str]) -> None:
    assert [words._split_infixes(chunk) for chunk in dev_chunks] == list(map(finditer_infixes, dev_chunks))


def test_tokens_spell_their_chunk(dev_chunks: list[str]) -> None:
    """What lets `chunk_words` skip the special-case merge for two tokens, and the words be counted in
    characters from the chunks."""
    specials = [orth for orth in words.EXCEPTIONS if "".join(words.EXCEPTIONS[orth]) != orth]
    assert specials == []
    assert [chunk for chunk in dev_chunks if "".join(words.chunk_words(chunk)) != chunk] == []


def test_a_final_character_after_letters_splits_as_its_last_three_characters_say(dev_chunks: list[str]) -> None:
    """What lets `chunk_words` measure the suffix of a word and one character on its tail: every code point
    after a word, a period after every run of lower-case, capital and uncased letters up to five long, and
    the dev-set chunks of that form."""
    runs = ["".join(letters) for size in range(2, 6) for letters in itertools.product("aA\u05d0", repeat=size)]
    chunks = ["Word" + char for char in EVERY_CHARACTER] + [letters + "." for letters in runs]
    chunks += [chunk for chunk in dev_chunks if chunk[:-1].isalpha()]
    assert [words._suffix_length(chunk[-3:]) for chunk in chunks] == list(map(words._suffix_length, chunks))


def test_text_words_are_the_chunk_words_in_order() -> None:
    text = "Don't stop (now), the well-known U.S. firm said: 10km... \"Really?\" ok"
    expected = [word for chunk in text.split() for word in words.chunk_words(chunk)]
    assert words.text_words(text) == expected
    assert expected[:6] == ["Do", "n't", "stop", "(", "now", ")"]


def short_strings(alphabet: str, longest: int) -> list[str]:
    return ["".join(chars) for size in range(longest + 1) for chars in itertools.product(alphabet, repeat=size)]


def test_paragraphs_and_lines_split_as_the_regular_expressions_do() -> None:
    texts = short_strings("a\n ", 9) + [page["noisy_text"] for page in dev_pages("dragnet", 50)]
    assert [paragraphs_of(text) for text in texts] == [re.split(r"\n{2,}", text.strip()) for text in texts]
    assert [lines_of(text.split("\n")) for text in texts] == [re.split("\n+", text) for text in texts]


def test_duplicates_count_every_copy_after_the_first() -> None:
    for items in (["a", "bb", "a", "", "", "bb", "a"], [], ["x"], short_strings("ab", 3)):
        counts = Counter(items)
        expected = (sum(n - 1 for n in counts.values()), sum(len(item) * (n - 1) for item, n in counts.items()))
        assert duplicates(items) == expected
