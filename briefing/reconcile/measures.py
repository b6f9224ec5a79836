"""What a stated value measures: subject entity, measure words, aspect and period.

Two numbers can only disagree if they measure the same thing. A measure is
read from the words around the number (bounded by the clause and by
neighbouring numbers) or, for a table cell, from the row label, the column
header and the caption. Aspect words (mining vs processing, deaths vs
injuries) veto matches that share a topic but not a measure.
"""

from __future__ import annotations

import re
from functools import cached_property

from pydantic import BaseModel, Field

from briefing.reconcile.dates import MONTHS, WEEKDAYS, DateMention, years_in
from briefing.reconcile.facts import Quantity, content_stems, parse_quantities, stem
from briefing.reconcile.people import PLACE_WORDS as PLACES
from briefing.text import STOP_WORDS

# fmt: off
_ALIASES = {
    'us': 'united states', 'u.s': 'united states', 'usa': 'united states', 'u.s.a': 'united states',
    'america': 'united states', 'american': 'united states', 'americans': 'united states',
    'the united states': 'united states', 'uk': 'united kingdom', 'u.k': 'united kingdom',
    'britain': 'united kingdom', 'british': 'united kingdom', 'great britain': 'united kingdom',
    'chinese': 'china', 'prc': 'china', 'japanese': 'japan', 'russian': 'russia', 'german': 'germany',
    'french': 'france', 'indian': 'india', 'canadian': 'canada', 'mexican': 'mexico',
    'australian': 'australia', 'israeli': 'israel', 'iranian': 'iran', 'ukrainian': 'ukraine',
    'european union': 'eu', 'the eu': 'eu',
}
# fmt: on
# Mutually exclusive things a number can count; two sides naming different ones measure different things.
_ASPECTS: dict[str, str] = {}
for _aspect, _words in {
    "production": "produce produced produces producing production producer producers output",
    "mining": "mining mine mines mined extraction",
    "processing": "processing processed refining refined refinery separation separating separate",
    "manufacturing": "manufacturing manufacture manufactured manufacturers factories",
    "imports": "import imports imported importing reliance",
    "exports": "export exports exported exporting",
    "consumption": "consumption consume consumed demand",
    "reserves": "reserves deposits",
    "capacity": "capacity",
    "deaths": "deaths died killed dead death fatalities toll",
    "injuries": "injured injuries wounded hurt",
    "cases": "cases infections infected positive",
    "hospital": "hospitalized hospitalizations hospitalised",
    "vaccination": "vaccinated vaccinations doses shots",
    "arrests": "arrested arrests detained",
    "revenue": "revenue revenues sales",
    "profit": "profit profits earnings",
    "spending": "spending spend spent cost costs budget",
    "tax": "tax taxes",
    "tariff": "tariff tariffs",
    "debt": "debt deficit",
    "jobs": "jobs employment unemployment jobless",
    "inflation": "inflation prices",
    "age": "age aged old",
    "votes": "votes voted vote",
    "population": "population residents",
    "share": "share",
}.items():
    for _w in _words.split():
        _ASPECTS[_w] = _aspect
_CLAUSE_RE = re.compile(r"[;:—–]|,\s|\s-\s|\s--\s")
_CONJ_RE = re.compile(r"\b(?:and|but|while|whereas|compared|versus|vs|than|or|from|to|including|such as)\b|,")
_ENTITY_RE = re.compile(r"(?:U\.S\.A?\.?|U\.K\.|[A-Z][\w’'&.-]*)(?:\s+(?:of\s+)?(?:U\.S\.|[A-Z][\w’'&.-]*))*")
TITLE_WORDS = frozenset(
    [
        "president",
        "gov",
        "governor",
        "sen",
        "senator",
        "rep",
        "secretary",
        "minister",
        "chairman",
        "mr",
        "ms",
        "dr",
    ]
)
SPEECH_STEMS = frozenset(
    stem(w)
    for w in ["said", "says", "say", "told", "tell", "added", "announced", "statement", "spoke", "speaking"]
)


