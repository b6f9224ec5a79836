"""A folder of hostile files: the good ones are read, every bad one is skipped with its reason.

load_sources must never crash on a file, never change one, and say why each
file was not used.
"""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest

import briefing.sources.walk as sources_module
from briefing.sources.walk import load_sources

MAX_BYTES = 100_000  # stands in for the 20 MB default, so no test writes 50 MB

GOOD = (
    "Pulp prices climb\n\nPosted on 3 November 2025\n\nNeodymium oxide rose {n}% this week, traders said.\n"
)


def _story(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(20_000)}" for _ in range(300))


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf("Confidential report body."))))
    writer.encrypt("secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A file outside the sources folder.\n")

    def put(name: str, content: bytes | str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)

    put("good1.txt", GOOD.format(n=5))
    put("good2.md", "# Lithium glut\n\nLithium carbonate fell 3% on Monday.\n")
    put("binary.txt", bytes(range(256)) * 4)
    put("empty.txt", b"")
    put("whitespace.txt", b"  \n\n\t \n")
    put("invalid_utf8.txt", b"Caf\xc3\x28 owners said prices rose \xff\xfe again.\n")
    put("latin1.txt", "Le café a été vendu à Zürich, dit-il.\n".encode("latin-1"))
    put("utf16.txt", "Trade talks in Genève resume on Monday, officials said.\n".encode("utf-16"))
    put("oversized.txt", "x" * (MAX_BYTES + 1))
    put("nested.html", "<html><body>" + "<div>" * 5000 + "<p>deep</p>" + "</div>" * 5000 + "</body></html>")
    first = "Varna milled 96,000 tonnes of paper pulp in 2023, the survey said. " * 3
    second = "Prices of neodymium oxide rose by a third over the year, traders in Shanghai said. " * 3
    put(
        "malformed.html",
        f"<html><head><title>Broken page</title><body class=x><p>{first}<p>{second}<div></span></b>"
        "<table><tr><td>Ostrava<td>12,500</table></p></body></html></html><<>><!-- unterminated",
    )
    put("binary.html", b"<html>\x00\x00\x00\x01\x02 not really html")
    put("corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref")
    put("truncated.pdf", _pdf("This document was cut in half.")[:300])
    put("encrypted.pdf", _encrypted_pdf())
    put("unreadable.txt", "The file system will refuse to give us this text.\n")
    put("story.txt", _story(1))
    put("story_copy.txt", _story(1))
    put("story_wire.txt", _story(1) + " with local reaction added")
    put("photo.jpg", b"\xff\xd8\xff\xe0JFIF")
    put("sub/inner.txt", GOOD.format(n=7))
    os.symlink("..", root / "sub" / "loop")
    os.symlink(root / "self_loop.txt", root / "self_loop.txt")
    os.symlink(outside / "secret.txt", root / "outside.txt")
    os.symlink(outside, root / "outside_dir")
    os.symlink(root / "missing.txt", root / "broken.txt")
    os.mkfifo(root / "pipe.txt")
    return root


EXPECTED_SKIPS = {
    "binary.html": "binary file",
    "binary.txt": "binary file",
    "broken.txt": "broken symlink",
    "corrupt.pdf": "corrupt PDF: ",
    "empty.txt": "empty file",
    "encrypted.pdf": "encrypted PDF",
    "nested.html": "no article text found",
    "outside.txt": "symlink points outside the sources folder",
    "outside_dir": "symlink points outside the sources folder",
    "oversized.txt": "larger than 100,000 bytes",
    "photo.jpg": "unsupported file type .jpg",
    "pipe.txt": "not a regular file",
    "self_loop.txt": "symlink loop",
    "story_copy.txt": "duplicate of story.txt",
    "sub/loop": "symlink loop",
    "truncated.pdf": "corrupt PDF: ",
    "unreadable.txt": "cannot read: Permission denied",
    "whitespace.txt": "no text",
}


def _snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    snap: dict[str, tuple[bytes | None, int]] = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        readable = path.is_file() and not path.is_symlink()
        snap[str(path)] = (path.read_bytes() if readable else None, st.st_mtime_ns)
    return snap


