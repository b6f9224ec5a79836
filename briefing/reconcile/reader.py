"""The rule-based extractor: every sentence of every source, read into fact records.

Numbers (with unit and the thing counted), dates and weekdays, titled people,
people named by first and last name, places where something happened, who did
something to what, quotations with their speaker, and each sentence as a
statement. The reader knows English surface patterns (from the word lists in
``data/``), not any story: the aligner decides which records to compare.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from briefing.models import Source
from briefing.reconcile import lexicon
from briefing.reconcile.anchors import action, main_clause_words, title_words
from briefing.reconcile.dates import (
    day_key,
    months,
    parse_dates,
    publication_year,
    weekdays,
    year_mentions,
    year_only,
    years_in,
)
from briefing.reconcile.numbers import Quantity, parse_quantities, stem
from briefing.reconcile.people import find_people
from briefing.reconcile.records import FactRecord
from briefing.tables import find_tables
from briefing.text import sentence_spans

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")
_CAP_SEQ_RE = re.compile(
    r"(?<![\w’'])((?:[A-Z][a-zA-Z’'-]+|[A-Z]\.(?:[A-Z]\.)+)(?:\s+(?:[A-Z][a-zA-Z’'-]+|[A-Z]\.))*)"
)
_CLAUSE_END_RE = re.compile(
    r",\s+(?=[a-z])|\s+(?:on|in|at|to|for|after|before|during|last|this|who|which|that)\s+|(?<![A-Z])\.|[;:!?]|$"
)
_LIST = 3  # figures in one unit in one sentence that make it a list of items
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_STATEMENT_KEYS = 8  # a sentence is blocked on its longest (rarest, as a rule) words


@lru_cache(maxsize=1 << 17)
def token(word: str) -> str:
    """A comparable form of a word: lower-case, no dots or possessive ('U.S.' -> 'us')."""
    w = word.lower().replace(".", "").strip("’'-")
    return re.sub(r"[’']s$", "", w)


@cache
def _stops() -> frozenset[str]:
    return lexicon.stop_words() | frozenset(months()) | frozenset(weekdays())


@cache
def _title_words() -> frozenset[str]:
    """Words of titles and of the offices after them ("Secretary of State"): never a person's name."""
    n = lexicon.groups("name_stops.txt")
    return title_words() | n["not_name"] | n["of_word"]


def content(text: str) -> set[str]:
    """Stems of the content words of ``text`` plus acronyms of its capitalised names."""
    out = {stem(t) for w in _WORD_RE.findall(text) if len(t := token(w)) >= 3 and t not in _stops()}
    for m in _CAP_SEQ_RE.finditer(text):
        raw = m.group(1).split()
        while raw and token(raw[0]) in _stops():
            raw.pop(0)
        parts = [token(p) for p in raw]
        if len(parts) >= 2:
            out.add("".join(p[0] for p in parts if p))  # "United States" is also "US"
        elif parts and 2 <= len(parts[0]) <= 4 and raw[0].replace(".", "").isupper():
            out.add(parts[0])  # "US", "U.S."
    return out


def _names(text: str) -> list[tuple[int, int, list[str]]]:
    """Capitalised name-like sequences of 2-3 words (not at a title, month or place): spans and tokens."""
    out: list[tuple[int, int, list[str]]] = []
    places = lexicon.words("places.txt")
    for m in _CAP_SEQ_RE.finditer(text):
        parts = m.group(1).split()
        while parts and (
            token(parts[0]) in _stops() or token(parts[0]) in _title_words() or token(parts[0]) in places
        ):
            parts.pop(0)
        written = " ".join(parts)
        # A middle initial ("Jane Q. Roe") is part of the name, not a word of it to compare.
        last = len(parts) - 1
        parts = [p for k, p in enumerate(parts) if not (0 < k < last and re.fullmatch(r"[A-Z]\.", p))]
        toks = [token(p) for p in parts]
        if not 2 <= len(toks) <= 3 or any(
            t in _stops() or t in places or t in _title_words() or len(t) < 2 for t in toks
        ):
            continue
        if any(len(t) == 1 for t in toks[1:]) or not all(
            re.fullmatch(r"[A-Z][a-z’'-]*[a-z]\.?", p) for p in parts
        ):
            continue  # people's names are capitalised words of letters ("Covid-19", "NATO" are not)
        end = m.end()
        start = end - len(written)
        if re.search(r"\b(?:in|near)\s+$", text[max(0, start - 6) : start]) and start == m.start():
            continue  # "a church in Hollin Springs": a place ("in" a person is rare; "at" one is not)
        out.append((start, end, toks))
    return out


