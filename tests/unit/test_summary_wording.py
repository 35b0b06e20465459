"""Summaries read as English: the verb agrees with its source, and the figure names what was counted."""
import pytest

from schemas.models import AlertKind
from services.alerter import wording
from services.alerter.decisions import summarise
from tests.helpers import make_claim


@pytest.mark.parametrize("source", ["Police", "police", "organisers", "Organizers", "the city's officials",
                                    "Rescuers at the quarry", "local residents", "Intelligence sources",
                                    "Medical staff"])
def test_plural_and_collective_sources_say(source):
    assert wording.verb(source, "says", "say") == "say"


@pytest.mark.parametrize("source", ["Reuters", "the ministry", "U.S.", "Pentagon", "Doctors Without Borders",
                                    "the port's harbour master, Lina Moss", "Jones", "the news agency",
                                    "The Daily Times", None, "the governor of the provinces"])
def test_singular_sources_and_names_say_says(source):
    assert wording.verb(source, "says", "say") == "says"


def test_a_bare_count_is_not_written_as_count():
    claim = make_claim(12, 12, None, source="Police").model_copy(update={"measure": "count", "entity": None,
                                                                         "figure_text": "at least 12"})
    assert summarise(AlertKind.new, claim, []) == "New: Police say at least 12 on 01 Oct 2024"


def test_the_figure_names_what_was_counted():
    assert wording.figure_phrase("six", "passengers", "injured") == "six passengers injured"
    assert wording.figure_phrase("40", None, "killed") == "40 killed"
    assert wording.figure_phrase("300", "people", "people_without_power") == "300 people without power"
    assert wording.figure_phrase("9", "boats", "count_boats") == "9 boats"


def test_denials_agree_too():
    claim = make_claim(None, source="Organisers").model_copy(update={"figure_text": "false reports"})
    assert summarise(AlertKind.denial, claim, [make_claim(5)]).startswith(
        "Denial: Organisers deny the figures (false reports)")


def test_a_broken_words_file_stops_with_one_line(tmp_path):
    from services.common.errors import ConfigError
    bad = tmp_path / "words.json"
    bad.write_text('{"plural_heads": {"entries": ["Police"]}, "singular_s_heads": {"entries": []},'
                   ' "measure_words": {"entries": {}}}')
    with pytest.raises(ConfigError) as caught:
        wording._load(bad)
    assert "\n" not in str(caught.value) and "lower-case" in str(caught.value)
