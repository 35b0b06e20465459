"""Webhooks carry the article's headline and a link to the quantity's page in the console."""
import json
from datetime import datetime, timezone

from schemas.models import Alert, AlertKind, Severity
from services.alerter.webhooks import MAX_PAYLOAD_BYTES, console_link, slack_payload, standard_payload
from tests.helpers import make_claim

NOW = datetime(2025, 3, 4, tzinfo=timezone.utc)
KEY = "harbour|town.killed <b>&x"


def _alert(headline="Ferry capsizes near the old harbour", sentence=None):
    claim = make_claim(12, key=KEY, source="Coast guard", sentence=sentence).model_copy(
        update={"headline": headline, "outlet": "Harbour Gazette"})
    return Alert(alert_id="a1", kind=AlertKind.new, severity=Severity.info, quantity_key=KEY, summary="New: x",
                 claim=claim)


def test_the_link_percent_encodes_the_whole_key():
    link = console_link("https://alerts.example.org/ui/", KEY)
    assert link == "https://alerts.example.org/ui/#quantity=harbour%7Ctown.killed%20%3Cb%3E%26x"
    assert console_link("https://alerts.example.org/ui", KEY) == link
    assert console_link(None, KEY) is None


def test_the_standard_payload_has_the_headline_and_the_link():
    body = standard_payload(_alert(), NOW, "https://alerts.example.org/ui/")
    assert body["data"]["claim"]["headline"] == "Ferry capsizes near the old harbour"
    assert body["data"]["console_url"].endswith("#quantity=harbour%7Ctown.killed%20%3Cb%3E%26x")
    assert "console_url" not in standard_payload(_alert(), NOW)["data"]  # no setting, no link


def test_a_huge_headline_is_cut_to_fit():
    body = standard_payload(_alert(headline="wave " * 20000), NOW, "https://alerts.example.org/ui/")
    assert len(json.dumps(body)) <= MAX_PAYLOAD_BYTES and body["data"]["console_url"]


def test_slack_shows_the_escaped_headline_and_links_to_the_console():
    text = slack_payload(_alert(headline="*Ferry* <!channel> & co"), "https://alerts.example.org/ui/")[
        "blocks"][0]["text"]["text"]
    assert "From: \u2217Ferry\u2217 &lt;!channel&gt; &amp; co · Harbour Gazette" in text
    assert text.endswith("<https://alerts.example.org/ui/#quantity=harbour%7Ctown.killed%20%3Cb%3E%26x"
                         "|Open the quantity in the console>")
    assert "console" not in slack_payload(_alert())["blocks"][0]["text"]["text"]
