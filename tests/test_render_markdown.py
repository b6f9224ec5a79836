"""The markdown brief: snapshot of a real run, and arbitrary text cannot break its format."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from _render_samples import sample_brief, stmt
from hypothesis import given, settings
from hypothesis import strategies as st
from syrupy.assertion import SnapshotAssertion

from briefing import BriefOptions, make_brief
from briefing.models import Brief, Citation, Disagreement, Meta, SourceRef, Statement
from briefing.render.markdown import render_markdown

PINNED = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rare-earths"


def test_render_markdown_seed_brief_matches_snapshot(snapshot: SnapshotAssertion) -> None:
    brief = make_brief(EXAMPLE, BriefOptions(engine="extractive"), now=PINNED)
    brief.meta.version = "X"  # the package version is volatile across releases
    assert render_markdown(brief) == snapshot


def _brief(text: str, topic: str, title: str, outlet: str) -> Brief:
    cite = Citation(source="S1", quote="q", start=0, end=1)
    other = Citation(source="S2", quote="q", start=0, end=1)
    return Brief(
        title=title,
        generated_at=PINNED,
        bottom_line=[Statement(text=text, citations=[cite])],
        key_points=[Statement(text=text, citations=[cite, other], independent_sources=2)],
        disagreements=[
            Disagreement(
                topic=topic,
                positions=[Statement(text=text, citations=[cite]), Statement(text="y", citations=[other])],
            )
        ],
        sources=[
            SourceRef(id="S1", path="a.txt", title=title, outlet=outlet),
            SourceRef(id="S2", path="b.txt", url="javascript:alert(1)"),
        ],
        meta=Meta(engine="extractive"),
    )


hostile = (
    st.lists(
        st.sampled_from([*"ab <>[]()!*_`#|~\\\n\r\t&\"'“”", "<!channel>", "](http://x)", "<script>", "# "]),
        min_size=1,
        max_size=25,
    )
    .map("".join)
    .filter(lambda s: s.strip())
)


@settings(max_examples=200, deadline=None)
@given(text=hostile, topic=hostile, title=hostile, outlet=hostile)
def test_render_markdown_arbitrary_text_keeps_the_structure(
    text: str, topic: str, title: str, outlet: str
) -> None:
    md = render_markdown(_brief(text, topic, title, outlet))
    lines = md.split("\n")
    headings = [line for line in lines if line.startswith("#")]
    assert headings[0].startswith("# ")
    assert headings[1:] == [
        "## Bottom line",
        "## Where the sources disagree",
        "## Key points",
        "## Sources",
    ]
    # Article text never opens a link, an image or raw HTML, and never spans lines:
    # once escaped characters are removed, no markup character is left.
    unescaped = re.sub(r"\\.", "", md)
    assert "<" not in unescaped and "](" not in unescaped
    assert "[" not in unescaped.replace("[1]", "").replace("[2]", "")
    assert "javascript:" not in md
    bottom = lines[lines.index("## Bottom line") + 2]
    assert bottom.endswith("[1]")


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1, max_size=80))
def test_brief_json_round_trips_arbitrary_text(text: str) -> None:
    brief = _brief(text, text, text, text)
    again = Brief.model_validate(json.loads(brief.to_json()))
    assert again == brief


def test_render_markdown_size_is_bounded_whatever_the_number_of_sources() -> None:
    def text(n: int) -> str:
        brief = sample_brief(n, 12, n_disagreements=40)
        brief.bottom_line[0] = stmt(brief.bottom_line[0].text, *[s.id for s in brief.sources])
        return render_markdown(brief)

    small, large = text(1000), text(4000)
    assert len(large) < len(small) * 1.02
    assert "3,800 more of the 4,000 sources are not listed here" in large
    assert "[1][2][3][4][5][6]+3994" in large
    assert "\n- [200] " in large and "\n1. " not in large  # kept numbers, no renumbered list


def test_render_markdown_side_nests_its_own_quotation_marks_and_agrees_in_number() -> None:
    brief = sample_brief(n_sources=3)
    inner = "“The river will crest tonight,” the mayor said at noon."
    sides = [stmt(inner, "S1"), stmt("The river crested at noon.", "S2", "S3", independent=2)]
    brief.disagreements[0] = brief.disagreements[0].model_copy(update={"positions": sides})
    text = render_markdown(brief)
    assert "[1] says “‘The river will crest tonight,’ the mayor said at noon”" in text
    assert "[2][3] say “The river crested at noon”" in text
    # Display only: the brief's data keeps the passage as written.
    assert brief.disagreements[0].positions[0].citations[0].quote == inner
