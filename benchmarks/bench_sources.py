"""Benchmark f: reading and chunking grow linearly, and oversized text is refused early.

Input side of issue 11, finding 6: ``load_sources`` + ``chunk_sources`` on

* 2,000 small articles (about 3 KB each);
* one article of 0.25, 1, 4 and 20 MB, read with the text cap raised so the
  whole text goes through (time per MB should stay flat);
* a 5 MB article with the default caps (skipped: over 2,000,000 characters);
* a 10-20 KB PDF whose pages all draw one content stream (megabytes of
  extracted text) with the default cap: skipped, and how long that took.

The text is synthetic (generated here from a small vocabulary, never copied
from a corpus). Each row runs in its own process so peak memory (ru_maxrss)
is that run's alone.

    python benchmarks/bench_sources.py [--sizes-mb 0.25 1 4 20] [--articles 2000]

Target: seconds per MB of text roughly constant from 0.25 MB to 20 MB
(largest / smallest within 2x); both oversized inputs skipped with a reason.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from briefing.testing.documents import shared_stream_pdf as _shared_stream_pdf

WORDS = (
    "council harbour river board budget school bridge station market report plan vote week "
    "officials residents engineers said agreed delayed opened closed rose fell million new old "
    "northern southern the a of to in on for with after before by its their"
).split()


def article(rng: random.Random, chars: int, label: str) -> str:
    """Paragraphs of plain sentences with numbers and dates, about ``chars`` characters."""
    out = [f"Report {label}\n\n"]
    size = len(out[0])
    while size < chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
            words[0] = words[0].capitalize()
            words.insert(rng.randint(1, len(words) - 1), str(rng.randint(2, 90_000)))
            sentences.append(" ".join(words) + ".")
        paragraph = " ".join(sentences) + "\n\n"
        out.append(paragraph)
        size += len(paragraph)
    return "".join(out)


def shared_stream_pdf(pages: int) -> bytes:
    """A PDF whose pages all draw one content stream: a small file with much text."""
    return _shared_stream_pdf(pages, 60, "Line of the shared stream, repeated on every page of this file")


def one_run(kind: str, size: float, capped: bool) -> None:
    from briefing.chunking import chunk_sources
    from briefing.errors import InputError
    from briefing.options import BriefOptions
    from briefing.sources import load_sources

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        file_bytes = 0
        if kind == "articles":
            for i in range(int(size)):
                data = article(rng, 3000, str(i)).encode()
                (folder / f"a{i:05d}.txt").write_bytes(data)
                file_bytes += len(data)
        elif kind == "one":
            data = article(rng, int(size * 1_000_000), "one").encode()
            (folder / "big.txt").write_bytes(data)
            file_bytes = len(data)
        else:  # pdf bomb
            data = shared_stream_pdf(int(size))
            (folder / "bomb.pdf").write_bytes(data)
            file_bytes = len(data)
        # A small companion so a skipped file does not make the folder unreadable.
        (folder / "zz-small.txt").write_text(article(rng, 1500, "small"))
        start = time.perf_counter()
        try:
            # Uncapped rows raise both caps so the whole text goes through.
            if capped:
                source_set = load_sources(folder)
            else:
                source_set = load_sources(folder, max_bytes=100_000_000, max_text_chars=100_000_000)
        except InputError as exc:
            print(json.dumps({"error": str(exc)}))
            return
        loaded = time.perf_counter()
        chunks = chunk_sources(source_set.sources, BriefOptions().chunk_tokens)
        done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "input": kind,
                "size": size,
                "capped": capped,
                "file_mb": round(file_bytes / 1e6, 3),
                "text_mb": round(sum(s.chars for s in source_set.sources) / 1e6, 3),
                "sources": len(source_set.sources),
                "skipped": [f"{k.path}: {k.reason}" for k in source_set.skipped],
                "chunks": len(chunks),
                "load_s": round(loaded - start, 3),
                "chunk_s": round(done - loaded, 3),
                "total_s": round(done - start, 3),
                "peak_mb": round(peak_mb, 1),
            }
        )
    )


def run(kind: str, size: float, capped: bool) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(size), "capped" if capped else "uncapped"],
        capture_output=True,
        text=True,
        check=True,
    )
    row: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[0.25, 1, 4, 20])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--capped-mb", type=float, default=5.0, help="size read with the default caps")
    parser.add_argument("--pdf-pages", type=int, default=1000)
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, size, cap = args.one
        one_run(kind, float(size), cap == "capped")
        return
    rows = [run("articles", args.articles, True)]
    rows += [run("one", mb, False) for mb in args.sizes_mb]
    rows.append(run("one", args.capped_mb, True))
    rows.append(run("pdf", args.pdf_pages, True))
    header = (
        f"{'input':<34} {'file MB':>8} {'text MB':>8} {'chunks':>7} {'load s':>7} "
        f"{'chunk s':>8} {'total s':>8} {'s/MB':>6} {'peak MB':>8}  note"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        label = {
            "articles": f"{int(float(str(r['size']))):,} articles",
            "one": f"one {r['size']} MB source" + ("" if not r["capped"] else " (default cap)"),
            "pdf": f"PDF, {int(float(str(r['size'])))} pages, 1 stream",
        }[str(r["input"])]
        text_mb = float(str(r["text_mb"]))
        per_mb = (
            f"{float(str(r['total_s'])) / text_mb:6.2f}"
            if text_mb > 0.01 and r["input"] != "pdf"
            else "     -"
        )
        note = "; ".join(s for s in r["skipped"] if "zz-small" not in s)  # type: ignore[attr-defined]
        print(
            f"{label:<34} {r['file_mb']:>8} {r['text_mb']:>8} {r['chunks']:>7} {r['load_s']:>7} "
            f"{r['chunk_s']:>8} {r['total_s']:>8} {per_mb} {r['peak_mb']:>8}  {note}"
        )
    singles = [r for r in rows if r["input"] == "one" and not r["capped"]]
    rates = [float(str(r["total_s"])) / float(str(r["text_mb"])) for r in singles]
    capped_big = next(r for r in rows if r["input"] == "one" and r["capped"])
    bomb = rows[-1]
    summary = {
        "benchmark": "sources",
        "rows": rows,
        "seconds_per_mb_largest_over_smallest": round(rates[-1] / rates[0], 2),
        "pass_linear": rates[-1] / rates[0] <= 2.0,
        "pass_oversized_skipped": bool(capped_big["skipped"]) and bool(bomb["skipped"]),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
