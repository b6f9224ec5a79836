from __future__ import annotations

import math
from pathlib import Path

import pytest
from _reconcile_helpers import disagreements_of

from briefing.models import Disagreement, Source
from briefing.reconcile import core as reconcile
from briefing.reconcile.records import FactRecord

SEED = Path(__file__).resolve().parent.parent / "examples" / "rare-earths"

# Invented texts shaped like the example articles: a family-name-first name written both ways, a
# figure in prose against a table row, and two shares of different stages that are not one figure.
A_TEXT = """Posted on 12 Mar 2025

US, Korea sign cobalt pact

The pact was closed by Korea's Prime Minister Yeon Sora and US President Rowan Tate on Monday in Dornwick.

The US produced 47,000 tonnes of cobalt ore last year, according to the federal Bureau of Mines, and \
bought abroad 80% of the refined metal it used.
"""

B_TEXT = """The pact, agreed between U.S. Commerce Secretary Ines Falk and Korean Minister Ahn Jiho, was \
praised by Korea's Trade Minister Sora Yeon on Tuesday.
Congo now holds roughly 70% of world cobalt mining and a full 85-90% of the costly refining \
step.
In Dornwick, Minister Yeon spoke plainly.
World Cobalt Ore Output — Estimated 2024
| Country | Ore mined (tonnes) | Part of World Sum |
|---|---|---|
| Congo | 215,000 | ~70% |
| United States | 38,000 | ~12% |
| World Sum | 309,000 | 100% |
"""


_run = disagreements_of


def _assert_verbatim(found: list[Disagreement], sources: dict[str, Source]) -> None:
    for d in found:
        assert len({c.source for p in d.positions for c in p.citations}) >= 2
        for p in d.positions:
            for c in p.citations:
                assert sources[c.source].text[c.start : c.end] == c.quote


def test_find_disagreements_seed_like_title_and_production() -> None:
    found, sources = _run(A_TEXT, B_TEXT)
    _assert_verbatim(found, sources)
    by_topic = {
        ("Yeon's title" if "Yeon" in d.topic else "Who" if d.topic.startswith("Who ") else d.topic): d
        for d in found
    }
    assert set(by_topic) == {"Yeon's title", "United States — Ore mined (tonnes)", "Who"}
    title = by_topic["Yeon's title"]
    assert [p.citations[0].source for p in title.positions] == ["S1", "S2"]
    assert "Prime Minister Yeon Sora" in title.positions[0].citations[0].quote
    assert "Trade Minister Sora Yeon" in title.positions[1].citations[0].quote
    production = by_topic["United States — Ore mined (tonnes)"]
    assert "The US produced 47,000 tonnes" in production.positions[0].citations[0].quote
    assert production.positions[1].citations[0].quote == "| United States | 38,000 | ~12% |"
    who = by_topic["Who"]
    assert "US President Rowan Tate" in who.positions[0].citations[0].quote
    assert (
        who.positions[1]
        .citations[0]
        .quote.startswith(
            "The pact, agreed between U.S. Commerce Secretary Ines Falk and Korean Minister Ahn Jiho"
        )
    )


def test_find_disagreements_real_seed_articles() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.txt"))]
    found, sources = _run(*texts)
    _assert_verbatim(found, sources)
    everything = "\n".join(texts)
    # A title held two ways by one person, named in the form most mentions use (one source writes
    # the family name first, the other after the given name).
    (title,) = [d for d in found if d.kind == "title"]
    first, last = title.topic.removesuffix("'s title").split()
    assert everything.count(f"{first} {last}") > everything.count(f"{last} {first}") > 0
    assert all(
        f"{first} {last}" in p.citations[0].quote or f"{last} {first}" in p.citations[0].quote
        for p in title.positions
    )
    # A figure in prose against the same country's row of a table, the topic naming row and column.
    # The only figure in dispute: the shares of two different stages of the trade are not one figure.
    (production,) = [d for d in found if d.kind == "number"]
    rows = [p.citations[0].quote for p in production.positions if p.citations[0].quote.startswith("|")]
    assert len(rows) == 1 and len(production.positions) == 2
    label = rows[0].split("|")[1].strip()
    assert production.topic.startswith(f"{label} — ")
    assert f"| {production.topic.removeprefix(f'{label} — ')} |" in everything  # a column header
    assert any(t.startswith("Who ") and t.endswith(" the deal") for t in (d.topic for d in found))


def test_find_disagreements_mining_vs_processing_share_is_not_a_conflict() -> None:
    found, _ = _run(
        "Brazil supplies about 70% of global cobalt mining, traders say.",
        "Brazil supplies an estimated 85-90% of global cobalt refining capacity, traders say.",
    )
    assert found == []


def test_find_disagreements_rounding_and_overlapping_ranges_agree() -> None:
    found, _ = _run(
        "Canada mined about 45,000 tonnes of cobalt in 2024. Brazil holds 85-90% of smelting.",
        "Canada mined 45,230 tonnes of cobalt in 2024. Brazil holds about 88% of smelting.",
    )
    assert found == []


def test_find_disagreements_different_years_and_entities_are_not_conflicts() -> None:
    found, _ = _run(
        "In 2023 Canada mined 43,000 tonnes of cobalt.",
        "In 2024 Canada mined 45,000 tonnes of cobalt. Brazil mined 240,000 tonnes of cobalt.",
    )
    assert found == []


def test_find_disagreements_other_statistic_in_same_sentence_is_not_a_conflict() -> None:
    found, _ = _run(
        "In 2024 Canada mined 45,000 tonnes of cobalt and exported 12,000 tonnes of cobalt.",
        "In 2024 Canada mined 45,000 tonnes of cobalt, officials said.",
    )
    assert found == []


def test_find_disagreements_ignores_a_source_disagreeing_with_itself() -> None:
    found, _ = _run(
        "Canada mined 45,000 tonnes of cobalt in 2024. Later: Canada mined 52,000 tonnes of cobalt in 2024.",
        "Nothing about production here.",
    )
    assert found == []


def test_find_disagreements_three_sources_group_agreeing_sides() -> None:
    found, sources = _run(
        "Officials said 120 people were killed in the flooding in Bavaria on Sunday.",
        "Officials said 95 people were killed in the flooding in Bavaria.",
        "Authorities said 121 people were killed in the flooding in Bavaria.",
    )
    (d,) = found
    _assert_verbatim(found, sources)
    sides = sorted(sorted(c.source for c in p.citations) for p in d.positions)
    assert sides == [["S1", "S3"], ["S2"]]  # 120 and 121 agree (within 2%)


def test_find_disagreements_three_sources_three_values_are_one_dispute_of_three_sides() -> None:
    found, sources = _run(
        "The harbour board released a 48-page report on the pier collapse on Monday.",
        "The 40-page report on the pier collapse, released by the harbour board, blames the storm.",
        "Among the findings of the 72-page report on the pier collapse is a warning about the storm.",
    )
    (d,) = found
    _assert_verbatim(found, sources)
    sides = sorted(sorted(c.source for c in p.citations) for p in d.positions)
    assert sides == [["S1"], ["S2"], ["S3"]]
    # A third value agreeing with one side joins it: "120" and "121" are one side.
    found, _ = _run(
        "Officials said 120 people were killed in the flooding in Bavaria on Sunday.",
        "Officials said 95 people were killed in the flooding in Bavaria.",
        "Authorities said 121 people were killed in the flooding in Bavaria.",
    )
    assert [len(d.positions) for d in found] == [2]


def test_find_disagreements_a_measured_thing_is_not_the_clause_after_it() -> None:
    # "a 48-page dossier released by...": the dossier, in pages; "released" opens a clause, and the
    # two dossiers are not two things for being released in one and blaming in the other.
    found, _ = _run(
        "The harbour board's 48-page dossier released on Monday blames the storm for the pier collapse.",
        "A 40-page dossier blaming the storm for the pier collapse was published by the harbour board.",
    )
    assert [d.kind for d in found] == ["number"]


def test_find_disagreements_date_of_same_event() -> None:
    found, sources = _run(
        "The treaty on river shipping was signed in Dornwick on October 27, 2025, by both governments.",
        "The treaty on river shipping was signed in Dornwick on October 24, 2025, by both governments.",
    )
    _assert_verbatim(found, sources)
    assert len(found) == 1
    quotes = [p.citations[0].quote for p in found[0].positions]
    assert "October 27, 2025" in quotes[0] and "October 24, 2025" in quotes[1]


def test_find_disagreements_titles_compatible_short_forms_not_flagged() -> None:
    found, _ = _run(
        "US President Rowan Tate met Sen. Ines Falk in Quenby.",
        "President Tate met Senate Majority Leader Ines Falk in Quenby.",
    )
    assert found == []


def test_find_disagreements_is_deterministic_and_order_free() -> None:
    first, _ = _run(A_TEXT, B_TEXT)
    second, _ = _run(A_TEXT, B_TEXT)
    assert [d.model_dump() for d in first] == [d.model_dump() for d in second]


def _sides(found: list[Disagreement]) -> list[list[str]]:
    return [[p.citations[0].quote for p in d.positions] for d in found]


