"""Numbers as news states them: value, unit, the thing counted, and how exact.

"12,000 tonnes", "12k t" and "12 thousand tonnes" are one quantity; "about
12,000" agrees with 12,130; "30-35%" agrees with "about 33%". Spans index the
text given, so callers can cite the verbatim passage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from briefing.reconcile import lexicon
from briefing.reconcile.dates import calendar_words, months


@dataclass(frozen=True)
class Quantity:
    """A number as stated: ``text[start:end]`` is its surface form."""

    start: int
    end: int
    low: float
    high: float
    unit: str | None = None  # '%', 't', 'USD', ... or 'n:<noun stem>' for counts of things
    approx: bool = False
    digits: int = 0  # significant digits of the stated value, for rounding tolerance
    raw: str = ""
    against: float | None = None  # a tally's second number ("voted 7-2": 2); the first is ``low``

    def replace(self, **kw: object) -> Quantity:
        from dataclasses import replace

        return replace(self, **kw)  # type: ignore[arg-type]  # dataclasses.replace is typed loosely


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A word's Snowball (Porter 2) English stem: 'offer', 'offered', 'offers' -> 'offer'."""
    w = word.lower().strip(".'’-")
    if w.endswith("’s") or w.endswith("'s"):
        w = w[:-2]
    w = w.replace("-", "")  # "e-mails" and "emails" are one word
    if len(w) <= 3:
        return w
    return str(_english().stemWord(w))


@cache
def _english() -> Any:  # snowballstemmer ships no type information
    # Porter 2 gives every inflection of a word one stem ("offer", "offered", "offers"), which a
    # suffix list does not ("offer" lost its "-er" as if it were a suffix).
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def _res() -> dict[str, re.Pattern[str]]:
    def alt(forms: Iterable[str]) -> str:
        return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))

    units = lexicon.pairs("units.txt")
    return {
        "num": re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"),
        "wordnum": re.compile(r"\b(" + alt(lexicon.numbers("number_words.txt")) + r")\b", re.I),
        # A larger number before a smaller one is a tally or a score, not a range ("voted 7-2", "9-to-0").
        "tally": re.compile(r"(?:-|–|—|-to-)(\d{1,3})(?![\d%-]|[.,]\d)"),
        "tally_to": re.compile(r"\s+to\s+(\d{1,3})(?![\d%-]|[.,]\d)"),
        "range": re.compile(r"\s*(?:-|–|—|to|-to-|and|or)\s*[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"),
        "scale": re.compile(r"\s?(" + alt(lexicon.numbers("scales.txt")) + r")(?![\w])", re.I),
        "unit": re.compile(r"\s?(" + alt(units) + r")(?![\w])", re.I),
        "currency": re.compile(r"(" + alt(lexicon.pairs("currencies.txt")) + r")\s?$", re.I),
    }


@cache
def hedge_forms() -> frozenset[str]:
    """The hedges that may stand before a figure, as written ("nearly", "more than", "up to")."""
    return frozenset(lexicon.pairs("hedges.txt"))


def tally_cues() -> frozenset[str]:
    """Words that make a pair of numbers a vote count ("vote", "tally")."""
    return lexicon.groups("tally_cues.txt")["cue"]


def _vote_near(text: str, start: int, end: int) -> bool:
    """A vote word just before the number or right after its pair ("a vote of 121 to 58")."""
    before = re.findall(r"[a-z]+", text[max(0, start - 24) : start].lower())
    after = re.findall(r"[a-z]+", text[end : end + 24].lower())[1:3]  # past "to"
    if set(before[-1:]) & lexicon.groups("tally_cues.txt")["change"] or (
        after and after[0] in lexicon.pairs("units.txt")
    ):
        return False  # "fell from 30 to 20", "30 to 20 percent": a change or a range
    return bool(tally_cues() & {*before[-3:], *after})


def _counted_after(text: str, end: int, num: str, frac: str | None) -> bool:
    """A larger number before a smaller one right after ``num`` ("bill 234-193"): a vote count."""
    if len(num) > 3 or frac is not None:
        return False
    counted = _res()["tally"].match(text, end)
    return counted is not None and int(counted.group(1)) <= int(num)


