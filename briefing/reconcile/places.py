"""Where something happened: two outlets placing one event in two different places.

A place record is a capitalised name after "in", "at", "near"... with the words
just before it ("a rally in", "was arrested at"), which say what happened there.
Two places conflict when the passages report one event (their words align, and
more loosely when the words before the place agree), neither place contains the
other as far as the text shows (one source never names the other's place), and
both are places of one level: a region (a state, a country) against a town says
where at two scales, not two places.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Literal

from briefing.reconcile import lexicon
from briefing.reconcile.records import FactRecord

Verdict = Literal["agree", "conflict"] | None

_SIMILAR = 0.55  # alignment for one event when nothing else ties the two places' passages
_SIMILAR_HEAD = 0.25  # ... when the words right before the places agree ("a rally in")


@cache
def _regions() -> frozenset[str]:
    return lexicon.words("regions.txt") | lexicon.words("places.txt")


def _is_region(r: FactRecord) -> bool:
    return " ".join(r.names) in _regions() or all(t in _regions() for t in r.names)


def place_difference(a: FactRecord, b: FactRecord, sim: float, texts: Mapping[str, str]) -> Verdict:
    heads = {f for f in a.flags if f.startswith("head:")} & {f for f in b.flags if f.startswith("head:")}
    if sim < (_SIMILAR_HEAD if heads else _SIMILAR):
        return None
    pa, pb = set(a.names), set(b.names)
    if pa <= pb or pb <= pa:
        return "agree"
    if _is_region(a) != _is_region(b):
        return None  # a state or a country against a town: two scales, not two places
    # A source that also names the other place is adding detail ("Springfield, Illinois"), not disputing.
    if _names_place(texts.get(b.source_id, ""), a.value) or _names_place(texts.get(a.source_id, ""), b.value):
        return None
    return "conflict"


def _names_place(text: str, place: str) -> bool:
    """``text`` names ``place`` as a whole word ("Hollin Spring" is not named inside "Hollin Springs")."""
    return re.search(r"(?<!\w)" + re.escape(place.lower()) + r"(?!\w)", text) is not None
