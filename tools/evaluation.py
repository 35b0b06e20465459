"""`make eval`: score extraction and alert decisions against hand-annotated gold.

Reads the development corpus and the seed gold from the shared folder (never copied into the project).
Claims are matched by overlapping figure spans; fields are then compared with the rules below, which are
the same for any corpus in this format, including held-out ones."""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pycountry

from schemas.models import Alert, Article, Claim
from schemas.timeparse import parse_optional_time
from services.alerter.decisions import DecisionPolicy, QuantityState, decide, same_quantity
from claimwatch.dry_run import decide_in_arrival_order
from services.alerter.history import standing
from services.extractor.extraction import extract_claims

FIELDS = ("value", "bounds", "qualifier", "entity", "measure", "source", "modality", "as_of")
_QUALIFIER_ALIASES = {"approx": "approximate", "over": "more_than", "up_to": "at_most", "approx_vague": "vague",
                      "vague_plural": "vague", "none": "vague"}
_STOP = {"the", "a", "an", "of", "and", "in", "to", "for", "on", "by", "via", "per", "its", "his", "her", "s",
         "said", "says", "from", "with", "at", "as", "context", "ukraine", "ukrainian", "us", "u"}
_MEASURE_FAMILY = {"deaths": "killed", "dead": "killed", "killed": "killed", "casualties": "killed",
                   "injured": "injured", "critically": "injured", "troops": "troops", "convicts": "troops",
                   "wagner": "troops", "contractors": "troops", "buildings": "buildings", "homes": "buildings",
                   "apartments": "buildings"}


@dataclass
class GoldClaim:
    id: str
    article: str
    start: int | None
    end: int | None
    sentence: str
    data: dict
    counts_for_recall: bool = True


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    right: Counter = field(default_factory=Counter)
    compared: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0


def _words(text: str | None) -> set[str]:
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words if w not in _STOP}


def close(a, b) -> bool:
    """Two values (or two missing ones) equal up to rounding."""
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(1.0, abs(float(b)) * 1e-6)


def _family(measure: str | None) -> str:
    head = (measure or "").lower().replace("count_", "").split("_")[0]
    return _MEASURE_FAMILY.get(head, head)


def _gold_as_of(value: str | None, published: date | None) -> date | None | str:
    """ISO date, 'article date' -> publication, '<=YYYY-MM-DD' -> that date; 'skip' when not comparable."""
    if value is None:
        return None
    if "article date" in value:
        return published if published else "skip"  # the annotator's "~date" only estimates publication
    match = re.search(r"\d{4}-\d{2}-\d{2}", value)
    if match:
        return date.fromisoformat(match.group())
    return "skip"


def field_right(name: str, predicted: Claim, gold: dict, published: date | None) -> bool | None:
    """Whether a matched claim's field agrees with gold; None when gold does not say."""
    if name == "value":
        return close(predicted.value, gold.get("value"))
    if name == "bounds":
        return close(predicted.lower, gold.get("lower")) and close(predicted.upper, gold.get("upper"))
    if name == "qualifier":
        expected = _QUALIFIER_ALIASES.get(gold.get("qualifier"), gold.get("qualifier"))
        return predicted.qualifier.value == expected
    if name == "entity":
        expected = gold.get("entity") or gold.get("counted_entity")
        if expected is None:
            return None
        return bool(_words(predicted.entity) & _words(expected))
    if name == "measure":
        return _family(predicted.measure) == _family(gold.get("measure"))
    if name == "source":
        expected = gold.get("source")
        if not expected or not predicted.source:
            return not expected and not predicted.source
        return bool(_words(predicted.source) & _words(expected))
    if name == "modality":
        return predicted.modality.value == gold.get("modality")
    if name == "as_of":
        expected = _gold_as_of(gold.get("as_of", gold.get("time_norm")), published)
        if expected == "skip":
            return None
        return predicted.as_of == expected
    raise ValueError(name)


def _span(text: str, sentence: str, figure: str | None, start: int | None) -> tuple[int | None, int | None]:
    if start is not None and figure:
        return start, start + len(figure)
    at = text.find(sentence)
    if at < 0 or not figure:
        return (at if at >= 0 else None), (at + len(sentence) if at >= 0 else None)
    offset = sentence.find(figure)
    return (at + offset, at + offset + len(figure)) if offset >= 0 else (None, None)


