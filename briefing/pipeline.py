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
from briefing.engines import Composed, Engine, Event, RunContext, create_engine
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

    from concurrent.futures import ThreadPoolExecutor

    from briefing.reconcile import find_disagreements

    # An engine's reconcile and compose mostly wait on their endpoint: the deterministic
    # stages run meanwhile instead of after them.
    pool = ThreadPoolExecutor(1, thread_name_prefix="briefing-engine")
    try:
        asked = pool.submit(engine.reconcile, claims, run)
        run.emit("stage", "merging")
        points = merge_claims(claims, by_id)
        run.emit("stage", "reconciling")
        # The deterministic pass always runs; an engine's findings are added to it, never instead.
        disagreements = find_disagreements(claims, by_id)
        proposed = asked.result()
        if proposed:
            cited = [{(c.source, c.start) for p in d.positions for c in p.citations} for d in disagreements]
            for found in proposed:
                spans = {(c.source, c.start) for p in found.positions for c in p.citations}
                if not any(spans & known for known in cited):
                    disagreements.append(found)
                    cited.append(spans)
        disagreements = [d for d in disagreements if _verified_statements(d.positions, run)]
        disagreements = _count_voices(disagreements, by_id)

        run.emit("stage", "composing")
        drafted = pool.submit(engine.compose, points, disagreements, run)
        extractive = compose_extractive(points, disagreements, run)
        engine_composed = drafted.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C does not wait for a pending call
    composed = (
        extractive if engine_composed is None else _filled(engine_composed, extractive, disagreements, run)
    )
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
    """Every engine's claims through the one gate (briefing.verify); failures are dropped and counted."""
    from briefing.verify import claim_problem

    good: list[Claim] = []
    for claim in claims:
        if claim_problem(claim, run.sources.get(claim.source_id)) is None:
            good.append(claim)
        else:
            run.meta.claims_rejected += 1
    return good


def _filled(
    composed: Composed, extractive: Composed, disagreements: Sequence[Disagreement], run: RunContext
) -> Composed:
    """An engine's brief, never thinner than the extractive one.

    Key points that repeat the bottom line go; then, while the word budget has
    room, validated extractive statements the engine left out are added.
    """
    from briefing.compose import REDUNDANT
    from briefing.text import content_words

    def words(s: Statement) -> frozenset[str]:
        return frozenset(content_words(s.text))

    def spans(s: Statement) -> set[tuple[str, int]]:
        return {(c.source, c.start) for c in s.citations}

    def repeats(s: Statement, chosen: Sequence[Statement]) -> bool:
        w = words(s)
        for other in chosen:
            o = words(other)
            shared = len(w & o) / max(1, min(len(w), len(o)))
            if shared >= REDUNDANT or (spans(s) and spans(s) <= spans(other)):
                return True
        return False

    bottom = list(composed.bottom_line) or list(extractive.bottom_line)
    key: list[Statement] = []
    for statement in composed.key_points:
        if not repeats(statement, [*bottom, *key]):
            key.append(statement)
    budget = run.options.max_words - disagreement_words(disagreements)
    used = sum(count_words(s.text) for s in [*bottom, *key])
    for statement in [*extractive.bottom_line, *extractive.key_points]:
        size = count_words(statement.text)
        if used + size > budget:
            continue
        if repeats(statement, [*bottom, *key]):
            continue
        key.append(statement)
        used += size
        run.meta.points_filled += 1
    return Composed(bottom_line=bottom, key_points=key, title=composed.title)


def _verified_statements(statements: Sequence[Statement], run: RunContext) -> list[Statement]:
    out: list[Statement] = []
    for statement in statements:
        citations = [c for c in statement.citations if _verbatim(c, run)]
        if citations:
            out.append(statement.model_copy(update={"citations": citations}))
        else:
            run.warn(f"dropped a statement with no verifiable citation: {statement.text[:60]!r}")
    return out


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
