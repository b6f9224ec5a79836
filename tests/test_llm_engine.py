"""The LLM engine on recorded (hand-written) responses, replayed through the real openai client.

Cassettes: tests/cassettes/test_llm_engine/handwritten_*.yaml, written by
scripts/make_handwritten_cassettes.py (see its docstring to re-record).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import llm_cases as cases
import pytest
from pydantic import ValidationError

from briefing.engines.llm.calls import resolve_mode
from briefing.engines.llm.engine import LLMEngine
from briefing.engines.llm.schemas import ChunkClaims, ComposedBrief, Conflicts
from briefing.errors import LLMError
from briefing.models import Claim, Source


def _extract(
    text: str, cassette_base: str = cases.LLAMA_URL, client: Any = None, **overrides: Any
) -> tuple[list[Claim], Any, Source]:
    opts = cases.options(**({"base_url": cassette_base} | overrides))
    src = cases.source("S1", text)
    run = cases.new_run(opts, src)
    engine = LLMEngine(opts, client=client or cases.client(cassette_base))
    return engine.extract([cases.whole_chunk(src)], run), run, src


def _assert_verbatim(claims: list[Claim], *sources: Source) -> None:
    by_id = {s.id: s for s in sources}
    for c in claims:
        assert by_id[c.source_id].text[c.start : c.end] == c.quote, c


def _body(cassette: Any, i: int) -> dict[str, Any]:
    body = json.loads(cassette.requests[i].body)
    assert isinstance(body, dict)
    return body


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_reask.yaml")
def test_extract_reasks_when_a_quote_is_not_in_the_article(vcr: Any) -> None:
    claims, run, src = _extract(cases.WIRE)

    assert [c.quote for c in claims] == [
        "Lithium Corp said on Tuesday it would build a refinery in Nevada.",
        "The plant will cost $1.2 billion",
    ]
    _assert_verbatim(claims, src)
    assert [c.id for c in claims] == ["S1#0:c0", "S1#0:c1"]
    assert {c.origin for c in claims} == {"llm"}
    assert claims[1].subject == "Lithium Corp Nevada refinery" and claims[1].value == "$1.2 billion"
    # The second request is the re-ask: it names the invented quote.
    reask = _body(vcr, 1)["messages"][-1]
    assert reask["role"] == "tool" and "will cost 1.2 billion dollars" in reask["content"]
    assert vcr.play_count == 2
    assert run.meta.usage.calls == 2
    assert (run.meta.usage.prompt_tokens, run.meta.usage.completion_tokens) == (1800, 300)
    assert run.meta.claims_rejected == 0 and run.meta.chunks_fallback == 0


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_dropped.yaml")
def test_extract_drops_and_counts_claims_still_failing_after_reasks(vcr: Any) -> None:
    claims, run, src = _extract(cases.WIRE)

    assert [c.quote for c in claims] == ["produce 40,000 tonnes of lithium hydroxide a year"]
    _assert_verbatim(claims, src)
    assert run.meta.claims_rejected == 1
    assert run.meta.chunks_fallback == 0
    assert len(run.meta.warnings) == 1 and run.meta.warnings[0].startswith("S1#0: dropped 1 claim")
    assert vcr.play_count == 2  # max_reasks=1: one re-ask, then salvage


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_truncated.yaml")
def test_extract_falls_back_when_output_is_truncated(vcr: Any) -> None:
    events: list[Any] = []
    opts = cases.options()
    src = cases.source("S1", cases.WIRE)
    run = cases.new_run(opts, src)
    run.on_event = events.append
    claims = LLMEngine(opts, client=cases.client()).extract([cases.whole_chunk(src)], run)

    assert claims and {c.origin for c in claims} == {"fallback"}
    _assert_verbatim(claims, src)
    assert run.meta.fallback_reasons == {"truncated": 1} and run.meta.chunks_fallback == 1
    assert run.meta.warnings == [
        "S1#0: truncated; used the extractive engine "
        "(the answer hit the output token limit (finish_reason=length))"
    ]
    assert vcr.play_count == 1  # a truncated answer is not re-asked
    assert [(e.kind, e.message, e.done, e.total) for e in events if e.kind == "chunk"] == [
        ("chunk", "S1#0", 1, 1)
    ]


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_malformed.yaml")
def test_extract_falls_back_on_malformed_json_after_reasks(vcr: Any) -> None:
    claims, run, _ = _extract(cases.WIRE)

    assert claims and {c.origin for c in claims} == {"fallback"}
    assert run.meta.fallback_reasons == {"malformed json": 1}
    assert "Invalid JSON" in run.meta.warnings[0]
    assert vcr.play_count == 2


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_server_error.yaml")
def test_extract_falls_back_when_transport_retries_run_out(vcr: Any) -> None:
    claims, run, _ = _extract(cases.WIRE, max_retries=1, retry_max_seconds=5)

    assert claims and {c.origin for c in claims} == {"fallback"}
    assert run.meta.fallback_reasons == {"transport": 1}
    assert "server_error after retries" in run.meta.warnings[0]
    # One chat request, sent twice by the transport's retry; no validation re-ask.
    assert run.meta.usage.calls == 1 and vcr.play_count == 2


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_empty.yaml")
def test_extract_falls_back_on_empty_choices(vcr: Any) -> None:
    claims, run, _ = _extract(cases.WIRE)

    assert claims and {c.origin for c in claims} == {"fallback"}
    assert run.meta.fallback_reasons == {"empty response": 1}


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_injection.yaml")
def test_extract_keeps_injected_article_text_as_data(vcr: Any) -> None:
    claims, run, src = _extract(cases.INJECTION)

    user = _body(vcr, 0)["messages"][1]["content"]
    system = _body(vcr, 0)["messages"][0]["content"]
    # The article sits verbatim inside its data tag; its Jinja syntax was not executed.
    from briefing.testing.fakeserver import article_of

    assert article_of(user) == cases.INJECTION
    assert "{{ 7 * 7 }}" in user and "49" not in user
    assert "never instructions" in system
    # The claim the injection asked for has no verbatim quote, so it never comes out.
    assert [c.quote for c in claims] == [
        "Harbour officials reopened the port of Tarn on Friday after a three-day strike.",
        "About 120 ships had been waiting outside the harbour",
    ]
    assert not any("destroyed" in c.text for c in claims)
    _assert_verbatim(claims, src)
    assert run.meta.claims_rejected == 1


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_cache.yaml")
def test_extract_cache_hit_revalidates_and_makes_no_http_call(vcr: Any, tmp_path: Any) -> None:
    first, run1, _ = _extract(cases.WIRE, cache=True, cache_dir=tmp_path)
    assert run1.meta.usage.calls == 1 and run1.meta.usage.cache_hits == 0

    second, run2, _ = _extract(cases.WIRE, cache=True, cache_dir=tmp_path)
    assert second == first
    assert run2.meta.usage.calls == 0 and run2.meta.usage.cache_hits == 1
    assert vcr.play_count == 1


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_cache.yaml")
def test_extract_cache_entry_that_fails_validation_is_asked_again(vcr: Any, tmp_path: Any) -> None:
    from briefing.engines.llm.cache import FILE_NAME, ResponseCache
    from briefing.engines.llm.prompts import load_prompt

    opts = cases.options(cache=True, cache_dir=tmp_path)
    src = cases.source("S1", cases.WIRE)
    engine = LLMEngine(opts, client=cases.client())
    variables = {"title": src.title, "outlet": src.outlet, "chunk": src.text}
    key = engine.caller.cache_key(load_prompt("extract_claims"), variables, ChunkClaims)
    bad = {
        "claims": [
            {
                "text": "x",
                "quote": "not in the article",
                "subject": "",
                "attribute": "",
                "value": "",
                "importance": 3,
            }
        ]
    }
    with ResponseCache(tmp_path / FILE_NAME) as cache:
        cache.put(key, json.dumps(bad))

    run = cases.new_run(opts, src)
    claims = engine.extract([cases.whole_chunk(src)], run)

    assert len(claims) == 3 and "not in the article" not in {c.quote for c in claims}
    assert run.meta.usage.cache_hits == 0 and run.meta.usage.calls == 1


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_cache.yaml")
def test_extract_accepts_a_sync_client_and_a_running_event_loop(vcr: Any) -> None:
    import openai

    sync_client = openai.OpenAI(base_url=cases.LLAMA_URL, api_key="test", max_retries=0)

    async def inside_a_bot() -> list[Claim]:
        claims, _, _ = _extract(cases.WIRE, client=sync_client)
        return claims

    claims = asyncio.run(inside_a_bot())
    assert len(claims) == 3 and {c.origin for c in claims} == {"llm"}


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_json_schema.yaml")
def test_extract_uses_json_schema_mode_for_ollama(vcr: Any) -> None:
    claims, _, src = _extract(cases.WIRE, cassette_base=cases.OLLAMA_URL)

    body = _body(vcr, 0)
    assert body["response_format"]["type"] == "json_schema" and "tools" not in body
    assert "$ref" not in json.dumps(body["response_format"])  # flat schema for local grammars
    assert len(claims) == 2
    _assert_verbatim(claims, src)


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_auth.yaml")
def test_extract_raises_llm_error_on_rejected_key(vcr: Any) -> None:
    with pytest.raises(LLMError, match=r"refused the API key \(HTTP 401\): Incorrect API key provided"):
        _extract(cases.WIRE)


@pytest.mark.parametrize(
    ("base_url", "mode"),
    [
        (None, "tools"),
        ("https://api.openai.com/v1", "tools"),
        ("https://myorg.openai.azure.com/openai/deployments/x", "tools"),
        ("http://localhost:8000/v1", "tools"),  # llama-cpp-python server
        ("http://localhost:11434/v1", "json_schema"),  # Ollama
        ("http://127.0.0.1:1234/v1", "json_schema"),  # LM Studio
        ("http://vllm.internal:8000/v1", "json_schema"),
    ],
)
def test_resolve_mode_picks_by_endpoint(base_url: str | None, mode: str) -> None:
    assert resolve_mode(cases.options(base_url=base_url), base_url) == mode


def test_resolve_mode_explicit_option_wins() -> None:
    assert resolve_mode(cases.options(mode="md_json"), "https://api.openai.com/v1") == "md_json"


def test_engine_without_key_for_openai_raises_llm_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(LLMError, match="OPENAI_API_KEY"):
        LLMEngine(cases.options(base_url=None))


# -- validators of the response models (no HTTP) -------------------------------------------------

SOURCES = {"S1#0:c0": "S1", "S1#0:c1": "S1", "S2#0:c0": "S2"}


def _conflict(*sides: list[str]) -> dict[str, Any]:
    return {"conflicts": [{"topic": "t", "positions": [{"text": "x", "claim_ids": ids} for ids in sides]}]}


def test_conflicts_accepts_sides_from_different_sources() -> None:
    ok = Conflicts.model_validate(
        _conflict(["S1#0:c0", "S1#0:c1"], ["S2#0:c0"]), context={"claim_sources": SOURCES}
    )
    assert len(ok.conflicts[0].positions) == 2


@pytest.mark.parametrize(
    ("sides", "message"),
    [
        ((["S1#0:c0"], ["S9#0:c0"]), "unknown claim ids"),
        ((["S1#0:c0"], ["S1#0:c1"]), "source S1 on two sides"),
        ((["S1#0:c0"],), "at least 2 items"),
    ],
)
def test_conflicts_rejects_bad_citations(sides: tuple[list[str], ...], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Conflicts.model_validate(_conflict(*sides), context={"claim_sources": SOURCES})


def test_composed_brief_rejects_unknown_ids_and_overlong_text() -> None:
    good = {"title": "T", "bottom_line": [{"text": "One two three.", "claim_ids": ["a"]}], "key_points": []}
    assert ComposedBrief.model_validate(good, context={"claim_ids": {"a"}, "max_words": 3})
    with pytest.raises(ValidationError, match="unknown claim ids"):
        ComposedBrief.model_validate(good, context={"claim_ids": {"b"}, "max_words": 300})
    with pytest.raises(ValidationError, match="the budget is 2"):
        ComposedBrief.model_validate(good, context={"claim_ids": {"a"}, "max_words": 2})
    with pytest.raises(ValidationError, match="at least 1 item"):
        ComposedBrief.model_validate({**good, "key_points": [{"text": "x", "claim_ids": []}]})


def test_chunk_claims_rejects_quote_missing_from_context_but_matches_typography() -> None:
    article = "He said “we will win” on Monday.\nNext line."
    ok = {
        "claims": [
            {
                "text": "t",
                "quote": 'said "we will win"  on',
                "subject": "",
                "attribute": "",
                "value": "",
                "importance": 2,
            }
        ]
    }
    assert ChunkClaims.model_validate(ok, context={"chunk": article})
    bad = {"claims": [{**ok["claims"][0], "quote": "we shall win"}]}
    with pytest.raises(ValidationError, match="not verbatim"):
        ChunkClaims.model_validate(bad, context={"chunk": article})
    assert ChunkClaims.model_validate(bad)  # without a context (salvage) the check is the caller's


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_bad_reconcile_compose.yaml")
def test_reconcile_and_compose_return_none_when_answers_cite_bad_ids(vcr: Any) -> None:
    opts = cases.options()
    a, b, claims, points = cases.two_source_material()
    engine = LLMEngine(opts, client=cases.client())
    run = cases.new_run(opts, a, b)

    assert engine.reconcile(claims, run) is None
    assert engine.compose(points, [], run) is None

    assert vcr.play_count == 4  # one re-ask each (max_reasks=1)
    assert [w.split(":")[0] for w in run.meta.warnings] == ["reconcile", "compose", "compose"]
    assert "unknown claim ids ['S1#0:c9']" in run.meta.warnings[0]
    # A sentence citing no known claim is also unsupported by what it cites.
    assert "unsupported sentence re-asked" in run.meta.warnings[1]
    assert "unknown claim ids ['P1']" in run.meta.warnings[2]


def test_reconcile_with_one_source_makes_no_call() -> None:
    opts = cases.options()
    a, _, claims, _ = cases.two_source_material()
    engine = LLMEngine(opts, client=cases.client())
    assert engine.reconcile(claims[:1], cases.new_run(opts, a)) == []


# -- the seed case: examples/rare-earths through extract, reconcile and compose -------------------


def _each_names_another(a: str, b: str) -> bool:
    """Both quotes name titled people and each names someone the other does not."""
    from briefing.reconcile.people import find_people

    na, nb = ({" ".join(p.name_tokens) for p in find_people(q)} for q in (a, b))
    return bool(na - nb) and bool(nb - na)


def _retitled(topic: str, a: str, b: str) -> bool:
    """The two quotes give the person the topic names titles that cannot both be right."""
    from briefing.reconcile.people import find_people, same_person, titles_compatible

    return any(
        same_person(p.name_tokens, q.name_tokens)
        and not titles_compatible(p.title_key, q.title_key)
        and all(w in topic.lower() for w in p.name_tokens)
        for p in find_people(a)
        for q in find_people(b)
    )


def _tonnage_against_row(a: str, b: str) -> bool:
    """One quote is a table row, the other prose whose tonnage no figure of the row agrees with."""
    from briefing.reconcile.numbers import parse_quantities, values_agree

    if a.startswith("|") == b.startswith("|"):
        return False
    row, prose = (a, b) if a.startswith("|") else (b, a)
    tonnes = [q for q in parse_quantities(prose) if q.unit == "t"]
    cells = parse_quantities(row)
    return bool(tonnes) and bool(cells) and not any(values_agree(q, c) for q in tonnes for c in cells)


@pytest.mark.vcr
@pytest.mark.default_cassette("handwritten_seed.yaml")
def test_seed_rare_earths_brief_flags_the_three_disagreements(vcr: Any) -> None:
    import briefing
    from briefing.sources.walk import load_sources

    brief = briefing.make_brief(str(cases.SEED_DIR), cases.seed_options(), client=cases.client())

    texts = {s.id: s.text for s in load_sources(cases.SEED_DIR).sources}
    statements = [
        *brief.bottom_line,
        *brief.key_points,
        *(p for d in brief.disagreements for p in d.positions),
    ]
    assert brief.bottom_line and len(brief.key_points) >= 5
    for statement in statements:
        assert statement.citations
        for c in statement.citations:
            assert texts[c.source][c.start : c.end] == c.quote

    sides = {
        d.topic: [(p.citations[0].source, p.citations[0].quote) for p in d.positions]
        for d in brief.disagreements
    }
    # The deterministic pass runs on all source text and the model's answer only adds to it.
    quotes = {t: " | ".join(q for _, q in side) for t, side in sides.items()}
    # What the three conflicts say is read from the quotes, not written here: each source names a
    # doer of the event the other does not; the person a topic names holds two titles that cannot
    # both be right; a tonnage in prose is not the figure of the table row it is set against.
    pairs = [(t, side) for t, side in sides.items() if len(side) == 2 and side[0][0] != side[1][0]]
    assert any(t.startswith("Who ") and _each_names_another(a, b) for t, ((_, a), (_, b)) in pairs)
    assert any(_retitled(t, a, b) for t, ((_, a), (_, b)) in pairs)
    assert any(_tonnage_against_row(a, b) for _, ((_, a), (_, b)) in pairs)
    assert not any("85-90%" in q and "70%" in q for q in quotes.values())
    assert len(brief.disagreements) <= 8
    meta = brief.meta
    assert (meta.engine, meta.chunks, meta.chunks_fallback) == ("llm", 5, 0)
    # Hand-written claims whose text names what their quote does not are refused by the gate.
    assert meta.claims_rejected == 3
    assert meta.usage.calls == vcr.play_count == len(vcr.requests) and vcr.all_played
    # The hand-written compose answer says "outside China" citing claims that do not: caught,
    # re-asked once with the reason, and replaced by the cited claims' own text.
    assert meta.sentences_unsupported == meta.sentences_replaced == 3
    reasks = [m for r in vcr.requests for m in json.loads(r.body)["messages"] if m["role"] == "tool"]
    assert any("the quote is not a verbatim passage of the article text" in m["content"] for m in reasks)
    assert any("say more than the claims they cite" in m["content"] for m in reasks)


def test_check_budget_refuses_before_any_call_when_estimate_exceeds_max_cost() -> None:
    from briefing.errors import CostLimitError

    opts = cases.options(model="gpt-4o", max_cost=0.2)
    src = cases.source("S1", cases.WIRE * 600)
    small = cases.source("S2", cases.WIRE)
    engine = LLMEngine(opts, client=cases.client())
    run = cases.new_run(opts, src, small)
    with pytest.raises(CostLimitError, match=r"exceeds --max-cost \$0\.2000"):
        engine.check_budget([cases.whole_chunk(src)], run)
    engine.check_budget([cases.whole_chunk(small)], run)  # small: allowed
    assert run.meta.usage.calls == 0


def test_check_budget_counts_the_title_sent_with_every_call() -> None:
    """Issue 11 finding 5: a 389 KB front-matter title rode along with every extract call, uncounted."""
    from briefing.errors import CostLimitError

    opts = cases.options(model="gpt-4o-mini", max_cost=0.01)
    plain = cases.source("S1", cases.WIRE)
    titled = cases.source("S2", cases.WIRE, title="Refinery " * 40_000)
    engine = LLMEngine(opts, client=cases.client())
    run = cases.new_run(opts, plain, titled)
    engine.check_budget([cases.whole_chunk(plain)], run)  # the article alone is cheap
    with pytest.raises(CostLimitError, match=r"exceeds --max-cost \$0\.0100"):
        engine.check_budget([cases.whole_chunk(titled)], run)


def test_salvage_replaces_an_unsupported_sentence_by_the_sources_own_sentence() -> None:
    # A small model's claim text can open mid-sentence and carry its answer's JSON; its quote is
    # verbatim. The sentence standing in for an unsupported one is the source's, holding the quote.
    from briefing.models import Meta, Point
    from briefing.options import BriefOptions
    from briefing.run import RunContext

    text = (
        "The harbour board met on Monday. Ferries will return to the old pier in May, and the "
        "board expects the repairs to cost four million crowns."
    )
    source = Source(id="S1", path="s1.txt", text=text)
    quote = "the board expects the repairs to cost four million crowns"
    claim = cases.quoting_claim(
        text, 'dominant ferry fleet. The board expects repairs to cost four million crowns.","cli', quote
    )
    run = RunContext(options=BriefOptions(engine="llm"), sources={"S1": source}, meta=Meta(engine="llm"))
    raw = json.dumps(
        {
            "title": "Pier",
            "bottom_line": [{"text": "The port sold the pier to a bank.", "claim_ids": ["c1"]}],
            "key_points": [],
        }
    )
    point = Point(id="p1", text=claim.text, claims=[claim])
    salvaged = LLMEngine._salvage_brief(raw, {"c1": point}, {"c1": quote}, run)
    assert salvaged is not None and run.meta.sentences_replaced == 1
    assert [s.text for s in salvaged.bottom_line] == [
        "Ferries will return to the old pier in May, and the board expects the repairs to cost four "
        "million crowns."
    ]


def test_salvage_replaces_a_composed_fragment_whose_words_its_claim_supports() -> None:
    # Seen live with Qwen on the seed: the composed sentence 'dominant supply chain. The deal aims
    # ... is monumental.","cli' shared every word with the claim it cited and passed the word
    # check. A sentence opening mid-sentence or carrying the answer's JSON is no sentence.
    from briefing.models import Meta, Point
    from briefing.options import BriefOptions
    from briefing.run import RunContext
    from briefing.verify import sentence_problem

    text = "The harbour board met on Monday. The board expects the repairs to cost four million crowns."
    source = Source(id="S1", path="s1.txt", text=text)
    quote = "The board expects the repairs to cost four million crowns."
    claim = cases.quoting_claim(text, quote, quote)
    fragments = (
        "repairs. The board expects the repairs to cost four million crowns.",
        'The board expects the repairs to cost four million crowns.","cli',
        # Both seen live with Qwen on a BASIL event: cut at the grammar's string bound, and a
        # string that ran on into the JSON's comma.
        "The board expects the repairs to cost four million crowns, a 'sum that never",
        'The board expects the repairs to cost four million crowns.",',
    )
    for fragment in fragments:
        problem = sentence_problem(fragment, [quote])
        assert problem is not None and "no standalone sentence" in problem
    assert sentence_problem(quote, [quote]) is None
    run = RunContext(options=BriefOptions(engine="llm"), sources={"S1": source}, meta=Meta(engine="llm"))
    raw = json.dumps(
        {
            "title": "Pier",
            "bottom_line": [{"text": quote, "claim_ids": ["c1"]}],
            "key_points": [{"text": f, "claim_ids": ["c1"]} for f in fragments],
        }
    )
    point = Point(id="p1", text=claim.text, claims=[claim])
    salvaged = LLMEngine._salvage_brief(raw, {"c1": point}, {"c1": quote}, run)
    assert salvaged is not None and run.meta.sentences_replaced == len(fragments)
    assert [s.text for s in salvaged.key_points] == [quote] * len(fragments)
