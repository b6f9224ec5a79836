from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from briefing.engines.llm.cache import ResponseCache, default_path


def test_cache_put_get_roundtrip(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite3")
    assert cache.get("k") is None
    cache.put("k", '{"a": 1}')
    assert cache.get("k") == '{"a": 1}'
    cache.put("k", "v2")
    assert cache.get("k") == "v2"
    assert cache.warnings == []


def test_cache_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    ResponseCache(path).put("k", "v")
    assert ResponseCache(path).get("k") == "v"


def test_cache_key_is_canonical_sha256() -> None:
    k1 = ResponseCache.key({"model": "m", "messages": [{"role": "user", "content": "é"}], "t": 0.0})
    k2 = ResponseCache.key({"t": 0.0, "messages": [{"content": "é", "role": "user"}], "model": "m"})
    assert k1 == k2
    assert len(k1) == 64 and all(c in "0123456789abcdef" for c in k1)
    assert ResponseCache.key({"model": "m2"}) != ResponseCache.key({"model": "m"})


def test_cache_clear_and_stats(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite3")
    cache.put("a", "12345")
    cache.put("b", "678")
    stats = cache.stats()
    assert (stats.entries, stats.bytes, stats.path) == (2, 8, str(tmp_path / "c.sqlite3"))
    assert cache.clear() == 2
    assert cache.stats().entries == 0
    assert cache.get("a") is None


def test_cache_uses_wal_and_plain_text_table(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    ResponseCache(path).put("k", "v")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(responses)")]
    assert cols == [("key", "TEXT"), ("created", "REAL"), ("value", "TEXT")]
    conn.close()


def test_cache_corrupted_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"\x00garbage, not sqlite at all" * 200)
    cache = ResponseCache(path)
    assert cache.enabled
    cache.put("k", "v")
    assert cache.get("k") == "v"
    aside = list(tmp_path.glob("c.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"\x00garbage")
    assert any("corrupted" in w for w in cache.warnings)


def test_cache_unusable_location_degrades_to_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ResponseCache(blocker / "sub" / "c.sqlite3")  # parent is a file: cannot create
    assert not cache.enabled
    cache.put("k", "v")
    assert cache.get("k") is None
    assert cache.clear() == 0
    assert cache.stats().entries == 0
    assert cache.warnings and "disabled" in cache.warnings[0]


def test_cache_locked_database_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = ResponseCache(path)
    cache.put("a", "1")
    # Shorten the wait so the test is quick; another process holds the write lock.
    assert cache._conn is not None
    cache._conn.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(path, timeout=0.05)
    other.execute("BEGIN EXCLUSIVE")
    try:
        cache.put("b", "2")  # must not raise
    finally:
        other.rollback()
        other.close()
    assert any("write failed" in w for w in cache.warnings)
    cache.put("c", "3")  # usable again once the lock is gone
    assert cache.get("c") == "3"


def test_cache_is_safe_across_threads(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite3")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.put(f"{n}-{i}", str(i))
                assert cache.get(f"{n}-{i}") == str(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.stats().entries == 200


def test_cache_env_dir_overrides_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "envcache"))
    assert default_path() == tmp_path / "envcache" / "responses.sqlite3"
    cache = ResponseCache()
    cache.put("k", "v")
    assert (tmp_path / "envcache" / "responses.sqlite3").exists()
