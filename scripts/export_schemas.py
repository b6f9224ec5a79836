"""Write schemas/<name>.json from the Pydantic models (the LLM response models and Brief).

    python scripts/export_schemas.py          # rewrite the files
    python scripts/export_schemas.py --check  # exit 1 if a committed file is stale

tests/test_schemas.py runs the same comparison.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.engines.llm.schemas import RESPONSE_MODELS  # noqa: E402
from briefing.models import Brief  # noqa: E402

SCHEMA_DIR = ROOT / "schemas"


def schema_texts() -> dict[str, str]:
    """File name -> exact file content (sorted keys, two-space indent, trailing newline)."""
    models = {**RESPONSE_MODELS, "Brief": Brief}
    return {
        f"{name}.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
        for name, model in models.items()
    }


def main(argv: list[str]) -> int:
    stale = []
    for name, text in schema_texts().items():
        path = SCHEMA_DIR / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if "--check" not in argv:
            SCHEMA_DIR.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if "--check" in argv and stale:
        print(f"stale: {', '.join(stale)}; run python scripts/export_schemas.py")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
