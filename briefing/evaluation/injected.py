"""How well does the brief flag where sources disagree? Inject a conflict and see.

Real multi-outlet clusters (several outlets covering one story) are copied
to a temporary folder; one fact that two outlets state alike (a number, a
person's title or a date) is changed in ONE outlet, and the brief is made.
Recall: the injected conflict is flagged with both sides cited (the injected
and the original value). False positives: disagreements flagged on the same
clusters unchanged. Deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from briefing.errors import InputError
from briefing.models import Disagreement
from briefing.options import BriefOptions
from briefing.reconcile.dates import parse_dates, weekdays
from briefing.reconcile.numbers import Quantity, parse_quantities, values_agree
from briefing.reconcile.people import find_people, same_person, title_key, titles_compatible
from briefing.text import normalize, sentence_spans

Kind = Literal["number", "title", "date"]
Reading = Literal["real", "false", "unread"]
KINDS: tuple[Kind, ...] = ("number", "title", "date")
_NOT_OUTLETS = {"reference_summary.txt", "coverage_note.txt"}


def _other_titles() -> list[str]:
    text = resources.files("briefing.evaluation").joinpath("data", "injection_titles.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _weekday_names() -> list[str]:
    return [name.capitalize() for name in weekdays()]  # in calendar order, Monday first


class Injection(BaseModel):
    kind: Kind
    outlet: str = Field(description="File changed, e.g. 'left.txt'.")
    original: str
    injected: str
    also_in: list[str] = Field(description="Other outlets stating the original value.")
    context: str = Field(description="The changed passage, after the change.")


class Case(BaseModel):
    cluster: str
    injection: Injection
    detected: bool
    flagged: list[str] = Field(default_factory=list, description="Topics flagged on the changed cluster.")


class KindStats(BaseModel):
    kind: Kind
    injectable_clusters: int
    detected: int
    recall: float


class EvalReport(BaseModel):
    corpus: str
    engine: str
    seed: int
    clusters: int
    injectable_clusters: int = Field(
        description="Clusters with at least one fact stated alike by 2+ outlets."
    )
    kinds: list[KindStats]
    recall: float
    unchanged_flagged_clusters: int = Field(description="Unchanged clusters with any disagreement flagged.")
    unchanged_disagreements: int
    # Flags on unchanged clusters, as read by hand (data/injected_unchanged_readings.jsonl): a real
    # discrepancy between the outlets (a natural finding, kept) or a false flag; "unread" when no reading
    # covers the flag (a flag that appeared after the readings were made).
    unchanged_real: int = 0
    unchanged_false: int = 0
    unchanged_unread: int = 0
    false_positive_examples: list[str] = Field(default_factory=list)
    misses: list[str] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)

    def to_table(self, examples: int = 8) -> str:
        """A readable report: recall per injection type, misses and false flags."""
        lines: list[str] = []
        lines.append(
            f"corpus {self.corpus}: {self.clusters} clusters, "
            f"{self.injectable_clusters} with an injectable fact"
        )
        lines.append(f"{'type':<8} {'clusters':>8} {'detected':>8} {'recall':>7}")
        for k in self.kinds:
            lines.append(f"{k.kind:<8} {k.injectable_clusters:>8} {k.detected:>8} {k.recall:>7.2f}")
        lines.append(
            f"{'all':<8} {sum(k.injectable_clusters for k in self.kinds):>8} "
            f"{sum(k.detected for k in self.kinds):>8} {self.recall:>7.2f}"
        )
        lines.append(
            f"unchanged clusters with a flag: {self.unchanged_flagged_clusters}/{self.clusters} "
            f"({self.unchanged_disagreements} disagreements, "
            f"{_per(self.unchanged_disagreements, self.clusters)} per cluster)"
        )
        lines.append(
            f"  read by hand: {self.unchanged_real} real discrepancies between outlets, "
            f"{self.unchanged_false} false ({_per(self.unchanged_false, self.clusters)} per cluster), "
            f"{self.unchanged_unread} not read"
        )
        if self.misses:
            lines.append("\nmissed (examples):")
            for line in self.misses[:examples]:
                lines.append(f"  - {line}")
        if self.false_positive_examples:
            lines.append("\nflagged on unchanged clusters (examples):")
            for line in self.false_positive_examples[:examples]:
                lines.append(f"  - {line[:300]}")
        return "\n".join(lines)


def _per(n: int, clusters: int) -> str:
    return f"{n / clusters:.2f}" if clusters else "0.00"


class ReadPassage(BaseModel):
    file: str
    start: int
    end: int
    quote_sha256: str


class HandReading(BaseModel):
    """A flag on an unchanged cluster, read by hand: its two cited passages and the verdict."""

    corpus: str
    cluster: str
    kind: str
    real: bool
    a: ReadPassage
    b: ReadPassage
    why: str


def _readings() -> dict[str, list[HandReading]]:
    data = resources.files("briefing.evaluation").joinpath("data", "injected_unchanged_readings.jsonl")
    out: dict[str, list[HandReading]] = {}
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = HandReading.model_validate_json(line)
            out.setdefault(r.cluster, []).append(r)
    return out


def read_as(
    d: Disagreement, names: dict[str, str], texts: dict[str, str], readings: list[HandReading]
) -> Reading:
    """The hand reading of a flag: one whose two passages the flag cites on two different sides."""
    sides = [[(names.get(c.source, ""), c.start, c.end) for c in p.citations] for p in d.positions]

    def cites(side: list[tuple[str, int, int]], passage: ReadPassage) -> bool:
        text = texts.get(passage.file, "")
        if hashlib.sha256(text[passage.start : passage.end].encode()).hexdigest() != passage.quote_sha256:
            return False  # the corpus file is not the one read
        return any(f == passage.file and s < passage.end and passage.start < e for f, s, e in side)

    for r in readings:
        if r.kind != d.kind:
            continue
        for x, y in itertools.permutations(range(len(sides)), 2):
            if cites(sides[x], r.a) and cites(sides[y], r.b):
                return "real" if r.real else "false"
    return "unread"


def cluster_outlets(cluster: Path) -> dict[str, str]:
    """Each outlet's text in a cluster folder, by file name (the reference and notes left out)."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(cluster.glob("*.txt"))
        if p.name not in _NOT_OUTLETS
    }