def test_find_disagreements_same_sentence_reworded_only_around_the_value() -> None:
    found, sources = _run(
        "You count 23 of them, Dornwick, Quenby and Tarnow, where our party rarely wins a single seat.",
        "He went on: you count 18 of them -- Dornwick, Quenby and Tarnow, where our party rarely wins a "
        "single seat.",
    )
    _assert_verbatim(found, sources)
    (sides,) = _sides(found)
    assert "count 23 of them" in sides[0] and "count 18 of them" in sides[1]


def test_find_disagreements_a_persons_age() -> None:
    found, _ = _run(
        "Mr. Pellow, 43, who is known as Bo, is a former owner of a boatyard.",
        "Pellow, 64, is a former clerk to the harbour board.",
    )
    assert len(found) == 1
    # Two people sharing a surname are not one person with two ages.
    found, _ = _run("Nils Ambery, 51, is a lawyer in Quenby.", "Ambery, 78, is a former senator.")
    assert found == []


def test_find_disagreements_same_noun_and_unit_despite_other_wording() -> None:
    # Far-apart amounts, or differently qualified nouns, are different things.
    assert (
        _run("Hawks want $2 trillion in spending cuts.", "Talks began on $1 trillion in spending cuts.")[0]
        == []
    )
    assert (
        _run(
            "Varga pitched a $1.2 trillion transit plan.",
            "Councillors drafted a $1.5 trillion spending plan.",
        )[0]
        == []
    )


def test_find_disagreements_date_of_same_event_by_verb_and_name() -> None:
    found, _ = _run(
        "Edda Varga, the first woman to run the port authority, died Wednesday of complications from a fall.",
        "Edda Varga died on Monday, aged 84, of the complications of a fall at home, her family said.",
    )
    (sides,) = _sides(found)
    assert "died Wednesday" in sides[0] and "died on Monday" in sides[1]
    # Speaking on two days is two events, not a conflict.
    found, _ = _run(
        "Mayor Ines Falk said Monday that fares on the ferry would rise.",
        "Mayor Ines Falk said on Tuesday that the harbour debt was growing too fast.",
    )
    assert found == []


def test_find_disagreements_value_of_one_named_person_is_not_compared_with_another() -> None:
    # Two different people's terms in office: not one figure stated two ways.
    found, _ = _run(
        "Mr. Alder, a former judge and two-term House member, had quietly filed papers to run.",
        "Mr. Birchwood, a seven-term House member, is heard on the tape asking the clerk for a file.",
    )
    assert found == []
    # The same person with two different terms is still a conflict.
    found, sources = _run(
        "Mr. Alder, a former judge and two-term House member, had quietly filed papers to run.",
        "Rep. Tom Alder, a three-term House member, had quietly filed papers to run.",
    )
    _assert_verbatim(found, sources)
    (sides,) = _sides(found)
    assert "two-term" in sides[0] and "three-term" in sides[1]


def test_find_disagreements_scales_near_linearly() -> None:
    # Many sources on many topics: the pairs compared must not grow with the square of the records.
    calls = 0
    real = reconcile.compare

    def counting(a: FactRecord, b: FactRecord, sim: float, ctx: object) -> object:
        nonlocal calls
        calls += 1
        return real(a, b, sim, ctx)  # type: ignore[arg-type]  # passes the real context through

    def corpus(n: int) -> list[str]:
        # Each story its own event words ('floodcb'), and wording every story shares ('people killed').
        tags = ["".join(chr(97 + int(d)) for d in f"{k:03d}") for k in range(n)]
        return [
            f"Officials said {10 + k} people were killed in the flood{t} near the bridge{t} on Sunday. "
            f"The council approved a ${k + 2} million budget for the repair{t} of the road{t}."
            for k, t in enumerate(tags)
        ]

    counts = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reconcile, "compare", counting)
        for n in (20, 80):
            calls = 0
            _run(*corpus(n))
            counts.append(calls)
    assert counts[1] <= 6 * max(counts[0], 1)  # quadratic would be 16x


def test_find_disagreements_quotes_start_after_bullets_and_label_lead_ins() -> None:
    found, sources = _run(
        "- Local View: Korea's Trade Minister Sora Yeon praised the pact on Tuesday.\n"
        "1. The US produced 52,000 tonnes of cobalt ore in 2024, officials said on Monday.",
        "* Korea's Prime Minister Sora Yeon welcomed the accord in Dornwick.\n"
        "The US produced 47,000 tonnes of cobalt ore in 2024, officials said on Monday.",
    )
    _assert_verbatim(found, sources)
    quotes = {c.quote for d in found for p in d.positions for c in p.citations}
    assert any(q.startswith("Korea's Trade Minister Sora Yeon praised") for q in quotes)
    assert any(q.startswith("Korea's Prime Minister Sora Yeon welcomed") for q in quotes)
    assert any(q.startswith("The US produced 52,000 tonnes") for q in quotes)
    assert not any(q.startswith(("-", "*", "1.", "Local View")) for q in quotes)


def test_find_disagreements_weekday_no_other_source_states_is_one_event_dated_two_ways() -> None:
    # Worded apart (little overlap), but neither source ever names the other's day: one ruling, two days.
    one = (
        "The Marlow County council on Tuesday approved a sweeping ordinance requiring every landlord "
        "to register rental flats with the housing office."
    )
    other = (
        "Landlords across Marlow County must now register their rental flats, after councillors voted "
        "Thursday for the ordinance despite objections from property groups."
    )
    found, _ = _run(one, other)
    (sides,) = _sides(found)
    assert "Tuesday" in sides[0] and "Thursday" in sides[1]
    # A source that also names the other day tells of two events (a vote, then a protest): no conflict.
    found, _ = _run(one, other + " Property groups said on Tuesday they would protest.")
    assert found == []


def test_find_disagreements_figure_no_other_source_states_needs_one_shared_word() -> None:
    # One figure, one word near it in common ("claims"); neither source states the other's figure.
    found, _ = _run(
        "Jobless claims in Vellmar totaled 41,200 last week, officials said.",
        "In Vellmar, new claims reached 38,900, the fewest since spring.",
    )
    (sides,) = _sides(found)
    assert "41,200" in sides[0] and "38,900" in sides[1]


def test_find_disagreements_two_different_ranges_conflict_though_they_overlap() -> None:
    found, _ = _run(
        "The regulator cleared the Dorrin vaccine for pupils ages 5 to 11 on Friday.",
        "The regulator cleared the Dorrin vaccine for pupils ages 5 to 8 on Friday.",
    )
    (sides,) = _sides(found)
    assert "5 to 11" in sides[0] and "5 to 8" in sides[1]
    found, _ = _run(
        "The regulator cleared the Dorrin vaccine for pupils ages 5 to 11 on Friday.",
        "The regulator cleared the Dorrin vaccine for pupils ages 5-11 on Friday.",
    )
    assert found == []


def test_find_disagreements_a_compatible_title_does_not_hide_a_conflicting_one() -> None:
    # "Chairman" fits a governor as well as a senator: it must not speak for the other source's title.
    found, _ = _run(
        "Senator Alma Quist, who is chairman of the budget panel, spoke at the hearing on Monday.\n\n"
        "Chairman Quist said the panel would vote soon.",
        "Governor Alma Quist spoke at the hearing on Monday about the budget.",
    )
    assert [d.topic for d in found] == ["Alma Quist's title"]


def test_find_disagreements_a_figure_past_the_clause_that_expects_is_reported() -> None:
    # "is expected to approve" is a forecast of the vote, not of the sum the bill grants: the figure in
    # the clause after it is a reported figure, set against the other outlet's.
    found, _ = _run(
        "The Quenby council is expected to approve the harbour bill on Monday, which grants $1.4 billion "
        "for the new quay.",
        "The harbour bill grants $2.1 billion for the new quay, the Quenby council said on Monday.",
    )
    assert [d.kind for d in found] == ["number"]


def test_find_disagreements_a_title_given_a_bare_surname_two_people_share() -> None:
    # "Varga" alone names two people here (Ilse and her brother Piet), but only Ilse is given a title by
    # name: "President Varga" and "Governor Varga" are both hers, and at odds.
    found, _ = _run(
        "President Ilse Varga and her brother Piet Varga toured the flooded quay on Monday. "
        "President Varga promised that the harbour would reopen in spring.",
        "Ilse Varga and her brother Piet Varga toured the flooded quay on Monday. "
        "Governor Varga promised that the harbour would reopen in spring.",
    )
    assert [(d.kind, d.topic) for d in found] == [("title", "Varga's title")]


def test_find_disagreements_bare_surname_titles_of_two_namesakes_are_two_peoples() -> None:
    # Each Varga is given a title by name: "Senator Varga" is Ilse, "Mayor Varga" is Piet.
    found, _ = _run(
        "Senator Ilse Varga and her brother, Mayor Piet Varga, toured the flooded quay on Monday. "
        "Senator Varga promised that the harbour would reopen in spring.",
        "Senator Ilse Varga and her brother, Mayor Piet Varga, toured the flooded quay on Monday. "
        "Mayor Varga promised that the harbour would reopen in spring.",
    )
    assert [d for d in found if d.kind == "title"] == []


