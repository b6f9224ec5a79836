"""Composing the brief: bottom line first, key points within the word budget."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from briefing.compose import (
    FILL_TOLERANCE,
    compose_extractive,
    disagreement_words,
    fit_budget,
    salience,
    statement_from_point,
)
from briefing.engines.base import Composed, RunContext
from briefing.models import Citation, Claim, Disagreement, Meta, Point, Source, Statement
from briefing.options import BriefOptions
from briefing.text import count_words

# compose_extractive lets the last key point run over by FILL_TOLERANCE words and
# fit_budget tolerates 25, so a point is not dropped for a word or two.
COMPOSE_SLACK = FILL_TOLERANCE
FIT_SLACK = 25


def _run(max_words: int = 150) -> RunContext:
    return RunContext(options=BriefOptions(max_words=max_words), sources={}, meta=Meta(engine="extractive"))


def _sentence(tag: str, words: int) -> str:
    # Distinct vocabulary per point, so no point is redundant with another.
    return " ".join(f"{tag}w{j}" for j in range(words)) + "."


def _point(
    tag: str, score: float, *, words: int = 20, sources: tuple[str, ...] = ("S1",), quote: str | None = None
) -> Point:
    text = _sentence(tag, words)
    claims = [
        Claim(
            id=f"{tag}-{sid}",
            source_id=sid,
            chunk_id=f"{sid}#0",
            text=text,
            quote=quote or text,
            start=100 * int(tag.strip("p")) + i,
            end=100 * int(tag.strip("p")) + i + len(quote or text),
            score=score,
        )
        for i, sid in enumerate(sources)
    ]
    return Point(id=tag, text=text, claims=claims, score=score, independent_sources=len(set(sources)))


def _words(statements: list[Statement]) -> int:
    return sum(count_words(s.text) for s in statements)


def _texts(statements: list[Statement]) -> list[str]:
    return [s.text for s in statements]


def test_compose_bottom_line_is_the_corroborated_lead() -> None:
    single = _point("p1", 2.0)
    corroborated = _point("p2", 1.5, sources=("S1", "S2"))
    rest = [_point(f"p{i}", 1.0 - i / 100) for i in range(3, 6)]
    composed = compose_extractive([single, corroborated, *rest], [], _run(400))
    assert _texts(composed.bottom_line) == [corroborated.text]
    assert [c.source for c in composed.bottom_line[0].citations] == ["S1", "S2"]
    assert composed.bottom_line[0].independent_sources == 2
    # The bottom line is not repeated; the other points follow in score order.
    assert _texts(composed.key_points) == [single.text] + [p.text for p in rest]


def test_compose_bottom_line_is_never_a_live_blogs_latest_entry() -> None:
    # A live blog is the newest page, and its first sentence is early in it, but it is its latest
    # entry, not the story's news: the lede of the (older) report is the bottom line.
    blog = "\n\n".join(f"{h}.{m:02d} An update on the search." for h, m in ((17, 0), (16, 6), (15, 25)))
    run = _run(400)
    run.sources = {
        "S1": Source(id="S1", path="a.txt", text="x" * 1000, published="2026-01-01"),
        "S2": Source(id="S2", path="b.html", text=blog + "x" * 1000, published="2026-01-02"),
    }
    report = _point("p1", 1.0, sources=("S1",))
    entry = _point("p2", 2.0, sources=("S2",))
    composed = compose_extractive([entry, report], [], run)
    assert _texts(composed.bottom_line) == [report.text]
    run.sources["S2"] = Source(id="S2", path="b.html", text="x" * 1000, published="2026-01-02")
    assert _texts(compose_extractive([entry, report], [], run).bottom_line) == [entry.text]


def test_compose_bottom_line_prefers_an_early_statement_that_is_not_a_quotation() -> None:
    article = "x" * 1000  # claims of p1 and p2 start in its first quarter, p3's does not
    run = _run(400)
    run.sources = {sid: Source(id=sid, path=f"{sid}.txt", text=article) for sid in ("S1", "S2")}
    early = _point("p1", 1.0)
    quoted = _point("p2", 2.0)
    quote_text = "\u201c" + quoted.text + "\u201d the mayor said."
    quoted = quoted.model_copy(
        update={"text": quote_text, "claims": [quoted.claims[0].model_copy(update={"text": quote_text})]}
    )
    late = _point("p3", 3.0, sources=("S1", "S2"))
    composed = compose_extractive([late, quoted, early], [], run)
    assert _texts(composed.bottom_line) == [early.text]
    assert _texts(composed.key_points) == [late.text, quoted.text]


def _ending_on(point: Point, quotation: str) -> Point:
    text = point.text.rstrip(".") + " that she called \u201c" + quotation + ".\u201d"
    return point.model_copy(
        update={"text": text, "claims": [point.claims[0].model_copy(update={"text": text})]}
    )


def test_compose_bottom_line_is_a_lede_ending_on_a_phrase_it_quotes() -> None:
    # A lede ending on a phrase in quotation marks states the news; one ending on a whole remark is
    # a quotation, and the article's next sentence is the bottom line.
    run = _run(400)
    run.sources = {"S1": Source(id="S1", path="S1.txt", text="x" * 1000)}
    second = _point("p2", 1.0)
    phrase = _ending_on(_point("p1", 1.0), "a quiet disgrace")
    assert _texts(compose_extractive([phrase, second], [], run).bottom_line) == [phrase.text]
    remark = _ending_on(_point("p1", 1.0), "a quiet disgrace that nobody here will forget")
    assert _texts(compose_extractive([remark, second], [], run).bottom_line) == [second.text]
    # Short phrases, but a quarter of the sentence in quotation marks: it reports what was said.
    woven = _ending_on(_point("p1", 1.0, words=12), "a quiet disgrace")
    woven_text = woven.text.replace("p1w3 p1w4", "\u201cp1w3 p1w4\u201d")
    woven = woven.model_copy(
        update={"text": woven_text, "claims": [woven.claims[0].model_copy(update={"text": woven_text})]}
    )
    assert _texts(compose_extractive([woven, second], [], run).bottom_line) == [second.text]


def test_compose_short_lead_gets_a_second_sentence() -> None:
    lead = _point("p1", 2.0, words=8)
    points = [lead, _point("p2", 1.5), _point("p3", 1.0)]
    composed = compose_extractive(points, [], _run(400))
    assert _texts(composed.bottom_line) == [lead.text, points[1].text]
    assert _texts(composed.key_points) == [points[2].text]


def test_compose_table_row_is_never_the_bottom_line() -> None:
    row = _point("p1", 3.0, quote="| Riverside | 12 |")
    prose = _point("p2", 1.0)
    composed = compose_extractive([row, prose], [], _run(400))
    assert _texts(composed.bottom_line) == [prose.text]
    assert _texts(composed.key_points) == [row.text]


def test_compose_respects_the_word_budget() -> None:
    points = [_point(f"p{i}", 10 - i / 10) for i in range(1, 61)]
    small = compose_extractive(points, [], _run(150))
    assert small.key_points
    assert _words(small.bottom_line) + _words(small.key_points) <= 150 + COMPOSE_SLACK
    large = compose_extractive(points, [], _run(600))
    assert _words(large.bottom_line) + _words(large.key_points) <= 600 + COMPOSE_SLACK
    assert len(large.key_points) > len(small.key_points)
    # A bigger budget adds points; it does not reshuffle the ones already chosen.
    assert _texts(large.key_points)[: len(small.key_points)] == _texts(small.key_points)


def test_compose_skips_a_long_point_but_fills_with_a_shorter_one() -> None:
    points = [
        _point("p1", 4.0),  # bottom line: 20 words
        _point("p2", 3.0, words=100),  # 120 words used
        _point("p3", 2.0, words=60),  # 180 would be too far over 150
        _point("p4", 1.0, words=10),  # 130: fits
    ]
    composed = compose_extractive(points, [], _run(150))
    assert _texts(composed.key_points) == [points[1].text, points[3].text]


def _disagreement(*points: Point) -> Disagreement:
    return Disagreement(
        topic="budget for the bridge",
        positions=[Statement(text=p.text, citations=[p.claims[0].citation()]) for p in points],
    )


def test_compose_does_not_repeat_disagreement_claims() -> None:
    points = [_point(f"p{i}", 5 - i / 10) for i in range(1, 9)]
    conflict = _disagreement(points[2], points[4])
    composed = compose_extractive(points, [conflict], _run(400))
    said = _texts(composed.bottom_line) + _texts(composed.key_points)
    assert points[2].text not in said
    assert points[4].text not in said
    assert points[3].text in said


def test_compose_bottom_line_does_not_take_a_side_in_a_disagreement() -> None:
    disputed = _point("p1", 3.0, sources=("S1", "S2"))
    other_side = _point("p2", 2.5, sources=("S3",))
    settled = _point("p3", 1.0)
    composed = compose_extractive(
        [disputed, other_side, settled], [_disagreement(disputed, other_side)], _run()
    )
    assert _texts(composed.bottom_line) == [settled.text]
    assert composed.key_points == []


def test_compose_budget_counts_the_disagreements() -> None:
    points = [_point(f"p{i}", 10 - i / 10) for i in range(1, 61)]
    conflict = _disagreement(_point("p90", 0.1, words=40), _point("p91", 0.1, words=40))
    fixed = disagreement_words([conflict])
    assert fixed == count_words(conflict.topic) + 2 * (40 + 2)
    without = compose_extractive(points, [], _run(300))
    composed = compose_extractive(points, [conflict], _run(300))
    assert _words(composed.bottom_line) + _words(composed.key_points) + fixed <= 300 + COMPOSE_SLACK
    assert len(composed.key_points) < len(without.key_points)


def test_compose_skips_points_that_repeat_a_chosen_one() -> None:
    first = _point("p1", 3.0)
    # Same vocabulary as the first point, one word changed: says the same thing again.
    echo_text = first.text.replace("p1w0", "other")
    echo = Point(
        id="p2",
        text=echo_text,
        claims=[first.claims[0].model_copy(update={"id": "echo", "source_id": "S2", "text": echo_text})],
        score=2.0,
    )
    fresh = _point("p3", 1.0)
    composed = compose_extractive([first, echo, fresh], [], _run(400))
    said = _texts(composed.bottom_line) + _texts(composed.key_points)
    assert echo_text not in said
    assert fresh.text in said


def test_compose_of_no_points_is_empty() -> None:
    composed = compose_extractive([], [], _run())
    assert composed.bottom_line == [] and composed.key_points == []


def _statement(tag: str, words: int) -> Statement:
    return Statement(text=_sentence(tag, words), citations=[Citation(source="S1", quote="x", start=0, end=1)])


def test_fit_budget_trims_key_points_from_the_end() -> None:
    bottom = [_statement("b", 30)]
    key = [_statement(f"k{i}", 20) for i in range(10)]
    run = _run(150)
    fitted = fit_budget(Composed(bottom_line=bottom, key_points=key, title="T"), [], run)
    assert fitted.bottom_line == bottom
    assert fitted.title == "T"
    # 30 + 20n <= 150 + 25  ->  n = 7: the first seven are kept, in order.
    assert fitted.key_points == key[:7]
    assert run.meta.points_trimmed == 3
    assert _words(fitted.bottom_line) + _words(fitted.key_points) <= 150 + FIT_SLACK


def test_fit_budget_leaves_a_fitting_brief_alone() -> None:
    composed = Composed(bottom_line=[_statement("b", 30)], key_points=[_statement("k", 20)])
    run = _run(150)
    fitted = fit_budget(composed, [], run)
    assert fitted.key_points == composed.key_points
    assert run.meta.points_trimmed == 0


def test_fit_budget_never_trims_bottom_line_or_disagreements() -> None:
    bottom = [_statement("b", 120)]
    key = [_statement(f"k{i}", 10) for i in range(4)]
    conflict = _disagreement(_point("p90", 0.1, words=40), _point("p91", 0.1, words=40))
    run = _run(150)
    fitted = fit_budget(Composed(bottom_line=bottom, key_points=key), [conflict], run)
    assert fitted.bottom_line == bottom
    assert fitted.key_points == []
    assert run.meta.points_trimmed == 4


def test_statement_from_point_cites_each_source_once() -> None:
    point = _point("p1", 1.0, sources=("S1", "S2", "S1"))
    statement = statement_from_point(point)
    assert statement.text == point.text
    assert [c.source for c in statement.citations] == ["S1", "S2"]
    assert statement.citations[0] == point.claims[0].citation()
    assert statement.independent_sources == point.independent_sources == 2


# Three outlets on one (invented) event: the second and third repeat the
# seawall inspection further down, nobody else mentions the painters.
_LEDE = (
    "Harbour council approved the seawall budget on Monday after a long debate over tides, "
    "insurance and the cost of concrete."
)
_LEDE2 = (
    "The harbour council voted for seawall money on Monday after members debated tides, "
    "insurance and concrete costs."
)
_LEDE3 = (
    "Council members approved seawall spending on Monday following a long debate about tides, "
    "insurance and concrete."
)
_OUTLETS = {
    "S1": _LEDE + " Kettle painters gathered near orchard lanes yesterday. "
    "Inspectors found cracks in the northern seawall after storms.",
    "S2": _LEDE2 + " Inspectors reported cracks in the northern seawall.",
    "S3": _LEDE3 + " Storms left cracks in the northern seawall, inspectors said.",
}


def _cited_point(texts: Mapping[str, str], sid: str, sentence: str, score: float = 0.0) -> Point:
    """A point stating ``sentence`` of source ``sid``, cited at its offset in ``texts[sid]``."""
    start = texts[sid].index(sentence)
    claim = Claim(
        id=f"{sid}:{start}",
        source_id=sid,
        chunk_id=f"{sid}#0",
        text=sentence,
        quote=sentence,
        start=start,
        end=start + len(sentence),
        score=score,
    )
    return Point(id=claim.id, text=sentence, claims=[claim], score=score)


def _texts_run(texts: Mapping[str, str]) -> RunContext:
    """A run over sources holding ``texts`` (id -> text), at a 150-word budget."""
    sources = {sid: Source(id=sid, path=f"{sid}.txt", text=t) for sid, t in texts.items()}
    return RunContext(options=BriefOptions(max_words=150), sources=sources, meta=Meta(engine="extractive"))


def _outlets_run(max_words: int) -> RunContext:
    sources = {sid: Source(id=sid, path=f"{sid}.txt", text=text) for sid, text in _OUTLETS.items()}
    # A story's share of the budget may be below the options' floor (the pipeline copies without validating).
    options = BriefOptions().model_copy(update={"max_words": max_words})
    return RunContext(options=options, sources=sources, meta=Meta(engine="extractive"))


def test_compose_key_point_is_the_one_other_outlets_echo() -> None:
    lede = _cited_point(
        _OUTLETS,
        "S1",
        _LEDE,
        3.0,
    )
    # The engine scores the painters higher, and they come first in the article.
    painters = _cited_point(_OUTLETS, "S1", "Kettle painters gathered near orchard lanes yesterday.", 2.0)
    cracks = _cited_point(
        _OUTLETS, "S1", "Inspectors found cracks in the northern seawall after storms.", 1.0
    )
    others = [_cited_point(_OUTLETS, "S2", _LEDE2, 0.5), _cited_point(_OUTLETS, "S3", _LEDE3, 0.4)]
    composed = compose_extractive([lede, painters, cracks, *others], [], _outlets_run(max_words=25))
    # One of the three ledes is the bottom line (a short one takes a second sentence with it);
    # after it, what the other outlets echo is said, not the colour the engine scored higher.
    said = _texts([*composed.bottom_line, *composed.key_points])
    assert said[0] in (lede.text, _LEDE2, _LEDE3)
    assert cracks.text in said
    assert painters.text not in said


def test_salience_covered_concepts_add_nothing() -> None:
    points = [
        _cited_point(
            _OUTLETS,
            "S1",
            _LEDE,
            1.0,
        ),
        _cited_point(_OUTLETS, "S1", "Inspectors found cracks in the northern seawall after storms.", 1.0),
    ]
    sal = salience(points, _outlets_run(max_words=100))
    before = sal.marginal(1)
    sal.choose(1)
    assert sal.marginal(1) < before  # once said, its concepts are covered
    assert sal.marginal(1) == sal.score[1]


def test_salience_prefers_what_the_headlines_state(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.compose as compose_module

    texts = {
        "S1": "Ferry crews repainted the pier railings on Tuesday. "
        "The lighthouse keeper retired after forty years.",
        "S2": "Ferry crews repainted railings at the pier on Tuesday.",
    }
    sources = {sid: Source(id=sid, path=f"{sid}.txt", text=t, title=None) for sid, t in texts.items()}
    sources["S1"] = sources["S1"].model_copy(update={"title": "Lighthouse keeper retires after forty years"})

    points = [
        _cited_point(texts, "S1", "Ferry crews repainted the pier railings on Tuesday."),
        _cited_point(texts, "S1", "The lighthouse keeper retired after forty years."),
        _cited_point(texts, "S2", "Ferry crews repainted railings at the pier on Tuesday."),
    ]
    run = RunContext(options=BriefOptions(), sources=sources, meta=Meta(engine="extractive"))
    with_headline = salience(points, run).score
    monkeypatch.setattr(compose_module, "HEADLINE_WEIGHT", 0.0)
    without = salience(points, run).score
    assert with_headline[1] - with_headline[0] > without[1] - without[0]
    assert with_headline[1] > without[1]


def test_compose_leaves_out_a_point_echoing_another_outlets_headline() -> None:
    texts = {
        "S1": "Harbour council approves seawall budget after long debate\n\n" + _LEDE,
        "S2": _LEDE2 + " Harbour council approves seawall budget after debate.",
    }
    sources = {sid: Source(id=sid, path=f"{sid}.txt", text=t) for sid, t in texts.items()}
    sources["S1"] = sources["S1"].model_copy(
        update={"title": "Harbour council approves seawall budget after long debate"}
    )

    echo = _cited_point(texts, "S2", "Harbour council approves seawall budget after debate.")
    points = [_cited_point(texts, "S1", _LEDE), _cited_point(texts, "S2", _LEDE2), echo]
    options = BriefOptions().model_copy(update={"max_words": 100})
    run = RunContext(options=options, sources=sources, meta=Meta(engine="extractive"))
    composed = compose_extractive(points, [], run)
    said = _texts([*composed.bottom_line, *composed.key_points])
    assert said
    assert echo.text not in said


def test_compose_leaves_out_a_sentence_recalling_another_flight() -> None:
    story = "Flight XR512 left the coast at dawn. Crews searched for Flight XR512 all day."
    background = "Another jet, Flight XR77, vanished in 2010 with 200 people on board."
    run = RunContext(
        options=BriefOptions(max_words=150),
        sources={"S1": Source(id="S1", path="a.txt", text=story + " " + background)},
        meta=Meta(engine="extractive"),
    )
    own = _point("p1", 0.9, quote="Crews searched for Flight XR512 all day.")
    recalled = _point("p2", 0.8, quote=background)
    other = _point("p3", 0.7)
    # Its own flight named too, but after the other: the sentence tells of the other flight.
    unlike = _point("p4", 0.75, quote="Families of Flight XR77, which unlike XR512 was never found, met.")
    composed = compose_extractive([own, recalled, other, unlike], [], run)
    shown = _texts([*composed.bottom_line, *composed.key_points])
    assert own.text in shown and other.text in shown
    assert recalled.text not in shown and unlike.text not in shown


def test_compose_leaves_out_a_person_named_by_surname_until_the_brief_introduces_them() -> None:
    texts = {
        "S1": "Harbour inspector Maren Ostvik found cracks in the northern seawall on Monday. "
        "The council closed the promenade while crews measured the damage. "
        "Ostvik said the wall could fail in the next storm.",
        "S2": "Crews measured cracks in the northern seawall after the harbour council closed the promenade. "
        "Ostvik said the wall could fail in the next storm.",
    }
    run = _texts_run(texts)
    closed = _cited_point(
        texts, "S1", "The council closed the promenade while crews measured the damage.", 2.0
    )
    stranger = _cited_point(texts, "S1", "Ostvik said the wall could fail in the next storm.", 1.0)
    intro = _cited_point(
        texts, "S1", "Harbour inspector Maren Ostvik found cracks in the northern seawall on Monday.", 0.5
    )
    # Without the sentence that names her in full, "Ostvik said..." is a stranger's word.
    alone = compose_extractive([closed, stranger], [], run)
    assert stranger.text not in _texts([*alone.bottom_line, *alone.key_points])
    # Once the brief has named her, the same sentence may follow.
    told = compose_extractive([intro, closed, stranger], [], run)
    said = _texts([*told.bottom_line, *told.key_points])
    assert said.index(intro.text) < said.index(stranger.text)


def test_compose_bottom_line_is_the_later_of_two_reports_of_one_day() -> None:
    # A wire's morning item and its evening update share a date: the stated time orders them.
    run = _run(400)
    day = "2026-01-02"
    run.sources = {
        sid: Source(id=sid, path=f"{sid}.html", text="x" * 999, published=day, published_at=f"{day}T{hm}Z")
        for sid, hm in (("S1", "03:51:00"), ("S2", "23:44:00"))
    }
    morning = _point("p1", 2.0, sources=("S1",))
    evening = _point("p2", 1.0, sources=("S2",))
    assert _texts(compose_extractive([morning, evening], [], run).bottom_line) == [evening.text]
    run.sources["S2"] = run.sources["S2"].model_copy(update={"published_at": None})
    assert _texts(compose_extractive([morning, evening], [], run).bottom_line) == [morning.text]


def test_compose_states_once_what_two_outlets_first_sentences_both_report() -> None:
    # Each outlet opens on the same news in its own words (too differently for REDUNDANT);
    # the second opening repeats the bottom line, while a later sentence of its article adds a fact.
    texts = {
        "S1": "The harbour council closed the northern promenade on Monday after inspectors found deep "
        "cracks in the old seawall, and repair crews began work near the ferry terminal. "
        "Crews began measuring the damage.",
        "S2": "Officials shut the promenade at dawn Monday, citing cracks that engineers spotted along the "
        "harbour seawall by the ferry pier during weekend checks. "
        "The repairs will cost about 4 million crowns.",
    }
    run = _texts_run(texts)
    first = texts["S1"].split(" Crews")[0]
    second = texts["S2"].split(" The repairs")[0]
    points = [
        _cited_point(texts, "S1", first, 2.0),
        _cited_point(texts, "S1", "Crews began measuring the damage.", 1.0),
        _cited_point(texts, "S2", second, 1.5),
        _cited_point(texts, "S2", "The repairs will cost about 4 million crowns.", 0.5),
    ]
    composed = compose_extractive(points, [], run)
    said = _texts([*composed.bottom_line, *composed.key_points])
    assert sum(t in (first, second) for t in said) == 1
    assert "The repairs will cost about 4 million crowns." in said
    # Another voice's first sentence sharing fewer words is a fact of its own, and stays.
    other = "Fishing boats were moved to the southern basin on Monday, officials confirmed."
    texts["S2"] = other + " The repairs will cost about 4 million crowns."
    run.sources["S2"] = Source(id="S2", path="S2.txt", text=texts["S2"])
    points[2:] = [
        _cited_point(texts, "S2", other, 1.5),
        _cited_point(texts, "S2", "The repairs will cost about 4 million crowns.", 0.5),
    ]
    said = _texts([*(c := compose_extractive(points, [], run)).bottom_line, *c.key_points])
    assert first in said and other in said


def test_compose_states_once_what_another_outlets_second_sentence_reports_again() -> None:
    # The other outlet opens on a reaction, and its second sentence states the news of the bottom line
    # in its own words: an article's first two sentences are its lede, and that one is a repeat.
    texts = {
        "S1": "The harbour council closed the northern promenade on Monday after inspectors found deep "
        "cracks in the old seawall, and repair crews began work near the ferry terminal. "
        "Crews began measuring the damage.",
        "S2": "Shop owners along the waterfront said on Tuesday they feared a long and costly summer. "
        "Officials shut the promenade at dawn Monday, citing cracks that engineers spotted along the "
        "harbour seawall by the ferry pier during weekend checks. "
        "The repairs will cost about 4 million crowns.",
    }
    run = _texts_run(texts)
    first = texts["S1"].split(" Crews")[0]
    opening = texts["S2"].split(" Officials")[0]
    second = "Officials" + texts["S2"].split(" Officials")[1].split(" The repairs")[0]
    points = [
        _cited_point(texts, "S1", first, 2.0),
        _cited_point(texts, "S1", "Crews began measuring the damage.", 1.0),
        _cited_point(texts, "S2", opening, 1.2),
        _cited_point(texts, "S2", second, 1.5),
        _cited_point(texts, "S2", "The repairs will cost about 4 million crowns.", 0.5),
    ]
    composed = compose_extractive(points, [], run)
    said = _texts([*composed.bottom_line, *composed.key_points])
    assert first in said and opening in said
    assert second not in said


def test_compose_states_once_a_lede_that_restates_the_bottom_line_in_other_word_forms() -> None:
    # "closed"/"shut", "cracks"/"cracked", "terminal"/"terminals": the second outlet's lede tells the
    # same news in other forms of the same words; few are spelled alike.
    texts = {
        "S1": "The harbour council closed the northern promenade on Monday after inspectors found deep "
        "cracks in the old seawall near the ferry terminal. Crews began measuring the damage.",
        "S2": "Councillors shut the promenade on Monday when an inspection finding cracked seawalls by "
        "the ferry terminals was made public. The repairs will cost about 4 million crowns.",
    }
    run = _texts_run(texts)
    first = texts["S1"].split(" Crews")[0]
    restated = texts["S2"].split(" The repairs")[0]
    points = [
        _cited_point(texts, "S1", first, 2.0),
        _cited_point(texts, "S1", "Crews began measuring the damage.", 1.0),
        _cited_point(texts, "S2", restated, 1.5),
        _cited_point(texts, "S2", "The repairs will cost about 4 million crowns.", 0.5),
    ]
    said = _texts([*(c := compose_extractive(points, [], run)).bottom_line, *c.key_points])
    # One of the two ledes is the bottom line; the other is not told again.
    assert (first in said) != (restated in said), said
    assert "The repairs will cost about 4 million crowns." in said
    # A second dispatch of one wire (one voice: a copy's ``duplicate_of``) retells the news as it
    # stood then: not told again under the newer one either.
    run.sources["S2"] = run.sources["S2"].model_copy(update={"duplicate_of": "S1"})
    said = _texts([*(c := compose_extractive(points, [], run)).bottom_line, *c.key_points])
    assert (first in said) != (restated in said), said
