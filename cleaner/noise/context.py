"""Corpus context: what a first pass over the whole corpus knows that one document cannot.

* per source (domain, else publisher, else input folder): in how many pieces of content each normalised
  line occurs, so lines repeated across a source's pages can be recognised as its boilerplate;
* across sources: in how many pieces of content outside a source each line occurs, so wire copy and
  quotes other outlets print are protected rather than deleted corpus-wide (CCNet's failure mode);
* the leads (first prose line) of every document, so an article's opening glued after another
  article is recognised as a trailing excerpt.

A piece of content is a copy group (`cleaner.dedup.copies`): exact and near copies of one input are
one witness, not k. Otherwise a re-crawl makes every line of a page "repeated" and a copy's opening
"another document's lead", and copies empty each other. A group's lines are the union of its members'
lines; a group counts in every source one of its members belongs to.

Everything is counted from the documents, so the context is the same whatever order they come in.

The context lives in SQLite, so that memory stays flat however large the corpus: `ContextBuilder` streams
each document's entry into tables as the first pass produces it, `ContextBuilder.finish` groups the
copies (`cleaner.dedup.copies.group_copies`) and counts with SQL (GROUP BY over the copy groups), and
`CorpusContext` answers the noise rules' look-ups by indexed keys. What remains is a line-count table
(per source and overall), a lead table and each input key's group. A run keeps it in a file
(`--out/first_pass/context.sqlite`, `cleaner.engine.saved_pass`), which the local engine's workers
open read-only; the Ray engine ships its bytes (`CorpusContext.image`) to workers on other machines.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import xxhash

from cleaner.dedup.copies import PRINTS, Fingerprint, fingerprint, group_copies, run_sql
from cleaner.dedup.lines import leads
from cleaner.dedup.params import Params
from cleaner.noise.registry import TextView
from cleaner.noise.text import is_prose

_SPACE = re.compile(r"\s+")
LEAD_WORDS = 12


def line_key(text: str) -> int:
    """Hash of a line up to case and white space."""
    return xxhash.xxh64_intdigest(_SPACE.sub(" ", text.casefold()).strip().encode())


def lead_key(text: str) -> int | None:
    """Key of a paragraph's first words, or None when it is too short to identify anything.

    The words are the dedup stage's normalised tokens (case, punctuation and quote styles ignored):
    a glued excerpt is often re-rendered (straight quotes, other dashes). On leads of training pages
    cut at 50-90% and so re-rendered, it finds 85-97% of them against 75-87% for a hash of the raw
    words, with no more false matches (`bench/excerpt_leads.py`). A paragraph MinHash would not fit:
    a teaser cut at half its lead shares only about half the lead's shingles.
    """
    return leads([text], LEAD_WORDS)[0]


def source_key(metadata: dict[str, Any]) -> str:
    """Which source a document belongs to: its domain, else its publisher, else its input folder."""
    for field_name in ("domain", "hostname", "sitename", "publisher"):
        if metadata.get(field_name):
            return str(metadata[field_name]).lower()
    return os.path.dirname(str(metadata.get("source_path") or metadata.get("input_key") or ""))


class LineCounts(NamedTuple):
    """How many copy groups hold a line: among a source's documents, and with no member in that source."""

    in_source: int
    elsewhere: int


@dataclass(frozen=True)
class ContextEntry:
    """What one document adds to the corpus context: computed where the document is prepared."""

    key: str
    source: str
    lines: frozenset[int]
    lead: int | None
    copy: Fingerprint

    @classmethod
    def of(cls, key: str, raw: str, metadata: dict[str, Any], settings: Params) -> ContextEntry:
        # the logical lines the rules judge (a hard-wrapped paragraph is one line), so that their look-ups
        # meet these keys whatever the layout
        paragraphs = [line.stripped for line in TextView(raw).content_lines()]
        prose = [line for line in paragraphs if is_prose(line)]
        copy = fingerprint(raw, "\n".join(prose), settings)
        return cls(key, source_key(metadata), frozenset(map(line_key, paragraphs)),
                   lead_key(prose[0]) if prose else None, copy)


def _signed(key: int) -> int:
    """A 64-bit hash as SQLite stores integers: the same bits, read as signed."""
    return key - (1 << 64) if key >= 1 << 63 else key


def _blob(text: str) -> bytes:
    # keys and sources may hold lone surrogates (names that are not UTF-8), which sqlite3 refuses as text
    return text.encode("utf-8", "surrogatepass")


