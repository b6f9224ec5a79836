"""``--engine local``: a GGUF model run by llama.cpp, with no endpoint to configure.

The model runs in llama-cpp-python's OpenAI-compatible server, started as a
child process on a free loopback port for the length of the run, and the
ordinary LLM engine talks to it. Why a process and not ``Llama`` in-process:

* one code path: the local model gets the same prompts, validators, re-asks,
  cache and fallbacks as any endpoint, and its traffic is real HTTP that the
  integration test records as cassettes;
* ``Llama`` is not thread-safe; the server serialises requests itself;
* a crash in native code (the AMX kernels of a ``GGML_NATIVE`` build
  SIGSEGV on some CPUs) ends the child, not the user's process, and we report it.

The server is stopped by :meth:`LocalEngine.close`, the context manager, or,
failing those, when the engine is garbage-collected or the interpreter exits.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from briefing.engines.base import Composed, Engine, RunContext
from briefing.errors import InputError, LLMError, MissingExtraError
from briefing.models import Chunk, Claim, Disagreement, Point
from briefing.options import BriefOptions

# A base model has no chat template of its own; "chatml" keeps the system
# message (llama-cpp-python's "gemma" format silently drops it), and the
# forced tool's JSON grammar does the rest.
DEFAULT_CHAT_FORMAT = "chatml"
DEFAULT_N_CTX = 4096
STARTUP_TIMEOUT = 120.0
# Bounds for what a local server may generate. A small model inside a JSON
# grammar can keep one string or list going until the context is full; with
# every string and list bounded the grammar itself ends the answer, and
# max_tokens is the backstop (worst case ~3 claims x 5 strings x 160 chars).
DEFAULT_MAX_TOKENS = 640
MAX_STRING_CHARS = 160
MAX_LIST_ITEMS = 3
# An instruct model (Qwen) answers in the same bounded grammar, with room for a few more claims.
INSTRUCT_MAX_TOKENS = 900
INSTRUCT_MAX_ITEMS = 5
# Qwen's context is 32k; 8k holds any prompt the engine sizes for it at a fraction of the memory.
INSTRUCT_N_CTX = 8192
# Tool -> list property a local model may not leave empty. Gemma 3 270M,
# told its invented quotes are not in the article, answers {"claims": []},
# which is valid and would silently leave the chunk out of the brief. Made
# to answer with at least one claim, it either quotes the article or runs
# out of re-asks, and the chunk falls back to the extractive engine.
NON_EMPTY = {"ChunkClaims": "claims"}


def require_llama_cpp() -> None:
    """Raise MissingExtraError unless llama-cpp-python and its server extra are importable."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise MissingExtraError("local", "llama_cpp")
    for module in ("fastapi", "uvicorn", "sse_starlette", "starlette_context"):
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError("local", f"llama-cpp-python[server] ({module})")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop_process(proc: subprocess.Popen[bytes], log: IO[bytes] | None, temp_log: Path | None) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if log is not None:
        log.close()
    if temp_log is not None:
        temp_log.unlink(missing_ok=True)


