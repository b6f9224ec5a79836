"""Quotation fidelity on real news: change one word of a quotation two outlets share; is it flagged?

For each BASIL event (``../shared/corpora/basil/clusters_txt``; ``--corpus`` names another folder
of clusters, or the raw AllSides stories, ``../shared/corpora/allsides/raw/*.jsonl``, never tuned
on: 469 stories, three outlets' excerpts each), the quotations of one outlet (30 to 400
characters between quotation marks) are searched for a run of seven words that another outlet's
text also has; one of these runs is drawn (seeded), and its middle word, a content word, is
replaced in that outlet's quotation by another word of the same article (a word of five letters
or more, of the same case), or with ``--edit drop`` left out. The event is then briefed with the
extractive engine. It counts as found when one disagreement cites the changed place of that
outlet's text on one side and another outlet's passage with the original word on another.

Seeds 0 and 1 are the tuning part (their misses were read); seeds 2 and 3 are held out (only
their totals are read). A draw may land where the other outlet does not quote the words (it
paraphrases them unquoted): such misses are not the comparer's to find, so the figure is a floor.

    .venv/bin/python benchmarks/bench_quote_injection.py [--seeds 0 1 2 3] [--limit 100]
        [--edit swap|drop] [--corpus FOLDER_OR_JSONL] [--misses]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

from _shared import allsides_text, shared_dir  # benchmarks/ is on sys.path when a benchmark runs as a script

from briefing import BriefOptions, make_brief
from briefing.evaluation.injected import cluster_outlets
from briefing.text import STOP_WORDS

_QUOTATION = re.compile(r"[“\"]([^”\"]{30,400})[”\"]")
_WORD = re.compile(r"[A-Za-z']+")
_RUN = 7  # words in a row both outlets have: the stretch one of them quotes


def _candidates(texts: dict[str, str]) -> list[tuple[str, list[tuple[int, int]]]]:
    """(outlet, spans of its words) of a quoted run of seven words another outlet also has, whose
    middle word is a content word."""
    out: list[tuple[str, list[tuple[int, int]]]] = []
    plain = {name: " ".join(_WORD.findall(text)).lower() for name, text in texts.items()}
    for name, text in texts.items():
        for m in _QUOTATION.finditer(text):
            words = list(_WORD.finditer(text, m.start(1), m.end(1)))
            for other in texts:
                if other == name:
                    continue
                for i in range(len(words) - _RUN + 1):
                    run = [w.group() for w in words[i : i + _RUN]]
                    if " ".join(run).lower() in plain[other] and _content(run[_RUN // 2]):
                        out.append((name, [w.span() for w in words[i : i + _RUN]]))
                        break
    return out


def _content(word: str) -> bool:
    return len(word) >= 4 and word.lower() not in STOP_WORDS


def _clusters(root: Path, limit: int) -> list[tuple[str, dict[str, str]]]:
    """(name, outlet texts) of each cluster: a folder's folders, or the AllSides stories of a .jsonl."""
    if root.suffix == ".jsonl":
        from bench_rouge import SIDES  # the outlets of a three-sided AllSides story

        stories = [json.loads(line) for line in root.read_text(encoding="utf-8").splitlines() if line.strip()]
        stories = [s for s in stories if all(s["news"].get(side) for side in SIDES)]
        return [
            (
                f"story{k}",
                {f"{side}.txt": allsides_text(s["news"][side]) for side in SIDES},
            )
            for k, s in enumerate(stories[:limit])
        ]
    return [(c.name, cluster_outlets(c)) for c in sorted(p for p in root.iterdir() if p.is_dir())[:limit]]


def draw(seed: int, cluster: str, texts: dict[str, str], edit: str) -> tuple[str, str, int, str] | None:
    """The seeded change of one cluster: (outlet, its changed text, where it differs, the original word)."""
    rng = random.Random(f"{seed}:{cluster}")
    candidates = _candidates(texts)
    if not candidates:
        return None
    outlet, run_spans = rng.choice(candidates)
    start, end = run_spans[_RUN // 2]
    text, word = texts[outlet], texts[outlet][start:end]
    pool = sorted(
        {
            w
            for w in _WORD.findall(text)
            if len(w) >= 5
            and w.lower() not in STOP_WORDS
            and w.lower() != word.lower()
            and w.islower() == word.islower()
        }
    )
    new = rng.choice(pool)  # drawn in every mode, so that all modes draw the same passages
    at = start  # where the changed outlet's text differs
    if edit == "drop":
        # The word and the space before it: "the rule protects every boat" -> "the rule every boat".
        start -= len(text[:start]) - len(text[:start].rstrip())
        changed = text[:start] + text[end:]
    elif edit == "add":
        # Another word before it: "the rule protects" -> "the rule harbour protects".
        changed = text[:start] + new.lower() + " " + text[start:]
    elif edit == "swap2":
        # Two words of the run changed: the middle one and a content word two words before or after it
        # ("the rule protects every boat" -> "the order protects every harbour").
        second = next(
            (run_spans[k] for k in (1, 5, 0, 6) if _content(text[run_spans[k][0] : run_spans[k][1]])), None
        )
        if second is None:
            return None  # no second content word in the run: not drawn for this edit
        other = rng.choice([w for w in pool if w != new] or pool)
        changed = text
        for s0, e0, w in sorted([(start, end, new), (second[0], second[1], other)], reverse=True):
            changed = changed[:s0] + w + changed[e0:]
        at = min(start, second[0])
    else:
        changed = text[:start] + new + text[end:]
    return outlet, changed, at, word


def run(seed: int, limit: int, root: Path, edit: str) -> tuple[int, int, list[str]]:
    found = total = 0
    misses: list[str] = []
    for cluster, texts in _clusters(root, limit):
        drawn = draw(seed, cluster, texts, edit)
        if drawn is None:
            continue
        outlet, changed, at, word = drawn
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name, original in texts.items():
                (folder / name).write_text(changed if name == outlet else original, "utf-8")
            brief = make_brief(folder, BriefOptions(engine="extractive"))
        names = {s.id: Path(s.path).name for s in brief.sources}
        hit = any(
            any(names[c.source] == outlet and c.start <= at < c.end for p in d.positions for c in p.citations)
            and any(names[c.source] != outlet and word in c.quote for p in d.positions for c in p.citations)
            for d in brief.disagreements
        )
        total += 1
        found += hit
        if not hit:
            shown = " ".join(changed[max(0, at - 60) : at + 60].split())
            misses.append(f"{cluster} {outlet} ({edit}): {word!r} in …{shown}…")
    return found, total, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument(
        "--edit",
        choices=("swap", "drop", "add", "swap2"),
        default="swap",
        help="put another word for it, leave it out, add a word before it, or change it and a word near it",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=shared_dir() / "corpora" / "basil" / "clusters_txt",
        help="folder of cluster folders (default: BASIL), or the raw AllSides .jsonl (never tuned on)",
    )
    parser.add_argument(
        "--misses", action="store_true", help="print the misses (read them on tuning seeds only)"
    )
    args = parser.parse_args(argv)
    for seed in args.seeds:
        found, total, misses = run(seed, args.limit, args.corpus, args.edit)
        basil = args.corpus == parser.get_default("corpus")
        part = ("tuning" if seed in (0, 1) else "held out") if basil else "never tuned on"
        print(f"seed {seed} ({part}): {found}/{total} found ({found / max(1, total):.2f})")
        if args.misses:
            print("\n".join(f"  {m}" for m in misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
