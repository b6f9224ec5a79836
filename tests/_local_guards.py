"""What the llama.cpp recordings must show, shared by the live test and its offline replay.

tests/integration/test_llama_server.py records the full LLM engine against a
real llama.cpp server running Gemma 3 270M (a weak base model) into
tests/cassettes/llama_server/; tests/test_local_replay.py replays them. Both
compute :class:`GuardFigures` from the brief and the recorded requests.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing.models import Brief
from briefing.options import BriefOptions
from briefing.testing.fakeserver import article_of

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rare-earths"
CASSETTE_DIR = ROOT / "tests" / "cassettes" / "llama_server"
CASSETTE = "test_llama_server_brief_rare_earths"
MODEL_ALIAS = "gemma-3-270m-q4_k_m"  # the server's --model_alias: the GGUF file's stem
MAX_TOKENS = 640
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

_BAD_QUOTE = re.compile(r"claims\[\d+\]\.quote=")


def recorded_options(base_url: str) -> BriefOptions:
    """The options of the recording; replay must send byte-identical request bodies."""
    return BriefOptions(
        engine="llm",
        base_url=base_url,
        model=MODEL_ALIAS,
        mode="tools",
        concurrency=1,
        cache=False,
        chunk_tokens=1200,  # 3 chunks: generation, not prompt reading, is what costs time
        max_reasks=1,
        max_retries=0,
        timeout=300,
    )


@dataclass
class GuardFigures:
    requests: int = 0
    extract_requests: int = 0
    requests_per_chunk: dict[str, int] = field(default_factory=dict)
    reasks: int = 0
    invented_quotes_rejected: int = 0
    chunks: int = 0
    chunks_fallback: int = 0
    fallback_reasons: dict[str, int] = field(default_factory=dict)
    claims_rejected: int = 0
    citations: int = 0
    citations_verified: int = 0
    statements: int = 0
    warnings: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"chat requests: {self.requests} ({self.extract_requests} for extraction)",
            f"requests per chunk: {self.requests_per_chunk}",
            f"re-asks: {self.reasks}; "
            f"invented quotes rejected by the validator: {self.invented_quotes_rejected}",
            f"claims dropped after re-asks ran out (meta.claims_rejected): {self.claims_rejected}",
            f"chunks: {self.chunks}; fell back to extractive: {self.chunks_fallback} {self.fallback_reasons}",
            f"statements: {self.statements}; citations verified: {self.citations_verified}/{self.citations}",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _messages(body: Any) -> list[dict[str, Any]]:
    text = body.decode() if isinstance(body, bytes) else body
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return []
    messages = data.get("messages") if isinstance(data, dict) else None
    return [m for m in messages or [] if isinstance(m, dict)]


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def guard_figures(brief: Brief, requests: list[Any]) -> GuardFigures:
    """Figures from the brief and the recorded chat requests (vcr ``Request`` objects)."""
    figures = GuardFigures(
        chunks=brief.meta.chunks,
        chunks_fallback=brief.meta.chunks_fallback,
        fallback_reasons=dict(brief.meta.fallback_reasons),
        claims_rejected=brief.meta.claims_rejected,
        warnings=list(brief.meta.warnings),
    )
    per_chunk: Counter[str] = Counter()
    for request in requests:
        if not str(request.path).endswith("/chat/completions"):
            continue
        figures.requests += 1
        messages = _messages(request.body)
        first_user = next((_text(m) for m in messages if m.get("role") == "user"), "")
        article = article_of(first_user)
        if article:
            figures.extract_requests += 1
            per_chunk[" ".join(article.split()[:6])] += 1
        # A re-ask repeats the conversation and appends the validation error as
        # the last message; count only that last error so nothing counts twice.
        if len(messages) > 2:
            figures.reasks += 1
            if article:
                figures.invented_quotes_rejected += len(_BAD_QUOTE.findall(_text(messages[-1])))
    figures.requests_per_chunk = dict(per_chunk)
    statements = list(brief.bottom_line) + list(brief.key_points)
    statements += [p for d in brief.disagreements for p in d.positions]
    figures.statements = len(statements)
    figures.citations = sum(len(s.citations) for s in statements)
    figures.citations_verified = figures.citations - len(verify_citations(brief))
    return figures


def verify_citations(brief: Brief, root: Path = EXAMPLE) -> list[str]:
    """Citations whose quote is not ``source.text[start:end]`` of the source read again from disk."""
    from briefing.sources.walk import load_sources

    texts = {s.id: s.text for s in load_sources(root).sources}
    statements = list(brief.bottom_line) + list(brief.key_points)
    statements += [p for d in brief.disagreements for p in d.positions]
    return [
        f"{c.source}[{c.start}:{c.end}] {c.quote[:60]!r}"
        for s in statements
        for c in s.citations
        if texts.get(c.source, "")[c.start : c.end] != c.quote or not c.quote
    ]
