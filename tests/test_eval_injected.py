"""The injected-conflict evaluation on a tiny synthetic corpus, and its hand-read unchanged flags."""

from __future__ import annotations

import hashlib
import json
import random
from importlib import resources
from pathlib import Path

import pytest

from briefing.evaluation import injected
from briefing.models import Citation, Disagreement, Statement

_A = (
    "The Harlow Valley Water Board said on Tuesday that 14 homes were flooded near Quenby. "
    "Board chair Ansel Roark said the repairs would take weeks."
)
_B = (
    "Fourteen families left their homes after 14 homes were flooded near Quenby, the Harlow Valley "
    "Water Board said on Tuesday. Board chair Ansel Roark called it the worst flood in years."
)


def _corpus(tmp_path: Path) -> Path:
    cluster = tmp_path / "clusters" / "0001_flood"
    cluster.mkdir(parents=True)
    (cluster / "left.txt").write_text(_A, encoding="utf-8")
    (cluster / "right.txt").write_text(_B, encoding="utf-8")
    return tmp_path / "clusters"


def test_injected_eval_reports_recall_and_reads_unchanged_flags(tmp_path: Path) -> None:
    report = injected.run_eval(_corpus(tmp_path), limit=5, seed=0)
    assert report.clusters == 1
    assert {k.kind for k in report.kinds} == {"number", "title", "date"}
    assert report.cases, "the number and the day both outlets state are injectable"
    assert report.unchanged_real + report.unchanged_false + report.unchanged_unread == (
        report.unchanged_disagreements
    )
    assert "read by hand:" in report.to_table()


def test_injected_number_needs_another_outlet_stating_the_value_itself() -> None:
    # "at least 40 homes" agrees with 140 homes and with whatever 140 is changed to: no injection.
    texts = {
        "left.txt": "The flood reached 140 homes near Quenby on Tuesday.",
        "right.txt": "The flood reached at least 40 homes near Quenby on Tuesday.",
    }
    assert injected._number_injections(texts, random.Random(0)) == []
    texts["right.txt"] = "The flood reached 140 homes near Quenby on Tuesday, the board said."
    assert [(o, v) for o, v, _, _ in injected._number_injections(texts, random.Random(0))] == [
        ("left.txt", "140"),
        ("right.txt", "140"),
    ]


def test_injected_day_of_the_month_changes_with_its_ordinal_suffix() -> None:
    # "March 11th" was left as it was ("\b11\b" finds no 11 in "11th"): a case no finder could see.
    texts = {
        "left.txt": "The board met near Quenby on March 11th to weigh the flood repairs.",
        "right.txt": "The board met near Quenby on March 11 to weigh the flood repairs.",
    }
    changed = {o: (v, new) for o, v, new, _ in injected._date_injections(texts, random.Random(0))}
    assert changed == {"left.txt": ("March 11th", "March 14th"), "right.txt": ("March 11", "March 14")}


def _flag(left: tuple[int, int], right: tuple[int, int], kind: str = "date") -> Disagreement:
    def side(source: str, span: tuple[int, int], text: str) -> Statement:
        quote = text[span[0] : span[1]]
        return Statement(
            text=quote, citations=[Citation(source=source, quote=quote, start=span[0], end=span[1])]
        )

    return Disagreement(topic="When", kind=kind, positions=[side("S1", left, _A), side("S2", right, _B)])


def _reading(real: bool, a: tuple[int, int], b: tuple[int, int], b_text: str = _B) -> injected.HandReading:
    def passage(file: str, span: tuple[int, int], text: str) -> dict[str, object]:
        digest = hashlib.sha256(text[span[0] : span[1]].encode()).hexdigest()
        return {"file": file, "start": span[0], "end": span[1], "quote_sha256": digest}

    return injected.HandReading.model_validate(
        {
            "corpus": "test",
            "cluster": "0001_flood",
            "kind": "date",
            "real": real,
            "a": passage("left.txt", a, _A),
            "b": passage("right.txt", b, b_text),
            "why": "synthetic",
        }
    )


@pytest.mark.parametrize("real", [True, False])
def test_injected_reading_of_a_flag_is_found_by_its_cited_passages(real: bool) -> None:
    names = {"S1": "left.txt", "S2": "right.txt"}
    texts = {"left.txt": _A, "right.txt": _B}
    flag = _flag((0, 40), (90, 140))
    verdict = injected.read_as(flag, names, texts, [_reading(real, (10, 30), (100, 120))])
    assert verdict == ("real" if real else "false")


def test_injected_reading_needs_both_sides_and_the_same_text() -> None:
    names = {"S1": "left.txt", "S2": "right.txt"}
    texts = {"left.txt": _A, "right.txt": _B}
    flag = _flag((0, 40), (90, 140))
    elsewhere = _reading(True, (10, 30), (0, 20))  # the right-hand passage is not one the flag cites
    assert injected.read_as(flag, names, texts, [elsewhere]) == "unread"
    changed = _reading(True, (10, 30), (100, 120), b_text=_B.upper())  # the file read was another text
    assert injected.read_as(flag, names, texts, [changed]) == "unread"
    other_kind = _flag((0, 40), (90, 140), kind="number")
    assert injected.read_as(other_kind, names, texts, [_reading(True, (10, 30), (100, 120))]) == "unread"


def test_injected_readings_file_holds_offsets_and_digests_only() -> None:
    data = resources.files("briefing.evaluation").joinpath("data", "injected_unchanged_readings.jsonl")
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    for row in rows:
        injected.HandReading.model_validate(row)
        assert set(row["a"]) == {"file", "start", "end", "quote_sha256"}
        assert len(row["a"]["quote_sha256"]) == 64 and len(row["b"]["quote_sha256"]) == 64
