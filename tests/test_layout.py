"""The package layout keeps its promises (issue: one package per stage)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def _private_imports(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / "briefing").rglob("*.py")):
        importer = _module_name(path, root)
        importer_pkg = _package_of(importer, path.name == "__init__.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
                continue
            if not node.module.startswith("briefing"):
                continue
            target_is_pkg = (root / node.module.replace(".", "/") / "__init__.py").exists()
            target_pkg = _package_of(node.module, target_is_pkg)
            private_module = any(p.startswith("_") and p != "__init__" for p in node.module.split("."))
            for alias in node.names:
                private_name = alias.name.startswith("_") and not alias.name.startswith("__")
                inside = importer_pkg == target_pkg or importer_pkg.startswith(target_pkg + ".")
                if (private_name or private_module) and not inside:
                    found.append(f"{importer}: from {node.module} import {alias.name}")
    return found


def test_layout_no_module_imports_another_packages_private_names() -> None:
    assert _private_imports() == []


def test_layout_private_name_check_catches_a_cross_package_import(tmp_path: Path) -> None:
    # The check above must be able to fail: a stage reaching into a sibling's private helper.
    for pkg in ("briefing", "briefing/engines", "briefing/reconcile"):
        (tmp_path / pkg).mkdir(parents=True, exist_ok=True)
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "briefing/engines/extractive.py").write_text("def _helper() -> None: ...\n")
    (tmp_path / "briefing/engines/other.py").write_text("from briefing.engines.extractive import _helper\n")
    (tmp_path / "briefing/reconcile/core.py").write_text("from briefing.engines.extractive import _helper\n")
    assert _private_imports(tmp_path) == [
        "briefing.reconcile.core: from briefing.engines.extractive import _helper"
    ]


def test_layout_import_contracts_hold() -> None:
    # import-linter's contracts (.importlinter): stages import only downward,
    # testing/ and evaluation/ are used by no stage, models imports no stage.
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(exe), "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
