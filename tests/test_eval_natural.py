"""`briefing eval --set natural`: an LLM endpoint evaluated beside the offline engine, on chosen events.

The corpus and its hand-read record are invented here (two outlets, one fair, a
stated cost that differs); the LLM endpoint is the replay server over a
hand-written cassette that holds only the server's model list, so every model
call is answered "not in the recording" and falls back, as with a partial
recording.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.evaluation import natural
from briefing.evaluation.natural import GoldRecord, Passage
from briefing.testing.replay import ReplayServer

CASSETTE = Path(__file__).resolve().parent / "cassettes" / "replay" / "handwritten_replay.yaml"
runner = CliRunner()

TEXTS = {
    "east.txt": (
        "Plumford Kettle Fair Opens\n\n"
        "The Plumford kettle fair opened on Saturday in the town square. "
        "Organisers said the new exhibition hall cost 40 million crowns to build. "
        "Thousands of visitors queued to see the copper kettles on the first morning. "
        "The fair runs for nine days and closes with a parade of steam whistles."
    ),
    "west.txt": (
        "Kettles Draw Crowds in Plumford\n\n"
        "Crowds filled the Plumford kettle fair when it opened on Saturday. "
        "The council said the new exhibition hall cost 65 million crowns to build. "
        "Stalls sold enamel kettles, brass spouts and whistling lids all day. "
        "The fair runs for nine days, the organisers said."
    ),
}


def _passage(file: str, sentence: str) -> Passage:
    start = TEXTS[file].index(sentence)
    end = start + len(sentence)
    digest = hashlib.sha256(TEXTS[file][start:end].encode("utf-8")).hexdigest()
    return Passage(file=file, start=start, end=end, quote_sha256=digest)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for event in ("plumford-fair", "plumford-other"):
        folder = tmp_path / "basil" / "clusters_txt" / event
        folder.mkdir(parents=True)
        for name, text in TEXTS.items():
            (folder / name).write_text(text, encoding="utf-8")
    cost = GoldRecord(
        id="invented-1",
        event="plumford-fair",
        part="tune",
        kind="number",
        conflict=True,
        a=_passage("east.txt", "the new exhibition hall cost 40 million crowns"),
        b=_passage("west.txt", "the new exhibition hall cost 65 million crowns"),
        what="the hall's cost",
    )
    events = [("basil", "plumford-fair", "tune"), ("basil", "plumford-other", "heldout")]
    monkeypatch.setattr(natural, "load_gold", lambda: ([cost], events))
    return tmp_path


def _summary(output: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return data


def test_eval_natural_llm_endpoint_on_chosen_events_beside_the_offline_engine(corpus: Path) -> None:
    args = ["eval", "--set", "natural", "--corpus", str(corpus), "--events", "plumford-fair"]
    offline = runner.invoke(app, args)
    endpoint = ["--model", "tiny-model", "--concurrency", "1", "--context-tokens", "4096", "--no-cache"]
    with ReplayServer(CASSETTE) as server:
        llm = runner.invoke(app, [*args, "--engine", "llm", "--base-url", server.base_url, *endpoint])
    assert offline.exit_code == 0, offline.output
    assert llm.exit_code == 0, llm.output
    # Only the chosen event was read, and only its part is reported.
    assert [p["events"] for p in _summary(offline.output)["parts"]] == [1]
    assert _summary(llm.output)["engine"] == "llm" and _summary(llm.output)["model"] == "tiny-model"
    assert "engine: llm (model tiny-model)" in llm.output
    # The eval used the endpoint it was given: the model calls reached the replay server, which
    # did not hold them; each fell back, and the report says so.
    assert server.misses and {m.call for m in server.misses} >= {"ChunkClaims"}
    assert "model calls that fell back" in llm.output and "not in the recording" in llm.output
    assert "fell back" not in offline.output
    # Every call fell back, so the LLM brief's findings are the offline engine's: the deterministic
    # pass reads all source text whatever the model did.
    assert _summary(llm.output)["parts"] == _summary(offline.output)["parts"]
    assert _summary(offline.output)["parts"][0]["found"] == 1


def test_eval_natural_refuses_an_event_not_in_the_set(corpus: Path) -> None:
    result = runner.invoke(
        app, ["eval", "--set", "natural", "--corpus", str(corpus), "--events", "plumford-fair,nowhere"]
    )
    assert result.exit_code == 2
    assert "not in the natural set: nowhere" in result.output


def test_eval_events_goes_with_the_natural_set(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--corpus", str(tmp_path), "--events", "plumford-fair"])
    assert result.exit_code == 2
    assert "--events goes with --set natural" in result.output


def test_eval_injected_names_a_missing_corpus_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-clusters"
    result = runner.invoke(app, ["eval", "--corpus", str(missing)])
    assert result.exit_code == 2
    assert f"{missing}: no such folder" in result.output
    assert "unexpected" not in result.output and "Traceback" not in result.output
