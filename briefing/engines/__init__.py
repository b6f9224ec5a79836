"""Engines and how one is chosen.

``auto`` means: the LLM engine when an endpoint is configured (a client was
passed, a base URL is set, or OPENAI_API_KEY is in the environment), the
extractive engine otherwise, so a fresh machine works with no key.
"""

from __future__ import annotations

import os
from typing import Any

from briefing.engines.base import Composed, Engine, Event, RunContext
from briefing.options import BriefOptions

__all__ = ["Composed", "Engine", "Event", "RunContext", "create_engine", "resolve_engine_name"]


def resolve_engine_name(
    options: BriefOptions, *, client: object | None = None, api_key: str | None = None
) -> str:
    if options.engine != "auto":
        return options.engine
    configured = client is not None or options.base_url or api_key or os.environ.get("OPENAI_API_KEY")
    return "llm" if configured else "extractive"


def create_engine(options: BriefOptions, *, client: Any = None, api_key: str | None = None) -> Engine:
    name = resolve_engine_name(options, client=client, api_key=api_key)
    if name == "extractive":
        from briefing.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    if name == "local":
        from briefing.engines.local.server import LocalEngine

        return LocalEngine(options)
    from briefing.engines.llm.engine import LLMEngine

    return LLMEngine(options, client=client, api_key=api_key)
