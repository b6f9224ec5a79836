"""When a page says it was published, to the second: the order of two reports of one day.

trafilatura (through htmldate) gives the publication *date*, which is what the
brief shows. Two reports of one story from the same day (a wire's morning item
and its evening update) then tie, and the older one can state the news. Pages
usually state the time in standard metadata, read here in this order:

- OpenGraph ``<meta property="article:published_time">``;
- schema.org ``datePublished`` (a ``<meta itemprop>``/``<meta name>``, a ``<time>``
  element, or a JSON-LD object, also inside ``@graph`` or a list);
- Parse.ly's ``<meta name="parsely-pub-date">`` or the ``pub_date`` of its
  ``parsely-page`` JSON.

Only a value with a time of day counts; it is returned as ISO 8601, in UTC when
it states an offset.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

_HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
_META_NAMES = ("article:published_time", "datepublished", "parsely-pub-date", "pubdate")


def iso_time(value: object) -> str | None:
    """ISO date and time (UTC, ``Z``, where an offset is stated) of a stated time of day, else None."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str) and _HAS_TIME.match(value.strip()):
        from dateutil import parser  # type: ignore[import-untyped]  # no stubs shipped

        try:
            stamp = parser.isoparse(value.strip())
        except (ValueError, OverflowError):
            return None
    else:
        return None
    if stamp.tzinfo is not None:
        return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")


def published_time(tree: Any) -> str | None:
    """The stated publication time (see the module docstring) of a page parsed by
    ``trafilatura.utils.load_html`` (an lxml tree), or None."""
    if tree is None:
        return None
    for value in _candidates(tree):
        if (stamp := iso_time(value)) is not None:
            return stamp
    return None


def _candidates(tree: Any) -> Iterator[object]:
    """Stated publication times, surest first. A kind of metadata that states several different
    times (a list of related items, each with its own) says nothing of this page and is skipped."""
    by_name: dict[str, set[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("itemprop") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            by_name.setdefault(key, set()).add(content)
    times = {
        (e.get("datetime") or "").strip()
        for e in tree.iter("time")
        if (e.get("itemprop") or "").lower() == "datepublished" or e.get("pubdate") is not None
    }
    json_ld = {
        str(value)
        for script in tree.iter("script")
        if (script.get("type") or "").lower() == "application/ld+json" and script.text
        for value in _json_ld_dates(script.text)
    }
    page: object = None
    if len(by_name.get("parsely-page", ())) == 1:
        try:
            page = json.loads(next(iter(by_name["parsely-page"])))
        except ValueError:
            page = None
    kinds = [*(by_name.get(name, set()) for name in _META_NAMES), times - {""}, json_ld]
    if isinstance(page, dict) and page.get("pub_date"):
        kinds.append({str(page["pub_date"])})
    for values in kinds:
        if len(values) == 1:
            yield next(iter(values))


def _json_ld_dates(text: str) -> Iterator[object]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "datePublished" in item:
                yield item["datePublished"]
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"])
