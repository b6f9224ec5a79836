"""Readable topics: name the thing in dispute, from the aligned passages themselves.

"Number of people killed", "When the committee voted on the bill", "Who signed
the accord", "Where the senator made the remark", "How Jane Roe was quoted". A
topic is built from the words of the passages (the clause before a date or a
place, the noun a number counts), never from a bag of shared words.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from briefing.reconcile import lexicon
from briefing.reconcile.anchors import title_stems, title_words
from briefing.reconcile.dates import months, weekdays
from briefing.reconcile.numbers import hedge_forms, stem, tally_cues
from briefing.reconcile.quotes import is_pronoun, is_speech_verb
from briefing.reconcile.records import FactRecord
from briefing.reconcile.statements import contrasts

_MAX_WORDS = 9


@cache
def _dangling() -> frozenset[str]:
    """Words a topic never ends on: function words, and the one-word hedges a figure follows ("earned
    nearly"). A hedge of several words is dropped whole (``_trim``): "close" of "close to" is a verb
    elsewhere ("the harbour will close on March 3")."""
    return lexicon.words("dangling.txt") | frozenset(h for h in hedge_forms() if " " not in h)


@cache
def _hedge_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(h.split()) for h in hedge_forms() if " " in h)


def _trim(words: list[str], also: frozenset[str] = frozenset(), keep: int = 0) -> list[str]:
    """``words`` without what a topic never ends on (and the ``also`` words), keeping ``keep`` at least."""
    words = list(words)
    while len(words) > keep:
        tail = [w.lower().strip(",") for w in words]
        phrase = next((p for p in _hedge_phrases() if tuple(tail[-len(p) :]) == p), None)
        if phrase is not None and len(words) - len(phrase) >= keep:
            del words[-len(phrase) :]
        elif tail[-1] in _dangling() or tail[-1] in also:
            words.pop()
        else:
            break
    return words


_QUOTE_WORDS = 5  # words of a quotation that name it when no speaker is known
_CLAUSE_END = re.compile(r"[,;:.!?—(]|\s(?:and|but|who|which|while|after|before|because)\s")


def _clause_before(text: str, pos: int, start: int, *, acts: bool = False, story: str = "") -> str:
    """The clause that ends at ``pos``: from the last comma, colon or sentence start.

    A long clause is cut to its last words; with ``acts``, to its opening through the first verb in
    the past and a few words after it, when there is one: who did what ("the ferry company shut
    its whole network"), not the tail of the object ("to the southern islands"). ``story`` holds the
    story's texts, ``text`` among them: a word one of them writes in lower case is no name.
    """
    before = text[start:pos].replace("\u00a0", " ")  # "(Del.),\u00a0wrote": a comma all the same
    # A quotation's close ends a clause too: '"...this winter," Mayor Roe told the Gazette on Tuesday'.
    cut = max(
        before.rfind(", "), before.rfind(": "), before.rfind("; "), before.rfind("— "), before.rfind("” ")
    )
    clause = before[cut + 2 :] if cut >= 0 else before
    words = clause.split()
    preps = lexicon.words("place_prepositions.txt") | {
        "on",
        "by",
        "of",
        "for",
        "to",
        "the",
        "and",
        "last",
        "this",
    }
    # Figures and dangling function words say nothing of what is in dispute ("a peak of 88% a"). A
    # figure before a function word leaves the words around it broken without it ("an average of
    # about a day"): the clause then starts after it.
    stops = lexicon.stop_words()
    kept: list[str] = []
    broken: list[str] | None = None  # the words before the first figure that breaks its phrase
    for i, w in enumerate(words):
        if not re.search(r"\d", w):
            kept.append(w)
        elif i + 1 < len(words) and words[i + 1].lower() in stops:
            broken = kept if broken is None else broken
            kept = []
    # Unless too little is left to say what ("earned $5 over the": "earned"); then, for what was done
    # at a day, the words before the figure ("bookings rose to a mean of about").
    if len(_content(" ".join(kept))) >= 2:
        words = kept
    elif acts and broken is not None and len(_content(" ".join(broken))) >= 2:
        words = broken
    else:
        words = [w for w in words if not re.search(r"\d", w)]
    # "figures out Tuesday showed that fares rose", "returns showing the couple had earned": what the
    # figure tells is what follows "that" or "showing" (not "the storm that flooded…", whose "that"
    # opens a description of what went before).
    leads = lexicon.words("report_leads.txt")
    lead = max((k for k, w in enumerate(words) if w.lower() in leads), default=None)
    if (
        lead is not None
        and not acts
        and len(_content(" ".join(words[lead + 1 :]))) >= 2
        and not _past_tense(words[lead + 1], [])
    ):
        words = words[lead + 1 :]
    verb = (
        next((i for i in range(1, len(words)) if _past_tense(words[i], words[i + 1 : i + 3])), None)
        if acts
        else None
    )
    opening = len(words) > _MAX_WORDS and verb is not None and verb < _MAX_WORDS
    if verb is not None and opening and len(words) > _LONG_CLAUSE:
        words = words[: verb + 1 + _AFTER_VERB]
    words = _trim(words, frozenset(preps))
    if not opening:
        words = words[-_MAX_WORDS:]
    # Cut to its last words, the clause may open inside a phrase ("of Coastal Affairs ...").
    # (An article opens a phrase: "a senior member of the board" keeps its "a".)
    while (
        len(words) > 1
        and words[0].islower()
        and words[0].strip(",") in (preps | lexicon.stop_words()) - {"a", "an", "the"}
    ):
        words.pop(0)
    if words and words[0] in ("The", "A", "An", "On", "In", "At", "And", "But") and len(words) > 1:
        words[0] = words[0].lower()
    elif (
        words
        and words[0][1:].islower()
        and stem(words[0].lower()) not in title_stems()  # "Director of Harbour Works": a title
        and re.search(rf"\b{re.escape(words[0].lower())}\b", story or text)
    ):
        # A sentence's capitalised first word that the text writes in lower case elsewhere is no name.
        words[0] = words[0].lower()
    return " ".join(words).strip(' ,;:—-“”"')


_AFTER_VERB = 3  # words kept after the verb of a long clause cut to its opening
_LONG_CLAUSE = 12  # words of a clause that tells who did what beyond which it is cut
_AFTER_AND = 4  # words after a day before an "and" ending what was done ("repaired boats and piers")


def _past_tense(word: str, following: list[str]) -> bool:
    """A regular verb in the past ("closed", "recommended"): where what was done is told.

    Not a participle describing its noun: "a man thought to be behind it", "a rule passed by".
    """
    w = word.strip(',.;:“”"')
    after = " ".join(following).lower()
    participle = after == "to be" or after.startswith("by ") or after == "by"
    return (
        w.islower() and len(w) > 4 and w.endswith("ed") and w not in lexicon.stop_words() and not participle
    )


# What a figure in this unit answers; other units are named in brackets.
_UNIT_LEADS = {
    "day": "How long",
    "week": "How long",
    "month": "How long",
    "year": "How long",
    "USD": "How much",
    "EUR": "How much",
    "GBP": "How much",
    "JPY": "How much",
    "%": "What share",
    "years-old": "Age",
    "tally": "Vote",
    "h": "How long",
    "min": "How long",
    # A unit's code ("t", "mi") is no word a reader knows: say what it measures.
    "t": "How many tonnes",
    "kg": "How many kilograms",
    "lb": "How many pounds",
    "km": "How far",
    "mi": "How far",
    "ft": "How many feet",
    "m": "How many metres",
    "acre": "How many acres",
    "bbl": "How many barrels",
    "votes": "How many votes",
    "pt": "How many points",
    "pp": "How many percentage points",
}
_DATELINE_RE = re.compile(r"^[A-Z][A-Z .,'’-]+\s*(?:--?|—|–)+\s*")
_ASIDE_RE = re.compile(r"\s*\([^)]*\)")
_CLAUSE_END_RE = re.compile(r"[,;:—–()\"“”]|\s--?\s|[.!?](?:\s|$)")


def _tidy(clause: str) -> str:
    """A clause without a dateline ("CITY —") or asides in brackets ("(R-State)")."""
    return " ".join(_ASIDE_RE.sub("", _DATELINE_RE.sub("", clause)).split())


def _names_only(clause: str, *, titles: bool = False) -> bool:
    """The clause says who, not what: no lower-case content word (with ``titles``, none but title words:
    "harbour chief Ilse Varga" names someone and nothing they did)."""
    stops = lexicon.stop_words()
    said_of = title_stems() if titles else frozenset()
    return not any(
        w[:1].islower() and w.lower() not in stops and (not said_of or stem(w.lower()) not in said_of)
        for w in re.findall(r"[\w’'-]+", clause)
    )


def _after(text: str, pos: int, end: int, words: int = _MAX_WORDS) -> str:
    """The words after ``pos`` up to the end of their clause: what happened ("released a report"),
    past a part of the day ("Wednesday night formally denied") and not ending on a function word."""
    rest = text[pos:end].replace("\u00a0", " ")
    parts = lexicon.words("day_parts.txt")
    lead = re.match(r"\s*([A-Za-z]+)", rest)
    if lead and lead.group(1).lower() in parts:
        rest = rest[lead.end() :]
    rest = rest.lstrip(" ,")  # "By late Friday night, the account was closed": what happened
    cut = _CLAUSE_END_RE.search(rest)
    out = rest[: cut.start() if cut else len(rest)].split()[:words]
    # "vetoed half of the council's budget and said": a second act after "and" is another clause.
    out = next((out[:k] for k in range(_AFTER_AND, len(out)) if out[k].lower() == "and"), out)
    return " ".join(_trim(out))


def _thing(a: FactRecord) -> str:
    """What a figure measures, as written after it, without its unit in brackets."""
    thing = re.sub(r"\s*\([^)]*\)$", "", a.subject.strip())
    if _names_only(thing) or thing == (a.quantity.unit if a.quantity else None):
        return ""
    # "harbour budget Varga (strongly backs)": the thing ends where a name starts, and an adverb
    # ("residents fully") belongs to the verb that follows.
    words = thing.split()
    cut = next((i for i, w in enumerate(words) if i and w[:1].isupper()), len(words))
    words = words[:cut]
    while len(words) > 1 and words[-1].endswith("ly"):
        words.pop()
    return " ".join(words)


def _short(clause: str, words: int = 5) -> str:
    """The last few words of a clause, from a content word on ('to raise the debt limit')."""
    parts = clause.split()[-words:]
    stops = lexicon.stop_words()
    while len(parts) > 1 and parts[0].lower().strip(",") in stops:
        parts.pop(0)
    return " ".join(parts)


def _display(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def _as_written(name: str, text: str) -> str:
    """A lower-cased name as the source writes it ("mccarthy" -> "McCarthy")."""
    m = re.search(r"\b" + re.escape(name) + r"\b", text, re.IGNORECASE)
    return m.group() if m and m.group()[:1].isupper() else _display(name)


def _which_person(a: FactRecord, text: str) -> str:
    """'Which Roe signed the order' (the name is the subject) or 'Which Roe the letter was addressed to'."""
    surname = _as_written(a.names[-1], text)
    before = text[a.start : a.value_start]
    cut = max(before.rfind(", "), before.rfind("; "), before.rfind(": "))
    before = before[cut + 2 :] if cut >= 0 else before
    said = re.search(r"\b(?:said|says|reported|reports)(?:\s+that)?\s+", before)
    before = before[said.end() :] if said else before  # "Officials said the letter went to": the letter
    if before.strip() and not _names_only(before):  # "Rep." before the name says who, not what was done
        words = before.split()[-_MAX_WORDS:]
        if words[0] in ("The", "A", "An") and len(words) > 1:
            words[0] = words[0].lower()
        # "was written by Senator": the title belongs to the name, which the topic leaves out; the
        # "by" before it says the named person did it.
        kept = _trim(words, title_words(), keep=1)
        words = [*kept, words[len(kept)]] if len(kept) < len(words) and words[len(kept)] == "by" else kept
        return f"Which {surname} {' '.join(words)}".strip()
    after = text[a.value_end : a.end]
    if after.startswith(","):  # "Jane Roe, the mayor's aide, signed...": past the aside to the verb
        second = after.find(",", 1)
        after = after[second + 1 :] if second > 0 else after[1:]
    m = _CLAUSE_END.search(after)
    # Up to the clause's end, so a phrase is not cut inside ("for vice Party Caucus chairman"),
    # and short of when it happened ("on Tuesday"): a topic names what, not when.
    words = (after[: m.start()] if m else after).split()[:_MAX_WORDS]
    when = set(months()) | set(weekdays())
    words = list(itertools.takewhile(lambda w: not (w.istitle() and w.lower().strip(",.") in when), words))
    words = _trim(words)
    return f"Which {surname} {' '.join(words)}".strip() if words else f"Which {surname}"


_SUBJECT_WORDS = 6  # words of a sentence's opening that may be its subject, for a clause that lost it


def _with_subject(clause: str, before: str) -> str:
    """The clause with the subject a comma cut off: "she announced" told of whom the sentence opens
    on ("Mayor Ilse Varga is closing the pier, she announced Tuesday"), and a verb cut from its subject
    by an aside ("The pilots, led by Captain Roe, wrote a letter") given that subject back."""
    before = before.replace("\u00a0", " ")
    if ", " not in before or not clause:
        return clause
    head, tail = before.split(", ", 1)[0], before.rsplit(", ", 1)[-1].split()
    first = tail[0] if tail else ""
    if is_pronoun(first):
        clause = clause.removeprefix(f"{first} ")
        opening = itertools.takewhile(lambda w: w[:1].isupper() or w.startswith("("), before.split())
        name = _tidy(" ".join(opening))
        if name and name.split()[0] not in ("The", "A", "An") and _names_only(name, titles=True):
            return f"{name} {clause}"
        return clause
    if not (_past_tense(first, []) or is_speech_verb(first)) or not clause.startswith(first):
        return clause
    subject = _tidy(head).split()
    if (
        not subject
        or len(subject) > _SUBJECT_WORDS
        or any(_past_tense(w, []) or is_speech_verb(w) for w in subject)
    ):
        return clause
    if subject[0] in ("The", "A", "An"):
        subject[0] = subject[0].lower()
    return " ".join([*subject, clause])


def _content(words: str) -> list[str]:
    stops = lexicon.stop_words()
    return [w for w in words.split() if w.lower().strip(',.;:“”"') not in stops]


def _opening(before: str) -> str:
    """The first words of a sentence, up to the value (at most a few): who or what the sentence is about."""
    words = [w for w in before.split() if not re.search(r"\d", w)][:6]
    stops = lexicon.stop_words()
    while words and words[-1].lower().strip(",.;:") in stops:
        words.pop()
    if words and words[0] in ("The", "A", "An", "On", "In", "At", "And", "But"):
        words[0] = words[0].lower()
    return " ".join(words).strip(' ,;:—-“”"')


def _noun(thing: str) -> str:
    """What a number counts, up to a word that starts a clause of its own ('people including' -> 'people')."""
    words: list[str] = []
    for w in thing.split():
        if words and (w.endswith("ing") or w.lower() in lexicon.stop_words()):
            break
        words.append(w)
    return " ".join(words)


def _in_clause(thing: str, after: str) -> str:
    """What a number counts, up to where its clause ends ("12 people, officials said": people), and not
    ending on a word leading into a place ("protesters outside")."""
    if thing.endswith(")"):
        return thing  # "report (pages)": read from the words joined to the figure
    cut = _CLAUSE_END_RE.search(after)
    said = {w.lower() for w in re.findall(r"[\w’'-]+", after[: cut.start()] if cut else after)}
    words = list(itertools.takewhile(lambda w: w.lower() in said, thing.split()))
    words = _trim(words, lexicon.words("place_prepositions.txt"), keep=1)
    return " ".join(words) if words else thing


def topic(kind: str, a: FactRecord, text: str, story: str = "") -> str:
    """A topic for a disagreement whose first side is ``a`` (``text`` is a's source text, ``story`` the
    texts of all the story's sources, ``text`` among them; by default ``text`` alone)."""
    if a.label and a.kind in ("number", "date", "statement"):
        return a.label
    if kind == "number":
        thing = _in_clause(_noun(a.subject.strip()), text[a.value_end : a.end])
        unit = a.quantity.unit if a.quantity else None
        person = next((k.rsplit(":", 1)[-1] for k in a.keys if k.startswith("n:years-old:of:")), None)
        if unit == "years-old" and person:
            return f"{_as_written(person, text)}'s age"
        if unit == "tally":
            # The words before a vote count are mostly "by a vote of": say what was voted when they say more.
            clause = _short(_tidy(_clause_before(text, a.value_start, a.start, story=story)))
            said = [w for w in _content(clause) if w.lower() not in tally_cues()]
            return f"The vote count: {clause}" if len(said) >= 2 else "The vote count"
        if unit and not unit.startswith("n:"):
            # A sum or a share is of the thing named after it; a span of time is of what lasts it.
            named = "" if _UNIT_LEADS.get(unit) == "How long" else _thing(a)
            clause = named or _short(_tidy(_clause_before(text, a.value_start, a.start, story=story)))
            if not named and len(_content(clause)) < 2:
                clause = _opening(text[a.start : a.value_start])  # "the two-shot series to": say whose figure
            lead = _UNIT_LEADS.get(unit, f"Number of {unit}")
            if not clause:  # "Of that, $2 million could be moved": what is done with the figure
                after = _trim(_after(text, a.value_end, a.end).split())
                if after and after[0][:1].islower() and lead.startswith("How"):
                    return f"{lead} {' '.join(after)}"
            return f"{lead}: {clause}" if clause else lead
        if thing.endswith(")"):
            return f"Size of the {thing}"  # "Size of the indictment (pages)"
        if thing:
            return f"Number of {thing}"
        opening = _opening(text[a.start : a.value_start])
        return f"Figure: {opening}" if opening else "Figure"
    if kind == "date":
        before = text[a.start : a.value_start]
        clause = _tidy(_clause_before(text, a.value_start, a.start, acts=True, story=story))
        aside = re.fullmatch(r"(.+?), ([a-z]+)(?: on)?\s*", before, re.S)
        done = aside is not None and (
            _past_tense(aside.group(2), []) or aside.group(2) in lexicon.words("participles.txt")
        )
        if aside and done and clause == aside.group(2) and not re.search(r"[,;:]", aside.group(1)):
            # "The vote on the levy, held Tuesday, split the council": what was held, when
            subject = _tidy(aside.group(1)).split()
            if subject and subject[0] in ("The", "A", "An"):
                subject[0] = subject[0].lower()
            return f"When {' '.join(subject)} was {clause}"
        clause = _with_subject(clause, before)
        then = _after(text, a.value_end, a.end).split()
        if then and re.match(r"[’']s$", then[0]):
            then = ["the", *then[1:]]  # "Monday's vote on the levy": the vote
        done_after = bool(then) and _past_tense(then[0], then[1:3])
        told = any(_past_tense(w, []) or is_speech_verb(w.lower()) for w in clause.split())
        if _names_only(clause, titles=True) or len(_content(clause)) < 2 or (done_after and not told):
            # "Rep. Roe on Thursday released a report", "Harbour chief Ilse Varga on Thursday vetoed...",
            # "the port authority on Monday approved...": the words before the day say who; those after
            # it, what.
            clause = " ".join([*clause.split(), *then])
        if len(_content(clause)) < 2:
            clause = _opening(text[a.start : a.value_start]) or clause
        since = text[a.start : a.value_start].rstrip().lower().endswith("since")
        lead = "Since when" if since else "When"  # "has chaired the board since 1996": since when
        return f"{lead} {clause}" if clause else "When it happened"
    if kind == "place":
        clause = _clause_before(text, a.value_start, a.start, story=story)
        opening = clause.split()[0] if clause else ""
        sentence_opening = text[a.start : a.value_start].lstrip().startswith(opening.capitalize())
        if opening.endswith("ing") and sentence_opening:
            # "Speaking at a factory in Lunmouth, Roe promised jobs": the sentence's main clause says
            # who did what there.
            comma = text.find(", ", a.value_end, a.end)
            main = _after(text, comma + 2, a.end, _MAX_WORDS) if comma >= 0 else ""
            clause = main or clause
        return f"Where {clause}" if clause else "Place"
    if kind == "title":
        return f"{a.subject}'s title"
    if kind == "person":
        return _which_person(a, text)
    if kind == "agent":
        return f"Who {a.verb or 'did it'}: {a.subject}" if not a.verb else f"Who {a.verb} {a.subject}"
    if kind == "quote":
        words = a.value.strip(" ,.;:…").split()
        opening = " ".join(words[:_QUOTE_WORDS]).rstrip(",;:") + ("…" if len(words) > _QUOTE_WORDS else "")
        if a.subject:  # the opening words tell one quotation of the speaker's from another
            return f"How {_as_written(a.subject, text)} was quoted: “{opening}”"
        return f"How the words “{opening}” were quoted"
    return _whether(text[a.start : a.end])


def _whether(sentence: str) -> str:
    """'Whether the board approved the merger': the words around the one in dispute, or the opening."""
    words = sentence.split()
    pairs = contrasts()
    at = next((k for k, w in enumerate(words) if stem(w.strip(',.;:“”"').lower()) in pairs), None)
    span = words[max(0, at - 5) : at + 4] if at is not None else words[:_MAX_WORDS]
    stops = lexicon.stop_words()
    while len(span) > 1 and span[-1].lower().strip(",.;:") in stops:
        span.pop()
    if span and span[0] in ("The", "A", "An", "This", "That"):
        span[0] = span[0].lower()
    return "Whether " + " ".join(span).strip(',.;:“”"')
