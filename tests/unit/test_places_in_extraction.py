"""Places in extracted claims come from the gazetteer (GeoNames and ISO 3166), not from a hand list.

Every sentence here is written for these tests. The gazetteer index is built into the cache on first use."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from schemas.models import Article, Claim, ClaimPlace
from services.extractor.extraction.attribution import persons_in
from services.extractor.extraction.extract import extract_claims

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "json" / "Claim.schema.json"


def _claims(text: str) -> list[Claim]:
    article = Article(id="places-test", text=text, published_at=datetime(2024, 5, 6, 9, tzinfo=timezone.utc))
    return extract_claims(article)


def _claim(text: str, figure: str) -> Claim:
    found = [c for c in _claims(text) if c.figure_text == figure]
    assert len(found) == 1, [c.figure_text for c in _claims(text)]
    return found[0]


# --- places the hand list did not know, on several continents ---------------------------------------------

@pytest.mark.parametrize(("text", "figure", "location", "kind", "country", "region"), [
    # a Brazilian state
    ("Floods in Minas Gerais have killed 42 people, the state civil defence agency said.", "42",
     "Minas Gerais", "region", "BR", "BR-MG"),
    # a Chilean city
    ("At least 12 people were injured in Temuco after the gale.", "At least 12", "Temuco", "city", "CL", None),
    # a Sudanese state
    ("Aid workers said 35 people died in North Kordofan last week.", "35", "North Kordofan", "region", "SD",
     "SD-KN"),
    # a Congolese city
    ("Health officials in Kananga counted 61 deaths from cholera.", "61", "Kananga", "city", "CD", None),
    ("About 9,000 people marched in Lyon on Thursday.", "About 9,000", "Lyon", "city", "FR", None),
    ("The landslide in Nepal killed 27 villagers.", "27", "Nepal", "country", "NP", None),
])
def test_places_on_several_continents_resolve_with_their_chain(text, figure, location, kind, country, region):
    claim = _claim(text, figure)
    assert claim.location == location
    assert claim.place is not None
    assert (claim.place.kind, claim.place.country_code) == (kind, country)
    if region:
        assert claim.place.region_code == region and claim.place.region_name == location
    if kind == "city":
        assert claim.place.geonames_id and claim.place.region_code  # a GeoNames place, with its first-level region


def test_the_quantity_key_takes_the_resolved_country():
    assert _claim("Floods in Minas Gerais have killed 42 people.", "42").quantity_key.endswith(".killed.brazil")
    assert _claim("Mudslides near Kananga killed 17 people.", "17").quantity_key.endswith(
        ".killed.democratic_republic_of_the_congo")


def test_a_town_is_read_in_the_region_the_text_names():
    """Kula is a town in Hawaii and a larger one in Turkey: the text's own region decides."""
    claim = _claim("Storms killed 8 people in Kula, Hawaii, and 3 more in Lahaina.", "8")
    assert (claim.place.country_code, claim.place.region_code) == ("US", "US-HI")
    assert claim.quantity_key.endswith(".united_states")


# --- unknown places stay unknown ------------------------------------------------------------------------------

def test_an_unknown_place_keeps_its_text_and_resolves_to_nothing():
    claim = _claim("Rescuers said 14 people were killed in Zelbrook Vale.", "14")
    assert claim.location == "Zelbrook Vale"
    assert claim.place is None
    assert claim.quantity_key.endswith(".killed.any")  # no country is guessed for it


def test_a_common_word_after_in_is_no_unknown_place():
    claim = _claim("Some 230 people were arrested in January, the ministry said.", "Some 230")
    assert claim.location is None and claim.place is None


# --- people are not places ------------------------------------------------------------------------------------

def test_a_person_whose_surname_is_a_town_is_not_a_place():
    text = ("Across the United States, 70 people were arrested, said Maria Jackson, a police spokeswoman. "
            "Jackson said 9 officers were hurt.")
    claim = _claim(text, "9")
    assert claim.location is None and claim.place is None  # not Jackson, Mississippi
    assert claim.source == "Maria Jackson"


def test_a_name_after_a_title_is_not_a_town():
    claim = _claim("Minister Wagner said 20 people were injured.", "20")
    assert claim.location is None and claim.source == "Minister Wagner"


