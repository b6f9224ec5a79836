"""What changed since an earlier brief: ``make --since PREVIOUS.json``.

Each item of today's brief (a bottom-line sentence, a key point — and, once
briefs carry ``stories``, each story) is matched with the closest item of the
earlier brief by the content words they share, figures left out:

* no earlier item shares enough words: **new**;
* the same statement with a figure that moved (1,200 MW then, 1,350 MW now):
  **update**, with the before/after values;
* the same story told with new facts or by new sources: **update**;
* the same statement from the same articles: **unchanged** (renderers
  compress these to one line).

Disagreements are matched by topic: ``appeared``, ``resolved`` or
``continuing``. The earlier brief is read as plain JSON, not validated
against today's model, so a brief written by an older or newer version (with
or without fields such as ``stories`` or ``changes``) can still be compared.
Only the earlier brief's text is used; nothing is re-read from its sources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from briefing.errors import InputError
from briefing.models import Brief, Changes, DisagreementChange, ItemChange, ValueChange
from briefing.text import STOP_WORDS, content_words, normalize

# Dice overlap of content words (figures left out) above which two items state the same thing.
SAME_FACT = 0.6
# ... and above which they are at least about the same story (shared names, places, objects).
SAME_STORY = 0.3
SAME_TOPIC = 0.5
OUTLET_BONUS = 0.05
# The sections that hold items, in the order they are compared; "stories" is read when present.
SECTIONS = ("stories", "bottom_line", "key_points")
# Where a story (issue 13's ``Brief.stories``) keeps its statements.
STORY_STATEMENTS = ("bottom_line", "key_points", "statements")

# A figure and the unit word that follows it: "1,200 MW", "12%", "$3.5 billion", "6 weeks".
_VALUE = re.compile(r"(?P<cur>[$€£¥])?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<unit>%|[A-Za-z]+\b))?")


@dataclass
class _Item:
    section: str
    index: int
    text: str
    urls: frozenset[str]
    words: frozenset[str]
    values: tuple[str, ...]
    outlets: frozenset[str] = frozenset()


def load_previous(path: str | Path) -> dict[str, Any]:
    """An earlier brief's JSON (``make -f json``); a clear InputError if it is not one."""
    where = Path(path)
    if where.exists() and not where.is_file():
        raise InputError(f"--since: {where} is not a regular file")  # a FIFO would block the read
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--since: {where} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--since: cannot read {where}: {exc}") from None
    except ValueError as exc:
        raise InputError(
            f"--since: {where} is not JSON ({exc}); give a brief made with --format json"
        ) from None
    if not isinstance(data, dict) or "generated_at" not in data or "key_points" not in data:
        raise InputError(f"--since: {where} is not a brief made with --format json")
    return data


def compare(previous: Mapping[str, Any] | Brief, today: Brief) -> Changes:
    """The changes of ``today`` since ``previous`` (a brief's JSON dict or a Brief)."""
    before = previous.model_dump(mode="json") if isinstance(previous, Brief) else dict(previous)
    now = today.model_dump(mode="json")
    # Yesterday's figures may have been one side of a disagreement; today's item can continue it.
    old_items = list(_items(before)) + list(_positions(before))
    changes: list[ItemChange] = []
    for item in _items(now):
        changes.append(_classify(item, old_items))
    try:
        since = datetime.fromisoformat(str(before.get("generated_at")))
    except ValueError:
        raise InputError("--since: the earlier brief has no valid generated_at") from None
    return Changes(
        since=since,
        previous_title=str(before.get("title") or ""),
        items=changes,
        disagreements=_disagreements(before, now),
    )


def with_changes(previous: Mapping[str, Any] | Brief, today: Brief) -> Brief:
    """A copy of ``today`` carrying its comparison with ``previous``."""
    return today.model_copy(update={"changes": compare(previous, today)})


def _cited(statements: list[dict[str, Any]], by_id: Mapping[Any, Any]) -> frozenset[str]:
    return frozenset(
        str(by_id.get(c.get("source")) or c.get("source"))
        for s in statements
        for c in s.get("citations") or []
        if isinstance(c, dict)
    )


