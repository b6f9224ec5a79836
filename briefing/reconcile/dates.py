"""Dates in news text: calendar dates, weekdays and the years a passage is about.

"October 27, 2025", "Oct. 27" and "27 Oct 2025" are one date; "Monday" is a
weekday that only compares with another weekday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from briefing.reconcile import lexicon


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    raw: str = ""


@cache
def months() -> dict[str, int]:
    return {name: i + 1 for i, names in enumerate(lexicon.ordered("months.txt")) for name in names}


@cache
def weekdays() -> dict[str, int]:
    return {names[0]: i for i, names in enumerate(lexicon.ordered("weekdays.txt"))}


@cache
def calendar_words() -> frozenset[str]:
    """Every month and weekday name the data files list, in every form: words that date, never count
    or act ("12 March", "on Monday said")."""
    return lexicon.words("months.txt") | lexicon.words("weekdays.txt")


@cache
def _res() -> list[re.Pattern[str]]:
    day_names = "|".join(d.capitalize() for d in weekdays())
    return [
        re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?!\d)"),
        re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8})\.?(?:,?\s+(\d{4}))?(?!\d)"),
        re.compile(r"\b(" + day_names + r")\b"),
    ]


def parse_dates(text: str) -> list[DateMention]:
    """Calendar dates and weekday mentions, in order."""
    found: list[DateMention] = []
    rx = _res()
    for n, pattern in enumerate(rx[:2]):
        for m in pattern.finditer(text):
            month_word, day_s = (m.group(1), m.group(2)) if n == 0 else (m.group(2), m.group(1))
            month = months().get(month_word.lower())
            if month is None or (month_word.lower() == "may" and n == 0 and m.group(3) is None):
                continue
            day = int(day_s)
            if not 1 <= day <= 31 or any(d.start <= m.start() < d.end for d in found):
                continue
            year = int(m.group(3)) if m.group(3) else None
            found.append(DateMention(m.start(), m.end(), year, month, day, None, m.group(0)))
    for m in rx[2].finditer(text):
        if not any(d.start <= m.start() < d.end for d in found):
            found.append(
                DateMention(m.start(), m.end(), weekday=weekdays()[m.group(1).lower()], raw=m.group(0))
            )
    return sorted(found, key=lambda d: d.start)


_YEAR_RE = re.compile(
    r"\b(?:since|in|until|through|before|after)\s+((?:19|20)\d\d)\b(?![\d,.]\d|\s*[-–]\s*\d)"
)


def year_mentions(text: str, dates: list[DateMention]) -> list[DateMention]:
    """Years said of something on their own ("has chaired the board since 1996", "ends in 2027"), outside
    the calendar dates already found."""
    return [
        DateMention(m.start(1), m.end(1), year=int(m.group(1)), raw=m.group(1))
        for m in _YEAR_RE.finditer(text)
        if not any(d.start <= m.start(1) < d.end for d in dates)
    ]


def year_only(d: DateMention) -> bool:
    return d.year is not None and d.month is None and d.weekday is None


def dates_agree(a: DateMention, b: DateMention) -> bool | None:
    """True/False when comparable (both calendar dates, both weekdays or both bare years), else None."""
    if year_only(a) or year_only(b):
        return a.year == b.year if year_only(a) and year_only(b) else None
    if a.weekday is not None or b.weekday is not None:
        if a.weekday is None or b.weekday is None:
            return None
        return a.weekday == b.weekday
    if a.year and b.year and a.year != b.year:
        return False
    return (a.month, a.day) == (b.month, b.day)


def day_key(d: DateMention) -> str:
    """A date as a comparable key: the weekday, or month and day."""
    if year_only(d):
        return f"y:{d.year}"
    return f"wd:{d.weekday}" if d.weekday is not None else f"md:{d.month}:{d.day}"


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
    if published_year:
        low = text.lower()
        for phrase, offset in lexicon.pairs("relative_years.txt").items():
            if re.search(r"\b" + re.escape(phrase) + r"\b", low):
                years.add(published_year + int(offset))
    return years
