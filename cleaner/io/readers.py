"""Readers: turn input paths into a stream of `RawInput` (one document) or `Quarantined` (one refusal).

Streaming throughout: a directory is walked in sorted order, a JSONL or WARC file is read record by
record, and nothing holds the corpus in memory. Every input either yields documents or quarantine
entries with a reason; a reader never raises for bad data, and never blocks:

- Only regular files are opened (checked with `stat` first): a named pipe, device or socket, given or
  found in a folder, is quarantined as `not_a_regular_file` instead of waiting forever for a writer.
- A folder that cannot be listed, a dangling or looping symlink, and a file that cannot be opened are
  `unreadable`; a symlink to a folder is followed unless it leads back into a folder being walked.
- A JSONL or WARC file with no records (0 bytes, blank lines only, no document records) is `empty`.
- Every read is bounded by `input.max_bytes`: a file, a gzip stream, stdin, a JSONL line (a longer one is
  `oversized`, read past in `LINE_CHUNK` pieces, never held whole), a WARC record (cleaner/io/warc.py,
  which also turns each damaged stretch of a WARC into a `corrupt_warc` entry and reads on after it).
- A JSONL line or a Parquet row (read row group by row group: cleaner/io/parquet_rows.py) is one document;
  which of its fields hold the content, id, URL and date is `FieldMap` (cleaner/io/fields.py: by default
  `html`, then `text` or `content`, `id`, `url`, `added`), the other scalar fields go to `metadata.input_fields`.
- Hidden entries, whose name starts with '.', are skipped inside a folder, files and folders alike
  (with everything under them: `.git/`, `.cache/`, `.DS_Store`); a hidden path named as an input is read.
- A file name that is not valid UTF-8 is read all the same; its key and source show the bytes that
  are not UTF-8 as `\\xNN` escapes (`printable_path`), so records and quarantine entries stay valid JSON.
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import orjson

from cleaner.io.fields import DEFAULT_FIELDS, FieldMap, row_input
from cleaner.io.items import Item, Quarantined, RawInput

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet",)
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")  # Common Crawl names its WET files *.warc.wet.gz
STDIN = "-"


def _mtime_iso(path: Path) -> str:
    stamp = datetime.fromtimestamp(int(path.stat().st_mtime), tz=timezone.utc)
    return stamp.isoformat().replace("+00:00", "Z")


def _kind_for(name: str) -> str:
    lower = name.lower()
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(TEXT_SUFFIXES):
        return "text"
    return "auto"


def printable_path(name: str) -> str:
    """`name` with the bytes that are not UTF-8 (surrogate-escaped by the OS layer) shown as `\\xNN`.

    A lone surrogate cannot be encoded as UTF-8, so orjson refuses it: keys and sources use this form.
    """
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _refuse(name: str, reason: str, detail: str) -> Quarantined:
    label = printable_path(name)
    return Quarantined(label, label, reason, detail)


def _is_hidden(entry: os.DirEntry[str]) -> bool:
    return entry.name.startswith(".")


def _leads_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop raises instead of answering; read_inputs refuses it as a file
        return False


def _folder_identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _walk(folder: str, ancestors: frozenset[tuple[int, int]], skipped: Sequence[Path]) -> Iterator[str | Quarantined]:
    """The paths under `folder` in sorted order, and a refusal for each folder that cannot be listed;
    nothing under the `skipped` folders."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted((entry for entry in listing if not _is_hidden(entry)), key=lambda entry: entry.name)
    except OSError as exc:
        yield _refuse(folder, "unreadable", f"cannot list the folder: {exc.strerror}")
        return
    for entry in entries:
        # realpath, not Path.resolve: a symlink loop must reach read_inputs to be refused, not raise here
        if skipped and any(Path(os.path.realpath(entry.path)).is_relative_to(folder) for folder in skipped):
            continue
        if not _leads_to_folder(entry):  # files, and everything else: read_inputs decides what it is
            yield entry.path
            continue
        identity = _folder_identity(entry.path)
        if identity in ancestors:
            yield _refuse(entry.path, "unreadable", "symlink loop: leads back into a folder being read")
        else:
            yield from _walk(entry.path, ancestors | {identity}, skipped)


def _expand(inputs: list[str], exclude: Sequence[Path]) -> Iterator[str | Quarantined]:
    """Folders walked, skipping the `exclude` folders (a run's own output and report, which may lie inside
    an input folder); files and '-' as given."""
    skipped = [Path(os.path.realpath(folder)) for folder in exclude]
    for item in inputs:
        if item != STDIN and os.path.isdir(item):
            yield from _walk(item, frozenset({_folder_identity(item)}), skipped)
        else:
            yield item


def iter_paths(inputs: list[str], exclude: Sequence[Path] = ()) -> Iterator[str]:
    """Expand folders recursively, in sorted order, without the `exclude` folders; keep files and '-' as given.

    A folder that cannot be listed stays as itself: `read_inputs` on it gives its refusal again.
    """
    for item in _expand(inputs, exclude):
        yield item.key if isinstance(item, Quarantined) else item


def read_inputs(inputs: list[str], max_bytes: int, exclude: Sequence[Path] = (),
                fields: FieldMap = DEFAULT_FIELDS) -> Iterator[Item]:
    """Every document (or refusal) in the given files, directories and '-' (stdin), in order; folders
    are walked without the `exclude` folders; `fields` says which fields of a JSONL or Parquet row hold what."""
    for item in _expand(inputs, exclude):
        if isinstance(item, Quarantined):
            yield item
        elif item == STDIN:
            yield from _read_stdin(max_bytes)
        else:
            yield from _read_path(item, max_bytes, fields)