class LlamaServer:
    """``python -m llama_cpp.server`` serving one GGUF on 127.0.0.1 until :meth:`stop`.

    >>> with LlamaServer(path) as server:  # doctest: +SKIP
    ...     OpenAI(base_url=server.base_url, api_key="local")
    """

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        chat_format: str | None = DEFAULT_CHAT_FORMAT,
        n_threads: int | None = None,
        port: int | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
        log_path: Path | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.alias = self.model_path.stem
        self.n_ctx = n_ctx
        self.chat_format = chat_format
        self.n_threads = n_threads
        self.port = port
        self.startup_timeout = startup_timeout
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None
        self._temp_log: Path | None = None
        self._finalizer: weakref.finalize[Any, LlamaServer] | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("server not started")
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        cmd = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path),
            "--model_alias", self.alias,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", str(self.n_ctx),
            # The server default keeps logits for every prompt position; with
            # Gemma's 262k vocabulary that is ~1 MB per token of wasted work.
            "--logits_all", "false",
        ]  # fmt: skip
        if self.chat_format:
            cmd += ["--chat_format", self.chat_format]
        if self.n_threads:
            cmd += ["--n_threads", str(self.n_threads)]
        return cmd

    def start(self) -> str:
        """Start the server and wait until it answers ``/v1/models``; returns the base URL."""
        if self._proc is not None and self._proc.poll() is None:
            return self.base_url
        require_llama_cpp()
        if not self.model_path.is_file():
            raise InputError(f"model file not found: {self.model_path}")
        self.port = self.port or free_port()
        # The server's log goes to a file, never a pipe: an unread pipe fills
        # up and blocks the server mid-request.
        temp_log: Path | None = None
        if self.log_path is not None:
            log: IO[bytes] = self.log_path.open("wb")
        else:
            # Ours to delete when the server stops; a start-up failure quotes its tail first.
            log = tempfile.NamedTemporaryFile(prefix="briefing-llama-", suffix=".log", delete=False)  # noqa: SIM115
            temp_log = self.log_path = self._temp_log = Path(log.name)
        env = dict(os.environ)
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # don't spin idle threads on a shared CPU
        self._proc = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
        self._finalizer = weakref.finalize(self, _stop_process, self._proc, log, temp_log)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self.base_url

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        url = self.base_url + "/models"
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise LLMError(
                    f"the llama.cpp server exited with code {code} while loading {self.model_path.name}: "
                    f"{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise LLMError(
            f"the llama.cpp server did not start within {self.startup_timeout:.0f}s: {self.log_tail()}"
        )

    def log_tail(self, lines: int = 3) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        tail = self.log_path.read_text(errors="replace").strip().splitlines()[-lines:]
        return " | ".join(tail) or "(empty log)"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # idempotent: runs _stop_process at most once
            self._finalizer = None
        self._proc = None
        if self._temp_log is not None:  # deleted by _stop_process
            self.log_path = self._temp_log = None

    def __enter__(self) -> LlamaServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class LocalEngine:
    """The LLM engine over a llama.cpp server this engine starts on first use and owns."""

    name = "local"
    waits_on_server = True

    def __init__(self, options: BriefOptions, *, server: LlamaServer | None = None) -> None:
        require_llama_cpp()
        if server is None:
            from briefing.engines.local.model_files import default_model_path

            path = options.model_path or default_model_path()
            if not Path(path).is_file():
                raise InputError(f"model file not found: {path}")
            instruct = "instruct" in Path(path).name.lower()
            server = LlamaServer(Path(path), n_ctx=INSTRUCT_N_CTX if instruct else DEFAULT_N_CTX)
        self.options = options
        self.server = server
        self.model: str | None = server.alias
        self._inner: Engine | None = None
        self._client: Any = None
        # The pipeline asks for several stories' reconcile and compose at once: one server start.
        self._starting = threading.Lock()

    def _engine(self) -> Engine:
        with self._starting:
            return self._started()

    def _started(self) -> Engine:
        if self._inner is None:
            from briefing.engines.llm.engine import LLMEngine

            base_url = self.server.start()
            # An instruct model may give a few more claims per answer than the smoke-test base model.
            instruct = "instruct" in self.server.alias.lower()
            self._client = capped_client(
                base_url,
                timeout=self.options.timeout,
                max_tokens=INSTRUCT_MAX_TOKENS if instruct else DEFAULT_MAX_TOKENS,
                max_items=INSTRUCT_MAX_ITEMS if instruct else MAX_LIST_ITEMS,
            )
            local = local_options(
                self.options, base_url=base_url, model=self.server.alias, context=self.server.n_ctx
            )
            self._inner = LLMEngine(local, client=self._client)
        return self._inner

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        return self._engine().extract(chunks, run)

    def reconcile(self, claims: Sequence[Claim], run: RunContext) -> list[Disagreement] | None:
        return self._engine().reconcile(claims, run)

    def compose(
        self, points: Sequence[Point], disagreements: Sequence[Disagreement], run: RunContext
    ) -> Composed | None:
        return self._engine().compose(points, disagreements, run)

    def check_budget(self, chunks: Sequence[Chunk], run: RunContext) -> None:
        # A local model costs nothing per token; --max-cost has nothing to refuse.
        return None

    def close(self) -> None:
        """Stop the server (idempotent)."""
        if self._client is not None:
            from briefing.engines.llm.calls import run_sync

            client, self._client = self._client, None
            # On the engine's loop, where the client's connections live.
            run_sync(client.close())
        self.server.stop()

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def local_options(
    options: BriefOptions, *, base_url: str, model: str, context: int | None = None
) -> BriefOptions:
    """``options`` for the LLM engine against a local llama.cpp server."""
    # One model instance serves one request at a time: parallel requests
    # would only queue and run into the per-request timeout. TOOLS, because
    # the server builds its grammar from the forced tool and answers
    # response_format json_schema with HTTP 500.
    update: dict[str, object] = {
        "engine": "llm",
        "base_url": base_url,
        "model": model,
        "mode": "tools",
        "concurrency": 1,
        "local": True,
    }
    if context is not None:
        update["context_tokens"] = context
    return options.model_copy(update=update)


