"""Quotations: who said them, and whether two outlets give one speaker's words the same way.

A quotation is read whole (six words or more) or as a fragment woven into the
outlet's own sentence (two to five words, two of them content words, such as
calling a plan "a costly mistake"). The speaker is the name next to a speech verb in
the quotation's sentence; for "he said" it is the person the source named last.

Two outlets quoting one passage must give the same words. Case, punctuation,
"&", contractions, dotted abbreviations, spelled numbers, a name's spelling, and
one outlet quoting more or less of the passage at either end do not count; a word
added, dropped or changed inside the stretch both quote does ("very dangerous"
against "dangerous"). Two channels (a tweet and a statement) or two speakers are
two things said, never one quoted two ways.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from typing import Literal, NamedTuple

from briefing.reconcile import lexicon
from briefing.reconcile.dates import months, weekdays
from briefing.reconcile.numbers import spelled_number, stem
from briefing.reconcile.people import find_people
from briefing.reconcile.reader import _WORD_RE, _names, _stops, _title_words, content, token
from briefing.reconcile.records import FactRecord

Verdict = Literal["agree", "conflict"] | None

# A quotation runs to its closing mark, or to the end of the line when an excerpt cuts it off. Marks
# are paired left to right whatever their style or the length (outlets mix straight and curly marks:
# '"We will,” she said'), so a short quotation or a stray style never shifts the pairing.
_QUOTE_RE = re.compile(r"[“\"]([^“”\"\n]{1,1500})(?:[”\"]|$)", re.M)
_MIN_QUOTE_WORDS = 6  # below this, a quotation is a fragment of the outlet's own sentence
_MAX_SWAPS = 2  # words changed in a short quotation that still leave it one passage reworded
_VARIANT_LENGTH = 6  # letters from which a word's ending may be spelled the British or American way
_ONE_STRETCH = 4  # words in a row alike that tie two quotations to one passage of speech
_MIN_QUOTE_CHARS = 20
_MIN_FRAGMENT_CONTENT = 2  # content words a fragment needs to be told from common phrases
_PIECE_SHARE = 0.8  # of a stretch between '…' cuts, the words the other quotation must have in order
# Words changed in one place inside a quotation, for it to be the same words reworded ("coming in
# January" for "that will come into Washington in January": 1 word against 5). Chosen on the natural
# set's tuning part: 4 -> 5 finds one more there and changes nothing on the held-out part.
_MAX_REWORDED = 5
_LEAD_WORDS = 3  # content words before a fragment that tie it to the passage it quotes
_PRONOUN_REACH = 700  # characters back to look for the person "he" or "she" stands for
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # "Roe Jr.": the surname is Roe
_NAME_LIKENESS = 0.5  # letters two spellings of one name share ("Gadhafi", "Qaddafi")
_SAME_BREATH = 160  # characters from one quotation's end to the next, unattributed one, in one paragraph
_MIN_SWAP_WORDS = 4  # a fragment's words for one swapped word in it to be the same phrase reworded
_MIN_OVERLAP = 10  # words two overlapping excerpts must share for the stretch to be one passage
_ONE_PASSAGE_RUN = 15  # words in a row alike: one passage, however much of it one outlet leaves out
_NAME_SEQ = r"(?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'-]*"


@cache
def _lists() -> dict[str, frozenset[str]]:
    titles = lexicon.groups("titles.txt")
    return {
        "verbs": lexicon.words("speech_verbs.txt"),
        "pronouns": lexicon.groups("quote_attribution.txt")["pronoun"],
        "honorific": titles["honorific"],
        "unnamed": lexicon.groups("quote_attribution.txt")["unnamed"],
        "organisation": lexicon.groups("quote_attribution.txt")["organisation"],
        "subordinate": lexicon.groups("quote_attribution.txt")["subordinate"],
    }


@cache
def _verb_re() -> str:
    return r"(?:" + "|".join(sorted(_lists()["verbs"], key=len, reverse=True)) + r")\b"


@cache
def _attribution_res() -> dict[str, re.Pattern[str]]:
    verb = _verb_re()
    lead = r"^[\s,.!?;:—–-]*"
    adverb = r"(?:[a-z]+ly\s+|also\s+|later\s+|then\s+)?"
    return {
        "name_verb": re.compile(lead + r"(" + _NAME_SEQ + r")\s+" + adverb + verb),
        "verb_name": re.compile(lead + verb + r"\s+(" + _NAME_SEQ + r")"),
        # '..." the harbour board's chairman, Aldo Brisco, said': a role, then the name, then the verb.
        "role_name_verb": re.compile(
            lead + r"the\s+[\w’'-]+(?:\s+[\w’'-]+){0,5},\s+(" + _NAME_SEQ + r"),\s+" + adverb + verb
        ),
        "pronoun_verb": re.compile(lead + r"([A-Za-z]+)\s+" + adverb + verb, re.I),
        "verb_anywhere": re.compile(r"\b" + verb, re.I),
        "name_then_verb": re.compile(r"(" + _NAME_SEQ + r")\s+" + adverb + verb),
        "honorific_name": re.compile(r"\b(?:Mr|Ms|Mrs|Dr)\.?\s+([A-Z][\w’'-]+)"),
        # A name followed by its verb ("Roe said", "Roe, the mayor, told"), or after it ("said Roe").
        "verb_after_name": re.compile(r"(?:,[^,.]{1,60},)?(?:,?\s+who)?\s+" + adverb + verb),
        "verb_before_name": re.compile(r"\b" + verb + r"\s+(?:[A-Z][\w’'.-]*\s+){0,3}$"),
        # '..." says the letter': a document is the speaker, not a medium a person spoke through.
        "verb_document": re.compile(lead + verb + r"\s+(?:the|a|an|this|that|its|their)\s+([a-z-]+)"),
    }


def _surname(seq: str) -> str | None:
    """The surname ending a capitalised sequence ("Mayor Aldo Brisco" -> "brisco"), if it names a person."""
    parts = [token(p) for p in seq.split()]
    parts = [p for p in parts if p and p not in _lists()["honorific"] and p not in _SUFFIXES]
    if not parts:
        return None
    last = parts[-1]
    if last in _title_words() or last in _stops() or last in lexicon.words("places.txt") or len(last) < 2:
        return None  # "the White House said", "the Justice Department said": no one person
    if _affiliation(last):
        return None  # "(R-Ohio) said": a party and a state, after the name they belong to
    return last


def _affiliation(tok: str) -> bool:
    """ "r-ohio", "d-ny": a party's letter and a state, written after a legislator's name."""
    return re.fullmatch(r"[a-z]-[a-z.]+", tok) is not None


def is_speech_verb(word: str) -> bool:
    """A verb that attributes words to a speaker ("said", "wrote", "announced")."""
    return word.lower() in _lists()["verbs"]


def is_pronoun(word: str) -> bool:
    """A pronoun that stands for a sentence's speaker ("he", "she")."""
    return word.lower() in _lists()["pronouns"]


