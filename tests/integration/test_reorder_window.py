"""The alerter's reorder window, on the tests' broker: two figures that arrive out of publication order
within the window are decided in publication order (no amendment); without a window the late one amends the
alert sent before it. Either way the sink ends holding the alerts of an in-order replay."""
from datetime import date, datetime, timezone

import pytest
from kafka import KafkaProducer

from claimwatch.local_stack import LocalStack
from schemas.models import Alert
from schemas.topics import CLAIMS
from services.alerter.history import standing
from tests.helpers import make_claim, outbox, wait_until

pytestmark = pytest.mark.integration
KEY = "march.crowd_size.ruritania"


def _figures():
    def at(claim, hour):
        return claim.model_copy(update={"published_at": datetime(2025, 6, 2, hour, tzinfo=timezone.utc)})
    police = at(make_claim(12000, source="Police", as_of=date(2025, 6, 2), article="w1", key=KEY,
                           measure="crowd_size"), 8)
    union = at(make_claim(90000, source="The union", as_of=date(2025, 6, 2), article="w2", key=KEY,
                          measure="crowd_size"), 15)
    return police, union


@pytest.mark.parametrize("window_s, amendments", [("0", 1), ("3", 0)])
def test_figures_arriving_out_of_order(tmp_path, window_s, amendments):
    police, union = _figures()
    in_order = {a.alert_id for a in outbox([police, union])}
    with LocalStack(tmp_path / "stack", env_overrides={"CLAIMWATCH_ALERTER_REORDER_WINDOW_S": window_s}) as stack:
        producer = KafkaProducer(bootstrap_servers=stack.broker.bootstrap,
                                 batch_size=stack.kafka.producer_max_batch_size)
        for claim in (union, police):  # the later figure first
            producer.send(CLAIMS, key=KEY.encode(), value=claim.model_dump_json().encode())
        producer.flush()
        producer.close()
        received = wait_until(lambda: len(stack.received_alerts()) >= 2 + amendments and stack.received_alerts(),
                              60, "the alerts at the sink")
        alerts = [Alert.model_validate(r["payload"]["data"]) for r in received]
    assert sum(a.amended for a in alerts) == amendments, [a.summary for a in alerts]
    assert set(standing(alerts)) == in_order
    kinds = sorted(a.kind.value for a in standing(alerts).values())
    assert kinds == ["contradiction", "new"]
