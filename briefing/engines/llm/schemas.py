"""What the LLM must answer: the response models of the extract, reconcile and compose calls.

These models are the contract with the model (their JSON Schemas are
exported to ``schemas/`` and sent with every request). Two rules shape them:

* **Flat schemas.** Local servers turn the schema into a grammar, and
  ``$ref``/``$defs`` or ``anyOf`` make several of them fall back to
  unconstrained JSON or fail; so nested models are inlined and no field is
  ``Optional``.
* **Validators read the source.** The text the model was given travels in
  instructor's ``context=`` and reaches the validators as ``info.context``;
  an answer that cites something not in it is rejected, which makes
  instructor re-ask with the error. Without a context (parsing a salvaged
  answer) the checks are skipped and the caller filters claim by claim.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, Self

from instructor import ResponseSchema  # noqa: TID253 - imported only by the LLM engine, which needs instructor
from pydantic import BaseModel, Field, ValidationInfo, model_validator

from briefing.text import count_words, locate_quote

__all__ = [
    "MAX_CLAIMS",
    "MAX_CONFLICTS",
    "MAX_SENTENCES",
    "RESPONSE_MODELS",
    "VALIDATION_CONTEXT",
    "BriefSentence",
    "ChunkClaims",
    "ComposedBrief",
    "Conflict",
    "ConflictPosition",
    "Conflicts",
    "ExtractedClaim",
    "inline_refs",
]


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace every ``{"$ref": "#/$defs/X"}`` by the definition itself and drop ``$defs``."""
    defs: dict[str, Any] = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = resolve(defs[ref.removeprefix("#/$defs/")])
                extra = {k: resolve(v) for k, v in node.items() if k != "$ref"}
                return {**target, **extra}
            return {k: resolve(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    out: dict[str, Any] = resolve(schema)
    return out


_SCHEMAS: dict[tuple[Any, ...], dict[str, Any]] = {}


class _Flat(ResponseSchema):
    """Base for response models: the JSON Schema has no ``$ref``/``$defs``.

    Being instructor's ``ResponseSchema`` already, a model is used as it is;
    otherwise instructor wraps it in a freshly created subclass on every call
    (a new class, so a new schema to build, each time).
    """

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # instructor (every mode) builds its request schema through this method,
        # once per call; the schema never changes, so build it once per class.
        key = (cls, args, tuple(sorted(kwargs.items(), key=lambda kv: kv[0])))
        try:
            cached = _SCHEMAS.get(key)
        except TypeError:  # unhashable arguments: build it every time
            return inline_refs(super().model_json_schema(*args, **kwargs))
        if cached is None:
            cached = _SCHEMAS[key] = inline_refs(super().model_json_schema(*args, **kwargs))
        return copy.deepcopy(cached)


# Caps on what one answer may hold: a server that answers 100k claims is refused,
# not parsed into a brief (the prompt asks for at most 12).
MAX_CLAIMS = 40
MAX_CONFLICTS = 30
MAX_SENTENCES = 60  # as many as the points a compose prompt may carry

# The validation context of the call in progress. instructor's own ``context=``
# also renders the messages as Jinja templates; ours are rendered already (with
# untrusted text in them), so the validators read their context from here.
VALIDATION_CONTEXT: ContextVar[Mapping[str, Any] | None] = ContextVar("briefing_validation", default=None)


def _ctx(info: ValidationInfo) -> Mapping[str, Any]:
    context = info.context
    if isinstance(context, Mapping):
        return context
    current = VALIDATION_CONTEXT.get()
    return current if current is not None else {}


# -- extraction ----------------------------------------------------------------


class ExtractedClaim(_Flat):
    """One fact stated in the article, with the exact words that state it."""

    text: str = Field(min_length=1, description="The fact as one standalone sentence in your own words.")
    quote: str = Field(
        min_length=1,
        description="The exact words of the article that state the fact, copied character for character.",
    )
    subject: str = Field(description="Who or what the fact is about, e.g. 'the city's electric bus fleet'.")
    attribute: str = Field(description="Which property of the subject, e.g. 'buses in service in 2023'.")
    value: str = Field(description="The value the article gives, e.g. '120 buses'.")
    importance: int = Field(ge=1, le=5, description="5 = essential to the story, 1 = minor detail.")


class ChunkClaims(_Flat):
    """The facts stated in one article excerpt."""

    claims: list[ExtractedClaim] = Field(
        max_length=MAX_CLAIMS, description="Facts from the article, most important first."
    )

    @model_validator(mode="after")
    def _quotes_pass_the_gate(self, info: ValidationInfo) -> Self:
        # Reject the whole answer (so instructor re-asks) rather than silently
        # dropping bad claims: a model told exactly which quotes failed usually
        # fixes them, and dropping is still done by the caller once re-asks run out.
        context = _ctx(info)
        gate = context.get("gate")
        chunk = context.get("chunk")
        if gate is not None:
            from briefing.verify import proposed_problem

            chunk_obj, source = gate
            problems = [
                (i, c, proposed_problem(chunk_obj, source, c.text, c.quote))
                for i, c in enumerate(self.claims)
            ]
        elif isinstance(chunk, str):
            problems = [
                (i, c, None if locate_quote(chunk, c.quote) is not None else "not verbatim")
                for i, c in enumerate(self.claims)
            ]
        else:
            return self
        bad = [f"claims[{i}].quote={c.quote!r}: {why}" for i, c, why in problems if why is not None]
        if bad:
            raise ValueError(
                "these claims fail the citation check: "
                + "; ".join(bad)
                + ". Copy every quote exactly, character for character, from the article text "
                "(at least six words), use only names and numbers the quote states, or leave the claim out."
            )
        return self


# -- reconciliation -------------------------------------------------------------


class ConflictPosition(_Flat):
    """One side of a disagreement."""

    text: str = Field(min_length=1, description="What this side says, as one sentence.")
    claim_ids: list[str] = Field(min_length=1, description="Ids of the claims that state this side.")


class Conflict(_Flat):
    """Sources giving different values for the same thing."""

    topic: str = Field(min_length=1, description="What the sources disagree about, a short noun phrase.")
    positions: list[ConflictPosition] = Field(
        min_length=2, description="The differing versions, one per side."
    )


class Conflicts(_Flat):
    """Every disagreement between the sources (an empty list if they agree)."""

    conflicts: list[Conflict] = Field(
        max_length=MAX_CONFLICTS, description="Factual disagreements between different sources."
    )

    @model_validator(mode="after")
    def _cites_real_claims_of_different_sources(self, info: ValidationInfo) -> Self:
        sources = _ctx(info).get("claim_sources")
        if not isinstance(sources, Mapping):
            return self
        problems: list[str] = []
        for i, conflict in enumerate(self.conflicts):
            unknown = [cid for p in conflict.positions for cid in p.claim_ids if cid not in sources]
            if unknown:
                problems.append(f"conflicts[{i}] cites unknown claim ids {unknown}")
                continue
            owners: dict[str, int] = {}
            for j, position in enumerate(conflict.positions):
                for source in {sources[cid] for cid in position.claim_ids}:
                    if owners.setdefault(source, j) != j:
                        problems.append(
                            f"conflicts[{i}] has source {source} on two sides; "
                            "each side must cite claims of different sources"
                        )
        if problems:
            raise ValueError(
                "; ".join(dict.fromkeys(problems)) + ". Use only the claim ids listed in the claims."
            )
        return self


# -- composition ------------------------------------------------------------------


class BriefSentence(_Flat):
    """A sentence of the brief and the claims it rests on."""

    text: str = Field(min_length=1, description="One sentence.")
    claim_ids: list[str] = Field(min_length=1, description="Ids of the claims this sentence states.")


class ComposedBrief(_Flat):
    """The body of the brief."""

    title: str = Field(min_length=1, description="A short headline for the brief.")
    bottom_line: list[BriefSentence] = Field(
        min_length=1, max_length=MAX_SENTENCES, description="1-3 sentences: what matters most."
    )
    key_points: list[BriefSentence] = Field(
        max_length=MAX_SENTENCES, description="The main facts, most important first."
    )

    @model_validator(mode="after")
    def _cites_known_claims_within_budget(self, info: ValidationInfo) -> Self:
        context = _ctx(info)
        known = context.get("claim_ids")
        if known is None:
            return self
        problems: list[str] = []
        for section in ("bottom_line", "key_points"):
            for i, sentence in enumerate(getattr(self, section)):
                unknown = [cid for cid in sentence.claim_ids if cid not in known]
                if unknown:
                    problems.append(f"{section}[{i}] cites unknown claim ids {unknown}")
        budget = context.get("max_words")
        if isinstance(budget, int):
            words = sum(count_words(s.text) for s in [*self.bottom_line, *self.key_points])
            if words > budget:
                problems.append(f"the brief has {words} words; the budget is {budget}")
        if problems:
            problems[-1] += ". Cite only claim ids listed in the points"
        support = context.get("claim_support")
        if isinstance(support, Mapping):
            from briefing.verify import sentence_problem

            # Checked whatever else is wrong, so the model hears every reason at once.
            unsupported = [
                f"{section}[{i}] {s.text!r} {why}"
                for section in ("bottom_line", "key_points")
                for i, s in enumerate(getattr(self, section))
                if (why := sentence_problem(s.text, [support[c] for c in s.claim_ids if c in support]))
            ]
            log = context.get("unsupported_log")
            if isinstance(log, list):
                log.append(unsupported)  # one entry per answer checked
            if unsupported:
                problems.append(
                    "these sentences say more than the claims they cite: "
                    + "; ".join(unsupported)
                    + ". Rewrite each so it states only what its cited claims state, "
                    "or cite the claims that do"
                )
        if problems:
            raise ValueError("; ".join(problems) + ".")
        return self


RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    "ChunkClaims": ChunkClaims,
    "Conflicts": Conflicts,
    "ComposedBrief": ComposedBrief,
}