def _sig_digits(num: str) -> int:
    digits = num.replace(",", "").lstrip("0")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.rstrip("0")) or 1


def _hedge(text: str, start: int) -> str | None:
    """How a hedge word just before ``start`` bounds the number ('approx', 'lower', 'upper', 'near')."""
    before = text[max(0, start - 24) : start].lower().replace("\u00a0", " ")
    if before.endswith("~"):
        return "approx"
    before = before.rstrip(" $€£")
    hedges = lexicon.pairs("hedges.txt")
    for word in sorted(hedges, key=len, reverse=True):
        if before.endswith(" " + word) or before == word:
            return hedges[word]
    return None


def _is_date_part(text: str, start: int, end: int) -> bool:
    names = months()
    before = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, start - 12) : start])
    if before and before.group(1).lower() in names and before.group(1) != "may":
        return True
    after = re.match(r"\s*(?:st|nd|rd|th)?\s+([A-Za-z]+)", text[end : end + 14])
    return bool(after and after.group(1).lower() in names and after.group(1) != "may")


def _is_label(word: str) -> bool:
    low = word.lower()
    if low in lexicon.words("number_labels.txt"):
        return True
    # A capitalised non-function word right before a number names something ("Apollo 11").
    return (
        word[0].isupper() and low.rstrip(".") not in lexicon.stop_words() and _hedge(word, len(word)) is None
    )


def _is_year(num: str, frac: str | None) -> bool:
    return frac is None and len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100


def count_noun(text: str, pos: int) -> str | None:
    """The noun a bare number counts ('12 people' -> 'people'), as written."""
    m = re.match(
        r"(?:\s+|-)(?:more\s+|additional\s+|new\s+|other\s+)?([A-Za-z][a-z-]+)", text[pos : pos + 40]
    )
    if not m or m.group(1).lower() in lexicon.stop_words():
        return None
    word = m.group(1)
    # A capitalised word is a name or a month ("12 March", "3 Main"), but a capitalised plural
    # counts people of a place or a party ("155 Islanders, three visitors").
    if word[0].isupper() and not _plural(word):
        # "23 Harbour Democrats", "40 Council Greens": an institution's name before whom it counts.
        named = re.match(r"\s+([A-Z][a-z]+)(?![\w-])", text[pos + m.end() :])
        if named and _plural(named.group(1)) and word.lower() not in calendar_words():
            return named.group(1)
        return None
    return word


def _plural(word: str) -> bool:
    return len(word) > 4 and word.endswith("s") and not word.endswith("ss")


def _is_age(text: str, start: int, end: int, num: str, frac: str | None) -> bool:
    """'aged 46', 'died at 84', or 'Jane Roe, 46, is': a bare number set off by commas after a name."""
    if re.search(r"\b(?:aged?|at age|died at|dead at|dies at)\s+$", text[max(0, start - 12) : start]):
        return True
    if frac is not None or not num.isdigit() or not 1 <= int(num) <= 115 or text[end : end + 1] != ",":
        return False
    return bool(re.search(r"[A-Z][\w’'-]+,\s$", text[max(0, start - 30) : start]))


def _bounded(low: float, high: float, hedge: str | None) -> tuple[float, float]:
    if hedge == "lower":
        return low, math.inf
    if hedge == "upper":
        return 0.0, high
    if hedge == "near":
        return low * 0.9, high
    return low, high