def _sentence_around(text: str, start: int, end: int) -> str:
    for s, e in sentence_spans(text):
        if s <= start and end <= e:
            return " ".join(text[s:e].split())
    return " ".join(text[max(0, start - 80) : end + 80].split())


def _number_injections(texts: dict[str, str], rng: random.Random) -> list[tuple[str, str, str, list[str]]]:
    """(outlet, original, replacement, also_in) for numbers two outlets state alike."""
    parsed = {name: parse_quantities(text) for name, text in texts.items()}
    out: list[tuple[str, str, str, list[str]]] = []
    for name, qs in parsed.items():
        for q in qs:
            m = re.search(r"\d[\d,]*(?:\.\d+)?", q.raw)
            if not m or q.low != q.high:
                continue
            # Another outlet states the value itself: "at least 10,000" or "more than 40" agrees with it
            # and with the changed value alike, so it states nothing a detector could set against it.
            also = [
                other
                for other, oqs in parsed.items()
                if other != name
                and any(o.unit == q.unit and o.low == o.high and values_agree(o, q) for o in oqs)
            ]
            if also:
                out.append((name, m.group(), _changed_number(m.group(), rng), also))
    return sorted({(a, b, c, tuple(d)) for a, b, c, d in out}, key=str)  # type: ignore[misc]


def _changed_number(raw: str, rng: random.Random) -> str:
    value = float(raw.replace(",", ""))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    factor = rng.choice([0.6, 0.7, 1.3, 1.5])
    new = round(value * factor, decimals)
    if new == value:
        new = value + 2
    text = f"{new:,.{decimals}f}" if "," in raw else f"{new:.{decimals}f}"
    return text


def _title_injections(texts: dict[str, str], rng: random.Random) -> list[tuple[str, str, str, list[str]]]:
    """(outlet, original title, replacement title, also_in) for people two outlets title alike."""
    mentions = {
        name: [p for p in find_people(text) if not p.historic and len(p.name_tokens) >= 1]
        for name, text in texts.items()
    }
    out: list[tuple[str, str, str, list[str]]] = []
    for name, pms in mentions.items():
        for pm in pms:
            also = [
                other
                for other, ops in mentions.items()
                if other != name
                and any(
                    same_person(o.name_tokens, pm.name_tokens) and o.title_key == pm.title_key for o in ops
                )
            ]
            if not also:
                continue
            choices = [t for t in _other_titles() if not titles_compatible(title_key(t)[0], pm.title_key)]
            if choices:
                out.append((name, pm.title, rng.choice(choices), also))
    return sorted({(a, b, c, tuple(d)) for a, b, c, d in out}, key=str)  # type: ignore[misc]


