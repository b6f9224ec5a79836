"""Stories: grouping a folder by event, wire copies as one voice, readable sentences, the story layout."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

from briefing import make_brief
from briefing.compose import word_budget
from briefing.engines.extractive import (
    DATELINE,
    is_boilerplate,
    is_cut,
    is_relayed,
    is_unfinished,
    leans_back,
    takes_up,
)
from briefing.models import Source
from briefing.options import BriefOptions
from briefing.stories import group_stories, mark_wire_copies
from briefing.text import content_words

PINNED = datetime(2026, 1, 1, tzinfo=UTC)

# Synthetic events with their own vocabulary (no corpus text).
BRIDGE = [
    "The Varnholm river bridge collapsed on Tuesday after floodwater undermined its pillars, engineers said. "
    "Rescue crews pulled four drivers from the river near Varnholm and closed the bridge approaches. "
    "The regional transport office said the bridge had passed an inspection in the spring.",
    "Floodwater brought down the Varnholm bridge on Tuesday, sending cars into the swollen river. "
    "Four drivers were rescued from the river, and crews sealed the approaches to the bridge. "
    "Engineers blamed pillars weakened by the flood; an inspection in spring had found no fault.",
    "A bridge over the river at Varnholm gave way on Tuesday as floodwater scoured its pillars. "
    "Rescuers saved four drivers whose cars fell into the river, officials at the transport office said. "
    "The bridge approaches remain closed while engineers examine the flood damage.",
]
ORCHESTRA = [
    "The Quellport symphony orchestra named a new conductor, Ilse Marrow, to lead its concert season. "
    "Marrow will conduct twelve concerts and take charge of the orchestra's youth programme. "
    "The orchestra board praised her recordings of choral symphonies.",
    "Ilse Marrow has been appointed conductor of the Quellport symphony orchestra, its board announced. "
    "Her first season includes twelve concerts and a new youth programme for young musicians. "
    "Board members cited her acclaimed choral symphony recordings.",
]
LONE = (
    "A farmer in Dellby grew a pumpkin weighing nine hundred kilograms, a county fair record. "
    "Judges at the Dellby county fair weighed the pumpkin twice on a livestock scale."
)


def _sources(texts: list[str]) -> list[Source]:
    return [Source(id=f"S{i}", path=f"s{i}.txt", text=t, chars=len(t)) for i, t in enumerate(texts, 1)]


def test_group_stories_separates_events_and_orders_by_voices() -> None:
    sources = _sources([ORCHESTRA[0], BRIDGE[0], LONE, BRIDGE[1], ORCHESTRA[1], BRIDGE[2]])
    _, groups = group_stories(sources)
    assert [sorted(g.source_ids) for g in groups] == [["S2", "S4", "S6"], ["S1", "S5"], ["S3"]]
    assert [g.voices for g in groups] == [3, 2, 1]


def test_group_stories_one_article_is_one_story() -> None:
    _, groups = group_stories(_sources([LONE]))
    assert [g.source_ids for g in groups] == [["S1"]]


def test_mark_wire_copies_same_agency_near_identical_text_is_one_voice() -> None:
    body = " ".join(BRIDGE)
    first = "VARNHOLM (Wirecast) - " + body + " More updates will follow as crews search the river banks."
    second = "VARNHOLM (Wirecast) - " + body + " The regional governor will visit the site on Wednesday."
    other = "VARNHOLM (Otherwire) - " + body
    marked = mark_wire_copies(_sources([first, second, other]))
    assert [s.duplicate_of for s in marked] == [None, "S1", None]


def test_leans_back_finds_connectives_pronouns_and_speakerless_quotes() -> None:
    assert leans_back("But the council rejected the plan on Friday.")
    assert leans_back("He said the vote would be held next week.")
    assert leans_back("“We will rebuild it,” she said at the site.")
    assert leans_back("“We will rebuild it and open it again by winter.”")
    assert leans_back("After the meeting ended, they left the building.")
    assert not leans_back("The council rejected the plan on Friday.")
    assert not leans_back("“We will rebuild it,” the mayor said at the site.")


def test_leans_back_finds_an_opening_phrase_ending_on_a_connective_and_a_continued_speaker() -> None:
    assert leans_back("A few minutes later – at dawn – the crews reached the bank.")
    assert leans_back("Two days later, the crews reached the bank.")
    assert leans_back("The engineer, who asked not to be named, added that the pillars had cracked.")
    assert leans_back("The inspector continued: the pillars had cracked.")
    assert not leans_back("In Varnholm, the crews reached the bank.")
    assert not leans_back("The council added a clause to the budget.")
    assert not leans_back("The river continued to rise overnight.")


def test_readability_filters_find_a_named_speaker_continuing_and_an_unclosed_quotation() -> None:
    assert leans_back("Aldous continued, calling the vote a disgrace.")
    assert leans_back("Ms. Aldous added that the pier would reopen.")
    assert leans_back("Mr. Aldous went on to say that the pier would reopen.")
    assert leans_back("Finally, the council voted to reopen the pier.")
    assert not leans_back("The council added a clause to the pier budget.")
    assert is_cut("The mayor unveiled a plan. “This is our first task: keeping the pier safe.")
    assert is_cut('Questions remain about the pier," she said. "')
    assert not is_cut("“We will reopen the pier,” she said.")
    assert not is_cut('She called it "a turning point" for the pier.')
    assert DATELINE.match("VARNHOLM ― The bridge fell.")
    assert DATELINE.match("VARNHOLM ―The bridge fell.")
    assert DATELINE.match("VARNHOLM –- The bridge fell.")
    assert not DATELINE.match("The council—which met on Monday—voted.")


def test_leans_back_finds_a_connective_aside_and_a_thing_named_before() -> None:
    assert leans_back("Aldous, however, said the pier would stay shut.")
    assert leans_back("The statement said the pier would stay shut.")
    assert leans_back("The move came after a week of talks about the pier.")
    assert leans_back("“The pier is unsafe,” the report read.")
    assert not leans_back("Mr. Aldous, a harbour engineer, said the pier would stay shut.")
    assert not leans_back("The harbour board said the pier would stay shut.")


def test_readability_filters_find_headings_and_social_media_embeds() -> None:
    assert is_unfinished("Crews had asked to close the bridge 'before the storm'")
    assert is_unfinished("Varnholm bridge collapse: how the day unfolded")
    assert not is_unfinished("Crews had asked to close the bridge 'before the storm.'")
    assert not is_unfinished("“We will rebuild it,” the mayor said.")
    assert not is_unfinished("Engineers asked one question: why?")
    assert is_boilerplate("Varnholm’s @RiverWatch: crews are searching four sectors.")
    assert is_boilerplate("Crews searched four sectors of the #VarnholmBridge site.")
    assert not is_boilerplate("Send tips to desk@example.org for the crews.")
    assert not is_boilerplate("It was the #1 crossing in the region.")


def test_boilerplate_news_told_on_a_platform_or_in_brackets_is_no_page_furniture() -> None:
    """Read across 13,354 corpus sentences: ~120 news sentences were dropped as page furniture
    ("fired back on Twitter", "By Monday, ...", a quoted post's hashtag, a sentence in brackets)."""
    assert not is_boilerplate("The mayor fired back on Twitter.")
    assert not is_boilerplate("The council put the recording on its website on Tuesday.")
    assert not is_boilerplate("By Monday, the aide had resigned as spokeswoman.")
    assert not is_boilerplate("It was the most popular plan in the harbour poll.")
    assert not is_boilerplate("Unions urged members to sign up on Monday for the rallies.")
    assert not is_boilerplate("A new advertisement says the levy is too high.")
    assert not is_boilerplate("(The ferry was delivered a week late.)")
    assert not is_boilerplate("“Crews are searching four sectors. #VarnholmBridge,” the mayor tweeted.")
    assert not is_boilerplate("The hashtag #RebuildVarnholm was trending by noon.")
    assert not is_boilerplate("Like many skippers on Facebook, Per Lund mocked the plan.")
    assert not is_boilerplate("The harbour publishers filed a copyright lawsuit against the firm.")
    assert not is_boilerplate("Few skippers subscribe to the theory that the pier is safe.")
    assert is_boilerplate("Copyright 2024 The Harbour Gazette. All rights reserved.")
    assert is_boilerplate("Subscribe to our newsletter.")
    # The furniture these patterns are for is still found.
    assert is_boilerplate("Follow The Harbour Gazette on Twitter.")
    assert is_boilerplate("Find the Gazette on Facebook.")
    assert is_boilerplate("Like us on Facebook for more harbour news.")
    assert is_boilerplate("(Reporting by Anna Korvel; Editing by Per Lund)")
    assert is_boilerplate("(Harbour Press)")
    assert is_boilerplate("Twitter: Anna Korvel - crews are searching four sectors")
    assert is_boilerplate("#VarnholmBridge pic.twitter.com/AbC123 — Harbour Desk (@harbourdesk) May 4, 2017")
    assert is_boilerplate("Advertisement")


def test_readability_filters_find_datelines_boilerplate_cuts_and_relays() -> None:
    assert DATELINE.match("VARNHOLM (Wirecast) - The bridge fell.")
    assert DATELINE.match("Varnholm (Wirecast) – The bridge fell.")
    assert DATELINE.match("VARNHOLM — The bridge fell.")
    assert not DATELINE.match("The bridge fell on Tuesday - engineers said.")
    assert is_boilerplate("By Anna Korvel and Per Lund")
    assert is_boilerplate("Click here to sign up for our morning newsletter.")
    assert is_boilerplate("(Photo by a staff photographer)")
    assert not is_boilerplate("The bridge was built by engineers from the capital in 1970.")
    assert is_boilerplate("Divers at the collapsed span on Tuesday.CreditAnna Korvel/Wirecast")
    assert is_boilerplate("Divers at the collapsed span. Credit: Anna Korvel / Wirecast")
    assert not is_boilerplate("Credit unions lent the town money to rebuild the bridge.")
    assert not is_boilerplate("The mayor gave the divers credit. Engineers agreed.")
    assert is_cut("The bridge had passed an inspection in the spring and...")
    assert is_relayed("The Quellport Courier reported that the bridge had cracks.")
    assert is_relayed("Here's an excerpt from the report:")
    assert not is_relayed("Engineers reported cracks in two pillars last year.")


def test_readability_filters_find_page_furniture_of_more_sites() -> None:
    # Invented variants of the furniture other sites print: a title-case dateline, a barred byline, a
    # caption's label, links, where the piece ran first, the author's line, contacts and time stamps.
    assert DATELINE.match("Quenby, Varnia — The bridge fell.")
    assert DATELINE.match("New Quenby, Va. — The bridge fell.")
    assert not DATELINE.match("Roe, the mayor — said no more.")
    assert is_boilerplate("Anna Korvel | The Harbour Gazette")
    assert is_boilerplate("Image caption The bridge at dawn")
    assert is_boilerplate("Related: How bridges fail")
    assert is_boilerplate("This article originally appeared on Harbour Weekly.")
    assert is_boilerplate("Anna Korvel is a reporter for the Harbour Gazette.")
    assert is_boilerplate("Contact Anna Korvel at akorvel@example.com.")
    assert is_boilerplate("Updated 3:45 p.m. ET, March 3, 2025")
    assert not is_boilerplate("Anna Korvel is a reporter who was detained in Quenby on Monday.")
    assert not is_boilerplate("Updated figures show 40 more deaths.")
    assert not is_boilerplate("Watch the bridge fall in the video the council released.")


def test_relayed_is_another_outlets_reporting_not_an_institutions_own() -> None:
    """Read across the corpora: a ministry publishing its figures, words told to a committee or to the
    public, and an agency's report were taken for another outlet's reporting (a lede relaying another
    outlet is never the bottom line, nor corroboration)."""
    assert is_relayed("Roe told the Quellport Courier that the pier was safe.")
    assert is_relayed("The pier was unsafe, according to a report from Harbour Weekly.")
    assert is_relayed("The Quellport Courier reported Friday that the pier was closed.")
    assert is_relayed("The pier closed on Friday, the Quellport Courier reported.")
    assert not is_relayed("Shipyards added 2,350 jobs last month, the Harbour Ministry reported on Friday.")
    assert not is_relayed("The Harbour Ministry reported Friday that shipyards added 2,350 jobs.")
    assert not is_relayed("Roe told the Senate Harbour Committee on Tuesday that the pier was safe.")
    assert not is_relayed("Roe told the American people the pier was safe.")
    assert not is_relayed("Ferry trips fell 4%, according to a new federal report.")
    assert not is_relayed("The pier was unsafe, according to a report from the Department of Transport.")


def test_dateline_cuts_a_photo_credit_glued_to_the_first_word() -> None:
    # A scraped page can glue the photo's credit to the article's first word.
    m = DATELINE.match("Anna Korvel/WIRECASTThe pier reopened on Friday after a year of repairs.")
    assert m is not None and m.end() == len("Anna Korvel/WIRECAST")
    assert not DATELINE.match("Anna Korvel/Wirecast said the pier reopened on Friday.")


def test_make_brief_tells_each_story_and_lists_single_source_items(tmp_path: Path) -> None:
    folder = tmp_path / "morning"
    folder.mkdir()
    for i, text in enumerate([*BRIDGE, *ORCHESTRA, LONE]):
        # Long enough that the word budget (which grows with the input) has room for two stories.
        (folder / f"{i}.txt").write_text("\n\n".join([text] * 5), encoding="utf-8")
    brief = make_brief(folder, BriefOptions(engine="extractive"), now=PINNED)
    assert [len(s.sources) for s in brief.stories] == [3, 2]
    assert [s.independent_sources for s in brief.stories] == [3, 2]
    for story in brief.stories:
        assert story.headline and story.bottom_line
        # "Checked, none found" is said, never left for the reader to guess.
        agree = f"The {story.independent_sources} sources agree"
        assert story.disagreements or story.checked.startswith(agree)
    assert [c.source for s in brief.also_reported for c in s.citations] == ["S6"]
    # Top-level fields stay a valid brief: each story's bottom line, then their points.
    assert brief.bottom_line == [s.bottom_line[0] for s in brief.stories]
    markdown = brief.to_markdown()
    assert "## 1. " in markdown and "## 2. " in markdown and "## Also reported" in markdown
    assert "sources agree on the facts checked" in markdown


def test_make_brief_lists_a_feature_by_the_sentence_stating_its_headline(tmp_path: Path) -> None:
    # A feature opens on a scene that states nothing of its headline; its line under "Also reported"
    # is the early sentence that does (its "nut graf"), not the scene.
    folder = tmp_path / "morning"
    folder.mkdir()
    feature = (
        "Harbour Cameras Put the Lanes of Quenby Under Watch\n\n"
        "On a wet Monday in March, Mara Oss walked her dog past the fish market and waved to a neighbour. "
        "She stopped at the bakery for bread, as she has done every morning for twenty years.\n\n"
        "The lanes of Quenby have become a test bed for cameras and checkpoints, locals say. "
        "Nine new posts went up on the quay this spring."
    )
    for i, text in enumerate([*BRIDGE, feature]):
        (folder / f"{i}.txt").write_text(
            "\n\n".join([text] * (1 if text is feature else 5)), encoding="utf-8"
        )
    brief = make_brief(folder, BriefOptions(engine="extractive"), now=PINNED)
    assert [s.text for s in brief.also_reported] == [
        "The lanes of Quenby have become a test bed for cameras and checkpoints, locals say."
    ]


def test_make_brief_one_article_gives_a_few_sentences(tmp_path: Path) -> None:
    article = tmp_path / "one.txt"
    article.write_text(" ".join(BRIDGE * 6), encoding="utf-8")
    brief = make_brief(article, BriefOptions(engine="extractive"), now=PINNED)
    assert len(brief.stories) == 1 and brief.stories[0].checked == "One source only: nothing to compare."
    assert brief.meta.words <= word_budget(500, len(article.read_text().split())) + 25
    assert brief.meta.words < len(article.read_text().split()) / 2


def test_word_budget_grows_with_the_input_up_to_max_words() -> None:
    assert word_budget(500, 400) == 100
    assert word_budget(500, 2000) == 300
    assert word_budget(500, 100_000) == 500
    assert word_budget(60, 400) == 60


def test_options_max_words_can_go_below_150() -> None:
    assert BriefOptions(max_words=80).max_words == 80


def test_leans_back_ignores_a_trailing_attribution_with_a_possessive() -> None:
    from briefing.engines.extractive import leans_back

    assert not leans_back("The mill produced 45,000 t of pulp in the first quarter, its owner said.")
    assert leans_back("After the vote, he said the plan would go ahead next year.")


def test_make_brief_names_stories_beyond_the_budget_by_headline(tmp_path: Path) -> None:
    folder = tmp_path / "morning"
    folder.mkdir()
    for i, text in enumerate([*BRIDGE, *ORCHESTRA, LONE]):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    # A budget with room for one told story: the other story with several voices is named, not dropped.
    brief = make_brief(folder, BriefOptions(engine="extractive", max_words=60), now=PINNED)
    assert len(brief.stories) == 1 and brief.stories[0].independent_sources == 3
    assert [(h.independent_sources, sorted(h.sources)) for h in brief.more_stories] == [(2, ["S4", "S5"])]
    assert brief.more_stories[0].headline
    markdown = brief.to_markdown()
    assert "## More stories" in markdown and "[4][5]" in markdown
    assert brief.more_stories[0].headline in brief.to_html()
    assert "More stories" in json.dumps(brief.to_slack())


_TOPICS = ["harbour", "orchard", "glacier", "foundry", "vineyard", "observatory", "canal", "quarry"]


def _write_single_reports(folder: Path, *, sentence_words: int) -> list[str]:
    """One article per topic, each with its own vocabulary, so that no two are grouped as one event."""
    for word in _TOPICS:
        vocab = [f"{word}{suffix}" for suffix in ("ing", "er", "ade", "ism", "ette", "ary", "ist", "ory")]
        body = " ".join(
            "The " + " ".join(vocab[(k + j) % 8] for j in range(sentence_words)) + f" {word}."
            for k in range(8)
        )
        (folder / f"{word}.md").write_text(f"# The {word} scheme is approved\n\n{body}\n", encoding="utf-8")
    return list(_TOPICS)


def test_make_brief_names_a_single_source_story_beyond_the_budget_by_headline(tmp_path: Path) -> None:
    folder = tmp_path / "morning"
    folder.mkdir()
    topics = _write_single_reports(folder, sentence_words=24)
    brief = make_brief(folder, BriefOptions(engine="extractive", max_words=150), now=PINNED)
    shown = {s for st in brief.stories for s in st.sources} | {
        c.source for line in brief.also_reported for c in line.citations
    }
    named = {s for h in brief.more_stories for s in h.sources}
    assert len(brief.sources) == len(topics)
    assert {s.id for s in brief.sources} <= shown | named  # every story is told, listed or named
    assert any(h.independent_sources == 1 for h in brief.more_stories)
    assert "(1 independent sources)" not in brief.to_markdown()


def test_leans_back_finds_an_opening_phrase_ending_on_a_pronoun() -> None:
    assert leans_back("One of them, the harbour engineer, said the pier would stay shut.")
    assert leans_back("Of that, $3 million goes to the pier.")
    assert not leans_back("On Tuesday, the council voted to reopen the pier.")
    assert not leans_back("In 2019, the pier was rebuilt.")


def test_make_brief_headline_is_the_cited_headline_adding_most_to_the_bottom_line(tmp_path: Path) -> None:
    heads = [
        "Transport office defends spring inspection of fallen crossing",
        "Floodwater brings down Varnholm bridge, sending cars into river",  # its own lede, restated
        "Varnholm bridge gives way in flood",
    ]
    for i, (head, text) in enumerate(zip(heads, BRIDGE, strict=True)):
        (tmp_path / f"s{i}.txt").write_text(f"{head}\n\n{text}\n", encoding="utf-8")
    brief = make_brief(tmp_path, BriefOptions(engine="extractive", max_words=150), now=PINNED)
    cited = {c.source for s in brief.bottom_line for c in s.citations}
    assert len(cited) > 1  # the other outlets' ledes corroborate it
    titles = [s.title for s in brief.sources if s.id in cited and s.title]
    said = {w for s in brief.bottom_line for w in content_words(s.text)}

    def adds(title: str) -> float:
        words = set(content_words(title))
        return len(words - said) / len(words)

    assert brief.title == max(titles, key=adds)
    assert adds(brief.title) > min(adds(t) for t in titles)


def test_leans_back_finds_a_demonstrative_in_the_opening_clause() -> None:
    assert leans_back("To pay for all four of those repairs, the council raised the harbour fee.")
    assert leans_back("The harbour board pushed back on that notion, calling the pier safe.")
    assert not leans_back("There are those who think the pier should close for good.")
    assert not leans_back("Engineers said that crews would reopen the pier in the spring.")


def test_takes_up_finds_a_definite_subject_naming_what_the_sentence_before_told_of() -> None:
    before = "Two harbour pilots filed complaints against the port authority on Monday."
    assert takes_up("The complaints say the authority ignored storm warnings.", before)
    assert takes_up("The two pilots asked for an inquiry.", before)
    assert not takes_up("The council voted to rebuild the pier.", before)
    assert not takes_up("The Senate voted on Friday.", "The Senate met on Thursday.")  # a name, not a noun


def test_takes_up_finds_the_kind_a_name_ends_on_but_not_a_title_opening_one() -> None:
    # "the Harbour Charter's Pilotage Clause" names a clause: "The clause says..." takes it up.
    before = "The pilots argue that under the Harbour Charter's Pilotage Clause, the closure is void."
    assert takes_up("The clause says the port must stay open to pilots.", before)
    # "Mayor Aldous" is a person: "The mayor" after it is plain to a reader of the story.
    assert not takes_up("The mayor closed the pier on Friday.", "Mayor Ann Aldous met the pilots.")


def test_leans_back_finds_an_answer_to_what_was_said_before() -> None:
    assert leans_back("Aldous shot back, calling the vote a disgrace.")
    assert leans_back("The harbourmaster replied that the pier was safe.")
    assert not leans_back("The council responded to the storm by closing the pier.")
    # Who answered and nothing else: the answer and what it answers are in other sentences.
    assert leans_back("Harbour board chair Ann Aldous immediately fired back.")
    assert leans_back("The pilots' union responded.")
    assert not leans_back("Crews added three barges to the fleet.")
    assert not leans_back("Fighting along the river continued.")


def test_leans_back_ignores_a_quoted_phrase_a_thing_named_in_place_and_the_calendar() -> None:
    # A quoted phrase inside the sentence is not '"...," he said': the words after it go on.
    assert not leans_back("Mayor Ann Aldous called it “a turning point” and said the pier would reopen.")
    assert not leans_back("Aldous said she stands “firmly behind” her decision to close the pier.")
    assert not leans_back('The board called it a "historic storm," and the port issued a warning.')
    assert leans_back("“The pier will reopen,” she said.")
    assert leans_back("“The pier is unsafe and the ferries must wait,” he told the board.")
    # The noun phrase says which group or which statement, in place.
    assert not leans_back("The first group of Varnholm pilots arrived in the port on Friday.")
    assert not takes_up("The pilots who signed the letter met the board.", "Pilots sign a letter to the port")
    assert leans_back("The group arrived in the port on Friday.")
    # "This weekend" counts from the day of writing; "This move" points back.
    assert not leans_back("This weekend, after the ban expired, crews reopened the pier.")
    assert not leans_back("This past year the port handled more ferries than ever.")
    assert leans_back("This move angered the pilots.")
    assert leans_back("That week, crews reopened the pier.")


def test_leans_back_reads_a_number_an_aside_and_a_named_speakers_aide() -> None:
    # "1,250" is a number, not the end of an opening phrase ending on "that".
    assert not leans_back("The port said that 1,250 ferries sailed in May, a record for the harbour.")
    assert not leans_back("The pier is costly and, in winter, would need a crew of forty.")
    # "Roe's lawyer added that...": what the lawyer said before is in a sentence not shown.
    assert leans_back("Aldous’s lawyer added that the closure was a “spectacle.”")
    assert not leans_back("Ann Aldous’s lawyer said the closure was unlawful.")


def test_leans_back_finds_others_than_those_named_before() -> None:
    assert leans_back("Four other harbour pilots also signed the letter.")
    assert leans_back("Others said the pier should close.")
    assert not leans_back("The council on the other hand voted to keep the pier open.")
    assert not leans_back("Pilots and other harbour staff signed the letter.")


def test_extractive_never_states_the_rest_of_a_quotation_alone_even_after_a_doubled_mark() -> None:
    # A mark typed twice ('""We...') made the paragraph's marks count even, so the last sentence of
    # the quotation read as the source's own words; its closing mark alone gives it away too.
    text = (
        "The Varnholm harbour board met on Tuesday to decide the future of the old pier.\n\n"
        '""We have waited long enough for the pier," Ms. Aldous told the harbour board on Tuesday. '
        '"And you know it. Whatever the cost, the pier must reopen to the ferries this year."\n\n'
        "Engineers put the repairs to the pier at forty weeks of work before the ferries return.\n"
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert any("harbour board" in s for s in said)
    assert not any(s.startswith(("Whatever", "And you know")) for s in said), said


def test_extractive_never_states_a_paragraph_of_a_quoted_letter_as_the_sources_words() -> None:
    # A letter quoted paragraph by paragraph opens its quotation in an earlier paragraph and closes
    # it at the end of the last: that paragraph's sentences are the letter's words, not the source's.
    text = (
        "The Varnholm harbour board met on Tuesday to decide the future of the old pier.\n\n"
        "Ms. Aldous wrote to the board on Monday:\n\n"
        "“Dear members of the board,\n\n"
        "There are those who think the ferries should move to the new quay, and they may say so. "
        "But none of them should chair the harbour board of this town.”\n\n"
        "Engineers put the repairs to the pier at forty weeks of work before the ferries return.\n"
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert any("forty weeks" in s for s in said), said
    assert not any("ferries should move" in s or "none of them" in s for s in said), said


def test_extractive_pairs_a_sentence_naming_a_thing_only_with_the_sentence_that_told_of_it() -> None:
    # "..., the statement said." asks "which statement?": the sentence before must tell of one, or
    # the pair reads as one thing (how the story first came out) followed by a quotation from nowhere.
    text = (
        "The Varnholm harbour master was charged on Tuesday with selling the old pier's timber.\n\n"
        "The missing planks were first noticed in March by a local angler. "
        "To hide the sales, the harbour master listed the timber as “storm damage,” the statement said.\n\n"
        "The harbour board issued a statement on Wednesday. "
        "The statement said the pier would stay shut while the board counts what is left.\n\n"
        "Engineers put the repairs to the pier at forty weeks of work before the ferries return.\n"
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert not any("storm damage" in s for s in said), said
    assert any("issued a statement on Wednesday. The statement said" in s for s in said), said


def test_leans_back_finds_a_sentence_opening_on_the_text_it_cites() -> None:
    # "According to the report, ..." before the brief has named any report (read blind in tonight's
    # BASIL briefs); a report said which in place stands alone.
    assert leans_back("According to the report, the harbour board knew of the cracks in May.")
    assert leans_back("According to the statement, the pier will stay shut until spring.")
    assert not leans_back("According to the harbour board's report, the pier will stay shut until spring.")
    assert not leans_back("According to the board, the pier will stay shut until spring.")


def test_extractive_bottom_line_may_name_a_show_in_quotation_marks() -> None:
    # A title or a word in quotation marks does not make a lede a quotation: the news it states is
    # the bottom line, not a later sentence on the suit's details.
    text = (
        "The partner of “Harbour Nights” star Lena Brisk is suing the Varnholm club where he was "
        "attacked by a man with a knife, his lawyer said on Tuesday.\n\n"
        'Per Aldous says the club\'s security was "inept" on the night of the attack.\n\n'
        "The suit seeks damages for his injuries. The court papers also name the club's security firm.\n\n"
        "The man who attacked him fled and later surrendered to the police.\n"
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    assert brief.bottom_line[0].text.startswith("The partner of “Harbour Nights” star"), brief.bottom_line


def test_extractive_a_sentence_cited_with_a_relaying_one_relays_too() -> None:
    # "..., the Daily Planet reports. The two towns said..." cited as one passage is the other
    # outlet's report: never the bottom line while a source reports it first-hand, nor a second
    # voice confirming it.
    relaying = (  # the more recent report: dated, where the other is not
        "Posted on 3 Mar 2025\n\n"
        "Tarnow and Quenby have signed a ferry accord, the Daily Planet reports.\n\n"
        "The two towns said they “intend to run a ferry between their harbours” from the spring, "
        "with boats paid for by both councils and a fare set by a joint board.\n"
    )
    own = (
        "The mayors of Tarnow and Quenby signed a ferry accord on Monday, ending ten years of talks "
        "over the crossing.\n\nThe first boats will sail in April, the mayors said.\n"
    )
    options = BriefOptions(engine="extractive", max_words=200)
    brief = make_brief(_sources([relaying, own]), options, now=PINNED)
    assert [c.source for c in brief.bottom_line[0].citations] == ["S2"], brief.bottom_line


def test_extractive_reads_a_quotation_opened_by_a_straight_mark_and_closed_by_a_curly_one() -> None:
    # Outlets mix the two kinds of mark: a curly closing mark after a straight opening one ends
    # that quotation, not one opened in an earlier paragraph.
    text = (
        "The Varnholm harbour board met on Tuesday to decide the future of the old pier.\n\n"
        "Despite the mayor saying talks had gone well, the engineers were more doubtful. "
        'Their chief said the pier "would stay shut for a very long time, months or even years.”\n'
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert any(s.startswith("Despite the mayor") for s in said), said


def test_leans_back_finds_a_thing_named_before_after_an_opening_phrase_and_one_of_a_set() -> None:
    assert leans_back("After the vote, the report said the pier would stay shut.")
    assert leans_back("One, Per Lund of Varnholm, was charged with fraud. The other pleaded guilty.")
    assert leans_back("Soon, the harbour master stopped by to greet the engineers.")
    # A name's apposition is no opening phrase; "One of the pilots" names its set in place.
    assert not leans_back("Per Lund, the former chairman of the board, said the pier would stay shut.")
    assert not leans_back("One of the pilots, Per Lund, said the pier would stay shut.")
    assert not leans_back("After the vote, the harbour board closed the pier.")


def test_dateline_cuts_a_live_blogs_update_stamp() -> None:
    stamps = (
        "7:19 p.m. -- ",
        "UPDATE: 7:19 p.m. -- ",
        "14:05 ",
        "UPDATE - May 30, 5:20 p.m.: ",
        "May 30, 10 p.m.: ",
    )
    for stamp in stamps:
        m = DATELINE.match(stamp + "The harbour board now says the pier stays shut.")
        assert m is not None and m.end() == len(stamp)
    assert not DATELINE.match("7 p.m. is when the harbour board meets.")
    # An hour alone is a stamp only with a colon or a dash after it.
    assert not DATELINE.match("7 p.m. Eastern is when the harbour board meets.")


def test_extractive_leaves_out_a_caption_whose_credit_is_glued_on() -> None:
    # Scraped pages glue a photo's credit to its caption ("...pier.CreditName/Agency"); the sentence
    # splitter ends the caption at its period, so the caption alone looks like a sentence.
    text = (
        "Harbour pilot Per Lund, of the Varnholm harbour board, in May at the old pier."
        "CreditAnna Korvel/Wirecast\n\n"
        "The Varnholm harbour board voted on Tuesday to close the old pier for a year of repairs.\n\n"
        "Engineers put the repairs at forty weeks of work before the ferries return to the pier.\n"
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert any("voted on Tuesday" in s for s in said), said
    assert not any("in May at the old pier" in s for s in said), said


def test_extractive_leaves_out_a_live_blogs_news_of_the_minute() -> None:
    # "Has just tweeted" dates an entry from the minute it was written; in a report the same words
    # tell of the event and stay.
    entries = (
        "17.05 The Varnholm harbour master has just tweeted his thanks to the rescue crews.",
        "16.40 Divers found the ferry's second engine on the seabed near the old pier.",
        "16.10 The Varnholm harbour board voted to close the old pier for a year of repairs.",
    )
    blog = "\n\n".join(entries) + "\n"
    brief = make_brief(_sources([blog]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    said = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert any("second engine" in s for s in said), said
    assert not any("has just tweeted" in s for s in said), said
    report = "The Varnholm harbour master has just tweeted his thanks to the rescue crews after the storm.\n"
    brief = make_brief(_sources([report]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    assert any("has just tweeted" in s.text for s in brief.bottom_line), brief.bottom_line


def test_make_brief_headline_is_another_sources_when_the_cited_one_only_restates_the_bottom_line(
    tmp_path: Path,
) -> None:
    # Each outlet's headline restates its own lede, and the two ledes state different facts of one
    # story: the bottom line is one lede, so the story is headlined by the other outlet.
    pages = {
        "closing.md": (
            "Council closes Varnholm promenade after inspectors find seawall cracks",
            "The Varnholm council closed the seaside promenade on Friday afternoon after harbour "
            "inspectors found long cracks in the old seawall. "
            "Engineers said the cracks ran along the northern end of the wall near the ferry pier. "
            "The ferry pier stays open while engineers examine the seawall.",
        ),
        "cost.md": (
            "Engineers warn Varnholm seawall repair could cost millions",
            "Engineers warned on Thursday that repairing the old Varnholm seawall could cost the town "
            "several million crowns over two years. "
            "Inspectors found cracks along the northern end of the seawall near the ferry pier. "
            "The Varnholm council will decide on the repair in the spring.",
        ),
    }
    for name, (head, body) in pages.items():
        (tmp_path / name).write_text(f"# {head}\n\n{body}\n", encoding="utf-8")
    brief = make_brief(tmp_path, BriefOptions(engine="extractive", max_words=150), now=PINNED)
    assert len(brief.stories) == 1
    story = brief.stories[0]
    cited = {c.source for s in story.bottom_line for c in s.citations}
    assert len(cited) == 1
    (other,) = [s.title for s in brief.sources if s.id not in cited]
    assert story.headline == other


def test_leans_back_finds_a_modified_thing_named_before_a_numbered_group_and_an_age() -> None:
    # The thing may carry a modifier or two; a group counted ("The two") or a person given only by
    # age ("The 52-year-old") is whoever the article's sentence before named.
    assert leans_back("The new harbour measure would set aside $4 million for dredging.")
    assert leans_back("The sudden flurry of letters left unclear whether the board would vote.")
    assert leans_back("The two were the first councillors to back the ferry plan.")
    assert leans_back("The 52-year-old runs a boatyard north of Tarnow.")
    assert leans_back("The meeting came on the third day of the strike.")
    assert not leans_back("The harbour board approved $4 million for dredging.")
    assert not leans_back("The two-lane bridge reopened on Monday.")
    assert not leans_back("The tide rose two metres in four hours.")


def test_make_brief_gives_many_single_reports_a_line_each_before_more_key_points(tmp_path: Path) -> None:
    folder = tmp_path / "morning"
    folder.mkdir()
    more = [
        "Divers recovered a crushed delivery van from the Varnholm riverbed on Wednesday morning.",
        "Ferry operators added evening crossings for commuters stranded by the Varnholm closure.",
        "Local schools cancelled classes because buses could not reach the northern villages.",
        "Insurers estimated repair costs at forty million crowns for the Varnholm span.",
        "Hydrologists measured record water levels at the gauge upstream of the crossing.",
        "A temporary pontoon, built by army sappers, may open within three weeks.",
        "Shopkeepers near the approaches reported losing half their weekly trade.",
        "Volunteers distributed blankets and soup at the Varnholm sports hall overnight.",
        "Railway engineers also checked the nearby viaduct and found it sound.",
        "The county council called an emergency session for Thursday evening.",
    ]
    for i, text in enumerate(BRIDGE):
        (folder / f"bridge{i}.txt").write_text(text + "\n\n" + " ".join(more[i:]), encoding="utf-8")
    _write_single_reports(folder, sentence_words=10)
    brief = make_brief(folder, BriefOptions(engine="extractive", max_words=300), now=PINNED)
    assert len(brief.stories) == 1 and brief.stories[0].bottom_line
    # Eight single reports: several get their line before the lead story gets its eighth key point
    # (a flat fifth of the budget gave one line, and the lead story eleven key points).
    assert len(brief.also_reported) >= 4, [s.text for s in brief.also_reported]
    assert len(brief.stories[0].key_points) <= 8


def _titled(items: list[tuple[str, str]]) -> list[Source]:
    return [
        Source(id=f"S{i}", path=f"s{i}.txt", title=title, text=f"{title}\n\n{body}", chars=len(body))
        for i, (title, body) in enumerate(items, 1)
    ]


def test_group_stories_joins_two_short_reports_whose_headlines_share_words() -> None:
    # Two short reports of one strike, in words of their own (a tenth of their vocabulary shared):
    # their headlines name the same ferry strike.
    sources = _titled(
        [
            (
                "Harbor ferry strike halts Tarnow crossings",
                "Deckhands walked off the boats at dawn, leaving commuters stranded on both quays. The union "
                "wants nine percent more money and two more rest days. Management called the stoppage "
                "reckless and said talks would resume on Monday.",
            ),
            (
                "Tarnow ferry crews strike over pay",
                "Hundreds of passengers waited in vain on Thursday as sailors refused to sail. Their "
                "representatives demand better wages and longer breaks between shifts. The operator accused "
                "them of holding the town hostage and promised negotiations next week.",
            ),
        ]
    )
    _, groups = group_stories(sources)
    assert [sorted(g.source_ids) for g in groups] == [["S1", "S2"]]


def test_group_stories_three_long_reports_sharing_a_few_civic_words_stay_apart() -> None:
    # Three long reports of different events, each with its own 70 words (invented), sharing nine
    # words of local politics: 15% of their most frequent words, as different events of one beat do.
    syllables = ["bar", "del", "kon", "mir", "sul", "tav", "ren", "lor", "pim", "gus"]
    words = ["".join(p) for p in itertools.product(syllables, repeat=3)]
    civic = ["council", "budget", "residents", "mayor", "proposal", "meeting", "officials", "vote", "plan"]
    items = []
    for event in range(3):
        own = words[event * 70 : (event + 1) * 70]
        body = []
        for i in range(0, 70, 5):
            a, b, c, d, e = own[i : i + 5]
            body.append(f"The {a} {b} and the {c} {d} of {e.capitalize()}.")
            body.append(f"The {b} {a} and the {d} {c} of the {e}.")
        body.extend(f"The {w} and the {w} and the {w}." for w in civic)
        items.append((f"{own[0].capitalize()} {own[1]} {own[2]}", " ".join(body)))
    sources = _titled(items)
    assert all(len(s.text.split()) > 300 for s in sources)
    _, groups = group_stories(sources)
    assert len(groups) == 3


def test_extractive_a_pair_shows_no_label_the_page_set_before_its_second_sentence() -> None:
    # "The cancellations..." takes up the sentence before, so the two are cited together; the
    # page's "Why it matters:" between them is layout, shown to no reader, and stays in the quote.
    text = (
        "Tarnow cancelled forty ferry crossings over the weekend, stranding travellers on both quays.\n\n"
        "Why it matters: The cancellations come a week after the ferry crews asked a court to block "
        "the new rota.\n\nThe harbour office said all boats would sail again on Monday morning.\n"
    )
    brief = make_brief(_sources([text]), BriefOptions(engine="extractive", max_words=200), now=PINNED)
    statements = [*brief.bottom_line, *brief.key_points]
    paired = [s for s in statements if "cancellations come" in s.text]
    assert paired, statements
    assert paired[0].text.startswith("Tarnow cancelled forty ferry crossings")
    assert "Why it matters" not in paired[0].text
    assert "Why it matters: The cancellations" in paired[0].citations[0].quote


def test_extractive_a_short_bottom_line_goes_on_with_its_own_articles_next_sentence() -> None:
    # A lede of a few words needs a second sentence; its article's next one tells the news on, where
    # the most salient sentence elsewhere may be another outlet's comment on it.
    first = (
        "Tarnow reopened its storm-hit harbour to ferries on Friday.\n\n"
        "Forty ferries will sail again from Saturday, according to the regional port authority.\n\n"
        "Crews spent three weeks clearing storm debris from the harbour channel.\n"
    )
    second = (
        "“It is a triumph for a town that never gave up on its ferries,” Mayor Ilse Varga said of the "
        "harbour.\n\n"
        "Storm debris had closed the harbour channel for three weeks, stranding ferries at the quays.\n"
    )
    options = BriefOptions(engine="extractive", max_words=200)
    brief = make_brief(_sources([first, second]), options, now=PINNED)
    assert [s.text for s in brief.bottom_line][:2] == [
        "Tarnow reopened its storm-hit harbour to ferries on Friday.",
        "Forty ferries will sail again from Saturday, according to the regional port authority.",
    ], brief.bottom_line


def test_is_boilerplate_finds_a_teaser_announcing_the_articles_contents() -> None:
    assert is_boilerplate("Here’s what you need to know about the ferry tax credit, including who qualifies.")
    assert is_boilerplate("What you need to know about the harbour closure.")
    assert not is_boilerplate("What we know is that the mayor resigned on Friday.")
    assert not is_boilerplate("Here is what happened next, officials said: the pier gave way.")


def test_leans_back_finds_a_time_or_case_named_before_after_any_preposition() -> None:
    # "At that time" is the time an earlier sentence gave (read blind in reading N: placed after
    # another key point, it read as that point's day).
    assert leans_back("At that time, the panel advised he be allowed to go back to sea.")
    assert leans_back("In that case, the harbour court ruled for the town.")
    assert leans_back("During that visit, the mayor toured the rebuilt pier.")
    assert not leans_back("In the spring, the mayor toured the rebuilt pier.")


def test_leans_back_on_a_connective_of_three_or_four_words_set_off_by_a_comma() -> None:
    assert leans_back("As a result, the ferry stopped running.")
    assert leans_back("On the other hand, the levy passed.")
    assert not leans_back("As a result of the storm, the ferry stopped running.")
