"""Build `cleaner/annotate/data/sentiment_lexicon.tsv` and `empath_categories.tsv` from lexicons PyPI packages ship.

    pip download --no-deps -d /tmp/lex textblob==0.20.1 vaderSentiment==3.3.2 empath==0.89
    python3 scripts/build_lexicon.py /tmp/lex

Sources (all licences allow redistribution; see cleaner/annotate/data/LEXICON_SOURCES.md):
- TextBlob's `en-sentiment.xml`, the Pattern subjectivity lexicon of English adjectives by Tom De Smedt
  and Walter Daelemans (licence PDDL): subjectivity and polarity per word sense, averaged per word
  form as TextBlob does;
- VADER's `vader_lexicon.txt` by C.J. Hutto (MIT): mean valence per token from ten raters, and the word
  classes VADER's rules use (`vaderSentiment.py`): `BOOSTER_DICT` degree adverbs, split into boosters
  (positive increment) and dampeners (negative), and `NEGATE` negations;
- TextBlob's `en-lexicon.txt`, the lexicon of Brill's tagger (Brill 1992; (c) 1993 MIT and University of
  Pennsylvania, MIT licence): the most frequent part of speech of each lower-case word, as a coarse word
  class (`WORD_CLASSES`);
- TextBlob's `en-spelling.txt` (MIT), word counts in Norvig's `big.txt` (public-domain Gutenberg books plus
  Wiktionary and BNC frequency lists): how common a word is, as log10 of its count (rare words are marked
  more often as biased than common ones);
- Empath's `categories.tsv` (Fast, Chen and Bernstein 2016; (c) 2016 Ethan Fast, MIT licence), from the
  `empath` sdist: 194 categories of words (emotions, violence, politics, ...), copied as they are.
Only alphabetic word forms are kept (VADER also rates emoticons, which news text does not use).
"""

from __future__ import annotations

import ast
import math
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / "data"
OUT = DATA / "sentiment_lexicon.tsv"
EMPATH_OUT = DATA / "empath_categories.tsv"
# Penn Treebank tag of Brill's lexicon -> the coarse word class counted per sentence (tags not listed: none)
WORD_CLASSES = {"NN": "noun", "NNS": "noun", "VB": "verb_base", "VBP": "verb_present", "VBZ": "verb_present",
                "VBD": "verb_past", "VBN": "verb_participle", "VBG": "verb_gerund", "JJ": "adjective",
                "JJR": "comparative", "RBR": "comparative", "JJS": "superlative", "RBS": "superlative",
                "RB": "adverb", "IN": "preposition", "PRP": "pronoun", "PRP$": "pronoun", "WP": "pronoun",
                "DT": "determiner", "WDT": "determiner", "MD": "modal", "CC": "conjunction", "UH": "interjection"}
EMPATH_LICENCE = """# Empath 0.89 categories.tsv (Ethan Fast, Binbin Chen, Michael Bernstein: Empath, CHI 2016),
# copied unchanged except that word forms with characters other than letters, hyphens and apostrophes are dropped.
# Built by scripts/build_lexicon.py from the PyPI sdist empath==0.89; do not edit by hand.
# Format: category, then its words, tab-separated.
#
# Copyright (c) 2016 Ethan Fast
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
# documentation files (the "Software"), to deal in the Software without restriction, including without limitation
# the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
# to permit persons to whom the Software is furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all copies or substantial portions
# of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
# THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
# CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
# DEALINGS IN THE SOFTWARE."""


