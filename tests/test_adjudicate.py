"""The gate an engine's own disagreements pass (briefing.reconcile.adjudicate)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from briefing import BriefOptions, make_brief
from briefing.engines.base import RunContext
from briefing.models import Citation, Claim, Disagreement, Statement
from briefing.reconcile import sides_align, sides_differ
from briefing.testing import FakeEngine

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEXTS = {
    "S1": "The port authority said on Monday that 1,200 containers were delayed. "
    "Harbour Master Ines Volk signed the agreement with the dock union.",
    "S2": "About 1,400 containers were held up, the port authority said. "
    "Port Director Ines Volk signed the pact with the dock union on Monday.",
}


def _side(source: str, quote: str) -> Statement:
    start = TEXTS[source].index(quote)
    citation = Citation(source=source, quote=quote, start=start, end=start + len(quote))
    return Statement(text=quote, citations=[citation])


def _pair(first: str, second: str, first_source: str = "S1", second_source: str = "S2") -> Disagreement:
    return Disagreement(topic="t", positions=[_side(first_source, first), _side(second_source, second)])


def test_sides_differ_keeps_two_figures_each_source_alone_states() -> None:
    d = _pair("1,200 containers were delayed", "About 1,400 containers were held up")
    assert sides_differ(d, TEXTS)


def test_sides_differ_keeps_a_title_word_the_other_source_never_uses() -> None:
    d = _pair(
        "Harbour Master Ines Volk signed the agreement",
        "Port Director Ines Volk signed the pact",
    )
    assert sides_differ(d, TEXTS)


def test_sides_differ_drops_a_paraphrase_whose_values_both_sources_state() -> None:
    d = _pair(
        "signed the agreement with the dock union",
        "signed the pact with the dock union on Monday",
    )
    assert not sides_differ(d, TEXTS)


def test_sides_differ_drops_a_value_the_other_source_states_elsewhere() -> None:
    # "Monday" is S2's value here, but S1 states Monday too (in another sentence).
    d = _pair("Harbour Master Ines Volk signed", "Ines Volk signed the pact with the dock union on Monday")
    assert not sides_differ(d, TEXTS)


def test_sides_differ_drops_a_pair_told_apart_only_by_an_acronym_or_who_reports_it() -> None:
    # A live Qwen run set "signed a framework ..., Quaywire reports" against "signed a Channel
    # Dredging Accord (CDA) ... Monday": one fact, two wordings. Neither an outlet's short
    # form nor the name of whoever reports it is a value the sources disagree about.
    texts = {
        "S1": "The two ports signed a framework on dredging (CDAs), Quaywire reports.",
        "S2": "The two ports signed a Channel Dredging Accord (CDA) on dredging on Monday.",
    }
    first = "The two ports signed a framework on dredging (CDAs), Quaywire reports."
    second = "The two ports signed a Channel Dredging Accord (CDA) on dredging on Monday."
    d = Disagreement(
        topic="t",
        positions=[
            Statement(text=q, citations=[Citation(source=sid, quote=q, start=0, end=len(q))])
            for sid, q in (("S1", first), ("S2", second))
        ],
    )
    assert not sides_differ(d, texts)
    # The same pair where the first side names a figure of its own is a disagreement to show.
    texts["S1"] = first = "The two ports signed a framework on dredging for 40 berths, Quaywire reports."
    d.positions[0] = Statement(
        text=first, citations=[Citation(source="S1", quote=first, start=0, end=len(first))]
    )
    assert sides_differ(d, texts)


def test_sides_differ_fails_one_source_on_both_sides_or_an_unknown_source() -> None:
    same = _pair("1,200 containers were delayed", "Harbour Master Ines Volk", "S1", "S1")
    assert not sides_differ(same, TEXTS)
    assert not sides_differ(
        _pair("1,200 containers were delayed", "About 1,400 containers"), {"S1": TEXTS["S1"]}
    )


class _ReconcilingEngine(FakeEngine):
    """Extracts like FakeEngine, and answers reconcile with a scripted pair of disagreements."""

    def __init__(self, answer: list[Disagreement]) -> None:
        super().__init__()
        self.answer = answer

    def reconcile(self, claims: Sequence[Claim], run: RunContext) -> list[Disagreement] | None:
        return self.answer


def test_make_brief_drops_an_engine_disagreement_that_is_a_paraphrase(tmp_path: Path) -> None:
    folder = tmp_path / "port"
    folder.mkdir()
    for source, name in (("S1", "a.txt"), ("S2", "b.txt")):
        (folder / name).write_text(TEXTS[source] + "\n", encoding="utf-8")
    paraphrase = _pair("signed the agreement with the dock union", "signed the pact with the dock union")
    figures = _pair("1,200 containers were delayed", "About 1,400 containers were held up")
    answer = [
        Disagreement(topic="What was signed", positions=paraphrase.positions),
        Disagreement(topic="Containers delayed", positions=figures.positions),
    ]
    brief = make_brief(folder, BriefOptions(), engine=_ReconcilingEngine(answer), now=NOW)
    topics = [d.topic for d in brief.disagreements]
    assert "What was signed" not in topics
    assert any("1,200" in p.citations[0].quote for d in brief.disagreements for p in d.positions)
    assert any("paraphrase" in w for w in brief.meta.warnings)


def test_make_brief_drops_an_engine_disagreement_between_two_facts_about_two_people(tmp_path: Path) -> None:
    """Seen live with Qwen on a BASIL event: one senator's career set against another's passed the
    value check (each side names someone the other does not) and was shown as a disagreement."""
    texts = {
        "S1": "Rep. Ann Marlow met farmers in Dunmore on Tuesday. Marlow practised law in the capital for "
        "twenty years before she won her House seat.",
        "S2": "Rep. Ann Marlow met farmers in Dunmore on Tuesday. Senator Tobias Crane raises cattle on "
        "his family's ranch and chairs the agriculture panel.",
    }
    folder = tmp_path / "visit"
    folder.mkdir()
    for source, name in (("S1", "a.txt"), ("S2", "b.txt")):
        (folder / name).write_text(texts[source] + "\n", encoding="utf-8")

    def side(source: str, quote: str) -> Statement:
        start = texts[source].index(quote)
        return Statement(
            text=quote, citations=[Citation(source=source, quote=quote, start=start, end=start + len(quote))]
        )

    apart = Disagreement(
        topic="Background",
        positions=[
            side("S1", "Marlow practised law in the capital for twenty years before she won her House seat."),
            side(
                "S2",
                "Senator Tobias Crane raises cattle on his family's ranch and chairs the agriculture panel.",
            ),
        ],
    )
    assert sides_differ(apart, texts) and not sides_align(apart, texts)
    brief = make_brief(folder, BriefOptions(), engine=_ReconcilingEngine([apart]), now=NOW)
    assert "Background" not in [d.topic for d in brief.disagreements]
    assert any("share almost no words" in w for w in brief.meta.warnings)
    # One fact told two ways shares its words: the gate keeps it.
    assert sides_align(_pair("1,200 containers were delayed", "About 1,400 containers were held up"), TEXTS)
