"""Planted tier benchmark for `bench/dedup.py --only tiers`: real articles, planted near-duplicates.

The background is the dev sets' gold texts (../shared/data/extraction, loaded by the shared harness):
articles of at least MIN_WORDS words, with every near-duplicate among them dropped (pairwise word 5-gram
Jaccard >= BACKGROUND_MAX_JACCARD, computed exactly), so any two background articles are different
articles. Onto it are planted:

* edited variants of a background article, each made by one kind of edit (or a mix of them) with a
  seeded RNG, and filed by the TRUE Jaccard of its word 5-gram set against its original's, both taken
  on the input text with `cleaner.dedup.shingles.shingle_sets` (the same normalised tokens the product
  uses): tiers >= 0.9, 0.8-0.9, 0.7-0.8, 0.5-0.7;
* layout-only variants (same words, other line breaks) and exact copies (same bytes, another file);
* and, as negatives, the pairs of background articles on the same topic (TF-IDF cosine >= 0.5, Jaccard
  < 0.8), which must not be clustered.

Every document is one .txt file. The files are spread over folders, which the cleaner treats as
sources (its corpus context learns each folder's repeated lines): a background article goes to folder
`index % sites`, and a variant to its original's folder half of the time (a site re-posting its own
story) and to another folder otherwise (syndication), because a real crawl mixes both.

`clean_corpus` then `dedup_corpus(mark_only=True)` run with the default `Config()`; a planted pair counts
as found when both documents end in the same `metadata.dedup.cluster`, unless cleaning left both texts
empty (empty texts are all one "copy": that finds nothing). A false pair is any two documents of one
cluster that derive from different background articles. datasketch's `MinHashLSH(0.8, 128)` runs
beside it on the input text (MinHash over the same normalised word 5-grams, candidates verified by the
estimate >= 0.8, clustered by union-find) and is scored the same way. The column "clean J>=t" is the
share of planted pairs whose clean texts are still at the threshold t (exact Jaccard): the most that
dedup of the clean text can find, so it splits a loss between cleaning and dedup.
Each tier/kind cell is a sample (180 pairs per tier, 20 per tier and kind, 100 per layout kind by
default): a recall of 0.98 on 180 pairs has a standard error of about 0.01.
"""

from __future__ import annotations

import re
import tempfile
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson
from scipy import sparse

from cleaner.config import Config
from cleaner.dedup.shingles import normalise, shingle_sets
from cleaner.dedup.stage import dedup_corpus
from cleaner.runner import clean_corpus

SIZE = 5  # word 5-grams, as the default config
DATASETS = ("l3s_gn1", "dragnet", "cleaneval", "cleanportaleval")  # trafilatura_eval has snippets only
MIN_WORDS = 150
# background articles are pairwise below the lowest tier, so that every pair at >= 0.5 is a planted one
BACKGROUND_MAX_JACCARD = 0.5
NEGATIVE_MIN_COSINE = 0.5
NEGATIVE_MAX_JACCARD = 0.8
MIN_BACKGROUND = 2000

# name, lowest Jaccard (inclusive), highest (exclusive), acceptance target end to end (None: reported only)
TIERS: tuple[tuple[str, float, float, float | None], ...] = (
    ("J >= 0.9", 0.9, 1.0 + 1e-9, 0.98),
    ("0.8-0.9", 0.8, 0.9, 0.95),
    ("0.7-0.8", 0.7, 0.8, None),
    ("0.5-0.7", 0.5, 0.7, None),
)
EDIT_KINDS = ("word_substitution", "sentence_insertion", "sentence_deletion", "paragraph_reorder",
              "boilerplate_start", "boilerplate_end", "truncate_mid_sentence", "truncate_paragraph_end", "mixed")
LAYOUT_KINDS = ("rewrapped", "joined", "blank_lines_added", "blank_lines_removed", "exact_copy")
LAYOUT_TARGETS = {kind: 0.98 for kind in LAYOUT_KINDS} | {"exact_copy": 1.0}
ORIGINAL = "original"


@dataclass
class Doc:
    name: str  # file path relative to the input folder
    text: str
    family: int  # index of the background article it is, or derives from
    kind: str  # ORIGINAL, an edit kind or a layout kind
    jaccard: float  # true word 5-gram Jaccard against the original, on the input text
    tier: str | None = None  # for edit kinds


