"""Strict input shapes shared by every schema and query parameter (ADR 0064).

- **Dates** are ISO ``YYYY-MM-DD`` strings, and only those: pydantic alone would read
  ``1764547200`` (a number, or a numeric string) as a Unix timestamp, or accept a datetime.
- **Integers** in queries are bounded: a page number no larger than ``PAGE_MAX``, a log position
  no larger than the largest 64-bit integer a store holds. Beyond them the answer is 422
  ``invalid_request`` naming the parameter, never an overflow in the store.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

PAGE_MAX = 100_000  # × page_size ≤ 500: fifty million rows, far beyond any fund's
POSITION_MAX = 2**63 - 1  # the largest log position SQLite and PostgreSQL (bigint) can hold
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and type(value) is date:  # already a date (from Python callers)
        return value
    if not isinstance(value, str) or _ISO_DATE.fullmatch(value) is None:
        raise PydanticCustomError("date_iso", "a date must be a text YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        problem = "not a date of the calendar: {value}"
        raise PydanticCustomError("date_iso", problem, {"value": value}) from None


Day = Annotated[
    date,
    BeforeValidator(_iso_date),
    Field(json_schema_extra={"type": "string", "format": "date", "example": "2025-07-01"}),
]

# A page number of the console's lists (``?page_no=``), bounded like the API's ``page``.
ConsolePage = Annotated[int, Query(ge=1, le=PAGE_MAX)]
