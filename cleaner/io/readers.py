"""Readers: turn input paths into a stream of `RawInput` (one document) or `Quarantined` (one refusal).

Streaming throughout: a directory is walked in sorted order, a JSONL or WARC file is read record by
record, and nothing holds the corpus in memory. Every input either yields documents or quarantine
entries with a reason; a reader never raises for bad data, and never blocks:

- Only regular files are opened (checked with `stat` first): a named pipe, device or socket, given or
  found in a folder, is quarantined as `not_a_regular_file` instead of waiting forever for a writer.
- A folder that cannot be listed, a dangling or looping symlink, and a file that cannot be opened are
  `unreadable`; a symlink to a folder is followed unless it leads back into a folder being walked.
- A JSONL or WARC file with no records (0 bytes, blank lines only, no response records) is `empty`.
- Hidden entries, whose name starts with '.', are skipped inside a folder, files and folders alike
  (with everything under them: `.git/`, `.cache/`, `.DS_Store`); a hidden path named as an input is read.
- A file name that is not valid UTF-8 is read all the same; its key and source show the bytes that
  are not UTF-8 as `\\xNN` escapes (`printable_path`), so records and quarantine entries stay valid JSON.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

import orjson

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
STDIN = "-"


@dataclass
class RawInput:
    """One document as read: bytes (or text from JSON) plus what the container told us about it."""

    key: str  # unique within a run, stable across runs: used for ids and for --resume
    source: str  # the file, or file plus record, it came from
    content: bytes | str
    format: str  # txt | html | jsonl | warc | stdin
    kind: str = "auto"  # text | html | auto
    url: str | None = None
    id_hint: str | None = None
    added: str | None = None
    added_from: str | None = None  # "warc_date" | "file_mtime" | "input_field"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Quarantined:
    """An input we could not turn into a document, and why."""

    key: str
    source: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "source": self.source, "reason": self.reason, "detail": self.detail}


Item = RawInput | Quarantined


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


def read_inputs(inputs: list[str], max_bytes: int, exclude: Sequence[Path] = ()) -> Iterator[Item]:
    """Every document (or refusal) in the given files, directories and '-' (stdin), in order; folders
    are walked without the `exclude` folders."""
    for item in _expand(inputs, exclude):
        if isinstance(item, Quarantined):
            yield item
        elif item == STDIN:
            yield from _read_stdin(max_bytes)
        else:
            yield from _read_path(item, max_bytes)


def _read_path(name: str, max_bytes: int) -> Iterator[Item]:
    """One file given or found: refused unless it is a regular file we can read."""
    refusal = _not_a_readable_file(name)
    if refusal is not None:
        yield refusal
        return
    path, label, lower = Path(name), printable_path(name), name.lower()
    try:
        if lower.endswith(JSONL_SUFFIXES):
            yield from _or_empty(_read_jsonl(path, label, max_bytes), label)
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
        yield Quarantined(label, label, "empty", "no records: 0 bytes, blank lines only, or no response records")


def _read_stdin(max_bytes: int) -> Iterator[Item]:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Quarantined(STDIN, STDIN, "oversized", f"more than {max_bytes} bytes on stdin")
        return
    yield RawInput(STDIN, STDIN, data, "stdin")


def _read_file(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    size = path.stat().st_size
    if size > max_bytes:
        yield Quarantined(name, name, "oversized", f"{size} bytes > input.max_bytes={max_bytes}")
        return
    content = path.read_bytes()
    if name.lower().endswith(".gz"):
        try:
            content = _gunzip(content, max_bytes)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            yield Quarantined(name, name, "corrupt_gzip", str(exc))
            return
    kind = _kind_for(name[:-3] if name.lower().endswith(".gz") else name)
    fmt = "html" if kind == "html" else "txt"
    yield RawInput(name, name, content, fmt, kind=kind, added=_mtime_iso(path), added_from="file_mtime")


def _gunzip(content: bytes, max_bytes: int) -> bytes:
    out = gzip.GzipFile(fileobj=io.BytesIO(content)).read(max_bytes + 1)
    if len(out) > max_bytes:
        raise ValueError(f"decompresses to more than input.max_bytes={max_bytes}")
    return out


def _open_maybe_gzip(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_jsonl(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """One document per line with `text` or `html`; optional `url`, `id`, `added`."""
    mtime = _mtime_iso(path)
    line_no = 0
    with _open_maybe_gzip(path) as fh:
        try:
            for line_no, line in enumerate(fh, start=1):
                key = f"{name}:{line_no}"
                if not line.strip():
                    continue
                yield _jsonl_record(key, line, max_bytes, mtime)
        except (OSError, EOFError, zlib.error) as exc:
            yield Quarantined(f"{name}:{line_no + 1}", name, "corrupt_gzip",
                              f"stream ends after line {line_no}: {exc}")


def _jsonl_record(key: str, line: bytes, max_bytes: int, mtime: str) -> Item:
    if len(line) > max_bytes:
        return Quarantined(key, key, "oversized", f"{len(line)} bytes > input.max_bytes={max_bytes}")
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Quarantined(key, key, "invalid_json", str(exc))
    if not isinstance(record, dict):
        return Quarantined(key, key, "invalid_json", "line is not a JSON object")
    html, text = record.get("html"), record.get("text")
    content, kind = (html, "html") if isinstance(html, str) and html.strip() else (text, "text")
    if not isinstance(content, str):
        return Quarantined(key, key, "missing_text", "no string field 'text' or 'html'")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    id_hint = str(record["id"]) if record.get("id") is not None else None
    added = record.get("added") if isinstance(record.get("added"), str) else None
    return RawInput(key, key, content, "jsonl", kind=kind, url=url, id_hint=id_hint,
                    added=added or mtime, added_from="input_field" if added else "file_mtime")


def _read_warc(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """HTTP response records with an HTML (or plain text) payload; other responses are quarantined."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type not in ("response", "resource"):
                    continue
                count += 1
                key = f"{name}#{count}"
                item = _warc_record(key, name, record, max_bytes)
                if item is not None:
                    yield item
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
            yield Quarantined(f"{name}#{count + 1}", name, "corrupt_warc", f"after {count} records: {exc}")


def _warc_record(key: str, name: str, record: Any, max_bytes: int) -> Item | None:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    record_id = headers.get_header("WARC-Record-ID")
    date = headers.get_header("WARC-Date")
    source = f"{name}#{record_id or key}"
    ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
        headers.get_header("Content-Type") or "")
    ctype = ctype.lower()
    if record.http_headers and record.http_headers.get_statuscode() not in ("200", None):
        return Quarantined(key, source, "http_status", record.http_headers.get_statuscode())
    if "html" not in ctype and "text/plain" not in ctype:
        return Quarantined(key, source, "unsupported_content_type", ctype or "none")
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        return Quarantined(key, source, "oversized", f"payload > input.max_bytes={max_bytes}")
    charset = ctype.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in ctype else None
    return RawInput(
        key, source, payload, "warc", kind="html" if "html" in ctype else "text", url=url,
        added=date, added_from="warc_date" if date else None,
        extra={"warc_record_id": record_id, "warc_date": date, "http_charset": charset},
    )
