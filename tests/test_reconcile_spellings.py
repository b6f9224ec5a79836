"""A name spelled two ways by two outlets is flagged once, with every source on its side."""

from __future__ import annotations

from _reconcile_helpers import disagreements_of

from briefing.models import Source
from briefing.reconcile.spellings import find_spellings, one_edit

A = (
    "Harbour board chairman Tobias Wennerholm resigned on Monday after the audit of the port. "
    "Wennerholm said the audit was unfair to the dock workers."
)
B = (
    "Tobias Wennerhom, chairman of the harbour board, resigned on Monday after an audit of the port. "
    "The board will meet next week."
)
C = "The harbour board chairman, Tobias Wennerhom, left after the port audit, officials said."


def _sources(*texts: str) -> dict[str, Source]:
    return {f"S{n}": Source(id=f"S{n}", path=f"S{n}.txt", text=t) for n, t in enumerate(texts, start=1)}


def test_one_edit_accepts_one_letter_and_a_swap_only() -> None:
    assert one_edit("priest", "preist") and one_edit("harlow", "harrlow") and one_edit("hale", "halo")
    assert not one_edit("norland", "norwend") and not one_edit("same", "same") and not one_edit("ab", "abcd")


def test_find_disagreements_flags_a_name_spelled_two_ways_with_each_spellings_sources() -> None:
    found, sources = disagreements_of(A, B, C)
    spelled = [d for d in found if d.topic.startswith("How the name is spelled")]
    assert len(spelled) == 1
    d = spelled[0]
    assert d.kind == "person" and "Wennerholm" in d.topic and "Wennerhom" in d.topic
    assert [[c.source for c in p.citations] for p in d.positions] == [["S1"], ["S2", "S3"]]
    for p in d.positions:
        for c in p.citations:
            assert sources[c.source].text[c.start : c.end] == c.quote
    assert "Wennerholm" in d.positions[0].text and "Wennerhom" in d.positions[1].text


def test_find_spellings_place_after_a_preposition() -> None:
    a = "The ferry ran aground near Skarvholm harbour on Friday, the coast guard said."
    b = "A ferry ran aground near Skarfholm harbour, the coast guard said on Friday."
    [spelling] = find_spellings(_sources(a, b))
    assert spelling.kind == "place" and spelling.forms == ("Skarfholm", "Skarvholm")


def test_find_spellings_leaves_plurals_last_letters_weekdays_and_unrelated_mentions() -> None:
    cases = [
        # a plural or a possessive-like ending: another word
        ("The Novak family sued the port board on Monday.", "The Novaks sued the port board on Monday."),
        # only the last letter differs: two names ("Marta", "Marty")
        ("Marta Ilves chaired the port board meeting.", "Marty Ilves chaired the port board meeting."),
        # a misspelt weekday is a typo of a common word
        ("The port board met Wednedsay to vote on fees.", "The port board met Wednesday to vote on fees."),
        # one letter apart but nothing around them in common: two different things
        ("Dr. Halvorsen opened the clinic in the valley.", "Lawyers for Halvorson filed the appeal late."),
        # two letters apart: two names, however alike the sentences
        (
            "Mayor Ansel Norland opened the port bridge on Monday.",
            "Mayor Ansel Norwend opened the port bridge on Monday.",
        ),
        # a word the other source uses as a plain word ("each fisher"): no name
        (
            "Port chief Rona Fisher spoke on Monday about the harbour fees.",
            "Port chief Rona Fischer spoke on Monday about the harbour fees. Each fisher pays them.",
        ),
        # another first letter: another name ("Halden", "Walden")
        (
            "Mayor Ansel Halden opened the port bridge on Monday.",
            "Mayor Ansel Walden opened the port bridge on Monday.",
        ),
        # a capitalisation difference alone
        ("The PortLink ferry service resumed on Friday.", "The Portlink ferry service resumed on Friday."),
    ]
    for a, b in cases:
        assert list(find_spellings(_sources(a, b))) == [], (a, b)
        assert list(find_spellings(_sources(b, a))) == [], (b, a)


def test_find_spellings_leaves_out_a_source_writing_both_forms() -> None:
    both = "Port chief Ilse Brantmer, also written Brantmeer in filings, resigned on Monday at the port."
    one = "Port chief Ilse Brantmeer resigned on Monday at the port."
    other = "Port chief Ilse Brantmer resigned on Monday at the port, the board said."
    assert list(find_spellings(_sources(both, one))) == []
    [spelling] = find_spellings(_sources(both, one, other))
    assert [[r.source_id for r in side] for side in spelling.sides] == [["S2"], ["S3"]]
