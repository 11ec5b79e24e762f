"""A cheap first look before an expensive regular expression: the literal strings every match must contain.

A notice pattern is tried at every line and sentence start of a document, in its clean text and in each
of the hundred-odd stretches the noise rules removed, and most of them hold none of its words. Read from
the pattern itself (its parse tree), a set of literals one of which every match contains turns into a
quick test (`screen`); where it finds none, the pattern cannot match, so it need not run. The literals
keep the case rule of the place they stand in (`(?i:...)` or not); a case-insensitive one is looked for
in the text folded the way the regex engine folds it, so the screen finds a literal wherever the pattern
would. A pattern that promises no literal (any match could be made of character classes) gets no screen.

Example: `republished`'s notice needs "creative" (any case), "CC", "originally", "first", "published",
"reprinted", "syndicated" or "reproduced"; a removed "Share on Facebook" line holds none of them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

try:
    from re import _parser as _sre
except ImportError:  # Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]

Literal = tuple[str, bool]  # (text, case-insensitive)
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
_GROUPS = {_sre.SUBPATTERN, getattr(_sre, "ATOMIC_GROUP", _sre.SUBPATTERN)}


def required_literals(pattern: re.Pattern[str]) -> frozenset[Literal] | None:
    """Literals one of which every match of `pattern` contains, or None when the pattern promises none."""
    parsed = _sre.parse(pattern.pattern, pattern.flags)
    return _required(parsed, bool(parsed.state.flags & re.IGNORECASE))


# what the regex engine's case-insensitive match takes for an ASCII letter besides its own two cases (every code
# point checked): "İ" (the one character whose `str.lower` is two) and "ı" for i, "ſ" for s
_ODD_CASES = (("İ", "i"), ("ı", "i"), ("ſ", "s"))


def fold(text: str) -> str:
    """`text` in lower case, with the odd cases of ASCII letters made those letters; as long as `text`, so its
    offsets are the text's."""
    for odd, letter in _ODD_CASES:
        if odd in text:
            text = text.replace(odd, letter)
    return text.lower()


class Screen:
    """False only for a text that holds none of a pattern's required literals. A case-insensitive literal of ASCII
    letters and digits is looked for in the folded text (a substring test, much cheaper than a regex
    alternation), a case-sensitive one in the text, any other by a regex search."""

    def __init__(self, literals: frozenset[Literal], flags: int) -> None:
        folded = {text.lower() for text, ignore_case in literals
                  if ignore_case and text.isascii() and text.isalnum() and not flags & re.ASCII}
        self.folded = sorted(folded)
        self.exact = sorted(text for text, ignore_case in literals if not ignore_case)
        others = sorted(text for text, ignore_case in literals if ignore_case and text.lower() not in folded)
        self.others = re.compile("|".join(f"(?i:{re.escape(text)})" for text in others),
                                 flags & re.ASCII) if others else None

    def __call__(self, text: str) -> bool:
        return (any(literal in text for literal in self.exact)
                or bool(self.folded) and any(literal in fold(text) for literal in self.folded)
                or self.others is not None and self.others.search(text) is not None)

    def within(self, text: str, stretches: list[tuple[int, int]]) -> np.ndarray:
        """For each (start, end) of `text`, whether text[start:end] passes: a literal's occurrences in the whole
        text are found once, then matched to the stretches that hold one whole."""
        starts, ends = np.array([s for s, _ in stretches], np.int64), np.array([e for _, e in stretches], np.int64)
        passes = np.zeros(len(stretches), bool)
        folded = fold(text) if self.folded else ""
        for literal, where in [*((literal, text) for literal in self.exact),
                               *((literal, folded) for literal in self.folded)]:
            found = _occurrences(where, literal)
            if len(found):
                first = np.minimum(np.searchsorted(found, starts), len(found) - 1)  # the first at or after start
                passes |= (found[first] >= starts) & (found[first] + len(literal) <= ends)
        if self.others is not None:
            passes |= [self.others.search(text, s, e) is not None for s, e in stretches]
        return passes


def _occurrences(text: str, literal: str) -> np.ndarray:
    """Where `literal` starts in `text`, overlapping occurrences included."""
    found = []
    at = text.find(literal)
    while at >= 0:
        found.append(at)
        at = text.find(literal, at + 1)
    return np.array(found, np.int64)


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when `text` lacks every literal a match of `pattern` needs."""
    first_look = screen(pattern)
    return first_look is None or first_look(text)


@lru_cache(maxsize=256)
def screen(pattern: re.Pattern[str]) -> Screen | None:
    """A test that is True for every text `pattern` finds something in (None: the pattern promises no literal)."""
    literals = required_literals(pattern)
    return None if literals is None else Screen(literals, pattern.flags)


def _required(items: _sre.SubPattern, ignore_case: bool) -> frozenset[Literal] | None:
    """One of these literals is in every match of the sequence `items`: of the items' own literal sets (a run of
    literal characters, a group's, a branch's union, a repeat's of at least once), the most selective."""
    best: frozenset[Literal] | None = None
    run: list[str] = []
    for op, argument in items:
        if op is _sre.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            best = _better(best, frozenset({("".join(run), ignore_case)}))
            run = []
        child: frozenset[Literal] | None = None
        if op in _GROUPS:
            if op is _sre.SUBPATTERN:
                _, added, removed, inner = argument
                child = _required(inner, (ignore_case or bool(added & re.IGNORECASE))
                                  and not removed & re.IGNORECASE)
            else:
                child = _required(argument, ignore_case)
        elif op is _sre.BRANCH:
            branches = [_required(branch, ignore_case) for branch in argument[1]]
            if all(branch is not None for branch in branches):
                child = frozenset().union(*branches)
        elif op in _REPEATS and argument[0] >= 1:
            child = _required(argument[2], ignore_case)
        best = _better(best, child)
    if run:
        best = _better(best, frozenset({("".join(run), ignore_case)}))
    return best


def _better(a: frozenset[Literal] | None, b: frozenset[Literal] | None) -> frozenset[Literal] | None:
    """The more selective of two literal sets: the longer shortest literal, then the fewer literals."""
    if a is None or b is None:
        return a if b is None else b
    rank = lambda s: (min(len(text) for text, _ in s), -len(s))  # noqa: E731
    return a if rank(a) >= rank(b) else b
