"""Which engine ``auto`` picks, and that an explicit choice always wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.config import load_settings
from briefing.engines import create_engine, resolve_engine_name
from briefing.options import BriefOptions


@pytest.fixture(autouse=True)
def no_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in list(os.environ):
        if name.upper().startswith(("BRIEFING_", "OPENAI_")):
            monkeypatch.delenv(name)


def test_engine_auto_is_extractive_without_any_endpoint() -> None:
    assert resolve_engine_name(BriefOptions()) == "extractive"
    assert resolve_engine_name(BriefOptions(engine="auto"), client=None, api_key=None) == "extractive"
    assert resolve_engine_name(BriefOptions(), api_key="") == "extractive"


def test_engine_auto_is_llm_with_openai_api_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert resolve_engine_name(BriefOptions()) == "llm"


def test_engine_auto_is_llm_with_api_key_argument() -> None:
    assert resolve_engine_name(BriefOptions(), api_key="sk-test") == "llm"


def test_engine_auto_is_llm_with_base_url() -> None:
    assert resolve_engine_name(BriefOptions(base_url="http://127.0.0.1:8080/v1")) == "llm"


def test_engine_auto_is_llm_with_a_client() -> None:
    assert resolve_engine_name(BriefOptions(), client=object()) == "llm"


def test_engine_explicit_choice_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_engine_name(BriefOptions(engine="llm")) == "llm"
    assert resolve_engine_name(BriefOptions(engine="local")) == "local"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    configured = BriefOptions(engine="extractive", base_url="http://127.0.0.1:8080/v1")
    assert resolve_engine_name(configured, client=object(), api_key="sk-test") == "extractive"


def test_engine_auto_follows_layered_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert resolve_engine_name(settings.options(), api_key=settings.secret()) == "extractive"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    settings = load_settings()
    assert resolve_engine_name(settings.options(), api_key=settings.secret()) == "llm"
    monkeypatch.setenv("BRIEFING_ENGINE", "extractive")
    settings = load_settings()
    assert resolve_engine_name(settings.options(), api_key=settings.secret()) == "extractive"


def test_engine_auto_creates_the_extractive_engine_offline() -> None:
    engine = create_engine(BriefOptions())
    assert engine.name == "extractive"
    assert engine.model is None
