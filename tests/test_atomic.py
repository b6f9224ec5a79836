from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from briefing.atomic import write_atomic
from briefing.errors import OutputError


def test_atomic_writes_new_file(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    write_atomic(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_replaces_existing_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_atomic(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_atomic_new_file_respects_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640


def test_atomic_keyboard_interrupt_mid_write_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old complete brief")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new brief " * 1000)
    assert target.read_text() == "old complete brief"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_keyboard_interrupt_leaves_no_partial_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.md"

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "x" * 100_000)
    assert list(tmp_path.iterdir()) == []


def test_atomic_os_error_becomes_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(tmp_path / "missing-dir" / "brief.md", "x")
