"""Prompts live in ``prompts/*.yaml`` and are checked when they are loaded.

Each file has ``name``, ``version``, ``variables`` and two Jinja templates,
``system`` and ``user``. Loading fails if the declared variables differ from
the ones the templates use, so a renamed variable cannot silently render as
an empty string.

Untrusted text (articles, titles, outlets, claims) is listed in ``data``
and sits between ``<{{ tag }}>`` and ``</{{ tag }}>``. The tag is derived from
a sha256 of that very data (:func:`data_tag`), so it is the same for the same
input (recordings replay) and the data cannot contain it: to close the
section an article would have to contain a hash of itself. Should it contain
the tag anyway, the next candidate is taken, so the guarantee is checked,
not assumed.

Messages are rendered here, once per call, from templates compiled once per
prompt (:meth:`Prompt.render`), and sent to instructor as finished text with
no ``context=`` templating: a ``{{`` in an article is never executed.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["TAG", "Prompt", "PromptError", "data_tag", "load_prompt", "prompt_names", "prompts_dir"]

TAG = "tag"  # the reserved variable naming this call's data delimiter


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
    data: list[str] = Field(
        default_factory=list, description="Variables holding untrusted text, fenced by the data tag."
    )
    system: str
    user: str

    @model_validator(mode="after")
    def _declared_variables_are_used(self) -> Prompt:
        used = self.used_variables()
        declared = set(self.variables) | ({TAG} if self.data else set())
        if declared != used:
            raise ValueError(
                f"prompt {self.name!r} declares {sorted(declared)} but its templates use {sorted(used)}"
            )
        if not set(self.data) <= set(self.variables) or TAG in self.variables:
            raise ValueError(
                f"prompt {self.name!r}: data {self.data} must be declared variables, not {TAG!r}"
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
        """The chat messages as (unrendered) templates."""
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
        values = dict(variables)
        if self.data:
            values[TAG] = data_tag(self.key, {k: variables[k] for k in self.data})
        return [
            {"role": role, "content": dedent(template.render(**values))}
            for role, template in _compiled(self.name, self.version, self.system, self.user)
        ]


@cache
def _compiled(name: str, version: int, system: str, user: str) -> tuple[tuple[str, Any], ...]:
    # Compiled once per prompt file, not once per call: compiling is most of a render's cost.
    env = _environment()
    return (("system", env.from_string(system)), ("user", env.from_string(user)))


def _canonical(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def data_tag(nonce: str, data: dict[str, object]) -> str:
    """A delimiter the data cannot contain, the same for the same data.

    ``data-`` plus 16 hex digits of sha256(nonce, data); if the data happens to
    contain that tag, the next counter value is hashed, so the returned tag is
    checked absent rather than merely unlikely.
    """
    text = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False)
    for counter in range(1000):
        digest = hashlib.sha256(f"{nonce}\0{counter}\0{text}".encode()).hexdigest()[:16]
        tag = f"data-{digest}"
        if digest not in text:
            return tag
    raise PromptError("no data tag found that the data does not contain")  # 1000 hash collisions


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
