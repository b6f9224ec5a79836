"""On-disk cache of LLM responses, so a re-run of the same brief costs nothing.

A cache must never be the reason a brief fails: a corrupted file is moved
aside and rebuilt, and a database that cannot be used at all (read-only
directory, locked by another process) turns the cache off with a warning.
Values are JSON text written by the caller; nothing is pickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

ENV_DIR = "BRIEFING_CACHE_DIR"
FILE_NAME = "responses.sqlite3"
_BUSY_TIMEOUT_MS = 5000


class CacheStats(BaseModel):
    entries: int
    bytes: int
    path: str | None


def default_path() -> Path:
    """``$BRIEFING_CACHE_DIR/responses.sqlite3``, else the user's cache dir."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser() / FILE_NAME
    import platformdirs

    return platformdirs.user_cache_path("briefing") / FILE_NAME


def _json_default(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return str(value)


def cache_path(cache_dir: Path | None) -> Path:
    """The cache file for ``BriefOptions.cache_dir`` — one rule for the engine and ``briefing cache``."""
    return cache_dir / FILE_NAME if cache_dir is not None else default_path()


class ResponseCache:
    """A small sqlite key/value store, safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.warnings: list[str] = []
        # One connection guarded by a lock: calls are few and short compared with LLM latency.
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._open()

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    @staticmethod
    def key(payload: Mapping[str, object]) -> str:
        """sha256 of the canonical JSON of everything that changes the response."""
        text = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # -- opening and recovery -------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            # WAL lets readers and a writer overlap; some filesystems refuse it, which is no reason
            # to lose the cache (a corrupt file fails the table check below instead).
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, created REAL, value TEXT)"
            )
            # Touch the table: a file with a valid header but broken pages fails here.
            conn.execute("SELECT count(*) FROM responses").fetchone()
            conn.commit()
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> None:
        try:
            self._conn = self._connect()
            return
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc):
                self._disable(f"response cache disabled ({self.path}: {exc})")
                return
            first_error: Exception = exc
        except OSError as exc:
            self._disable(f"response cache disabled ({self.path}: {exc})")
            return
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._conn = self._connect()
        except (OSError, sqlite3.Error) as exc:
            self._disable(f"response cache disabled ({self.path} is unreadable: {first_error}; {exc})")
            return
        self.warnings.append(f"response cache was corrupted ({first_error}); moved it to {aside}")

    def _disable(self, message: str) -> None:
        self._conn = None
        self.warnings.append(message)

    def _failed(self, action: str, exc: sqlite3.Error) -> None:
        # Warn once per kind of failure; a locked database would otherwise warn per call.
        message = f"response cache {action} failed: {exc}"
        if message not in self.warnings:
            self.warnings.append(message)

    # -- operations -------------------------------------------------------------

    def get(self, key: str) -> str | None:
        with self._lock:
            if self._conn is None:
                return None
            try:
                row = self._conn.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._failed("read", exc)
                return None
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        with self._lock:
            if self._conn is None:
                return
            try:
                self._conn.execute(
                    "INSERT OR REPLACE INTO responses (key, created, value) VALUES (?, ?, ?)",
                    (key, time.time(), value),
                )
                self._conn.commit()
            except sqlite3.Error as exc:
                self._rollback()
                self._failed("write", exc)

    def clear(self) -> int:
        """Remove every entry; returns how many were removed."""
        with self._lock:
            if self._conn is None:
                return 0
            try:
                removed = self._conn.execute("DELETE FROM responses").rowcount
                self._conn.commit()
            except sqlite3.Error as exc:
                self._rollback()
                self._failed("clear", exc)
                return 0
        return max(0, removed)

    def stats(self) -> CacheStats:
        with self._lock:
            if self._conn is None:
                return CacheStats(entries=0, bytes=0, path=str(self.path))
            try:
                entries, size = self._conn.execute(
                    "SELECT count(*), coalesce(sum(length(value)), 0) FROM responses"
                ).fetchone()
            except sqlite3.Error as exc:
                self._failed("stats", exc)
                return CacheStats(entries=0, bytes=0, path=str(self.path))
        return CacheStats(entries=int(entries), bytes=int(size), path=str(self.path))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rollback(self) -> None:
        assert self._conn is not None
        with contextlib.suppress(sqlite3.Error):
            self._conn.rollback()


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    """Whether the file itself is bad (rebuild it) rather than busy or unwritable (leave it)."""
    # sqlite raises plain DatabaseError for "file is not a database" and "disk image is
    # malformed"; locks and permissions come as OperationalError.
    return not isinstance(exc, sqlite3.OperationalError)
