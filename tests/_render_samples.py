"""Briefs built by hand for the renderer tests (no pipeline, no LLM)."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.models import Brief, Citation, Disagreement, Meta, Skipped, SourceRef, Statement

OUTLETS = [
    "Quaywire",
    "Allied Coast Press",
    "QBC News",
    "Al Marsa",
    "The Lookout",
    "Le Quai",
    "TKR",
    "Nordsee Welle",
    "The Ferryman",
    "XYZ Tasmania",
]


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def cite(source: str, quote: str) -> Citation:
    return Citation(source=source, quote=quote, start=0, end=len(quote))


def stmt(text: str, *sources: str, quote: str | None = None, independent: int = 1) -> Statement:
    return Statement(
        text=text,
        citations=[cite(s, quote or text) for s in sources],
        independent_sources=independent,
    )


def sample_brief(
    n_sources: int = 2, n_points: int = 4, *, long_points: bool = False, n_disagreements: int = 1
) -> Brief:
    sources = [
        SourceRef(
            id=f"S{i}",
            path=f"articles/2026-11-{10 + i % 18:02d}-{_slug(OUTLETS[(i - 1) % len(OUTLETS)])}"
            f"-flood-report-{i}.html",
            title=f"Flooding in the Po valley: day {i} of the emergency, evacuations widen",
            outlet=OUTLETS[(i - 1) % len(OUTLETS)],
            published=f"2026-11-{10 + i % 18:02d}",
            url=(
                f"https://news.example.org/world/europe/2026/11/po-valley-floods-evacuations-{i}"
                "-very-long-slug-that-keeps-going-and-going"
                if i % 2
                else None
            ),
            chars=4000,
        )
        for i in range(1, n_sources + 1)
    ]
    ids = [s.id for s in sources]
    filler = (
        " Officials said the figures would be revised as rescue teams reached villages cut off by"
        " the water, and that the regional budget for repairs would be set next week."
    )
    key_points = [
        stmt(
            f"Key point {k}: the river crested at {5 + k} metres near Cremona on Tuesday."
            + (filler if long_points else ""),
            ids[k % len(ids)],
            ids[(k + 1) % len(ids)],
            independent=2 if k % 3 == 0 else 1,
        )
        for k in range(1, n_points + 1)
    ]
    disagreements = [
        Disagreement(
            topic=f"Number of people evacuated (round {d + 1})",
            positions=[
                stmt(
                    "About 12,000 people were evacuated.",
                    ids[0],
                    quote="authorities evacuated about 12,000 residents",
                ),
                stmt(
                    "Some 20,000 people left their homes.",
                    ids[1 % len(ids)],
                    quote="some 20,000 people have left their homes",
                ),
            ],
        )
        for d in range(n_disagreements)
    ]
    return Brief(
        title="Po valley floods: evacuations widen as river crests",
        generated_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
        bottom_line=[
            stmt("Floods in northern Italy have forced thousands from their homes.", *ids[:2]),
            stmt("The river is expected to fall by Friday.", ids[0]),
        ],
        key_points=key_points,
        disagreements=disagreements,
        sources=sources,
        meta=Meta(
            engine="extractive", version="0.1.0", skipped=[Skipped(path="x.docx", reason="unsupported")]
        ),
    )
