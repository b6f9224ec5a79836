"""Small things a new user meets first: --version, plurals, the sources listing, an unsupported file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing import __version__
from briefing.cli import _summary, app
from briefing.models import Brief, Citation, Disagreement, Meta, SourceRef, Statement, Usage
from briefing.render.markdown import render_markdown
from briefing.text import plural

runner = CliRunner()

ARTICLE = (
    "Tram line extension opens\n\n"
    "Source: Metro Gazette\n\n"
    "The city opened a four kilometre extension of its tram line on Saturday after two years of work.\n"
    "Trams will run every six minutes at peak hours on the new section, the operator said.\n"
)


@pytest.fixture
def one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "tram.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    return folder


def test_cli_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"briefing {__version__}\n"


def test_make_summary_says_1_source_and_1_file_skipped(one: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(one)])
    assert result.exit_code == 0, result.output
    assert "made brief: 1 source, 1 chunk, " in result.stderr
    assert "1 sources" not in result.stderr + result.stdout
    assert " 1 source · " in result.stdout
    assert "1 file skipped" in result.stdout


def _brief(sources: int, disagreements: int, **meta: object) -> Brief:
    refs = [SourceRef(id=f"S{i}", path=f"{i}.txt") for i in range(1, sources + 1)]
    side = Statement(text="x", citations=[Citation(source="S1", quote="x", start=0, end=1)])
    return Brief(
        title="t",
        generated_at=datetime(2026, 1, 2, tzinfo=UTC),
        sources=refs,
        disagreements=[Disagreement(topic="t", positions=[side, side]) for _ in range(disagreements)],
        meta=Meta.model_validate({"engine": "extractive", **meta}),
    )


def test_summary_uses_singular_for_one() -> None:
    summary = _summary(_brief(1, 1, chunks=1, claims=1, words=1))
    assert summary == "made brief: 1 source, 1 chunk, 1 claim, 1 disagreement, 1 word"


def test_summary_uses_plural_for_zero_and_many() -> None:
    summary = _summary(_brief(2, 0, chunks=3, claims=0, words=40))
    assert summary == "made brief: 2 sources, 3 chunks, 0 claims, 0 disagreements, 40 words"


def test_summary_llm_usage_counts_use_plurals() -> None:
    brief = _brief(2, 1, chunks=2, claims=5, words=9, claims_rejected=1, chunks_fallback=1)
    brief.meta.engine = "llm"
    brief.meta.usage = Usage(calls=1, cache_hits=1, prompt_tokens=10, completion_tokens=1, cost_usd=0.0)
    summary = _summary(brief)
    assert "1 call, 1 cache hit, 10+1 token, $0.0000" in summary
    assert "1 claim rejected" in summary and "1 chunk fell back to extractive" in summary


def test_render_markdown_header_says_1_source() -> None:
    assert "· 1 source ·" in render_markdown(_brief(1, 0))
    assert "· 2 sources ·" in render_markdown(_brief(2, 0))


def test_plural_regular_and_irregular() -> None:
    assert plural(1, "source") == "1 source"
    assert plural(0, "source") == "0 sources"
    assert plural(2, "entry", "entries") == "2 entries"


def test_sources_tsv_starts_with_a_header_row(one: Path) -> None:
    result = runner.invoke(app, ["sources", str(one), "--format", "tsv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "id\tpath\ttitle\toutlet\tdate\tchars\tnote"
    assert lines[1].startswith("S1\ttram.txt\tTram line extension opens\tMetro Gazette\t")
    assert lines[2] == "-\tnotes.docx\t\t\t\t\tskipped: unsupported file type .docx"


def test_sources_default_output_to_a_pipe_is_tsv_with_header(one: Path) -> None:
    result = runner.invoke(app, ["sources", str(one)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "id\tpath\ttitle\toutlet\tdate\tchars\tnote"


def test_sources_table_has_a_header_row(one: Path) -> None:
    result = runner.invoke(app, ["sources", str(one), "--format", "table"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "path" in line)
    assert [cell.strip() for cell in header.strip("┃│ ").split("┃")][:3] == ["id", "path", "title"]
    assert "tram.txt" in result.stdout


def test_sources_table_does_not_interpret_markup_in_titles(tmp_path: Path) -> None:
    body = "The city opened a four kilometre extension of its tram line on Saturday after two years of work."
    (tmp_path / "m.txt").write_text(f"[red]Hot[/] news\n\n{body}\n", encoding="utf-8")
    result = runner.invoke(app, ["sources", str(tmp_path), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "[red]Hot[/] news" in result.stdout


@pytest.mark.parametrize("command", ["make", "sources"])
def test_single_unsupported_file_says_the_type_is_unsupported(one: Path, command: str) -> None:
    args = (
        ["make", "--sources", str(one / "notes.docx")]
        if command == "make"
        else ["sources", str(one / "notes.docx")]
    )
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("briefing: error: ")
    assert "notes.docx: unsupported file type .docx (supported: .txt .md .html .htm .pdf)" in lines[0]


def test_footer_fallback_count_uses_singular_for_one_chunk() -> None:
    from briefing.render._common import footer_parts

    one = Meta(engine="llm", chunks=1, chunks_fallback=1, fallback_reasons={"timeout": 1})
    assert "1 of 1 chunk used the extractive fallback (timeout: 1)" in footer_parts(one)
    unknown = Meta(engine="llm", chunks_fallback=1)
    assert "1 chunk used the extractive fallback" in footer_parts(unknown)
    many = Meta(engine="llm", chunks=10, chunks_fallback=2, skipped=[], points_trimmed=1)
    parts = footer_parts(many)
    assert "2 of 10 chunks used the extractive fallback" in parts
    assert "1 key point left out to fit one page" in parts
