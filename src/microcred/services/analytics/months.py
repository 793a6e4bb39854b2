"""Calendar months in SQL and in text: ``month_of(column)`` is the UTC month as "YYYY-MM".

Counting by month happens in the database, so only the counts travel; SQLite and PostgreSQL
spell the function differently, and PostgreSQL has to be told that a timestamp's month is
the one in UTC (its session may run in another zone).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class month_of(FunctionElement[str]):  # noqa: N801  (reads as the SQL function it is)
    """The month of a date or UTC timestamp column, as "YYYY-MM"."""

    type = sa.String()
    name = "month_of"
    inherit_cache = True


@compiles(month_of)
def _month_in_sqlite(element: month_of, compiler: Any, **kw: Any) -> str:
    # SQLite keeps dates and UTC timestamps as ISO text; strftime reads both.
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_in_postgresql(element: month_of, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    (argument,) = element.clauses.clauses
    if isinstance(argument.type, sa.Date):
        return f"to_char({column}, 'YYYY-MM')"
    return f"to_char(timezone('UTC', {column}), 'YYYY-MM')"


def checked_month(value: str, name: str) -> str:
    """Return ``value`` when it is a month "YYYY-MM"; raises ValueError saying what to write."""
    value = value.strip()
    if not MONTH.match(value):
        raise ValueError(f"{name}: write a month as YYYY-MM, e.g. 2025-03; got {value!r}")
    return value


def months_between(first: str, last: str) -> list[str]:
    """Return every month from ``first`` to ``last`` inclusive ("YYYY-MM" each)."""
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