def test_find_disagreements_quotation_with_numbers_spelled_or_in_digits_is_the_same() -> None:
    found, _ = _run(
        'Mayor Oona Brisk said: "We have 3 schools to rebuild and 2 bridges to reopen by spring."',
        'Mayor Oona Brisk said: "We have three schools to rebuild and two bridges to reopen by spring."',
    )
    assert found == []


@pytest.mark.parametrize(
    ("texts", "kind", "topic"),
    [
        (
            (
                "Mayor Aldo Brisco toured the mills. “I feel deeply sorry for every family here,” he said.",
                "“I feel sorry for every family here,” Mayor Aldo Brisco said after touring the mills.",
            ),
            "quote",
            "How Brisco was quoted: “I feel sorry for every…”",
        ),
        (
            (
                "The suspect, identified by police as Kara Lindqvist, was arrested at the station.",
                "Police arrested Maren Lindqvist at the station, the spokesman said.",
            ),
            "person",
            "Which Lindqvist identified by police",
        ),
        (
            (
                "The factory fire broke out in Brackwater, Ohio, early on Tuesday, officials said.",
                "Officials said the factory fire started early Tuesday in Holmfirth, Ohio.",
            ),
            "place",
            "Where the factory fire broke out",
        ),
        (
            (
                "The gallery removed a photo showing the sculptor Wenna Tirrell smashing the founder's bust.",
                "The gallery removed a video showing the sculptor Wenna Tirrell smashing the founder's bust.",
            ),
            "statement",
            "Whether the gallery removed a photo showing the sculptor",
        ),
        (
            (
                "Figures from the harbour office on Tuesday showed that ferry fares rose 2.3 percent over "
                "four weeks.",
                "Figures from the harbour office on Tuesday showed that ferry fares rose 3.1 percent over "
                "four weeks.",
            ),
            "number",
            "What share: ferry fares rose",  # not "What share: Tuesday showed that ferry fares rose"
        ),
        (
            (
                "Quenby Harbour Co. closed its ferry network carrying freight and passengers from the "
                "northern quay to the southern islands on Friday.",
                "Quenby Harbour Co. closed its ferry network carrying freight and passengers from the "
                "northern quay to the southern islands on Monday.",
            ),
            "date",
            # who did what, not the tail of a long clause ("quay to the southern islands")
            "When Quenby Harbour Co. closed its ferry network",
        ),
        (
            (
                "Harbour chief Ilse Varga on Thursday vetoed the new budget for the ferry.",
                "Harbour chief Ilse Varga on Tuesday vetoed the new budget for the ferry.",
            ),
            "date",
            # not "When Harbour chief Ilse Varga": a title and a name say who, not what
            "When Harbour chief Ilse Varga vetoed the new budget for the ferry",
        ),
        (
            (
                "Ferry bookings climbed to an average of about 2,300 a day on Monday, the ferry office said.",
                "Ferry bookings climbed to an average of about 2,300 a day on Sunday, the ferry office said.",
            ),
            "date",
            "When ferry bookings climbed to an average",  # not "... an average of about a day"
        ),
        (
            (
                "A spokesman for a Quenby member of the board had to apologize Saturday.",
                "A spokesman for a Quenby member of the board had to apologize Friday.",
            ),
            "date",
            "When a Quenby member of the board had to apologize",
        ),
        (
            (
                "Director of Harbour Works Aldo Brisco opened the rebuilt northern pier late Tuesday, "
                "officials said.",
                "Aldo Brisco opened the rebuilt northern pier late Friday, officials said.",
            ),
            "date",
            # not "When of ... late", nor "When Harbour Works Aldo Brisco..." (the title cut in two)
            "When Director of Harbour Works Aldo Brisco opened the rebuilt northern pier",
        ),
        (
            (
                "The harbour board approved the plan. Of that, $3.5 billion could be moved to the dam, "
                "the board said.",
                "The harbour board approved the plan. Of that, $3.9 billion could be moved to the dam, "
                "the board said.",
            ),
            "number",
            "How much could be moved to the dam",  # not "How much"
        ),
        (
            (
                "Rep. Rosalind Nunez won the race for deputy chair on Tuesday, defeating Nadia Korhonen.",
                "Representative Regina T. Núñez won the race for deputy chair on Tuesday, defeating Nadia "
                "Korhonen.",
            ),
            "person",
            "Which Nunez won the race for deputy chair",  # not "Which Nunez Rep."
        ),
        (
            (
                "Rep. Rosalind Nunez won the race for deputy Harbour Board chairman, defeating Nadia "
                "Korhonen.",
                "Representative Regina T. Núñez won the race for deputy Harbour Board chairman, defeating "
                "Nadia Korhonen.",
            ),
            "person",
            "Which Nunez won the race for deputy Harbour Board chairman",  # not "... deputy Harbour"
        ),
        (
            (
                "The harbour board approved the plan on Monday, saying the repairs had cost nearly "
                "$3.5 million.",
                "The harbour board approved the plan on Monday, saying the repairs had cost nearly "
                "$6.2 million.",
            ),
            "number",
            "How much: repairs had cost",  # not "...had cost nearly"
        ),
        (
            (
                "The Tarnow Harbour Board on Wednesday night formally approved the plan to rebuild the pier.",
                "The Tarnow Harbour Board on Thursday night formally approved the plan to rebuild the pier.",
            ),
            "date",
            # not "When the Tarnow Harbour Board night formally approved the plan to"
            "When the Tarnow Harbour Board formally approved the plan to rebuild the pier",
        ),
        (
            (
                "The Quenby ferry crossing took about 14 hours on Sunday because of the storm.",
                "The Quenby ferry crossing took about 19 hours on Sunday because of the storm.",
            ),
            "number",
            "How long: Quenby ferry crossing took",  # not "Number of h: ..."
        ),
        (
            (
                "“We will not close the old pier this winter,” Mayor Ilse Varga told the Quenby Gazette "
                "on Tuesday.",
                "“We will not close the old pier this winter,” Mayor Ilse Varga told the Quenby Gazette "
                "on Thursday.",
            ),
            "date",
            "When Mayor Ilse Varga told the Quenby Gazette",  # not 'When winter,” Mayor Ilse Varga ...'
        ),
        (
            (
                "On Monday the Quenby council rejected the $42 million harbour budget Varga strongly backs.",
                "On Monday the Quenby council rejected the $58 million harbour budget Varga strongly backs.",
            ),
            "number",
            "How much: harbour budget",  # not "How much: harbour budget Varga"
        ),
        (
            (
                "The harbour board filed forms showing its net worth at $4 million.",
                "The harbour board filed forms showing its net worth at $7 million.",
            ),
            "number",
            "How much: net worth",  # not "How much: forms showing its net worth"
        ),
        (
            (
                "By late Wednesday night, the ferry service had been halted.",
                "By late Thursday night, the ferry service had been halted.",
            ),
            "date",
            "When the ferry service had been halted",  # not "When night"
        ),
        (
            (
                "The harbour pilots, led by Captains Ilse Varga and Aldo Brisco, wrote a letter to the "
                "Quenby council on Wednesday seeking answers about the pier.",
                "The harbour pilots, led by Captains Ilse Varga and Aldo Brisco, wrote a letter to the "
                "Quenby council on Friday seeking answers about the pier.",
            ),
            "date",
            # not "When wrote a letter to the Quenby council": the aside cut the verb from its subject
            "When the harbour pilots wrote a letter to the Quenby council",
        ),
        (
            (
                "Quenby Mayor Ilse Varga (Ind.) is closing the old pier to ferries, she announced Tuesday.",
                "Quenby Mayor Ilse Varga (Ind.) is closing the old pier to ferries, she announced Thursday.",
            ),
            "date",
            "When Quenby Mayor Ilse Varga announced",  # not "When Quenby Mayor Ilse Varga (Ind.)"
        ),
        (
            (
                "The old pier will close on March 3, the harbour board said.",
                "The old pier will close on March 13, the harbour board said.",
            ),
            "date",
            "When the old pier will close",  # not "When the old pier will the harbour board said"
        ),
        (
            (
                "The Quenby council on Tuesday approved a plan to sell the old pier.",
                "The Quenby council on Thursday approved a plan to sell the old pier.",
            ),
            "date",
            "When the Quenby council approved a plan to sell the old pier",  # not "When the Quenby council"
        ),
        (
            (
                "The ferry crash killed 12 people, officials said.",
                "The ferry crash killed 15 people, officials said.",
            ),
            "number",
            "Number of people",  # not "Number of people officials"
        ),
        (
            (
                "Turnout in the Quenby vote was 61 percent, the election office said.",
                "Turnout in the Quenby vote was 56 percent, the election office said.",
            ),
            "number",
            "What share: Turnout in the Quenby vote",  # not "What share: Quenby vote was"
        ),
        (
            (
                "Speaking at a pier in Lunmouth, Ilse Varga promised new ferries for the islands.",
                "Speaking at a pier in Eastwick, Ilse Varga promised new ferries for the islands.",
            ),
            "place",
            "Where Ilse Varga promised new ferries for the islands",  # not "Where Speaking at a pier"
        ),
        (
            (
                "Police arrested 110 protesters outside the harbour office.",
                "Police arrested 100 protesters outside the harbour office.",
            ),
            "number",
            "Number of protesters",  # not "Number of protesters outside"
        ),
        (
            (
                "The harbour levy was written by Senator Ilse Varga of Quenby.",
                "The harbour levy was written by Senator Aldo Varga of Quenby.",
            ),
            "person",
            "Which Varga the harbour levy was written by",  # not "... written by Senator"
        ),
        (
            (
                "The vote on the harbour levy, held Tuesday, split the Quenby council.",
                "The vote on the harbour levy, held Thursday, split the Quenby council.",
            ),
            "date",
            "When the vote on the harbour levy was held",  # not "When held split the Quenby council"
        ),
        (
            (
                "Monday's vote on the levy split the Quenby council.",
                "Wednesday's vote on the levy split the Quenby council.",
            ),
            "date",
            "When the vote on the levy split the Quenby council",  # not "When 's vote on the levy ..."
        ),
    ],
)
def test_find_disagreements_topics_name_the_thing_in_dispute(
    texts: tuple[str, str], kind: str, topic: str
) -> None:
    found, _ = _run(*texts)
    assert [(d.kind, d.topic) for d in found] == [(kind, topic)]