def _after_speaker(after: str, known: frozenset[str]) -> str | None:
    """'..., Brisco said' / 'said Mayor Brisco' / '..., the board's chairman, Aldo Brisco, said' / 'he
    said' right after a quotation: a surname or 'he'."""
    res = _attribution_res()
    m = res["pronoun_verb"].match(after)
    if m and is_pronoun(m.group(1)):
        return "he"
    for key in ("name_verb", "verb_name", "role_name_verb"):
        m = res[key].match(after)
        if m and (name := _surname(m.group(1))) and (name in known or _full_name(m.group(1))):
            return name
    return None


def _full_name(seq: str) -> bool:
    """A first and last name at least ("Mira Solberg said"), none of them a body's word: a person."""
    toks = [token(p) for p in seq.split()]
    named = [t for t in toks if t not in _title_words() and t not in _stops() and len(t) > 1]
    return len(named) >= 2 and not _lists()["organisation"] & set(toks)


def _before_speaker(before: str, known: frozenset[str]) -> str | None:
    """'Brisco said that "...' / 'He went on to call the plan "...': who speaks, before the opening mark."""
    verb = _attribution_res()["verb_anywhere"].search(before)
    if not verb:
        return None
    head = before[: verb.start()]
    words = re.findall(r"[A-Za-z][\w’'.-]*", head)
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if is_pronoun(w):
            return "he"
        if w.lower() in _lists()["unnamed"]:
            return None  # "a spokesman said": someone not named
        if _affiliation(token(w)):
            continue  # "Roe (R-Ohio) said": the name is the word before
        if w[:1].isupper() and (token(w) in known or (i > 0 and _full_name(f"{words[i - 1]} {w}"))):
            return token(w)  # a person the source names ("Republicans" or "Congress" are not)
    return None


def _alone(text: str) -> set[str]:
    """Capitalised words that stand alone somewhere (not inside a longer capitalised phrase): one pass."""
    out: set[str] = set()
    for m in re.finditer(r"(?<![\w’'.-])([A-Z][\w’'-]*)(?=(\s+[A-Z])?)", text):
        if m.group(2) or re.search(r"[A-Z][\w’'.-]*\s$", text[max(0, m.start() - 30) : m.start()]):
            continue
        out.add(token(m.group(1)))
    return out


class People(NamedTuple):
    """Surnames of the people a source names: ``strong`` ones titled or after "Mr."/"Ms."; ``weak`` ones
    only by first and last name (a capitalised phrase may be a body's name; "he" prefers the strong)."""

    strong: frozenset[str]
    weak: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.strong | self.weak


def known_people(text: str, records: Iterable[FactRecord] = ()) -> People:
    """The people a source names, from the reader's title and person records of it (or read afresh)."""
    mine = list(records)
    if mine:
        titled = [r.subject for r in mine if r.kind == "title"]
        full = [list(r.names) for r in mine if r.kind == "person"]
    else:
        titled = [pm.name for pm in find_people(text)]
        full = [toks for _, _, toks in _names(text)]
    strong = {n for name in titled if (n := _surname(name))}
    strong |= {token(m.group(1)) for m in _attribution_res()["honorific_name"].finditer(text)}
    # A capitalised phrase with an organisation's word ("Coastal Planning Office") is not a person,
    # and three capitalised words are a person's name when the last is used alone too ("Ana Lu Roe", "Roe").
    alone = _alone(text)
    weak = {
        toks[-1]
        for toks in full
        if not _lists()["organisation"] & set(toks) and (len(toks) == 2 or toks[-1] in alone)
    }
    strong = {n for n in strong if not _affiliation(n)}
    return People(frozenset(strong), frozenset({n for n in weak - strong if not _affiliation(n)}))


