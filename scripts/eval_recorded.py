"""Evaluate the LLM engine on recorded model runs, beside the offline engine, on the same events.

The recordings are the cassettes scripts/record_qwen.py writes (one ``<event>.yaml``
per BASIL event, outside the repository: they hold corpus text). This script
serves them with :class:`briefing.testing.replay.ReplayServer` on 127.0.0.1 and
runs the real CLI against it:

1. events of the natural set (hand-read disagreements): ``briefing eval --set natural
   --events <recorded events>`` with the extractive engine, then with ``--engine llm
   --base-url <replay server>`` and the options the recording was made with (from its
   ``<event>.run.json``); both tables, then the two side by side;
2. recorded events outside the natural set: ``briefing make -f json`` both ways, and
   each brief's disagreements (count and topics), offline against LLM.

A request the recording does not hold (a partial recording, or a call whose inputs
changed since it was recorded) is answered HTTP 400; the engine falls back for that
call, and the eval lists it under "model calls that fell back". Reconcile and compose
requests carry what the deterministic stages made, so when their exact body is not
recorded they are answered with the answer recorded for the same call and attempt in
the same event (``--exact`` turns that off); the engine validates those answers afresh.

    python scripts/eval_recorded.py                       # /work/recordings/qwen beside the checkout
    BRIEFING_RECORDINGS=/path/to/qwen python scripts/eval_recorded.py --exact
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from briefing.evaluation.natural import load_gold
from briefing.testing.replay import ReplayServer

ROOT = Path(__file__).resolve().parent.parent
# Beside the checkout, like ../shared; the environment points elsewhere (e.g. from a git worktree).
SHARED = Path(os.environ.get("BRIEFING_SHARED") or ROOT.parent / "shared")
RECORDINGS = Path(os.environ.get("BRIEFING_RECORDINGS") or ROOT.parent / "recordings" / "qwen")
BASIL = "basil/clusters_txt"
# What scripts/record_qwen.py runs with, when a recording has no run.json.
RECORDED_FLAGS = ["--model", "qwen2.5-coder-1.5b", "--concurrency", "1", "--context-tokens", "16384"]
RECORDED_ENV = {"BRIEFING_TIMEOUT": "2400", "BRIEFING_MAX_REASKS": "1"}
BY_CALL = ("Conflicts", "ComposedBrief")


def recorded_options(folder: Path, event: str) -> tuple[list[str], dict[str, str]]:
    """The endpoint flags and environment the event was recorded with (its run.json), minus the URL."""
    run = folder / f"{event}.run.json"
    if not run.is_file():
        return list(RECORDED_FLAGS), dict(RECORDED_ENV)
    data = json.loads(run.read_text(encoding="utf-8"))
    args = list(data.get("args") or [])
    flags: list[str] = []
    i = 0
    while i < len(args):
        if args[i] in ("--model", "--concurrency", "--context-tokens"):
            flags += args[i : i + 2]
            i += 2
        else:
            i += 1  # --engine and --base-url are set here; --no-cache always
    return flags, {**RECORDED_ENV, **(data.get("env") or {})}


def briefing(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("briefing")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "briefing.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, check=False)


def last_json(output: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return data


def totals(summary: dict[str, Any]) -> dict[str, Any]:
    parts = summary["parts"]
    t = {k: sum(p[k] for p in parts) for k in ("events", "conflicts", "found", "flags", "correct_flags")}
    t["recall"] = round(t["found"] / t["conflicts"], 3) if t["conflicts"] else 0.0
    t["precision"] = round(t["correct_flags"] / t["flags"], 3) if t["flags"] else 0.0
    return t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--recordings", type=Path, default=RECORDINGS, help="folder of <event>.yaml cassettes"
    )
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora", help="folder holding basil/")
    parser.add_argument("--exact", action="store_true", help="replay exact request matches only")
    args = parser.parse_args()
    cassettes = sorted(p for p in args.recordings.glob("*.yaml") if (args.corpus / BASIL / p.stem).is_dir())
    if not cassettes:
        print(f"eval_recorded: no BASIL event recordings in {args.recordings}", file=sys.stderr)
        return 2
    _, events_read = load_gold()
    natural_events = {event for _, event, _ in events_read}
    status = {
        p.stem: "complete" if (args.recordings / f"{p.stem}.done").exists() else "partial" for p in cassettes
    }
    print("recordings: " + ", ".join(f"{e} ({s})" for e, s in status.items()))
    by_call = () if args.exact else BY_CALL
    env = {**os.environ}
    in_set = [p for p in cassettes if p.stem in natural_events]
    others = [p for p in cassettes if p.stem not in natural_events]

    if in_set:
        names = ",".join(p.stem for p in in_set)
        flags, recorded_env = recorded_options(args.recordings, in_set[0].stem)
        common = ["eval", "--set", "natural", "--corpus", str(args.corpus), "--events", names]
        print(f"\n== natural set, events {names}: extractive ==\n$ briefing {' '.join(common)}")
        offline = briefing(*common, env=env)
        print(offline.stdout.rstrip() or offline.stderr.rstrip())
        with ReplayServer(*in_set, by_call=by_call) as server:
            llm_args = [*common, "--engine", "llm", "--base-url", server.base_url, *flags, "--no-cache"]
            print(f"\n== natural set, events {names}: LLM, replayed ==\n$ briefing {' '.join(llm_args)}")
            llm = briefing(*llm_args, env={**env, **recorded_env})
        print(llm.stdout.rstrip() or llm.stderr.rstrip())
        print(f"replay: {server.summary()}")
        if offline.returncode == 0 and llm.returncode == 0:
            rows = [("extractive", totals(last_json(offline.stdout)))]
            rows.append((f"llm ({last_json(llm.stdout).get('model')})", totals(last_json(llm.stdout))))
            print(f"\n{'engine':<28} {'events':>6} {'conflicts':>9} {'found':>5} {'recall':>6} "
                  f"{'flags':>5} {'right':>5} {'precision':>9}")  # fmt: skip
            for name, t in rows:
                print(f"{name:<28} {t['events']:>6} {t['conflicts']:>9} {t['found']:>5} {t['recall']:>6.2f} "
                      f"{t['flags']:>5} {t['correct_flags']:>5} {t['precision']:>9.2f}")  # fmt: skip
    else:
        print("\nno recorded event is in the natural set yet")

    if others:
        print("\n== recorded events outside the natural set: disagreements flagged, offline vs LLM ==")
        for cassette in others:
            event = cassette.stem
            folder = args.corpus / BASIL / event
            flags, recorded_env = recorded_options(args.recordings, event)
            offline = briefing("make", "--sources", str(folder), "-f", "json", "-q", env=env)
            with ReplayServer(cassette, by_call=by_call) as server:
                llm = briefing(
                    "make", "--sources", str(folder), "-f", "json", "-q", "--engine", "llm",
                    "--base-url", server.base_url, *flags, "--no-cache",
                    env={**env, **recorded_env},
                )  # fmt: skip
            for name, run in (("extractive", offline), ("llm", llm)):
                if run.returncode != 0:
                    print(f"{event} {name}: failed: {run.stderr.strip()[-300:]}")
                    continue
                brief = json.loads(run.stdout)
                found = brief["disagreements"]
                meta = brief["meta"]
                extra = (
                    f"; {meta['usage']['calls']} calls, {meta['chunks_fallback']}/{meta['chunks']} chunks "
                    f"fell back; replay: {server.summary()}"
                    if name == "llm"
                    else ""
                )
                print(f"{event} ({status[event]}) {name}: {len(found)} disagreement(s){extra}")
                for d in found:
                    print(f"    [{d.get('kind') or 'from the model'}] {d['topic']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
