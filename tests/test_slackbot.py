from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from _render_samples import sample_brief

from briefing.errors import InputError
from briefing.models import Brief
from briefing.options import BriefOptions
from briefing.slackbot import BotSettings, BriefQueue, create_app, resolve_folder

SECRET = "test-signing-secret"


class FakeSlack:
    """A fake Slack Web API on 127.0.0.1 that records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.fail: dict[str, str] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = self.path.strip("/")
                ctype = self.headers.get("Content-Type", "")
                body: Any
                if method.startswith("upload/"):
                    body = raw
                elif "json" in ctype:
                    body = json.loads(raw or b"{}")
                else:
                    body = dict(parse_qsl(raw.decode()))
                fake.calls.append((method, body))
                port = self.server.server_address[1]
                answer: dict[str, Any] = {"ok": True}
                if method in fake.fail:
                    answer = {"ok": False, "error": fake.fail[method]}
                elif method == "auth.test":
                    answer.update(user_id="UBOT", bot_id="BBOT", team_id="T1", user="briefbot")
                elif method == "chat.postMessage":
                    answer.update(channel=body.get("channel"), ts="1.000")
                elif method == "files.getUploadURLExternal":
                    answer.update(upload_url=f"http://127.0.0.1:{port}/upload/F1", file_id="F1")
                elif method == "files.completeUploadExternal":
                    answer.update(files=[{"id": "F1", "title": "brief"}])
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def named(self, method: str) -> list[Any]:
        return [body for m, body in self.calls if m == method]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def roots(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    (root / "floods").mkdir(parents=True)
    (root / "floods" / "a.txt").write_text("The river rose.\n")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "passwd").write_text("root:x:0:0\n")
    (root / "leak").symlink_to(tmp_path / "secret")
    (root / "inside").symlink_to(root / "floods")
    return root


class Bot:
    def __init__(self, slack: FakeSlack, root: Path, brief_fn: Any, *, workers: int = 2) -> None:
        from slack_sdk import WebClient

        self.slack = slack
        self.queue = BriefQueue(workers=workers, max_queued=20)
        settings = BotSettings(
            bot_token="xoxb-test",
            signing_secret=SECRET,
            source_roots=[root],
            options=BriefOptions(engine="extractive"),
        )
        self.app = create_app(
            settings,
            client=WebClient(token="xoxb-test", base_url=slack.url),
            brief_fn=brief_fn,
            queue=self.queue,
        )

    def command(self, text: str, *, wait: bool = True) -> Any:
        from slack_bolt.request import BoltRequest
        from slack_sdk.signature import SignatureVerifier

        body = urlencode(
            {
                "token": "legacy",
                "team_id": "T1",
                "channel_id": "C42",
                "user_id": "U1",
                "command": "/brief",
                "text": text,
                "response_url": f"{self.slack.url}respond",
                "trigger_id": "1.2.3",
                "api_app_id": "A1",
            }
        )
        ts = str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
        request = BoltRequest(
            body=body,
            headers={
                "content-type": ["application/x-www-form-urlencoded"],
                "x-slack-request-timestamp": [ts],
                "x-slack-signature": [signature],
            },
        )
        response = self.app.dispatch(request)
        if wait:  # for the brief work queued by the command
            assert self.queue.join(timeout=60)
        return response


class Recorder:
    def __init__(self, result: Brief | Exception | None = None) -> None:
        self.calls: list[tuple[Path, BriefOptions]] = []
        self.result = result if result is not None else sample_brief(2, 3)

    def __call__(self, folder: Path, options: BriefOptions) -> Brief:
        self.calls.append((folder, options))
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


def ack_text(response: Any) -> str:
    # Bolt answers ack(text=...) with the bare text, ack(blocks=...) with JSON.
    body = str(response.body or "")
    return str(json.loads(body).get("text", "")) if body.startswith("{") else body


def test_slackbot_posts_brief_blocks(slack: FakeSlack, roots: Path) -> None:
    fake = Recorder()
    bot = Bot(slack, roots, fake)
    response = bot.command("floods")
    assert response.status == 200
    assert "Reading `floods`" in ack_text(response)
    assert [c[0] for c in fake.calls] == [(roots / "floods").resolve()]
    assert fake.calls[0][1].engine == "extractive"
    (post,) = slack.named("chat.postMessage")
    assert post["channel"] == "C42"
    assert post["unfurl_links"] is False
    blocks = post["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"].startswith("Po valley floods")
    body = json.dumps(blocks)
    assert "*Bottom line*" in body and "*Sources*" in body
    assert slack.named("files.getUploadURLExternal") == []


def test_slackbot_uploads_pdf_when_asked(slack: FakeSlack, roots: Path) -> None:
    bot = Bot(slack, roots, Recorder())
    response = bot.command("floods PDF")
    assert "and a PDF" in ack_text(response)
    assert len(slack.named("chat.postMessage")) == 1
    (url_request,) = slack.named("files.getUploadURLExternal")
    assert url_request["filename"].endswith(".pdf")
    (uploaded,) = slack.named("upload/F1")
    assert uploaded.startswith(b"%PDF")
    (complete,) = slack.named("files.completeUploadExternal")
    assert complete["channel_id"] == "C42"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../etc", "is not a folder name"),
        ("floods/../../secret", "is not a folder name"),
        ("", "Which folder?"),
        ("pdf", "Which folder?"),
    ],
)
def test_slackbot_refuses_path_escape(slack: FakeSlack, roots: Path, text: str, expected: str) -> None:
    fake = Recorder()
    bot = Bot(slack, roots, fake)
    response = bot.command(text)
    assert response.status == 200
    assert expected in ack_text(response)
    assert fake.calls == []
    assert slack.named("chat.postMessage") == []


def test_slackbot_refuses_absolute_path(slack: FakeSlack, roots: Path) -> None:
    fake = Recorder()
    response = Bot(slack, roots, fake).command(str(roots.parent / "secret"))
    assert "is not a folder name" in ack_text(response)
    assert fake.calls == [] and slack.named("chat.postMessage") == []


def test_slackbot_refuses_symlink_out(slack: FakeSlack, roots: Path) -> None:
    fake = Recorder()
    response = Bot(slack, roots, fake).command("leak")
    assert "points outside the brief folders" in ack_text(response)
    assert fake.calls == [] and slack.named("chat.postMessage") == []


def test_slackbot_unknown_folder_lists_available(slack: FakeSlack, roots: Path) -> None:
    response = Bot(slack, roots, Recorder()).command("<!channel>")
    text = ack_text(response)
    assert "No folder named `&lt;!channel&gt;`" in text
    assert "`floods`" in text and "<!" not in text


def test_slackbot_reports_brief_errors(slack: FakeSlack, roots: Path) -> None:
    bot = Bot(slack, roots, Recorder(InputError("no readable articles in floods")))
    bot.command("floods")
    (reply,) = slack.named("respond")
    assert "Could not brief `floods`: no readable articles in floods" in reply["text"]
    assert slack.named("chat.postMessage") == []


def test_slackbot_reports_unexpected_errors(slack: FakeSlack, roots: Path) -> None:
    bot = Bot(slack, roots, Recorder(RuntimeError("boom")))
    bot.command("floods")
    (reply,) = slack.named("respond")
    assert "internal error was logged" in reply["text"] and "boom" not in reply["text"]


def test_slackbot_reports_slack_refusal(slack: FakeSlack, roots: Path) -> None:
    slack.fail["chat.postMessage"] = "not_in_channel"
    Bot(slack, roots, Recorder()).command("floods")
    (reply,) = slack.named("respond")
    assert "not_in_channel" in reply["text"] and "Invite the bot" in reply["text"]


def test_slackbot_rejects_bad_signature(slack: FakeSlack, roots: Path) -> None:
    from slack_bolt.request import BoltRequest

    fake = Recorder()
    bot = Bot(slack, roots, fake)
    body = urlencode({"command": "/brief", "text": "floods", "channel_id": "C42", "team_id": "T1"})
    request = BoltRequest(
        body=body,
        headers={
            "content-type": ["application/x-www-form-urlencoded"],
            "x-slack-request-timestamp": [str(int(time.time()))],
            "x-slack-signature": ["v0=" + "0" * 64],
        },
    )
    assert bot.app.dispatch(request).status == 401
    assert fake.calls == []


def test_slackbot_symlink_inside_root_is_allowed(roots: Path) -> None:
    assert resolve_folder("inside", [roots]) == (roots / "floods").resolve()


def test_slackbot_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-env")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3")
    monkeypatch.setenv("BRIEFING_SLACK_SOURCE_ROOTS", f"{tmp_path}/a:{tmp_path}/b")
    monkeypatch.setenv("BRIEFING_SLACK_OPTIONS__ENGINE", "extractive")
    settings = BotSettings()
    assert settings.bot_token is not None and settings.bot_token.get_secret_value() == "xoxb-env"
    assert settings.source_roots == [tmp_path / "a", tmp_path / "b"]
    assert settings.options.engine == "extractive"
    assert "xoxb-env" not in repr(settings)


def test_slackbot_needs_a_secret_or_app_token() -> None:
    with pytest.raises(InputError, match="SLACK_SIGNING_SECRET"):
        create_app(BotSettings(bot_token="xoxb-x", signing_secret=None, app_token=None), client=object())


def test_slackbot_with_real_pipeline_and_fake_engine(slack: FakeSlack, roots: Path) -> None:
    from briefing import make_brief
    from briefing.testing.fake_engine import FakeEngine

    folder = roots / "floods"
    (folder / "a.txt").write_text(
        "Floods hit the Po valley on Monday. About 12,000 people were evacuated from towns near Cremona.\n"
    )
    (folder / "b.txt").write_text(
        "Rescue teams reached villages cut off by the water. "
        "Some 20,000 people left their homes, officials said.\n"
    )

    def brief_fn(path: Path, options: BriefOptions) -> Brief:
        return make_brief(path, options, engine=FakeEngine())

    Bot(slack, roots, brief_fn).command("floods")
    (post,) = slack.named("chat.postMessage")
    body = json.dumps(post["blocks"])
    assert "*Bottom line*" in body and "[1]" in body and "a.txt" in body


def test_slackbot_acks_twelve_simultaneous_commands_while_briefs_run(slack: FakeSlack, roots: Path) -> None:
    # Brief work is blocked until every ack is in: an ack that waited for a free
    # worker would never come (Bolt answers 404 after its 3 s).
    release = threading.Event()
    made: list[Path] = []

    def slow_brief(folder: Path, options: BriefOptions) -> Brief:
        release.wait(timeout=60)
        made.append(folder)
        return sample_brief(2, 3)

    bot = Bot(slack, roots, slow_brief, workers=2)
    start = threading.Barrier(12)
    responses: list[Any] = [None] * 12

    def send(i: int) -> None:
        start.wait()
        responses[i] = bot.command("floods", wait=False)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    acks = [ack_text(r) for r in responses]
    release.set()
    assert bot.queue.join(timeout=60)
    assert [r.status for r in responses] == [200] * 12
    assert sum(a.startswith("Reading `floods`") for a in acks) == 2
    queued = sorted(a for a in acks if a.startswith("Queued `floods`"))
    assert len(queued) == 10
    assert any("10 briefs ahead" in a for a in queued) and any(", 1 brief ahead" in a for a in queued)
    assert len(made) == 12 and len(slack.named("chat.postMessage")) == 12


def test_slackbot_busy_queue_turns_commands_away_with_a_reply(slack: FakeSlack, roots: Path) -> None:
    release = threading.Event()

    def slow_brief(folder: Path, options: BriefOptions) -> Brief:
        release.wait(timeout=60)
        return sample_brief(2, 3)

    bot = Bot(slack, roots, slow_brief, workers=1)
    bot.queue.max_queued = 1
    first, second, third = (ack_text(bot.command("floods", wait=False)) for _ in range(3))
    release.set()
    assert bot.queue.join(timeout=60)
    assert first.startswith("Reading") and "1 brief ahead" in second
    assert "busy" in third and len(slack.named("chat.postMessage")) == 2


def test_slackbot_never_reads_a_folder_swapped_after_the_check(
    slack: FakeSlack, roots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.sources import walk

    secret = roots.parent / "secret"
    (secret / "a.txt").write_text("The private access code is 4711 according to the memo.\n")
    floods = roots / "floods"
    real_walk = walk._walk

    def walk_then_swap(root: Path, skipped: Any) -> Any:
        found = real_walk(root, skipped)
        # The race: after the folder was checked and listed, it becomes a link out of the roots.
        floods.rename(roots / ".old-floods")
        floods.symlink_to(secret)
        return found

    monkeypatch.setattr(walk, "_walk", walk_then_swap)
    bot = Bot(slack, roots, None)
    response = bot.command("floods")
    assert "Reading `floods`" in ack_text(response)
    assert "4711" not in json.dumps(slack.calls, default=str)
    assert slack.named("chat.postMessage") == []
    (reply,) = slack.named("respond")
    assert "outside the allowed folders" in reply["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 300, "too long for a folder name"),
        ("loop", "loops back on itself"),
        ("ab/" * 400 + "ab", "too long"),
    ],
)
def test_slackbot_long_name_and_link_loop_get_a_reply(
    slack: FakeSlack, roots: Path, text: str, expected: str
) -> None:
    (roots / "loop").symlink_to(roots / "loop")
    fake = Recorder()
    response = Bot(slack, roots, fake).command(text)
    assert response.status == 200
    assert expected in ack_text(response)
    assert fake.calls == []


def test_slackbot_replies_are_verbatim_blocks(slack: FakeSlack, roots: Path) -> None:
    # Names echoed back (and error reasons) must not be auto-linked as #channels or URLs.
    response = Bot(slack, roots, Recorder()).command("#general")
    body = json.loads(str(response.body))
    (block,) = body["blocks"]
    assert block["text"]["verbatim"] is True and "#general" in block["text"]["text"]
    Bot(slack, roots, Recorder(InputError("see www.example.com"))).command("floods")
    (reply,) = slack.named("respond")
    assert all(b["text"]["verbatim"] is True for b in reply["blocks"])


def test_slackbot_never_posts_an_over_budget_payload(
    slack: FakeSlack, roots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import slack as slack_render

    # A budget nothing fits in: the bot must say so rather than post too much.
    monkeypatch.setattr(slack_render, "BLOCKS_JSON_BUDGET", 100)
    Bot(slack, roots, Recorder()).command("floods")
    assert slack.named("chat.postMessage") == []
    (reply,) = slack.named("respond")
    assert "cannot be shown within Slack's message limits" in reply["text"]
