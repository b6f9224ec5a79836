"""Selection quality on AllSides: ROUGE-1/2 at equal length against LexRank, lead-N and random.

Each of the AllSides stories with a left, a centre and a right article (469) is
written to a temporary folder (one .txt per article: title line, then the
excerpt), briefed with the extractive engine at ``--max-words`` (100), and the
brief's sentences as read (per story: bottom line, the quoted positions of its
disagreements, key points; then "Also reported") are cut to exactly that many
words ("ours"). "ours-sel" leaves the disagreements' quotations out (the
selection alone; the budget they used is not given back, so it is often
shorter). Every baseline is cut the same way, and the table says how many
outputs reach the full length:

- lead-N: the articles' first sentences in turn (centre, left, right), then their second...
- LexRank (Erkan & Radev 2004, continuous variant): sentences of all three
  articles, TF-IDF cosine graph, PageRank by power iteration (damping 0.85),
  highest first, skipping a sentence whose cosine to one chosen is above 0.5;
- random: sentences in a seeded random order.

ROUGE here is our own implementation: F1 of unigram/bigram overlap with
clipped counts, lower-cased ``[a-z0-9]+`` tokens, no stemming and no stop-word
removal (scores are therefore lower than with the ``rouge-score`` package's
Porter stemmer). Reference: AllSides' neutral roundup summary (``roundup[0]``).

Differences are paired per story; 95% intervals by paired bootstrap (2,000
resamples of stories). Parts: the first half of the stories in file order is
declared the tuning part, the second half held out. The salience weights in
``briefing/compose.py`` were chosen on the tuning part only: its figures are
in-sample, the held-out part's are not.

Where the words go: the table after the scores splits the brief's words
(before the cut) into bottom line, disagreements' quotations, key points and
"Also reported", and gives ours minus LexRank on the stories our grouping
splits, on those with disagreements and on those whose brief is short of the
length. ``--one-story`` tells every folder as one story (each AllSides folder
is one event by construction): the gain over the normal run is what a perfect
grouping would add; it is an analysis of the product, not a setting of it.

"At equal length" then cuts each baseline to the brief's own length, story by story:
the brief stops short of the length when nothing else usable is left, and a
shorter text loses recall against a baseline that fills every word.

A run against another checkout (e.g. the code before a change):
``PYTHONPATH=../main .venv/bin/python benchmarks/bench_rouge.py``.

    .venv/bin/python benchmarks/bench_rouge.py [--max-words 100] [--limit N] [--one-story]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

# benchmarks/ is on sys.path when a benchmark runs as a script
from _shared import allsides_body, allsides_text, shared_dir

from briefing import BriefOptions, make_brief
from briefing.models import Source, Statement
from briefing.text import sentence_spans

HERE = Path(__file__).resolve().parent


RAW = shared_dir() / "corpora" / "allsides" / "raw" / "headline_11_2021-10-19_crawled_all.jsonl"
SIDES = ("center", "left", "right")
_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def rouge_n(candidate: str, reference: str, n: int) -> float:
    c, r = _ngrams(tokens(candidate), n), _ngrams(tokens(reference), n)
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    p, rec = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * p * rec / (p + rec)


def cut(sentences: Sequence[str], max_words: int) -> str:
    words: list[str] = []
    for s in sentences:
        words.extend(s.split())
        if len(words) >= max_words:
            break
    return " ".join(words[:max_words])


def split(text: str) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in sentence_spans(text) if len(text[a:b].split()) >= 4]


def lead(articles: Sequence[list[str]]) -> list[str]:
    out = []
    for i in range(max(len(a) for a in articles)):
        out.extend(a[i] for a in articles if i < len(a))
    return out


def lexrank(sentences: list[str]) -> list[str]:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    if len(sentences) < 2:
        return sentences
    matrix = TfidfVectorizer().fit_transform(sentences)
    sim = cosine_similarity(matrix)
    np.fill_diagonal(sim, 0.0)
    rows = sim.sum(axis=1, keepdims=True)
    rows[rows == 0] = 1.0
    transition = sim / rows
    n = len(sentences)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        new = 0.15 / n + 0.85 * transition.T @ rank
        if np.abs(new - rank).sum() < 1e-8:
            rank = new
            break
        rank = new
    chosen: list[int] = []
    for i in np.argsort(-rank):
        if all(sim[i, j] <= 0.5 for j in chosen):
            chosen.append(int(i))
    return [sentences[i] for i in chosen]


def ours(
    story: dict,  # type: ignore[type-arg]  # JSON
    folder: Path,
    max_words: int,
    spent: dict[str, list[float]] | None = None,
) -> tuple[list[str], list[str]]:
    """The brief's sentences as read, and the same without the disagreements' quotations.

    As read: per story its bottom line, the quoted positions of its
    disagreements (the brief's budget pays for them), its key points; then
    "Also reported". The second list is the selection alone.
    """
    for side in SIDES:
        art = story["news"][side]
        (folder / f"{side}.txt").write_text(allsides_text(art), encoding="utf-8")
    brief = make_brief(
        folder,
        BriefOptions(engine="extractive", max_words=max_words),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    read = [
        s
        for st in brief.stories
        for s in [*st.bottom_line, *(p for d in st.disagreements for p in d.positions), *st.key_points]
    ]
    selected = [s for st in brief.stories for s in [*st.bottom_line, *st.key_points]]
    if spent is not None:
        told = {sid for st in brief.stories for sid in st.sources}
        parts = {
            "bottom line": [s for st in brief.stories for s in st.bottom_line],
            "disagreements' quotations": [
                p for st in brief.stories for d in st.disagreements for p in d.positions
            ],
            "key points": [s for st in brief.stories for s in st.key_points],
            "also reported": list(brief.also_reported),
        }
        for name, statements in parts.items():
            spent.setdefault(name, []).append(sum(len(s.text.split()) for s in statements))
        spent.setdefault("split", []).append(float(len(brief.stories) > 1 or len(told) < len(SIDES)))
        spent.setdefault("disagreements", []).append(float(any(st.disagreements for st in brief.stories)))
    return _unique([*read, *brief.also_reported]), _unique([*selected, *brief.also_reported])


def _unique(statements: Sequence[Statement]) -> list[str]:
    seen: set[str] = set()
    out = []
    for s in statements:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s.text)
    return out


def bootstrap(
    diffs: Sequence[float], rng: random.Random, resamples: int = 2000
) -> tuple[float, float, float]:
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples))
    return sum(diffs) / n, means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-words", type=int, default=100)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--one-story", action="store_true", help="tell every folder as one story (analysis)")
    args = parser.parse_args()
    if args.one_story:
        _one_story_per_folder()
    stories = []
    for line in RAW.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        if all(side in story.get("news", {}) for side in SIDES) and story.get("roundup"):
            stories.append(story)
    if args.limit:
        stories = stories[: args.limit]
    rng = random.Random(args.seed)
    systems = ("ours", "ours-sel", "lexrank", "lead", "random")
    ours_systems = ("ours", "ours-sel")
    words: dict[str, list[int]] = {s: [] for s in systems}
    scores: dict[str, list[tuple[float, float]]] = {s: [] for s in systems}
    spent: dict[str, list[float]] = {}
    equal: dict[str, list[tuple[float, float]]] = {s: [] for s in ("lexrank", "lead", "random")}
    with tempfile.TemporaryDirectory() as tmp:
        for k, story in enumerate(stories):
            folder = Path(tmp) / str(k)
            folder.mkdir()
            articles = [split(allsides_body(story["news"][side])) for side in SIDES]
            pool = [s for a in articles for s in a]
            shuffled = pool[:]
            rng.shuffle(shuffled)
            read, selected = ours(story, folder, args.max_words, spent)
            outputs = {
                "ours": read,
                "ours-sel": selected,
                "lexrank": lexrank(pool),
                "lead": lead(articles),
                "random": shuffled,
            }
            reference = story["roundup"][0]
            for name, sentences in outputs.items():
                text = cut(sentences, args.max_words)
                words[name].append(len(text.split()))
                scores[name].append((rouge_n(text, reference, 1), rouge_n(text, reference, 2)))
            # At equal length: each baseline cut to as many words as the brief has (it may be shorter).
            n = words["ours"][-1]
            for name in ("lexrank", "lead", "random"):
                text = cut(outputs[name], n)
                equal[name].append((rouge_n(text, reference, 1), rouge_n(text, reference, 2)))
    half = len(stories) // 2
    parts = {
        "all": range(len(stories)),
        "tuning (1st half)": range(half),
        "held-out (2nd half)": range(half, len(stories)),
    }
    print(f"AllSides stories: {len(stories)}, {args.max_words} words, ROUGE F1 x100 (own ROUGE, no stemming)")
    print("ours = the brief as read (with its disagreements' quotations); ours-sel = without them")
    for name in systems:
        full = sum(n == args.max_words for n in words[name])
        mean_words = sum(words[name]) / len(stories)
        print(f"  {name:8} mean words {mean_words:5.1f}, {full} of {len(stories)} at {args.max_words}")
    for part, idx in parts.items():
        print(f"\n[{part}] n={len(idx)}")
        for name in systems:
            r1 = 100 * sum(scores[name][i][0] for i in idx) / len(idx)
            r2 = 100 * sum(scores[name][i][1] for i in idx) / len(idx)
            print(f"  {name:8} R-1 {r1:5.2f}  R-2 {r2:5.2f}")
        for mine, other in [(m, o) for m in ours_systems for o in systems if o not in ours_systems]:
            for m, label in ((0, "R-1"), (1, "R-2")):
                diffs = [100 * (scores[mine][i][m] - scores[other][i][m]) for i in idx]
                mean, lo, hi = bootstrap(diffs, rng)
                wins = sum(d > 0 for d in diffs)
                losses = sum(d < 0 for d in diffs)
                print(
                    f"  {mine:8} - {other:8} {label}: {mean:+5.2f}  95% CI [{lo:+5.2f}, {hi:+5.2f}]"
                    f"  wins {wins} / losses {losses}"
                )
    _where_the_words_go(spent, words["ours"], scores, parts, args.max_words)
    print("\nAt equal length (each baseline cut to the brief's own length, story by story):")
    for part, idx in parts.items():
        for other in equal:
            cells = []
            for m, label in ((0, "R-1"), (1, "R-2")):
                diffs = [100 * (scores["ours"][i][m] - equal[other][i][m]) for i in idx]
                mean, lo, hi = bootstrap(diffs, rng)
                cells.append(f"{label} {mean:+5.2f} [{lo:+5.2f}, {hi:+5.2f}]")
            print(f"  [{part}] ours - {other:8} " + "  ".join(cells))
    return 0


def _where_the_words_go(
    spent: dict[str, list[float]],
    ours_words: Sequence[int],
    scores: dict[str, list[tuple[float, float]]],
    parts: dict[str, range],
    max_words: int,
) -> None:
    print("\nWhere the words go (ours, words before the cut, mean per story):")
    for part, idx in parts.items():
        shares = ", ".join(
            f"{name} {sum(spent[name][i] for i in idx) / len(idx):.1f}"
            for name in ("bottom line", "disagreements' quotations", "key points", "also reported")
        )
        print(f"  [{part}] {shares}")
    subsets: dict[str, Callable[[int], bool]] = {
        "split by our grouping": lambda i: spent["split"][i] > 0,
        "with disagreements": lambda i: spent["disagreements"][i] > 0,
        f"short of {max_words} words": lambda i: ours_words[i] < max_words,
        "the rest": lambda i: (
            not (spent["split"][i] or spent["disagreements"][i] or ours_words[i] < max_words)
        ),
    }
    print("Ours minus LexRank by kind of story (R-1 / R-2; n):")
    for part, idx in parts.items():
        cells = []
        for name, keep in subsets.items():
            chosen = [i for i in idx if keep(i)]
            if not chosen:
                continue
            d1 = 100 * sum(scores["ours"][i][0] - scores["lexrank"][i][0] for i in chosen) / len(chosen)
            d2 = 100 * sum(scores["ours"][i][1] - scores["lexrank"][i][1] for i in chosen) / len(chosen)
            cells.append(f"{name} {d1:+.2f} / {d2:+.2f} (n={len(chosen)})")
        print(f"  [{part}] " + "; ".join(cells))


def _one_story_per_folder() -> None:
    """Every folder told as one story: the upper bound of a perfect grouping on folders of one event."""
    from briefing import stories

    grouped = stories.group_stories

    def one(
        sources: Sequence[Source], distance: float = stories.STORY_DISTANCE
    ) -> tuple[list[Source], list[stories.StoryGroup]]:
        marked, groups = grouped(sources, distance)
        ids = [sid for g in groups for sid in g.source_ids]
        voices = sum(g.voices for g in groups)
        latest = max((g.latest for g in groups if g.latest), default=None)
        return marked, [stories.StoryGroup(source_ids=ids, voices=voices, latest=latest)] if ids else []

    # make_brief imports group_stories from the module when it runs, so the replacement is what it calls.
    stories.group_stories = one


if __name__ == "__main__":
    sys.exit(main())