@dataclass
class Sizes:
    background: int | None  # None: every distinct article available
    per_tier_and_kind: int  # edited variants per (tier, edit kind)
    per_layout_kind: int
    sites: int  # folders (the cleaner's sources): ~50-60 background articles each, as a small site


DEFAULT_SIZES = Sizes(background=None, per_tier_and_kind=20, per_layout_kind=100, sites=40)
QUICK_SIZES = Sizes(background=300, per_tier_and_kind=5, per_layout_kind=20, sites=6)


# --- exact similarity ---------------------------------------------------------------------------------
def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / max(1, len(a) + len(b) - common)


def true_jaccard(original: str, variant: str) -> float:
    a, b = shingle_sets([original, variant], SIZE)
    return jaccard(a, b)


def incidence(rows: Sequence[np.ndarray]) -> sparse.csr_matrix:
    """A 0/1 documents x features matrix from each document's distinct feature ids (any integers)."""
    values = np.concatenate(rows) if rows else np.zeros(0, dtype=np.uint64)
    _, columns = np.unique(values, return_inverse=True)
    indptr = np.concatenate(([0], np.cumsum([len(r) for r in rows])))
    shape = (len(rows), int(columns.max(initial=-1)) + 1)
    return sparse.csr_matrix((np.ones(len(values)), columns, indptr), shape=shape)


def pairwise_jaccard(sets: Sequence[np.ndarray]) -> sparse.coo_matrix:
    """Exact Jaccard of every pair sharing at least one shingle (upper triangle): one sparse product."""
    m = incidence(sets)
    common = sparse.triu(m @ m.T, k=1).tocoo()
    sizes = np.array([len(s) for s in sets], dtype=float)
    values = common.data / (sizes[common.row] + sizes[common.col] - common.data)
    return sparse.coo_matrix((values, (common.row, common.col)), shape=common.shape)


def tfidf_cosine(texts: Sequence[str]) -> sparse.coo_matrix:
    """Cosine of TF-IDF vectors (sublinear tf, smoothed idf, as sklearn's defaults) of every pair, upper triangle."""
    vocabulary: dict[str, int] = {}
    rows, columns, counts = [], [], []
    for i, text in enumerate(texts):
        for word, count in Counter(normalise(text).split()).items():
            rows.append(i)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
            counts.append(count)
    tf = sparse.csr_matrix((1 + np.log(counts), (rows, columns)), shape=(len(texts), len(vocabulary)))
    df = np.bincount(columns, minlength=len(vocabulary))
    weights = tf @ sparse.diags(np.log((1 + len(texts)) / (1 + df)) + 1)
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1))).ravel()
    unit = sparse.diags(1 / np.maximum(norms, 1e-12)) @ weights
    return sparse.triu(unit @ unit.T, k=1).tocoo()


