"""Layout does not change what is kept: how often it does, and why (issue 12, not a test).

    PYTHONPATH=$PWD python3 bench/layout.py [--per-dataset 30] [--skip 0] [--jobs 2] [--verbose]

Cleans the gold texts of the dev sets (`--per-dataset` pages of each, after skipping the first `--skip`:
`--skip 30` is a sample disjoint from tests/test_noise_layout.py's) as they are and after each change of
layout (`LAYOUTS`), and prints per layout the share of documents whose clean word sequence is unchanged.
Every changed document is classified twice:

* by what the change did to the paragraphs the engine reads (`TextView` logical lines, compared by
  where they end in the word sequence): `glued at a sentence end` (two paragraphs read as one where a
  full line ends a sentence and the next starts one: the layout cannot tell a wrap from a paragraph end),
  `glued elsewhere` (a line not ending a sentence, such as a headline over its first paragraph), `split`
  (one paragraph read as several: a text wrapped by hand read another way once its longest lines are
  re-wrapped) or `same paragraphs`;
* by the rules whose removed words differ (`line_classifier_v7` when the learned classifier judged a
  line otherwise, usually a short line near its threshold whose neighbours were glued or split).
"""

from __future__ import annotations

import argparse
import re
import textwrap
from collections import Counter
from collections.abc import Callable
from multiprocessing import Pool

from bench.extraction import _CONFIG
from cleaner.document import Document
from cleaner.extract.normalize import normalize_text
from cleaner.noise.engine import clean_document
from cleaner.noise.registry import TextView
from cleaner.noise.tidy import tidy_spans

DATASETS = ("l3s_gn1", "dragnet", "cleanportaleval", "cleaneval")  # trafilatura_eval has snippets, no gold text
WIDTH = 72
_SENTENCE_STOP = re.compile(r"[.!?][\"'”’)]*$")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _wrapped(line: str) -> list[str]:
    return textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False) or [""]


def wrap(text: str) -> str:
    """Every line (a paragraph of the gold text) hard-wrapped at WIDTH; blank lines stay."""
    return "\n".join("\n".join(_wrapped(line)) for line in text.split("\n"))


def wrap_and_join(text: str) -> str:
    """The wrapped text with each paragraph's lines joined back by spaces."""
    return "\n".join(" ".join(_wrapped(line)) for line in text.split("\n"))


def wrap_in_paragraphs(text: str) -> str:
    """The usual plain-text layout: every paragraph hard-wrapped at WIDTH, a blank line between paragraphs."""
    return "\n\n".join("\n".join(_wrapped(line)) for line in text.split("\n") if line.strip()) + "\n"


def blank_after_every_line(text: str) -> str:
    return "".join(line + "\n\n" for line in text.split("\n") if line.strip())


def without_blank_lines(text: str) -> str:
    return "".join(line + "\n" for line in text.split("\n") if line.strip())


def wrapped_with_blank_lines(text: str) -> str:
    return blank_after_every_line(wrap(text))


LAYOUTS: dict[str, Callable[[str], str]] = {
    "wrapped_in_paragraphs": wrap_in_paragraphs,
    "wrapped": wrap,
    "wrapped_and_joined": wrap_and_join,
    "blank_after_every_line": blank_after_every_line,
    "without_blank_lines": without_blank_lines,
    "wrapped_with_blank_lines": wrapped_with_blank_lines,
}


def _cleaned(text: str) -> tuple[list[str], Counter[str], list[str]]:
    """The clean words, the words each rule removed, and the engine's paragraphs."""
    document = Document(id="bench", source="bench", raw=normalize_text(text), metadata={"content_type": "text"})
    clean_document(document, _CONFIG)
    document.add_spans(tidy_spans(document.raw, document.spans, document.replacements))
    removed: Counter[str] = Counter()
    for span in document.spans:
        removed[span.rule] += len(words(document.raw[span.start:span.end]))
    paragraphs = [line.stripped for line in TextView(document.raw).content_lines()]
    return words(document.text), removed, paragraphs


def _ends(paragraphs: list[str]) -> dict[int, str]:
    """Each paragraph by the number of words before its end."""
    ends, count = {}, 0
    for paragraph in paragraphs:
        count += len(paragraph.split())
        ends[count] = paragraph
    return ends


def paragraph_change(before: list[str], after: list[str]) -> str:
    """What the layout did to the paragraphs: glued (at a sentence end or elsewhere), split, or nothing."""
    old, new = _ends(before), _ends(after)
    lost = [old[end] for end in old if end not in new]
    if any(_SENTENCE_STOP.search(paragraph) is None for paragraph in lost):
        return "glued elsewhere"
    if any(end not in old for end in new):
        return "split"
    return "glued at a sentence end" if lost else "same paragraphs"


def measure(item: tuple[str, str]) -> tuple[str, dict[str, tuple[str, int, dict[str, int]]]]:
    """For one gold text, each layout's paragraph change, the words that differ after cleaning (0: the
    same clean words) and the removed words per rule that differ (after minus before)."""
    name, text = item
    clean, removed, paragraphs = _cleaned(text)
    found = {}
    for layout, change in LAYOUTS.items():
        other, other_removed, other_paragraphs = _cleaned(change(text))
        rules = {rule: other_removed[rule] - removed[rule] for rule in sorted(set(removed) | set(other_removed))
                 if other_removed[rule] != removed[rule]}
        differ = len(set(clean) ^ set(other)) + abs(len(clean) - len(other)) if other != clean else 0
        found[layout] = (paragraph_change(paragraphs, other_paragraphs), differ, rules if differ else {})
    return name, found


def main() -> None:
    from tests.devsets import dev_pages

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-dataset", type=int, default=30)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="list every changed document")
    args = parser.parse_args()
    items = [(f"{name}/{page['id']}", page["gold_text"].replace("\r\n", "\n")) for name in DATASETS
             for page in dev_pages(name, args.skip + args.per_dataset, min_gold_words=50)[args.skip:]]
    with Pool(args.jobs) as pool:
        results = pool.map(measure, items, chunksize=4)
    print(f"# {len(items)} gold texts ({args.per_dataset} per dataset after the first {args.skip})")
    for layout in LAYOUTS:
        moved = sum(found[layout][0] != "same paragraphs" for _, found in results)
        changed = [(name, found[layout]) for name, found in results if found[layout][1]]
        causes = Counter(cause for _, (cause, _, _) in changed)
        rules = Counter(rule for _, (_, _, found) in changed for rule in found)
        print(f"{layout:26s} unchanged {1 - len(changed) / len(items):.3f} ({len(changed)} changed; paragraphs"
              f" differ in {moved})  paragraphs: {dict(causes.most_common())}  rules: {dict(rules.most_common())}")
        if args.verbose:
            for name, (cause, differ, found) in changed:
                print(f"    {name}  {differ} words  {cause}  {found}")


if __name__ == "__main__":
    main()
