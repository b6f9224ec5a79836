"""``make_brief``: the whole pipeline, stage by stage.

sources -> chunks -> claims -> stories (groups of sources on one event) ->
per story: points (merge) -> disagreements (reconcile) -> composed statements
-> Brief. Each stage lives in its own module; this one
only wires them and enforces the guarantee that every citation in the brief is
the verbatim text of its source at start:end.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import __version__
from briefing.compose import (
    compose_extractive,
    disagreement_words,
    fit_budget,
    nut_graf,
    statement_from_point,
    word_budget,
)
from briefing.engines import Composed, Engine, Event, RunContext, create_engine
from briefing.errors import InputError
from briefing.merge import StoryMatcher, merge_claims, opinion_of, voice_of
from briefing.models import (
    Brief,
    Citation,
    Claim,
    Disagreement,
    Meta,
    Point,
    Source,
    SourceSet,
    Statement,
    Story,
    StoryHeadline,
)
from briefing.options import BriefOptions
from briefing.text import content_words, count_words, plural

if TYPE_CHECKING:
    from briefing.reconcile import Reading
    from briefing.stories import StoryGroup


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

    from briefing.stories import group_stories

    # Story grouping needs the sources alone: while a model server works on the extraction
    # calls, it runs here meanwhile (benchmark a); an offline engine extracts first.
    grouping = ThreadPoolExecutor(1, thread_name_prefix="briefing-stories")
    try:
        grouped = None
        if engine.waits_on_server:
            grouped = grouping.submit(_group_and_read, source_set.sources, run)
        run.emit("stage", "extracting", 0, len(chunks))
        claims = _verified(engine.extract(chunks, run), run)
        meta.claims = len(claims)
        run.emit("stage", "grouping stories")
        read: dict[tuple[str, ...], _Ahead] = {}
        if grouped is not None:
            marked, groups, read = grouped.result()
        else:
            marked, groups = group_stories(source_set.sources)
    finally:
        grouping.shutdown(wait=False, cancel_futures=True)  # Ctrl-C does not wait for it
    by_id = {s.id: s for s in marked}
    run.sources = by_id
    run.emit("stage", "composing")  # per story: merge, reconcile, compose
    told = _tell_stories(engine, claims, groups, run, read)
    _mark_opinion(told, by_id)

    bottom = [s.bottom_line[0] for s in told.stories if s.bottom_line]
    if len(told.stories) == 1:
        bottom = told.stories[0].bottom_line
    disagreements = [d for s in told.stories for d in s.disagreements]
    # Round-robin: the first point of every story, then the second..., so
    # renderers trimming from the end drop the least important points first.
    key: list[Statement] = []
    for rank in range(max((len(s.key_points) for s in told.stories), default=0)):
        key.extend(s.key_points[rank] for s in told.stories if rank < len(s.key_points))
    meta.words = (
        sum(count_words(s.text) for story in told.stories for s in [*story.bottom_line, *story.key_points])
        + disagreement_words(disagreements)
        + sum(count_words(s.text) for s in told.also_reported)
        + sum(count_words(h.headline) for h in told.more_stories)
    )
    title = options.title or told.title or _title(bottom, by_id, source_set, len(told.stories))
    run.emit("stage", "done")
    return Brief(
        title=title,
        generated_at=now or datetime.now(UTC).replace(microsecond=0),
        bottom_line=bottom,
        key_points=key,
        disagreements=disagreements,
        sources=[s.ref() for s in marked],
        meta=meta,
        stories=told.stories,
        also_reported=told.also_reported,
        more_stories=told.more_stories,
    )


def _mark_opinion(told: _Told, sources: Mapping[str, Source]) -> None:
    """Statements resting on opinion pieces alone say so, wherever they are told (renderers label them).

    Set in place: the brief's top-level lists hold these same statements.
    """
    opinion = opinion_of(sources)
    if not opinion:
        return
    told_lists = [
        [*story.bottom_line, *story.key_points, *(p for d in story.disagreements for p in d.positions)]
        for story in told.stories
    ]
    for statement in [*(s for statements in told_lists for s in statements), *told.also_reported]:
        statement.opinion = all(c.source in opinion for c in statement.citations)


@dataclass
class _Told:
    stories: list[Story]
    also_reported: list[Statement]
    title: str | None = None
    more_stories: list[StoryHeadline] = field(default_factory=list)


STORY_MIN_WORDS = 80  # below this a story is its bottom line alone; fewer stories are told, the rest listed
# Words kept for the one-line stories under "Also reported": a share of the budget, more with many
# of them (up to a cap). A morning folder of many single reports reads better as one line on each
# of them than as the lead story's tenth key point.
ALSO_REPORTED_SHARE = 0.2
ALSO_REPORTED_LINE_WORDS = 20
ALSO_REPORTED_MAX_SHARE = 0.5
# A big morning holds more stories than one page can tell: those with several voices that do not
# fit are still named, by headline, so the reader knows they exist; past this many they are counted.
MORE_STORIES_MAX = 25


@dataclass
class _Ahead:
    """A main story read while a model works on the extraction calls."""

    points: list[Point]  # the offline engine's, which a model's brief is filled from
    reading: Reading | None  # the deterministic reconciler's, of a story several voices carry


def _group_and_read(
    sources: Sequence[Source], run: RunContext
) -> tuple[list[Source], list[StoryGroup], dict[tuple[str, ...], _Ahead]]:
    """Stories, and those that may be told read ahead (by their source ids).

    Run while a model server works on the extraction calls: reading them after its last answer
    would keep the reader waiting (benchmark a).
    """
    from briefing.reconcile import read_for_reconcile
    from briefing.stories import group_stories

    marked, groups = group_stories(sources)
    marked_run = replace(run, sources={s.id: s for s in marked})
    ahead: dict[tuple[str, ...], _Ahead] = {}
    for i in _main_stories(groups, _folder_budget(marked_run)):
        group = groups[i]
        reading = None
        if group.voices > 1:
            reading = read_for_reconcile({s: marked_run.sources[s] for s in group.source_ids})
        ahead[tuple(group.source_ids)] = _Ahead(_extractive_points(group, marked_run), reading)
    return marked, groups, ahead


def _folder_budget(run: RunContext) -> int:
    """The whole brief's word budget, from the words of the folder's independent voices."""
    voice = voice_of(run.sources)
    independent = {voice[s] for s in run.sources}
    return word_budget(run.options.max_words, sum(count_words(run.sources[v].text) for v in independent))


def _main_stories(groups: Sequence[StoryGroup], budget: int) -> list[int]:
    """The groups told in full: those several voices carry (else the first), as many as the budget holds."""
    main = [i for i, g in enumerate(groups) if g.voices > 1] or [0]
    return main[: max(1, min(len(main), budget // STORY_MIN_WORDS))]


def _tell_stories(
    engine: Engine,
    claims: Sequence[Claim],
    groups: Sequence[StoryGroup],
    run: RunContext,
    read: Mapping[tuple[str, ...], _Ahead],
) -> _Told:
    """Each story told within its share of the budget; the rest listed under "Also reported".

    ``read`` holds the stories read ahead (by their source ids).
    """
    budget = _folder_budget(run)
    by_story: dict[int, list[Claim]] = {}
    story_of = {sid: i for i, g in enumerate(groups) for sid in g.source_ids}
    for claim in claims:
        by_story.setdefault(story_of.get(claim.source_id, 0), []).append(claim)
    main = _main_stories(groups, budget)
    n_main = len(main)
    rest = [i for i in range(len(groups)) if i not in main]
    one_line = sum(1 for i in rest if groups[i].voices == 1)
    lines = max(round(ALSO_REPORTED_SHARE * budget), one_line * ALSO_REPORTED_LINE_WORDS) if rest else 0
    story_budget = budget - min(round(ALSO_REPORTED_MAX_SHARE * budget), lines)
    said: list[frozenset[str]] = []
    stories: list[Story] = []
    title: str | None = None
    # The lead story gets a larger share than the ones after it.
    shares = [
        story_budget * (2 if rank == 0 and n_main > 1 else 1) // (n_main + (1 if n_main > 1 else 0))
        for rank in range(len(main))
    ]
    told = _tell_main(
        engine,
        [(by_story.get(gi, []), groups[gi], share) for gi, share in zip(main, shares, strict=True)],
        run,
        said,
        read,
        only=len(groups) == 1,
    )
    for story, composed_title in told:
        story.id = f"T{len(stories) + 1}"
        stories.append(story)
        title = title or composed_title
    also: list[Statement] = []
    more: list[StoryHeadline] = []
    used = sum(count_words(s.text) for st in stories for s in [*st.bottom_line, *st.key_points])
    left_out = 0
    for gi in rest:
        group = groups[gi]
        if group.voices > 1:
            # Several outlets carry it: named by its headline rather than squeezed into a
            # single-source list or dropped unseen.
            if len(more) < MORE_STORIES_MAX:
                more.append(_story_headline(group, run))
            else:
                left_out += 1
            continue
        story_claims = by_story.get(gi, [])
        # A copy: a line left out states nothing, so it must not make later lines look repeated
        # (and ``said`` then grows with the brief, not with the number of stories).
        line = _one_line(story_claims, run, list(said)) if story_claims else None
        if line is None or used + count_words(line.text) > budget + 15:
            # No room for its line: still named by its headline, so no story of the folder goes unseen.
            if line is not None and len(more) < MORE_STORIES_MAX:
                more.append(_story_headline(group, run))
            else:
                left_out += 1
            continue
        also.append(line)
        said.append(frozenset(content_words(line.text)))
        used += count_words(line.text)
    if more:
        named = plural(len(more), "more story", "more stories")
        run.warn(f"{named} named by headline only, to fit the word budget")
    if left_out:
        run.warn(f"{left_out} more stor{'ies' if left_out != 1 else 'y'} left out to fit the word budget")
    title = title if len(stories) == 1 else None
    return _Told(stories=stories, also_reported=also, title=title, more_stories=more)


def _story_headline(group: StoryGroup, run: RunContext) -> StoryHeadline:
    return StoryHeadline(
        headline=_headline([], group, run),
        sources=list(group.source_ids),
        independent_sources=group.voices,
        published=group.latest,
    )


def _story_run(run: RunContext, max_words: int) -> RunContext:
    # model_copy does not validate: a story's share may be below the options' floor.
    options = run.options.model_copy(update={"max_words": max(1, max_words)})
    return replace(run, options=options)


@dataclass
class _Held(RunContext):
    """A run whose warnings wait in ``held``, to be reported in story order whenever they arose."""

    held: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.held.append(message)


def _held(run: RunContext) -> _Held:
    return _Held(**{f.name: getattr(run, f.name) for f in fields(run) if f.init})


@dataclass
class _Asked:
    """One main story while its engine calls are out: what the deterministic stages found meanwhile."""

    claims: Sequence[Claim]
    group: StoryGroup
    run: RunContext  # the story's share of the budget
    reconciled: _Held  # the engine's reconcile reports here
    noted: _Held  # the pipeline's own warnings on the story
    composing: _Held  # the engine's compose reports here
    reconcile: Future[list[Disagreement] | None] | None = None
    draft: Future[Composed | None] | None = None  # the engine's compose
    points: list[Point] = field(default_factory=list)
    found: list[Disagreement] = field(default_factory=list)  # by the deterministic pass
    disagreements: list[Disagreement] = field(default_factory=list)
    sentences: list[Point] | None = None  # the offline engine's points: every usable sentence of its sources
    reading: Reading | None = None  # the deterministic reconciler's, when read ahead

    def compose(self, engine: Engine, pool: ThreadPoolExecutor, run: RunContext) -> Future[Composed | None]:
        """Ask the engine to compose, once the story's disagreements are known (waits for its reconcile)."""
        if self.draft is None:
            if self.reconcile is not None:
                self.disagreements = _joined(self, self.reconcile.result(), run)
            self.draft = pool.submit(engine.compose, self.points, self.disagreements, self.composing)
        return self.draft


