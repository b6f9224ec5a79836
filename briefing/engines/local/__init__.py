"""``--engine local``: a llama.cpp server child process and the model files it runs."""

from briefing.engines.local.server import LocalEngine

__all__ = ["LocalEngine"]
