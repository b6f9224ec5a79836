"""Print the LLM-engine brief of examples/rare-earths, replayed offline.

The exchanges come from tests/cassettes/test_llm_engine/handwritten_seed.yaml:
HAND-WRITTEN responses (no real model produced them), replayed through the
real openai client with the same matching the tests use. It shows what the
LLM path does with a capable model's answers: per-chunk extraction with quote
checks and a re-ask, the reconcile step and the compose step.

    python scripts/replay_seed_brief.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import vcr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import conftest  # noqa: E402  (the tests' cassette matching, reused as is)
import llm_cases as cases  # noqa: E402

from briefing import make_brief  # noqa: E402


def main() -> None:
    recorder = vcr.VCR(record_mode="none", **conftest.vcr_config.__wrapped__())
    recorder.register_matcher("json_body", conftest._json_body_matcher)
    with recorder.use_cassette(str(ROOT / "tests/cassettes/test_llm_engine/handwritten_seed.yaml")):
        brief = make_brief(str(cases.SEED_DIR), cases.seed_options(), client=cases.client())
    print(brief.to_markdown())
    m = brief.meta
    print(
        f"engine {m.engine}, {m.usage.calls} calls, {m.chunks} chunks, {m.chunks_fallback} fell back, "
        f"{m.claims} claims, {m.claims_rejected} rejected",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
