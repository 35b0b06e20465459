"""Money as a figure (issue 16): the currency written around the number, scale words, and the kind of money."""
import json

import pytest

from services.common.errors import ConfigError
from services.extractor.extraction import lexicon as lx
from services.extractor.extraction import money
from services.extractor.extraction.numbers import find_figures, tokenize
from tests.helpers import claims_of, only_claim


def money_claim(text):
    found = [c for c in claims_of(text) if c.currency]
    assert len(found) == 1, [(c.figure_text, c.measure) for c in claims_of(text)]
    return found[0]


# ------------------------------------------------------------------------------------- currency forms
@pytest.mark.parametrize("text, figure, code, value", [
    # symbols and abbreviations before the number, glued or after a space
    ("The city spent $40 million on new pumps.", "$40 million", "USD", 40_000_000),
    ("The fund received US$12 million from donors.", "US$12 million", "USD", 12_000_000),
    ("Repairs were priced at $US3.4 million by engineers.", "$US3.4 million", "USD", 3_400_000),
    ("Canberra set aside A$75 million for the fire zone.", "A$75 million", "AUD", 75_000_000),
    ("Brussels promised €250 million to the farmers.", "€250 million", "EUR", 250_000_000),
    ("The charity raised £2.3 million for the families.", "£2.3 million", "GBP", 2_300_000),
    ("Tokyo set aside ¥900 million for shelters.", "¥900 million", "JPY", 900_000_000),
    ("Mumbai approved ₹600 crore for drainage.", "₹600 crore", "INR", 6_000_000_000),
    ("The district received Rs 40 lakh for relief work.", "Rs 40 lakh", "INR", 4_000_000),
    ("The board approved Rs. 12 crore for the bridge.", "Rs. 12 crore", "INR", 120_000_000),
    ("Putrajaya pledged RM50 million for flood victims.", "RM50 million", "MYR", 50_000_000),
    ("The port lost HK$80 million in trade.", "HK$80 million", "HKD", 80_000_000),
    # ISO codes before or after, glued or not
    ("Delhi pledged INR2 trillion for new housing.", "INR2 trillion", "INR", 2_000_000_000_000),
    ("The bank lent USD 300 million to the utility.", "USD 300 million", "USD", 300_000_000),
    ("The club paid 45 million EUR for the stadium.", "45 million EUR", "EUR", 45_000_000),
    # names after the number: everyday ones and pycountry's official ones
    ("Osaka pledged 3 billion yen in aid.", "3 billion yen", "JPY", 3_000_000_000),
    ("Beijing offered 500 million yuan in aid.", "500 million yuan", "CNY", 500_000_000),
    ("Rome set aside 80 million euros for the valley.", "80 million euros", "EUR", 80_000_000),
    ("Bern sent 20 million Swiss francs to the region.", "20 million Swiss francs", "CHF", 20_000_000),
    ("Seoul pledged 9 billion won in aid.", "9 billion won", "KRW", 9_000_000_000),
    ("The lottery winner gave 2 million dollars to the hospital.", "2 million dollars", "USD", 2_000_000),
    ("The state released 700 crore rupees for the dams.", "700 crore rupees", "INR", 7_000_000_000),
    ("A donor gave two million dollars to the clinic.", "two million dollars", "USD", 2_000_000),
])
def test_currency_forms(text, figure, code, value):
    claim = money_claim(text)
    assert (claim.figure_text, claim.currency, claim.value) == (figure, code, value)
    assert claim.measure.split("_")[-1] == code.lower() or claim.measure.endswith(("per_month", "per_year"))
    assert claim.entity.startswith(code)


