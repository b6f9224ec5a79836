"""``find_disagreements``: read, align, compare, rank.

Every sentence, table row and quotation of every source is read into fact
records (:mod:`briefing.reconcile.reader`); structured claims add records of
their own (:mod:`briefing.reconcile.claims`). The aligner pairs records from
different sources that report the same fact, the comparer classifies each
difference, and conflicts are ranked on one scale: how sure we are that the two
passages report the same fact, times how reliable that kind of difference is.

Precision first: a source that also states the other side's value (a different
statistic, a short form of a title) suppresses the conflict.
"""

from __future__ import annotations

import gc
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain, combinations

from briefing.models import Citation, Claim, Disagreement, Source, Statement
from briefing.reconcile.align import Aligner
from briefing.reconcile.anchors import beyond_people, story_people
from briefing.reconcile.claims import claim_records
from briefing.reconcile.compare import Context, compare, nearest_actions, value_key
from briefing.reconcile.dates import day_key
from briefing.reconcile.identifiers import main_identifiers, other_things
from briefing.reconcile.namesakes import person_pairs
from briefing.reconcile.quotes import aligned_excerpts, read_quotes, stretch_quoted
from briefing.reconcile.reader import fold_letters, read_sources
from briefing.reconcile.records import FactRecord
from briefing.reconcile.spellings import find_spellings
from briefing.reconcile.topics import topic
from briefing.text import citable_span

MAX_DISAGREEMENTS = 8  # a brief is one page; beyond this they are noise, not news
_MAX_QUOTE = 320
_DAY_COUNTERPART = 0.7  # of a day pair's likeness, what a passage stating the other's day needs
# How often a difference of this kind, between well-aligned passages, is a real conflict.
_PRIOR = {
    "title": 0.9,
    "agent": 0.85,
    "quote": 0.8,
    "number": 0.8,
    "date": 0.75,
    "person": 0.6,
    "place": 0.6,
    "statement": 0.45,
}
# A name spelled two ways is worth a line, below any difference of fact: it ranks after them.
_SPELLING_SCORE = 0.3


_SAME_ACTION = 0.2  # a word both sentences have right at the day ("opened Tuesday", "opened it Wednesday")


def _support(sim: float, acts: set[str]) -> float:
    """How surely two records are about one thing: their likeness, and for days the action done at them.

    Of two other reports one day is set against, the one telling the same action ("opened") is the
    event it dates, not a likelier-worded sentence about another act ("closed Monday").
    """
    return min(1.0, sim + _SAME_ACTION * len(acts))


def _as_mapping(sources: Mapping[str, Source] | Iterable[Source]) -> dict[str, Source]:
    if isinstance(sources, Mapping):
        return dict(sources)
    return {s.id: s for s in sources}


def _context(records: Sequence[FactRecord], sources: Mapping[str, Source]) -> Context:
    firsts: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, Counter[str]] = defaultdict(Counter)  # surname -> first initial -> full-name mentions
    namesakes: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.kind == "person" and len(r.names) >= 2:
            firsts[r.names[-1]].add(r.names[0])
            mentions[r.names[-1]][r.names[0][:1]] += 1
            namesakes[r.source_id].add(" ".join(r.names))
    titles: dict[tuple[str, str], set[str]] = defaultdict(set)
    titled: dict[tuple[str, str], set[str]] = defaultdict(set)  # (surname, title) -> first initials
    for r in records:
        if r.kind == "title" and r.names and "historic" not in r.flags:
            for name in r.names:
                titles[(r.source_id, name)].add(r.label or "")
            if len(r.names) >= 2:
                titled[(r.names[-1], r.label or "")].add(r.names[0][:1])
    days: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, list[FactRecord]] = defaultdict(list)  # day key -> the date records stating it
    values: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.kind == "date" and r.date is not None:
            days[r.source_id].add(day_key(r.date))
            dates[day_key(r.date)].append(r)  # by day: a third source's telling of a day is looked up by it
        elif r.kind == "number" and r.quantity is not None:
            values[r.source_id].add(value_key(r))
    ambiguous = frozenset(last for last, fs in firsts.items() if len({f[:1] for f in fs}) > 1)
    return Context(
        texts={sid: s.text.lower() for sid, s in sources.items()},
        ambiguous=ambiguous,
        titled={k: frozenset(v) for k, v in titled.items() if k[0] in ambiguous},
        main_bearer={last: main for last in ambiguous if (main := _main_bearer(mentions[last]))},
        namesakes={sid: frozenset(v) for sid, v in namesakes.items()},
        titles={k: frozenset(v) for k, v in titles.items()},
        days={sid: frozenset(days.get(sid, ())) for sid in sources},
        day_sources=Counter(k for ks in days.values() for k in ks),
        values={sid: frozenset(values.get(sid, ())) for sid in sources},
        raw={sid: s.text for sid, s in sources.items()},
        dates={key: tuple(rs) for key, rs in dates.items()},
        people=story_people(records, (s.text for s in sources.values())),
    )


