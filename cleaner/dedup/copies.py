"""Copy groups: which inputs of a corpus are copies of one another, before anything is cleaned.

Real corpora hold re-crawls, syndicated wire stories and pages saved twice. Evidence that counts
documents (a line a source repeats, an article's opening glued after another) must count each piece
of content once, or copies vouch for each other: two copies of one article would make its lines
"repeated" and its opening "another document's lead". So the first pass fingerprints every input's
normalised text (`fingerprint`) and `group_copies` joins

- exact copies: the same normalised word sequence (case, punctuation, line breaks and blank lines
  ignored, so a re-wrapped copy is exact too), whatever their length;
- near copies: word-shingle MinHash estimate >= `dedup.target_jaccard` on an LSH band collision, of
  their prose (the paragraphs that read like an article's, given by the caller): pages of one site
  share their template (menus, teasers, footers) without being copies, and a short story in a heavy
  template would make them near-duplicate pages. Prose of fewer than `dedup.min_tokens` words is too
  short to tell, and such a page joins only its exact copies.

A group is named by its smallest input key, so the grouping does not depend on input order.

The grouping runs in SQLite (`group_copies`), over a table of fingerprints that the first pass fills as
it goes, so that its memory does not grow with the corpus: exact copies meet in an index of their word
hashes; near copies meet as equal LSH band keys (`cleaner.dedup.lsh`) in an indexed table, joined in
SQL, and each candidate pair is verified on the two signatures; the groups are the connected
components of the verified pairs, found by propagating the smallest key along them until nothing
changes (a pass per step of the longest chain of near copies; only near copies take part).

    >>> import sqlite3
    >>> from cleaner.config import Config
    >>> from cleaner.dedup.params import params_from_config
    >>> settings = params_from_config(Config())
    >>> story = "The council approved the budget on Tuesday after a long debate about schools and roads. " * 3
    >>> other = "Something else entirely, about the weather and the sea."
    >>> db = sqlite3.connect(":memory:")
    >>> db.execute(PRINTS)  # doctest: +ELLIPSIS
    <sqlite3.Cursor ...>
    >>> for key, text, prose in (("a.txt", story, story), ("b.txt", story.upper(), story), ("c.txt", other, other)):
    ...     copy = fingerprint(text, prose, settings)
    ...     _ = db.execute("INSERT INTO docs(key, words, signature) VALUES (?, ?, ?)",
    ...                    (key.encode(), copy.words, copy.signature))
    >>> group_copies(db, settings)
    >>> db.execute("SELECT d.key, g.key FROM copy_groups c JOIN docs d ON d.seq = c.seq"
    ...            " JOIN docs g ON g.seq = c.grp ORDER BY d.key").fetchall()
    [(b'a.txt', b'a.txt'), (b'b.txt', b'a.txt'), (b'c.txt', b'c.txt')]
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import xxhash

from cleaner.dedup.lsh import band_keys
from cleaner.dedup.minhash import signatures
from cleaner.dedup.params import Params
from cleaner.dedup.shingles import shingles_of_tokens, token_hashes

# The fingerprints `group_copies` reads; a caller may add columns of its own. Keys are UTF-8 bytes
# (surrogatepass, for names that are not UTF-8), which compare like the keys as Python strings.
PRINTS = ("CREATE TABLE docs(seq INTEGER PRIMARY KEY, key BLOB UNIQUE NOT NULL, words TEXT NOT NULL,"
          " signature BLOB)")
# pairs verified per batch: enough to amortise numpy's per-call cost, a few MB of signatures
_BATCH = 4096


@dataclass(frozen=True)
class Fingerprint:
    """What copy detection needs of one text: a hash of its word sequence and, when long enough, a signature."""

    words: str
    signature: bytes | None  # uint32 MinHash slots, as bytes (compact, hashable, cheap to pickle)


def fingerprint(text: str, prose: str, settings: Params) -> Fingerprint:
    """The fingerprint of `text`, whose article-like paragraphs are `prose`."""
    tokens, offsets = token_hashes([text, prose])
    words = xxhash.xxh3_128_hexdigest(tokens[offsets[0]:offsets[1]].tobytes())
    if offsets[2] - offsets[1] < settings.min_tokens:
        return Fingerprint(words, None)
    hashes, offsets = shingles_of_tokens(tokens[offsets[1]:], offsets[1:] - offsets[1], settings.shingle_size)
    return Fingerprint(words, signatures(hashes, offsets, settings.num_perm, settings.seed)[0].tobytes())


def run_sql(db: sqlite3.Connection, script: str) -> None:
    """The statements of `script` one by one, in the caller's transaction (`executescript` would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def group_copies(db: sqlite3.Connection, settings: Params) -> None:
    """Fill `copy_groups(seq, grp)`: every row of `docs` and the `seq` of its group's smallest key."""
    run_sql(db, """
        CREATE INDEX copy_words ON docs(words, key);
        -- each exact group by its smallest key: the representative that near-copy detection compares
        CREATE TABLE copy_exact(words TEXT PRIMARY KEY, key BLOB NOT NULL) WITHOUT ROWID;
        INSERT INTO copy_exact SELECT words, MIN(key) FROM docs GROUP BY words;
        CREATE TABLE copy_bands(band INTEGER NOT NULL, seq INTEGER NOT NULL);
        CREATE TABLE copy_edges(a INTEGER NOT NULL, b INTEGER NOT NULL);
    """)
    signed = db.execute("SELECT d.seq, d.signature FROM copy_exact e JOIN docs d ON d.key = e.key"
                        " WHERE d.signature IS NOT NULL")
    while batch := signed.fetchmany(_BATCH):
        rows = np.frombuffer(b"".join(signature for _, signature in batch), dtype=np.uint32).reshape(len(batch), -1)
        # SQLite integers are signed: the keys' bits, read as int64
        keys = band_keys(rows, settings.bands, settings.rows).view(np.int64).tolist()
        db.executemany("INSERT INTO copy_bands VALUES (?, ?)",
                       ((band, seq) for (seq, _), bands in zip(batch, keys, strict=True) for band in bands))
    db.execute("CREATE INDEX copy_band_index ON copy_bands(band, seq)")
    # a pair sharing several bands is verified once
    pairs = db.execute("""
        SELECT p.a, p.b, x.signature, y.signature
        FROM (SELECT DISTINCT i.seq AS a, j.seq AS b FROM copy_bands i
              JOIN copy_bands j ON j.band = i.band AND j.seq > i.seq) p
        JOIN docs x ON x.seq = p.a JOIN docs y ON y.seq = p.b""")
    while batch := pairs.fetchmany(_BATCH):
        left = np.frombuffer(b"".join(row[2] for row in batch), dtype=np.uint32).reshape(len(batch), -1)
        right = np.frombuffer(b"".join(row[3] for row in batch), dtype=np.uint32).reshape(len(batch), -1)
        # the share of equal slots, as `minhash.estimate_jaccard` computes it, for the whole batch
        near = np.count_nonzero(left == right, axis=1) / left.shape[1] >= settings.target
        db.executemany("INSERT INTO copy_edges VALUES (?, ?), (?, ?)",
                       ((a, b, b, a) for (a, b, _, _), yes in zip(batch, near.tolist(), strict=True) if yes))
    run_sql(db, """
        CREATE INDEX copy_edge_index ON copy_edges(a, b);
        CREATE TABLE copy_names(seq INTEGER PRIMARY KEY, name BLOB NOT NULL);
        INSERT INTO copy_names SELECT DISTINCT e.a, d.key FROM copy_edges e JOIN docs d ON d.seq = e.a;
    """)
    # connected components: each representative takes the smallest name among its neighbours', until
    # no name changes; every name is a key of the component, so the last is its smallest
    while db.execute("""
            UPDATE copy_names SET name = m.name
            FROM (SELECT e.a AS seq, MIN(n.name) AS name FROM copy_edges e JOIN copy_names n ON n.seq = e.b
                  GROUP BY e.a) m
            WHERE m.seq = copy_names.seq AND m.name < copy_names.name""").rowcount:
        pass
    run_sql(db, """
        CREATE TABLE copy_groups(seq INTEGER PRIMARY KEY, grp INTEGER NOT NULL);
        INSERT INTO copy_groups
            SELECT d.seq, g.seq FROM docs d
            JOIN copy_exact e ON e.words = d.words
            JOIN docs r ON r.key = e.key
            LEFT JOIN copy_names n ON n.seq = r.seq
            JOIN docs g ON g.key = COALESCE(n.name, e.key);
        DROP TABLE copy_exact; DROP TABLE copy_bands; DROP TABLE copy_edges; DROP TABLE copy_names;
        DROP INDEX copy_words;
    """)