def _tell_main(
    engine: Engine,
    stories: Sequence[tuple[Sequence[Claim], StoryGroup, int]],
    run: RunContext,
    said: list[frozenset[str]],
    read: Mapping[tuple[str, ...], _Ahead],
    only: bool = False,
) -> list[tuple[Story, str | None]]:
    """The main stories (claims, group, word share each), told in order.

    An engine's reconcile and compose mostly wait on their endpoint, so every story's
    calls are out at once (the engine bounds how many reach the server) while the
    deterministic stages run here, story after story. Each story's warnings are held and
    reported in story order: the brief does not depend on which answer came back first.
    """
    # A story of its own folder gives the engine the folder's whole budget (its
    # prompt then does not depend on the story split); fit_budget trims the
    # result to the story's share either way.
    asked = []
    for claims, group, share in stories:
        story_run = _story_run(run, share)
        ahead = read.get(tuple(group.source_ids))
        asked.append(
            _Asked(
                claims,
                group,
                story_run,
                _held(story_run),
                _held(run),
                _held(run if only else story_run),
                sentences=ahead.points if ahead else None,
                reading=ahead.reading if ahead else None,
            )
        )
    pool = ThreadPoolExecutor(max(1, len(asked)), thread_name_prefix="briefing-engine")
    try:
        for story in asked:
            if story.group.voices > 1:
                story.reconcile = pool.submit(engine.reconcile, story.claims, story.reconciled)
        for i, story in enumerate(asked):
            story.points = merge_claims(story.claims, run.sources)
            if story.reconcile is not None:
                story.found = _found(story, run)
            # Stories whose reconcile answer is in are composed now; the others' answers are
            # awaited only when no deterministic pass is left to run meanwhile.
            for ready in asked[: i + 1]:
                if ready.reconcile is None or ready.reconcile.done():
                    ready.compose(engine, pool, run)
        awaited = {s.reconcile: s for s in asked if s.draft is None and s.reconcile is not None}
        for answered in as_completed(awaited):
            awaited[answered].compose(engine, pool, run)
        told: list[tuple[Story, str | None]] = []
        for story in asked:
            draft = story.compose(engine, pool, run)
            # ``said`` grows story by story: the extractive composer runs in story order. Beside a
            # model's composition, it reads every sentence of the story's sources, not only the
            # claims the model kept: what the model leaves thin is filled from there.
            engine_composed = draft.result()
            sentences: list[Point] = []  # every usable sentence of the story's sources, as points
            if engine_composed is not None:
                engine_composed = _without_headings(engine_composed, story, run)
                if story.sentences is None:
                    story.sentences = _extractive_points(story.group, run)
                sentences = story.sentences
                engine_composed = _news_first(engine_composed, sentences, story)
            if engine_composed is None or (engine_composed.bottom_line and not _thin(engine_composed, story)):
                extractive = compose_extractive(story.points, story.disagreements, story.run, said)
            else:
                # The fill's pool: twice the story's share, as what the model's brief says already
                # is passed over; ``said`` then grows with what the brief really says (below). It
                # also gives the bottom line when the model's was not the news.
                pool_run = _story_run(story.run, 2 * story.run.options.max_words)
                extractive = compose_extractive(sentences, story.disagreements, pool_run, list(said))
            for held in (story.reconciled, story.noted, story.composing):
                for message in held.held:
                    run.warn(message)
            told.append(_finish_story(story, extractive, engine_composed, run))
            if engine_composed is not None:
                said.extend(
                    frozenset(content_words(s.text))
                    for s in [*told[-1][0].bottom_line, *told[-1][0].key_points]
                )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C does not wait for a pending call
    return told