# --- the background -----------------------------------------------------------------------------------
def gold_texts(harness) -> list[str]:
    """Gold texts of the dev sets with at least MIN_WORDS words, line ends normalised to \\n."""
    texts = []
    for name in DATASETS:
        for record in sorted(harness.load_dataset(name), key=lambda r: r["id"]):
            text = (record["gold_text"] or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if len(text.split()) >= MIN_WORDS:
                texts.append(text + "\n")
    return texts


def distinct_articles(texts: list[str]) -> list[str]:
    """Drop every text at Jaccard >= BACKGROUND_MAX_JACCARD to an earlier kept one (same article twice)."""
    similar = pairwise_jaccard(shingle_sets(texts, SIZE))
    close: dict[int, list[int]] = defaultdict(list)
    for a, b, value in zip(similar.row, similar.col, similar.data, strict=True):
        if value >= BACKGROUND_MAX_JACCARD:
            close[int(b)].append(int(a))
    kept: set[int] = set()
    for i in range(len(texts)):
        if not any(a in kept for a in close[i]):
            kept.add(i)
    return [texts[i] for i in sorted(kept)]


def same_topic_negatives(texts: list[str]) -> dict[tuple[int, int], tuple[float, float]]:
    """Pairs of background articles with TF-IDF cosine >= 0.5 and Jaccard < 0.8: (cosine, Jaccard)."""
    cosine = tfidf_cosine(texts)
    sets = shingle_sets(texts, SIZE)
    pairs = {}
    for a, b, value in zip(cosine.row, cosine.col, cosine.data, strict=True):
        if value >= NEGATIVE_MIN_COSINE:
            similarity = jaccard(sets[a], sets[b])
            if similarity < NEGATIVE_MAX_JACCARD:
                pairs[(int(a), int(b))] = (float(value), similarity)
    return pairs


# --- text surgery -------------------------------------------------------------------------------------
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def has_blank_lines(text: str) -> bool:
    return "\n\n" in text.strip()


def paragraphs(text: str) -> list[str]:
    """Blocks between blank lines when there are any, else lines."""
    blocks = re.split(r"\n\s*\n", text.strip()) if has_blank_lines(text) else text.strip().split("\n")
    return [b for b in blocks if b.strip()]


def join_paragraphs(blocks: list[str], blank: bool) -> str:
    return ("\n\n" if blank else "\n").join(blocks) + "\n"


def is_hard_wrapped(text: str) -> bool:
    """Most lines end near one width and paragraphs run over several lines (as cleaneval's texts)."""
    lines = [line for line in text.split("\n") if line.strip()]
    lengths = np.array([len(line) for line in lines])
    return len(lines) >= 10 and np.percentile(lengths, 90) <= 100 and np.mean(lengths >= 40) >= 0.5


def unwrap(text: str) -> list[str]:
    """Paragraphs of a hard-wrapped text, each on one line: a line well short of the wrap width (or a
    blank line) ends a paragraph."""
    lines = text.strip().split("\n")
    width = np.percentile([len(line) for line in lines if line.strip()], 90)
    out, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        if not line.strip() or len(line) < 0.75 * width:
            if current:
                out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


class Boilerplate:
    """Made-up site furniture: menus, share buttons, newsletter prompts, cookie notes, copyright lines,
    and 'related' links to other articles' headlines."""

    NAMES = ("Riverside Courier", "Northgate Herald", "Valley Ledger", "Harbour Gazette", "Pinecrest Post",
             "Eastfield Tribune", "Summit Daily", "Lakeshore Observer", "Granite State Wire", "Bayview Times")
    SECTIONS = ("Home", "News", "World", "Politics", "Business", "Markets", "Tech", "Science", "Health",
                "Sport", "Culture", "Opinion", "Travel", "Weather", "Video", "Podcasts", "Local", "Obituaries")
    LINES = (
        "Share this article: Facebook Twitter LinkedIn Email Print",
        "Share on Facebook | Share on Twitter | Share by email",
        "Sign up for our daily newsletter and get the top stories in your inbox every morning.",
        "Subscribe to our newsletter. Enter your email address Subscribe",
        "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
        "Advertisement",
        "Skip to main content",
        "Log in | Register | My account",
        "Comments are closed for this article.",
        "Follow us on Twitter, Facebook and Instagram for the latest updates.",
        "Click here to download our free app for iPhone and Android.",
        "This story has been corrected to fix a typo in the second paragraph.",
        "Have a story idea? Send us a tip.",
        "Report an error | Contact the newsroom | Corrections policy",
        "Most read today",
        "Terms of use | Privacy policy | Accessibility | Contact us",
    )

    def __init__(self, rng: np.random.Generator, headlines: list[str]) -> None:
        self.rng = rng
        self.headlines = headlines

    def line(self) -> str:
        site = self.NAMES[int(self.rng.integers(len(self.NAMES)))]
        roll = self.rng.random()
        if roll < 0.2:
            count = int(self.rng.integers(5, len(self.SECTIONS)))
            return " | ".join(self.rng.choice(self.SECTIONS, size=count, replace=False))
        if roll < 0.3:
            return f"© {int(self.rng.integers(2005, 2025))} {site}. All rights reserved."
        if roll < 0.5:
            headline = self.headlines[int(self.rng.integers(len(self.headlines)))]
            return f"{self.rng.choice(['Related:', 'Read more:', 'See also:', 'Most popular:'])} {headline}"
        return self.LINES[int(self.rng.integers(len(self.LINES)))]

    def block(self, words: int) -> list[str]:
        """Lines adding up to about `words` words."""
        lines: list[str] = []
        while sum(len(line.split()) for line in lines) < words:
            lines.append(self.line())
        return lines


class Editor:
    """Edits of an article's text, each aimed at a target Jaccard against the original."""

    def __init__(self, rng: np.random.Generator, background: list[str]) -> None:
        self.rng = rng
        words = [w for text in background for w in text.split() if w.isalpha()]
        self.vocabulary = words  # substitutes drawn by corpus frequency
        self.donor_sentences = [s for text in background for p in paragraphs(text) for s in SENTENCE_END.split(p)
                                if 8 <= len(s.split()) <= 40]
        headlines = [paragraphs(text)[0] for text in background]
        self.boilerplate = Boilerplate(rng, [h for h in headlines if 4 <= len(h.split()) <= 16])

    def _int(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, max(low + 1, high)))

    def word_substitution(self, text: str, target: float) -> str:
        # a replaced word changes the SIZE shingles over it: surviving share s = 2J / (1 + J) = (1 - r) ** SIZE
        rate = 1 - (2 * target / (1 + target)) ** (1 / SIZE)
        lines = [line.split(" ") for line in text.split("\n")]
        slots = [(i, j) for i, line in enumerate(lines) for j, word in enumerate(line) if word]
        for k in self.rng.choice(len(slots), size=max(1, round(rate * len(slots))), replace=False):
            i, j = slots[k]
            lines[i][j] = self.vocabulary[self._int(0, len(self.vocabulary))]
        return "\n".join(" ".join(line) for line in lines)

    def sentence_insertion(self, text: str, target: float) -> str:
        # new shingles ~ inserted words: J = N / (N + inserted)
        budget = len(text.split()) * (1 / target - 1)
        blocks = paragraphs(text)
        inserted = 0
        while inserted < budget:
            sentence = self.donor_sentences[self._int(0, len(self.donor_sentences))]
            k = self._int(0, len(blocks))
            parts = SENTENCE_END.split(blocks[k])
            parts.insert(self._int(0, len(parts) + 1), sentence)
            blocks[k] = " ".join(parts)
            inserted += len(sentence.split()) + SIZE - 1
        return join_paragraphs(blocks, has_blank_lines(text))

    def sentence_deletion(self, text: str, target: float) -> str:
        blocks = [SENTENCE_END.split(b) for b in paragraphs(text)]
        total = len(text.split())
        budget = total * (1 - target)
        removed = 0
        while removed < budget and sum(len(b) for b in blocks) > 3:
            k = self._int(0, len(blocks))
            if blocks[k]:
                sentence = blocks[k].pop(self._int(0, len(blocks[k])))
                removed += len(sentence.split()) + SIZE - 1
        return join_paragraphs([" ".join(b) for b in blocks if b], has_blank_lines(text))

    def paragraph_reorder(self, text: str, target: float) -> str:
        # each moved paragraph breaks about 2 * (SIZE - 1) boundary shingles; move more for lower targets
        blocks = paragraphs(text)
        boundaries = (1 - target) * len(text.split()) / (2 * (SIZE - 1))
        for _ in range(max(1, round(boundaries))):
            block = blocks.pop(self._int(0, len(blocks)))
            blocks.insert(self._int(0, len(blocks) + 1), block)
        return join_paragraphs(blocks, has_blank_lines(text))

    def _boilerplate_words(self, text: str, target: float) -> int:
        return max(3, round(len(text.split()) * (1 / target - 1)))

    def boilerplate_start(self, text: str, target: float) -> str:
        return "\n".join(self.boilerplate.block(self._boilerplate_words(text, target))) + "\n" + text

    def boilerplate_end(self, text: str, target: float) -> str:
        return text + "\n".join(self.boilerplate.block(self._boilerplate_words(text, target))) + "\n"

    def truncate_mid_sentence(self, text: str, target: float) -> str:
        # keep the first share J of the words, cut inside a sentence (not after . ! ?)
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        cut = max(SIZE, round(target * len(spans)))
        while cut < len(spans) - 1 and text[spans[cut - 1][1] - 1] in ".!?\"'”":
            cut += 1
        return text[:spans[cut - 1][1]] + "\n"

    def truncate_paragraph_end(self, text: str, target: float) -> str:
        blocks = paragraphs(text)
        shares = np.cumsum([len(b.split()) for b in blocks]) / len(text.split())
        keep = int(np.argmin(np.abs(shares - target))) + 1
        return join_paragraphs(blocks[:min(keep, len(blocks) - 1)] or blocks[:1], has_blank_lines(text))

    def mixed(self, text: str, target: float) -> str:
        """Two or three edits of different kinds, as a re-post: each takes its share of the target."""
        kinds = self.rng.choice([k for k in EDIT_KINDS if k not in ("mixed", "truncate_mid_sentence")],
                                size=self._int(2, 4), replace=False)
        for kind in kinds:
            text = getattr(self, str(kind))(text, target ** (1 / len(kinds)))
        return text

    def edit(self, kind: str, text: str, target: float) -> str:
        return getattr(self, kind)(text, target)


