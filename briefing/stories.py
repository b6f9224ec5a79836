"""Stories: which sources in a folder report the same event.

A morning folder holds many stories. Articles are grouped by TF-IDF cosine
distance with complete-linkage agglomerative clustering (scikit-learn) cut at a
fixed distance, so the number of stories comes from the folder rather than
from a parameter. Stories are ordered by how many independent voices carry
them, then by recency.

Wire copies are one voice: two pages of the same agency's story (the same
dateline agency, most of their wording shared) count once even when an editor's
changes keep them under the near-duplicate threshold of ``sources.walk``.

scikit-learn is imported inside the functions that need it, so ``import
briefing`` stays light.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from briefing.merge import SAME_STORY, StoryMatcher, voice_of
from briefing.models import Source
from briefing.text import content_words

# Complete-linkage cosine distance (every pair within it) below which articles are one
# story. Tuned on the first 50 BASIL events (benchmarks/bench_stories.py), checked on the other 50.
STORY_DISTANCE = 0.87
# Share of a pair's similarity its headlines' own TF-IDF cosine may take, when that raises it.
# Chosen with the lead-name veto on the tuning parts (the first 50 BASIL events, 2010-2014,
# and the first half of the AllSides stories mixed in one folder): it kept every tuning
# BASIL mix exact and raised the AllSides tuning mix from ARI 0.55 to 0.59.
TITLE_WEIGHT = 0.25
# Outlets report one event within days of each other; two articles on one subject published
# further apart than this report two events (last year's scandal and this week's follow-up).
STORY_DAYS = 7
_MAX_TEXT_CHARS = 2000  # an article's opening carries its story; the rest (background, other news) blurs it
# Share of the shorter copy's 5-word shingles two same-agency pages have in common. Two editions
# of one wire story share ~0.3 (an update rewrites the top); different outlets' own
# reports of one event share a median 0.02 (BASIL).
WIRE_CONTAINMENT = 0.25
# The agency in a dateline ("CITY (Agency) -") on a line of the article's opening.
_AGENCY = re.compile(r"(?m)^[^\n]{0,80}?\(([A-Z][A-Za-z .&-]{0,30})\)\s*(?:-{1,2}|[–—])")
_AGENCY_CHARS = 1500


@dataclass
class StoryGroup:
    """Sources reporting one event, in the order they should be read."""

    source_ids: list[str]
    voices: int = 1
    latest: str | None = None


def _agency(source: Source) -> str | None:
    match = _AGENCY.search(source.text[:_AGENCY_CHARS])
    return match.group(1).strip().casefold() if match else None


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.casefold())
    return {zlib.crc32(" ".join(words[i : i + 5]).encode()) for i in range(max(1, len(words) - 4))}


def mark_wire_copies(
    sources: Sequence[Source], groups: Sequence[Sequence[str]] | None = None
) -> list[Source]:
    """Copies of ``sources`` where a later copy of the same agency's story names the earlier as its original.

    Only pairs inside one story group are compared (all pairs when ``groups``
    is None), so the cost stays near-linear for a big folder.
    """
    by_id = {s.id: s for s in sources}
    agency = {s.id: _agency(s) for s in sources}
    order = {s.id: i for i, s in enumerate(sources)}
    updates: dict[str, str] = {}
    shingles: dict[str, set[int]] = {}
    for group in groups if groups is not None else [[s.id for s in sources]]:
        ids = sorted((i for i in group if agency.get(i)), key=order.__getitem__)
        for j, b in enumerate(ids):
            if by_id[b].duplicate_of or b in updates:
                continue
            for a in ids[:j]:
                if agency[a] != agency[b]:
                    continue
                sa = shingles.setdefault(a, _shingles(by_id[a].text))
                sb = shingles.setdefault(b, _shingles(by_id[b].text))
                if len(sa & sb) >= WIRE_CONTAINMENT * max(1, min(len(sa), len(sb))):
                    updates[b] = by_id[a].duplicate_of or updates.get(a) or a
                    break
    return [s.model_copy(update={"duplicate_of": updates[s.id]}) if s.id in updates else s for s in sources]


def cluster_labels(
    texts: Sequence[str],
    distance: float = STORY_DISTANCE,
    titles: Sequence[str] | None = None,
    dates: Sequence[str | None] | None = None,
) -> list[int]:
    """A story label per text (labels are arbitrary integers).

    Similarity is the TF-IDF cosine of the texts' openings, raised by the
    cosine of their ``titles`` when given and closer (an editor's one-line
    summary of the event), and two articles sharing none of each other's lead names, or
    published more than :data:`STORY_DAYS` apart (``dates``, ISO, where known), are never one
    story (:func:`_share_a_lead_name`, :func:`_days_apart`).

    Complete linkage cut at ``distance`` only ever joins texts that are all
    within ``distance`` of each other, so every story lies inside one connected
    component of the sparse graph "cosine distance below the cut". Clustering
    each component on its own gives the same stories as clustering the whole
    folder, at the cost of the components' sizes instead of the folder's: a
    folder of many unrelated stories no longer needs its n x n distance matrix
    nor a dense n x vocabulary copy of the TF-IDF matrix.
    """
    if len(texts) < 2:
        return [0] * len(texts)
    from sklearn.cluster import AgglomerativeClustering

    try:
        matrix = _tfidf().fit_transform([t[:_MAX_TEXT_CHARS] for t in texts])
    except ValueError:  # no usable word in any text
        return list(range(len(texts)))
    # Texts with no vocabulary at all stand alone (cosine is undefined for them).
    keep = [i for i, n in enumerate(matrix.getnnz(axis=1).tolist()) if n > 0]
    matrix = matrix[keep]
    # Rows are L2-normalised by the vectorizer, so the product is the cosine similarity.
    similarity = matrix @ matrix.T
    if titles is not None:
        try:
            heads = _tfidf().fit_transform([titles[i] for i in keep])
        except ValueError:  # no title has a usable word
            heads = None
        if heads is not None:
            # Agreeing headlines lift a pair; differently worded ones (one outlet's
            # feature headline) never pull a pair below what its texts share.
            blend = (1.0 - TITLE_WEIGHT) * similarity + TITLE_WEIGHT * (heads @ heads.T)
            similarity = similarity.maximum(blend)
    labels = [-1] * len(texts)
    offset = 0
    for members in _components(similarity, distance):
        if len(members) == 1:
            found = [0]
        else:
            dist = (1.0 - similarity[members][:, members].toarray()).clip(0.0, None)
            dist[range(len(members)), range(len(members))] = 0.0
            names = [_names(texts[keep[i]][:_MAX_TEXT_CHARS]) for i in members]
            leads = [{w for w, _ in n.most_common(LEAD_NAMES)} for n in names]
            # Only pairs within the cut can be joined, so only they need the names' test.
            rows, cols = (dist <= distance).nonzero()
            days = [dates[keep[i]] if dates is not None else None for i in members]
            for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
                if a < b and (
                    not _share_a_lead_name(names[a], names[b], leads[a], leads[b])
                    or _days_apart(days[a], days[b]) > STORY_DAYS
                ):
                    # Cannot-link: complete linkage never joins a pair at the maximal distance.
                    dist[a, b] = dist[b, a] = 1.0
            model = AgglomerativeClustering(
                n_clusters=None, metric="precomputed", linkage="complete", distance_threshold=distance
            )
            found = [int(x) for x in model.fit_predict(dist)]
        for i, label in zip(members, found, strict=True):
            labels[keep[i]] = offset + label
        offset += max(found) + 1
    for i, label in enumerate(labels):
        if label == -1:
            labels[i] = offset
            offset += 1
    return labels


def _one_story(matcher: StoryMatcher, a: Source, b: Source) -> bool:
    """Do two articles of a small folder report one story? (See :data:`SHORT_TEXT_WORDS`.)"""
    shared = matcher.overlap(a.id, b.id)
    headlines_agree = len(_headline_stems(a) & _headline_stems(b)) >= HEADLINE_SHARED_WORDS
    # maxsplit: a 20 MB source is not split into millions of words to learn that it is long.
    if all(len(s.text.split(maxsplit=SHORT_TEXT_WORDS - 1)) >= SHORT_TEXT_WORDS for s in (a, b)):
        return shared >= LONG_SAME_STORY or (headlines_agree and shared >= SAME_STORY)
    return shared >= SAME_STORY or headlines_agree


def _headline_stems(source: Source) -> set[str]:
    return {w[:_HEADLINE_STEM] for w in content_words(source.title or "") if len(w) > 2}


def _tfidf() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True,
        stop_words="english",
        # Words of three letters or more, no digits: numbers differ between
        # reports of one event more than its names do.
        token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
        strip_accents="unicode",
    )


# How many of an article's most frequent names count as what it is about.
LEAD_NAMES = 3
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+[A-Z]?[a-z]+\b")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def _names(text: str) -> Counter[str]:
    """Capitalised words not opening a sentence and not function words: the names an article mentions."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    found: Counter[str] = Counter()
    for sentence in _SENTENCE_BREAK.split(text):
        start = len(sentence) - len(sentence.lstrip())
        for match in _CAPITALISED.finditer(sentence):
            if match.start() == start or match.group().casefold() in ENGLISH_STOP_WORDS:
                continue
            found[match.group()] += 1
    return found


