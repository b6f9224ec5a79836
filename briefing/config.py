"""Configuration: command line > environment > config file > defaults.

Environment: ``BRIEFING_*`` for every option (``BRIEFING_MODEL``,
``BRIEFING_MAX_WORDS``...), plus the OpenAI SDK's own ``OPENAI_API_KEY`` and
``OPENAI_BASE_URL``. Config file: TOML, from ``--config``, ``BRIEFING_CONFIG``,
``./briefing.toml`` or the user config directory (``briefing config-path``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from briefing.errors import InputError
from briefing.options import BriefOptions, EngineName, InstructorModeName


def default_config_paths() -> list[Path]:
    import platformdirs

    return [platformdirs.user_config_path("briefing", appauthor=False) / "config.toml", Path("briefing.toml")]


class Settings(BaseSettings):
    """Every option of :class:`BriefOptions` that may come from the environment or a file."""

    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="forbid", populate_by_name=True)

    # No bare "api_key"/"base_url" alias: env lookup is case-insensitive, so it would read any
    # API_KEY/BASE_URL in the environment. TOML and keyword use still work through populate_by_name.
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("BRIEFING_API_KEY", "OPENAI_API_KEY")
    )
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("BRIEFING_BASE_URL", "OPENAI_BASE_URL")
    )
    engine: EngineName | None = None
    model: str | None = None
    mode: InstructorModeName | None = None
    model_path: Path | None = None
    max_words: int | None = None
    chunk_tokens: int | None = None
    concurrency: int | None = None
    max_reasks: int | None = None
    max_retries: int | None = None
    timeout: float | None = None
    local: bool | None = None
    context_tokens: int | None = None
    temperature: float | None = None
    cache: bool | None = None
    cache_dir: Path | None = None
    max_cost: float | None = None
    prices: dict[str, tuple[float, float]] | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML source is opt-in in pydantic-settings: toml_file alone does nothing.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def options(self, **overrides: Any) -> BriefOptions:
        values = self.model_dump(exclude={"api_key"}, exclude_none=True)
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return BriefOptions(**values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"invalid option {where}: {first['msg']}") from None

    def secret(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key else None


def load_settings(config: Path | None = None) -> Settings:
    """Read settings, with ``config`` (or BRIEFING_CONFIG) taking the place of the default files."""
    explicit = config or (Path(os.environ["BRIEFING_CONFIG"]) if os.environ.get("BRIEFING_CONFIG") else None)
    if explicit is not None and not explicit.is_file():
        raise InputError(f"config file not found: {explicit}")
    paths = [explicit] if explicit else [p for p in default_config_paths() if p.is_file()]
    bound = type(
        "BoundSettings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": paths}}
    )
    try:
        settings: Settings = bound()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"invalid setting {where}: {first['msg']}") from None
    except (OSError, ValueError) as exc:  # unreadable or malformed TOML
        raise InputError(f"cannot read config {paths[0] if paths else ''}: {exc}".strip()) from None
    return settings
