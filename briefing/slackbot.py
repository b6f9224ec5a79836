"""A Slack bot: ``/brief <folder> [pdf]`` posts a cited brief to the channel.

Built on Bolt for Python. The slash command is acknowledged at once (Slack
gives three seconds) and the brief is made in a lazy listener, then posted as
blocks and, when asked, uploaded as a PDF. Folder names are resolved strictly
inside the configured source roots. The bot uses only the library API.

Run it with ``python -m briefing.slackbot``: Socket Mode when SLACK_APP_TOKEN
is set, else Bolt's HTTP server verified with SLACK_SIGNING_SECRET.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from briefing.errors import BriefingError, InputError, MissingExtraError
from briefing.models import Brief
from briefing.options import BriefOptions
from briefing.render.slack import escape_mrkdwn

if TYPE_CHECKING:
    from slack_bolt import App

BriefFn = Callable[[Path, BriefOptions], Brief]

USAGE = "Usage: `/brief <folder> [pdf]`, for example `/brief rare-earths pdf`."
_MAX_LISTED = 15


class BotSettings(BaseSettings):
    """Bot configuration from the environment (``BRIEFING_SLACK_*`` and Slack's usual names)."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_SLACK_",
        env_nested_delimiter="__",
        extra="ignore",
        populate_by_name=True,
    )

    bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "BRIEFING_SLACK_BOT_TOKEN")
    )
    app_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_APP_TOKEN", "BRIEFING_SLACK_APP_TOKEN"),
        description="xapp- token; when set the bot connects with Socket Mode.",
    )
    signing_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "BRIEFING_SLACK_SIGNING_SECRET")
    )
    source_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Folders whose subfolders can be briefed: a JSON list or an os.pathsep-separated string.",
    )
    options: BriefOptions = Field(default_factory=BriefOptions)
    command: str = "/brief"
    paper: Literal["a4", "letter"] = "a4"
    port: int = Field(default=3000, ge=1, le=65535)

    @field_validator("source_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [p for p in text.split(os.pathsep) if p.strip()]
        return value


@dataclass(frozen=True)
class BriefRequest:
    name: str
    folder: Path
    pdf: bool


def _unescape(text: str) -> str:
    # Slack sends command text with its three control characters escaped.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _show(name: str) -> str:
    return "`" + escape_mrkdwn(name).replace("`", "ˋ")[:80] + "`"


def _available(roots: Sequence[Path]) -> list[str]:
    names: set[str] = set()
    for root in roots:
        try:
            names.update(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError:
            continue
    return sorted(names)


def resolve_folder(name: str, roots: Sequence[Path]) -> Path:
    """The folder ``name`` names strictly inside one of ``roots``.

    Refuses empty names, absolute paths, ``..``, hidden parts, backslashes and
    symlinks that lead outside the root; raises InputError with a message that
    can be shown to the user as is.
    """
    name = name.strip()
    if not name:
        raise InputError(f"Which folder? {USAGE}")
    if not roots:
        raise InputError("This bot has no brief folders configured (BRIEFING_SLACK_SOURCE_ROOTS).")
    bad = (
        "\x00" in name
        or "\\" in name
        or name.startswith(("/", "~"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part in ("", ".", "..") or part.startswith(".") for part in name.split("/"))
    )
    if bad or PurePosixPath(name).is_absolute():
        raise InputError(
            f"{_show(name)} is not a folder name: give the name of a folder inside the brief folders "
            "(no `..`, `/` at the start or hidden folders)."
        )
    escaped = False
    for root in roots:
        base = root.resolve()
        candidate = base / name
        if not candidate.exists() and not candidate.is_symlink():
            continue
        target = candidate.resolve()
        if target == base or not target.is_relative_to(base):
            escaped = True
            continue
        if target.is_dir():
            return target
    if escaped:
        raise InputError(f"{_show(name)} points outside the brief folders; it can't be briefed.")
    listed = _available(roots)
    hint = ""
    if listed:
        more = " …" if len(listed) > _MAX_LISTED else ""
        hint = " Folders: " + ", ".join(_show(n) for n in listed[:_MAX_LISTED]) + more
    raise InputError(f"No folder named {_show(name)}.{hint}")


def parse_command(text: str, roots: Sequence[Path]) -> BriefRequest:
    """``"<name> [pdf]"`` from the slash command into a resolved request."""
    words = _unescape(text).split()
    pdf = bool(words) and words[-1].lower() == "pdf"
    if pdf:
        words = words[:-1]
    name = " ".join(words)
    return BriefRequest(name=name, folder=resolve_folder(name, roots), pdf=pdf)


def _default_brief_fn(folder: Path, options: BriefOptions) -> Brief:
    from briefing import make_brief

    return make_brief(folder, options)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "brief"


def create_app(settings: BotSettings, *, client: Any = None, brief_fn: BriefFn | None = None) -> App:
    """A Bolt app answering the slash command; ``client`` and ``brief_fn`` are seams for tests."""
    try:
        from slack_bolt import App
    except ImportError as exc:
        raise MissingExtraError("slack", "slack_bolt") from exc
    if client is None and settings.bot_token is None:
        raise InputError("set SLACK_BOT_TOKEN to the bot's xoxb- token")
    if settings.signing_secret is None and settings.app_token is None:
        raise InputError("set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)")
    make = brief_fn or _default_brief_fn
    roots = [Path(r).expanduser() for r in settings.source_roots]

    app = App(
        token=None if client is not None else settings.bot_token.get_secret_value(),  # type: ignore[union-attr]
        client=client,
        signing_secret=settings.signing_secret.get_secret_value() if settings.signing_secret else "",
        # An injected client points at a test server or is already checked.
        token_verification_enabled=client is None,
        process_before_response=False,
    )

    def acknowledge(ack: Any, command: dict[str, Any]) -> None:
        # Cheap checks happen here so a bad name is answered within Slack's 3 s.
        try:
            request = parse_command(command.get("text", ""), roots)
        except InputError as exc:
            ack(text=f":warning: {exc}")
            return
        extra = " and a PDF" if request.pdf else ""
        ack(text=f"Reading {_show(request.name)}… the brief{extra} will be posted here.")

    def make_and_post(command: dict[str, Any], client: Any, respond: Any, logger: Any) -> None:
        try:
            request = parse_command(command.get("text", ""), roots)
        except InputError:
            return  # already answered by acknowledge()
        channel = command.get("channel_id")
        try:
            brief = make(request.folder, settings.options.model_copy(deep=True))
            from briefing.render.slack import render_slack

            message = render_slack(brief)
            client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
            if request.pdf:
                from briefing.render.pdf import render_pdf

                data = render_pdf(brief, paper=settings.paper)
                client.files_upload_v2(
                    channel=channel, file=data, filename=f"{_slug(brief.title)}.pdf", title=brief.title
                )
        except BriefingError as exc:
            respond(text=f":warning: Could not brief {_show(request.name)}: {escape_mrkdwn(str(exc))}")
        except Exception as exc:
            error = _slack_error(exc)
            if error is not None:
                hint = " Invite the bot to this channel first." if error == "not_in_channel" else ""
                respond(text=f":warning: Slack refused the post ({escape_mrkdwn(error)}).{hint}")
            else:
                logger.exception("brief of %s failed", request.folder)
                respond(
                    text=f":warning: Could not brief {_show(request.name)}: an internal error was logged."
                )

    app.command(settings.command)(ack=acknowledge, lazy=[make_and_post])
    return app


def _slack_error(exc: Exception) -> str | None:
    from slack_sdk.errors import SlackApiError

    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "error")
    return None


def run(settings: BotSettings) -> None:
    """Start the bot: Socket Mode when an app token is set, else Bolt's HTTP server."""
    app = create_app(settings)
    if settings.app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]
    else:
        app.start(port=settings.port)


def main() -> int:
    try:
        run(BotSettings())
    except BriefingError as exc:
        print(f"briefing slackbot: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
