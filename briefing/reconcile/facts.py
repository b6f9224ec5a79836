"""Deterministic reading of numbers (and the words around them) out of sentences.

Reconciliation compares values stated by different sources; these helpers
turn surface forms into comparable values: "45,000 tonnes", "45k t" and
"45 thousand tonnes" are the same quantity; "about 45,000" agrees with
45,230; "85-90%" agrees with "about 88%". Spans always index the text given,
so callers can cite the verbatim passage. Dates live in :mod:`briefing.reconcile.dates`.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from pydantic import BaseModel

from briefing.reconcile.dates import MONTHS, WEEKDAYS
from briefing.text import STOP_WORDS

# fmt: off
_SCALES = {
    'hundred': 100.0, 'thousand': 1000.0, 'k': 1000.0, 'million': 1000000.0, 'mn': 1000000.0,
    'mln': 1000000.0, 'm': 1000000.0, 'billion': 1000000000.0, 'bn': 1000000000.0, 'b': 1000000000.0,
    'trillion': 1000000000000.0, 'tn': 1000000000000.0, 'tr': 1000000000000.0,
}
# fmt: on
# Units a reader treats as the same measure; keys are lower-cased surface forms.
# fmt: off
_UNITS = {
    '%': '%', 'percent': '%', 'per cent': '%', 'pct': '%', 'percentage points': 'pp',
    'percentage point': 'pp', 'points': 'pt', 'tonnes': 't', 'tonne': 't', 'tons': 't', 'ton': 't',
    'metric tons': 't', 'metric tonnes': 't', 't': 't', 'kg': 'kg', 'kilograms': 'kg', 'km': 'km',
    'kilometers': 'km', 'kilometres': 'km', 'miles': 'mi', 'mile': 'mi', 'dollars': 'USD',
    'dollar': 'USD', 'euros': 'EUR', 'barrels': 'bbl', 'years old': 'years-old',
    'year-old': 'years-old',
}
# fmt: on
# fmt: off
_CURRENCIES = {
    '$': 'USD', 'us$': 'USD', 'usd': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY',
}
# fmt: on
# fmt: off
_WORD_NUMBERS = {
    'two': 2, 'three': 3, 'four': 4, 'five': 5, 'six': 6, 'seven': 7, 'eight': 8, 'nine': 9, 'ten': 10,
    'eleven': 11, 'twelve': 12, 'fifteen': 15, 'twenty': 20, 'thirty': 30, 'forty': 40, 'fifty': 50,
    'sixty': 60, 'seventy': 70, 'eighty': 80, 'ninety': 90, 'hundred': 100, 'dozen': 12,
}
# fmt: on

# Words that widen (or bound) the tolerance of the number they precede.
# fmt: off
_APPROX = (
    'about', 'approximately', 'approx.', 'around', 'roughly', 'some', '~', 'an estimated', 'estimated',
    'almost', 'nearly', 'close to', 'up to', 'more than', 'over', 'at least', 'upwards of', 'less than',
    'under', 'fewer than', 'below', 'above', 'just over', 'just under', 'almost', 'at most',
    'as many as', 'as much as', 'an approximate',
)
# fmt: on
_LOWER_BOUND = {"more than", "over", "at least", "upwards of", "above", "just over"}
_UPPER_BOUND = {"less than", "under", "fewer than", "below", "up to", "at most", "as many as", "as much as"}
_NEAR_BELOW = {"almost", "nearly", "just under"}

_NUM_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_WORDNUM_RE = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)
_RANGE_RE = re.compile(r"\s*(?:-|–|—|to|-to-|and)\s*[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_SCALE_RE = re.compile(r"\s?(hundred|thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b)(?![\w])", re.I)
_UNIT_RE = re.compile(
    r"\s?(%|percentage points?|per cent|percent|pct|metric tons|metric tonnes|tonnes|tonne|tons|ton|t|kg|"
    r"kilograms|km|kilometers|kilometres|miles|mile|dollars|dollar|euros|barrels|years old|-year-old|"
    r"year-old)"
    r"(?![\w])",
    re.I,
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")


class Quantity(BaseModel):
    """A number as stated: ``text[start:end]`` is its surface form."""

    start: int
    end: int
    low: float
    high: float
    unit: str | None = None  # '%', 't', 'USD', ... or 'n:<noun stem>' for counts of things
    approx: bool = False
    digits: int = 0  # significant digits of the stated value, for rounding tolerance
    raw: str = ""


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude suffix stripper: 'produced', 'production', 'producer' -> 'produc'."""
    w = word.lower().strip(".'’-")
    if w.endswith("’s") or w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, repl in (("uctions", "uc"), ("uction", "uc"), ("uctive", "uc")):
        if w.endswith(suffix):
            return w[: -len(suffix)] + repl
    for suffix in ("ations", "ation", "ions", "ion", "ings", "ing", "ers", "ies", "ied", "ed", "er", "es",
                   "s", "e", "y", "al"):  # fmt: skip
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _sig_digits(num: str) -> int:
    digits = num.replace(",", "").lstrip("0")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.rstrip("0")) or 1