LAYOUTS: dict[str, Callable[[str, np.random.Generator], str]] = {
    "rewrapped": lambda text, rng: join_paragraphs(
        [textwrap.fill(p, width=int(rng.choice([60, 72, 80])), break_long_words=False, break_on_hyphens=False)
         for p in paragraphs(text)], has_blank_lines(text)),
    "joined": lambda text, rng: join_paragraphs(unwrap(text), False),
    "blank_lines_added": lambda text, rng: "\n\n".join(text.strip().split("\n")) + "\n",
    "blank_lines_removed": lambda text, rng: "\n".join(line for line in text.split("\n") if line.strip()) + "\n",
    "exact_copy": lambda text, rng: text,
}


def layout_candidates(kind: str, text: str) -> bool:
    """Originals on which a layout change changes something."""
    if kind == "rewrapped":
        return not is_hard_wrapped(text)
    if kind == "joined":
        return is_hard_wrapped(text)
    if kind == "blank_lines_removed":
        return has_blank_lines(text)
    return True


# --- the planted corpus -------------------------------------------------------------------------------
def tier_of(value: float) -> str | None:
    for name, low, high, _ in TIERS:
        if low <= value < high:
            return name
    return None


def plant_edits(rng: np.random.Generator, background: list[str], per_tier_and_kind: int) -> list[Doc]:
    """Edited variants: for every kind, aim at each tier in turn, keep what lands in a tier still short."""
    editor = Editor(rng, background)
    count: Counter[tuple[str, str]] = Counter()
    variants = []
    for kind in EDIT_KINDS:
        for tier, low, high, _ in TIERS:
            attempts = 0
            while count[tier, kind] < per_tier_and_kind and attempts < 25 * per_tier_and_kind:
                attempts += 1
                family = int(rng.integers(len(background)))
                original = background[family]
                text = editor.edit(kind, original, float(rng.uniform(low, min(high, 0.995))))
                value = true_jaccard(original, text)
                landed = tier_of(value)
                if landed is not None and value < 1.0 and count[landed, kind] < per_tier_and_kind:
                    count[landed, kind] += 1
                    variants.append(Doc("", text, family, kind, value, landed))
    return variants


