"""load_sources bounds its work: extracted text per source is capped, and the parse
time limit holds in any thread (the Slack bot reads folders off the main thread)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from briefing.models import SourceSet
from briefing.sources import readers
from briefing.sources.walk import load_sources
from briefing.testing.documents import shared_stream_pdf as _shared_stream_pdf

PARAGRAPH = (
    "The harbour board met on Thursday and agreed to widen the northern channel "
    "before the spring tides, the chair said after a two hour session."
)


def shared_stream_pdf(pages: int, lines: int = 40) -> bytes:
    return _shared_stream_pdf(pages, lines, PARAGRAPH[:70] + " line")


def test_load_sources_caps_extracted_text_not_file_size(tmp_path: Path) -> None:
    cap = 100_000
    bomb = shared_stream_pdf(pages=120)
    assert len(bomb) < cap // 2  # the file is small; its text is not
    (tmp_path / "bomb.pdf").write_bytes(bomb)
    (tmp_path / "long.txt").write_text((PARAGRAPH + "\n\n") * (cap // len(PARAGRAPH) + 5))
    (tmp_path / "ok.txt").write_text("Harbour channel to be widened\n\n" + PARAGRAPH + "\n")
    result = load_sources(tmp_path, max_text_chars=cap)
    assert [s.path for s in result.sources] == ["ok.txt"]
    reasons = {k.path: k.reason for k in result.skipped}
    assert reasons == {
        "bomb.pdf": "extracted text is longer than 100,000 characters",
        "long.txt": "extracted text is longer than 100,000 characters",
    }


def test_load_sources_default_text_cap_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 50_000)
    (tmp_path / "bomb.pdf").write_bytes(shared_stream_pdf(pages=100))
    (tmp_path / "ok.md").write_text("# Channel works\n\n" + PARAGRAPH + "\n")
    result = load_sources(tmp_path)
    assert [s.path for s in result.sources] == ["ok.md"]
    assert result.skipped[0].reason == "extracted text is longer than 50,000 characters"


def _load_in_thread(folder: Path) -> SourceSet:
    box: list[SourceSet | BaseException] = []

    def target() -> None:
        try:
            box.append(load_sources(folder))
        except BaseException as exc:  # handed back to the test thread
            box.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(timeout=300)
    assert box, "load_sources did not finish"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def test_load_sources_parse_time_limit_holds_off_the_main_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A limit far below what parsing a few megabytes of HTML takes: the parse must be
    # stopped even though SIGALRM cannot reach this thread.
    monkeypatch.setattr(readers, "PARSE_SECONDS", 0.05)
    paragraphs = "".join(f"<p>{PARAGRAPH} Item {i}.</p>\n" for i in range(20_000))
    (tmp_path / "big.html").write_text(f"<html><body><article>{paragraphs}</article></body></html>")
    (tmp_path / "ok.txt").write_text("Harbour channel to be widened\n\n" + PARAGRAPH + "\n")
    result = _load_in_thread(tmp_path)
    assert [s.path for s in result.sources] == ["ok.txt"]
    assert [(k.path, k.reason) for k in result.skipped] == [
        ("big.html", "cannot parse HTML: took longer than 0.05 s")
    ]


def test_load_sources_off_the_main_thread_reads_html_and_pdf_as_on_it(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Channel to be widened</title></head><body><article>"
        + "".join(f"<p>{PARAGRAPH} Point {i}.</p>" for i in range(6))
        + "</article></body></html>"
    )
    (tmp_path / "a.html").write_text(html)
    (tmp_path / "b.pdf").write_bytes(shared_stream_pdf(pages=2, lines=5))
    on_main = load_sources(tmp_path)
    off_main = _load_in_thread(tmp_path)
    assert [s.path for s in on_main.sources] == ["a.html", "b.pdf"]
    assert [(s.path, s.text, s.title) for s in off_main.sources] == [
        (s.path, s.text, s.title) for s in on_main.sources
    ]
