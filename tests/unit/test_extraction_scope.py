"""Which quantity a figure belongs to, and how it is framed: rules on short sentences of our own."""
from datetime import date, datetime, timezone

from schemas.models import Modality
from tests.helpers import claims_of, only_claim


def test_a_rounded_figure_points_to_its_precise_form_which_takes_its_attribution():
    text = ("A college survey published on Friday found nearly 800 residents were killed by the mudslide.\n\n"
            "Its authors settled on a final death toll of 793 residents.")
    rounded, precise = claims_of(text)
    assert rounded.carried_by == precise.claim_id and precise.carried_by is None
    assert precise.source == rounded.source and precise.modality == Modality.estimate


_ROUNDED = "Officials said more than 6,000 people died in the flood."
_PRECISE = "Rescuers later said 6,250 people died in the flood."
_FILLER = ("The rain did not stop for the rest of the week, and the roads into the valley stayed closed to every "
           "kind of traffic while the river kept rising over its banks.")


def test_a_close_figure_in_the_next_paragraph_is_the_precise_form():
    rounded, precise = claims_of(f"{_ROUNDED}\n\n{_PRECISE}")
    assert rounded.carried_by == precise.claim_id


def test_the_same_figure_several_paragraphs_away_is_not_the_precise_form():
    # the same pair as above, within 10% of each other: only the distance differs
    rounded, precise = claims_of("\n\n".join([_ROUNDED, _FILLER, _FILLER, _FILLER, _FILLER, _FILLER, _PRECISE]))
    assert rounded.quantity_key == precise.quantity_key
    assert rounded.carried_by is None


def test_a_figure_said_not_to_have_happened_is_a_denial():
    claim = only_claim("The senator claimed that 600 villagers did not die in the mudslide.")
    assert (claim.modality, claim.measure) == (Modality.denial, "killed")


def test_may_the_month_is_not_a_projection():
    assert only_claim("A study published in May found at least 2,310 patients died.").modality == Modality.estimate
    assert only_claim("Officials said the toll may reach 500 deaths.").modality == Modality.projection


def test_a_place_inside_an_institution_name_is_not_a_place():
    claim = only_claim("Researchers at George Washington University counted 2,975 deaths in Puerto Rico.")
    assert claim.location == "Puerto Rico"


def test_a_place_after_the_figure_needs_a_preposition():
    claim = only_claim("The toll in Turkey has passed 50,000 deaths after Syria declared an emergency.")
    assert claim.location == "Turkey"
    assert only_claim("Rescuers said 224 buildings in Syria were destroyed.").location == "Syria"


def test_a_combined_toll_covers_the_two_countries_of_the_story():
    text = ("The quake hit Turkey and Syria. Turkey counted 100 deaths. Syria counted 50 deaths. "
            "Across both countries the combined death toll reached 150.")
    combined = claims_of(text)[-1]
    assert combined.quantity_key.endswith("syria_turkey")


def test_buildings_take_the_measure_of_the_damage_and_homes_are_counted_apart():
    claims = claims_of("The quake injured thousands of people and toppled hundreds of buildings, "
                       "and 520,000 apartments collapsed.")
    assert [c.measure for c in claims] == ["injured", "buildings_destroyed", "homes_destroyed"]


def test_small_word_counts_of_things_are_anecdotes_but_deaths_are_not():
    assert claims_of("She said four sheds behind the school were flattened.") == []
    assert only_claim("Officials said three people died.").value == 3


def test_a_part_of_a_figure_is_its_own_quantity():
    whole, part = claims_of("The general led 12,000 soldiers, and about 3,000 of them were posted in Kharkiv.")
    assert part.quantity_key != whole.quantity_key


def test_a_leader_title_names_the_organisation_that_owns_the_troops():
    claim = only_claim("An aide said Hamas chief Yahya Sinwar commanded fewer than 30,000 fighters in all.")
    assert claim.actor == "Hamas"


def test_more_than_usual_is_an_excess_not_an_increment():
    assert not only_claim("Over the 30 weeks after the heatwave, 640 more patients than normal died.").incremental
    assert only_claim("The ministry plans to send 2,000 more troops.").incremental


def test_a_force_in_total_is_not_a_running_tally():
    assert not only_claim("He had fewer than 25,000 troops in total.").cumulative
    assert only_claim("In total, 40,000 people have died since the war began.").cumulative


def test_a_figure_given_as_earlier_has_no_date_of_its_own():
    claim = only_claim("Just hours earlier the official death toll remained at 16 dead.")
    assert claim.as_of is None


def test_a_figure_from_last_year_keeps_its_quantity_but_remembers_the_year():
    published = datetime(2018, 9, 13, tzinfo=timezone.utc)
    recalled = only_claim("She recalled that when she toured the valley last year, the toll stood at 9.", published)
    current = only_claim("Officials said the death toll was 1,130.", published)
    assert recalled.reference_year == 2017 and recalled.as_of is None
    assert recalled.quantity_key.split(".")[:2] == current.quantity_key.split(".")[:2]


def test_a_with_phrase_takes_the_year_of_the_clause_it_hangs_from():
    later = datetime(2027, 1, 22, 12, tzinfo=timezone.utc)
    past = only_claim("The 2011 flood was the worst in decades, with 900 homes destroyed.", later)
    assert past.reference_year == 2011 and past.as_of is None
    trips = only_claim("The governor's 2019 inauguration was the busiest day on record, with 1.1 million bus "
                       "trips.", later)
    assert trips.reference_year == 2019
    since = only_claim("The flood was the worst since 2011, with 900 homes destroyed.", later)
    assert since.reference_year is None and since.as_of == date(2027, 1, 22)
