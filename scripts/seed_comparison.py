"""The seed (examples/rare-earths) briefed three ways: extractive, Gemma 3 270M, Qwen2.5-Coder-1.5B.

- extractive: made live, here;
- Gemma 3 270M: the committed real recording
  tests/cassettes/llama_server/test_llama_server_brief_rare_earths.yaml, replayed
  with the options it was recorded with (tests/_local_guards.py);
- Qwen2.5-Coder-1.5B-Instruct: the committed real recording
  tests/cassettes/qwen/seed_rare_earths.yaml, replayed with the options
  scripts/record_qwen.py ran (tests/test_qwen_replay.py), and the live run's own
  stderr summary and wall time when the recording folder has them
  (``seed.stderr``, ``seed.run.json``).

Both recordings are served over HTTP by briefing.testing.replay.ReplayServer, so
the brief goes through the real openai client, instructor and the LLM engine.
Wall times of the models are the recorded runs' own (a replay takes seconds):
from ``seed.run.json`` for Qwen, from the Gemma cassette's README, and, for both,
the span of the ``created`` stamps of the recorded answers (first request to the
start of the last).

    python scripts/seed_comparison.py
    BRIEFING_RECORDINGS=/work/recordings/qwen python scripts/seed_comparison.py
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import _local_guards as gemma  # noqa: E402  (the recording's own options, shared with its replay test)
import test_qwen_replay as qwen  # noqa: E402

from briefing import BriefOptions, make_brief  # noqa: E402
from briefing.models import Brief  # noqa: E402
from briefing.testing.replay import ReplayServer  # noqa: E402

RECORDINGS = Path(os.environ.get("BRIEFING_RECORDINGS") or ROOT.parent / "recordings" / "qwen")
GEMMA_CASSETTE = gemma.CASSETTE_DIR / f"{gemma.CASSETTE}.yaml"
# The Gemma cassette's README: the run that wrote the committed file (CI's second step).
GEMMA_WALL = "~16 min (README)"


def created_span(cassette: Path) -> int:
    """Seconds from the first recorded answer's ``created`` stamp to the last one's."""
    import yaml  # type: ignore[import-untyped]  # no stubs installed (as in engines/llm/prompts.py)

    stamps = []
    for interaction in yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]:
        try:
            body = json.loads(interaction["response"]["body"]["string"])
        except (TypeError, ValueError):
            continue
        if isinstance(body, dict) and isinstance(body.get("created"), int):
            stamps.append(body["created"])
    return max(stamps) - min(stamps) if stamps else 0


def row(name: str, brief: Brief, wall: str) -> dict[str, Any]:
    m = brief.meta
    return {
        "engine": name,
        "claims kept": m.claims,
        "rejected": m.claims_rejected,
        "fallbacks": m.chunks_fallback,
        "chunks": m.chunks,
        "disagreements": len(brief.disagreements),
        "words": m.words,
        "filled": m.points_filled,
        "calls": m.usage.calls,
        "wall": wall,
    }


def gemma_brief() -> tuple[Brief, str]:
    from briefing.engines.llm.calls import run_sync
    from briefing.engines.local.server import capped_client

    # As for Qwen: reconcile and compose carry what the deterministic stages made (matched on call).
    with ReplayServer(GEMMA_CASSETTE, by_call=("Conflicts", "ComposedBrief")) as server:
        options = gemma.recorded_options(server.base_url)
        client = capped_client(server.base_url, max_tokens=gemma.MAX_TOKENS, timeout=options.timeout)
        try:
            brief = make_brief(gemma.EXAMPLE, options, client=client, now=gemma.NOW)
        finally:
            run_sync(client.close())
    return brief, server.summary()


def qwen_brief() -> tuple[Brief, str]:
    # Reconcile and compose requests carry what the deterministic stages made: matched on their
    # call and attempt, as tests/test_qwen_replay.py does; extraction requests byte for byte.
    with ReplayServer(qwen.CASSETTE, by_call=("Conflicts", "ComposedBrief")) as server:
        options = qwen.recorded_options().model_copy(update={"base_url": server.base_url})
        brief = make_brief(gemma.EXAMPLE, options, now=gemma.NOW)
    return brief, server.summary()


def main() -> int:
    started = time.perf_counter()
    offline = make_brief(gemma.EXAMPLE, BriefOptions(engine="extractive"), now=gemma.NOW)
    offline_wall = f"{time.perf_counter() - started:.1f} s (live)"
    g_brief, g_replay = gemma_brief()
    q_brief, q_replay = qwen_brief()
    run = RECORDINGS / "seed.run.json"
    q_seconds = json.loads(run.read_text())["seconds"] if run.is_file() else None
    q_wall = f"{q_seconds} s (live run)" if q_seconds is not None else "see the cassette README"
    rows = [
        row("extractive", offline, offline_wall),
        row(
            f"Gemma 3 270M ({gemma.MODEL_ALIAS})",
            g_brief,
            f"{GEMMA_WALL}; span {created_span(GEMMA_CASSETTE)} s",
        ),
        row("Qwen2.5-Coder-1.5B (replay)", q_brief, f"{q_wall}; span {created_span(qwen.CASSETTE)} s"),
    ]
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"\nGemma replay: {g_replay}\nQwen replay: {q_replay}")
    for name, brief in (("Gemma", g_brief), ("Qwen", q_brief)):
        print(f"\n{name} warnings:")
        for w in brief.meta.warnings:
            print(f"  - {w[:220]}")
    stderr = RECORDINGS / "seed.stderr"
    if stderr.is_file():
        summary = [
            line for line in stderr.read_text().splitlines() if re.match(r"briefing: made brief", line)
        ]
        print(f"\nQwen live run ({stderr}):\n  " + "\n  ".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
