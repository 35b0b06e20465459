"""A suite of news sentences written for claimwatch, each with every count and money amount in it annotated
(`tools/data/quantity_suite.jsonl`), and sentences whose numbers are no figure at all (clock times, scores, model
names, codes, percentages, ages, durations, years). It stands in for the outside suite the project is scored on,
which nobody here sees: the figures are value recall, value and qualifier right, currency right, and precision
(the share of emitted figures that are annotated quantities). Sentences follow the corpus's gold conventions.

Each line: {"text": ..., "figures": [[figure_text, value, lower, upper, qualifier, currency or null], ...]}; a null
currency on a money figure means the code is not checked (pesos name several currencies)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from schemas.models import Article, Claim
from services.extractor.extraction import extract_claims
from tools.evaluation import GoldClaim, close as _same, match

SUITE = Path(__file__).resolve().parent / "data" / "quantity_suite.jsonl"
PUBLISHED = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


@dataclass
class SuiteScore:
    gold: int = 0
    emitted: int = 0
    matched: int = 0
    value_right: int = 0
    value_and_qualifier_right: int = 0
    currency_compared: int = 0
    currency_right: int = 0
    misses: list[str] = field(default_factory=list)
    false_figures: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | None]:
        def share(a: int, b: int) -> float | None:
            return a / b if b else None
        return {"value_recall": share(self.value_right, self.gold),
                "value_qualifier": share(self.value_and_qualifier_right, self.gold),
                "precision": share(self.matched, self.emitted),
                "currency": share(self.currency_right, self.currency_compared)}


def figure_span(text: str, figure: str) -> tuple[int, int] | None:
    """Where the figure stands as a whole ('30' in '130 hostages, including 30 children' is the second one)."""
    match = re.search(r"(?<![\w.,])" + re.escape(figure) + r"(?![\w])", text)
    return (match.start(), match.end()) if match else None


def load(path: Path = SUITE) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        for figure in row["figures"]:
            if figure_span(row["text"], figure[0]) is None:
                raise ValueError(f"{path.name} line {number}: figure {figure[0]!r} is not in its sentence")
        rows.append(row)
    return rows


def _value_right(claim: Claim, value, lower, upper) -> bool:
    """The figure's value, or for a range or vague count (no value) its bounds."""
    if value is None:
        return claim.value is None and _same(claim.lower, lower) and _same(claim.upper, upper)
    return _same(claim.value, value)


def score(rows: list[dict]) -> SuiteScore:
    result = SuiteScore()
    for index, row in enumerate(rows):
        text = row["text"]
        article = Article(id=f"suite{index}", url=f"https://example.org/suite/{index}", outlet="suite", text=text,
                          published_at=PUBLISHED)
        claims = extract_claims(article)
        result.emitted += len(claims)
        gold = [GoldClaim(id=str(i), article=article.id, start=span[0], end=span[1], sentence=text,
                          data={"figure": figure}) for i, figure in enumerate(row["figures"])
                for span in (figure_span(text, figure[0]),)]
        found = {g.id: claim for claim, g in match(claims, gold)}
        for g in gold:
            figure_text, value, lower, upper, qualifier, currency = g.data["figure"]
            result.gold += 1
            claim = found.get(g.id)
            if claim is None:
                result.misses.append(f"{figure_text!r} in {text!r}")
                continue
            result.matched += 1
            right = _value_right(claim, value, lower, upper)
            result.value_right += right
            both = right and claim.qualifier.value == qualifier
            result.value_and_qualifier_right += both
            if currency is not None:
                result.currency_compared += 1
                result.currency_right += claim.currency == currency
            if not both or (currency is not None and claim.currency != currency):
                result.wrong.append(f"{figure_text!r}: ours {claim.value} [{claim.lower}, {claim.upper}] "
                                    f"{claim.qualifier.value} {claim.currency} vs gold {value} [{lower}, {upper}] "
                                    f"{qualifier} {currency}")
        matched = {id(claim) for claim in found.values()}
        result.false_figures += [f"{c.figure_text!r} in {text!r}" for c in claims if id(c) not in matched]
    return result


def report(result: SuiteScore, misses: int) -> str:
    figures = result.figures()
    line = ", ".join(f"{name} {value:.3f}" if value is not None else f"{name} -" for name, value in figures.items())
    print(f"\n## quantity suite (tools/data/quantity_suite.jsonl: {result.gold} figures; written for claimwatch)")
    print(line)
    for title, items in (("missed", result.misses), ("not a figure", result.false_figures),
                         ("wrong value, qualifier or currency", result.wrong)):
        if items and misses:
            print(f"{title} ({len(items)}):")
            for item in items[:misses]:
                print(f"  - {item}")
    return line
