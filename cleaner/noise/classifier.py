"""The learned line classifier: the long tail of boilerplate no explicit rule names.

Stages of a binned logistic model (a generalised additive model: every feature is cut into
quantile bins, each bin has one weight). Stage 1 scores each line from its own features and its
place in the document; each later stage adds the previous stage's scores of its neighbours, so a
short line between two confident body paragraphs stays and a long line inside a comment thread goes
(jusText's smoothing, learned). Weights are plain JSON numbers in `cleaner/noise/data/line_classifier.json`, reproduced
by `python -m cleaner.noise.train` (see MODEL_CARD.md for the data and their licences).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from itertools import chain, compress, repeat
from typing import Any

import numpy as np

from cleaner.document import LEARNED_CATEGORY, Span
from cleaner.noise.registry import Line, Rule, TextView, register
from cleaner.noise.teaser_rails import GLUE_CANDIDATE, glued_headline
from cleaner.noise.text import STOPWORDS
from cleaner.noise.unspaced import SENTENCE_ENDS, UNSPACED, split_unspaced

# comment threads: headings, 'X says:', reply links, timestamps; they mark the end of the article body
# (patterns matched over the whole document must not match a line break: `_counts` splits on them)
_COMMENT_MARK = re.compile(
    r"\b(?:comments?|repl(?:y|ies)|responses?|says|said|wrote|writes|pingback|trackback|permalink|reply)\b *:?$"
    r"|^(?:\d+ +)?(?:comments?|responses?|replies|reactions?)\b|\b\d{1,2}:\d{2} *(?:am|pm)\b"
    r"|\b(?:leave a (?:reply|comment)|log in to reply|report abuse)\b", re.MULTILINE)  # on lower-cased text
COMMENT_MARK_MAX_CHARS = 120
# every match of _COMMENT_MARK holds one of these; the cheap scan spares most lines the slow pattern
_COMMENT_HINT = re.compile(r"comment|repl|respons|says|said|wrote|writes|pingback|trackback|permalink|reaction"
                           r"|\d:\d\d|leave a|log in|report abuse")  # on lower-cased text
# the headline is within this many lines above the article's prose (bylines, dates, share buttons between)
TITLE_LINES = 12
_PERSONAL = frozenset("i i'm im my me you your you're lol".split())
# both word lists in one lookup per word (bit 1: stop word, bit 2: personal word)
_WORD_KINDS = {word: 1 for word in STOPWORDS} | {word: 2 | (word in STOPWORDS) for word in _PERSONAL}
LINE_FEATURES = (
    "log_chars", "log_words", "mean_word_len", "stopword_share", "terminal_punct", "sentences_per_word",
    "comma_share", "capitalised_share", "all_caps", "digit_share", "symbol_share", "link_residue", "bullet",
    "ends_colon", "starts_lower", "personal_share", "position", "char_position", "body_overlap", "before_core",
    "after_core", "distance_to_core", "window2_words", "window5_words", "prev_words", "next_words",
    "comment_marks_above", "comment_marks_near", "in_main_run", "distance_to_main_run", "repeats_in_doc",
    "run_overlap_above", "comment_marks_after_run", "list_block_lines", "list_block_enclosed", "list_block_intro",
    "parallel_neighbours",
)
MISSING = -1.0
PROSE_MIN_WORDS = 10
CONTEXT_FEATURES = ("p_self", "p_prev", "p_next", "p_window2", "p_window5", "p_words3", "p_words10", "p_doc",
                    "p_doc_max", "p_list_enclosure", "p_list_mean")


_MARK = "\x01"
# per-character classes of the line features, counted in numpy over the code points of the whole
# document: a regex pass with one Python object per match was the classifier's main cost
_SENTENCE_MARKS = tuple(map(ord, ".!?"))  # ... followed by a space or the end of the line
_IDEOGRAPHIC_ENDS = tuple(map(ord, SENTENCE_ENDS))
_LINE_END_MARKS = ".!?\"”’" + SENTENCE_ENDS + "」』"
_SYMBOLS = tuple(map(ord, "|»«•·►▶→©®™/\\>"))
_BULLET_MARKS = tuple(map(ord, "-*•·>"))  # ... followed by a space; or '1.' / '2)'
_NUMBERED = re.compile(r"\d+[.)] ")
_LINK = re.compile(r"https?://|www\.|\]\(|@\w")
_LINK_HINTS = ("://", "www.", "](", "@")  # a line without any of these cannot match _LINK
_NEWLINE, _SPACE, _UNDERSCORE, _BMP = 10, 32, 95, 0x10000
# pieces of one paragraph are judged apart only when the classifier is this sure of both decisions
_SURE_MARGIN = 0.1
_SENTENCE_STOP = re.compile(r"[.!?][\"'”’)]*$")
_SENTENCE_START = re.compile(r"[\"'“‘(]*[A-Z0-9À-Þ]")


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    r"""Whether each BMP code point is a regex word character (\w: alphanumeric or '_'); last entry: astral."""
    return np.array([chr(c).isalnum() or c == _UNDERSCORE for c in range(_BMP)] + [False])


def _is_word(cp: np.ndarray) -> np.ndarray:
    found = _word_table()[np.minimum(cp, _BMP)]
    astral = np.flatnonzero(cp >= _BMP)
    if len(astral):
        found[astral] = [chr(c).isalnum() for c in cp[astral].tolist()]
    return found


def _any_of(cp: np.ndarray, codes: Sequence[int]) -> np.ndarray:
    found = cp == codes[0]
    for code in codes[1:]:
        found |= cp == code
    return found


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _char_counts(lines: Sequence[str], joined: str) -> list[np.ndarray]:
    """Per line: sentence ends, capitalised words (an upper-case letter after a non-word character),
    digits, symbols, and whether the line is a bullet item."""
    cp = _code_points(joined)
    line_of = np.cumsum(cp == _NEWLINE)
    after = np.append(cp[1:], _NEWLINE)
    # an ideographic full stop ends a sentence without a space after it
    sentence = _any_of(cp, _SENTENCE_MARKS) & ((after == _SPACE) | (after == _NEWLINE)) | _any_of(cp, _IDEOGRAPHIC_ENDS)
    # [A-ZÀ-ÖØ-Þ]; the unsigned subtraction wraps code points below a range's start to large numbers
    upper = np.flatnonzero(((cp - 65) <= 25) | ((cp - 0xC0) <= 0x1E) & (cp != 0xD7))
    capitalised = upper[~(_is_word(cp[np.maximum(upper - 1, 0)]) & (upper > 0))]
    starts = np.concatenate([[0], np.flatnonzero(cp == _NEWLINE) + 1])
    bullet = _any_of(cp[starts], _BULLET_MARKS) & (after[starts] == _SPACE)
    for i in np.flatnonzero((cp[starts] - 48) <= 9).tolist():
        bullet[i] = _NUMBERED.match(lines[i]) is not None
    n = len(lines)
    return [np.bincount(line_of[sentence], minlength=n), np.bincount(line_of[capitalised], minlength=n),
            np.bincount(line_of[(cp - 48) <= 9], minlength=n),
            np.bincount(line_of[_any_of(cp, _SYMBOLS)], minlength=n), bullet]


def _tokens(joined: str) -> list[list[str]]:
    r"""The lower-cased words (\w+ runs) of each line of `joined`."""
    cp = _code_points(joined.lower())
    spaced = np.where(_is_word(cp) | (cp == _NEWLINE), cp, _SPACE).astype(np.uint32)
    text = spaced.tobytes().decode("utf-32-le")
    # one scan of the document, not a test per token: most non-ASCII text (accents) has no unspaced script
    if text.isascii() or UNSPACED.search(text) is None:
        return [piece.split() for piece in text.split("\n")]
    return [[word for token in piece.split() for word in split_unspaced(token)] for piece in text.split("\n")]


def _counts(pattern: re.Pattern[str], joined: str) -> np.ndarray:
    """Matches of `pattern` per line of `joined`, found in one regex pass over the whole document."""
    return np.array([piece.count(_MARK) for piece in pattern.sub(_MARK, joined).split("\n")], dtype=float)


def _link_residue(lines: Sequence[str], joined: str) -> np.ndarray:
    """Whether each line matches `_LINK`, tried only on the few lines holding a hint (found by literal
    scans of the whole document: a Python test per line cost more than the regex on the hinted ones)."""
    found = np.zeros(len(lines), dtype=bool)
    hits = [position for hint in _LINK_HINTS for position in _find_all(joined, hint)]
    if hits:
        starts = np.cumsum([0] + [len(line) + 1 for line in lines[:-1]])
        for i in np.unique(np.searchsorted(starts, hits, "right") - 1).tolist():
            found[i] = _LINK.search(lines[i]) is not None
    return found


def _find_all(text: str, literal: str) -> Iterator[int]:
    """Every offset where `literal` starts in `text`."""
    position = text.find(literal)
    while position >= 0:
        yield position
        position = text.find(literal, position + 1)


def _per_line(flags: np.ndarray, line_of: np.ndarray, n: int) -> np.ndarray:
    """How many of the flagged words (a mask or indices) each of the `n` lines holds (`line_of`: each word's line)."""
    return np.bincount(line_of[flags], minlength=n)


def _line_stats(lines: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The 16 per-line features (LINE_FEATURES[:16]), then for the document's words in order: each
    word's line, whether it is a content word, and the words themselves.

    Work is done per document (numpy over all code points, one lower-casing, word-list lookups in one
    pass over all words) rather than per line, because the per-call overhead, not the matching,
    dominates on pages of hundreds of short lines.
    """
    joined = "\n".join(lines)
    tokens = _tokens(joined)
    sentences, capitalised, digits, symbols, bullet = _char_counts(lines, joined)
    n = len(lines)
    chars = np.array([len(line) for line in lines], dtype=float)
    counts = np.fromiter(map(len, tokens), dtype=np.int64, count=n)
    words = counts.astype(float)
    flat = list(chain.from_iterable(tokens))
    line_of = np.repeat(np.arange(n), counts)
    # content words: judged once per distinct word, then looked up in C
    keep = {w for w in set(flat) if len(w) > 3}.difference(STOPWORDS)
    content = np.fromiter(map(keep.__contains__, flat), dtype=bool, count=len(flat))
    kinds = np.fromiter(map(_WORD_KINDS.get, flat, repeat(0)), dtype=np.uint8, count=len(flat))
    per_word = np.maximum(words, 1.0)
    per_char = np.maximum(chars, 1.0)
    stats = np.column_stack([
        np.log1p(chars),
        np.log1p(words),
        (chars - np.array([line.count(" ") for line in lines])) / per_word,
        _per_line((kinds & 1) > 0, line_of, n) / per_word,
        [line[-1] in _LINE_END_MARKS for line in lines],
        sentences / per_word,
        np.array([line.count(",") for line in lines]) / per_word,
        capitalised / per_word,
        [line.isupper() for line in lines],
        digits / per_char,
        symbols / per_char,
        _link_residue(lines, joined),
        bullet,
        [line[-1] == ":" for line in lines],
        [line[0].islower() for line in lines],
        _per_line((kinds & 2) > 0, line_of, n) / per_word,
    ]).astype(float)
    return stats, line_of, content, flat


def _window_sum(values: np.ndarray, half: int) -> np.ndarray:
    """Sum of each value and its `half` neighbours on either side (fewer at the edges)."""
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(len(values))
    return cumulative[np.minimum(index + half + 1, len(values))] - cumulative[np.maximum(index - half, 0)]


def _main_run(words: np.ndarray, prose: np.ndarray) -> tuple[int, int]:
    """The contiguous run of lines with the largest prose surplus (maximum-sum subarray)."""
    gains = np.where(prose, np.log1p(words), -1.0)
    best, best_span, total, start = 0.0, (0, -1), 0.0, 0
    for i, gain in enumerate(gains.tolist()):
        if total <= 0:
            total, start = 0.0, i
        total += gain
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def _is_prose(terminal_punct: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Lines that read as a paragraph of prose: ten words or more and a sentence end."""
    return (terminal_punct > 0) & (words >= PROSE_MIN_WORDS)


def _blocks(prose: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line, the first and the last index of the maximal run of non-prose lines holding it
    (a prose line is a run of its own)."""
    n = len(prose)
    index = np.arange(n)
    breaks = prose | np.concatenate([[True], prose[:-1]])  # a prose line, or the line after one, starts a run
    first = np.maximum.accumulate(np.where(breaks, index, 0))
    ends = prose | np.concatenate([prose[1:], [True]])  # a prose line, or the line before one, ends a run
    last = np.minimum.accumulate(np.where(ends, index, n - 1)[::-1])[::-1]
    return first, last


def _list_features(lines: Sequence[str], stats: np.ndarray, words: np.ndarray, prose: np.ndarray) -> np.ndarray:
    """Features of runs of short lines (lists, tracklists, changelogs, recipes' ingredients, but also menus).

    A list inside the article sits between prose paragraphs and is often introduced by a line ending
    in a colon; a menu or a footer has prose on one side at most. Columns: the run's length (log),
    the words of the prose line on its thinner side (log; MISSING for prose), whether a line ending
    in ':' opens it (the line itself or one above it in the run), and
    how many of the 4 nearest lines have this line's shape (bullet, first character, length).
    """
    n = len(lines)
    first, last = _blocks(prose)
    before = np.where(first > 0, words[np.maximum(first - 1, 0)], 0.0)
    after = np.where(last < n - 1, words[np.minimum(last + 1, n - 1)], 0.0)
    enclosed = np.where(prose, MISSING, np.log1p(np.minimum(before, after)))
    colon = np.array([line[-1] == ":" for line in lines])
    colons_so_far = np.cumsum(colon)
    # colon lines from the run's first line down to this one (a prose line never ends in ':')
    opened = colons_so_far - np.where(first > 0, colons_so_far[np.maximum(first - 1, 0)], 0) > 0
    shape = (stats[:, LINE_FEATURES.index("bullet")] * 4
             + np.array([2 if line[0].isdigit() else 1 if line[0].isupper() else 0 for line in lines])
             + 8 * np.minimum(np.log2(np.maximum(words, 1)).astype(int), 5))
    padded = np.concatenate([[-1, -1], shape, [-1, -1]])
    parallel = sum((padded[2 + k:2 + k + n] == shape).astype(float) for k in (-2, -1, 1, 2))
    return np.column_stack([np.log1p(last - first + 1), enclosed, opened, parallel])


def line_features(lines: Sequence[str]) -> np.ndarray:
    """Stage-1 features of the non-blank lines of one document, one row per line (LINE_FEATURES order)."""
    n = len(lines)
    stats, line_of, content, flat = _line_stats(lines)
    log_words = stats[:, 1]
    words = np.expm1(log_words)
    # the core spans the long lines; 'long' is relative so a short, already clean text still has one
    is_long = words >= min(20.0, 0.6 * words.max())
    long_lines = np.flatnonzero(is_long)
    core_start, core_end = (long_lines[0], long_lines[-1]) if len(long_lines) else (n, -1)
    # share of each line's content words that also occur as content words of a long line
    vocabulary = set(compress(flat, content & is_long[line_of]))
    # only content words can be shared: the lookup skips the rest
    in_content = np.flatnonzero(content)
    shared = np.fromiter(map(vocabulary.__contains__, compress(flat, content)), dtype=bool, count=len(in_content))
    content_words = _per_line(content, line_of, n)
    overlap = np.where(content_words > 0, _per_line(in_content[shared], line_of, n) / np.maximum(content_words, 1), 0.0)
    chars = np.expm1(stats[:, 0]) + 1
    index = np.arange(n, dtype=float)
    distance = np.maximum(core_start - index, 0) + np.maximum(index - core_end, 0) * (core_end >= 0)
    # only short lines can be comment chrome; scanning just them keeps this slow pattern cheap
    marks = np.zeros(n)
    short = np.flatnonzero(chars < COMMENT_MARK_MAX_CHARS)
    if len(short):
        # lower-case line by line: it may change lengths ("İ" becomes two code points)
        lowered = [lines[i].lower() for i in short.tolist()]
        starts = np.cumsum([0] + [len(text) + 1 for text in lowered[:-1]])
        found = [m.start() for m in _COMMENT_HINT.finditer("\n".join(lowered))]
        hinted = np.unique(np.searchsorted(starts, found, "right") - 1)
        if len(hinted):
            marks[short[hinted]] = _counts(_COMMENT_MARK, "\n".join(lowered[i] for i in hinted.tolist()))
    prose = _is_prose(stats[:, 4], words)
    run_start, run_end = _main_run(words, prose)
    run_distance = np.where(index < run_start, index - run_start, np.maximum(index - run_end, 0))
    # a headline shares its words with the article under it; menus and teasers above it do not
    run_vocabulary = set(compress(flat, content & (line_of >= run_start) & (line_of <= run_end)))
    in_run = np.fromiter(map(run_vocabulary.__contains__, compress(flat, content)), dtype=bool, count=len(in_content))
    above = (index < run_start) & (index >= run_start - TITLE_LINES) & (content_words > 0)
    run_overlap = np.where(above, _per_line(in_content[in_run], line_of, n) / np.maximum(content_words, 1), MISSING)
    # comment chrome after the article's prose, not the 'Comments' link of the menu above it
    marks_after = np.cumsum(np.where(index > run_end, marks, 0.0))
    repeats = Counter(lines)
    return np.column_stack([
        stats,
        index / max(n - 1, 1),
        (np.cumsum(chars) - chars / 2) / chars.sum(),
        overlap,
        index < core_start,
        index > core_end,
        np.log1p(distance),
        _window_sum(log_words, 2) / 5,
        _window_sum(log_words, 5) / 11,
        np.concatenate([[0.0], log_words[:-1]]),
        np.concatenate([log_words[1:], [0.0]]),
        np.log1p(np.concatenate([[0.0], np.cumsum(marks)[:-1]])),
        _window_sum(marks, 3),
        (index >= run_start) & (index <= run_end),
        np.sign(run_distance) * np.log1p(np.abs(run_distance)),
        np.log1p(np.fromiter(map(repeats.__getitem__, lines), dtype=np.int64, count=n) - 1),
        run_overlap,
        np.log1p(marks_after),
        _list_features(lines, stats, words, prose),
    ]).astype(float)


# line features stage 2 sees again beside the probabilities, so it can weigh neighbours by line shape
CARRIED = tuple(LINE_FEATURES.index(name) for name in (
    "log_words", "terminal_punct", "comment_marks_above", "in_main_run", "char_position", "body_overlap",
    "list_block_enclosed", "list_block_intro"))


def _window_mean(values: np.ndarray, weights: np.ndarray, half: int) -> np.ndarray:
    return _window_sum(values * weights, half) / np.maximum(_window_sum(weights, half), 1e-9)


def context_features(p: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Stage-2 features: a line's stage-1 content probability, its neighbours', and a few of its own features."""
    n = len(p)
    padded = np.concatenate([[MISSING], p, [MISSING]])
    ones = np.ones(n)
    words = np.expm1(x[:, LINE_FEATURES.index("log_words")]) + 1
    # a run of short lines between two paragraphs judged article is likely a list of the article
    prose = _is_prose(x[:, LINE_FEATURES.index("terminal_punct")], np.rint(words - 1))
    first, last = _blocks(prose)
    enclosure = np.where(prose, MISSING, np.minimum(padded[first], padded[last + 2]))
    cumulative = np.concatenate([[0.0], np.cumsum(p)])
    block_mean = (cumulative[last + 1] - cumulative[first]) / (last - first + 1)
    return np.column_stack([
        p, padded[:n], padded[2:], _window_mean(p, ones, 2), _window_mean(p, ones, 5),
        _window_mean(p, words, 3), _window_mean(p, words, 10), np.full(n, p.mean()), np.full(n, p.max()),
        enclosure, block_mean, x[:, CARRIED],
    ])


class BinnedLogistic:
    """score = bias + sum over features of the weight of the bin the feature value falls in."""

    def __init__(self, edges: list[list[float]], weights: list[list[float]], bias: float) -> None:
        self.edges = [np.asarray(e) for e in edges]
        self.weights = [np.asarray(w) for w in weights]
        self.bias = bias

    def bins(self, x: np.ndarray) -> np.ndarray:
        """Bin index of every value, one column per feature (NaN falls in the last bin)."""
        return np.column_stack([np.searchsorted(e, x[:, j], side="right") for j, e in enumerate(self.edges)])

    def probability(self, x: np.ndarray) -> np.ndarray:
        bins = self.bins(x)
        logit = self.bias + sum(w[bins[:, j]] for j, w in enumerate(self.weights))
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict[str, Any]:
        return {"edges": [e.tolist() for e in self.edges], "weights": [[round(float(v), 5) for v in w]
                for w in self.weights], "bias": round(float(self.bias), 5)}


class LineClassifier:
    """Stage 1 on line features, then smoothing stages on context features; the last gives the answer."""

    def __init__(self, stages: Sequence[BinnedLogistic]) -> None:
        self.stages = list(stages)

    def content_probability(self, lines: Sequence[str]) -> np.ndarray:
        """The probability each line belongs to the article."""
        if not lines:
            return np.zeros(0)
        x = line_features(lines)
        p = self.stages[0].probability(x)
        for stage in self.stages[1:]:
            p = stage.probability(context_features(p, x))
        return p


@lru_cache(maxsize=1)
def load_classifier() -> LineClassifier:
    """The shipped weights (plain JSON: bin edges and numbers, nothing executable)."""
    data = json.loads(resources.files("cleaner.noise.data").joinpath("line_classifier.json").read_text("utf-8"))
    return LineClassifier([BinnedLogistic(**stage) for stage in data["stages"]])


@register
class LearnedBoilerplate(Rule):
    """Lines the learned classifier judges not to belong to the article (menus, teasers, footers...).

    Example: a line "Home | World | Business | Sport | Weather" in the middle of a scraped page.
    """

    # v3: judges the view's logical lines (hard-wrapped paragraphs as one, blank lines ignored); v4: raggedly
    # wrapped paragraphs (hand or proportional wrapping, no common width) are logical lines too; v5: a
    # hard-wrapped paragraph's sentences are judged apart where a wrap fell between them and the
    # classifier is sure they differ (two paragraphs the layout glued); v6: features of runs of short
    # lines (lists inside the article: between two paragraphs, opened by a colon) in both stages, retrained,
    # and a headline glued to its summary is judged apart from it in the same way; v7: v6's weights on
    # other logical lines (cleaner.noise.paragraphs): a hand-wrapped text re-wrapped where its longest
    # lines exceeded a width still reads as raggedly wrapped, a blank line inside a sentence does not end
    # a paragraph, and a year a wrap put first ("2007. Only ...") is not a numbered list item; where the
    # layout is ambiguous a piece goes only when both readings drop it
    name = "line_classifier_v7"
    category = LEARNED_CATEGORY
    description = "Learned two-stage line classifier; span score = probability the line is boilerplate."

    def find(self, view: TextView) -> Iterator[Span]:
        lines = view.content_lines()
        if len(lines) < view.settings["classifier_min_lines"]:
            return
        units = [(line.start, line.stop, line.stripped) for line in lines]
        glued = {line.index: split for line in view.candidate_lines(GLUE_CANDIDATE) if (split := _glued_pieces(line))}
        # where blank lines mark the paragraph ends, a wrap at a sentence end is not ambiguous
        pieces = [glued.get(line.index) or ([unit] if view.paragraph_ends_marked else _sentence_pieces(view.raw, line))
                  for line, unit in zip(lines, units, strict=True)]
        if any(len(split) > 1 for split in pieces):
            for start, stop, score in _dropped_in_both_readings(view, units, pieces):
                yield self.span(start, stop, score)
            return
        noise, flagged = _judge(view, [text for _, _, text in units])
        for (start, stop, _), score, drop in zip(units, noise.tolist(), flagged.tolist(), strict=True):
            if drop:
                yield self.span(start, stop, score)


Unit = tuple[int, int, str]  # start and stop in raw, and the text the classifier reads


def _judge(view: TextView, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's probability of being boilerplate, and whether it goes."""
    content = load_classifier().content_probability(texts)
    noise = 1.0 - content
    # text an HTML extractor produced has had its blocks judged once already
    extracted = view.is_extracted_article
    threshold = view.settings["classifier_threshold_extracted" if extracted else "classifier_threshold"]
    flagged = noise >= threshold
    if extracted:
        # the extractor kept the middle for a reason: only trim flagged runs at the edges of its output
        flagged &= _edge_runs(flagged)
    else:
        # an empty result is never right: on a page of uncertain lines the best of them are the article
        flagged &= content < view.settings["classifier_relative"] * content.max()
    return noise, flagged


def _sentence_pieces(raw: str, line: Line) -> list[Unit]:
    """A hard-wrapped paragraph cut where a wrapped line ends a sentence and the next starts one: there
    the layout cannot tell a wrap from two paragraphs (a full last line of one before the next)."""
    pieces: list[Unit] = []
    start = line.start
    for text in raw[line.start:line.end].split("\n"):
        if text.strip():
            if pieces and _SENTENCE_STOP.search(pieces[-1][2]) and _SENTENCE_START.match(text.lstrip()):
                pieces.append((start, start, text.strip()))
            elif pieces:
                first, _, joined = pieces[-1]
                pieces[-1] = (first, first, f"{joined} {text.strip()}")
            else:
                pieces.append((start, start, text.strip()))
        start += len(text) + 1
    # each piece stops where the next starts; the last where the line does
    stops = [first for first, _, _ in pieces[1:]] + [line.stop]
    return [(first, stop, text) for (first, _, text), stop in zip(pieces, stops, strict=True)]


def _glued_pieces(line: Line) -> list[Unit] | None:
    """A one-line headline glued to its summary ("...Student-AthleteA 24-year-old..."), as its two
    pieces; None for any other line (or one a hard wrap made of several)."""
    if line.text.strip() != line.stripped:
        return None
    cut = glued_headline(line.stripped)
    if cut is None:
        return None
    at = line.start + len(line.text) - len(line.text.lstrip()) + cut
    return [(line.start, at, line.stripped[:cut]), (at, line.stop, line.stripped[cut:])]


def _dropped_in_both_readings(view: TextView, units: list[Unit],
                              pieces: list[list[Unit]]) -> Iterator[tuple[int, int, float]]:
    """(start, stop, score) of the pieces that go. Where the layout cannot tell a wrap from a paragraph
    end, a piece goes only when both readings drop it: every cut a paragraph end, and the paragraphs
    (cut where judged apart). Either reading moves the context of the lines around a glued pair, and
    a short line near the threshold should not go on the strength of one guess at the layout."""
    split = [piece for group in pieces for piece in group]
    split_noise, split_flagged = _judge(view, [text for _, _, text in split])
    joined = _split_where_judged_apart(view, units, pieces, split_noise, split_flagged)
    noise, flagged = _judge(view, [text for _, _, text in joined])
    starts = [start for start, _, _ in joined]
    for (start, stop, _), score, drop in zip(split, split_noise.tolist(), split_flagged.tolist(), strict=True):
        unit = bisect_right(starts, start) - 1
        if drop and flagged[unit]:
            yield start, stop, max(score, float(noise[unit]))


def _split_where_judged_apart(view: TextView, units: list[Unit], pieces: list[list[Unit]],
                              noise: np.ndarray, flagged: np.ndarray) -> list[Unit]:
    """The paragraphs, each cut into its sentence pieces where the classifier, reading every such cut
    as a paragraph end (`noise`, `flagged`: its judgement of the pieces), would keep some of the pieces
    and drop others. Two paragraphs glued by the layout are then judged apart, as they would be one per
    line, while a paragraph whose wrap merely fell at a sentence end stays one."""
    threshold = view.settings["classifier_threshold"]
    surely_dropped = flagged & (noise >= threshold + _SURE_MARGIN)
    surely_kept = ~flagged & (noise < threshold - _SURE_MARGIN)
    result, position = [], 0
    for unit, group in zip(units, pieces, strict=True):
        apart = slice(position, position + len(group))
        position += len(group)
        result.extend(group if surely_dropped[apart].any() and surely_kept[apart].any() else [unit])
    return result


def _edge_runs(flagged: np.ndarray) -> np.ndarray:
    """The flagged items of the leading and the trailing run of flagged items."""
    leading = np.cumprod(flagged) > 0
    trailing = np.cumprod(flagged[::-1])[::-1] > 0
    return leading | trailing
