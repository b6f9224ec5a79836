"""For arbitrary articles, every citation in the brief is the source's own text at start:end."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import BriefOptions, make_brief
from briefing.models import Brief, Source

WORDS = [
    "mayor", "opened", "bridge", "Varna", "12,500", "cars", "30%", "55-60%", "Deputy", "Mayor",
    "Ostrova", "Lidia", "the", "of", "said", "on", "Monday", "“bright", "day”", "‘re-route’", "—", "$3.4m",
    "Ωmega", "naïve", "東京", "|", "-", "#", "  ", "\t", "Governor", "Kessel", "traffic", "2023",
]  # fmt: skip

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=25).map(lambda ws: " ".join(ws) + ".")
article = st.lists(sentence, min_size=1, max_size=12).map(
    lambda ss: "".join(s + ("\n\n" if i % 3 == 2 else " ") for i, s in enumerate(ss))
)
table = st.lists(st.sampled_from(["| Varna | 96,000 |", "| Ostrava | 12,500 |", "|---|---|"]), max_size=4)


def citations(brief: Brief) -> list[tuple[str, str, int, int]]:
    statements = [
        *brief.bottom_line,
        *brief.key_points,
        *(p for d in brief.disagreements for p in d.positions),
    ]
    return [(c.source, c.quote, c.start, c.end) for s in statements for c in s.citations]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(article, table), min_size=1, max_size=4))
def test_every_citation_is_verbatim_for_arbitrary_articles(texts: list[tuple[str, list[str]]]) -> None:
    sources = [
        Source(id=f"S{i + 1}", path=f"a{i}.md", text=body + "\n" + "\n".join(rows))
        for i, (body, rows) in enumerate(texts)
    ]
    brief = make_brief(sources, BriefOptions(engine="extractive"), now=datetime(2026, 1, 1, tzinfo=UTC))
    by_id = {s.id: s.text for s in sources}
    for source, quote, start, end in citations(brief):
        assert quote
        assert by_id[source][start:end] == quote
    for statement in [*brief.bottom_line, *brief.key_points]:
        assert statement.citations