def _without_headings(composed: Composed, story: _Asked, run: RunContext) -> Composed:
    """The engine's sentences minus those that repeat a headline: the extractive composer never
    picks one, and a model quoting an article's title line is no better (seen live with Qwen, whose
    whole brief was two of the story's headlines). What they leave empty is filled as usual."""
    from briefing.compose import is_heading

    sources = [run.sources[s] for s in story.group.source_ids if s in run.sources]
    bottom = [s for s in composed.bottom_line if not is_heading(s.text, sources)]
    key = [s for s in composed.key_points if not is_heading(s.text, sources)]
    left_out = len(composed.bottom_line) + len(composed.key_points) - len(bottom) - len(key)
    if left_out:
        story.noted.warn(f"compose: left out {plural(left_out, 'sentence')} repeating a headline")
    return Composed(bottom_line=bottom, key_points=key, title=composed.title)


def _news_first(composed: Composed, sentences: Sequence[Point], story: _Asked) -> Composed:
    """The engine's brief, its bottom line made a key point when it cites no report's lede.

    A report states its news in its first sentences; the offline engine's bottom line is one of
    them (a column's first sentences state its view). A model's bottom line citing none of them
    states background (seen live with Qwen on the seed: "China currently controls approximately
    70%...", the signing left to the key points): it stays in the brief as a key point, and the
    bottom line is the offline engine's.
    """
    from briefing.compose import lede_spans

    # A column's opening is its author's view, not the news (unless the story has only columns).
    opinion = opinion_of(story.run.sources)
    ledes = {lede for lede in lede_spans(sentences) if lede[0] not in opinion} or lede_spans(sentences)
    if not composed.bottom_line or not ledes:
        return composed
    cited = [(c.source, c.start, c.end) for s in composed.bottom_line for c in s.citations]
    if any(src == lede[0] and a < lede[2] and e > lede[1] for src, a, e in cited for lede in ledes):
        return composed
    story.noted.warn("compose: the model's bottom line cites no report's opening sentences: made a key point")
    key = [*composed.bottom_line, *composed.key_points]
    return Composed(bottom_line=[], key_points=key, title=composed.title)


