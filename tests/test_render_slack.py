from __future__ import annotations

import json
import sys

import pytest
from _render_samples import sample_brief, stmt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.errors import MissingExtraError
from briefing.models import Disagreement
from briefing.render.slack import (
    BLOCKS_JSON_BUDGET,
    MAX_BLOCKS,
    SECTION_CHARS,
    escape_mrkdwn,
    render_slack,
    validate_blocks,
)


def texts(blocks: list[dict]) -> list[str]:
    out = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        for el in b.get("elements", []):
            out.append(el["text"])
    return out


def test_render_slack_payload_validates_and_has_all_parts() -> None:
    brief = sample_brief(3, 4)
    msg = render_slack(brief)
    validate_blocks(msg.blocks)
    payload = msg.to_payload()
    assert set(payload) == {"text", "blocks"}
    assert payload["text"].startswith("Po valley floods")
    types = [b["type"] for b in msg.blocks]
    assert types[0] == "header" and types[-1] == "context"
    body = "\n".join(texts(msg.blocks))
    positions = [
        body.index(s) for s in ("*Bottom line*", "*Where the sources disagree*", "*Key points*", "*Sources*")
    ]
    assert positions == sorted(positions)
    assert "Floods in northern Italy have forced thousands from their homes. [1][2]" in body
    assert "_“authorities evacuated about 12,000 residents”_" in body
    assert "[3] *QBC News* — Flooding" in body
    assert "(2 independent sources)" in body


def test_render_slack_channel_ping_in_article_is_inert() -> None:
    brief = sample_brief(2, 2)
    brief.key_points[0] = stmt(
        "Staff were told <!channel> and <!here> by <@U123> via <http://evil.example|bank.com>", "S1"
    )
    blocks_json = json.dumps(render_slack(brief).blocks)
    assert (
        "Staff were told &lt;!channel&gt; and &lt;!here&gt; by &lt;@U123&gt; via "
        "&lt;http://evil.example|bank.com&gt; [1]"
    ) in blocks_json
    assert "<!" not in blocks_json and "<@" not in blocks_json and "|bank.com>" not in blocks_json


def test_escape_mrkdwn_neutralises_formatting() -> None:
    assert escape_mrkdwn("*bold* _it_ ~s~ `code` snake_case a & b") == (
        "\u2217bold\u2217 \u02cdit\u02cd \u223cs\u223c \u02cbcode\u02cb snake_case a &amp; b"
    )


def test_render_slack_source_links_cannot_be_disguised() -> None:
    brief = sample_brief(2, 2)
    brief.sources[0].url = "https://evil.example/x|bank.com>"
    brief.sources[1].url = "javascript:alert(1)"
    body = json.dumps(render_slack(brief).blocks)
    assert "<https://evil.example/x%7Cbank.com%3E>" in body
    assert "javascript" not in body


def test_render_slack_limits_with_thirty_sources_and_long_points() -> None:
    brief = sample_brief(30, 60, long_points=True, n_disagreements=6)
    msg = render_slack(brief)
    validate_blocks(msg.blocks)
    assert len(msg.blocks) <= MAX_BLOCKS
    assert len(json.dumps(msg.blocks)) <= BLOCKS_JSON_BUDGET
    for b in msg.blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= SECTION_CHARS
        if b["type"] == "context":
            assert len(b["elements"]) <= 10
    body = "\n".join(texts(msg.blocks))
    # Key points go first, from the end; disagreements, bottom line and sources stay.
    assert "Key point 1:" in body and "Key point 60:" not in body
    assert body.count("Number of people evacuated") == 6
    assert "The river is expected to fall by Friday." in body
    assert "[30] *XYZ Tasmania*" in body
    assert "key points left out to fit Slack" in body