def entities(text: str) -> set[str]:
    """Capitalised names in ``text`` (with acronyms), after a sentence-initial function word."""
    out: set[str] = set()
    for m in _CAP_SEQ_RE.finditer(text):
        raw = m.group(1).split()
        while raw and token(raw[0]) in _stops():
            raw.pop(0)
        sentence_initial = len(raw) == 1 and not text[: m.start()].strip()
        if sentence_initial and token(raw[0]) not in lexicon.words("places.txt") and not raw[0].isupper():
            continue  # "Officials said...": capitalised only because it starts the sentence
        out |= content(" ".join(raw)) if raw else set()
    return out


def _keys(prefix: str, words: Iterable[str]) -> frozenset[str]:
    # Interned: the same few thousand keys recur across millions of records.
    return frozenset(sys.intern(prefix + w) for w in words)


def _measured_thing(sentence: str, end: int, unit: str | None) -> str:
    """What a number counts or measures, as written after it ('people killed', 'of crude oil')."""
    after = sentence[end : end + 60]
    # "a 12-page report": the report, measured in pages. A second word ending "-ed" or
    # "-ing" opens a clause ("a 12-page report released by..."), not the thing's name.
    adjectival = re.match(r"-([a-z]+)\s+((?:[a-z]+\s+){0,1}[a-z]+)", after)
    if adjectival:
        thing = adjectival.group(2).split()
        if len(thing) == 2 and re.search(r"(?:ed|ing)$", thing[1]):
            thing = thing[:1]
        return f"{_object(' '.join(thing))} ({adjectival.group(1)}s)"
    words = _WORD_RE.findall(after)[:6]
    kept: list[str] = []
    for w in words:
        t = token(w)
        if t in ("of",) and not kept:
            continue
        if t in ("were", "was", "have", "had", "been", "are", "is") and kept:
            continue
        if t in _stops() and t not in ("of",):
            break
        kept.append(w)
        if len(kept) >= 3:
            break
    thing = " ".join(kept)
    if unit and not unit.startswith("n:"):
        return f"{thing} ({unit})" if thing else unit
    return thing


def _near(sentence: str, start: int, end: int, width: int = 50) -> set[str]:
    """Stems of the lower-case content words within ``width`` characters of a value: what it measures.

    Names are left out: they say whose figure it is (see ``entities``), not which figure.
    """
    window = sentence[max(0, start - width) : end + width]
    return {
        stem(t)
        for w in _WORD_RE.findall(window)
        if w[:1].islower() and len(t := token(w)) >= 3 and t not in _stops()
    }


# "over the coming ten years", "over five years": a figure summed over years.
_MANY_YEARS = re.compile(r"\bover (?:the )?(?:next |coming |past |last )?[\w-]+ years\b", re.IGNORECASE)


_POSSIBLE_WORDS = 5  # words before a day that may tell it is only possible ("may vote as soon as Wednesday")


@lru_cache(maxsize=1024)  # a sentence's records and each of its figures' flags ask for its words
def _sentence_words(sent: str) -> frozenset[str]:
    return frozenset(token(w) for w in _WORD_RE.findall(sent))


