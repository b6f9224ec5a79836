"""The word lists of the disagreement finder, read once from ``data/*.txt``.

Language lives in data files so that a reader can see (and a reviewer can
check) every word the finder treats specially; code only says what a list is
for. Each file names the module that owns it in its first comment line.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("briefing.reconcile").joinpath("data", name).read_text(encoding="utf-8")
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


@cache
def words(name: str) -> frozenset[str]:
    """Every whitespace-separated word of a list file, lower-cased."""
    return frozenset(w.lower() for line in _lines(name) for w in line.split())


@cache
def pairs(name: str) -> dict[str, str]:
    """``form|value`` lines as a mapping (forms lower-cased)."""
    out: dict[str, str] = {}
    for line in _lines(name):
        form, _, value = line.partition("|")
        out[form.strip().lower()] = value.strip()
    return out


@cache
def numbers(name: str) -> dict[str, float]:
    """``word value`` lines as a mapping."""
    out: dict[str, float] = {}
    for line in _lines(name):
        word, value = line.rsplit(maxsplit=1)
        out[word.lower()] = float(value)
    return out


@cache
def groups(name: str) -> dict[str, frozenset[str]]:
    """``group: words...`` lines (a group may span several lines)."""
    out: dict[str, set[str]] = {}
    for line in _lines(name):
        group, _, rest = line.partition(":")
        out.setdefault(group.strip(), set()).update(w.lower() for w in rest.split())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def ordered(name: str) -> list[list[str]]:
    """Lines as word lists, in file order (months, weekdays)."""
    return [line.lower().split() for line in _lines(name)]


def stop_words() -> frozenset[str]:
    return words("stopwords.txt")
