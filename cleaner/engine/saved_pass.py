"""The finished first pass kept in `--out/first_pass/`, so that `--resume` continues from it.

The first pass (every input prepared, its lines counted into the corpus context) is the costly part of
a run: redoing it on resume extracts every HTML page again. So a run with a corpus context writes
its first pass into the output folder:

- `prepared.pickle`: every input prepared, in input order (the spill the second pass reads);
- `context.sqlite`: the corpus context (`cleaner.noise.context`), built there while the pass runs;
- `manifest.json`, written last and atomically, the finished marker: what the pass was computed
  from (configuration hash, code versions, every input's name, size and modification time) and the
  digests of the two files.

`load` returns the context only when the manifest is there and all of that still holds; otherwise it
raises `Unusable` with the reason, and the caller redoes the pass. A pass killed half-written has no
manifest, a pass over other inputs or settings has another manifest, a damaged file has another
digest: none of them can crash a run or change its bytes. A finished run deletes the folder (`discard`):
it is about the size of the corpus's prepared text, and nothing needs it once the outputs are final.

The spill is read back only from the run's own `--out`, after its digest is checked: a folder trusted as
the program itself is (whoever can write there can replace the outputs as well).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import orjson
import xxhash

from cleaner.io.writers import dumps, write_atomic
from cleaner.noise.context import CorpusContext

FOLDER = "first_pass"
MANIFEST = "manifest.json"
SPILL = "prepared.pickle"
CONTEXT = "context.sqlite"
_READ_CHUNK = 1 << 20


class Unusable(Exception):
    """A kept first pass that must be redone; the message says why."""


class _DigestingWriter:
    """A binary file's `write`, digesting what goes through it (so the spill is not read twice)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.digest = xxhash.xxh3_128()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.fh.write(data)


def inputs_fingerprint(paths: Iterable[str]) -> str:
    """A digest of every input file's name, size and modification time, in reading order."""
    digest = xxhash.xxh3_128()
    for path in paths:
        try:
            info = os.stat(path)
            state = f"{info.st_size} {info.st_mtime_ns}"
        except OSError as exc:  # a missing or unreadable input is part of what the pass saw
            state = f"error {exc.errno}"
        digest.update(os.fsencode(path) + b"\0" + state.encode() + b"\n")
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = xxhash.xxh3_128()
    with open(path, "rb") as fh:
        while chunk := fh.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def discard(folder: Path) -> None:
    """Delete a kept first pass, its marker first: a pass deleted halfway must not look finished."""
    if folder.is_dir() and not folder.is_symlink():
        (folder / MANIFEST).unlink(missing_ok=True)
        shutil.rmtree(folder)
    else:  # whatever else took the name is no pass either
        folder.unlink(missing_ok=True)


def save(folder: Path, identity: dict[str, Any], compute: Callable[[IO[bytes], Path], CorpusContext]
         ) -> CorpusContext:
    """Run `compute`, a first pass spilling to the file and building the context in the path it is given,
    and keep the pass in `folder`.

    `identity` is what the pass is computed from; `load` reuses the pass only for the same identity.
    """
    discard(folder)
    folder.mkdir(parents=True)
    with open(folder / SPILL, "wb") as fh:
        spill = _DigestingWriter(fh)
        context = compute(spill, folder / CONTEXT)  # type: ignore[arg-type]  # pickle.dump needs only `write`
        fh.flush()
        os.fsync(fh.fileno())
    # the finished context is never written again (it is open read-only), so its digest holds
    with open(folder / CONTEXT, "rb") as context_file:
        os.fsync(context_file.fileno())
    digests = {SPILL: spill.digest.hexdigest(), CONTEXT: _file_digest(folder / CONTEXT)}
    write_atomic(folder / MANIFEST, dumps({"identity": identity, "digests": digests}))
    return context


def load(folder: Path, identity: dict[str, Any]) -> CorpusContext:
    """The corpus context of the pass kept in `folder`, if it is finished, intact and computed from `identity`.

    Raises `Unusable` otherwise. The spill to read with it is `folder / SPILL`.
    """
    try:
        manifest = orjson.loads((folder / MANIFEST).read_bytes())
        kept, digests = dict(manifest["identity"]), dict(manifest["digests"])
    except FileNotFoundError:
        raise Unusable("no finished first pass (the run stopped during it)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Unusable(f"unreadable {MANIFEST} ({type(exc).__name__})") from None
    changed = [name for name in sorted(identity) if kept.get(name) != identity[name]]
    if changed:
        raise Unusable(f"{' and '.join(changed)} changed since it was computed")
    for name in (SPILL, CONTEXT):
        try:
            intact = _file_digest(folder / name) == digests.get(name)
        except OSError:
            intact = False
        if not intact:
            raise Unusable(f"{name} is missing or damaged")
    try:
        return CorpusContext.open(folder / CONTEXT)
    except ValueError as why:  # e.g. written by a cleaner of another layout: redo, never crash
        raise Unusable(str(why)) from None
