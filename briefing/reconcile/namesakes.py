"""People of one surname: which one did it, when two outlets name different first names.

A surname is a poor blocking key: in a story about one family or one politician it
is on every other line, far beyond what the aligner compares. What matters is the
few first names each source gives that surname, so sources are grouped by the set
of first names they use and a bounded number of mentions of each group is paired
with each other group's. First names are compatible when one starts the other
("Tom", "Thomas"), share an initial ("Jim", "James": a short form, or at least
not clearly two people) or form a known pair of a name and its short form.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Literal

from briefing.reconcile import lexicon
from briefing.reconcile.records import FactRecord

Verdict = Literal["agree", "conflict"] | None

_MENTIONS = 6  # mentions of one surname per source paired: the first few name the person's part
_GROUP_SOURCES = 3  # sources of one first-name group that stand for it
_KNOWN_BOTH = 0.6  # alignment needed when the story names both people somewhere (one sentence reworded)
_SHORT_FORM = 3  # letters of a first name that may be the short form of any name of its initial ("Jim")


@cache
def _short_forms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for line in lexicon.ordered("nicknames.txt"):
        for w in line:
            out[w].update(line)
    return {k: frozenset(v) for k, v in out.items()}


def first_names_compatible(x: str, y: str) -> bool:
    """Whether two first names may name one person ("Jim", "James"; "Mike", "Michael"; "Bob", "Robert";
    "J", "Jane"). Two full names with only the first letter in common ("Marta", "Miriam") are two people."""
    if x == y or x.startswith(y) or y.startswith(x):
        return True
    if x[:1] == y[:1] and (min(len(x), len(y)) <= _SHORT_FORM or x[:2] == y[:2]):
        return True
    return y in _short_forms().get(x, frozenset())


def _given_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    """A given name of one (any word before the surname: "Staff" of a title misread) fits the other's."""
    return any(first_names_compatible(x, y) for x in a[:-1] for y in b[:-1])


def person_pairs(records: Sequence[FactRecord]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of person records from two sources giving one surname different first names."""
    by_surname: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, r in enumerate(records):
        if r.kind == "person" and len(r.names) >= 2:
            by_surname[r.names[-1]][r.source_id].append(i)
    for per_source in by_surname.values():
        if len(per_source) < 2:
            continue
        groups: dict[frozenset[tuple[str, ...]], list[str]] = defaultdict(list)
        for sid, idx in per_source.items():
            groups[frozenset(records[i].names for i in idx)].append(sid)
        keys = sorted(groups, key=sorted)
        for x, fx in enumerate(keys):
            for fy in keys[x + 1 :]:
                if all(_given_compatible(p, q) for p in fx for q in fy):
                    continue
                for sx in groups[fx][:_GROUP_SOURCES]:
                    for sy in groups[fy][:_GROUP_SOURCES]:
                        for i in per_source[sx][:_MENTIONS]:
                            for j in per_source[sy][:_MENTIONS]:
                                if not _given_compatible(records[i].names, records[j].names):
                                    yield (i, j) if i < j else (j, i)


def person_difference(
    a: FactRecord,
    b: FactRecord,
    sim: float,
    namesakes: Mapping[str, frozenset[str]],
    texts: Mapping[str, str] | None = None,
) -> Verdict:
    """One surname with two first names in two aligned passages: one person, or which one did it."""
    if len(a.names) < 2 or len(b.names) < 2 or a.names[-1] != b.names[-1]:
        return None
    if any(x == y or x.startswith(y) or y.startswith(x) for x in a.names[:-1] for y in b.names[:-1]):
        return "agree"
    if _given_compatible(a.names, b.names):
        return None  # a short form, or at least not clearly two people
    texts = texts or {}
    for x, y in ((a, b), (b, a)):
        given = "|".join(re.escape(g) for g in x.names[:-1])
        if re.search(rf"\b(?:{given})\b", texts.get(y.source_id, "")):
            return (
                None  # the other source names this one too ("Ann and Beth Roe"): two people, each their part
            )
    full_a, full_b = " ".join(a.names), " ".join(b.names)
    if full_a in namesakes.get(b.source_id, ()) or full_b in namesakes.get(a.source_id, ()):
        return None  # each source knows both people: the passages are about each one's part
    if any(full_a in names and full_b in names for names in namesakes.values()) and sim < _KNOWN_BOTH:
        return None  # two people of that name in the story: only one sentence reworded says which
    return "conflict"
