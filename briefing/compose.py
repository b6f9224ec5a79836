"""Compose: choose what the one-page brief says, within its word budget.

The extractive composer picks a bottom line (the most central point, ideally
reported by several sources) and then the most important points that are not
redundant with what is already said. Any composer's output goes through
:func:`fit_budget`, which trims the lowest-priority key points and never the
bottom line or the disagreements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefing.merge import numbers_in, voice_of
from briefing.models import Citation, Disagreement, Point, Statement
from briefing.run import Composed, RunContext
from briefing.text import content_words, count_words

REDUNDANT = 0.45  # content-word overlap above which a point repeats one already chosen
BOTTOM_LINE_MIN_WORDS = 18
CORROBORATES = 0.4  # share of the shorter lead's content words that another source's lead must repeat


def statement_from_point(point: Point) -> Statement:
    citations: list[Citation] = []
    cited: set[str] = set()
    for claim in point.claims:
        if claim.source_id not in cited:
            cited.add(claim.source_id)
            citations.append(claim.citation())
    return Statement(text=point.text, citations=citations, independent_sources=point.independent_sources)


def _is_table_row(point: Point) -> bool:
    return point.claims[0].quote.lstrip().startswith("|")


def _lead_like(point: Point, run: RunContext) -> bool:
    claim = point.claims[0]
    source = run.sources.get(claim.source_id)
    early = source is not None and claim.start <= 0.25 * max(1, len(source.text))
    return early and not _quoted(claim.text)


LEDE_SENTENCES = 2  # an article's first usable sentences state its news


def _ledes(points: Sequence[Point]) -> dict[str, list[int]]:
    """Start offsets of each source's first usable sentences."""
    starts: dict[str, list[int]] = {}
    for point in points:
        for claim in point.claims:
            starts.setdefault(claim.source_id, []).append(claim.start)
    return {sid: sorted(set(s))[:LEDE_SENTENCES] for sid, s in starts.items()}


def _is_lede(point: Point, first: dict[str, list[int]]) -> bool:
    return any(c.start in first.get(c.source_id, ()) for c in point.claims)


def _lede_rank(point: Point, first: dict[str, list[int]]) -> int:
    ranks = [first[c.source_id].index(c.start) for c in point.claims if c.start in first.get(c.source_id, ())]
    return min(ranks, default=LEDE_SENTENCES)


def _published(point: Point, run: RunContext) -> str:
    dates = [d for c in point.claims if (s := run.sources.get(c.source_id)) and (d := s.published)]
    return max(dates, default="")


def _quoted(text: str) -> bool:
    """A quotation (or mostly one): colour for key points, not a bottom line."""
    stripped = text.strip()
    return (
        stripped[:1] in "“\"‘'"
        or stripped.rstrip(".")[-1:] in "”\"’'"
        or sum(stripped.count(q) for q in '“”"') >= 2
    )


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def disagreement_words(disagreements: Sequence[Disagreement]) -> int:
    return sum(
        count_words(d.topic) + sum(count_words(p.text) + 2 for p in d.positions) for d in disagreements
    )


def word_budget(max_words: int, input_words: int) -> int:
    """The brief's word budget: it grows with the input up to ``max_words``.

    A summary that is most of its input saves the reader nothing: one article
    gets a few sentences, a folder of many articles the whole budget.
    """
    return min(max_words, max(MIN_BUDGET, round(BUDGET_SHARE * input_words)))


MIN_BUDGET = 100  # about four sentences
BUDGET_SHARE = 0.15  # share of the input's words (independent voices only) the brief may use


