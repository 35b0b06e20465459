"""The ingestor refuses articles not in English (the extractor's rules are English-only), on every input path,
with a one-line reason and the rejected counter's not_english label; English is never refused."""
import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from schemas.models import Article
from services.ingestor import http_api, metrics
from services.ingestor.language import check_english, rules
from services.ingestor.settings import IngestorSettings
from services.ingestor.sources import NOT_ENGLISH, Rejection, article_from_mapping, parse_bytes
from tests.unit.language_samples import ENGLISH, FOREIGN

NAMES = {"fr": "French", "es": "Spanish", "de": "German", "pt": "Portuguese", "it": "Italian", "id": "Indonesian"}


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_a_paragraph_in_another_language_is_refused_naming_it(code):
    verdict = check_english(FOREIGN[code])
    assert not verdict.english and verdict.language == code
    assert verdict.reason == f"not English: the text reads as {NAMES[code]} (claimwatch extracts English only)"


@pytest.mark.parametrize("text", ENGLISH)
def test_hard_english_is_not_refused(text):
    assert check_english(text).english
    assert check_english(text, "en-GB").english


def test_a_short_text_is_let_through_whatever_its_language():
    short = " ".join(FOREIGN["fr"].split()[:rules().min_words - 1])
    assert check_english(short).english
    assert not check_english(" ".join(FOREIGN["fr"].split()[:rules().min_words + 5])).english


def test_a_declared_other_language_is_refused_even_when_short():
    verdict = check_english("Officials said 40 people died.", "es")
    assert not verdict.english and '"es" (Spanish)' in verdict.reason and verdict.reason.startswith("not English")


def test_a_declared_en_does_not_hide_french_text():
    assert not check_english(FOREIGN["fr"], "en").english


@pytest.mark.parametrize("declared", [None, "", "und", "EN", "en-US", "en_GB", "eng"])
def test_english_or_undetermined_declarations_are_judged_on_the_text(declared):
    assert check_english(ENGLISH[-1], declared).english
    assert not check_english(FOREIGN["de"], declared).english


def test_an_unknown_declared_code_is_another_language():
    assert "(another language)" in check_english(ENGLISH[-1], "xq").reason


def test_the_reason_is_one_line():
    for code, text in FOREIGN.items():
        assert "\n" not in check_english(text).reason


def test_sources_reject_a_french_text_file_with_the_not_english_kind():
    [result] = parse_bytes(FOREIGN["fr"].encode(), "rapport.txt", "in/rapport.txt")
    assert isinstance(result, Rejection) and result.kind == NOT_ENGLISH and result.origin == "in/rapport.txt"
    assert result.reason.startswith("not English: the text reads as French")


def test_sources_reject_only_the_foreign_lines_of_a_jsonl():
    lines = [json.dumps({"id": "a", "text": ENGLISH[-1]}), json.dumps({"id": "b", "text": FOREIGN["es"]}),
             json.dumps({"id": "c", "text": ENGLISH[0], "language": "pt"})]
    results = list(parse_bytes("\n".join(lines).encode(), "feed.jsonl", "feed"))
    assert isinstance(results[0], Article)
    assert [(r.origin, r.kind) for r in results[1:]] == [("feed:2", NOT_ENGLISH), ("feed:3", NOT_ENGLISH)]


def test_an_invalid_article_keeps_the_invalid_kind():
    result = article_from_mapping({"id": "x", "text": " "}, "body[0]")
    assert isinstance(result, Rejection) and result.kind == "invalid"


class _Publisher:
    def __init__(self):
        self.sent = []

    def publish(self, article, _input):
        self.sent.append(article)
        return article

    def flush(self):
        return len(self.sent)


def _count(reason: str) -> float:
    return metrics.REGISTRY.get_sample_value("claimwatch_ingest_rejected_total",
                                             {"input": "http", "reason": reason}) or 0.0


def test_http_answers_422_with_the_reason_and_counts_not_english(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "t-" + "x" * 30)
    publisher = _Publisher()
    app = http_api.make_app(IngestorSettings(), publisher)
    before = _count(NOT_ENGLISH)

    async def post():
        async with TestClient(TestServer(app)) as client:
            response = await client.post("/articles", json={"id": "it-1", "text": FOREIGN["it"]},
                                         headers={"Authorization": f"Bearer t-{'x' * 30}"})
            return response.status, await response.json()

    status, body = asyncio.run(post())
    assert status == 422 and not publisher.sent
    assert body["rejected"] == [{"item": "body[0]", "reason": "not English: the text reads as Italian "
                                                              "(claimwatch extracts English only)"}]
    assert _count(NOT_ENGLISH) == before + 1


def test_replay_refuses_a_manifest_with_a_foreign_article_and_counts_it(tmp_path):
    from services.ingestor.replay import replay
    from services.ingestor.sources import ManifestError
    (tmp_path / "a.txt").write_text(ENGLISH[-1])
    (tmp_path / "b.txt").write_text(FOREIGN["pt"])
    (tmp_path / "manifest.json").write_text(json.dumps({"articles": [{"file": "a.txt"}, {"file": "b.txt"}]}))
    sample = ("claimwatch_ingest_rejected_total", {"input": "replay", "reason": NOT_ENGLISH})
    before = metrics.REGISTRY.get_sample_value(*sample) or 0.0
    publisher = _Publisher()
    with pytest.raises(ManifestError) as error:
        replay(tmp_path, publisher, progress=False)
    [problem] = error.value.problems
    assert "articles[1] (b.txt)" in problem and "not English: the text reads as Portuguese" in problem
    assert error.value.not_english == 1 and not publisher.sent
    assert metrics.REGISTRY.get_sample_value(*sample) == before + 1
