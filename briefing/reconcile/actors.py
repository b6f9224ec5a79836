"""Who did it: sources naming different people as the agents of the same event.

"The deal was closed by Prime Minister Takaichi Sanae and President Donald
Trump" and "The deal, finalized between Energy Secretary Jennifer Granholm and
Minister Ken Saito" cannot both be right: the same event noun (deal, pact,
agreement...) with the same kind of event verb (signed, closed, finalized...)
has disjoint sets of agents.

Conservative by design: every agent must be a person (a titled mention, or a
bare name the same source gives a title elsewhere), the agents must be the
grammatical agents of the event ("was signed by X", "finalized between X and
Y", "X and Y signed the deal"), and a single shared person on the two sides
means no conflict (one source may just name fewer of the signatories).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from briefing.models import Citation, Disagreement, Source, Statement
from briefing.reconcile.people import PersonMention, find_people, name_tokens, same_person

# Event nouns one story uses interchangeably for the same agreement.
_NOUNS = {
    "deal": "deal",
    "pact": "deal",
    "agreement": "deal",
    "accord": "deal",
    "treaty": "deal",
    "memorandum": "deal",
    "mou": "deal",
    "moc": "deal",
    "contract": "deal",
    "bill": "bill",
    "legislation": "bill",
}
# Verbs that complete the event (signing and its synonyms) vs those that only make it public.
_VERBS = {
    "signed": "sign",
    "closed": "sign",
    "finalized": "sign",
    "finalised": "sign",
    "concluded": "sign",
    "agreed": "sign",
    "struck": "sign",
    "sealed": "sign",
    "inked": "sign",
    "reached": "sign",
    "clinched": "sign",
    "announced": "announce",
    "unveiled": "announce",
}
_VERB_WORD = {"sign": "signed", "announce": "announced"}
_NOUN_ALT = "|".join(sorted(_NOUNS, key=len, reverse=True))
_VERB_ALT = "|".join(sorted(_VERBS, key=len, reverse=True))
# The event noun with up to three modifiers: "The landmark rare earths deal". Definite only:
# "signed a bill" in two stories may be two bills.
_NOUN_RE = re.compile(
    rf"\b(?:the|this|that)\s+((?:(?!(?:the|a|an|of|to|for|and|or|in|on|at|with|by|from)\s)[\w’'-]+\s+){{0,3}}?)"
    rf"({_NOUN_ALT})\b(?:\s+\(\w+\))?",
    re.IGNORECASE,
)
# "<noun> was|were|has been <verb> by|between", "<noun>, <verb> by|between", "<noun> <verb> by".
_PASSIVE_RE = re.compile(
    rf"(?:\s+(?:was|were|has\s+been|had\s+been|is|being)\s+|,\s+|\s+)(?:\w+ly\s+)?({_VERB_ALT})"
    rf"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))?\s+(by|between)\s+"
)
# "<agents> [on Monday] <verb> the <noun>".
_ACTIVE_RE = re.compile(
    rf"\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+|\w+ly\s+)?"
    rf"({_VERB_ALT})\s+(?=(?:the|this|that)\s)"
)
_JOIN_RE = re.compile(r"(?:,\s+and\s+|,\s+|\s+and\s+|\s*&\s*)")
_BARE_NAME_RE = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?([A-Z][a-zA-Z’'-]+(?:\s+[A-Z][a-zA-Z’'-]+){0,2})")


class Agent(BaseModel):
    name: str
    tokens: list[str]


class EventAgents(BaseModel):
    """One statement of who did an event; ``text[start:end]`` is the clause naming them."""

    source_id: str
    start: int
    end: int
    noun: str  # class: 'deal', 'bill', 'order'
    noun_text: str
    verb: str  # class: 'sign', 'announce'
    modifiers: list[str] = Field(default_factory=list)
    agents: list[Agent]


def _known(people: Sequence[PersonMention]) -> list[list[str]]:
    return [p.name_tokens for p in people if len(p.name_tokens) >= 1 and not p.historic]


class _Named(BaseModel):
    start: int
    end: int
    agent: Agent


def _bare_at(text: str, pos: int, known: list[list[str]]) -> _Named | None:
    """A bare name at ``pos`` that the source gives a title elsewhere ('Mr. Trump', 'Takaichi')."""
    m = _BARE_NAME_RE.match(text, pos)
    if m is None:
        return None
    words = m.group(1).split()
    # Drop trailing capitalised words that are not part of the name ('Trump Tuesday').
    while words:
        toks = set(name_tokens(" ".join(words)))
        fits = [k for k in known if toks and toks <= set(k)]
        if fits:
            end = m.start(1) + len(" ".join(words))
            return _Named(start=pos, end=end, agent=Agent(name=" ".join(words), tokens=max(fits, key=len)))
        words.pop()
    return None


def _named(text: str, mentions: Sequence[PersonMention], known: list[list[str]]) -> list[_Named]:
    """Every person named in ``text``: titled mentions first, then bare names of titled people."""
    out = [
        _Named(start=pm.start, end=pm.end, agent=Agent(name=pm.name, tokens=pm.name_tokens))
        for pm in mentions
        if not pm.historic
    ]
    for cap in re.finditer(r"\b[A-Z]", text):
        if any(n.start <= cap.start() < n.end for n in out):
            continue
        bare = _bare_at(text, cap.start(), known)
        if bare is not None:
            out.append(bare)
    return sorted(out, key=lambda n: n.start)


def _chain_forward(text: str, pos: int, named: Sequence[_Named]) -> tuple[list[Agent], int]:
    """Agents joined by 'and' / commas starting exactly at ``pos``; the end of the last one."""
    agents: list[Agent] = []
    end = pos
    while True:
        found = next((n for n in named if n.start == pos), None)
        if found is None:
            break
        agents.append(found.agent)
        end = found.end
        join = _JOIN_RE.match(text, end)
        if join is None:
            break
        pos = join.end()
    return agents, end


def _chain_backward(text: str, end: int, named: Sequence[_Named], floor: int) -> tuple[list[Agent], int]:
    """Agents whose chain ends exactly at ``end`` (for 'X and Y signed the deal'); and its start."""
    agents: list[Agent] = []
    start = end
    while True:
        prev = next(
            (
                n
                for n in named
                if n.end <= start
                and n.start >= floor
                and (n.end == end if not agents else bool(_JOIN_RE.fullmatch(text[n.end : start])))
            ),
            None,
        )
        if prev is None:
            break
        agents.insert(0, prev.agent)
        start = prev.start
    return agents, start


def _modifiers(words: str) -> list[str]:
    return sorted({w.lower() for w in words.split() if w.lower() not in ("new", "landmark", "historic")})


def event_agents(
    source_id: str, text: str, start: int, end: int, known: list[list[str]]
) -> list[EventAgents]:
    """Who each sentence ``text[start:end]`` says did an event; offsets are absolute."""
    sent = text[start:end]
    nouns = list(_NOUN_RE.finditer(sent))
    if not nouns:
        return []  # most sentences name no deal or bill: skip reading their people
    named = _named(sent, find_people(sent), known)
    out: list[EventAgents] = []
    for nm in nouns:
        noun_word = nm.group(2).lower()
        noun = _NOUNS[noun_word]
        mods = _modifiers(nm.group(1))
        passive = _PASSIVE_RE.match(sent, nm.end())
        if passive:
            agents, agents_end = _chain_forward(sent, passive.end(), named)
            # "between A and B" needs two parties; "by A" may name one.
            if agents and (passive.group(2) == "by" or len(agents) >= 2):
                out.append(
                    EventAgents(
                        source_id=source_id,
                        start=start + nm.start(),
                        end=start + agents_end,
                        noun=noun,
                        noun_text=noun_word,
                        verb=_VERBS[passive.group(1).lower()],
                        modifiers=mods,
                        agents=agents,
                    )
                )
            continue
        # Active voice: the agents end just before '<verb> the <noun>'.
        for verb in _ACTIVE_RE.finditer(sent, max(0, nm.start() - 60), nm.end()):
            if verb.end() != nm.start():
                continue
            clause_start = max(sent.rfind(s, 0, verb.start()) for s in ("; ", ": ", "\n")) + 1
            agents, agents_start = _chain_backward(sent, verb.start(), named, clause_start)
            if agents:
                out.append(
                    EventAgents(
                        source_id=source_id,
                        start=start + agents_start,
                        end=start + nm.end(),
                        noun=noun,
                        noun_text=noun_word,
                        verb=_VERBS[verb.group(1).lower()],
                        modifiers=mods,
                        agents=agents,
                    )
                )
    return out


def _overlap(a: Sequence[Agent], b: Sequence[Agent]) -> bool:
    return any(same_person(x.tokens, y.tokens) for x in a for y in b)


def _topic(e: EventAgents) -> str:
    noun = e.noun_text.upper() if e.noun_text in ("mou", "moc") else e.noun_text
    return f"Who {_VERB_WORD[e.verb]} the {noun}"


def _cite(sources: Mapping[str, Source], ev: EventAgents) -> Citation:
    text = sources[ev.source_id].text
    return Citation(source=ev.source_id, quote=text[ev.start : ev.end], start=ev.start, end=ev.end)


def agent_disagreements(
    sentences: Sequence[tuple[str, int, int]], sources: Mapping[str, Source]
) -> list[tuple[float, Disagreement]]:
    """Events whose agents differ between sources, from (source id, start, end) sentences."""
    known: dict[str, list[list[str]]] = {}
    by_event: dict[tuple[str, str], list[EventAgents]] = defaultdict(list)
    for sid, s, e in sentences:
        if not _NOUN_RE.search(sources[sid].text[s:e]):
            continue
        if sid not in known:
            known[sid] = _known(find_people(sources[sid].text))
        for ev in event_agents(sid, sources[sid].text, s, e, known[sid]):
            by_event[(ev.noun, ev.verb)].append(ev)
    out: list[tuple[float, Disagreement]] = []
    order = list(sources)
    for events in by_event.values():
        per_source: dict[str, list[EventAgents]] = defaultdict(list)
        for ev in events:
            per_source[ev.source_id].append(ev)
        # Sources naming at least one common agent agree (one may list fewer signatories).
        sides: list[tuple[list[EventAgents], list[Agent]]] = []
        for sid in sorted(per_source, key=order.index):
            agents = [x for ev in per_source[sid] for x in ev.agents]
            side = next((sd for sd in sides if _overlap(sd[1], agents)), None)
            if side is None:
                sides.append(([per_source[sid][0]], agents))
            else:
                side[0].append(per_source[sid][0])
                side[1].extend(agents)
        if len(sides) < 2:
            continue
        mods = [set(m) for sd in sides for m in [[w for ev in sd[0] for w in ev.modifiers]] if m]
        # "the trade deal" and "the defense pact" are different events.
        if len(mods) >= 2 and not set.intersection(*mods):
            continue
        positions = [
            Statement(
                text=sources[evs[0].source_id].text[evs[0].start : evs[0].end],
                citations=[_cite(sources, ev) for ev in evs],
                independent_sources=len(evs),
            )
            for evs, _ in sides
        ]
        score = 9 + sum(len(agents) for _, agents in sides)
        out.append((score, Disagreement(topic=_topic(sides[0][0][0]), positions=positions)))
    return out