def match(predicted: list[Claim], gold: list[GoldClaim]) -> list[tuple[Claim, GoldClaim]]:
    """One-to-one pairs whose figure spans overlap (figure-less gold, e.g. a denial, matches by sentence)."""
    pairs, used = [], set()
    for g in gold:
        best = None
        for i, p in enumerate(predicted):
            if i in used or g.start is None:
                continue
            if p.char_start < g.end and g.start < p.char_end:
                best = i
                break
        if best is not None:
            used.add(best)
            pairs.append((predicted[best], g))
    return pairs


def score_articles(articles: list[tuple[Article, list[GoldClaim]]]) -> tuple[Score, dict[str, str]]:
    score = Score()
    claim_of_gold: dict[str, str] = {}
    for article, gold in articles:
        predicted = extract_claims(article)
        pairs = match(predicted, gold)
        published = article.published_at.date() if article.published_at else None
        matched_pred = {id(p) for p, _ in pairs}
        matched_gold = {g.id for _, g in pairs}
        score.gold += sum(g.counts_for_recall for g in gold)
        score.matched += sum(g.counts_for_recall for _, g in pairs)
        # a figure matched to an optional (secondary) gold claim is neither credited nor penalised
        score.predicted += len(predicted) - sum(not g.counts_for_recall for _, g in pairs)
        for g in gold:
            if g.id not in matched_gold and g.counts_for_recall:
                score.misses.append(f"{g.id}: {g.data.get('figure_text') or g.data.get('number_text')!r} "
                                    f"in {g.sentence[:90]!r}")
        for p in predicted:
            if id(p) not in matched_pred:
                score.false_positives.append(f"{article.id}: {p.figure_text!r} in {p.sentence[:90]!r}")
        for p, g in pairs:
            claim_of_gold[g.id] = p.claim_id
            for name in FIELDS:
                verdict = field_right(name, p, g.data, published)
                if verdict is None:
                    continue
                score.compared[name] += 1
                score.right[name] += verdict
                if not verdict:
                    gold_value = {"bounds": (g.data.get("lower"), g.data.get("upper")),
                                  "entity": g.data.get("entity") or g.data.get("counted_entity"),
                                  "as_of": g.data.get("as_of", g.data.get("time_norm"))}.get(name, g.data.get(name))
                    ours = {"bounds": (p.lower, p.upper)}.get(name, getattr(p, name, None))
                    ours = getattr(ours, "value", ours)
                    score.wrong[name].append(f"{g.id}: ours {ours!r} vs gold {gold_value!r}")
    return score, claim_of_gold


def gold_currency(gold: dict) -> str | None:
    """The ISO 4217 code a gold money claim's measure names ('damage_usd', 'spending_usd_per_month')."""
    for word in (gold.get("measure") or "").split("_"):
        if len(word) == 3 and pycountry.currencies.get(alpha_3=word.upper()) is not None:
            return word.upper()
    return None


def score_money(articles: list[tuple[Article, list[GoldClaim]]]) -> dict[str, float | None]:
    """The gold's money claims: the share found with value, currency and measure all right (and each alone)."""
    right = Counter()
    total = 0
    for article, gold in articles:
        money_gold = [g for g in gold if gold_currency(g.data)]
        if not money_gold:
            continue
        pairs = {g.id: p for p, g in match(extract_claims(article), gold)}
        published = article.published_at.date() if article.published_at else None
        for g in money_gold:
            total += 1
            p = pairs.get(g.id)
            if p is None:
                continue
            checks = {"value": field_right("value", p, g.data, published) and
                      field_right("bounds", p, g.data, published),
                      "currency": p.currency == gold_currency(g.data),
                      "measure": field_right("measure", p, g.data, published)}
            right.update(name for name, ok in checks.items() if ok)
            right["all"] += all(checks.values())
    return {name: (right[name] / total if total else None) for name in ("all", "value", "currency", "measure")} | {
        "claims": total}


