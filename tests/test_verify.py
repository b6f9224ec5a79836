"""The one verification gate (briefing.verify): claims, their quotes, and composed sentences."""

from __future__ import annotations

import llm_cases as cases

from briefing.models import Chunk, Claim, Source
from briefing.verify import claim_problem, proposed_problem, sentence_problem

TEXT = (
    "Lithium Corp said on Tuesday it would build a refinery in Nevada.\n\n"
    "The plant will cost $1.2 billion and produce 40,000 tonnes of lithium hydroxide a year.\n\n"
    "Output by country\n"
    "| Country | Tonnes | Share |\n"
    "|---|---|---|\n"
    "| Chile | 44,000 | 30% |\n"
    "| Nevada | 5,000 | 3% |\n"
)
SOURCE = Source(id="S1", path="a.txt", text=TEXT, title="Refinery plan", outlet="Wire", chars=len(TEXT))


def _claim(text: str, quote: str) -> Claim:
    return cases.quoting_claim(TEXT, text, quote, claim_id="S1#0:c0", origin="extractive")


def test_verify_claim_rejects_one_word_quotes() -> None:
    for quote in ("plant", ".", "a", "Nevada"):
        claim = _claim("The mayor of Tokyo was arrested for fraud.", quote)
        problem = claim_problem(claim, SOURCE)
        assert problem is not None and "too short" in problem


def test_verify_claim_accepts_a_sentence_that_states_the_claim() -> None:
    quote = "Lithium Corp said on Tuesday it would build a refinery in Nevada."
    assert claim_problem(_claim("Lithium Corp will build a refinery in Nevada.", quote), SOURCE) is None


def test_verify_claim_needs_the_numbers_and_names_of_the_claim_in_its_quote() -> None:
    quote = "The plant will cost $1.2 billion and produce 40,000 tonnes"
    assert claim_problem(_claim("The plant will cost $1.2 billion.", quote), SOURCE) is None
    problem = claim_problem(_claim("The plant will cost $3.4 billion.", quote), SOURCE)
    assert problem is not None and "'3.4'" in problem
    problem = claim_problem(_claim("The plant in Texas will cost $1.2 billion.", quote), SOURCE)
    assert problem is not None and "'texas'" in problem
    # 40000 and 40,000 are the same number.
    assert claim_problem(_claim("The plant will produce 40000 tonnes.", quote), SOURCE) is None


def test_verify_claim_reads_a_table_cell_with_its_row_and_column() -> None:
    cell = "44,000"
    claim = _claim("Chile produces 44,000 tonnes.", cell)
    assert claim_problem(claim, SOURCE) is None  # short, but a cell whose row says 'Chile'
    problem = claim_problem(_claim("The mine in Peru produces 44,000 tonnes.", cell), SOURCE)
    assert problem is not None and "'peru'" in problem


def test_verify_claim_rejects_a_fragment_that_cites_a_real_passage() -> None:
    quote = "Lithium Corp said on Tuesday it would build"
    assert claim_problem(_claim("Lithium Corp will build a refinery.", quote), SOURCE) is None
    for fragment in (
        "the refinery it would build.",
        "Lithium Corp.",
        "Lithium Corp said it would build the.",
    ):
        problem = claim_problem(_claim(fragment, quote), SOURCE)
        assert problem is not None and ("no standalone sentence" in problem or "cut off" in problem)
    cut = claim_problem(_claim("Lithium Corp said on Tuesday it would build the.", quote), SOURCE)
    assert cut is not None and "cut off" in cut
    whole = _claim("Lithium Corp said on Tuesday it would build a plant like Lithium Corp's.", quote)
    assert claim_problem(whole, SOURCE) is None


def test_verify_claim_rejects_text_opening_mid_sentence_or_running_into_the_answers_json() -> None:
    quote = "Lithium Corp said on Tuesday it would build"
    # Seen live with Qwen: a claim text that began mid-sentence and ran on into the JSON around it.
    for text in (
        "refinery it would build on Tuesday, Lithium Corp said.",
        'Lithium Corp said on Tuesday it would build.","claims',
        'Lithium Corp said on Tuesday it would build."}',
        'Lithium Corp said {"text": "it would build"} on Tuesday.',
    ):
        problem = claim_problem(_claim(text, quote), SOURCE)
        assert problem is not None and ("no standalone sentence" in problem or "JSON" in problem), text
    # A name's lower-case particle and quoted words separated as prose separates them still pass.
    for text in (
        "de Lithium Corp said on Tuesday it would build.",
        'Lithium Corp said "build", "Tuesday" on Tuesday it would build.',
    ):
        assert claim_problem(_claim(text, quote), SOURCE) is None, text


