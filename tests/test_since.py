"""make --since: what is new, updated, changed or unchanged since an earlier brief, in every format."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.models import Brief, Citation, Disagreement, Meta, SourceRef, Statement
from briefing.since import compare, load_previous, with_changes


def _st(text: str, source: str = "S1") -> Statement:
    return Statement(text=text, citations=[Citation(source=source, quote=text, start=0, end=len(text))])


def _brief(
    when: str, bottom: list[str], points: list[str], topics: list[str] = (), urls: tuple[str, ...] = ("u1",)
) -> Brief:
    sources = [
        SourceRef(id=f"S{i}", path=f"{i}.md", url=f"http://127.0.0.1/{u}") for i, u in enumerate(urls, 1)
    ]
    return Brief(
        title="t",
        generated_at=datetime.fromisoformat(when),
        bottom_line=[_st(t) for t in bottom],
        key_points=[_st(t) for t in points],
        disagreements=[
            Disagreement(topic=t, positions=[_st("a said one", "S1"), _st("b said two", "S1")])
            for t in topics
        ],
        sources=sources,
        meta=Meta(engine="extractive"),
    )


DAY1 = _brief(
    "2026-03-02T07:00:00+00:00",
    ["The mill at Orlen produced 1,200 t of paper pulp in the first quarter, its owner said."],
    [
        "The river ferry to Orlen will stop running on Sundays from April, the operator said.",
        "Orlen's council approved a budget of 12 million for road repairs on Tuesday.",
    ],
    ["Orlen mill: output in the first quarter", "Ferry: number of daily crossings"],
)
DAY2 = _brief(
    "2026-03-03T07:00:00+00:00",
    ["The mill at Orlen produced 1,350 t of paper pulp in the first quarter, its owner said."],
    [
        "The river ferry to Orlen will stop running on Sundays from April, the operator said.",
        "The ferry operator to Orlen also plans to raise fares on weekday crossings by a fifth.",
        "A heat wave is expected across the southern coast from Thursday, forecasters warned.",
    ],
    ["Orlen mill: output in the first quarter", "School closures: how many days"],
)


def test_compare_marks_new_update_changed_and_unchanged() -> None:
    changes = compare(DAY1, DAY2)
    status = {(c.section, c.index): c.status for c in changes.items}
    assert status == {
        ("bottom_line", 0): "update",
        ("key_points", 0): "unchanged",
        ("key_points", 1): "update",  # the same ferry story, with a new fact
        ("key_points", 2): "new",
    }
    moved = changes.items[0].values
    assert [(v.before, v.after) for v in moved] == [("1,200 t", "1,350 t")]
    assert {d.topic: d.status for d in changes.disagreements} == {
        "Orlen mill: output in the first quarter": "continuing",
        "School closures: how many days": "appeared",
        "Ferry: number of daily crossings": "resolved",
    }


def test_compare_against_itself_is_all_unchanged() -> None:
    changes = compare(DAY1, DAY1)
    assert {c.status for c in changes.items} == {"unchanged"}
    assert {d.status for d in changes.disagreements} == {"continuing"}


def test_compare_reads_previous_json_with_unknown_fields() -> None:
    # A brief from a newer version (e.g. with stories) is still compared.
    data = json.loads(DAY1.to_json())
    data["stories"] = [{"title": "Orlen mill output", "statements": [data["bottom_line"][0]]}]
    data["something_new"] = 1
    changes = compare(data, DAY2)
    assert changes.items[0].status == "update"


def test_every_format_shows_the_marks() -> None:
    brief = with_changes(DAY1, DAY2)
    md = brief.to_markdown()
    assert "**Update** The mill at Orlen" in md
    assert "changed since yesterday: 1,200 t → 1,350 t" in md
    assert "**New** A heat wave" in md
    assert "1 point unchanged since yesterday" in md
    assert "The river ferry" not in md  # compressed to the one line
    assert "_No longer disputed: Ferry: number of daily crossings._" in md
    assert "**New** **School closures" in md
    html = brief.to_html()
    assert '<span class="tag tag-update">Update</span>' in html
    assert "changed since yesterday: 1,200 t → 1,350 t" in html
    assert "No longer disputed" in html
    slack = json.dumps(brief.to_slack(), ensure_ascii=False)
    assert "*Update* The mill at Orlen" in slack and "*New* A heat wave" in slack
    assert "1,200 t → 1,350 t" in slack
    assert json.loads(brief.to_json())["changes"]["items"][0]["values"] == [
        {"before": "1,200 t", "after": "1,350 t"}
    ]


def test_pdf_shows_the_marks() -> None:
    pytest.importorskip("weasyprint")
    import io

    from pypdf import PdfReader

    data = with_changes(DAY1, DAY2).to_pdf()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "UPDATE" in text.upper() and "1,350 t" in text


def test_brief_without_since_renders_as_before() -> None:
    md = DAY2.to_markdown()
    assert "**New**" not in md and "unchanged" not in md
    assert DAY2.changes is None


def test_load_previous_rejects_non_brief(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"a": 1}')
    with pytest.raises(Exception, match="not a brief made with --format json"):
        load_previous(bad)


def test_cli_make_since_marks_the_markdown(tmp_path: Path) -> None:
    day1, day2 = tmp_path / "d1", tmp_path / "d2"
    day1.mkdir()
    day2.mkdir()
    (day1 / "a.txt").write_text(
        "Mill output\n\nThe mill at Orlen produced 1,200 t of paper pulp in the first quarter, "
        "its owner said.\n"
    )
    (day2 / "a.txt").write_text(
        "Mill output\n\nThe mill at Orlen produced 1,350 t of paper pulp in the first quarter, "
        "its owner said.\n\n"
        "A heat wave is expected across the southern coast from Thursday, forecasters warned on Monday.\n"
    )
    runner = CliRunner()
    prev = tmp_path / "day1.json"
    r1 = runner.invoke(
        app, ["make", "-s", str(day1), "-f", "json", "-o", str(prev), "--engine", "extractive"]
    )
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(app, ["make", "-s", str(day2), "--since", str(prev), "--engine", "extractive", "-q"])
    assert r2.exit_code == 0, r2.output
    assert "1,200 t → 1,350 t" in r2.stdout
    assert "**New** A heat wave" in r2.stdout


def test_cli_make_since_missing_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some words here about a thing that happened on a day in a town.\n")
    result = CliRunner().invoke(
        app, ["make", "-s", str(tmp_path), "--since", str(tmp_path / "nope.json"), "--engine", "extractive"]
    )
    assert result.exit_code == 2
    assert "--since:" in result.output and "not found" in result.output


def test_a_figure_continues_the_side_of_the_same_outlet() -> None:
    def cite(text: str, sid: str) -> Statement:
        return Statement(text=text, citations=[Citation(source=sid, quote=text, start=0, end=len(text))])

    refs = [
        SourceRef(id="S1", path="1.md", outlet="Valley Tribune"),
        SourceRef(id="S2", path="2.md", outlet="Plains Courier"),
    ]
    before = Brief(
        title="t",
        generated_at=datetime.fromisoformat("2026-03-02T07:00:00+00:00"),
        disagreements=[
            Disagreement(
                topic="Dam: water released",
                positions=[
                    cite("The dam at Kell released 300 cubic metres a second on Monday", "S2"),
                    cite("The dam at Kell released 250 cubic metres a second on Monday", "S1"),
                ],
            )
        ],
        sources=refs,
        meta=Meta(engine="extractive"),
    )
    after = Brief(
        title="t",
        generated_at=datetime.fromisoformat("2026-03-03T07:00:00+00:00"),
        bottom_line=[cite("The dam at Kell released 200 cubic metres a second on Monday", "S1")],
        sources=refs[:1],
        meta=Meta(engine="extractive"),
    )
    [item] = compare(before, after).items
    assert [(v.before, v.after) for v in item.values] == [("250 cubic", "200 cubic")]


def test_stories_in_json_are_compared_as_whole_stories() -> None:
    before = json.loads(DAY1.to_json())
    today = json.loads(DAY2.to_json())
    before["stories"] = [{"headline": "Orlen mill output", "bottom_line": before["bottom_line"]}]
    today["stories"] = [
        {"headline": "Orlen mill output", "bottom_line": today["bottom_line"]},
        {"headline": "Heat wave on the coast", "key_points": [today["key_points"][2]]},
    ]
    # compare() takes today's brief as a model; a future Brief with stories dumps them the same way.
    from briefing import since

    items = list(since._items(today))
    old = list(since._items(before))
    got = [since._classify(i, old).status for i in items if i.section == "stories"]
    assert got == ["update", "new"]


def test_load_previous_refuses_a_fifo(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "brief.json"
    os.mkfifo(fifo)
    with pytest.raises(Exception, match="is not a regular file"):
        load_previous(fifo)


def test_changes_pointing_past_the_end_are_ignored() -> None:
    brief = with_changes(DAY1, DAY2)
    assert brief.changes is not None
    bogus = brief.changes.items[1].model_copy(update={"index": 99})
    brief.changes.items.append(bogus)
    assert "1 point unchanged" in brief.to_markdown()
    assert brief.to_html() and brief.to_slack()