class Measure(BaseModel):
    """What one value is a value of; ``quote_*`` is the passage to cite."""

    source_id: str
    kind: str  # 'number' or 'date'
    quantity: Quantity | None = None
    date: DateMention | None = None
    subject: str | None = None
    subject_text: str | None = None
    stems: list[str] = Field(default_factory=list)
    aspects: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    quote_start: int
    quote_end: int
    statement: str  # short human text of this side
    label: str | None = None  # 'United States — Production (tonnes)' for table cells
    words: list[str] = Field(default_factory=list)  # context words in order, for topics
    # Dates: the verb next to the date ('died Wednesday'), the names and lower-case stems of its sentence.
    event: str | None = None
    names: list[str] = Field(default_factory=list)
    sentence_stems: list[str] = Field(default_factory=list)
    # Wording around the value: the sentence's words, two words either side, and the noun it counts.
    sentence_words: list[str] = Field(default_factory=list)
    near: list[str] = Field(default_factory=list)
    head: str | None = None
    modifiers: list[str] = Field(default_factory=list)

    @cached_property
    def lower_stems(self) -> frozenset[str]:
        """Stems of the lower-case context words (event words, not names); read once per pair."""
        return frozenset(stem(w) for w in self.words if w[:1].islower())


def entity_key(name: str) -> str:
    key = re.sub(r"[’']s$", "", name.strip()).lower().rstrip(".")
    key = re.sub(r"^the\s+", "", key)
    return _ALIASES.get(key, key)


def entities(text: str) -> list[tuple[int, int, str]]:
    """Capitalised names in ``text`` as (start, end, normalised key)."""
    out: list[tuple[int, int, str]] = []
    for m in _ENTITY_RE.finditer(text):
        words = m.group().split()
        start = m.start()
        while words and (words[0].lower() in STOP_WORDS or words[0].lower() in ("in", "on", "at")):
            start += len(words[0]) + 1
            words = words[1:]
        if not words:
            continue
        raw = " ".join(words)
        low = raw.lower().rstrip(".")
        # A lone capitalised first word is usually just capitalised ("Officials said ...").
        at_start = not text[:start].strip(" \t-–—•*\"“‘'(")
        lone = at_start and len(words) == 1 and not raw.isupper()
        if lone and entity_key(raw) == low and low not in PLACES:
            continue
        if low in MONTHS or low in WEEKDAYS or low in _ASPECTS or low in ("however", "while", "although"):
            continue
        out.append((start, start + len(raw), entity_key(raw)))
    return out


def aspects_of(words: list[str]) -> list[str]:
    return sorted({_ASPECTS[w.lower()] for w in words if w.lower() in _ASPECTS})


