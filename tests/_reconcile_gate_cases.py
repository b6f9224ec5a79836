"""Hand-written cases for the disagreement gate: invented towns, people and events.

Each case is two or three short articles. A conflict case names the passage each
side must cite (a substring of the cited quote); a near miss must raise no flag.
No text here comes from the example articles or the evaluation corpora.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the kind of conflict, or "near_miss:<reason>"
    texts: tuple[str, ...]
    a: str = ""  # a conflict's two sides: substrings of the quotes that must be set against each other
    b: str = ""

    @property
    def conflict(self) -> bool:
        return not self.kind.startswith("near_miss")


CASES: tuple[Case, ...] = (
    # -- numbers -----------------------------------------------------------------------------------
    Case(
        "flood_deaths",
        "number",
        (
            "Rescue crews said 14 people were killed when the Harlow River burst its banks near Quenby "
            "on Sunday.",
            "Officials confirmed that 19 people were killed when the Harlow River burst its banks "
            "near Quenby on Sunday.",
        ),
        "14 people were killed",
        "19 people were killed",
    ),
    Case(
        "budget_amount",
        "number",
        (
            "The Dornwick council approved a $42 million budget for the new ferry terminal on Thursday.",
            "On Thursday the Dornwick council approved a $58 million budget for the new ferry terminal.",
        ),
        "$42 million budget",
        "$58 million budget",
    ),
    Case(
        "page_count",
        "number",
        (
            "Prosecutors filed a 37-page complaint against the Velmont water utility on Monday.",
            "The 41-page complaint against the Velmont water utility was filed by prosecutors on Monday.",
        ),
        "37-page complaint",
        "41-page complaint",
    ),
    Case(
        "figures_to_one_precision",
        "number",
        (
            "The order lets the ministry divert $3.5 billion from the Velmont harbour construction budget "
            "to the dam.",
            "Under the order the ministry can divert $3.6 billion from harbour construction projects in "
            "Velmont to the dam.",
        ),
        "$3.5 billion",
        "$3.6 billion",
    ),
    Case(
        "two_counts_of_the_other_ones",
        "number",
        (
            "The mayor said the Velmont by-law copies a national statute signed in 1998, and that 19 other "
            "towns have adopted similar by-laws.",
            "Defending the by-law, the mayor pointed to the national statute signed in 1998 and adopted by "
            "about 27 other towns.",
        ),
        "19 other",
        "27 other",
    ),
    Case(
        "forecast_and_result",
        "near_miss:different_measure",
        (
            "The Dornwick statistics office reported on Friday that the jobless rate dropped steeply in "
            "August, to 4.8% from 5.2%.",
            "Analysts polled by the Dornwick bank had been expecting the jobless rate to ease to 5.1% in "
            "August.",
        ),
    ),
    # -- dates and weekdays ------------------------------------------------------------------------
    Case(
        "a_day_a_third_report_gives_another_event",
        "date",
        (
            "Rep. Dana Kell of Quenby and her husband were indicted on Tuesday on charges of using campaign "
            "funds for family holidays, federal prosecutors said.",
            "Rep. Dana Kell and her husband, Piet, were indicted on charges of misusing $90,000 of campaign "
            "money on private bills, prosecutors announced Thursday.",
            "A grand jury indicted Rep. Dana Kell and her husband on Tuesday on charges of spending campaign "
            "funds on trips and school fees. On Thursday, a judge in Marlow set a first hearing for May.",
        ),
        "indicted on Tuesday",
        "announced Thursday",
    ),
    Case(
        "a_day_that_dates_the_telling",
        "near_miss:different_statement",
        (
            "The harbour master of Quenby met the leaders of the ferry union at the old pier, an official "
            "said Tuesday, as talks on the new timetable dragged on.",
            "Harbour master Jo Brandt held a private meeting Monday at the old pier with the leaders of "
            "the ferry union.",
        ),
    ),
    Case(
        "a_telling_against_the_day_of_what_preceded_it",
        "near_miss:different_statement",
        (
            "“We will not close the old pier this winter,” Mayor Ilse Varga told the Quenby Gazette on "
            "Tuesday.",
            "“We will not close the old pier this winter,” Mayor Ilse Varga told the Quenby Gazette after "
            "the harbour engineers' report on the pier was published Sunday.",
        ),
    ),
    Case(
        "two_tellings_of_one_fact",
        "date",
        (
            "Officials of the Quenby ferry board said on Monday that the night service will resume in "
            "the spring after the repairs.",
            "The night ferry service will resume in the spring after the repairs, the Quenby ferry board "
            "confirmed on Wednesday.",
        ),
        "said on Monday",
        "confirmed on Wednesday",
    ),
    Case(
        "a_day_that_opens_a_period",
        "near_miss:timeline",
        (
            "Pumps have drained water from the flooded Quenby mine since sundown on Monday evening.",
            "Pumps drained more water from the flooded Quenby mine early Tuesday.",
        ),
    ),
    Case(
        "two_years_one_end",
        "date",
        (
            "Varga's second and final term as mayor of Quenby officially ends in 2031.",
            "Mayor Ilse Varga of Quenby hinted on Monday that she may step down before her term ends in "
            "2030, telling a local radio station, “I am weighing every option. Some of what I have been "
            "asked to do is beyond me. I will not say that I will serve it out, and I will not say that I "
            "will not.”",
        ),
        "ends in 2031",
        "ends in 2030",
    ),
    Case(
        "a_span_of_years_against_its_start",
        "near_miss:different_measure",
        (
            "Tomas Reyl, who served on the Quenby harbour board from 2001 through 2019, died on Sunday.",
            "Reyl was elected to the Quenby harbour board in 2000 and served four terms before retiring.",
        ),
    ),
    Case(
        "a_day_said_aloud_written_two_ways",
        "near_miss:quote_punctuation",
        (
            "“Closing the pier on Aug. 31 is not an arbitrary choice, it was made to keep people safe,” "
            "Mayor Ilse Varga said on Monday.",
            "“Closing the pier on August the 31st is not an arbitrary choice, it was made to keep people "
            "safe,” Mayor Ilse Varga said on Monday.",
        ),
    ),
    Case(
        "a_decades_sum_against_one_years",
        "near_miss:different_measure",
        (
            "Quenby will spend $5.2 billion on the new harbour over the next decade, the council said on "
            "Monday.",
            "The council said on Monday that Quenby will spend $6.1 billion on the new harbour in the 2027 "
            "budget year.",
        ),
    ),
    Case(
        "two_years_two_acts",
        "near_miss:different_measure",
        (
            "Mayor Ilse Varga of Quenby was first elected in 2019 and has led the harbour board since then.",
            "Mayor Ilse Varga of Quenby said the harbour board would finish the new quay in 2027.",
        ),
    ),
    Case(
        "vote_weekday",
        "date",
        (
            "The Ostrava Valley assembly voted Tuesday to close the old quarry road for good.",
            "The Ostrava Valley assembly voted Thursday to close the old quarry road for good.",
        ),
        "voted Tuesday",
        "voted Thursday",
    ),
    Case(
        "opening_date",
        "date",
        (
            "The Brenhill bridge will reopen to traffic on March 14, the transport office announced.",
            "The transport office announced the Brenhill bridge will reopen to traffic on March 21.",
        ),
        "March 14",
        "March 21",
    ),
    Case(
        "two_remarks_two_days",
        "near_miss:different_statement",
        (
            "And on Saturday, a day ahead of the council vote on the harbour plan, former Mayor Ulla "
            "Brandvik warned a crowd of dockers in Tarnow that the plan “will shut our schools and starve "
            "our clinics for ten years.”",
            "Former Mayor Ulla Brandvik, canvassing in Tarnow on Friday night before the council vote, "
            "told reporters that “the harbour money is owed to every family here and to no one else.”",
        ),
    ),
    Case(
        "year_since",
        "date",
        (
            "Councillor Edda Varga has led the harbour board since 2006.",
            "Councillor Edda Varga has led the harbour board since 2007, and that is what her critics say "
            "is the problem.",
        ),
        "since 2006",
        "since 2007",
    ),
    Case(
        "years_of_two_events",
        "near_miss:different_statement",
        (
            "The Tarnow mill closed in 2009 after the flood, and the harbour board never reopened it.",
            "The mayor was first elected in 2011 on a promise to reopen the Tarnow mill and the harbour.",
        ),
    ),
    # -- titles ------------------------------------------------------------------------------------
    Case(
        "governor_or_senator",
        "title",
        (
            "Governor Lena Marchetti signed the water bill after a long debate.",
            "Senator Lena Marchetti praised the water bill after a long debate.",
        ),
        "Governor Lena Marchetti",
        "Senator Lena Marchetti",
    ),
    Case(
        "majority_minority",
        "title",
        (
            "Majority Leader Tomas Ebbesen said the chamber would not vote on the harbour plan this month.",
            "Minority Leader Tomas Ebbesen said the chamber would not vote on the harbour plan this month.",
        ),
        "Majority Leader Tomas Ebbesen",
        "Minority Leader Tomas Ebbesen",
    ),
    # -- people ------------------------------------------------------------------------------------
    Case(
        "which_ortega",
        "person",
        (
            "Investigators said the letter was addressed to Miriam Vantreight at her office in Dunmore.",
            "Investigators said the letter was addressed to Judith Vantreight at her office in Dunmore.",
        ),
        "Miriam Vantreight",
        "Judith Vantreight",
    ),
    Case(
        "which_namesake_same_initial",
        "person",
        (
            "Rep. Lorna Varandez won the race for deputy caucus chair, defeating fellow Elmshire member "
            "Nadia Korhonen.",
            "Representative Leonie T. Varández of Elmshire defeated another Elmshire member, Representative "
            "Nadia Korhonen, to become deputy chair.",
        ),
        "Lorna Varandez",
        "Leonie T. Varández",
    ),
    Case(
        "first_name_short_form",
        "near_miss:added_detail",
        (
            "Rep. Nick Varandez won the race for deputy caucus chair, defeating fellow Elmshire member "
            "Nadia Korhonen.",
            "Representative Nicholas T. Varandez of Elmshire defeated another Elmshire member, "
            "Representative Nadia Korhonen, to become deputy chair.",
        ),
    ),
    # -- places ------------------------------------------------------------------------------------
    Case(
        "where_remark",
        "place",
        (
            "The mayor made the remark at a rally in Castleford on Friday evening before a large crowd.",
            "The mayor made the remark at a rally in Pendlebury on Friday evening before a large crowd.",
        ),
        "in Castleford",
        "in Pendlebury",
    ),
    # -- who did it --------------------------------------------------------------------------------
    Case(
        "who_signed",
        "agent",
        (
            "The accord was signed by Chancellor Ilse Vorberg and President Ramon Okafor in Lisbon.",
            "The accord was signed by Minister Petra Halloran and Ambassador Yusuf Demir in Lisbon.",
        ),
        "Chancellor Ilse Vorberg",
        "Minister Petra Halloran",
    ),
    # -- quotations --------------------------------------------------------------------------------
    Case(
        "quote_reworded",
        "quote",
        (
            "“We will rebuild every house that the storm took from this valley,” Mayor Aldo Brisco told "
            "reporters on Monday.",
            "“We will repair every house that the storm took from this valley,” Mayor Aldo Brisco told "
            "reporters on Monday.",
        ),
        "rebuild every house",
        "repair every house",
    ),
    Case(
        "quote_word_swapped",
        "quote",
        (
            "“The plan is careful, affordable and good for the harbour workers,” said Councillor Ines Falk.",
            "“The plan is reckless, affordable and good for the harbour workers,” said Councillor Ines Falk.",
        ),
        "careful, affordable",
        "reckless, affordable",
    ),
    # -- statements --------------------------------------------------------------------------------
    Case(
        "denial",
        "statement",
        (
            "The regional health board approved the merger of two clinics in Aberlow after a vote.",
            "The regional health board did not approve the merger of two clinics in Aberlow after a vote.",
        ),
        "approved the merger",
        "did not approve the merger",
    ),
    # -- quotations, as outlets really differ (issue 12's natural set, invented text) ---------------
    Case(
        "quote_fragment_drops_intensifier",
        "quote",
        (
            "Councillor Ines Falk spoke after the vote. She went on to call the toll plan “a costly blunder” "
            "and left the chamber.",
            "“The toll plan is a very costly blunder & unfair to commuters,” Councillor Ines Falk said.",
        ),
        "a costly blunder",
        "very costly blunder",
    ),
    Case(
        "quote_pronoun_speaker_dropped_word",
        "quote",
        (
            "Mayor Aldo Brisco visited the flooded mills on Monday. “I feel deeply sorry for every family "
            "in this valley,” he told reporters.",
            "Mayor Aldo Brisco toured the mills. “I feel sorry for every family in this valley,” Brisco "
            "told reporters.",
        ),
        "I feel deeply sorry",
        "I feel sorry for every",
    ),
    Case(
        "quote_cut_marked_then_reworded",
        "quote",
        (
            "“We must use whatever lawful means necessary to recover the ledgers he holds … and we will,” "
            "Auditor Mira Solberg said.",
            "“And I believe we must use whatever lawful tools are necessary to recover the ledgers that he "
            "holds,” Auditor Mira Solberg said.",
        ),
        "lawful means necessary",
        "lawful tools are necessary",
    ),
    Case(
        "quote_one_that_dropped",  # the natural set's readers count one dropped "that" as a misquote
        "quote",
        (
            "“I am not ashamed to say that I was wrong about the bridge,” Councillor Ines Falk said.",
            "“I am not ashamed to say I was wrong about the bridge,” Councillor Ines Falk said.",
        ),
        "say that I was wrong",
        "say I was wrong",
    ),
    Case(
        "two_fragments_one_word_more",
        "quote",
        (
            "Councillor Ines Falk spoke after the vote and called the toll plan “a costly blunder” twice.",
            "Ines Falk, a councillor, called the toll plan “a very costly blunder” after the vote.",
        ),
        "a costly blunder",
        "a very costly blunder",
    ),
    # -- people: two first names for the one who did it ----------------------------------------------
    Case(
        "which_brother_filed",
        "person",
        (
            "Tobias Wendmark filed the appeal against the quarry permit on Friday, his lawyer said.",
            "The appeal against the quarry permit was filed on Friday by Anselm Wendmark, according to the "
            "court clerk.",
        ),
        "Tobias Wendmark",
        "Anselm Wendmark",
    ),
    # -- places: another town for one event ------------------------------------------------------------
    Case(
        "rally_town",
        "place",
        (
            "Senator Odile Marchetti held a rally in Brackwater on Saturday and promised new rail links.",
            "At a rally in Holmfirth on Saturday, Senator Odile Marchetti promised voters new rail links.",
        ),
        "in Brackwater",
        "in Holmfirth",
    ),
    Case(
        "approved_or_rejected",
        "statement",
        (
            "The Marrowby port authority approved the dredging contract for the north basin on Tuesday "
            "after a short hearing.",
            "After a short hearing on Tuesday, the Marrowby port authority rejected the dredging contract "
            "for the north basin.",
        ),
        "approved the dredging contract",
        "rejected the dredging contract",
    ),
    Case(
        "photo_or_video",
        "statement",
        (
            "The gallery removed a photo showing the sculptor Wenna Tirrell smashing the clay bust of the "
            "founder.",
            "The gallery removed a video showing the sculptor Wenna Tirrell smashing the clay bust of the "
            "founder.",
        ),
        "removed a photo",
        "removed a video",
    ),
    Case(
        "which_son_lodged_reworded",
        "person",
        (
            "Tobias Wendmark, the miller's eldest son, lodged the complaint with the district court on "
            "Friday.",
            "The complaint was lodged with the district court by Anselm Wendmark, who runs the family mill.",
        ),
        "Tobias Wendmark",
        "Anselm Wendmark",
    ),
    Case(
        "shooting_town_reworded",
        "place",
        (
            "The shooting happened at a bar in Thornbury late on Saturday, police said.",
            "Police said a man with a rifle started firing at a bar in Eastwick on Saturday night, wounding "
            "two men.",
        ),
        "in Thornbury",
        "in Eastwick",
    ),
    # -- near misses: none of these may raise a flag -----------------------------------------------
    Case(
        "both_outcomes_reported",
        "near_miss:added_detail",
        (
            "The Marrowby port authority approved the dredging contract for the north basin on Tuesday and "
            "rejected the one for the south basin.",
            "The Marrowby port authority rejected the dredging contract for the south basin on Tuesday.",
        ),
    ),
    Case(
        "quote_abbreviations_and_name_spelling",
        "near_miss:quote_punctuation",
        (
            "“Gen. Ostrova told the F.B.I. everything she knew about Qelmirov,” Auditor Mira Solberg said.",
            "“General Ostrova told the FBI everything she knew about Kelmyrov,” Auditor Mira Solberg said.",
        ),
    ),
    Case(
        "quote_masked_word",
        "near_miss:quote_punctuation",
        (
            "“I am not going to fund that d*****d bridge, not one cent,” Councillor Edda Varga said "
            "on Monday.",
            "“I am not going to fund that damned bridge, not one cent,” Councillor Edda Varga said "
            "on Monday.",
        ),
    ),
    Case(
        "quote_masked_word_and_one_changed",
        "quote",
        (
            "“I am not going to fund that d*****d bridge, not one cent,” Councillor Edda Varga said "
            "on Monday.",
            "“I am not going to fund that damned tunnel, not one cent,” Councillor Edda Varga said "
            "on Monday.",
        ),
        "d*****d bridge",
        "damned tunnel",
    ),
    Case(
        "quote_cut_stretch_runs_into_the_next_quotation",
        "quote",
        (
            "“I misjudged the two harbour pilots on Friday. Having read the inspection report twice over "
            "the weekend I now understand far better why the lock gate failed in the storm that night. ... "
            "I owe both crews an apology,” Councillor Edda Varga wrote on Sunday.",
            "“I spoke before I had the facts and misjudged the two harbour pilots on Friday,” Councillor "
            "Edda Varga said. “Having read the inspection report twice over the weekend, I now understand "
            "better why the lock gate failed in the storm that night. None of what I wrote reflects how I "
            "feel about the people who keep this harbour safe.”",
        ),
        "far better why",
        "understand better why",
    ),
    Case(
        "quote_fragment_of_the_same_speaker_one_word_changed",
        "quote",
        (
            "At a rally on Sunday night, Councillor Edda Varga said she would go back to the council and "
            "“shut that rotten harbour office,” to loud cheers from the crowd.",
            "“We are going to go in there, and we are going to shut the rotten harbour office,” Councillor "
            "Edda Varga told the crowd on Sunday night.",
        ),
        "shut that rotten harbour office",
        "shut the rotten harbour office",
    ),
    Case(
        "quote_spoken_contraction",
        "near_miss:quote_punctuation",
        (
            "“We're gonna finish that bridge and we're gonna open it by spring,” Councillor Edda Varga told "
            "the crowd.",
            "“We're going to finish that bridge and we're going to open it by spring,” Councillor Edda "
            "Varga told the crowd.",
        ),
    ),
    Case(
        "quote_fragment_same_words",
        "near_miss:quote_punctuation",
        (
            "Councillor Ines Falk went on to call the toll plan “a costly blunder” before the vote.",
            "“The toll plan is a costly blunder and unfair to commuters,” Councillor Ines Falk said.",
        ),
    ),
    Case(
        "quote_lead_in_article",
        "near_miss:quote_punctuation",
        (
            "“The talks lasted an hour. There will be no further comment on the talks, but channels of "
            "contact remain open,” a spokesman for Councillor Ines Falk said.",
            "A spokesman for Councillor Ines Falk said “the channels of contact remain open.”",
        ),
    ),
    Case(
        "quote_name_with_particle",
        "near_miss:quote_punctuation",
        (
            "“Everyone knows that al-Rashidi will win the harbour seat,” Auditor Mira Solberg said.",
            "“Everyone knows that Rashidy will win the harbour seat,” Auditor Mira Solberg said.",
        ),
    ),
    Case(
        "opposite_words_told_of_two_people",
        "near_miss:different_statement",
        (
            "Ines Falk won the harbour seat election in Tarnby on Tuesday, upsetting the candidate the mayor "
            "endorsed.",
            "The candidate the mayor endorsed lost the harbour seat election in Tarnby on Tuesday.",
        ),
    ),
    Case(
        "a_not_in_a_subordinate_clause",
        "near_miss:different_statement",
        (
            "Tarnby's mayor is considering hiring out-of-town nurses, with hundreds of nurses possibly "
            "losing their posts for not passing a Monday cutoff for the new licence.",
            "Tarnby's mayor is considering hiring out-of-town nurses, as hundreds of nurses are unlikely to "
            "pass a Monday cutoff for the new licence.",
        ),
    ),
    Case(
        "two_people_one_surname_both_named",
        "near_miss:different_statement",
        (
            "Tobias Wendmark filed the appeal on Friday; his brother Anselm Wendmark signed it as a witness.",
            "Anselm Wendmark signed the appeal against the quarry permit as a witness on Friday.",
        ),
    ),
    Case(
        "short_first_name",
        "near_miss:added_detail",
        (
            "Defence Minister Robert Halvorsen resigned on Thursday after the budget row.",
            "Bob Halvorsen, the defence minister, resigned on Thursday after a row over the budget.",
        ),
    ),
    Case(
        "town_and_its_state",
        "near_miss:added_detail",
        (
            "Senator Odile Marchetti held a rally in Brackwater on Saturday and promised new rail links.",
            "Senator Odile Marchetti held a rally in Ohio on Saturday and promised new rail links.",
        ),
    ),
    Case(
        "rounding",
        "near_miss:rounding",
        (
            "The Tarnby festival drew 48,312 visitors over the weekend, organisers said.",
            "The Tarnby festival drew about 48,000 visitors over the weekend, organisers said.",
        ),
    ),
    Case(
        "approximation",
        "near_miss:rounding",
        (
            "Nearly 300 volunteers cleaned the Wexley beach on Saturday.",
            "Some 290 volunteers cleaned the Wexley beach on Saturday.",
        ),
    ),
    Case(
        "range",
        "near_miss:rounding",
        (
            "The repairs will cost between $4 million and $6 million, the Corrin harbour office said.",
            "The Corrin harbour office said the repairs will cost about $5 million.",
        ),
    ),
    Case(
        "different_measure",
        "near_miss:different_measure",
        (
            "The Lorne mill employs 340 workers in its paper plant.",
            "The Lorne mill employs 120 workers in its packing plant.",
        ),
    ),
    Case(
        "different_period",
        "near_miss:different_measure",
        (
            "In 2021 the Halden port handled 12,000 containers.",
            "In 2023 the Halden port handled 15,500 containers.",
        ),
    ),
    Case(
        "other_figure_in_source",
        "near_miss:different_measure",
        (
            "The Ferrow school has 410 pupils this year and 380 pupils last year.",
            "The Ferrow school has 380 pupils, the head teacher said.",
        ),
    ),
    Case(
        "added_detail_place",
        "near_miss:added_detail",
        (
            "The mayor made the remark at a rally in Castleford on Friday evening before a large crowd.",
            "The mayor made the remark at a rally in Westgate, a district of Castleford, on Friday evening "
            "before a large crowd.",
        ),
    ),
    Case(
        "short_title",
        "near_miss:added_detail",
        (
            "Finance Minister Oskar Lindqvist presented the budget on Monday.",
            "Minister Lindqvist presented the budget on Monday in the chamber.",
        ),
    ),
    Case(
        "former_title",
        "near_miss:timeline",
        (
            "Former Governor Clara Nyberg criticised the road plan on Wednesday.",
            "Senator Clara Nyberg criticised the road plan on Wednesday.",
        ),
    ),
    Case(
        "quote_punctuation",
        "near_miss:quote_punctuation",
        (
            "“Our town is strong, and it will stay strong,” said Mayor Aldo Brisco on Tuesday.",
            "“Our town is strong & it will stay strong.” said Mayor Aldo Brisco on Tuesday.",
        ),
    ),
    Case(
        "quote_truncation",
        "near_miss:quote_punctuation",
        (
            "“We will rebuild every house that the storm took from this valley, and we will do it this "
            "year,” Mayor Aldo Brisco said.",
            "Mayor Aldo Brisco promised: “We will rebuild every house that the storm took from this valley.”",
        ),
    ),
    Case(
        "quote_elision",
        "near_miss:quote_punctuation",
        (
            "“The harbour will reopen, the boats will return and the market will be busy again,” said "
            "Councillor Ines Falk.",
            "“The harbour will reopen … and the market will be busy again,” said Councillor Ines Falk.",
        ),
    ),
    Case(
        "two_statements",
        "near_miss:different_statement",
        (
            "“The new ferry is safe, cheap and our best link to the mainland,” Mayor Aldo Brisco wrote in a "
            "tweet.",
            "“The new ferry is safe, cheap and always our best link to the mainland,” Mayor Aldo Brisco said "
            "in a statement.",
        ),
    ),
    Case(
        "two_people_same_surname",
        "near_miss:different_statement",
        (
            "Miriam Vantreight and her sister Judith Vantreight opened the bakery in Dunmore in 2019.",
            "Judith Vantreight runs the bakery in Dunmore that she opened in 2019.",
        ),
    ),
    Case(
        "different_events_weekday",
        "near_miss:different_statement",
        (
            "The Ostrava Valley assembly voted Tuesday to close the old quarry road for good.",
            "Protesters gathered Thursday outside the Ostrava Valley assembly.",
        ),
    ),
    # -- figures and days of different things; tallies; hedged and spelled-out counts (issue 12) -----
    Case(
        "panel_tally",
        "number",
        (
            "The Tarrow appeals panel voted 2-1 on Monday to keep the grazing rule in force.",
            "On Monday the Tarrow appeals panel issued a 2-0 order keeping the grazing rule in force.",
        ),
        "voted 2-1",
        "2-0 order",
    ),
    Case(
        "poll_share_same_candidate",
        "number",
        (
            "Senator Ada Quell leads the Merrow poll at 25 percent, ahead of Senator Bram Tovey.",
            "Senator Ada Quell leads the crowded field with 31 percent in the Merrow poll, while "
            "Senator Bram Tovey trails.",
        ),
        "at 25 percent",
        "with 31 percent",
    ),
    Case(
        "hyphenated_thing",
        "number",
        (
            "Officials released 130 pages of e-mails about the Quarle dam inspection on Thursday.",
            "The 100 pages of emails about the Quarle dam inspection were released on Thursday.",
        ),
        "130 pages",
        "100 pages",
    ),
    Case(
        "as_many_as",
        "number",
        (
            "The class action over the Fenwold pension fund covers as many as 1.5 million retirees.",
            "The class action over the Fenwold pension fund covers 0.9 million retirees.",
        ),
        "1.5 million retirees",
        "0.9 million retirees",
    ),
    Case(
        "two_candidates_shares",
        "near_miss:different_owner",
        (
            "Senator Ada Quell won 31 percent of the vote in the Merrow primary on Tuesday. Turnout in "
            "the district was 24 percent.",
            "Senator Bram Tovey won 24 percent of the vote in the Merrow primary on Tuesday.",
        ),
    ),
    Case(
        "two_people_cuts",
        "near_miss:different_owner",
        (
            "Governor Ilse Dorn has cut $716 million from the river fund to pay for new roads. The "
            "harbour board asked for $882 million.",
            "Senator Pavel Hrusk would cut $882 million from the river fund to pay for new roads.",
        ),
    ),
    Case(
        "items_of_a_list",
        "near_miss:different_measure",
        (
            "Records show the campaign paid $4,272 on a river cruise, $2,306 at a theme park and "
            "$1,150 at a jeweller.",
            "Among the items the campaign paid for was a $4,600 hat.",
        ),
    ),
    Case(
        "two_dozen",
        "near_miss:rounding",
        (
            "The mayor signed nearly two-dozen orders on the Dellick housing plan on Friday.",
            "The mayor signed 23 orders on the Dellick housing plan on Friday.",
        ),
    ),
    Case(
        "two_people_two_days",
        "near_miss:different_actor",
        (
            "Senator Jonas Brell broke with Mayor Ilse Dorn on Monday over the proposed stadium "
            "near the river.",
            "Mayor Ilse Dorn endorsed the proposed stadium near the river during a speech on Friday "
            "to builders.",
        ),
    ),
    Case(
        "title_changed",
        "near_miss:timeline",
        (
            "Governor Mara Lind named a former aide to fill Senator Oren Vasker's seat on Wednesday. "
            "Vasker, a senator for twelve years, was confirmed on Tuesday as the new defense secretary.",
            "Governor Mara Lind on Wednesday named a former aide to the seat left by Defense Secretary "
            "Oren Vasker.",
        ),
    ),
    Case(
        "part_of_a_count",
        "near_miss:different_measure",
        (
            "Mayor Tilda Brand denied the claims, and the accusations of four residents were called false "
            "by her office.",
            "The paper found three other residents who said they had been threatened by Mayor Brand at "
            "the time.",
        ),
    ),
    Case(
        "two_counts_two_reports",
        "near_miss:different_measure",
        (
            "Six people, including two guards, a driver and a clerk, were injured in the attack at a depot "
            "in Marlow.",
            "A day earlier, at another depot some seven miles away, a gunman fired on the members of a "
            "delivery crew, striking four people, including a supervisor, who were there for a shift.",
        ),
    ),
    Case(
        "one_name_is_not_a_first_name",
        "near_miss:different_statement",
        (
            "Queen Maren II opened the new harbour at Vessmouth with a speech on Tuesday.",
            "Sen. Maren Hollis said on Tuesday that the new harbour at Vessmouth was overdue.",
        ),
    ),
    Case(
        "quote_second_sentence_reworded",
        "quote",
        (
            'Mayor Tilda Brand said of the protest: "I do not think those are fair tactics, but it '
            "happens to all of us. The only people it never happens to are the ones with guards around "
            'them. So it is part of the job," Brand said.',
            'Mayor Tilda Brand said: "I do not think those are fair tactics, but it happens to all of us," '
            'Brand said of the protest. "The only people it never happens to is the ones with guards '
            'around them. It is part of the job."',
        ),
        "So it is part of the job",
        "It is part of the job.",
    ),
    Case(
        "title_at_the_time",
        "title",
        (
            "The complaint about the Fenwick quarry reached Dana Korvel, then an assistant district "
            "attorney, who declined to act on it in 1994.",
            "In 1994 the complaint about the Fenwick quarry went to Ms. Korvel, then a district attorney, "
            "and she declined to act on it.",
        ),
        "then an assistant district attorney",
        "then a district attorney",
    ),
    Case(
        "titles_at_two_times",
        "near_miss:timeline",
        (
            "Dana Korvel, then a senator, voted against the Fenwick dam when it was first proposed.",
            "The dam was finally opened by Ms. Korvel, then the governor, after a decade of delays and "
            "lawsuits.",
        ),
    ),
    Case(
        "quote_overlapping_excerpts",
        "quote",
        (
            "In her note, Ines Varga wrote: “I was unfair to the two stall holders at the fair. Once I "
            "had slept on it, and once I had spoken with the organisers again, I understood how wrong the "
            "remark about their prices had been.”",
            "Varga later withdrew the remark. “Once I had slept on it and spoken with the organisers again, "
            "I understood how badly wrong the remark about their prices had been. I have written to both "
            "stall holders. I am sorry,” Varga wrote.",
        ),
        "I understood how wrong",
        "how badly wrong",
    ),
    Case(
        "town_two_word_spelling",
        "place",
        (
            "A masked man began firing at a chapel in Hollin Springs on Sunday, wounding nine people, the "
            "county sheriff said.",
            "The county sheriff said a masked man began firing at a chapel in Hollin Spring on Sunday, "
            "wounding nine people.",
        ),
        "Hollin Springs",
        "Hollin Spring",
    ),
    Case(
        "two_vote_thresholds",
        "near_miss:different_measure",
        (
            "Minority leader Ona Brisk added that she was sure of the 41 votes necessary to stall the "
            "appointment of Judge Pell.",
            "Under the chamber's standing orders it takes 60 votes to overcome such a stall on an "
            "appointment.",
        ),
    ),
    Case(
        "fragment_one_word_swapped",
        "quote",
        (
            "The senator called the levy bill “a disaster for working families” in a speech on Monday.",
            "In a speech on Monday the senator called the levy bill “a catastrophe for working families.”",
        ),
        "a disaster for working families",
        "a catastrophe for working families",
    ),
    Case(
        "title_with_descriptive_words",
        "near_miss:added_detail",
        (
            "Controversial Gov. Nils Ardent opened the door to leaving office early after pressure from "
            "lawmakers in Varrow.",
            "Nils Ardent, the embattled governor, said that he would not leave office early despite "
            "pressure from lawmakers in Varrow.",
        ),
    ),
    Case(
        "death_toll_worded_two_ways",
        "number",
        (
            "The storm killed 14 people across three valleys of Orlen county, officials said on Sunday.",
            "At least 19 people died in the storm that swept across three valleys of Orlen county, "
            "officials said.",
        ),
        "14 people",
        "19 people",
    ),
    Case(
        "quote_last_word_swapped",
        "quote",
        (
            "“I have never met the man, and I never will,” Mayor Ada Brisk told reporters outside the "
            "courthouse.",
            "“I have never met the man and I never would,” Mayor Ada Brisk told reporters outside the "
            "courthouse.",
        ),
        "I never will",
        "I never would",
    ),
    # -- injected-conflict shapes (issue 12, third pass): same action at two days, named bodies, ------
    # -- an outlet contradicting itself, appositive titles, one age told twice; their near misses ------
    Case(
        "same_action_two_days",
        "date",
        (
            "On Sunday the Harlow Valley Water Board released the full set of inspection reports on the "
            "Quenby dam, after weeks of questions from residents. Engineers had walked the spillway on "
            "Wednesday morning.",
            "Inspection reports released by the Harlow Valley Water Board on Wednesday showed cracks in "
            "the old concrete. Neighbours marched to the gate on Sunday.",
        ),
        "On Sunday the Harlow",
        "on Wednesday showed",
    ),
    Case(
        "named_panel_two_days",
        "date",
        (
            "The Velmont Port Committee announced on Friday that it wants sworn evidence and ledgers from "
            "Ansel Roark, whose firm the panel had subpoenaed.",
            "The Velmont Port Committee sent a subpoena on Wednesday to Ansel Roark.",
        ),
        "announced on Friday",
        "subpoena on Wednesday",
    ),
    Case(
        "earlier_day_of_another_action",
        "near_miss:two_events",
        (
            "The clip, posted online last Friday, shows the young man, who says he is a student, "
            "walking up to Councillor Brann Aldous on the harbour pier with a camera.",
            "Councillor Brann Aldous apologised on Monday for seizing a young man by the arm on the "
            "harbour pier as a camera recorded their meeting.",
        ),
    ),
    Case(
        "latest_meeting",
        "near_miss:recurring",
        (
            "Mayor Ilse Dorn and Governor Mara Lind met on Sunday afternoon at City Hall to discuss "
            "the ferry budget.",
            "Mayor Ilse Dorn and Governor Mara Lind met for ninety minutes late on Thursday in their "
            "latest bid to agree on the ferry budget.",
        ),
    ),
    Case(
        "days_of_two_years",
        "near_miss:different_event",
        (
            "At a council debate on March 1, 2019, Councillor Teo Brandt said plainly that he had served "
            "in the navy during the war.",
            "On May 26, 2018, the Quenby Post, a weekly paper with a small staff, described Councillor "
            "Teo Brandt as a navy veteran of the war.",
        ),
    ),
    Case(
        "invitation_and_call",
        "near_miss:different_event",
        (
            "Chairman Ansel Roark will speak with board members on Monday evening. "
            "Roark wrote to board members on Saturday night under a heading that announced a call. "
            "In that message, he invited the members onto a closed conference call on Monday evening.",
            "Roark is expected to tell board members his plans during a conference call with board "
            "members on Monday evening.",
        ),
    ),
    Case(
        "self_contradicting_title",
        "title",
        (
            "Administration officials spent weeks recruiting Defense Secretary Oren Vasker to run "
            "again. Sen. Vasker declined to comment on Monday.",
            "Officials spent weeks recruiting Senator Oren Vasker to run again, aides said on Monday.",
        ),
        "Defense Secretary Oren Vasker",
        "Senator Oren Vasker",
    ),
    Case(
        "appositive_capitalised_title",
        "title",
        (
            "Corin Halloway, the Attorney General, said the resolution was not aimed at the whole "
            "Tarrow movement.",
            "Corin Halloway, president of the Tarrow League, said the resolution was not aimed at the "
            "whole movement.",
        ),
        "the Attorney General",
        "president of the Tarrow League",
    ),
    Case(
        "leader_turned_minority",
        "title",
        (
            "Senate Minority Leader Corwin Dolan told reporters on Monday that the ferry bill would clear "
            "the chamber.",
            "A note released by Senate Majority Leader Corwin Dolan's office on Monday said the ferry bill "
            "would clear the chamber easily.",
        ),
        "Senate Minority Leader Corwin Dolan",
        "Senate Majority Leader Corwin Dolan",
    ),
    Case(
        "then_title",
        "near_miss:timeline",
        (
            "Two years earlier, then-Senator Mara Lind used nearly the same words against her rival.",
            "Governor Mara Lind used nearly the same words against her rival two years ago, aides said.",
        ),
    ),
    Case(
        "age_told_twice",
        "number",
        (
            "The report was backed by one Quenby parent: Tomas Heller, whose 9-year-old son, Emil, was "
            "killed in the flood.",
            "Tomas Heller, whose 6-year-old son, Emil Heller, was killed in the flood, backed the report "
            "on Tuesday.",
        ),
        "9-year-old son",
        "6-year-old son",
    ),
    Case(
        "letter_and_signer",
        "near_miss:different_statement",
        (
            "“I worry the mayor’s budget serves the habits of a cold ledger more than the hunger of the "
            "children it feeds,” said Father Olin Drake.",
            "“Your budget seems to serve the habits of a cold ledger more than the hunger of the children "
            "it feeds,” says the letter, which forty teachers sent to the mayor.",
        ),
    ),
    Case(
        "statute_excerpts",
        "near_miss:quote_punctuation",
        (
            "Critics say the deal may breach the clause of the town charter that reads: “Whoever, openly "
            "or through another, offers any berth, permit...licence...to any person in return for any "
            "ballot...or in the course of any harbour ballot ...shall forfeit the seat.”",
            "The charter makes it an offence for anyone “who openly or through another, offers any berth, "
            "permit, lease, licence, or any other favour” to someone “in return for any ballot or for the "
            "backing of any candidate in the course of any council or guild ballot for any seat.”",
        ),
    ),
    Case(
        "one_report_one_figure",
        "date",
        (
            "Former Mayor Tomas Heller on Thursday released a 148-page report on ferry safety paid for "
            "by the Quenby Boatmen's Guild.",
            "With the council set to debate the ferries this month, a Quenby Boatmen's Guild panel "
            "led by Captain Ilse Dorn released a 148-page report on Tuesday that urged a guard aboard "
            "every ferry.",
        ),
        "on Thursday released",
        "on Tuesday that urged",
    ),
    Case(
        "plain_word_capitalised_once",
        "date",
        (
            "That was the plea from whistleblower Mira Solberg, who faulted her old employer during "
            "council testimony on Thursday, accusing its owner of unchecked power.",
            "Whistleblower Mira Solberg came to the council on Tuesday with a message about the firm "
            "and its owners.",
        ),
        "testimony on Thursday",
        "council on Tuesday",
    ),
    Case(
        "governor_only_in_possessive",
        "title",
        (
            "Sen. Ottilie Brewick signed the state budget on Friday after a long night of talks.",
            "A spokeswoman for Gov. Ottilie Brewick's office confirmed the state budget was signed on "
            "Friday.",
        ),
        "Sen. Ottilie Brewick",
        "Gov. Ottilie Brewick",
    ),
    Case(
        "speaker_office_replaced",
        "title",
        (
            "Attorney General Tobin Roe said the vote on the farm bill would be held next week.",
            "House Speaker Tobin Roe said the vote on the farm bill would be held next week, aides said.",
        ),
        "Attorney General Tobin Roe",
        "House Speaker Tobin Roe",
    ),
    # -- invented probes of 2026-12-08: shapes outlets use, each once missed or wrongly flagged --------
    Case(
        "vice_chairman_against_chairman",
        "title",
        (
            "Board Chairman Aldo Brisco said the harbour levy would be repaid within a year.",
            "Board Vice Chairman Aldo Brisco said the harbour levy would be repaid within a year.",
        ),
        "Board Chairman Aldo Brisco",
        "Board Vice Chairman Aldo Brisco",
    ),
    Case(
        "under_secretary_against_secretary",
        "title",
        (
            "The letter from Under Secretary Ilse Varga reached the harbour board on Friday.",
            "The letter from Secretary Ilse Varga reached the harbour board on Friday.",
        ),
        "Under Secretary Ilse Varga",
        "Secretary Ilse Varga",
    ),
    Case(
        "quotation_ending_two_ways",
        "quote",
        (
            "Levy row\n\nDara Quenby said: “The levy punishes the families who can least afford it.”",
            "Quenby on levy\n\nDara Quenby said the levy “punishes the families who can "
            "least afford to pay.”",
        ),
        "least afford it",
        "least afford to pay",
    ),
    Case(
        "rally_town",
        "place",
        (
            "The race has been close for weeks. Olan Varrick held a rally in Lunmouth on Saturday, drawing a "
            "crowd of supporters.",
            "The race has been close for weeks. Olan Varrick drew a crowd of supporters at a rally in "
            "Eastwick on Saturday.",
        ),
        "Lunmouth",
        "Eastwick",
    ),
    Case(
        "confirmation_vote_weekday",
        "date",
        (
            "The Senate voted 52-48 on Wednesday to confirm Edda Holm as the new harbour commissioner.",
            "Edda Holm was confirmed as harbour commissioner by the Senate in a 52-48 vote on Thursday.",
        ),
        "on Wednesday",
        "on Thursday",
    ),
    Case(
        "arrests_a_tenth_apart",
        "number",
        (
            "Police arrested 110 protesters outside the assembly building in Lunmouth on Saturday.",
            "Police said they arrested 100 protesters outside the assembly building in Lunmouth on Saturday.",
        ),
        "110 protesters",
        "100 protesters",
    ),
    Case(
        "two_interviews",
        "near_miss:different_statement",
        (
            "Harbour row\n\nDara Quenby told the Gazette on Monday: “The harbour must stay open for every "
            "family.”",
            "Quenby on harbour\n\nDara Quenby told Radio Lunmouth on Tuesday: “The harbour must stay open "
            "for every worker.”",
        ),
    ),
    Case(
        "years_of_two_figures",
        "near_miss:different_measure",
        (
            "The Varnia harbour handled 40,000 tonnes of fish in 2022.",
            "The Varnia harbour handled 52,000 tonnes of fish in 2023.",
        ),
    ),
    Case(
        "two_towns_measured",
        "near_miss:different_measure",
        (
            "The data came out Friday. Unemployment in Lunmouth rose to 7 percent in May.",
            "The data came out Friday. Unemployment in Eastwick rose to 9 percent in May.",
        ),
    ),
    Case(
        "quotation_in_capitals",
        "near_miss:quote_punctuation",
        (
            "Olan Varrick said: “We Will Not Back Down From This Fight Over The Harbour.”",
            "Olan Varrick said: “we will not back down from this fight over the harbour.”",
        ),
    ),
    Case(
        "hedged_counts",
        "near_miss:rounding",
        (
            "Nearly 1,200 people marched through Lunmouth on Saturday, the organisers said.",
            "About 1,180 people marched through Lunmouth on Saturday, the organisers said.",
        ),
    ),
    Case(
        "fragment_with_a_word_changed",
        "quote",
        (
            "The hearing ran late. Olan Varrick, who called the ruling “a travesty of justice,” said he "
            "would appeal.",
            "The hearing ran late. Olan Varrick, who called the ruling “a miscarriage of justice,” said he "
            "would appeal.",
        ),
        "travesty",
        "miscarriage",
    ),
    Case(
        "fragment_against_the_whole_remark",
        "quote",
        (
            "The vote is near. Varrick said the levy “will hurt working families.”",
            "The vote is near. “This levy will hurt hardworking families across the state,” Olan Varrick "
            "said.",
        ),
        "working families",
        "hardworking families",
    ),
    Case(
        "signed_against_vetoed",
        "statement",
        (
            "The session ran late. Governor Edda Holm signed the harbour levy bill on Friday in Lunmouth.",
            "The session ran late. Governor Edda Holm vetoed the harbour levy bill on Friday in Lunmouth.",
        ),
        "signed",
        "vetoed",
    ),
    Case(
        "two_named_polls",
        "near_miss:different_measure",
        (
            "The race is close. A Gazette poll found 45 percent of voters back the harbour plan.",
            "The race is close. A Radio Lunmouth poll found 52 percent of voters back the harbour plan.",
        ),
    ),
)
