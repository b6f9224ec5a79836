"""Prompts live in ``prompts/*.yaml`` and are checked when they are loaded.

Each file has ``name``, ``version``, ``variables`` and two Jinja templates,
``system`` and ``user``. Loading fails if the declared variables differ from
the ones the templates use, so a renamed variable cannot silently render as
an empty string.

The templates are sent to instructor *unrendered*, with the values in
``context=``: instructor renders every message with that context, so article
text must travel as a variable — pasted into a template, a ``{{`` in an
article would be executed. :meth:`Prompt.render` renders the same templates
locally (strictly) for cache keys and for tests.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Prompt", "PromptError", "load_prompt", "prompt_names", "prompts_dir"]


class PromptError(ValueError):
    """A prompt file is malformed or was rendered with the wrong variables (a bug, not user input)."""


def prompts_dir() -> Path:
    """``briefing/_data/prompts`` in an installed wheel, else ``<repo>/prompts`` in a checkout."""
    installed = Path(__file__).resolve().parents[2] / "_data" / "prompts"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "prompts"


def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # The same environment class instructor renders with, but strict.
    return SandboxedEnvironment(undefined=StrictUndefined)


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int = Field(ge=1, description="Bump when the wording changes: it is part of the cache key.")
    description: str = ""
    variables: list[str]
    system: str
    user: str

    @model_validator(mode="after")
    def _declared_variables_are_used(self) -> Prompt:
        used = self.used_variables()
        declared = set(self.variables)
        if declared != used:
            raise ValueError(
                f"prompt {self.name!r} declares {sorted(declared)} but its templates use {sorted(used)}"
            )
        return self

    def used_variables(self) -> set[str]:
        from jinja2 import meta

        env = _environment()
        used: set[str] = set()
        for template in (self.system, self.user):
            used |= meta.find_undeclared_variables(env.parse(template))
        return used

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def messages(self) -> list[dict[str, str]]:
        """The chat messages as templates, for instructor's ``context=`` rendering."""
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]

    def render(self, **variables: object) -> list[dict[str, str]]:
        """The chat messages rendered with ``variables`` (all declared ones, no others)."""
        missing = set(self.variables) - set(variables)
        unknown = set(variables) - set(self.variables)
        if missing or unknown:
            raise PromptError(
                f"prompt {self.name!r}: missing variables {sorted(missing)}, "
                f"unknown variables {sorted(unknown)}"
            )
        env = _environment()
        # dedent mirrors instructor's own rendering, so both see the same text.
        return [
            {"role": m["role"], "content": dedent(env.from_string(m["content"]).render(**variables))}
            for m in self.messages()
        ]


def prompt_names() -> list[str]:
    return sorted(p.stem for p in prompts_dir().glob("*.yaml"))


@cache
def load_prompt(name: str) -> Prompt:
    """Load and check ``<name>.yaml`` from :func:`prompts_dir`."""
    import yaml  # type: ignore[import-untyped]

    path = prompts_dir() / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PromptError(f"cannot read prompt {name!r} at {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise PromptError(f"prompt {path} is not valid YAML: {exc}") from exc
    try:
        prompt = Prompt.model_validate(data)
    except ValueError as exc:
        raise PromptError(f"prompt {path} is invalid: {exc}") from exc
    if prompt.name != name:
        raise PromptError(f"prompt {path} is named {prompt.name!r}, expected {name!r}")
    return prompt
