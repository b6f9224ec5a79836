"""People and the titles sources give them.

"Prime Minister Takaichi Sanae" and "Economic Security Minister Sanae
Takaichi" name the same person (name order does not matter) with titles that
cannot both be right; "Minister Takaichi" is a short form of either and
conflicts with neither. Only offices a person holds one of at a time count
(minister, senator, governor...), not roles people stack (founder, CEO).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from briefing.text import STOP_WORDS

# fmt: off
_ABBREV = {
    'sen': 'senator', 'rep': 'representative', 'gov': 'governor', 'gen': 'general', 'sec': 'secretary',
    'pres': 'president', 'lt': 'lieutenant', 'adm': 'admiral', 'col': 'colonel', 'atty': 'attorney',
    'sgt': 'sergeant', 'capt': 'captain', 'maj': 'major', 'cmdr': 'commander', 'supt': 'superintendent',
    'congressman': 'representative', 'congresswoman': 'representative',
    'congressmember': 'representative', 'chairwoman': 'chairman', 'chairperson': 'chairman',
    'chair': 'chairman', 'senate': 'senator', 'ceo': 'chief executive', 'spokeswoman': 'spokesperson',
    'spokesman': 'spokesperson', 'premier': 'prime minister',
}
# fmt: on
# Offices a person holds one of at a time; a clash between two of these is a real conflict.
_OFFICES = frozenset(
    """
    president minister secretary senator representative governor mayor chancellor speaker leader
    ambassador attorney justice judge king queen emperor pope general admiral colonel commissioner
    administrator treasurer envoy
    """.split()
)
_OTHER_HEADS = frozenset(
    """
    chairman chief executive director spokesperson commander captain lieutenant sergeant major founder
    prince princess secretary-general president-elect whip
    """.split()
)
_HEAD_WORDS = _OFFICES | _OTHER_HEADS | frozenset(_ABBREV)
# Modifiers that make a different office of the same head ("Vice President" is not "President").
_RANK = frozenset(
    """
    vice deputy prime assistant under associate chief lieutenant co acting-chief
    """.split()
)
_LEGISLATIVE = frozenset(
    ["senator", "representative", "speaker", "leader", "whip", "majority", "minority", "chairman"]
)
_HISTORIC = frozenset(
    ["former", "ex", "late", "then", "then-", "onetime", "one-time", "retired", "outgoing", "erstwhile"]
)
_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "sir", "dame", "madam", "lord", "lady"])
PLACE_WORDS = frozenset(
    """
    us u.s. u.s usa u.s.a america american united states japan japanese china chinese uk u.k. britain
    british england english france french germany german russia russian india indian italy italian
    canada canadian mexico mexican iran iranian israel israeli ukraine ukrainian korea korean south
    north australia australian brazil brazilian spain spanish turkey turkish saudi arabia arabian egypt
    egyptian eu european taiwan taiwanese pakistan pakistani afghanistan afghan iraq iraqi syria syrian
    beijing tokyo washington moscow london paris kremlin federal national republican democratic democrat
    gop white
    """.split()
)
_NAME_RE = re.compile(
    r"\s+([A-Z][a-zA-Z’'-]+(?:\s+[A-Z]\.)?(?:\s+(?:de |van |von |bin |al-)?[A-Z][a-zA-Z’'-]+){0,2})"
)
_HEAD_RE = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(h) for h in _HEAD_WORDS - {"senate"}), key=len, reverse=True))
    + r")\b\.?",
    re.IGNORECASE,
)
_MODIFIER_RE = re.compile(
    r"(?:U\.S\.|U\.K\.|[A-Z][\w’'&-]*|former|acting|deputy|vice|prime|then-|ex-)[ \t\u00a0]+$"
)
# Capitalised words that continue a department name rather than start a person's name.
_OF_WORDS = frozenset(
    """
    state defense defence energy commerce treasury health education labor labour agriculture
    transportation homeland security interior justice economy trade industry foreign affairs finance
    veterans housing the and human services environment
    """.split()
)
_NOT_NAME = frozenset(
    """
    administration department house party committee government office ministry council court senate
    congress agency bureau university institute campaign cabinet
    """.split()
)
_APPOSITIVE_RE = re.compile(
    r"([A-Z][a-zA-Z’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z’'-]+){0,2}),\s+(?:the\s+|a\s+|an\s+)?"
    r"((?:[a-zA-Z.-]+\s+){0,3}?(?:" + "|".join(sorted(_HEAD_WORDS, key=len, reverse=True)) + r")"
    r"(?:\s+(?:of|at|for)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?)(?=[,.;)]|\s+(?:who|and|said))"
)

# Searched in a window just before a lower-case title ("former president"); \b still sees the window's left.
_HISTORIC_BEFORE_RE = re.compile(r"\b(?:former|then-|ex-)\s*$")


class PersonMention(BaseModel):
    """A titled mention of a person; ``text[start:end]`` covers title and name."""

    start: int
    end: int
    name: str
    name_tokens: list[str]
    title: str
    title_key: list[str]  # normalised title words, sorted
    historic: bool = False  # "former", "then-": not a claim about the present


def name_tokens(name: str) -> list[str]:
    """Comparable name parts: lower-cased, possessive dropped, initials removed, order-free."""
    parts = re.sub(r"[’']s$", "", name.strip()).split()
    toks = [p.lower().strip("’'.,") for p in parts if not re.fullmatch(r"[A-Z]\.?", p)]
    return sorted(t for t in toks if t and t not in ("jr", "sr", "ii", "iii"))


def title_key(title: str) -> tuple[list[str], bool]:
    """Normalised words of a title (places, parties and fillers dropped) and whether it is historic."""
    words: list[str] = []
    historic = False
    for raw in re.findall(r"[A-Za-z][A-Za-z.’'-]*", title.replace("-", " ")):
        w = raw.lower().rstrip(".")
        w = re.sub(r"[’']s$", "", w)
        if w in _HISTORIC:
            historic = True
            continue
        if w in STOP_WORDS or w in PLACE_WORDS or w in _HONORIFICS or w in ("acting", "interim", "top"):
            continue
        words.extend(_ABBREV.get(w, w).split())
    return sorted(set(words)), historic


def _is_title(words: list[str]) -> bool:
    return bool(set(words) & (_OFFICES | _OTHER_HEADS))


def _clean_title(title: str) -> str:
    """Drop leading words that are sentence glue rather than title ('When President' -> 'President')."""
    parts = title.split()
    while parts and (parts[0].lower() in STOP_WORDS or parts[0].lower() in ("in", "on")) and parts[0] != "of":
        parts.pop(0)
    return " ".join(parts)


def _pre_name(text: str, head: re.Match[str]) -> PersonMention | None:
    """'<modifiers> Head [of Dept] [(ABBR)] Name' around one head word, or None."""
    pos = head.end()
    of = re.match(r"\s+of\s+(?:the\s+)?", text[pos:])
    if of:
        words = list(re.finditer(r"[A-Za-z]+|,", text[pos + of.end() : pos + of.end() + 80]))
        used = 0
        for w in words:
            if w.group() == "," or w.group().lower() in _OF_WORDS:
                used = w.end()
            else:
                break
        pos += of.end() + used
        pos -= len(text[:pos]) - len(text[:pos].rstrip(", "))
    abbr = re.match(r"\s+\(([A-Z]{2,6})\)", text[pos:])
    if abbr:
        pos += abbr.end()
    nm = _NAME_RE.match(text, pos)
    if not nm:
        return None
    parts = nm.group(1).split()
    keep: list[str] = []
    for part in parts:
        bare = re.sub(r"[’']s$", "", part).lower()
        if bare in _NOT_NAME or bare in _HEAD_WORDS or bare in STOP_WORDS or bare in PLACE_WORDS:
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
        mod = _MODIFIER_RE.search(text, max(0, start - 40), start)
        if not mod or mod.end() != start or mod.group().strip().lower() in STOP_WORDS:
            break
        if text[mod.start() - 1 : mod.start()] not in ("", " ", "\n", "(", "—"):
            break
        start = mod.start()
    title = text[start : nm.start(1)].strip()
    key, historic = title_key(title)
    if not key or not _is_title(key):
        return None
    historic = historic or bool(re.search(r"\b(?:then|ex)-", title, re.I))
    return PersonMention(
        start=start,
        end=name_end,
        name=name,
        name_tokens=name_tokens(name),
        title=title,
        title_key=key,
        historic=historic,
    )


def find_people(text: str) -> list[PersonMention]:
    """Titled person mentions: 'US President Donald Trump', 'Michael Steele, chairman of the RNC'."""
    found: list[PersonMention] = []
    for head in _HEAD_RE.finditer(text):
        if found and head.start() < found[-1].end:
            continue
        lower = head.group()[0].islower()
        if lower and not _HISTORIC_BEFORE_RE.search(text, max(0, head.start() - 40), head.start()):
            continue  # titles before names are capitalised; "the president Blumenthal" is a misparse
        mention = _pre_name(text, head)
        if mention is not None and mention.name_tokens:
            found.append(mention)
    for m in _APPOSITIVE_RE.finditer(text):
        key, historic = title_key(m.group(2))
        toks = name_tokens(m.group(1))
        if not key or not _is_title(key) or not toks:
            continue
        if any(t in _HEAD_WORDS or t in STOP_WORDS or t in PLACE_WORDS or t in _NOT_NAME for t in toks):
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
                historic=historic,
            )
        )
    return sorted(found, key=lambda p: p.start)


def same_person(a: list[str], b: list[str]) -> bool:
    """Name-part sets naming one person: equal, or one contained in the other."""
    sa, sb = set(a), set(b)
    return bool(sa) and bool(sb) and (sa <= sb or sb <= sa)


def titles_compatible(a: list[str], b: list[str]) -> bool:
    """Whether one person could rightly be called both (short forms and stacked legislative roles)."""
    sa, sb = set(a), set(b)
    if sa == sb:
        return True
    if not (sa & _OFFICES) or not (sb & _OFFICES):
        return True  # roles people stack (founder, CEO, chairman) never conflict
    if sa < sb or sb < sa:
        extra = sa ^ sb
        return not (extra & _RANK)
    # Legislators stack roles (Senator, Majority Leader, committee chair); a senator is no representative.
    both_legislative = bool(sa & _LEGISLATIVE) and bool(sb & _LEGISLATIVE)
    return both_legislative and not {"senator", "representative"} <= (sa | sb)