def test_find_disagreements_topic_opening_word_another_outlet_writes_in_lower_case() -> None:
    # "Stranded" opens the sentence, and its own source writes it nowhere else: another outlet's
    # "stranded travellers" says it is no name.
    found, _ = _run(
        "Stranded travellers crowded the Quenby ferry terminal on Monday, the harbour board said.",
        "On Wednesday, stranded travellers crowded the Quenby ferry terminal, the harbour board said.",
    )
    assert [(d.kind, d.topic) for d in found] == [
        ("date", "When stranded travellers crowded the Quenby ferry terminal")
    ]


def test_other_things_background_identifier_is_another_thing() -> None:
    from briefing.reconcile.identifiers import main_identifiers, other_things
    from briefing.reconcile.records import FactRecord

    texts = {
        "S1": "Flight NV204 carried 41 people. Divers searched for flight NV204 at dawn.",
        "S2": "Flight NV204 was lost in a storm; NV204 sent no call. "
        "Flight NV88 disappeared last year with 230 on board.",
    }

    def record(sid: str, sentence: str, value: str) -> FactRecord:
        start = texts[sid].index(sentence)
        at = texts[sid].index(value, start)
        return FactRecord(
            sid,
            "number",
            start,
            start + len(sentence),
            at,
            at + len(value),
            value,
            "people",
            frozenset(),
            frozenset(),
        )

    main = main_identifiers(texts)
    assert main == {"S1": "204", "S2": "204"}
    own = record("S1", "Flight NV204 carried 41 people.", "41")
    recalled = record("S2", "Flight NV88 disappeared last year with 230 on board.", "230")
    same = record("S2", "Flight NV204 was lost in a storm; NV204 sent no call.", "204")
    assert other_things(own, recalled, texts, main)  # the other side recalls another flight
    assert not other_things(own, same, texts, main)
    # Two passages naming different identifiers are about two things, whatever the sources report.
    assert other_things(recalled, own, texts, {})


def test_parse_quantities_either_of_two_numbers_is_a_range() -> None:
    from briefing.reconcile.numbers import parse_quantities, values_agree

    spelled, digits, single = parse_quantities(
        "Rain for two or three days; it took 2 or 3 days; a two-day fair."
    )
    assert (spelled.low, spelled.high) == (2.0, 3.0) and spelled.unit == "day"
    assert (digits.low, digits.high) == (2.0, 3.0)
    assert values_agree(spelled, single)  # "two or three days" does not contradict "two-day"


def test_read_quotes_pronoun_stands_for_the_sentences_speaker_not_the_last_name() -> None:
    from briefing.reconcile.quotes import read_quotes

    text = (
        "Mayor Tilda Brand said she had met Governor Anton Oslo on Monday to discuss the dam. "
        "“We will rebuild the spillway before the winter rains come,” she said. "
        "Ivo Renn, a councillor who sat in, said the governor made no promise to Brand about the money. "
        "“Nothing was signed and nothing was agreed by anyone in that room,” he said."
    )
    speakers = [q.subject for q in read_quotes("S1", text)]
    assert speakers == ["brand", "renn"]


def test_read_quotes_speaker_named_after_a_role_set_off_by_commas() -> None:
    from briefing.reconcile.quotes import read_quotes

    text = (
        "“With the greatest respect, I flatly reject the mayor’s plan for the pier,” the harbour "
        "board’s chairman, Aldo Brisco, said in a statement."
    )
    assert [q.subject for q in read_quotes("S1", text)] == ["brisco"]


def test_read_quotes_party_and_state_after_a_name_are_not_the_speaker() -> None:
    from briefing.reconcile.quotes import read_quotes

    text = (
        "Speaker Tam Holt (R-Ohio) admitted the party faced a “real” risk of losing seats.\n\n"
        "“My honest guess is that we hold on to the chamber by a handful of votes,” he said."
    )
    assert [q.subject for q in read_quotes("S1", text)] == ["holt"]


def test_read_quotes_pronoun_skips_an_opening_clause_and_an_abbreviations_full_stop() -> None:
    from briefing.reconcile.quotes import read_quotes

    text = (
        "When Gov. Ann Doe went after Sen. Tom Roe over the “flood money,” Mayor Ivo Renn reminded her "
        "of the levee. “We agreed on nothing at all today, not one thing,” he said.\n\n"
        "Sen. Tom Roe met Gov. Ann Doe on Monday about the levee. “The state has let this town down "
        "again and again,” he said."
    )
    assert [q.subject for q in read_quotes("S1", text)] == ["renn", "roe"]


def test_parse_quantities_an_institutions_name_before_whom_it_counts() -> None:
    from briefing.reconcile.numbers import parse_quantities

    units = [
        q.unit
        for q in parse_quantities(
            "The motion won 23 Harbour Democrats, lost 40 Council Republicans and passed on 12 March Greens."
        )
    ]
    assert units == ["n:democrat", "n:republican"]  # "12 March Greens" is a date, then a party


def test_parse_quantities_a_capitalised_plural_is_what_is_counted() -> None:
    from briefing.reconcile.numbers import parse_quantities, stem

    units = [q.unit for q in parse_quantities("On board were 120 Islanders and 3 Main staff, since 1998.")]
    assert units == [f"n:{stem('islanders')}", None]  # "Main" is a name, not a counted thing


def test_find_disagreements_a_breakdown_by_people_is_not_the_total() -> None:
    found, _ = _run(
        "On board the ferry Orla Bay were 118 Islanders, four Danes and one guide when it sank.",
        "Rescuers have found nine bodies of the 123 on board the ferry Orla Bay since it sank.",
    )
    assert found == []


def test_find_disagreements_a_sentence_pointing_back_to_another_flight_is_background() -> None:
    found, _ = _run(
        "Flight 612 vanished over the gulf on Sunday. Bodies of 150 on board the flight were found.",
        "Flight 612 vanished over the gulf on Sunday. Divers searched for Flight 612. The loss invites "
        "comparison with the crash of Flight 88. That crash killed all 190 on board the flight.",
    )
    assert found == []


def test_find_disagreements_an_age_given_in_unrelated_sentences() -> None:
    # Outlets give an age in passing, in sentences that share nothing else.
    found, _ = _run(
        "Rep. Dale Ormsby of Idaho said Monday he would run for the open seat.\n\n"
        "Ormsby, 52, drew rivals from across the state.",
        "Ormsby said he would run.\n\nThe 61-year-old Ormsby has served three terms in the legislature.",
    )
    assert [d.topic for d in found] == ["Ormsby's age"]
    # A year apart is a birthday between two reports, not a disagreement.
    found, _ = _run(
        "Ormsby said he would run.\n\nOrmsby, 52, drew rivals from across the state.",
        "Ormsby said he would run.\n\nThe 53-year-old Ormsby has served three terms in the legislature.",
    )
    assert found == []


def test_find_disagreements_an_age_inside_a_description_of_the_person() -> None:
    # "Roe, a retired 61-year-old pilot": the age is Roe's, as in "Roe, 52,".
    found, _ = _run(
        "Rep. Dale Ormsby of Idaho said Monday he would run for the open seat.\n\n"
        "Ormsby, 52, drew rivals from across the state.",
        "Ormsby said he would run.\n\nRivals of Mr. Ormsby, a folksy 61-year-old rancher, spoke on Tuesday.",
    )
    assert [d.topic for d in found] == ["Ormsby's age"]


def test_find_disagreements_an_age_of_namesakes_is_not_one_persons() -> None:
    found, _ = _run(
        "Senator Ann Ormsby said Monday she would retire. Ormsby, 71, drew praise.",
        "Her son, Paul Ormsby said he would run. The 44-year-old Ormsby has served three terms.",
    )
    assert found == []


def test_find_disagreements_one_vote_counted_two_ways() -> None:
    found, _ = _run(
        "The council backed the plan by a vote of 34 to 12 on Tuesday.",
        "Members approved it 34-19 after a long debate.",
    )
    assert [d.topic for d in found] == ["The vote count"]
    # Two votes of one story that share no side are two votes ("97-1" in one chamber, "348-77" in the other).
    found, _ = _run(
        "The upper chamber voted 97-1 to pass the bill.",
        "The lower chamber followed with a 348-77 vote.",
    )
    assert found == []
    # A change from one figure to another is not a vote count.
    found, _ = _run(
        "Turnout in the vote fell from 34 to 12 percent.",
        "Turnout in the vote fell to 19 percent.",
    )
    assert all(d.topic != "The vote count" for d in found)


