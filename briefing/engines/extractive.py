"""The deterministic engine: claims are the sources' own sentences.

It needs no network and no model, so the tool works on a fresh machine. A
claim's quote is the sentence (or table row) itself, so every citation is
verbatim by construction. Salience combines centrality (how much a sentence
shares the vocabulary of the whole set of articles), position (news puts the
lead first) and informativeness (numbers, names), so the brief leads with what
all the sources are about rather than with colour.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from briefing.engines.base import DeterministicSteps, RunContext
from briefing.models import Chunk, Claim, Source
from briefing.text import (
    CLOSING_MARKS,
    LIVE_STAMP,
    STOP_WORDS,
    citable_span,
    content_words,
    count_words,
    data_lines,
    is_live_blog,
    sentence_spans,
)

_NUMBER = re.compile(r"\d")
_PROPER = re.compile(r"\b[A-Z][a-z]+")
# A dateline: "CITY (Agency) -", "CITY, Month 3 (Agency) --" or "CITY —" before the first sentence.
DATELINE = re.compile(
    # a live blog's time stamp, first: "UPDATE - May 30, 5:20 p.m.:" also reads as "CITY -"
    rf"^{LIVE_STAMP}"
    r"|^(?:[A-Z][A-Z.'’-]+(?:[ ,/]+[A-Z][A-Za-z.'’-]*){0,3}(?:,[\w .]{1,20})?\s*(?:\([^()\n]{1,30}\))?"
    r"|[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}(?:,[\w .]{1,20})?\s*\([^()\n]{1,30}\))"
    # en dash, em dash, horizontal bar ("WASHINGTON ― ", "– -", "WASHINGTON ―House")
    r"\s*(?:-{1,2}\s+|[–—―]-?\s*(?=[A-Z“\"‘']))"
    # a town and its region in title case, then a dash ("Quenby, Varnia — "): a name, a comma and a
    # name before a dash opens no sentence
    r"|^[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2}, [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}"
    r"\s+[–—―]\s*(?=[A-Z“\"‘'])"
    # a photo credit glued to the first word ("Anna Korvel/WIRECASTThe pier..."): the page's caption
    r"|^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}/[A-Z]{2,}(?=[A-Z][a-z])"
)
_OPEN_QUOTES = "“\"‘'"
_CUT = ("...", "…", ". . .")
_FINAL = ".!?:;…"
_PAIR_MAX_WORDS = 60  # a sentence and the one it leans on, cited together, stay readable
_ECHO = 0.7  # share of a headline's content words a sentence repeats to be its echo


@lru_cache(maxsize=16)
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in data_lines(name))


@lru_cache(maxsize=16)
def _words(name: str) -> frozenset[str]:
    """A word list of ``briefing/data``, lower-cased."""
    return frozenset(w.lower() for w in data_lines(name))


@lru_cache(maxsize=1)  # leans_back asks for it on every sentence
def _leaning_words() -> frozenset[str]:
    return _words("connectives.txt") | _words("pronouns.txt")


def _verbs(*names: str) -> str:
    """These data files' phrases as one alternation, longest first ("went on to say" before "went on")."""
    phrases = [p for name in names for p in data_lines(name)]
    return "|".join(re.escape(p) for p in sorted(phrases, key=len)[::-1])


@lru_cache(maxsize=1)
def _continues_speaker() -> re.Pattern[str]:
    verbs = _verbs("continuation_verbs.txt", "answering_verbs.txt")
    # "The <noun>" or a name ("Ms. Roe"), an optional aside in commas, then a verb that continues
    # what was said ("added that", "continued, calling...", "added:"; not "added a clause",
    # "continued to grow").
    # "Roe's lawyer" is a speaker named through the person an earlier sentence introduced.
    subject = r"(?:The [a-z][\w-]*|(?:[A-Z][\w.'’-]*\s){0,2}[A-Z][\w'’-]*(?:[’']s [a-z][\w-]*)?)"
    return re.compile(rf"{subject}(?:,[^,]{{1,80}},)? (?:{verbs})(?: that\b|\s*[,:“\"]|\.$)")


