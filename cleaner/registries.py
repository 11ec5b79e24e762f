"""Registering the members of a family of classes (flags, quality families) by name, once each.

A registry is a plain dict `name -> class` that the config checks names against and the pipeline runs in
order; `registrar` makes its class decorator, which refuses a member missing a required attribute or
taking a name already used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Member = TypeVar("Member", bound=type)


def registrar(table: dict[str, Any], kind: str, required: tuple[str, ...]) -> Callable[[Member], Member]:
    """The class decorator adding a `kind` (e.g. "flag") to `table` under its `name`."""

    def register(cls: Member) -> Member:
        for attr in required:
            if not getattr(cls, attr, None):
                raise TypeError(f"{kind} {cls.__name__} must define {attr}")
        if cls.name in table:
            raise ValueError(f"{kind} {cls.name!r} registered twice")
        table[cls.name] = cls
        return cls

    return register
