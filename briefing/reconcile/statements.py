"""Incompatible statements: one sentence, reworded, that says the opposite of the other.

Two ways a sentence can contradict its counterpart in another outlet: one denies what the other
asserts (a negation), or the two put words that exclude each other in the same place
("approved" and "rejected", "photo" and "video"). The word pairs live in ``data/contrasts.txt``.
Both need the two sentences to report one event: most of their content words alike, and
neither sentence using both words of the pair (then it reports both, not one against the other).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from briefing.reconcile import lexicon
from briefing.reconcile.numbers import stem
from briefing.reconcile.records import FactRecord

Verdict = Literal["agree", "conflict"] | None

_NEGATION_SIMILARITY = 0.75  # content alignment for a negation: nearly all the words alike
_SHARED_KEYS = 6  # of the eight longest words, for a negation: the same sentence, reworded
_CONTRAST_SIMILARITY = 0.5  # content alignment for a contrast pair (its own words differ by design)
_CONTRAST_SHARED = 4  # content words, besides the pair, the two sentences share
_MAX_QUOTED = 0.5  # share of a sentence inside quotation marks beyond which it is a quotation
_NEGATION_LENGTH_RATIO = 1.25  # a negation must sit in the same words, not in an added clause
_MAX_LENGTH_RATIO = 1.5  # one sentence much longer says more: added detail, not a denial


@cache
def contrasts() -> dict[str, frozenset[str]]:
    """Stem -> the stems of words that exclude it (both directions)."""
    out: dict[str, set[str]] = {}
    for line in lexicon.ordered("contrasts.txt"):
        left, _, right = " ".join(line).partition("|")
        for x in left.split():
            for y in right.split():
                out.setdefault(stem(x), set()).add(stem(y))
                out.setdefault(stem(y), set()).add(stem(x))
    return {k: frozenset(v) for k, v in out.items()}


def _stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", text.lower())}


def contrast(a: FactRecord, b: FactRecord) -> tuple[str, str] | None:
    """The pair of excluding words the two sentences put against each other, if any.

    Only in the same place: told of the same someone or something (a content word alike before
    each word of the pair, in its clause). "Roe wins the seat" and "the mayor's candidate loses
    the seat" tell of two people, and agree; "the council approved" and "the council rejected"
    do not.
    """
    sa, sb = _stems(a.value), _stems(b.value)
    pairs = contrasts()
    for x in sorted(sa - sb):
        for y in sorted(pairs.get(x, frozenset()) & (sb - sa)):
            before_a, before_b = _told_of(a.value, x), _told_of(b.value, y)
            if before_a and before_b and not before_a & before_b:
                continue
            return x, y
    return None


_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]| - ")


def _told_of(sentence: str, word_stem: str) -> set[str]:
    """Stems of the content words before the first word of ``word_stem`` in its clause."""
    stops = lexicon.stop_words()
    for m in re.finditer(r"[A-Za-z][\w’'-]*", sentence):
        if stem(m.group()) == word_stem:
            clause = _CLAUSE_BREAK.split(sentence[: m.start()])[-1]
            words = re.findall(r"[a-z]+", clause.lower())
            return {stem(w) for w in words if w not in stops and len(w) > 2}
    return set()


def _quoted_share(sentence: str) -> float:
    inside = sum(len(m) for m in re.findall(r"“[^”]*”|\"[^\"]*\"", sentence))
    return inside / max(len(sentence), 1)


def statement_difference(a: FactRecord, b: FactRecord, sim: float) -> Verdict:
    if max(_quoted_share(a.value), _quoted_share(b.value)) > _MAX_QUOTED:
        return None  # mostly someone's words: compared as a quotation, word by word
    la, lb = len(a.value.split()), len(b.value.split())
    if max(la, lb) > _MAX_LENGTH_RATIO * min(la, lb):
        return None  # one sentence says much more: added detail, not a denial
    pair = contrast(a, b)
    if (
        pair is not None
        and sim >= _CONTRAST_SIMILARITY
        and len((a.context & b.context) - set(pair)) >= _CONTRAST_SHARED
    ):
        return "conflict"
    if len(a.keys & b.keys) >= _SHARED_KEYS and sim >= _NEGATION_SIMILARITY:
        if ("negated" in a.flags) == ("negated" in b.flags):
            return "agree"
        # A "not" in a clause only one sentence has ("..., and if not, no deal") denies nothing.
        return "conflict" if max(la, lb) <= _NEGATION_LENGTH_RATIO * min(la, lb) else None
    return None