def _share_a_lead_name(a: Counter[str], b: Counter[str], lead_a: set[str], lead_b: set[str]) -> bool:
    """Could two articles report one event: does one mention a name the other is mostly about?

    ``lead_a`` and ``lead_b`` are each article's most frequent names.

    Two events on one subject (two politicians' remarks on one issue) share
    their vocabulary but not the people in them. An article without names
    vetoes nothing.
    """
    if not a or not b:
        return True
    return bool(lead_a & b.keys() or lead_b & a.keys())


def _days_apart(a: str | None, b: str | None) -> int:
    """Days between two ISO publication dates (0 where either is unknown or unreadable)."""
    if not a or not b:
        return 0
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 0


def _components(similarity: Any, distance: float) -> list[list[int]]:
    """Connected components (row indices) of the graph joining rows whose distance is below the cut.

    A hair of slack: a pair at the cut by rounding joins the component, which
    costs nothing (the linkage inside it still decides) and never splits a story.
    """
    pairs = similarity.tocoo()
    close = pairs.data > 1.0 - distance - 1e-9
    parent = list(range(similarity.shape[0]))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(pairs.row[close].tolist(), pairs.col[close].tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[int]] = {}
    for i in range(len(parent)):
        parts.setdefault(root(i), []).append(i)
    return list(parts.values())