@pytest.mark.parametrize("text, described", [
    ("The governor of Blue Nile State toured the clinics on Tuesday. \"At least 25 people have died,\" he said.",
     "governor of Blue Nile State"),  # credited to the governor: tests/unit/test_pronoun_roles.py
    ("The mayor of Rio Branco toured the shelters on Sunday. \"We counted 300 families without homes,\" he said.",
     "mayor of Rio Branco"),
])
def test_a_pronoun_is_never_resolved_to_a_region_or_a_city(text, described):
    assert persons_in(text) == []
    (claim,) = _claims(text)
    # the person the title describes, or no one when the quote's own "we" leaves it open; never the place
    assert claim.source in (described, None) and claim.source != described.split(" of ")[-1]


# --- adjectives -----------------------------------------------------------------------------------------------

def test_a_nationality_before_soil_or_territory_after_a_preposition_is_a_place():
    claim = _claim("Officials said 9 people were killed on Turkish soil.", "9")
    assert claim.location == "Turkish soil" and claim.place.country_code == "TR"
    claim = _claim("Scouts said 40 soldiers had crossed into Polish territory.", "40")
    assert claim.location == "Polish territory" and claim.place.country_code == "PL"


def test_an_abbreviated_country_before_a_noun_is_an_adjective():
    claim = _claim("U.S. officials said 30 people were killed in the blast.", "30")
    assert claim.location is None and claim.place is None


# --- the contract ---------------------------------------------------------------------------------------------

def test_the_claim_schema_documents_the_place():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    place = schema["$defs"]["ClaimPlace"]
    assert set(place["required"]) == {"name", "kind", "country_code", "country_name"}
    assert set(place["properties"]) == {"name", "kind", "geonames_id", "country_code", "country_name",
                                        "region_code", "region_name"}
    assert "unknown" in schema["properties"]["place"]["description"]
    round_trip = Claim.model_validate_json(_claim("About 9,000 people marched in Lyon.", "About 9,000")
                                           .model_dump_json())
    assert isinstance(round_trip.place, ClaimPlace) and round_trip.place.name == "Lyon"


# --- reading names in running text (the gazetteer's find_places) ----------------------------------------------

def _names(text: str) -> list[str]:
    from services.extractor.extraction.gazetteer import get_gazetteer
    return [text[s:e] for s, e, _ in get_gazetteer().find_places(text)]


def test_a_hyphenated_adjective_before_a_place_does_not_hide_it():
    assert _names("Aid reached Hindu-majority Nepal on Friday.") == ["Nepal"]
    assert _names("Observers praised Muslim-majority Senegal.") == ["Senegal"]


def test_a_small_town_needs_a_preposition_a_place_noun_or_a_neighbour():
    assert _names("Wagner fighters held the line.") == []  # a small town in Brazil, and a surname
    assert _names("Shelling hit the town of Kula again.") == ["Kula"]
    assert _names("Buses carried families from Agen and Paris.") == ["Agen", "Paris"]


def test_a_word_the_text_uses_as_a_persons_name_is_no_town():
    text = "Across France, nurse Ana Lyon said, clinics were full. Lyon said more staff were needed."
    assert _names(text) == ["France"]
    assert _names("Across France, clinics were full. Lyon said more staff were needed.") == ["France", "Lyon"]


def test_a_capital_outranks_the_region_of_its_name():
    from services.extractor.extraction.gazetteer import get_gazetteer
    washington = get_gazetteer().resolve("Washington")
    assert (washington.kind, washington.region_code) == ("city", "US-DC")  # not the state
    seoul = get_gazetteer().resolve("Seoul")
    assert (seoul.kind, seoul.country_code) == ("city", "KR")
    assert get_gazetteer().resolve("São Paulo").kind == "region"  # no capital: the state, as before
    claim = _claim("Marchers filled the streets, and 1,200 were counted on Washington's main avenue.", "1,200")
    assert claim.place is not None and claim.place.region_code == "US-DC"


def test_a_persons_home_town_is_not_where_the_event_is():
    text = ("Floods swept through the valley on Sunday, and at least 31 people died. A hydrologist from Oslo said "
            "the river rose faster than any model had predicted.")
    assert _claim(text, "at least 31").quantity.event.place is None
    chile = ("At least 131 people have died in the wildfires in Chile. An economist from Lima said the damage "
             "was the worst in a decade.")
    assert _claim(chile, "At least 131").quantity.event.place.country_code == "CL"
    # the same place where it tells where something happened still counts
    assert _claim("At least 40 people died in Oslo, a doctor said.", "At least 40").place.country_code == "NO"