@pytest.mark.parametrize("text, value", [
    ("The mayor said the plan cost $5m.", 5_000_000),
    ("The mayor said the plan cost $5bn.", 5_000_000_000),
    ("The mayor said the plan cost $1.2tn.", 1_200_000_000_000),
    ("The mayor said the plan cost $7 million.", 7_000_000),
    ("The mayor said the plan cost $7 billion.", 7_000_000_000),
    ("The mayor said the plan cost $7 trillion.", 7_000_000_000_000),
    ("The mayor said the plan cost Rs 7 lakh.", 700_000),
    ("The mayor said the plan cost Rs 7 crore.", 70_000_000),
    ("The mayor said the plan cost $9 mln.", 9_000_000),
    ("The mayor said the plan cost ₹2 lakh crore.", 2 * 10**12),  # stacked scale words multiply
    ("The mayor said the plan cost a $3-billion sum.", 3_000_000_000),
])
def test_scale_words_multiply_the_money(text, value):
    assert money_claim(text).value == value


def test_a_range_of_money_keeps_its_currency_and_bounds():
    claim = money_claim("Engineers put the repair bill at between $4 million and $6 million.")
    assert (claim.lower, claim.upper, claim.currency) == (4_000_000, 6_000_000, "USD")


def test_vague_money_reads_the_name_after_of():
    claim = money_claim("The storm caused millions of dollars in damage.")
    assert (claim.value, claim.lower, claim.currency, claim.measure) == (None, 2_000_000, "USD", "damage_usd")


def test_a_subunit_divides_the_value():
    claim = money_claim("Shares of the insurer fell 19 cents on Tuesday.")
    assert claim.currency == "USD" and claim.value == pytest.approx(0.19)
    assert claim.measure.startswith("market")


@pytest.mark.parametrize("text", [
    "Farmers delivered 2,000 pounds of rice to the camp.",  # a weight
    "The home side won 30 games, and the visitors 30 won nothing.",  # 'won' without a scale word is not money
    "The ALL 12 miners were rescued.",  # an ISO code that is an English word
    "He found one pound on the pavement and kept it.",  # a spelled-out small sum is not a claim
])
def test_words_that_only_look_like_currencies(text):
    assert all(c.currency is None for c in claims_of(text))


# ------------------------------------------------------------------------------------------ money kinds
@pytest.mark.parametrize("text, measure", [
    ("Damage was estimated at $80 million by the county.", "damage_usd"),
    ("The floods caused $3bn of damage across the delta.", "damage_usd"),
    ("The estimated cost to rebuild the bridges is $900 million.", "damage_usd"),
    ("Insurers expect $4 billion in insured losses.", "insured_loss_usd"),
    ("Paris pledged €30 million to the rebuilding of schools.", "aid_pledged_eur"),
    ("Norway promised 400 million euros in aid.", "aid_pledged_eur"),
    ("The ministry disbursed $12 million to families.", "aid_disbursed_usd"),
    ("A neighbourhood appeal raised £80,000 for the survivors.", "funds_raised_gbp"),
    ("The council has spent £6 million on temporary housing.", "spending_gbp"),
    ("The city's emergency budget is $45 million.", "budget_usd"),
    ("The cleanup will cost $20 million, officials said.", "cost_usd"),
    ("Each family will receive $10,000 in compensation.", "compensation_usd"),
    ("The renovated flats cost £900,000 each.", "home_price_gbp"),
    ("The rebels spent $5 million a month on fuel.", "spending_usd_per_month"),
    ("The tycoon quietly bought $3 million of artwork.", "money_usd"),
    ("Diesel was sold at Rs 95 a litre in the town.", "fuel_price_inr"),
    ("The lender extended a loan of $200 million to the utility.", "loan_usd"),
    ("A new reconstruction plan worth $2 billion was unveiled.", "cost_usd"),
])
def test_the_kind_of_money_is_the_measure(text, measure):
    assert money_claim(text).measure == measure


def test_money_never_shares_a_quantity_with_a_count():
    claims = claims_of("The quake killed 500 people. Donors pledged $500 million in aid.")
    counts = [c for c in claims if c.currency is None]
    amounts = [c for c in claims if c.currency]
    assert counts and amounts
    assert {c.quantity_key for c in counts}.isdisjoint({c.quantity_key for c in amounts})


