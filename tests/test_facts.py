from __future__ import annotations

import pytest

from briefing.reconcile.dates import parse_dates, publication_year, years_in
from briefing.reconcile.numbers import parse_quantities, stem, values_agree
from briefing.reconcile.people import find_people, name_tokens, same_person, title_key, titles_compatible


def _q(text: str):  # type: ignore[no-untyped-def]
    (q,) = parse_quantities(text)
    return q


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("45,000 tonnes", 45000, "t"),
        ("45k t", 45000, "t"),
        ("45 thousand tonnes", 45000, "t"),
        ("$1.2bn", 1.2e9, "USD"),
        ("1.2 billion dollars", 1.2e9, "USD"),
        ("12 percent", 12, "%"),
        ("12 per cent", 12, "%"),
        ("three million people", 3e6, "n:peopl"),
    ],
)
def test_parse_quantities_normalises_scale_and_unit(text: str, value: float, unit: str) -> None:
    q = _q(text)
    assert (q.low, q.high, q.unit) == (value, value, unit)
    assert text.startswith(text[q.start : q.end])  # the count noun is the unit, not part of the span


def test_parse_quantities_ranges_and_hedges() -> None:
    assert (_q("85-90%").low, _q("85-90%").high) == (85, 90)
    ten_to_15 = _q("a 10-to-15-year strategy")
    assert (ten_to_15.low, ten_to_15.high) == (10, 15)
    assert _q("about 45,000 tonnes").approx
    assert _q("~12%").approx
    assert _q("over 90% of magnets").high == float("inf")


def test_parse_quantities_skips_years_dates_and_codes() -> None:
    text = "In 2010, on Oct 28, 2025, F-35 jets and COVID-19 at 8:30 in the 1990s.\n1. Joint research"
    assert parse_quantities(text) == []


def test_parse_quantities_reads_ages() -> None:
    assert _q("Tomas Verhoek, 46, is married").unit == "years-old"
    assert _q("He died at 84 on Monday").unit == "years-old"
    assert _q("In 2011, 46 senators voted").unit != "years-old"  # no name before the comma


def test_values_agree_rounding_ranges_and_hedges() -> None:
    assert values_agree(_q("45,000"), _q("45,230"))  # rounding
    assert values_agree(_q("about 45,000"), _q("47,000"))  # hedged: 10%
    assert not values_agree(_q("45,000"), _q("47,000"))
    assert not values_agree(_q("45,000 tonnes"), _q("40,000 tonnes"))
    assert values_agree(_q("85-90%"), _q("about 88%"))  # overlapping
    assert not values_agree(_q("70%"), _q("85-90%"))
    assert values_agree(_q("12%"), _q("12.4%"))
    assert not values_agree(_q("12%"), _q("15%"))


def test_parse_dates_and_publication_year() -> None:
    dates = parse_dates("signed on October 27, 2025 and praised on Tuesday (Oct 28, 2025)")
    assert [(d.year, d.month, d.day, d.weekday) for d in dates] == [
        (2025, 10, 27, None),
        (None, None, None, 1),
        (2025, 10, 28, None),
    ]
    assert publication_year(None, "Press Desk\n\nPosted on 31 Oct 2025\n\nTarnow, Quenby sign pact") == 2025
    assert publication_year("2024-02-01", "") == 2024


def test_years_in_resolves_relative_years() -> None:
    assert years_in("The quarry shipped 45,000 tonnes last year", 2025) == {2024}
    assert years_in("Grain Harvest — Estimated 2024", None) == {2024}
    assert years_in("45,000 tonnes", 2025) == set()


def test_stem_gives_every_inflection_of_a_word_one_stem() -> None:
    # A suffix list read the "-er" of "offer" as a suffix: "offer" and "offers" became "off", "offered"
    # stayed "offer", and "The offer would..." no longer matched "offered to..." at a figure.
    assert stem("offer") == stem("offered") == stem("offers") == stem("offering")
    assert stem("produced") == stem("producing") == stem("produces")
    assert stem("ship") == stem("ships") == stem("shipping")
    assert stem("e-mails") == stem("emails")
    assert stem("mining") != stem("processing")


def test_name_tokens_ignore_order_initials_and_possessive() -> None:
    assert name_tokens("Okuda Rin") == name_tokens("Rin Okuda") == ["okuda", "rin"]
    assert name_tokens("Walter J. Pindar") == ["pindar", "walter"]
    assert name_tokens("Pindar’s") == ["pindar"]
    assert same_person(["okuda"], ["okuda", "rin"])
    assert not same_person(["pindar", "ilse"], ["pindar", "otto"])


def test_find_people_reads_titles_before_and_after_names() -> None:
    text = (
        "The canal pact was sealed by Italy’s Prime Minister Okuda Rin and US President Aldo Brant. "
        "Secretary of State Ines Falk and Tomas Verhoek, chairman of the Federal Democratic "
        "Committee, cheered; former president Piet Lund stayed away."
    )
    found = {" ".join(p.name_tokens): p for p in find_people(text)}
    assert found["okuda rin"].title_key == ["minister", "prime"]
    assert text[found["okuda rin"].start : found["okuda rin"].end] == "Italy’s Prime Minister Okuda Rin"
    assert found["aldo brant"].title_key == ["president"]
    assert found["falk ines"].title_key == ["secretary", "state"]
    assert found["tomas verhoek"].title_key == ["chairman", "committee"]
    assert found["lund piet"].historic


