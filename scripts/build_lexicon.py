"""Build `cleaner/annotate/data/sentiment_lexicon.tsv` from the lexicons two PyPI packages ship.

    pip download --no-deps -d /tmp/lex textblob==0.20.1 vaderSentiment==3.3.2
    python3 scripts/build_lexicon.py /tmp/lex

Sources (both licences allow redistribution; see cleaner/annotate/data/LEXICON_SOURCES.md):
- TextBlob's `en-sentiment.xml`, the Pattern subjectivity lexicon of English adjectives by Tom De Smedt
  and Walter Daelemans (licence PDDL): subjectivity and polarity per word sense, averaged per word
  form as TextBlob does;
- VADER's `vader_lexicon.txt` by C.J. Hutto (MIT): mean valence per token from ten raters.
Only alphabetic word forms are kept (VADER also rates emoticons, which news text does not use).
"""

from __future__ import annotations

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
    rows = ["# word\tsubjectivity\tpolarity\tvalence",
            "# subjectivity, polarity: Pattern (TextBlob en-sentiment.xml, PDDL), mean over senses; '' if absent",
            "# valence: VADER vader_lexicon.txt (MIT, (c) 2016 C.J. Hutto), -4..4; '' if absent",
            "# built by scripts/build_lexicon.py; do not edit by hand"]
    for form in sorted(set(senses) | set(valence)):
        subj = pol = ""
        if form in senses:
            subj = f"{sum(s for s, _ in senses[form]) / len(senses[form]):.3f}"
            pol = f"{sum(p for _, p in senses[form]) / len(senses[form]):.3f}"
        val = f"{valence[form]:.2f}" if form in valence else ""
        rows.append(f"{form}\t{subj}\t{pol}\t{val}")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 4} words -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
