"""List passages of the repository's code that repeat the evaluation corpora or the example articles.

Usage: python scripts/corpus_echo.py [--shared ../shared] [PATH ...]

The project's rule: no word, name or phrase of the example articles or the evaluation
corpora in code, tests included (test texts are invented). A review found such echoes
twice, in comments and in test texts written after reading the corpora, so this
script looks for them mechanically:

- runs of six words that also occur in ``shared/corpora`` or ``shared/seeds`` and hold
  at least three content words (a run of function words or figures says nothing);
- pairs of capitalised words (a person's or a place's name) found in the corpora or the
  seeds, unless either word is a title or a common capitalised word (data file
  ``scripts/corpus_echo_common.txt``).

Files read by default: ``briefing/`` (not the natural set's annotations under
``briefing/evaluation/data``, which quote the corpus by design and live outside the code
paths), ``prompts/``, ``tests/`` (not cassettes and snapshots, which record output) and
``benchmarks/``. The hand-written seed fixtures (``scripts/seed_cassette.py``) quote the
example articles on purpose and are not read. Exit status 1 when anything is found.
The corpora stay in ``../shared``: nothing of them is written anywhere.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from briefing.text import STOP_WORDS  # the stop words' owner parses them (comments out)

ROOT = Path(__file__).resolve().parent.parent
N = 6
_WORD = re.compile(r"[a-z0-9']+")
_NAME_PAIR = re.compile(r"\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_DEFAULT = ("briefing", "prompts", "tests", "benchmarks")
_SKIP_PARTS = ("cassettes", "__snapshots__", "__pycache__")
_SKIP_UNDER = ("briefing/evaluation/data",)
_SUFFIXES = (".py", ".txt", ".md", ".toml", ".j2", ".json")


def _grams(text: str) -> set[str]:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return {" ".join(words[i : i + N]) for i in range(len(words) - N + 1)}


def _texts(folder: Path) -> Iterable[str]:
    for path in sorted(folder.rglob("*")):
        # Pages' markup (meta tags, viewport settings) is every web page's, not the articles' words.
        if path.is_file() and path.suffix.lower() not in (".html", ".htm"):
            yield path.read_text("utf-8", errors="ignore")


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for root in paths:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            full = path.resolve()
            rel = full.relative_to(ROOT).as_posix() if full.is_relative_to(ROOT) else str(path)
            if (
                path.is_file()
                and path.suffix in _SUFFIXES
                and not any(part in _SKIP_PARTS for part in path.parts)
                and not rel.startswith(_SKIP_UNDER)
            ):
                yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    corpora = [args.shared / "corpora", args.shared / "seeds"]
    if not all(p.is_dir() for p in corpora):
        print(f"corpus_echo: {args.shared}: no corpora/ and seeds/ there (--shared names the folder)")
        return 2
    grams: set[str] = set()
    names: set[tuple[str, str]] = set()
    for folder in corpora:
        for text in _texts(folder):
            grams |= _grams(text)
            names.update(_NAME_PAIR.findall(text))
    lines = (ROOT / "scripts" / "corpus_echo_common.txt").read_text("utf-8").splitlines()
    common = {w for line in lines if not line.startswith("#") for w in line.split()}
    plain = {w.lower() for w in common}

    def telling(gram: str) -> bool:
        telling_words = [w for w in gram.split() if w not in STOP_WORDS and w not in plain]
        return sum(not w.isdigit() and len(w) > 1 for w in telling_words) >= 3

    found = 0
    for path in _files(args.paths or [ROOT / p for p in _DEFAULT]):
        text = path.read_text("utf-8", errors="ignore")
        runs = sorted(g for g in _grams(text) & grams if telling(g))
        pairs = sorted(
            {f"{a} {b}" for a, b in _NAME_PAIR.findall(text) if (a, b) in names and not {a, b} & common}
        )
        for item in [*runs, *pairs]:
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {item}")
            found += 1
    print(f"corpus_echo: {found} passage(s) found")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