def _last_person(
    text: str,
    pos: int,
    known: People,
    previous: tuple[int, str] | None,
    quoted: Sequence[tuple[int, int]] = (),
) -> str | None:
    """Whom "he" or "she" before ``pos`` stands for: the speaker of the nearest sentence naming someone.

    Names inside quotations are the speaker's words, not the speaker. In the nearest sentence (since the
    last quotation) that names a person, the one next to a speech verb ("Roe said he..."), or else the
    first one named: the sentence's subject ("Roe met Doe on Monday. “...,” he said" is Roe's).
    With no one named since the last quotation, its speaker goes on.
    """
    lo = max(0, pos - _PRONOUN_REACH)
    recent = previous if previous is not None and previous[0] >= lo else None
    start = recent[0] if recent is not None else lo
    names = known.all
    mentions = [
        (start + m.start(), start + m.end(), t)
        for m in re.finditer(r"[A-Z][\w’'-]+", text[start:pos])
        if (t := token(m.group())) in names and not _inside(start + m.start(), quoted)
    ]
    if not mentions:
        return recent[1] if recent is not None else None
    cut = _sentence_start(text, start, mentions[-1][0])
    sentence = [m for m in mentions if m[0] > cut]
    res = _attribution_res()
    for s, e, t in sentence:
        if res["verb_after_name"].match(text, e) or res["verb_before_name"].search(text[max(0, s - 40) : s]):
            return t
    head = text[cut + 1 : sentence[0][0]].split()
    comma = re.compile(r",[”\"’']?\s").search(text, sentence[0][0], sentence[-1][0])
    if head and head[0].lower() in _lists()["subordinate"] and comma is not None:
        main = [m for m in sentence if m[0] > comma.start()]  # "When Doe spoke, Roe left": Roe is the subject
        if main:
            return main[0][2]
    return sentence[0][2]


def _sentence_start(text: str, lo: int, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after ``lo``): past the last full stop that is not an
    abbreviation's ("Gov. Doe", "Mr. Roe", "U.S."), or the last line break; -1 if none."""
    cut = text.rfind("\n", lo, pos)
    for m in re.finditer(r"([\w.]+)[.!?]\s+", text[lo:pos]):
        word = m.group(1).lower()
        if len(word) <= 3 and ((word.isalpha() and text[lo + m.start()].isupper()) or "." in word):
            continue  # "Sen.", "Mr.", "U.S.": a short capitalised word or initials before the stop
        if word in lexicon.pairs("title_abbreviations.txt"):
            continue
        cut = max(cut, lo + m.end() - 1)
    return cut


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    k = bisect.bisect_right(spans, (pos, 1 << 62)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _speaker(
    text: str,
    q_start: int,
    q_end: int,
    known: People,
    previous: tuple[int, str] | None,
    quoted: Sequence[tuple[int, int]] = (),
) -> str | None:
    """The surname of who said the quotation at ``q_start:q_end`` (marks included), or None."""
    after = re.split(r"(?<=[.!?])\s|\n", text[q_end : q_end + 150], maxsplit=1)[0]
    before = re.split(r"[.!?]\s|\n", text[max(0, q_start - 200) : q_start])[-1]
    who = _after_speaker(after, known.all) or _before_speaker(before, known.all)
    between = text[previous[0] : q_start] if previous is not None else "\n"
    if who is None and previous is not None and "\n" not in between and len(between) < _SAME_BREATH:
        return previous[1]  # a quotation right after another, in one paragraph: the same speaker
    return _last_person(text, q_start, known, previous, quoted) if who == "he" else who


@cache
def _contraction_re() -> re.Pattern[str]:
    forms = sorted(lexicon.pairs("contractions.txt"), key=len, reverse=True)
    # A suffix ("n't", "'ll") ends a word; any other form is a word of its own ("gonna", not "Bogonna").
    return re.compile(
        "|".join(("" if f.startswith(("'", "n'")) else r"\b") + re.escape(f) + r"\b" for f in forms), re.I
    )


@cache
def _abbreviation_re() -> re.Pattern[str]:
    forms = sorted(lexicon.pairs("title_abbreviations.txt"), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(f) for f in forms) + r")\.(?=\s+[A-Z])", re.I)


@cache
def _spoken_date_re() -> re.Pattern[str]:
    # Capitalised: "may" and "march" are words too.
    names = "|".join(sorted((m.capitalize() for m in months()), key=len, reverse=True))
    return re.compile(rf"\b({names})\.?\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\b")


def quote_words(spoken: str) -> tuple[str, ...]:
    """A quotation's words for comparison: case kept, contractions expanded, editors' inserts dropped.

    "[President] Smith's plan" and "(the) plan" carry an editor's words, not the speaker's (a cut);
    "Gen. Roe" is "General Roe" and "F.B.I." is "FBI", written two ways.
    """
    # An editor's insert stands where the speaker's own words were cut: compared like a '…'.
    spoken = re.sub(r"\[[^\]]*\]|\([^)]*\)", " … ", spoken).replace("&", " and ").replace("’", "'")
    # "100%", "100 per cent" and "100 percent" are one thing said.
    spoken = re.sub(r"(?<=\d)\s*%|\bper cent\b", " percent", spoken, flags=re.I)
    spoken = re.sub(r"\b(?:[A-Za-z]\.){2,}", lambda m: m.group(0).replace(".", ""), spoken)
    abbrev = lexicon.pairs("title_abbreviations.txt")
    spoken = _abbreviation_re().sub(lambda m: abbrev[m.group(1).lower()], spoken)
    # A day said aloud is written two ways: "Sept. 14", "September the 14th" (one word for both).
    spoken = _spoken_date_re().sub(lambda m: f"month{months()[m.group(1).lower()]}day{m.group(2)}", spoken)
    forms = lexicon.pairs("contractions.txt")
    # A suffix ("n't", "'re") is its own word once expanded: "don't" -> "do not".
    spoken = _contraction_re().sub(
        lambda m: (" " if m.group(0)[:1] in "n'" else "") + forms[m.group(0).lower()], spoken
    )
    out: list[str] = []
    # "tax-filing" is "tax filing"; a name keeps its hyphen ("Jean-Luc").
    spoken = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", spoken)
    # A word an outlet masks ("d****d") stays one word, to be matched with the word it hides.
    for w in re.findall(r"[\w'*-]+|…|\.\.\.", spoken):
        if w in ("…", "..."):
            out.append(w)
        elif (t := w.strip("'-")) and any(ch.isalnum() for ch in t):
            out.append(re.sub(r"'s$", "", t))
    return tuple(out)


