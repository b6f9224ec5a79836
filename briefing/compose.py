"""Compose: choose what the one-page brief says, within its word budget.

The extractive composer picks a bottom line (an article's lede, the most
salient one, with the other outlets' matching ledes as corroboration) and then,
greedily, the point adding the most: what other outlets echo, what comes early,
what the story's headlines say, and above all the concepts (content words and word pairs) that several voices
state and no chosen point states yet, per word (:func:`salience`). A point
repeating one of the story's headlines, or written in headline capitals, is
never chosen. Any
composer's output goes through :func:`fit_budget`, which trims the
lowest-priority key points and never the bottom line or the disagreements.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from briefing.merge import numbers_in, opinion_of, voice_of
from briefing.models import Citation, Disagreement, Point, Source, Statement
from briefing.run import Composed, RunContext
from briefing.text import NAME_WORD, content_words, count_words, is_headline_style, is_live_blog

REDUNDANT = 0.45  # content-word overlap above which a point repeats one already chosen
# Two outlets' ledes state one story's news in their own words: sharing this many content words
# (and this share of the shorter's) they state the same fact, though too differently worded for
# REDUNDANT. Chosen on reading D's duplicate pairs (benchmarks/README); a source's second sentence
# is held to it too since readings I and J (an outlet opening on a reaction states the news next).
# Words are compared on their first LEDE_STEM letters ("cracks"/"cracked", "terminal"/"terminals"):
# outlets retell a lede in other forms of the same words (2026-12-06 readings, benchmarks/README).
LEDES_SHARE_WORDS = 6
LEDES_SHARE = 0.25
LEDE_STEM = 5
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
    # A live blog has no lede: its first sentences are its latest entry, whatever it is about.
    return early and not _quoted(claim.text) and not (source is not None and is_live_blog(source.text))


LEDE_SENTENCES = 2  # an article's first usable sentences state its news


def _ledes(points: Sequence[Point]) -> dict[str, list[int]]:
    """Start offsets of each source's first usable sentences."""
    starts: dict[str, list[int]] = {}
    for point in points:
        for claim in point.claims:
            starts.setdefault(claim.source_id, []).append(claim.start)
    return {sid: sorted(set(s))[:LEDE_SENTENCES] for sid, s in starts.items()}


def lede_spans(points: Sequence[Point]) -> set[tuple[str, int, int]]:
    """(source, start, end) of each source's first usable sentences: where a report states its news."""
    first = _ledes(points)
    return {
        (c.source_id, c.start, c.end)
        for p in points
        for c in p.claims
        if c.start in first.get(c.source_id, ())
    }


def _is_lede(point: Point, first: dict[str, list[int]]) -> bool:
    return any(c.start in first.get(c.source_id, ()) for c in point.claims)


def _lede_rank(point: Point, first: dict[str, list[int]]) -> int:
    ranks = [first[c.source_id].index(c.start) for c in point.claims if c.start in first.get(c.source_id, ())]
    return min(ranks, default=LEDE_SENTENCES)


def _published(point: Point, run: RunContext) -> tuple[str, str]:
    """The newest report stating the point: its date, then (two reports of one day) its time."""
    stamps = [
        (s.published, s.published_at or "")
        for c in point.claims
        if (s := run.sources.get(c.source_id)) and s.published
    ]
    return max(stamps, default=("", ""))


def _quoted(text: str) -> bool:
    """A quotation (or mostly one): colour for key points, not a bottom line.

    A name or a word or two in quotation marks (a show's title, a word someone used) does not make
    the sentence a quotation: a lede naming a TV show in quotation marks states the news, and so does
    one ending on a phrase it quotes ("a decline he called “this national disgrace.”").
    """
    stripped = text.strip()
    if stripped[:1] in "“\"‘'":
        return True
    quotations = _QUOTATION.findall(stripped)
    quoted = sum(len(q.split()) for q in quotations)
    if stripped.rstrip(".")[-1:] in "”\"’'" and (
        not quotations
        or len(quotations[-1].split()) >= CLOSING_QUOTATION_WORDS
        or quoted >= CLOSING_QUOTED_SHARE * len(stripped.split())
    ):
        return True
    return quoted >= QUOTED_SHARE * len(stripped.split())


