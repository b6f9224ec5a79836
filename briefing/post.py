"""``briefing post BRIEF.json --channel C``: post a made brief to a Slack channel.

The message is the same Block Kit rendering the bot posts
(:func:`briefing.render.slack.render_slack`). When the brief is too long for
one message — key points would be left out — the source list moves to a
thread reply under it, so the channel message keeps the key points and every
``[n]`` marker still resolves. The bot token comes from the same settings as
the bot (``SLACK_BOT_TOKEN`` / ``BRIEFING_SLACK_BOT_TOKEN``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefing.errors import InputError, MissingExtraError, OutputError
from briefing.models import Brief

SLACK_API_URL = "https://slack.com/api/"


class PostError(OutputError):
    """Slack refused the message (exit code of an output that could not be written)."""


@dataclass
class Posted:
    channel: str
    ts: str
    thread_replies: list[str] = field(default_factory=list)
    points_left_out: int = 0


def load_brief(path: str | Path) -> Brief:
    """A brief from its JSON file (``make -f json``), or a one-line InputError."""
    where = Path(path)
    if where.exists() and not where.is_file():
        raise InputError(f"{where} is not a regular file")  # a FIFO would block the read forever
    try:
        text = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{where} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {where}: {exc}") from None
    try:
        return Brief.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"{where} is not a brief made with --format json ({loc}: {first['msg']})".replace(" (: ", " (")
        ) from None


def make_client(token: str, base_url: str | None = None) -> Any:
    """A slack_sdk WebClient; ``base_url`` points it at a test server."""
    try:
        from slack_sdk import WebClient
    except ImportError as exc:
        raise MissingExtraError("slack", "slack_sdk") from exc
    return WebClient(token=token, base_url=base_url or SLACK_API_URL, timeout=30)


def post_brief(brief: Brief, channel: str, client: Any) -> Posted:
    """Post ``brief`` to ``channel`` with ``client`` (a slack_sdk WebClient)."""
    from slack_sdk.errors import SlackApiError

    from briefing.render.slack import render_slack, render_slack_sources

    if not channel.strip():
        raise InputError("--channel is empty: give a channel id (C0123...) or #name")
    message = render_slack(brief)
    replies = []
    if message.points_left_out and brief.sources:
        # Without the source list the channel message keeps more key points.
        message = render_slack(brief, sources=False)
        replies = render_slack_sources(brief)
    try:
        answer = client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False, unfurl_media=False
        )
        ts = str(answer["ts"])
        posted = Posted(channel=str(answer.get("channel") or channel), ts=ts)
        posted.points_left_out = message.points_left_out
        for reply in replies:
            got = client.chat_postMessage(
                channel=posted.channel,
                thread_ts=ts,
                text=reply.text,
                blocks=reply.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
            posted.thread_replies.append(str(got["ts"]))
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "error")
        hint = (
            " (invite the bot to the channel first: /invite @briefing)" if error == "not_in_channel" else ""
        )
        raise PostError(f"Slack refused the post to {channel}: {error}{hint}") from None
    except OSError as exc:  # URLError, timeouts, refused connections
        raise PostError(f"cannot reach Slack: {' '.join(str(exc).split())[:160]}") from None
    return posted