def compose_extractive(
    points: Sequence[Point],
    disagreements: Sequence[Disagreement],
    run: RunContext,
    said: list[frozenset[str]] | None = None,
) -> Composed:
    """Bottom line and key points within ``run.options.max_words``.

    ``said`` holds the content words of what the brief already states (other
    stories); nothing repeating it is chosen, and what is chosen is added to it.
    """
    budget = run.options.max_words - disagreement_words(disagreements)
    # Claims already shown as one side of a disagreement would repeat it.
    in_conflict = {(c.source, c.start) for d in disagreements for p in d.positions for c in p.citations}
    chosen_words: list[frozenset[str]] = said if said is not None else []

    def fresh(point: Point) -> bool:
        if any((c.source_id, c.start) in in_conflict for c in point.claims):
            return False
        words = frozenset(content_words(point.text))
        return all(_overlap(words, w) < REDUNDANT for w in chosen_words)

    prose = [p for p in points if not _is_table_row(p)]
    bottom: list[Statement] = []
    # The bottom line is the news itself: an article's lede (its first usable
    # sentences, not a quotation), from the most recent report, strongest first;
    # else a lead-like statement among the strongest points.
    first = _ledes(points)
    # A lede relaying another outlet's report is that outlet's news, not this source's.
    ledes = [
        p
        for p in prose
        if fresh(p) and _is_lede(p, first) and _lead_like(p, run) and not p.claims[0].relayed
    ]
    leads = (
        ledes
        or [p for p in prose[:12] if fresh(p) and _lead_like(p, run)]
        or [p for p in prose[:12] if fresh(p) and not _quoted(p.text)]
        or [p for p in prose[:8] if fresh(p)]
    )
    lead = max(
        leads,
        key=lambda p: (_published(p, run), -_lede_rank(p, first), p.independent_sources > 1, p.score),
        default=None,
    )
    corroborating: list[Point] = []
    if lead is not None:
        corroborating = [p for p in _corroborating(lead, prose, run, fresh) if not p.claims[0].relayed]
        bottom.append(_with_corroboration(statement_from_point(lead), corroborating, run))
        chosen_words.append(frozenset(content_words(lead.text)))
        if count_words(lead.text) < BOTTOM_LINE_MIN_WORDS:
            second = next((p for p in prose if p is not lead and fresh(p)), None)
            if second is not None:
                bottom.append(statement_from_point(second))
                chosen_words.append(frozenset(content_words(second.text)))
    used = sum(count_words(s.text) for s in bottom)
    key: list[Statement] = []
    chosen_ids = {id(p) for p in points if any(s.text == p.text for s in bottom)}
    chosen_ids.update(id(p) for p in corroborating)
    for point in points:
        if used >= budget:
            break
        if id(point) in chosen_ids or not fresh(point):
            continue
        words = count_words(point.text)
        if used + words > budget + 15:
            continue  # too long for the space left; a shorter point may still fit
        key.append(statement_from_point(point))
        chosen_words.append(frozenset(content_words(point.text)))
        used += words
    return Composed(bottom_line=bottom, key_points=key)


def _corroborating(
    lead: Point, prose: Sequence[Point], run: RunContext, fresh: Callable[[Point], bool]
) -> list[Point]:
    """Other sources' leads that report the same event as the bottom line.

    Outlets word a lead differently ("Japan and the US have signed a framework"
    against "The United States and Japan signed a landmark memorandum"), too
    differently to merge as one fact, yet each confirms the story: the bottom
    line cites them too, so a reader sees how many sources carry it.
    """
    words = frozenset(content_words(lead.text))
    numbers = numbers_in(lead.text)
    cited = set(lead.source_ids)
    found: list[Point] = []
    for point in prose:
        claim = point.claims[0]
        if point is lead or claim.source_id in cited or not fresh(point) or not _lead_like(point, run):
            continue
        if (
            numbers_in(point.text) - numbers
            or _overlap(words, frozenset(content_words(point.text))) < CORROBORATES
        ):
            continue
        cited.add(claim.source_id)
        found.append(point)
    return found


def _with_corroboration(statement: Statement, points: Sequence[Point], run: RunContext) -> Statement:
    if not points:
        return statement
    citations = [*statement.citations, *(p.claims[0].citation() for p in points)]
    voice = voice_of(run.sources)
    voices = {voice.get(c.source, c.source) for c in citations}
    return statement.model_copy(update={"citations": citations, "independent_sources": len(voices)})


def fit_budget(composed: Composed, disagreements: Sequence[Disagreement], run: RunContext) -> Composed:
    """Trim key points from the end until the brief fits its word budget."""
    budget = run.options.max_words
    fixed = disagreement_words(disagreements) + sum(count_words(s.text) for s in composed.bottom_line)
    key = list(composed.key_points)
    while key and fixed + sum(count_words(s.text) for s in key) > budget + 25:
        key.pop()
        run.meta.points_trimmed += 1
    return Composed(bottom_line=composed.bottom_line, key_points=key, title=composed.title)