def _date_injections(texts: dict[str, str], rng: random.Random) -> list[tuple[str, str, str, list[str]]]:
    parsed = {name: parse_dates(text) for name, text in texts.items()}
    out: list[tuple[str, str, str, list[str]]] = []
    for name, ds in parsed.items():
        for d in ds:
            also = [
                other
                for other, ods in parsed.items()
                if other != name
                and any((o.month, o.day, o.weekday) == (d.month, d.day, d.weekday) for o in ods)
            ]
            if not also:
                continue
            if d.weekday is not None:
                new = _weekday_names()[(d.weekday + rng.choice([2, 3, 4])) % 7]
                out.append((name, d.raw, new, also))
            elif d.day is not None:
                changed = _other_day(d.raw, d.day)
                if changed != d.raw:
                    out.append((name, d.raw, changed, also))
    return sorted({(a, b, c, tuple(d)) for a, b, c, d in out}, key=str)  # type: ignore[misc]


def _other_day(raw: str, day: int) -> str:
    """``raw`` with its day of the month moved a few days, ordinal suffix and all ("11th" -> "14th")."""
    new = day + 3 if day <= 25 else day - 5
    suffix = "th" if 10 <= new % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(new % 10, "th")

    def moved(m: re.Match[str]) -> str:
        return f"{new}{suffix if m.group(1) else ''}"

    return re.sub(rf"\b{day}(st|nd|rd|th)?\b", moved, raw, count=1, flags=re.I)


_FINDERS: dict[Kind, Callable[[dict[str, str], random.Random], list[tuple[str, str, str, list[str]]]]] = {
    "number": _number_injections,
    "title": _title_injections,
    "date": _date_injections,
}


def _brief_disagreements(
    folder: Path, options: BriefOptions, api_key: str | None
) -> tuple[list[Disagreement], dict[str, str]]:
    """Disagreements of a brief on ``folder`` and the source id -> file name map."""
    from briefing.pipeline import make_brief

    brief = make_brief(folder, options, api_key=api_key)
    return brief.disagreements, {s.id: Path(s.path).name for s in brief.sources}


def _states_original(quote: str, inj: Injection, original: Quantity | None = None) -> bool:
    """Whether a quote states the original value in any surface form ("Sen." for "Senator").

    A figure counts as the original when it agrees with it the way the injection chose it: another
    outlet stating it alike, rounded or hedged ("$1.1 million" for "$1,071,872.87").
    """
    if normalize(inj.original) in quote:
        return True
    if inj.kind == "number" and original is not None:
        return any(q.unit == original.unit and values_agree(q, original) for q in parse_quantities(quote))
    if inj.kind == "title":
        key = title_key(inj.original)[0]
        return any(p.title_key == key for p in find_people(quote))
    if inj.kind == "date":
        want = parse_dates(inj.original)
        return bool(want) and any(
            (d.month, d.day, d.weekday) == (want[0].month, want[0].day, want[0].weekday)
            for d in parse_dates(quote)
        )
    value = float(inj.original.replace(",", ""))
    return any(
        q.low == q.high and abs(q.low - value) < 1e-9 * max(1.0, value) for q in parse_quantities(quote)
    )


def _detected(
    ds: list[Disagreement], names: dict[str, str], inj: Injection, original: Quantity | None = None
) -> bool:
    """Flagged, with one side citing the injected value and another the original from another outlet."""
    for d in ds:
        injected_side = original_side = False
        for p in d.positions:
            for c in p.citations:
                outlet = names.get(c.source, "")
                quote = normalize(c.quote)
                if outlet == inj.outlet and normalize(inj.injected) in quote:
                    injected_side = True
                elif outlet != inj.outlet and _states_original(quote, inj, original):
                    original_side = True
        if injected_side and original_side:
            return True
    return False


def _original_figure(text: str, original: str, kind: Kind) -> Quantity | None:
    """The injected figure as first stated, with its unit and hedge (None for titles and days)."""
    if kind != "number":
        return None
    return next((q for q in parse_quantities(text) if original in q.raw and q.low == q.high), None)