# SQLite's page cache per connection, in KiB (a negative cache_size): what bounds the memory of the
# build's sorts and joins, which spill to temporary files beyond it, and of the look-ups
_CACHE_KIB = 16 * 1024
# recent sources and keys remembered by a builder or a context (a folder's documents come together)
_RECENT = 1024
# the layout of the file; a kept pass of another layout is redone
LAYOUT = 1


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    return db


class ContextBuilder:
    """The corpus context, filled entry by entry (`add`) and computed at the end (`finish`).

    With `path` the context is built in that file (replaced if it exists), else in memory.
    """

    def __init__(self, settings: Params, path: Path | None = None) -> None:
        self.settings, self.path = settings, path
        if path is not None:
            path.unlink(missing_ok=True)
        self.db = _connect(str(path) if path is not None else ":memory:")
        # the file is rebuilt whole when anything goes wrong (a killed build has no manifest): no journal
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        self.db.execute("BEGIN")
        self.db.execute(PRINTS)
        run_sql(self.db, f"""
            ALTER TABLE docs ADD COLUMN source INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE docs ADD COLUMN lead INTEGER;
            CREATE TABLE sources(id INTEGER PRIMARY KEY, name BLOB UNIQUE NOT NULL);
            CREATE TABLE doc_lines(seq INTEGER NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (seq, line)) WITHOUT ROWID;
            CREATE TABLE layout(version INTEGER NOT NULL);
            INSERT INTO layout VALUES ({LAYOUT});
        """)
        self._sources: dict[str, int] = {}

    def _source_id(self, name: str) -> int:
        found = self._sources.get(name)
        if found is None:
            if len(self._sources) >= _RECENT:
                self._sources.clear()
            self.db.execute("INSERT OR IGNORE INTO sources(name) VALUES (?)", (_blob(name),))
            found = self._sources[name] = self.db.execute("SELECT id FROM sources WHERE name = ?",
                                                          (_blob(name),)).fetchone()[0]
        return found

    def add(self, entry: ContextEntry) -> None:
        """One document's entry; a later entry under the same key replaces it (its lines are left
        behind, but only a key's current row joins the counts)."""
        lead = _signed(entry.lead) if entry.lead is not None else None
        seq = self.db.execute(
            "INSERT OR REPLACE INTO docs(key, words, signature, source, lead) VALUES (?, ?, ?, ?, ?)",
            (_blob(entry.key), entry.copy.words, entry.copy.signature, self._source_id(entry.source), lead),
        ).lastrowid
        self.db.executemany("INSERT INTO doc_lines VALUES (?, ?)", ((seq, _signed(line)) for line in entry.lines))

    def finish(self) -> CorpusContext:
        """The context of every entry added: copies grouped, lines and leads counted per group."""
        group_copies(self.db, self.settings)
        run_sql(self.db, """
            -- a group's lines are the union of its members' lines, and it belongs to each member's source
            CREATE TABLE group_lines(grp INTEGER NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (grp, line))
                WITHOUT ROWID;
            INSERT OR IGNORE INTO group_lines SELECT g.grp, l.line FROM doc_lines l JOIN copy_groups g ON g.seq = l.seq;
            CREATE TABLE group_sources(grp INTEGER NOT NULL, source INTEGER NOT NULL, PRIMARY KEY (grp, source))
                WITHOUT ROWID;
            INSERT OR IGNORE INTO group_sources SELECT g.grp, d.source FROM docs d JOIN copy_groups g ON g.seq = d.seq;
            CREATE TABLE line_totals(line INTEGER PRIMARY KEY, groups INTEGER NOT NULL);
            INSERT INTO line_totals SELECT line, COUNT(*) FROM group_lines GROUP BY line;
            CREATE TABLE source_lines(source INTEGER NOT NULL, line INTEGER NOT NULL, groups INTEGER NOT NULL,
                                      PRIMARY KEY (source, line)) WITHOUT ROWID;
            INSERT INTO source_lines
                SELECT s.source, l.line, COUNT(*) FROM group_lines l JOIN group_sources s ON s.grp = l.grp
                GROUP BY s.source, l.line;
            -- a lead keeps the two smallest of the groups holding it: enough to tell whether one is not
            -- the asking document's
            CREATE TABLE lead_groups(lead INTEGER NOT NULL, grp INTEGER NOT NULL, PRIMARY KEY (lead, grp))
                WITHOUT ROWID;
            INSERT OR IGNORE INTO lead_groups
                SELECT d.lead, g.grp FROM docs d JOIN copy_groups g ON g.seq = d.seq WHERE d.lead IS NOT NULL;
            CREATE TABLE leads(lead INTEGER PRIMARY KEY, first INTEGER NOT NULL, second INTEGER);
            INSERT INTO leads SELECT lead, MIN(grp), NULL FROM lead_groups GROUP BY lead;
            UPDATE leads SET second =
                (SELECT MIN(h.grp) FROM lead_groups h WHERE h.lead = leads.lead AND h.grp > leads.first);
            CREATE TABLE documents(key BLOB PRIMARY KEY, grp INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO documents SELECT d.key, g.grp FROM docs d JOIN copy_groups g ON g.seq = d.seq;
            DROP TABLE group_lines; DROP TABLE group_sources; DROP TABLE lead_groups; DROP TABLE copy_groups;
            DROP TABLE doc_lines; DROP TABLE docs
        """)
        self.db.execute("COMMIT")
        self.db.execute("VACUUM")  # the file shrinks to what the look-ups read (and what Ray ships)
        if self.path is None:
            return CorpusContext(self.db)
        self.db.close()
        return CorpusContext.open(self.path)