def test_verify_claim_rejects_a_quote_not_at_its_offsets() -> None:
    claim = _claim("Lithium Corp will build a refinery.", "Lithium Corp said on Tuesday it would build")
    moved = claim.model_copy(update={"start": claim.start + 1, "end": claim.end + 1})
    assert claim_problem(moved, SOURCE) == "the quote is not the source's text at its offsets"
    assert claim_problem(claim, None) is not None


def test_verify_proposed_claim_is_located_in_its_chunk() -> None:
    chunk = Chunk(id="S1#0", source_id="S1", index=0, start=0, end=len(TEXT), text=TEXT)
    assert (
        proposed_problem(
            chunk, SOURCE, "Lithium Corp will build a refinery.", "Lithium  Corp said on Tuesday"
        )
        is None
    )
    problem = proposed_problem(chunk, SOURCE, "A claim.", "words that are nowhere in it")
    assert problem is not None and "verbatim" in problem


def test_verify_sentence_must_state_only_what_its_claims_state() -> None:
    support = [
        "The strike follows a wave of walkouts between harbour boards and dock crews.",
        "The strain is felt on the quayside, where crane drivers wait for relief.",
    ]
    # A sentence like that of issue 14, cited to passages that do not say it.
    problem = sentence_problem(
        "This settlement is expected to draw HSE-minded shippers and excuse the longer delays "
        "of non-Dutch crews.",
        support,
    )
    assert problem is not None
    assert sentence_problem("Crane drivers wait for relief after a wave of walkouts.", support) is None
    numbers = sentence_problem("Crane drivers wait for 300 hours of relief.", support)
    assert numbers is not None and "'300'" in numbers


def test_verify_initials_are_found_as_the_words_they_abbreviate() -> None:
    from briefing.verify import Support

    support = Support.of(["The Harbour Authority of Tarn and the United States signed the accord."])
    assert support.missing("The accord with the U. S. was signed by the HAT.") == []
    assert support.missing("The accord with the U.S. was signed.") == []
    assert support.missing("The UN signed the accord.") == ["un"]
    assert support.missing("The accord was signed by Uma Tarn.") == ["uma"]


def test_verify_a_name_with_or_without_its_dots_is_one_name() -> None:
    from briefing.verify import Support

    # Seen live: the cited claim wrote "U.S.", the composed sentence "US".
    assert (
        Support.of(["Tarn and the U.S. signed a harbour accord."]).missing("Tarn and the US sign an accord.")
        == []
    )
    assert (
        Support.of(["Tarn and the US signed a harbour accord."]).missing("The U.S. and Tarn signed it.") == []
    )
    assert Support.of(["Tarn and the US signed a harbour accord."]).missing("The UK and Tarn signed it.") == [
        "uk"
    ]


def test_sentence_problem_a_quoted_phrase_stated_as_the_briefs_own_words() -> None:
    cited = [
        'Mayor Tilda Brand pledged to end "[Governor Ansel] Roe\'s war on the harbour" in a new radio '
        "advertisement airing in Quenby."
    ]
    problem = sentence_problem("Brand pledges to end Roe's war on the harbour.", cited)
    assert problem is not None and "roe's war on the harbour" in problem
    # Kept in its marks, or said in the sentence's own words, it is attributed.
    assert (
        sentence_problem("Brand pledged to end “Roe’s war on the harbour” in a radio advertisement.", cited)
        is None
    )
    assert (
        sentence_problem("Brand pledged in a radio advertisement to end Roe's harbour policy.", cited) is None
    )


def test_sentence_problem_a_word_or_two_in_quotation_marks_may_be_used_plainly() -> None:
    cited = ['The council called the plan a "costly blunder" and voted against the harbour plan on Monday.']
    assert (
        sentence_problem("The council voted against the harbour plan, a costly blunder, on Monday.", cited)
        is None
    )