def plant_layouts(rng: np.random.Generator, background: list[str], per_kind: int) -> list[Doc]:
    variants = []
    for kind in LAYOUT_KINDS:
        fitting = [i for i, text in enumerate(background) if layout_candidates(kind, text)]
        for family in rng.choice(fitting, size=min(per_kind, len(fitting)), replace=False):
            text = LAYOUTS[kind](background[family], rng)
            variants.append(Doc("", text, int(family), kind, true_jaccard(background[family], text)))
    return variants


def place(rng: np.random.Generator, background: list[str], variants: list[Doc], sites: int) -> list[Doc]:
    """File names: background article i in folder i % sites; a variant in its original's folder half of the
    time, else in another; names are opaque and shuffled, so input order says nothing about families."""
    docs = [Doc("", text, i, ORIGINAL, 1.0) for i, text in enumerate(background)] + variants
    numbers = rng.permutation(len(docs))
    for doc, number in zip(docs, numbers, strict=True):
        site = doc.family % sites
        if doc.kind != ORIGINAL and rng.random() < 0.5:
            site = (site + int(rng.integers(1, sites))) % sites
        doc.name = f"site{site:02d}/doc{number:05d}.txt"
    return docs


# --- running and scoring ------------------------------------------------------------------------------
@dataclass
class EndToEnd:
    runs: list[dict[int, str]]  # per dedup run (default config, then each target): document -> cluster id
    clean: dict[int, str]  # document -> clean text (absent when quarantined)
    seconds: dict[str, float]

    @property
    def empty(self) -> set[int]:
        return {i for i, text in self.clean.items() if not text.strip()}