SMALL_FOLDER = 4  # sources; below this TF-IDF weights are too crude to split a folder on their own
# A folder of a few sources: clustering splits two short reports of one event (excerpts of ~100
# words share too few words for TF-IDF), and the vocabulary test joined three long reports of
# different events (political news shares its words). So the test depends on length: long
# articles' most frequent words must overlap more (LONG_SAME_STORY, or SAME_STORY where their
# headlines agree), short ones may instead share their headlines' words. Chosen on the tuning
# parts of benchmarks/bench_stories.py --small (BASIL events of 2010-2014, the first half of the
# AllSides stories); the rest held out.
SHORT_TEXT_WORDS = 250
LONG_SAME_STORY = 0.17
HEADLINE_SHARED_WORDS = 2
_HEADLINE_STEM = 5  # "cancelations"/"cancellations", "sues"/"suing": one word


def _join_small_folders(members: dict[int, list[str]], sources: Sequence[Source]) -> dict[int, list[str]]:
    """In a folder of a few sources, join groups whose articles all report one story.

    With two or three articles, inverse document frequencies carry almost no
    information and a long article's background can pull it away from a short
    report of the same event; the vocabulary test of ``merge.StoryMatcher``
    (measured on the shared corpora) decides instead (:func:`_one_story`).
    """
    if len(sources) >= SMALL_FOLDER or len(members) < 2:
        return members
    by_id = {s.id: s for s in sources}
    matcher = StoryMatcher(by_id)
    groups = list(members.values())
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if all(_one_story(matcher, by_id[a], by_id[b]) for a in groups[i] for b in groups[j]):
                    groups[i] = groups[i] + groups.pop(j)
                    merged = True
                    break
            if merged:
                break
    return dict(enumerate(groups))


def group_stories(
    sources: Sequence[Source], distance: float = STORY_DISTANCE
) -> tuple[list[Source], list[StoryGroup]]:
    """The folder's stories, most independent voices first, then the most recent.

    Returns the sources (copies where a wire copy now names its original in
    ``duplicate_of``) and the story groups.
    """
    if not sources:
        return [], []
    labels = cluster_labels(
        [f"{s.title or ''}\n{s.text}" for s in sources],
        distance,
        [s.title or "" for s in sources],
        [s.published for s in sources],
    )
    members: dict[int, list[str]] = {}
    for source, label in zip(sources, labels, strict=True):
        members.setdefault(label, []).append(source.id)
    members = _join_small_folders(members, sources)
    sources = mark_wire_copies(sources, list(members.values()))
    by_id: Mapping[str, Source] = {s.id: s for s in sources}
    voice = voice_of(by_id)
    groups = [
        StoryGroup(
            source_ids=ids,
            voices=len({voice[i] for i in ids}),
            latest=max((p for i in ids if (p := by_id[i].published)), default=None),
        )
        for ids in members.values()
    ]
    # Stable: equal stories keep folder order.
    groups.sort(key=lambda g: (-g.voices, _negated_date(g.latest)))
    return list(sources), groups


def _negated_date(date: str | None) -> tuple[int, ...]:
    """Sort key putting later ISO dates first and undated last."""
    if not date:
        return (1,)
    digits = [int(p) for p in re.findall(r"\d+", date)[:3]]
    return (0, *(-d for d in digits))
