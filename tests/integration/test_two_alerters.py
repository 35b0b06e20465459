"""Two alerter workers share the claims partitions; a quantity lookup works from either of them."""
import json
import time
import urllib.request

import pytest

from services.ingestor.publisher import ArticlePublisher
from services.ingestor.replay import replay
from services.local_stack import LocalStack
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration


def _get(url):
    with urllib.request.urlopen(url, timeout=15) as response:
        return json.loads(response.read())


def test_quantity_lookup_is_routed_to_the_owning_worker(tmp_path):
    with LocalStack(tmp_path / "stack", partitions=4) as stack:
        stack.start_alerter("alerter2")
        stack.wait_healthy(60)
        time.sleep(8)  # let the group settle into two members before records flow (hand-over takes ~5-7 s)
        publisher = ArticlePublisher(stack.kafka)
        replay(SEEDS, publisher, rate=50, progress=False)
        publisher.close()
        deadline = time.monotonic() + 90
        answers = {}
        while time.monotonic() < deadline:
            try:
                answers = {name: _get(f"{stack.services[name].base_url}/quantities/north_korea.troops_deployed")
                           for name in ("alerter", "alerter2")}
                if all(len(a["timeline"]) >= 5 for a in answers.values()):
                    break
            except urllib.error.HTTPError:
                pass
            time.sleep(0.5)
        local_keys = [{q["quantity_key"] for q in _get(f"{stack.services[name].base_url}/quantities")}
                      for name in ("alerter", "alerter2")]
    first, second = answers["alerter"], answers["alerter2"]
    assert [f["claim_id"] for f in first["timeline"]] == [f["claim_id"] for f in second["timeline"]]
    assert len(first["timeline"]) >= 5
    # each worker holds only its own partitions, and together they hold every quantity
    assert local_keys[0] and local_keys[1] and not (local_keys[0] & local_keys[1])