_QUOTATION = re.compile(r"[“\"]([^“”\"]*)[”\"]")
QUOTED_SHARE = 0.5  # share of a sentence's words inside quotation marks from which it is mostly a quotation
# Words of a closing quotation from which a sentence ending on it is a quotation, not a phrase it quotes
# (a whole remark, as a quotation of six words or more is to the disagreement reader).
CLOSING_QUOTATION_WORDS = 6
# Share of its words in quotation marks from which a sentence ending on a quotation reports what was said
# ("are forming a “harbour watch panel” and may weigh “a shared grain reserve.”"), though each is short.
CLOSING_QUOTED_SHARE = 0.25


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


# Salience of a point within its story. Weights chosen on the first half of the
# AllSides stories (benchmarks/bench_rouge.py); the second half is held out.
# Measured there and left out: an exact subset search over concepts (ICSI-style),
# PageRank centrality instead of echo, and a logistic/ridge/boosted sentence scorer
# trained on sentence-level ROUGE (5-fold on the tuning half) all scored within
# +-0.3 ROUGE-1 of these weights.
ECHO_WEIGHT = 0.3  # how much the other outlets' sentences echo this one (multi-source agreement)
POSITION_WEIGHT = 0.1  # an article's first sentences state its news
POSITION_DECAY = 0.5  # prior of a source's k-th usable sentence: POSITION_DECAY ** k
HEADLINE_WEIGHT = 0.3  # how much the point states of its story's headlines (the editors' own summary)
COVERAGE_WEIGHT = 1.0  # new concepts (words, word pairs) the point adds, weighted by the voices stating them
LENGTH_POWER = 0.75  # coverage gain is divided by (words ** LENGTH_POWER): long sentences cost the page
FILL_TOLERANCE = 25  # words a last point may run over the budget (fit_budget's tolerance)


class Salience:
    """Per-point salience within a story, and what each point would add to the points already chosen.

    ``score`` is the point's own salience (echo, position, headline); the marginal
    value adds its coverage gain: the weight of the concepts it states that no
    chosen point states yet, per word. Covered concepts give nothing, so a
    point repeating what is said loses its value (redundancy removal).
    """

    def __init__(
        self,
        score: list[float],
        concepts: list[frozenset[str]],
        weight: dict[str, float],
        sizes: list[int],
    ) -> None:
        self.score = score
        self._concepts = concepts
        self._weight = weight
        self._sizes = sizes
        self._covered: set[str] = set()
        self._scale = max((self._gain(i) for i in range(len(score))), default=0.0) or 1.0

    def _gain(self, i: int) -> float:
        new = sum(self._weight.get(c, 0.0) for c in self._concepts[i] if c not in self._covered)
        return float(new / max(1, self._sizes[i]) ** LENGTH_POWER)

    def choose(self, i: int) -> None:
        self._covered.update(self._concepts[i])

    def marginal(self, i: int) -> float:
        return self.score[i] + COVERAGE_WEIGHT * self._gain(i) / self._scale


def _concepts(text: str) -> frozenset[str]:
    words = content_words(text)
    return frozenset((*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))))


def _concept_weights(points: Sequence[Point], run: RunContext) -> dict[str, float]:
    """Concepts (content words and their pairs) weighted by how many voices' whole texts state them."""
    voice = voice_of(run.sources)
    by_voice: dict[str, set[str]] = {}
    for sid in {c.source_id for p in points for c in p.claims}:
        source = run.sources.get(sid)
        if source is not None:
            by_voice.setdefault(voice.get(sid, sid), set()).update(_concepts(source.text))
    counts: dict[str, float] = {}
    for concepts in by_voice.values():
        for c in concepts:
            counts[c] = counts.get(c, 0.0) + 1.0
    floor = 2.0 if len(by_voice) > 1 else 1.0
    return {c: n for c, n in counts.items() if n >= floor}