def _preceding_approx(text: str, start: int) -> str | None:
    before = text[max(0, start - 24) : start].lower().replace("\u00a0", " ")
    if before.endswith("~"):
        return "~"
    before = before.rstrip(" $€£")
    for word in sorted(_APPROX, key=len, reverse=True):
        if before.endswith(" " + word) or before == word:
            return word
    return None


def _is_date_part(text: str, start: int, end: int) -> bool:
    before = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, start - 12) : start])
    if before and before.group(1).lower() in MONTHS and before.group(1).lower() != "may":
        return True
    after = re.match(r"\s*(?:st|nd|rd|th)?\s+([A-Za-z]+)", text[end : end + 14])
    return bool(after and after.group(1).lower() in MONTHS and after.group(1).lower() != "may")


_LABEL_WORDS = frozenset(
    """
    number no no. district member story section article title chapter page room route flight game
    episode season phase item part act rule amendment precinct ward lot unit
    """.split()
)


def _is_label(word: str) -> bool:
    low = word.lower()
    if low in _LABEL_WORDS:
        return True
    # A capitalised non-function word right before a number names something ("Apollo 11").
    return word[0].isupper() and low.rstrip(".") not in STOP_WORDS and low.rstrip(".") not in _HEDGE_WORDS


_HEDGE_WORDS = frozenset(
    """
    about approximately approx around roughly nearly almost some over under estimated
    """.split()
)


def _is_year(num: str, frac: str | None) -> bool:
    return frac is None and len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100


def _count_noun(text: str, pos: int) -> str | None:
    m = re.match(
        r"(?:\s+|-)(?:more\s+|additional\s+|new\s+|other\s+)?([A-Za-z][a-z-]+)", text[pos : pos + 40]
    )
    if not m or m.group(1).lower() in STOP_WORDS or m.group(1)[0].isupper():
        return None
    return stem(m.group(1))


def _is_age(text: str, start: int, end: int, num: str, frac: str | None) -> bool:
    """'aged 46', 'died at 84', or 'Anthony Weiner, 46, is': a bare number set off by commas after a name."""
    if re.search(r"\b(?:aged?|at age|died at|dead at|dies at)\s+$", text[max(0, start - 12) : start]):
        return True
    if frac is not None or not num.isdigit() or not 1 <= int(num) <= 115 or text[end : end + 1] != ",":
        return False
    return bool(re.search(r"[A-Z][\w’'-]+,\s$", text[max(0, start - 30) : start]))


def parse_quantities(text: str) -> list[Quantity]:
    """Numbers with their unit, scale, range and hedging, in order of appearance."""
    found: list[Quantity] = []
    taken_until = -1
    for m in _NUM_RE.finditer(text):
        start, end = m.start(), m.end()
        if start < taken_until:
            continue
        num, frac = m.group(1), m.group(2)
        prev = text[start - 1] if start else " "
        nxt = text[end : end + 1]
        if prev.isalpha() or (prev == "-" and start >= 2 and text[start - 2].isalnum()):
            continue  # F-35, COVID-19, G7
        if prev in "/:#" or nxt in ("/", ":") or re.match(r"(?:st|nd|rd|th|s)\b", text[end : end + 3]):
            continue  # dates, times, ordinals, decades
        if _is_date_part(text, start, end):
            continue
        label = re.search(r"(?:^|\s)([A-Za-z]+\.?)\s$", text[max(0, start - 20) : start])
        if label and _is_label(label.group(1)):
            continue  # "Story 3", "district 4", "No. 5", "Title 42": identifiers, not amounts
        line_start = text[text.rfind("\n", 0, start) + 1 : start]
        if re.match(r"\.\s", text[end : end + 2]) and not line_start.strip(" -*#"):
            continue  # "1. Joint Research": a list marker, not a figure
        cur_m = re.search(r"(US\$|USD\s?|[$€£¥])\s?$", text[max(0, start - 4) : start])
        currency = _CURRENCIES[cur_m.group(1).strip().lower()] if cur_m else None
        low = float(num.replace(",", "") + (frac or ""))
        high = low
        digits = _sig_digits(num + (frac or ""))
        pos = end
        rng = _RANGE_RE.match(text, pos)
        if rng and not (
            rng.group(0).strip().startswith("and")
            and not re.search(r"between\s+\S*$", text[max(0, start - 12) : start])
        ):
            second = float(rng.group(1).replace(",", "") + (rng.group(2) or ""))
            if (not _is_year(rng.group(1), rng.group(2)) or _is_year(num, frac)) and second > low:
                high, pos = second, rng.end()
        if _is_year(num, frac) and not currency:
            after = text[pos : pos + 12]
            if not re.match(r"\s?(%|percent|per cent|tonnes|tons|people|million|billion)", after, re.I):
                continue
        scale = 1.0
        sm = _SCALE_RE.match(text, pos)
        if sm:
            word = sm.group(1).lower()
            attached = sm.group(0)[:1] != " "
            if word in ("m", "b", "k") and not (attached and (currency or word != "m")):
                sm = None  # "5 m" is metres; "5k" and "$5m" are scales
            if sm:
                scale, pos = _SCALES[word], sm.end()
        unit = currency
        um = _UNIT_RE.match(text, pos)
        if um:
            unit = unit or _UNITS[um.group(1).lower().lstrip("-")]
            pos = um.end()
        elif unit is None and _is_age(text, start, pos, num, frac):
            unit = "years-old"
        elif unit is None:
            noun = _count_noun(text, pos)
            unit = f"n:{noun}" if noun else None
        hedge = _preceding_approx(text, start - (len(cur_m.group(0)) if cur_m else 0))
        low, high = low * scale, high * scale
        if hedge in _LOWER_BOUND:
            high = math.inf
        elif hedge in _UPPER_BOUND:
            low = 0.0
        elif hedge in _NEAR_BELOW:
            low = low * 0.9
        q_start = start - (len(cur_m.group(0)) if cur_m else 0)
        found.append(
            Quantity(
                start=q_start,
                end=pos,
                low=low,
                high=high,
                unit=unit,
                approx=hedge is not None,
                digits=digits,
                raw=text[q_start:pos],
            )
        )
        taken_until = pos
    return found + _word_quantities(text, found)