_THIN_WORDS = 15  # room for one more sentence: an engine brief with more left is thin


def _thin(composed: Composed, story: _Asked) -> bool:
    """The engine's brief leaves room in the story's budget (filled from every source sentence)."""
    # Each sentence once: two sentences replaced by the one claim they both cite say it once (a
    # live Qwen brief whose bottom line and key point were all one claim was left at 92 words).
    texts = {s.text for s in [*composed.bottom_line, *composed.key_points]}
    used = sum(count_words(t) for t in texts)
    room = story.run.options.max_words - disagreement_words(story.disagreements) - used
    return room >= _THIN_WORDS


def _extractive_points(group: StoryGroup, run: RunContext) -> list[Point]:
    """The offline engine's points for the story's sources (it is fast beside any model call)."""
    from briefing.engines.extractive import ExtractiveEngine
    from briefing.verify import claim_problem

    chunks = [c for c in run.chunks.values() if c.source_id in set(group.source_ids)]
    claims = [
        c
        for c in ExtractiveEngine().extract(chunks, run)
        if claim_problem(c, run.sources.get(c.source_id)) is None
    ]
    return merge_claims(claims, run.sources)


def _found(story: _Asked, run: RunContext) -> list[Disagreement]:
    """The deterministic pass, on all of the story's source text (while the engine's answer is awaited)."""
    from briefing.reconcile import find_disagreements

    sources = story.reading or {s: run.sources[s] for s in story.group.source_ids}
    found = find_disagreements(sources, story.claims)
    return [d for d in found if _verified_statements(d.positions, story.noted)]


