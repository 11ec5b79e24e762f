"""langdetect's answer, computed faster: the same algorithm, the same random draws, the same floats.

langdetect (a port of Cybozu's Java library) spends its time in two pure-Python loops: n-gram
extraction, which normalises every character through a chain of Unicode-block tests, and the
trials, which multiply a list of 55 language probabilities element by element for every n-gram
drawn. Here each character's normalisation is computed once and remembered, and the probabilities
are a numpy vector multiplied by the n-gram's row of a table built once from langdetect's own
profiles. The draws come from the detector's own seeded `random.Random` in the same order, every
product and quotient is the same IEEE operation on the same operands in the same order, and sums
are taken left to right as Python's `sum` does, so the probabilities are bit for bit langdetect's
(tests/test_language.py compares them on real pages in many languages).
"""

from __future__ import annotations

from functools import lru_cache

# langdetect keeps its factory in a module global: the profiles are loaded once per process
import langdetect.detector_factory as _factory_module
import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory, init_factory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.language import Language
from langdetect.utils.ngram import NGram

_N_GRAM = NGram.N_GRAM


def detect_langs(text: str) -> list[Language]:
    """What `langdetect.detect_langs(text)` returns, for a detector seeded by `DetectorFactory.seed`."""
    init_factory()
    factory: DetectorFactory = _factory_module._factory
    detector = factory.create()
    detector.append(text)
    return _probabilities(detector, _Profiles.of(factory))


class _Profiles:
    """langdetect's n-gram -> per-language probability lists as a row index and a float64 table."""

    def __init__(self, factory: DetectorFactory) -> None:
        words = list(factory.word_lang_prob_map)
        self.row = {word: i for i, word in enumerate(words)}
        self.table = np.array([factory.word_lang_prob_map[word] for word in words], dtype=np.float64)
        self._word_rows: dict[str, list[int]] = {}

    @staticmethod
    @lru_cache(maxsize=1)
    def of(factory: DetectorFactory) -> _Profiles:
        return _Profiles(factory)

    def ngram_rows(self, text: str) -> list[int]:
        """`Detector._extract_ngrams` as rows of the table. Its n-gram buffer starts afresh after every
        space, so the n-grams are those of each space-separated word of the normalised text (with the
        space after it, when there is one), and a word's are worked out once."""
        pieces = text.translate(_NORMALIZED).split(" ")
        rows: list[int] = []
        for piece in pieces[:-1]:
            if piece:
                rows.extend(self._rows_of(piece + " "))
        if pieces[-1]:
            rows.extend(self._rows_of(pieces[-1]))
        return rows

    def _rows_of(self, word: str) -> list[int]:
        if word not in self._word_rows:
            if len(self._word_rows) >= _MAX_CACHED_WORDS:
                self._word_rows.clear()
            self._word_rows[word] = _ngram_rows(word, self.row)
        return self._word_rows[word]


class _Normalized(dict[int, str]):
    """NGram.normalize as a str.translate table, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = NGram.normalize(chr(code))
        return self[code]


_NORMALIZED = _Normalized()
_MAX_CACHED_WORDS = 200_000


def _ngram_rows(word: str, row: dict[str, int]) -> list[int]:
    """NGram.add_char, and the n-grams `Detector._extract_ngrams` takes after each, from a fresh buffer
    over normalised characters."""
    rows: list[int] = []
    grams, capital_word = " ", False
    for ch in word:
        last = grams[-1]
        if last == " ":
            grams, capital_word = " ", False
            if ch == " ":
                continue
        elif len(grams) >= _N_GRAM:
            grams = grams[1:]
        grams += ch
        if not ch.isupper():
            capital_word = False
        elif last.isupper():
            capital_word = True
        if capital_word:
            continue
        for n in range(1, min(len(grams), _N_GRAM) + 1):
            gram = grams[-n:]
            if gram != " " and gram in row:
                rows.append(row[gram])
    return rows


def _probabilities(detector: Detector, profiles: _Profiles) -> list[Language]:
    """`Detector.get_probabilities` (its `_detect_block` trials) on numpy vectors."""
    detector.cleaning_text()
    rows = profiles.ngram_rows(detector.text)
    if not rows:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    languages = len(detector.langlist)
    langprob = [0.0] * languages
    draw = detector.random
    draw.seed(detector.seed)
    for _ in range(detector.n_trial):
        prob = (np.array(detector.prior_map, dtype=np.float64) if detector.prior_map is not None
                else np.full(languages, 1.0 / languages))
        alpha = detector.alpha + draw.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        weight = alpha / detector.BASE_FREQ
        i = 0
        while True:
            prob *= weight + profiles.table[draw.choice(rows)]
            if i % 5 == 0:
                prob /= sum(prob.tolist())  # left to right, as langdetect's sum(list)
                if prob.max() > detector.CONV_THRESHOLD or i >= detector.ITERATION_LIMIT:
                    break
            i += 1
        for j, p in enumerate(prob.tolist()):
            langprob[j] += p / detector.n_trial
    return detector._sort_probability(langprob)
