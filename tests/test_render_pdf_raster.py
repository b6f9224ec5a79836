"""The PDF brief rasterised by poppler: exactly one page, with ink on it.

Needs Debian's poppler-utils (pdftoppm), an optional system package: without it these
tests skip and say why (CI runs the suite both without and with it).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from _render_samples import sample_brief

from briefing.render.pdf import render_pdf

pytest.importorskip("weasyprint")
pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="needs pdftoppm (apt install poppler-utils)"
)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("paper,ratio", [("a4", 297 / 210), ("letter", 11 / 8.5)])
def test_render_pdf_rasterises_to_exactly_one_page(tmp_path: Path, paper: str, ratio: float) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(render_pdf(sample_brief(30, 12), paper=paper))  # type: ignore[arg-type]  # parametrized Literal
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    width, height = _png_size(pages[0])
    assert abs(height / width - ratio) < 0.02
    gray = subprocess.run(["pdftoppm", "-gray", "-r", "10", str(pdf)], check=True, capture_output=True).stdout
    # A PGM: header, then one byte per pixel; a blank page would be all white (255).
    pixels = gray.split(b"\n", 3)[3]
    assert min(pixels) < 128
