"""make_brief end to end with the extractive engine, on articles written by the test."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing import BriefOptions, make_brief
from briefing.errors import InputError
from briefing.models import Brief, Disagreement, Statement
from briefing.render.markdown import render_markdown
from briefing.testing.fake_engine import FakeEngine
from briefing.text import count_words

PINNED = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)

WIRE = """Harbour bridge reopens after repairs

Source: Coastal Times

The city reopened the Harbour Bridge on Monday after eight months of repairs costing 120 million dollars.
Engineers replaced 40 steel cables and resurfaced the entire deck, the transport department said.
Traffic on the bridge is expected to return to 60,000 vehicles a day within a month, officials said.
Local businesses near the bridge said the closure had cut their sales during the summer season.
The mayor thanked residents for their patience during the long detours across the river.
"""

SECOND = """Bridge back in service

The city reopened the Harbour Bridge on Monday after eight months of repairs costing 120 million dollars.
Commuters crowded onto the bridge during the first morning rush hour since the spring closure.
Engineers replaced 40 steel cables and resurfaced the entire deck, the transport department said.
Cyclists will get a separated lane on the northern side of the bridge from next year, planners said.
"""


def write_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "coastal.txt").write_text(WIRE, encoding="utf-8")
    (folder / "herald.md").write_text(SECOND, encoding="utf-8")
    return folder


def every_citation(brief: Brief) -> list[tuple[str, str, int, int]]:
    statements = [
        *brief.bottom_line,
        *brief.key_points,
        *(p for d in brief.disagreements for p in d.positions),
    ]
    return [(c.source, c.quote, c.start, c.end) for s in statements for c in s.citations]


def test_make_brief_cites_every_statement_verbatim(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    brief = make_brief(folder, BriefOptions(engine="extractive"), now=PINNED)
    from briefing.sources.walk import load_sources

    texts = {s.id: s.text for s in load_sources(folder).sources}
    assert brief.bottom_line, "a brief always has a bottom line"
    for statement in [*brief.bottom_line, *brief.key_points]:
        assert statement.citations
    cites = every_citation(brief)
    assert cites
    for source, quote, start, end in cites:
        assert texts[source][start:end] == quote


def test_make_brief_merges_the_same_fact_from_two_sources(tmp_path: Path) -> None:
    brief = make_brief(write_folder(tmp_path), BriefOptions(engine="extractive"), now=PINNED)
    statements = [*brief.bottom_line, *brief.key_points]
    cables = [s for s in statements if "40 steel cables" in s.text]
    assert len(cables) == 1, "the same fact appears once"
    assert {c.source for c in cables[0].citations} == {"S1", "S2"}
    assert cables[0].independent_sources == 2


def test_make_brief_bottom_line_is_the_lead(tmp_path: Path) -> None:
    brief = make_brief(write_folder(tmp_path), BriefOptions(engine="extractive"), now=PINNED)
    assert "reopened the Harbour Bridge" in brief.bottom_line[0].text


def test_make_brief_keeps_to_the_word_budget_whatever_the_number_of_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    rng = random.Random(7)
    vocabulary = [
        f"{a}{b}"
        for a in ("har", "mel", "tor", "vin", "sal", "dru", "pem", "kol")
        for b in ("bor", "ven", "tis", "lan", "mor", "dex", "quin", "sap", "rul", "nob")
    ]
    for i in range(30):
        lines = [f"Story {i} about the regional budget vote.", ""]
        for _ in range(12):
            words = rng.sample(vocabulary, 9)
            lines.append(
                f"The {' '.join(words[:4])} council said {' '.join(words[4:])} would change next year."
            )
        (folder / f"a{i:02d}.txt").write_text("\n".join(lines), encoding="utf-8")
    brief = make_brief(folder, BriefOptions(engine="extractive", max_words=500), now=PINNED)
    body = [*brief.bottom_line, *brief.key_points]
    words = sum(count_words(s.text) for s in body)
    assert 380 <= words <= 550
    assert brief.meta.words == words + sum(
        count_words(d.topic) + sum(count_words(p.text) + 2 for p in d.positions) for d in brief.disagreements
    )
    assert len(brief.sources) == 30


def test_make_brief_json_has_the_documented_shape(tmp_path: Path) -> None:
    brief = make_brief(write_folder(tmp_path), BriefOptions(engine="extractive"), now=PINNED)
    data = json.loads(brief.to_json())
    assert {"title", "generated_at", "bottom_line", "key_points", "disagreements", "sources", "meta"} <= set(
        data
    )
    assert {"id", "path", "title", "outlet", "published", "url"} <= set(data["sources"][0])
    assert {"engine", "model", "skipped"} <= set(data["meta"])
    statement = data["bottom_line"][0]
    assert {"text", "citations"} <= set(statement)
    assert {"source", "quote", "start", "end"} <= set(statement["citations"][0])
    assert data["sources"][0]["path"] == "coastal.txt"


def test_make_brief_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        make_brief(tmp_path, BriefOptions(engine="extractive"))


def test_make_brief_drops_claims_whose_quote_is_not_in_the_source(tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    engine = FakeEngine(
        {
            "*": [
                ("The bridge reopened.", "The city reopened the Harbour Bridge on Monday"),
                ("The bridge collapsed.", "The bridge collapsed into the river on Monday"),
            ]
        }
    )
    brief = make_brief(folder, BriefOptions(), engine=engine, now=PINNED)
    assert brief.meta.claims_rejected >= 2
    texts = [s.text for s in [*brief.bottom_line, *brief.key_points]]
    assert "The bridge collapsed." not in texts
    assert "The bridge reopened." in texts
    assert brief.meta.engine == "fake"


def test_make_brief_accepts_sources_built_in_code() -> None:
    from briefing.models import Source

    sources = [
        Source(
            id="S1",
            path="a.txt",
            text="Officials confirmed the tunnel will open to traffic on 3 March next year.",
        ),
        Source(
            id="S2",
            path="b.txt",
            text="The tunnel will open to traffic on 3 March next year, officials confirmed.",
        ),
    ]
    brief = make_brief(sources, BriefOptions(engine="extractive"), now=PINNED)
    assert brief.bottom_line
    assert brief.generated_at == PINNED


def test_make_brief_bottom_line_cites_other_sources_leading_with_the_same_event(tmp_path: Path) -> None:
    folder = tmp_path / "leads"
    folder.mkdir()
    filler = " ".join(
        f"Paragraph {i} covers harbour history, local weather, tourism numbers and shipping lanes in depth."
        for i in range(12)
    )
    (folder / "a.txt").write_text(
        "The city council approved the new harbour tunnel budget on Monday after a long debate.\n\n" + filler,
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Councillors approved a harbour tunnel budget Monday, ending months of delay over costs.\n\n"
        + "Unrelated coverage of the regional football league, transfer rumours and stadium repairs follows.",
        encoding="utf-8",
    )
    brief = make_brief(folder, BriefOptions(engine="extractive"), now=PINNED)
    lead = brief.bottom_line[0]
    assert {c.source for c in lead.citations} == {"S1", "S2"}
    assert lead.independent_sources == 2
    texts = [s.text for s in brief.key_points]
    assert not any(
        t.startswith("Councillors approved") or t.startswith("The city council approved") for t in texts
    )


def _two_sided(a: str, b: str) -> list[Disagreement]:
    from briefing.models import Citation

    return [
        Disagreement(
            topic="When it opened",
            positions=[
                Statement(text="Monday", citations=[Citation(source="S1", quote=a, start=0, end=len(a))]),
                Statement(text="Friday", citations=[Citation(source="S2", quote=b, start=0, end=len(b))]),
            ],
        )
    ]


@pytest.mark.parametrize(
    ("second", "kept"),
    [
        (
            "The Harbour Bridge reopened on Friday after eight months of cable and deck repairs, "
            "the transport department said, and traffic on the bridge returned to normal.",
            True,
        ),
        (
            "The orchestra opened its winter season on Friday with a symphony by Sibelius, "
            "conducted by a guest violinist from Helsinki before a full concert hall.",
            False,
        ),
    ],
)
def test_make_brief_keeps_disagreements_only_between_sources_on_one_story(
    monkeypatch: pytest.MonkeyPatch, second: str, kept: bool
) -> None:
    import briefing.reconcile.core
    from briefing.models import Source

    first = (
        "The Harbour Bridge reopened on Monday after eight months of cable and deck repairs, "
        "the transport department said, and traffic on the bridge returned to normal."
    )
    monkeypatch.setattr(
        briefing.reconcile.core, "find_disagreements", lambda claims, sources: _two_sided(first, second)
    )
    sources = [Source(id="S1", path="a.txt", text=first), Source(id="S2", path="b.txt", text=second)]
    brief = make_brief(sources, BriefOptions(engine="extractive"), now=PINNED)
    assert bool(brief.disagreements) is kept


COLUMN = """Opinion | The harbour bridge repairs were a waste

