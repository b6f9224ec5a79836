"""``make_brief``: the whole pipeline, stage by stage.

sources -> chunks -> claims -> points (merge) -> disagreements (reconcile)
-> composed statements -> Brief. Each stage lives in its own module; this one
only wires them and enforces the guarantee that every citation in the brief is
the verbatim text of its source at start:end.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.compose import compose_extractive, disagreement_words, fit_budget
from briefing.engines import Engine, Event, RunContext, create_engine
from briefing.errors import InputError
from briefing.merge import StoryMatcher, merge_claims, voice_of
from briefing.models import Brief, Citation, Claim, Disagreement, Meta, Source, SourceSet, Statement
from briefing.options import BriefOptions
from briefing.text import count_words


def make_brief(
    sources: str | Path | SourceSet | Sequence[Source],
    options: BriefOptions | None = None,
    *,
    engine: Engine | None = None,
    client: Any = None,
    api_key: str | None = None,
    on_event: Callable[[Event], None] | None = None,
    now: datetime | None = None,
) -> Brief:
    """Build a cited one-page brief.

    Args:
        sources: a folder (or file) to read, a :class:`SourceSet` from
            :func:`briefing.load_sources`, or ready :class:`Source` objects.
        options: what to do; defaults to ``BriefOptions()``.
        engine: an engine to use instead of the one ``options`` selects
            (e.g. ``briefing.testing.FakeEngine``).
        client: an ``openai.AsyncOpenAI``/``OpenAI`` client for the LLM engine,
            so a bot can share its own.
        api_key: key for the LLM endpoint when no client is given.
        on_event: progress callback.
        now: the brief's timestamp (tests pin it).
    """
    from briefing.sources import load_sources

    options = options or BriefOptions()
    if isinstance(sources, SourceSet):
        source_set = sources
    elif isinstance(sources, str | Path):
        source_set = load_sources(sources)
    else:
        source_set = SourceSet(root="", sources=list(sources))
    if not source_set.sources:
        raise InputError("no sources to brief")
    owned = engine is None
    engine = engine or create_engine(options, client=client, api_key=api_key)
    try:
        return _run_engine(engine, source_set, options, on_event, now)
    finally:
        if owned:
            engine.close()  # pooled connections and local servers end with the run


def _run_engine(
    engine: Engine,
    source_set: SourceSet,
    options: BriefOptions,
    on_event: Callable[[Event], None] | None,
    now: datetime | None,
) -> Brief:
    from briefing.chunking import chunk_sources

    meta = Meta(
        engine=engine.name,
        model=engine.model,
        version=__version__,
        skipped=list(source_set.skipped),
        warnings=list(source_set.warnings),
    )
    by_id = {s.id: s for s in source_set.sources}
    run = RunContext(options=options, sources=by_id, meta=meta, on_event=on_event)

    run.emit("stage", "chunking")
    chunks = chunk_sources(source_set.sources, options.chunk_tokens)
    run.chunks = {c.id: c for c in chunks}
    meta.chunks = len(chunks)
    engine.check_budget(chunks, run)  # e.g. --max-cost refuses before any call is made

    run.emit("stage", "extracting", 0, len(chunks))
    claims = _verified(engine.extract(chunks, run), run)
    meta.claims = len(claims)

    run.emit("stage", "merging")
    points = merge_claims(claims, by_id)

    run.emit("stage", "reconciling")
    from briefing.reconcile import MAX_DISAGREEMENTS, find_disagreements

    # The deterministic pass always reads all source text; an engine's own answer only adds to it.
    disagreements = find_disagreements(by_id, claims)
    disagreements = [d for d in disagreements if _verified_statements(d.positions, run)]
    extra = engine.reconcile(claims, run) or []
    disagreements += [
        d for d in extra if _verified_statements(d.positions, run) and not _repeats(d, disagreements)
    ]
    disagreements = disagreements[:MAX_DISAGREEMENTS]
    disagreements = _count_voices(disagreements, by_id)

    run.emit("stage", "composing")
    composed = engine.compose(points, disagreements, run) or compose_extractive(points, disagreements, run)
    composed = fit_budget(composed, disagreements, run)
    bottom = _verified_statements(composed.bottom_line, run)
    key = _verified_statements(composed.key_points, run)
    meta.words = (
        sum(count_words(s.text) for s in bottom) + sum(count_words(s.text) for s in key)
    ) + disagreement_words(disagreements)
    title = options.title or composed.title or _title(bottom, by_id, source_set)
    run.emit("stage", "done")
    return Brief(
        title=title,
        generated_at=now or datetime.now(UTC).replace(microsecond=0),
        bottom_line=bottom,
        key_points=key,
        disagreements=disagreements,
        sources=[s.ref() for s in source_set.sources],
        meta=meta,
    )


def _verbatim(citation: Citation, run: RunContext) -> bool:
    source = run.sources.get(citation.source)
    return (
        bool(citation.quote)
        and source is not None
        and source.text[citation.start : citation.end] == citation.quote
    )


def _verified(claims: Sequence[Claim], run: RunContext) -> list[Claim]:
    """Drop any claim whose quote is not its source's text at start:end (last line of defence)."""
    good: list[Claim] = []
    for claim in claims:
        if _verbatim(claim.citation(), run):
            good.append(claim)
        else:
            run.meta.claims_rejected += 1
    return good


