"""The synthetic stream's expectations hold for the pure extractor and decide(): the fault-injection and
load tests can count exactly what must reach the sink."""
from services.alerter.decisions import DecisionPolicy, QuantityState, decide
from services.extractor.extraction import extract_claims
from tools.synthetic import generate


def test_every_article_yields_its_one_figure_and_the_expected_alert():
    articles, expected = generate(quantities=100, reports=5)
    assert len(articles) == 500 and len({a.id for a in articles}) == 500
    states: dict[str, QuantityState] = {}
    keys_by_quantity: dict[tuple[str, str], str] = {}
    for article, want in zip(articles, expected):
        claims = extract_claims(article)
        assert [c.value for c in claims] == [want.figure], article.text
        claim = claims[0]
        assert keys_by_quantity.setdefault((want.event, want.country), claim.quantity_key) == claim.quantity_key
        state = states.get(claim.quantity_key) or QuantityState(quantity_key=claim.quantity_key)
        decision = decide(state, claim, DecisionPolicy())
        states[claim.quantity_key] = decision.state
        assert [a.kind.value for a in decision.alerts] == [want.kind], (article.id, decision.relation)
    assert len(set(keys_by_quantity.values())) == 100  # every quantity is its own


def test_generation_is_deterministic():
    first, _ = generate(quantities=10, reports=3, seed=3)
    second, _ = generate(quantities=10, reports=3, seed=3)
    assert [a.text for a in first] == [a.text for a in second]
