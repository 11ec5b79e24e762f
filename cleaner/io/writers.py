"""Atomic, resumable output: `documents.jsonl`, `quarantine.jsonl` and `run.json` in one directory.

While a run is going, records are appended to `*.jsonl.partial` files in input order. Only a finished
run renames them into place, so a reader never sees half a corpus under the final name. An
interrupted run leaves the partial files and a `resume.json` with the configuration hash; `--resume`
trims a torn last line, skips every input key already written and appends the rest, which gives the
same bytes as an uninterrupted run.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO, Any

import orjson

DOCUMENTS = "documents.jsonl"
QUARANTINE = "quarantine.jsonl"
RUN = "run.json"
RESUME = "resume.json"


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write a whole file so that readers see either the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


def _trim_torn_line(path: Path) -> None:
    """Cut a partial file back to its last complete line (a killed run may have written half of one)."""
    with open(path, "rb+") as fh:
        data = fh.read()
        cut = data.rfind(b"\n") + 1
        if cut != len(data):
            fh.truncate(cut)


class OutputDirectory:
    """The output of one `cleaner clean` run."""

    def __init__(self, root: Path, config_hash: str, resume: bool) -> None:
        self.root = root
        self.config_hash = config_hash
        self.done: set[str] = set()
        self.resumed_counts: dict[str, int] = {}
        self.resumed_reasons: dict[str, int] = {}
        root.mkdir(parents=True, exist_ok=True)
        self._partials = {name: root / f"{name}.partial" for name in (DOCUMENTS, QUARANTINE)}
        state_path = root / RESUME
        if resume and state_path.exists():
            state = orjson.loads(state_path.read_bytes())
            if state.get("config_hash") != config_hash:
                raise ResumeError(f"{root} was written with config {state.get('config_hash')}, "
                                  f"not {config_hash}: rerun without --resume")
            for name, partial in self._partials.items():
                if partial.exists():
                    _trim_torn_line(partial)
                    self._scan(name, partial)
            mode = "ab"
        else:
            mode = "wb"
        write_atomic(state_path, dumps({"config_hash": config_hash}))
        self._files: dict[str, IO[bytes]] = {name: open(p, mode) for name, p in self._partials.items()}

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
        self._files[DOCUMENTS].write(record_json + b"\n")

    def write_quarantine(self, entry_json: bytes) -> None:
        self._files[QUARANTINE].write(entry_json + b"\n")

    def finish(self, run_info: dict[str, Any]) -> None:
        """Make the output final: flush, rename the partial files into place, write run.json."""
        for fh in self._files.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for name, partial in self._partials.items():
            os.replace(partial, self.root / name)
        write_atomic(self.root / RUN, dumps(run_info))
        (self.root / RESUME).unlink(missing_ok=True)

    def close(self) -> None:
        """Leave the partial files for --resume (an interrupted or failed run)."""
        for fh in self._files.values():
            if not fh.closed:
                fh.flush()
                fh.close()


class AtomicLines:
    """A JSON-lines file written as `<name>.partial` and renamed into place only by `commit()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.partial, "wb")

    def write(self, line: bytes) -> None:
        self._fh.write(line + b"\n")

    def commit(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        self._fh.close()
        self.partial.unlink(missing_ok=True)