def _load(root: Path, monkeypatch: pytest.MonkeyPatch) -> sources_module.SourceSet:
    real_read = sources_module._read_bytes

    def refusing_read(path: Path) -> bytes:
        # Tests run as root, where chmod 000 does not stop reads: refuse at the seam instead.
        if path.name == "unreadable.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(sources_module, "_read_bytes", refusing_read)
    return load_sources(root, max_bytes=MAX_BYTES)


def test_hostile_folder_yields_good_files_and_lists_each_bad_one(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _load(hostile, monkeypatch)
    used = [s.path for s in result.sources]
    assert used == [
        "good1.txt",
        "good2.md",
        "invalid_utf8.txt",
        "latin1.txt",
        "malformed.html",
        "story.txt",
        "story_wire.txt",
        "sub/inner.txt",
        "utf16.txt",
    ]
    skipped = {s.path: s.reason for s in result.skipped}
    assert set(skipped) == set(EXPECTED_SKIPS)
    for path, reason in EXPECTED_SKIPS.items():
        assert skipped[path].startswith(reason), (path, skipped[path])


def test_hostile_folder_decodes_text_and_warns_about_guessed_encodings(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _load(hostile, monkeypatch)
    by_path = {s.path: s for s in result.sources}
    assert by_path["latin1.txt"].text == "Le café a été vendu à Zürich, dit-il."
    assert by_path["utf16.txt"].text == "Trade talks in Genève resume on Monday, officials said."
    assert "owners said prices rose" in by_path["invalid_utf8.txt"].text
    assert sorted(w.split(":")[0] for w in result.warnings) == ["invalid_utf8.txt", "latin1.txt"]
    assert all("not valid UTF-8" in w for w in result.warnings)


def test_hostile_folder_malformed_html_keeps_paragraphs_and_table(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = {s.path: s for s in _load(hostile, monkeypatch).sources}["malformed.html"]
    assert src.title == "Broken page"
    assert "Varna milled 96,000 tonnes" in src.text
    assert "| Ostrava | 12,500 |" in src.text.splitlines()
    assert src.published is None  # the bare year "2024" in the text is not a publication date


def test_hostile_folder_near_duplicate_is_kept_but_marked(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_path = {s.path: s for s in _load(hostile, monkeypatch).sources}
    assert by_path["story_wire.txt"].duplicate_of == by_path["story.txt"].id
    assert by_path["story.txt"].duplicate_of is None


def test_hostile_folder_files_are_unchanged(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(hostile)
    _load(hostile, monkeypatch)
    assert _snapshot(hostile) == before


def test_hostile_deep_html_does_not_crash_even_when_it_has_text(tmp_path: Path) -> None:
    body = (
        "<p>" + "Gallium exports resumed on Monday after a two-month halt, customs data showed. " * 4 + "</p>"
    )
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 20_000 + body + "</div>" * 20_000)
    (tmp_path / "ok.txt").write_text(GOOD.format(n=1))
    result = load_sources(tmp_path)
    # lxml stops building the tree past its depth limit, so the deep text is not reached.
    assert [s.path for s in result.sources] == ["ok.txt"]
    assert [(s.path, s.reason) for s in result.skipped] == [("deep.html", "no article text found")]


def test_hostile_unexpected_reader_error_is_a_skip_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(GOOD.format(n=1))
    (tmp_path / "b.txt").write_text(GOOD.format(n=2))

    def exploding(raw: bytes, fmt: str, **options: object) -> object:
        if b"2%" in raw:
            raise MemoryError("parser blew up")
        return real(raw, fmt, **options)  # type: ignore[arg-type]

    real = sources_module.read_file
    monkeypatch.setattr(sources_module, "read_file", exploding)
    result = load_sources(tmp_path)
    assert [s.path for s in result.sources] == ["a.txt"]
    assert result.skipped[0].reason == "cannot read: MemoryError: parser blew up"


def test_hostile_folder_make_writes_a_brief_and_reports_each_skip(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from briefing.cli import app

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    out = tmp_path / "brief.json"
    result = CliRunner().invoke(app, ["make", "--sources", str(hostile), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    brief = json.loads(out.read_text(encoding="utf-8"))
    assert brief["bottom_line"] and brief["sources"]
    skipped = {s["path"] for s in brief["meta"]["skipped"]}
    assert {"binary.txt", "corrupt.pdf", "encrypted.pdf", "empty.txt", "self_loop.txt"} <= skipped
    for path in ("binary.txt", "corrupt.pdf", "self_loop.txt"):
        assert f"skipped {path}: " in result.stderr
