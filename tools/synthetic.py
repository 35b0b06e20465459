"""A synthetic news stream with known figures, for fault injection and load tests.

Each quantity is one disaster in one country. It gets `reports` articles on successive days, each with one
figure from the same ministry, rising every day. So every article yields exactly one claim, the first
figure of a quantity is a `new` alert and every later one an `update`: the expected claims and alerts are
known before anything runs. tests/unit/test_synthetic.py checks the pure extractor and decide() agree."""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from schemas.models import Article

EVENTS = ("flood", "earthquake", "storm", "wildfire", "landslide")
# Countries the extractor's gazetteer knows, so that each (event, country) is a distinct quantity
COUNTRIES = ("Afghanistan", "Armenia", "Azerbaijan", "Bangladesh", "Canada", "China", "Cuba", "Cyprus", "Egypt",
             "Ethiopia", "France", "Germany", "Greece", "India", "Indonesia", "Iran", "Iraq", "Israel", "Italy",
             "Japan", "Jordan", "Kazakhstan", "Lebanon", "Libya", "Mexico", "Myanmar", "Nepal", "Niger", "Nigeria",
             "Pakistan", "Poland", "Russia", "Somalia", "Spain", "Sudan", "Syria", "Turkey", "Ukraine", "Yemen")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
START = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)  # a Monday


@dataclass(frozen=True)
class Expected:
    article_id: str
    event: str
    country: str
    figure: int
    kind: str  # the alert it must raise: "new" or "update"


def _text(event: str, country: str, figure: int, day: datetime, filler: str) -> str:
    weekday = WEEKDAYS[day.weekday()]
    return (f"{filler}\n\nThe {event} in {country} killed {figure:,} people, the interior ministry said on "
            f"{weekday}. Rescue teams kept searching through the night.")


def generate(quantities: int = 100, reports: int = 5, seed: int = 7, body_chars: int = 0
             ) -> tuple[list[Article], list[Expected]]:
    """`quantities` x `reports` articles in publication order, and what each must yield."""
    pairs = [(event, country) for country in COUNTRIES for event in EVENTS]
    if quantities > len(pairs):
        raise ValueError(f"at most {len(pairs)} distinct quantities")
    rng = random.Random(seed)
    chosen = rng.sample(pairs, quantities)
    filler = "Officials urged residents to stay indoors as roads were closed across the region."
    while len(filler) < body_chars:
        filler += " Schools stayed shut and volunteers handed out water at the main square."
    articles, expected = [], []
    tolls = {pair: rng.randint(5, 60) for pair in chosen}
    for day_index in range(reports):
        day = START + timedelta(days=day_index)
        for number, (event, country) in enumerate(chosen):
            if day_index:
                # a rise well beyond the exact-figure tolerance (2%), so each is an update
                tolls[(event, country)] = int(tolls[(event, country)] * 1.15) + rng.randint(3, 30)
            figure = tolls[(event, country)]
            article_id = f"synthetic-{event}-{country.lower()}-{day_index}"
            published = day + timedelta(seconds=number)
            articles.append(Article(id=article_id, text=_text(event, country, figure, day, filler),
                                    published_at=published, outlet="claimwatch synthetic"))
            expected.append(Expected(article_id, event, country, figure, "new" if day_index == 0 else "update"))
    return articles, expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="claimwatch-synthetic", description=__doc__)
    parser.add_argument("--quantities", type=int, default=100)
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    articles, _ = generate(args.quantities, args.reports, args.seed)
    for article in articles:
        sys.stdout.write(json.dumps(article.model_dump(mode="json", exclude_none=True)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
