"""Write the JSON Schema of every contract to schemas/json/ and the AsyncAPI document of the topics to
schemas/asyncapi.json (`python -m schemas.export`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas import asyncapi
from schemas.models import EXPORTED_MODELS

JSON_DIR = Path(__file__).with_name("json")


def rendered() -> dict[str, str]:
    """File name -> the exact text the exporter writes."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(mode="serialization"), indent=2, sort_keys=True) + "\n"
        for name, model in EXPORTED_MODELS.items()
    }


def main() -> int:
    JSON_DIR.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (JSON_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {JSON_DIR / name}", file=sys.stderr)
    asyncapi.ASYNCAPI_FILE.write_text(asyncapi.rendered(), encoding="utf-8")
    print(f"wrote {asyncapi.ASYNCAPI_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
