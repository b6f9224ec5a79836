"""Dates in news text: calendar dates, weekdays and the years a passage is about.

"October 27, 2025", "Oct. 27" and "27 Oct 2025" are one date; "Monday" is a
weekday that only compares with another weekday. Spans index the text given,
so callers can cite the verbatim passage.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}


class DateMention(BaseModel):
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    raw: str = ""


_DATE_RES = [
    # October 27, 2025 / Oct. 27 / Oct 28, 2025
    re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?!\d)"),
    # 27 October 2025 / 31 Oct 2025
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8})\.?(?:,?\s+(\d{4}))?(?!\d)"),
]
_WEEKDAY_RE = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def parse_dates(text: str) -> list[DateMention]:
    """Calendar dates and weekday mentions, in order."""
    found: list[DateMention] = []
    for n, rx in enumerate(_DATE_RES):
        for m in rx.finditer(text):
            month_word, day_s = (m.group(1), m.group(2)) if n == 0 else (m.group(2), m.group(1))
            month = MONTHS.get(month_word.lower())
            if month is None or (month_word.lower() == "may" and n == 0 and m.group(3) is None):
                continue
            day = int(day_s)
            if not 1 <= day <= 31 or any(d.start <= m.start() < d.end for d in found):
                continue
            year = int(m.group(3)) if m.group(3) else None
            found.append(
                DateMention(start=m.start(), end=m.end(), year=year, month=month, day=day, raw=m.group(0))
            )
    for m in _WEEKDAY_RE.finditer(text):
        if not any(d.start <= m.start() < d.end for d in found):
            found.append(
                DateMention(
                    start=m.start(), end=m.end(), weekday=WEEKDAYS[m.group(1).lower()], raw=m.group(0)
                )
            )
    return sorted(found, key=lambda d: d.start)


def dates_agree(a: DateMention, b: DateMention) -> bool | None:
    """True/False when comparable (both calendar dates, or both weekdays), else None."""
    if a.weekday is not None or b.weekday is not None:
        if a.weekday is None or b.weekday is None:
            return None
        return a.weekday == b.weekday
    if a.year and b.year and a.year != b.year:
        return False
    return (a.month, a.day) == (b.month, b.day)


def publication_year(published: str | None, text: str) -> int | None:
    """Year the article was published: metadata first, else a date near the top of the text."""
    if published and re.match(r"\d{4}", published):
        return int(published[:4])
    for d in parse_dates(text[:400]):
        if d.year:
            return d.year
    return None


def years_in(text: str, published_year: int | None) -> set[int]:
    """Calendar years a passage is about: explicit years plus 'last year'/'this year'."""
    years = {int(y) for y in re.findall(r"(?<![\d,.$])((?:19|20)\d\d)(?![\d,%])", text)}
    low = text.lower()
    if published_year:
        if re.search(r"\b(last|past|previous) year\b|\blast year's\b", low):
            years.add(published_year - 1)
        if re.search(r"\bthis year\b|\bso far this year\b", low):
            years.add(published_year)
        if re.search(r"\bnext year\b", low):
            years.add(published_year + 1)
    return years


def iso(d: DateMention) -> str:
    if d.weekday is not None:
        return d.raw
    if d.year and d.month and d.day:
        return date(d.year, d.month, d.day).isoformat()
    return d.raw
