"""The aligner: which records, from different sources, report the same fact.

Records are blocked on their keys (a name, the unit and a word near a number,
a three-word run of a quotation...). A key shared by very many records names no particular fact, so
the work grows with the number of records, not with its square. Pairs are
then weighed by how much of their passages' content they share, rare words
counting more than common ones.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from briefing.reconcile.records import FactRecord

MAX_BLOCK = 32  # records sharing one key beyond this are too many to name one fact


class Aligner:
    def __init__(self, records: Sequence[FactRecord]) -> None:
        self.records = records
        passages: dict[tuple[str, int], frozenset[str]] = {}
        for r in records:
            if "fragment" not in r.flags:  # a few quoted words inside a sentence already counted
                passages.setdefault((r.source_id, r.start), r.context)
        df: Counter[str] = Counter()
        for ctx in passages.values():
            df.update(ctx)
        n = len(passages) + 1
        self._idf = {t: math.log(1 + n / (c + 0.5)) for t, c in df.items()}
        self._default_idf = math.log(1 + n / 0.5)
        self._weights: dict[frozenset[str], float] = {}
        self._key_weights: dict[tuple[str, frozenset[str]], float] = {}
        key_df: Counter[str] = Counter()
        for r in records:
            key_df.update(f"{r.kind}|{k}" for k in r.keys)
        self.key_sizes = key_df
        self._key_idf = {k: math.log(1 + len(records) / (c + 0.5)) for k, c in key_df.items()}

    def weight(self, terms: frozenset[str]) -> float:
        w = self._weights.get(terms)
        if w is None:
            w = self._weights[terms] = sum(self._idf.get(t, self._default_idf) for t in terms)
        return w

    def similarity(self, a: FactRecord, b: FactRecord) -> float:
        """Weighted overlap of two passages' content (0 to 1): the share of the smaller one the other has."""
        shared = a.context & b.context
        if not shared:
            return 0.0
        small = min(self.weight(a.context), self.weight(b.context))
        return min(1.0, self.weight(shared) / small) if small else 0.0

    def key_similarity(self, a: FactRecord, b: FactRecord) -> float:
        """Weighted overlap of two records' keys: for numbers and dates, the words right around the value."""
        shared = a.keys & b.keys
        if not shared:
            return 0.0

        def w(keys: frozenset[str]) -> float:
            memo = self._key_weights.get((a.kind, keys))
            if memo is None:
                memo = sum(self._key_idf.get(f"{a.kind}|{k}", self._default_idf) for k in keys)
                self._key_weights[(a.kind, keys)] = memo
            return memo

        small = min(w(a.keys), w(b.keys))
        return min(1.0, w(shared) / small) if small else 0.0

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Index pairs (i < j) of records of one kind from different sources that share a usable key."""
        sizes = self.key_sizes
        blocks: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(self.records):
            for k in r.keys:
                if 2 <= sizes[f"{r.kind}|{k}"] <= MAX_BLOCK:
                    blocks[f"{r.kind}|{k}"].append(i)
        seen: set[tuple[int, int]] = set()
        for members in blocks.values():
            if len(members) > MAX_BLOCK or len(members) < 2:
                continue
            for x, i in enumerate(members):
                sid = self.records[i].source_id
                for j in members[x + 1 :]:
                    if self.records[j].source_id != sid and (i, j) not in seen:
                        seen.add((i, j))
                        yield i, j