def _clauses(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_RE.finditer(text):
        # Commas inside numbers ("45,000") are not clause breaks; the regex needs ", ".
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _subject(
    ents: list[tuple[int, int, str]], clause: tuple[int, int], at: int
) -> tuple[int, int, str] | None:
    """Nearest entity before the value in its clause, else before it in the sentence, else after it."""
    before = [e for e in ents if e[1] <= at]
    in_clause = [e for e in before if e[0] >= clause[0]]
    after = [e for e in ents if at <= e[0] < clause[1]]
    if in_clause or before:
        return (in_clause or before)[-1]
    return after[0] if after else None


# Past forms not ending in -ed that report news events.
_IRREGULAR = frozenset(
    """
    won met took made gave struck held led began fell rose sent sought wrote left lost became came went ran
    saw brought hit shot stood sold bought paid kept quit fled flew drew threw broke chose spent withdrew
    """.split()
)
_WORD_SPAN_RE = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def _event_verb(sent: str, clause: tuple[int, int], vs: int, ve: int) -> str | None:
    """Stem of the verb nearest a date within its clause ('died Wednesday', 'on Monday ruled')."""
    words = list(_WORD_SPAN_RE.finditer(sent, clause[0], clause[1]))
    before = [m for m in words if m.end() <= vs][::-1][:4]
    after = [m for m in words if m.start() >= ve][:4]
    for pair in zip(before + [None] * 4, after + [None] * 4, strict=False):
        for m in pair:
            if m is None or not m.group()[0].islower():
                continue
            w = m.group()
            if (len(w) >= 4 and w.endswith("ed")) or w in _IRREGULAR:
                return stem(w)
    return None


def _near(sent: str, vs: int, ve: int) -> list[str]:
    """Two words before and after a value, lower-cased ('weiner', '#', 'is', 'married')."""
    before = [w.lower() for w in _WORD_SPAN_RE.findall(sent[max(0, vs - 60) : vs])][-2:]
    after = [w.lower() for w in _WORD_SPAN_RE.findall(sent[ve : ve + 60])][:2]
    return [*before, "#", *after]


def _head_noun(sent: str, ve: int) -> tuple[str, list[str]] | None:
    """The noun a value is an amount of, with its modifiers: '$447 billion jobs package' -> package, [job]."""
    words: list[str] = []
    prev = ve
    for m in _WORD_SPAN_RE.finditer(sent, ve, min(len(sent), ve + 60)):
        w = m.group()
        if sent[prev : m.start()].strip():
            break  # punctuation ends the noun phrase
        prev = m.end()
        if not words and w in ("of", "in", "worth"):
            continue  # '49% of voters', '$225 billion in initiatives', '$9,000 worth of televisions'
        if w[0].isupper() and not words:
            continue  # '$3.5 trillion Biden plan': a name modifies the noun
        low = w.lower()
        if not w[0].islower() or low in STOP_WORDS or low.endswith("ed") or "’" in w or "'" in w:
            break
        if stem(low) in SPEECH_STEMS:
            break
        words.append(low)
        if len(words) == 3:
            break
    if not words:
        return None
    return stem(words[-1]), sorted(stem(w) for w in words[:-1])


def _names(ents: list[tuple[int, int, str]]) -> list[str]:
    """Name words of a sentence's entities, without places, titles and calendar words."""
    out: set[str] = set()
    for _, _, key in ents:
        if is_place(key):
            continue
        for w in re.split(r"[\s.-]+", key):
            if (
                len(w) > 2
                and w not in STOP_WORDS
                and w not in TITLE_WORDS
                and w not in WEEKDAYS
                and w not in MONTHS
                and not is_place(w)
            ):
                out.add(w)
    return sorted(out)


def sentence_measures(
    source_id: str, text: str, start: int, end: int, quantities: list[Quantity], dates: list[DateMention],
    published_year: int | None,
) -> list[Measure]:  # fmt: skip
    """Measures for the values of one sentence ``text[start:end]``; value offsets are absolute."""
    sent = text[start:end]
    ents = entities(sent)
    sent_years = years_in(sent, published_year)
    values: list[tuple[int, int, Quantity | None, DateMention | None]] = [
        (q.start - start, q.end - start, q, None) for q in quantities
    ] + [(d.start - start, d.end - start, None, d) for d in dates]
    values.sort(key=lambda v: v[0])
    clauses = _clauses(sent)
    low_stems = sorted(
        {stem(w) for w in _WORD_SPAN_RE.findall(sent) if w[0].islower()}
        - SPEECH_STEMS
        - {stem(w) for w in STOP_WORDS}
    )
    all_words = sorted({w.lower() for w in _WORD_SPAN_RE.findall(sent)})
    out: list[Measure] = []
    for i, (vs, ve, q, d) in enumerate(values):
        head = _head_noun(sent, ve) if q is not None else None
        clause = next((c for c in clauses if c[0] <= vs < max(c[1], c[0] + 1)), (0, len(sent)))
        left_from = clause[0]
        if i > 0 and values[i - 1][1] > clause[0]:
            gap = sent[values[i - 1][1] : vs]
            conj = _CONJ_RE.search(gap)
            left_from = values[i - 1][1] + conj.start() if conj else vs
        right_to = clause[1]
        if i + 1 < len(values) and values[i + 1][0] < clause[1]:
            gap = sent[ve : values[i + 1][0]]
            conj = _CONJ_RE.search(gap)
            right_to = ve + conj.start() if conj else values[i + 1][0]
        incl = list(re.finditer(r"\b(?:including|such as|among them)\b", sent[left_from:vs]))
        if incl:
            left_from += incl[-1].end()
        context = sent[left_from:vs] + " " + sent[ve:right_to]
        subj = _subject(ents, clause, vs)
        if q is not None and q.unit == "years-old":
            # 'Cowan, 64,': the age belongs to the name just before it, even first in the sentence.
            named = re.search(r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}),\s*$", sent[max(0, vs - 50) : vs])
            if named:
                at = max(0, vs - 50) + named.start(1)
                subj = (at, at + len(named.group(1)), entity_key(named.group(1)))
        subject = subj[2] if subj else None
        subject_words = f"{subject or ''} {sent[subj[0] : subj[1]] if subj else ''}".split()
        drop = {stem(w) for w in subject_words} | {"year", "month", "week", "day"}
        stems = content_stems(context, drop)
        if d is not None:
            stems = [s for s in stems if s not in SPEECH_STEMS]
        clause_text = sent[clause[0] : clause[1]]
        years = years_in(clause_text, published_year) or sent_years
        if d is not None and d.year:
            years = set()
        words = re.findall(r"[A-Za-z][\w’'-]*", context)
        statement = " ".join(clause_text.split()).strip(" ,.")
        if len(statement) < 25:
            statement = " ".join(sent.split())
        q_start, q_end = (start, end) if end - start <= 320 else (start + clause[0], start + clause[1])
        out.append(
            Measure(
                source_id=source_id,
                kind="number" if q else "date",
                quantity=q,
                date=d,
                subject=subject,
                subject_text=sent[subj[0] : subj[1]] if subj else None,
                stems=sorted(set(stems)),
                aspects=aspects_of(words),
                years=sorted(years),
                quote_start=q_start,
                quote_end=q_end,
                statement=statement[:200],
                words=[w for w in words if w.lower() not in STOP_WORDS],
                event=_event_verb(sent, clause, vs, ve) if d is not None else None,
                names=_names(ents) if d is not None else [],
                sentence_stems=low_stems if d is not None else [],
                sentence_words=all_words,
                near=_near(sent, vs, ve),
                head=head[0] if head else None,
                modifiers=head[1] if head else [],
            )
        )
    return out


