"""Print the fault-injection results as a markdown table and write it into the README (`make resilience`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.resilience.harness import RESULTS

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- resilience:start -->", "<!-- resilience:end -->"
COLUMNS = ("scenario", "broker", "articles sent", "claims expected / emitted", "alerts expected / delivered",
           "duplicates (same id)", "lost", "recovery (s)")


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        recovery = "-" if row["recovery_s"] is None else f"{row['recovery_s']:.1f}"
        lines.append(f"| {row['scenario']}: {row['proves']} | {row.get('broker') or '-'} | {row['articles_sent']} | "
                     f"{row['claims_expected']} / {row['claims_emitted']} | "
                     f"{row['alerts_expected']} / {row['alerts_delivered']} | {row['duplicates']} | "
                     f"{row['lost']} | {recovery} |")
    return "\n".join(lines)


def main() -> int:
    rows = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))]
    if not rows:
        print("no results: run the scenarios first (make resilience)", file=sys.stderr)
        return 1
    text = table(rows)
    print(text)
    readme = README.read_text(encoding="utf-8")
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
