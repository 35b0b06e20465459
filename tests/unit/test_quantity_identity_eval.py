"""The pairwise same-quantity score of `make eval`: counted over gold pairs, a cross-story merge costs both."""
from schemas.models import Claim, Qualifier
from tools.evaluation import score_identity


def _claim(cid: str, key: str) -> Claim:
    return Claim(claim_id=cid, article_id="a", figure_text="10", char_start=0, char_end=2, sentence="10 died.",
                 value=10, lower=10, upper=10, qualifier=Qualifier.exact, measure="killed", quantity_key=key)


def _gold(rows):
    articles = {}
    for story, cid, key in rows:
        articles.setdefault(story, []).append({"id": cid, "quantity_key": key})
    return {"articles": [{"id": f"{s}_01", "story": s, "claims": c} for s, c in articles.items()]}


def test_identity_counts_pairs_and_charges_a_cross_story_merge_to_both_stories():
    gold = _gold([("flood", "f1", "flood.deaths"), ("flood", "f2", "flood.deaths"), ("flood", "f3", "flood.homes"),
                  ("fire", "x1", "fire.deaths")])
    ours = {"f1": _claim("1", "deaths"), "f2": _claim("2", "deaths"), "f3": _claim("3", "homes"),
            "x1": _claim("4", "deaths")}
    result = score_identity(gold, ours)
    flood, fire = result["per_story"]["flood"], result["per_story"]["fire"]
    assert flood["identity_recall"] == 1.0
    assert flood["identity_precision"] == 1 / 3  # f1-f2 right; f1-x1 and f2-x1 merged across events
    assert fire["identity_precision"] == 0.0 and fire["identity_recall"] is None
    assert result["corpus"]["identity_precision"] == 1 / 3


def test_identity_split_quantity_loses_recall():
    gold = _gold([("flood", "f1", "flood.deaths"), ("flood", "f2", "flood.deaths")])
    result = score_identity(gold, {"f1": _claim("1", "a"), "f2": _claim("2", "b")})
    assert result["per_story"]["flood"] == {"identity_precision": None, "identity_recall": 0.0, "identity_f1": None}
