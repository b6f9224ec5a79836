"""Test doubles for tests and bots: a fake engine and a fake OpenAI-compatible server.

Nothing in the pipeline stages imports this package (an import contract checks it).
"""

from briefing.testing.fake_engine import FakeEngine

__all__ = ["FakeEngine"]
