"""Merge: the same fact from several sources becomes one point citing all of them.

Two claims state the same fact when they share most of their content words
and carry the same numbers. Near-duplicate sources (the same wire copy
republished) are counted as one voice in ``independent_sources``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from briefing.models import Claim, Point, Source
from briefing.text import content_words

SIMILARITY = 0.6  # Dice overlap of content words above which two claims say the same thing
_MAX_POSTINGS = 200  # words this common don't identify a fact; skipping them keeps merging near-linear
_PROBE_WORDS = 4
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def voice_of(sources: Mapping[str, Source]) -> dict[str, str]:
    """Map each source id to the id of the independent voice it belongs to."""
    voice: dict[str, str] = {}
    for sid in sources:
        root, seen = sid, {sid}
        while (dup := sources[root].duplicate_of if root in sources else None) and dup not in seen:
            seen.add(dup)
            root = dup
        voice[sid] = root
    return voice


def opinion_of(sources: Mapping[str, Source]) -> frozenset[str]:
    """Ids of the opinion pieces: their sentences are cited, but corroborate no report."""
    return frozenset(sid for sid, source in sources.items() if source.opinion)


SAME_STORY = 0.12  # share of the shorter vocabulary two articles on one story have in common
_STORY_WORDS = 60


class StoryMatcher:
    """Do two sources report the same story?

    Compares each article's most frequent content words. Measured on the
    shared corpora: articles from three outlets on one event overlap by a
    median 0.31-0.33 (5th percentile 0.11-0.18), articles on different events
    by a median 0.05. A "disagreement" between articles on different stories
    (two different meetings, two people called Elizabeth) is not one.
    """

    def __init__(self, sources: Mapping[str, Source]) -> None:
        self.sources = sources
        self._vocab: dict[str, frozenset[str]] = {}

    def vocabulary(self, source_id: str) -> frozenset[str]:
        if source_id not in self._vocab:
            counts = Counter(
                w for w in content_words(self.sources[source_id].text) if len(w) > 2 and not w.isdigit()
            )
            self._vocab[source_id] = frozenset(w for w, _ in counts.most_common(_STORY_WORDS))
        return self._vocab[source_id]

    def overlap(self, a: str, b: str) -> float:
        """Share of the shorter of the two vocabularies that the other has too."""
        va, vb = self.vocabulary(a), self.vocabulary(b)
        return len(va & vb) / max(1, min(len(va), len(vb)))

    def same_story(self, a: str, b: str) -> bool:
        if a == b or a not in self.sources or b not in self.sources:
            return True
        return self.overlap(a, b) >= SAME_STORY


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text states, thousands separators removed (different numbers: different facts)."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def merge_claims(claims: Sequence[Claim], sources: Mapping[str, Source]) -> list[Point]:
    """Cluster claims into points, best first."""
    voice = voice_of(sources)
    opinion = opinion_of(sources)
    ordered = sorted(claims, key=lambda c: (-c.score, c.id))
    members: list[list[Claim]] = []
    words_of: list[frozenset[str]] = []
    numbers_of: list[frozenset[str]] = []
    index: dict[str, list[int]] = defaultdict(list)
    for claim in ordered:
        words = frozenset(content_words(claim.text))
        numbers = numbers_in(claim.text)
        best, best_sim = -1, SIMILARITY
        seen: set[int] = set()
        # A claim that says the same thing as a point shares its rarest words;
        # looking only through those keeps merging near-linear in claims.
        # Ties broken by the word itself: set order varies with the hash seed, and the brief must not.
        rare = sorted((w for w in words if w in index), key=lambda w: (len(index[w]), w))[:_PROBE_WORDS]
        for w in rare:
            postings = index[w]
            if len(postings) > _MAX_POSTINGS:
                continue
            for p in postings:
                if p in seen:
                    continue
                seen.add(p)
                # Different numbers mean a different fact (or a conflict, which
                # reconciliation handles), never the same point.
                if numbers != numbers_of[p]:
                    continue
                sim = _dice(words, words_of[p])
                if sim >= best_sim:
                    best, best_sim = p, sim
        if best >= 0:
            if all(m.source_id != claim.source_id for m in members[best]):
                members[best].append(claim)
            continue
        members.append([claim])
        words_of.append(words)
        numbers_of.append(numbers)
        for w in words:
            index[w].append(len(members) - 1)
    points: list[Point] = []
    for i, group in enumerate(members):
        # A passage relaying another outlet's report is cited, but is not a voice of its own; nor is a
        # column's restatement of the news.
        voices = {
            voice.get(c.source_id, c.source_id) for c in group if not c.relayed and c.source_id not in opinion
        } or {voice.get(group[0].source_id, group[0].source_id)}
        lead = group[0]
        points.append(
            Point(
                id=f"p{i}",
                text=lead.text,
                claims=group,
                score=round(lead.score + 0.35 * (len(voices) - 1), 6),
                independent_sources=len(voices),
            )
        )
    points.sort(key=lambda p: (-p.score, p.id))
    return points