def test_titles_compatible_rules() -> None:
    pm, _ = title_key("Prime Minister")
    esm, _ = title_key("Fisheries Minister")
    bare, _ = title_key("Minister")
    assert not titles_compatible(pm, esm)
    assert titles_compatible(bare, esm)
    assert titles_compatible(title_key("U.S. President")[0], title_key("President")[0])
    assert not titles_compatible(title_key("Vice President")[0], title_key("President")[0])
    assert titles_compatible(title_key("Sen.")[0], title_key("Senate Majority Leader")[0])
    assert not titles_compatible(title_key("Sen.")[0], title_key("Gov.")[0])
    assert titles_compatible(title_key("CEO")[0], title_key("founder")[0])


def test_titles_compatible_a_rank_makes_another_post_of_a_stacked_role() -> None:
    # Chairman is a role people stack with others; a vice chairman still holds another post than the
    # chairman of the same board.
    assert not titles_compatible(title_key("Board Vice Chairman")[0], title_key("Board Chairman")[0])
    assert not titles_compatible(title_key("Deputy Director")[0], title_key("Director")[0])
    assert titles_compatible(title_key("Board Chairman")[0], title_key("Chairman")[0])
    assert titles_compatible(title_key("Chairman")[0], title_key("Senator")[0])


def test_bare_surnames_are_people_the_source_named_in_full_before() -> None:
    from briefing.reconcile import bare_surnames

    before = "Harbour inspector Maren Ostvik spoke on Monday. Staff at the Grey House listened. "
    before += "Sen. Ivo Brandt wrote."
    assert bare_surnames("Ostvik added that the wall was weak.", before) == {"Ostvik"}
    assert bare_surnames("Mr. Brandt and Ostvik met on Friday.", before) == {"Brandt", "Ostvik"}
    assert bare_surnames("Maren Ostvik added that the wall was weak.", before) == set()
    assert bare_surnames("The House voted; the Grey House said no.", before) == set()
    assert bare_surnames("Ostvik added that the wall was weak.", "The wall is old.") == set()
    # An O' prefix is part of the surname: "Mr. O’Varn" is still a stranger to a reader.
    before += " Harbour pilot Ada O’Varn and Rob D'Ostal joined them."
    assert bare_surnames("Mr. O’Varn, asked about the wall, said it was weak.", before) == {"O’Varn"}
    assert bare_surnames("D'Ostal agreed.", before) == {"D'Ostal"}
    assert bare_surnames("Ada O’Varn said the wall was weak.", before) == set()


def test_bare_surnames_a_headline_word_over_a_dateline_is_no_first_name() -> None:
    from briefing.reconcile import bare_surnames

    # The subtitle's last word and the capitalised dateline under it are on two lines: no "Seat Tarnow".
    before = "Mayor Picks Ex-Aide to Fill the Harbor Seat\n\nTARNOW — "
    assert bare_surnames("Mayor Ulla Brandvik appointed a Tarnow lawyer on Wednesday.", before) == set()
    assert bare_surnames("Lund said so.", "Mayor Picks Piet\nLund for the harbor job.") == set()
    assert bare_surnames("Lund said so.", "Mayor Picks Piet Lund for the harbor job.") == {"Lund"}


def test_bare_surnames_a_common_word_after_a_name_or_in_a_headline_is_no_surname() -> None:
    from briefing.reconcile import bare_surnames

    # "the Korvel vaccine" names no one called "Vaccine"; the capital is the sentence's first letter.
    before = "Regulators cleared the Korvel vaccine on Monday. Its maker, Korvel Labs, cheered.\n"
    assert bare_surnames("Vaccine makers said supply would double.", before) == set()
    # Headlines give no first names: "Mayor Lifts Harbor Curbs" names no "Lifts Harbor".
    before = "Mayor Lifts Harbor Curbs After Storm\n\nTarnow Democrats skip harbor vote\n\nThe mayor spoke."
    assert bare_surnames("Harbor traffic will resume on Friday.", before) == set()
    assert bare_surnames("Democrats said they would return.", before) == set()
    # A surname the prose gave a first name is still a stranger.
    assert bare_surnames("Brandvik said no.", before + " Ulla Brandvik, the mayor, spoke.") == {"Brandvik"}


def test_find_people_under_is_a_rank_inside_a_sentence_and_a_preposition_opening_one() -> None:
    # "Under Secretary" is a junior post of "Secretary"; a sentence opening "Under President Roe," is
    # a preposition, and the title is the President's.
    inside = find_people("The letter from Under Secretary Ilse Varga arrived on Friday.")
    assert [(p.title, p.title_key) for p in inside] == [("Under Secretary", ["secretary", "under"])]
    opening = find_people("The port grew. Under President Ilse Varga, it grew faster.")
    assert [p.title_key for p in opening] == [["president"]]
    assert not titles_compatible(inside[0].title_key, title_key("Secretary")[0])
