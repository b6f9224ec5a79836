"""Layered configuration: command line > environment > config file > defaults."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.config import Settings, load_settings
from briefing.errors import EXIT_USAGE, InputError
from briefing.options import BriefOptions


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ./briefing.toml, user config or environment from the machine running the tests."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in list(os.environ):
        if name.upper().startswith(("BRIEFING_", "OPENAI_")) or name.upper() in {"API_KEY", "BASE_URL"}:
            monkeypatch.delenv(name)
    return tmp_path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_input_error(exc: pytest.ExceptionInfo[InputError]) -> str:
    message = str(exc.value)
    assert message and "\n" not in message
    assert exc.value.exit_code == EXIT_USAGE
    return message


def test_config_defaults_when_nothing_is_set() -> None:
    settings = load_settings()
    assert settings.secret() is None
    assert settings.options() == BriefOptions()


def test_config_reads_local_toml(tmp_path: Path) -> None:
    _write(tmp_path / "briefing.toml", 'model = "m-toml"\nmax_words = 300\ncache = false\n')
    options = load_settings().options()
    assert (options.model, options.max_words, options.cache) == ("m-toml", 300, False)


def test_config_reads_user_config_dir_and_local_file_wins(tmp_path: Path) -> None:
    _write(tmp_path / "xdg" / "briefing" / "config.toml", 'model = "m-user"\nmax_words = 250\n')
    assert load_settings().options().model == "m-user"
    _write(tmp_path / "briefing.toml", "max_words = 300\n")
    options = load_settings().options()
    assert (options.model, options.max_words) == ("m-user", 300)


def test_config_env_overrides_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "briefing.toml", 'model = "m-toml"\nmax_words = 300\n')
    monkeypatch.setenv("BRIEFING_MAX_WORDS", "400")
    options = load_settings().options()
    assert options.max_words == 400
    assert options.model == "m-toml"  # untouched by the environment


def test_config_cli_overrides_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MAX_WORDS", "400")
    monkeypatch.setenv("BRIEFING_ENGINE", "llm")
    settings = load_settings()
    options = settings.options(max_words=600, engine=None)
    assert options.max_words == 600
    assert options.engine == "llm"  # an option not given on the command line (None) keeps the env value


def test_config_env_names_for_every_kind_of_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MODEL", "gpt-test")
    monkeypatch.setenv("BRIEFING_CACHE", "false")
    monkeypatch.setenv("BRIEFING_TEMPERATURE", "0.5")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "/tmp/briefing-cache")
    monkeypatch.setenv("BRIEFING_PRICES", '{"gpt-test": [0.1, 0.4]}')
    options = load_settings().options()
    assert options.model == "gpt-test"
    assert options.cache is False
    assert options.temperature == 0.5
    assert options.cache_dir == Path("/tmp/briefing-cache")
    assert options.prices == {"gpt-test": (0.1, 0.4)}


def test_config_openai_env_vars_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    settings = load_settings()
    assert settings.secret() == "sk-from-env"
    assert settings.options().base_url == "http://127.0.0.1:8080/v1"
    assert "sk-from-env" not in repr(settings)


def test_config_briefing_prefixed_key_and_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_API_KEY", "sk-briefing")
    monkeypatch.setenv("BRIEFING_BASE_URL", "http://127.0.0.1:9/v1")
    settings = load_settings()
    assert settings.secret() == "sk-briefing"
    assert settings.options().base_url == "http://127.0.0.1:9/v1"


def test_config_ignores_unprefixed_api_key_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # Env lookup is case-insensitive; generic names from other tools must not become our endpoint.
    monkeypatch.setenv("API_KEY", "someone-elses")
    monkeypatch.setenv("BASE_URL", "http://example.invalid")
    settings = load_settings()
    assert settings.secret() is None
    assert settings.options().base_url is None


def test_config_key_and_url_from_toml(tmp_path: Path) -> None:
    _write(tmp_path / "briefing.toml", 'api_key = "sk-toml"\nbase_url = "http://127.0.0.1:1/v1"\n')
    settings = load_settings()
    assert settings.secret() == "sk-toml"
    assert settings.options().base_url == "http://127.0.0.1:1/v1"


def test_config_api_key_never_reaches_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    assert "sk-secret" not in load_settings().options().model_dump_json()


def test_config_explicit_file_replaces_default_files(tmp_path: Path) -> None:
    _write(tmp_path / "briefing.toml", "max_words = 300\n")
    explicit = _write(tmp_path / "other" / "team.toml", 'model = "m-team"\n')
    options = load_settings(explicit).options()
    assert options.model == "m-team"
    assert options.max_words == BriefOptions().max_words


def test_config_briefing_config_env_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = _write(tmp_path / "other" / "team.toml", "max_words = 700\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(explicit))
    assert load_settings().options().max_words == 700


def test_config_missing_config_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_settings(tmp_path / "nope.toml")
    assert "nope.toml" in _one_line_input_error(exc)


def test_config_missing_briefing_config_file_is_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(InputError) as exc:
        load_settings()
    assert "gone.toml" in _one_line_input_error(exc)


def test_config_malformed_toml_is_input_error(tmp_path: Path) -> None:
    _write(tmp_path / "briefing.toml", "max_words = = 3\n[unclosed\n")
    with pytest.raises(InputError) as exc:
        load_settings()
    assert "briefing.toml" in _one_line_input_error(exc)


def test_config_unknown_toml_key_is_input_error(tmp_path: Path) -> None:
    _write(tmp_path / "briefing.toml", "max_wrods = 300\n")
    with pytest.raises(InputError) as exc:
        load_settings()
    assert "max_wrods" in _one_line_input_error(exc)


def test_config_bad_env_value_is_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MAX_WORDS", "lots")
    with pytest.raises(InputError) as exc:
        load_settings()
    assert "max_words" in _one_line_input_error(exc)


def test_config_bad_engine_is_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_ENGINE", "gpt")
    with pytest.raises(InputError) as exc:
        load_settings()
    assert "engine" in _one_line_input_error(exc)


def test_config_out_of_range_value_is_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MAX_WORDS", "10")
    settings = load_settings()  # an int, so the settings layer accepts it...
    with pytest.raises(InputError) as exc:
        settings.options()  # ...and the options' bounds reject it
    assert "max_words" in _one_line_input_error(exc)


def test_config_bad_cli_value_is_input_error() -> None:
    with pytest.raises(InputError) as exc:
        Settings().options(concurrency=0)
    assert "concurrency" in _one_line_input_error(exc)


def test_config_every_brief_option_is_a_setting() -> None:
    # Derived, not copied: a new BriefOptions field is configurable the moment it exists.
    assert set(BriefOptions.model_fields) <= set(Settings.model_fields)


def test_config_options_added_late_come_from_env_and_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_RETRY_MAX_SECONDS", "7.5")
    cfg = _write(tmp_path / "c.toml", 'title = "Morning brief"\n')
    options = load_settings(cfg).options()
    assert options.retry_max_seconds == 7.5
    assert options.title == "Morning brief"


def test_config_cache_info_finds_the_cache_the_engine_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app
    from briefing.engines.llm.cache import ResponseCache, cache_path

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    cache = ResponseCache(cache_path(load_settings().options().cache_dir))
    cache.put("k", '{"x": 1}')
    cache.close()
    result = CliRunner().invoke(app, ["cache", "info"])
    assert result.exit_code == 0, result.output
    assert ": 1 response," in result.output and str(tmp_path / "cache") in result.output


def test_config_slack_honours_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("slack_bolt")
    from typer.testing import CliRunner

    import briefing.slackbot
    from briefing.cli import app

    seen: list[object] = []
    monkeypatch.setattr(briefing.slackbot, "run", seen.append)
    cfg = _write(
        tmp_path / "bot.toml",
        'model = "team-model"\nmax_words = 300\n\n'
        f'[slack]\nsource_roots = ["{tmp_path}"]\ncommand = "/news"\n',
    )
    result = CliRunner().invoke(app, ["slack", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    (bot,) = seen
    assert isinstance(bot, briefing.slackbot.BotSettings)
    assert bot.options.model == "team-model" and bot.options.max_words == 300
    assert bot.source_roots == [tmp_path] and bot.command == "/news"
