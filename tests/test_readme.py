"""The README's Python snippet runs as written, and its commands are the ones CI uses."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_snippet_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks, "the README shows the embedding API"
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert capsys.readouterr().out.strip()
    assert str(namespace["markdown"]).startswith("# ")
    payload = namespace["payload"]
    assert isinstance(payload, dict) and payload["blocks"] and payload["text"]
    pdf = namespace["pdf"]
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_readme_commands_are_what_ci_runs() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from readme_command import readme_command
    finally:
        sys.path.pop(0)
    setup, test = readme_command("setup"), readme_command("test")
    # A new user needs two commands: one sets up and runs the main job, one runs the tests.
    assert "python3 -m venv .venv" in setup and "-c constraints.txt" in setup and "briefing make" in setup
    assert "pip install --upgrade pip" not in setup  # the pip that venv ships must be enough
    assert test == ".venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "SETUP=$(python3 scripts/readme_command.py setup)" in ci
    assert "TEST=$(python3 scripts/readme_command.py test)" in ci
    assert "PIP_NO_CACHE_DIR=1" in ci and "--upgrade pip" not in ci
    # The optional system packages come after the first test run, never before it.
    assert ci.index('bash -c "$TEST"') < ci.index("apt-get install")
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


def test_readme_command_extraction_refuses_two_commands_in_one_block() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from readme_command import readme_command
    finally:
        sys.path.pop(0)
    text = "<!-- readme-command: setup -->\n```bash\nmake one\nmake two\n```\n"
    with pytest.raises(SystemExit, match="one command line"):
        readme_command("setup", text)