def clusters_end_to_end(docs: list[Doc], targets: Sequence[float], jobs: int, keep: Path | None = None) -> EndToEnd:
    """clean_corpus then dedup_corpus(mark_only) with the default config (then again at each other target
    on the same clean output): per run, document index -> cluster id (absent when quarantined).

    The work happens in a temporary folder, or in `keep` (left for inspection: in/, out/, dedup-*/)."""
    seconds = {}
    with tempfile.TemporaryDirectory(prefix="tierbench-") as scratch:
        if keep and keep.exists() and any(keep.iterdir()):
            raise SystemExit(f"--keep {keep}: not empty")
        tmp = str(keep) if keep else scratch
        source = Path(tmp) / "in"
        for doc in docs:
            path = source / doc.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(doc.text, encoding="utf-8")
        index = {doc.name: i for i, doc in enumerate(docs)}
        started = time.perf_counter()
        clean_corpus([str(source)], Path(tmp) / "out", Config(), jobs=jobs)
        seconds["clean"] = time.perf_counter() - started
        runs, clean = [], {}
        for target in (None, *targets):
            config = Config() if target is None else Config({"dedup": {"target_jaccard": target}})
            out = Path(tmp) / f"dedup-{target or 'default'}"
            started = time.perf_counter()
            dedup_corpus(Path(tmp) / "out" / "documents.jsonl", out, config, mark_only=True)
            seconds[f"dedup {target or 'default'}"] = time.perf_counter() - started
            labels = {}
            for line in (out / "documents.jsonl").read_bytes().splitlines():
                record = orjson.loads(line)
                i = index[Path(record["metadata"]["input_key"]).relative_to(source).as_posix()]
                labels[i] = record["metadata"]["dedup"]["cluster"]
                clean[i] = record["text"]
            runs.append(labels)
    return EndToEnd(runs, clean, seconds)


def clean_jaccard(docs: list[Doc], clean: dict[int, str]) -> dict[int, float]:
    """Variant -> Jaccard of its clean text to its original's clean text (0 when either was quarantined):
    what dedup sees, so the share at the target is the most that dedup of the clean text can find."""
    originals = {doc.family: i for i, doc in enumerate(docs) if doc.kind == ORIGINAL}
    out = {}
    for i, doc in enumerate(docs):
        if doc.kind != ORIGINAL:
            o = originals[doc.family]
            out[i] = true_jaccard(clean[o], clean[i]) if i in clean and o in clean else 0.0
    return out


def normalised_grams(text: str) -> list[bytes]:
    tokens = normalise(text).split()
    return [" ".join(tokens[i:i + SIZE]).encode() for i in range(max(1, len(tokens) - SIZE + 1))]


def clusters_datasketch(docs: list[Doc], threshold: float) -> dict[int, str]:
    """datasketch MinHashLSH(threshold, 128) on the input text; candidates kept at estimate >= threshold,
    then union-find, so that it is scored on clusters as ours is."""
    from datasketch import MinHash, MinHashLSH

    hashes = MinHash.bulk([normalised_grams(doc.text) for doc in docs], num_perm=128)
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for i, m in enumerate(hashes):
        lsh.insert(i, m, check_duplication=False)
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i and m.jaccard(hashes[j]) >= threshold:
                parent[root(i)] = root(j)
    return {i: str(root(i)) for i in range(len(docs))}


@dataclass
class Score:
    found: dict[int, bool]  # variant document index -> clustered with its original
    false_background: int  # document pairs of one cluster from different articles, not a negative pair
    false_negatives: int  # document pairs of one cluster from a same-topic negative pair of articles
    negatives_clustered: int  # negative article pairs with any of their documents clustered together
    false_empty: int  # of all those false pairs, how many join two documents whose clean text is empty


