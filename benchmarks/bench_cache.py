"""Benchmark d: a re-run with a warm response cache makes zero LLM calls.

The same folder is briefed twice against FakeOpenAIServer (fixed latency per
call) with one fresh cache directory: the first run fills the cache, the
second must send no request at all and so must not pay the latency.

    python benchmarks/bench_cache.py [--chunks 64] [--concurrency 8] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_llm import corpus_articles, run_brief, write_folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.2)
    args = parser.parse_args()

    from briefing.engines.llm.cache import FILE_NAME, ResponseCache
    from briefing.testing.fakeserver import FakeOpenAIServer

    articles = corpus_articles(args.chunks)
    rows = []
    with (
        tempfile.TemporaryDirectory() as src,
        tempfile.TemporaryDirectory() as cache_dir,
        FakeOpenAIServer(latency=args.latency) as server,
    ):
        folder = Path(src)
        write_folder(folder, articles)
        for label in ("cold cache", "warm cache"):
            before = len(server.completions)
            brief, wall = run_brief(folder, server, concurrency=args.concurrency, cache_dir=Path(cache_dir))
            sent = len(server.completions) - before
            rows.append((label, sent, brief.meta.usage.calls, brief.meta.usage.cache_hits, wall, brief))
        stats = ResponseCache(Path(cache_dir) / FILE_NAME).stats()

    cold, warm = rows
    same = cold[5].model_dump(exclude={"generated_at", "meta"}) == warm[5].model_dump(
        exclude={"generated_at", "meta"}
    )
    print(f"{'run':<11} | {'requests':>8} | {'calls':>5} | {'cache hits':>10} | {'wall s':>7}")
    print(f"{'-' * 11}-|-{'-' * 8}-|-{'-' * 5}-|-{'-' * 10}-|-{'-' * 7}")
    for label, sent, calls, hits, wall, _ in rows:
        print(f"{label:<11} | {sent:>8} | {calls:>5} | {hits:>10} | {wall:>7.2f}")
    print(f"cache: {stats.entries} entries, {stats.bytes} bytes; warm brief identical to cold: {same}")
    print(
        json.dumps(
            {
                "bench": "cache",
                "chunks": args.chunks,
                "latency": args.latency,
                "cold_requests": cold[1],
                "cold_wall_s": round(cold[4], 3),
                "warm_requests": warm[1],
                "warm_calls": warm[2],
                "warm_cache_hits": warm[3],
                "warm_wall_s": round(warm[4], 3),
                "cache_entries": stats.entries,
                "same_brief": same,
                "pass": warm[1] == 0 and warm[2] == 0,
            }
        )
    )


if __name__ == "__main__":
    main()
