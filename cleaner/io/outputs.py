"""Our own output files as written and read back: compressed names, compressing writers, readers, raw sidecars.

`output.compress` names how every JSONL that cleaner writes is stored: `none` (`documents.jsonl`), `gz`
(`documents.jsonl.gz`) or `zst` (`documents.jsonl.zst`). Both compressors are set so that the same lines
give the same bytes: gzip with no file name and mtime 0 in its header, zstd at a fixed level on one
thread (a stream of unknown length carries no content size, and zstd frames have no timestamp).

`output.format = "parquet"` (CLI `--format`) stores the records files (`documents`, and `duplicates` of a
dedup) as `documents.parquet` (cleaner/io/record_table.py), compressed by Parquet itself; `output.compress`
then applies to the JSON-lines files beside it (quarantine, clusters). `open_output` reads a Parquet
records file as the JSON lines of its JSONL form, so every reader of records reads both formats.

`output.raw = "sidecar"` moves each record's `raw` into `raw.jsonl[.gz|.zst]` beside the documents file,
as `{"id", "raw"}` lines in record order, and the record says `metadata.raw_in` (the sidecar's name);
`output.raw = "none"` drops it (`metadata.raw_in = null`). A reader finds the sidecar by its fixed name
beside the documents file, never by a name taken from a record.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

import orjson
import zstandard

Compression = Literal["none", "gz", "zst"]
Format = Literal["jsonl", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "parquet")
PARQUET = ".parquet"
COMPRESSIONS: tuple[Compression, ...] = ("none", "gz", "zst")
SUFFIXES: dict[Compression, str] = {"none": "", "gz": ".gz", "zst": ".zst"}
RAW_MODES = ("inline", "sidecar", "none")
RAW = "raw.jsonl"
# On 492 dev pages' records (bench/outputs.py): gzip 9 is no smaller than 6; zstd 10 is 11% smaller than
# zstd 3 and compresses at ~15 MB/s, well under 1% of a run's time (cleaning runs at ~0.4 MB of records/s)
GZIP_LEVEL = 6
ZSTD_LEVEL = 10


class UnreadableOutput(ValueError):
    """A Parquet output that is damaged, or holds no cleaner records."""


# what reading a damaged .gz, .zst or .parquet output raises (a truncated gzip: EOFError)
DECOMPRESS_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error, zstandard.ZstdError, UnreadableOutput)


class MissingRaw(ValueError):
    """A record whose input text is neither inline nor in the sidecar beside its file."""


def compressed_name(name: str, compression: Compression) -> str:
    return name + SUFFIXES[compression]


def parquet_name(name: str) -> str:
    """`documents.parquet` for `documents.jsonl`."""
    return name.removesuffix(".jsonl") + PARQUET


def stored_name(name: str, compression: Compression, form: Format = "jsonl") -> str:
    """The file name a records file `name` (documents.jsonl, duplicates.jsonl) is written under."""
    return parquet_name(name) if form == "parquet" else compressed_name(name, compression)


def is_parquet(path: Path) -> bool:
    return path.name.endswith(PARQUET)


def compression_of(path: Path) -> Compression:
    for compression in ("gz", "zst"):
        if path.name.endswith(SUFFIXES[compression]):
            return compression
    return "none"


def uncompressed_name(path: Path) -> str:
    """`documents.jsonl` for documents.jsonl, documents.jsonl.gz, documents.jsonl.zst and documents.parquet."""
    if is_parquet(path):
        return path.name.removesuffix(PARQUET) + ".jsonl"
    return path.name.removesuffix(SUFFIXES[compression_of(path)])


def variants(folder: Path, name: str) -> list[Path]:
    """`name` in `folder` under every compression, uncompressed first, then its Parquet form."""
    return [folder / compressed_name(name, compression) for compression in COMPRESSIONS] + [folder / parquet_name(name)]


def find_output(folder: Path, name: str) -> Path:
    """The one of `name`, `name.gz`, `name.zst` (or its Parquet form) in `folder` that exists (the uncompressed
    name when none does).

    A finished run removes the other forms of every file it writes, so at most one exists.
    """
    return next((path for path in variants(folder, name) if path.exists()), folder / name)


def sidecar_of(documents: Path) -> Path:
    """The raw sidecar of a documents (or duplicates) file: `raw.jsonl` beside it, compressed the same way."""
    return documents.with_name(compressed_name(RAW, compression_of(documents)))


@contextmanager
def compressing(fh: IO[bytes], compression: Compression) -> Iterator[IO[bytes]]:
    """A writer that compresses into `fh` and finishes the stream on leaving; `fh` itself stays open."""
    if compression == "none":
        yield fh
        return
    if compression == "gz":
        writer: Any = gzip.GzipFile(filename="", mode="wb", fileobj=fh, compresslevel=GZIP_LEVEL, mtime=0)
    else:
        writer = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(fh, closefd=False)
    with writer:
        yield writer


class _ZstdReader(io.RawIOBase):
    """A zstd file decompressed as it is read, refusing one that ends inside a frame (truncated or damaged):
    zstandard's own stream reader then returns what it has, perhaps nothing, as if the file ended there."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._fh.read(1 << 16)
            if not chunk:
                if not self._frame.eof:
                    raise zstandard.ZstdError("the file ends inside a zstd frame (truncated or damaged)")
                return 0
            if self._frame.eof:  # another frame follows (files joined with cat)
                self._frame = zstandard.ZstdDecompressor().decompressobj()
            self._pending = self._frame.decompress(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._fh.close()
        super().close()


def open_output(path: Path) -> IO[bytes]:
    """`path` opened for reading lines, decompressed as its name says; a Parquet records file as JSON lines."""
    if is_parquet(path):
        from cleaner.io.record_table import ParquetLines

        return ParquetLines(path)  # type: ignore[return-value]  # iterates, reads and closes like a file
    compression = compression_of(path)
    if compression == "gz":
        return gzip.open(path, "rb")
    if compression == "zst":
        return io.BufferedReader(_ZstdReader(open(path, "rb")))
    return open(path, "rb")


def read_output_lines(path: Path) -> list[bytes]:
    with open_output(path) as fh:
        return fh.read().splitlines()


def without_raw(record_json: bytes, sidecar_name: str | None) -> tuple[bytes, bytes | None]:
    """A record's JSON without `raw` and, with a sidecar, the sidecar's line for it."""
    record = orjson.loads(record_json)
    text = record.pop("raw")
    record["metadata"]["raw_in"] = sidecar_name
    line = orjson.dumps({"id": record["id"], "raw": text}, option=orjson.OPT_SORT_KEYS) if sidecar_name else None
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS), line


