"""One name spelled two ways: "Adeyemi" in one outlet, "Adeyemy" in another.

A reader checking a name before quoting it wants to know that the outlets do not
agree on it. Two spellings are one name written two ways when:

- each is a capitalised word of at least four letters that its source uses and
  the other source never does, and that no source uses as a plain word;
- they differ by one letter added, dropped, changed or two swapped, and not at
  the end alone (a plural "Novaks" or a possessive is another word);
- the words around them agree (at least two content words within a few words of
  a mention in each source): the same person or place in the same story.

Not a spelling: a misspelt weekday or month (a typo of a common word, not a
name), two words apart only at their last letter ("Marta", "Marty": two names),
or a capitalisation difference alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations

from briefing.models import Source
from briefing.reconcile import lexicon
from briefing.reconcile.dates import calendar_words
from briefing.reconcile.records import FactRecord, Kind
from briefing.text import STOP_WORDS, sentence_spans

_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\b")
_WORD = re.compile(r"[A-Za-z]+")
_MIN_LETTERS = 4
_AROUND = 4  # words on each side of a mention that say who or what it is
_SHARED = 2  # content words two mentions' surroundings must share to name one thing
_REACH = 80  # characters scanned on each side for those words
_LOOK = 4  # sources per side, and mentions per source, compared for those words (a big folder has many)


@dataclass(frozen=True)
class Spelling:
    """One name as each group of sources writes it: ``records`` is one mention per source."""

    kind: Kind
    forms: tuple[str, str]
    sides: tuple[tuple[FactRecord, ...], tuple[FactRecord, ...]]
    shared: int  # content words the best pair of mentions share around the name


def one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter inserted, deleted or replaced, or two adjacent swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = [*diff, 0, 0][:2]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _near_calendar(word: str) -> bool:
    return any(word == w or one_edit(word, w) for w in calendar_words() if len(w) >= _MIN_LETTERS)


def _mentions(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for m in _NAME.finditer(text):
        word = m.group()
        if len(word) >= _MIN_LETTERS and word.lower() not in STOP_WORDS:
            out[word].append(m.start())
    return out


def _around(text: str, at: int, word: str) -> frozenset[str]:
    before = _WORD.findall(text[max(0, at - _REACH) : at])[-_AROUND:]
    after = _WORD.findall(text[at + len(word) : at + len(word) + _REACH])[:_AROUND]
    return frozenset(w.lower() for w in before + after if len(w) > 2 and w.lower() not in STOP_WORDS)


def _kind(mentions: list[tuple[str, int]]) -> Kind:
    """A place where a mention follows "in", "at"...; otherwise a person."""
    preps = lexicon.words("place_prepositions.txt")
    for text, at in mentions:
        before = _WORD.findall(text[max(0, at - 20) : at])
        if before and before[-1].lower() in preps:
            return "place"
    return "person"


def _record(source: Source, at: int, word: str, kind: Kind) -> FactRecord:
    start, end = next(((s, e) for s, e in sentence_spans(source.text) if s <= at < e), (at, at + len(word)))
    return FactRecord(
        source_id=source.id,
        kind=kind,
        start=start,
        end=end,
        value_start=at,
        value_end=at + len(word),
        value=word,
        subject=word,
        keys=frozenset(),
        context=frozenset(),
        flags=frozenset({"spelling"}),
    )


def _pairs(forms: set[str]) -> Iterator[tuple[str, str]]:
    """Pairs of forms one edit apart, found through their one-letter deletions (not all pairs)."""
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for form in forms:
        low = form.lower()
        by_deletion[low].add(form)
        for i in range(len(low)):
            by_deletion[low[:i] + low[i + 1 :]].add(form)
    seen: set[tuple[str, str]] = set()
    for group in by_deletion.values():
        for x, y in combinations(sorted(group), 2):
            if (x, y) in seen or x[0] != y[0]:
                continue
            seen.add((x, y))
            a, b = x.lower(), y.lower()
            if one_edit(a, b) and not (a.startswith(b) or b.startswith(a) or a[:-1] == b[:-1]):
                yield x, y


def find_spellings(sources: Mapping[str, Source]) -> Iterator[Spelling]:
    """Names the sources spell two ways, each with the sources writing each form."""
    mentions = {sid: _mentions(s.text) for sid, s in sources.items()}
    plain = {w.lower() for s in sources.values() for w in _WORD.findall(s.text) if w[0].islower()}
    forms = {
        w for m in mentions.values() for w in m if w.lower() not in plain and not _near_calendar(w.lower())
    }
    for x, y in sorted(_pairs(forms)):
        sides: list[list[tuple[str, int]]] = [[], []]
        for sid in sources:
            has = [f for f in (x, y) if f in mentions[sid]]
            if len(has) == 1:
                sides[0 if has[0] == x else 1].append((sid, mentions[sid][has[0]][0]))
        if not sides[0] or not sides[1]:
            continue
        best, pick = 0, (sides[0][0], sides[1][0])
        for sx, _ in sides[0][:_LOOK]:
            for sy, _ in sides[1][:_LOOK]:
                for p in mentions[sx][x][:_LOOK]:
                    for q in mentions[sy][y][:_LOOK]:
                        shared = len(_around(sources[sx].text, p, x) & _around(sources[sy].text, q, y))
                        if shared > best:
                            best, pick = shared, ((sx, p), (sy, q))
        if best < _SHARED:
            continue
        chosen = dict(pick)
        kind = _kind([(sources[sid].text, at) for sid, at in chosen.items()])
        records = tuple(
            tuple(_record(sources[sid], chosen.get(sid, at), form, kind) for sid, at in side)
            for side, form in zip(sides, (x, y), strict=True)
        )
        yield Spelling(kind=kind, forms=(x, y), sides=(records[0], records[1]), shared=best)