def parse_quantities(text: str) -> list[Quantity]:
    """Numbers with their unit, scale, range and hedging, in order of appearance."""
    rx = _res()
    found: list[Quantity] = []
    taken_until = -1
    for m in rx["num"].finditer(text):
        start, end = m.start(), m.end()
        if start < taken_until:
            continue
        num, frac = m.group(1), m.group(2)
        prev = text[start - 1] if start else " "
        if prev.isalpha() or (prev == "-" and start >= 2 and text[start - 2].isalnum()):
            continue  # model numbers and codes
        if (
            prev in "/:#"
            or text[end : end + 1] in ("/", ":")
            or re.match(r"(?:st|nd|rd|th|s)\b", text[end : end + 3])
        ):
            continue  # dates, times, ordinals, decades
        if _is_date_part(text, start, end):
            continue
        label = re.search(r"(?:^|\s)([A-Za-z]+\.?)\s$", text[max(0, start - 20) : start])
        if label and _is_label(label.group(1)) and not _counted_after(text, end, num, frac):
            continue  # identifiers ("district 4", "No. 5"), not amounts ("passed the bill 234-193" is a vote)
        line_start = text[text.rfind("\n", 0, start) + 1 : start]
        if re.match(r"\.\s", text[end : end + 2]) and not line_start.strip(" -*#"):
            continue  # a list marker, not a figure
        cur_m = rx["currency"].search(text, max(0, start - 4), start)
        currency = lexicon.pairs("currencies.txt")[cur_m.group(1).lower()] if cur_m else None
        low = high = float(num.replace(",", "") + (frac or ""))
        digits = _sig_digits(num + (frac or ""))
        pos = end
        tally = rx["tally"].match(text, pos) if frac is None and not currency and len(num) <= 3 else None
        if tally is None and frac is None and not currency and len(num) <= 3 and _vote_near(text, start, end):
            tally = rx["tally_to"].match(text, pos)  # "by a vote of 121 to 58"
        # The smaller number first is a range ("ages 5-12") unless a vote is named ("voted 45-55").
        if tally and (int(tally.group(1)) <= int(num) or _vote_near(text, start, end)):
            stated, second = text[start : tally.end()], float(tally.group(1))
            found.append(Quantity(start, tally.end(), low, low, "tally", False, digits, stated, second))
            taken_until = tally.end()
            continue
        rng = rx["range"].match(text, pos)
        if rng and not (
            rng.group(0).strip().startswith("and")
            and not re.search(r"between\s+\S*$", text[max(0, start - 12) : start])
        ):
            second = float(rng.group(1).replace(",", "") + (rng.group(2) or ""))
            if (not _is_year(rng.group(1), rng.group(2)) or _is_year(num, frac)) and second > low:
                high, pos = second, rng.end()
        if _is_year(num, frac) and not currency and not rx["unit"].match(text, pos):
            continue
        scale = 1.0
        sm = rx["scale"].match(text, pos)
        if sm is None and text[pos : pos + 1] in '”"':
            # “…asking for $5.6” billion: the quotation closes between the figure and its scale.
            sm = rx["scale"].match(text, pos + 1)
            sm = sm if sm and sm.group(0)[:1] == " " and len(sm.group(1)) > 1 else None
        if sm:
            word = sm.group(1).lower()
            attached = sm.group(0)[:1] != " "
            if word in ("m", "b", "k") and not (attached and (currency or word != "m")):
                sm = None  # "5 m" is metres; "5k" and "$5m" are scales
            if sm:
                scale, pos = lexicon.numbers("scales.txt")[word], sm.end()
        # "$1 trillion+", "25+ years": the figure or more (not "5+3", a sum).
        plus = text[pos : pos + 1] == "+" and not text[pos + 1 : pos + 2].isdigit()
        pos += 1 if plus else 0
        unit = currency
        um = rx["unit"].match(text, pos)
        if um:
            unit = unit or lexicon.pairs("units.txt")[um.group(1).lower()]
            pos = um.end()
        elif unit is None and _is_age(text, start, pos, num, frac):
            unit = "years-old"
        elif unit is None:
            noun = count_noun(text, pos)
            unit = f"n:{stem(noun)}" if noun else None
        q_start = start - (len(cur_m.group(0)) if cur_m else 0)
        hedge = "lower" if plus else _hedge(text, q_start)
        low, high = _bounded(low * scale, high * scale, hedge)
        found.append(Quantity(q_start, pos, low, high, unit, hedge is not None, digits, text[q_start:pos]))
        taken_until = pos
    return sorted(found + _word_quantities(text, found), key=lambda q: q.start)