def load_corpus(folder: Path) -> tuple[list[tuple[Article, list[GoldClaim]]], dict]:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    articles = []
    same_day: Counter = Counter()
    for entry in gold["articles"]:
        text = (folder / entry["file"]).read_text(encoding="utf-8")
        # the gold gives dates only; same-day articles were published in file order, a minute apart
        tie = same_day[entry.get("published")]
        same_day[entry.get("published")] += 1
        published = parse_optional_time(entry.get("published") and f"{entry['published']}T12:{tie:02d}:00+00:00")
        article = Article(id=entry["id"], text=text, published_at=published)
        claims = []
        for c in entry["claims"]:
            start, end = _span(text, c["sentence"], c.get("figure_text"), None)
            claims.append(GoldClaim(c["id"], entry["id"], start, end, c["sentence"], c))
        articles.append((article, claims))
    return articles, gold


def story_of(entry: dict) -> str:
    """A gold article's story: its 'story' field, else its id without the _NN number (maria_03 -> maria)."""
    return entry.get("story") or re.sub(r"_\d+$", "", entry["id"])


def by_story(articles: list[tuple[Article, list[GoldClaim]]], gold: dict) -> dict[str, list]:
    story = {entry["id"]: story_of(entry) for entry in gold["articles"]}
    groups: dict[str, list] = defaultdict(list)
    for pair in articles:
        groups[story[pair[0].id]].append(pair)
    return dict(sorted(groups.items()))


def load_seeds(seeds: Path, gold_path: Path) -> list[tuple[Article, list[GoldClaim]]]:
    manifest = json.loads((seeds / "manifest.json").read_text(encoding="utf-8"))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    by_file = defaultdict(list)
    for c in gold["claims"]:
        by_file[c["article"]].append(c)
    articles = []
    for entry in sorted(manifest["articles"], key=lambda e: e["published_at"]):
        text = (seeds / entry["file"]).read_text(encoding="utf-8")
        article = Article(id=Path(entry["file"]).stem, text=text, published_at=parse_optional_time(entry["published_at"]))
        claims = []
        for c in by_file[entry["file"]]:
            data = dict(c)
            if data.get("qualifier") == "vague_plural":
                data["upper"] = None  # the corpus convention: vague amounts have no upper bound
            figure = c.get("number_text")
            if c.get("qualifier") == "vague" and figure is None:
                figure = (c.get("qualifier_text") or "").strip() or None
            if c.get("modality") == "denial" and figure is None:
                figure = "fake news" if "fake news" in c["sentence"] else None
            start, end = _span(text, c["sentence"], figure, c.get("char_start"))
            claims.append(GoldClaim(c["id"], entry["file"], start, end, c["sentence"], data,
                                    counts_for_recall=c.get("priority") != "secondary"))
        articles.append((article, claims))
    return articles


def score_alerts(articles: list[tuple[Article, list[GoldClaim]]], gold: dict,
                 claim_of_gold: dict[str, str], policy: DecisionPolicy = DecisionPolicy()) -> dict:
    """Run the decisions over the corpus in the gold's processing order and compare per gold claim; also per
    story, from the same run (a story's quantities are decided among the whole corpus, as in production)."""
    stories = {a["id"]: (a["published"], i) for i, a in enumerate(gold["articles"])}
    ordered = sorted(articles, key=lambda pair: stories[pair[0].id])
    states: dict[str, QuantityState] = {}
    kind_of_claim: dict[str, str] = {}
    extracted: dict[str, Claim] = {}
    claims_of_article: dict[str, list[Claim]] = {}
    for article, _ in ordered:
        claims_of_article[article.id] = extract_claims(article)
        for claim in claims_of_article[article.id]:
            extracted[claim.claim_id] = claim
            state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
            decision = decide(state, claim, policy)
            states[claim.quantity_key] = decision.state
            for alert in decision.alerts:
                kind_of_claim[claim.claim_id] = _gold_kind(alert)
    ours = {row["claim_id"]: kind_of_claim.get(claim_of_gold.get(row["claim_id"], ""), "NONE")
            for row in gold["alerts"]}
    story_of_claim = {c["id"]: story_of(a) for a in gold["articles"] for c in a["claims"]}
    rows_of_story: dict[str, list[dict]] = defaultdict(list)
    for row in gold["alerts"]:
        rows_of_story[story_of_claim.get(row["claim_id"], "?")].append(row)
    result = _alert_agreement(gold["alerts"], ours)
    result["per_story"] = {story: _alert_agreement(rows, ours) for story, rows in sorted(rows_of_story.items())}
    result["identity"] = score_identity(gold, {g: extracted[c] for g, c in claim_of_gold.items() if c in extracted},
                                        policy)
    story_of_article = {a["id"]: story_of(a) for a in gold["articles"]}
    stories_in_order: dict[str, list[list[Claim]]] = defaultdict(list)
    for article, _ in ordered:
        stories_in_order[story_of_article.get(article.id, "?")].append(claims_of_article[article.id])
    result["order"] = score_order(stories_in_order, policy)
    result["order_independence"] = result["order"]["corpus"]
    for story, share in result["order"]["per_story"].items():
        result["per_story"].setdefault(story, {})["order_independence"] = share
    return result


