"""Text helpers shared by every stage: quote matching, sentences, token counts.

Quote matching is the heart of the citation guarantee: whatever a model or a
heuristic proposes, a citation is only ever the source's own text at
``start:end``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# Typographic variants a model (or an editor) swaps freely; matching treats
# them as their ASCII forms, while citations keep the source's own characters.
_CHAR_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u2026": "...",
}


def normalize(text: str) -> str:
    """Map quote marks and dashes to ASCII and collapse whitespace."""
    out = "".join(_CHAR_MAP.get(ch, ch) for ch in text)
    return " ".join(out.split())


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            index.append(i - 1)
            pending_space = False
        mapped = _CHAR_MAP.get(ch, ch)
        for m in mapped:
            chars.append(m)
            index.append(i)
    return "".join(chars), index


def _on_char_bounds(index: list[int], start: int, end: int) -> bool:
    starts_clean = start == 0 or index[start - 1] != index[start]
    return starts_clean and (end == len(index) or index[end] != index[end - 1])


def _find_on_bounds(norm_hay: str, norm_quote: str, index: list[int]) -> int:
    """First match that begins and ends on whole source characters: 'a.' is not in 'a…' although
    the ellipsis normalises to '...'."""
    pos = norm_hay.find(norm_quote)
    while pos >= 0 and not _on_char_bounds(index, pos, pos + len(norm_quote)):
        pos = norm_hay.find(norm_quote, pos + 1)
    return pos


def locate_quote(haystack: str, quote: str, *, casefold: bool = False) -> tuple[int, int] | None:
    """Find ``quote`` in ``haystack`` and return its span in ``haystack``.

    Exact match first; then a match after normalising whitespace, quote marks
    and dashes. The returned span always indexes the original ``haystack``, so
    ``haystack[start:end]`` is the verbatim text to cite.
    """
    quote = quote.strip()
    if not quote:
        return None
    pos = haystack.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    norm_hay, index = _normalized_with_map(haystack)
    norm_quote = normalize(quote)
    if casefold:
        norm_hay, norm_quote = norm_hay.casefold(), norm_quote.casefold()
        if len(norm_hay) != len(index):  # casefold changed lengths (e.g. 'ß'); give up safely
            return None
    pos = _find_on_bounds(norm_hay, norm_quote, index)
    if pos < 0 and ('"' in norm_quote or "'" in norm_quote):
        # A model writing a quote inside a JSON string often turns the article's double quotation
        # marks into single ones ('re-route' for “re-route”): a mark is a mark, whichever kind.
        pos = _find_on_bounds(norm_hay.replace('"', "'"), norm_quote.replace('"', "'"), index)
    if pos < 0 or not norm_quote:
        return None
    start = index[pos]
    end = index[pos + len(norm_quote) - 1] + 1
    return start, end


_LINE_RE = re.compile(r"[^\n]+")


@lru_cache(maxsize=32)
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``briefing/data/<name>`` (word lists and patterns live there)."""
    from importlib.resources import files

    text = files("briefing").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _abbreviation_end() -> re.Pattern[str]:
    words = sorted(data_lines("abbreviations.txt"), key=len, reverse=True)
    # "Ms." or "U.S." (single letters with full stops) at the very end of a span.
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?:(?<![\w.])(?:{alternatives})|(?<![\w.])(?:[A-Za-z]\.){{1,3}}[A-Za-z])\.$")


def _joins_next(sentence: str, following: str) -> bool:
    """True when a sentence splitter cut after an abbreviation ("Ms." / "Sen.") rather than at an end."""
    if not _abbreviation_end().search(sentence):
        return False
    nxt = following.lstrip()
    if not nxt:
        return False
    first = nxt.split(None, 1)[0]
    # "... in the U.S. The next day" is a real end; "Ms. Smith" and "Jan. 5" are not.
    initialism = sentence.rstrip()[-3:-1].isupper()
    return not (initialism and first[:1].isupper() and first.lower() in _SENTENCE_STARTS)


