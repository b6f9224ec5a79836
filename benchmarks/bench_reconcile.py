"""Benchmark f: the disagreement finder grows linearly with the text it reads.

Synthetic news sentences (invented names, places and figures; no corpus text):
one source from 0.25 MB to 20 MB, and 2,000 sources of about 5 KB that report a
shared pool of stories with some figures, days and titles changed, so that the
aligner has real cross-source work to do. Each size runs in its own process so
that peak memory (ru_maxrss) is that run's alone. Times are for
``briefing.reconcile.find_disagreements`` on every sentence of every source.

    python benchmarks/bench_reconcile.py [--mb 0.25 1 4 20] [--sources 2000]

Target: seconds per MB roughly constant (linear growth).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

SYLLABLES = "ka lo mi ren dor vel ash tun bri sel mar cov ul pen dra gos hal ves tor quin".split()
NOUNS = "people workers houses boats schools votes trucks bridges farms clinics".split()
VERBS = "approved rejected opened closed visited inspected announced delayed funded reviewed".split()
TITLES = ["Mayor", "Governor", "Senator", "Minister", "Judge", "Councillor"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def _story(rng: random.Random) -> dict[str, object]:
    return {
        "person": f"{_word(rng).title()} {_word(rng, 3).title()}",
        "title": rng.choice(TITLES),
        "place": _word(rng, 3).title(),
        "thing": _word(rng, 3),
        "noun": rng.choice(NOUNS),
        "verb": rng.choice(VERBS),
        "n": rng.randint(12, 9000),
        "day": rng.choice(DAYS),
        "quote": " ".join(_word(rng, 1 + rng.randint(0, 1)) for _ in range(10)),
    }


def _sentences(story: dict[str, object], rng: random.Random, changed: bool) -> list[str]:
    s = dict(story)
    if changed:  # one outlet in five states one fact differently
        field = rng.choice(["n", "day", "title"])
        s["n"] = int(s["n"]) + 7 if field == "n" else s["n"]  # type: ignore[call-overload]  # int in a dict
        s["day"] = DAYS[(DAYS.index(str(s["day"])) + 2) % 7] if field == "day" else s["day"]
        s["title"] = "Ambassador" if field == "title" else s["title"]
    return [
        f"{s['title']} {s['person']} {s['verb']} the {s['thing']} plan in {s['place']} on {s['day']}.",
        f"Officials said {s['n']} {s['noun']} in {s['place']} were affected by the {s['thing']} plan.",
        f"“{str(s['quote']).capitalize()},” {s['person']} told reporters.",
        f"The {s['thing']} plan was reviewed by {s['title']} {s['person']} and local officials.",
    ]


def one_source(mb: float) -> None:
    from briefing.models import Source
    from briefing.reconcile import find_disagreements

    rng = random.Random(1)
    parts: list[str] = []
    size = 0
    while size < mb * 1_000_000:
        paragraph = " ".join(_sentences(_story(rng), rng, False)) + "\n"
        parts.append(paragraph)
        size += len(paragraph)
    text = "".join(parts)
    start = (time.perf_counter(), time.process_time())
    found = find_disagreements([Source(id="S1", path="s1.txt", text=text)])
    _report({"case": f"1 source, {mb} MB", "chars": len(text), "flags": len(found)}, start)


def many_sources(n: int) -> None:
    from briefing.models import Source
    from briefing.reconcile import find_disagreements

    rng = random.Random(2)
    stories = [_story(rng) for _ in range(max(1, n // 4))]
    sources = []
    for i in range(n):
        paragraphs = []
        for k in range(6):  # each source covers six stories of the pool
            story = stories[(i * 7 + k * 13) % len(stories)]
            paragraphs.append(" ".join(_sentences(story, rng, rng.random() < 0.2)))
        sources.append(Source(id=f"S{i + 1}", path=f"s{i + 1}.txt", text="\n".join(paragraphs)))
    chars = sum(len(s.text) for s in sources)
    start = (time.perf_counter(), time.process_time())
    found = find_disagreements(sources)
    _report({"case": f"{n} sources", "chars": chars, "flags": len(found)}, start)


def _report(row: dict[str, object], start: tuple[float, float]) -> None:
    # CPU time as well as wall time: on shared cores the wall clock measures the neighbours too.
    seconds = time.perf_counter() - start[0]
    cpu = time.process_time() - start[1]
    row["seconds"] = round(seconds, 2)
    row["cpu_s"] = round(cpu, 2)
    row["cpu_s_per_mb"] = round(cpu / (int(row["chars"]) / 1e6), 2)  # type: ignore[call-overload]  # an int
    row["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="*", default=[0.25, 1, 4, 20])
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        kind, value = args.one.split(":")
        one_source(float(value)) if kind == "mb" else many_sources(int(value))
        return
    rows = []
    for job in [f"mb:{mb}" for mb in args.mb] + ([f"n:{args.sources}"] if args.sources else []):
        out = subprocess.run(
            [sys.executable, __file__, "--one", job], capture_output=True, text=True, check=True
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(
        f"{'case':<20} {'chars':>11} {'wall s':>7} {'cpu s':>7} {'cpu s/MB':>9} {'peak MB':>8} {'flags':>6}"
    )
    for r in rows:
        print(
            f"{r['case']:<20} {r['chars']:>11,} {r['seconds']:>7} {r['cpu_s']:>7} {r['cpu_s_per_mb']:>9} "
            f"{r['peak_mb']:>8} {r['flags']:>6}"
        )
    per_mb = [float(r["cpu_s_per_mb"]) for r in rows]
    linear = bool(per_mb) and max(per_mb) <= 2.5 * min(per_mb)
    print(json.dumps({"rows": rows, "linear": linear, "pass": linear}))


if __name__ == "__main__":
    main()
