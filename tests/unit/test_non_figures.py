"""Numbers that name rather than count are not figures (issue 16): model and version names, codes, clock times,
phone numbers, numbers inside names. Counts next to them still are."""
import pytest

from services.extractor.extraction import parse
from tests.helpers import claims_of
from tests.unit.parse_helpers import needs_model


def figures(text):
    return [c.figure_text for c in claims_of(text)]


@pytest.mark.parametrize("text, kept", [
    # a proper name right before a bare number: a model, a product or a series
    ("Volunteers filmed the flood on an iPhone 14 from the bridge.", []),
    ("An Airbus 380 landed with 90 nurses on board.", ["90"]),
    ("A Boeing 787 flew 200 tents to the island.", ["200"]),
    ("Officials updated Windows 11 on the shelter laptops.", []),
    ("The crew of Apollo 13 returned safely.", []),
    ("Crowds cheered as Falcon 9 lifted off with supplies.", []),
    ("The crew of Soyuz 11 were honoured.", []),
    # a decade or an age written with "s"
    ("Music of the 1970s played as 200 people danced.", ["200"]),
    ("Songs from the ’80s were played at the vigil.", []),
    ("Volunteers in their 60s and 70s joined 300 people at the rally.", ["300"]),
    ("A woman in her 40s was rescued from the roof.", []),
    # codes
    ("Homes in zip code 33139 lost power first.", []),
    ("Residents of postcode 2000 were told to leave.", []),
    ("The convoy drove along route 66 toward the camp.", []),
    ("The missing flight 370 was never found.", []),
    ("Passengers waited at gate 23 for hours.", []),
    ("The patient was moved to room 412 overnight.", []),
    # clock times
    ("The tremor was felt at 04:35 in the capital.", []),
    ("The first wave arrived at 2230 GMT.", []),
    ("Shelters opened at 9 pm for 300 families.", ["300"]),
    # phone numbers
    ("Relatives can call the hotline 1800 for news.", []),
    ("Callers should dial 999 in an emergency.", []),
    ("The helpdesk number is 0800 555 0199 for families.", []),
    ("Families can ring (212) 555 0100 for help.", []),
    # scores and votes: the larger number first
    ("The home side won 4 to 2 before a quiet crowd.", []),
    ("The committee voted 9 to 3 to close the shelter.", []),
    # versions and addresses
    ("The app moved to release 2.4.1 after the outage.", []),
    ("The server at 10.0.0.1 went down.", []),
])
def test_numbers_that_name_are_not_figures(text, kept):
    assert figures(text) == kept


@pytest.mark.parametrize("text, figure", [
    # a count after a capitalised name is still a count when it counts the noun after it
    ("The Taliban 300 fighters were surrounded, a commander said.", "300"),
    # a place or a time after a preposition is not a model name
    ("In Lahore 120 people were treated for heatstroke.", "120"),
    ("On Friday 45 people were rescued from the rubble.", "45"),
    # a capitalised first word of the sentence or after a quote is not a name
    ("More than 70 homes were flattened.", "More than 70"),
    ("“Nearly 60 villages are cut off,” the governor said.", "Nearly 60"),
    ("Police said 18 people were arrested at the march.", "18"),
    # an upward range and a change are not scores
    ("Officials said 8 to 12 people were missing.", "8 to 12"),
])
def test_counts_beside_names_are_kept(text, figure):
    assert any(found.endswith(figure) for found in figures(text))  # a quote before it may open the span


@needs_model
@pytest.mark.parametrize("text, name, label", [
    ("Engineers shipped the Falcon 9 to the coast with 40 tonnes of aid.", "Falcon 9", "PRODUCT"),
    ("Traffic stopped on Bridge 7 near the camp for 300 families.", "Bridge 7", "FAC"),
])
def test_a_number_inside_a_named_product_or_building_is_no_figure(text, name, label):
    doc = parse.nlp()(text)
    start = text.index(name)
    named = doc.char_span(start, start + len(name), label=label, alignment_mode="expand")
    doc.ents = [e for e in doc.ents if e.end <= named.start or e.start >= named.end] + [named]
    number = next(t for t in named if t.like_num)
    assert parse._non_claim(doc[number.i:number.i + 1], number) == "name"
    count = next(t for t in doc if t.like_num and t.i >= named.end)
    assert parse._non_claim(doc[count.i:count.i + 1], count) != "name"


@pytest.mark.parametrize("text, lower, upper", [
    ("Officials said the death toll was in the 90s.", 90, 99),
    ("By then the number of missing climbers was in the 20s.", 20, 29),
])
def test_a_figure_in_the_nineties_is_the_range_from_90_to_99(text, lower, upper):
    (claim,) = claims_of(text)
    assert (claim.lower, claim.upper, claim.qualifier.value) == (lower, upper, "range")


@pytest.mark.parametrize("text", [
    "Dozens of people may be trapped under each of the collapsed blocks.",
    "Some 300 homes were destroyed in each of the two valleys.",
])
def test_a_count_per_unit_is_not_a_tally(text):
    assert not claims_of(text)


@pytest.mark.parametrize("text, value", [
    ("Each of the 12 victims was named by the police.", 12),
    ("At least 40 people died in the fire, officials said.", 40),
])
def test_a_tally_beside_each_is_kept(text, value):
    assert [c.value for c in claims_of(text)] == [value]


@pytest.mark.parametrize("text", [
    "She was named one of the 50 most powerful women in business.",
    "The port is among the 20 busiest in the world.",
    "The top 10 exporters lobbied the ministry.",
])
def test_the_size_of_a_ranking_is_no_figure(text):
    assert not claims_of(text)


def test_the_most_vulnerable_families_are_still_counted():
    assert [c.value for c in claims_of("The 300 most vulnerable families received food parcels on Monday.")] == [300]