def test_find_disagreements_a_vote_lost_and_a_vote_after_bill() -> None:
    # The smaller number first is a lost vote when a vote is named ("voted 41-58"); "the bill 236-190"
    # is a count, not the identifier "bill 236".
    found, _ = _run(
        "Council members voted 41-58 against the harbour levy on Tuesday.",
        "Council members voted 44-58 against the harbour levy on Tuesday.",
    )
    assert [d.topic.startswith("The vote count") for d in found] == [True]
    found, _ = _run(
        "The assembly passed the bill 236-190 after a long debate.",
        "The assembly passed the bill 226-190 after a long debate.",
    )
    assert [d.topic.startswith("The vote count") for d in found] == [True]
    # Ages given as a span stay a span.
    found, _ = _run("Voters aged 18-24 backed the levy.", "Voters aged 18-29 backed the levy.")
    assert not any(d.topic.startswith("The vote count") for d in found)


def test_aligned_excerpts_cut_two_wordings_to_where_they_differ() -> None:
    from briefing.reconcile.quotes import aligned_excerpts

    short, long = aligned_excerpts(
        "But the odds are quite fair the night ferry runs late again,",
        "I think the new timetable will suit most riders on most days, but the odds are quite fair that the "
        "night ferry runs late again, and I say so plainly",
    )
    assert short == "But the odds are quite fair the night ferry runs late again"
    assert long == "…but the odds are quite fair that the night ferry runs late again…"
    # Differing only beyond each other's ends: a shorter quotation of the same words, kept whole.
    assert aligned_excerpts("the pier is safe", "We know the pier is safe now") == (
        "the pier is safe",
        "We know the pier is safe now",
    )

    # Changes far apart: the first change of a word or two stands for them, not the whole quotation.
    a, b = aligned_excerpts(
        "We mapped the shoals all summer and I can now say just how shallow the old channel is. ... "
        "We will dredge it,",
        "We mapped the shoals all summer, and I can now say how shallow the old channel is. The council "
        "has heard our report twice and it has agreed to pay for the work. We will dredge it,",
    )
    assert a == "…summer and I can now say just how shallow the old channel is.…"
    assert b == "…summer, and I can now say how shallow the old channel is.…"


def test_find_disagreements_date_and_number_sides_show_the_words_around_the_value() -> None:
    lead = "Dredging the Tarnow channel, which silted up after the spring floods, "
    found, _ = disagreements_of(
        lead + "will cost the harbour board $12 million over three years, the board's treasurer told the "
        "council at its monthly meeting in the town hall.",
        lead + "will cost the harbour board $19 million over three years, the board's treasurer told the "
        "council at its monthly meeting in the town hall.",
    )
    numbers = [d for d in found if d.kind == "number"]
    assert numbers, found
    for position in numbers[0].positions:
        assert position.text.startswith("…") and position.text.endswith("…")
        assert "million over three years" in position.text
        assert len(position.text.split()) < len(position.citations[0].quote.split())


def test_find_disagreements_number_side_keeps_the_word_the_value_is_written_into() -> None:
    found, _ = disagreements_of(
        "At noon the harbour master read out the 38-word pledge on the steps of the old customs house.",
        "The harbour master read the 35-word pledge at noon on the steps of the old customs house.",
    )
    numbers = [d for d in found if d.kind == "number"]
    assert numbers, found
    texts = [p.text for p in numbers[0].positions]
    assert any("the 38-word pledge" in t for t in texts) and any("the 35-word pledge" in t for t in texts)


