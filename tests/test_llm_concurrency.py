"""The LLM path's calls: one bound on requests in flight across stories, a brief that does not
depend on the order the answers come back in, and each prompt rendered once per call."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing import Brief, make_brief
from briefing.options import BriefOptions
from briefing.testing.fakeserver import FakeOpenAIServer, FakeReply, default_responder, user_text

PINNED = datetime(2026, 1, 1, tzinfo=UTC)

# Three synthetic events, each told by several sources in their own words (no corpus text).
EVENTS = [
    [
        "A dam on the Ostervale river burst on Monday night after a week of rain, the water authority said. "
        "About two hundred homes in the valley were evacuated before dawn and three roads were closed. "
        "Authority engineers had warned in March that the spillway needed repairs.",
        "The Ostervale dam gave way late on Monday as rain swelled the river, forcing the evacuation of "
        "some two hundred homes. Three valley roads stayed closed on Tuesday. An engineers' report in "
        "March had flagged the spillway for repair, the water authority confirmed.",
        "Floodwater poured through the valley below Ostervale after the dam failed on Monday night. "
        "Officials said two hundred households left their homes and three roads were shut. "
        "The spillway had been listed for repairs since March.",
    ],
    [
        "The Lindqvist glassworks will close its furnace in Brennmoor next spring, ending four hundred jobs. "
        "The owners blamed gas prices and said the site had lost money for three years. "
        "Union leaders in Brennmoor called the decision a betrayal of the town.",
        "Four hundred workers at the Brennmoor glassworks learned on Wednesday that the furnace will shut "
        "next spring. Lindqvist, the owner, cited the cost of gas and three years of losses. "
        "The union said the town had been betrayed.",
    ],
    [
        "Astronomers at the Kettlerock observatory found a comet that will pass close to the sun in June. "
        "The comet, a faint smudge in their telescope, may become visible to the naked eye. "
        "The observatory director said amateur observers should watch the western sky at dusk.",
        "A new comet spotted from Kettlerock could brighten enough to be seen without a telescope when it "
        "rounds the sun in June, the observatory said. Its director urged amateurs to look west after "
        "sunset.",
    ],
]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "morning"
    folder.mkdir()
    n = 0
    for event in EVENTS:
        for text in event:
            n += 1
            # Long enough that the word budget (which grows with the input) has room for every story.
            (folder / f"{n:02d}.txt").write_text("\n\n".join([text] * 6), encoding="utf-8")
    return folder


def _options(server: FakeOpenAIServer, concurrency: int) -> BriefOptions:
    return BriefOptions(
        engine="llm", base_url=server.base_url, model="fake", concurrency=concurrency, cache=False
    )


def _kind(request: dict[str, Any]) -> str:
    tools = request.get("tools") or [{}]
    return str(tools[0].get("function", {}).get("name", ""))


def test_llm_engine_bounds_requests_in_flight_across_stories(tmp_path: Path) -> None:
    """--concurrency bounds extraction, reconcile and compose together, even with stories told at once."""
    folder = _folder(tmp_path)
    with FakeOpenAIServer(latency=0.15) as server:
        brief = make_brief(folder, _options(server, 2), api_key="x", now=PINNED)
        kinds = [_kind(r.body or {}) for r in server.completions]
    assert len(brief.stories) == 3
    assert kinds.count("Conflicts") == 3 and kinds.count("ComposedBrief") == 3
    # Three stories' calls were ready at once: only the bound kept them to two.
    assert server.max_in_flight == 2


def test_llm_engine_one_slot_server_gets_one_request_at_a_time(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with FakeOpenAIServer(latency=0.05) as server:
        make_brief(folder, _options(server, 1), api_key="x", now=PINNED)
    assert server.max_in_flight == 1


def _in_order(places: list[str]) -> Any:
    """Answers as usual, the later the further its event's place is down ``places``; each compose
    answer leads with a sentence its claims do not support, so each story warns in its own words."""

    def respond(request: dict[str, Any]) -> FakeReply:
        text = str(request.get("messages"))
        rank = next((i for i, place in enumerate(places) if place in text), 0)
        reply = default_responder(request)
        if _kind(request) == "ComposedBrief" and reply.content is not None:
            content = dict(reply.content)
            lead = content["bottom_line"][0]
            unsupported = {"text": f"{places[rank]} counted 987654 visitors.", "claim_ids": lead["claim_ids"]}
            content["bottom_line"] = [unsupported, *content["bottom_line"][1:]]
            reply.content = content
        reply.delay = 0.15 * rank
        return reply

    return respond


def _told(brief: Brief) -> str:
    data = brief.model_dump(mode="json")
    data["meta"].pop("seconds", None)
    return str(data)


def test_make_brief_llm_does_not_depend_on_the_order_answers_arrive(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    places = ["Ostervale", "Brennmoor", "Kettlerock"]
    told = []
    for order in (places, places[::-1]):
        with FakeOpenAIServer(_in_order(order)) as server:
            brief = make_brief(folder, _options(server, 8), api_key="x", now=PINNED)
        told.append(_told(brief))
        replaced = [w for w in brief.meta.warnings if w.startswith("compose: replaced")]
        # One per story, in story order, whichever story's answer came first.
        assert [next(p for p in places if p in w) for w in replaced] == places
    assert told[0] == told[1]


def test_llm_engine_renders_each_prompt_once_per_call_on_a_local_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local server's deadline grows with the prompt: it is counted on the text sent, not on a
    second rendering of it."""
    from briefing.engines.llm.prompts import Prompt

    rendered: list[str] = []
    render = Prompt.render

    def recording(self: Prompt, **variables: object) -> list[dict[str, str]]:
        messages = render(self, **variables)
        rendered.append(messages[-1]["content"])
        return messages

    monkeypatch.setattr(Prompt, "render", recording)
    props = {"total_slots": 2, "default_generation_settings": {"n_ctx": 16384}}
    with FakeOpenAIServer(props=props) as server:
        make_brief(_folder(tmp_path), _options(server, 2), api_key="x", now=PINNED)
        sent = [user_text(r.body or {}) for r in server.completions]
    kinds = {_kind(r.body or {}) for r in server.completions}
    assert kinds == {"ChunkClaims", "Conflicts", "ComposedBrief"}
    # Renders of a prompt's fixed part alone (to fit the context) are never sent; the rest are, once each.
    assert sorted(t for t in rendered if t in sent) == sorted(sent)
