"""Print one of the README's commands, so CI runs exactly what a new user is told to run.

Usage: python3 scripts/readme_command.py setup|test

The README marks each command with an HTML comment (<!-- readme-command: NAME -->)
right above its ```bash block; the block must hold exactly one command line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_command(name: str, text: str | None = None) -> str:
    text = README.read_text(encoding="utf-8") if text is None else text
    pattern = rf"<!-- readme-command: {re.escape(name)} -->\s*```bash\n(.*?)```"
    found = re.findall(pattern, text, re.S)
    if len(found) != 1:
        raise SystemExit(f"README.md: expected one '{name}' command block, found {len(found)}")
    lines = [line for line in found[0].splitlines() if line.strip()]
    if len(lines) != 1:
        raise SystemExit(f"README.md: the '{name}' block must be one command line, not {len(lines)}")
    return lines[0].strip()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: readme_command.py setup|test")
    print(readme_command(sys.argv[1]))
