"""Folder walking is iterative: deep trees are neither a RecursionError nor read without end."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import briefing.sources.walk as walk
from briefing.sources.walk import MAX_DEPTH, load_sources

ARTICLE = (
    "Orchard growers report an early harvest\n\n"
    "Apple growers in the valley began picking two weeks early this year after a warm spring, a growers' "
    "association said on Tuesday.\n"
)
DEEP_ARTICLE = (
    "Deep valley beekeepers count hives\n\n"
    "Beekeepers in the upper valley counted 3,200 hives this spring, up from 2,900 last year, their "
    "cooperative said.\n"
)


def _deep_tree(root: Path, levels: int) -> Path:
    """``root/d/d/.../d`` with ``levels`` folders below ``root``; returns the deepest one."""
    # A loop, not os.makedirs (which recurses once a level); two characters a
    # level keep the path far below PATH_MAX.
    folder = root
    for _ in range(levels):
        folder = folder / "d"
        folder.mkdir()
    return folder


def _remove_deep_tree(root: Path) -> None:
    # shutil.rmtree recurses once a level, so pytest's own clean-up of old
    # temporary folders would hit a RecursionError on this tree: remove it
    # bottom-up here.
    deepest = root
    while (deepest / "d").is_dir():
        deepest = deepest / "d"
    while deepest != root:
        for child in deepest.iterdir():
            child.unlink()
        deepest.rmdir()
        deepest = deepest.parent


@pytest.fixture
def deep(tmp_path: Path) -> Iterator[Path]:
    """A folder with an article at the top and 1,100 levels of folders with one at the bottom."""
    (tmp_path / "top.txt").write_text(ARTICLE, encoding="utf-8")
    (_deep_tree(tmp_path, 1100) / "bottom.txt").write_text(DEEP_ARTICLE, encoding="utf-8")
    yield tmp_path
    _remove_deep_tree(tmp_path)


def test_walk_a_1100_level_tree_is_not_a_recursion_error(deep: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With the depth limit lifted, the walk must reach the bottom: 1,100
    # levels is more than Python's recursion limit allows a recursive walk.
    assert sys.getrecursionlimit() < 1100 * 2
    monkeypatch.setattr(walk, "MAX_DEPTH", 2000)
    source_set = load_sources(deep)
    paths = [s.path for s in source_set.sources]
    assert paths[-1] == "top.txt"
    assert paths[0] == "d/" * 1100 + "bottom.txt"
    assert source_set.skipped == []


def test_walk_depth_limit_is_reported_as_a_skip(deep: Path) -> None:
    source_set = load_sources(deep)
    assert [s.path for s in source_set.sources] == ["top.txt"]
    [skip] = source_set.skipped
    assert skip.path == "/".join(["d"] * (MAX_DEPTH + 1))
    assert skip.reason == f"folder nested deeper than {MAX_DEPTH} levels"


def test_walk_reads_files_at_the_depth_limit(tmp_path: Path) -> None:
    (_deep_tree(tmp_path, MAX_DEPTH) / "deep.txt").write_text(DEEP_ARTICLE, encoding="utf-8")
    source_set = load_sources(tmp_path)
    assert [s.path for s in source_set.sources] == ["d/" * MAX_DEPTH + "deep.txt"]
    assert source_set.skipped == []


def test_walk_keeps_depth_first_order_for_symlinked_folders(tmp_path: Path) -> None:
    # "a" links to "b" and sorts first: as in a recursive walk, the folder is
    # read through the link and the real folder is then known as already read.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a").symlink_to(tmp_path / "b", target_is_directory=True)
    source_set = load_sources(tmp_path)
    assert [s.path for s in source_set.sources] == ["a/x.txt"]
    assert source_set.skipped == []
