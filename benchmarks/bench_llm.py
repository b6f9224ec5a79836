"""Benchmarks a and b: the LLM path against FakeOpenAIServer with a fixed latency per call.

a. Concurrency: N chunks at concurrency c with L seconds per call should take
   about ceil(N/c)*L for extraction, plus one L each for reconcile and
   compose. Reported: wall time / that ideal; target <= 1.15.
b. Prompt size: tokens sent in extraction prompts over the source tokens,
   with the fixed part of each call (system prompt, template, schema)
   reported separately; target <= 1.3 plus the fixed part.

Sources are real articles from ../shared/corpora/basil (read in place, never
copied into the repository), each trimmed at a paragraph boundary to one
chunk so that N is exact.

    python benchmarks/bench_llm.py [--chunks 64] [--concurrency 8] [--latency 0.2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout; BRIEFING_SHARED points elsewhere (e.g. from a git worktree).
SHARED = Path(os.environ.get("BRIEFING_SHARED") or ROOT.parent / "shared")
CORPUS = SHARED / "corpora" / "basil" / "clusters_txt"
sys.path.insert(0, str(ROOT))

CHUNK_TOKENS = 700
ARTICLE_TOKENS = 550  # well under CHUNK_TOKENS: one chunk per article


def corpus_articles(n: int) -> list[str]:
    """``n`` distinct articles, each cut at a paragraph boundary to one chunk."""
    from briefing.text import count_tokens

    paths = sorted(CORPUS.glob("*/*.txt"))
    if len(paths) < n:
        sys.exit(f"need {n} articles under {CORPUS}, found {len(paths)}")
    out: list[str] = []
    for path in paths[:n]:
        kept: list[str] = []
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            if kept and count_tokens("\n\n".join([*kept, para])) > ARTICLE_TOKENS:
                break
            kept.append(para)
        out.append("\n\n".join(kept).strip() + "\n")
    return out


def write_folder(folder: Path, articles: list[str]) -> None:
    for i, text in enumerate(articles):
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")


def run_brief(folder: Path, server: Any, *, concurrency: int, cache_dir: Path | None) -> tuple[Any, float]:
    from briefing import BriefOptions, make_brief

    options = BriefOptions(
        engine="llm",
        base_url=server.base_url,
        model="fake",
        concurrency=concurrency,
        chunk_tokens=CHUNK_TOKENS,
        cache=cache_dir is not None,
        cache_dir=cache_dir,
    )
    start = time.perf_counter()
    cpu = time.process_time()
    brief = make_brief(folder, options, api_key="bench")
    CPU_SECONDS.append(time.process_time() - cpu)
    return brief, time.perf_counter() - start


# Process CPU per run (the client's event loop plus the in-process fake server):
# on a busy machine, CPU per call is what stretches each round beyond L.
CPU_SECONDS: list[float] = []


def prompt_tokens(request: dict[str, Any]) -> tuple[int, int]:
    """(tokens of the messages, tokens of the schema sent with them)."""
    from briefing.text import count_tokens

    messages = sum(count_tokens(str(m.get("content") or "")) for m in request.get("messages") or [])
    schema = request.get("tools") or request.get("response_format")
    return messages, count_tokens(json.dumps(schema)) if schema else 0


def fixed_prompt_tokens() -> int:
    """Tokens of one extraction prompt with an empty article (template + system prompt)."""
    from briefing.engines.llm.prompts import load_prompt
    from briefing.text import count_tokens

    rendered = load_prompt("extract_claims").render(title="", outlet="", chunk="")
    return sum(count_tokens(m["content"]) for m in rendered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best wall time is reported")
    args = parser.parse_args()

    from briefing.testing.fakeserver import FakeOpenAIServer
    from briefing.text import count_tokens

    n, c, latency = args.chunks, args.concurrency, args.latency
    articles = corpus_articles(n)
    source_tokens = sum(count_tokens(a) for a in articles)
    rounds = math.ceil(n / c)
    walls: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer(latency=latency) as server:
        folder = Path(tmp)
        write_folder(folder, articles)
        for _ in range(args.repeat):
            server.requests.clear()
            brief, wall = run_brief(folder, server, concurrency=c, cache_dir=None)
            walls.append(wall)
        requests = [r.body or {} for r in server.completions]

    if brief.meta.chunks != n:
        sys.exit(f"expected {n} chunks, got {brief.meta.chunks}")
    from briefing.testing.fakeserver import article_of, user_text

    extract = [r for r in requests if article_of(user_text(r))]
    later_calls = len(requests) - len(extract)  # reconcile and compose, one each when they run
    ideal = (rounds + later_calls) * latency
    best = min(walls)
    ratio = best / ideal
    cpu_per_call_ms = 1000 * CPU_SECONDS[walls.index(best)] / max(1, len(requests))

    msg_tokens = sum(prompt_tokens(r)[0] for r in extract)
    schema_tokens = sum(prompt_tokens(r)[1] for r in extract)
    fixed = fixed_prompt_tokens()
    variable = msg_tokens - fixed * len(extract)
    variable_ratio = variable / source_tokens
    per_call_fixed = fixed + (schema_tokens / len(extract) if extract else 0)

    rows = [
        ("chunks (N)", f"{n}"),
        ("concurrency (c)", f"{c}"),
        ("latency per call (L)", f"{latency:.2f} s"),
        ("calls: extract / later", f"{len(extract)} / {later_calls}"),
        ("fallback chunks", f"{brief.meta.chunks_fallback}"),
        ("ideal (ceil(N/c)+later)*L", f"{ideal:.2f} s"),
        ("wall, best of runs", f"{best:.2f} s  (all: {', '.join(f'{w:.2f}' for w in walls)})"),
        ("a. wall / ideal", f"{ratio:.3f}  (target <= 1.15)"),
        ("process CPU per call", f"{cpu_per_call_ms:.1f} ms"),
        ("source tokens", f"{source_tokens}"),
        ("extract prompt tokens (messages)", f"{msg_tokens}"),
        ("fixed prompt per call (template)", f"{fixed}"),
        ("schema per call (tools/response_format)", f"{schema_tokens / max(1, len(extract)):.0f}"),
        ("b. (prompt - fixed*calls) / source", f"{variable_ratio:.3f}  (target <= 1.3)"),
        ("b. all extract tokens / source", f"{(msg_tokens + schema_tokens) / source_tokens:.3f}"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|-{'-' * 40}")
    for key, value in rows:
        print(f"{key.ljust(width)} | {value}")
    print(
        json.dumps(
            {
                "bench": "llm",
                "chunks": n,
                "concurrency": c,
                "latency": latency,
                "extract_calls": len(extract),
                "later_calls": later_calls,
                "ideal_s": round(ideal, 3),
                "wall_s": round(best, 3),
                "walls_s": [round(w, 3) for w in walls],
                "wall_over_ideal": round(ratio, 3),
                "cpu_ms_per_call": round(cpu_per_call_ms, 1),
                "source_tokens": source_tokens,
                "extract_prompt_tokens": msg_tokens,
                "fixed_prompt_tokens_per_call": fixed,
                "schema_tokens_per_call": round(schema_tokens / max(1, len(extract))),
                "fixed_total_per_call": round(per_call_fixed),
                "variable_prompt_over_source": round(variable_ratio, 3),
                "pass_a": ratio <= 1.15,
                "pass_b": variable_ratio <= 1.3,
            }
        )
    )


if __name__ == "__main__":
    main()