def _joined(story: _Asked, asked: list[Disagreement] | None, run: RunContext) -> list[Disagreement]:
    """The deterministic pass's disagreements, plus what the engine adds."""
    from briefing.reconcile import MAX_DISAGREEMENTS, sides_align, sides_differ

    group, noted, found = story.group, story.noted, list(story.found)
    # An engine's own answer only adds to the deterministic pass (deduplicated, capped),
    # never replaces it.
    extra = [d for d in asked or [] if _verified_statements(d.positions, noted)]
    texts = {s: run.sources[s].text for s in group.source_ids}
    # The engine's disagreements pass the same lexical gate whatever the model: a pair whose
    # every value both sources state is a paraphrase, not a disagreement.
    kept = [d for d in extra if sides_differ(d, texts)]
    if len(kept) < len(extra):
        noted.warn(
            f"reconcile: dropped {len(extra) - len(kept)} of the engine's disagreements "
            "a side quoted no figure, date or name missing from the other source (a paraphrase)"
        )
    # Two outlets' headlines word the story two ways: that is not a disagreement on a fact (a
    # live Qwen answer set two titles against each other).
    sources = [run.sources[s] for s in group.source_ids if s in run.sources]
    titled = [d for d in kept if _cites_a_heading(d, sources)]
    if titled:
        noted.warn(f"reconcile: dropped {len(titled)} of the engine's disagreements that set headlines apart")
        kept = [d for d in kept if d not in titled]
    # Two passages sharing almost none of their words report two facts (a live Qwen answer set one
    # senator's career against another's).
    apart = [d for d in kept if not sides_align(d, texts)]
    if apart:
        noted.warn(
            f"reconcile: dropped {len(apart)} of the engine's disagreements whose sides share "
            "almost no words (two facts, not one fact told two ways)"
        )
        kept = [d for d in kept if d not in apart]
    found += [d for d in kept if not _repeats(d, found)]
    return _count_voices(found[:MAX_DISAGREEMENTS], run.sources)


