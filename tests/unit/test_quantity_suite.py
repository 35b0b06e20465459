"""The quantity suite's scorer (tools/quantity_suite.py): what it counts as found, missed and not a figure."""
import json

import pytest

from tools import quantity_suite
from tests.unit.parse_helpers import needs_model


def _rows(*rows):
    return [{"text": text, "figures": figures} for text, figures in rows]


def test_a_figure_outside_its_sentence_is_refused(tmp_path):
    path = tmp_path / "suite.jsonl"
    path.write_text(json.dumps({"text": "Police counted 400 marchers.", "figures": [["4,000", 4000, 4000, 4000,
                                                                                       "exact", None]]}) + "\n")
    with pytest.raises(ValueError, match="line 1"):
        quantity_suite.load(path)


@needs_model
def test_found_missed_and_false_figures_are_counted_apart():
    result = quantity_suite.score(_rows(
        ("Floods forced 3,000 people from their homes.", [["3,000", 3000, 3000, 3000, "exact", None]]),
        # annotated with the wrong value on purpose: found, but not right
        ("About 500 workers went on strike.", [["About 500", 600, 540, 660, "approximate", None]]),
        # an annotation of a number that is no figure: missed
        ("The quake struck at 17:22 local time.", [["17:22", 17, 17, 17, "exact", None]]),
        # nothing annotated, but a figure is there: emitted and not a quantity of the suite
        ("Rescuers evacuated 900 residents.", []),
    ))
    assert (result.gold, result.matched, result.value_right) == (3, 2, 1)
    assert result.emitted == 3 and len(result.false_figures) == 1 and len(result.misses) == 1
    figures = result.figures()
    assert figures["value_recall"] == pytest.approx(1 / 3) and figures["precision"] == pytest.approx(2 / 3)


@needs_model
def test_money_is_scored_by_its_currency_code():
    result = quantity_suite.score(_rows(
        ("The city pledged €12 million for repairs.", [["€12 million", 12e6, 12e6, 12e6, "exact", "EUR"]]),
        ("The city pledged $12 million for repairs.", [["$12 million", 12e6, 12e6, 12e6, "exact", "CAD"]]),
    ))
    assert (result.currency_compared, result.currency_right) == (2, 1)


def test_the_suite_in_the_project_loads_and_holds_sentences_without_figures():
    rows = quantity_suite.load()
    assert len(rows) >= 100
    assert sum(not row["figures"] for row in rows) >= 20


def test_a_figure_is_found_whole_not_inside_a_longer_number():
    text = "The militants hold at least 130 hostages, including 30 children."
    assert quantity_suite.figure_span(text, "30") == (text.index(" 30 ") + 1, text.index(" 30 ") + 3)
    assert quantity_suite.figure_span(text, "13") is None
