"""Atomic, resumable output: `documents.jsonl`, `quarantine.jsonl` and `run.json` in one directory.

While a run is going, records are appended to `*.jsonl.partial` files in input order. Only a finished
run renames them into place, so a reader never sees half a corpus under the final name. An
interrupted run leaves the partial files and a `resume.json` with the configuration hash; `--resume`
trims a torn last line, skips every input key already written and appends the rest, which gives the
same bytes as an uninterrupted run.

The partial files are never compressed, whatever `output.compress` says: a torn last line of a plain
file is cut off with one truncate, while a torn compressed stream cannot be continued byte for byte.
`finish` compresses each partial file into its final name (one more pass over the output, measured in
README's Compact outputs section), so a resumed run still writes exactly what an uninterrupted one writes.
With `output.raw = "sidecar"` the raw texts go to `raw.jsonl.partial` alongside; a resume cuts the
documents and the sidecar back to the lines they both hold.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from cleaner.io.outputs import (
    RAW,
    Compression,
    Format,
    compressed_name,
    compressing,
    stored_name,
    variants,
    without_raw,
)

DOCUMENTS = "documents.jsonl"
QUARANTINE = "quarantine.jsonl"
RUN = "run.json"
RESUME = "resume.json"
DEFAULT_FORM = {"compress": "none", "raw": "inline"}


class ResumeError(RuntimeError):
    """Partial output that cannot be resumed as asked."""


def _create_beside(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file in `path`'s folder, open for writing.

    Created as `open()` creates a file (mode 0666, which the kernel cuts by the umask or the folder's
    default ACL), not 0600 as `tempfile.mkstemp` does: the temporary file is renamed into the output,
    so its mode is the output's. O_EXCL with a random name keeps mkstemp's guarantee that the file is new.
    """
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


