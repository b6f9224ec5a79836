"""Write files so that a reader only ever sees the old file or the complete new one.

Ctrl-C, a full disk or a crash in a renderer must not leave half a brief
behind: the data goes to a temporary file in the same directory, is flushed
to disk, and only then replaces the target in one ``os.replace``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from briefing.errors import OutputError


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` (str is written as UTF-8) all at once.

    An existing file keeps its permission bits. On any exception, including
    KeyboardInterrupt, the temporary file is removed and the old file is left
    untouched; OS errors become :class:`OutputError` with a one-line message.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        old_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        old_mode = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc

    _remove_stale_temps(target)
    # The writer's pid is in the name, so a later run can tell a killed run's leftover
    # from a temp file another run is still writing.
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 lets the umask decide a new file's mode, as open() would.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if old_mode is not None:
            os.chmod(tmp, old_mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
        raise
    _fsync_dir(target.parent)


def _remove_stale_temps(target: Path) -> None:
    prefix = f".{target.name}."
    try:
        siblings = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in siblings:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_part = name[len(prefix) : -len(".tmp")].partition("-")[0]
        if not pid_part.isdigit() or _alive(int(pid_part)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but is someone else's
    return True


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable on POSIX; not possible (nor needed) everywhere.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
