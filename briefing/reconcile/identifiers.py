"""Identifiers in a passage (flight, model, bill or route numbers): two things, not one.

A story about one flight often recalls others ("another flight went missing in March with
239 on board"). Such a background passage names an identifier that is not the one its
own source is about; its figures and days are of another thing, and setting them against
the story's own is a false disagreement. Written for that shape, not for any one story.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from briefing.reconcile import lexicon
from briefing.reconcile.records import FactRecord
from briefing.text import sentence_spans

# Letters then digits ("XY123", "XY-12"), or a digit run after "flight"/"no." (case as written):
# the digits identify the thing, so "Flight 17" and "XY17" are the same identifier.
_ID = re.compile(r"\b[A-Z]{1,3}-?(\d{2,5})\b|\b(?:[Ff]light|No\.)\s+(?:[A-Z]{1,3}\s?-?)?(\d{1,5})\b")
_MAIN_MIN = 2  # mentions that make an identifier what a source is about
_LOOK_BACK = 600  # characters searched for the sentence a passage points back to


def _mentions(text: str) -> Iterator[str]:
    return (m.group(1) or m.group(2) for m in _ID.finditer(text))


def identifiers(text: str) -> frozenset[str]:
    return frozenset(_mentions(text))


def first_identifier(text: str) -> str | None:
    """The identifier a passage names first: what it is about ("Flight 370, unlike 8501, ...")."""
    return next(_mentions(text), None)


def main_identifiers(texts: Mapping[str, str]) -> dict[str, str]:
    """Each source's most mentioned identifier, when it is mentioned at least twice and most."""
    out: dict[str, str] = {}
    for sid, text in texts.items():
        counts = Counter(_mentions(text))
        top = counts.most_common(2)
        if top and top[0][1] >= _MAIN_MIN and (len(top) == 1 or top[0][1] > top[1][1]):
            out[sid] = top[0][0]
    return out


def other_things(a: FactRecord, b: FactRecord, texts: Mapping[str, str], main: Mapping[str, str]) -> bool:
    """``a`` and ``b`` are about different identified things (different ids, or one is background)."""
    ids_a = _passage_identifiers(texts[a.source_id], a.start, a.end)
    ids_b = _passage_identifiers(texts[b.source_id], b.start, b.end)
    if ids_a and ids_b:
        return ids_a.isdisjoint(ids_b)
    for ids, sid in ((ids_a, a.source_id), (ids_b, b.source_id)):
        own = main.get(sid)
        if ids and own is not None and own not in ids:
            return True  # it recalls another thing than the one its source reports
    return False


def _passage_identifiers(text: str, start: int, end: int) -> frozenset[str]:
    """The passage's identifiers; for one opening on "That crash...", those of the sentence before."""
    ids = identifiers(text[start:end])
    first = text[start:end].lstrip(" \"“‘'(").split(maxsplit=1)[:1]
    if ids or not first or first[0].lower() not in lexicon.words("back_references.txt"):
        return ids
    before = sentence_spans(text, max(0, start - _LOOK_BACK), start)
    return identifiers(text[before[-1][0] : before[-1][1]]) if before else ids