def salience(points: Sequence[Point], run: RunContext) -> Salience:
    """How central each point is to its story, and what it covers.

    Echo: a point's mean TF-IDF cosine to each other voice's sentences,
    averaged over those voices (computed through per-voice mean vectors, so
    the cost stays linear in sentences): the multi-source agreement signal.
    Position: a source's first usable sentences state its news. Headline:
    the words of the story's headlines the point states. Each is scaled to its
    range in the story and weighted; coverage is added as points are chosen
    (:class:`Salience`).
    """
    ranks = _source_ranks(points)
    position = [max(POSITION_DECAY ** ranks[(c.source_id, c.start)] for c in p.claims) for p in points]
    concepts = [_concepts(p.text) for p in points]
    weight = _concept_weights(points, run)
    sizes = [count_words(p.text) for p in points]
    headline = _headline_words(points, run)
    return Salience(_blend(_echo(points, run), position, headline), concepts, weight, sizes)


HEADLINE_ECHO = 0.7  # share of a headline's content words a point repeats to be its echo


def _headlines(points: Sequence[Point], run: RunContext) -> list[frozenset[str]]:
    """Content words of the headlines of the sources the points come from."""
    heads: list[frozenset[str]] = []
    for sid in sorted({c.source_id for p in points for c in p.claims}):
        source = run.sources.get(sid)
        if source is not None and source.title and (words := frozenset(content_words(source.title))):
            heads.append(words)
    return heads


def _echoes_headline(words: frozenset[str], heads: Sequence[frozenset[str]]) -> bool:
    return any(len(words & h) >= HEADLINE_ECHO * len(h) and len(words) <= len(h) + 4 for h in heads)


def is_heading(text: str, sources: Iterable[Source]) -> bool:
    """``text`` repeats one of these sources' headlines, or is written as a headline: a point
    that tells the reader nothing the story's headline does not (whichever engine chose it)."""
    heads = [w for s in sources if s.title and (w := frozenset(content_words(s.title)))]
    return _echoes_headline(frozenset(content_words(text)), heads) or is_headline_style(text)


def _headline_words(points: Sequence[Point], run: RunContext) -> list[float]:
    """How much of its story's headlines each point states, per (square root of its) content word.

    Headlines themselves never become points (a headline echo is left out);
    a sentence sharing their words states what the editors called the news.
    """
    heads = frozenset().union(*_headlines(points, run))
    out = []
    for point in points:
        words = frozenset(content_words(point.text))
        out.append(len(words & heads) / max(1, len(words)) ** 0.5)
    return out


def _echo(points: Sequence[Point], run: RunContext) -> list[float]:
    n = len(points)
    voice = voice_of(run.sources)
    lead_voice = [voice.get(p.claims[0].source_id, p.claims[0].source_id) for p in points]
    names = sorted(set(lead_voice))
    if n < 2 or len(names) < 2:
        return [0.0] * n
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        vectors = TfidfVectorizer(analyzer=content_words).fit_transform([p.text for p in points])
    except ValueError:  # no content word at all: nothing to compare
        return [0.0] * n
    echo = [0.0] * n
    for v in names:
        rows = [i for i, w in enumerate(lead_voice) if w == v]
        # A sentence's dot product with a voice's mean vector is its mean cosine to that voice's sentences.
        cosine = (vectors @ vectors[rows].mean(axis=0).T).tolist()
        for i in range(n):
            if lead_voice[i] != v:  # a voice does not echo itself
                echo[i] += float(cosine[i][0])
    return [e / (len(names) - 1) for e in echo]