def bound_schema(schema: Any, *, max_string: int = MAX_STRING_CHARS, max_items: int = MAX_LIST_ITEMS) -> Any:
    """A copy of a JSON Schema whose strings and arrays have upper bounds, for grammar building.

    Only what the server's grammar allows changes; the response model that
    validates the answer is untouched, so a bounded answer validates exactly
    as an unbounded one would. Small integer ranges become enums because
    llama.cpp's schema converter ignores ``minimum``/``maximum``.
    """
    if isinstance(schema, list):
        return [bound_schema(v, max_string=max_string, max_items=max_items) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: bound_schema(v, max_string=max_string, max_items=max_items) for k, v in schema.items()}
    if "properties" in schema:  # property names are not schemas
        out["properties"] = {
            name: bound_schema(sub, max_string=max_string, max_items=max_items)
            for name, sub in schema["properties"].items()
        }
    kind = schema.get("type")
    free = not any(k in schema for k in ("enum", "const", "pattern", "format"))
    if kind == "string" and free and "maxLength" not in schema:
        out["maxLength"] = max(max_string, schema.get("minLength", 0))
    elif kind == "array":
        out["maxItems"] = max(min(max_items, schema.get("maxItems", max_items)), schema.get("minItems", 0))
    elif kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if isinstance(low, int) and isinstance(high, int) and 0 <= high - low <= 20:
            out["enum"] = list(range(low, high + 1))
    return out


def _local_parameters(function: dict[str, Any], max_items: int = MAX_LIST_ITEMS) -> dict[str, Any]:
    parameters: dict[str, Any] = bound_schema(function["parameters"], max_items=max_items)
    field = NON_EMPTY.get(str(function.get("name")))
    prop = parameters.get("properties", {}).get(field) if field else None
    if isinstance(prop, dict) and prop.get("type") == "array":
        prop["minItems"] = max(1, prop.get("minItems", 0))
    return parameters


def capped_client(
    base_url: str,
    *,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    timeout: float = 120.0,
    http_client: Any = None,
    max_items: int = MAX_LIST_ITEMS,
) -> Any:
    """An ``openai.AsyncOpenAI`` for a local grammar-constrained server.

    Chat requests get ``max_tokens`` when they carry none (llama-cpp-python
    otherwise generates until the context is full) and the forced tool's
    parameters go through :func:`bound_schema`, so the grammar built from
    them ends the answer (and :data:`NON_EMPTY` lists may not be empty).
    llama-cpp-python reports a tool call cut by ``max_tokens`` as
    finish_reason "tool_calls", not "length": such an answer arrives as
    malformed JSON and is re-asked, then falls back.
    """
    import openai

    class _CappedAsyncOpenAI(openai.AsyncOpenAI):
        async def _prepare_options(self, options: Any) -> Any:
            body = options.json_data
            if isinstance(body, dict) and str(options.url).endswith("/chat/completions"):
                body.setdefault("max_tokens", max_tokens)
                for tool in body.get("tools") or []:
                    function = tool.get("function") if isinstance(tool, dict) else None
                    if isinstance(function, dict) and isinstance(function.get("parameters"), dict):
                        function["parameters"] = _local_parameters(function, max_items)
            return await super()._prepare_options(options)

    # Transport retries are off here as in the LLM engine's own client: its
    # shared backoff retries, instructor re-asks.
    if http_client is None:
        import httpx2

        from briefing.engines.llm.transport import ssl_context

        http_client = httpx2.AsyncClient(verify=ssl_context())
    return _CappedAsyncOpenAI(
        base_url=base_url, api_key="local", max_retries=0, timeout=timeout, http_client=http_client
    )