def figure_flags(sent: str, q: Quantity, same_unit: int) -> set[str]:
    """What a figure is, beside its value: approximate, a forecast, summed over years, one of a list,
    per period, a part of a set. ``same_unit``: how many figures of its unit its sentence states.

    Every extractor's number records carry them (a model's claim gets them from its quote), so the
    comparer's guards hold whoever read the figure.
    """
    qualifiers = lexicon.groups("qualifiers.txt")
    flags = {"approx"} if q.approx else set()
    # What one clause expects ("is expected to approve the bill, which grants $1.4 billion") says
    # nothing of a figure in the next.
    if main_clause_words(sent, q.start, q.end) & qualifiers["forecast"]:
        flags.add("forecast")  # what was expected, not what was reported
    if _sentence_words(sent) & qualifiers["horizon"] or _MANY_YEARS.search(sent):
        flags.add("horizon")  # "$4 billion over ten years": not one year's figure
    if same_unit >= _LIST:
        flags.add("list")  # one of many figures in one unit: each is about the thing named at it
    around = {token(w) for w in _WORD_RE.findall(sent[max(0, q.start - 25) : q.end + 25])}
    flags |= {f"period:{w}" for w in around & qualifiers["period"] if w not in ("a", "per", "each")}
    if {token(w) for w in _WORD_RE.findall(sent[q.end : q.end + 12])[:1]} & qualifiers["part"]:
        flags.add("part")  # "three other women": some of a set, beside a count of the whole
    return flags


