"""The command line, the Typer way: CliRunner, exit codes, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()

ARTICLE_A = """Harbour bridge reopens after repairs

Source: Coastal Times

The city reopened the Harbour Bridge on Monday after eight months of repairs costing 120 million dollars.
Engineers replaced 40 steel cables and resurfaced the entire deck, the transport department said.
Traffic on the bridge is expected to return to 60,000 vehicles a day within a month, officials said.
"""
ARTICLE_B = """Bridge back in service

The city reopened the Harbour Bridge on Monday after eight months of repairs costing 120 million dollars.
Engineers replaced 40 steel cables and resurfaced the entire deck, the transport department said.
Cyclists will get a separated lane on the northern side of the bridge from next year, planners said.
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (news / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (news / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    return news


def test_make_writes_markdown(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = runner.invoke(app, ["make", "--sources", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "## Bottom line" in text and "## Sources" in text
    assert "[1]" in text and "[2]" in text
    assert "engine: extractive" in result.stderr
    assert "skipped notes.docx: unsupported file type .docx" in result.stderr


def test_make_says_how_to_configure_an_llm(folder: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(folder)])
    assert result.exit_code == 0
    assert "OPENAI_API_KEY" in result.stderr and "--base-url" in result.stderr
    assert "## Bottom line" in result.stdout


def test_make_json_citations_match_source_text(folder: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(folder), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    listing = runner.invoke(app, ["sources", str(folder), "--format", "json", "--text"])
    texts = {s["id"]: s["text"] for s in json.loads(listing.stdout)["sources"]}
    statements = brief["bottom_line"] + brief["key_points"]
    statements += [p for d in brief["disagreements"] for p in d["positions"]]
    assert statements
    for statement in statements:
        assert statement["citations"]
        for c in statement["citations"]:
            assert texts[c["source"]][c["start"] : c["end"]] == c["quote"]
    assert brief["meta"]["skipped"] == [{"path": "notes.docx", "reason": "unsupported file type .docx"}]


def test_make_missing_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("briefing: error: ")
    assert "Traceback" not in result.output


def test_make_empty_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["make", "--sources", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert "error" in result.stderr


def test_make_pdf_to_a_pipe_writes_pdf_bytes(folder: Path) -> None:
    pytest.importorskip("weasyprint")
    result = runner.invoke(app, ["make", "--sources", str(folder), "--format", "pdf", "-q"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"%PDF")


def test_make_does_not_touch_existing_output_on_error(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("yesterday's brief", encoding="utf-8")
    result = runner.invoke(app, ["make", "--sources", str(tmp_path / "nope"), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "yesterday's brief"


def test_make_bad_option_value_is_a_usage_error(folder: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(folder), "--max-words", "5"])
    assert result.exit_code == 2
    assert "max_words" in result.stderr


def test_sources_lists_used_and_skipped(folder: Path) -> None:
    result = runner.invoke(app, ["sources", str(folder)])
    assert result.exit_code == 0
    assert "a.txt" in result.stdout and "b.txt" in result.stdout
    assert "unsupported file type .docx" in result.stdout


def test_sources_json_hides_text_unless_asked(folder: Path) -> None:
    plain = json.loads(runner.invoke(app, ["sources", str(folder), "--format", "json"]).stdout)
    assert "text" not in plain["sources"][0]
    assert plain["sources"][0]["chars"] > 0
    full = json.loads(runner.invoke(app, ["sources", str(folder), "--format", "json", "--text"]).stdout)
    assert full["sources"][0]["text"].startswith("Harbour bridge reopens")


def test_every_command_has_help() -> None:
    for command in ["make", "sources", "cache", "slack", "eval"]:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.stdout


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from briefing.cli import app\n"
        "CliRunner().invoke(app, ['--help'])\n"
        "CliRunner().invoke(app, ['make', '--help'])\n"
        "heavy = [m for m in ('openai', 'instructor', 'weasyprint', 'slack_sdk', 'slack_bolt', 'llama_cpp',"
        " 'trafilatura') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_briefing_is_light() -> None:
    code = (
        "import sys, briefing\n"
        "print([m for m in ('openai', 'instructor', 'weasyprint', 'slack_sdk') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