def _verified_statements(statements: Sequence[Statement], run: RunContext) -> list[Statement]:
    out: list[Statement] = []
    for statement in statements:
        citations = [c for c in statement.citations if _verbatim(c, run)]
        if citations:
            out.append(statement.model_copy(update={"citations": citations}))
        else:
            run.warn(f"dropped a statement with no verifiable citation: {statement.text[:60]!r}")
    return out


def _repeats(d: Disagreement, found: Sequence[Disagreement]) -> bool:
    """Whether a found disagreement sets the same sources against each other on an overlapping passage."""

    def spans(x: Disagreement) -> list[tuple[str, int, int]]:
        return [(c.source, c.start, c.end) for p in x.positions for c in p.citations]

    mine = spans(d)
    for other in found:
        theirs = spans(other)
        if {s for s, _, _ in mine} == {t for t, _, _ in theirs} and any(
            s == t and a < f and e > b for s, a, e in mine for t, b, f in theirs
        ):
            return True
    return False


def _count_voices(disagreements: list[Disagreement], sources: dict[str, Source]) -> list[Disagreement]:
    voice = voice_of(sources)
    story = StoryMatcher(sources)
    out = []
    for d in disagreements:
        sides = [p.citations[0].source for p in d.positions]
        if not all(story.same_story(a, b) for a, b in itertools.combinations(sides, 2)):
            continue  # sources on different stories do not contradict each other
        positions = [
            p.model_copy(
                update={"independent_sources": len({voice.get(c.source, c.source) for c in p.citations})}
            )
            for p in d.positions
        ]
        # Two near-duplicate copies of one story disagreeing is an edit, not two voices.
        if len({voice.get(c.source, c.source) for p in positions for c in p.citations}) >= 2:
            out.append(d.model_copy(update={"positions": positions}))
    return out


def _title(bottom: Sequence[Statement], sources: dict[str, Source], source_set: SourceSet) -> str:
    voices = len(set(voice_of(sources).values()))
    name = Path(source_set.root).name if source_set.root else ""
    if bottom and voices > 3 and bottom[0].independent_sources * 2 < voices:
        # Many sources and the lead story is only one of several: one
        # article's headline would misname the brief.
        return f"Brief: {name} ({len(sources)} sources)" if name else f"Brief of {len(sources)} sources"
    for statement in bottom:
        for citation in statement.citations:
            title = sources[citation.source].title
            if title:
                return title
    for source in source_set.sources:
        if source.title:
            return source.title
    return f"Brief: {name}" if name else "Brief"
