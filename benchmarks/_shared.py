"""Where the shared corpora are, for every benchmark (they are read in place, never copied)."""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path:
    """``BRIEFING_SHARED`` when set, else the first parent of this checkout holding ``shared/corpora``.

    A git worktree sits a level deeper than a clone, so the folders above are searched in turn.
    """
    env = os.environ.get("BRIEFING_SHARED")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "corpora").is_dir():
            return parent / "shared"
    raise SystemExit("cannot find ../shared/corpora (set BRIEFING_SHARED)")


def allsides_body(article: dict) -> str:  # type: ignore[type-arg]  # JSON
    """An AllSides article's excerpt: its paragraphs, one blank line apart."""
    value = article["newBody"]
    return "\n\n".join(value) if isinstance(value, list) else str(value)


def allsides_text(article: dict) -> str:  # type: ignore[type-arg]  # JSON
    """An AllSides article as the benchmarks write it to a file: its title line, then its excerpt."""
    return f"{article['newsTitle']}\n\n{allsides_body(article)}\n"
