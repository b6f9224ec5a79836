"""The comparer: given two aligned records, do they agree, conflict, or not compare?

One function per kind, each with the near misses that are not conflicts:
rounding and hedged figures, different measures or periods, a timeline
("former", "then"), added detail, quotations trimmed, re-punctuated or
re-capitalised, and two different statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

from briefing.reconcile import anchors, lexicon
from briefing.reconcile.dates import DateMention, dates_agree, day_key, year_only
from briefing.reconcile.namesakes import person_difference
from briefing.reconcile.numbers import Quantity, parse_quantities, stem, values_agree
from briefing.reconcile.people import given_names, same_named_person, titles_compatible
from briefing.reconcile.places import place_difference
from briefing.reconcile.quotes import audiences, compare_quotes, quoted_stems
from briefing.reconcile.reader import places_named
from briefing.reconcile.records import FactRecord
from briefing.reconcile.statements import statement_difference
from briefing.text import sentence_spans

Verdict = Literal["agree", "conflict"] | None

# How much alignment each kind needs before a difference means anything (similarity, 0 to 1).
_MIN_SIMILARITY = {
    "number": 0.15,
    "date": 0.2,  # 0.25 unless the days are exclusive (see ``_date``)
    "title": 0.0,
    "person": 0.3,  # more where both people are known (see ``namesakes.person_difference``)
    "place": 0.25,  # more unless the words before the place agree (see ``places.place_difference``)
    "agent": 0.0,
    "quote": 0.0,
    "statement": 0.5,  # a negation needs most words alike too (see ``statements.statement_difference``)
}
# Two counts of a set must come from one report: a story counts many sets of the same things (the
# people hurt, those struck, those arrested), and only near-identical sentences count one set twice.
_COUNT_SIMILARITY = 0.45
_SMALL_COUNT = 1000
_ONE_COUNT = 0.7  # two sentences this alike report one count, whatever words follow the counted noun
_EVENT_WORDS = 2  # content words, not names, the two sentences share when the days are exclusive
_ONE_REPORT = 0.5  # similarity at which two sentences are one report, whatever their words at the day
_WORD_BEFORE = 12  # characters before a day that hold the word right before it
_NEAREST_ACTIONS = 1  # content words on each side of a day that name the action done on it
_FIGURE_MIN = 10  # figures below this (two people, three days) are said of many things
_INITIALS = 4  # names this short in a record's context are initials of a longer name
_EXCLUSIVE_SIMILARITY = 0.2  # dates no other source states need less alignment (see ``_exclusive``)


@dataclass
class Context:
    """What the comparer needs to know beyond the two records."""

    texts: Mapping[str, str]  # source id -> text (lower-cased), for "does the other source say it too"
    ambiguous: frozenset[str]  # name tokens shared by two different people in these sources
    namesakes: Mapping[str, frozenset[str]]  # source id -> first+last name pairs it mentions ("jane roe")
    titles: Mapping[tuple[str, str], frozenset[str]]  # (source id, surname) -> title keys it uses
    # source id -> every weekday and calendar day it states anywhere ("wd:2", "md:3:14")
    days: Mapping[str, frozenset[str]] = field(default_factory=dict)
    day_sources: Mapping[str, int] = field(default_factory=dict)  # day key -> how many sources state it
    # source id -> every figure it states anywhere, as ``value_key``
    values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    raw: Mapping[str, str] = field(default_factory=dict)  # source id -> text as written (for names)
    dates: Mapping[str, tuple[FactRecord, ...]] = field(default_factory=dict)  # day key -> records stating it
    people: frozenset[str] = frozenset()  # name tokens of the people the story names (see ``anchors``)
    # (ambiguous surname, title) -> first initials of the people given that title with a full name
    titled: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    main_bearer: Mapping[str, str] = field(default_factory=dict)  # ambiguous surname -> its usual bearer


def compare(a: FactRecord, b: FactRecord, similarity: float, ctx: Context) -> Verdict:
    if similarity < _MIN_SIMILARITY[a.kind] and not _one_named_age(a, b, ctx) and not _one_vote(a, b):
        return None
    return _BY_KIND[a.kind](a, b, similarity, ctx)


def _number(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    qa, qb = a.quantity, b.quantity
    if qa is None or qb is None:
        return None
    if (qa.unit or "") != (qb.unit or "") and not ("table" in a.flags or "table" in b.flags):
        return None
    if a.years and b.years and not a.years & b.years:
        return None  # different periods
    if {f for f in a.flags if f.startswith("period:")} != {f for f in b.flags if f.startswith("period:")}:
        return None  # a daily figure against an annual one
    if ("part" in a.flags) != ("part" in b.flags):
        return None  # "three other women" against "four women": a part against the whole (two parts compare)
    if ("horizon" in a.flags) != ("horizon" in b.flags):
        return None  # "$4 billion for the harbour over ten years" against "$600 million for it in 2027"
    if ("forecast" in a.flags) != ("forecast" in b.flags):
        return None  # "analysts expected 6.2%" against "the rate fell to 5.9%": a forecast and the result
    if (_plain_count(a) or _plain_count(b)) and sim < _COUNT_SIMILARITY and not _one_tally(a, b, ctx):
        return None  # "six people (hurt)" and "four people (struck)": sets counted in two different reports
    # A figure neither source states anywhere else is one figure reported two ways, if anything.
    exclusive = _number_exclusive(a, b, ctx)
    owners = _owners(a, b, ctx)
    if not exclusive and _different_owners(a, b, owners, ctx):
        return None  # one person's figure against another's ("Roe has 21 percent", "Doe 17 percent")
    if _told_of_two_people(a, b, ctx):
        return None  # "his net worth" against what "she had earned"
    if _two_places(a, b, ctx) or _two_named_things(a, b, ctx):
        return None  # "7 percent in Lunmouth" / "9 percent in Eastwick", two polls: two things' figures
    # The values' own words ("billion", "percent") are in every figure of that unit: they say nothing
    # of which figure it is.
    own = {k.rsplit(":", 1)[-1] for r in (a, b) for k in r.keys if k.rsplit(":", 1)[-1] in _value_words(r)}
    if qa.unit and qa.unit.startswith("n:"):
        own.add(stem(qa.unit[2:]))  # "people" in "four people": what is counted, not which count of them
    near = {k for k in a.keys & b.keys if ":s:" not in k and k.rsplit(":", 1)[-1] not in own}
    one_age = qa.unit == "years-old" and (_one_age(a, b, sim) or _one_named_age(a, b, ctx))
    if qa.unit == "years-old" and not any(":who:" in k for k in near) and not one_age:
        return None  # ages of people named differently ("Jane Roe" and "Roe") may be two people's
    # A named unit (tonnes, dollars, months) says half of what is measured; a share or a count does not.
    need = 2 if (qa.unit or "n:").startswith("n:") or qa.unit in ("%", "pp", "pt") else 1
    if exclusive and need == 2 and qa.unit not in ("%", "pp", "pt"):
        need = 1  # (shares keep two: many shares of many things sit near "percent of voters")
    if owners[0] is not None and owners[0] == owners[1]:
        need -= 1  # the same person's figure: the person says half of what is measured
    if qa.unit == "tally" and (exclusive or _one_vote(a, b)):
        need = 0  # a vote count no other source states is the one vote reported two ways
    if len(near) < need and not (a.label and a.label == b.label) and sim < 0.8:
        return None  # the numbers sit near different words: different measures
    if (
        "table" not in a.flags
        and "table" not in b.flags
        and a.names
        and b.names
        and not set(a.names) & set(b.names)
        and (not exclusive or "llm" in (a.extractor, b.extractor))
    ):
        # Figures for two different named things. A model's claim names its subject ("copper trade held by
        # Varnia"), so its figure is another thing's even when no other source states either figure.
        return None
    for x, y in ((a, b), (b, a)):
        if "table" in x.flags and not set(x.names) & (y.context | set(y.names)):
            return None  # a table row is about what its label names
        if not _states_column(x, y):
            return None  # "Share of World Output" against a share of one country's use: two measures

    ta, tb = ({stem(w) for w in r.subject.split() if not w.startswith("(")} for r in (a, b))
    things = [t - {stem(qa.unit or "")} for t in (ta, tb)]  # a bare unit ("USD") names no thing
    if ("list" in a.flags or "list" in b.flags) and not things[0] & things[1]:
        return None  # an item of a list is the thing named at its figure ("$40 for the hat, $90 for...")
    one_set = _plain_count(a) and _plain_count(b) and sim >= _ONE_COUNT  # "14 people killed", "19 died"
    if (
        not (a.label or b.label or one_set or one_age)
        and len(ta) >= 2
        and len(tb) >= 2
        and not (ta <= tb or tb <= ta)
    ):
        return None  # "infrastructure plan" and "spending plan" are two things
    if _ranges_differ(qa, qb):
        return "conflict"  # "ages 5 to 11" against "5 to 8": overlapping, yet two different ranges
    if values_agree(qa, qb):
        return "agree"
    lo, hi = sorted((max(qa.low, qb.low), min(qa.high, qb.high)))
    if lo > 0 and hi / lo >= 2 and not (a.label or b.label):
        return None  # twice as large or more: two different figures, not one misreported
    return "conflict"


_COLUMN_PREFIX = 5  # letters of a word that make one word of "harvest" and "harvested"


def _states_column(cell: FactRecord, other: FactRecord) -> bool:
    """``other`` states every word of the column ``cell`` sits in (when ``cell`` is a table cell):
    a column's header says what its figures measure, and a figure measuring something else is
    another figure, however alike its row."""
    if "table" not in cell.flags:
        return True  # only a table cell has a column (and most figures compared are no cell)
    column = {f.removeprefix("column:")[:_COLUMN_PREFIX] for f in cell.flags if f.startswith("column:")}
    return column <= {w[:_COLUMN_PREFIX] for w in other.context | set(other.names)}


def _plain_count(r: FactRecord) -> bool:
    """A small count of a set of things ("four people"), not a measure of one thing ("a 48-page
    indictment") nor a population ("2.3 million voters"): a story counts many small groups."""
    q = r.quantity
    counted = bool(q and q.unit and (q.unit.startswith("n:") or q.unit == "votes"))  # votes count people
    if q is None or not counted or q.low >= _SMALL_COUNT:
        return False
    return "(" not in r.subject and "table" not in r.flags


def _one_tally(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """One set counted in one report: two sentences that also state another figure alike ("... and 41
    wounded"). Whether the two counts count the same things is left to the words near them (below)."""
    figures = []
    for r in (a, b):
        text = ctx.raw.get(r.source_id, "")
        own = r.quantity.low if r.quantity is not None else None
        # Hedged or not ("at least 41", "41"): the same figure beside the count.
        figures.append({q.low for q in parse_quantities(text[r.start : r.end]) if q.low != own})
    return any(
        f >= _FIGURE_MIN and not 1900 <= f <= 2100 for f in figures[0] & figures[1]
    )  # a year is no tally


def _one_age(a: FactRecord, b: FactRecord, sim: float) -> bool:
    """One person's age told twice: one report ("Roe, whose 6-year-old son, Sam, was...") of one person."""
    things = [{stem(w) for w in re.findall(r"[a-z]+", r.subject.split("(")[0].lower())} for r in (a, b)]
    return sim >= _ONE_REPORT and bool(things[0] & things[1]) and bool(set(a.names) & set(b.names))


def _one_named_age(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Two ages of one named person ("Roe, 49," and "Roe, 74,"), whatever the sentences say besides.

    A person's age is a fact of the person, not of the sentence: outlets give it in passing, in
    unrelated sentences. Only where the story gives the surname one first name at most (a father
    and son, or spouses, share a surname and not an age).
    """
    qa, qb = a.quantity, b.quantity
    if a.kind != "number" or qa is None or qb is None or qa.unit != "years-old" or qb.unit != "years-old":
        return False
    surnames = {k.rsplit(":", 1)[-1] for k in a.keys & b.keys if ":of:" in k}
    if len(surnames) != 1:
        return False
    surname = next(iter(surnames))
    return surname in ctx.people and len(given_names(ctx.raw.values(), surname)) <= 1


def _one_vote(a: FactRecord, b: FactRecord) -> bool:
    """Two counts of one vote: the same number on one side, another on the other ("121 to 58" and
    "121 to 74"). A story holds few votes; two of them rarely share a side."""
    qa, qb = a.quantity, b.quantity
    if a.kind != "number" or qa is None or qb is None or qa.unit != "tally" or qb.unit != "tally":
        return False
    return (qa.low == qb.low) != (qa.against == qb.against)


def _value_words(r: FactRecord) -> frozenset[str]:
    """Stems of the words of a stated value ("$716 billion" -> "bill")."""
    return frozenset(stem(w) for w in re.findall(r"[A-Za-z]+", r.value) if len(w) >= 3)


def _owners(a: FactRecord, b: FactRecord, ctx: Context) -> tuple[str | None, str | None]:
    """The person each figure belongs to (None: none found, or not a rule record with its text)."""
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None or a.extractor != "rules" or b.extractor != "rules":
        return None, None
    return (
        anchors.owner(ta, a.start, a.value_start, ctx.people),
        anchors.owner(tb, b.start, b.value_start, ctx.people),
    )


def _different_owners(
    a: FactRecord, b: FactRecord, owners: tuple[str | None, str | None], ctx: Context
) -> bool:
    """Each figure belongs to a person the other passage does not name before its figure.

    Only where a source states the other's figure too (the caller checks): then there are two
    figures, and the names say whose is whose. A figure no other source states is one figure,
    whoever each outlet credits it to.
    """
    oa, ob = owners
    if oa is None or ob is None or oa == ob:
        return False
    ta, tb = ctx.raw[a.source_id], ctx.raw[b.source_id]
    return oa not in anchors.named(tb, b.start, b.value_start, ctx.people) or ob not in anchors.named(
        ta, a.start, a.value_start, ctx.people
    )


def _two_places(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Each sentence names a place, and neither names the other's: the figures are of two places."""
    return _apart(a, b, ctx, places_named)


def _apart(a: FactRecord, b: FactRecord, ctx: Context, read: Callable[[str], AbstractSet[str]]) -> bool:
    """``read`` finds something in each record's sentence, and none of it in both (places, audiences,
    figures, quoted words): the sentences tell of two things."""
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None:
        return False
    xa, xb = read(ta[a.start : a.end]), read(tb[b.start : b.end])
    return bool(xa) and bool(xb) and not xa & xb


def _two_named_things(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """A word both sentences use for what the figure is of, named two ways ("a Gazette poll found 45
    percent", "a Radio North poll found 52 percent"): the figures of two things, polls or bills."""
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None:
        return False
    na, nb = _named_nouns(ta[a.start : a.end]), _named_nouns(tb[b.start : b.end])
    return any(not na[w] & nb[w] for w in na.keys() & nb.keys())


@lru_cache(maxsize=1 << 14)
def _named_nouns(sentence: str) -> dict[str, frozenset[str]]:
    """Things of data/named_things.txt with the name right before them ("a Gazette poll": poll ->
    {gazette}); capitalised words that are function words ("A", "The") are no name."""
    things = lexicon.words("named_things.txt")
    tokens = list(re.finditer(r"[A-Za-z][\w.&’'-]*", sentence))
    out: dict[str, set[str]] = {}
    for i, m in enumerate(tokens):
        if m.group() not in things:
            continue
        name: list[str] = []
        for t in reversed(tokens[max(0, i - 3) : i]):
            word = t.group()
            if not word[:1].isupper() or word.lower() in lexicon.stop_words():
                break
            name.insert(0, word.lower())
        if name:
            out.setdefault(stem(m.group()), set()).add(" ".join(name))
    return {k: frozenset(v) for k, v in out.items()}


def _told_of_two_people(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """The pronouns nearest before the two figures stand for a man and a woman ("his net worth",
    "she had earned"): two people's figures, whatever else the sentences share."""
    gender = _pronoun_genders()
    found = []
    for r in (a, b):
        text = ctx.raw.get(r.source_id)
        told = [gender[w] for w in _words_of(_clause_to_value(r, text)) if w in gender] if text else []
        if not told:
            return False
        found.append(told[-1])
    return found[0] != found[1]


@cache
def _pronoun_genders() -> dict[str, str]:
    """Each personal pronoun, mapped to the person it stands for ("his": "he")."""
    return {w: name for name, words in lexicon.groups("pronoun_genders.txt").items() for w in words}


def _different_actors(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Each day is told of a person (the first named before it) the other sentence does not name."""
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None:
        return False
    xa = anchors.actor(ta, a.start, a.value_start, ctx.people)
    xb = anchors.actor(tb, b.start, b.value_start, ctx.people)
    if xa is None or xb is None or xa == xb:
        return False
    return xa not in anchors.named(tb, b.start, b.end, ctx.people) or xb not in anchors.named(
        ta, a.start, a.end, ctx.people
    )


def _ranges_differ(a: Quantity, b: Quantity) -> bool:
    """Two stated ranges (neither hedged) with an end more than 2% apart."""
    if a.approx or b.approx or a.low >= a.high or b.low >= b.high:
        return False
    return any(abs(x - y) > 0.02 * max(abs(x), abs(y)) for x, y in ((a.low, b.low), (a.high, b.high)))


def value_key_of(q: Quantity) -> str:
    return f"{q.unit or ''}:{q.low:g}:{q.high:g}"


def _year_like(key: str) -> bool:
    unit, low, _ = key.rsplit(":", 2)
    return (not unit or unit.startswith("n:")) and low.isdigit() and 1900 <= int(low) <= 2100


def value_key(r: FactRecord) -> str:
    """A stated figure as a comparable key: its unit and its value (or range)."""
    q = r.quantity
    if q is None:
        return ""
    return f"{q.unit or ''}:{q.low:g}:{q.high:g}" + ("" if q.against is None else f":{q.against:g}")


def _number_exclusive(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Neither source states the other's figure anywhere (in the same unit), and each states its own."""
    if "table" in a.flags or "table" in b.flags or a.source_id not in ctx.values:
        return False
    ka, kb = value_key(a), value_key(b)
    return ka != kb and ka not in ctx.values.get(b.source_id, ()) and kb not in ctx.values[a.source_id]


def _exclusive(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Neither source states the other's day anywhere: one event dated two ways, not two events.

    Two sources that date two different events each mention both days as a rule; a
    source that never names the other's day gives no sign of a second event.
    """
    if a.date is None or b.date is None or a.source_id not in ctx.days or b.source_id not in ctx.days:
        return False
    ka, kb = day_key(a.date), day_key(b.date)
    if ka == kb or ka in ctx.days[b.source_id] or kb in ctx.days[a.source_id]:
        return False
    # And one of the days is its own source's alone: when a third source states each, both are attested.
    if ctx.day_sources.get(ka, 0) == 1 or ctx.day_sources.get(kb, 0) == 1:
        return True
    # A third source stating a day of another event attests nothing of this one: only its sentences
    # telling of this event count ("indicted ... on Tuesday" for the indictment, not "on Thursday, the
    # judge" in the same report).
    event = _event_words(a, b, ctx)
    return len(event) >= _ATTESTING_WORDS and (
        _attested(ka, event, ctx) == 1 or _attested(kb, event, ctx) == 1
    )


_ATTESTING_WORDS = 3  # words of the event two sentences share for a third source's sentence to be weighed


def _attested(key: str, event: frozenset[str], ctx: Context) -> int:
    """How many sources state the day ``key`` in a sentence telling of the event (two of its words)."""
    told: set[str] = set()
    for r in ctx.dates.get(key, ()):
        text = ctx.raw.get(r.source_id)
        if r.source_id in told or text is None:
            continue
        if len(anchors.beyond_people(text[r.start : r.end]) & event) >= _EVENT_WORDS:
            told.add(r.source_id)
    return len(told)


def _acts(r: FactRecord) -> frozenset[str]:
    return frozenset(f for f in r.flags if f.startswith("act:"))


def _event_words(a: FactRecord, b: FactRecord, ctx: Context) -> frozenset[str]:
    """Content stems the two sentences share, people named (with their titles) and initials left out."""
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None:
        return (a.context & b.context) - set(a.names) - set(b.names) - anchors.title_stems()
    shared = anchors.beyond_people(ta[a.start : a.end]) & anchors.beyond_people(tb[b.start : b.end])
    names = set(a.names) | set(b.names)
    initials = {n for n in names if len(n) <= _INITIALS}  # "JD" of "Jane Doe" is no event
    return shared - initials - anchors.person_stems(ctx.people) - anchors.title_stems()


def _name_heads(r: FactRecord, ctx: Context) -> frozenset[str]:
    text = ctx.raw.get(r.source_id)
    return anchors.name_heads(text[r.start : r.end]) if text is not None else frozenset()


def _recurring(r: FactRecord, ctx: Context) -> bool:
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    return anchors.recurs(text[r.start : r.end], r.value_start - r.start, r.value_end - r.start)


def _shared_figures(a: FactRecord, b: FactRecord, ctx: Context) -> set[str]:
    """Figures both sentences state ("released a 48-page report"): one report of one event, not two.

    Years and small counts are said of many things; a figure of its own ("48-page", "$3.2 million") is not.
    """
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None:
        return set()
    figures = [_figures(t[r.start : r.end])[1] for t, r in ((ta, a), (tb, b))]
    return {f"figure:{k}" for k in figures[0] & figures[1]}


@lru_cache(maxsize=1 << 14)
def _figures(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """A sentence's figures other than years, as value keys: all of them, and the exact ones of
    ``_FIGURE_MIN`` or more. (Read once per sentence: every pair of its records asks.)"""
    found = [(value_key_of(q), q) for q in parse_quantities(sentence)]
    every = frozenset(k for k, _ in found if not _year_like(k))
    exact = frozenset(k for k, q in found if q.low == q.high >= _FIGURE_MIN and not _year_like(k))
    return every, exact


def _own_figures(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Each sentence states a figure of its own and none of the other's ("40,000 tonnes in 2022",
    "52,000 tonnes in 2023"): each year dates its own figure, a measure of two periods."""
    return _apart(a, b, ctx, lambda sentence: _figures(sentence)[0])


def _earlier(r: FactRecord, ctx: Context) -> bool:
    """A day told as "last Friday": an earlier event than the one the story reports, as a rule
    (see ``data/past_days.txt``)."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    before = text[max(0, r.value_start - _WORD_BEFORE) : r.value_start].split()
    return bool(before) and before[-1].lower() in lexicon.words("past_days.txt")


def nearest_actions(a: FactRecord, b: FactRecord, ctx: Context) -> set[str]:
    """The content word right before or after each day, where both sentences have one alike.

    "released the emails Sunday" and "emails released Wednesday" tell of one action on two days;
    saying is no such action (one says much, daily), and words further off tell of other things.
    """
    ta, tb = ctx.raw.get(a.source_id), ctx.raw.get(b.source_id)
    if ta is None or tb is None:
        return set()
    near = [
        anchors.action(t[r.start : r.end], r.value_start - r.start, r.value_end - r.start, _NEAREST_ACTIONS)
        for t, r in ((ta, a), (tb, b))
    ]
    return {f"act:{w}" for w in near[0] & near[1]} - anchors.speech_acts()


def _other_statements(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Both sentences quote someone, and no word of one quotation is in the other: two remarks.

    "said on Sunday that the plan 'will empty our schools'" and "told reporters on Saturday night
    that 'the harbour money belongs to every family'" date two things said, each on its own day.
    """
    return _apart(a, b, ctx, quoted_stems)


def _other_audiences(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Each sentence names whom the words were given to, and they differ ("told the Gazette on Monday",
    "told Radio North on Tuesday"): two interviews, each on its own day."""
    return _apart(a, b, ctx, audiences)


@cache
def _spans() -> dict[str, re.Pattern[str]]:
    """Two years joined as one span ("1979-2009", "between 1979 and 2009"), and a day that opens or
    closes a span of days ("from July 3 to 17", "Monday through Wednesday")."""
    words = "|".join(sorted(lexicon.groups("day_cues.txt")["span"]))
    join = rf"(?:-|–|—|{words})"
    return {
        "years": re.compile(rf"\b(?:19|20)\d\d\s*(?:{join}|and)\s*(?:19|20)\d\d\b"),
        "after": re.compile(rf"\s*{join}\s*(?:[A-Z][a-z]+\.?\s+)?(?:\d{{1,2}}\b|[A-Z][a-z]+day\b)"),
        "before": re.compile(rf"(?:\b\d{{1,2}}|\b[A-Z][a-z]+day)\s*{join}\s*$"),
    }


def _in_span(r: FactRecord, ctx: Context) -> bool:
    """The record's year is one end of a span: the span, not the year, is what the sentence dates."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    return any(m.start() <= r.value_start < m.end() for m in _spans()["years"].finditer(text, r.start, r.end))


def _day_span(r: FactRecord, ctx: Context) -> bool:
    """The day is one end of a span of days: the span, not the day, is what the sentence dates."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    return bool(
        _spans()["after"].match(text, r.value_end, r.end)
        or _spans()["before"].search(text[max(r.start, r.value_start - _WORD_BEFORE) : r.value_start])
    )


_CLAUSE_BREAK = re.compile(r"[,;:.!?—]")  # where the clause holding a day starts or ends


def _clause_to_value(r: FactRecord, text: str) -> str:
    """The record's clause up to its value: "late on Thursday" of "…, the board met late on Thursday"."""
    return _CLAUSE_BREAK.split(text[r.start : r.value_start])[-1]


_SINCE_WORDS = 3  # "since dawn on Monday": the words a period's opening day may stand after "since"


def _opens_period(r: FactRecord, ctx: Context) -> bool:
    """The day opens a period that goes on ("since Monday evening", "since dawn on Monday")."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    before = _clause_to_value(r, text)
    opening = lexicon.groups("day_cues.txt")["period"]
    return not opening.isdisjoint(w.lower() for w in re.findall(r"[A-Za-z]+", before)[-_SINCE_WORDS:])


_ATTRIBUTION_WORDS = 5  # "…at the pier, a senior official said Tuesday": who told it, in a few words
_LISTENER_WORDS = 3  # "told the Quenby Gazette on Tuesday": to whom, between the verb and the day
_TOLD_WORDS = 4  # "relayed the mayor's answer late Sunday": what was told, between the verb and the day


def _telling_verb(words: Sequence[str], is_verb: Callable[[str], bool], between: int) -> int | None:
    """Where in ``words`` (a clause up to a day) the verb of telling stands, if the day is its
    day: the verb last, or followed by at most ``between`` words ("told reporters", "told the Gazette")."""
    for i in range(len(words) - 1, max(-1, len(words) - 2 - between), -1):
        if is_verb(words[i]):
            return i
    return None


def _dates_report(r: FactRecord, ctx: Context) -> bool:
    """The day is in a closing attribution (", an official said Tuesday", ", the paper first
    reported Thursday"): it dates the telling of what the sentence reports, not the event."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    before = text[r.start : r.value_start]
    cut = max(before.rfind(","), before.rfind("”"), before.rfind('"'))
    if cut < 0:
        return False
    cues = lexicon.groups("day_cues.txt")
    words = _without_lead(_words_of(before[cut + 1 :]), cues["lead"])
    at = _telling_verb(words, cues["report"].__contains__, _LISTENER_WORDS)
    if at is None or at >= _ATTRIBUTION_WORDS:
        return False
    # Nothing but a part of the day ("Tuesday night") before the clause or the sentence ends.
    rest = _CLAUSE_BREAK.split(text[r.value_end : r.end], maxsplit=1)[0].split()
    return len(rest) <= 1


def _dates_saying(r: FactRecord, ctx: Context) -> bool:
    """The day is the day someone said or told something ("said on Monday that", "told reporters
    Tuesday", "on Thursday said"): a telling too, to set against another telling's day."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return False
    cues = lexicon.groups("day_cues.txt")

    def saying(word: str) -> bool:
        return word in cues["report"] or f"act:{stem(word)}" in anchors.speech_acts()

    before = _without_lead(_words_of(_clause_to_value(r, text)), cues["lead"])
    after = _words_of(text[r.value_end : r.end])[:2]
    if after and after[0] in cues["part"]:
        after = after[1:]
    return _telling_verb(before, saying, _TOLD_WORDS) is not None or bool(after and saying(after[0]))


def _words_of(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z'’]+", text)]


def _without_lead(words: list[str], lead: frozenset[str]) -> list[str]:
    """The words up to a day without the words that lead into it ("said on late Tuesday": "said")."""
    end = len(words)
    while end and words[end - 1] in lead:
        end -= 1
    return words[:end]


def _other_day_beside(a: FactRecord, b: FactRecord) -> bool:
    """One sentence also states the other's day: that is the day to set against, not this one."""
    if a.date is None or b.date is None:
        return False
    return f"day:{day_key(b.date)}" in a.flags or f"day:{day_key(a.date)}" in b.flags


def _around_midnight(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """Two days in a row, the first told late ("late Thursday", "Thursday night") or the second early
    ("early Friday", "Friday morning"): one event around midnight, dated in two time zones or two
    reckonings, not two days."""
    da, db = a.date, b.date
    if da is None or db is None:
        return False
    if _next_day(db, da):
        a, b = b, a
    elif not _next_day(da, db):
        return False
    cues = lexicon.groups("day_cues.txt")
    first, second = _day_words(a, ctx), _day_words(b, ctx)
    late = bool(first & cues["late"]), bool(second & cues["late"])
    early = bool(first & cues["early"]), bool(second & cues["early"])
    # "Wednesday night" and "Thursday night" are a day apart, as "early Wednesday" and "Thursday" are.
    if (late[1] and not early[1]) or (early[0] and not late[0]):
        return False
    return late[0] or early[1]


def _next_day(a: DateMention, b: DateMention) -> bool:
    """``b`` is the day after ``a`` (weekdays, or month and day)."""
    if a.weekday is not None and b.weekday is not None:
        return (a.weekday + 1) % 7 == b.weekday
    if a.month and b.month and a.day and b.day and a.month == b.month:
        return a.day + 1 == b.day
    return False


def _day_words(r: FactRecord, ctx: Context) -> set[str]:
    """The two words before a day and the word after it ("late on Thursday", "Friday morning")."""
    text = ctx.raw.get(r.source_id)
    if text is None:
        return set()
    before = _words_of(_clause_to_value(r, text))[-_DAY_WORDS:]
    return {*before, *_words_of(text[r.value_end : r.end])[:1]}


_DAY_WORDS = 2  # words before a day that may tell its part ("late on Thursday")


def _in_lede(r: FactRecord, ctx: Context) -> bool:
    """The passage opens its report: nothing but the headline line before it."""
    text = ctx.raw.get(r.source_id)
    return text is not None and "\n" not in text[: r.start].strip()


# Two reports' opening sentences this alike tell of the story's one event, whatever verb each uses for
# it ("said ... ruined", "called ... unfair"): a report opens on its news, not on an earlier remark.
_LEDE_SIMILARITY = 0.5


def _date(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    if a.date is None or b.date is None or "timeline" in a.flags or "timeline" in b.flags:
        return None
    figures = _shared_figures(a, b, ctx)  # one report of one event, whoever each names first
    if _other_day_beside(a, b) or (_different_actors(a, b, ctx) and not figures):
        return None  # the other day is stated right there, or the two sentences are about two people
    if _day_span(a, ctx) or _day_span(b, ctx):
        return None  # "from July 3 to 17" dates a stretch of days, not the day of an event
    if _recurring(a, ctx) or _recurring(b, ctx):
        return None  # "met again Sunday", "their latest meeting": each day may date another occurrence
    if _other_statements(a, b, ctx) or _other_audiences(a, b, ctx):
        return None  # each day dates its own remark, or its own interview
    if _around_midnight(a, b, ctx):
        return "agree"  # "late Thursday" and "early Friday" may be one hour
    if _opens_period(a, ctx) != _opens_period(b, ctx):
        return None  # "pumps have run since Monday evening" go on into "early Tuesday"
    if (_dates_report(a, ctx) and not _dates_saying(b, ctx)) or (
        _dates_report(b, ctx) and not _dates_saying(a, ctx)
    ):
        return None  # "met ..., an official said Tuesday" dates the telling; "met Monday" the meeting
    # Two bare years at the same action ("term ends in 2019", "before his term ends in 2018") are the
    # values compared, not the years of two events.
    bare = year_only(a.date) and year_only(b.date)
    one_act = (
        bare
        and bool(nearest_actions(a, b, ctx))
        and not (_in_span(a, ctx) or _in_span(b, ctx) or _own_figures(a, b, ctx))
    )
    if bare and not one_act and a.extractor == "rules":
        return None  # "first elected in 2019", "will finish the quay in 2027": each year dates its own act
    if a.date.year and b.date.year and a.date.year != b.date.year and sim < _ONE_REPORT and not one_act:
        return None  # days of two different years: two events, unless the sentences are one report
    # What happened, beyond who: people's names alone ("President X said Monday...") do not make one
    # event; the things named (a committee, a show) help, with at least one word that is no name
    # ("the assembly voted", "protesters gathered outside the assembly" share only the assembly).
    event = _event_words(a, b, ctx)
    # A word one outlet writes as a plain word ("whistleblower Jane Roe") is no name, whatever the other
    # capitalises ("Whistleblower Jane Roe" opening a sentence).
    unnamed = event - (set(a.names) & set(b.names)) - (_name_heads(a, ctx) & _name_heads(b, ctx))
    relaxed = sim >= _EXCLUSIVE_SIMILARITY and len(event) >= _EVENT_WORDS and bool(unnamed)
    # Weak evidence (few shared words, days no other source states): not for a day told as earlier.
    earlier = _earlier(a, ctx) or _earlier(b, ctx)
    if a.extractor == "rules" and relaxed and not earlier and _exclusive(a, b, ctx):
        same = dates_agree(a.date, b.date)
        return None if same is None else ("agree" if same else "conflict")
    heads = {f for f in a.flags if f.startswith("head:")} & {f for f in b.flags if f.startswith("head:")}
    # The same action done at each day ("released the emails Sunday", "emails released Wednesday") makes
    # one event as the same words right at the day do; saying is no such action (one says much, daily).
    heads |= nearest_actions(a, b, ctx) | figures
    shared = len(a.keys & b.keys)
    if a.extractor == "rules" and not heads and (sim < 0.5 or shared < 8):
        return None  # the words at the two dates differ, and the sentences are not one report: two events
    if a.extractor == "rules" and (shared < 3 or (sim < 0.25 and shared < 5)):
        return None  # not clearly the same event
    same = dates_agree(a.date, b.date)
    if (
        same is False
        and a.extractor == "rules"
        and not _acts(a) & _acts(b)
        and not (sim >= _LEDE_SIMILARITY and _in_lede(a, ctx) and _in_lede(b, ctx))
    ):
        return None  # each source states the other's day elsewhere: only the same action makes one event
    return None if same is None else ("agree" if same else "conflict")


def _title(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    if not same_named_person(list(a.names), a.subject, list(b.names), b.subject):
        return None
    if any(len(r.names) == 1 and r.names[0] in ctx.ambiguous for r in (a, b)):
        # "Smith" alone, where two Smiths are named: which Smith each title is of
        bearers = [_bearer(r, ctx) for r in (a, b)]
        if None in bearers or bearers[0] != bearers[1]:
            return None
    both_then = "then" in a.flags and "then" in b.flags and sim >= _THEN_SIMILARITY
    if ("historic" in a.flags or "historic" in b.flags) and not both_then:
        return None  # a past title is no claim about the present (but two "then" titles are of one time)
    ka, kb = (a.label or "").split(), (b.label or "").split()
    for r, k in ((a, ka), (b, kb)):
        fuller = ctx.titles.get((r.source_id, r.names[-1] if r.names else ""), ())
        if any(set(k) < set(other.split()) for other in fuller):
            return None  # a short form: its source's full title speaks for it
    if titles_compatible(ka, kb):
        return "agree"
    if _knows_both_titles(a, b, ctx) or _knows_both_titles(b, a, ctx):
        return None  # a source giving both titles near the name tells of a change ("was confirmed as...")
    return "conflict"


def _bearer(r: FactRecord, ctx: Context) -> str | None:
    """The first initial of the person a title record is about: as named, else the one namesake the
    sources give this title with a full name ("President Jane Roe"), else the one namesake they give
    any title by name (her relatives named bare), else the surname's usual bearer."""
    if len(r.names) >= 2:
        return r.names[0][:1]
    surname = r.names[0] if r.names else ""
    given = ctx.titled.get((surname, r.label or ""), frozenset())
    if not given:  # no one is given this title by name: the one namesake given any title, if one is
        given = frozenset().union(*(v for (last, _), v in ctx.titled.items() if last == surname))
        if len(given) != 1:
            return ctx.main_bearer.get(surname)
    return next(iter(given)) if len(given) == 1 else None


_THEN_SIMILARITY = 0.3  # two "then" titles are of one past time only in passages telling one story
_TITLE_WINDOW = 200  # characters around a name within which a source's other title for them counts


def _knows_both_titles(a: FactRecord, b: FactRecord, ctx: Context) -> bool:
    """``a``'s source states ``b``'s title of several words, as written, in a sentence naming the person."""
    text = ctx.raw.get(a.source_id, "")
    title = " ".join(b.value.lower().split())
    surname = (b.subject.split() or [""])[-1]
    if len(title.split()) < 2 or len(surname) < 2:
        return False  # a one-word title ("the president") is said of many people, and loosely
    for m in re.finditer(re.escape(surname), text):
        if a.start <= m.start() < a.end:
            continue  # the mention the conflict is about
        lo = max(0, m.start() - _TITLE_WINDOW)
        around = text[lo : m.end() + _TITLE_WINDOW]
        at = m.start() - lo
        # The same sentence: "Roe, a senator, was confirmed as the new secretary of state".
        for s, e in sentence_spans(around):
            sentence = around[s:e]
            if s <= at < e and any(
                _titles_them(sentence, t.start(), t.end(), surname)
                for t in re.finditer(re.escape(title), sentence, re.I)
            ):
                return True
    return False


def _titles_them(sentence: str, start: int, end: int, surname: str) -> bool:
    """The title at ``start:end`` is not someone else's: "his attorney general", "the minister, Jane Doe"."""
    if {w.lower() for w in sentence[:start].split()[-3:]} & {"his", "her", "their", "its"}:
        return False
    after = re.match(r"(?:,\s*|\s+)([A-Z][\w’'-]*)", sentence[end:])
    named_next = after is not None and after.group(1).lower() not in lexicon.stop_words()
    return not (named_next and surname not in sentence[end : end + 40])


def _person(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    return person_difference(a, b, sim, ctx.namesakes, ctx.texts)


def _place(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    if _own_figures(a, b, ctx):
        return None  # "unemployment in Lunmouth rose to 7 percent", "in Eastwick to 9": two places' figures
    return place_difference(a, b, sim, ctx.texts)


def _agent(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    if not a.names or not b.names or a.subject != b.subject:
        return None  # "the trade pact" is not "the defence pact"
    return "agree" if set(a.names) & set(b.names) else "conflict"


def _quote(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    return compare_quotes(a, b)


def _statement(a: FactRecord, b: FactRecord, sim: float, ctx: Context) -> Verdict:
    if a.extractor == "llm" and b.extractor == "llm":
        va, vb = a.value.lower(), b.value.lower()
        return "agree" if va in vb or vb in va else "conflict"
    if a.extractor != "rules" or b.extractor != "rules":
        return None
    return statement_difference(a, b, sim)


_BY_KIND = {
    "number": _number,
    "date": _date,
    "title": _title,
    "person": _person,
    "place": _place,
    "agent": _agent,
    "quote": _quote,
    "statement": _statement,
}
