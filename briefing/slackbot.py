"""A Slack bot: ``/brief <folder> [pdf]`` posts a cited brief to the channel.

Built on Bolt for Python. The slash command is acknowledged at once (Slack
gives three seconds) and the brief is queued on the bot's own bounded pool,
never on Bolt's threads, so a busy bot still answers every command ("queued,
N ahead"). The brief is then posted as blocks and, when asked, uploaded as a
PDF. Folder names are resolved strictly inside the configured source roots,
and every file read is checked again, from its open handle, against those
roots, so swapping a folder for a link after the check reads nothing outside.
The bot uses only the library API.

Run it with ``python -m briefing.slackbot``: Socket Mode when SLACK_APP_TOKEN
is set, else Bolt's HTTP server verified with SLACK_SIGNING_SECRET.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from briefing.errors import BriefingError, InputError, MissingExtraError
from briefing.models import Brief
from briefing.options import BriefOptions
from briefing.render.slack import clip, escape_mrkdwn, mrkdwn

if TYPE_CHECKING:
    from slack_bolt import App

BriefFn = Callable[[Path, BriefOptions], Brief]

USAGE = "Usage: `/brief <folder> [pdf]`, for example `/brief my-folder pdf`."
_MAX_LISTED = 15
# Longer names cannot name a folder on common filesystems (NAME_MAX, PATH_MAX
# well below); refusing them up front gives a reply instead of an OSError.
_NAME_PART_BYTES = 255
_NAME_BYTES = 1024
_REPLY_CHARS = 2900


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
    workers: int = Field(default=2, ge=1, le=16, description="Briefs made at the same time.")
    max_queued: int = Field(
        default=20, ge=0, le=1000, description="Briefs that may wait for a worker; more are turned away."
    )

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

    Refuses empty or over-long names, absolute paths, ``..``, hidden parts,
    backslashes, link loops and symlinks that lead outside the root; raises
    InputError with a message that can be shown to the user as is. This is
    the early, friendly answer; the guarantee is the check of every file read
    (``load_sources(..., within=roots)``), which a swap after this check cannot
    get past.
    """
    name = name.strip()
    if not name:
        raise InputError(f"Which folder? {USAGE}")
    if not roots:
        raise InputError("This bot has no brief folders configured (BRIEFING_SLACK_SOURCE_ROOTS).")
    encoded = name.encode("utf-8", "surrogatepass")
    if len(encoded) > _NAME_BYTES or any(
        len(p.encode("utf-8", "surrogatepass")) > _NAME_PART_BYTES for p in name.split("/")
    ):
        raise InputError(
            f"{_show(name)} is too long for a folder name (at most {_NAME_PART_BYTES} bytes per folder)."
        )
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
        try:
            base = root.resolve()
            candidate = base / name
            if not candidate.exists() and not candidate.is_symlink():
                continue
            target = candidate.resolve(strict=True)
            if target == base or not target.is_relative_to(base):
                escaped = True
                continue
            if target.is_dir():
                return target
        except RuntimeError:  # Path.resolve's "Symlink loop" before Python 3.13
            raise InputError(
                f"{_show(name)} is a link that loops back on itself; it can't be briefed."
            ) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InputError(
                    f"{_show(name)} is a link that loops back on itself; it can't be briefed."
                ) from None
            if exc.errno == errno.ENOENT:
                continue  # a dangling link: the same answer as no folder
            raise InputError(f"{_show(name)} cannot be opened ({exc.strerror or 'error'}).") from None
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


def confined_brief_fn(roots: Sequence[Path]) -> BriefFn:
    """Brief a folder reading only files whose real path, taken from the open file, is inside ``roots``."""
    allowed = [Path(r) for r in roots]

    def brief(folder: Path, options: BriefOptions) -> Brief:
        from briefing import load_sources, make_brief

        return make_brief(load_sources(folder, within=allowed), options)

    return brief


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "brief"


def reply(text: str) -> dict[str, Any]:
    """A bot reply as text plus one verbatim block, so names and URLs in it are never auto-linked."""
    text = clip(text, _REPLY_CHARS)
    return {"text": text, "blocks": [{"type": "section", "text": mrkdwn(text)}]}