def _describe(d: Disagreement, names: dict[str, str]) -> str:
    sides = " | ".join(
        f"{','.join(names.get(c.source, c.source) for c in p.citations)}: {p.text[:90]}" for p in d.positions
    )
    return f"{d.topic} :: {sides}"


def _apply(text: str, original: str, injected: str) -> str:
    return re.sub(rf"(?<![\w,.-]){re.escape(original)}(?![\w]|,\d|\.\d)", injected, text)


def run_eval(
    corpus: Path,
    *,
    limit: int = 40,
    seed: int = 0,
    options: BriefOptions | None = None,
    api_key: str | None = None,
) -> EvalReport:
    """Inject one conflict per kind into each cluster of ``corpus``; measure recall and false positives.

    ``options`` make each brief (default: the extractive engine).
    """
    options = options or BriefOptions(engine="extractive")
    if not Path(corpus).is_dir():
        raise InputError(f"{corpus}: no such folder (--corpus names a folder of clusters, one folder each)")
    clusters = sorted(p for p in Path(corpus).iterdir() if p.is_dir() and len(cluster_outlets(p)) >= 2)[
        :limit
    ]
    cases: list[Case] = []
    injectable: dict[Kind, int] = dict.fromkeys(KINDS, 0)
    any_injectable = 0
    flagged_clusters = 0
    flagged_total = 0
    fp_examples: list[str] = []
    readings = _readings()
    read: dict[Reading, int] = dict.fromkeys(("real", "false", "unread"), 0)
    for cluster in clusters:
        texts = cluster_outlets(cluster)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name, text in texts.items():
                (folder / name).write_text(text, encoding="utf-8")
            base, names = _brief_disagreements(folder, options, api_key)
            if base:
                flagged_clusters += 1
                flagged_total += len(base)
                for d in base:
                    verdict = read_as(d, names, texts, readings.get(cluster.name, []))
                    read[verdict] += 1
                    fp_examples.append(f"{cluster.name} [{verdict}]: {_describe(d, names)}")
            has_any = False
            for kind in KINDS:
                rng = random.Random(f"{seed}:{cluster.name}:{kind}")
                candidates = _FINDERS[kind](texts, rng)
                if not candidates:
                    continue
                has_any = True
                injectable[kind] += 1
                outlet, original, new, also = rng.choice(candidates)
                changed = _apply(texts[outlet], original, new)
                (folder / outlet).write_text(changed, encoding="utf-8")
                # Where the value was put (a bare "9" is also inside "1997").
                at = re.search(rf"(?<![\w,.-]){re.escape(new)}(?![\w]|,\d|\.\d)", changed)
                pos = at.start() if at else changed.find(new)
                inj = Injection(
                    kind=kind,
                    outlet=outlet,
                    original=original,
                    injected=new,
                    also_in=list(also),
                    context=_sentence_around(changed, pos, pos + len(new))[:300],
                )
                ds, names = _brief_disagreements(folder, options, api_key)
                (folder / outlet).write_text(texts[outlet], encoding="utf-8")
                cases.append(
                    Case(
                        cluster=cluster.name,
                        injection=inj,
                        detected=_detected(ds, names, inj, _original_figure(texts[outlet], original, kind)),
                        flagged=[_describe(d, names) for d in ds],
                    )
                )
            any_injectable += has_any
    kinds = []
    for kind in KINDS:
        mine = [c for c in cases if c.injection.kind == kind]
        hit = sum(c.detected for c in mine)
        kinds.append(
            KindStats(
                kind=kind, injectable_clusters=injectable[kind], detected=hit, recall=_ratio(hit, len(mine))
            )
        )
    misses = [
        f"{c.cluster} [{c.injection.kind}] {c.injection.outlet}: {c.injection.original!r} -> "
        f"{c.injection.injected!r} in: {c.injection.context[:160]}"
        for c in cases
        if not c.detected
    ]
    return EvalReport(
        corpus=str(corpus),
        engine=options.engine,
        seed=seed,
        clusters=len(clusters),
        injectable_clusters=any_injectable,
        kinds=kinds,
        recall=_ratio(sum(c.detected for c in cases), len(cases)),
        unchanged_flagged_clusters=flagged_clusters,
        unchanged_disagreements=flagged_total,
        unchanged_real=read["real"],
        unchanged_false=read["false"],
        unchanged_unread=read["unread"],
        false_positive_examples=fp_examples,
        misses=misses,
        cases=cases,
    )


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0