_MAIN_BEARER = 3  # times more full-name mentions than any namesake's that make one the surname's bearer


def _main_bearer(mentions: Counter[str]) -> str | None:
    """The first initial of the person a bare surname stands for, when one namesake is named far more
    often than the others (the story's "Roe", beside a relative named once or twice)."""
    ranked = mentions.most_common(2)
    if not ranked or ranked[0][1] < _MAIN_BEARER:
        return None
    if len(ranked) > 1 and ranked[0][1] < _MAIN_BEARER * ranked[1][1]:
        return None
    return ranked[0][0]


def _same_title(a: FactRecord, b: FactRecord) -> bool:
    """Two titles that share a word ("Senator", "Sen."; "House Speaker", "Speaker")."""
    return bool(set((a.label or "").split()) & set((b.label or "").split()))


def _citation(source: Source, r: FactRecord) -> Citation:
    """The record's passage, after any list bullet or label lead-in, and at most a few lines long."""
    text = source.text
    start, end = r.start, r.end
    trimmed = citable_span(text, start, end)
    if trimmed is not None and start < trimmed[0] <= r.value_start:
        start = trimmed[0]
    if end - start > _MAX_QUOTE:
        lo = max(start, r.value_start - _MAX_QUOTE // 2)
        hi = min(end, max(r.value_end, lo + _MAX_QUOTE))
        if lo > start:
            lo = text.find(" ", lo, r.value_start) + 1 or lo
        if hi < end:
            hi = text.rfind(" ", r.value_end, hi) if text.rfind(" ", r.value_end, hi) > r.value_end else hi
        start, end = lo, hi
    return Citation(source=source.id, quote=text[start:end], start=start, end=end)


def _as_written(words: str, r: FactRecord, source: Source) -> str:
    """``words`` read in ``r``'s folded passage ("Tarres"), as its source writes them ("Tarrés")."""
    passage = source.text[r.start : r.end]
    at = fold_letters(passage).find(words)
    return passage[at : at + len(words)] if at >= 0 else words


def _position_text(r: FactRecord, source: Source) -> str:
    if r.kind == "quote":
        return r.value  # replaced by the aligned excerpts, as the source writes them (see ``_find``)
    if "spelling" in r.flags:
        return _around(source.text, r.start, r.end, r.value_start, r.value_end)
    if r.kind in ("title", "person", "agent", "place"):
        return source.text[r.value_start : r.value_end]
    if r.label and r.kind == "number" and "table" in r.flags:
        return f"{r.label}: {r.value}"
    if r.kind in ("number", "date") and r.start <= r.value_start < r.value_end <= r.end:
        return _around(source.text, r.start, r.end, r.value_start, r.value_end)
    return " ".join(source.text[r.start : r.end].split())


_AROUND_WORDS = 10  # words shown on each side of a figure or a day in dispute
_CLAUSE_WORDS = 4  # words a clause boundary must leave beside the value to end the excerpt there


def _around(text: str, start: int, end: int, value_start: int, value_end: int) -> str:
    """The words around a value, not its whole sentence: a long sentence would bury the figure in it.

    The citation keeps the whole sentence; the brief shows where the sources differ, as for quotations.
    """
    before = text[start:value_start].split()
    after = text[value_end:end].split()
    head = before[-_AROUND_WORDS:]
    tail = after[:_AROUND_WORDS]
    # A cut end falls where a clause does, if one ends within the words kept ("...last year, according to").
    if len(tail) < len(after):
        ends = [i for i, w in enumerate(tail) if w.endswith((",", ";", ":")) and i + 1 >= _CLAUSE_WORDS]
        tail = tail[: ends[-1] + 1] if ends else tail
        tail[-1:] = [tail[-1].rstrip(",;:")] if tail else []
    if len(head) < len(before):
        starts = [
            i
            for i, w in enumerate(head)
            if w.endswith((",", ";", ":")) and len(head) - i - 1 >= _CLAUSE_WORDS
        ]
        head = head[starts[0] + 1 :] if starts else head
    value = " ".join(text[value_start:value_end].split())
    # A word the value is written into ("a 38-word oath", "US$5.6bn") stays joined to it.
    shown_head, shown_tail = list(head), list(tail)
    if shown_tail and value_end < end and not text[value_end].isspace():
        value += shown_tail.pop(0)
    if shown_head and value_start > start and not text[value_start - 1].isspace():
        value = shown_head.pop() + value
    shown = " ".join([*shown_head, value, *shown_tail])
    shown = re.sub(r"\s+(?=[,.;:!?%)])", "", shown)  # the value's own punctuation stays attached
    return ("…" if len(head) < len(before) else "") + shown + ("…" if len(tail) < len(after) else "")


def _value_of(r: FactRecord) -> str | None:
    if r.kind == "date" and r.date is not None:
        return day_key(r.date)
    if r.kind == "number" and r.quantity is not None and "table" not in r.flags:
        return value_key(r)
    return None


def _stated(records: Sequence[FactRecord]) -> dict[tuple[str, str], list[FactRecord]]:
    """(source id, day or figure) -> the records of that source stating it."""
    out: dict[tuple[str, str], list[FactRecord]] = defaultdict(list)
    for r in records:
        v = _value_of(r)
        if v is not None and r.extractor == "rules":
            out[(r.source_id, v)].append(r)
    return out


def _fits_better(
    a: FactRecord,
    b: FactRecord,
    sim: float,
    aligner: Aligner,
    stated: Mapping[tuple[str, str], list[FactRecord]],
    ctx: Context,
    acts: set[str],
) -> bool:
    """One side's source states the other's day or figure in a passage at least as like the other's.

    Then that passage is the other's counterpart ("met Monday" against "met Monday"), and the pair at
    hand sets two different events against each other.
    """
    # A day is said of fewer things than a figure: a passage stating the other's day and most as like
    # it is its counterpart ("the call Monday" against "the call on Monday"; "sent the invitation
    # Saturday" is another event).
    need = sim * (_DAY_COUNTERPART if a.kind == "date" else 1.0)
    # Nor is a passage that never tells ``acts``, the action both tell at the day ("opened the bridge
    # Tuesday", "opened it Wednesday"), the counterpart: "posted a notice Tuesday" dates another act.
    for x, y in ((a, b), (b, a)):
        v = _value_of(y)
        for k in stated.get((x.source_id, v), []) if v is not None else []:
            if acts and not acts & beyond_people(ctx.raw[k.source_id][k.start : k.end]):
                continue
            if (aligner.similarity(k, y) + aligner.key_similarity(k, y)) / 2 >= need:
                return True
    return False


# Kinds whose dispute may have a third side: a value, or a wording (a third outlet quoting the
# passage a third way is cut where it differs from the first); not a spelling (of a name two ways).
_THIRD_SIDE_KINDS = frozenset({"number", "date", "place", "title", "person", "agent", "quote"})


def _join_allies(
    sides: list[list[int]],
    allies: Mapping[int, list[tuple[float, int]]],
    records: Sequence[FactRecord],
    used: set[int],
) -> None:
    """The other sources stating each side's value join it, one record per source, most alike first."""
    for side in sides:
        taken = {records[k].source_id for s in sides for k in s}
        for _, k in sorted(allies[side[0]], reverse=True):
            if records[k].source_id not in taken and k not in used:
                side.append(k)
                taken.add(records[k].source_id)


def _quoted_alike(
    records: Sequence[FactRecord], allies: Mapping[int, list[tuple[float, int]]], i: int, j: int
) -> bool:
    """``j``'s source quotes alike, in another quotation, all the words of ``i`` that ``j`` quotes.

    Another quotation agreeing over another stretch is another sentence of the same speech ("..., she
    said. “...”"), however long: it says nothing of the words ``j`` gives differently.
    """
    other = records[j]
    disputed = stretch_quoted(records[i], other)
    for _, k in allies.get(i, ()):
        if records[k].source_id != other.source_id:
            continue
        alike = stretch_quoted(records[i], records[k])
        if not disputed or not alike:
            if len(records[k].words) >= len(other.words):
                return True
        elif alike.start <= disputed.start and disputed.stop <= alike.stop:
            return True
    return False


@dataclass(frozen=True)
class Reading:
    """What the rule-based extractors read in a set of sources: it needs no claim, so a pipeline
    may read it while an engine's extraction calls are out (benchmark a)."""

    sources: dict[str, Source]  # as given, cited as they are
    read: dict[str, Source]  # with accents folded, as read
    records: tuple[FactRecord, ...]


def read_for_reconcile(sources: Mapping[str, Source] | Iterable[Source]) -> Reading:
    """Every sentence and quotation of the sources read into fact records."""
    by_id = _as_mapping(sources)
    with _no_cyclic_gc():
        # Read with accents folded ("Tarrés" is the "Tarres" another outlet writes); cite the text as it is.
        read = {sid: s.model_copy(update={"text": fold_letters(s.text)}) for sid, s in by_id.items()}
        records = read_sources(read.values())
        people: dict[str, list[FactRecord]] = defaultdict(list)
        for r in records:
            if r.kind in ("title", "person"):
                people[r.source_id].append(r)
        records += [q for s in read.values() for q in read_quotes(s.id, s.text, people[s.id])]
    return Reading(by_id, read, tuple(records))


def find_disagreements(
    sources: Mapping[str, Source] | Iterable[Source] | Reading,
    claims: Sequence[Claim] = (),
    *,
    limit: int = MAX_DISAGREEMENTS,
) -> list[Disagreement]:
    """Where the sources disagree, most certain first: every sentence read, claims' structure added.

    ``sources`` may be a :class:`Reading` of them made beforehand (:func:`read_for_reconcile`).
    """
    reading = sources if isinstance(sources, Reading) else read_for_reconcile(sources)
    with _no_cyclic_gc():
        return _find(reading, claims, limit)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    # Millions of small, long-lived records: the cyclic collector would rescan them all again and
    # again as they are made (time growing faster than the text). Nothing here makes cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_IDENTIFIED = frozenset({"number", "date", "place", "statement"})  # kinds told of an identified thing


def _find(reading: Reading, claims: Sequence[Claim], limit: int) -> list[Disagreement]:
    by_id, read = reading.sources, reading.read
    records = [*reading.records, *claim_records(claims, set(by_id))]
    aligner = Aligner(records)
    ctx = _context(records, read)
    agrees_with: dict[int, set[str]] = defaultdict(set)
    stated = _stated(records)
    allies: dict[int, list[tuple[float, int]]] = defaultdict(list)
    conflicts: list[tuple[float, int, int]] = []
    named = set(person_pairs(records))  # surnames are too common a key: sources' first names pair them
    main_ids = main_identifiers(ctx.raw)
    for i, j in chain((p for p in aligner.pairs() if p not in named), sorted(named)):
        a, b = records[i], records[j]
        sim = aligner.similarity(a, b)
        if a.kind in ("number", "date"):
            # A figure or a day is about what surrounds it: weigh the words near the value too.
            sim = (sim + aligner.key_similarity(a, b)) / 2
        verdict = compare(a, b, sim, ctx)
        if verdict == "agree" and a.kind == "title" and not _same_title(a, b):
            verdict = None  # compatible ("chairman" and "senator"), not the same: says nothing of either
        if verdict == "agree":
            agrees_with[i].add(b.source_id)
            agrees_with[j].add(a.source_id)
            allies[i].append((sim, j))
            allies[j].append((sim, i))
        elif verdict == "conflict":
            # The words both tell right at two days ("opened Tuesday", "opened it Wednesday").
            acts = {w.removeprefix("act:") for w in nearest_actions(a, b, ctx)} if a.kind == "date" else set()
            if not _fits_better(a, b, sim, aligner, stated, ctx, acts) and not (
                a.kind in _IDENTIFIED and other_things(a, b, ctx.raw, main_ids)
            ):
                conflicts.append((_PRIOR[a.kind] * (0.5 + 0.5 * _support(sim, acts)), i, j))
    for spelling in find_spellings(read):
        at = len(records)
        records.extend(r for side in spelling.sides for r in side)
        i, j = at, at + len(spelling.sides[0])
        # The other sources writing each form join its side (as agreeing sources do for a fact).
        for head, side_len in ((i, len(spelling.sides[0])), (j, len(spelling.sides[1]))):
            allies[head].extend((1.0, k) for k in range(head + 1, head + side_len))
        conflicts.append((_SPELLING_SCORE, i, j))
    conflicts.sort(key=lambda c: (-c[0], records[c[1]].source_id, records[c[1]].start, c[2]))
    against: dict[int, dict[int, float]] = defaultdict(dict)  # record -> the records it conflicts with
    for score, i, j in conflicts:
        against[i].setdefault(j, score)
        against[j].setdefault(i, score)
    forms: dict[frozenset[str], Counter[str]] = defaultdict(Counter)
    for r in records:
        if r.kind == "title":
            forms[frozenset(r.names)][r.subject] += 1
    # A person is named the way most mentions name them.
    display = {k: max(c, key=lambda n: (c[n], n)) for k, c in forms.items()}
    used_records: set[int] = set()
    quoted_at: dict[int, list[range]] = defaultdict(list)  # a quotation -> its stretches set against others
    used_pairs: set[tuple[str, tuple[str, int], tuple[str, int]]] = set()
    used_any: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    order = list(by_id)
    story = "\n".join(src.text for src in by_id.values())  # how the story's outlets write a word (topics)
    out: list[Disagreement] = []
    for score, i, j in conflicts:
        a, b = records[i], records[j]
        if a.kind == "quote":
            if _quoted_alike(records, allies, i, j) or _quoted_alike(records, allies, j, i):
                continue  # the other source also gives these words as this one does
        elif a.kind != "title" and (b.source_id in agrees_with[i] or a.source_id in agrees_with[j]):
            continue  # the other source says this value too: a different statistic or a short form
        if i in used_records or j in used_records:
            # A long quotation may be set against others quoting other stretches of it: one outlet
            # quotes a whole statement, another two of its sentences apart, each worded its own way.
            used, fresh = (i, j) if i in used_records else (j, i)
            if a.kind != "quote" or fresh in used_records or used not in quoted_at:
                continue
            stretch = stretch_quoted(records[used], records[fresh])
            if not stretch or any(
                stretch.start < told.stop and told.start < stretch.stop for told in quoted_at[used]
            ):
                continue
        pair = ((a.source_id, a.start), (b.source_id, b.start))
        if (a.kind, *pair) in used_pairs or (a.kind == "statement" and pair in used_any):
            continue  # these two passages are already set against each other
        if order.index(a.source_id) > order.index(b.source_id):
            i, j, a, b = j, i, b, a
        lead = b if b.label and not a.label else a  # a table row or a claim names its figure
        if a.kind == "quote":
            # The side that names the speaker; of two, the shorter quotation, whose opening is the
            # stretch both quote (a longer one may open on words that tell two flags apart nowhere).
            speaking = [r for r in (a, b) if r.subject] or [a, b]
            lead = min(speaking, key=lambda r: len(r.value.split()))
        sides: list[list[int]] = [[i], [j]]
        _join_allies(sides, allies, records, used_records)
        if a.kind in _THIRD_SIDE_KINDS and "spelling" not in a.flags:
            # A third source stating a third value, at odds with both: "47 pages", "48 pages" and
            # "72 pages" are one dispute, not two, and two sides of it would hide the third.
            taken = {records[k].source_id for side in sides for k in side}
            third = [
                (min(score_i, against[j][k]), k)
                for k, score_i in against[i].items()
                if k in against[j] and k not in used_records and records[k].source_id not in taken
            ]
            if third:
                sides.append([max(third)[1]])
                _join_allies(sides, allies, records, used_records)
        positions = []
        for side in sides:
            first = records[side[0]]
            positions.append(
                Statement(
                    text=_position_text(first, by_id[first.source_id]),
                    citations=[_citation(by_id[records[k].source_id], records[k]) for k in side],
                    independent_sources=len(side),
                )
            )
        # The reader would see the same two sides twice: a model's claim "Roe — title" read beside the
        # rule reader's "Roe's title", each citing its own mention of the same words.
        sides_shown = {p.text for p in positions}
        if a.kind != "quote" and any(sides_shown == {p.text for p in d.positions} for d in out):
            continue
        used_records.update(k for side in sides for k in side)
        if a.kind == "quote":
            quoted_at[i].append(stretch_quoted(records[i], records[j]))
            quoted_at[j].append(stretch_quoted(records[j], records[i]))
        for one, other in combinations(sides, 2):
            for x in one:
                for y in other:
                    for p, q in ((records[x], records[y]), (records[y], records[x])):
                        used_pairs.add((a.kind, (p.source_id, p.start), (q.source_id, q.start)))
                        used_any.add(((p.source_id, p.start), (q.source_id, q.start)))
        if a.kind == "quote":
            # Both wordings cut to where they differ; the topic opens on the lead's stretch.
            heads = [records[side[0]] for side in sides]
            written = [_as_written(r.value, r, by_id[r.source_id]) for r in heads]
            # A third wording is cut where it differs from the first.
            texts = [
                *aligned_excerpts(written[0], written[1]),
                *(aligned_excerpts(written[0], w)[1] for w in written[2:]),
            ]
            positions = [p.model_copy(update={"text": t}) for p, t in zip(positions, texts, strict=True)]
            excerpt = texts[0] if lead is heads[0] else texts[1]
            lead = replace(lead, value=excerpt.strip("…"))
        lead = replace(lead, subject=_as_written(lead.subject, lead, by_id[lead.source_id]))
        if "spelling" in a.flags:
            title = f"How the name is spelled: “{a.value}” or “{b.value}”"
        else:
            title = topic(a.kind, lead, by_id[lead.source_id].text, story)
        if a.kind == "title":
            shown = _as_written(display.get(frozenset(a.names), a.subject), a, by_id[a.source_id])
            title = f"{shown}'s title" + (" at the time" if "then" in a.flags else "")
        out.append(
            Disagreement(
                topic=title,
                positions=positions,
                kind=a.kind,
                score=round(score, 3),
            )
        )
        if len(out) >= limit:
            break
    return out
