from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from _render_samples import sample_brief, stmt

from briefing.errors import MissingExtraError
from briefing.models import Brief
from briefing.render import pdf as pdf_mod
from briefing.render.html import TEMPLATES_DIR
from briefing.render.pdf import make_fetcher, render_pdf, render_pdf_fitted

pypdf = pytest.importorskip("pypdf")


def pdf_pages(data: bytes) -> Any:
    return pypdf.PdfReader(io.BytesIO(data)).pages


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pdf_pages(data))


def test_render_pdf_two_sources_one_page() -> None:
    brief = sample_brief(2, 5)
    data = render_pdf(brief)
    assert data.startswith(b"%PDF")
    assert len(pdf_pages(data)) == 1
    text = pdf_text(data)
    assert "Floods in northern Italy have forced thousands from their homes." in text
    assert "Number of people evacuated (round 1)" in text
    assert "Sources" in text.replace("SOURCES", "Sources")
    assert "Key point 5" in text


@pytest.fixture(scope="module")
def big() -> tuple[Brief, bytes, Brief]:
    brief = sample_brief(30, 25, long_points=True, n_disagreements=3)
    data, fitted = render_pdf_fitted(brief)
    return brief, data, fitted


def test_render_pdf_thirty_sources_fits_one_page_by_trimming_points(big: tuple[Brief, bytes, Brief]) -> None:
    brief, data, fitted = big
    assert len(pdf_pages(data)) == 1
    text = pdf_text(data)
    for d in brief.disagreements:
        assert d.topic in text
    assert "The river is expected to fall by Friday." in text
    assert "[30]" in text and "XYZ Tasmania" in text
    # Lowest-priority points go first: the kept ones are a prefix.
    assert 0 < fitted.meta.points_trimmed < 25
    assert len(fitted.key_points) == 25 - fitted.meta.points_trimmed
    assert [s.text for s in fitted.key_points] == [s.text for s in brief.key_points[: len(fitted.key_points)]]
    assert "Key point 1:" in text and "Key point 25:" not in text
    assert f"{fitted.meta.points_trimmed} key points left out to fit one page" in text
    # The caller's brief is untouched.
    assert len(brief.key_points) == 25 and brief.meta.points_trimmed == 0


def test_render_pdf_shrinks_type_when_trimming_is_not_enough() -> None:
    # Many disagreements can't be trimmed; only a smaller type scale fits them.
    brief = sample_brief(12, 4, n_disagreements=11)
    data, fitted = render_pdf_fitted(brief)
    assert len(pdf_pages(data)) == 1
    text = pdf_text(data)
    assert "Number of people evacuated (round 11)" in text
    assert len(fitted.key_points) >= 3


def test_render_pdf_letter_and_a4_paper_sizes() -> None:
    letter = pdf_pages(render_pdf(sample_brief(2, 2), paper="letter"))[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    a4 = pdf_pages(render_pdf(sample_brief(2, 2)))[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_render_pdf_fetcher_serves_only_package_assets() -> None:
    fetcher = make_fetcher()
    css = fetcher.fetch((TEMPLATES_DIR / "brief.css").as_uri())
    assert b"--fs" in css.read()
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.woff",
        "file:///etc/passwd",
        (TEMPLATES_DIR / ".." / "html.py").as_uri(),
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_render_pdf_untrusted_markup_fetches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fetchers: list[Any] = []
    real = pdf_mod.make_fetcher

    def spy() -> Any:
        fetchers.append(real())
        return fetchers[-1]

    monkeypatch.setattr(pdf_mod, "make_fetcher", spy)
    brief = sample_brief(2, 2)
    evil = (
        'Officials <img src="http://127.0.0.1:9/x.png"> '
        '<link rel="stylesheet" href="file:///etc/passwd"> '
        "<script>document.write('pwned')</script> said so."
    )
    brief.key_points[0] = stmt(evil, "S1")
    brief.sources[0].url = "http://127.0.0.1:9/article"
    data = render_pdf(brief)
    assert fetchers, "the restricted fetcher was not used"
    assert [url for f in fetchers for url in f.requested] == []
    text = pdf_text(data)
    assert "<script>" in text and "pwned" in text  # shown as text, never run
    assert '<img src="http://127.0.0.1:9/x.png">' in text


def test_render_pdf_missing_weasyprint_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(MissingExtraError, match=r"briefing\[pdf\]"):
        render_pdf(sample_brief(2, 2))


def test_render_pdf_is_one_page_for_hundreds_of_sources() -> None:
    import re

    brief = sample_brief(300, 12, long_points=True, n_disagreements=6)
    ids = [s.id for s in brief.sources]
    brief.bottom_line[0] = stmt(brief.bottom_line[0].text, *ids, independent=300)
    brief.key_points[0] = stmt("The river crested near the dam on Tuesday.", "S246", "S247")
    data, fitted = render_pdf_fitted(brief)
    assert len(pdf_pages(data)) == 1
    raw_text = "".join(p.extract_text() for p in pdf_pages(data))
    # A marker never breaks across lines ("[246" / "]").
    assert re.search(r"\[\d+\s*\n\s*\]", raw_text) is None
    text = pdf_text(data)
    assert "[246]" in text
    assert "the full list is in the JSON output" in text
    assert any(w.startswith("the PDF lists ") and "of 300 sources" in w for w in fitted.meta.warnings)
    assert brief.meta.warnings == []  # the caller's brief is not changed


def test_render_pdf_cli_reports_what_fitting_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    news = tmp_path / "news"
    news.mkdir()
    towns = ["Arden", "Belmont", "Corvey", "Dunmore", "Elstow", "Farley", "Garth", "Hollin"]
    for i in range(60):
        town = f"{towns[i % 8]} {i}"
        (news / f"{i:02d}.txt").write_text(
            f"Report {i} from {town}\n\nThe council of {town} voted {i + 3} to {i % 5} on Monday to build "
            f"{i + 2} new schools by {2030 + i % 7}, the mayor of {town} said.\n"
        )
    out = tmp_path / "brief.pdf"
    result = CliRunner().invoke(app, ["make", "--sources", str(news), "-f", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pdf_pages(out.read_bytes())) == 1
    assert "warning: the PDF lists " in result.stderr and "of 60 sources" in result.stderr


def test_render_pdf_says_how_many_story_headlines_it_left_out() -> None:
    from briefing.models import StoryHeadline

    brief = sample_brief(30, 25, long_points=True, n_disagreements=3)
    more = [
        StoryHeadline(
            headline=f"Story {k}: the ferry service to the islands resumes after the winter storms",
            sources=[f"S{k % 30 + 1}"],
            independent_sources=1,
        )
        for k in range(200)
    ]
    brief = brief.model_copy(update={"more_stories": more})
    data, fitted = render_pdf_fitted(brief)
    assert len(pdf_pages(data)) == 1
    assert 0 < fitted.meta.headlines_trimmed == 200 - len(fitted.more_stories)
    assert f"{fitted.meta.headlines_trimmed} more stories named in the JSON output" in pdf_text(data)
