"""Benchmarks a and b: the LLM path against FakeOpenAIServer with a fixed latency per call.

a. Concurrency: N chunks at concurrency c with L seconds per call should take
   about ceil(N/c)*L for extraction, plus one L each for reconcile and
   compose. Reported: wall time / that ideal; target <= 1.15. The ideal
   counts every later call (one reconcile and one compose per story told)
   as one more L, as when stories were told one after the other; the
   pipeline now asks for all stories' calls at once, so the critical path
   is also reported: ceil(N/c) + ceil(R/c) + ceil(K/c) rounds of L for R
   reconcile and K compose calls (a story's compose waits for its reconcile).
b. Prompt size: tokens sent in extraction prompts over the source tokens,
   with the fixed part of each call (system prompt, template, schema)
   reported separately; target <= 1.3 plus the fixed part.

Sources are real articles from ../shared/corpora/basil (read in place, never
copied into the repository), each trimmed at a paragraph boundary to one
chunk so that N is exact.

The fake server runs in a child process (``--server-in-process`` to share
ours), as a real endpoint would: the process CPU measured is then the
client's alone, split into the event loop thread that makes the calls
(per call: preparing, sending, reading and validating) and the rest (the
deterministic stages). CPU time does not depend on how loaded the machine
is; the wall ratio does.

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

from _shared import shared_dir  # benchmarks/ is on sys.path when a benchmark runs as a script

ROOT = Path(__file__).resolve().parent.parent
SHARED = shared_dir()
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
    from briefing.verify import clear_cache

    clear_cache()  # every run checks its claims cold, as a morning's first run does
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
    loop = loop_cpu()
    brief = make_brief(folder, options, api_key="bench")
    CPU_SECONDS.append(time.process_time() - cpu)
    LOOP_SECONDS.append(loop_cpu() - loop)
    return brief, time.perf_counter() - start


# Process CPU per run, and that of the thread running the LLM calls' event loop: on a busy
# machine, CPU per call is what stretches each round beyond L.
CPU_SECONDS: list[float] = []
LOOP_SECONDS: list[float] = []


def loop_cpu() -> float:
    """CPU seconds of the LLM engine's event loop thread so far (Linux /proc), 0 before it starts."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "briefing-llm" and thread.native_id is not None:
            try:
                fields = (
                    Path(f"/proc/self/task/{thread.native_id}/stat").read_text().rsplit(")", 1)[1].split()
                )
            except OSError:
                return 0.0
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _serve(conn: Any, latency: float) -> None:
    """In the child process: the fake server, answering 'requests' and 'stop' over a pipe."""
    from briefing.testing.fakeserver import FakeOpenAIServer

    with FakeOpenAIServer(latency=latency) as server:
        conn.send(server.base_url)
        while (command := conn.recv()) != "stop":
            if command == "requests":
                conn.send([r.body or {} for r in server.completions])
                server.requests.clear()


class ChildServer:
    """FakeOpenAIServer in a child process: its CPU and its GIL are not the client's."""

    def __init__(self, latency: float) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, latency), daemon=True)

    def __enter__(self) -> ChildServer:
        self._process.start()
        self.base_url: str = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._process.join(timeout=10)

    def take_requests(self) -> list[dict[str, Any]]:
        """The chat requests received since the last call."""
        self._conn.send("requests")
        requests: list[dict[str, Any]] = self._conn.recv()
        return requests


class InProcessServer:
    def __init__(self, latency: float) -> None:
        from briefing.testing.fakeserver import FakeOpenAIServer

        self._server = FakeOpenAIServer(latency=latency)

    def __enter__(self) -> InProcessServer:
        self._server.start()
        self.base_url = self._server.base_url
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()

    def take_requests(self) -> list[dict[str, Any]]:
        requests = [r.body or {} for r in self._server.completions]
        self._server.requests.clear()
        return requests


def prompt_tokens(request: dict[str, Any]) -> tuple[int, int]:
    """(tokens of the messages, tokens of the schema sent with them)."""
    from briefing.text import count_tokens

    messages = sum(count_tokens(str(m.get("content") or "")) for m in request.get("messages") or [])
    schema = request.get("tools") or request.get("response_format")
    return messages, count_tokens(json.dumps(schema)) if schema else 0


def answer_kind(request: dict[str, Any]) -> str:
    """The response model a request asks for (its forced tool, or its response format's name)."""
    for tool in request.get("tools") or []:
        return str(tool.get("function", {}).get("name", ""))
    schema = (request.get("response_format") or {}).get("json_schema") or {}
    return str(schema.get("name", ""))


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
    parser.add_argument(
        "--server-in-process", action="store_true", help="run the fake server in this process (as before)"
    )
    args = parser.parse_args()

    from briefing.text import count_tokens

    n, c, latency = args.chunks, args.concurrency, args.latency
    articles = corpus_articles(n)
    source_tokens = sum(count_tokens(a) for a in articles)
    rounds = math.ceil(n / c)
    walls: list[float] = []
    server_kind = InProcessServer if args.server_in_process else ChildServer
    with tempfile.TemporaryDirectory() as tmp, server_kind(latency) as server:
        folder = Path(tmp)
        write_folder(folder, articles)
        # A first run pays the one-time imports (sklearn, openai's resources...): not a call's cost.
        run_brief(folder, server, concurrency=c, cache_dir=None)
        CPU_SECONDS.clear()
        LOOP_SECONDS.clear()
        for _ in range(args.repeat):
            server.take_requests()
            brief, wall = run_brief(folder, server, concurrency=c, cache_dir=None)
            walls.append(wall)
        requests = server.take_requests()

    if brief.meta.chunks != n:
        sys.exit(f"expected {n} chunks, got {brief.meta.chunks}")
    from briefing.testing.fakeserver import article_of, user_text

    extract = [r for r in requests if article_of(user_text(r))]
    later_calls = len(requests) - len(extract)  # reconcile and compose, one each when they run
    ideal = (rounds + later_calls) * latency
    kinds = [answer_kind(r) for r in requests if not article_of(user_text(r))]
    reconciles, composes = kinds.count("Conflicts"), kinds.count("ComposedBrief")
    critical = (rounds + math.ceil(reconciles / c) + math.ceil(composes / c)) * latency
    best = min(walls)
    ratio = best / ideal
    calls = max(1, len(requests)) * len(walls)
    cpu_per_call_ms = 1000 * sum(CPU_SECONDS) / calls
    loop_per_call_ms = 1000 * sum(LOOP_SECONDS) / calls

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
        ("later calls: reconcile / compose", f"{reconciles} / {composes}"),
        ("critical path (stories at once)", f"{critical:.2f} s"),
        ("a. wall / critical path", f"{best / critical:.3f}"),
        ("fake server", "in this process" if args.server_in_process else "child process"),
        ("process CPU per call (mean of runs)", f"{cpu_per_call_ms:.1f} ms"),
        ("  of which the calls' event loop", f"{loop_per_call_ms:.1f} ms"),
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
                "critical_path_s": round(critical, 3),
                "wall_over_critical_path": round(best / critical, 3),
                "cpu_ms_per_call": round(cpu_per_call_ms, 1),
                "loop_cpu_ms_per_call": round(loop_per_call_ms, 1),
                "server_in_process": args.server_in_process,
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
