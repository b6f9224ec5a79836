"""Readability of the brief's sentences on the 100 BASIL events (3 outlets each), at the default budget.

Counts, over every sentence the brief shows (bottom lines, key points, "Also
reported"): datelines, bylines/captions/promotions, headline echoes, sentences
opening on a connective or an unresolved pronoun (or a speakerless quotation),
cut excerpts ("..." or a cut at a listed abbreviation such as "Ms." or inside
"D-N.Y.", at either end; the old proxy, any short capitalised word before the final full stop,
is counted on its own row), and pairs of points stating the same
fact (content-word Dice >= 0.6 within one brief).

"Before" and "after" are two checkouts of the code: the briefs are made by a
child process importing ``briefing`` from ``--code`` (default: this checkout),
and all counting happens here with this checkout's detectors, so both are
measured the same way.

    .venv/bin/python benchmarks/bench_readability.py                  # after
    .venv/bin/python benchmarks/bench_readability.py --code ../main   # before
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from _shared import shared_dir  # benchmarks/ is on sys.path when a benchmark runs as a script

from briefing.engines.extractive import DATELINE, is_boilerplate, is_cut, leans_back
from briefing.text import content_words, data_lines, sentence_spans

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


BASIL = shared_dir() / "corpora" / "basil" / "clusters_txt"

_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from briefing import make_brief, BriefOptions
from datetime import datetime, timezone
for folder in sys.argv[2:]:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    brief = make_brief(folder, BriefOptions(engine="extractive"), now=now)
    print(brief.model_dump_json())
"""

# The old proxy for a cut at an abbreviation: any short capitalised word before the final full
# stop ("... Ms." but also "... Quay News.", "... in Tarn."); kept as its own row for comparison.
_SHORT_CAPITAL_END = re.compile(r"\b[A-Z][a-z]{0,3}\.$")


def _starts_mid_abbreviation(text: str) -> bool:
    """Begins with the tail of an abbreviation cut before it ("Y., said Monday" after "D-N.")."""
    return bool(re.match(r"[A-Z][a-z]{0,2}\.[,)]", text))


def _cut_at_abbreviation(text: str) -> bool:
    """Ends on a listed abbreviation other than a region ("Ms.", "Sen.") or inside an affiliation ("D-N.")."""
    # A region ends a sentence often ("... in Alexandria, Va."); a title or a month never does.
    regions = {r.rstrip(".") for r in data_lines("region_abbreviations.txt")}
    words = "|".join(re.escape(w) for w in data_lines("abbreviations.txt") if w not in regions)
    return bool(re.search(rf"(?:(?<![\w.])(?:{words})|[A-Z]-[A-Z])\.$", text))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


SHOW = "--show" in sys.argv  # print the cut excerpts found (to stderr)


def count(briefs: list[dict]) -> dict[str, int]:  # type: ignore[type-arg]  # JSON as parsed
    totals = {
        "statements": 0,
        "sentences": 0,
        "dateline": 0,
        "byline/caption/promo": 0,
        "headline echo": 0,
        "opens leaning (pronoun/connective/no speaker)": 0,
        "cut excerpt": 0,
        "ends on a short capitalised word (old cut proxy)": 0,
        "duplicate-fact pairs": 0,
    }
    for brief in briefs:
        titles = [frozenset(content_words(s["title"])) for s in brief["sources"] if s.get("title")]
        statements = [*brief["bottom_line"], *brief["key_points"], *brief.get("also_reported", [])]
        seen: dict[tuple[str, str, int], None] = {}
        unique = []
        for s in statements:
            key = (s["text"], s["citations"][0]["source"], s["citations"][0]["start"])
            if key not in seen:
                seen[key] = None
                unique.append(s)
        words = [frozenset(content_words(s["text"])) for s in unique]
        for i, s in enumerate(unique):
            text = " ".join(s["text"].split())
            totals["statements"] += 1
            spans = sentence_spans(text)
            totals["sentences"] += len(spans)
            first = text[spans[0][0] : spans[0][1]] if spans else text
            totals["dateline"] += bool(DATELINE.match(text))
            totals["byline/caption/promo"] += any(is_boilerplate(text[a:b]) for a, b in spans)
            totals["headline echo"] += any(
                len(words[i] & t) >= 0.7 * len(t) and len(words[i]) <= len(t) + 4 for t in titles if t
            )
            totals["opens leaning (pronoun/connective/no speaker)"] += leans_back(first)
            cut = is_cut(text) or _cut_at_abbreviation(text) or _starts_mid_abbreviation(text)
            totals["cut excerpt"] += cut
            if cut and SHOW:
                print(f"  cut: {text[:200]}", file=sys.stderr)
            totals["ends on a short capitalised word (old cut proxy)"] += is_cut(text) or bool(
                _SHORT_CAPITAL_END.search(text)
            )
            totals["duplicate-fact pairs"] += sum(_dice(words[i], words[j]) >= 0.6 for j in range(i))
    return totals


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose briefing makes the briefs")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--show", action="store_true", help="print the cut excerpts found (stderr)")
    args = parser.parse_args()
    events = sorted(p for p in BASIL.iterdir() if p.is_dir())[: args.events]
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(args.code.resolve()), *map(str, events)],
        check=True,
        capture_output=True,
        text=True,
    )
    briefs = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    totals = count(briefs)
    print(f"code: {args.code.resolve()}  events: {len(briefs)}")
    n = max(1, totals["statements"])
    for name, value in totals.items():
        share = "" if name in ("statements", "sentences") else f"  ({100 * value / n:.1f}% of statements)"
        print(f"  {name:48} {value:5}{share}")
    words = [b["meta"]["words"] for b in briefs]
    print(f"  words per brief: mean {sum(words) / len(words):.0f}, max {max(words)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
