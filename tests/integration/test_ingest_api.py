"""POST /articles over HTTP, with a bearer token, publishing to the tests' broker."""
import json
import urllib.error
import urllib.request

import pytest

from schemas.models import Article
from schemas.topics import ARTICLES
from tests.helpers import consume
from tests.integration.conftest import TOKEN

pytestmark = pytest.mark.integration


def post(base, body: bytes, token: str | None = TOKEN, content_type="application/json"):
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + "/articles", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_authenticated_post_publishes(api):
    base, broker = api
    article = {"id": "http-1", "text": "Officials said 40 people died.", "published_at": "2024-01-02T00:00:00Z"}
    status, body = post(base, json.dumps(article).encode())
    assert status == 202 and body["accepted"][0]["id"] == "http-1"
    [record] = consume(broker.bootstrap, ARTICLES, 1)
    published = Article.model_validate_json(record.value)
    assert published.id == "http-1" and published.ingested_at is not None
    assert record.key.decode() == published.content_hash


@pytest.mark.parametrize("token", [None, "wrong"])
def test_missing_or_wrong_token_is_401(api, token):
    status, _ = post(api[0], b'{"id": "a", "text": "b"}', token=token)
    assert status == 401


def test_wrong_content_type_is_415(api):
    assert post(api[0], b"hello", content_type="text/plain")[0] == 415


def test_body_over_the_limit_is_413(api):
    body = json.dumps({"id": "big", "text": "x" * 200_000}).encode()
    assert post(api[0], body)[0] == 413


def test_malformed_and_invalid_bodies_are_rejected_with_reasons(api):
    status, body = post(api[0], b"{broken")
    assert status == 400 and "JSON" in body["detail"]
    status, body = post(api[0], json.dumps({"id": "no-text"}).encode())
    assert status == 422 and "text" in body["rejected"][0]["reason"]
