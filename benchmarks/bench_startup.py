"""Benchmark e: `briefing --help` starts nearly as fast as importing typer.

Both are timed as fresh subprocesses in the same run (best of N, so the
numbers share one machine state); the ratio shows what briefing itself adds
on top of its CLI framework. Heavy libraries (openai, instructor, WeasyPrint,
Slack) must not be imported to print help.

    python benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path


def best_of(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


HEAVY = [
    "openai",
    "instructor",
    "weasyprint",
    "slack_bolt",
    "slack_sdk",
    "trafilatura",
    "pypdf",
    "httpx2",
    "rich",
]


def heavy_modules_loaded() -> list[str]:
    """Heavy modules `briefing --help` imports (rich only costs time; the rest must be absent)."""
    code = (
        "import sys\n"
        "from briefing.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    line = next((x for x in out.splitlines() if x.startswith("HEAVY:")), "HEAVY:")
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    script = Path(sys.executable).with_name("briefing")
    briefing_cmd = (
        [str(script), "--help"] if script.exists() else [shutil.which("briefing") or "briefing", "--help"]
    )
    commands = {
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "briefing --help": briefing_cmd,
        "python -c 'pass'": [sys.executable, "-c", "pass"],
    }
    # Warm the OS file cache so the first measured command is not penalised.
    for cmd in commands.values():
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Interleave the measurements so load from other processes hits both alike.
    results = {name: float("inf") for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            results[name] = min(results[name], best_of(cmd, 1))
    ratio = results["briefing --help"] / results["python -c 'import typer'"]
    heavy = heavy_modules_loaded()
    print(f"{'command':<26} | best of {args.runs} (s)")
    print(f"{'-' * 26}-|-{'-' * 16}")
    for name, seconds in results.items():
        print(f"{name:<26} | {seconds:.3f}")
    print(f"ratio briefing --help / import typer: {ratio:.2f} (target <= 1.5)")
    print(f"heavy modules imported by --help: {', '.join(heavy) or 'none'}")
    print(
        json.dumps(
            {
                "bench": "startup",
                "runs": args.runs,
                "typer_import_s": round(results["python -c 'import typer'"], 3),
                "briefing_help_s": round(results["briefing --help"], 3),
                "python_bare_s": round(results["python -c 'pass'"], 3),
                "ratio": round(ratio, 3),
                "heavy_modules": heavy,
                "pass": ratio <= 1.5 and not set(heavy) - {"rich"},
            }
        )
    )


if __name__ == "__main__":
    main()
