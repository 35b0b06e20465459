"""extract_claims_batch: many articles through one nlp.pipe, the same claims as extract_claims one by one."""
from datetime import datetime, timezone


from schemas.models import Article
from services.extractor.extraction import parse
from services.extractor.extraction.extract import extract_claims, extract_claims_batch
from tests.unit.parse_helpers import needs_model

_PUBLISHED = datetime(2024, 5, 14, 9, 0, tzinfo=timezone.utc)
# our own sentences: a frame the parse reads, coordination, a bare figure, no figure at all
_TEXTS = [
    "Wardens put the number of volunteers at 80 on Monday. A spokesman insisted the figure was 120.",
    "At least 14 miners died and 30 were rescued from the flooded shaft, the regional governor said.",
    "The committee met on Tuesday to discuss the harbour plans. No decision was taken.",
    "Residents of the valley, 2 km from the river, were told to boil water.",
    "The ferry operator said 212 passengers had been evacuated. The figure was 230 by the evening, police said.",
]


def _articles() -> list[Article]:
    return [Article(id=f"batch-{i}", text=text, published_at=_PUBLISHED) for i, text in enumerate(_TEXTS)]


def _dump(claims) -> list[dict]:
    return [c.model_dump(mode="json") for c in claims]


def test_a_batch_gives_the_same_claims_as_one_by_one():
    articles = _articles()
    one_by_one = [_dump(extract_claims(a)) for a in articles]
    batched = [_dump(claims) for claims in extract_claims_batch(articles)]
    assert batched == one_by_one
    assert [len(c) > 0 for c in batched] == [True, True, False, False, True]


def test_an_empty_batch_gives_nothing():
    assert extract_claims_batch([]) == []


@needs_model
def test_one_pipe_for_the_whole_batch_and_no_frame_crosses_articles(monkeypatch):
    pipeline = parse.nlp()
    calls = []
    original = type(pipeline).pipe

    def counting(self, texts, **kwargs):
        calls.append(1)
        return original(self, texts, **kwargs)

    monkeypatch.setattr(type(pipeline), "pipe", counting)
    first, second, *_ = extract_claims_batch(_articles())
    assert len(calls) == 1
    # the frame noun of the first article names the bare figure after it, inside that article only
    assert {c.value: c.entity for c in first}[120] and "volunteers" in {c.value: c.entity for c in first}[120]
    assert not any("volunteers" in (c.entity or "") for c in second)


def test_rules_only_batches_too():
    parse.configure("none")
    try:
        articles = _articles()
        assert [_dump(c) for c in extract_claims_batch(articles)] == [_dump(extract_claims(a)) for a in articles]
    finally:
        parse.configure_default()


@needs_model
def test_the_indexed_attribute_ruler_annotates_as_spacy_does():
    import spacy

    fast = parse.nlp()
    assert "indexed_attribute_ruler" in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    slow = spacy.load(fast.meta["lang"] + "_" + fast.meta["name"], exclude=["senter"])
    texts = ["I ain't gonna sign it, the harbour master said of the 40 permits.",
             "They're gonna need 3,000 more beds; we can't wait   until May.\n\nSome 12 wards closed.",
             "Lemme see: the Ministry's figure was 1.2 million, wasn't it?"]

    def annotations(doc):
        return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]

    assert [annotations(d) for d in fast.pipe(texts)] == [annotations(d) for d in slow.pipe(texts)]


@needs_model
def test_each_candidate_sentence_is_tokenized_once_per_article(monkeypatch):
    from services.extractor.extraction import extract

    tokenized = []
    original = extract.tokenize

    def counting(text, offset=0):
        tokenized.append((offset, text))
        return original(text, offset)

    monkeypatch.setattr(extract, "tokenize", counting)
    claims = extract_claims_batch(_articles())
    assert sum(len(c) for c in claims) >= 5
    # the batch tokenizes each sentence once; a second run of one article tokenizes afresh, not from the last cache
    assert len(tokenized) == len(set(tokenized))
    tokenized.clear()
    extract_claims(_articles()[0])
    assert tokenized and len(tokenized) == len(set(tokenized))
    assert extract._TOKENS.get() is None  # no article's tokens outlive its extraction


def test_the_token_cache_gives_the_tokens_of_the_sentence_asked_for():
    from services.extractor.extraction import extract
    from services.extractor.extraction.sentences import Sentence

    text = "Some 40 boats sank."
    token = extract._TOKENS.set({})
    try:
        tokens = extract._sentence_tokens(Sentence(text, 0, len(text)))
        assert [t.text for t in tokens] == ["Some", "40", "boats", "sank", "."]
        assert extract._sentence_tokens(Sentence(text, 0, len(text))) is tokens
        # the same words further on in the article: their own offsets
        assert extract._sentence_tokens(Sentence(text, 100, 100 + len(text)))[1].start == 105
    finally:
        extract._TOKENS.reset(token)
