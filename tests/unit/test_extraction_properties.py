"""Properties that hold for any input: never raises, offsets slice back, bounds are ordered."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models import Article
from services.extractor.extraction import extract_claims
from services.extractor.extraction.numbers import find_figures, may_hold_figure, tokenize

NEWSY = st.lists(st.sampled_from([
    "about", "more than", "up to", "at least", "nearly", "between", "and", "to", "thousands", "a couple",
    "thousand", "million", "1,200", "3.5", "4", "forty-one", "a dozen", "troops", "people", "killed", "said",
    "according to", "the ministry", "He", "“", "”", ",", ".", "\n", "Thursday", "(October 31)", "since June 2024",
    "<p>", "</p>", "🙂", "Погибли", "2024", "-", "11 a.m.", "%", "$", "fake news", "denied",
]), max_size=60).map(" ".join)


def _check(text: str) -> None:
    for claim in extract_claims(Article(id="p", text=text)):
        assert text[claim.char_start:claim.char_end] == claim.figure_text
        for low, high in ((claim.lower, claim.value), (claim.value, claim.upper), (claim.lower, claim.upper)):
            if low is not None and high is not None:
                assert low <= high


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(NEWSY, st.text(min_size=1, max_size=400)))
def test_any_text(text):
    if text.strip():
        _check(text)


def test_one_megabyte_of_news():
    text = "".join(f"The ministry said about {i:,} people died on Thursday. " for i in range(1000, 21_000))[:1_000_000]
    claims = extract_claims(Article(id="big", text=text))
    assert len(claims) > 1000
    _check(text[:20_000])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(NEWSY, st.text(max_size=200)))
def test_the_sentence_prefilter_never_hides_a_figure(text):
    """Extraction skips sentences that may_hold_figure() rejects: it must accept every one with a figure."""
    if find_figures(tokenize(text)):
        assert may_hold_figure(text)
