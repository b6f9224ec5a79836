"""People and the titles sources give them.

"Prime Minister Ana Varga" and "Finance Minister Varga Ana" name the same
person (name order does not matter) with titles that cannot both be right;
"Minister Varga" is a short form of either and conflicts with neither. Only
offices a person holds one of at a time count (minister, senator, governor...),
not roles people stack (founder, CEO).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel

from briefing.reconcile import lexicon
from briefing.text import NAME_WORD, is_headline_style


@cache
def _lists() -> dict[str, frozenset[str]]:
    t = lexicon.groups("titles.txt")
    n = lexicon.groups("name_stops.txt")
    abbrev = lexicon.pairs("title_abbreviations.txt")
    return {
        "offices": t["office"],
        "other_heads": t["role"],
        "heads": t["office"] | t["role"] | frozenset(abbrev),
        "rank": t["rank"],
        "legislative": t["legislative"],
        "exclusive": t["exclusive"],
        "historic": t["historic"],
        "honorific": t["honorific"],
        "filler": t["filler"],
        "not_name": n["not_name"],
        "of_word": n["of_word"],
        "places": lexicon.words("places.txt"),
    }


@cache
def _res() -> dict[str, re.Pattern[str]]:
    heads = _lists()["heads"]
    alt = "|".join(sorted((re.escape(h) for h in heads - {"senate"}), key=len, reverse=True))
    return {
        "name": re.compile(
            r"\s+([A-Z][a-zA-Z’'-]+(?:\s+[A-Z]\.)?(?:\s+(?:de |van |von |bin |al-)?[A-Z][a-zA-Z’'-]+){0,2})"
        ),
        "head": re.compile(r"\b(" + alt + r")\b\.?", re.IGNORECASE),
        "modifier": re.compile(
            r"(?:U\.S\.|U\.K\.|[A-Z][\w’'&-]*|former|acting|deputy|vice|prime|then-|ex-)[ \t\u00a0]+$"
        ),
        "appositive": re.compile(
            r"([A-Z][a-zA-Z’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z’'-]+){0,2}),\s+(?:then\s+)?(?:the\s+|a\s+|an\s+)?"
            r"((?:[a-zA-Z.-]+\s+){0,3}?(?i:" + "|".join(sorted(heads, key=len, reverse=True)) + r")"
            r"(?:\s+(?:of|at|for)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?)(?=[,.;)]|\s+(?:who|and|said))"
        ),
        "historic_before": re.compile(r"\b(?:former|then-|ex-)\s*$"),
    }


class PersonMention(BaseModel):
    """A titled mention of a person; ``text[start:end]`` covers title and name."""

    start: int
    end: int
    name: str
    name_tokens: list[str]
    title: str
    title_key: list[str]  # normalised title words, sorted
    historic: bool = False  # "former", "then-": not a claim about the present
    then: bool = False  # "then-", "X, then a ...": the title at the time the story tells of


def name_tokens(name: str) -> list[str]:
    """Comparable name parts: lower-cased, possessive dropped, initials removed, order-free."""
    parts = re.sub(r"[’']s$", "", name.strip()).split()
    toks = [p.lower().strip("’'.,") for p in parts if not re.fullmatch(r"[A-Z]\.?", p)]
    return sorted(t for t in toks if t and t not in ("jr", "sr", "ii", "iii"))


def title_key(title: str) -> tuple[list[str], bool]:
    """Normalised words of a title (places, parties and fillers dropped) and whether it is historic."""
    lists = _lists()
    words: list[str] = []
    historic = False
    for raw in re.findall(r"[A-Za-z][A-Za-z.’'-]*", title.replace("-", " ")):
        w = raw.lower().replace(".", "")
        w = re.sub(r"[’']s$", "", w)
        if w in lists["historic"]:
            historic = True
            continue
        if (
            (w in lexicon.stop_words() and w not in lists["rank"])  # "Under Secretary": a rank
            or w in lists["places"]
            or w in lists["honorific"]
            or w in lists["filler"]
        ):
            continue
        words.extend(lexicon.pairs("title_abbreviations.txt").get(w, w).split())
    return sorted(set(words)), historic


def _is_title(words: list[str]) -> bool:
    lists = _lists()
    return bool(set(words) & (lists["offices"] | lists["other_heads"]))


def _clean_title(title: str) -> str:
    """Drop leading words that are sentence glue rather than title ('When President' -> 'President')."""
    parts = title.split()
    while (
        parts
        and (parts[0].lower() in lexicon.stop_words() or parts[0].lower() in ("in", "on"))
        and parts[0] != "of"
    ):
        parts.pop(0)
    return " ".join(parts)


def _pre_name(text: str, head: re.Match[str]) -> PersonMention | None:
    """'<modifiers> Head [of Dept] [(ABBR)] Name' around one head word, or None."""
    lists = _lists()
    pos = head.end()
    of = re.match(r"\s+of\s+(?:the\s+)?", text[pos:])
    if of:
        words = list(re.finditer(r"[A-Za-z]+|,", text[pos + of.end() : pos + of.end() + 80]))
        used = 0
        for w in words:
            if w.group() == "," or w.group().lower() in lists["of_word"]:
                used = w.end()
            else:
                break
        pos += of.end() + used
        pos -= len(text[:pos]) - len(text[:pos].rstrip(", "))
    abbr = re.match(r"\s+\(([A-Z]{2,6})\)", text[pos:])
    if abbr:
        pos += abbr.end()
    nm = _res()["name"].match(text, pos)
    if not nm:
        return None
    parts = nm.group(1).split()
    keep: list[str] = []
    for part in parts:
        bare = re.sub(r"[’']s$", "", part).lower()
        if (
            bare in lists["not_name"]
            or bare in lists["heads"]
            or bare in lexicon.stop_words()
            or bare in lists["places"]
        ):
            break
        keep.append(part)
        if re.search(r"[’']s$", part):
            break
    if not keep:
        return None
    name = " ".join(keep)
    name_end = nm.start(1) + len(name)
    if re.search(r"[’']s$", name):
        name, name_end = name[:-2], name_end - 2
    start = head.start()
    while True:
        mod = _res()["modifier"].search(text, max(0, start - 40), start)
        if not mod or mod.end() != start:
            break
        # "When President Roe": glue. "Under Secretary Roe" is a rank, but a sentence may open on the
        # same word as a preposition ("Under President Roe, ...").
        word, lead = mod.group().strip().lower(), text[: mod.start()].rstrip(' “"(')
        opens = not lead or lead[-1] in ".!?\n"
        if word in lexicon.stop_words() and (word not in lists["rank"] or opens):
            break
        if text[mod.start() - 1 : mod.start()] not in ("", " ", "\n", "(", "—"):
            break
        start = mod.start()
    title = text[start : nm.start(1)].strip()
    key, historic = title_key(title)
    if not key or not _is_title(key):
        return None
    # "then-Sen. Roe": the hyphen binds the marker to the title, with no space for the modifier pattern.
    glued = re.search(r"\b(then|ex)-$", text[max(0, start - 6) : start], re.I)
    historic = historic or bool(re.search(r"\b(?:then|ex)-", title, re.I)) or bool(glued)
    # "then-Senator Roe": the prefix is glued to the title, outside the modifiers read above.
    historic = historic or bool(_res()["historic_before"].search(text, max(0, start - 12), start))
    return PersonMention(
        start=start,
        end=name_end,
        name=name,
        name_tokens=name_tokens(name),
        title=title,
        title_key=key,
        historic=historic,
        then=bool(re.search(r"\bthen\b", title, re.I)) or bool(glued and glued.group(1).lower() == "then"),
    )


def find_people(text: str) -> list[PersonMention]:
    """Titled person mentions: 'Mayor Aldo Brant', 'Ines Falk, chair of the harbour board'."""
    lists = _lists()
    found: list[PersonMention] = []
    for head in _res()["head"].finditer(text):
        if found and head.start() < found[-1].end:
            continue
        lower = head.group()[0].islower()
        if lower and not _res()["historic_before"].search(text, max(0, head.start() - 40), head.start()):
            continue  # titles before names are capitalised; "the president Blumenthal" is a misparse
        mention = _pre_name(text, head)
        if mention is not None and mention.name_tokens:
            found.append(mention)
    for m in _res()["appositive"].finditer(text):
        key, historic = title_key(m.group(2))
        then = bool(re.match(r",\s+then\s", text[m.end(1) :]))
        toks = name_tokens(m.group(1))
        if not key or not _is_title(key) or not toks:
            continue
        if any(
            t in lists["heads"] or t in lexicon.stop_words() or t in lists["places"] or t in lists["not_name"]
            for t in toks
        ):
            continue
        if any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found):
            continue
        found.append(
            PersonMention(
                start=m.start(),
                end=m.end(2),
                name=m.group(1),
                name_tokens=toks,
                title=m.group(2),
                title_key=key,
                historic=historic or then,
                then=then,
            )
        )
    return sorted(found, key=lambda p: p.start)


def same_person(a: list[str], b: list[str]) -> bool:
    """Name-part sets naming one person: equal, or one contained in the other."""
    sa, sb = set(a), set(b)
    return bool(sa) and bool(sb) and (sa <= sb or sb <= sa)


def _surname(name: str) -> str:
    parts = [p.lower().strip("’'.,") for p in re.sub(r"[’']s$", "", name.strip()).split()]
    parts = [p for p in parts if len(p) > 1 and p not in ("jr", "sr", "ii", "iii", "iv")]
    return parts[-1] if parts else ""


def same_named_person(a: list[str], a_name: str, b: list[str], b_name: str) -> bool:
    """``same_person``, where a shorter name must keep the longer one's surname: "Roe" may stand for
    "Jane Roe", but "Jane" alone (a monarch's or a pope's one name) never does."""
    if not same_person(a, b):
        return False
    if len(set(a)) == len(set(b)):
        return True
    return _surname(a_name) == _surname(b_name)


def titles_compatible(a: list[str], b: list[str]) -> bool:
    """Whether one person could rightly be called both (short forms and stacked legislative roles)."""
    lists = _lists()
    # Only a title's own words say which office it is; "controversial", "embattled", "first black" say
    # something else of the person ("Controversial Gov. Roe", "Roe, the embattled governor").
    vocab = lists["heads"] | lists["rank"] | lists["exclusive"] | lists["of_word"] | lists["not_name"]
    sa, sb = (({w for w in x if w in vocab} or set(x)) for x in (a, b))
    if sa == sb:
        return True
    if sa < sb or sb < sa:
        # A rank makes another post of the same head: a vice chairman is no chairman, as a deputy
        # minister is no minister.
        return not (sa ^ sb) & lists["rank"]
    if not (sa & lists["offices"]) or not (sb & lists["offices"]):
        return True  # roles people stack (founder, CEO, chairman) never conflict
    # Legislators stack roles (Senator, Majority Leader, committee chair); a senator is no representative.
    if len((sa | sb) & lists["exclusive"]) > 1:
        return False  # "Majority Leader" and "Minority Leader" cannot both be right
    both_legislative = bool(sa & lists["legislative"]) and bool(sb & lists["legislative"])
    return both_legislative and not {"senator", "representative"} <= (sa | sb)


def given_names(texts: Iterable[str], surname: str) -> frozenset[str]:
    """The first names the texts give a surname ("Jane Roe", "Rep. John Roe" -> {"jane", "john"}).

    Two or more mean the story has two people of that name: a bare "Roe" may be either.
    """
    lists = _lists()
    words = frozenset().union(*(v for k, v in lists.items() if k != "places"))
    # A name runs on one line: "...Names a New Harbor Chief" over a "TARNOW —" dateline is no "Chief Tarnow".
    # A surname given capitalised is matched as written: "Moderna vaccine" names no one called
    # "Vaccine". A lower-case key (the comparer's) matches in any case.
    name = re.escape(surname) if surname[:1].isupper() else f"(?i:{re.escape(surname)})"
    pattern = re.compile(r"\b((?i:[A-Z][a-z]+))[^\S\n]+(?i:[A-Z]\.[^\S\n]+)?" + name + r"\b")
    found: set[str] = set()
    for text in texts:
        for m in pattern.finditer(text):
            first = m.group(1)
            low = first.lower()
            if first[0].isupper() and low not in words and low not in lexicon.stop_words():
                found.add(low)
    return frozenset(found)


_SENTENCE_END = tuple(".!?:;\"”’')")
_HEADING_WORDS = 20  # a headline's length at most


def _heading(line: str) -> bool:
    short = len(line.split()) <= _HEADING_WORDS and not line.rstrip().endswith(_SENTENCE_END)
    return short or is_headline_style(line)


_BARE_NAME = re.compile(rf"(?<![\w’'-])(?<!the )(?<!The )({NAME_WORD})\b(?![ \t]+[A-Z])")


def bare_surnames(sentence: str, before: str) -> frozenset[str]:
    """Names the sentence gives a person by surname alone, where its source named them in full before.

    "Whelan added that ..." after "Jane Whelan, a lawyer, ..." leans on that earlier
    sentence: a reader of the sentence alone meets a stranger. A name the sentence
    gives in full ("Jane Whelan") or that ``before`` never gives a first name to
    (a place, a body, a person always called one name) is not returned.
    """
    stops = lexicon.stop_words()
    # A headline gives no first names: "Biden Lifts Travel Curbs" names no "Lifts Travel", and
    # "Tarnow Democrats skip vote" no "Tarnow Democrats". A heading is a short line with no
    # sentence stop at its end (a paragraph may end on "...and said" before a quotation).
    prose = "\n".join(line for line in before.split("\n") if not _heading(line))
    found: set[str] = set()
    for m in _BARE_NAME.finditer(sentence):
        name = m.group(1)
        if name in found or name.lower() in stops:
            continue
        previous = sentence[: m.start()].rstrip()
        if re.search(r"[A-Z][a-z]+$", previous) and not previous.endswith((".", ",", ":", ";")):
            continue  # the second part of a full name given here ("Jane Whelan")
        if given_names([prose], name) and not given_names([sentence], name):
            found.add(name)
    return frozenset(found)
