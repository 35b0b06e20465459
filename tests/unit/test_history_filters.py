"""The /alerts filters: dates with or without a time or zone (naive is UTC), and a clear answer to a bad kind."""
from datetime import datetime, timedelta, timezone

import pytest

from schemas.models import Alert, AlertKind, Severity
from services.alerter import history
from tests.helpers import make_claim


def _entry(alert_id: str, published: str | None, kind: AlertKind = AlertKind.new, key: str = "x.killed.y") -> dict:
    claim = make_claim(40, key=key, claim_id=f"c-{alert_id}")
    entry = Alert(alert_id=alert_id, kind=kind, severity=Severity.info, quantity_key=key, claim=claim,
                  summary=f"{alert_id} summary").model_dump(mode="json")
    entry["claim"]["published_at"] = published  # as stored, including text written before times were aware
    return entry


LOGS = [[_entry("old", "2024-12-31T23:30:00Z"), _entry("new-year", "2025-01-01T00:00:00Z"),
         _entry("offset", "2025-01-01T03:00:00+05:00")],  # 2024-12-31T22:00 UTC
        [_entry("naive", "2025-01-02T08:00:00", kind=AlertKind.denial, key="z.killed.w"),
         _entry("undated", None, kind=AlertKind.update, key="z.killed.w")]]


def _ids(alerts: list[dict]) -> list[str]:
    return [a["alert_id"] for a in alerts]


@pytest.mark.parametrize("since", ["2025-01-01", "2025-01-01T00:00", "2025-01-01T00:00:00Z",
                                   "2025-01-01T05:00:00+05:00"])
def test_since_accepts_a_date_or_a_time_with_or_without_a_zone(since):
    query = history.alert_query({"since": since})
    assert query.since == datetime(2025, 1, 1, tzinfo=timezone.utc)
    # the aware, the offset and the naive (UTC) stored times compare as instants; undated alerts are kept
    assert _ids(history.select_alerts(LOGS, query.since)) == ["naive", "new-year", "undated"]


def test_a_naive_since_is_read_as_utc():
    assert _ids(history.select_alerts(LOGS, datetime(2025, 1, 1, 12, 0))) == ["naive", "undated"]


def test_alerts_are_sorted_by_instant_not_by_text():
    # "2025-01-01T03:00:00+05:00" sorts after "2024-12-31T23:30:00Z" as text but is 90 minutes earlier
    assert _ids(history.select_alerts(LOGS)) == ["naive", "new-year", "old", "offset", "undated"]


def test_kind_and_quantity_filters():
    query = history.alert_query({"kind": "denial", "quantity": "z.killed.w", "page": "2"})  # page: ignored
    assert (query.kind, query.quantity) == ("denial", "z.killed.w")
    assert _ids(history.select_alerts(LOGS, query.since, query.kind, query.quantity)) == ["naive"]
    assert _ids(history.select_alerts(LOGS, quantity="x.killed.y")) == ["new-year", "old", "offset"]


def test_an_unknown_kind_is_refused_with_the_allowed_values():
    with pytest.raises(ValueError) as caught:
        history.alert_query({"kind": "bogus"})
    message = str(caught.value)
    assert "\n" not in message and "'bogus'" in message
    assert all(kind.value in message for kind in AlertKind)


@pytest.mark.parametrize("since", ["yesterday", "2025-13-01", "01/02/2025"])
def test_a_malformed_since_is_refused_in_one_line(since):
    with pytest.raises(ValueError) as caught:
        history.alert_query({"since": since})
    message = str(caught.value)
    assert message.startswith("since is not an ISO 8601 date") and repr(since) in message and "\n" not in message


def test_empty_parameters_are_no_filter():
    query = history.alert_query({"kind": "", "since": "", "quantity": ""})
    assert (query.since, query.kind, query.quantity) == (None, None, None)
    assert len(history.select_alerts(LOGS, query.since, query.kind, query.quantity)) == 5


def test_since_excludes_what_came_before_it():
    cutoff = datetime(2025, 1, 2, 8, 0, tzinfo=timezone.utc)
    assert _ids(history.select_alerts(LOGS, cutoff)) == ["naive", "undated"]
    assert _ids(history.select_alerts(LOGS, cutoff + timedelta(seconds=1))) == ["undated"]


def _sourced(alert_id: str, source: str, related_source: str | None = None) -> dict:
    entry = _entry(alert_id, "2025-01-01T00:00:00Z", key=f"q.{alert_id}.killed")
    entry["claim"]["source"] = source
    if related_source:
        entry["related"] = [{**entry["claim"], "source": related_source, "claim_id": "r"}]
    return entry


def test_source_and_part_of_key_filter_on_the_server():
    logs = [[_sourced("a", "Harbour Police"), _sourced("b", "Coast guard", related_source="harbour police")],
            [_sourced("c", "Fire service")]]
    query = history.alert_query({"source": "  POLICE "})
    assert sorted(_ids(history.page_alerts(logs, query)[0])) == ["a", "b"]  # the triggering or a related claim
    assert _ids(history.page_alerts(logs, history.alert_query({"q": ".C."}))[0]) == ["c"]


def test_pages_are_stable_and_report_the_total():
    logs = [[_entry(f"id{n:02}", "2025-01-01T00:00:00Z") for n in range(7)]]  # one instant: ties by id
    first, total = history.page_alerts(logs, history.alert_query({"limit": "3"}))
    second, _ = history.page_alerts(logs, history.alert_query({"limit": "3", "offset": "3"}))
    last, _ = history.page_alerts(logs, history.alert_query({"limit": "3", "offset": "6"}))
    assert total == 7 and _ids(first + second + last) == [f"id{n:02}" for n in range(7)]


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "100000"}, {"limit": "ten"}, {"offset": "-1"}])
def test_a_bad_page_is_refused_in_one_line(params):
    with pytest.raises(ValueError) as caught:
        history.alert_query(params)
    assert "\n" not in str(caught.value) and "whole number" in str(caught.value)


def test_pages_from_several_workers_merge_in_one_order_each_alert_once():
    logs_a = [[_entry("a1", "2025-01-03T00:00:00Z"), _entry("a2", "2025-01-01T00:00:00Z")]]
    logs_b = [[_entry("b1", "2025-01-02T00:00:00Z"), _entry("b2", None)]]
    whole = _ids(history.page_alerts(logs_a + logs_b, history.alert_query({}))[0])
    pages = [history.page_alerts(logs, history.alert_query({"limit": "3"}))[0] for logs in (logs_a, logs_b)]
    assert _ids(history.merge_alert_pages(pages, 0, 3)) == whole[:3] == ["a1", "b1", "a2"]
    assert _ids(history.merge_alert_pages([*pages, pages[0]], 2, 3)) == whole[2:] == ["a2", "b2"]


def test_quantities_from_several_workers_are_listed_once():
    def summary(key, figures):
        return {"quantity_key": key, "figures": figures, "alerts": 1}
    merged = history.merge_quantities([[summary("b", 1), summary("a", 2)], [summary("a", 3), summary("c", 1)]])
    assert [(q["quantity_key"], q["figures"]) for q in merged] == [("a", 3), ("b", 1), ("c", 1)]
