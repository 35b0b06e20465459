"""The quality floor CI holds `make eval` to: pure logic on figures made up here (no corpus is read)."""
import json
from collections import Counter

import pytest

from tools.evaluation import FIELDS, Score, all_figures, check_floor, macro, round_down
from tests.conftest import ROOT


def test_a_figure_below_its_floor_fails_naming_it_and_both_values():
    failures = check_floor({"extraction corpus measure": 0.6128, "extraction corpus value": 0.99},
                           {"extraction corpus measure": 0.64, "extraction corpus value": 0.95})
    assert failures == ["extraction corpus measure 0.612 < floor 0.64"]


def test_a_figure_equal_to_its_floor_passes():
    assert check_floor({"alerts corpus agreement": 0.57}, {"alerts corpus agreement": 0.57}) == []
    assert check_floor({"alerts corpus agreement": 57 / 100}, {"alerts corpus agreement": 0.57}) == []


def test_every_figure_below_its_floor_is_named_not_only_the_first():
    failures = check_floor({"a": 0.1, "b": 0.2, "c": 0.9}, {"a": 0.5, "b": 0.5, "c": 0.5})
    assert [line.split()[0] for line in failures] == ["a", "b"]


def test_a_missing_figure_fails_rather_than_passing_unchecked():
    # e.g. the seed gold was not there, or the floor file misspells a name
    [failure] = check_floor({"extraction corpus recall": 0.98}, {"extraction corpus recall": 0.97,
                                                                  "extraction seeds recall": 1.0})
    assert failure.startswith("extraction seeds recall is not a figure eval reports (floor 1.00)")


def test_a_figure_with_nothing_to_measure_fails():
    [failure] = check_floor({"alerts macro contradiction_f1": None}, {"alerts macro contradiction_f1": 0.5})
    assert failure == "alerts macro contradiction_f1 had nothing to measure (floor 0.50)"


def test_figures_without_a_floor_are_not_checked():
    assert check_floor({"extraction corpus as_of": 0.01}, {}) == []


def test_floors_are_rounded_down_so_todays_figure_passes():
    assert round_down(0.6452) == 0.64 and round_down(0.57) == 0.57 and round_down(0.999) == 0.99
    assert check_floor({"x": 0.6452}, {"x": round_down(0.6452)}) == []


def test_the_macro_average_weighs_stories_equally_and_skips_what_a_story_cannot_measure():
    averages = macro({"big": {"recall": 1.0, "contradiction_f1": 0.2},
                      "small": {"recall": 0.5, "contradiction_f1": None}})
    assert averages == {"recall": 0.75, "contradiction_f1": 0.2}


def _score(right: int, compared: int) -> Score:
    """`compared` of 10 gold claims found among 20 predicted; `right` of them right in every field."""
    return Score(gold=10, predicted=20, matched=compared,
                 right=Counter({name: right for name in FIELDS}), compared=Counter({name: compared for name in FIELDS}))


def test_every_floor_in_the_floor_file_names_a_figure_eval_reports():
    alerts = {"agreement": 0.6, "contradiction_f1": 0.4, "order_independence": 1.0,
              "per_story": {"flood": {"agreement": 0.5, "contradiction_f1": 0.3, "order_independence": 0.75}}}
    money = {"all": 0.5, "value": 1.0, "currency": 1.0, "measure": 0.5, "claims": 2}
    suite = {"value_recall": 0.9, "value_qualifier": 0.8, "precision": 0.95, "currency": 1.0}
    figures = all_figures(_score(3, 4), {"flood": _score(1, 2)}, alerts, seeds=_score(2, 2), money=money, suite=suite)
    floor = json.loads((ROOT / "quality_floor.json").read_text(encoding="utf-8"))
    assert floor and set(floor) == set(figures)  # a floor for every figure, and no floor for a figure not made
    assert figures["money corpus all"] == 0.5 and "money corpus claims" not in figures
    assert figures["suite value_qualifier"] == 0.8
    assert (figures["extraction corpus recall"], figures["extraction corpus precision"]) == (0.4, 0.2)
    assert figures["extraction macro measure"] == 0.5 and figures["extraction seeds as_of"] == 1.0
    assert figures["alerts macro contradiction_f1"] == 0.3 and figures["alerts macro order_independence"] == 0.75


@pytest.mark.parametrize("name", ["extraction seeds recall", "extraction seeds as_of"])
def test_without_the_seed_gold_the_seed_figures_are_missing_so_the_floor_fails(name):
    alerts = {"agreement": 0.6, "contradiction_f1": 0.4, "per_story": {}}
    figures = all_figures(_score(3, 4), {}, alerts, seeds=None)
    assert name not in figures
    assert check_floor(figures, {name: 0.5})


def test_the_floor_file_holds_two_decimal_minimums_between_0_and_1():
    floor = json.loads((ROOT / "quality_floor.json").read_text(encoding="utf-8"))
    assert floor and all(0 < value <= 1 and round(value, 2) == value for value in floor.values()), floor


def test_the_floor_tables_in_the_evaluation_page_are_the_floor_file():
    """docs/evaluation.md shows the floors CI holds; a floor raised in the file and not there would mislead."""
    page = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    floor = json.loads((ROOT / "quality_floor.json").read_text(encoding="utf-8"))
    fields = ("recall", "precision", "value", "bounds", "qualifier", "entity", "measure", "source", "modality",
              "as_of")
    rows = {"extraction, corpus": "extraction corpus", "extraction, macro over stories": "extraction macro",
            "extraction, seeds": "extraction seeds"}
    for label, prefix in rows.items():
        expected = f"| {label} | " + " | ".join(f"{floor[f'{prefix} {f}']:.2f}" for f in fields) + " |"
        assert expected in page, expected
    for label, prefix in (("corpus", "alerts corpus"), ("macro over stories", "alerts macro")):
        expected = (f"| {label} | {floor[prefix + ' agreement']:.2f} | {floor[prefix + ' contradiction_f1']:.2f} | "
                    f"{floor[prefix + ' order_independence']:.2f} |")
        assert expected in page, expected
