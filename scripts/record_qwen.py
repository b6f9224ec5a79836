"""Record `briefing make` against a real llama.cpp server (Qwen2.5-Coder-1.5B-Instruct) into cassettes.

Every HTTP exchange of the run (the endpoint probe, each extraction, re-ask,
reconcile and compose request) is recorded by vcrpy. The seed example's
cassette goes to tests/cassettes/qwen/ (its text is the project's own
example); BASIL events go to --out (default /work/recordings/qwen/), outside
the repository, because their request bodies hold third-party article text.

Resumable: the cassette is written after every exchange, and a re-run replays
what is recorded (instantly; requests are deterministic: same text, same data
tags, temperature 0) and records only what is missing. An event whose brief
was written is skipped; delete its ``.done`` file to record it again.

The brief is made by the real CLI, live (`briefing make ... -f json`), so the
stderr summary of each event (``<event>.stderr``) is the one a user sees.

    # server: see docs/local-llm.md
    nohup python scripts/record_qwen.py --events seed,2011_97566c74,2011_3db93526,2014_22b6e900 \\
        > /work/recordings/qwen/record.log 2>&1 &
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "rare-earths"
# ../shared beside the checkout; BRIEFING_SHARED points elsewhere (e.g. from a git worktree).
SHARED = Path(os.environ.get("BRIEFING_SHARED") or ROOT.parent / "shared")
BASIL = SHARED / "corpora" / "basil" / "clusters_txt"
SEED_CASSETTES = ROOT / "tests" / "cassettes" / "qwen"
VOLATILE_HEADERS = ("date", "set-cookie", "x-request-id", "server")


def _scrub(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in VOLATILE_HEADERS:
            del headers[name]
    return response


def _save_every_exchange() -> None:
    """Write the cassette after each recorded exchange, so an interrupted run resumes."""
    from vcr.cassette import Cassette

    original = Cassette.append

    def append(self: Cassette, request: Any, response: Any) -> None:
        original(self, request, response)
        self._save(force=True)

    Cassette.append = append  # type: ignore[method-assign]  # recording tool only


def run_one(event: str, sources: Path, cassette: Path, out_json: Path, argv: list[str]) -> int:
    """In the child process: the CLI under a recording cassette."""
    import vcr

    # The same matcher replays use (briefing.testing.replay), so a resumed run and a replay
    # agree on which exchanges are already recorded.
    from briefing.testing.replay import json_body_matcher

    _save_every_exchange()
    recorder = vcr.VCR(
        record_mode="new_episodes",
        match_on=["method", "path", "json_body"],
        before_record_response=_scrub,
        decode_compressed_response=True,
        filter_headers=["authorization"],
    )
    recorder.register_matcher("json_body", json_body_matcher)
    from briefing.cli import app

    with recorder.use_cassette(str(cassette)):
        try:
            app(["make", "--sources", str(sources), "-f", "json", "-o", str(out_json), *argv])
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="seed", help="'seed' and/or BASIL cluster ids, comma separated")
    parser.add_argument("--base-url", default="http://127.0.0.1:8090/v1")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--context-tokens", type=int, default=16384, help="the server's --n_ctx")
    parser.add_argument("--out", type=Path, default=Path("/work/recordings/qwen"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    SEED_CASSETTES.mkdir(parents=True, exist_ok=True)
    cli_args = [
        "--engine", "llm",
        "--base-url", args.base_url,
        "--model", args.model,
        "--concurrency", "1",
        "--context-tokens", str(args.context_tokens),
        "--no-cache",
    ]  # fmt: skip

    def paths(event: str) -> tuple[Path, Path, Path]:
        if event == "seed":
            return SEED, SEED_CASSETTES / "seed_rare_earths.yaml", args.out / "seed.json"
        return BASIL / event, args.out / f"{event}.yaml", args.out / f"{event}.json"

    if args.one:
        sources, cassette, out_json = paths(args.one)
        sys.exit(run_one(args.one, sources, cassette, out_json, cli_args))

    env = dict(os.environ)
    # Generous: a 2-core CPU shared with other work generates 0.4-17 tokens/s.
    env.setdefault("BRIEFING_TIMEOUT", "2400")
    env.setdefault("BRIEFING_MAX_REASKS", "1")
    for event in [e.strip() for e in args.events.split(",") if e.strip()]:
        sources, cassette, out_json = paths(event)
        done = args.out / f"{event}.done"
        if done.exists():
            print(f"{event}: already recorded ({cassette})", flush=True)
            continue
        if not sources.is_dir():
            print(f"{event}: no folder {sources}", flush=True)
            continue
        started = time.monotonic()
        print(f"{event}: recording into {cassette}", flush=True)
        with (args.out / f"{event}.stderr").open("w") as stderr:
            code = subprocess.call(
                [sys.executable, __file__, "--one", event, "--base-url", args.base_url, "--model", args.model,
                 "--context-tokens", str(args.context_tokens), "--out", str(args.out)],
                stderr=stderr, env=env, cwd=ROOT,
            )  # fmt: skip
        seconds = time.monotonic() - started
        summary = {
            "event": event,
            "exit": code,
            "seconds": round(seconds),
            "cassette": str(cassette),
            "cassette_bytes": cassette.stat().st_size if cassette.exists() else 0,
            "args": cli_args,
            "env": {k: env[k] for k in ("BRIEFING_TIMEOUT", "BRIEFING_MAX_REASKS")},
        }
        (args.out / f"{event}.run.json").write_text(json.dumps(summary, indent=2) + "\n")
        print(json.dumps(summary), flush=True)
        if code == 0:
            done.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + "\n")


if __name__ == "__main__":
    main()