def _scaled(values: Sequence[float]) -> list[float]:
    if not values:
        return []
    low, high = min(values), max(values)
    return [0.0 if high <= low else (v - low) / (high - low) for v in values]


def _blend(echo: Sequence[float], position: Sequence[float], headline: Sequence[float]) -> list[float]:
    return [
        ECHO_WEIGHT * e + POSITION_WEIGHT * p + HEADLINE_WEIGHT * h
        for e, p, h in zip(_scaled(echo), _scaled(position), _scaled(headline), strict=True)
    ]


def _source_ranks(points: Sequence[Point]) -> dict[tuple[str, int], int]:
    """(source, start) of every claim -> its rank among that source's usable sentences."""
    starts: dict[str, set[int]] = {}
    for point in points:
        for claim in point.claims:
            starts.setdefault(claim.source_id, set()).add(claim.start)
    return {(sid, start): k for sid, s in starts.items() for k, start in enumerate(sorted(s))}


def _recalls_another(point: Point, run: RunContext) -> bool:
    """A background sentence: it names a flight, route or model number its source is not about.

    A story about one flight recalls others ("another flight vanished in March with 239 on
    board"); told as a key point, that reads as news of this story.
    """
    from briefing.reconcile import first_identifier

    for claim in point.claims:
        source = run.sources.get(claim.source_id)
        first = first_identifier(claim.quote)
        if source is None or first is None:
            continue
        # Named first, the other flight is what the sentence tells of, even if its own is
        # named after it ("families of Flight XR77, which, unlike XR512, was never found").
        own = _main_identifier(source.text)
        if own is not None and first != own:
            return True
    return False


