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

from briefing.evaluation import run_eval


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
    report = run_eval(args.corpus, limit=args.limit, seed=args.seed, engine=args.engine)
    print(
        f"corpus {report.corpus}: {report.clusters} clusters, "
        f"{report.injectable_clusters} with an injectable fact"
    )
    print(f"{'type':<8} {'clusters':>8} {'detected':>8} {'recall':>7}")
    for k in report.kinds:
        print(f"{k.kind:<8} {k.injectable_clusters:>8} {k.detected:>8} {k.recall:>7.2f}")
    print(
        f"{'all':<8} {sum(k.injectable_clusters for k in report.kinds):>8} "
        f"{sum(k.detected for k in report.kinds):>8} {report.recall:>7.2f}"
    )
    print(
        f"unchanged clusters with a flag: {report.unchanged_flagged_clusters}/{report.clusters} "
        f"({report.unchanged_disagreements} disagreements)"
    )
    if report.misses:
        print("\nmissed (examples):")
        for line in report.misses[: args.examples]:
            print("  -", line)
    if report.false_positive_examples:
        print("\nflagged on unchanged clusters (examples):")
        for line in report.false_positive_examples[: args.examples]:
            print("  -", line[:300])
    summary = report.model_dump(exclude={"cases", "misses", "false_positive_examples"})
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