def test_a_damage_estimate_and_an_aid_pledge_are_different_quantities():
    claims = claims_of("Damage was put at $900 million. Donors later pledged $300 million in aid.")
    assert len({c.quantity_key for c in claims}) == 2


def test_the_hook_leaves_counts_alone():
    assert money.measure("Rescuers found 40 survivors.", 15, 17) is None
    assert only_claim("Rescuers found 40 survivors.").currency is None


# ----------------------------------------------------------------------------------- numbers and data
def test_find_figures_marks_the_currency_and_widens_the_span():
    tokens = tokenize("They pledged US$5m to A$8m.")
    (figure,) = find_figures(tokens)
    assert (tokens[figure.first].text, figure.currency, figure.lower, figure.upper) == ("US", "USD", 5e6, 8e6)


def test_pycountry_supplies_codes_and_official_names():
    assert "INR" in money.CODES and "XAU" not in money.CODES  # gold is not money a story counts
    assert money.NAMES["swiss francs"] == "CHF"
    assert money.entity("GBP") == "GBP (Pound Sterling)"


def test_a_currency_code_pycountry_does_not_know_stops_the_import(tmp_path):
    path = tmp_path / "lexicon_money.json"
    raw = json.loads((lx.DATA_DIR / "lexicon_money.json").read_text(encoding="utf-8"))
    raw["currency_prefixes"]["entries"]["zz$"] = "ZZZ"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match="currency_prefixes.*zz\\$.*pycountry"):
        lx.load_file(path)


@pytest.mark.parametrize("text, value", [
    ("Tickets cost 25 dollars each, and 4,000 were sold.", 4000),
    ("Each family got $500, and 1,200 families applied.", 1200),
])
def test_a_count_beside_a_sum_of_money_is_not_money(text, value):
    (claim,) = [c for c in claims_of(text) if c.value == value]
    assert claim.currency is None and not claim.measure.endswith("_usd")


def test_a_figure_that_refers_back_to_a_sum_is_the_same_money():
    claims = {c.value: c for c in claims_of("Damage was put at $3 billion. It could rise to 5 billion, insurers "
                                            "said.")}
    assert claims[5e9].currency == "USD" and claims[5e9].measure == claims[3e9].measure


def test_a_national_currency_names_its_country_and_a_world_currency_none():
    from services.extractor.extraction.money import home_countries
    assert home_countries(["GBP", "INR", "JPY"]) == ["GB", "IN", "JP"]
    assert home_countries(["USD", "EUR"]) == []  # written the world over, or shared by many countries


@pytest.mark.parametrize("text, country", [
    ("Some 40 homes flooded in Richmond, where repairs will cost £2m.", "GB"),
    ("Some 40 homes flooded in Richmond, where repairs will cost $2m.", "US"),
    ("Families will be rehoused in Kensington, where flats cost more than £1.5m each.", "GB"),
])
def test_the_articles_currency_tells_which_town_of_a_shared_name_it_means(text, country):
    assert {c.place.country_code for c in claims_of(text) if c.place} == {country}


@pytest.mark.parametrize("text, lowest, dearest", [
    ("In the new estate homes start at £240,000, and the largest houses cost £1.1m.", 240000, 1.1e6),
    ("Apartments in the tower are priced from $390,000; penthouses sold for $4m.", 390000, 4e6),
])
def test_the_lowest_price_of_a_range_is_a_quantity_apart_from_the_dearest(text, lowest, dearest):
    claims = {c.value: c for c in claims_of(text)}
    assert claims[lowest].measure.startswith("home_price_from_")
    assert claims[dearest].measure.startswith("home_price_") and "_from" not in claims[dearest].measure


@pytest.mark.parametrize("text", [
    "Flats in the riverside development start at £310,000.",
    "Prices in the development by the station start at about €450,000.",
])
def test_a_housing_development_prices_homes(text):
    (claim,) = claims_of(text)
    assert claim.measure.startswith("home_price")
