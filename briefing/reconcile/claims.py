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
from briefing.reconcile.numbers import Quantity, parse_quantities
from briefing.reconcile.reader import content, entities, figure_flags, token
from briefing.reconcile.records import FactRecord


def _norm(text: str) -> str:
    return " ".join(token(w) for w in re.findall(r"[\w’'.-]+", text))


def _flags(quote: str, q: Quantity) -> set[str]:
    """The figure's flags, read where its quote states it ("About 120 ships are expected": a
    forecast), as the rule reader reads them; only approximation when the quote does not state it."""
    flags = {"approx"} if q.approx else set()
    stated = parse_quantities(quote)
    # The value may name less than the quote does ("120" of "About 120 ships"): the same number, in
    # the value's unit when it names one.
    same = (x for x in stated if x.low == q.low and x.high == q.high and (x.unit == q.unit or not q.unit))
    if (at := next(same, None)) is not None:
        flags |= figure_flags(quote, at, sum(x.unit == at.unit for x in stated))
    return flags


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
                extractor="llm", quantity=q, label=label, flags=frozenset(_flags(c.quote, q)),
                names=tuple(sorted(entities(c.subject))),
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
