"""The LLM engine and the machinery it needs: client calls, response schemas,
prompt files, the response cache, retries and usage accounting."""

from briefing.engines.llm.engine import LLMEngine

__all__ = ["LLMEngine"]
