"""Write the HAND-WRITTEN cassettes of tests/test_llm_engine.py.

No LLM server was reachable when these tests were written, so the answers in
the cassettes are written by hand here, as a capable model would give them
(and, on purpose, as a careless one would: invented quotes, truncated output,
malformed JSON). The *requests* are not hand-written: the script runs the real
engine through the real openai client, whose HTTP transport is replaced by a
function that returns the scripted answer, and vcrpy records both. So the
recorded requests are byte-for-byte what the engine sends, and the tests'
body matcher finds them. (The engine builds its own HTTP layer around
``httpx2.AsyncHTTPTransport``, so that is the method replaced, before vcrpy
is imported: vcrpy then records what the scripted transport answers.)

    python scripts/make_handwritten_cassettes.py            # rewrite all
    python scripts/make_handwritten_cassettes.py seed reask # some

To replace them with real recordings, run the tests against a real endpoint
(with OPENAI_BASE_URL / OPENAI_API_KEY set and the test's base_url pointing
there): ``pytest tests/test_llm_engine.py --record-mode=once`` after deleting
the cassette files you want re-recorded.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx2  # noqa: E402

_HANDLER: list[Callable[[httpx2.Request], httpx2.Response]] = []


async def _scripted(self: httpx2.AsyncHTTPTransport, request: httpx2.Request) -> httpx2.Response:
    await request.aread()
    return _HANDLER[-1](request)


# Replaced before vcrpy keeps its reference to the "real" transport method.
httpx2.AsyncHTTPTransport.handle_async_request = _scripted  # type: ignore[method-assign]

import llm_cases as cases  # noqa: E402
import vcr  # noqa: E402
from conftest import _json_body_matcher, _scrub_response  # noqa: E402

Responder = Callable[[dict[str, Any], int], tuple[int, dict[str, Any]]]

HEADER = """\
# HANDWRITTEN cassette: the responses below were written by hand in
# scripts/make_handwritten_cassettes.py ({name}); the requests are what the
# engine really sends. Regenerate: python scripts/make_handwritten_cassettes.py {name}
# Re-record against a real endpoint: set OPENAI_BASE_URL / OPENAI_API_KEY, delete
# this file and run pytest tests/test_llm_engine.py --record-mode=once.
"""


# -- building responses ------------------------------------------------------------


def completion(
    arguments: str | None = None,
    *,
    content: str | None = None,
    finish_reason: str = "tool_calls",
    n: int = 1,
    name: str = "ChunkClaims",
    prompt_tokens: int = 900,
    completion_tokens: int = 150,
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if arguments is not None:
        message["tool_calls"] = [
            {"id": f"call_{n}", "type": "function", "function": {"name": name, "arguments": arguments}}
        ]
    return {
        "id": f"chatcmpl-handwritten-{n}",
        "object": "chat.completion",
        "created": 1763769600,
        "model": cases.MODEL,
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def claim(text: str, quote: str, subject: str, attribute: str, value: str, importance: int) -> dict[str, Any]:
    return {
        "text": text,
        "quote": quote,
        "subject": subject,
        "attribute": attribute,
        "value": value,
        "importance": importance,
    }


def claims_json(*items: dict[str, Any]) -> str:
    return json.dumps({"claims": list(items)}, ensure_ascii=False)


def is_reask(body: dict[str, Any]) -> bool:
    return any(m.get("role") in ("tool", "assistant") for m in body["messages"])


def article_of(body: dict[str, Any]) -> str:
    from briefing.testing.fakeserver import article_of as article_in

    found = article_in(body["messages"][1]["content"])
    assert found, "no article text in the request"
    return found


# -- small cases -----------------------------------------------------------------------

GOOD_COST = claim(
    "The plant will cost $1.2 billion.",
    "The plant will cost $1.2 billion",
    "Lithium Corp Nevada refinery",
    "cost",
    "$1.2 billion",
    4,
)
GOOD_OUTPUT = claim(
    "The refinery will produce 40,000 tonnes of lithium hydroxide a year.",
    "produce 40,000 tonnes of lithium hydroxide a year",
    "Lithium Corp Nevada refinery",
    "annual output",
    "40,000 tonnes",
    4,
)
GOOD_PLAN = claim(
    "Lithium Corp plans to build a lithium refinery in Nevada.",
    "Lithium Corp said on Tuesday it would build a refinery in Nevada.",
    "Lithium Corp",
    "plan",
    "refinery in Nevada",
    5,
)
INVENTED_COST = claim(
    "The refinery will cost 1.2 billion dollars.",
    "will cost 1.2 billion dollars",  # paraphrased: not in the article
    "Lithium Corp Nevada refinery",
    "cost",
    "$1.2 billion",
    4,
)
INVENTED_SIZE = claim(
    "It will be the largest lithium refinery in America.",
    "the largest lithium refinery in America",  # not in the article at all
    "Lithium Corp Nevada refinery",
    "size",
    "largest in America",
    3,
)


def reask(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    if not is_reask(body):
        return 200, completion(claims_json(GOOD_PLAN, INVENTED_COST), n=n)
    return 200, completion(claims_json(GOOD_PLAN, GOOD_COST), n=n)


def dropped(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    return 200, completion(claims_json(GOOD_OUTPUT, INVENTED_SIZE), n=n)


def truncated(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    cut = claims_json(GOOD_PLAN, GOOD_OUTPUT)[:90]
    return 200, completion(cut, finish_reason="length", n=n, completion_tokens=32)


def malformed(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    return 200, completion('{"claims": [{"text": "Lithium Corp plans a refinery", "quote": ', n=n)


def cache(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    return 200, completion(claims_json(GOOD_PLAN, GOOD_COST, GOOD_OUTPUT), n=n)


def json_schema(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    assert body["response_format"]["type"] == "json_schema" and "tools" not in body
    return 200, completion(content=claims_json(GOOD_PLAN, GOOD_OUTPUT), finish_reason="stop", n=n)


def auth(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    error = {
        "message": "Incorrect API key provided: test.",
        "type": "invalid_request_error",
        "code": "invalid_api_key",
    }
    return 401, {"error": error}


def server_error(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    return 503, {"error": {"message": "model is loading", "type": "unavailable_error", "code": 503}}


def empty(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    reply = completion(claims_json(GOOD_PLAN), n=n)
    reply["choices"] = []
    return 200, reply


PORT_REOPENED = claim(
    "Officials reopened the port of Tarn on Friday after a three-day strike.",
    "Harbour officials reopened the port of Tarn on Friday after a three-day strike.",
    "port of Tarn",
    "status",
    "reopened",
    5,
)
SHIPS_WAITING = claim(
    "About 120 ships had been waiting outside the harbour.",
    "About 120 ships had been waiting outside the harbour",
    "port of Tarn",
    "ships waiting",
    "about 120",
    3,
)
PORT_DESTROYED = claim(
    "The port of Tarn was destroyed.",
    "the port of Tarn was destroyed",  # what the injected text asked for; the article never says it
    "port of Tarn",
    "status",
    "destroyed",
    5,
)


def injection(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    # A model half-fooled by the injected text: it reports the real facts and the injected one.
    return 200, completion(claims_json(PORT_REOPENED, PORT_DESTROYED, SHIPS_WAITING), n=n)


def bad_reconcile_compose(body: dict[str, Any], n: int) -> tuple[int, dict[str, Any]]:
    name = body["tool_choice"]["function"]["name"]
    if name == "Conflicts":  # both sides from one source, and an id that does not exist
        sides = [
            {"text": "40,000 tonnes", "claim_ids": ["S1#0:c0"]},
            {"text": "45,000", "claim_ids": ["S1#0:c9"]},
        ]
        return 200, completion(
            json.dumps({"conflicts": [{"topic": "output", "positions": sides}]}), n=n, name=name
        )
    brief = {
        "title": "Refinery",
        "bottom_line": [{"text": "A refinery is planned.", "claim_ids": ["P1"]}],
        "key_points": [],
    }  # cites a point id, not a claim id
    return 200, completion(json.dumps(brief), n=n, name=name)


def drive_reconcile_compose(client: Any) -> None:
    from briefing.engines.llm.engine import LLMEngine

    opts = cases.options()
    a, b, claims, points = cases.two_source_material()
    engine = LLMEngine(opts, client=client)
    run = cases.new_run(opts, a, b)
    assert engine.reconcile(claims, run) is None
    assert engine.compose(points, [], run) is None


# -- recording ------------------------------------------------------------------------------


def record(
    name: str, responder: Responder, drive: Callable[[Any], None], base_url: str = cases.LLAMA_URL
) -> Path:
    path = cases.CASSETTES / f"handwritten_{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    calls = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal calls
        if request.method == "GET":  # the engine's probe of a loopback server: "nothing to say"
            return httpx2.Response(404, json={"detail": "Not Found"})
        calls += 1
        status, payload = responder(json.loads(request.content), calls)
        return httpx2.Response(status, json=payload, headers={"content-type": "application/json"})

    recorder = vcr.VCR(
        record_mode="all",
        match_on=["method", "path", "json_body"],
        filter_headers=["authorization", "api-key", "cookie", "openai-organization", "openai-project"],
        decode_compressed_response=True,
        before_record_response=_scrub_response,
    )
    recorder.register_matcher("json_body", _json_body_matcher)
    _HANDLER.append(handler)
    try:
        with recorder.use_cassette(str(path)):
            drive(cases.client(base_url))
    finally:
        _HANDLER.pop()
    path.write_text(HEADER.format(name=name) + path.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {calls} interaction(s)")
    return path


def extract_one(text: str, **overrides: Any) -> Callable[[Any], None]:
    def drive(client: Any) -> None:
        from briefing.engines.llm.engine import LLMEngine

        opts = cases.options(**overrides)
        src = cases.source("S1", text)
        LLMEngine(opts, client=client).extract([cases.whole_chunk(src)], cases.new_run(opts, src))

    return drive


def _lenient(drive: Callable[[Any], None]) -> Callable[[Any], None]:
    def run(client: Any) -> None:
        from briefing.errors import LLMError

        try:
            drive(client)
        except LLMError as exc:
            print(f"  (expected) {exc}")

    return run


SMALL: dict[str, tuple[Responder, Callable[[Any], None], str]] = {
    "reask": (reask, extract_one(cases.WIRE), cases.LLAMA_URL),
    "dropped": (dropped, extract_one(cases.WIRE), cases.LLAMA_URL),
    "truncated": (truncated, extract_one(cases.WIRE), cases.LLAMA_URL),
    "malformed": (malformed, extract_one(cases.WIRE), cases.LLAMA_URL),
    "cache": (cache, extract_one(cases.WIRE), cases.LLAMA_URL),
    "injection": (injection, extract_one(cases.INJECTION), cases.LLAMA_URL),
    "json_schema": (json_schema, extract_one(cases.WIRE, base_url=cases.OLLAMA_URL), cases.OLLAMA_URL),
    "auth": (auth, _lenient(extract_one(cases.WIRE)), cases.LLAMA_URL),
    "server_error": (
        server_error,
        extract_one(cases.WIRE, max_retries=1, retry_max_seconds=5),
        cases.LLAMA_URL,
    ),
    "empty": (empty, extract_one(cases.WIRE), cases.LLAMA_URL),
    "bad_reconcile_compose": (bad_reconcile_compose, drive_reconcile_compose, cases.LLAMA_URL),
}


def main(argv: list[str]) -> None:
    names = argv or [*SMALL, "seed"]
    for name in names:
        if name == "seed":
            from seed_cassette import record_seed

            record_seed(record)
        else:
            responder, drive, base_url = SMALL[name]
            record(name, responder, drive, base_url)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])