class RawTexts:
    """The raw sidecar of one documents file, read alongside it: `fill` puts each record's `raw` back.

    The records must come in sidecar order; a subsequence (a dedup's kept documents or its duplicates)
    reads as well, as the sidecar is skipped forward to each record's id.
    """

    def __init__(self, documents: Path | None, dropped_ok: bool = False) -> None:
        """`documents` is the file the records come from; None for records given alone (no sidecar to read).

        A record written with output.raw = "none" is an error (`MissingRaw`) unless `dropped_ok`.
        """
        self.path = sidecar_of(documents) if documents is not None else None
        self.dropped_ok = dropped_ok
        self._fh: IO[bytes] | None = None

    def fill(self, record: Any) -> None:
        """Give `record` its `raw` from the sidecar if it points to one; leave any other record as it is."""
        if not isinstance(record, dict) or "raw" in record or not isinstance(record.get("metadata"), dict):
            return
        meta = record["metadata"]
        if "raw_in" not in meta:
            return
        if meta["raw_in"] is None:
            if self.dropped_ok:
                return
            raise MissingRaw(f"record {record.get('id')} was written with output.raw = \"none\": its input text "
                             "is not kept, so its removals cannot be shown (write with inline or sidecar)")
        if self._fh is None:
            if self.path is None or not self.path.exists():
                where = f"no {self.path.name} in {self.path.parent}" if self.path else "give its documents file"
                raise MissingRaw(f"record {record.get('id')} keeps its input text in a sidecar: {where}")
            self._fh = open_output(self.path)
        for line in self._fh:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise MissingRaw(f"{self.path} holds a line that is not JSON ({exc.msg})") from exc
            if isinstance(entry, dict) and entry.get("id") == record.get("id") and isinstance(entry.get("raw"), str):
                record["raw"] = entry["raw"]
                return
        raise MissingRaw(f"{self.path} has no input text for record {record.get('id')} after the previous "
                         "record's: the sidecar is not the one written with this file")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    def __enter__(self) -> RawTexts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
