"""Deterministic reconciliation: where do sources state different values for the same thing?

Claims point at sentences and table rows; from those we read numbers, dates
and titled people, decide which values measure the same thing (see
:mod:`briefing.reconcile.measures`), and report a :class:`Disagreement` only when two
*different* sources give values that cannot both be right. Each side is cited
with the verbatim passage that states it.

Precision first: a source that also states the other side's value somewhere
(a different statistic, not a contradiction) suppresses the conflict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefing.models import Citation, Claim, Disagreement, Source, Statement
from briefing.reconcile.actors import agent_disagreements
from briefing.reconcile.dates import dates_agree, parse_dates, publication_year
from briefing.reconcile.facts import parse_quantities, relative_gap, stem, values_agree
from briefing.reconcile.matching import block_keys, match_score
from briefing.reconcile.measures import Measure, header_unit, row_measure, sentence_measures
from briefing.reconcile.people import PersonMention, find_people, same_person, titles_compatible
from briefing.tables import Table, TableRow, find_tables
from briefing.text import citable_span, sentence_spans

_MAX_QUOTE = 320
MAX_DISAGREEMENTS = 8  # a brief is one page; beyond this they are noise, not news
# Measures sharing one block key beyond this are too common to name one figure (see _candidate_pairs).
MAX_BLOCK = 400


@dataclass(frozen=True)
class _Passage:
    source_id: str
    start: int
    end: int
    table: Table | None = None
    row: TableRow | None = None


def _passages(claims: Sequence[Claim], sources: Mapping[str, Source]) -> list[_Passage]:
    """The sentences and table rows the claims rest on, once each, in source order."""
    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.source_id in sources:
            by_source[claim.source_id].append(claim)
    out: list[_Passage] = []
    for sid in sorted(by_source, key=lambda s: list(sources).index(s)):
        text = sources[sid].text
        tables = find_tables(text)
        sentences = sentence_spans(text)
        seen: set[tuple[int, int]] = set()
        for claim in sorted(by_source[sid], key=lambda c: (c.start, c.end)):
            hit_table = False
            for table in tables:
                if claim.start < table.end and table.start < claim.end:
                    hit_table = True
                    for row in table.rows:
                        if (
                            claim.start < row.end
                            and row.start < claim.end
                            and (row.start, row.end) not in seen
                        ):
                            seen.add((row.start, row.end))
                            out.append(_Passage(sid, row.start, row.end, table, row))
            if hit_table:
                continue
            for s, e in sentences:
                if claim.start < e and s < claim.end and (s, e) not in seen:
                    seen.add((s, e))
                    out.append(_Passage(sid, s, e))
    return out


def _measures(passages: list[_Passage], sources: Mapping[str, Source]) -> list[Measure]:
    out: list[Measure] = []
    years = {sid: publication_year(src.published, src.text) for sid, src in sources.items()}
    for p in passages:
        text = sources[p.source_id].text
        if p.row is not None and p.table is not None:
            for header, cell in p.row.cells.items():
                quantities = parse_quantities(cell)
                if not quantities:
                    continue
                q = quantities[0].model_copy(update={"start": p.start, "end": p.end})
                if q.unit is None or q.unit.startswith("n:"):
                    q.unit = header_unit(header) or q.unit
                statement = f"{p.row.label} — {header}: {cell}"
                if p.table.caption:
                    statement += f" ({p.table.caption})"
                out.append(
                    row_measure(
                        p.source_id,
                        p.start,
                        p.end,
                        p.row.label,
                        header,
                        p.table.caption,
                        q,
                        years[p.source_id],
                        statement,
                    )
                )
            continue
        sent = text[p.start : p.end]
        qs = [
            q.model_copy(update={"start": q.start + p.start, "end": q.end + p.start})
            for q in parse_quantities(sent)
        ]
        ds = [
            d.model_copy(update={"start": d.start + p.start, "end": d.end + p.start})
            for d in parse_dates(sent)
        ]
        out.extend(sentence_measures(p.source_id, text, p.start, p.end, qs, ds, years[p.source_id]))
    return out


def _agree(a: Measure, b: Measure) -> bool:
    if a.kind == "number":
        assert a.quantity is not None and b.quantity is not None
        return values_agree(a.quantity, b.quantity)
    assert a.date is not None and b.date is not None
    return dates_agree(a.date, b.date) is not False


def _value(m: Measure) -> str:
    return (m.quantity.raw if m.quantity else m.date.raw if m.date else "").strip()


def _citation(
    sources: Mapping[str, Source], sid: str, start: int, end: int, keep: int | None = None
) -> Citation:
    """Cite ``text[start:end]``, after any list bullet or 'Label: ' lead-in that ends before ``keep``."""
    text = sources[sid].text
    if keep is not None:
        trimmed = citable_span(text, start, end)
        if trimmed is not None and start < trimmed[0] <= keep:
            start = trimmed[0]
    return Citation(source=sid, quote=text[start:end], start=start, end=end)


def _value_at(m: Measure) -> int | None:
    """Where a sentence's value starts (a table row is cited whole)."""
    if m.label is not None:
        return None
    return m.quantity.start if m.quantity else m.date.start if m.date else None


