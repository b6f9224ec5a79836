"""briefing post: a made brief to Slack's chat.postMessage, against a fake Slack Web API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.models import Brief, Citation, Meta, SourceRef, Statement
from briefing.testing.fakeslack import FakeSlack

pytest.importorskip("slack_sdk")

TOKEN = "xoxb-test-token"


def _brief(points: int, sources: int = 3) -> Brief:
    def st(i: int) -> Statement:
        text = (
            f"Point {i}: the harbour board reported figure {i * 7} for the eastern quay in its weekly note."
        )
        return Statement(
            text=text, citations=[Citation(source=f"S{i % sources + 1}", quote=text, start=0, end=len(text))]
        )

    return Brief(
        title="Harbour brief",
        generated_at=datetime.fromisoformat("2026-03-03T07:00:00+00:00"),
        bottom_line=[st(0)],
        key_points=[st(i) for i in range(1, points + 1)],
        sources=[
            SourceRef(
                id=f"S{i}",
                path=f"s{i}.md",
                outlet=f"Outlet {i}",
                title=f"Story {i} " + "x" * 200,
                url=f"http://127.0.0.1/{i}",
            )
            for i in range(1, sources + 1)
        ],
        meta=Meta(engine="extractive"),
    )


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    with FakeSlack(token=TOKEN, channels={"C100": True, "C200": False}) as fake:
        monkeypatch.setenv("BRIEFING_SLACK_API_URL", fake.base_url)
        yield fake


def _write(tmp_path: Path, brief: Brief) -> Path:
    path = tmp_path / "brief.json"
    path.write_text(brief.to_json())
    return path


def test_post_sends_the_rendered_blocks(slack: FakeSlack, tmp_path: Path) -> None:
    brief = _brief(points=3)
    result = CliRunner().invoke(app, ["post", str(_write(tmp_path, brief)), "--channel", "C100"])
    assert result.exit_code == 0, result.output
    assert "posted to C100" in result.output
    [message] = slack.messages
    assert message["blocks"] == brief.to_slack()["blocks"]
    assert "Point 3" in json.dumps(message["blocks"])


def test_long_brief_moves_sources_to_a_thread_reply(slack: FakeSlack, tmp_path: Path) -> None:
    brief = _brief(points=60, sources=40)
    assert brief.to_slack() and len(brief.key_points) == 60
    result = CliRunner().invoke(app, ["post", str(_write(tmp_path, brief)), "--channel", "C100"])
    assert result.exit_code == 0, result.output
    top = [m for m in slack.messages if "thread_ts" not in m]
    assert len(top) == 1
    replies = slack.thread(top[0]["ts"])
    assert replies, "the source list should be in the thread"
    text = json.dumps(replies)
    assert "Outlet 1" in text and "Outlet 40" in text
    assert "*Sources*" not in json.dumps(top[0]["blocks"])
    assert "sources in" in result.output


def test_post_not_in_channel_is_one_line_with_a_hint(slack: FakeSlack, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["post", str(_write(tmp_path, _brief(2))), "--channel", "C200"])
    assert result.exit_code == 6
    assert "not_in_channel" in result.output and "/invite" in result.output
    assert "Traceback" not in result.output


def test_post_bad_token_and_missing_token(
    slack: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, _brief(2))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong")
    result = CliRunner().invoke(app, ["post", str(path), "--channel", "C100"])
    assert result.exit_code == 6 and "invalid_auth" in result.output
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    result = CliRunner().invoke(app, ["post", str(path), "--channel", "C100"])
    assert result.exit_code == 2 and "SLACK_BOT_TOKEN" in result.output
    assert slack.messages == []


def test_post_rejects_a_file_that_is_not_a_brief(slack: FakeSlack, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"title": "only a title"}')
    result = CliRunner().invoke(app, ["post", str(path), "--channel", "C100"])
    assert result.exit_code == 2
    assert "is not a brief made with --format json" in result.output
