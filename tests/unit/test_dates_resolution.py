"""Dates in the text, resolved against the publication day by dateparser: sentences written for these tests."""
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from services.extractor.extraction.dates import DATA, find_time_refs, load_date_words, local_date
from tests.helpers import claims_of, only_claim

WEDNESDAY = datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc)
MONDAY = datetime(2024, 5, 13, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, as_of", [
    ("The ministry counted 412 evacuees on Monday.", date(2024, 5, 13)),
    ("The ministry counted 412 evacuees on Wednesday.", date(2024, 5, 15)),  # the publication day itself
    ("The ministry counted 412 evacuees last Wednesday.", date(2024, 5, 8)),  # the one before
    ("By Monday evening the shelters held 412 evacuees.", date(2024, 5, 13)),
    ("Late Sunday the shelters held 412 evacuees.", date(2024, 5, 12)),
    ("The shelters held 412 evacuees yesterday.", date(2024, 5, 14)),
    ("The shelters held 412 evacuees on 3 March.", date(2024, 3, 3)),
    ("The shelters held 412 evacuees on March 3.", date(2024, 3, 3)),
    ("The shelters held 412 evacuees on Oct. 9.", date(2023, 10, 9)),  # no year: the latest not after publication
    ("The shelters held 412 evacuees on 9 October 2021.", date(2021, 10, 9)),
])
def test_a_date_expression_resolves_against_the_publication_day(text, as_of):
    assert only_claim(text, WEDNESDAY).as_of == as_of


@pytest.mark.parametrize("text", [
    "Officials said 300 families may need shelter.",  # the verb, not the month
    "The second survey found 300 families without shelter.",  # an ordinal, not a time
    "A march of 300 families reached the town hall.",  # the noun, not the month
])
def test_words_that_look_like_dates_do_not_date_a_figure(text):
    claim = only_claim(text, WEDNESDAY)
    assert (claim.as_of, claim.time_text) == (date(2024, 5, 15), None)


def test_a_recent_week_is_a_period_not_a_day():
    assert only_claim("Last week 300 families needed shelter.", WEDNESDAY).as_of is None


@pytest.mark.parametrize("text, as_of", [
    # the flood's day is when it began; the tally is as of the day it was given
    ("The flood that swept the valley on 2 May has killed 57 people, officials said on Friday.", date(2024, 5, 10)),
    ("Rescuers had pulled 23 survivors from the mine as of Tuesday, after it collapsed on Sunday.",
     date(2024, 5, 14)),
    ("Since the storm hit on Saturday, 57 people have died.", date(2024, 5, 15)),  # a running tally: as of now
])
def test_a_tally_is_dated_by_its_own_date_not_by_the_event_it_counts(text, as_of):
    assert only_claim(text, WEDNESDAY).as_of == as_of


@pytest.mark.parametrize("text, as_of", [
    ("As of Monday evening, the picture was bleak. 62 people had died across the region.", date(2024, 5, 13)),
    ("On Sunday, the health board gave its first update.\n\nIt counted 240 patients in hospital.",
     date(2024, 5, 12)),
])
def test_a_date_opening_the_statement_dates_the_next_sentence(text, as_of):
    assert only_claim(text, WEDNESDAY).as_of == as_of


def test_the_next_sentence_keeps_its_own_date():
    text = "As of Monday evening, the picture was bleak. On Tuesday 62 people had died across the region."
    assert only_claim(text, WEDNESDAY).as_of == date(2024, 5, 14)


def test_a_date_opening_a_sentence_with_figures_is_not_carried_on():
    text = "Rain fell for a third day. On Sunday, 40 people were rescued. Another 62 people had died across the region."
    assert [c.as_of for c in claims_of(text, WEDNESDAY)] == [date(2024, 5, 12), date(2024, 5, 15)]


def test_a_continued_statement_keeps_the_date_it_was_made():
    text = "The coast guard said on Sunday that 14 boats had sunk.\n\nThey added that 31 crew members were missing."
    assert [c.as_of for c in claims_of(text, WEDNESDAY)] == [date(2024, 5, 12), date(2024, 5, 12)]


@pytest.mark.parametrize("published, as_of", [
    (datetime(2024, 5, 15, 23, 30, tzinfo=timezone(timedelta(hours=-5))), date(2024, 5, 14)),  # 04:30 UTC the 16th
    (datetime(2024, 5, 16, 1, 0, tzinfo=timezone(timedelta(hours=9))), date(2024, 5, 15)),  # 16:00 UTC the 15th
])
def test_relative_days_count_in_the_article_time_zone(published, as_of):
    assert only_claim("The shelters held 412 evacuees yesterday.", published).as_of == as_of


def test_publication_day_is_local_and_naive_means_utc():
    assert local_date(datetime(2024, 5, 15, 23, 30, tzinfo=timezone(timedelta(hours=-5)))) == date(2024, 5, 15)
    assert local_date(datetime(2024, 5, 15, 23, 30)) == date(2024, 5, 15)
    assert local_date(None) is None
    undated = only_claim("The shelters held 412 evacuees.", datetime(2024, 5, 16, 1, 0, tzinfo=timezone(
        timedelta(hours=9))))
    assert undated.as_of == date(2024, 5, 16)


