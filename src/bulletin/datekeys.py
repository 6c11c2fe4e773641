"""Date keys: ISO dates of any precision as sortable integers, and filter bounds."""

from __future__ import annotations

import calendar
import re

from bulletin.errors import QueryError

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_key(iso: str | None) -> int:
    """yyyymmdd with unknown parts as 00 ("2023-02" -> 20230200); 0 when undated."""
    if not iso:
        return 0
    match = _ISO.match(iso)
    if not match:
        return 0
    year, month, day = match.group(1), match.group(2), match.group(3)
    return int(year) * 10000 + int(month or 0) * 100 + int(day or 0)


_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")


def time_key(iso: str | None) -> int:
    """The time of day of a dated record as seconds + 1 ("2023-02-02T09:15" -> 33301); 0 when the
    record gives no time. Sorts articles of one day; the time is taken as written (no time zone)."""
    match = _TIME.match(iso or "")
    if not match:
        return 0
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return 0
    return hours * 3600 + minutes * 60 + seconds + 1


def bound_key(text: str, *, end: bool, option: str) -> int:
    """A --since (start) or --until (end) bound as a date key; QueryError when malformed.

    An --until of 2023-02 includes the whole month, so it becomes 20230299.
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    problem = f"bad date {text!r} for {option}: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2023-02-02)"
    if not match:
        raise QueryError(problem)
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise QueryError(problem)
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        raise QueryError(problem)
    if month is None:
        return year * 10000 + (1299 if end else 0)
    if day is None:
        return year * 10000 + month * 100 + (99 if end else 0)
    return year * 10000 + month * 100 + day