def _content(words: Iterable[str]) -> list[str]:
    """The content words of a quotation's lower-cased words: what two wordings of it are compared on."""
    return [w for w in words if w not in _stops() and len(w) >= 3]


@lru_cache(maxsize=4096)  # asked once per pair of dated sentences: a sentence meets many others
def quoted_stems(sentence: str) -> frozenset[str]:
    """Stems of the content words a sentence quotes (quotations of ``_MIN_QUOTE_WORDS`` words or more)."""
    out: set[str] = set()
    for m in _QUOTE_RE.finditer(sentence):
        words = [w for w in quote_words(m.group(1)) if w not in ("…", "...")]
        if len(words) >= _MIN_QUOTE_WORDS:
            out.update(stem(t) for t in _content(w.lower() for w in words))
    return frozenset(out)


def _quotation_sentence(text: str, start: int, end: int) -> str:
    """The words around a quotation, up to the sentence's ends (120 characters each way at most)."""
    before = re.split(r"[.!?]\s|\n", text[max(0, start - 120) : start])[-1]
    return before + " " + re.split(r"[.!?](?:\s|$)|\n", text[end : end + 120])[0]


def _channels(around: str) -> frozenset[str]:
    """Where the words were said, from the quotation's own sentence: "..., she said in a statement".

    (Not the day: outlets date one remark two ways often enough that a day is a conflict of its own.)
    """
    channels = _channel_words()
    found = {t for w in _WORD_RE.findall(around) if (t := token(w).replace("-", "")) in channels}
    # One channel however inflected ("in a post", "posted"): the shortest listed word it begins with.
    return frozenset(
        "tweet" if c == "twitter" else min((b for b in channels if c.startswith(b)), key=len) for c in found
    )


@cache
def _audience_re() -> re.Pattern[str]:
    leads = "|".join(
        sorted((" ".join(line) for line in lexicon.ordered("audiences.txt")), key=len, reverse=True)
    )
    # The outlet's name: capitalised words after the lead ("the Gazette", "Radio North"), up to a
    # possessive ("CNN's host": CNN).
    return re.compile(rf"\b(?:{leads})\s+(?:[Tt]he\s+)?((?:[A-Z][\w&.-]*(?:\s+|$))*[A-Z][\w&.-]*)")


@lru_cache(maxsize=1 << 14)
def audiences(sentence: str) -> frozenset[str]:
    """The named outlets or bodies a sentence says someone gave words to ("told the Gazette": gazette).

    Two sentences naming two audiences tell of two interviews, each with its own words and day.
    """
    when = set(months()) | set(weekdays())
    out = set()
    for m in _audience_re().finditer(sentence):
        # "an interview with Radio North Sunday": the day is when, not who
        name = list(itertools.takewhile(lambda w: w not in when, m.group(1).lower().split()))
        if name:
            out.add(" ".join(name))
    return frozenset(out)


@cache
def _channel_words() -> frozenset[str]:
    """The listed channels without hyphens: "e-mail" and "email" are one channel."""
    return frozenset(w.replace("-", "") for w in lexicon.words("channels.txt"))


def _content_pairs(plain: list[str]) -> set[str]:
    """Keys for adjacent content words ("costly mistake"): a fragment shares them with what it quotes.

    Unordered: a list of names quoted in another order ("Ann, Bo and Cy" / "Bo, Ann and Cy") is
    the same quotation reworded.
    """
    return {"qc:{} {}".format(*sorted(pair)) for pair in itertools.pairwise(_content(plain))}


def read_quotes(sid: str, text: str, records: Iterable[FactRecord] = ()) -> Iterator[FactRecord]:
    """Quotation records of one source, whole quotations and fragments, with their speakers.

    ``records`` are the reader's records of the same source: its titled and named people.
    """
    previous: tuple[int, str] | None = None
    known: People | None = None
    quoted = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]
    for m in _QUOTE_RE.finditer(text):
        qs, qe = m.start(1), m.end(1)
        words = quote_words(text[qs:qe])
        plain = [_plain(w) for w in words if w not in ("…", "...")]
        n = sum(w.isalnum() or "'" in w for w in words)
        if known is None:
            known = known_people(text, records)  # only for sources that quote anyone
        speaker = _speaker(text, m.start(), m.end(), known, previous, quoted)
        if speaker:
            previous = (m.end(), speaker)  # even for a quotation too short to compare: "she said" after it
        fragment = n < _MIN_QUOTE_WORDS
        if fragment:
            if n < 2 or sum(w not in _stops() and len(w) >= 3 for w in plain) < _MIN_FRAGMENT_CONTENT:
                continue
        elif qe - qs < _MIN_QUOTE_CHARS:
            continue
        around = _quotation_sentence(text, m.start(), m.end())
        flags = {f"channel:{c}" for c in _channels(around)} | {f"to:{name}" for name in audiences(around)}
        spoken_by = _attribution_res()["verb_document"].match(text[m.end() : m.end() + 60])
        if spoken_by and token(spoken_by.group(1)).replace("-", "") in _channel_words():
            flags.add("by:document")
        keys = _content_pairs(plain)
        if fragment:
            # The words the outlet wrote just before the fragment ("called censorship") tie it to the passage.
            clause = re.split(r"[.!?;:]\s|\n|,\s", text[max(0, m.start() - 80) : m.start()])[-1]
            if not _attribution_res()["verb_anywhere"].search(clause):
                continue  # a term in quotation marks ("so-called"), not words someone said
            toks = [token(w) for w in _WORD_RE.findall(clause)]
            leading = [t for t in toks if len(t) >= 3 and t not in _stops()][-_LEAD_WORDS:]
            lead = [stem(t) for t in leading]
            flags |= {"fragment"} | {f"lead:{w}" for w in lead}
            # Two outlets' fragments of one phrase reworded share no pair of words ("fight like hell",
            # "fight like heck"): the words leading into them tie them, and a name among them ("Roe
            # said the plan “…”") ties the fragment to that speaker's whole remarks.
            keys |= {f"ql:{w}" for w in lead} | {f"qs:{t}" for t in leading}
        else:
            keys |= {f"q:{' '.join(plain[i : i + 3])}" for i in range(len(plain) - 2)}
        if speaker:
            # A fragment and the whole remark it is cut from, reworded, may share no words in a row.
            keys.add(f"qs:{speaker}")
        yield FactRecord(
            sid, "quote", qs, qe, qs, qe, text[qs:qe], speaker or "",
            frozenset(keys), frozenset(content(text[qs:qe])), words=words, flags=frozenset(flags),
        )  # fmt: skip


