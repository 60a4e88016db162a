"""Entities ⇄ JSON-ready dicts: the ``data`` of a pulled change, the server's stored state.

One generic pair for every entity dataclass, driven by its type hints, so the client and
the server can never drift apart on the format. Instants are ISO 8601 in UTC; durations are
seconds; enumerations their values.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cache
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
    hints = type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _value(hints[f.name], data[f.name])
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


def _value(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _value(inner[0], raw)
    if hint is datetime:
        return datetime.fromisoformat(raw)
    if hint is timedelta:
        return timedelta(seconds=raw)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(raw)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_data(hint, raw)
    if origin is tuple:
        (item, *_rest) = typing.get_args(hint)
        return tuple(_value(item, v) for v in raw)
    if origin is frozenset:
        (item,) = typing.get_args(hint)
        return frozenset(_value(item, v) for v in raw)
    if origin is Mapping or origin is dict:
        return MappingProxyType(dict(raw))
    return raw
