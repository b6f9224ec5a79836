"""Where ``--output`` goes, decided before any work is done.

A regular file is replaced atomically (a reader only ever sees the old or the
complete new brief). Anything else is never replaced: a symlink is written
through to what it points at (the link stays a link); a character device, a
FIFO or a ``/dev/stdout``-style path is opened and written in place, never
renamed or chmod-ed; ``-`` is standard output. Other kinds (directories,
sockets, block devices) are refused with a one-line message (exit 6).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.atomic import write_atomic
from briefing.errors import InputError, OutputError

Kind = Literal["stdout", "replace", "stream", "fd"]

# Formats a file name implies (longest suffix first: brief.slack.json is Slack, not JSON).
EXTENSIONS: tuple[tuple[str, str], ...] = (
    (".slack.json", "slack"),
    (".markdown", "md"),
    (".md", "md"),
    (".txt", "md"),
    (".json", "json"),
    (".html", "html"),
    (".htm", "html"),
    (".pdf", "pdf"),
)


@dataclass(frozen=True)
class OutputTarget:
    """A checked destination: how to write, and the path to show the user."""

    kind: Kind
    path: Path | None = None  # what is written (a symlink's target for "replace")
    shown: str = "-"
    fd: int | None = None  # an inherited descriptor (/dev/stdout, /dev/fd/3)

    def write(self, data: str | bytes) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        if self.kind == "stdout":
            sys.stdout.flush()
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        elif self.kind == "fd":
            assert self.fd is not None
            if self.fd == 1:
                sys.stdout.flush()
            _write_all(self.fd, payload, self.shown)
        elif self.kind == "replace":
            assert self.path is not None
            write_atomic(self.path, payload)
        else:
            assert self.path is not None
            _write_in_place(self.path, payload, self.shown)


def format_from_name(name: str) -> str | None:
    """The format a file name implies, or None when its extension says nothing."""
    lower = name.lower()
    for suffix, fmt in EXTENSIONS:
        if lower.endswith(suffix):
            return fmt
    return None


def choose_format(explicit: str | None, output: str | None) -> str:
    """``--format`` if given (and consistent with ``-o``), else the ``-o`` extension, else markdown."""
    implied = format_from_name(output) if output not in (None, "-") else None
    if explicit is not None:
        if implied is not None and implied != explicit and not (explicit == "slack" and implied == "json"):
            raise InputError(
                f"--format {explicit} does not match the output file's extension "
                f"({Path(str(output)).name} is {implied}); drop one of them"
            )
        return explicit
    if output in (None, "-"):
        return "md"
    if implied is None:
        suffix = Path(str(output)).suffix
        raise InputError(
            f"cannot tell the format from '{suffix or 'no extension'}'; "
            "use --format md|json|html|pdf|slack or an .md/.json/.html/.pdf name"
        )
    return implied


def resolve_output(raw: str) -> OutputTarget:
    """Check ``--output`` before any work: where and how the brief will be written."""
    if raw == "":
        raise OutputError("--output is empty; give a file name, or - for standard output")
    if raw == "-":
        return OutputTarget("stdout")
    path = Path(raw)
    shown = raw
    try:
        st = os.stat(path)  # follows symlinks: what a write would reach
    except FileNotFoundError:
        return _new_file(path, shown)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(f"cannot write {shown}: symbolic link loop") from None
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    fd = _inherited_fd(path)
    if fd is not None:
        return OutputTarget("fd", path, shown, fd)
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return OutputTarget("stream", path, shown)
    if stat.S_ISREG(st.st_mode):
        real = Path(os.path.realpath(path))
        if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {shown}: permission denied")
        return OutputTarget("replace", real, shown)
    kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file, FIFO or character device"
    raise OutputError(f"cannot write {shown}: it is {kind}")


def _new_file(path: Path, shown: str) -> OutputTarget:
    if path.is_symlink():  # a dangling link: create what it names, keep the link
        real = Path(os.path.realpath(path))
        return _new_file(real, shown) if real != path else OutputTarget("replace", real, shown)
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {shown}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {shown}: permission denied in {parent}")
    return OutputTarget("replace", path, shown)


def _inherited_fd(path: Path) -> int | None:
    """N for /dev/stdout, /dev/fd/N, /proc/self/fd/N (or a link to one), else None.

    Such a path is the caller's open descriptor (a tty, a pipe, or a file the shell
    opened with > or >>): write through the descriptor itself, so its offset and
    append mode are kept, and never reopen, truncate or replace what it names.
    """
    for p in [path, *_link_chain(path)]:
        text = str(p)
        for prefix in ("/proc/self/fd/", "/dev/fd/", f"/proc/{os.getpid()}/fd/"):
            if text.startswith(prefix) and text[len(prefix) :].isdigit():
                return int(text[len(prefix) :])
    return None


def _link_chain(path: Path, limit: int = 40) -> list[Path]:
    chain: list[Path] = []
    current = path
    for _ in range(limit):
        if not current.is_symlink():
            break
        target = Path(os.readlink(current))
        current = target if target.is_absolute() else current.parent / target
        chain.append(current)
    return chain


def _write_in_place(path: Path, payload: bytes, shown: str) -> None:
    """Write to a device, FIFO or inherited descriptor without creating, renaming or truncating it."""
    try:
        # O_NONBLOCK so that a FIFO nobody reads is an error, not a hang; cleared for the writes.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"cannot write {shown}: no process is reading this FIFO") from None
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        _write_all(fd, payload, shown)
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes, shown: str) -> None:
    view = memoryview(payload)
    try:
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