_REPLY_WORDS = 12  # "Presumptive nominee Jane Roe immediately fired back.": who answered, and no more


@lru_cache(maxsize=1)
def _reply_ending() -> re.Pattern[str]:
    # Only answering: "Fighting continued." is a whole statement.
    return re.compile(rf"(?:\w+ly )?(?:{_verbs('answering_verbs.txt')})[.!]?$")


def _bare_reply(body: str) -> bool:
    """A sentence ending on its answering verb: the answer, and what it answers, are elsewhere."""
    stripped = body.strip()
    return count_words(stripped) <= _REPLY_WORDS and _reply_ending().search(stripped) is not None


def is_boilerplate(sentence: str) -> bool:
    """Bylines, credits, captions, promotions, navigation, embedded posts: page furniture, never a claim."""
    if any(p.search(sentence) for p in _patterns("boilerplate.txt")):
        return True
    return any(p.search(sentence) for p in _patterns("social_embeds.txt")) and not _tells_of_post(sentence)


def _tells_of_post(sentence: str) -> bool:
    """The article quoting a post or naming it ("..., she tweeted", "the hashtag #X"), not an embed of it."""
    if any(q in sentence for q in '“”"'):
        return True
    return _uses_word_of(sentence, "post_words.txt")


def is_relayed(sentence: str) -> bool:
    """A passage reporting another outlet's reporting ("X reported", "Here's an excerpt").

    An institution is no outlet: "the Labor Department reported on Friday", "told the Senate
    committee", "according to a new federal report" state a primary source's own words or figures.
    """
    return any(
        not _uses_word_of(m.group(0), "institutions.txt")
        for p in _patterns("relay_cues.txt")
        for m in p.finditer(sentence)
    )


def _uses_word_of(text: str, name: str) -> bool:
    """Does ``text`` use a word of the word list ``name`` (lower-cased letters only)?"""
    return not _words(name).isdisjoint(re.findall(r"[a-z]+", text.lower()))


_DEMONSTRATIVE = re.compile(
    r"\b(?:those|these|(?:on|of|to|for|with|about|from|against|over|(?i:at|in|by|after|before|since|until|during))"
    r" that)\s+"
    r"(?!who\b|which\b|that\b|days\b)[a-z]{3,}"  # "those who think" and "these days" point nowhere
)
_OPENING_CHARS = 60  # an opening clause ("After the vote,") ends within this many characters
_OPENING_PHRASE_WORDS = 5  # "A few minutes later," is an opening phrase; a longer one is a clause