def test_find_disagreements_quote_sides_show_the_stretch_that_differs() -> None:
    opening = "The harbour master spoke at length on Monday about the storm season and the pier. "
    found, _ = disagreements_of(
        opening + "“We will reopen the old pier when the engineers say it is safe,” Aldo Brant said.",
        opening + "“Our crews have worked for weeks, and we will reopen the old pier only when the "
        "engineers say it is safe, not a day earlier,” Aldo Brant said.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert quotes
    texts = [p.text for p in quotes[0].positions]
    assert any(t.startswith("…") for t in texts)
    assert all("Our crews" not in t for t in texts)


def test_find_disagreements_quoted_list_of_names_in_another_order_is_one_quotation_reworded() -> None:
    # Two outlets quote the same three nicknames in two orders: no adjacent pair of words is the
    # same in order, so the two fragments were never compared.
    found, _ = disagreements_of(
        "In March the harbour master Aldo Brant said smugglers with nicknames like “Seabird, Tallyman "
        "(and) Corkscrew” were running the night ferries.",
        "The harbour master Aldo Brant claimed in March that smugglers with nicknames like “Tallyman, "
        "Seabird and Corkscrew” ran the night ferries.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [d.topic for d in found]
    texts = [p.text for p in quotes[0].positions]
    assert any("Seabird, Tallyman" in t for t in texts) and any("Tallyman, Seabird" in t for t in texts)


def test_find_disagreements_quotation_with_a_word_told_in_five_is_one_quotation_reworded() -> None:
    # "coming in May" for "that will come into Varnholm in May": one word against five, inside
    # words otherwise alike, is the same passage quoted two ways.
    found, _ = disagreements_of(
        "Aldo Brant said he wanted to “set apart our crews and the new board coming in May.”",
        "“We will set apart our crews and the new board that will come into Varnholm in May, and "
        "tell the town plainly,” Aldo Brant said.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [d.topic for d in found]
    assert any("come into Varnholm" in p.text for p in quotes[0].positions)


def test_find_disagreements_sets_a_day_against_the_report_of_the_same_action() -> None:
    # Two other days in the story: the retraction (same action, told in other words) and a resignation
    # (a likelier-worded sentence about another act). The retraction's day is the one in dispute; the
    # source's own "printed Friday" dates the column, not the retraction.
    texts = [
        "The press officer for a member of the Tarnow council had to retract Saturday a newsletter column "
        "mocking the harbour pilots over their strike vote last week.\n\n"
        'Ulla Brandvik wrote in the column, printed Friday, that the pilots should "mind the tide '
        'tables."',
        "A junior press officer on Friday retracted a newsletter column that mocked the uniforms of two "
        "pilots at the spring regatta, an event few in town still attend.",
        "TARNOW — A council press officer quit Monday after her column berating the harbour pilots over "
        "their strike became the talk of the town.",
    ]
    found = reconcile.find_disagreements(
        [Source(id=f"S{n}", path=f"s{n}.txt", text=t) for n, t in enumerate(texts, 1)]
    )
    pairs = [[p.citations[0].quote for p in d.positions] for d in found if d.kind == "date"]
    assert any(
        any("had to retract Saturday" in q for q in pair) and any("on Friday retracted" in q for q in pair)
        for pair in pairs
    ), pairs


def test_find_disagreements_one_toll_told_in_two_reports_with_another_figure_alike() -> None:
    # Worded apart (the count rule wants near-identical sentences), but the same things done the same
    # way ("people killed") beside the same other figure (41 hurt): one tally, told two ways.
    found, _ = disagreements_of(
        "Mayor Ilse Brantmer, speaking at the harbour on Sunday, said the ferry fire in which 12 people "
        "were killed, with at least 41 others injured, is being treated as arson by the police.",
        "The town was shaken by grievous violence that tore through more than 60 families during a "
        "three-hour blaze early Sunday, with 9 people killed and 41 injured on the ferry.",
    )
    numbers = [d for d in found if d.kind == "number"]
    assert len(numbers) == 1
    assert {"12", "9"} <= {w for p in numbers[0].positions for w in p.text.split()}


def test_find_disagreements_two_tolls_of_different_things_beside_a_shared_figure_are_two_sets() -> None:
    # The same other figure (41) does not make "people killed" and "people rescued" one tally.
    found, _ = disagreements_of(
        "Mayor Ilse Brantmer said on Sunday that 12 people were killed while at least 41 others were hurt "
        "in the ferry fire, which is being treated as arson by the police.",
        "The town was shaken by grievous violence that tore through more than 60 families during a "
        "three-hour blaze early Sunday, with 9 people rescued and 41 injured on the ferry.",
    )
    assert [d for d in found if d.kind == "number"] == []


def test_find_disagreements_a_long_quotation_against_two_shorter_ones_of_other_stretches() -> None:
    # One outlet quotes the apology whole; the other quotes two of its sentences apart, the first with
    # words the whole one lacks (an unmarked cut), the second with a word changed.
    found, _ = disagreements_of(
        "The aide apologised on Sunday. Mira Holt wrote: “I hastily blamed the two young sailors in a "
        "manner I would never want to be blamed myself as a cadet. After long nights of thought and "
        "talks with my family, I now grasp far better just how unkind my remarks were.”",
        "The aide, Mira Holt, apologised on Sunday. “I read a memo and hastily blamed the two young "
        "sailors in a manner I would never want to be blamed myself as a cadet,” Holt wrote. "
        "She added: “After long nights of thought and talks with my family, I now grasp far better how "
        "unkind my remarks were.”",
    )
    quotes = [d for d in found if d.kind == "quote"]
    sides = [" | ".join(p.text for p in d.positions) for d in quotes]
    assert len(quotes) == 2, sides
    assert any("I read a memo" in s for s in sides)
    assert any("just how unkind" in s for s in sides)


def test_find_disagreements_a_short_quotation_is_set_against_one_wording_once() -> None:
    found, _ = disagreements_of(
        "The chair, Ruth Okafor, was blunt on Monday. “I do not think that is fine,” Okafor said.",
        "Ruth Okafor, the chair, spoke on Monday. “I do not think it is fine,” Okafor said, and went on: "
        "“You might think the harbour deal is fine. You might say it is fine to hide the cost from the "
        "town. But I do not think it is fine, and I will say so at every meeting.”",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [" | ".join(p.text for p in d.positions) for d in quotes]


def test_find_disagreements_a_name_with_a_middle_initial_is_one_actor() -> None:
    # "Ilse K. Varga" is Varga, not "Ilse": the actor of both days is the same person.
    found, _ = disagreements_of(
        "Mayor Ilse K. Varga of Quenby on Thursday vetoed the new harbour budget, calling the "
        "plan reckless and far too costly for the town.",
        "Varga vetoed the new harbour budget Tuesday, calling the plan reckless and costly.",
    )
    assert [d.kind for d in found] == ["date"]
    assert {c.quote for p in found[0].positions for c in p.citations} >= {
        "Mayor Ilse K. Varga of Quenby on Thursday vetoed the new harbour budget, calling the plan "
        "reckless and far too costly for the town."
    }


def test_find_disagreements_a_headlines_capitalised_verb_is_no_name() -> None:
    # "Resigns" in the headline is no part of Varga's name: "resign" stays a word of the event.
    found, _ = disagreements_of(
        "Harbour Chief Ilse Varga Resigns From Quenby Board\n\n"
        "Harbour chief Ilse Varga resigned from the Quenby board on Friday, after months of "
        "complaints about the ferry contracts.\n",
        "Ilse Varga is resigning from the Quenby board, she announced Tuesday in a short "
        "statement and a video.\n",
    )
    assert [d.kind for d in found] == ["date"]


def test_find_disagreements_a_short_quotation_with_its_middle_word_changed() -> None:
    # Seven words, the fourth put for another: no run of four alike, yet one passage reworded.
    found, _ = disagreements_of(
        "Dara Quenby, the harbour master, spoke to the council on Monday. “The new rule protects every "
        "small boat,” Quenby said.",
        "Dara Quenby, the harbour master, spoke to the council on Monday. “The new rule threatens every "
        "small boat,” Quenby said.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert [sorted(p.text.rstrip(",") for p in d.positions) for d in quotes] == [
        ["The new rule protects every small boat", "The new rule threatens every small boat"]
    ]


_LEDE_A = (
    "Mayor Dara Quenby on Monday said the harbour board ruined the career of its former chief engineer "
    "and that the quay would stay shut until the spring floods were over."
)
_LEDE_B = (
    "Mayor Dara Quenby on Thursday called the chief engineer's dismissal by the harbour board “very "
    "unfair,” saying the quay would stay shut until the spring floods were over."
)


def _two_reports(before: str = "") -> tuple[str, str]:
    # Each report also names the other's day, of another event: no day is one outlet's alone.
    return (
        f"Harbour plan stalls\n\n{before}{_LEDE_A}\n\nThe council meets again on Thursday to vote.",
        f"Mayor faults board\n\n{before}{_LEDE_B}\n\nOn Monday the port authority published its own figures.",
    )


def test_find_disagreements_two_ledes_dating_one_event_two_ways() -> None:
    # Both reports open on the mayor's remarks, worded alike but for the verb: one event, two days.
    found, _ = disagreements_of(*_two_reports())
    dates = [d for d in found if d.kind == "date"]
    assert len(dates) == 1, [d.topic for d in found]
    assert {p.text.split(" on ")[1].split()[0] for p in dates[0].positions} == {"Monday", "Thursday"}


def test_find_disagreements_the_same_sentences_past_the_ledes_are_not_enough() -> None:
    # Further down, two reports may tell of two remarks on two days; without a word of the act in
    # common, and each naming the other's day elsewhere, nothing is flagged.
    found, _ = disagreements_of(*_two_reports("The port reopened its ferry office last week. "))
    assert [d for d in found if d.kind == "date"] == []


def test_find_disagreements_late_one_day_and_early_the_next_are_one_hour() -> None:
    # One storm told from two time zones: "late Thursday" where one outlet is, "early Friday" where
    # the other is. No disagreement; the same days without the parts of the day are one.
    late, early = (
        "Harbour storm\n\nThe storm surge breached the north sea wall of Tarnow harbour late Thursday, "
        "flooding the fish market and the ferry terminal.",
        "Harbour flooded\n\nThe storm surge breached the north sea wall of Tarnow harbour early Friday, "
        "flooding the fish market and the ferry terminal.",
    )
    found, _ = disagreements_of(late, early)
    assert [d.topic for d in found if d.kind == "date"] == []
    found, _ = disagreements_of(late.replace("late ", "on "), early.replace("early ", "on "))
    assert len([d for d in found if d.kind == "date"]) == 1
    # An evening is hours from midnight: "Thursday evening" and "Friday" are two days.
    found, _ = disagreements_of(
        late.replace("late Thursday", "on Thursday evening"), early.replace("early Friday", "on Friday")
    )
    assert len([d for d in found if d.kind == "date"]) == 1
    # "Thursday night" and "Friday night" are a day apart.
    found, _ = disagreements_of(
        late.replace("late Thursday", "on Thursday night"), early.replace("early Friday", "on Friday night")
    )
    assert len([d for d in found if d.kind == "date"]) == 1


def test_find_disagreements_a_short_quotation_with_two_words_changed() -> None:
    # Eight words, two of them put for others: runs of three alike at most, yet one passage reworded.
    # The other outlet quotes it inside a longer quotation whose other words ("want", "to") would pair
    # with it elsewhere; the place where it opens alike is the one compared.
    found, _ = disagreements_of(
        "Dara Quenby, the harbour master, spoke to the council on Monday. “This is a fight we want to "
        "have,” Quenby said.",
        "Dara Quenby, the harbour master, spoke to the council on Monday. “Every family wants the quay "
        "open again, and this is a debate we need to have, and that is the vote we want to win,” Quenby "
        "said.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [" | ".join(p.text for p in d.positions) for d in found]
    texts = " | ".join(p.text for p in quotes[0].positions)
    assert "fight we want" in texts and "debate we need" in texts


def test_find_disagreements_a_short_quotation_with_two_words_put_for_one() -> None:
    # "can not" for "simply", and "fish" for "harbour": two words of the speech put for one, and one
    # for one, in nine words; the rest stands alike.
    found, _ = disagreements_of(
        "Dara Quenby spoke on Monday. “You can not shut harbour markets with a council decree,” Quenby said.",
        "Dara Quenby spoke on Monday. “You simply shut fish markets with a council decree,” Quenby said.",
    )
    assert len([d for d in found if d.kind == "quote"]) == 1, [d.topic for d in found]


def test_find_disagreements_a_quotation_ending_on_two_words_for_the_others_one() -> None:
    # "least afford to pay" for "least afford it": both quotations end there, told two ways. One that
    # runs on past the stretch both quote ("…a ruin for us, we had no say…") may have left it there.
    found, _ = disagreements_of(
        "Vote in Quenland\n\nDara Quenby said: “The levy punishes the families who can least afford it.”",
        "Quenland vote\n\nDara Quenby said the levy “punishes the families who can least afford to pay.”",
    )
    assert [d.kind for d in found] == ["quote"], [d.topic for d in found]
    found, _ = disagreements_of(
        "Vote in Quenland\n\n“Without the wardens, it would have been a ruin—we had no say,” Quenby said.",
        "Quenland vote\n\n“It would have been a ruin without them,” Dara Quenby said.",
    )
    assert not [d for d in found if d.kind == "quote"], [d.topic for d in found]


def test_find_disagreements_two_short_quotations_alike_in_their_frame_only() -> None:
    # "This is a ... we ... to ... right now" with three words changed is another remark, not the same
    # one reworded.
    found, _ = disagreements_of(
        "Dara Quenby, the harbour master, spoke to the council on Monday. “This is a fight we want to "
        "have right now,” Quenby said.",
        "Dara Quenby, the harbour master, spoke to the council on Monday. “This is a storm we ought to "
        "fear right now,” Quenby said.",
    )
    assert [d for d in found if d.kind == "quote"] == []


def test_find_disagreements_one_channel_however_inflected() -> None:
    # "wrote in a post" and "posted" name one channel: the two wordings are one remark, compared.
    found, _ = disagreements_of(
        "Dara Quenby spoke on Monday. “I judged the ferry crews too quickly and I was wrong to do so,” "
        "Quenby wrote in a post.",
        "Dara Quenby spoke on Monday. “I judged the ferry crews too harshly and I was wrong to do so,” "
        "Quenby posted.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [d.topic for d in found]


def test_find_disagreements_one_channel_however_hyphenated() -> None:
    # "in an e-mail" and "in an email" name one channel: the two wordings are one remark, compared.
    found, _ = disagreements_of(
        "Dara Quenby spoke on Monday. “I judged the ferry crews too quickly and I was wrong to do so,” "
        "Quenby wrote in an e-mail.",
        "Dara Quenby spoke on Monday. “I judged the ferry crews too harshly and I was wrong to do so,” "
        "Quenby wrote in an email.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [d.topic for d in found]


def test_find_disagreements_a_third_wording_of_a_quotation_is_a_third_side() -> None:
    # Three outlets, three wordings of one sentence: the dispute shows all three, not two of them.
    found, _ = disagreements_of(
        "Dara Quenby spoke on Monday. “Our crews found a truly useful trick in the weeks the harbour "
        "lay flooded,” Quenby said.",
        "Dara Quenby spoke on Monday. “Our crews found a useful trick in the weeks the harbour lay "
        "flooded,” Quenby said.",
        "Dara Quenby spoke on Monday. “Our crews found a clever trick in the weeks the harbour lay "
        "flooded,” Quenby said.",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert len(quotes) == 1, [" | ".join(p.text for p in d.positions) for d in quotes]
    assert len(quotes[0].positions) == 3
    assert any("clever" in p.text for p in quotes[0].positions)


def test_find_disagreements_a_longer_quotation_of_another_stretch_does_not_vouch_for_a_reworded_one() -> None:
    # The second outlet quotes two stretches of the statement apart: its second, longer one agrees
    # with the first outlet, its first has a word changed. That change is still a dispute.
    found, _ = disagreements_of(
        "Ilse Varga issued a statement on Friday. “It is very important to me that the right candidate "
        "be chosen to lead the harbour board next spring. But if that candidate in my opinion is not "
        "the right one, I am prepared to run for the chair myself,” Varga wrote.",
        "Ilse Varga issued a statement on Friday. “It is very urgent to me that the right candidate be "
        "chosen to lead the harbour board,” Varga wrote. She added: “But if that candidate in my "
        "opinion is not the right one, I am prepared to run for the chair myself.”",
    )
    quotes = [d for d in found if d.kind == "quote"]
    assert any("urgent" in " ".join(p.text for p in d.positions) for d in quotes), [
        " | ".join(p.text for p in d.positions) for d in quotes
    ]


def test_aligned_excerpts_show_a_spoken_change_not_an_editors_insert() -> None:
    from briefing.reconcile.quotes import aligned_excerpts

    plain = (
        "I will be meeting with Mayor Varga in a couple weeks in Quenby making it clear that we will "
        "not, we will not, stand by and let the harbour close"
    )
    edited = (
        "I will be meeting with [Quenby] Mayor [Ilse] Varga in a couple weeks in Quenby making it "
        "clear that we will not stand by and let the harbour close"
    )
    shown = aligned_excerpts(plain, edited)
    assert "we will not, we will not" in shown[0]
    assert "[" not in shown[1]


def test_parse_quantities_a_scale_after_the_quotation_closes() -> None:
    from briefing.reconcile.numbers import parse_quantities

    # The speaker said the figure; the writer put the scale outside the quotation marks.
    (figure,) = parse_quantities("“Not a cent less — we want $4.2” billion, the mayor said.")
    assert (figure.low, figure.unit) == (4.2e9, "USD")
    # "5” m" stays a bare figure: a one-letter scale must be attached to it.
    assert [q.low for q in parse_quantities("“we need 5” m of rope")] == [5.0]


def test_find_disagreements_a_short_quotation_with_a_word_dropped() -> None:
    # Six words against seven: the verb one outlet leaves out is a word of the speech changed.
    found, _ = disagreements_of(
        "Dara Quenby, the harbour master, spoke to the council on Monday. “The new rule protects every "
        "small boat,” Quenby said.",
        "Dara Quenby, the harbour master, spoke to the council on Monday. “The new rule every small "
        "boat,” Quenby said.",
    )
    assert [d.kind for d in found] == ["quote"]


def test_parse_quantities_a_plus_after_the_figure_is_or_more() -> None:
    from briefing.reconcile.numbers import parse_quantities

    (package,) = parse_quantities("the mayor's third $2 billion+ harbour package")
    assert (package.low, package.high, package.unit) == (2e9, math.inf, "USD")
    (crews,) = parse_quantities("with 40+ crews on the quay")
    assert (crews.low, crews.high) == (40, math.inf)
    # "5+3" is a sum, not five or more.
    assert [q.high for q in parse_quantities("a score of 5+3 points")] == [5, 3]
    # And "$2 billion+" is no figure to set against "$2.7 billion" for another package.
    found, _ = disagreements_of(
        "The mayor will present her third $2 billion+ harbour package to the council on Monday.",
        "The mayor will present her third $2.7 billion harbour package to the council on Monday.",
    )
    assert [d.topic for d in found if d.kind == "number"] == []


def test_find_disagreements_a_day_that_ends_a_span_dates_no_event() -> None:
    # "From July 3 to 17" is a stretch of days: its first day is not the day of the regatta.
    found, _ = disagreements_of(
        "Cases linked to the Tarnow harbour regatta held from July 3 to 17 were among sailors.",
        "Cases linked to the Tarnow harbour regatta held on July 4 were among sailors.",
    )
    assert [d.topic for d in found if d.kind == "date"] == []
    found, _ = disagreements_of(
        "Cases linked to the Tarnow harbour regatta held on July 3 were among sailors.",
        "Cases linked to the Tarnow harbour regatta held on July 4 were among sailors.",
    )
    assert len([d for d in found if d.kind == "date"]) == 1


def test_find_disagreements_one_word_spelled_the_british_or_american_way_is_quoted_alike() -> None:
    # "honour" and "honor", "centre" and "center", "100%" and "100 per cent": one thing said, written
    # two ways. A word changed beside them is still a change.
    said = "“It is an {} to rebuild the harbour {} and keep it 100{} open for every family,” Quenby said."
    found, _ = disagreements_of(
        "Dara Quenby spoke on Monday. " + said.format("honour", "centre", "%"),
        "Dara Quenby spoke on Monday. " + said.format("honor", "center", " per cent"),
    )
    assert [d.topic for d in found if d.kind == "quote"] == []
    found, _ = disagreements_of(
        "Dara Quenby spoke on Monday. " + said.format("honour", "centre", "%"),
        "Dara Quenby spoke on Monday. " + said.format("honor", "market", " per cent"),
    )
    assert len([d for d in found if d.kind == "quote"]) == 1


def test_find_disagreements_figures_told_of_him_and_of_her_are_two_peoples() -> None:
    # "his net worth" and what "she had earned": one couple, two people's figures. Told of one person
    # the same way, the two figures are one figure reported two ways.
    him = "The harbour master filed forms on Monday showing his net worth at $4 million."
    her = "The harbour master filed forms on Monday showing she had earned $7 million."
    found, _ = disagreements_of(him, her)
    assert [d.topic for d in found if d.kind == "number"] == []
    found, _ = disagreements_of(him, him.replace("$4", "$7"))
    assert len([d for d in found if d.kind == "number"]) == 1


def test_find_disagreements_a_figure_at_one_word_in_two_forms_is_one_measure() -> None:
    # "offered ... protection" and "The offer gives ... protection": the same two words at both figures
    # (each source also states the other's figure elsewhere, so the words must tie them).
    found, _ = _run(
        "Mayor Jane Doe offered protection for 4,500 fishermen on Monday. "
        "Another 3,000 fishermen work on the northern coast.",
        "The offer gives 3,000 fishermen protection until spring. "
        "It leaves out 4,500 fishermen in the south.",
    )
    assert [d.kind for d in found] == ["number"]


def _with_model_claims(
    texts: dict[str, str], subject: str, attribute: str, values: dict[str, tuple[str, str]]
) -> list[Disagreement]:
    """find_disagreements on ``texts`` with one model claim per source: its quote, and its value."""
    from briefing.models import Claim
    from briefing.reconcile import find_disagreements

    sources = {sid: Source(id=sid, path=f"{sid}.txt", text=text) for sid, text in texts.items()}
    claims = [
        Claim(
            id=f"{sid}-0",
            source_id=sid,
            chunk_id=f"{sid}#0",
            text=quote,
            quote=quote,
            start=texts[sid].index(quote),
            end=texts[sid].index(quote) + len(quote),
            origin="llm",
            subject=subject,
            attribute=attribute,
            value=value,
        )
        for sid, (quote, value) in values.items()
    ]
    return find_disagreements(sources, claims)


def test_find_disagreements_a_models_expected_figure_is_no_reported_one() -> None:
    # A model's claim reads "120" alone; its quote says the 120 ships are expected. Set against the 110
    # booked, that is a forecast against a count, as the rule reader reads the same sentence.
    expected = "About 120 ships are expected in the first week, according to the harbour master."
    booked = "Shipping companies have booked 110 ships for the first week of operation."
    found = _with_model_claims(
        {"S1": expected, "S2": booked},
        "ships in the first week",
        "count",
        {"S1": (expected, "120"), "S2": (booked, "110")},
    )
    assert found == []


def test_find_disagreements_a_models_claim_and_the_rule_reader_tell_one_dispute_once() -> None:
    # The model quotes each outlet's "Quenland's ... Minister Roe Jane" as the value of "Roe Jane — title";
    # the rule reader finds Roe's title at odds too. The reader sees the same two sides twice: once.
    prime, harbour = (
        "Quenland’s Prime Minister Roe Jane",
        "Quenland’s Deputy Fisheries Minister Jane Roe",
    )
    texts = {
        "S1": f"The deal was signed by {prime} on Monday. {prime} called it historic.",
        "S2": f"{harbour} praised the deal on Tuesday. The deal was signed by {harbour}.",
    }
    found = _with_model_claims(texts, "Roe Jane", "title", {"S1": (prime, prime), "S2": (harbour, harbour)})
    assert [{p.text for p in d.positions} for d in found] == [{prime, harbour}]


def test_find_disagreements_a_table_cell_is_compared_only_with_a_figure_of_its_column() -> None:
    # The row names Quenland, but the column measures a share of the world's output; the prose gives a
    # share of Quenland's own consumption. Two measures, not one figure reported two ways.
    found, _ = _run(
        "Quenland's share of copper consumption was 80% last year, the ministry said.",
        "Copper by country:\n\n| Country | Output (tonnes) | Share of World Output |\n|---|---|---|\n"
        "| Quenland | 40,000 | ~12% |\n| Varnia | 90,000 | 27% |\n",
    )
    assert found == []


def test_find_disagreements_model_figures_of_two_named_subjects_are_two_things() -> None:
    # Each figure is stated by one source alone, which lets two rule-read figures be one figure reported
    # two ways; a model's claim names its subject, and Quenland's imports are not Varnia's trade.
    from briefing.models import Claim
    from briefing.reconcile import find_disagreements

    said = {
        "S1": (
            "Quenland relied on imports for 80% of its copper consumption.",
            "copper imports of Quenland",
            "80%",
        ),
        "S2": (
            "Varnia controls about 70% of the copper trade in the region.",
            "copper trade held by Varnia",
            "70%",
        ),
    }
    sources = {sid: Source(id=sid, path=f"{sid}.txt", text=text) for sid, (text, _, _) in said.items()}
    claims = [
        Claim(
            id=f"{sid}-0",
            source_id=sid,
            chunk_id=f"{sid}#0",
            text=text,
            quote=text,
            start=0,
            end=len(text),
            origin="llm",
            subject=subject,
            attribute="share",
            value=value,
        )
        for sid, (text, subject, value) in said.items()
    ]
    assert find_disagreements(sources, claims) == []


def test_find_disagreements_a_day_something_may_happen_is_no_day_it_did() -> None:
    # "may vote as soon as Wednesday" names a possible day; the other outlet's Thursday is not at odds.
    for possible in ("may vote Wednesday", "may vote as soon as Wednesday"):
        found, _ = _run(
            f"The Quenby council {possible} on the harbour bill, the mayor said.",
            "The Quenby council will vote Thursday on the harbour bill, the mayor said.",
        )
        assert found == [], possible


def test_find_disagreements_years_of_two_figures_are_two_periods() -> None:
    # "handled 40,000 tonnes in 2022" and "handled 52,000 tonnes in 2023": each year dates its own
    # figure. The same act in two years with no figure is one fact told two ways.
    found, _ = disagreements_of(
        "Quenland port\n\nThe Varnia harbour handled 40,000 tonnes of fish in 2022.",
        "Port of Varnia\n\nThe Varnia harbour handled 52,000 tonnes of fish in 2023.",
    )
    assert not found, [d.topic for d in found]
    found, _ = disagreements_of(
        "Quenland port\n\nThe Varnia harbour first handled fish from the north in 2022.",
        "Port of Varnia\n\nThe Varnia harbour first handled fish from the north in 2023.",
    )
    assert [d.kind for d in found] == ["date"], [d.topic for d in found]


def test_find_disagreements_words_given_to_two_named_outlets_are_two_interviews() -> None:
    # "told the Gazette on Monday" and "told Radio Lunmouth on Tuesday": two interviews, each with its
    # own words and day. Told to unnamed reporters, the same words reworded are one remark.
    found, _ = disagreements_of(
        "Harbour row\n\nDara Quenby told the Gazette on Monday: “The harbour must stay open for every "
        "family.”",
        "Quenby on harbour\n\nDara Quenby told Radio Lunmouth on Tuesday: “The harbour must stay open for "
        "every worker.”",
    )
    assert not found, [d.topic for d in found]
    found, _ = disagreements_of(
        "Harbour row\n\nDara Quenby told the Gazette: “The harbour must stay open for every family.”",
        "Quenby on harbour\n\nDara Quenby told reporters: “The harbour must stay open for every worker.”",
    )
    assert [d.kind for d in found] == ["quote"], [d.topic for d in found]


def test_find_disagreements_places_of_two_figures_are_two_places_measured() -> None:
    # "Unemployment in Lunmouth rose to 7 percent", "in Eastwick to 9": each place has its own figure,
    # so the places are no dispute over where one thing happened.
    found, _ = disagreements_of(
        "Quenland jobs\n\nThe data came out Friday. Unemployment in Lunmouth rose to 7 percent in May.",
        "Jobs in Quenland\n\nThe data came out Friday. Unemployment in Eastwick rose to 9 percent in May.",
    )
    assert "place" not in [d.kind for d in found], [d.topic for d in found]


def test_find_disagreements_figures_of_two_named_places_are_two_figures() -> None:
    # "7 percent in Lunmouth", "9 percent in Eastwick": neither source states the other's figure, yet
    # each names its own place; one figure told two ways would be of one place.
    found, _ = disagreements_of(
        "Quenland jobs\n\nThe data came out Friday. Unemployment in Lunmouth rose to 7 percent in May.",
        "Jobs in Quenland\n\nThe data came out Friday. Unemployment in Eastwick rose to 9 percent in May.",
    )
    assert not found, [d.topic for d in found]
    found, _ = disagreements_of(
        "Quenland jobs\n\nThe data came out Friday. Unemployment in Lunmouth rose to 7 percent in May.",
        "Jobs in Quenland\n\nThe data came out Friday. Unemployment in Lunmouth rose to 9 percent in May.",
    )
    assert [d.kind for d in found] == ["number"], [d.topic for d in found]


def test_find_disagreements_fragments_of_one_phrase_with_a_word_changed_are_aligned() -> None:
    # "a travesty of justice" and "a miscarriage of justice" after "called the ruling": one phrase
    # quoted two ways, though the fragments share no two content words in a row.
    lead = "Quenland court\n\nThe hearing ran late. Ilse Varga, who called the ruling "
    found, _ = disagreements_of(
        lead + "“a travesty of justice,” said she would appeal.",
        lead + "“a miscarriage of justice,” said she would appeal.",
    )
    assert [d.kind for d in found] == ["quote"], [d.topic for d in found]


def test_find_disagreements_a_fragment_against_the_whole_remark_reworded() -> None:
    # "Varga said the levy “will hurt working families”" against the whole remark with "hardworking":
    # the name leading into the fragment ties it to her remarks.
    found, _ = disagreements_of(
        "Quenland levy\n\nThe vote is near. Varga said the levy “will hurt working families.”",
        "Levy in Quenland\n\nThe vote is near. “This levy will hurt hardworking families across the "
        "state,” Ilse Varga said.",
    )
    assert [d.kind for d in found] == ["quote"], [d.topic for d in found]
    found, _ = disagreements_of(
        "Quenland levy\n\nThe vote is near. Varga said the levy “will hurt working families.”",
        "Levy in Quenland\n\nThe vote is near. “This levy will hurt working families across the "
        "state,” Ilse Varga said.",
    )
    assert not found, [d.topic for d in found]


def test_find_disagreements_resigned_against_fired_is_an_incompatible_statement() -> None:
    # Pairs of contrasts.txt: one outlet says the commissioner resigned, the other that he was fired.
    lead = "Quenland harbour\n\nThe row went on for weeks. Harbour commissioner Olan Varrick "
    found, _ = disagreements_of(
        lead + "resigned on Friday after a dispute with the board over the levy.",
        lead + "was fired on Friday after a dispute with the board over the levy.",
    )
    assert [d.kind for d in found] == ["statement"], [d.topic for d in found]


def test_find_disagreements_figures_of_two_named_polls_are_two_figures() -> None:
    # "a Gazette poll found 45 percent", "a Radio Lunmouth poll found 52 percent": two polls, though
    # neither source states the other's figure. One poll told two ways is still a dispute.
    found, _ = disagreements_of(
        "Quenland vote\n\nThe race is tight. A Gazette poll found 45 percent of voters back the pier plan.",
        "Vote in Quenland\n\nThe race is tight. A Radio Lunmouth poll found 52 percent of voters back the "
        "pier plan.",
    )
    assert not found, [d.topic for d in found]
    found, _ = disagreements_of(
        "Quenland vote\n\nThe race is tight. A Gazette poll found 45 percent of voters back the pier plan.",
        "Vote in Quenland\n\nThe race is tight. A Gazette poll found 52 percent of voters back the pier "
        "plan.",
    )
    assert [d.kind for d in found] == ["number"], [d.topic for d in found]
