"""How long a credential stays valid: a specification's ISO 8601 duration from the issue date."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def valid_until(issued: datetime, duration: str | None) -> datetime | None:
    """Return ``issued`` plus ``duration`` ("P3Y", "P18M", "P6W"); None for no duration.

    Months and years are calendar steps; a day that does not exist in the target month
    becomes that month's last day (31 January + P1M is 28 or 29 February).
    """
    if not duration:
        return None
    match = _DURATION.match(duration)
    if not match or duration == "P":
        raise ValueError(f"{duration!r} is not an ISO 8601 duration such as P3Y, P18M or P6W")
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    month_index = issued.month - 1 + months + 12 * years
    year, month = issued.year + month_index // 12, month_index % 12 + 1
    day = min(issued.day, calendar.monthrange(year, month)[1])
    return issued.replace(year=year, month=month, day=day) + timedelta(weeks=weeks, days=days)