def _sources(brief: Mapping[str, Any]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Source id -> url (or path), and source id -> outlet."""
    refs = [s for s in brief.get("sources") or [] if isinstance(s, dict)]
    return (
        {s.get("id"): s.get("url") or s.get("path") for s in refs},
        {s.get("id"): s.get("outlet") for s in refs if s.get("outlet")},
    )


def _items(brief: Mapping[str, Any]) -> Iterator[_Item]:
    urls, outlets = _sources(brief)
    for section in SECTIONS:
        for index, entry in enumerate(brief.get(section) or []):
            if not isinstance(entry, dict):
                continue
            if section == "stories":
                # A story is compared as a whole: its headline and every statement it holds.
                found = [entry.get(key) or [] for key in STORY_STATEMENTS]
                statements = [s for group in found if isinstance(group, list) for s in group]
                heading = entry.get("headline") or entry.get("title")
            else:
                statements, heading = [entry], None
            statements = [s for s in statements if isinstance(s, dict)]
            text = " ".join(str(s.get("text") or "") for s in statements)
            if isinstance(heading, str) and heading.strip():
                text = f"{heading}. {text}"
            yield _Item(
                section,
                index,
                text,
                _cited(statements, urls),
                _words(text),
                _values(text),
                _cited(statements, outlets) & frozenset(outlets.values()),
            )


def _positions(brief: Mapping[str, Any]) -> Iterator[_Item]:
    urls, outlets = _sources(brief)
    for index, d in enumerate(brief.get("disagreements") or []):
        for p in d.get("positions") or [] if isinstance(d, dict) else []:
            if isinstance(p, dict):
                text = str(p.get("text") or "")
                cited_outlets = _cited([p], outlets) & frozenset(outlets.values())
                yield _Item(
                    "disagreements",
                    index,
                    text,
                    _cited([p], urls),
                    _words(text),
                    _values(text),
                    cited_outlets,
                )


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in content_words(normalize(text)) if not any(ch.isdigit() for ch in w))


def _values(text: str) -> tuple[str, ...]:
    out = []
    for m in _VALUE.finditer(normalize(text)):
        num = m.group("num").rstrip(",")
        if re.fullmatch(r"(19|20)\d\d", num) and not m.group("cur"):
            continue  # a year dates the fact; it is not the fact's value
        unit = m.group("unit") or ""
        if unit.lower() in STOP_WORDS:
            unit = ""  # "7 to 2": a figure without a unit, not a figure in "to"
        out.append(f"{m.group('cur') or ''}{num}" + (f" {unit}" if unit and unit != "%" else unit))
    return tuple(out)


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _classify(item: _Item, old_items: Sequence[_Item]) -> ItemChange:
    best, score, rank = None, 0.0, 0.0
    for old in old_items:
        s = _dice(item.words, old.words)
        # The same outlet reporting again breaks a tie: two sides of yesterday's
        # disagreement often differ only in the figure being compared.
        r = s + (OUTLET_BONUS if item.outlets & old.outlets else 0.0)
        if r > rank:
            best, score, rank = old, s, r
    if best is None or score < SAME_STORY:
        return ItemChange(section=item.section, index=item.index, status="new")
    moved = _moved(best.values, item.values) if score >= SAME_FACT else []
    unchanged = (
        score >= SAME_FACT
        and not moved
        and set(item.values) == set(best.values)
        and (item.urls <= best.urls or score >= 0.9)
    )
    return ItemChange(
        section=item.section,
        index=item.index,
        status="unchanged" if unchanged else "update",
        previous=best.text,
        values=moved,
    )


def _unit(value: str) -> str:
    return value.split(" ", 1)[1].lower() if " " in value else ("%" if value.endswith("%") else "")


def _number(value: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", value)
    return float(m.group().replace(",", "")) if m else None


def _moved(before: Sequence[str], after: Sequence[str]) -> list[ValueChange]:
    """Figures of the same unit that differ: each old value paired with the new one of its unit."""
    gone = [v for v in before if v not in after]
    came = [v for v in after if v not in before]
    out = []
    for old in gone:
        match = next((new for new in came if _unit(new) == _unit(old) and _number(new) != _number(old)), None)
        if match is not None:
            came.remove(match)
            out.append(ValueChange(before=old, after=match))
    return out


def _topic_words(topic: str) -> frozenset[str]:
    return frozenset(content_words(normalize(topic)))


def _disagreements(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[DisagreementChange]:
    old = [str(d.get("topic") or "") for d in before.get("disagreements") or [] if isinstance(d, dict)]
    new = [str(d.get("topic") or "") for d in now.get("disagreements") or [] if isinstance(d, dict)]
    matched: set[int] = set()
    out = []
    for topic in new:
        hit = next(
            (
                i
                for i, o in enumerate(old)
                if i not in matched
                and (
                    o.casefold() == topic.casefold()
                    or _dice(_topic_words(o), _topic_words(topic)) >= SAME_TOPIC
                )
            ),
            None,
        )
        if hit is None:
            out.append(DisagreementChange(topic=topic, status="appeared"))
        else:
            matched.add(hit)
            out.append(DisagreementChange(topic=topic, status="continuing"))
    out += [DisagreementChange(topic=o, status="resolved") for i, o in enumerate(old) if i not in matched]
    return out