class BriefQueue:
    """The bot's own bounded pool for brief work.

    Acks never wait for it: Bolt's threads only parse the command and enqueue,
    so the 3 s acknowledgement holds however many briefs are running. At most
    ``workers`` briefs run at once and ``max_queued`` wait; more are turned away.
    """

    def __init__(self, workers: int = 2, max_queued: int = 20) -> None:
        self.workers = workers
        self.max_queued = max_queued
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="brief")
        self._idle = threading.Condition()
        self._active = 0  # running plus waiting

    def submit(self, job: Callable[[], None]) -> int | None:
        """Queue ``job``; returns how many briefs must finish before it starts (0: now), None when full."""
        with self._idle:
            ahead = max(0, self._active - self.workers + 1)
            if self._active - self.workers >= self.max_queued:
                return None
            self._active += 1
        try:
            self._executor.submit(self._run, job)
        except RuntimeError:  # shut down
            self._done()
            return None
        return ahead

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        finally:
            self._done()

    def _done(self) -> None:
        with self._idle:
            self._active -= 1
            self._idle.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until no brief is running or waiting; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


def create_app(
    settings: BotSettings,
    *,
    client: Any = None,
    brief_fn: BriefFn | None = None,
    queue: BriefQueue | None = None,
) -> App:
    """A Bolt app answering the slash command; ``client``, ``brief_fn`` and ``queue`` are seams for tests."""
    try:
        from slack_bolt import App
    except ImportError as exc:
        raise MissingExtraError("slack", "slack_bolt") from exc
    if client is None and settings.bot_token is None:
        raise InputError("set SLACK_BOT_TOKEN to the bot's xoxb- token")
    if settings.signing_secret is None and settings.app_token is None:
        raise InputError("set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)")
    roots = [Path(r).expanduser() for r in settings.source_roots]
    make = brief_fn or confined_brief_fn(roots)
    work = queue or BriefQueue(settings.workers, settings.max_queued)

    app = App(
        token=None if client is not None else settings.bot_token.get_secret_value(),  # type: ignore[union-attr]
        client=client,
        signing_secret=settings.signing_secret.get_secret_value() if settings.signing_secret else "",
        # An injected client points at a test server or is already checked.
        token_verification_enabled=client is None,
        # The handler only parses and enqueues, so it runs on the request's own
        # thread and the ack never waits for a free executor thread.
        process_before_response=True,
    )

    def make_and_post(
        request: BriefRequest, channel: str | None, client: Any, respond: Any, logger: Any
    ) -> None:
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
            respond(**reply(f":warning: Could not brief {_show(request.name)}: {escape_mrkdwn(str(exc))}"))
        except Exception as exc:
            error = _slack_error(exc)
            if error is not None:
                hint = " Invite the bot to this channel first." if error == "not_in_channel" else ""
                respond(**reply(f":warning: Slack refused the post ({escape_mrkdwn(error)}).{hint}"))
            else:
                logger.exception("brief of %s failed", request.folder)
                respond(
                    **reply(f":warning: Could not brief {_show(request.name)}: an internal error was logged.")
                )

    def handle(ack: Any, command: dict[str, Any], client: Any, respond: Any, logger: Any) -> None:
        # Only cheap checks happen here so every command is answered within Slack's 3 s.
        try:
            request = parse_command(command.get("text", ""), roots)
        except InputError as exc:
            ack(**reply(f":warning: {exc}"))
            return
        channel = command.get("channel_id")
        ahead = work.submit(lambda: make_and_post(request, channel, client, respond, logger))
        extra = " and a PDF" if request.pdf else ""
        shown = _show(request.name)
        if ahead is None:
            text = f":hourglass: The bot is busy; try {shown} again in a few minutes."
        elif ahead == 0:
            text = f"Reading {shown}… the brief{extra} will be posted here."
        else:
            briefs = "briefs" if ahead > 1 else "brief"
            text = f"Queued {shown}, {ahead} {briefs} ahead… the brief{extra} will be posted here."
        ack(**reply(text))

    app.command(settings.command)(handle)
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
