"""One options model for a brief, instead of a growing list of keyword flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EngineName = Literal["auto", "llm", "extractive", "local"]
InstructorModeName = Literal["auto", "tools", "json_schema", "json", "md_json"]


class BriefOptions(BaseModel):
    """Everything that changes what ``make_brief`` does.

    The CLI, the config file, the environment and the Slack bot all end up
    here; unknown names are an error rather than silently ignored.
    """

    model_config = ConfigDict(extra="forbid")

    engine: EngineName = Field(
        default="auto",
        description="'auto' uses the LLM when an endpoint is configured, else the extractive engine.",
    )
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    mode: InstructorModeName = Field(
        default="auto", description="instructor mode; 'auto' picks one from the endpoint."
    )
    model_path: Path | None = Field(default=None, description="GGUF file for --engine local.")
    title: str | None = None
    max_words: int = Field(
        default=500,
        ge=30,
        le=2000,
        description="Most words the brief body may use; a small folder gets fewer (scales with the input).",
    )
    chunk_tokens: int = Field(default=700, ge=64, le=8000)
    concurrency: int = Field(default=8, ge=1, le=64)
    max_reasks: int = Field(default=2, ge=0, le=10, description="Validation re-asks per chunk.")
    max_retries: int = Field(default=4, ge=0, le=10, description="Transport retries per call.")
    retry_max_seconds: float = Field(default=60.0, gt=0, description="Cap on total backoff per call.")
    timeout: float = Field(
        default=120.0, gt=0, description="Seconds per LLM request, in total: connect, send and every byte."
    )
    local: bool = Field(
        default=False,
        description="The endpoint is a local model server: one request at a time, long deadlines, "
        "prompts sized to its context (found by asking the server when it says).",
    )
    context_tokens: int | None = Field(
        default=None, ge=512, description="The model's context window, when the server does not say."
    )
    temperature: float = Field(default=0.0, ge=0, le=2)
    cache: bool = True
    cache_dir: Path | None = None
    max_cost: float | None = Field(
        default=None, ge=0, description="Refuse to start above this estimate (USD)."
    )
    prices: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description="Per-model USD per 1M (prompt, completion) tokens; overrides the built-in table.",
    )