def score(docs: list[Doc], labels: dict[int, str], negatives: dict[tuple[int, int], tuple[float, float]],
          empty: set[int] = frozenset()) -> Score:
    """A planted pair is found when variant and original share a cluster, unless cleaning emptied both (the
    product clusters empty texts together: that finds nothing, the article is lost); a false pair is two
    documents of one cluster that derive from different background articles (variants of one may cluster)."""
    originals = {doc.family: i for i, doc in enumerate(docs) if doc.kind == ORIGINAL}
    found = {i: i in labels and labels.get(originals[doc.family]) == labels[i]
             and not (i in empty and originals[doc.family] in empty)
             for i, doc in enumerate(docs) if doc.kind != ORIGINAL}
    members: dict[str, list[int]] = defaultdict(list)
    for i, cluster in labels.items():
        members[cluster].append(i)
    false_background = false_negatives = false_empty = 0
    clustered_negatives = set()
    for cluster in members.values():
        for x, a in enumerate(cluster):
            for b in cluster[x + 1:]:
                pair = tuple(sorted((docs[a].family, docs[b].family)))
                if pair[0] == pair[1]:
                    continue
                false_empty += a in empty and b in empty
                if pair in negatives:
                    false_negatives += 1
                    clustered_negatives.add(pair)
                else:
                    false_background += 1
    return Score(found, false_background, false_negatives, len(clustered_negatives), false_empty)


def recall(found: dict[int, bool], which: list[int]) -> str:
    return f"{sum(found[i] for i in which) / len(which):.3f}" if which else "  -  "


# --- report -------------------------------------------------------------------------------------------
def share_at(values: dict[int, float], which: list[int], threshold: float) -> str:
    return f"{sum(values[i] >= threshold for i in which) / len(which):.3f}" if which else "  -  "


def print_tables(docs: list[Doc], ours: Score, theirs: Score, clean_j: dict[int, float], negatives: int,
                 threshold: float) -> None:
    by_tier = {tier: [i for i, d in enumerate(docs) if d.tier == tier] for tier, *_ in TIERS}
    rows = [(f"tier {tier}", by_tier[tier], f">= {target:.2f}" if target is not None else "reported only")
            for tier, _, _, target in TIERS]
    for kind in LAYOUT_KINDS:
        which = [i for i, d in enumerate(docs) if d.kind == kind]
        rows.append((f"layout {kind} (J >= {min((docs[i].jaccard for i in which), default=1.0):.2f})", which,
                     f">= {LAYOUT_TARGETS[kind]:.2f}"))
    # "clean J" is the share of pairs whose CLEAN texts are still at the threshold: what dedup could find
    # after cleaning; the gap from the input's 1.00 is lost by cleaning, the gap below it by dedup
    print(f"\n{'planted pairs (true input Jaccard)':<44}{'pairs':>6}{'ours e2e':>10}{f'clean J>={threshold}':>15}"
          f"{'datasketch':>12}  target (ours, default)")
    for label, which, goal in rows:
        print(f"{'  ' + label:<44}{len(which):>6}{recall(ours.found, which):>10}"
              f"{share_at(clean_j, which, threshold):>15}{recall(theirs.found, which):>12}  {goal}")

    print(f"\nrecall by edit kind and tier: ours e2e / datasketch MinHashLSH({threshold}, 128) (pairs)")
    print(f"{'kind':<24}" + "".join(f"{tier:>20}" for tier, *_ in TIERS) + f"{'all tiers':>20}")
    for kind in EDIT_KINDS:
        cells = []
        for tier in [t for t, *_ in TIERS] + [None]:
            which = [i for i, d in enumerate(docs) if d.kind == kind and (tier is None or d.tier == tier)]
            cells.append(f"{recall(ours.found, which)}/{recall(theirs.found, which)} ({len(which)})"
                         if which else "-")
        print(f"{kind:<24}" + "".join(f"{cell:>20}" for cell in cells))

    print(f"\n{'false pairs (document pairs clustered)':<50}{'ours e2e':>10}{'datasketch':>12}  target")
    print(f"{'  different background articles':<50}{ours.false_background:>10}{theirs.false_background:>12}  0")
    print(f"{'  same-topic negatives (document pairs)':<50}{ours.false_negatives:>10}{theirs.false_negatives:>12}  0")
    print(f"{f'  same-topic negative article pairs, of {negatives}':<50}{ours.negatives_clustered:>10}"
          f"{theirs.negatives_clustered:>12}  0")
    print(f"{'  of all false pairs: both clean texts empty':<50}{ours.false_empty:>10}{'-':>12}")