def _word_quantities(text: str, numeric: list[Quantity]) -> list[Quantity]:
    """'three million people', 'five deaths': spelled-out counts followed by a scale or noun."""
    rx = _res()
    out: list[Quantity] = []
    for m in rx["wordnum"].finditer(text):
        if any(q.start <= m.start() < q.end for q in (*numeric, *out)):
            continue
        value = lexicon.numbers("number_words.txt")[m.group(1).lower()]
        pos = m.end()
        # "two-dozen" is "two dozen": a hyphen joins a number to its scale as a space does.
        sm = rx["scale"].match(text, pos + 1) if text[pos : pos + 1] == "-" else rx["scale"].match(text, pos)
        if sm and len(sm.group(1)) > 3:
            value *= lexicon.numbers("scales.txt")[sm.group(1).lower()]
            pos = sm.end()
        else:
            sm = None
        um = rx["unit"].match(text, pos)
        unit = lexicon.pairs("units.txt")[um.group(1).lower()] if um else None
        if um:
            pos = um.end()
        noun = None if um else count_noun(text, pos)
        if noun is None and not sm and not um:
            continue
        if unit is None and noun is not None:
            unit = f"n:{stem(noun)}"
        hedge = _hedge(text, m.start())
        # "dozens", "hundreds" are vague by nature.
        vague = m.group(1).lower().endswith("s") and m.group(1).lower() not in ("tens",)
        low, high = _bounded(value, value, hedge)
        alternative = _alternative_before(text, m.start())
        if alternative is not None:
            # "two or three days": either value, so a range (scaled as the second one is).
            factor = value / (lexicon.numbers("number_words.txt")[m.group(1).lower()] or 1.0)
            low, high, vague = min(low, alternative * factor), max(high, alternative * factor), True
        out.append(
            Quantity(
                m.start(),
                pos,
                low,
                high,
                unit,
                hedge is not None or vague,
                1,
                text[m.start() : pos],
            )
        )
    return out


def _alternative_before(text: str, start: int) -> float | None:
    """The number in "<number> or" just before ``start`` ("two or three", "2 or 3"), else None."""
    m = re.search(r"\b([A-Za-z]+|\d+)\s+or\s+$", text[max(0, start - 24) : start])
    if m is None:
        return None
    word = m.group(1)
    return float(word) if word.isdigit() else spelled_number(word)


def spelled_number(word: str) -> float | None:
    """The value of a spelled-out number ("three" -> 3), else None."""
    return lexicon.numbers("number_words.txt").get(word.lower())


_SAME_PRECISION = 2  # significant digits from which two unequal figures are two figures


def values_agree(a: Quantity, b: Quantity) -> bool:
    """Whether two stated values could describe the same figure.

    Bare numbers agree within 2%; hedged ones within 10%; a precise figure
    agrees with a rounded one it rounds to (12,130 vs 12,000); ranges and
    bounds agree when they overlap.
    """
    if a.against is not None or b.against is not None:
        return (a.low, a.against) == (b.low, b.against)  # "7-2" and "7-1" are two different votes
    if _exact(a) and _exact(b):
        return a.low == b.low  # "47" and "48" pages: exact counts agree only when equal
    if (
        not (a.approx or b.approx)
        and a.low == a.high
        and b.low == b.high
        and a.low != b.low
        and a.digits == b.digits >= _SAME_PRECISION
    ):
        return False  # "$4.2 billion" and "$4.3 billion": two figures stated to one precision, not rounding
    tol = 0.10 if (a.approx or b.approx) else 0.02
    if a.low * (1 - tol) <= b.high * (1 + tol) and b.low * (1 - tol) <= a.high * (1 + tol):
        return True
    if a.low == a.high and b.low == b.high and a.low and b.low:
        rough, fine = (a, b) if a.digits <= b.digits else (b, a)
        if rough.digits >= 2:
            mag = 10.0 ** (math.floor(math.log10(abs(rough.low))) - rough.digits + 1)
            return abs(fine.low - rough.low) <= mag / 2
    return False


def _exact(q: Quantity) -> bool:
    """A precise whole number: not hedged, not a range, every digit significant (47, 1,203; not 12,000)."""
    if q.approx or q.low != q.high or q.low != int(q.low) or q.low <= 0:
        return False
    return q.digits >= len(str(int(q.low)))


def relative_gap(a: Quantity, b: Quantity) -> float:
    """How far apart two values are, relative to the larger (0 when they overlap)."""
    if a.low <= b.high and b.low <= a.high:
        return 0.0
    lo, hi = (a.high, b.low) if a.high < b.low else (b.high, a.low)
    return (hi - lo) / max(abs(hi), 1e-9)
