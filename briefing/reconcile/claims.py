"""The adapter for structured claims: an LLM's ``subject``/``attribute``/``value`` as fact records.

The LLM engine asks for these per claim; here they become records like any
other, keyed by subject and attribute so the aligner compares the values two
sources give for the same property of the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from briefing.models import Claim
from briefing.reconcile.dates import parse_dates
from briefing.reconcile.numbers import parse_quantities
from briefing.reconcile.reader import content, token
from briefing.reconcile.records import FactRecord


def _norm(text: str) -> str:
    return " ".join(token(w) for w in re.findall(r"[\w’'.-]+", text))


def claim_records(claims: Iterable[Claim], known: set[str]) -> Iterator[FactRecord]:
    """Records for claims that carry a subject, attribute and value (others add nothing here)."""
    for c in claims:
        if c.source_id not in known or not (c.subject and c.attribute and c.value):
            continue
        about = f"{c.subject} {c.attribute}"
        ctx = frozenset(content(about))
        key = f"c:{_norm(c.subject)}|{_norm(c.attribute)}"
        label = f"{c.subject.strip()} — {c.attribute.strip()}"
        qs = parse_quantities(c.value)
        ds = parse_dates(c.value)
        if qs:
            q = qs[0]
            bucket = q.unit if q.unit and not q.unit.startswith("n:") else "count"
            keys = frozenset({key} | {f"n:{bucket}:{k}" for k in ctx})
            yield FactRecord(
                c.source_id, "number", c.start, c.end, c.start, c.end, c.value, label, keys, ctx,
                extractor="llm", quantity=q, label=label, flags=frozenset({"approx"} if q.approx else ()),
            )  # fmt: skip
        elif ds:
            yield FactRecord(
                c.source_id, "date", c.start, c.end, c.start, c.end, c.value, label, frozenset({key}), ctx,
                extractor="llm", date=ds[0], label=label,
            )  # fmt: skip
        else:
            yield FactRecord(
                c.source_id, "statement", c.start, c.end, c.start, c.end, c.value.strip(), label,
                frozenset({key}), ctx, extractor="llm", label=label,
            )  # fmt: skip
