"""How values cross the SQL boundary: timestamps as text, rows as dataclasses by column name.

Every record module builds its dataclasses with `build`, which reads each field from the
column of the same name (select with `AS` where a column is named differently), so a SELECT
list and its mapper can never drift apart the way positional `row[0]…row[11]` mappers did.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")
V = TypeVar("V")

_MIN_UTC = datetime.min.replace(tzinfo=UTC)
_MAX_UTC = datetime.max.replace(tzinfo=UTC)

IN_CHUNK = 500
"""Values per `IN (...)` list, well below SQLite's variable limit."""


def iso(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so that text order is time order; naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        # datetime.min/max with a non-zero offset have no UTC equivalent ("since the
        # beginning of time" in a local zone): clamp to the representable end.
        moment = _MIN_UTC if moment.year == datetime.min.year else _MAX_UTC
    # Formatted by hand: strftime("%Y") does not zero-pad years below 1000 on every platform.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def now() -> str:
    return iso(datetime.now(UTC))


def sentences(text: str | None) -> tuple[str, ...]:
    """A summary's sentences, stored as a JSON array."""
    return () if text is None else tuple(json.loads(text))


def _column(kind: object, value: Any) -> Any:
    # The models' annotations are strings (postponed evaluation): timestamps are ISO text
    # in the file, flags are 0/1.
    if value is None:
        return None
    if kind in ("datetime", "datetime | None"):
        return datetime.fromisoformat(value)
    if kind == "bool":
        return bool(value)
    return value


def build(cls: type[T], row: sqlite3.Row, **given: Any) -> T:
    """An instance of the data.models dataclass `cls` whose fields come from the row's columns
    of the same names (timestamps and flags converted), except those passed in `given`."""
    values = {
        field.name: given[field.name]
        if field.name in given
        else _column(field.type, row[field.name])
        for field in fields(cls)  # type: ignore[arg-type]
    }
    return cls(**values)


def placeholders(count: int) -> str:
    return ",".join("?" * count)


def chunks(values: Sequence[V]) -> Iterable[Sequence[V]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]