def _topic(ms: list[Measure]) -> str:
    labelled = next((m for m in ms if m.label), None)
    if labelled is not None and labelled.label:
        return labelled.label
    first, second = ms[0], ms[1]
    shared = set(first.stems) & set(second.stems)
    words: list[str] = []
    for w in first.words:
        if stem(w) in shared and w.lower() not in (x.lower() for x in words):
            words.append(w)
    head = (first.subject_text or "").strip()
    what = " ".join(words[:4])
    if first.kind == "date":
        return f"When: {what}".strip() if not head else f"When {head}: {what}"
    return f"{head}: {what}" if head else what or "Figures"


def _bucket(m: Measure) -> tuple[str, str | None]:
    """Values of one kind and unit; only these are ever compared."""
    if m.quantity is not None:
        unit = m.quantity.unit
        # Counts of things may sit in a table whose header gives no unit; bucket them with unit-less cells.
        return m.kind, None if unit is None or unit.startswith("n:") else unit
    return m.kind, "weekday" if m.date and m.date.weekday is not None else "day"


def _candidate_pairs(ms: list[Measure]) -> list[tuple[int, int]]:
    """Pairs (i < j) from different sources that share a unit bucket and a block key, in order.

    A key shared by very many measures ('people', two common words) identifies no
    particular figure; it is skipped so that a thousand articles cost about ten
    times what a hundred do, not a hundred times.
    """
    blocks: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        bucket = _bucket(m)
        for key in set(block_keys(m)):
            blocks[(bucket, key)].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > MAX_BLOCK:
            continue
        for x, i in enumerate(members):
            sid = ms[i].source_id
            pairs.update((i, j) for j in members[x + 1 :] if ms[j].source_id != sid)
    return sorted(pairs)


def _value_disagreements(
    ms: list[Measure], sources: Mapping[str, Source]
) -> list[tuple[float, Disagreement]]:
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    agrees_with: dict[int, set[str]] = defaultdict(set)
    conflicts: list[tuple[float, int, int]] = []
    for i, j in _candidate_pairs(ms):
        a, b = ms[i], ms[j]
        score = match_score(a, b)
        if score is None:
            continue
        neighbours[i][j] = neighbours[j][i] = score
        if _agree(a, b):
            agrees_with[i].add(b.source_id)
            agrees_with[j].add(a.source_id)
        else:
            conflicts.append((score, i, j))
    conflicts.sort(key=lambda c: (-c[0], c[1], c[2]))
    used: set[int] = set()
    out: list[tuple[float, Disagreement]] = []
    for score, i, j in conflicts:
        a, b = ms[i], ms[j]
        # A source that states the other side's value too is giving a different statistic.
        if b.source_id in agrees_with[i] or a.source_id in agrees_with[j] or i in used or j in used:
            continue
        chosen = {a.source_id: i, b.source_id: j}
        best: dict[str, float] = {}
        for k in sorted(set(neighbours[i]) | set(neighbours[j])):
            sid = ms[k].source_id
            fit = max(neighbours[i].get(k, -1.0), neighbours[j].get(k, -1.0))
            if k in used or sid in (a.source_id, b.source_id) or fit <= best.get(sid, -1.0):
                continue
            chosen[sid], best[sid] = k, fit
        sides: list[list[int]] = []
        for k in sorted(chosen.values(), key=lambda k: (k != i, k != j, k)):
            for side in sides:
                if _agree(ms[side[0]], ms[k]):
                    side.append(k)
                    break
            else:
                sides.append([k])
        used.update(chosen.values())
        # Many different values for "one" figure means the sources measure different things.
        if not 2 <= len(sides) <= 3:
            continue
        positions = [
            Statement(
                text=ms[side[0]].statement,
                citations=[
                    _citation(sources, ms[k].source_id, ms[k].quote_start, ms[k].quote_end, _value_at(ms[k]))
                    for k in side
                ],
                independent_sources=len(side),
            )
            for side in sides
        ]
        gap = relative_gap(a.quantity, b.quantity) if a.quantity and b.quantity else 0.5
        topic = _topic([ms[s[0]] for s in sides])
        out.append((5 + score + len(chosen) + min(gap, 1.0), Disagreement(topic=topic, positions=positions)))
    return out


