"""The replay server: recorded answers served over HTTP, matched like the recorder matches them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from briefing.testing.replay import ReplayServer, body_key, call_key

CASSETTE = Path(__file__).resolve().parent / "cassettes" / "replay" / "handwritten_replay.yaml"
ASK = {
    "model": "tiny-model",
    "messages": [{"role": "user", "content": "What colour is the invented kettle of Plumford?"}],
    "temperature": 0,
}


def _conflicts(topic: str, *, reask: bool = False) -> dict[str, Any]:
    messages = [
        {"role": "system", "content": "Find conflicts."},
        {"role": "user", "content": f"Claims about the {topic}."},
    ]
    if reask:
        messages.append({"role": "user", "content": "Try again."})
    return {
        "model": "tiny-model",
        "messages": messages,
        "tool_choice": {"type": "function", "function": {"name": "Conflicts"}},
        "tools": [],
    }


def _content(response: httpx.Response) -> Any:
    return response.json()["choices"][0]["message"]["content"]


def test_replay_body_key_ignores_volatile_keys_and_key_order() -> None:
    noisy = json.dumps({"seed": 7, "user": "someone", **dict(reversed(list(ASK.items())))})
    assert body_key(noisy) == body_key(json.dumps(ASK).encode())
    assert body_key(json.dumps({**ASK, "temperature": 1})) != body_key(json.dumps(ASK))
    assert body_key(b"not json") == "not json" and body_key(None) is None


def test_replay_server_answers_recorded_requests_in_order_then_repeats_the_last() -> None:
    with ReplayServer(CASSETTE) as server, httpx.Client(base_url=server.base_url) as client:
        # The same request with volatile keys added still matches: the recorder's matcher.
        first = client.post("/chat/completions", json={**ASK, "user": "u-1", "seed": 3})
        second = client.post("/chat/completions", json=ASK)
        third = client.post("/chat/completions", json=ASK)
        models = client.get("/models")
        props = client.get(server.url("/props"))
    assert [_content(r) for r in (first, second, third)] == [
        "Teal, the first time.",
        "Teal, the second time.",
        "Teal, the second time.",
    ]
    assert models.json()["data"][0]["id"] == "tiny-model"
    assert props.status_code == 404  # recorded as the server answered it
    assert server.played == 5 and server.misses == []


def test_replay_server_answers_400_for_what_the_recording_lacks_and_says_so() -> None:
    changed = {**ASK, "messages": [{"role": "user", "content": "And the invented teapot?"}]}
    with ReplayServer(CASSETTE) as server, httpx.Client(base_url=server.base_url) as client:
        missed = client.post("/chat/completions", json=changed)
        client.post("/chat/completions", json=_conflicts("Plumford kettle fair"))
    assert missed.status_code == 400
    assert "not in the recording" in missed.json()["error"]["message"]
    assert [m.call for m in server.misses] == ["POST /v1/chat/completions"]
    assert server.unplayed == 4  # the two GETs and the two kettle answers
    assert server.summary() == "replayed 1 request(s) from 5 recorded; 1 not in the recording " + (
        "(POST /v1/chat/completions)"
    )


def test_replay_server_by_call_answers_a_changed_request_from_the_cassette_being_replayed() -> None:
    changed = _conflicts("Plumford kettle fair, merged again")
    with (
        ReplayServer(CASSETTE, by_call=("Conflicts",)) as server,
        httpx.Client(base_url=server.base_url) as c,
    ):
        before_any_exact_match = c.post("/chat/completions", json=changed)
        c.post("/chat/completions", json=ASK)  # an exact match: this cassette is the run being replayed
        same_call = c.post("/chat/completions", json=changed)
        other_attempt = c.post("/chat/completions", json=_conflicts("Plumford", reask=True))
    assert before_any_exact_match.status_code == 400
    assert call_key(json.dumps(changed)) == ("Conflicts", 2)
    assert json.loads(
        same_call.json()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    ) == {"conflicts": []}
    assert other_attempt.status_code == 400  # a re-ask (3 messages) was not recorded
    assert server.by_call_played == 1 and len(server.misses) == 2


def test_replay_server_serves_the_openai_client() -> None:
    openai = pytest.importorskip("openai")
    with ReplayServer(CASSETTE) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=0)
        answer = client.chat.completions.create(
            model="tiny-model",
            messages=[{"role": "user", "content": "What colour is the invented kettle of Plumford?"}],
            temperature=0,
        )
        with pytest.raises(openai.BadRequestError, match="not in the recording"):
            client.chat.completions.create(model="tiny-model", messages=[{"role": "user", "content": "?"}])
    assert answer.choices[0].message.content == "Teal, the first time."