def _cites_a_heading(d: Disagreement, sources: Sequence[Source]) -> bool:
    from briefing.compose import is_heading

    return any(is_heading(c.quote, sources) for p in d.positions for c in p.citations)


def _finish_story(
    asked: _Asked, extractive: Composed, engine_composed: Composed | None, run: RunContext
) -> tuple[Story, str | None]:
    group, story_run, disagreements = asked.group, asked.run, asked.disagreements
    composed = (
        extractive
        if engine_composed is None
        else _filled(engine_composed, extractive, disagreements, story_run)
    )
    composed = fit_budget(composed, disagreements, story_run)
    bottom = _verified_statements(composed.bottom_line, run)
    key = _verified_statements(composed.key_points, run)
    if group.voices < 2:
        checked = "One source only: nothing to compare."
    elif disagreements:
        n = len(disagreements)
        checked = f"{n} disagreement{'s' if n != 1 else ''} found between the {group.voices} sources."
    else:
        checked = f"The {group.voices} sources agree on the facts checked."
    headline = _headline(bottom, group, run)
    story = Story(
        id="T0",
        headline=headline,
        sources=list(group.source_ids),
        independent_sources=group.voices,
        published=group.latest,
        bottom_line=bottom,
        key_points=key,
        disagreements=disagreements,
        checked=checked,
    )
    return story, composed.title


def _one_line(claims: Sequence[Claim], run: RunContext, said: list[frozenset[str]]) -> Statement | None:
    """The sentence that states a small story's news (its bottom line), for the "Also reported" list."""
    points = merge_claims(claims, run.sources)
    composed = compose_extractive(points, [], _story_run(run, 1), said)
    line = composed.bottom_line[:1]
    # A feature's opening scene is no line of news: the sentence stating its headline is.
    news = nut_graf(line[0], points, run) if line else None
    if news is not None:
        line = [statement_from_point(news)]
    bottom = _verified_statements(line, run)
    return bottom[0] if bottom else None