# -- comparing ---------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _plain(word: str) -> str:
    # Singular and plural ("pew", "pews") are one word heard two ways; "vaccine" and "vaccination" are not.
    w = _american(word.lower())
    value = spelled_number(w)
    if value is not None:
        return f"{value:g}"  # "three" and "3" are one word, written two ways
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def _american(word: str) -> str:
    """One spelling of a word written the British or the American way ("honour", "honor")."""
    if len(word) < _VARIANT_LENGTH:
        return word
    for british, american in _spelling_endings():
        if word.endswith(british):
            return word[: -len(british)] + american
    return word


@cache
def _spelling_endings() -> list[tuple[str, str]]:
    # Longest ending first: "isation" before "ise".
    return sorted(lexicon.pairs("spelling_variants.txt").items(), key=lambda p: len(p[0]), reverse=True)


@lru_cache(maxsize=1 << 16)
def _plain_words(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_plain(w) for w in words if w not in ("…", "..."))


@lru_cache(maxsize=1 << 16)
def _pieces_of(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    out: list[list[str]] = [[]]
    for w in words:
        if w in ("…", "..."):
            out.append([])
        else:
            out[-1].append(_plain(w))
    return tuple(tuple(p) for p in out if p)


def _contains(seq: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(seq[i : i + n] == part for i in range(len(seq) - n + 1))


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _capitalised(word: str) -> bool:
    return any(ch.isupper() for ch in word)  # "al-Qaddafi", "McCain": a name, whatever its first letter


def _same_name(x: list[str], y: list[str]) -> bool:
    """One name spelled two ways ("Zelensky", "Zelenskyy"): capitalised on both sides and alike."""
    if len(x) != len(y) or not x:
        return False
    return all(
        _capitalised(a) and _capitalised(b) and _ratio(a.lower(), b.lower()) >= _NAME_LIKENESS
        for a, b in zip(x, y, strict=True)
    )


def _masked_same(x: list[str], y: list[str]) -> bool:
    """A word one outlet masks ("d****d") and the word it hides ("damned"): the same word quoted."""
    if len(x) != len(y) or not x:
        return False
    for a, b in zip(x, y, strict=True):
        masked, plain = (a, b) if "*" in a else (b, a)
        if "*" not in masked or "*" in plain:
            return False
        pattern = "".join(
            r"\w+" if piece.startswith("*") else re.escape(piece) for piece in re.split(r"(\*+)", masked)
        )
        if not re.fullmatch(pattern, plain, re.I):
            return False
    return True


def _changes(short: tuple[str, ...], long_: tuple[str, ...], raw_s: list[str], raw_l: list[str]) -> Verdict:
    """Compare two wordings of one passage: the shorter may stop early or start late, nothing else."""
    sm = difflib.SequenceMatcher(None, short, long_, autojunk=False)
    sites = 0
    ops = sm.get_opcodes()

    # The shared stretch runs between matches of a content word or of two words in a row; a lone "the"
    # matched two or more words away from the rest is a coincidence of the alignment, not where the
    # quotations meet.
    def anchor(k: int) -> bool:
        op, i1, i2, _, _ = ops[k]
        if op != "equal":
            return False
        if i2 - i1 > 1 or short[i1] not in _stops():
            return True
        gaps = [ops[n] for n in (k - 1, k + 1) if 0 <= n < len(ops)]
        return all(max(g[2] - g[1], g[4] - g[3]) <= 1 for g in gaps)

    anchors = [k for k in range(len(ops)) if anchor(k)]
    if not anchors:
        return None
    first, last = anchors[0], anchors[-1]
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            continue
        opened_alike = k < first and ops[0][0] == "equal" and ops[0][1] == ops[0][3] == 0
        if opened_alike and op in ("delete", "insert") and max(i2 - i1, j2 - j1) <= _MAX_REWORDED:
            # Both open on the same word, then one runs on for a few words where the other skips ahead
            # ("I read the memo and hastily signed it..." for "I hastily signed it..."): an unmarked
            # cut. (A long run is another sentence before the stretch both quote, and the "the" both
            # open on a coincidence.)
            sites += 1
            continue
        if k < first or k > last:
            # Before the first or after the last word both quote, one outlet may quote more of the
            # speech; only a word the shorter one puts where the longer has another is a change.
            # Two words for the other's last one or two, where both quotations end ("least afford to
            # pay" for "least afford it"), are the remark's end told two ways; where the longer runs
            # on, they may be where the shorter left the passage.
            both_end = k > last and i2 == len(short) and j2 == len(long_) and j2 - j1 <= _MAX_SWAPS
            if op != "replace" or i2 - i1 > (_MAX_SWAPS if both_end else 1):
                continue
            at = j2 - 1 if k < first else j1  # the longer one's word at the shared stretch
            if k < first and short[i1] in _stops() and long_[at] in _stops():
                continue  # "the lines..." for "but lines...": a lead-in article, not a word of the speech
            lead_in = raw_s[i1][:1].islower() or raw_l[at][:1].islower()
            if k == 0 and lead_in and (long_[at].startswith(short[i1]) or short[i1].startswith(long_[at])):
                continue  # "anyone “who directly...”" for "Whoever, directly...": the writer's grammar
            if _same_name(raw_s[i1:i2], raw_l[at : at + 1]):
                continue
        elif i2 - i1 > _MAX_REWORDED or j2 - j1 > _MAX_REWORDED:
            return None  # a long stretch unlike the other: another passage of speech, or an unmarked cut
        if op == "replace" and (
            _same_name(raw_s[i1:i2], raw_l[j1:j2])
            or "".join(short[i1:i2]) == "".join(long_[j1:j2])
            or _masked_same(raw_s[i1:i2], raw_l[j1:j2])
        ):
            continue  # a name spelled two ways, one word written as two ("work force"), or one word masked
        sites += 1
    # Even one "that" or "very" dropped is a misquote: the natural set's readers count it as one.
    return "conflict" if sites else "agree"


def _raw_pieces(words: tuple[str, ...]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for w in words:
        if w in ("…", "..."):
            out.append([])
        else:
            out[-1].append(w)
    return [p for p in out if p]


def _blocks(a: Sequence[str], b: Sequence[str]) -> list[difflib.Match]:
    """The runs of words two wordings have alike, in order (difflib's closing empty run left out)."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [blk for blk in sm.get_matching_blocks() if blk.size]


def _words_swapped(short: tuple[str, ...], long_: tuple[str, ...], blocks: list[difflib.Match]) -> bool:
    """A short quotation found whole in the other, but for a word or two changed, dropped or added
    (a change may put two words for one: "can not shut" for "simply shut").

    Seven words with the fourth changed ("the law X freedom of speech"), or eight with two changed
    ("this is a fight we want to have", "... a debate we need to have"), leave no run of four alike,
    yet every other word stands where the other wording has it: one passage, reworded.
    """
    if len(short) < _MIN_QUOTE_WORDS or not 2 <= len(blocks) <= _MAX_SWAPS + 1:
        return False
    first, last = blocks[0], blocks[-1]
    if first.a != 0 or last.a + last.size != len(short):
        return False
    if min(first.size, last.size) < 2 and max(blk.size for blk in blocks) < _ONE_STRETCH:
        return False  # a lone word alike at an end, and no long stretch alike: the frame of another remark
    changed: list[str] = []  # the words one wording has where the other has another word, or none
    for x, y in itertools.pairwise(blocks):
        gap_short, gap_long = y.a - (x.a + x.size), y.b - (x.b + x.size)
        if not 0 < max(gap_short, gap_long) <= _MAX_SWAPS:
            return False
        changed.append(short[x.a + x.size] if gap_short else long_[x.b + x.size])
    # All the shorter's words but the changed ones stand alike, and a change is a word of the speech
    # (not only a "the" for an "a").
    matched = sum(blk.size for blk in blocks)
    return matched >= len(short) - _MAX_SWAPS and any(w not in _stops() for w in changed)


def _swapped_at(short: tuple[str, ...], long_: tuple[str, ...]) -> slice | None:
    """Where in ``long_`` the short quotation stands with a word or two changed (see ``_words_swapped``).

    Matched against the whole of a long quotation, the few words alike may pair with words elsewhere
    in it; each place where the other wording opens as this one does is tried on its own.
    """
    for at in range(len(long_) - 1):
        if long_[at : at + 2] != short[:2]:
            continue
        place = slice(at, at + len(short) + _MAX_SWAPS)
        if _words_swapped(short, long_[place], _blocks(short, long_[place])):
            return place
    return None


def _passage_difference(
    short_raw: list[str], long_raw: list[str], share: float = 0.7, *, overlap: bool = True
) -> Verdict:
    """Two runs of words: one passage (most words alike, in order) told the same or reworded; or two."""
    short = tuple(_plain(w) for w in short_raw)
    long_ = tuple(_plain(w) for w in long_raw)
    if len(short) > len(long_):
        short, long_, short_raw, long_raw = long_, short, long_raw, short_raw
    blocks = _blocks(short, long_)
    # A lone "or" matched somewhere is a coincidence of the alignment, not a word both quote.
    matched = sum(blk.size for blk in blocks if blk.size > 1 or short[blk.a] not in _stops())
    if not blocks:
        return None
    if _words_swapped(short, long_, blocks):
        return _changes(short, long_, short_raw, long_raw)
    if max(blk.size for blk in blocks) < _ONE_STRETCH:
        place = _swapped_at(short, long_)
        if place is None:
            return None  # a different passage of speech
        return _changes(short, long_[place], short_raw, long_raw[place])
    if matched < max(5, share * len(short)):
        if not overlap:
            return None  # a piece between "…" cuts is matched whole or not at all
        # Two excerpts that overlap: one starts earlier, the other runs on. Only the stretch both
        # quote counts, when it is long and nearly all alike.
        lo_s, hi_s = blocks[0].a, blocks[-1].a + blocks[-1].size
        lo_l, hi_l = blocks[0].b, blocks[-1].b + blocks[-1].size
        at_edges = (lo_s == 0 and hi_l == len(long_)) or (lo_l == 0 and hi_s == len(short))
        window = max(hi_s - lo_s, hi_l - lo_l)
        one_run = max(blk.size for blk in blocks) >= _ONE_PASSAGE_RUN
        if not at_edges or window < _MIN_OVERLAP or (matched < 0.8 * window and not one_run):
            return None
        return _changes(short[lo_s:hi_s], long_[lo_l:hi_l], short_raw[lo_s:hi_s], long_raw[lo_l:hi_l])
    return _changes(short, long_, short_raw, long_raw)


def quote_difference(a: FactRecord, b: FactRecord) -> Verdict:
    """Same words (ignoring case, punctuation, trimming, '…' gaps): agree; a word changed inside: conflict."""
    wa, wb = _plain_words(a.words), _plain_words(b.words)
    if wa == wb:
        return "agree"
    for x, y in ((a, wb), (b, wa)):
        if all(_contains(y, piece) for piece in _pieces_of(x.words)):
            return "agree"  # a shorter or elided version of the same words
    ra, rb = _raw_pieces(a.words), _raw_pieces(b.words)
    if len(ra) == 1 and len(rb) == 1:
        return _passage_difference(ra[0], rb[0])
    # A cut marked with '…': each stretch between the marks is compared on its own.
    (cut, whole) = (ra, rb) if len(ra) > 1 else (rb, ra)
    other = [w for piece in whole for w in piece]
    # A stretch between cuts is short, and law or speech repeats its phrases ("in connection with any"):
    # it must match more of its words to be the passage the other quotes.
    # A long stretch may also run on past where the other quotation starts or stops (the other outlet
    # quoting the rest of the passage separately): the words both quote, ten or more, are compared.
    verdicts = {
        _passage_difference(piece, other, _PIECE_SHARE, overlap=len(piece) >= 2 * _MIN_OVERLAP)
        for piece in cut
        if len(piece) >= _MIN_QUOTE_WORDS
    }
    return "conflict" if "conflict" in verdicts else None


def fragment_difference(frag: FactRecord, full: FactRecord) -> Verdict:
    """A few quoted words against a whole quotation: found in it (agree), or found with a word changed."""
    f, w = _plain_words(frag.words), _plain_words(full.words)
    if _contains(w, f):
        return "agree"
    sm = difflib.SequenceMatcher(None, f, w, autojunk=False)
    best = sm.find_longest_match(0, len(f), 0, len(w))
    if best.size < 2:
        return None
    lo = max(0, best.b - best.a - 2)
    hi = min(len(w), best.b + (len(f) - best.a) + 2)
    window = w[lo:hi]
    sm = difflib.SequenceMatcher(None, f, window, autojunk=False)
    matched = sum(blk.size for blk in sm.get_matching_blocks())
    content_words = [x for x in f if x not in _stops() and len(x) >= 3]
    missing = sum(x not in window for x in content_words)
    # One word of four or more changed ("will hurt working families" in "will hurt hardworking
    # families…") is the passage reworded; in a shorter fragment it may be another phrase.
    if matched < len(f) - 1 or missing > (1 if len(f) >= _MIN_SWAP_WORDS else 0):
        return None  # not this passage
    lead = {x[5:] for x in frag.flags if x.startswith("lead:")}
    start = lo + next((blk.b for blk in sm.get_matching_blocks() if blk.size), 0)
    near = {stem(x) for x in w[max(0, start - _LEAD_WORDS - 1) : start]}
    if not lead & near and not (frag.subject and frag.subject == full.subject):
        # Nothing ties the fragment to this passage rather than to a like phrase elsewhere: neither the
        # words leading into it nor one speaker given for both.
        return None
    raw_f = [x for x in frag.words if x not in ("…", "...")]
    raw_w = [x for x in full.words if x not in ("…", "...")][lo:hi]
    return _changes(f, window, raw_f, raw_w)


def fragments_difference(a: FactRecord, b: FactRecord) -> Verdict:
    """Two fragments: the same few words, or one of them with a word more or changed, when both outlets
    lead into them with a word in common ("called the plan “a costly blunder”")."""
    wa, wb = _plain_words(a.words), _plain_words(b.words)
    if _contains(wa, wb) or _contains(wb, wa):
        return "agree"
    lead_a, lead_b = ({f for f in r.flags if f.startswith("lead:")} for r in (a, b))
    if not lead_a & lead_b:
        return None  # too few words to tell one passage reworded from two like phrases
    short, long_ = sorted((wa, wb), key=len)
    if not all(x in long_ for x in short if x not in _stops() and len(x) >= 3):
        # One word swapped in words otherwise the same, after the same lead-in ("called the bill “a
        # disaster for families”", "... “a catastrophe for families”"): one phrase quoted two ways.
        same_length = len(wa) == len(wb) >= _MIN_SWAP_WORDS
        swapped = same_length and sum(x != y for x, y in zip(wa, wb, strict=True)) == 1
        return "conflict" if swapped and len(lead_a & lead_b) >= 2 else None
    raw = {
        wa: [w for w in a.words if w not in ("…", "...")],
        wb: [w for w in b.words if w not in ("…", "...")],
    }
    return _changes(short, long_, raw[short], raw[long_])


# Two quotations are matched for several checks (a speaker's run, a stretch quoted alike, the stretch
# in dispute): each pair of wordings is aligned once.
@lru_cache(maxsize=1 << 14)
def _matched_runs(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[difflib.Match, ...]:
    return tuple(_blocks(_plain_words(a), _plain_words(b)))


def longest_run(a: FactRecord, b: FactRecord) -> int:
    return max((blk.size for blk in _matched_runs(a.words, b.words)), default=0)


def stretch_quoted(whole: FactRecord, part: FactRecord) -> range:
    """The words of ``whole`` (as plain words) that ``part`` quotes too: from the first to the last run
    of two or more alike."""
    runs = [blk for blk in _matched_runs(whole.words, part.words) if blk.size >= 2]
    return range(runs[0].a, runs[-1].a + runs[-1].size) if runs else range(0)


def _told_apart(a: FactRecord, b: FactRecord, prefix: str) -> bool:
    """Both quotations carry flags of ``prefix`` (where, or to whom, the words were said), none alike."""
    fa, fb = ({f for f in r.flags if f.startswith(prefix)} for r in (a, b))
    return bool(fa) and bool(fb) and not fa & fb


def compare_quotes(a: FactRecord, b: FactRecord) -> Verdict:
    """Two quotation records from two sources: the same words, the same passage reworded, or unrelated."""
    if a.subject and b.subject and a.subject != b.subject and longest_run(a, b) < 6:
        return None  # two speakers (six words in a row alike are one quotation, whoever we took to say it)
    da, db = "by:document" in a.flags, "by:document" in b.flags
    if da != db and (b.subject if da else a.subject):
        return None  # a letter's words and a person's: two statements, however alike
    if _told_apart(a, b, "channel:"):
        return None  # a tweet and a statement: two things said
    if _told_apart(a, b, "to:"):
        return None  # words given to the Gazette and to a radio station: two interviews
    fa, fb = "fragment" in a.flags, "fragment" in b.flags
    if fa and fb:
        return fragments_difference(a, b)
    if fa or fb:
        return fragment_difference(a, b) if fa else fragment_difference(b, a)
    return quote_difference(a, b)


_EXCERPT_CONTEXT = 6  # words kept on each side of where two wordings of a quotation differ
_EXCERPT_SPAN = 12  # words between the first and last change beyond which only the first is shown
_SMALL_CHANGE = 3  # words a change replaces or adds, at most, to be "a word or two"


def aligned_excerpts(a: str, b: str) -> tuple[str, str]:
    """Two wordings of one quotation cut to the stretch where they differ, with a few words around it.

    Outlets quote a passage at different lengths ("…a fair chance the bridge holds" against the
    whole sentence it ends): side by side in full, the longer reads as the dispute and the word that
    differs is lost in it. Where they differ only beyond each other's ends, both are kept whole.
    """
    ta, tb = list(re.finditer(r"\S+", a)), list(re.finditer(r"\S+", b))
    if max(len(ta), len(tb)) <= 2 * _EXCERPT_CONTEXT:
        # Short enough to read whole; and a cut would drop what a reordering moved to the front
        # ("Tallyman, Seabird and..." against "Seabird, Tallyman (and)...").
        return a, b

    def norm(m: re.Match[str]) -> str:
        return re.sub(r"\W", "", m.group().casefold().replace("’", "'"))

    matcher = difflib.SequenceMatcher(None, [norm(m) for m in ta], [norm(m) for m in tb], autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return a, b
    a0, b0 = blocks[0].a, blocks[0].b
    a1, b1 = blocks[-1].a + blocks[-1].size, blocks[-1].b + blocks[-1].size

    def editorial(toks: Sequence[re.Match[str]]) -> bool:
        return bool(toks) and all(re.fullmatch(r"[\[(].*[\])]\W*", m.group()) for m in toks)

    # An editor's insert ("[Acme] chief") is no word of the speech: the change shown is a spoken one.
    inner = [
        op
        for op in matcher.get_opcodes()
        if op[0] != "equal"
        and a0 <= op[1]
        and op[2] <= a1
        and b0 <= op[3]
        and op[4] <= b1
        and not (op[0] == "delete" and editorial(ta[op[1] : op[2]]))
        and not (op[0] == "insert" and editorial(tb[op[3] : op[4]]))
    ]
    if not inner:
        return a, b
    if max(inner[-1][2] - inner[0][1], inner[-1][4] - inner[0][3]) > _EXCERPT_SPAN:
        # Changes far apart (a word here, a sentence added further on) would show most of the quotation
        # again, the word that differs lost in it: the first change of a word or two stands for them.
        small = [op for op in inner if max(op[2] - op[1], op[4] - op[3]) <= _SMALL_CHANGE]
        inner = [small[0] if small else inner[0]]

    def cut(text: str, toks: Sequence[re.Match[str]], i: int, j: int) -> str:
        while j - i > 1 and toks[j - 1].group() in ("...", "…"):
            j -= 1  # the quotation's own elision mark at the edge: the excerpt's mark says it
        while j - i > 1 and toks[i].group() in ("...", "…"):
            i += 1
        body = text[toks[i].start() : toks[j - 1].end()].strip(" ,;:")
        return ("…" if i > 0 else "") + body + ("…" if j < len(toks) else "")

    k = _EXCERPT_CONTEXT
    return (
        cut(a, ta, max(a0, inner[0][1] - k), min(a1, inner[-1][2] + k)),
        cut(b, tb, max(b0, inner[0][3] - k), min(b1, inner[-1][4] + k)),
    )