def test_yesterday_inside_a_quote_counts_from_the_day_it_was_said():
    text = "“We counted 420 people at the shelter yesterday,” the mayor said Saturday."
    assert only_claim(text, MONDAY).as_of == date(2024, 5, 10)


def test_the_old_figure_of_a_revision_has_no_date():
    claims = claims_of("The governor raised the death toll from 64 to 1,975 people on Tuesday.", WEDNESDAY)
    assert [(c.value, c.as_of) for c in claims] == [(64, None), (1975, date(2024, 5, 14))]


def test_the_time_refs_of_a_sentence_in_order_with_kinds():
    refs = find_time_refs("Since March 400 left; on Friday night 30 more, and in 2019 only 12.", date(2024, 5, 15))
    assert [(r.kind, r.text, r.as_of) for r in refs] == [
        ("since", "Since March", date(2024, 5, 15)), ("weekday", "on Friday night", date(2024, 5, 10)),
        ("year", "in 2019", None)]


def test_the_vocabulary_file_is_validated(tmp_path):
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    assert load_date_words().months["sept"] == 9
    bad = tmp_path / "dates_bad.json"
    bad.write_text(json.dumps({**raw, "months": raw["months"][:11]}), encoding="utf-8")
    with pytest.raises(ValueError, match="twelve months"):
        load_date_words(bad)
    bad.write_text(json.dumps({**raw, "today": ["Today"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="'today' must be a non-empty list of lower-case phrases"):
        load_date_words(bad)
    bad.write_text(json.dumps({**raw, "holidays": ["easter"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown fields"):
        load_date_words(bad)


LATER = datetime(2024, 5, 15, 12, 0, tzinfo=timezone.utc)


def test_a_year_in_the_figure_parentheses_names_another_instance():
    text = "Past finals drew these audiences: Brazil (41 million, 1998) and Spain (38 million, 2010)."
    claims = claims_of(text, LATER)
    assert [(c.value, c.reference_year, c.as_of) for c in claims] == [(41_000_000, 1998, None),
                                                                      (38_000_000, 2010, None)]


def test_a_past_year_that_dates_the_figure_names_another_instance():
    text = "The museum logged 4,000 visitors today, far below the 6,500 visitors it saw on the same day in 2015."
    assert [(c.value, c.reference_year) for c in claims_of(text, LATER)] == [(4000, None), (6500, 2015)]


def test_an_old_event_year_names_another_instance_but_the_story_own_event_does_not():
    old = only_claim("Some 240 people drowned in the valley when the dam burst in 1976.", LATER)
    assert (old.reference_year, old.as_of) == (1976, None)
    own = only_claim("Some 900 people died in the months after the cyclone struck in November 2023.", LATER)
    assert (own.reference_year, own.as_of) == (None, date(2024, 5, 15))


def test_an_old_date_given_for_comparison_is_not_carried_to_later_figures():
    text = ("The union counted 9,000 marchers on Tuesday. That beat the 14,000 marchers it counted on 3 January.\n\n"
            "Police counted 6,500 marchers.")
    assert [c.as_of for c in claims_of(text, WEDNESDAY)] == [date(2024, 5, 14), date(2024, 1, 3), date(2024, 5, 14)]


def test_undated_figures_hold_as_of_the_day_the_first_sentence_reports():
    text = ("Nurses walked out across the country on Monday, their union said.\n\n"
            "Hospitals postponed 3,200 operations.")
    assert only_claim(text, WEDNESDAY).as_of == date(2024, 5, 13)
    later = ("The strike was called by the union.\n\n"
             "Hospitals postponed 3,200 operations on Monday. Clinics shut 40 wards.")
    assert [c.as_of for c in claims_of(later, WEDNESDAY)] == [date(2024, 5, 13), date(2024, 5, 15)]


@pytest.mark.parametrize("text", ["on 39 March", "on March 32", "on 31 February", "on March 0"])
def test_a_day_the_month_does_not_have_is_no_date(text):
    assert [r.as_of for r in find_time_refs(f"Crews cleared 40 roads {text}.", date(2024, 5, 15))] == [None]


@pytest.mark.parametrize("text, as_of", [
    ("A day after the April 30 blast the toll rose to 26, police said.", date(2024, 5, 1)),
    ("Two days after the May 2 vote, police said 140 people had been detained.", date(2024, 5, 4)),
    ("The shelters held 800 people the day after Sunday's storm.", date(2024, 5, 13)),
    ("A week before the May 14 deadline, 2,300 claims had been filed.", date(2024, 5, 7)),
])
def test_a_day_or_week_after_a_date_shifts_it(text, as_of):
    assert only_claim(text, WEDNESDAY).as_of == as_of


def test_a_date_after_another_clause_dates_that_clauses_figure():
    text = "On Monday the toll stood at 31, but it did not pass 90 until May 9, officials said."
    claims = {c.value: c for c in claims_of(text, WEDNESDAY)}
    assert claims[31].as_of == date(2024, 5, 13) and claims[90].as_of == date(2024, 5, 9)


def test_a_tally_since_an_event_began_in_a_past_year_holds_now_and_names_no_other_year():
    claim = only_claim("The agency said 1.2 million people had fled since the war began in April 2021.", WEDNESDAY)
    assert claim.as_of == WEDNESDAY.date() and claim.reference_year is None
