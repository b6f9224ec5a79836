"""Typed fact records: what one passage of one source states, whoever read it.

Extractors (the rule-based reader over every sentence, the adapter for an
LLM's structured claims) produce :class:`FactRecord`; the aligner and the
comparer only ever see records, never the extractor that made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from briefing.reconcile.dates import DateMention
from briefing.reconcile.numbers import Quantity

Kind = Literal["number", "date", "title", "person", "place", "agent", "quote", "statement"]
KINDS: tuple[Kind, ...] = ("number", "date", "title", "person", "place", "agent", "quote", "statement")


@dataclass(frozen=True)
class FactRecord:
    """One stated value about one thing, with the passage that states it.

    ``start:end`` is the passage to cite (a sentence, a table row or a
    quotation); ``value_start:value_end`` is where the value itself is stated.
    ``keys`` are blocking keys: only records sharing one are ever compared.
    ``context`` holds the passage's content-word stems and names, which the
    aligner weighs to decide whether two records report the same fact.
    """

    source_id: str
    kind: Kind
    start: int
    end: int
    value_start: int
    value_end: int
    value: str  # the value as stated
    subject: str  # what the value is about, readable: "people killed", "Jane Roe", "the accord"
    keys: frozenset[str]
    context: frozenset[str]
    extractor: str = "rules"
    quantity: Quantity | None = None
    date: DateMention | None = None
    names: tuple[str, ...] = ()  # people named (lower-cased tokens), for person, agent and title records
    words: tuple[str, ...] = ()  # a quotation's words, lower-cased, for quote records
    flags: frozenset[str] = field(default_factory=frozenset)  # "historic", "negated", "table"...
    years: frozenset[int] = field(default_factory=frozenset)
    label: str | None = None  # table row label and header, or an LLM claim's subject + attribute
    verb: str | None = None  # the action a record is about, as written ("signed", "voted")