def leans_back(sentence: str) -> bool:
    """Does the sentence lean on the one before?

    A connective or pronoun first, a speaker named only as "he", or a quotation with no speaker.
    """
    body = sentence.lstrip(_OPEN_QUOTES + " ([")
    words = re.findall(r"[A-Za-z]+", body[:40])
    if not words:
        return False
    leaning = _leaning_words()
    opener = words[0].lower() in leaning or (len(words) > 1 and f"{words[0]} {words[1]}".lower() in leaning)
    # A connective of three or four words set off by a comma ("As a result, ...", "On the other hand,
    # ..."); "As a result of the storm, ..." says what it follows from.
    opener = opener or any(
        " ".join(words[:n]).lower() in leaning
        and re.match(r"\W*" + r"\W+".join(words[:n]) + r"\s*,", body) is not None
        for n in (3, 4)
        if len(words) >= n
    )
    # "This weekend, ...", "This past year ...": a time counted from the day of writing.
    if opener and not _calendar_deixis(words):
        return True
    # A short opening phrase that ends on a connective ("A few minutes later, ...", "Even so, ...").
    # A comma between digits ("188,829") ends no phrase.
    opening_phrase = re.match(r"([^,;:–—“”\"]{1,40}?)\s*(?:,(?!\d)|\s[–—-]\s|[–—])", sentence.lstrip(" (["))
    if opening_phrase is not None:
        phrase = re.findall(r"[A-Za-z]+", opening_phrase.group(1))
        # "A pier is costly and, in winter, would...": "and" or "or" before a comma opens an aside.
        coordinated = re.search(r"\b(?:and|or)$", opening_phrase.group(1).rstrip()) is not None
        if (
            1 < len(phrase) <= _OPENING_PHRASE_WORDS
            and phrase[-1].lower() in _words("connectives.txt")
            and not coordinated
        ):
            return True
        # "One of them, ...", "Of that, $3 billion...": the phrase ends on what an earlier sentence named.
        if 1 < len(phrase) <= _OPENING_PHRASE_WORDS and phrase[-1].lower() in _words("pronouns.txt"):
            return True
    # "Roe, however, said...": a connective set off inside the opening clause points back as much
    # as one that opens the sentence.
    aside = re.match(r"[^,;:“”\"]{1,50}, ([a-z]+(?: [a-z]+)?),", body)
    if aside is not None and aside.group(1) in _words("connectives.txt"):
        return True
    # "To answer each of those three worries, ...", "waved that idea away": a
    # demonstrative in the opening clause points at what an earlier sentence listed or said.
    if _DEMONSTRATIVE.search(body[:_OPENING_CHARS]):
        return True
    # "Four other candidates ...", "Other lawmakers ...": others than those an earlier sentence named.
    # ("Seniors and other Americans" names them all.)
    if re.match(r"(?:(?!and\b|or\b)[\w-]+ ){0,2}[Oo]ther\b", body):
        return True
    if _back_noun(sentence) is not None:
        return True
    # "The two were...", "The 52-year-old teaches...": people the article named just before.
    counted = re.match(r"The (\d+-year-old|[a-z]+)(?![\w-])", body)
    if counted is not None and (counted[1][0].isdigit() or counted[1] in _words("back_numerals.txt")):
        return True
    # "The spokesman, who asked not to be named, added that...", "Roe continued, ...": a speaker
    # met in an earlier sentence, and what they said there.
    if _continues_speaker().match(body) or _bare_reply(body):
        return True
    # "After the vote, he said..." : the subject after a short opening clause is a pronoun.
    # Only the first clause break counts: a trailing ", its owner said" attributes the
    # sentence to a named subject; it does not lean on the sentence before.
    first = re.search(r", ([A-Za-z]+) [a-z]", _opening(body))
    if first is not None and first.group(1).lower() in _words("pronouns.txt"):
        return True
    # "One, Jane Roe of Tulsa, was charged...": one of a set an earlier sentence counted.
    member = re.match(r"([A-Za-z]+),", body)
    if member is not None and member[1].lower() in _words("set_members.txt"):
        return True
    # '"...," he said.' names its speaker only by a pronoun.
    # The quotation must end on its punctuation (or a comma follow it): '“squarely behind” his
    # decision' quotes a phrase, and '"...," and the agency' goes on with the sentence.
    after_quote = re.search(r"(?:[,.?!…—-][”\"’']|[”\"’'],)\s+([A-Za-z]+)\s+[a-z]+", sentence)
    if after_quote and after_quote.group(1).lower() in _words("pronouns.txt"):
        return True
    # A whole-sentence quotation with no one saying it.
    stripped = sentence.strip()
    if stripped[:1] not in '“"':
        return False
    close = re.search(r"[”\"]", stripped[1:])
    return close is None or close.end() + 1 >= len(stripped.rstrip(".")) - 1


def _back_noun(sentence: str) -> str | None:
    """The noun by which the sentence takes up a thing an earlier sentence named ("statement" in
    "The statement said...", "Batting down the allegations, the report said...", '"...," the
    report read.'), if it does."""
    body = sentence.lstrip(_OPEN_QUOTES + " ([")
    back = _words("back_nouns.txt") | _words("document_nouns.txt")
    # "The statement said...", "The move...", "The new spending measure would...": the head noun
    # may carry a modifier or two.
    subject = re.match(r"The ((?:[a-z-]+ ){0,2}[a-z]+)\b", body)
    if subject is not None and not _defined_in_place(body):
        noun = next((w for w in subject.group(1).split() if w in back), None)
        if noun is not None:
            return noun
    # An opening clause, then the thing ("Jane Roe, the former chairman of...": a name's
    # apposition, not an opening clause).
    first_thing = re.search(r"([\w.’'-]+), the ([a-z]{4,}) (?!of\b|who\b)[a-z]", _opening(body))
    if first_thing is not None and not first_thing.group(1)[:1].isupper() and first_thing.group(2) in back:
        return first_thing.group(2)
    # "According to the report, ...": the text the sentence cites opens it.
    according = re.match(r"According to the ([a-z]+),", body)
    if according is not None and according.group(1) in back:
        return according.group(1)
    # The quotation's speaker.
    quoted_from = re.search(r"[”\"’'],?\s+the ([a-z]+)\s+[a-z]+", sentence)
    if quoted_from and quoted_from.group(1) in back:
        return quoted_from.group(1)
    return None