@lru_cache(maxsize=4096)  # one scan per source text (a str caches its hash), not one per claim
def _main_identifier(text: str) -> str | None:
    from briefing.reconcile import main_identifiers

    return main_identifiers({"": text}).get("")


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
    # The chosen statements that are a source's first sentence: (their sources, their content-word stems).
    told_ledes: list[tuple[frozenset[str], frozenset[str]]] = []

    # Names the reader has met: in the story's headlines, then in each statement chosen.
    introduced = _capitalised(" ".join(s.title or "" for s in _story_sources(points, run)))

    def fresh(point: Point, words: frozenset[str] | None = None) -> bool:
        if any((c.source_id, c.start) in in_conflict for c in point.claims):
            return False
        if _strangers(point, run) - introduced:
            return False
        words = frozenset(content_words(point.text)) if words is None else words
        in_lede = _lede_rank(point, first) < LEDE_SENTENCES
        if in_lede and _restates_lede(words, _sources(point), told_ledes):
            return False
        return all(_overlap(words, w) < REDUNDANT for w in chosen_words)

    def told(point: Point, words: frozenset[str]) -> None:
        chosen_words.append(words)
        if _lede_rank(point, first) == 0:
            told_ledes.append((_sources(point), _stems(words)))

    # A sentence repeating one of the story's headlines (another outlet's, too) tells nothing new;
    # a line in headline capitals is a heading, not a sentence.
    heads = _headlines(points, run)
    points = [
        p
        for p in points
        if not _echoes_headline(frozenset(content_words(p.text)), heads) and not is_headline_style(p.text)
    ]
    points = [p for p in points if not _recalls_another(p, run)] or points
    prose = [p for p in points if not _is_table_row(p)]
    bottom: list[Statement] = []
    # The bottom line is the news itself: an article's lede (its first usable
    # sentences, not a quotation), from the most recent report, strongest first;
    # else a lead-like statement among the strongest points.
    first = _ledes(points)
    # A lede relaying another outlet's report is that outlet's news, not this source's; a column's
    # opening is its author's view, not the news (unless the story has nothing but columns).
    opinion = opinion_of(run.sources)
    reports = [p for p in prose if not _argued(p, opinion)] or prose
    ledes = [
        p
        for p in reports
        if fresh(p) and _is_lede(p, first) and _lead_like(p, run) and not p.claims[0].relayed
    ]
    leads = (
        ledes
        or [p for p in reports[:12] if fresh(p) and _lead_like(p, run)]
        or [p for p in reports[:12] if fresh(p) and not _quoted(p.text)]
        or [p for p in reports[:8] if fresh(p)]
    )
    sal = salience(points, run)
    at = {id(p): i for i, p in enumerate(points)}
    words_of = [frozenset(content_words(p.text)) for p in points]
    size_of = [count_words(p.text) for p in points]
    lead = max(
        leads,
        key=lambda p: (
            _published(p, run),
            -_lede_rank(p, first),
            p.independent_sources > 1,
            sal.marginal(at[id(p)]),
        ),
        default=None,
    )
    corroborating: list[Point] = []
    if lead is not None:
        corroborating = [
            p
            for p in _corroborating(lead, prose, run, fresh)
            if not p.claims[0].relayed and p.claims[0].source_id not in opinion
        ]
        bottom.append(_with_corroboration(statement_from_point(lead), corroborating, run))
        told(lead, frozenset(content_words(lead.text)))
        introduced |= _capitalised(lead.text)
        sal.choose(at[id(lead)])
        if count_words(lead.text) < BOTTOM_LINE_MIN_WORDS:
            second = _continuation(lead, prose, fresh) or max(
                (p for p in prose if p is not lead and fresh(p) and not _quoted(p.text)),
                key=lambda p: sal.marginal(at[id(p)]),
                default=None,
            )
            if second is not None:
                bottom.append(statement_from_point(second))
                told(second, frozenset(content_words(second.text)))
                introduced |= _capitalised(second.text)
                sal.choose(at[id(second)])
    used = sum(count_words(s.text) for s in bottom)
    key: list[Statement] = []
    taken = {id(p) for p in points if any(s.text == p.text for s in bottom)}
    taken.update(id(p) for p in corroborating)
    left = [i for i, p in enumerate(points) if id(p) not in taken]
    argued = {i for i, p in enumerate(points) if _argued(p, opinion)}
    # Maximal marginal relevance: the most salient point, less its similarity to
    # what is already said, until the budget is filled.
    while left and used < budget:
        fitting = [
            i for i in left if used + size_of[i] <= budget + FILL_TOLERANCE and fresh(points[i], words_of[i])
        ]
        if not fitting:
            break
        # A column's views come after the reports' facts: the brief tells the news, then what is argued.
        best = max(fitting, key=lambda i: (i not in argued, sal.marginal(i), -i))
        key.append(statement_from_point(points[best]))
        told(points[best], words_of[best])
        introduced |= _capitalised(points[best].text)
        sal.choose(best)
        left.remove(best)
        used += size_of[best]
    return Composed(bottom_line=bottom, key_points=key)


# A feature opens on a scene ("On Sunday, a shopkeeper was allowed to leave his street…") and states its
# news a few paragraphs on (its "nut graf"): the sentences searched for it, and the headline words it
# must state to be that sentence.
NUT_GRAF_SENTENCES = 12
NUT_GRAF_WORDS = 2
NUT_GRAF_MAX_WORDS = 35  # a one-line story's line: a long passage would push other stories' lines out


def nut_graf(lede: Statement, points: Sequence[Point], run: RunContext) -> Point | None:
    """For a one-source story whose lede states no word of its headline (a scene, not the news): the
    early sentence stating most of the headline, if one states enough of it; else None."""
    sources = {c.source for c in lede.citations}
    titles = [t for sid in sources if (t := run.sources[sid].title if sid in run.sources else None)]
    heads = frozenset(w for t in titles for w in content_words(t))
    if not heads or frozenset(content_words(lede.text)) & heads:
        return None  # the lede tells the headline's news (or there is no headline to tell it by)
    first = sorted({c.start for p in points for c in p.claims if c.source_id in sources})[:NUT_GRAF_SENTENCES]
    early = [
        p
        for p in points
        if p.claims[0].start in first
        and p.claims[0].source_id in sources
        and not _quoted(p.text)
        and count_words(p.text) <= NUT_GRAF_MAX_WORDS
    ]
    introduced = _capitalised(" ".join(titles))
    stated = {id(p): len(frozenset(content_words(p.text)) & heads) for p in early}
    best = max(early, key=lambda p: (stated[id(p)], -p.claims[0].start), default=None)
    if best is None or stated[id(best)] < NUT_GRAF_WORDS:
        return None
    return None if _strangers(best, run) - introduced - _capitalised(lede.text) else best