def _member(wheel_dir: Path, prefix: str, suffix: str) -> bytes:
    for wheel in sorted(wheel_dir.glob(f"{prefix}*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                if name.endswith(suffix):
                    return zf.read(name)
    for sdist in sorted(wheel_dir.glob(f"{prefix}*.tar.gz")):
        with tarfile.open(sdist) as tf:
            for member in tf.getmembers():
                if member.name.endswith(suffix):
                    handle = tf.extractfile(member)
                    if handle is not None:
                        return handle.read()
    raise SystemExit(f"no {suffix} in a {prefix}*.whl or .tar.gz under {wheel_dir}")


def _is_word(form: str) -> bool:
    return form.replace("-", "").replace("'", "").isalpha()


def empath_categories(table: str) -> list[str]:
    """The lines of Empath's categories.tsv, category first, word forms that are words only, sorted by category."""
    rows = []
    for line in table.splitlines():
        category, *members = line.split("\t")
        kept = [w for w in members if _is_word(w)]
        if category and kept:
            rows.append("\t".join([category, *kept]))
    return sorted(rows)


def vader_roles(source: str) -> dict[str, str]:
    """word -> booster / dampener / negation, from the BOOSTER_DICT and NEGATE constants of vaderSentiment.py."""
    constants: dict[str, ast.expr] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            constants[node.targets[0].id] = node.value
    increment = {name: ast.literal_eval(constants[name]) for name in ("B_INCR", "B_DECR")}
    roles = {word: "negation" for word in ast.literal_eval(constants["NEGATE"])}
    booster = constants["BOOSTER_DICT"]
    assert isinstance(booster, ast.Dict)
    for key, value in zip(booster.keys, booster.values, strict=True):
        assert isinstance(key, ast.Constant) and isinstance(value, ast.Name)
        roles[key.value] = "booster" if increment[value.id] > 0 else "dampener"
    return {word: role for word, role in roles.items() if word.replace("'", "").isalpha()}


def word_classes(lexicon: str) -> dict[str, str]:
    """word -> its coarse class (`WORD_CLASSES`), from the first (most frequent) tag of each lower-case word of
    Brill's lexicon."""
    classes = {}
    for line in lexicon.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isalpha() and parts[0].islower() and parts[1] in WORD_CLASSES:
            classes[parts[0]] = WORD_CLASSES[parts[1]]
    return classes


def word_counts(spelling: str) -> dict[str, int]:
    """word -> its count, from the `word count` lines of en-spelling.txt (alphabetic lower-case words)."""
    counts = {}
    for line in spelling.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isalpha() and parts[0].islower() and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    return counts


def main(wheel_dir: Path) -> None:
    senses: dict[str, list[tuple[float, float]]] = defaultdict(list)
    root = ET.fromstring(_member(wheel_dir, "textblob", "en/en-sentiment.xml"))
    for word in root.iter("word"):
        form = word.get("form", "").lower()
        if form.isalpha():
            senses[form].append((float(word.get("subjectivity", 0)), float(word.get("polarity", 0))))
    valence: dict[str, float] = {}
    for line in _member(wheel_dir, "vaderSentiment", "vader_lexicon.txt").decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            valence[parts[0].lower()] = float(parts[1])
    roles = vader_roles(_member(wheel_dir, "vaderSentiment", "vaderSentiment/vaderSentiment.py").decode("utf-8"))
    classes = word_classes(_member(wheel_dir, "textblob", "en/en-lexicon.txt").decode("utf-8"))
    counts = word_counts(_member(wheel_dir, "textblob", "en/en-spelling.txt").decode("utf-8"))
    rows = ["# word\tsubjectivity\tpolarity\tvalence\tdegree\tpos\tfrequency",
            "# subjectivity, polarity: Pattern (TextBlob en-sentiment.xml, PDDL), mean over senses; '' if absent",
            "# valence: VADER vader_lexicon.txt (MIT, (c) 2016 C.J. Hutto), -4..4; '' if absent",
            "# degree: VADER BOOSTER_DICT booster / dampener, NEGATE negation (vaderSentiment.py, MIT); '' if absent",
            "# pos: coarse word class of the first tag in Brill's tagger lexicon as shipped in TextBlob (MIT); '' if "
            "other or absent",
            "# frequency: log10 of the word's count in TextBlob's en-spelling.txt (MIT; Norvig's big.txt); "
            "'' if absent",
            "# built by scripts/build_lexicon.py; do not edit by hand"]
    for form in sorted(set(senses) | set(valence) | set(roles) | set(classes) | set(counts)):
        subj = pol = ""
        if form in senses:
            subj = f"{sum(s for s, _ in senses[form]) / len(senses[form]):.3f}"
            pol = f"{sum(p for _, p in senses[form]) / len(senses[form]):.3f}"
        val = f"{valence[form]:.2f}" if form in valence else ""
        frequency = f"{math.log10(counts[form]):.2f}" if form in counts else ""
        rows.append(f"{form}\t{subj}\t{pol}\t{val}\t{roles.get(form, '')}\t{classes.get(form, '')}\t{frequency}")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 7} words -> {OUT}")
    empath = empath_categories(_member(wheel_dir, "empath", "empath/data/categories.tsv").decode("utf-8"))
    EMPATH_OUT.write_text(EMPATH_LICENCE + "\n" + "\n".join(empath) + "\n", encoding="utf-8")
    print(f"{len(empath)} Empath categories -> {EMPATH_OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
