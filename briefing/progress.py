"""Progress on stderr for long runs: a live bar on a terminal, one line per stage otherwise.

Stages (``Event(kind="stage")``) name what is happening and, when known, how
many items it has; per-item events (``chunk``, ``item``, ``batch``) advance
the bar. A stage that reports no items shows a spinner, never a bar stuck
at 0 %. When stderr is not a terminal (cron, CI, a pipe), each stage is one
line, so a log says what happened without carriage-return noise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.run import Event

ITEM_KINDS = ("chunk", "item", "batch")


@contextmanager
def progress(quiet: bool = False, *, stream: Any = None) -> Iterator[Callable[[Event], None] | None]:
    """An ``on_event`` callback for the duration of the block (None when quiet)."""
    out = stream or sys.stderr
    if quiet:
        yield None
        return
    if not out.isatty():
        yield _LineReporter(out)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True, console=Console(file=out)) as bar:
        task = bar.add_task("starting", total=None)

        def on_event(event: Event) -> None:
            nonlocal task
            if event.kind == "stage":
                # A new task per stage: reset() cannot make a counted bar indeterminate again.
                bar.remove_task(task)
                task = bar.add_task(event.message, total=event.total or None, completed=event.done)
            elif event.kind in ITEM_KINDS and event.total:
                # Refreshed per item: a batch poll or a slow page can take longer than the auto refresh.
                bar.update(task, total=event.total, completed=event.done, refresh=True)

        yield on_event


class _LineReporter:
    """One line per stage, with its item count when known (no per-item noise in a log)."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def __call__(self, event: Event) -> None:
        if event.kind == "stage" and event.message != "done":
            plural = "s" if event.total != 1 else ""
            count = f" ({event.total} item{plural})" if event.total else ""
            print(f"briefing: {event.message}{count}", file=self.out, flush=True)
