"""The PDF of a many-story brief is one page: fitting trims the stories' own content too."""

from __future__ import annotations

import io

import pytest
from _render_samples import sample_brief, stmt

from briefing.models import Story
from briefing.render.pdf import render_pdf_fitted

pypdf = pytest.importorskip("pypdf")


def test_render_pdf_many_stories_fit_one_page_by_trimming_story_content() -> None:
    brief = sample_brief(120, 0, n_disagreements=24)
    ids = [s.id for s in brief.sources]
    long = " Rescue teams said more villages were cut off by the water than the first reports had counted."
    stories = []
    for k in range(8):
        bottom = [
            stmt(f"Story {k + 1} bottom line: the levee at mile {k + 3} failed overnight." + long, ids[k])
        ]
        stories.append(
            Story(
                id=f"T{k + 1}",
                headline=f"Headline of story {k + 1}",
                sources=[ids[k], ids[k + 8]],
                independent_sources=2,
                bottom_line=bottom,
                disagreements=brief.disagreements[3 * k : 3 * k + 3],
                checked="3 disagreements found between the 2 sources.",
            )
        )
    brief.stories = stories
    brief.bottom_line = [s.bottom_line[0] for s in stories]
    brief.also_reported = [
        stmt(f"Also item {k}: a bridge closed near town {k}." + long, ids[20 + k]) for k in range(12)
    ]

    data, fitted = render_pdf_fitted(brief)

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "HEADLINE OF STORY 1" in text.upper()
    assert not any("could not fit on one" in w for w in fitted.meta.warnings)
    assert any("left out of the PDF to fit one page" in w for w in fitted.meta.warnings)
    # What the page shows is what the fitted copy says it shows.
    shown_disagreements = sum(len(s.disagreements) for s in fitted.stories)
    assert shown_disagreements == len(fitted.disagreements) < 24
    assert len(brief.stories[0].disagreements) == 3  # the caller's brief is not changed


def test_render_pdf_story_says_which_of_its_disagreements_the_page_left_out() -> None:
    from briefing.render.pdf import _trimmed

    brief = sample_brief(12, 0, n_disagreements=4)
    ids = [s.id for s in brief.sources]
    brief.stories = [
        Story(
            id=f"T{k + 1}",
            headline=f"Headline of story {k + 1}",
            sources=[ids[k], ids[k + 4]],
            independent_sources=2,
            bottom_line=[stmt(f"Story {k + 1}: the levee at mile {k + 3} failed overnight.", ids[k])],
            disagreements=brief.disagreements[2 * k : 2 * k + 2],
            checked="2 disagreements found between the 2 sources.",
        )
        for k in range(2)
    ]
    # The page keeps the first disagreement of the brief: story 1 shows one of two, story 2 none.
    page = _trimmed(brief, kept=0, disagreements=1, bottom=None, also=None)
    first, second = page.stories
    assert len(first.disagreements) == 1 and first.checked.startswith("1 more left out of this page")
    assert not second.disagreements
    assert second.checked.startswith("2 disagreements found between the 2 sources: left out of this page")
    assert brief.stories[1].checked == "2 disagreements found between the 2 sources."  # caller's copy

    from briefing.render.html import render_page

    html = render_page(page, paper="a4", step=0)
    assert "1 more left out of this page to fit" in html
    assert "2 disagreements found between the 2 sources: left out of this page" in html


def test_render_pdf_keeps_other_stories_headlines_before_a_storys_further_disagreements() -> None:
    from briefing.models import StoryHeadline

    brief = sample_brief(120, 0, n_disagreements=12)
    ids = [s.id for s in brief.sources]
    long = " Rescue teams said more villages were cut off by the water than the first reports had counted."
    stories = [
        Story(
            id=f"T{k + 1}",
            headline=f"Headline of story {k + 1}",
            sources=[ids[k], ids[k + 8]],
            independent_sources=2,
            bottom_line=[stmt(f"Story {k + 1}: the levee at mile {k + 3} failed overnight." + long, ids[k])],
            # The lead story's sources differ on many wordings; the others on two each.
            disagreements=brief.disagreements[:8] if k == 0 else brief.disagreements[8 + k % 2 : 10 + k % 2],
            checked="Disagreements found.",
        )
        for k in range(6)
    ]
    brief.stories = stories
    brief.disagreements = [d for s in stories for d in s.disagreements]
    brief.bottom_line = [s.bottom_line[0] for s in stories]
    brief.more_stories = [
        StoryHeadline(headline=f"Town {k} reopens its harbour after the storm", sources=[ids[40 + k]])
        for k in range(24)
    ]

    data, fitted = render_pdf_fitted(brief)

    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    assert not any("could not fit on one" in w for w in fitted.meta.warnings)
    # Each story keeps its first disagreement, and its further ones go before the other stories' names.
    assert all(len(s.disagreements) == 1 for s in fitted.stories)
    assert len(fitted.more_stories) >= 5
    assert fitted.stories[0].checked.startswith("7 more left out of this page")
