"""Quote location, normalisation, sentence spans and offline token counts."""

from __future__ import annotations

import sys

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from briefing.text import (
    content_words,
    count_tokens,
    count_words,
    is_headline_style,
    locate_quote,
    normalize,
    sentence_spans,
)

# Letters plus everything the matcher treats specially: straight and curly
# quotes, dashes, the ellipsis (one char that normalises to three), and
# assorted whitespace including the no-break space.
_ALPHABET = "abcXYZ019.,'\"-" + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026" + " \n\t\u00a0"
haystacks = st.text(alphabet=_ALPHABET, min_size=1, max_size=80)

_CURLY = str.maketrans({"'": "\u2019", '"': "\u201d", "-": "\u2014"})


@st.composite
def haystack_and_substring(draw: st.DrawFn) -> tuple[str, str]:
    hay = draw(haystacks)
    start = draw(st.integers(0, len(hay) - 1))
    end = draw(st.integers(start + 1, len(hay)))
    return hay, hay[start:end]


def _assert_verbatim_match(hay: str, quote: str) -> None:
    span = locate_quote(hay, quote)
    assert span is not None, (hay, quote)
    start, end = span
    assert 0 <= start < end <= len(hay)
    assert normalize(hay[start:end]) == normalize(quote)


@given(haystack_and_substring())
def test_locate_quote_finds_any_substring(pair: tuple[str, str]) -> None:
    hay, quote = pair
    assume(quote.strip())
    span = locate_quote(hay, quote)
    assert span is not None
    assert hay[span[0] : span[1]] == quote.strip()


@given(haystack_and_substring())
@example(('\u2026" ."', '."'))  # the first normalised match would be half the ellipsis
def test_locate_quote_tolerates_curly_quotes_and_dashes(pair: tuple[str, str]) -> None:
    hay, quote = pair
    assume(quote.strip())
    _assert_verbatim_match(hay, quote.translate(_CURLY))


@given(haystack_and_substring())
def test_locate_quote_tolerates_collapsed_whitespace(pair: tuple[str, str]) -> None:
    hay, quote = pair
    assume(quote.strip())
    _assert_verbatim_match(hay, " ".join(quote.split()))


@given(haystack_and_substring())
def test_locate_quote_tolerates_both_changes_at_once(pair: tuple[str, str]) -> None:
    hay, quote = pair
    assume(quote.strip())
    _assert_verbatim_match(hay, " ".join(quote.translate(_CURLY).split()))


@given(haystacks, st.text(alphabet=_ALPHABET, max_size=10))
def test_locate_quote_absent_text_is_none(hay: str, around: str) -> None:
    # '§' never occurs in a haystack, so no quote containing it can be found.
    assert locate_quote(hay, around + "§" + around) is None


@given(haystacks)
def test_locate_quote_blank_quote_is_none(hay: str) -> None:
    assert locate_quote(hay, "") is None
    assert locate_quote(hay, " \n\t") is None


@given(haystack_and_substring())
def test_locate_quote_casefold_finds_other_case(pair: tuple[str, str]) -> None:
    hay, quote = pair
    assume(quote.strip())
    span = locate_quote(hay, quote.swapcase(), casefold=True)
    assert span is not None
    assert normalize(hay[span[0] : span[1]]).casefold() == normalize(quote).casefold()


def test_locate_quote_keeps_source_characters() -> None:
    hay = "The mayor said \u201cwe will rebuild\u201d \u2014 and  left.\nNext."
    span = locate_quote(hay, '"we will rebuild" - and left.')
    assert span is not None
    assert hay[span[0] : span[1]] == "\u201cwe will rebuild\u201d \u2014 and  left."


def test_locate_quote_is_case_sensitive_by_default() -> None:
    assert locate_quote("The Mayor spoke.", "the mayor spoke.") is None
    assert locate_quote("The Mayor spoke.", "the mayor spoke.", casefold=True) == (0, 16)


def test_locate_quote_does_not_match_half_an_ellipsis() -> None:
    # "a." is not in "a…b": matching the first of the ellipsis' three dots
    # would cite the whole ellipsis for a quote that never said it.
    assert locate_quote("a\u2026b", "a.") is None
    # A later, whole-character match is still found.
    assert locate_quote('\u2026" ."', ".\u201d") == (3, 5)


def test_normalize_maps_typography_and_collapses_whitespace() -> None:
    assert normalize("  \u201cHi\u201d \u2014\u00a0it\u2019s\n\n3\u20134\u2026 ") == '"Hi" - it\'s 3-4...'


_PROSE = "abcdefghij ABC 12.,?!'\"\u201c\u201d"
texts = st.text(alphabet=_PROSE + " \n\t", max_size=200)