def _sentence_records(sid: str, text: str, s: int, e: int, year: int | None) -> Iterator[FactRecord]:
    sent = text[s:e]
    ctx = frozenset(content(sent))
    years = frozenset(years_in(sent, year))
    low = sent.lower()
    qualifiers = lexicon.groups("qualifiers.txt")
    sent_words = _sentence_words(sent)
    timeline = bool(sent_words & qualifiers["timeline"])
    quantities = parse_quantities(sent)
    per_unit = Counter(q.unit for q in quantities)
    for q in quantities:
        bucket = q.unit if q.unit and not q.unit.startswith("n:") else "count"
        near = frozenset(_near(sent, q.start, q.end))
        flags = figure_flags(sent, q, per_unit[q.unit])
        keys = set(_keys(f"n:{bucket}:", near))
        if q.unit and q.unit.startswith("n:"):
            keys.add(f"n:{bucket}:{q.unit}")
        if q.unit == "tally":
            keys.add("n:tally:")  # a story holds few votes or scores: each is set against the others
        if len(near) < 2:  # few words near the figure: let the sentence find its counterpart
            keys |= _keys(f"n:{bucket}:s:", ctx)  # the whole sentence, for figures with few words near
        whose = re.search(r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*),\s$", sent[: q.start])
        if whose is None and q.raw.endswith("old"):  # "Roe, a retired 75-year-old lawyer": Roe's age
            whose = _DESCRIBED.search(sent[: q.start])
        if q.unit == "years-old" and whose:  # an age is about the person named right before it
            name = [token(w) for w in whose.group(1).split() if token(w) not in _stops()]
            keys.add(f"n:{bucket}:who:{' '.join(name)}")
            if name:
                keys.add(f"n:{bucket}:of:{name[-1]}")
        # "the 59-year-old Roe": the person named right after the age; the surname is what two
        # outlets share ("Jane Roe, 59," elsewhere).
        aged = re.match(r"\s+((?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+)", sent[q.end :])
        if q.unit == "years-old" and not whose and aged and q.raw.endswith("old"):
            keys.add(f"n:{bucket}:of:{token(aged.group(1).split()[-1])}")
        yield FactRecord(
            sid, "number", s, e, s + q.start, s + q.end, q.raw.strip(),
            _measured_thing(sent, q.end, q.unit), frozenset(keys), ctx, quantity=q,
            flags=frozenset(flags), years=years, names=tuple(sorted(entities(sent[: q.start]))),
        )  # fmt: skip
    dates_here = parse_dates(sent)
    dates_here += year_mentions(sent, dates_here)
    names_here = tuple(sorted(entities(sent))) if dates_here else ()
    sentence_days = {f"day:{day_key(d)}" for d in dates_here}
    for d in dates_here:
        bucket = "weekday" if d.weekday is not None else "year" if year_only(d) else "day"
        around = _near(sent, d.start, d.end, 70) | entities(sent)
        date_keys = _keys(f"d:{bucket}:", around)
        # The words right at the date name the event it dates ("announced Tuesday", "met on Sunday").
        head = {f"head:{k}" for k in _near(sent, d.start, d.end, 28)}
        # A changing plan's dates, or a day something may happen: one of several possible days.
        before = [token(w) for w in _WORD_RE.findall(sent[: d.start])][-_POSSIBLE_WORDS:]
        possible = bool(set(before) & qualifiers["possible"])
        date_flags = frozenset(
            head | ({"timeline"} if sent_words & qualifiers["shift"] or possible else set())
        )
        # What happened on the day (see ``anchors.action``), and every day its sentence states.
        date_flags |= {f"act:{w}" for w in action(sent, d.start, d.end)} | sentence_days
        yield FactRecord(
            sid,
            "date",
            s,
            e,
            s + d.start,
            s + d.end,
            d.raw,
            "",
            date_keys,
            ctx,
            date=d,
            flags=date_flags,
            years=years,
            names=names_here,
        )
    people = find_people(sent)
    for pm in people:
        flags = {"historic"} if pm.historic else set()
        if pm.then:
            flags.add("then")  # the title at the time the story tells of: comparable with another "then"
        yield FactRecord(
            sid, "title", s, e, s + pm.start, s + pm.end, pm.title, pm.name,
            frozenset(f"p:{t}" for t in pm.name_tokens), ctx, names=tuple(pm.name_tokens),
            flags=frozenset(flags | ({"timeline"} if timeline else set())), label=" ".join(pm.title_key),
        )  # fmt: skip
    words_in = _WORD_RE.findall(sent)
    headline = sum(w[:1].isupper() for w in words_in) > 0.6 * max(len(words_in), 1)
    named = _names(sent)
    for start, end, toks in [] if headline else named:
        person = [t for t in toks if t not in _SUFFIXES]  # "Jane Roe Jr.": Roe is the surname
        if len(person) < 2:
            continue
        yield FactRecord(
            sid, "person", s, e, s + start, s + end, sent[start:end], person[-1],
            frozenset({f"s:{person[-1]}"}), ctx, names=tuple(person),
        )  # fmt: skip
    yield from _places(sid, sent, s, e, ctx, {t for _, _, toks in named for t in toks})
    yield from _agents(sid, sent, s, e, ctx)
    stems = [stem(t) for w in _WORD_RE.findall(sent) if len(t := token(w)) >= 3 and t not in _stops()]
    if len(stems) >= 6:
        negated = _denies(low)
        longest = sorted(ctx, key=lambda k: (-len(k), k))[:_STATEMENT_KEYS]
        yield FactRecord(
            sid, "statement", s, e, s, e, sent, "", _keys("x:", longest), ctx,
            flags=frozenset({"negated"} if negated else ()), years=years,
        )  # fmt: skip


def _denies(low: str) -> bool:
    """Does the (lower-cased) sentence deny what it tells, in its main clause?

    A "not" inside a relative or conditional clause ("others who did not work there", "if not")
    or after a preposition ("fined for not filing the forms in time") denies nothing the
    other outlet's sentence asserts.
    """
    negations = lexicon.words("negations.txt")
    scopes = lexicon.groups("denial_scopes.txt")
    for m in re.finditer(r"[a-z]+n['’]t\b|[a-z]+", low):
        word = m.group()
        if word not in negations and not word.endswith(("n't", "n’t")):
            continue
        if re.match(r"not (?:only|just)\b", low[m.start() :]):
            continue
        clause = re.split(r"[,;:()\u2014\u2013]", low[: m.start()])[-1]
        before = re.findall(r"[a-z]+", clause)
        if scopes["subordinators"] & set(before) or (before and before[-1] in scopes["prepositions"]):
            continue
        return True
    return False


