"""Do two stated values measure the same thing? Scores for pairs of :class:`Measure`.

The main test is shared context (measure words, subject, period, aspect).
Three narrower tests catch what wording differences hide, each guarded so
that two different statistics are not mistaken for one:

- the same sentence, reworded only around the value (wire copy, corrections);
- the same noun of the same unit ('$447 billion package' / '$670 billion package'),
  for values close to each other;
- a person's age ('Weiner, 46,' / 'Weiner, 32,');
- for dates, the same event verb next to the date with a shared name
  ('Powell died Monday' / 'Powell died Wednesday').
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from itertools import combinations

from briefing.reconcile.measures import SPEECH_STEMS, TITLE_WORDS, Measure, is_place
from briefing.text import STOP_WORDS


def subjects_match(a: str | None, b: str | None) -> bool | None:
    """True: same entity; False: surely different (two different places); None: unknown."""
    if not a or not b:
        return None
    if a == b:
        return True
    if is_place(a) and is_place(b):
        return False
    ta = {w for w in re.split(r"[\s.-]+", a) if w and w not in STOP_WORDS and w not in TITLE_WORDS}
    tb = {w for w in re.split(r"[\s.-]+", b) if w and w not in STOP_WORDS and w not in TITLE_WORDS}
    if ta & tb:
        return True
    # A value said of a named person ('Mr. Sestak, a two-term House member') is about that person only.
    # Both must be titled: an untitled name may be a wrongly chosen subject ('Trump ... the Biden plan').
    return False if _named_person(a) and _named_person(b) else None


_PERSON_TITLES = TITLE_WORDS | {"mrs", "miss", "representative", "congressman", "congresswoman", "speaker"}


def _named_person(key: str) -> bool:
    """'mr. sestak', 'sen. joe sestak', 'president obama': a title or honorific, then a name."""
    words = [w for w in re.split(r"[\s.-]+", key) if w]
    return len(words) >= 2 and words[0] in _PERSON_TITLES and not is_place(" ".join(words[1:]))


def _lower_stems(m: Measure) -> frozenset[str]:
    return m.lower_stems


def _same_dated_event(a: Measure, b: Measure) -> bool:
    """Same verb next to the date, a shared name and other shared words: one event, two dates.

    Reporting verbs ('said Monday', 'announced Sunday') never qualify: people speak every day.
    """
    if not a.event or a.event != b.event or a.event in SPEECH_STEMS:
        return False
    names = set(a.names) & set(b.names)
    others = (set(a.sentence_stems) & set(b.sentence_stems)) - {a.event}
    return len(names) >= 1 and len(others) >= 1


def _near_duplicate(a: Measure, b: Measure) -> bool:
    """The same sentence with the same words around the value: only the value differs."""
    wa, wb = set(a.sentence_words), set(b.sentence_words)
    if min(len(wa), len(wb)) < 5 or len(wa & wb) / len(wa | wb) < 0.6:
        return False
    return a.near == b.near and len(a.near) >= 4


def _bare_name(subject: str | None) -> str:
    words = re.split(r"[\s.]+", subject or "")
    return " ".join(w for w in words if w and w not in TITLE_WORDS and w not in STOP_WORDS)


def _same_age(a: Measure, b: Measure) -> bool:
    """A person has one age: 'Weiner, 46,' and 'Mr. Weiner, 32,' disagree."""
    assert a.quantity is not None and b.quantity is not None
    if a.quantity.unit != "years-old" or b.quantity.unit != "years-old":
        return False
    return bool(_bare_name(a.subject)) and _bare_name(a.subject) == _bare_name(b.subject)


def _parts(stems: list[str]) -> set[str]:
    return {p for s in stems for p in s.split("-") if p}


def _value(m: Measure) -> float | None:
    assert m.quantity is not None
    lo, hi = m.quantity.low, m.quantity.high
    return None if hi == float("inf") or hi <= 0 else (lo + hi) / 2


def _same_noun(a: Measure, b: Measure) -> bool:
    """The same unit and noun ('$447 billion jobs package' / '$670 billion package'), values close."""
    assert a.quantity is not None
    unit = a.quantity.unit
    if unit is None or unit.startswith("n:") or unit == "years-old" or not a.head or a.head != b.head:
        return False
    if a.modifiers and b.modifiers and not _parts(a.modifiers) & _parts(b.modifiers):
        return False  # 'infrastructure plan' vs 'spending plan'
    va, vb = _value(a), _value(b)
    # Further apart than this, two amounts of one noun are usually two different things.
    return va is not None and vb is not None and max(va, vb) <= 1.7 * min(va, vb)


def match_score(a: Measure, b: Measure) -> float | None:
    """How surely two values measure the same thing, or None when they cannot."""
    if a.kind != b.kind:
        return None
    need = 2.0
    narrow = _near_duplicate(a, b)
    if a.kind == "number":
        assert a.quantity is not None and b.quantity is not None
        ua, ub = a.quantity.unit, b.quantity.unit
        if ua != ub:
            loose = (ua is None and (ub or "").startswith("n:")) or (
                ub is None and (ua or "").startswith("n:")
            )
            if not loose:
                return None
            need += 1
        narrow = narrow or _same_age(a, b) or _same_noun(a, b)
    elif _same_dated_event(a, b) and subjects_match(a.subject, b.subject) is not False:
        return 2.0 + len(set(a.sentence_stems) & set(b.sentence_stems))
    elif not narrow:
        # Dates need more shared context ("met on Sunday" is not the meeting "on Thursday"),
        # and names alone do not make the same event: two lower-case event words must match.
        need += 2
        events = {w for w in set(a.stems) & set(b.stems) if w in _lower_stems(a) and w in _lower_stems(b)}
        if len(events) < 2:
            return None
    same_subject = subjects_match(a.subject, b.subject)
    if same_subject is False:
        return None
    if not same_subject:
        need += 1
    if a.years and b.years and not set(a.years) & set(b.years):
        return None
    if a.aspects and b.aspects and not set(a.aspects) & set(b.aspects):
        return None
    shared = set(a.stems) & set(b.stems)
    smaller = min(len(a.stems), len(b.stems)) or 1
    if not narrow and (len(shared) < need or len(shared) / smaller < 0.3):
        return None
    return (
        len(shared)
        + (2 if narrow else 0)
        + (2 if a.subject and a.subject == b.subject else 0)
        + (1 if set(a.aspects) & set(b.aspects) else 0)
    )


def block_keys(m: Measure) -> list[Hashable]:
    """Keys two measures must share one of for :func:`match_score` to match them.

    Every test above needs one of these in common: two shared context stems (the
    main test always needs at least two), the same words around the value, the
    same counted noun, the same person's age, or the same dated event with a
    shared name. Comparing only measures that share a key keeps reconciliation
    near-linear in the number of articles.
    """
    keys: list[Hashable] = [("stems", a, b) for a, b in combinations(m.stems, 2)]
    if len(m.near) >= 4:
        keys.append(("near", *m.near))
    if m.quantity is not None:
        unit = m.quantity.unit
        if m.head and unit is not None and not unit.startswith("n:") and unit != "years-old":
            keys.append(("head", m.head))
        if unit == "years-old" and _bare_name(m.subject):
            keys.append(("age", _bare_name(m.subject)))
    elif m.event and m.event not in SPEECH_STEMS:
        keys.extend(("event", m.event, name) for name in m.names)
    return keys