def _opening(body: str) -> str:
    """Where an opening clause ends, if the sentence has one: its first characters, before any quotation."""
    return body[: body.find("“") if "“" in body else _OPENING_CHARS][:_OPENING_CHARS]


# "The group of Afghans who...", "The suspect who...", "The letter from Roe": the noun phrase says
# which, in place.
_IN_PLACE = re.compile(r"The (?:[a-z-]+ ){0,2}[a-z]+ (?:(?:of|from) (?:the |a |an )?[A-Z\d]|who\b|whose\b)")


def _defined_in_place(body: str) -> bool:
    return _IN_PLACE.match(body) is not None


def _calendar_deixis(words: Sequence[str]) -> bool:
    """'This weekend', 'This past year': a demonstrative pointing at the calendar, not at a sentence."""
    return words[0].lower() in {"this", "these"} and any(
        w.lower() in _words("calendar_spans.txt") for w in words[1:3]
    )


def is_unfinished(sentence: str) -> bool:
    """No sentence-final mark: a heading, a subhead or a caption line ("Pilot had asked to divert")."""
    return sentence.rstrip().rstrip(CLOSING_MARKS).rstrip()[-1:] not in _FINAL


def is_cut(sentence: str) -> bool:
    """An excerpt cut off mid-sentence ("... the relationship,” Ms." or a trailing "..."), or one
    that opens a quotation it does not close (the quotation goes on in the next sentence)."""
    stripped = sentence.rstrip()
    return stripped.endswith(_CUT) or _opens_unclosed_quote(stripped)


def _opens_unclosed_quote(sentence: str) -> bool:
    if sentence.rfind("“") > sentence.rfind("”") or sentence.endswith((' "', " “")):
        return True
    if sentence.count('"') % 2 == 0:
        return False
    # An odd straight mark opens a quotation when words follow it, or when it ends the sentence
    # after a full stop ('... she said. "'); one right after punctuation closes it.
    last = sentence.rfind('"')
    after, before = sentence[last + 1 : last + 2], sentence[last - 1 : last] if last else ""
    return (after.isalnum() and (not before or before.isspace() or before in "([")) or (
        last == len(sentence) - 1 and before.isspace()
    )


def _headline_echo(sentence: str, title: str | None) -> bool:
    if not title:
        return False
    head = frozenset(content_words(title))
    if not head:
        return False
    words = frozenset(content_words(sentence))
    return len(words & head) >= _ECHO * len(head) and len(words) <= len(head) + 4


@lru_cache(maxsize=1)
def _live_moment() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_verbs('live_moments.txt')})\b", re.IGNORECASE)


def _of_the_minute(sentence: str, source: Source) -> bool:
    """A live blog's entry told as of its minute ("has just tweeted", "moments ago")."""
    return is_live_blog(source.text) and _live_moment().search(sentence) is not None


def _not_a_claim(sentence: str, source: Source) -> bool:
    """Page furniture, a cut excerpt, a heading or the headline again: never a claim, nor one's antecedent."""
    return (
        is_boilerplate(sentence)
        or is_cut(sentence)
        or is_unfinished(sentence)
        or _headline_echo(sentence, source.title)
    )


