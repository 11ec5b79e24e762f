"""WARC files read record by record, with damage costing only the damaged part, never silently.

warcio's `ArchiveIterator` trusts every record's Content-Length and treats the end of the stream as the end
of the file: a truncated WARC ends the iteration quietly after the last whole record (3 of 5 documents
lost, exit 0), a Content-Length too large swallows the start of the next record and one too small cuts a
payload short, with only a warning on stderr. So cleaner frames the records itself and asks warcio only
to parse one record already in memory (its WARC and HTTP headers, chunked and compressed payloads):

- A record is its header block (up to a blank line) and exactly Content-Length bytes, followed by the two
  line breaks that end a record, or by blank lines and then the end of the data or the next `WARC/` line.
  Anything else is a wrong Content-Length.
- A damaged record (truncated, a missing or wrong Content-Length, a header that is not a WARC header)
  becomes one `corrupt_warc` entry saying which record, where, and what; reading goes on at the next
  line starting with `WARC/1.` after the damaged record's header (resynchronising), so a wrong length
  costs one record, not the rest of the file.
- A gzipped WARC is read gzip member by member (a file is gzipped when it starts with the gzip magic
  bytes, whatever its name). A member that does not decompress is skipped to the next member that does
  and starts with a WARC record; a file that ends inside a member is truncated there. A member may hold
  one record (the standard) or several (a WARC gzipped as one stream).
- Response, resource and conversion records are documents. A WET file is a WARC of conversion records
  (text extracted from a crawl's responses): each is a text document, whose WARC-Target-URI, WARC-Date
  and WARC-Refers-To (the response it was extracted from) are kept as provenance.
- Memory stays bounded: records other than documents, and document blocks larger than
  `input.max_bytes` (plus `HTTP_SLACK` for their HTTP headers), are skipped as they stream past, and
  every read goes through a buffer of a few `CHUNK`s.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.io.readers import Item, Quarantined, RawInput

CHUNK = 64 * 1024  # bytes read or decompressed at a time
GZIP_READ = 16 * 1024  # compressed bytes read at a time: a gzip member of one record is often smaller
HEADER_LIMIT = 64 * 1024  # a WARC header block longer than this is damage (real ones are under 2 kB)
HTTP_SLACK = 64 * 1024  # a response block may exceed input.max_bytes by this much: its HTTP headers
GZIP_MAGIC = b"\x1f\x8b\x08"
RECORD_START = b"\nWARC/1."  # resynchronising looks for this at the start of a line
# response and resource records hold a page as fetched; a conversion record (Common Crawl's WET files) holds
# the text extracted from the record named by its WARC-Refers-To
DOCUMENT_TYPES = ("response", "resource", "conversion")


class Truncated(Exception):
    """The file ends inside a gzip member."""


class ByteStream:
    """Forward reads through a small buffer over a source that can start at any offset: `chunks_from(offset)`
    yields the bytes from `offset` on. Going back (only to resynchronise after damage) restarts the source.
    """

    def __init__(self, chunks_from: Callable[[int], Iterator[bytes]], start: int = 0) -> None:
        self._chunks_from = chunks_from
        self._restart(start)

    def _restart(self, offset: int) -> None:
        self._chunks = self._chunks_from(offset)
        self._buf = bytearray()
        self._base = offset  # the stream offset of _buf[0]
        self._at = 0  # the read position in _buf
        self._ended = False

    @property
    def pos(self) -> int:
        return self._base + self._at

    def _fill(self, n: int) -> bool:
        """At least `n` unread bytes in the buffer, or False when the source ends first."""
        while len(self._buf) - self._at < n:
            if self._ended:
                return False
            if self._at:  # drop what has been read: the buffer holds only what is still wanted
                del self._buf[: self._at]
                self._base += self._at
                self._at = 0
            chunk = next(self._chunks, None)
            if chunk is None:
                self._ended = True
            else:
                self._buf += chunk
        return True

    def at_end(self) -> bool:
        return not self._fill(1)

    def peek(self, n: int) -> bytes:
        self._fill(n)
        return bytes(self._buf[self._at : self._at + n])

    def read(self, n: int) -> bytes:
        """`n` bytes, or fewer at the end of the source; a large read is gathered chunk by chunk."""
        pieces = []
        while n > 0 and self._fill(1):
            piece = bytes(self._buf[self._at : self._at + n])
            self._at += len(piece)
            n -= len(piece)
            pieces.append(piece)
        return b"".join(pieces)

    def skip(self, n: int) -> int:
        """Discard up to `n` bytes as they stream past; how many there were."""
        done = 0
        while done < n and self._fill(1):
            take = min(n - done, len(self._buf) - self._at)
            self._at += take
            done += take
        return done

    def readline(self, limit: int) -> bytes:
        """Up to and including the next b"\\n", but at most `limit` bytes."""
        scanned = 0
        while True:
            end = self._buf.find(b"\n", self._at + scanned, self._at + limit)
            if end >= 0:
                return self.read(end + 1 - self._at)
            scanned = len(self._buf) - self._at
            if scanned >= limit or not self._fill(scanned + 1):
                return self.read(min(limit, scanned))

    def seek(self, offset: int) -> None:
        if offset < self._base:
            self._restart(offset)
        elif offset <= self._base + len(self._buf):
            self._at = offset - self._base
        else:
            self._at = len(self._buf)
            self.skip(offset - self.pos)

    def find(self, pattern: bytes) -> int | None:
        """Move to the next occurrence of `pattern` and return its offset; None (at the end) when there is none."""
        while True:
            hit = self._buf.find(pattern, self._at)
            if hit >= 0:
                self._at = hit
                return self.pos
            # keep the last bytes: the pattern may straddle two chunks
            self._at = max(self._at, len(self._buf) - len(pattern) + 1)
            if not self._fill(len(self._buf) - self._at + 1):
                self._at = len(self._buf)
                return None

    def skip_blank_lines(self) -> None:
        while True:
            head = self.peek(256)
            blank = len(head) - len(head.lstrip(b"\r\n"))
            if not blank:
                return
            self.skip(blank)


def _file_chunks(fh: BinaryIO) -> Callable[[int], Iterator[bytes]]:
    def chunks_from(offset: int) -> Iterator[bytes]:
        while True:
            fh.seek(offset)  # the same file serves several streams in turn
            data = fh.read(CHUNK)
            if not data:
                return
            offset += len(data)
            yield data

    return chunks_from


class GzipMember:
    """The decompressed bytes of the gzip member at `start` of a file; `end`, its end in the file, is known
    once they have been read to the end. Raises `Truncated` when the file ends inside the member and
    zlib.error when it does not decompress."""

    def __init__(self, fh: BinaryIO, start: int) -> None:
        self.fh, self.start = fh, start
        self.end: int | None = None

    def chunks_from(self, offset: int) -> Iterator[bytes]:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        at, produced = self.start, 0
        while not decompressor.eof:
            data = decompressor.unconsumed_tail
            if not data:
                self.fh.seek(at)
                data = self.fh.read(GZIP_READ)
                at += len(data)
                if not data:
                    raise Truncated("the file ends inside this gzip member")
            out = decompressor.decompress(data, CHUNK)  # bounded: a gzip bomb streams past in CHUNKs
            if produced + len(out) > offset:
                yield out[max(0, offset - produced):]
            produced += len(out)
        self.end = at - len(decompressor.unused_data)


@dataclass
class _Damage(Exception):
    """A record that cannot be framed: where it starts, what is wrong, and where to look for the next one."""

    start: int
    what: str  # "record 7", or "after record 6" when no record header could be read
    problem: str
    resync_from: int
    short: bool = False  # the data ended inside the record: truncated, unless another record follows


# (key suffix, description) of an offset in the stream being read
Place = Callable[[int], tuple[str, str]]


@dataclass
class _Reading:
    """One WARC file being read: its name, the limit, and the records counted so far."""

    name: str
    max_bytes: int
    gzipped: bool = False
    records: int = 0  # records framed so far, of any type: "record 7" in a detail
    documents: int = 0  # document records (DOCUMENT_TYPES): their keys are name#1, name#2, ...

    @property
    def data_end(self) -> str:
        return "its gzip member ends" if self.gzipped else "the file ends"

    def damaged(self, offset_key: str, detail: str) -> Quarantined:
        key = f"{self.name}@{offset_key}"
        return Quarantined(key, key, "corrupt_warc", detail)


def read_warc(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """Every document record (DOCUMENT_TYPES) of a WARC file (gzipped or not) as a document or a refusal, and a
    `corrupt_warc` entry for each damaged stretch."""
    with open(path, "rb", buffering=CHUNK) as fh:
        reading = _Reading(name, max_bytes, gzipped=fh.read(2) == GZIP_MAGIC[:2])
        if reading.gzipped:
            yield from _gzip_records(fh, path.stat().st_size, reading)
        else:
            stream = ByteStream(_file_chunks(fh))
            outcome = yield from _records(stream, reading, lambda pos: (str(pos), f"at offset {pos}"))
            assert outcome is None  # a plain file is neither truncated inside a member nor undecompressable


def _gzip_records(fh: BinaryIO, size: int, reading: _Reading) -> Iterator[Item]:
    start = 0
    while start < size and not _only_padding(fh, start, size):
        member = GzipMember(fh, start)

        def place(pos: int, start: int = start) -> tuple[str, str]:
            inside = f", byte {pos} of its content" if pos else ""
            return (f"{start}+{pos}" if pos else str(start)), f"in the gzip member at offset {start}{inside}"

        failure = yield from _records(ByteStream(member.chunks_from), reading, place)
        if failure is None:
            assert member.end is not None
            start = member.end
            continue
        key, detail, truncated = failure
        if truncated:
            yield reading.damaged(key, detail)
            return
        following = _next_member(fh, start + 1)
        yield reading.damaged(key, detail + (f"; skipped to the next gzip member, at offset {following}"
                                             if following is not None else "; no readable gzip member after it"))
        if following is None:
            return
        start = following


def _only_padding(fh: BinaryIO, start: int, size: int) -> bool:
    """Whether the file ends with a few NUL or blank bytes after its last member (some writers pad)."""
    if size - start > 4096:
        return False
    fh.seek(start)
    return not fh.read(4096).strip(b"\0 \t\r\n")


def _next_member(fh: BinaryIO, offset: int) -> int | None:
    """The offset of the next gzip member at or after `offset` that decompresses to a WARC record."""
    stream = ByteStream(_file_chunks(fh), offset)
    while (candidate := stream.find(GZIP_MAGIC)) is not None:
        fh.seek(candidate)
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(fh.read(CHUNK), 512)
        except zlib.error:
            head = b""
        if head.lstrip(b"\r\n").startswith(b"WARC/"):
            return candidate
        stream.seek(candidate + 1)
    return None


def _records(stream: ByteStream, reading: _Reading, place: Place
             ) -> Generator[Item, None, tuple[str, str, bool] | None]:
    """The items of the records in `stream`, resynchronising after damage. Returns None at the end of the
    stream, or (key, detail, truncated) when the gzip data under it fails: the caller says what comes next."""
    at, before = 0, reading.records
    try:
        while True:
            stream.skip_blank_lines()
            at, before = stream.pos, reading.records
            if stream.at_end():
                return None
            try:
                item = _frame(stream, reading, place)
            except _Damage as damage:
                yield _resynchronise(stream, reading, place, damage)
                continue
            if item is not None:
                yield item
    except (Truncated, zlib.error) as exc:
        key, where = place(at)
        what = f"record {reading.records}" if reading.records > before else f"after record {before}"
        problem = f"truncated: {exc}" if isinstance(exc, Truncated) else f"corrupt gzip data: {exc}"
        return key, f"{what} {where}: {problem}", isinstance(exc, Truncated)


def _resynchronise(stream: ByteStream, reading: _Reading, place: Place, damage: _Damage) -> Quarantined:
    """The refusal for a damaged record, the stream moved to the next record (or to its end)."""
    stream.seek(damage.resync_from)
    found = stream.find(RECORD_START)
    key, where = place(damage.start)
    problem = damage.problem
    if damage.short:
        problem = ("truncated: " if found is None and not reading.gzipped else "bad Content-Length: ") + problem
    if found is not None:
        stream.seek(found + 1)
        after = f"; resynchronised on the next record, {place(found + 1)[1]}"
    else:
        after = "" if damage.short else "; nothing readable after it" + (" in this gzip member" * reading.gzipped)
    return reading.damaged(key, f"{damage.what} {where}: {problem}{after}")


def _frame(stream: ByteStream, reading: _Reading, place: Place) -> Item | None:
    """The record at the stream's position as a document or refusal (None for other record types), the
    stream left after it; raises _Damage when it cannot be framed."""
    start = stream.pos
    first = stream.readline(HEADER_LIMIT)
    if _cut_short(first) and stream.at_end():
        raise _Damage(start, f"after record {reading.records}", f"{reading.data_end} inside the next record's header",
                      start + 1, short=True)
    if not first.startswith(b"WARC/"):
        raise _Damage(start, f"after record {reading.records}", f"no WARC record here, but {first[:40]!r}", start)
    reading.records += 1
    index = f"record {reading.records}"
    header, line = bytearray(first), first
    while line not in (b"\r\n", b"\n"):
        line = stream.readline(HEADER_LIMIT)
        if not line:
            raise _Damage(start, index, f"{reading.data_end} inside its header", start + 1, short=True)
        header += line
        if len(header) > HEADER_LIMIT:
            raise _Damage(start, index, f"a header longer than {HEADER_LIMIT} bytes", start + 1)
    header_end = stream.pos
    headers = _parse_header(bytes(header))
    if headers is None:
        raise _Damage(start, index, f"not a WARC header: {first[:40]!r}", header_end)
    length_field = headers.get(b"content-length")
    digits = (length_field or "").strip()
    length = int(digits) if digits.isascii() and digits.isdigit() else None
    if length is None:
        raise _Damage(start, index, f"bad Content-Length {length_field!r}", header_end)
    rec_type = headers.get(b"warc-type")
    wanted = rec_type in DOCUMENT_TYPES and length <= reading.max_bytes + HTTP_SLACK
    block = stream.read(length) if wanted else b""
    got = len(block) if wanted else stream.skip(length)
    if got < length:
        raise _Damage(start, index, f"Content-Length {length}, but {reading.data_end} {got} bytes into the block",
                      header_end, short=True)
    # the record ends with its two line breaks (whatever follows them is the next record's business), or,
    # written carelessly, with none or other blank lines before the next record or the end of the data
    proper_end = stream.peek(4) == b"\r\n\r\n"
    stream.skip_blank_lines()
    if not (proper_end or stream.at_end() or stream.peek(5) == b"WARC/" or _cut_short(stream.peek(5))):
        raise _Damage(start, index, f"bad Content-Length {length}: the block is followed by {stream.peek(20)!r},"
                                    " not by the end of the record (a wrong Content-Length, or junk after it)",
                      header_end)
    if rec_type not in DOCUMENT_TYPES:
        return None
    reading.documents += 1
    key = f"{reading.name}#{reading.documents}"
    source = f"{reading.name}#{headers.get(b'warc-record-id') or key}"
    if not wanted:
        return Quarantined(key, source, "oversized",
                           f"a record block of {length} bytes > input.max_bytes={reading.max_bytes}")
    record = bytes(header) + block
    del block  # at most two copies of a block are held at once: the record, then it and its payload
    return _document(key, source, record, reading.max_bytes, f"{index} {place(start)[1]}")


def _cut_short(start: bytes) -> bool:
    """Whether `start`, the last bytes of a stream, can be the beginning of a record header cut off."""
    return len(start) < len(b"WARC/") and b"WARC/".startswith(start)


WARC_VERSIONS = (b"WARC/1.0", b"WARC/1.1", b"WARC/0.17", b"WARC/0.18")  # as warcio reads them
FRAMING_FIELDS = (b"content-length", b"warc-type", b"warc-record-id")


def _parse_header(header: bytes) -> dict[bytes, str] | None:
    """The fields framing needs from a header block (warcio parses it whole later, for a document only),
    or None when its first line names no WARC version."""
    lines = header.splitlines()
    if not lines[0].rstrip().upper().startswith(WARC_VERSIONS):
        return None
    fields: dict[bytes, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        name = name.strip().lower()
        if colon and name in FRAMING_FIELDS and name not in fields:
            fields[name] = value.strip().decode("latin-1")
    return fields


def _document(key: str, source: str, data: bytes, max_bytes: int, where: str) -> Item:
    """One framed document record, whole in `data`, parsed by warcio."""
    from warcio.recordloader import ArcWarcRecordLoader

    try:
        record = ArcWarcRecordLoader(verify_http=False, arc2warc=False).parse_record_stream(
            io.BytesIO(data), known_format="warc")
        return _warc_record(key, source, record, max_bytes)
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on a malformed record; all are damage
        return Quarantined(key, source, "corrupt_warc", f"{where}: unreadable record: {type(exc).__name__}: {exc}")


def _warc_record(key: str, source: str, record: Any, max_bytes: int) -> Item:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    record_id = headers.get_header("WARC-Record-ID")
    date = headers.get_header("WARC-Date")
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
        key, source, payload, "warc", kind="html" if "html" in ctype else "text", kind_from="content_type", url=url,
        added=date, added_from="warc_date" if date else None,
        extra={"warc_record_id": record_id, "warc_date": date, "http_charset": charset,
               # a conversion record's source: the id of the response record its text was extracted from
               "warc_refers_to": headers.get_header("WARC-Refers-To")},
    )
