"""Shared test configuration: how recorded LLM responses are stored and matched."""

from __future__ import annotations

from typing import Any

import pytest

from briefing.testing.replay import json_body_matcher, recorded_call_matcher

# The matcher the recorder (scripts/record_qwen.py) and the replay server use too: one
# definition of "the same request" (JSON body minus volatile keys, pydantic's URL version-free).
_json_body_matcher = json_body_matcher
# Response headers that identify a moment or an account, not the answer.
VOLATILE_RESPONSE_HEADERS = (
    "date",
    "set-cookie",
    "openai-organization",
    "openai-project",
    "x-request-id",
    "cf-ray",
)


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in VOLATILE_RESPONSE_HEADERS or name.lower().startswith(("x-ratelimit", "cf-")):
            del headers[name]
    return response


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("json_body", _json_body_matcher)
    vcr.register_matcher("recorded_call", recorded_call_matcher)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "api-key", "cookie", "openai-organization", "openai-project"],
        "decode_compressed_response": True,
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "json_body"],
    }