Negatives = dict[tuple[int, int], tuple[float, float]]


def build(harness, sizes: Sizes, seed: int) -> tuple[list[Doc], Negatives, str]:
    """The planted corpus, its same-topic negatives and a line describing it.

    A smaller background keeps every article of a same-topic negative pair (they are few) and fills up
    with a random sample, so that --quick measures negatives too."""
    rng = np.random.default_rng(seed)
    pool = gold_texts(harness)
    distinct = distinct_articles(pool)
    chosen = set(range(len(distinct)))
    if sizes.background is not None and sizes.background < len(distinct):
        chosen = {i for pair in same_topic_negatives(distinct) for i in pair}
        chosen |= {int(i) for i in rng.permutation(len(distinct))[:max(0, sizes.background - len(chosen))]}
    background = [distinct[i] for i in sorted(chosen)]
    negatives = same_topic_negatives(background)
    variants = (plant_edits(rng, background, sizes.per_tier_and_kind)
                + plant_layouts(rng, background, sizes.per_layout_kind))
    docs = place(rng, background, variants, sizes.sites)
    highest = max((j for _, j in negatives.values()), default=0.0)
    line = (f"{len(background)} background articles (of {len(pool)} dev-set gold texts with >= {MIN_WORDS} words, "
            f"{len(pool) - len(distinct)} dropped as near-duplicates of another at J >= {BACKGROUND_MAX_JACCARD}), "
            f"{len(variants)} planted variants, {len(negatives)} same-topic negative pairs (TF-IDF cosine >= "
            f"{NEGATIVE_MIN_COSINE}, highest J {highest:.2f}); {len(docs)} .txt files in {sizes.sites} folders")
    return docs, negatives, line


def describe_plants(docs: list[Doc]) -> None:
    kinds = Counter((doc.tier or "layout", doc.kind) for doc in docs if doc.kind != ORIGINAL)
    print("planted pairs per tier and kind:")
    for tier in [t for t, *_ in TIERS] + ["layout"]:
        print(f"  {tier:<9} " + ", ".join(f"{kind} {n}" for (t, kind), n in sorted(kinds.items()) if t == tier))
    # the cleaner's repeated-line rule treats a line in >= 3 documents of one folder as that site's boilerplate
    per_folder = Counter((doc.family, doc.name.split("/")[0]) for doc in docs)
    crowded = sum(n >= Config()["noise"]["repeated_min_documents"] for n in per_folder.values())
    print(f"  articles with >= {Config()['noise']['repeated_min_documents']} of their documents in one folder "
          f"(noise.repeated_min_documents): {crowded}")


def run(harness, quick: bool, targets: Sequence[float], seed: int, jobs: int, keep: Path | None = None) -> None:
    started = time.perf_counter()
    docs, negatives, line = build(harness, QUICK_SIZES if quick else DEFAULT_SIZES, seed)
    print(f"tier benchmark: {line}; built in {time.perf_counter() - started:.0f} s")
    background = sum(doc.kind == ORIGINAL for doc in docs)
    if not quick and background < MIN_BACKGROUND:
        print(f"warning: only {background} background articles (wanted >= {MIN_BACKGROUND})")
    describe_plants(docs)
    result = clusters_end_to_end(docs, targets, jobs, keep)
    clean_j = clean_jaccard(docs, result.clean)
    labels = result.runs[0]
    print(f"clean -> dedup (default Config(), jobs={jobs}): {len(docs)} files, {len(labels)} documents out "
          f"({len(docs) - len(labels)} quarantined), {len(result.empty)} with empty clean text; "
          + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.seconds.items()))
    for threshold, labels in zip((0.8, *targets), result.runs, strict=True):
        if threshold != 0.8:
            print(f"\n=== rerun of dedup alone with dedup.target_jaccard = {threshold} (config `[dedup]` "
                  f"`target_jaccard = {threshold}`), beside datasketch MinHashLSH({threshold}, 128)")
        print_tables(docs, score(docs, labels, negatives, result.empty),
                     score(docs, clusters_datasketch(docs, threshold), negatives), clean_j, len(negatives), threshold)
    print(f"\ntier benchmark: {time.perf_counter() - started:.0f} s in all")
