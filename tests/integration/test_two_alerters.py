"""Two alerter workers share the claims partitions; a quantity lookup works from either of them, with the
caller's token or login cookie passed on to the owner."""
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from kafka.partitioner.default import murmur2

from services.extractor.extraction import extract_claims
from services.ingestor.publisher import ArticlePublisher
from services.ingestor.replay import replay
from services.ingestor.sources import manifest_articles
from claimwatch.local_stack import LocalStack
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration
KEY = "north_korea.troops_deployed"


def _get(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=15) as response:
        return json.loads(response.read())


def _status(url, headers=None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _login_cookie(base: str, token: str) -> dict[str, str]:
    """The Cookie header a browser sends after logging in on the console (the 303 is not followed)."""
    request = urllib.request.Request(f"{base}/ui/login", data=urllib.parse.urlencode({"token": token}).encode())
    try:
        urllib.request.build_opener(_NoRedirect).open(request, timeout=15)
    except urllib.error.HTTPError as error:
        assert error.code == 303, error.code
        name, morsel = next(iter(SimpleCookie(error.headers["Set-Cookie"]).items()))
        return {"Cookie": f"{name}={morsel.value}"}
    raise AssertionError("the login did not answer 303")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _assignment(stack, timeout_s: float = 60.0) -> dict[str, set[int]]:
    """Worker name -> the claims partitions it owns, once both report the same split over two hosts
    (Faust's /router/ view lists each host's table changelog partitions, which mirror the claims partitions)."""
    deadline = time.monotonic() + timeout_s
    views = []
    while time.monotonic() < deadline:
        try:
            views = [_get(f"{stack.services[name].base_url}/router/") for name in ("alerter", "alerter2")]
        except OSError:
            views = []
        if views and views[0] == views[1] and len(views[0]) == 2:
            owned = {}
            for host, topics in views[0].items():
                name = next(n for n in ("alerter", "alerter2") if f":{stack.services[n].port}" in host)
                owned[name] = {p for topic, parts in topics.items() if "quantities-changelog" in topic for p in parts}
            if all(owned.values()):
                return owned
        time.sleep(0.3)
    raise AssertionError(f"the two alerters did not split the partitions within {timeout_s:.0f} s: {views}")


def _partition(key: str, partitions: int) -> int:
    # the producer's default partitioner: murmur2 of the key bytes
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def test_quantity_lookup_is_routed_to_the_owning_worker(tmp_path):
    with LocalStack(tmp_path / "stack", partitions=4) as stack:
        stack.start_alerter("alerter2")
        stack.wait_healthy(60)
        owned = _assignment(stack)
        publisher = ArticlePublisher(stack.kafka)
        replay(SEEDS, publisher, rate=50, progress=False)
        publisher.close()
        # the figures the seeds give this quantity, from the same pure extraction the service runs
        seed_claims = [c for _, article in manifest_articles(SEEDS / "manifest.json") for c in extract_claims(article)]
        expected = {c.claim_id for c in seed_claims if c.quantity_key == KEY}
        every_key = {c.quantity_key for c in seed_claims}
        deadline = time.monotonic() + 90
        answers, held = {}, {}
        while time.monotonic() < deadline:
            try:
                answers = {name: stack.api_get(f"/quantities/{KEY}", name) for name in ("alerter", "alerter2")}
                held = {name: {q["quantity_key"] for q in stack.api_get("/quantities", name)}
                        for name in ("alerter", "alerter2")}
                if (all({f["claim_id"] for f in a["timeline"]} == expected for a in answers.values())
                        and held["alerter"] | held["alerter2"] == every_key):
                    break
            except urllib.error.HTTPError:
                pass  # not decided yet
            time.sleep(0.5)
        # the worker that does not own KEY forwards the request with the caller's credentials, and only then
        non_owner = next(n for n in ("alerter", "alerter2") if _partition(KEY, 4) not in owned[n])
        url = f"{stack.services[non_owner].base_url}/quantities/{KEY}"
        refused = [_status(url), _status(url, {"Authorization": "Bearer not-the-token"})]
        by_cookie = _get(url, _login_cookie(stack.services[non_owner].base_url, stack.api_token))
        assert owned == _assignment(stack), "the group rebalanced during the test"
    # one of the two answers came from the worker that does not own the key: routed to the owner
    first, second = answers["alerter"], answers["alerter2"]
    assert [f["claim_id"] for f in first["timeline"]] == [f["claim_id"] for f in second["timeline"]]
    assert {f["claim_id"] for f in first["timeline"]} == expected and len(expected) >= 5
    assert refused == [401, 401]
    assert [f["claim_id"] for f in by_cookie["timeline"]] == [f["claim_id"] for f in first["timeline"]]
    # every quantity decided, also where a partition's last record was skipped (it holds no commit back),
    # and each worker holds exactly the quantities whose claims partition it owns
    assert held["alerter"] | held["alerter2"] == every_key
    assert not (held["alerter"] & held["alerter2"])
    for name in ("alerter", "alerter2"):
        assert held[name] == {k for k in every_key if _partition(k, 4) in owned[name]}
