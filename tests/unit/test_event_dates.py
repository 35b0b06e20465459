"""A figure tied to a named event holds as of that event's day: rules on short sentences of our own."""
from datetime import date, datetime, timezone

import pytest

from services.extractor.extraction.events import event_anchors, inauguration_day
from tests.helpers import claims_of, only_claim

AFTER_2017_INAUGURATION = datetime(2017, 1, 23, 12, 0, tzinfo=timezone.utc)
LATER = datetime(2019, 6, 4, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("year, day", [
    (2009, date(2009, 1, 20)),
    (2013, date(2013, 1, 21)),  # January 20 was a Sunday: the public ceremony was on Monday
    (1985, date(1985, 1, 21)),
    (1933, date(1933, 3, 4)),  # before the 20th Amendment took effect
    (2010, None),  # not a year after an election
])
def test_inauguration_day(year, day):
    assert inauguration_day(year) == day


@pytest.mark.parametrize("text, as_of", [
    ("Subway riders numbered 640,000 on the day of Reagan's 1981 inauguration.", date(1981, 1, 20)),
    ("The 1997 inaugural drew a crowd of about 250,000 people.", date(1997, 1, 20)),
    ("Carter's inauguration attracted 45 million TV viewers.", date(1977, 1, 20)),  # he had only one
    ("President Nixon drew 300,000 people at his second inauguration.", date(1973, 1, 20)),
    ("Obama's last inaugural drew 1 million people.", date(2013, 1, 21)),
])
def test_an_inauguration_named_by_year_or_president_dates_the_figure(text, as_of):
    assert only_claim(text, AFTER_2017_INAUGURATION).as_of == as_of


def test_which_of_two_inaugurations_is_not_guessed():
    assert only_claim("Obama's inauguration drew 1.2 million people.", LATER).as_of == date(2019, 6, 4)


def test_a_bare_inauguration_in_the_week_after_one_is_that_one():
    assert only_claim("Crowd counts for the inauguration started at 300,000 people.",
                      AFTER_2017_INAUGURATION).as_of == date(2017, 1, 20)
    later = datetime(2017, 3, 1, tzinfo=timezone.utc)
    assert only_claim("Crowd counts for the inauguration started at 300,000 people.", later).as_of == date(2017, 3, 1)


def test_each_figure_takes_the_event_nearest_to_it():
    text = ("Rail trips for Clinton's 1993 inaugural reached 400,000 trips, while the Trump inauguration "
            "saw 570,000 trips.")
    assert [c.as_of for c in claims_of(text, AFTER_2017_INAUGURATION)] == [date(1993, 1, 20), date(2017, 1, 20)]


def test_in_an_inauguration_story_a_bare_inauguration_year_names_one():
    text = ("The inauguration drew 200,000 people. Metro logged 90,000 trips by 9 a.m., against the 300,000 "
            "trips by the same hour in 2009.\n\nAnalysts compared the inauguration with earlier ones.")
    assert [c.as_of for c in claims_of(text, AFTER_2017_INAUGURATION)][-1] == date(2009, 1, 20)


@pytest.mark.parametrize("text, as_of", [
    ("The Galveston hurricane of 1900 killed more than 6,000 people.", date(1900, 9, 8)),
    ("About 1,800 people died when Katrina struck as a major hurricane in 2005.", date(2005, 8, 29)),
    ("A quake struck Erzincan in 1939 and killed 33,000 people.", date(1939, 12, 27)),
    ("The 2010 earthquake in Haiti killed more than 100,000 people.", date(2010, 1, 12)),
])
def test_a_historical_disaster_named_with_its_year_dates_the_figure(text, as_of):
    assert only_claim(text, LATER).as_of == as_of


@pytest.mark.parametrize("text, as_of", [
    ("Haiti had 10 million residents in 2010, officials said.", None),  # no quake word: only a year is known
    ("Andrew said 5,000 people came to the 1992 parade.", None),  # a first name, no storm
    ("Hurricane Katrina displaced 400,000 people, officials said.", date(2019, 6, 4)),  # no year: ambiguous
])
def test_a_disaster_needs_name_kind_and_year(text, as_of):
    assert only_claim(text, LATER).as_of == as_of


def test_the_story_own_disaster_is_dated_by_its_tallies_not_its_first_day():
    published = datetime(2018, 5, 29, tzinfo=timezone.utc)
    claim = only_claim("Hurricane Maria in 2017 killed at least 64 people, officials said on Monday.", published)
    assert claim.as_of == date(2018, 5, 28)


def test_yesterday_inside_a_quote_counts_from_the_day_it_was_said():
    text = "“We know that 420,000 people rode the train yesterday,” the spokesman claimed Saturday."
    assert only_claim(text, AFTER_2017_INAUGURATION).as_of == date(2017, 1, 20)


def test_part_of_an_earlier_figure_keeps_its_date():
    text = "The 2005 storm Katrina killed more than 1,800 people. More than 1,500 of those deaths were in Louisiana."
    assert [c.as_of for c in claims_of(text, LATER)] == [date(2005, 8, 29), date(2005, 8, 29)]


def test_the_old_figure_of_a_revision_has_no_date():
    claims = claims_of("The governor raised the death toll from 64 to 2,975 people on Tuesday.", LATER)
    assert [(c.value, c.as_of) for c in claims] == [(64, None), (2975, date(2019, 6, 4))]


def test_anchors_are_only_named_events():
    assert event_anchors("The ministry said 40 people died in 2009.", LATER.date()) == []