def _captioned(text: str, start: int, end: int) -> bool:
    """A photo caption whose credit the page glued on ("...at the pier.CreditAnna Korvel/Wirecast"):
    the splitter ends the sentence at the period, so only the rest of its line shows it is a caption."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return end < line_end and not text[end].isspace() and is_boilerplate(text[start:line_end])


_DOUBLED_QUOTES = re.compile(r'""+')  # a mark typed twice (''""We have...'') opens one quotation
# A straight mark right after a word or punctuation and before a space or the end closes a quotation.
_CLOSING_MARK = re.compile(r'(?<=[\w.,!?;:\u2014-])"(?=\s|$)')


def _open_quote_before(text: str, line_start: int, start: int, end: int | None = None) -> bool:
    """Is ``start`` inside a quotation opened earlier in its paragraph (someone else's words)?

    Counted from the paragraph's start, and, where the count can be fooled (a mark typed twice,
    a paragraph cut before its opening mark), from the sentence itself: one whose first mark
    closes a quotation began inside it.
    """
    before = text[line_start:start]
    if before.count("“") > before.count("”"):
        return True
    if _DOUBLED_QUOTES.sub('"', before).count('"') % 2 == 1:
        return True
    if end is None:
        return False
    sentence = text[start:end]
    # Curly marks are read to the paragraph's end: a letter quoted paragraph by paragraph opens its
    # quotation in an earlier paragraph and closes it at the end of its last one.
    line_end = text.find("\n", end)
    rest = text[start : len(text) if line_end < 0 else line_end]
    first_curly = min((i for i in (rest.find("“"), rest.find("”")) if i >= 0), default=-1)
    # (A straight mark opened before it is what it closes: outlets mix the two kinds.)
    if first_curly >= 0 and rest[first_curly] == "”" and rest[:first_curly].count('"') % 2 == 0:
        return True
    first = sentence.find('"')
    # (A curly mark opened before it is what it closes: outlets mix the two kinds.)
    opened = "“" in sentence[:first]
    return first > 0 and not opened and _CLOSING_MARK.match(sentence, first) is not None


@dataclass(frozen=True)
class _Candidate:
    chunk: Chunk
    start: int
    end: int
    text: str
    position: float
    is_row: bool
    relayed: bool = False


class ExtractiveEngine(DeterministicSteps):
    """Sentence-level extraction and ranking; reconcile/compose use the deterministic defaults."""

    name = "extractive"
    model: str | None = None

    def extract(self, chunks: Sequence[Chunk], run: RunContext) -> list[Claim]:
        from briefing.tables import find_tables, row_sentence

        candidates: list[_Candidate] = []
        sentences: dict[str, list[tuple[int, int]]] = {}
        # Tables are read from the whole source: a chunk boundary can fall
        # between a table's header and its rows.
        tables = {sid: find_tables(run.sources[sid].text) for sid in {c.source_id for c in chunks}}
        for chunk in chunks:
            source = run.sources[chunk.source_id]
            text = source.text
            table_spans: list[tuple[int, int]] = []
            for table in tables[chunk.source_id]:
                table_spans.append((table.start, table.end))
                for row in table.rows:
                    if chunk.start <= row.start < chunk.end:
                        candidates.append(
                            _Candidate(chunk, row.start, row.end, row_sentence(table, row), 0.0, True)
                        )
            if chunk.source_id not in sentences:
                sentences[chunk.source_id] = sentence_spans(text)
            spans = sentences[chunk.source_id]
            readable = _readable_sentences(source, spans, chunk.start, chunk.end, table_spans)
            for s, e, relayed, shown in readable:
                weight = _position_weight(s, len(text))
                candidates.append(_Candidate(chunk, s, e, shown, weight, False, relayed))
        return self._score(candidates, run)

    def _score(self, candidates: list[_Candidate], run: RunContext) -> list[Claim]:
        # Document frequency over sources, so words every article uses (the
        # event's own vocabulary) count for centrality while boilerplate
        # repeated inside one article does not.
        df: Counter[str] = Counter()
        per_source: dict[str, set[str]] = {}
        for c in candidates:
            per_source.setdefault(c.chunk.source_id, set()).update(content_words(c.text))
        for vocabulary in per_source.values():
            df.update(vocabulary)
        n_sources = max(1, len(per_source))
        claims: list[Claim] = []
        counters: Counter[str] = Counter()
        for cand in candidates:
            chunk, start, end, sentence = cand.chunk, cand.start, cand.end, cand.text
            words = content_words(sentence)
            if not words:
                continue
            unique = set(words)
            # Words shared across sources are the story; a word in one source only
            # still carries a little (it may be the detail that matters).
            central = sum(df[w] / n_sources for w in unique) / math.sqrt(len(unique) + 4)
            info = 0.15 * (len(_NUMBER.findall(sentence)) > 0) + 0.03 * min(4, len(_PROPER.findall(sentence)))
            penalty = 0.0
            if sentence.rstrip().endswith("?"):
                penalty += 0.5
            if sentence.lstrip()[:1] in "“\"‘'":
                penalty += 0.35  # a quotation is colour; the facts around it come first
            elif sum(sentence.count(q) for q in '“”"') >= 2:
                penalty += 0.1
            n_words = len(sentence.split())
            if n_words > 40:
                penalty += 0.01 * (n_words - 40)  # long sentences cost the page more than they add
            # Table rows are facts for reconciliation more than lines for the brief.
            score = central + cand.position + info - penalty - (0.3 if cand.is_row else 0.0)
            source = run.sources[chunk.source_id]
            n = counters[chunk.id]
            counters[chunk.id] += 1
            claims.append(
                Claim(
                    id=f"{chunk.id}:c{n}",
                    source_id=chunk.source_id,
                    chunk_id=chunk.id,
                    text=_clean(sentence),
                    quote=source.text[start:end],
                    start=start,
                    end=end,
                    score=round(score, 6),
                    origin="extractive",
                    relayed=cand.relayed,
                )
            )
        return claims


def _readable_sentences(
    source: Source,
    spans: Sequence[tuple[int, int]],
    start: int,
    end: int,
    table_spans: Sequence[tuple[int, int]],
) -> list[tuple[int, int, bool, str]]:
    """Spans of ``source.text[start:end]`` a reader can use on their own, each with its relay flag
    and the words it shows (the span's text, less a label the page set before its second sentence).

    Datelines are cut off the front; bylines, captions, promotions, headline
    echoes and cut excerpts are left out; a sentence that leans on the one
    before ("But...", "He said...", the rest of a quotation) is cited together
    with it, or left out when the pair would be too long.
    """
    text = source.text
    out: list[tuple[int, int, bool, str]] = []
    # ``spans`` are the whole source's sentences: the one before the chunk may
    # be the antecedent of its first one.
    relay_paragraph_end = -1
    for i, (s0, e0) in enumerate(spans):
        if e0 <= start or s0 >= end:
            continue
        if any(ts <= s0 < te for ts, te in table_spans):
            continue
        sentence = text[s0:e0]
        relayed = is_relayed(sentence) or s0 < relay_paragraph_end
        if relayed and sentence.rstrip().endswith(":"):
            # "Here's an excerpt from the report:" relays the paragraph that follows.
            nxt = text.find("\n", e0 + 1)
            nxt = text.find("\n", nxt + 1) if nxt >= 0 and not text[e0:nxt].strip() else nxt
            relay_paragraph_end = len(text) if nxt < 0 else nxt
        if s0 < start:
            continue
        dateline = DATELINE.match(sentence)
        if dateline:
            s0 += dateline.end()
            sentence = text[s0:e0]
        if _not_a_claim(sentence, source) or _captioned(text, s0, e0) or _of_the_minute(sentence, source):
            continue
        span = citable_span(text, s0, e0)
        if span is None:
            continue
        s, e = span
        sentence = text[s:e]
        line_start = text.rfind("\n", 0, s) + 1
        previous = text[spans[i - 1][0] : spans[i - 1][1]] if i > 0 else ""
        if leans_back(sentence) or _open_quote_before(text, line_start, s, e) or takes_up(sentence, previous):
            pair = _with_antecedent(source, spans, i, s, e)
            if pair is None:
                continue
            # Cited together, the two relay another outlet's report if the first does ("..., the
            # Daily Planet reports. The two countries said...").
            relayed = relayed or is_relayed(text[pair : spans[i][0]].strip())
            # A paragraph's label ("Why it matters: ...") is the page's layout, not the sentence's
            # words: cited with the sentence before, the pair shows the two sentences without it.
            shown = text[pair:s0] + text[s:e] if s > s0 else text[pair:e]
            out.append((pair, e, relayed, shown))
            continue
        out.append((s, e, relayed, text[s:e]))
    return out


_NAME_HEAD = re.compile(r"\b[A-Z][\w.'’-]*\s+([A-Z][a-z]{2,})\b")  # "Harbour Clause": Clause
_DEFINITE = re.compile(r"(?:The|Those|These) (?:([a-z]+) )?([a-z]{3,})\b")
_HEAD_STEM = 5  # "complaint"/"complaints", "vote"/"voted": one word for taking up the last sentence's


def takes_up(sentence: str, previous: str) -> bool:
    """ "The complaints say...", "The vote puts...": a definite subject naming what the sentence
    before it told of. Alone it reads as a thing the reader was never shown."""
    body = sentence.lstrip(_OPEN_QUOTES + " ([")
    m = _DEFINITE.match(body)
    if m is None or not previous or _defined_in_place(body):
        return False
    before = {w[:_HEAD_STEM] for w in re.findall(r"\b[a-z]{3,}\b", previous)}
    # "...the charter's Harbour Clause." names what "The clause states..." takes up: the last
    # word of a name is its kind. A title opening a name ("President Roe") is not taken up by "The
    # president", whom the story's headline and people make plain.
    # A heading's capitals ("Critics and Traders Respond") are its style, not names.
    if not is_unfinished(previous):
        before |= {name[1].lower()[:_HEAD_STEM] for name in _NAME_HEAD.finditer(previous)}
    heads = [w for w in m.groups() if w and w not in STOP_WORDS]
    return any(w[:_HEAD_STEM] in before for w in heads)


def _with_antecedent(source: Source, spans: Sequence[tuple[int, int]], i: int, s: int, e: int) -> int | None:
    """Start of the previous sentence when it can carry this one (None: leave the sentence out)."""
    if i == 0:
        return None
    ps, pe = spans[i - 1]
    text = source.text
    previous = text[ps:pe]
    dateline = DATELINE.match(previous)
    if dateline:
        ps += dateline.end()
        previous = text[ps:pe]
    if (
        leans_back(previous)
        # Itself inside a quotation opened before it: the pair would still lack the quotation's
        # opening and its speaker (the middle of a quoted statement reads as the source's own words).
        # (Over the pair: a closing mark with no opening one in it ends a quotation opened in an
        # earlier paragraph, as a letter quoted paragraph by paragraph is.)
        or _open_quote_before(text, text.rfind("\n", 0, ps) + 1, ps, e)
        or _not_a_claim(previous, source)
        or previous.rstrip().endswith(":")
        or count_words(text[ps:e]) > _PAIR_MAX_WORDS
        or not _names_back_noun(previous, text[s:e])
        or citable_span(text, ps, pe) is None
        or "\n\n\n" in text[pe:s]
    ):
        return None
    return ps


def _names_back_noun(previous: str, sentence: str) -> bool:
    """Does the sentence before name the thing this one takes up ("the statement said" after a
    sentence telling of a statement)? A pair whose first sentence does not still leaves the reader
    asking which statement (seen: a paragraph's quoted charges, "the statement said", paired with
    an unrelated sentence on how the story first came out)."""
    noun = _back_noun(sentence)
    # A move, a group, an episode: the sentence before tells of it in its own words.
    if noun is None or noun not in _words("document_nouns.txt"):
        return True
    return noun[:_HEAD_STEM] in {w[:_HEAD_STEM] for w in re.findall(r"[a-z]{3,}", previous.lower())}


def _position_weight(offset: int, length: int) -> float:
    # The first fifth of an article carries the news; later text is context.
    relative = offset / max(1, length)
    return 0.35 * max(0.0, 1.0 - relative * 2.5) + 0.01


def _clean(sentence: str) -> str:
    return " ".join(sentence.split())
