"""Evaluate disagreement detection by injecting conflicts into real multi-outlet clusters.

    python benchmarks/eval_conflicts.py --corpus ../shared/corpora/allsides/clusters --limit 40
    python benchmarks/eval_conflicts.py --corpus ../shared/corpora/basil/clusters_txt --limit 40

Prints a table per injection type, examples of misses and of disagreements
flagged on unchanged clusters, then one final JSON line (the summary).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefing.evaluation.injected import run_eval
from briefing.options import BriefOptions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder of cluster folders")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", default="extractive")
    parser.add_argument("--examples", type=int, default=8, help="misses / flags to print")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: no such corpus folder: {args.corpus}", file=sys.stderr)
        return 2
    options = BriefOptions(engine=args.engine)
    report = run_eval(args.corpus, limit=args.limit, seed=args.seed, options=options)
    print(report.to_table(examples=args.examples))
    summary = report.model_dump(exclude={"cases", "misses", "false_positive_examples"})
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
