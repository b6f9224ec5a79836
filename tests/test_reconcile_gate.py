"""The disagreement gate: hand-written conflicts and near misses, with floors that never drop silently."""

from __future__ import annotations

import tomllib
from pathlib import Path

from _reconcile_gate_cases import CASES, Case

from briefing.models import Disagreement, Source
from briefing.reconcile import find_disagreements

FLOORS = tomllib.loads((Path(__file__).parent / "data" / "reconcile_gate_floors.toml").read_text("utf-8"))


def _flags(case: Case) -> list[Disagreement]:
    sources = [Source(id=f"S{n}", path=f"s{n}.txt", text=t) for n, t in enumerate(case.texts, start=1)]
    found = find_disagreements(sources)
    texts = {s.id: s.text for s in sources}
    for d in found:
        for p in d.positions:
            for c in p.citations:
                assert texts[c.source][c.start : c.end] == c.quote  # every side cited verbatim
    return found


def _hits(d: Disagreement, case: Case) -> bool:
    sides = [" ".join(c.quote for c in p.citations) for p in d.positions]
    return any(case.a in x and case.b in y for x in sides for y in sides if x is not y)


def _score() -> dict[str, object]:
    found = flags = right = near_flags = 0
    by_kind: dict[str, list[int]] = {}
    misses: list[str] = []
    wrong: list[str] = []
    for case in CASES:
        ds = _flags(case)
        flags += len(ds)
        if case.conflict:
            hit = any(_hits(d, case) for d in ds)
            found += hit
            by_kind.setdefault(case.kind, [0, 0])
            by_kind[case.kind][0] += hit
            by_kind[case.kind][1] += 1
            right += sum(_hits(d, case) for d in ds)
            wrong += [f"{case.name}: {d.topic}" for d in ds if not _hits(d, case)]
            if not hit:
                misses.append(case.name)
        else:
            near_flags += len(ds)
            wrong += [f"{case.name}: {d.topic}" for d in ds]
    conflicts = sum(c.conflict for c in CASES)
    return {
        "recall": found / conflicts,
        "precision": right / flags if flags else 1.0,
        "near_miss_flags": near_flags,
        "kind_recall": {k: hit / n for k, (hit, n) in by_kind.items()},
        "misses": misses,
        "wrong": wrong,
    }


def test_reconcile_gate_recall_and_precision_stay_above_their_floors() -> None:
    score = _score()
    detail = f"misses {score['misses']}, wrong flags {score['wrong']}"
    assert score["recall"] >= FLOORS["recall"], detail  # type: ignore[operator]  # floats from _score
    assert score["precision"] >= FLOORS["precision"], detail  # type: ignore[operator]  # floats from _score
    assert score["near_miss_flags"] <= FLOORS["near_miss_flags"], detail  # type: ignore[operator]  # an int
    kind_recall: dict[str, float] = score["kind_recall"]  # type: ignore[assignment]  # built above
    for kind, floor in FLOORS["kind_recall"].items():
        assert kind_recall.get(kind, 0.0) >= floor, f"{kind}: {detail}"


def test_reconcile_gate_cases_cover_every_kind_and_near_miss() -> None:
    kinds = {c.kind for c in CASES}
    assert {"number", "date", "title", "person", "place", "agent", "quote", "statement"} <= kinds
    reasons = {k.split(":", 1)[1] for k in kinds if k.startswith("near_miss:")}
    assert {"rounding", "different_measure", "added_detail", "timeline", "quote_punctuation"} <= reasons
    assert "different_statement" in reasons
