"""Shared test configuration: how recorded LLM responses are stored and matched."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

# Request keys whose values change between runs without changing the answer.
VOLATILE_BODY_KEYS = frozenset({"user", "seed", "stream_options", "metadata"})
# Response headers that identify a moment or an account, not the answer.
VOLATILE_RESPONSE_HEADERS = (
    "date",
    "set-cookie",
    "openai-organization",
    "openai-project",
    "x-request-id",
    "cf-ray",
)
# instructor's re-ask text quotes pydantic's error URL, which names pydantic's version.
_PYDANTIC_URL = re.compile(r"https://errors\.pydantic\.dev/[^/\s]+/")


def normalized_body(body: bytes | str | None) -> Any:
    """A request body as comparable data: parsed JSON minus volatile keys."""
    if not body:
        return None
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in VOLATILE_BODY_KEYS}
    return json.loads(_PYDANTIC_URL.sub("https://errors.pydantic.dev/", json.dumps(data, sort_keys=True)))


def _json_body_matcher(r1: Any, r2: Any) -> None:
    # Concurrent per-chunk calls arrive in any order, so match on content, not order.
    if normalized_body(r1.body) != normalized_body(r2.body):
        raise AssertionError("request bodies differ")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in VOLATILE_RESPONSE_HEADERS or name.lower().startswith(("x-ratelimit", "cf-")):
            del headers[name]
    return response


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("json_body", _json_body_matcher)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "api-key", "cookie", "openai-organization", "openai-project"],
        "decode_compressed_response": True,
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "json_body"],
    }
