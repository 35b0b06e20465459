"""A plural name of a group's members is the group, when the article names the group."""
from tests.helpers import claims_of


def test_members_named_after_the_group_count_for_the_group():
    claim = claims_of("The Brenner Group moved its units north. Some 4,000 Brennerites crossed the river on "
                      "Monday.")[0]
    assert claim.actor == "Brenner" and claim.quantity_key.startswith("brenner.")


def test_a_plural_name_whose_group_the_article_does_not_name_stays_as_written():
    claim = claims_of("Some 4,000 Brennerites crossed the river on Monday, the ministry said.")[0]
    assert claim.actor == "Brennerites"
