"""What a figure or a day is attached to: whose figure it is, and which action a day dates.

Two passages of one story often state figures or days of different things with the
same words around them: one candidate's share of a poll and another's, the day one
politician spoke and the day another answered. The sentences look alike; the person
the value belongs to and the action right at the value tell them apart.

- the *owner* of a figure is the person named nearest before it in its sentence
  ("Roe leads with 21 percent, Doe follows with 17 percent"), not one who only reports it
  ("Roe said 14 people died");
- the *actor* of a day is the first person its sentence names;
- the *action* at a day is the content words of its clause next to it ("released",
  "met"), names and titles left out.

A person is anyone the story names with a title or a first and last name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from briefing.reconcile import lexicon
from briefing.reconcile.dates import calendar_words
from briefing.reconcile.numbers import stem
from briefing.reconcile.people import find_people
from briefing.reconcile.records import FactRecord
from briefing.text import is_headline_style

_CAP_RE = re.compile(r"(?<![\w’'-])[A-Z][A-Za-z’'-]*[a-z][A-Za-z’'-]*")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]")
# A clause ends at these: the action of a day is told inside its own clause.
_CLAUSE_RE = re.compile(r"[,;:()\"“”—–]|\s--?\s|[.!?](?:\s|$)")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii"})
_NAME_HEAD_RE = re.compile(r"(?<=[a-z.’'-])\s+[A-Z][\w’'-]*\s+([a-z][a-z-]+)")
_ACTION_WORDS = 3  # content words on each side of a day that name what happened on it


def _tok(word: str) -> str:
    return re.sub(r"[’']s?$", "", word.lower())


@cache
def _speech() -> frozenset[str]:
    return lexicon.words("speech_verbs.txt")


@cache
def title_words() -> frozenset[str]:
    """Every word of data/titles.txt and every short form of data/title_abbreviations.txt."""
    titles = frozenset().union(*lexicon.groups("titles.txt").values())
    return titles | frozenset(lexicon.pairs("title_abbreviations.txt"))


@cache
def _not_action() -> frozenset[str]:
    """Function words, months, weekdays and title words: none names an action."""
    return lexicon.stop_words() | title_words() | calendar_words()


@cache
def title_stems() -> frozenset[str]:
    """Stems of title words: "the attorney general" names a person, not what happened."""
    return frozenset(stem(w) for w in title_words())


@cache
def speech_acts() -> frozenset[str]:
    """Action flags of speech verbs ("act:said"): saying dates no event of its own."""
    return frozenset(f"act:{stem(w)}" for w in _speech())


def clause_words(sentence: str, start: int, end: int) -> frozenset[str]:
    """Lower-cased words of the clause holding ``sentence[start:end]``."""
    cuts = list(_CLAUSE_RE.finditer(sentence))
    lo = max((m.end() for m in cuts if m.end() <= start), default=0)
    hi = min((m.start() for m in cuts if m.start() >= end), default=len(sentence))
    return frozenset(_tok(w) for w in _WORD_RE.findall(sentence[lo:hi]))


# Where a sentence's clause ends when a comma alone does not end it: "analysts had expected, on
# average, 7,000" is one clause; "is expected to approve the bill, which grants $1.4 billion" two.
_MAIN_CLAUSE_RE = re.compile(
    r"[;:()—–]|\s--?\s|,\s+(?=(?:which|who|as|but|while|after|although|though|whereas)\b|[a-z]+ing\b)|\sbut\s"
)


def main_clause_words(sentence: str, start: int, end: int) -> frozenset[str]:
    """Lower-cased words of the clause holding ``sentence[start:end]``, its asides and lists kept: a
    comma ends it only before a relative or contrasting word ("which", "but") or an "-ing" clause."""
    lo = max((m.end() for m in _MAIN_CLAUSE_RE.finditer(sentence, 0, start)), default=0)
    after = _MAIN_CLAUSE_RE.search(sentence, end)
    hi = after.start() if after else len(sentence)
    return frozenset(_tok(w) for w in _WORD_RE.findall(sentence[lo:hi]))


def recurs(sentence: str, start: int, end: int) -> bool:
    """The clause of the day at ``start:end`` tells of a thing done more than once ("latest meeting")."""
    return bool(clause_words(sentence, start, end) & lexicon.words("recurrence.txt"))


@lru_cache(maxsize=1 << 14)  # asked of the same sentence for every pair of days it may attest
def beyond_people(sentence: str) -> frozenset[str]:
    """Stems of the words of ``sentence`` outside its titled people ("Director of Intelligence Jane Roe")."""
    kept, last = [], 0
    for pm in find_people(sentence):
        kept.append(sentence[last : pm.start])
        last = pm.end
    kept.append(sentence[last:])
    return frozenset(
        stem(t)
        for w in _WORD_RE.findall(" ".join(kept))
        if len(t := _tok(w).replace(".", "")) >= 3 and t not in lexicon.stop_words()
    )


def name_heads(sentence: str) -> frozenset[str]:
    """Stems of lower-case words right after a name, naming a thing with it ("the Valley assembly")."""
    return frozenset(stem(_tok(m.group(1))) for m in _NAME_HEAD_RE.finditer(sentence))


def person_stems(people: frozenset[str]) -> frozenset[str]:
    """The stems (as in a record's context) of a story's people's name tokens."""
    return frozenset(stem(t) for t in people)


def story_people(records: Iterable[FactRecord], texts: Iterable[str]) -> frozenset[str]:
    """Name tokens of the people a story names: with a title, or by first and last name when the last
    name alone also speaks somewhere ("Roe said").

    Capitalised pairs are as often an organisation, a law or a book ("Anglers Association", "Ferries Act")
    as a person; a title or a speech verb says it is a person.
    """
    titled: set[str] = set()
    pairs: list[tuple[str, ...]] = []
    for r in records:
        if r.kind == "title":
            titled.update(r.names)
        elif r.kind == "person" and len(r.names) == 2:
            pairs.append(r.names)
    speakers: set[str] = set()
    in_prose: set[str] = set()
    for text in texts:
        speakers.update(_tok(m.group(1)) for m in _speaker_re().finditer(text))
        # A headline capitalises every word: "Rep. Jane Roe Resigns From Board" names no "Resigns".
        for line in text.splitlines():
            if not is_headline_style(line):
                in_prose.update(_tok(m.group()) for m in _CAP_RE.finditer(line))
    speakers -= _not_action()  # "On Monday said", "The Senator said"
    out = titled | {t for names in pairs if names[-1] in speakers for t in names}
    return frozenset((out & in_prose) - _SUFFIXES)


@cache
def _speaker_re() -> re.Pattern[str]:
    verbs = "|".join(sorted(_speech(), key=len, reverse=True))
    return re.compile(r"(?<![\w’'-])([A-Z][A-Za-z’'-]*[a-z])\s+(?:" + verbs + r")\b")


def _reports(segment: str, name_start: int, name_end: int) -> bool:
    """The name reports the value rather than owns it: "Roe said", "said Sen. Roe,", "according to Roe,"."""
    after = _WORD_RE.findall(segment[name_end : name_end + 30])[:2]
    if any(w.lower() in _speech() for w in after):
        return True
    rest = segment[name_end:].lstrip()
    if rest[:1] not in (",", ".", ";", ")", ""):
        return False  # "says Roe has cut...": Roe is the one who did it
    before = segment[max(0, name_start - 40) : name_start].split()
    while before and (before[-1][:1].isupper() or before[-1].endswith(".")):
        before.pop()  # the rest of the name and its title: "said Sen. Jane Roe,"
    lead = [w.lower() for w in before[-2:]]
    return lead == ["according", "to"] or bool(lead and lead[-1] in _speech())


def owner(text: str, start: int, pos: int, people: frozenset[str]) -> str | None:
    """The person named nearest before ``pos`` in ``text[start:pos]`` who does not just report it."""
    segment = text[start:pos]
    for m in reversed(list(_CAP_RE.finditer(segment))):
        t = _tok(m.group())
        if t in people and not _reports(segment, m.start(), m.end()):
            return t
    return None


_INITIALS_RE = re.compile(r"\s*(?:[A-Z]\.\s*)*")  # what may stand between two words of one name


def actor(text: str, start: int, end: int, people: frozenset[str]) -> str | None:
    """The first person ``text[start:end]`` names (the sentence up to the day: who acted on it), by the
    last word of their name ("Jane Roe" is "roe", as "Roe" alone is)."""
    found: str | None = None
    last = -1
    for m in _CAP_RE.finditer(text, start, end):
        t = _tok(m.group())
        if found is not None and (t not in people or not _INITIALS_RE.fullmatch(text[last : m.start()])):
            break  # the name has ended ("Jane Q. Roe" goes on past its middle initial)
        if t in people:
            found, last = t, m.end()
    return found


def named(text: str, start: int, end: int, people: frozenset[str]) -> frozenset[str]:
    """Every person token ``text[start:end]`` names."""
    return frozenset(t for m in _CAP_RE.finditer(text, start, end) if (t := _tok(m.group())) in people)


def action(sentence: str, start: int, end: int, words: int = _ACTION_WORDS) -> frozenset[str]:
    """Stems of the content words next to ``sentence[start:end]`` inside its clause (names left out)."""
    cuts = list(_CLAUSE_RE.finditer(sentence))
    lo = max((m.end() for m in cuts if m.end() <= start), default=0)
    hi = min((m.start() for m in cuts if m.start() >= end), default=len(sentence))
    out: set[str] = set()
    for side in (reversed(_WORD_RE.findall(sentence[lo:start])), _WORD_RE.findall(sentence[end:hi])):
        n = 0
        for w in side:
            t = _tok(w).replace("-", "")
            if w[:1].isupper() or len(t) < 3 or t in _not_action():
                continue
            out.add(stem(t))
            n += 1
            if n >= words:
                break
    return frozenset(out)
