"""Story grouping by components of the threshold graph equals complete linkage over the whole folder."""

from __future__ import annotations

import random

from briefing.stories import STORY_DISTANCE, cluster_labels


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def _texts(seed: int) -> list[str]:
    """Synthetic articles: each topic has its own words, all share a common pool, some are off-topic."""
    rng = random.Random(seed)
    common = [_word(rng) for _ in range(60)]
    topics = [[_word(rng) for _ in range(25)] for _ in range(12)]
    texts = []
    for _ in range(90):
        own = rng.choice(topics)
        words = rng.choices(own, k=rng.randint(15, 40)) + rng.choices(common, k=rng.randint(10, 40))
        rng.shuffle(words)
        texts.append(" ".join(words))
    texts += ["", "12 34", " ".join(rng.choices(common, k=30))]
    return texts


def _same_partition(a: list[int], b: list[int]) -> bool:
    pairs = dict(zip(a, b, strict=True))
    back = dict(zip(b, a, strict=True))
    return all(pairs[x] == y and back[y] == x for x, y in zip(a, b, strict=True))


def _full_complete_linkage(texts: list[str], distance: float) -> list[int]:
    """The reference: one dense complete-linkage clustering of every text (empty texts alone)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        strip_accents="unicode",
    ).fit_transform(texts)
    keep = [i for i in range(len(texts)) if matrix[i].nnz]
    found = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="complete", distance_threshold=distance
    ).fit_predict(matrix[keep].toarray())
    labels = list(range(1000, 1000 + len(texts)))
    for i, label in zip(keep, found, strict=True):
        labels[i] = int(label)
    return labels


def test_cluster_labels_blocking_matches_full_complete_linkage() -> None:
    for seed in (1, 2, 3):
        texts = _texts(seed)
        for distance in (STORY_DISTANCE, 0.6, 0.95):
            got = cluster_labels(texts, distance)
            want = _full_complete_linkage(texts, distance)
            assert _same_partition(got, want), (seed, distance)
            assert 1 < len(set(got)) < len(texts)
