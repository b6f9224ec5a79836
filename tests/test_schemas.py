"""The committed JSON Schemas in schemas/ match the Pydantic models."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _exporter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("export_schemas", ROOT / "scripts" / "export_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPECTED = _exporter().schema_texts()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_schema_file_matches_the_code(name: str) -> None:
    path = ROOT / "schemas" / name
    assert path.exists(), f"schemas/{name} is missing: run python scripts/export_schemas.py"
    assert path.read_text(encoding="utf-8") == EXPECTED[name], (
        f"schemas/{name} differs from the models: run python scripts/export_schemas.py"
    )


def test_schema_exports_cover_llm_responses_and_brief() -> None:
    assert set(EXPECTED) == {"ChunkClaims.json", "Conflicts.json", "ComposedBrief.json", "Brief.json"}


@pytest.mark.parametrize("name", ["ChunkClaims.json", "Conflicts.json", "ComposedBrief.json"])
def test_llm_schemas_are_flat_for_local_grammars(name: str) -> None:
    text = EXPECTED[name]
    assert "$ref" not in text and "$defs" not in text and "anyOf" not in text
    assert json.loads(text)["type"] == "object"