class CorpusContext:
    """Line and lead statistics of a corpus, counted per copy group, in SQLite (`ContextBuilder`)."""

    def __init__(self, db: sqlite3.Connection, path: Path | None = None) -> None:
        self.db, self.path = db, path
        self._sources: dict[str, int | None] = {}
        self._groups: dict[str, int | None] = {}

    @classmethod
    def build(cls, entries: Iterable[ContextEntry], settings: Params, path: Path | None = None) -> CorpusContext:
        """From every document's entry, in any order; in the file `path`, else in memory."""
        builder = ContextBuilder(settings, path)
        for entry in entries:
            builder.add(entry)
        return builder.finish()

    @classmethod
    def open(cls, path: Path) -> CorpusContext:
        """The finished context in the file `path`, read-only (and never changed: no locking)."""
        db = _connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
        try:
            (version,), = db.execute("SELECT version FROM layout").fetchall()
        except (sqlite3.DatabaseError, ValueError) as exc:
            db.close()
            raise ValueError(f"{path} holds no corpus context ({type(exc).__name__})") from None
        if version != LAYOUT:
            db.close()
            raise ValueError(f"{path} holds a corpus context of layout {version}, not {LAYOUT}")
        return cls(db, path)

    def image(self) -> bytes:
        """The whole database as bytes, for workers that cannot open the file (`from_image`)."""
        return self.db.serialize()

    @classmethod
    def from_image(cls, image: bytes) -> CorpusContext:
        """The context whose `image` this is, in memory."""
        db = _connect(":memory:")
        db.deserialize(image)
        return cls(db)

    def __getstate__(self) -> dict[str, Any]:
        # a process of the same machine opens the file; a context without one travels whole
        return {"path": self.path} if self.path is not None else {"image": self.image()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        other = CorpusContext.open(state["path"]) if "path" in state else CorpusContext.from_image(state["image"])
        self.__init__(other.db, other.path)  # type: ignore[misc]

    def close(self) -> None:
        self.db.close()

    @staticmethod
    def _recent(cache: dict[str, int | None], name: str, query: str, db: sqlite3.Connection) -> int | None:
        if name not in cache:
            if len(cache) >= _RECENT:
                cache.clear()
            row = db.execute(query, (_blob(name),)).fetchone()
            cache[name] = row[0] if row else None
        return cache[name]

    def _source(self, metadata: dict[str, Any]) -> int | None:
        return self._recent(self._sources, source_key(metadata), "SELECT id FROM sources WHERE name = ?", self.db)

    def _group(self, metadata: dict[str, Any]) -> int | None:
        return self._recent(self._groups, str(metadata.get("input_key")), "SELECT grp FROM documents WHERE key = ?",
                            self.db)

    def documents_with_line(self, text: str, metadata: dict[str, Any]) -> LineCounts:
        """Copy groups holding the line: in this document's source, and with no member in it."""
        key = _signed(line_key(text))
        in_source, total = self.db.execute(
            "SELECT (SELECT groups FROM source_lines WHERE source = ? AND line = ?),"
            " (SELECT groups FROM line_totals WHERE line = ?)", (self._source(metadata), key, key)).fetchone()
        return LineCounts(in_source or 0, (total or 0) - (in_source or 0))

    def is_foreign_lead(self, text: str, metadata: dict[str, Any]) -> bool:
        """True when `text` opens like the lead of a document that is not a copy of this one."""
        found = lead_key(text)
        if found is None:
            return False
        row = self.db.execute("SELECT first, second FROM leads WHERE lead = ?", (_signed(found),)).fetchone()
        own = self._group(metadata)
        return row is not None and any(group is not None and group != own for group in row)
