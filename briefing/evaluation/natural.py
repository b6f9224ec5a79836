"""How well does the brief find the disagreements real news has? Count them against a hand-read set.

The natural set (``data/natural_*.jsonl``) records, for real multi-outlet
events read in full, every place where two outlets state incompatible facts
about the same thing (``conflict: true``, with a kind) and the tempting
non-conflicts (rounding, added detail, a timeline...). Passages are offsets
into the corpus files with the sha256 of the passage, never the text: the
corpus stays outside the repository and is re-read (and checked) here.

A flag finds a conflict when one of its sides cites a passage overlapping one
side of the conflict and another side cites one overlapping the other side.
Recall: conflicts found / conflicts. Precision: flags that find a conflict /
flags raised on the events read (every event was read whole, so any other flag
is a false alarm). Events are split into a ``tune`` and a ``heldout`` part.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Collection
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from briefing.errors import InputError
from briefing.models import Brief, Disagreement
from briefing.options import BriefOptions

Part = Literal["tune", "heldout"]
_FOLDERS = {"basil": Path("basil/clusters_txt"), "allsides": Path("allsides/clusters")}
_NOT_OUTLETS = {"reference_summary.txt", "coverage_note.txt"}
# How the LLM engine's warnings say a call's answer was not used ("...; used the extractive engine").
_FALLBACK = "used the extractive"


class Passage(BaseModel):
    file: str
    start: int
    end: int
    quote_sha256: str
    side: Literal["a", "b"] | None = None


class GoldRecord(BaseModel):
    id: str
    corpus: Literal["basil", "allsides"] = "basil"
    event: str
    part: Part
    kind: str
    conflict: bool
    a: Passage
    b: Passage
    also: list[Passage] = Field(default_factory=list)
    what: str = ""
    borderline: bool = False


class KindScore(BaseModel):
    kind: str
    gold: int = 0
    found: int = 0
    flags: int = 0
    correct_flags: int = 0


class PartScore(BaseModel):
    part: Part
    events: int
    conflicts: int
    found: int
    flags: int
    correct_flags: int
    recall: float
    precision: float
    nonconflicts_flagged: int = Field(description="Tempting non-conflicts a flag set against each other.")
    kinds: list[KindScore]


class NaturalReport(BaseModel):
    engine: str
    model: str | None = None
    parts: list[PartScore]
    flags: list[str] = Field(
        default_factory=list, description="Every flag, as 'event [kind] verdict: topic'."
    )
    misses: list[str] = Field(default_factory=list)
    fell_back: list[str] = Field(
        default_factory=list,
        description="Model calls that did not count (the brief fell back for them), as 'event: warning'.",
    )

    def to_table(self) -> str:
        lines = [f"engine: {self.engine}" + (f" (model {self.model})" if self.model else "")]
        for p in self.parts:
            label = "tune (in-sample)" if p.part == "tune" else "held-out"
            lines.append(
                f"{label}: {p.events} events, {p.conflicts} conflicts, found {p.found} "
                f"(recall {p.recall:.2f}); {p.flags} flags, {p.correct_flags} right "
                f"(precision {p.precision:.2f}); "
                f"non-conflicts flagged {p.nonconflicts_flagged}"
            )
            lines.append(f"  {'kind':<10} {'gold':>5} {'found':>6} {'flags':>6} {'right':>6}")
            for k in p.kinds:
                lines.append(f"  {k.kind:<10} {k.gold:>5} {k.found:>6} {k.flags:>6} {k.correct_flags:>6}")
        if self.misses:
            lines.append("missed:")
            lines.extend(f"  - {m}" for m in self.misses)
        if self.fell_back:
            # A partial recording, a timeout, an invalid answer: these figures are partly the fallback's.
            lines.append(f"model calls that fell back ({len(self.fell_back)}):")
            lines.extend(f"  - {w[:200]}" for w in self.fell_back)
        return "\n".join(lines)


def load_gold() -> tuple[list[GoldRecord], list[tuple[str, str, Part]]]:
    """The gold records and every event read (corpus, event, part), including events with none."""
    data = resources.files("briefing.evaluation").joinpath("data")
    # One file per annotation batch (natural_<batch>.jsonl, natural_events_<batch>.json), so
    # batches read by different annotators are added without touching each other's files.
    names = sorted(entry.name for entry in data.iterdir())
    records = [
        GoldRecord.model_validate_json(line)
        for name in names
        if name.startswith("natural_") and name.endswith(".jsonl")
        for line in data.joinpath(name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    events = [
        e
        for name in names
        if name.startswith("natural_events") and name.endswith(".json")
        for e in json.loads(data.joinpath(name).read_text(encoding="utf-8"))
    ]
    return records, [(e["corpus"], e["event"], e["part"]) for e in events]


def _overlaps(c_file: str, c_start: int, c_end: int, p: Passage) -> bool:
    return c_file == p.file and c_start < p.end and p.start < c_end


def _sides(d: Disagreement, names: dict[str, str]) -> list[list[tuple[str, int, int]]]:
    return [[(names.get(c.source, ""), c.start, c.end) for c in pos.citations] for pos in d.positions]


def _hits(d: Disagreement, names: dict[str, str], g: GoldRecord) -> bool:
    side_a = [g.a] + [p for p in g.also if p.side == "a"]
    side_b = [g.b] + [p for p in g.also if p.side == "b"]
    sides = _sides(d, names)
    for i, first in enumerate(sides):
        for j, second in enumerate(sides):
            if i == j:
                continue
            if any(_overlaps(*c, p) for c in first for p in side_a) and any(
                _overlaps(*c, p) for c in second for p in side_b
            ):
                return True
    return False


def _check(texts: dict[str, str], g: GoldRecord) -> None:
    for p in [g.a, g.b, *g.also]:
        text = texts.get(p.file, "")
        if hashlib.sha256(text[p.start : p.end].encode("utf-8")).hexdigest() != p.quote_sha256:
            raise InputError(
                f"natural set record {g.id}: {p.file}[{p.start}:{p.end}] does not match its hash"
            )


def _flags(folder: Path, options: BriefOptions, api_key: str | None) -> tuple[Brief, dict[str, str]]:
    """The brief of one event's outlets, and their texts by file name."""
    from briefing.pipeline import make_brief

    texts = {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(folder.glob("*.txt"))
        if p.name not in _NOT_OUTLETS
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name in texts:
            shutil.copyfile(folder / name, Path(tmp) / name)
        brief = make_brief(Path(tmp), options, api_key=api_key)
    return brief, texts


def _fell_back(event: str, brief: Brief) -> list[str]:
    """The model calls of an LLM brief that did not count: each one's warning, with the event."""
    if brief.meta.engine == "extractive":
        return []
    return [f"{event}: {w}" for w in brief.meta.warnings if _FALLBACK in w or "reconciler stands" in w]


def run_natural(
    corpora: Path,
    options: BriefOptions | None = None,
    *,
    api_key: str | None = None,
    events: Collection[str] | None = None,
    lenient: bool = False,
) -> NaturalReport:
    """Flag every event of the natural set with a brief made with ``options``; score against the records.

    ``corpora`` is the folder holding ``basil/`` and ``allsides/``. ``options`` default to the
    extractive engine. ``events`` restricts the set to those events (e.g. the ones a recording
    holds). ``lenient`` drops the records the annotators marked borderline.
    """
    options = options or BriefOptions(engine="extractive")
    records, events_read = load_gold()
    if events is not None:
        unknown = sorted(set(events) - {event for _, event, _ in events_read})
        if unknown:
            raise InputError(f"not in the natural set: {', '.join(unknown)} (see briefing/evaluation/data)")
        events_read = [e for e in events_read if e[1] in events]
    if lenient:
        records = [g for g in records if not g.borderline]
    by_event: dict[tuple[str, str], list[GoldRecord]] = defaultdict(list)
    for g in records:
        by_event[(g.corpus, g.event)].append(g)
    per_part: dict[str, list[tuple[list[GoldRecord], list[Disagreement], dict[str, str]]]] = defaultdict(list)
    lines: list[str] = []
    misses: list[str] = []
    fell_back: list[str] = []
    for corpus, event, part in events_read:
        folder = Path(corpora) / _FOLDERS[corpus] / event
        if not folder.is_dir():
            raise InputError(
                f"natural set: {folder} not found (--corpus is the folder holding basil/ and allsides/)"
            )
        brief, texts = _flags(folder, options, api_key)
        flags, names = brief.disagreements, {s.id: Path(s.path).name for s in brief.sources}
        fell_back.extend(_fell_back(event, brief))
        gold = by_event.get((corpus, event), [])
        for g in gold:
            _check(texts, g)
        per_part[part].append((gold, flags, names))
        for d in flags:
            right = any(g.conflict and _hits(d, names, g) for g in gold)
            trap = next((g.kind for g in gold if not g.conflict and _hits(d, names, g)), None)
            verdict = "right" if right else f"wrong ({trap})" if trap else "wrong"
            lines.append(f"{part} {event} [{d.kind}] {verdict}: {d.topic}")
        for g in gold:
            if g.conflict and not any(_hits(d, names, g) for d in flags):
                misses.append(f"{g.id} [{g.kind}] ({g.part}): {g.what}")
    parts = [_score(part, per_part[part]) for part in ("tune", "heldout") if per_part[part] or events is None]
    model = options.model if options.engine != "extractive" else None
    return NaturalReport(
        engine=options.engine, model=model, parts=parts, flags=lines, misses=misses, fell_back=fell_back
    )


def _score(part: Part, items: list[tuple[list[GoldRecord], list[Disagreement], dict[str, str]]]) -> PartScore:
    kinds: dict[str, KindScore] = {}

    def k(name: str | None) -> KindScore:
        key = name or "other"
        return kinds.setdefault(key, KindScore(kind=key))

    conflicts = found = flags = correct = trapped = 0
    for gold, ds, names in items:
        for g in gold:
            if g.conflict:
                conflicts += 1
                k(g.kind).gold += 1
                if any(_hits(d, names, g) for d in ds):
                    found += 1
                    k(g.kind).found += 1
            elif any(_hits(d, names, g) for d in ds):
                trapped += 1
        for d in ds:
            flags += 1
            k(d.kind).flags += 1
            if any(g.conflict and _hits(d, names, g) for g in gold):
                correct += 1
                k(d.kind).correct_flags += 1
    return PartScore(
        part=part,
        events=len(items),
        conflicts=conflicts,
        found=found,
        flags=flags,
        correct_flags=correct,
        recall=round(found / conflicts, 3) if conflicts else 0.0,
        precision=round(correct / flags, 3) if flags else 0.0,
        nonconflicts_flagged=trapped,
        kinds=sorted(kinds.values(), key=lambda s: s.kind),
    )


def count_by_kind() -> Counter[tuple[str, str]]:
    """(kind, part) -> records: the set's size, for reports."""
    records, _ = load_gold()
    return Counter((g.kind, g.part) for g in records)