def row_measure(
    source_id: str, row_start: int, row_end: int, label: str, header: str, caption: str | None,
    quantity: Quantity, published_year: int | None, statement: str,
) -> Measure:  # fmt: skip
    """The measure of one table cell: row label x column header, in the caption's context."""
    context = f"{header} {caption or ''}"
    subject = entity_key(label) if label else None
    drop = {stem(w) for w in (subject or "").split()}
    years = years_in(f"{header} {caption or ''}", published_year)
    words = re.findall(r"[A-Za-z][\w’'-]*", context)
    return Measure(
        source_id=source_id,
        kind="number",
        quantity=quantity,
        subject=subject,
        subject_text=label,
        stems=sorted(set(content_stems(context, drop))),
        aspects=aspects_of(words),
        years=sorted(years),
        quote_start=row_start,
        quote_end=row_end,
        statement=statement,
        label=f"{label} — {header}",
        words=[w for w in words if w.lower() not in STOP_WORDS],
    )


def header_unit(header: str) -> str | None:
    """Unit named by a column header: 'Production (tonnes)' -> 't', 'Share (%)' -> '%'."""
    m = re.search(r"\(([^)]*)\)", header)
    probe = m.group(1) if m else header
    for q in parse_quantities(f"1 {probe}"):
        if q.unit and not q.unit.startswith("n:"):
            return q.unit
    if re.search(r"\b(share|percent|percentage|rate)\b|%", header, re.I):
        return "%"
    return None


def is_place(key: str) -> bool:
    return key in PLACES or key in _ALIASES.values()