def test_render_slack_splits_long_sections_on_lines() -> None:
    brief = sample_brief(2, 0, n_disagreements=0)
    brief.bottom_line = [stmt(f"Sentence {i} " + "word " * 300, "S1") for i in range(3)]
    msg = render_slack(brief)
    sections = [b["text"]["text"] for b in msg.blocks if b["type"] == "section"]
    assert len(sections) >= 2 and all(len(s) <= SECTION_CHARS for s in sections)
    assert all(not s.startswith(" ") for s in sections)
    assert "Sentence 2" in "".join(sections)


def test_render_slack_truncates_a_huge_statement_as_last_resort() -> None:
    brief = sample_brief(2, 0, n_disagreements=0)
    brief.bottom_line = [stmt("Huge " + "x" * 20000, "S1")]
    msg = render_slack(brief)
    validate_blocks(msg.blocks)
    assert len(json.dumps(msg.blocks)) <= BLOCKS_JSON_BUDGET
    assert "…" in msg.blocks[2]["text"]["text"]


def test_render_slack_missing_slack_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "slack_sdk.models.blocks", None)
    with pytest.raises(MissingExtraError, match="slack"):
        render_slack(sample_brief(2, 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(max_size=400),
    title=st.text(max_size=300),
    outlet=st.text(max_size=80),
    url=st.text(max_size=80),
)
def test_render_slack_arbitrary_text_never_breaks_payload(
    text: str, title: str, outlet: str, url: str
) -> None:
    brief = sample_brief(3, 2)
    brief.title = title
    brief.sources[0].outlet = outlet or None
    brief.sources[0].url = "https://x.example/" + url
    brief.sources[1].title = text or None
    brief.key_points[0] = stmt(text or "x", "S1", quote=text or "x")
    brief.disagreements = [
        Disagreement(topic=text, positions=[stmt(text or "y", "S1", quote=text or "y"), stmt("other", "S2")])
    ]
    msg = render_slack(brief)
    validate_blocks(msg.blocks)
    payload = json.dumps(msg.to_payload(), ensure_ascii=False)
    assert "<!" not in payload and "<@" not in payload and "<#" not in payload
    assert len(msg.blocks) <= MAX_BLOCKS
    header = msg.blocks[0]["text"]["text"]
    assert 0 < len(header) <= 150


def test_render_slack_side_that_repeats_its_quote_is_shown_once() -> None:
    brief = sample_brief(2, 1)
    same = "The quarry shipped 45,000 tonnes last year."
    brief.disagreements = [Disagreement(topic="Output", positions=[stmt(same, "S1"), stmt("Less.", "S2")])]
    body = json.dumps(render_slack(brief).blocks, ensure_ascii=False)
    assert body.count("45,000 tonnes") == 1
    assert "• [1] Quaywire: _“The quarry shipped 45,000 tonnes last year.”_" in body


def test_render_slack_text_objects_are_verbatim() -> None:
    # Without verbatim Slack auto-links bare URLs and #channel names found in article text.
    brief = sample_brief(3, 3)
    brief.key_points[0] = stmt("Details at www.example.com and in #general, said @someone.", "S1")
    blocks = render_slack(brief).blocks
    objects = [b["text"] for b in blocks if b["type"] == "section"]
    objects += [el for b in blocks if b["type"] == "context" for el in b["elements"]]
    assert objects and all(o["type"] == "mrkdwn" and o.get("verbatim") is True for o in objects)
    validate_blocks(blocks)


def test_render_slack_stays_within_budget_for_any_number_of_sources() -> None:
    brief = sample_brief(1940, 40, long_points=True, n_disagreements=60)
    ids = [s.id for s in brief.sources]
    brief.bottom_line[0] = stmt(brief.bottom_line[0].text, *ids, independent=1940)
    msg = render_slack(brief)
    assert len(json.dumps(msg.blocks)) <= BLOCKS_JSON_BUDGET and len(msg.blocks) <= MAX_BLOCKS
    body = "\n".join(texts(msg.blocks))
    assert "more of the 1,940 sources are not listed here" in body
    assert "Floods in northern Italy" in body and "[1][2][3][4][5][6]+1934" in body
    validate_blocks(msg.blocks)
