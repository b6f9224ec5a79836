"""Story grouping: adjusted Rand index against known events.

BASIL: folders mixing 10, 30 and all 100 events (nyt/fox/hpo copies of each),
built in a temporary directory and read with ``load_sources`` exactly as the
CLI would. Events are split in two halves by sorted folder name: the first
half (tuning, 2010-2014) chose ``STORY_DISTANCE``, ``TITLE_WEIGHT`` and the
lead-name veto (with the first half of the AllSides stories mixed in one
folder); the second half (held out) was not looked at while tuning. Mixes are
drawn from each half separately and from all.

news-html: the mixed news pages, labelled by reading them (benchmarks/data/news_html_stories.json).

    .venv/bin/python benchmarks/bench_stories.py [--distance D] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _shared import shared_dir  # benchmarks/ is on sys.path when a benchmark runs as a script

from briefing.sources import load_sources
from briefing.stories import STORY_DISTANCE, group_stories

SHARED = shared_dir()
BASIL = SHARED / "corpora" / "basil" / "clusters_txt"
NEWS = SHARED / "corpora" / "news-html" / "html"
LABELS = Path(__file__).resolve().parent / "data" / "news_html_stories.json"


def basil_events() -> list[Path]:
    return sorted(p for p in BASIL.iterdir() if p.is_dir())


def build_mix(events: list[Path], folder: Path) -> dict[str, str]:
    """Copy each event's articles into one flat folder; returns file name -> event."""
    truth: dict[str, str] = {}
    for event in events:
        for article in sorted(event.glob("*.txt")):
            name = f"{event.name}_{article.name}"
            shutil.copyfile(article, folder / name)
            truth[name] = event.name
    return truth


def ari_of(folder: Path, truth: dict[str, str], distance: float) -> tuple[float, int, int, float]:
    source_set = load_sources(folder)
    t0 = time.perf_counter()
    _, groups = group_stories(source_set.sources, distance)
    elapsed = time.perf_counter() - t0
    label = {sid: i for i, g in enumerate(groups) for sid in g.source_ids}
    paths = {s.id: Path(s.path).name for s in source_set.sources}
    used = [sid for sid in paths if paths[sid] in truth]
    gold = [truth[paths[sid]] for sid in used]
    pred = [label[sid] for sid in used]
    from sklearn.metrics import adjusted_rand_score  # heavy: loaded when a mix is scored

    return adjusted_rand_score(gold, pred), len(set(gold)), len(groups), elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--distance", type=float, default=STORY_DISTANCE)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    events = basil_events()
    half = len(events) // 2
    parts = {"tuning": events[:half], "held-out": events[half:], "all": events}
    rng = random.Random(args.seed)
    print(f"distance threshold {args.distance}")
    print(f"{'part':9} {'events':>6} {'rep':>3} {'ARI':>6} {'stories found':>13} {'seconds':>7}")
    for part, pool in parts.items():
        for size in (10, 30, 100):
            if size > len(pool):
                continue
            for rep in range(args.repeats if size < len(pool) else 1):
                chosen = rng.sample(pool, size)
                with tempfile.TemporaryDirectory() as tmp:
                    truth = build_mix(chosen, Path(tmp))
                    ari, n_true, n_found, secs = ari_of(Path(tmp), truth, args.distance)
                print(f"{part:9} {n_true:>6} {rep:>3} {ari:6.3f} {n_found:>13} {secs:7.2f}")
    if LABELS.exists():
        labels: dict[str, str] = json.loads(LABELS.read_text())["stories"]
        truth = dict(labels)
        with tempfile.TemporaryDirectory() as tmp:
            for name in truth:
                shutil.copyfile(NEWS / name, Path(tmp) / name)
            ari, n_true, n_found, secs = ari_of(Path(tmp), truth, args.distance)
        print(f"news-html: {len(truth)} pages, {n_true} stories by reading; found {n_found}; ARI {ari:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
