"""The gazetteer: places from GeoNames and ISO 3166, resolved with their containment chain.

Sentences here are written for these tests. The index is built once into the cache on first use
(or read from CLAIMWATCH_GAZETTEER_DB)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from services.extractor.extraction import gazetteer as gz
from services.extractor.extraction.gazetteer import Link, Place


@pytest.fixture(scope="module")
def g() -> gz.Gazetteer:
    return gz.get_gazetteer()


def _region(place: Place) -> tuple[str | None, str | None]:
    return place.region_code, place.region_name


def _first_city(g: gz.Gazetteer, name: str, hint=None) -> Place:
    return next(p for p in g.lookup(name, hint) if p.kind == "city")


# --- places on several continents -------------------------------------------------------------------------

def test_brazilian_state_and_a_city_in_it(g):
    state = g.resolve("São Paulo")
    assert (state.kind, state.code, state.country_code) == ("region", "BR-SP", "BR")
    city = _first_city(g, "São Paulo")
    assert _region(city) == ("BR-SP", "São Paulo") and city.population > 10_000_000
    assert g.resolve("Recife").region_code == "BR-PE"
    assert g.resolve("Salvador", ["BR"]).region_code == "BR-BA"


def test_chilean_region_and_its_city(g):
    assert g.resolve("Biobío").code == "CL-BI"
    city = _first_city(g, "Valparaíso")
    assert (city.country_code, city.region_code, city.region_name) == ("CL", "CL-VS", "Valparaíso")


def test_countries_morocco_and_nepal(g):
    for name, code in (("Morocco", "MA"), ("Nepal", "NP"), ("Ivory Coast", "CI"), ("Burma", "MM"),
                       ("South Korea", "KR"), ("Democratic Republic of the Congo", "CD")):
        place = g.resolve(name)
        assert (place.kind, place.country_code) == ("country", code), name
    assert g.resolve("Rabat").region_code == "MA-04"
    kathmandu = g.resolve("Kathmandu")
    assert (kathmandu.kind, kathmandu.country_code) == ("city", "NP")


def test_paris_and_berlin_with_their_countries(g):
    paris = g.resolve("Paris")
    assert (paris.kind, paris.country_code, paris.country_name) == ("city", "FR", "France")
    berlin = g.resolve("Berlin")
    assert berlin.country_code == "DE"
    assert _first_city(g, "Berlin").region_code == "DE-BE"


def test_sudanese_and_south_sudanese_states(g):
    kordofan = g.resolve("North Kordofan")
    assert (kordofan.kind, kordofan.code, kordofan.country_name) == ("region", "SD-KN", "Sudan")
    assert g.resolve("Upper Nile").code == "SS-NU"
    assert g.resolve("El Obeid").country_code == "SD"


def test_congolese_city(g):
    goma = g.resolve("Goma")
    assert (goma.kind, goma.country_code) == ("city", "CD")
    assert goma.geonames_id and goma.population > 100_000


def test_japanese_prefecture_and_its_capital(g):
    assert g.resolve("Hokkaido").code == "JP-01"
    assert g.resolve("Fukushima").code == "JP-07"
    assert _first_city(g, "Fukushima").region_code == "JP-07"


def test_us_state_and_county_seats(g):
    texas = g.resolve("Texas")
    assert (texas.kind, texas.code, texas.name) == ("region", "US-TX", "Texas")
    assert _region(g.resolve("Galveston")) == ("US-TX", "Texas")
    assert _region(g.resolve("Tallahassee")) == ("US-FL", "Florida")


def test_region_words_name_the_region(g):
    assert g.resolve("Kherson Oblast").code == "UA-65"
    assert g.resolve("Rakhine State").code == "MM-16"
    assert g.resolve("Atlantis Province") is None


# --- folding, alternates, demonyms ------------------------------------------------------------------------

def test_diacritics_fold_both_ways(g):
    assert g.resolve("Sao Paulo") == g.resolve("São Paulo")
    assert g.resolve("Bogota").name == "Bogotá"
    assert g.resolve("Maharashtra").code == "IN-MH"              # ISO writes Mahārāshtra
    assert g.resolve("Kahramanmaras").name == "Kahramanmaraş"
    coxs = g.resolve("Cox's Bazar")
    assert (coxs.country_code, coxs.ascii_name) == ("BD", "Cox's Bazar")
    assert g.resolve("Coxs Bazar") == g.resolve("COX’S BĀZĀR") == coxs
    assert gz.ascii_fold("Łódź São Tomé") == "Lodz Sao Tome"


def test_alternate_names(g):
    assert (g.resolve("Kiev").name, g.resolve("Kiev").country_code) == ("Kyiv", "UA")
    assert g.resolve("Bombay").name == "Mumbai"
    assert g.resolve("Bavaria").code == "DE-BY"                  # ISO's English name for Bayern
    assert g.resolve("Bayern").code == "DE-BY"


def test_demonyms_and_aliases_come_from_the_data_file(g):
    assert g.resolve("Sudanese").code == "SD"
    assert g.resolve("Moroccans").code == "MA"                  # plural added by the loader
    assert g.resolve("Britain").code == "GB"
    assert g.resolve("U.S.").code == "US" and g.resolve("US").code == "US"
    assert all(p.country_code != "US" for p in g.lookup("us"))  # capitals-only aliases match as written
    assert g.lookup("Sudanese", demonyms=False) == []


# --- ambiguity and the unknown ---------------------------------------------------------------------------

def test_ambiguous_city_picks_the_context_country(g):
    assert g.resolve("Hyderabad").country_code == "IN"
    assert g.resolve("Hyderabad", ["PK"]).country_code == "PK"
    assert g.resolve("Hyderabad", ["Pakistan"]).country_code == "PK"   # names work as context too
    assert g.resolve("Córdoba", ["ES"]).country_code == "ES"
    assert g.resolve("Córdoba", ["AR"]).country_code == "AR"
    # a country outranks a region of the same name, unless the region's country is in the article
    assert g.resolve("Georgia").kind == "country"
    assert g.resolve("Georgia", ["US"]).code == "US-GA"
    # a metropolis outside the article's countries beats a small namesake inside them
    assert g.resolve("Paris", ["US"]).country_code == "FR"


def test_lookup_lists_every_candidate_best_first(g):
    found = g.lookup("Springfield", "US")
    assert len(found) >= 3 and all(p.country_code == "US" for p in found[:3])
    pops = [p.population for p in found if p.kind == "city"][:3]
    assert pops == sorted(pops, reverse=True)


def test_unknown_names_stay_unknown(g):
    assert g.resolve("Qwertzulbad") is None
    assert g.resolve("North Qwertzulbad") is None      # never merged with a near name
    assert g.resolve("Kordofanx") is None
    assert g.resolve("") is None and g.resolve("   ") is None
    assert g.lookup("Qwertzulbad", ["SD"]) == []


# --- containment -----------------------------------------------------------------------------------------

def test_containment_chain(g):
    city = _first_city(g, "Valparaíso")
    assert city.chain == (Link("city", city.name, f"geonames:{city.geonames_id}"),
                          Link("region", "Valparaíso", "CL-VS"), Link("country", "Chile", "CL"))
    region = g.resolve("Biobío")
    assert [link.kind for link in region.chain] == ["region", "country"]
    chile = g.resolve("Chile")
    assert chile.chain == (Link("country", "Chile", "CL"),)
    assert chile.contains(region) and chile.contains(city) and g.resolve("Valparaíso").contains(city)
    assert not region.contains(city) and not city.contains(chile)
    as_dict = city.to_dict()
    assert as_dict["chain"][-1] == {"kind": "country", "name": "Chile", "code": "CL"}
    json.dumps(as_dict)


def test_a_city_without_an_iso_tie_keeps_the_geonames_code(g):
    place = next(p for p in g.lookup("Sapporo") if p.kind == "city")
    assert place.country_code == "JP"
    if not place.region_is_iso:
        assert place.region_code.startswith("JP.") and place.region_name is None
        assert place.chain[1] == Link("region", place.region_code, place.region_code)


# --- running text ----------------------------------------------------------------------------------------

def _spans(g, text, **kw):
    return [(text[s:e], p) for s, e, p in g.find_places(text, **kw)]


def test_find_places_prefers_the_longest_name(g):
    text = ("Convoys left Cox's Bazar on Monday. Fighting spread from North Kordofan to Upper Nile, "
            "and flights to Rio de Janeiro resumed.")
    found = _spans(g, text)
    assert [s for s, _ in found] == ["Cox's Bazar", "North Kordofan", "Upper Nile", "Rio de Janeiro"]
    assert [p.country_code for _, p in found] == ["BD", "SD", "SS", "BR"]


def test_find_places_skips_common_words(g):
    text = ("Police said the Ministry Of Health will Deal with it. Of the people asked, Hope was rare. "
            "Union leaders met at the White House.")
    assert _spans(g, text) == []


def test_find_places_sentence_initial_words(g):
    text = "Reading the report took an hour. She later lived in Reading with her family."
    found = g.find_places(text)
    assert [text[s:e] for s, e, _ in found] == ["Reading"] and found[0][0] > 30


def test_find_places_skips_names_inside_longer_names(g):
    text = ("Barack Obama told the Washington Post that President Lincoln admired Hurricane Maria coverage. "
            "Officials in Nepal and Kherson Oblast agreed.")
    found = _spans(g, text)
    assert [(s, p.code) for s, p in found] == [("Nepal", "NP"), ("Kherson Oblast", "UA-65")]


def test_find_places_uses_countries_in_the_text_as_context(g):
    text = "Floods hit Pakistan again. In Hyderabad, shelters filled."
    found = _spans(g, text)
    assert [(s, p.country_code) for s, p in found] == [("Pakistan", "PK"), ("Hyderabad", "PK")]
    assert _spans(g, "In Hyderabad, shelters filled.")[0][1].country_code == "IN"


def test_find_places_demonyms_only_on_request(g):
    text = "Sudanese officials met Puerto Rican volunteers in the US."
    assert [(s, p.code) for s, p in _spans(g, text)] == [("US", "US")]
    assert [(s, p.code) for s, p in _spans(g, text, include_demonyms=True)] == [
        ("Sudanese", "SD"), ("Puerto Rican", "PR"), ("US", "US")]


def test_find_places_offsets_and_odd_text(g):
    text = "<p>🌊 Storms reached São Paulo’s coast — and KATHMANDU.</p>\n\nNothing else."
    found = g.find_places(text)
    assert [text[s:e] for s, e, _ in found] == ["São Paulo", "KATHMANDU"]
    assert g.find_places("") == [] and g.find_places("lowercase text about paris only") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_find_places_never_raises_and_offsets_slice(text):
    gaz = gz.get_gazetteer()
    last = -1
    for start, end, place in gaz.find_places(text):
        assert 0 <= start < end <= len(text) and start >= last
        assert text[start:end].strip() == text[start:end]
        assert isinstance(place, Place)
        last = end


# --- data files and the index ----------------------------------------------------------------------------

def test_data_files_load_and_validate(tmp_path):
    extras = gz.load_country_extras()
    assert len(extras) >= 190 and "Sudanese" in extras["SD"].demonyms
    words = gz.load_stopwords()
    assert {"police", "of"} <= words.always and "de" in words.connectors
    bad = tmp_path / "countries.json"
    bad.write_text(json.dumps({"countries": {"Sudan": {"demonyms": ["Sudanese"]}}}))
    with pytest.raises(ValueError):
        gz.load_country_extras(bad)
    bad.write_text(json.dumps({"countries": {"SD": {"demonyms": "Sudanese"}}}))
    with pytest.raises(ValueError):
        gz.load_country_extras(bad)
    bad_words = tmp_path / "words.json"
    bad_words.write_text(json.dumps({"always": ["Police"]}))
    with pytest.raises(ValueError):
        gz.load_stopwords(bad_words)


def test_loaded_once_per_process(g):
    assert gz.get_gazetteer() is gz.get_gazetteer() is g
    assert gz.resolve("Nepal") == g.resolve("Nepal")
    assert g.meta["build_version"] == str(gz.BUILD_VERSION)
    assert int(g.meta["count_countries"]) >= 249 and int(g.meta["count_regions"]) > 3000


def test_missing_index_is_reported_when_building_is_off(tmp_path):
    with pytest.raises(FileNotFoundError):
        gz.Gazetteer(tmp_path / "absent.sqlite3", build_missing=False)