def _sentence_of(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    for s, e in sentences:
        if s <= start and end <= e:
            return (s, e) if e - s <= _MAX_QUOTE else (start, end)
    return start, end


def _title_disagreements(
    passages: list[_Passage], sources: Mapping[str, Source]
) -> list[tuple[float, Disagreement]]:
    mentions: list[tuple[str, PersonMention, tuple[int, int]]] = []
    for p in passages:
        if p.row is not None:
            continue
        text = sources[p.source_id].text
        for pm in find_people(text[p.start : p.end]):
            pm = pm.model_copy(update={"start": pm.start + p.start, "end": pm.end + p.start})
            mentions.append((p.source_id, pm, _sentence_of(text, pm.start, pm.end, [(p.start, p.end)])))
    # People: full names first, then bare surnames linked to the one full name that contains them.
    people: list[set[str]] = []
    # Name token -> people / mentions with it: one person is only ever compared with namesakes.
    people_with: dict[str, set[int]] = defaultdict(set)
    for _, pm, _span in sorted(mentions, key=lambda m: -len(m[1].name_tokens)):
        toks = set(pm.name_tokens)
        near = sorted(set().union(*(people_with[t] for t in toks))) if toks else []
        matches = [k for k in near if same_person(sorted(people[k]), sorted(toks))]
        if len(matches) == 1:
            if len(toks) > 1:
                people[matches[0]].update(toks)
                for t in toks:
                    people_with[t].add(matches[0])
        elif not matches:
            people.append(set(toks))
            for t in toks:
                people_with[t].add(len(people) - 1)
    mentions_with: dict[str, set[int]] = defaultdict(set)
    for n, (_, pm, _span) in enumerate(mentions):
        if not pm.historic:
            for t in pm.name_tokens:
                mentions_with[t].add(n)
    out: list[tuple[float, Disagreement]] = []
    for person in people:
        sharing = sorted(set().union(*(mentions_with.get(t, set()) for t in person)))
        mine = [mentions[n] for n in sharing if set(mentions[n][1].name_tokens) <= person]
        if len(mine) != len(sharing):
            continue  # a surname shared with someone else: too ambiguous to compare
        per_source: dict[str, list[tuple[PersonMention, tuple[int, int]]]] = defaultdict(list)
        for sid, pm, span in mine:
            per_source[sid].append((pm, span))
        if len(per_source) < 2:
            continue
        reps: dict[str, list[list[str]]] = {}
        for sid, items in per_source.items():
            keys = [pm.title_key for pm, _ in items]
            # Short forms ("Minister Takaichi") defer to the full title the same source uses.
            reps[sid] = [
                k for k in keys if not any(set(k) < set(o) and titles_compatible(k, o) for o in keys)
            ]
        sides: list[list[str]] = []
        for sid in sorted(per_source, key=lambda s: list(sources).index(s)):
            for side in sides:
                if any(titles_compatible(k, o) for o in reps[sid] for m in side for k in reps[m]):
                    side.append(sid)
                    break
            else:
                sides.append([sid])
        if len(sides) < 2:
            continue
        positions: list[Statement] = []
        for side in sides:
            cites: list[Citation] = []
            text_of_side = ""
            for sid in side:
                key_counts = Counter(tuple(k) for k in reps[sid])
                best_key = max(key_counts, key=lambda k: (key_counts[k], len(k)))
                pm, span = min(
                    ((pm, sp) for pm, sp in per_source[sid] if tuple(pm.title_key) == best_key),
                    key=lambda item: (item[1] == (item[0].start, item[0].end), item[1][1] - item[1][0]),
                )
                text_of_side = text_of_side or sources[sid].text[pm.start : pm.end]
                cites.append(_citation(sources, sid, *span, keep=pm.start))
            positions.append(Statement(text=text_of_side, citations=cites, independent_sources=len(side)))
        names = Counter(pm.name for _, pm, _ in mine if len(pm.name_tokens) == len(person))
        display = max(names, key=lambda n: (names[n], n)) if names else " ".join(sorted(person)).title()
        out.append((9 + len(per_source), Disagreement(topic=f"{display}'s title", positions=positions)))
    return out


def find_disagreements(claims: Sequence[Claim], sources: Mapping[str, Source]) -> list[Disagreement]:
    """Cross-source disagreements on numbers, dates, titles and who did what; most important first."""
    passages = _passages(claims, sources)
    found = _value_disagreements(_measures(passages, sources), sources)
    found += _title_disagreements(passages, sources)
    found += agent_disagreements([(p.source_id, p.start, p.end) for p in passages if p.row is None], sources)
    order = list(sources)

    def key(item: tuple[float, Disagreement]) -> tuple[float, str, int, int]:
        first = item[1].positions[0].citations[0]
        return (-item[0], item[1].topic, order.index(first.source), first.start)

    return [d for _, d in sorted(found, key=key)][:MAX_DISAGREEMENTS]
