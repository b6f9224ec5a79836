"""Readable topics: name the thing in dispute, from the aligned passages themselves.

"Number of people killed", "When the committee voted on the bill", "Who signed
the accord", "Where the senator made the remark", "How Jane Roe was quoted". A
topic is built from the words of the passages (the clause before a date or a
place, the noun a number counts), never from a bag of shared words.
"""

from __future__ import annotations

import re

from briefing.reconcile import lexicon
from briefing.reconcile.records import FactRecord

_MAX_WORDS = 9


def _clause_before(text: str, pos: int, start: int) -> str:
    """The clause that ends at ``pos``: from the last comma, colon or sentence start."""
    before = text[start:pos]
    cut = max(before.rfind(", "), before.rfind(": "), before.rfind("; "), before.rfind("— "))
    clause = before[cut + 2 :] if cut >= 0 else before
    words = clause.split()
    preps = lexicon.words("place_prepositions.txt") | {
        "on",
        "by",
        "of",
        "for",
        "to",
        "the",
        "and",
        "last",
        "this",
    }
    while words and words[-1].lower().strip(",") in preps:
        words.pop()
    words = words[-_MAX_WORDS:]
    if words and words[0] in ("The", "A", "An", "On", "In", "At", "And", "But") and len(words) > 1:
        words[0] = words[0].lower()
    return " ".join(words).strip(' ,;:—-“”"')


# What a figure in this unit answers; other units are named in brackets.
_UNIT_LEADS = {
    "day": "How long",
    "week": "How long",
    "month": "How long",
    "year": "How long",
    "USD": "How much",
    "EUR": "How much",
    "GBP": "How much",
    "JPY": "How much",
    "%": "What share",
    "years-old": "Age",
    "tally": "Vote",
}
_DATELINE_RE = re.compile(r"^[A-Z][A-Z .,'’-]+\s*(?:--?|—|–)+\s*")
_ASIDE_RE = re.compile(r"\s*\([^)]*\)")
_CLAUSE_END_RE = re.compile(r"[,;:—–()\"“”]|\s--?\s|[.!?](?:\s|$)")


def _tidy(clause: str) -> str:
    """A clause without a dateline ("CITY —") or asides in brackets ("(R-State)")."""
    return " ".join(_ASIDE_RE.sub("", _DATELINE_RE.sub("", clause)).split())


def _names_only(clause: str) -> bool:
    """The clause says who, not what: no lower-case content word."""
    stops = lexicon.stop_words()
    return not any(w[:1].islower() and w.lower() not in stops for w in re.findall(r"[\w’'-]+", clause))


def _after(text: str, pos: int, end: int, words: int = 6) -> str:
    """The words after ``pos`` up to the end of their clause: what happened ("released a report")."""
    rest = text[pos:end]
    cut = _CLAUSE_END_RE.search(rest)
    return " ".join(rest[: cut.start() if cut else len(rest)].split()[:words])


def _thing(a: FactRecord) -> str:
    """What a figure measures, as written after it, without its unit in brackets."""
    thing = re.sub(r"\s*\([^)]*\)$", "", a.subject.strip())
    return "" if _names_only(thing) or thing == (a.quantity.unit if a.quantity else None) else thing


def _short(clause: str, words: int = 5) -> str:
    """The last few words of a clause, from a content word on ('to raise the debt limit')."""
    parts = clause.split()[-words:]
    stops = lexicon.stop_words()
    while len(parts) > 1 and parts[0].lower().strip(",") in stops:
        parts.pop(0)
    return " ".join(parts)


def _display(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def topic(kind: str, a: FactRecord, text: str) -> str:
    """A topic for a disagreement whose first side is ``a`` (``text`` is a's source text)."""
    if a.label and a.kind in ("number", "date", "statement"):
        return a.label
    if kind == "number":
        thing = a.subject.strip()
        unit = a.quantity.unit if a.quantity else None
        if unit and not unit.startswith("n:"):
            # A sum or a share is of the thing named after it; a span of time is of what lasts it.
            thing = "" if _UNIT_LEADS.get(unit) == "How long" else _thing(a)
            clause = thing or _short(_tidy(_clause_before(text, a.value_start, a.start)))
            lead = _UNIT_LEADS.get(unit, f"Figure ({unit})")
            return f"{lead}: {clause}" if clause else lead
        if thing.endswith(")"):
            return f"Size of the {thing}"  # "Size of the indictment (pages)"
        return f"Number of {thing}" if thing else "Figures"
    if kind == "date":
        clause = _tidy(_clause_before(text, a.value_start, a.start))
        if _names_only(clause):  # "Rep. Roe on Thursday released a report": who, then what
            clause = " ".join(f"{clause} {_after(text, a.value_end, a.end)}".split())
        return f"When {clause}" if clause else "Date"
    if kind == "place":
        clause = _clause_before(text, a.value_start, a.start)
        return f"Where {clause}" if clause else "Place"
    if kind == "title":
        return f"{a.subject}'s title"
    if kind == "person":
        after = re.findall(r"[\w’'-]+", text[a.value_end : a.end])[:5]
        return f"Which {_display(a.names[-1])} {' '.join(after)}".strip()
    if kind == "agent":
        return f"Who {a.verb or 'did it'}: {a.subject}" if not a.verb else f"Who {a.verb} {a.subject}"
    if kind == "quote":
        return f"How {_display(a.subject)} was quoted" if a.subject else "How the same words were quoted"
    words = text[a.start : a.end].split()[:_MAX_WORDS]
    return "Conflicting accounts: " + " ".join(words)