ORDER_TRIALS = 8  # arrival orders tried per story


def _standing_alert_ids(articles: list[list[Claim]], policy: DecisionPolicy) -> set[str]:
    return set(standing(decide_in_arrival_order((claim for claims in articles for claim in claims), policy)))


def score_order(stories: dict[str, list[list[Claim]]], policy: DecisionPolicy, trials: int = ORDER_TRIALS,
                seed: int = 29) -> dict:
    """Order independence: the share of shuffled arrival orders of each story's articles after which a
    receiver applying amendments holds exactly the alerts of publication order (1.0: every one)."""
    rng = random.Random(seed)
    per_story = {}
    for story, articles in sorted(stories.items()):
        expected = _standing_alert_ids(articles, policy)
        same = 0
        for _ in range(trials):
            shuffled = rng.sample(articles, len(articles))
            same += _standing_alert_ids(shuffled, policy) == expected
        per_story[story] = same / trials
    return {"per_story": per_story, "corpus": sum(per_story.values()) / len(per_story) if per_story else None}


def _f1(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (
        0.0 if precision is not None and recall is not None else None)
    return {"identity_precision": precision, "identity_recall": recall, "identity_f1": f1}


def score_identity(gold: dict, predicted: dict[str, Claim], policy: DecisionPolicy = DecisionPolicy()) -> dict:
    """Pairwise same-quantity precision and recall: over every pair of matched gold claims, gold says 'same'
    when the quantity_keys are equal, we say 'same' when the alerter would compare the two claims. A pair
    counts for each story it touches, so merging two stories' figures costs both. Extraction misses are left
    out (they are scored above): this measures identity alone."""
    story_of_claim = {c["id"]: story_of(a) for a in gold["articles"] for c in a["claims"]}
    key_of_claim = {c["id"]: c["quantity_key"] for a in gold["articles"] for c in a["claims"]}
    ids = sorted(predicted, key=list(key_of_claim).index)
    counts: dict[str, Counter] = defaultdict(Counter)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            truth = key_of_claim[a] == key_of_claim[b] and story_of_claim[a] == story_of_claim[b]
            ours = same_quantity(predicted[a], predicted[b], policy)
            cell = "tp" if truth and ours else "fp" if ours else "fn" if truth else None
            if cell:
                for story in {story_of_claim[a], story_of_claim[b]}:
                    counts[story][cell] += 1
                counts["*"][cell] += 1
    per_story = {story: _f1(c["tp"], c["fp"], c["fn"]) for story, c in sorted(counts.items()) if story != "*"}
    return {"corpus": _f1(counts["*"]["tp"], counts["*"]["fp"], counts["*"]["fn"]), "per_story": per_story}


def _alert_agreement(rows: list[dict], ours: dict[str, str]) -> dict:
    agree = Counter()
    total = Counter()
    confusion = Counter()
    for row in rows:
        expected = row["alert"]
        total[expected] += 1
        agree[expected] += ours[row["claim_id"]] == expected
        confusion[(expected, ours[row["claim_id"]])] += 1
    tp = confusion[("CONTRADICTION", "CONTRADICTION")]
    predicted_contradictions = sum(v for (e, o), v in confusion.items() if o == "CONTRADICTION")
    precision = tp / predicted_contradictions if predicted_contradictions else 0.0
    recall = tp / total["CONTRADICTION"] if total["CONTRADICTION"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # F1 says nothing where neither gold nor we have a contradiction: left out of averages, not counted as 0
    f1_figure = f1 if total["CONTRADICTION"] or predicted_contradictions else None
    return {"agreement": sum(agree.values()) / sum(total.values()), "per_kind": {k: (agree[k], total[k]) for k in total},
            "contradiction": (precision, recall, f1), "contradiction_f1": f1_figure, "confusion": confusion}


def _gold_kind(alert: Alert) -> str:
    # a source correcting itself revises the figure; a withdrawal (amendments only) is no alert
    return {"new": "NEW", "update": "UPDATE", "contradiction": "CONTRADICTION", "denial": "CONTRADICTION",
            "retraction": "UPDATE", "withdrawn": "NONE"}[
        alert.kind.value]


def extraction_figures(score: Score) -> dict[str, float | None]:
    """Recall, precision and each field's accuracy; None where there is nothing to divide by."""
    figures = {"recall": score.recall if score.gold else None,
               "precision": score.precision if score.predicted else None}
    for name in FIELDS:
        n = score.compared[name]
        figures[name] = score.right[name] / n if n else None
    return figures


def alert_figures(alerts: dict) -> dict[str, float | None]:
    figures = {"agreement": alerts["agreement"], "contradiction_f1": alerts["contradiction_f1"]}
    if "order_independence" in alerts:
        figures["order_independence"] = alerts["order_independence"]
    return figures


def all_figures(corpus: Score, stories: dict[str, Score], alerts: dict,
                seeds: Score | None, money: dict | None = None,
                suite: dict | None = None) -> dict[str, float | None]:
    """The figures the floor can hold, by name ("extraction corpus measure"): the whole corpus, the mean over its
    stories, and the seeds (absent when their gold is)."""
    per_story_alerts = {story: alert_figures(result) for story, result in alerts["per_story"].items()}
    for story, figures in alerts.get("identity", {}).get("per_story", {}).items():
        per_story_alerts.setdefault(story, {}).update(figures)
    figures = {f"extraction corpus {k}": v for k, v in extraction_figures(corpus).items()}
    figures.update({f"extraction macro {k}": v
                    for k, v in macro({story: extraction_figures(s) for story, s in stories.items()}).items()})
    if seeds is not None:
        figures.update({f"extraction seeds {k}": v for k, v in extraction_figures(seeds).items()})
    figures.update({f"alerts corpus {k}": v for k, v in alert_figures(alerts).items()})
    figures.update({f"alerts corpus {k}": v for k, v in alerts.get("identity", {}).get("corpus", {}).items()})
    figures.update({f"alerts macro {k}": v for k, v in macro(per_story_alerts).items()})
    figures.update({f"money corpus {k}": v for k, v in (money or {}).items() if k != "claims"})
    figures.update({f"suite {k}": v for k, v in (suite or {}).items()})
    return figures


def macro(per_story: dict[str, dict[str, float | None]]) -> dict[str, float | None]:
    """The mean over stories of each figure, so a small story counts as much as a big one."""
    names = dict.fromkeys(name for figures in per_story.values() for name in figures)
    averages = {}
    for name in names:
        values = [figures[name] for figures in per_story.values() if figures.get(name) is not None]
        averages[name] = sum(values) / len(values) if values else None
    return averages


def round_down(value: float, places: int = 2) -> float:
    """Rounded towards zero, as floors are set (the epsilon keeps 0.57 from reading as 0.5699...)."""
    scale = 10 ** places
    return math.floor(value * scale + 1e-9) / scale


def check_floor(figures: dict[str, float | None], floor: dict[str, float]) -> list[str]:
    """One line per figure below its floor, or missing: pure, so CI's verdict is testable without a corpus."""
    failures = []
    for name, minimum in floor.items():
        value = figures.get(name)
        if name not in figures:
            failures.append(f"{name} is not a figure eval reports (floor {minimum:.2f}): is its input missing, "
                            "or its name misspelt in the floor file?")
        elif value is None:
            failures.append(f"{name} had nothing to measure (floor {minimum:.2f})")
        elif value < minimum:
            failures.append(f"{name} {round_down(value, 3):.3f} < floor {minimum:.2f}")
    return failures


def load_floor(path: Path) -> dict[str, float]:
    """The floor file: {"figure name": minimum, ...}, one figure a line."""
    try:
        floor = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SystemExit(f"eval: cannot read the floor file {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise SystemExit(f"eval: the floor file {path} is not valid JSON: {exc}") from None
    if not isinstance(floor, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                              for v in floor.values()):
        raise SystemExit(f"eval: the floor file {path} must map figure names to numbers")
    return floor


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def stories_table(per_story: dict[str, dict[str, float | None]], names: tuple[str, ...]) -> str:
    lines = ["| story | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for story, figures in [*per_story.items(), ("macro average", macro(per_story))]:
        lines.append(f"| {story} | " + " | ".join(_cell(figures.get(name)) for name in names) + " |")
    return "\n".join(lines)


def report_stories(title: str, per_story: dict[str, dict[str, float | None]], names: tuple[str, ...]) -> str:
    table = stories_table(per_story, names)
    print(f"\n## {title}")
    print(table)
    return table


def report(title: str, score: Score, misses: int) -> None:
    print(f"\n## {title}")
    print(f"claims: recall {score.recall:.3f} ({score.matched}/{score.gold}), "
          f"precision {score.precision:.3f} ({score.matched}/{score.predicted})")
    print("| field | accuracy | right/compared |")
    print("|---|---|---|")
    for name in FIELDS:
        n = score.compared[name]
        print(f"| {name} | {score.right[name] / n if n else 0:.3f} | {score.right[name]}/{n} |")
    if misses:
        for label, rows in (("missed", score.misses), ("false positives", score.false_positives)):
            if rows:
                print(f"{label} ({len(rows)}):")
                for row in rows[:misses]:
                    print(f"  - {row}")
        for name in FIELDS:
            if score.wrong[name]:
                print(f"wrong {name} ({len(score.wrong[name])}):")
                for row in score.wrong[name][:misses]:
                    print(f"  - {row}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="claimwatch-eval", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--corpus", type=Path, help="a corpus folder (default SHARED/corpus)")
    parser.add_argument("--misses", type=int, default=15, help="how many misses and wrong fields to list")
    parser.add_argument("--floor", type=Path, help="a floor file (quality_floor.json): exit 1 naming every figure "
                                                   "of the development corpus and the seeds below its floor")
    parser.add_argument("--write-doc", type=Path, metavar="PAGE",
                        help="write the per-story tables into PAGE's generated blocks (make eval: docs/evaluation.md)")
    parser.add_argument("--no-link-events", dest="link_events", action="store_false",
                        help="compare every figure under one quantity_key, linked events or not (the old identity)")
    args = parser.parse_args(argv)
    if args.floor and args.corpus:
        print("eval: --floor is for the development corpus (SHARED/corpus); drop --corpus", file=sys.stderr)
        return 2
    floor = load_floor(args.floor) if args.floor else None
    corpus = args.corpus or args.shared / "corpus"
    if not (corpus / "gold.json").is_file():
        print(f"eval: no gold.json in {corpus}" + (": the quality floor cannot be checked" if floor else ""),
              file=sys.stderr)
        return 2
    articles, gold = load_corpus(corpus)
    score, claim_of_gold = score_articles(articles)
    report(f"extraction, {corpus.name} ({len(articles)} articles)", score, args.misses)
    stories = by_story(articles, gold)
    story_scores = {story: score_articles(group)[0] for story, group in stories.items()}
    doc_blocks = {}
    doc_blocks["eval:extraction"] = report_stories(f"extraction per story, {corpus.name} ({len(stories)} stories)",
                   {story: extraction_figures(s) for story, s in story_scores.items()},
                   ("recall", "precision", *FIELDS))
    alerts = score_alerts(articles, gold, claim_of_gold, DecisionPolicy(link_events=args.link_events))
    print(f"\n## alert decisions, {corpus.name} (dry-run vs gold alerts)")
    print(f"overall agreement {alerts['agreement']:.3f}")
    for kind, (right, total) in sorted(alerts["per_kind"].items()):
        print(f"  {kind:13} {right}/{total}")
    p, r, f1 = alerts["contradiction"]
    print(f"contradiction precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    identity = alerts["identity"]
    pairs = ", ".join(f"{k.split('_')[1]} {_cell(v)}" for k, v in identity["corpus"].items())
    print("same-quantity pairs (matched claims): " + pairs)
    print(f"order independence ({ORDER_TRIALS} shuffled arrival orders per story, amendments applied): "
          + ", ".join(f"{story} {share:.2f}" for story, share in alerts["order"]["per_story"].items()))
    doc_blocks["eval:decisions"] = report_stories(f"alert decisions and quantity identity per story, {corpus.name}",
                   {story: {**alert_figures(result), **identity["per_story"].get(story, {})}
                    for story, result in alerts["per_story"].items()},
                   ("agreement", "contradiction_f1", "identity_precision", "identity_recall", "identity_f1",
                    "order_independence"))
    money = score_money(articles)
    money_line = (f"money claims of {corpus.name} ({money['claims']}): value, currency and measure all right "
                  f"{_cell(money['all'])}; value {_cell(money['value'])}, currency {_cell(money['currency'])}, "
                  f"measure {_cell(money['measure'])}")
    print(f"\n## {money_line}")
    from tools import quantity_suite  # it scores with this module's matching
    suite_score = quantity_suite.score(quantity_suite.load())
    suite_line = quantity_suite.report(suite_score, args.misses)
    doc_blocks["eval:suite"] = f"{money_line}.\n\nQuantity suite ({suite_score.gold} figures): {suite_line}."
    seed_gold = args.shared / "gold" / "seed_claims.json"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    seed_score = None
    if seed_gold.is_file():
        seed_score, _ = score_articles(load_seeds(seeds, seed_gold))
        report("extraction, seeds (primary claims; secondary ones optional)", seed_score, args.misses)
    elif floor is not None:
        print(f"eval: no seed gold at {seed_gold}: the seed figures cannot be checked", file=sys.stderr)
    if args.write_doc:
        totals = (f"Over the whole corpus: claims recall {score.recall:.3f}, precision {score.precision:.3f}; decision "
                  f"agreement {alerts['agreement']:.3f}; contradiction precision {p:.3f}, recall {r:.3f}, F1 {f1:.3f}; "
                  f"same-quantity pairs {pairs}.")
        if seed_score is not None:
            totals += (f" On the seeds: recall {seed_score.recall:.3f}, precision {seed_score.precision:.3f}; "
                       + ", ".join(f"{name} {seed_score.right[name] / seed_score.compared[name]:.3f}"
                                   for name in FIELDS if seed_score.compared[name]) + ".")
        doc_blocks["eval:totals"] = totals
        write_doc(args.write_doc, doc_blocks)
    if floor is None:
        return 0
    return report_floor(args.floor, all_figures(score, story_scores, alerts, seed_score, money,
                                                suite_score.figures()), floor)


def write_doc(page: Path, blocks: dict[str, str]) -> None:
    from tools.doc_blocks import write_block

    missing = [name for name, text in blocks.items() if not write_block(page, name, text)]
    if missing:
        print(f"eval: {page} has no block {', '.join(missing)}: not written there", file=sys.stderr)
    else:
        print(f"\nwrote the tables into {page}")


def report_floor(path: Path, figures: dict[str, float | None], floor: dict[str, float]) -> int:
    print(f"\n## quality floor ({path.name}, {len(floor)} figures)")
    failures = check_floor(figures, floor)
    # a figure whose rounded-down value is above its floor: the floor may be raised to it
    raisable = [f"{name} {round_down(figures[name]):.2f} (floor {minimum:.2f})" for name, minimum in floor.items()
                if figures.get(name) is not None and round_down(figures[name]) > minimum]
    for line in raisable:
        print(f"  may be raised: {line}")
    if failures:
        for line in failures:
            print(f"eval: {line}", file=sys.stderr)
        print(f"eval: quality floor failed: {len(failures)} of {len(floor)} figures below their floor or not "
              f"measured ({path})", file=sys.stderr)
        return 1
    print(f"all {len(floor)} figures at or above their floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