@cache
def _place_re() -> re.Pattern[str]:
    preps = "|".join(sorted(lexicon.words("place_prepositions.txt")))
    return re.compile(r"\b(?:" + preps + r")\s+([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})\b(?!\s+[A-Z])")


@lru_cache(maxsize=1 << 14)
def places_named(sentence: str) -> frozenset[str]:
    """The places a sentence names after "in", "at"... ("rose in Lunmouth": lunmouth)."""
    named = (m.group(1) for m in _place_re().finditer(sentence))
    return frozenset(
        p.lower()
        for p in named
        if not any(t in _stops() or t in _title_words() for t in map(token, p.replace("-", " ").split()))
    )  # "in May" is no place, nor "at President Roe's"


def _places(
    sid: str, sent: str, s: int, e: int, ctx: frozenset[str], people_tokens: set[str]
) -> Iterator[FactRecord]:
    for m in _place_re().finditer(sent):
        toks = [token(p) for p in m.group(1).replace("-", " ").split()]
        if any(t in _stops() or t in _title_words() or t in people_tokens for t in toks):
            continue
        if sent[m.end() : m.end() + 2] in ("’s", "'s"):
            continue
        event = ctx - {stem(t) for t in toks}
        # The words just before "in <Place>" name what happened there ("a rally", "was arrested").
        head = frozenset(f"head:{w}" for w in _near(sent, max(0, m.start() - 24), m.start(), 0))
        yield FactRecord(
            sid, "place", s, e, s + m.start(1), s + m.end(1), m.group(1), "",
            frozenset(f"l:{k}" for k in event), event, names=tuple(toks), flags=head,
        )  # fmt: skip


@cache
def _agent_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    passive = re.compile(
        r"\b([Tt]he|[Tt]his|[Tt]hat)\s+((?:[a-z]+\s+){0,2}[a-z]{3,})(?:,| was| were| had been| has been)\s+"
        r"([a-z]{3,}ed)\s+(?:by|between)\s+"
    )
    active = re.compile(r"\s([a-z]{3,}ed)\s+(?:the|a|an)\s+((?:[a-z]+\s+){0,2}[a-z]{3,})\b")
    return passive, active


def _agent_names(text: str) -> tuple[list[str], int]:
    """Name tokens of the people in an agent clause, and where the clause ends."""
    end_m = _CLAUSE_END_RE.search(text)
    end = end_m.start() if end_m else len(text)
    clause = text[:end]
    toks: list[str] = [t for pm in find_people(clause) for t in pm.name_tokens]
    toks += [t for _, _, ts in _names(clause) for t in ts]
    # The clause ends at its last capitalised name, not at trailing lower-case words.
    last = max((m.end() for m in _CAP_SEQ_RE.finditer(clause)), default=end)
    return sorted(set(toks)), last


def _object(phrase: str) -> str:
    """An object noun phrase up to its first function word ('accord with' -> 'accord')."""
    words: list[str] = []
    for w in phrase.split():
        if w in _stops():
            break
        words.append(w)
    return " ".join(words)


def _agents(sid: str, sent: str, s: int, e: int, ctx: frozenset[str]) -> Iterator[FactRecord]:
    passive, active = _agent_res()
    for m in passive.finditer(sent):
        names, end = _agent_names(sent[m.end() :])
        obj = _object(m.group(2))
        if not names or not obj:
            continue
        yield FactRecord(
            sid, "agent", s, e, s + m.end(), s + m.end() + end, sent[m.end() : m.end() + end],
            f"the {obj}", frozenset({f"a:{obj}", f"a:{obj}:{stem(m.group(3))}"}), ctx,
            names=tuple(names), verb=m.group(3), flags=frozenset({"passive"}),
        )  # fmt: skip
    for m in active.finditer(sent):
        before = sent[: m.start()]
        caps = list(_CAP_SEQ_RE.finditer(before))
        if not caps or caps[-1].end() != len(before.rstrip()):
            continue  # the doer must be named right before the verb
        names, _ = _agent_names(caps[-1].group(1) + ".")
        obj = _object(m.group(2))
        if not names or not obj:
            continue
        yield FactRecord(
            sid, "agent", s, e, s + caps[-1].start(), s + caps[-1].end(), caps[-1].group(1),
            f"the {obj}", frozenset({f"a:{obj}:{stem(m.group(1))}"}), ctx, names=tuple(names),
            verb=m.group(1),
        )  # fmt: skip


