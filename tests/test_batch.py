"""make --batch: extraction through the OpenAI Batch API of the fake server; collect later; failures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.engines.llm.batch import BatchEngine, BatchJobSpec, custom_id
from briefing.engines.llm.usage import BATCH_DISCOUNT, estimate_batch_cost, estimate_cost
from briefing.options import BriefOptions
from briefing.pipeline import make_brief
from briefing.testing.fakeserver import FakeOpenAIServer

ARTICLES = {
    "a.txt": "Quay works\n\nThe eastern quay at Brell will reopen on 4 May after repairs costing "
    "2.1 million, "
    "the harbour board said on Friday.\n\nDredging of the channel will start in June and take about "
    "eight weeks, according to the board's published plan.\n",
    "b.txt": "Brell quay\n\nThe eastern quay at Brell will reopen on 11 May, a week later than planned, the "
    "contractor told the town council on Thursday.\n\nThe council set aside 300,000 for temporary moorings "
    "while the quay is closed.\n",
    "c.txt": "Ferry notes\n\nThe evening ferry from Brell to the islands will run twice a day from June, the "
    "operator announced, up from once a day last summer.\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    for name, text in ARTICLES.items():
        (root / name).write_text(text)
    return root


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(model="gpt-4o-mini") as s:
        yield s


def _options(server: FakeOpenAIServer, tmp_path: Path) -> BriefOptions:
    return BriefOptions(
        engine="llm", base_url=server.base_url, model="gpt-4o-mini", cache=False, cache_dir=tmp_path / "cache"
    )


def _cli(server: FakeOpenAIServer, tmp_path: Path, *args: str) -> list[str]:
    return [*args, "--base-url", server.base_url, "--model", "gpt-4o-mini", "--no-cache", "--poll", "0.01"]


def test_batch_extracts_through_the_batch_api_at_half_price(
    server: FakeOpenAIServer, folder: Path, tmp_path: Path
) -> None:
    options = _options(server, tmp_path)
    engine = BatchEngine(options, api_key="k", job=BatchJobSpec(sources=str(folder)), poll_seconds=0.01)
    try:
        brief = make_brief(folder, options, engine=engine)
    finally:
        engine.close()
    # A loopback endpoint is first asked what it can take (/props, /v1/models); then the batch.
    paths = [r.path for r in server.requests if r.path not in ("/props", "/v1/models")]
    assert paths[:2] == ["/v1/files", "/v1/batches"]
    assert any(p.endswith("/content") for p in paths)
    # Only reconcile and compose went as ordinary calls; every extraction went in the batch.
    assert len(server.completions) == 2
    assert brief.meta.engine == "llm-batch" and brief.meta.chunks_fallback == 0
    assert brief.meta.claims > 0 and brief.key_points
    upload = server.batch.files["file-fake1"][1].decode().splitlines()
    assert len(upload) == brief.meta.chunks
    line = json.loads(upload[0])
    assert (
        line["url"] == "/v1/chat/completions"
        and line["body"]["tools"][0]["function"]["name"] == "ChunkClaims"
    )
    u = brief.meta.usage
    assert u.calls == brief.meta.chunks + 2
    assert u.cost_usd is not None
    full = estimate_cost("gpt-4o-mini", u.prompt_tokens, u.completion_tokens)
    assert full is not None and u.cost_usd < full  # the batch part at half price


def test_batch_price_is_the_discount() -> None:
    full = estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000)
    assert full is not None
    assert estimate_batch_cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(full * BATCH_DISCOUNT)
    assert BATCH_DISCOUNT == 0.5


def test_custom_id_changes_with_the_chunk_text() -> None:
    from briefing.models import Chunk

    a = Chunk(id="S1#0", source_id="S1", index=0, start=0, end=3, text="abc")
    b = a.model_copy(update={"text": "abd"})
    assert custom_id(a).startswith("S1#0~") and custom_id(a) != custom_id(b)


def test_no_wait_prints_the_id_then_collect_finishes(
    server: FakeOpenAIServer, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "brief.md"
    runner = CliRunner()
    first = runner.invoke(
        app, _cli(server, tmp_path, "make", "-s", str(folder), "--batch", "--no-wait", "-o", str(out))
    )
    assert first.exit_code == 0, first.output
    batch_id = first.stdout.strip()
    assert batch_id.startswith("batch_") and not out.exists()
    state = json.loads((tmp_path / "cache" / "batches" / f"{batch_id}.json").read_text())
    assert state["output"] == str(out) and state["requests"] == 3
    second = runner.invoke(app, ["batch", "collect", batch_id, "--poll", "0.01"])
    assert second.exit_code == 0, second.output
    assert "extraction billed at the Batch API's half price" in second.output
    assert out.read_text().startswith("# ")
    assert [p for (p,) in [(r.path,) for r in server.requests] if p == "/v1/batches"] == ["/v1/batches"]


def test_failed_batch_is_one_line_error(server: FakeOpenAIServer, folder: Path, tmp_path: Path) -> None:
    server.batch.outcome = "failed"
    result = CliRunner().invoke(app, _cli(server, tmp_path, "make", "-s", str(folder), "--batch"))
    assert result.exit_code == 3
    assert "failed (invalid_request: the input file failed validation)" in result.output
    assert "Traceback" not in result.output


def test_expired_batch_keeps_answers_and_falls_back_for_the_rest(
    server: FakeOpenAIServer, folder: Path, tmp_path: Path
) -> None:
    server.batch.outcome = "expired"
    server.batch.expire_after = 1
    result = CliRunner().invoke(
        app, _cli(server, tmp_path, "make", "-s", str(folder), "--batch", "-f", "json")
    )
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["meta"]["chunks_fallback"] == 2
    assert brief["meta"]["fallback_reasons"] == {"batch request failed (batch_expired)": 2}
    assert any("expired: 2 of 3 chunks" in w for w in brief["meta"]["warnings"])


def test_collect_unknown_id_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["batch", "collect", "batch_nope"])
    assert result.exit_code == 2 and "no batch job batch_nope" in result.output


def test_ctrl_c_while_waiting_names_the_job_to_collect(
    server: FakeOpenAIServer, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.engines.llm.batch as batch_module

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module.time, "sleep", interrupted)
    result = CliRunner().invoke(app, _cli(server, tmp_path, "make", "-s", str(folder), "--batch"))
    assert result.exit_code == 130
    assert "keeps running: finish it with: briefing batch collect batch_fake2" in result.output


def test_collect_after_an_article_changed_does_not_use_the_old_answer(
    server: FakeOpenAIServer, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    first = runner.invoke(app, _cli(server, tmp_path, "make", "-s", str(folder), "--batch", "--no-wait"))
    assert first.exit_code == 0, first.output
    (folder / "c.txt").write_text(ARTICLES["c.txt"].replace("twice a day", "three times a day"))
    second = runner.invoke(app, ["batch", "collect", first.stdout.strip(), "--poll", "0.01", "-q"])
    assert second.exit_code == 0, second.output
    assert "1 of 3 chunks used the extractive fallback (no answer in batch: 1)" in second.stdout


def test_max_cost_uses_the_batch_price(server: FakeOpenAIServer, folder: Path, tmp_path: Path) -> None:
    from briefing.engines.llm.engine import LLMEngine
    from briefing.errors import CostLimitError

    def refuses(engine: LLMEngine) -> str | None:
        try:
            make_brief(folder, options, engine=engine)
        except CostLimitError as exc:
            return str(exc)
        finally:
            engine.close()
        return None

    options = _options(server, tmp_path).model_copy(
        update={"model": "priced", "prices": {"priced": (4000.0, 4000.0)}, "max_cost": 0.0}
    )
    message = refuses(LLMEngine(options, api_key="k"))
    assert message is not None
    standard = float(message.split("$")[1].split()[0])
    # Between the batch estimate (half) and the standard one: only the batch run may start.
    options = options.model_copy(update={"max_cost": standard * 0.75})
    assert refuses(LLMEngine(options, api_key="k")) is not None
    assert refuses(BatchEngine(options, api_key="k", poll_seconds=0.01)) is None
