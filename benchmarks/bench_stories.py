"""Story grouping: adjusted Rand index against known events.

BASIL: folders mixing 10, 30 and all 100 events (nyt/fox/hpo copies of each),
built in a temporary directory and read with ``load_sources`` exactly as the
CLI would. Events are split in two halves by sorted folder name: the first
half (tuning, 2010-2014) chose ``STORY_DISTANCE``, ``TITLE_WEIGHT`` and the
lead-name veto (with the first half of the AllSides stories mixed in one
folder); the second half (held out) was not looked at while tuning. Mixes are
drawn from each half separately and from all.

news-html: the mixed news pages, labelled by reading them (benchmarks/data/news_html_stories.json).

``--small``: folders of two or three articles, where ``group_stories`` joins
groups by the articles' vocabulary and headlines (``_join_small_folders``).
Four kinds of folder, one per event and per part: one event's three reports
(want one story), two of them plus a report of another event (want two), two
and three reports of different events (want two, three). From the BASIL events
(tuning part 2010-2014, held out 2015-2019) and the AllSides three-outlet
stories (title line and excerpt, the first half tuning); the count of folders
grouped exactly right is printed per kind. ``SHORT_TEXT_WORDS``,
``LONG_SAME_STORY`` and ``HEADLINE_SHARED_WORDS`` were chosen on the tuning parts.

    .venv/bin/python benchmarks/bench_stories.py [--distance D] [--seed N] [--small]
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

from _shared import allsides_text, shared_dir  # benchmarks/ is on sys.path when a benchmark runs as a script

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


ALLSIDES = SHARED / "corpora" / "allsides" / "raw" / "headline_11_2021-10-19_crawled_all.jsonl"
SIDES = ("center", "left", "right")


def _allsides_events() -> list[list[str]]:
    """The AllSides stories with three outlets, each as its articles' texts (title line, excerpt)."""
    events = []
    for line in ALLSIDES.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        if all(story["news"].get(side) for side in SIDES):
            texts = []
            for side in SIDES:
                art = story["news"][side]
                texts.append(allsides_text(art))
            events.append(texts)
    return events


def _small_folders(events: list[list[str]], rng: random.Random) -> list[tuple[str, list[str], list[int]]]:
    """(kind, texts, true story of each text) for the four kinds of small folder."""
    out = [("one event, 3 reports", texts[:3], [0, 0, 0][: len(texts[:3])]) for texts in events]
    for _ in events:
        a, b = rng.sample(range(len(events)), 2)
        out.append(("2 + 1 other", [*rng.sample(events[a], 2), rng.choice(events[b])], [0, 0, 1]))
    for _ in events:
        a, b = rng.sample(range(len(events)), 2)
        out.append(("2 events", [rng.choice(events[a]), rng.choice(events[b])], [0, 1]))
    for _ in events:
        a, b, c = rng.sample(range(len(events)), 3)
        out.append(("3 events", [rng.choice(events[i]) for i in (a, b, c)], [0, 1, 2]))
    return out


def _partition(labels: list[int]) -> tuple[int, ...]:
    first: dict[int, int] = {}
    return tuple(first.setdefault(label, len(first)) for label in labels)


def small_folders(seed: int) -> None:
    basil = [[p.read_text(encoding="utf-8") for p in sorted(e.glob("*.txt"))] for e in basil_events()]
    allsides = _allsides_events()
    parts = {
        "BASIL tuning": [e for e, path in zip(basil, basil_events(), strict=True) if path.name < "2015"],
        "BASIL held-out": [e for e, path in zip(basil, basil_events(), strict=True) if path.name >= "2015"],
        "AllSides tuning": allsides[: len(allsides) // 2],
        "AllSides held-out": allsides[len(allsides) // 2 :],
    }
    for part, events in parts.items():
        rng = random.Random(seed)
        right: dict[str, int] = {}
        total: dict[str, int] = {}
        for kind, texts, truth in _small_folders(events, rng):
            with tempfile.TemporaryDirectory() as tmp:
                for i, text in enumerate(texts):
                    (Path(tmp) / f"a{i}.txt").write_text(text, encoding="utf-8")
                sources = load_sources(tmp).sources
            _, groups = group_stories(sources)
            label = {sid: i for i, g in enumerate(groups) for sid in g.source_ids}
            total[kind] = total.get(kind, 0) + 1
            found = _partition([label[s.id] for s in sources])
            right[kind] = right.get(kind, 0) + (found == _partition(truth))
        cells = ", ".join(f"{kind} {right[kind]}/{total[kind]}" for kind in total)
        print(f"{part:17} {cells}; all {sum(right.values())}/{sum(total.values())}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--distance", type=float, default=STORY_DISTANCE)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="folders of two or three articles")
    args = parser.parse_args()
    if args.small:
        small_folders(args.seed)
        return 0
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
