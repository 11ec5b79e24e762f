"""The source registry: a user-editable TOML file that says what kind of outlet a domain or publisher is.

Each `[[source]]` entry has `domains` and/or `names` (publisher names as sites print them), a `type`
(news, public broadcaster, state media, think tank, academic, blog, advocacy, trade media), `country`,
`ownership` (who owns or funds it) and `notes`. The default ships in `data/sources.toml`; a project
points `provenance.source_registry` at its own file to replace it.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TYPES = frozenset({"news", "public broadcaster", "state media", "think tank", "academic", "blog", "advocacy",
                   "trade media"})


class RegistryError(ValueError):
    """A registry file that cannot be used as written."""


@lru_cache(maxsize=4)
def load_registry(path: str | None) -> tuple[dict[str, Any], ...]:
    """The registry's entries, from `path` or the shipped default; entries are validated."""
    if path:
        data = Path(path).read_bytes()
        where = path
    else:
        data = resources.files("cleaner.annotate").joinpath("data/sources.toml").read_bytes()
        where = "cleaner/annotate/data/sources.toml"
    try:
        entries = tomllib.loads(data.decode("utf-8")).get("source", [])
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{where}: {exc}") from exc
    for index, entry in enumerate(entries):
        if entry.get("type") not in TYPES:
            raise RegistryError(f"{where}: source #{index + 1} has type {entry.get('type')!r}; known: {sorted(TYPES)}")
        if not entry.get("domains") and not entry.get("names"):
            raise RegistryError(f"{where}: source #{index + 1} needs `domains` or `names`")
    return tuple(entries)


def lookup(entries: tuple[dict[str, Any], ...], domain: str | None, names: list[str]) -> dict[str, Any] | None:
    """The entry for a domain (or any parent domain: news.example.com -> example.com), else for a name."""
    if domain:
        labels = domain.lower().removeprefix("www.").split(".")
        for cut in range(len(labels) - 1):
            candidate = ".".join(labels[cut:])
            for entry in entries:
                if candidate in (d.lower() for d in entry.get("domains", [])):
                    return {**entry, "matched": f"domain {candidate}"}
    wanted = {n.strip().lower() for n in names if n}
    for entry in entries:
        for name in entry.get("names", []):
            if name.lower() in wanted:
                return {**entry, "matched": f"name {name}"}
    return None
