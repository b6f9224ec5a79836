from __future__ import annotations

from _reconcile_helpers import disagreements_of

from briefing.models import Disagreement

S1 = (
    "The deal was closed by Japan’s Prime Minister Takaichi Sanae and US President Donald Trump on Monday "
    "in Tokyo."
)
S2 = (
    "The deal, finalized between U.S. Energy Secretary Jennifer Granholm and Japanese Minister of Economy, "
    "Trade and Industry (METI) Ken Saito, was lauded by officials on Tuesday."
)


_run = disagreements_of


def _who(found: list[Disagreement]) -> list[Disagreement]:
    return [d for d in found if d.topic.startswith("Who ")]


def test_find_disagreements_who_signed_the_deal() -> None:
    found, sources = _run(S1, S2)
    (who,) = _who(found)
    assert who.topic.startswith("Who ") and who.topic.endswith(" the deal")
    quotes = [p.citations[0].quote for p in who.positions]
    assert quotes[0].startswith(
        "The deal was closed by Japan’s Prime Minister Takaichi Sanae and US President"
    )
    assert quotes[1].startswith("The deal, finalized between U.S. Energy Secretary Jennifer Granholm")
    for p in who.positions:
        for c in p.citations:
            assert sources[c.source].text[c.start : c.end] == c.quote


def test_find_disagreements_who_active_vs_passive() -> None:
    found, _ = _run(
        "President Trump and Prime Minister Shinzo Abe signed the trade agreement in New York.",
        "The trade agreement was signed by Trade Representative Robert Lighthizer and Ambassador "
        "Shinsuke Sugiyama.",
    )
    (who,) = _who(found)
    assert who.topic == "Who signed the trade agreement"


def test_find_disagreements_who_not_flagged_when_agents_overlap() -> None:
    found, _ = _run(
        S1,
        "The deal was signed by President Donald Trump in Tokyo.",  # names one of the two signatories
    )
    assert _who(found) == []


def test_find_disagreements_who_not_flagged_for_different_events() -> None:
    bill = "The bill was signed by Governor Greg Abbott on Monday."
    assert _who(_run(S1, bill)[0]) == []  # a bill is not the deal
    defense = (
        "The defense pact was signed by Defense Secretary Lloyd Austin and Minister Yasukazu Hamada.",
        "The trade pact was signed by President Donald Trump and Prime Minister Shinzo Abe.",
    )
    assert _who(_run(*defense)[0]) == []  # differently qualified pacts are different pacts


def test_find_disagreements_who_needs_people_as_agents() -> None:
    found, _ = _run(S1, "The deal was signed by Japan and the United States on Monday.")
    assert _who(found) == []
    found, _ = _run(S1, "Officials said a deal was signed by Energy Secretary Jennifer Granholm.")
    assert _who(found) == []  # 'a deal' may be another deal