# Share of a headline's content words its bottom line does not state below which it only echoes it.
ECHOED_TITLE = 0.5


def _telling_title(
    bottom: Sequence[Statement], sources: dict[str, Source], story: Sequence[str] = ()
) -> str | None:
    """Of the headlines of the sources the bottom line cites, the one that adds most to it.

    An outlet's lede restates its own headline; shown above that lede, it says
    the news twice. Another outlet carrying the same lede headlines it in other
    words, so headline and bottom line together tell more. When every cited
    headline only restates the bottom line, the headline of another of the
    story's sources (``story``: one event, by the grouping) is taken if it adds more.
    """
    said = frozenset(w for s in bottom for w in content_words(s.text))

    def adds(title: str) -> float:
        words = frozenset(content_words(title))
        return len(words - said) / max(1, len(words))

    def titles_of(ids: Iterable[str]) -> list[str]:
        titles: list[str] = []
        for sid in ids:
            title = sources[sid].title if sid in sources else None
            if title and title not in titles:
                titles.append(title)
        return titles

    cited = titles_of(c.source for s in bottom for c in s.citations)
    best = max(cited, key=adds, default=None)  # the first of equals: the lede's own headline
    if best is None or adds(best) >= ECHOED_TITLE:
        return best
    others = [t for t in titles_of(story) if t not in cited]
    return max([best, *others], key=adds)


def _headline(bottom: Sequence[Statement], group: StoryGroup, run: RunContext) -> str:
    title = _telling_title(bottom, run.sources, group.source_ids)
    if title:
        return title
    for sid in group.source_ids:
        title = run.sources[sid].title
        if title:
            return title
    if bottom:
        words = bottom[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"


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
    from briefing.compose import FILL_TOLERANCE, REDUNDANT
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

    bottom: list[Statement] = []
    for statement in composed.bottom_line:
        # Two sentences replaced by the one claim they both cite would say it twice.
        if not any(statement.text == other.text for other in bottom):
            bottom.append(statement)
    bottom = bottom or list(extractive.bottom_line)
    key: list[Statement] = []
    for statement in composed.key_points:
        if not repeats(statement, [*bottom, *key]):
            key.append(statement)
    budget = run.options.max_words - disagreement_words(disagreements)
    used = sum(count_words(s.text) for s in [*bottom, *key])
    for statement in [*extractive.bottom_line, *extractive.key_points]:
        if used >= budget:
            break
        size = count_words(statement.text)
        # As the extractive composer fills: a last point may run over by the tolerance fit_budget
        # keeps (seen live with Qwen on a BASIL event: every 35-word point was 2 words too long,
        # and the brief had no key point where the offline one had one).
        if used + size > budget + FILL_TOLERANCE:
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


def _title(
    bottom: Sequence[Statement], sources: dict[str, Source], source_set: SourceSet, n_stories: int = 1
) -> str:
    voices = len(set(voice_of(sources).values()))
    name = Path(source_set.root).name if source_set.root else ""
    if n_stories > 1:
        return f"Brief: {name} ({len(sources)} sources)" if name else f"Brief of {len(sources)} sources"
    if bottom and voices > 3 and bottom[0].independent_sources * 2 < voices:
        # Many sources and the lead story is only one of several: one
        # article's headline would misname the brief.
        return f"Brief: {name} ({len(sources)} sources)" if name else f"Brief of {len(sources)} sources"
    title = _telling_title(bottom, sources, list(sources))
    if title:
        return title
    for source in source_set.sources:
        if source.title:
            return source.title
    return f"Brief: {name}" if name else "Brief"