def _check_spans(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> None:
    previous_end = lo
    for start, end in spans:
        assert previous_end <= start < end <= hi
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = end


@given(texts)
def test_sentence_spans_are_ordered_stripped_and_in_bounds(text: str) -> None:
    spans = sentence_spans(text)
    _check_spans(text, spans, 0, len(text))
    # Nothing but whitespace is left out.
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@given(texts, st.data())
def test_sentence_spans_respect_a_window(text: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    _check_spans(text, sentence_spans(text, lo, hi), lo, hi)


def test_sentence_spans_split_sentences_and_lines() -> None:
    text = "Fire hits mill\nThe fire began at 3 a.m. on Monday. Nobody was hurt.\n\n| a | b |\n"
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert pieces == [
        "Fire hits mill",
        "The fire began at 3 a.m. on Monday.",
        "Nobody was hurt.",
        "| a | b |",
    ]


def test_sentence_spans_of_blank_text_is_empty() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n \n\t") == []


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.,'", min_size=1, max_size=30)


@given(st.lists(words, max_size=30), st.lists(words, max_size=30))
def test_count_tokens_adds_up_over_words(left: list[str], right: list[str]) -> None:
    a, b = " ".join(left), " ".join(right)
    both = count_tokens(a + " " + b)
    assert both == count_tokens(a) + count_tokens(b)
    assert both >= count_tokens(a)
    # Every word is at least one token.
    assert count_tokens(a) >= count_words(a)


def test_count_tokens_is_a_plausible_estimate() -> None:
    assert count_tokens("") == 0
    assert count_tokens("The council approved the budget.") == 6
    # A long word is several BPE pieces, not one.
    assert count_tokens("internationalization") > 1
    # English news: roughly 1.3 tokens a word (cl100k gives 57 here).
    sentence = (
        "Firefighters battled the blaze at the Riverside textile mill for nine hours on Monday, "
        "officials said, after it broke out shortly before 3 a.m. in a storage building; "
        "two workers were treated for smoke inhalation and the cause is under investigation."
    )
    assert 45 <= count_tokens(sentence) <= 70


def test_count_tokens_works_offline_without_tiktoken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "tiktoken", raising=False)
    count_tokens("Offline counting must not load a BPE vocabulary. " * 20)
    assert "tiktoken" not in sys.modules


def test_count_words_splits_on_any_whitespace() -> None:
    assert count_words("") == 0
    assert count_words("one  two\nthree\tfour\u00a0five") == 5


def test_content_words_drop_stop_words_and_keep_numbers() -> None:
    assert content_words("The rate rose to 3.5% in 2024, officials said.") == (
        "rate",
        "rose",
        "3.5%",
        "2024",
        "officials",
    )
    assert content_words("It was the one that they said") == ()


def test_sentence_spans_keeps_abbreviations_inside_sentences() -> None:
    text = (
        "The deal was signed by Ms. Okoro and Sen. Lindqvist on Monday. "
        "It took effect on Jan. 5 at 9 a.m. local time. They moved to the U.S. The next day it rained."
    )
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "The deal was signed by Ms. Okoro and Sen. Lindqvist on Monday.",
        "It took effect on Jan. 5 at 9 a.m. local time.",
        "They moved to the U.S.",
        "The next day it rained.",
    ]


def test_sentence_spans_keep_party_region_affiliations_whole() -> None:
    text = (
        "Sen. Vela Quist, D-N.Y., backed the plan on Friday. "
        "Rep. Oren Dahl (R-S.C.) and Rep. Ilse Marrow, R-W.Va., opposed it. "
        "The vote was held in Washington, D.C. The count ended late."
    )
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "Sen. Vela Quist, D-N.Y., backed the plan on Friday.",
        "Rep. Oren Dahl (R-S.C.) and Rep. Ilse Marrow, R-W.Va., opposed it.",
        "The vote was held in Washington, D.C.",
        "The count ended late.",
    ]


def test_is_headline_style_finds_lines_in_headline_capitals() -> None:
    assert is_headline_style("Harbour Council Approves Seawall Budget From the State.")
    assert not is_headline_style("The harbour council approved the seawall budget on Monday.")
    assert is_headline_style("Seawall Plan Is 'Sound,' Unlike the Old One, Mayor Tells Council.")
    assert not is_headline_style("Mayor Ilse Varga met Gov. Oren Dahl in Boston on Monday.")
    assert not is_headline_style("Harbour Council Approves It.")  # too short to tell


def test_tidy_model_text_drops_trailing_debris_only() -> None:
    from briefing.text import tidy_model_text

    assert tidy_model_text('The pact was signed on Monday.",') == "The pact was signed on Monday."
    assert tidy_model_text("The pact was signed on Monday.”;") == "The pact was signed on Monday."
    assert tidy_model_text("“We will sign it,” the minister said.") == "“We will sign it,” the minister said."
    assert tidy_model_text('He called it "a turning point"') == 'He called it "a turning point".'
    assert tidy_model_text("The pact was signed on Monday") == "The pact was signed on Monday."


def test_cut_at_bound_is_a_string_at_the_bound_without_a_final_mark() -> None:
    from briefing.text import cut_at_bound

    assert cut_at_bound("The pier will reopen after breaking the harbour's", 20)
    assert not cut_at_bound("The pier will reopen after repairs.", 20)
    assert not cut_at_bound("The pier will reopen,", 40)  # shorter than the bound: ended by the model
    assert not cut_at_bound("“The pier will reopen,” the mayor said.”", 20)


def test_locate_quote_finds_double_quotation_marks_written_as_single_ones() -> None:
    # Seen live: a model quoting inside a JSON string wrote 're-route' for the article's “re-route”.
    article = "Officials said the accord would “re-route” harbour supply lines. It’s a hedge."
    span = locate_quote(article, "the accord would 're-route' harbour supply lines")
    assert (
        span is not None and article[span[0] : span[1]] == "the accord would “re-route” harbour supply lines"
    )
    assert locate_quote(article, "the accord would 're-route' river supply lines") is None
