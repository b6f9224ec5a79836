"""The README's Python snippet runs as written, and its commands are the ones CI uses."""

from __future__ import annotations

import os
import re
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


def test_readme_test_command_is_what_ci_runs() -> None:
    commands = re.findall(r"```bash\n(.*?)```", README, re.S)
    test_command = commands[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test_command
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