@lru_cache(maxsize=1)
def _unbreakable() -> re.Pattern[str]:
    """Abbreviations a sentence never ends inside: a party-region affiliation ("D-N.Y.") or an initialism."""
    regions = sorted(data_lines("region_abbreviations.txt"), key=len, reverse=True)
    alternatives = "|".join(re.escape(r) for r in regions)
    return re.compile(rf"\b[A-Z]-(?:{alternatives})|\b(?:[A-Z]\.){{2,}}")


def _inside_abbreviation(text: str, boundary: int) -> bool:
    """Does ``boundary`` (an offset into ``text``) fall strictly inside an unbreakable abbreviation?"""
    window = text[max(0, boundary - 16) : boundary + 16]
    offset = max(0, boundary - 16)
    return any(m.start() + offset < boundary < m.end() + offset for m in _unbreakable().finditer(window))


_SENTENCE_STARTS = frozenset(
    "the a an but and he she it they we i in on at this that these those there his her their its".split()
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (offsets into ``text``) within ``text[start:end]``.

    Lines are split first (headlines, list items and table rows stand alone),
    then sentencex splits each line; spans are trimmed of surrounding space.
    """
    import sentencex

    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in _LINE_RE.finditer(text, start, end):
        base = line.start()
        segment = line.group()
        if not segment.strip():
            continue
        pieces: list[tuple[int, int]] = []
        for b in sentencex.get_sentence_boundaries("en", segment):
            s, e = base + b["start_index"], base + b["end_index"]
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s:
                continue
            # sentencex ends sentences at "Ms." and "Sen." and inside "D-N.Y."; glue those pieces back.
            if pieces and (
                _joins_next(text[pieces[-1][0] : pieces[-1][1]], text[s:e]) or _inside_abbreviation(text, s)
            ):
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        spans.extend(pieces)
    return spans


_TOKEN_RE = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def count_tokens(text: str) -> int:
    """Offline estimate of BPE tokens (within ~10% of cl100k on English news).

    Exact counts would need tiktoken's BPE file, which is downloaded at run
    time; real usage is taken from API responses, so an estimate suffices for
    chunk budgets and cost previews.
    """
    total = 0
    for piece in _TOKEN_RE.findall(text):
        n = len(piece)
        # Long words split into several BPE pieces; short ones are one token.
        total += 1 if n <= 7 else 1 + (n - 4) // 5
    return total


_WORD_RE = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


@lru_cache(maxsize=4096)
def content_words(text: str) -> tuple[str, ...]:
    """Lower-cased content words (stop words removed), for similarity measures."""
    words = re.findall(r"[a-z0-9][a-z0-9'%.-]*[a-z0-9%]|[a-z0-9]", text.lower())
    return tuple(w for w in words if w not in STOP_WORDS)


def iter_numbers(text: str) -> Iterator[re.Match[str]]:
    return re.finditer(r"\d[\d,.]*", text)


STOP_WORDS = frozenset(w for line in data_lines("stopwords.txt") for w in line.split())


_HEADLINE_WORDS = 5  # a line this long with no lower-case word of four letters or more is a headline


CLOSING_MARKS = "”\"’')]"  # what may follow a sentence's final mark

# A live blog's entries open on a time stamp ("16.06 Rescuers said..."): the page has no lede, and its
# first sentences are the latest entry, not the story's news. (The extractive engine cuts the stamp
# off a sentence as it cuts a dateline.)
# "14:05 ", "7:19 p.m. -- ", "UPDATE: 7:19 p.m. -- ", "UPDATE - May 30, 5:20 p.m.: " (an upper-case
# label, and a month and day, before the time).
LIVE_STAMP = (
    r"(?:[A-Z]{2,}\s*[:–—-]\s+)?(?:[A-Z][a-z]{2,8}\.? \d{1,2},? )?"
    # "5:20 p.m."; an hour alone ("10 p.m.") only with a stamp's colon or dash after it
    r"(?:\d{1,2}[.:]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.m\.(?=:|\s+(?:-{1,2}|[–—])))"
    r"(?:\s+(?:-{1,2}|[–—])|:)?\s+(?=[A-Z])"
)
# A capitalised name word: "Whelan", "McCain", "O’Rourke" (an O’/D' prefix is part of the name).
NAME_WORD = r"[A-Z](?:[’'][A-Z])?[a-z]+(?:[A-Z][a-z]+)?"
_LIVE_STAMP = re.compile(rf"^{LIVE_STAMP}", re.MULTILINE)
LIVE_BLOG_STAMPS = 3


@lru_cache(maxsize=256)
def is_live_blog(text: str) -> bool:
    """Does the text read as a live blog (entries under time stamps)?"""
    return len(_LIVE_STAMP.findall(text)) >= LIVE_BLOG_STAMPS


def is_headline_style(sentence: str) -> bool:
    """A line in headline capitals ("Council Approves Seawall Budget From the State"), not a sentence.

    No lower-case word of four letters or more, and a capitalised function word
    after the first word: a sentence full of names ("Mayor Ilse Varga met Gov.
    Oren Dahl in Boston") still writes "in" and "met" in lower case.
    """
    words = [w.strip("'’\"“”‘,.:;!?()") for w in sentence.split()]
    words = [w for w in words if w[:1].isalpha()]
    if len(words) < _HEADLINE_WORDS or any(w[0].islower() and len(w) >= 4 for w in words):
        return False
    return any(w[0].isupper() and w.lower() in STOP_WORDS for w in words[1:])


# A list marker or a "Label: " lead-in ("- Key dates: ...") is layout, not
# content; the claim starts after it so the quote reads as a sentence.
_LEAD_IN = re.compile(r"^(?:[-*•·]\s+|\d{1,2}[.)]\s+)?(?:[A-Z][\w’'()/&-]*(?:\s+[\w’'()/&-]+){0,5}:\s+)?")
_BULLET = re.compile(r"^(?:[-*•·]\s+|\d{1,2}[.)]\s+)")
CITABLE_MIN_WORDS = 7
CITABLE_MAX_WORDS = 70


def citable_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a sentence worth citing, or None for headings and fragments."""
    sentence = text[start:end]
    bullet = _BULLET.match(sentence)
    lead = _LEAD_IN.match(sentence)
    cut = lead.end() if lead and lead.end() < len(sentence) and lead.group().rstrip().endswith(":") else 0
    if not cut and bullet:
        cut = bullet.end()
    s = start + cut
    body = text[s:end]
    words = count_words(body)
    if words < CITABLE_MIN_WORDS or words > CITABLE_MAX_WORDS:
        return None
    if body.rstrip()[-1:] not in ".!?\"”’)'" and words < 14:
        return None  # a headline or label, not a sentence
    if body.rstrip().endswith(":"):
        return None
    return s, end


# --- display safety ------------------------------------------------------------
# File names, article text and server messages are untrusted. On a terminal a
# control character can move the cursor, recolour or retitle the window, and a
# bidirectional override can make text read backwards past its own end. File
# names that are not valid UTF-8 arrive from the OS as lone surrogates, which
# no encoder (JSON, HTML, the terminal) accepts.

_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO, closed by PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI, closed by PDI
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_FORMAT = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _printable_table() -> dict[int, str]:
    table = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
    table.update({ord(k): v for k, v in _NAMED_ESCAPES.items()})
    table.update({ord(ch): f"\\u{ord(ch):04x}" for ch in _BIDI_FORMAT + "\u2028\u2029"})
    return table


_PRINTABLE = _printable_table()


def printable(text: str) -> str:
    """``text`` safe to show on one terminal line: every invisible character made visible.

    Control characters (C0, DEL, C1) become ``\\t``, ``\\n``, ``\\x1b``...;
    bidirectional controls and line/paragraph separators become ``\\u202e``...;
    undecodable bytes of a file name (surrogate escapes) become U+FFFD. Used for
    file names everywhere and for everything the CLI prints to stderr.
    """
    return _SURROGATE.sub("\ufffd", text).translate(_PRINTABLE)


# C0 controls except tab and newline, DEL and C1: shown as U+FFFD in rendered output.
_RENDER_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def balance_bidi(text: str) -> str:
    """Drop bidirectional controls that are not closed within ``text`` (and stray closers).

    An unclosed override (U+202E) reorders everything after it, up to the end
    of the paragraph: in a brief that is the next sentence, its citation
    markers and the source list. Controls opened and closed inside ``text``
    are kept (right-to-left scripts need them); a newline ends every open one,
    as in the Unicode bidi algorithm, so they must close before it.
    """
    if not any(ch in _BIDI_FORMAT for ch in text):
        return text
    out: list[str] = []
    dropped: set[int] = set()
    stack: list[tuple[int, bool]] = []  # (index in out, is_isolate)

    def drop_open() -> None:
        dropped.update(i for i, _ in stack)
        stack.clear()

    for ch in text:
        if ch in _EMBEDDINGS or ch in _ISOLATES:
            stack.append((len(out), ch in _ISOLATES))
        elif ch == _PDF:
            if not stack or stack[-1][1]:
                continue  # closes nothing here
            stack.pop()
        elif ch == _PDI:
            if not any(isolate for _, isolate in stack):
                continue
            # A PDI closes the embeddings inside its isolate implicitly; those
            # were never closed explicitly, so they are dropped.
            while not stack[-1][1]:
                dropped.add(stack.pop()[0])
            stack.pop()
        elif ch == "\n":
            drop_open()
        out.append(ch)
    drop_open()
    return "".join(ch for i, ch in enumerate(out) if i not in dropped)


def safe_text(text: str) -> str:
    """Untrusted text as a rendered brief shows it: no control characters, no unclosed bidi controls.

    Control characters other than tab and newline (and lone surrogates) become
    U+FFFD. Applied at render time only: a source's text, which citation
    offsets index into, is never changed.
    """
    return balance_bidi(_RENDER_CONTROLS.sub("\ufffd", text))


# Characters a JSON encoder may leave raw inside strings although a terminal or
# an editor acts on them; outside strings JSON has none, so escaping them in
# the serialized text changes no value.
_JSON_INVISIBLE = re.compile("[\x7f-\x9f" + _BIDI_FORMAT + "\u2028\u2029]")


def json_inert(json_text: str) -> str:
    """Serialized JSON with DEL, C1 and bidi controls written as ``\\uXXXX`` escapes (same data)."""
    return _JSON_INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 source"``, ``"3 sources"``; ``many`` for irregular plurals."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def cut_at_bound(text: str, bound: int) -> bool:
    """A model's string as long as its grammar allowed and with no final mark: cut there, not ended."""
    out = text.strip().rstrip(",;").rstrip()
    return len(text) >= bound and out.rstrip(CLOSING_MARKS)[-1:] not in ".!?…"


def tidy_model_text(text: str) -> str:
    """A model's sentence without the debris small models leave at its end (``…chain.",``).

    A trailing comma or semicolon goes, then a closing quotation mark that opens nothing, and a
    missing full stop is added; the words are the model's own and stay as written.
    """
    out = text.strip()
    while out and out[-1] in ",;":
        out = out[:-1].rstrip()
    straight = out.endswith('"') and out.count('"') % 2 == 1
    curly = out.endswith("”") and out.count("”") > out.count("“")
    out = out[:-1].rstrip() if straight or curly else out
    # A sentence the model left without its full stop reads, in a brief, as cut off.
    if out and out.rstrip(CLOSING_MARKS)[-1:] not in ".!?…":
        out += "."
    return out
