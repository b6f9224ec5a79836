"""Benchmark g: 1,000 mixed articles -> a one-page PDF brief, wall and CPU time per stage.

The folder is built in a temporary directory (never in the repository) from
../shared: all BASIL articles (100 events x 3 outlets, full text) and AllSides
excerpts (title + body of each outlet's article, story by story) up to
``--articles`` files. Two measurements:

1. the CLI as a user runs it, in a fresh process:
   ``briefing make -s DIR --engine extractive -f pdf -o brief.pdf``
   (wall time, the child's user+system CPU, PDF page count);
2. the same work in this process with the stages timed through the progress
   events of ``make_brief`` plus reading and PDF rendering around it.

    .venv/bin/python benchmarks/bench_scale.py [--articles 1000] [--mix mixed|allsides|basil] [--no-cli]

Target: the CLI run under 60 s wall on 2 cores, and one page.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _shared import allsides_text, shared_dir  # benchmarks/ is on sys.path when a benchmark runs as a script

ROOT = Path(__file__).resolve().parent.parent


SHARED = shared_dir()
BASIL = SHARED / "corpora" / "basil" / "clusters_txt"
ALLSIDES = SHARED / "corpora" / "allsides" / "raw" / "headline_11_2021-10-19_crawled_all.jsonl"


def basil_articles() -> list[str]:
    return [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(BASIL.glob("*/*.txt"))
        if p.name in {"nyt.txt", "fox.txt", "hpo.txt"}
    ]


def allsides_articles() -> list[str]:
    texts = []
    for line in ALLSIDES.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        for side in ("left", "center", "right"):
            art = story["news"].get(side)
            if not art:
                continue
            texts.append(allsides_text(art))
    return texts


def build_folder(folder: Path, n: int, mix: str) -> tuple[int, int]:
    """Writes ``n`` articles; returns (files, characters)."""
    if mix == "basil":
        texts = basil_articles()
    elif mix == "allsides":
        texts = allsides_articles()
    else:
        texts = basil_articles() + allsides_articles()
    if len(texts) < n:
        raise SystemExit(f"only {len(texts)} articles in the {mix} corpus")
    chars = 0
    for i, text in enumerate(texts[:n]):
        (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return n, chars


def pdf_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def cli_run(folder: Path, out: Path) -> dict[str, float | int]:
    exe = Path(sys.executable).with_name("briefing")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(exe), "make", "-s", str(folder), "--engine", "extractive", "-f", "pdf", "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"briefing make exited {done.returncode}")
    return {
        "wall_s": round(wall, 2),
        "user_s": round(after.ru_utime - before.ru_utime, 2),
        "sys_s": round(after.ru_stime - before.ru_stime, 2),
        "pages": pdf_pages(out.read_bytes()),
        "exit": done.returncode,
    }


def staged_run(folder: Path) -> dict[str, object]:
    from briefing import BriefOptions, load_sources, make_brief
    from briefing.render.pdf import render_pdf

    stages: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:
        r = resource.getrusage(resource.RUSAGE_SELF)
        stages.append((name, time.perf_counter(), r.ru_utime + r.ru_stime))

    def on_event(event: object) -> None:
        if getattr(event, "kind", None) == "stage":
            mark(str(getattr(event, "message", "")))

    mark("reading")
    source_set = load_sources(folder)
    brief = make_brief(source_set, BriefOptions(engine="extractive"), on_event=on_event)
    mark("rendering pdf")
    data = render_pdf(brief)
    mark("end")
    times = {
        name: {"wall_s": round(t1 - t0, 2), "cpu_s": round(c1 - c0, 2)}
        for (name, t0, c0), (_, t1, c1) in itertools.pairwise(stages)
        if name != "done"
    }
    return {
        "sources": len(source_set.sources),
        "stories": len(brief.stories),
        "pages": pdf_pages(data),
        "total_wall_s": round(stages[-1][1] - stages[0][1], 2),
        "stages": times,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--mix", choices=("mixed", "allsides", "basil"), default="mixed")
    parser.add_argument("--no-cli", action="store_true", help="only the in-process staged run")
    parser.add_argument("--no-staged", action="store_true", help="only the CLI run")
    parser.add_argument("--keep", type=Path, help="build the folder here (must not exist) and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "articles"
        folder.mkdir(parents=True)
        files, chars = build_folder(folder, args.articles, args.mix)
        print(f"folder: {files} {args.mix} articles, {chars / 1e6:.2f} M characters, {os.cpu_count()} cpus")
        result: dict[str, object] = {"articles": files, "mix": args.mix, "chars": chars}
        if not args.no_cli:
            cli = cli_run(folder, Path(tmp) / "brief.pdf")
            result["cli"] = cli
            print(
                f"CLI make -f pdf: wall {cli['wall_s']:.1f} s, user {cli['user_s']:.1f} s, "
                f"sys {cli['sys_s']:.1f} s, pages {cli['pages']}"
            )
        if not args.no_staged:
            staged = staged_run(folder)
            result["staged"] = staged
            print(
                f"in-process: {staged['sources']} sources, "
                f"{staged['stories']} stories, {staged['pages']} page(s)"
            )
            print(f"{'stage':20} {'wall s':>8} {'cpu s':>8}")
            for name, t in staged["stages"].items():  # type: ignore[attr-defined]  # JSON-shaped dict
                print(f"{name:20} {t['wall_s']:8.2f} {t['cpu_s']:8.2f}")
            print(f"{'total':20} {staged['total_wall_s']:8.2f}")
        cli_result = result.get("cli")
        if isinstance(cli_result, dict):
            result["pass"] = cli_result["wall_s"] < 60 and cli_result["pages"] == 1
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
