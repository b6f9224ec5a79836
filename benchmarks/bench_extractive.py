"""Benchmark c: the extractive engine on 10, 100 and 1,000 articles.

Real article text from ../shared/corpora/basil (read in place, never copied
into the repository), repeated as needed with a per-copy marker so that the
exact-duplicate filter does not collapse the repeats. Each size runs in its own
process so that peak memory (ru_maxrss) is that run's alone.

    python benchmarks/bench_extractive.py [--sizes 10 100 1000]

Targets: growth close to linear; 1,000 articles in under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "basil" / "clusters_txt"


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        if path.name in {"nyt.txt", "fox.txt", "hpo.txt"}:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    if not texts:
        sys.exit(f"no corpus at {CORPUS}")
    return texts


def one_run(n: int) -> None:
    from briefing import BriefOptions, make_brief

    texts = corpus_texts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chars = 0
        for i in range(n):
            # A per-copy first line keeps repeats distinct files; their bodies
            # still near-duplicate each other, as republished wire copy does.
            text = f"Copy {i} of article {i % len(texts)}\n\n{texts[i % len(texts)]}"
            chars += len(text)
            (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        start = time.perf_counter()
        brief = make_brief(folder, BriefOptions(engine="extractive"))
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "articles": n,
                "chars": chars,
                "seconds": round(seconds, 2),
                "peak_mb": round(peak_mb, 1),
                "claims": brief.meta.claims,
                "words": brief.meta.words,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args.one)
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'articles':>8} {'MB text':>8} {'seconds':>8} {'s/article':>10} {'peak MB':>8} {'claims':>8}")
    for r in rows:
        print(
            f"{r['articles']:>8} {r['chars'] / 1e6:>8.1f} {r['seconds']:>8.2f} "
            f"{r['seconds'] / r['articles']:>10.4f} {r['peak_mb']:>8.0f} {r['claims']:>8}"
        )
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / first["seconds"]) / (last["articles"] / first["articles"])
    largest = max(rows, key=lambda r: r["articles"])
    summary = {
        "benchmark": "extractive",
        "rows": rows,
        "time_growth_vs_linear": round(growth, 2),
        "largest_seconds": largest["seconds"],
        "target_1000_under_60s": largest["articles"] < 1000 or largest["seconds"] < 60,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
