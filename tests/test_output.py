"""--output semantics: what each kind of target gets (never a replaced device, pipe or link)."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import EXIT_OUTPUT, EXIT_USAGE, InputError, OutputError
from briefing.output import choose_format, resolve_output

ARTICLE = (
    "The city council approved a new budget of $12 million on Monday after a long debate. "
    "Mayor Ana Ruiz said the money would go to road repairs and two new schools. "
    "Council member Tom Baker voted against the plan, calling it rushed and expensive. "
)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE * 2)
    return src


def _make(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["make", "--sources", str(folder), "-q", *args])
    return result.exit_code, result.output


def test_output_regular_file_is_replaced_atomically(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("old")
    os.chmod(out, 0o640)
    code, _ = _make(folder, "-o", str(out))
    assert code == 0 and out.read_text().startswith("# ")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_output_symlink_to_file_is_written_through_and_stays_a_link(folder: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _ = _make(folder, "-o", str(link))
    assert code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("# ")


def test_output_character_device_is_written_in_place_never_replaced(folder: Path, tmp_path: Path) -> None:
    # A /dev/null-like node made in a temp dir (root only), never the real /dev.
    if os.geteuid() != 0:
        pytest.skip("mknod of a character device needs root")
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    before = os.stat(node)
    code, out = _make(folder, "-o", str(node), "--format", "md")
    assert code == 0, out
    after = os.stat(node)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    assert after.st_mode == before.st_mode and after.st_rdev == before.st_rdev


def test_output_fifo_with_a_reader_gets_the_brief(folder: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read)
    reader.start()
    # Let the reader reach open(): a writer opening a FIFO that nobody reads is refused (ENXIO).
    time.sleep(0.3)
    code, out = _make(folder, "-o", str(fifo), "--format", "md")
    reader.join(timeout=10)
    assert code == 0, out
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b"# ")


def test_output_fifo_without_a_reader_is_a_clear_error(folder: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out = _make(folder, "-o", str(fifo), "--format", "md")
    assert code == EXIT_OUTPUT
    assert "no process is reading" in out
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_dash_is_stdout(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _make(folder, "-o", "-")
    assert code == 0 and out.startswith("# ")
    assert not (tmp_path / "-").exists()


def test_output_missing_directory_is_exit_6_before_any_work(folder: Path, tmp_path: Path) -> None:
    code, out = _make(folder, "-o", str(tmp_path / "nope" / "brief.md"))
    assert code == EXIT_OUTPUT and "does not exist" in out
    assert "made brief" not in out


def test_output_empty_string_is_exit_6(folder: Path) -> None:
    code, out = _make(folder, "-o", "")
    assert code == EXIT_OUTPUT and "--output is empty" in out


def test_output_directory_is_refused(folder: Path, tmp_path: Path) -> None:
    code, out = _make(folder, "-o", str(tmp_path))
    assert code == EXIT_OUTPUT and "directory" in out


def test_output_symlink_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    with pytest.raises(OutputError, match="loop"):
        resolve_output(str(loop))


def test_output_dev_fd_style_path_writes_through_the_descriptor(tmp_path: Path) -> None:
    # /dev/stdout is a link to /proc/self/fd/1; emulate it with a link to /proc/self/fd/N of a
    # file opened for appending: the text is appended through the descriptor, nothing is replaced.
    log = tmp_path / "log.txt"
    log.write_text("first\n")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{fd}")
        target = resolve_output(str(link))
        assert target.kind == "fd" and target.fd == fd
        inode = log.stat().st_ino
        target.write("second\n")
    finally:
        os.close(fd)
    assert log.read_text() == "first\nsecond\n" and log.stat().st_ino == inode
    assert link.is_symlink()


def test_output_stale_temp_from_a_killed_run_is_removed(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    stale = tmp_path / ".brief.md.999999999-deadbeef.tmp"  # no such pid
    stale.write_text("half a brief")
    code, _ = _make(folder, "-o", str(out))
    assert code == 0 and not stale.exists()


@pytest.mark.parametrize(
    "name,fmt",
    [("b.md", "md"), ("b.json", "json"), ("b.html", "html"), ("b.pdf", "pdf"), ("b.slack.json", "slack")],
)
def test_output_format_comes_from_the_extension(name: str, fmt: str) -> None:
    assert choose_format(None, name) == fmt


def test_output_format_mismatch_is_an_error(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not match"):
        choose_format("md", "brief.pdf")
    code, _out = _make(folder, "-o", str(tmp_path / "brief.pdf"), "--format", "md")
    assert code == EXIT_USAGE and not (tmp_path / "brief.pdf").exists()


def test_output_pdf_name_without_format_writes_a_pdf(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "brief.pdf"
    code, _ = _make(folder, "-o", str(out))
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
