"""Regenerate cleaner/annotate/data/english_tokenizer.json from spaCy's English tokenizer.

The quality signals count words the way datatrove does, and datatrove's English word tokenizer is spaCy's
blank English pipeline. Its special cases (contractions such as "don't" -> "do" "n't", abbreviations such
as "Mr." kept whole, emoticons) and its character classes (which letters count as lower or upper case,
which symbols split off) are data, not rules one can derive, so they are exported once here and
shipped; the tokenizer itself (cleaner/annotate/quality/words.py) is our own code and needs no spaCy.

    pip install spacy && python scripts/english_tokenizer_data.py
"""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.attrs import ORTH
from spacy.lang import char_classes

OUT = Path(__file__).resolve().parent.parent / "cleaner" / "annotate" / "data" / "english_tokenizer.json"


def main() -> None:
    rules = spacy.blank("en").tokenizer.rules
    # whitespace keys never reach the tokenizer's chunks: they are split on whitespace first
    table = {orth: [piece[ORTH] for piece in pieces] for orth, pieces in rules.items() if orth.strip() == orth
             and orth}
    # one exception a line, so a regenerated table diffs readably
    entries = ",\n".join(f"{json.dumps(orth, ensure_ascii=False)}: {json.dumps(pieces, ensure_ascii=False)}"
                          for orth, pieces in sorted(table.items()))
    classes = {"alpha": char_classes.ALPHA, "alpha_lower": char_classes.ALPHA_LOWER,
               "alpha_upper": char_classes.ALPHA_UPPER,
               # LIST_ICONS is "[\\p{So}--[°]]" written out as ranges: other symbols except the degree sign
               "symbols": spacy.blank("en").tokenizer.infix_finditer.__self__.pattern.split("|")[2][1:-1],
               "units": char_classes.UNITS, "currency": char_classes.CURRENCY}
    source = json.dumps(f"spaCy {spacy.__version__} English tokenizer exceptions and character classes (MIT licence)")
    OUT.write_text(f'{{"source": {source},\n"classes": {json.dumps(classes, ensure_ascii=False, indent=0)},\n'
                   f'"exceptions": {{\n{entries}\n}}}}\n', encoding="utf-8")
    print(f"{len(table)} exceptions -> {OUT}")


if __name__ == "__main__":
    main()