The city reopened the Harbour Bridge on Monday after eight months of repairs costing 120 million dollars.
Every taxpayer in this city should be furious that the council let the bridge rot for a decade.
The council ought to have spent that money on the tram line the east side has waited on for years.
Nobody on the council has explained why the repairs took twice as long as the engineers promised.
"""


def test_make_brief_an_opinion_piece_is_labelled_and_never_the_news(tmp_path: Path) -> None:
    for name, text in (("coastal.txt", WIRE), ("herald.md", SECOND), ("column.txt", COLUMN)):
        lines = text.splitlines()
        (tmp_path / name).write_text(
            "\n".join(lines[:5] if name != "column.txt" else lines), encoding="utf-8"
        )
    brief = make_brief(tmp_path, BriefOptions(max_words=400), now=datetime(2026, 1, 1, tzinfo=UTC))
    column = next(s.id for s in brief.sources if s.opinion)
    assert [s.path for s in brief.sources if s.opinion] == ["column.txt"]
    lead = brief.bottom_line[0]
    assert any(c.source != column for c in lead.citations)
    assert lead.independent_sources == 2  # the column's restatement of the news is no third voice
    argued = [s for s in brief.key_points if all(c.source == column for c in s.citations)]
    assert argued and all(s.opinion for s in argued)
    assert not any(s.opinion for s in brief.key_points if s not in argued)
    # The column's views come after the reports' facts.
    assert brief.key_points.index(argued[0]) > max(
        i for i, s in enumerate(brief.key_points) if s not in argued
    )
    md = render_markdown(brief)
    assert "_(opinion)_" in md and "— _opinion_ —" in md


class _ColumnFirst(FakeEngine):
    """An engine whose brief leads with the column's opening view, as a model might."""

    def compose(self, points, disagreements, run):  # type: ignore[no-untyped-def]  # test double
        from briefing.compose import statement_from_point
        from briefing.engines import Composed

        column = [p for p in points if run.sources[p.claims[0].source_id].opinion]
        return Composed(bottom_line=[statement_from_point(column[0])], key_points=[])


def test_make_brief_an_engines_bottom_line_from_a_column_becomes_a_key_point(tmp_path: Path) -> None:
    for name, text in (("coastal.txt", WIRE), ("herald.md", SECOND), ("column.txt", COLUMN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    view = COLUMN.splitlines()[3]  # the column's view, right after its restatement of the news
    engine = _ColumnFirst({"S2#0": [(view, view)]})  # sources sorted by path: column.txt is S2
    brief = make_brief(
        tmp_path, BriefOptions(max_words=300), engine=engine, now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert view not in [s.text for s in brief.bottom_line]  # the offline bottom line: the reports' news
    assert view in [s.text for s in brief.key_points]
    assert any("cites no report's opening sentences" in w for w in brief.meta.warnings)
