"""Print the fault-injection results as a markdown table and write it into docs/resilience.md (`make resilience`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tools.doc_blocks import write_block
from tests.resilience.harness import RESULTS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "resilience.md"
COLUMNS = ("scenario", "broker", "articles sent", "claims expected / emitted", "alerts expected / delivered",
           "duplicates (same id)", "amendments", "lost", "recovery (s)")


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        recovery = "-" if row["recovery_s"] is None else f"{row['recovery_s']:.1f}"
        lines.append(f"| {row['scenario']}: {row['proves']} | {row.get('broker') or '-'} | {row['articles_sent']} | "
                     f"{row['claims_expected']} / {row['claims_emitted']} | "
                     f"{row['alerts_expected']} / {row['alerts_delivered']} | {row['duplicates']} | "
                     f"{row.get('amendments', 0)} | "
                     f"{row['lost']} | {recovery} |")
    return "\n".join(lines)


def main() -> int:
    rows = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))]
    if not rows:
        print("no results: run the scenarios first (make resilience)", file=sys.stderr)
        return 1
    text = table(rows)
    print(text)
    if not write_block(PAGE, "resilience", text):
        print(f"{PAGE} has no resilience block: the table was only printed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