def _read_path(name: str, max_bytes: int, fields: FieldMap) -> Iterator[Item]:
    """One file given or found: refused unless it is a regular file we can read."""
    refusal = _not_a_readable_file(name)
    if refusal is not None:
        yield refusal
        return
    path, label, lower = Path(name), printable_path(name), name.lower()
    try:
        if lower.endswith(JSONL_SUFFIXES):
            yield from _or_empty(_read_jsonl(path, label, max_bytes, fields), label)
        elif lower.endswith(PARQUET_SUFFIXES):
            from cleaner.io.parquet_rows import read_parquet

            yield from _or_empty(read_parquet(path, label, max_bytes, fields, _mtime_iso(path)), label)
        elif lower.endswith(WARC_SUFFIXES):
            yield from _or_empty(_read_warc(path, label, max_bytes), label)
        else:
            yield from _read_file(path, label, max_bytes)
    except OSError as exc:
        yield Quarantined(label, label, "unreadable", exc.strerror or str(exc))


FILE_TYPES = {stat.S_ISFIFO: "a named pipe", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
              stat.S_ISSOCK: "a socket", stat.S_ISDIR: "a folder"}


def _not_a_readable_file(name: str) -> Quarantined | None:
    """Why `name` must not be opened, from `stat` alone: opening a named pipe would block until a writer came."""
    try:
        mode = os.stat(name).st_mode
    except FileNotFoundError:
        if os.path.islink(name):
            return _refuse(name, "unreadable", f"dangling symlink to {printable_path(os.readlink(name))}")
        return _refuse(name, "missing", "no such file")
    except OSError as exc:  # ELOOP for a symlink loop, EACCES for a folder on the way we may not enter
        return _refuse(name, "unreadable", exc.strerror or str(exc))
    if stat.S_ISREG(mode):
        return None
    kind = next((label for is_kind, label in FILE_TYPES.items() if is_kind(mode)), "not a file")
    return _refuse(name, "not_a_regular_file", kind)


def _or_empty(items: Iterator[Item], label: str) -> Iterator[Item]:
    """The items of a container file, or one `empty` refusal when it holds none: a 0-byte file leaves a trace."""
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        yield Quarantined(label, label, "empty", "no records: 0 bytes, blank lines only, or no document records")


def _read_stdin(max_bytes: int) -> Iterator[Item]:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Quarantined(STDIN, STDIN, "oversized", f"more than {max_bytes} bytes on stdin")
        return
    yield RawInput(STDIN, STDIN, data, "stdin")


def _read_file(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """A whole file as one document, read with a bound (a size from `stat` may lie: /proc files say 0);
    a .gz file is decompressed with the same bound."""
    gzipped = name.lower().endswith(".gz")
    size = path.stat().st_size
    if size > max_bytes and not gzipped:
        yield Quarantined(name, name, "oversized", f"{size} bytes > input.max_bytes={max_bytes}")
        return
    try:
        with _open_maybe_gzip(path) as fh:
            content = fh.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Quarantined(name, name, "corrupt_gzip", str(exc))
        return
    if len(content) > max_bytes:
        what = "decompresses to" if gzipped else "holds"
        yield Quarantined(name, name, "oversized", f"{what} more than input.max_bytes={max_bytes} bytes")
        return
    kind = _kind_for(name[:-3] if gzipped else name)
    fmt = "html" if kind == "html" else "txt"
    yield RawInput(name, name, content, fmt, kind=kind, added=_mtime_iso(path), added_from="file_mtime",
                   kind_from="suffix" if kind != "auto" else None)


def _open_maybe_gzip(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_jsonl(path: Path, name: str, max_bytes: int, fields: FieldMap) -> Iterator[Item]:
    """One document per line (which fields hold what: cleaner/io/fields.py). A line is read with a bound: one
    longer than `max_bytes` is `oversized`, read past in `LINE_CHUNK` pieces and never held whole."""
    mtime = _mtime_iso(path)
    line_no = 0
    with _open_maybe_gzip(path) as fh:
        try:
            while line := fh.readline(max_bytes + 1):
                line_no += 1
                key = f"{name}:{line_no}"
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    length = len(line) + _skip_line(fh)
                    yield Quarantined(key, key, "oversized", f"a line of {length} bytes > input.max_bytes={max_bytes}")
                elif line.strip():
                    yield _jsonl_record(key, line, mtime, fields, max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            yield Quarantined(f"{name}:{line_no + 1}", name, "corrupt_gzip",
                              f"stream ends after line {line_no}: {exc}")


LINE_CHUNK = 1 << 20  # an oversized JSONL line is read past in pieces of this size


def _skip_line(fh: BinaryIO) -> int:
    """Read past the rest of a line, up to and including its newline; how many bytes it held before that."""
    skipped = 0
    while piece := fh.readline(LINE_CHUNK):
        if piece.endswith(b"\n"):
            return skipped + len(piece) - 1
        skipped += len(piece)
    return skipped


def _jsonl_record(key: str, line: bytes, mtime: str, fields: FieldMap, max_bytes: int) -> Item:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Quarantined(key, key, "invalid_json", str(exc))
    if not isinstance(record, dict):
        return Quarantined(key, key, "invalid_json", "line is not a JSON object")
    return row_input(key, record, "jsonl", mtime, fields, max_bytes)


def _read_warc(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """Response, resource and conversion (WET) records with an HTML or plain-text payload; other payloads are
    quarantined, and so is each damaged stretch of the file (cleaner/io/warc.py)."""
    from cleaner.io.warc import read_warc

    yield from read_warc(path, name, max_bytes)