def _word_quantities(text: str, numeric: list[Quantity]) -> list[Quantity]:
    """'three million people', 'five deaths': spelled-out counts followed by a scale or noun."""
    out: list[Quantity] = []
    for m in _WORDNUM_RE.finditer(text):
        if any(q.start <= m.start() < q.end for q in numeric):
            continue
        value = float(_WORD_NUMBERS[m.group(1).lower()])
        pos = m.end()
        sm = _SCALE_RE.match(text, pos)
        if sm and sm.group(1).lower() in ("hundred", "thousand", "million", "billion", "trillion"):
            value *= _SCALES[sm.group(1).lower()]
            pos = sm.end()
        noun = _count_noun(text, pos)
        if noun is None and not sm:
            continue
        hedge = _preceding_approx(text, m.start())
        out.append(
            Quantity(
                start=m.start(),
                end=pos,
                low=value,
                high=value,
                unit=f"n:{noun}" if noun else None,
                approx=hedge is not None,
                digits=1,
                raw=text[m.start() : pos],
            )
        )
    return sorted(out, key=lambda q: q.start)


def values_agree(a: Quantity, b: Quantity) -> bool:
    """Whether two stated values could describe the same figure.

    Bare numbers agree within 2%; hedged ones ("about", "~", "estimated")
    within 10%; a precise figure agrees with a rounded one it rounds to
    (45,230 vs 45,000); ranges and bounds agree when they overlap.
    """
    tol = 0.10 if (a.approx or b.approx) else 0.02
    a_lo, a_hi = a.low * (1 - tol), a.high * (1 + tol)
    if a_lo <= b.high * (1 + tol) and b.low * (1 - tol) <= a_hi:
        return True
    if a.low == a.high and b.low == b.high and a.low and b.low:
        rough, fine = (a, b) if a.digits <= b.digits else (b, a)
        if rough.digits >= 2:
            mag = 10.0 ** (math.floor(math.log10(abs(rough.low))) - rough.digits + 1)
            return abs(fine.low - rough.low) <= mag / 2
    return False


def relative_gap(a: Quantity, b: Quantity) -> float:
    """How far apart two values are, relative to the larger (0 when they overlap)."""
    if a.low <= b.high and b.low <= a.high:
        return 0.0
    lo, hi = (a.high, b.low) if a.high < b.low else (b.high, a.low)
    return (hi - lo) / max(abs(hi), 1e-9)


def content_stems(text: str, drop: set[str] | None = None) -> list[str]:
    """Stems of the content words of ``text``, in order, without stop words or ``drop``."""
    out: list[str] = []
    for w in _WORD_RE.findall(text):
        lw = w.lower().strip(".'’")
        if lw in STOP_WORDS or lw in _FILLER or lw in MONTHS or lw in WEEKDAYS or len(lw) < 2:
            continue
        s = stem(lw)
        if drop and (s in drop or lw in drop):
            continue
        out.append(s)
    return out


# Hedging, units and reporting words carry no information about *what* is measured.
_FILLER = frozenset(
    """
    about approximately approx around roughly nearly almost estimated estimate some percent per cent pct
    tonnes tonne tons ton metric kg dollars dollar euros million billion trillion thousand hundred more
    less than over under least fewer up staggering currently recently now just only reported reportedly
    total nearly announced stated noted added according data figure figures number numbers
    """.split()
)
