"""Progress: a bar that advances per item on a terminal, one line per stage otherwise."""

from __future__ import annotations

import io
import re
from pathlib import Path

from typer.testing import CliRunner

from briefing.cli import app
from briefing.progress import progress
from briefing.run import Event


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_advances_per_item_on_a_terminal() -> None:
    out = _Terminal()
    with progress(stream=out) as on_event:
        assert on_event is not None
        on_event(Event("stage", "extracting", 0, 4))
        for n in range(1, 4):
            on_event(Event("chunk", f"S1#{n}", n, 4))
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "extracting" in shown
    assert "1/4" in shown and "3/4" in shown


def test_progress_is_one_line_per_stage_when_not_a_terminal() -> None:
    out = io.StringIO()
    with progress(stream=out) as on_event:
        assert on_event is not None
        on_event(Event("stage", "fetching articles", 0, 3))
        for n in range(1, 4):
            on_event(Event("item", "u", n, 3))
        on_event(Event("stage", "composing"))
        on_event(Event("stage", "done"))
    assert out.getvalue().splitlines() == ["briefing: fetching articles (3 items)", "briefing: composing"]


def test_progress_quiet_gives_no_callback() -> None:
    with progress(quiet=True) as on_event:
        assert on_event is None


def test_cli_make_logs_stages_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Title line\n\nThe town library will open on Sundays from May, the council said on Monday.\n"
    )
    result = CliRunner().invoke(app, ["make", "-s", str(tmp_path), "--engine", "extractive"])
    assert result.exit_code == 0, result.output
    assert "briefing: extracting (1 item)" in result.stderr
    assert "briefing: composing" in result.stderr


def test_progress_stage_without_items_is_not_a_stuck_counter() -> None:
    out = _Terminal()
    with progress(stream=out) as on_event:
        assert on_event is not None
        on_event(Event("stage", "extracting", 0, 5))
        on_event(Event("chunk", "S1#0", 5, 5))
        on_event(Event("stage", "composing"))
        on_event(Event("chunk", "x", 0, 0))  # no total: nothing to count
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    last = [line for line in re.split(r"[\r\n]", shown) if "composing" in line]
    assert last and all("/5" not in line for line in last)
