"""Where the dedup index lives: an embedded SQLite file (default) or a Redis server.

The index code only sees the small `Storage` interface: named key -> bytes tables plus one band
table (band key -> document numbers). `open_storage("path/index.sqlite")` or
`open_storage("redis://127.0.0.1:6379/0")` picks the backend, as datasketch's `storage_config` does.

Writes are buffered until `commit()`. SQLite commits them in one transaction (WAL journal), so a
killed run leaves the index as it was after the last finished batch. Redis goes through datasketch's
Redis storage containers (`RedisSetStorage` for bands, `RedisListStorage` for tables), whose buffers
are flushed as MULTI/EXEC transactions, one per container; the `ids` table, which marks documents as
indexed and numbers the next one, is flushed last, so a run killed inside a commit is repaired by
running the same input again (it rewrites the same records under the same numbers).
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlparse

from datasketch.storage import ordered_storage, unordered_storage

TABLES = ("meta", "ids", "hashes", "docs", "signatures", "shingles", "clusters")
_ARRAY_TABLES = ("signatures", "shingles")
_SQL_CHUNK = 500  # parameters per IN (...) query, well below SQLite's limit


REDIS_SPEC = "redis://host:port/db"


class IndexUnavailable(RuntimeError):
    """An index that cannot be opened or used: not a SQLite file, not ours, read-only, a Redis that is down."""


def index_spec_problem(spec: str) -> str | None:
    """Why `spec` names no index (None when it does): a SQLite path or redis://host:port/db."""
    if spec.startswith("redis://"):
        try:
            parsed = urlparse(spec)
            parsed.port  # noqa: B018  (raises ValueError for a port that is not a number)
        except ValueError as exc:
            return f"{spec}: {exc}"
        database = parsed.path.strip("/")
        if database and not database.isdigit():
            return f"{spec}: the database must be a number ({REDIS_SPEC})"
        return None
    # "http://..." would otherwise become a file named "http:" and its folders
    if "://" in spec:
        return f"{spec}: only a SQLite file path or {REDIS_SPEC} is an index"
    return None


class Storage(Protocol):
    """Named tables of str -> bytes, and one table of band key -> document numbers; writes wait for commit()."""

    def get(self, table: str, keys: Sequence[str]) -> list[bytes | None]: ...
    def put(self, table: str, items: dict[str, bytes]) -> None: ...
    def delete(self, table: str, keys: Iterable[str]) -> None: ...
    def count(self, table: str) -> int: ...
    def band_members(self, keys: Sequence[int]) -> dict[int, list[int]]: ...
    def add_bands(self, pairs: Iterable[tuple[int, int]]) -> None: ...
    def commit(self) -> None: ...
    def close(self) -> None: ...


def _signed(key: int) -> int:
    """uint64 -> int64 with the same bits (SQLite integers are signed)."""
    return key - (1 << 64) if key >= 1 << 63 else key


