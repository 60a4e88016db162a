"""Entities ⇄ JSON-ready dicts: the ``data`` of a pulled change, the server's stored state.

One generic pair for every entity dataclass, driven by its type hints, so the client and
the server can never drift apart on the format. Instants are ISO 8601 in UTC; durations are
seconds; enumerations their values.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cache, partial
from types import MappingProxyType
from typing import Any, TypeVar

T = TypeVar("T")


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_data(obj: Any) -> Any:
    if type(obj) in _PLAIN:  # most values: said first, as every push and pull page asks
        return obj
    names = _field_names(type(obj))
    if names is not None:
        return {name: to_data(getattr(obj, name)) for name in names}
    if isinstance(obj, datetime):
        if obj.tzinfo is None:
            raise ValueError("naive datetime cannot be serialised")
        return obj.astimezone(UTC).isoformat()
    if isinstance(obj, timedelta):
        return obj.total_seconds()
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, frozenset | set):
        return sorted(to_data(v) for v in obj)
    if isinstance(obj, list | tuple):
        return [to_data(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a dataclass from :func:`to_data` output. Unknown keys are ignored, so an
    older client reads a newer server's data; missing keys take the field's default."""
    values = {}
    for name, read in _readers(cls):
        if name in data:
            raw = data[name]
            values[name] = raw if raw is None or read is None else read(raw)
    return cls(**values)


@cache
def type_hints(cls: type) -> dict[str, Any]:
    """A class's resolved annotations, worked out once per class (get_type_hints is slow)."""
    return typing.get_type_hints(cls)


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names, once per class; None for anything else."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


Reader = Callable[[Any], Any] | None  # None: the JSON value is the value


@cache
def _readers(cls: type) -> tuple[tuple[str, Reader], ...]:
    """Each field's reader, worked out once per class from its type hint: every pulled
    page and every push reads thousands of values, and asking the hint each time was
    most of the cost."""
    hints = type_hints(cls)
    return tuple((f.name, _reader(hints[f.name])) for f in dataclasses.fields(cls))


def _reader(hint: Any) -> Reader:
    """How a non-null JSON value of type ``hint`` becomes the field's value."""
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _reader(inner[0])
    if hint is datetime:
        return datetime.fromisoformat
    if hint is timedelta:
        return _seconds
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return partial(from_data, hint)
    if origin is tuple or origin is frozenset:
        item = _reader(typing.get_args(hint)[0])
        if item is None:
            return origin
        return lambda raw: origin(None if v is None else item(v) for v in raw)
    if origin is Mapping or origin is dict:
        return _mapping
    return None


def _seconds(raw: Any) -> timedelta:
    return timedelta(seconds=raw)


def _mapping(raw: Any) -> MappingProxyType:
    return MappingProxyType(dict(raw))