def _argued(point: Point, opinion: frozenset[str]) -> bool:
    """Every source of the point is an opinion piece: a view argued, not a fact reported."""
    return all(c.source_id in opinion for c in point.claims)


def _continuation(lead: Point, prose: Sequence[Point], fresh: Callable[[Point], bool]) -> Point | None:
    """The lede's own next sentence, when it can be told: a short lede goes on in its article."""
    claim = lead.claims[0]
    after = [
        p
        for p in prose
        if p is not lead and p.claims[0].source_id == claim.source_id and p.claims[0].start >= claim.end
    ]
    nxt = min(after, key=lambda p: p.claims[0].start, default=None)
    return nxt if nxt is not None and fresh(nxt) and not _quoted(nxt.text) else None


def _sources(point: Point) -> frozenset[str]:
    return frozenset(c.source_id for c in point.claims)


def _restates_lede(
    words: frozenset[str], sources: frozenset[str], ledes: Sequence[tuple[frozenset[str], frozenset[str]]]
) -> bool:
    """A source's lede sentence stating what another report's first sentence, already told, states.

    Another report of the same voice too: a wire's earlier dispatch on its India page tells the news as
    it stood then ("a plane presumed to have crashed"), under the later one told as the bottom line.
    Only an article's own second sentence, which goes on from its first, is not held to it.
    ``ledes`` hold the told first sentences' sources and stems (stemmed once, when told).
    """
    words = _stems(words)
    for other_sources, other in ledes:
        shared = len(words & other)
        if sources & other_sources or shared < LEDES_SHARE_WORDS:
            continue
        if _overlap(words, other) >= LEDES_SHARE:
            return True
    return False


def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:LEDE_STEM] for w in words)


def _capitalised(text: str) -> set[str]:
    return set(re.findall(NAME_WORD, text))


def _story_sources(points: Sequence[Point], run: RunContext) -> list[Source]:
    ids = sorted({c.source_id for p in points for c in p.claims})
    return [run.sources[sid] for sid in ids if sid in run.sources]


def _strangers(point: Point, run: RunContext) -> frozenset[str]:
    """People the point names by surname alone whom its source introduced earlier ("Whelan added...")."""
    claim = point.claims[0]
    source = run.sources.get(claim.source_id)
    if source is None:
        return frozenset()
    return _bare_surnames(point.text, source.text, claim.start)


# A point is offered to several checks; its source's text is scanned once (a str caches its hash).
@lru_cache(maxsize=8192)
def _bare_surnames(sentence: str, text: str, start: int) -> frozenset[str]:
    from briefing.reconcile import bare_surnames

    return bare_surnames(sentence, text[:start])


def _corroborating(
    lead: Point, prose: Sequence[Point], run: RunContext, fresh: Callable[[Point], bool]
) -> list[Point]:
    """Other sources' leads that report the same event as the bottom line.

    Outlets word a lead differently ("Tarnow and Quenby have agreed a ferry plan"
    against "The two towns signed a joint harbour accord"), too
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
    while key and fixed + sum(count_words(s.text) for s in key) > budget + FILL_TOLERANCE:
        key.pop()
        run.meta.points_trimmed += 1
    return Composed(bottom_line=composed.bottom_line, key_points=key, title=composed.title)
