from __future__ import annotations

from _reconcile_helpers import disagreements_of

from briefing.models import Disagreement

S1 = (
    "The deal was closed by Italy’s Prime Minister Okuda Rin and US President Aldo Brant on Monday "
    "in Dornwick."
)
S2 = (
    "The deal, concluded between U.S. Energy Secretary Edda Varga and Italian Minister of Finance, "
    "Housing and Labour (MFHL) Piet Lund, was cheered by aides on Tuesday."
)


_run = disagreements_of


def _who(found: list[Disagreement]) -> list[Disagreement]:
    return [d for d in found if d.topic.startswith("Who ")]


def test_find_disagreements_who_signed_the_deal() -> None:
    found, sources = _run(S1, S2)
    (who,) = _who(found)
    assert who.topic.startswith("Who ") and who.topic.endswith(" the deal")
    quotes = [p.citations[0].quote for p in who.positions]
    assert quotes[0].startswith("The deal was closed by Italy’s Prime Minister Okuda Rin and US President")
    assert quotes[1].startswith("The deal, concluded between U.S. Energy Secretary Edda Varga")
    for p in who.positions:
        for c in p.citations:
            assert sources[c.source].text[c.start : c.end] == c.quote


def test_find_disagreements_who_active_vs_passive() -> None:
    found, _ = _run(
        "President Brant and Prime Minister Okuda Rin signed the fishing agreement in Quenby.",
        "The fishing agreement was signed by Trade Representative Ivo Marsh and Ambassador Hiro Sekimori.",
    )
    (who,) = _who(found)
    assert who.topic == "Who signed the fishing agreement"


def test_find_disagreements_who_not_flagged_when_agents_overlap() -> None:
    found, _ = _run(
        S1,
        "The deal was signed by President Aldo Brant in Dornwick.",  # names one of the two signatories
    )
    assert _who(found) == []


def test_find_disagreements_who_not_flagged_for_different_events() -> None:
    bill = "The bill was signed by Governor Elsa Norquist on Monday."
    assert _who(_run(S1, bill)[0]) == []  # a bill is not the deal
    defense = (
        "The defense pact was signed by Defense Secretary Hal Penrose and Minister Taro Ikegawa.",
        "The trade pact was signed by President Aldo Brant and Prime Minister Okuda Rin.",
    )
    assert _who(_run(*defense)[0]) == []  # differently qualified pacts are different pacts


def test_find_disagreements_who_needs_people_as_agents() -> None:
    found, _ = _run(S1, "The deal was signed by Italy and the United States on Monday.")
    assert _who(found) == []
    found, _ = _run(S1, "Officials said a deal was signed by Energy Secretary Edda Varga.")
    assert _who(found) == []  # 'a deal' may be another deal