class SQLiteStorage:
    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # created here, as open() would (0666 cut by the umask): SQLite's own default is 0644
        if str(path) != ":memory:" and not Path(path).exists():
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        self.db = sqlite3.connect(str(path), isolation_level=None)
        _refuse_foreign(self.db, path)
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process; only a power cut can lose the last commit
        self.db.execute("PRAGMA synchronous=NORMAL")
        # band keys are random: inserts touch pages all over the table, so give it a bigger cache (32 MB)
        self.db.execute("PRAGMA cache_size=-32000")
        for table in TABLES:
            # the arrays in rowid tables, appended in the order written with pages filled: in a WITHOUT
            # ROWID table each shingle set (3-4 kB) spilled into a half-empty overflow page of its own
            layout = "" if table in _ARRAY_TABLES else " WITHOUT ROWID"
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB){layout}")
        self.db.execute("CREATE TABLE IF NOT EXISTS bands (key INTEGER, seq INTEGER, PRIMARY KEY (key, seq))"
                        " WITHOUT ROWID")
        self.db.execute("BEGIN")

    def get(self, table: str, keys: Sequence[str]) -> list[bytes | None]:
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), _SQL_CHUNK):
            chunk = unique[i:i + _SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT key, value FROM {table} WHERE key IN ({marks})", chunk))
        return [found.get(key) for key in keys]

    def put(self, table: str, items: dict[str, bytes]) -> None:
        self.db.executemany(f"INSERT OR REPLACE INTO {table} (key, value) VALUES (?, ?)", items.items())

    def delete(self, table: str, keys: Iterable[str]) -> None:
        self.db.executemany(f"DELETE FROM {table} WHERE key = ?", ((key,) for key in keys))

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def band_members(self, keys: Sequence[int]) -> dict[int, list[int]]:
        members: dict[int, list[int]] = {}
        signed = {_signed(key): key for key in keys}
        unique = sorted(signed)
        for i in range(0, len(unique), _SQL_CHUNK):
            chunk = unique[i:i + _SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, seq in self.db.execute(f"SELECT key, seq FROM bands WHERE key IN ({marks})", chunk):
                members.setdefault(signed[key], []).append(seq)
        return members

    def add_bands(self, pairs: Iterable[tuple[int, int]]) -> None:
        # in key order, each B-tree page is visited once per batch instead of once per row
        self.db.executemany("INSERT OR IGNORE INTO bands (key, seq) VALUES (?, ?)",
                            sorted((_signed(key), seq) for key, seq in pairs))

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        """Close without committing: what was not committed is discarded."""
        self.db.close()


def _refuse_foreign(db: sqlite3.Connection, path: str | Path) -> None:
    """A SQLite file with tables of its own is some other program's data: never add ours to it."""
    found = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if found and not found <= {*TABLES, "bands"}:
        db.close()
        raise IndexUnavailable(f"dedup index {path} is a SQLite file of something else (tables: "
                               f"{', '.join(sorted(found))})")


class RedisStorage:
    def __init__(self, url: str) -> None:
        if importlib.util.find_spec("redis") is None:
            raise ValueError(f"{url} needs the redis client: pip install 'cleaner[redis]'")
        parsed = urlparse(url)
        prefix = parse_qs(parsed.query).get("prefix", ["cleaner-dedup"])[0]
        config = {"type": "redis", "redis": {"host": parsed.hostname or "127.0.0.1", "port": parsed.port or 6379,
                                              "db": int(parsed.path.strip("/") or 0)}}
        self.bands = unordered_storage(config, name=f"{prefix}:bands:".encode())
        self.tables = {table: ordered_storage(config, name=f"{prefix}:{table}:".encode()) for table in TABLES}
        # a server that is down would otherwise only show up at the first lookup, deep in the index code
        self.bands._redis.ping()

    def get(self, table: str, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        return [values[0] if values else None for values in self.tables[table].getmany(*keys)]

    def put(self, table: str, items: dict[str, bytes]) -> None:
        storage = self.tables[table]
        for key, value in items.items():
            storage.remove(key, buffer=True)
            storage.insert(key, value, buffer=True)

    def delete(self, table: str, keys: Iterable[str]) -> None:
        keys = list(keys)
        if keys:
            self.tables[table].remove(*keys, buffer=True)

    def count(self, table: str) -> int:
        return self.tables[table].size()

    def band_members(self, keys: Sequence[int]) -> dict[int, list[int]]:
        unique = list(dict.fromkeys(keys))
        if not unique:
            return {}
        found = self.bands.getmany(*(str(key) for key in unique))
        return {key: sorted(int(seq) for seq in seqs) for key, seqs in zip(unique, found, strict=True) if seqs}

    def add_bands(self, pairs: Iterable[tuple[int, int]]) -> None:
        for key, seq in pairs:
            self.bands.insert(str(key), seq, buffer=True)

    def commit(self) -> None:
        for table in TABLES:
            if table != "ids":
                self.tables[table].empty_buffer()
        self.bands.empty_buffer()
        self.tables["ids"].empty_buffer()

    def close(self) -> None:
        """Nothing to release: the redis client closes its pooled connections itself."""


def _backend_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)
    if importlib.util.find_spec("redis") is not None:
        from redis.exceptions import RedisError

        errors += (RedisError,)
    return errors


@contextmanager
def index_errors(spec: str | Path) -> Iterator[None]:
    """Turn what SQLite or Redis raise for an unusable index into IndexUnavailable naming the index."""
    try:
        yield
    except _backend_errors() as exc:
        raise IndexUnavailable(f"dedup index {spec} cannot be used: {exc}") from exc


def open_storage(spec: str | Path) -> Storage:
    """`redis://host:port/db[?prefix=name]` or a SQLite file path (created if missing)."""
    problem = index_spec_problem(str(spec))
    if problem:
        raise ValueError(problem)
    with index_errors(spec):
        if str(spec).startswith("redis://"):
            return RedisStorage(str(spec))
        return SQLiteStorage(spec)
