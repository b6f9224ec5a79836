"""Reconcile plain texts the way the pipeline does: one claim per sentence."""

from __future__ import annotations

from briefing.models import Claim, Disagreement, Source
from briefing.reconcile import find_disagreements
from briefing.text import sentence_spans


def disagreements_of(*texts: str) -> tuple[list[Disagreement], dict[str, Source]]:
    sources: dict[str, Source] = {}
    claims: list[Claim] = []
    for n, text in enumerate(texts, start=1):
        sid = f"S{n}"
        sources[sid] = Source(id=sid, path=f"{sid}.txt", text=text)
        for k, (s, e) in enumerate(sentence_spans(text)):
            claims.append(
                Claim(
                    id=f"{sid}-{k}",
                    source_id=sid,
                    chunk_id=f"{sid}#0",
                    text=text[s:e],
                    quote=text[s:e],
                    start=s,
                    end=e,
                )
            )
    return find_disagreements(sources, claims), sources