def _table_records(sid: str, text: str, year: int | None) -> tuple[list[FactRecord], list[tuple[int, int]]]:
    out: list[FactRecord] = []
    spans: list[tuple[int, int]] = []
    for table in find_tables(text):
        spans.append((table.start, table.end))
        caption = table.caption or ""
        years = frozenset(years_in(caption, year))
        for row in table.rows:
            for header, cell in row.cells.items():
                qs = parse_quantities(cell)
                if not qs:
                    continue
                q = qs[0]
                unit_m = re.search(r"\(([^)]+)\)", header)
                if (q.unit is None or q.unit.startswith("n:")) and unit_m:
                    from_header = parse_quantities("1 " + unit_m.group(1))
                    if from_header and from_header[0].unit:
                        q = q.replace(unit=from_header[0].unit)
                bucket = q.unit if q.unit and not q.unit.startswith("n:") else "count"
                ctx = frozenset(content(row.label) | content(header) | content(caption))
                label = f"{row.label} — {header}"
                keys = frozenset(f"n:{bucket}:{k}" for k in ctx) | {f"t:{row.label.lower()}|{header.lower()}"}
                out.append(
                    FactRecord(
                        sid,
                        "number",
                        row.start,
                        row.end,
                        row.start,
                        row.end,
                        cell,
                        label,
                        keys,
                        ctx,
                        quantity=q,
                        flags=frozenset({"table"} | ({"approx"} if q.approx else set())) | _column(header),
                        names=tuple(sorted(content(row.label))),
                        years=years,
                        label=label,
                    )
                )
    return out, spans


def _column(header: str) -> frozenset[str]:
    """What a column measures, as flags: its header's content words, its unit in brackets left out
    ("Share of World Output" -> share, world, output; "Harvest (tonnes)" -> harvest)."""
    return frozenset(f"column:{w}" for w in content(re.sub(r"\([^)]*\)", " ", header)))


_FOLDED: dict[int, str] = {}


def _folded(code: int) -> str:
    char = chr(code)
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 and base.isascii() else char


def fold_letters(text: str) -> str:
    """``text`` with accented Latin letters as their base letter, one character for one.

    The reader's patterns are written for ASCII letters: "Tarrés" would be no name, and not the
    "Tarres" another outlet writes. Offsets stay those of ``text``, so records cite it unchanged.
    """
    if text.isascii():
        return text
    for ch in set(text):
        code = ord(ch)
        if code > 127 and code not in _FOLDED:
            _FOLDED[code] = _folded(code)
    return text.translate(_FOLDED)


# A person described right after the name, the age inside the description ("Roe, a retired ").
_DESCRIBED = re.compile(r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*),\s+an?\s+(?:[a-z][\w’'-]*\s+){0,3}$")


def read_sources(sources: Iterable[Source]) -> list[FactRecord]:
    """Records for every sentence and table row of every source (quotations: :mod:`.quotes`)."""
    out: list[FactRecord] = []
    for src in sources:
        text = src.text
        year = publication_year(src.published, text)
        table_recs, table_spans = _table_records(src.id, text, year)
        out.extend(table_recs)
        for s, e in sentence_spans(text):
            if any(ts <= s < te for ts, te in table_spans):
                continue
            out.extend(_sentence_records(src.id, text, s, e, year))
    return out
