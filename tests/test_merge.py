"""Merging: one fact from several sources becomes one point citing each of them."""

from __future__ import annotations

from briefing.merge import merge_claims, voice_of
from briefing.models import Claim, Source

S1_TEXT = (
    "The city council approved a budget of 12 million dollars for the new bridge on Tuesday. "
    "Work on the bridge will start in March. "
    "The city council approved a budget of 12 million dollars for the new bridge on Tuesday."
)
S2_TEXT = (
    "On Tuesday the city council approved a 12 million dollars budget for the new bridge. "
    "The mayor called the vote historic."
)
S3_TEXT = "The city council approved a budget of 15 million dollars for the new bridge on Tuesday."


def _sources(**duplicates: str) -> dict[str, Source]:
    texts = {"S1": S1_TEXT, "S2": S2_TEXT, "S3": S3_TEXT}
    return {
        sid: Source(
            id=sid, path=f"{sid.lower()}.txt", text=text, chars=len(text), duplicate_of=duplicates.get(sid)
        )
        for sid, text in texts.items()
    }


def _claim(sources: dict[str, Source], sid: str, sentence: str, score: float, n: int = 0) -> Claim:
    text = sources[sid].text
    start = text.find(sentence) if n == 0 else text.rfind(sentence)
    assert start >= 0
    return Claim(
        id=f"{sid}#0:c{n}:{start}",
        source_id=sid,
        chunk_id=f"{sid}#0",
        text=sentence,
        quote=sentence,
        start=start,
        end=start + len(sentence),
        score=score,
    )


BUDGET_1 = "The city council approved a budget of 12 million dollars for the new bridge on Tuesday."
BUDGET_2 = "On Tuesday the city council approved a 12 million dollars budget for the new bridge."
BUDGET_15 = S3_TEXT
WORK = "Work on the bridge will start in March."
MAYOR = "The mayor called the vote historic."


def test_merge_same_fact_from_two_sources_is_one_point() -> None:
    sources = _sources()
    claims = [_claim(sources, "S1", BUDGET_1, 0.9), _claim(sources, "S2", BUDGET_2, 0.8)]
    points = merge_claims(claims, sources)
    assert len(points) == 1
    point = points[0]
    assert point.source_ids == ["S1", "S2"]
    assert point.independent_sources == 2
    assert point.text == BUDGET_1  # the stronger claim leads
    # Corroboration raises the point above either claim alone.
    assert point.score > 0.9


def test_merge_near_duplicate_source_counts_as_one_voice() -> None:
    sources = _sources(S2="S1")
    claims = [_claim(sources, "S1", BUDGET_1, 0.9), _claim(sources, "S2", BUDGET_2, 0.8)]
    (point,) = merge_claims(claims, sources)
    assert point.source_ids == ["S1", "S2"]  # both passages are still cited...
    assert point.independent_sources == 1  # ...but the wire copy is one voice
    assert point.score == 0.9


def test_merge_different_numbers_never_merge() -> None:
    sources = _sources()
    claims = [_claim(sources, "S1", BUDGET_1, 0.9), _claim(sources, "S3", BUDGET_15, 0.8)]
    points = merge_claims(claims, sources)
    assert len(points) == 2
    assert all(p.independent_sources == 1 and len(p.claims) == 1 for p in points)
    assert [p.text for p in points] == [BUDGET_1, BUDGET_15]


def test_merge_number_formatting_does_not_split_a_fact() -> None:
    text_a, text_b = (
        "Officials counted 1,200 ballots in the recount.",
        "Officials counted 1200 ballots in recount.",
    )
    sources = {
        "S1": Source(id="S1", path="a.txt", text=text_a),
        "S2": Source(id="S2", path="b.txt", text=text_b),
    }
    claims = [
        Claim(id="a", source_id="S1", chunk_id="S1#0", text=text_a, quote=text_a, start=0, end=len(text_a)),
        Claim(id="b", source_id="S2", chunk_id="S2#0", text=text_b, quote=text_b, start=0, end=len(text_b)),
    ]
    (point,) = merge_claims(claims, sources)
    assert point.independent_sources == 2


def test_merge_repeat_within_one_source_adds_no_citation() -> None:
    sources = _sources()
    claims = [_claim(sources, "S1", BUDGET_1, 0.9), _claim(sources, "S1", BUDGET_1, 0.5, n=1)]
    (point,) = merge_claims(claims, sources)
    assert len(point.claims) == 1
    assert point.independent_sources == 1
    assert point.claims[0].start == 0  # the stronger (first) occurrence is kept


def test_merge_keeps_unrelated_facts_apart_and_orders_by_score() -> None:
    sources = _sources()
    claims = [
        _claim(sources, "S2", MAYOR, 0.3),
        _claim(sources, "S1", WORK, 0.5),
        _claim(sources, "S1", BUDGET_1, 0.7),
        _claim(sources, "S2", BUDGET_2, 0.6),
    ]
    points = merge_claims(claims, sources)
    assert [p.text for p in points] == [BUDGET_1, WORK, MAYOR]
    assert [p.independent_sources for p in points] == [2, 1, 1]
    assert len({p.id for p in points}) == 3
    assert sorted(c.id for p in points for c in p.claims) == sorted(c.id for c in claims)


def test_merge_of_nothing_is_nothing() -> None:
    assert merge_claims([], _sources()) == []


def test_voice_of_follows_duplicate_chains_and_survives_cycles() -> None:
    chain = _sources(S2="S1", S3="S2")
    assert voice_of(chain) == {"S1": "S1", "S2": "S1", "S3": "S1"}
    # sources.py only points at earlier sources, but a hand-made cycle must not hang.
    cycle = _sources(S1="S2", S2="S1")
    assert voice_of(cycle)["S3"] == "S3"
    # A duplicate of a source that is not in the set is its own voice root.
    dangling = _sources(S2="S9")
    assert voice_of(dangling)["S2"] == "S9"


_SEEDED_MERGE = """
from briefing.merge import merge_claims
from briefing.models import Claim
texts = {
    "a": "Alvorn belmec corvash dentrel elvask.",
    "b": "Fenrow galdish hostrel ivenk jorvath.",
    # Equally like each point (Dice 0.62 with either), with all its words equally rare: which point it
    # joins must not depend on the order a set of words happens to iterate in.
    "x": "Alvorn belmec corvash dentrel fenrow galdish hostrel ivenk.",
}
claims = [
    Claim(id=f"S{n}#0:c0", source_id=f"S{n}", chunk_id=f"S{n}#0", text=t, quote=t, start=0, end=len(t),
          score=score)
    for n, (t, score) in enumerate(((texts["a"], 3.0), (texts["b"], 2.0), (texts["x"], 1.0)), 1)
]
print(sorted(sorted(c.source_id for c in p.claims) for p in merge_claims(claims, {})))
"""


def test_merge_is_the_same_whatever_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    results = set()
    for seed in range(12):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        out = subprocess.run([sys.executable, "-c", _SEEDED_MERGE], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        results.add(out.stdout.strip())
    assert len(results) == 1, results
