"""Opinion pieces on AllSides: are columns found, and do their views stay out of the news?

AllSides tags some of the articles it pairs with news reports ``opinionTag``: "OPINION"
(columns, editorials, op-eds), "ANALYSIS", "FACT CHECK"... Each of the AllSides stories
with a left, a centre and a right article (469) is written to a temporary folder as one
.txt per article: its title, a ``URL:`` line with the article's address (as a saved or
fetched page states it), then the excerpt. The brief is made with the extractive engine
at ``--max-words`` (100). Reported per part (the first half of the stories in file order
is the tuning part, the second half held out):

- sources read as opinion against AllSides' "OPINION" tag (precision, recall); the other
  tags count as not opinion;
- bottom lines resting on a tagged column alone (its author's view told as the news);
- statements citing tagged columns alone, and how many of them the brief labels "opinion".

``--no-url`` writes the files without the ``URL:`` line: what a folder of pasted text
gives (nothing then marks a column, unless its title carries a label such as "Opinion |").

    .venv/bin/python benchmarks/bench_opinion.py [--max-words 100] [--limit N] [--no-url]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from _shared import allsides_body, shared_dir

from briefing import BriefOptions, make_brief

RAW = shared_dir() / "corpora" / "allsides" / "raw" / "headline_11_2021-10-19_crawled_all.jsonl"
SIDES = ("center", "left", "right")


def _story(story: dict, folder: Path, max_words: int, url: bool, tally: Counter[str]) -> None:  # type: ignore[type-arg]
    column: dict[str, bool] = {}
    for side in SIDES:
        art = story["news"][side]
        line = f"URL: {art['newsLink']}\n" if url and art.get("newsLink") else ""
        (folder / f"{side}.txt").write_text(
            f"{art['newsTitle']}\n{line}\n{allsides_body(art)}\n", encoding="utf-8"
        )
        column[f"{side}.txt"] = art.get("opinionTag") == "OPINION"
    brief = make_brief(
        folder, BriefOptions(engine="extractive", max_words=max_words), now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    tagged = {s.id for s in brief.sources if column[s.path]}
    for s in brief.sources:
        tally[("true " if s.opinion else "false ") + ("pos" if s.id in tagged else "neg")] += 1
    for st in brief.stories:
        statements = [*st.bottom_line, *st.key_points]
        for i, s in enumerate(statements):
            only_columns = all(c.source in tagged for c in s.citations)
            if only_columns:
                tally["column statements"] += 1
                tally["column statements labelled"] += s.opinion
                if i < len(st.bottom_line):
                    tally["column bottom lines"] += 1
            tally["statements"] += 1
        tally["bottom lines"] += len(st.bottom_line)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-words", type=int, default=100)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--no-url", action="store_true")
    args = ap.parse_args(argv)
    stories = [json.loads(line) for line in RAW.open(encoding="utf-8")]
    stories = [s for s in stories if all(s["news"].get(x) for x in SIDES)]
    if args.limit:
        stories = stories[: args.limit]
    half = len(stories) // 2
    print(f"{len(stories)} AllSides stories, {args.max_words} words, URL lines: {not args.no_url}")
    print(
        "| part | tagged columns | read as opinion | right | precision | recall "
        "| column bottom lines | column statements (labelled) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, part in (("tuning", stories[:half]), ("held-out", stories[half:])):
        tally: Counter[str] = Counter()
        for story in part:
            with tempfile.TemporaryDirectory() as tmp:
                _story(story, Path(tmp), args.max_words, not args.no_url, tally)
        tp, fp, fn = tally["true pos"], tally["true neg"], tally["false pos"]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(
            f"| {name} | {tp + fn} | {tp + fp} | {tp} | {precision:.2f} | {recall:.2f} "
            f"| {tally['column bottom lines']} of {tally['bottom lines']} "
            f"| {tally['column statements']} of {tally['statements']} "
            f"({tally['column statements labelled']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
