"""Build `cleaner/annotate/data/sentiment_lexicon.tsv` from the lexicons two PyPI packages ship.

    pip download --no-deps -d /tmp/lex textblob==0.20.1 vaderSentiment==3.3.2
    python3 scripts/build_lexicon.py /tmp/lex

Sources (both licences allow redistribution; see cleaner/annotate/data/LEXICON_SOURCES.md):
- TextBlob's `en-sentiment.xml`, the Pattern subjectivity lexicon of English adjectives by Tom De Smedt
  and Walter Daelemans (licence PDDL): subjectivity and polarity per word sense, averaged per word
  form as TextBlob does;
- VADER's `vader_lexicon.txt` by C.J. Hutto (MIT): mean valence per token from ten raters, and the word
  classes VADER's rules use (`vaderSentiment.py`): `BOOSTER_DICT` degree adverbs, split into boosters
  (positive increment) and dampeners (negative), and `NEGATE` negations;
- TextBlob's `en-lexicon.txt`, the lexicon of Brill's tagger (Brill 1992; (c) 1993 MIT and University of
  Pennsylvania, MIT licence): the most frequent part of speech of each lower-case word, kept when it is an
  adjective (JJ, JJR, JJS) or an adverb (RB, RBR, RBS).
Only alphabetic word forms are kept (VADER also rates emoticons, which news text does not use).
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / "data" / "sentiment_lexicon.tsv"


def _member(wheel_dir: Path, prefix: str, suffix: str) -> bytes:
    for wheel in sorted(wheel_dir.glob(f"{prefix}*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                if name.endswith(suffix):
                    return zf.read(name)
    raise SystemExit(f"no {suffix} in a {prefix}*.whl under {wheel_dir}")


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
    """word -> adjective / adverb, from the first (most frequent) tag of each lower-case word of Brill's lexicon."""
    classes = {}
    for line in lexicon.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isalpha() and parts[0].islower():
            tag = parts[1]
            if tag.startswith("JJ"):
                classes[parts[0]] = "adjective"
            elif tag.startswith("RB"):
                classes[parts[0]] = "adverb"
    return classes


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
    rows = ["# word\tsubjectivity\tpolarity\tvalence\tdegree\tpos",
            "# subjectivity, polarity: Pattern (TextBlob en-sentiment.xml, PDDL), mean over senses; '' if absent",
            "# valence: VADER vader_lexicon.txt (MIT, (c) 2016 C.J. Hutto), -4..4; '' if absent",
            "# degree: VADER BOOSTER_DICT booster / dampener, NEGATE negation (vaderSentiment.py, MIT); '' if absent",
            "# pos: adjective / adverb, Brill's tagger lexicon as shipped in TextBlob (MIT); '' if other or absent",
            "# built by scripts/build_lexicon.py; do not edit by hand"]
    for form in sorted(set(senses) | set(valence) | set(roles) | set(classes)):
        subj = pol = ""
        if form in senses:
            subj = f"{sum(s for s, _ in senses[form]) / len(senses[form]):.3f}"
            pol = f"{sum(p for _, p in senses[form]) / len(senses[form]):.3f}"
        val = f"{valence[form]:.2f}" if form in valence else ""
        rows.append(f"{form}\t{subj}\t{pol}\t{val}\t{roles.get(form, '')}\t{classes.get(form, '')}")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 6} words -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