@contextmanager
def _atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A new file beside `path` to write, moved onto `path` only once it is complete and on disk."""
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write a whole file so that readers see either the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _atomic_file(path) as fh:
        fh.write(data)


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


def _trim_torn_line(path: Path) -> None:
    """Cut a partial file back to its last complete line (a killed run may have written half of one)."""
    with open(path, "rb+") as fh:
        data = fh.read()
        cut = data.rfind(b"\n") + 1
        if cut != len(data):
            fh.truncate(cut)


def _line_count(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def _keep_lines(path: Path, count: int) -> None:
    """Cut a file of complete lines back to its first `count` lines."""
    with open(path, "rb+") as fh:
        for _ in range(count):
            fh.readline()
        fh.truncate(fh.tell())


def _make_final(partial: Path, name: str, compression: Compression, form: Format = "jsonl") -> None:
    """Move a finished partial file to `name` beside it, compressed (or as Parquet), atomically; drop `name`'s
    other forms."""
    final = partial.with_name(stored_name(name, compression, form))
    if form == "parquet":
        from cleaner.io.record_table import write_parquet

        with _atomic_file(final) as fh, open(partial, "rb") as source:
            write_parquet(source, fh)
        partial.unlink()
    elif compression == "none":
        os.replace(partial, final)
    else:
        with _atomic_file(final) as fh, open(partial, "rb") as source, compressing(fh, compression) as writer:
            while chunk := source.read(1 << 20):
                writer.write(chunk)
        partial.unlink()
    # a file of an earlier run in another compression would be read instead of (or besides) this one
    for other in variants(final.parent, name):
        if other != final:
            other.unlink(missing_ok=True)


class OutputDirectory:
    """The output of one `cleaner clean` run."""

    def __init__(self, root: Path, config_hash: str, resume: bool, compression: Compression = "none",
                 raw: str = "inline", form: Format = "jsonl") -> None:
        self.root = root
        self.config_hash = config_hash
        self.compression = compression
        self.raw = raw
        self.form = form
        self.done: set[str] = set()
        self.resumed_counts: dict[str, int] = {}
        self.resumed_reasons: dict[str, int] = {}
        root.mkdir(parents=True, exist_ok=True)
        names = (DOCUMENTS, QUARANTINE) + ((RAW,) if raw == "sidecar" else ())
        self._partials = {name: root / f"{name}.partial" for name in names}
        # the output form decides what the partial records hold (raw or not, the sidecar's name in raw_in):
        # a resume must not mix two; a state without it is from a run in the default form
        form = {"compress": compression, "raw": raw} | ({"format": form} if form != "jsonl" else {})
        state_path = root / RESUME
        if resume and state_path.exists():
            found = orjson.loads(state_path.read_bytes())
            if found.get("config_hash") != config_hash:
                raise ResumeError(f"{root} was written with config {found.get('config_hash')}, "
                                  f"not {config_hash}: rerun without --resume")
            found_form = found.get("output", DEFAULT_FORM)
            if found_form != form:
                raise ResumeError(f"{root} was written with output {found_form}, not {form}: rerun without --resume")
            for partial in self._partials.values():
                if partial.exists():
                    _trim_torn_line(partial)
            self._align_sidecar()
            for name in (DOCUMENTS, QUARANTINE):
                if self._partials[name].exists():
                    self._scan(name, self._partials[name])
            mode = "ab"
        else:
            mode = "wb"
        write_atomic(state_path, dumps({"config_hash": config_hash, "output": form}))
        self._files: dict[str, IO[bytes]] = {name: open(p, mode) for name, p in self._partials.items()}

    def _align_sidecar(self) -> None:
        """Cut documents and sidecar to the records both hold: a kill leaves either one ahead (each file
        flushes its own buffer)."""
        if RAW not in self._partials:
            return
        both = [path for path in (self._partials[DOCUMENTS], self._partials[RAW]) if path.exists()]
        common = min(_line_count(path) for path in both) if len(both) == 2 else 0
        for path in both:
            _keep_lines(path, common)

    def _scan(self, name: str, partial: Path) -> None:
        """Remember the input keys (and counts) already written by the interrupted run."""
        counter = "documents" if name == DOCUMENTS else "quarantined"
        with open(partial, "rb") as fh:
            for line in fh:
                record = orjson.loads(line)
                if name == DOCUMENTS:
                    self.done.add(record["metadata"]["input_key"])
                else:
                    self.done.add(record["key"])
                    self.resumed_reasons[record["reason"]] = self.resumed_reasons.get(record["reason"], 0) + 1
                self.resumed_counts[counter] = self.resumed_counts.get(counter, 0) + 1

    def write_document(self, record_json: bytes) -> None:
        if self.raw != "inline":
            sidecar_name = compressed_name(RAW, self.compression) if self.raw == "sidecar" else None
            record_json, raw_line = without_raw(record_json, sidecar_name)
            if raw_line is not None:
                self._files[RAW].write(raw_line + b"\n")
        self._files[DOCUMENTS].write(record_json + b"\n")

    def write_quarantine(self, entry_json: bytes) -> None:
        self._files[QUARANTINE].write(entry_json + b"\n")

    def finish(self, run_info: dict[str, Any]) -> None:
        """Make the output final: flush, move the partial files into place (compressed), write run.json."""
        for fh in self._files.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for name, partial in self._partials.items():
            _make_final(partial, name, self.compression, self.form if name == DOCUMENTS else "jsonl")
        if self.raw != "sidecar":  # a sidecar of an earlier run is no part of this output
            for stale in variants(self.root, RAW):
                stale.unlink(missing_ok=True)
        write_atomic(self.root / RUN, dumps(run_info))
        (self.root / RESUME).unlink(missing_ok=True)

    def close(self) -> None:
        """Leave the partial files for --resume (an interrupted or failed run)."""
        for fh in self._files.values():
            if not fh.closed:
                fh.flush()
                fh.close()


class AtomicRecords:
    """A records file written as Parquet: JSON lines go to a plain `<name>.partial` beside it, which `commit()`
    turns into the Parquet file, atomically (the same conversion as a finished run's documents)."""

    def __init__(self, folder: Path, name: str) -> None:
        """`name` is the records file's JSONL name (duplicates.jsonl); the file written is its Parquet form."""
        self.name = name
        self.path = folder / stored_name(name, "none", "parquet")
        self.partial = folder / f"{name}.partial"
        folder.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.partial, "wb")

    def write(self, line: bytes) -> None:
        self._fh.write(line + b"\n")

    def commit(self) -> None:
        self._fh.close()
        _make_final(self.partial, self.name, "none", "parquet")

    def abort(self) -> None:
        self._fh.close()
        self.partial.unlink(missing_ok=True)


class AtomicLines:
    """A JSON-lines file written as `<name>.partial` (compressed as asked) and renamed into place only by `commit()`."""

    def __init__(self, path: Path, compression: Compression = "none") -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.partial, "wb")
        self._stream = ExitStack()
        self._lines = self._stream.enter_context(compressing(self._fh, compression))

    def write(self, line: bytes) -> None:
        self._lines.write(line + b"\n")

    def commit(self) -> None:
        self._stream.close()  # ends the compressed stream
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        self._fh.close()
        self.partial.unlink(missing_ok=True)


@contextmanager
def aborted_on_error(writers: Mapping[str, AtomicLines | AtomicRecords]) -> Iterator[None]:
    """Inside the block, an exception (an interrupt too) aborts every writer: no partial file is left."""
    try:
        yield
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise


def commit_replacing(writers: Mapping[str, AtomicLines | AtomicRecords], out: Path, names: tuple[str, ...],
                     also_written: tuple[str | None, ...] = ()) -> None:
    """Commit every writer, then remove the files of `names` in `out`, in any compression or format, that this
    output did not write: an earlier run's or the source's own, which a reader would otherwise take with it."""
    for writer in writers.values():
        writer.commit()
    written = {writer.path.name for writer in writers.values()} | {name for name in also_written if name}
    for name in names:
        for stale in variants(out, name):
            if stale.name not in written:
                stale.unlink(missing_ok=True)
