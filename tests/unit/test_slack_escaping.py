"""Article text in Slack messages is inert: no mentions, no planted links, no formatting of its own; and the
Standard Webhooks payload stays under its size limit whatever the article held."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from schemas.models import Alert, AlertKind, Severity
from services.alerter.webhooks import MAX_PAYLOAD_BYTES, slack_payload, standard_payload
from tests.helpers import make_claim

HOSTILE = ("Wardens counted 212 <!channel> evacuees & <https://bad.example/x|see the list> at dawn > noon; "
           "@here @everyone ping <@U024BE7LH> and <!subteam^S1> now *loud* _slanted_ ~gone~ `code`\nnext line")
SOURCE = "Harbour Authority <!here> & Co. *Ltd*"
WORD_JOINER = "\u2060"  # after an @, so that Slack pings nobody
# mrkdwn cannot escape its formatting marks: article text gets these look-alikes instead
LOOKALIKES = {"\u2217": "*", "\u02cd": "_", "\u223c": "~", "\u02cb": "`"}
SLACK_SECTION_MAX = 3000  # characters in a section block's text
# An & that does not start one of the three entities Slack decodes
RAW_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")


def _alert(sentence=HOSTILE, source=SOURCE, summary=None, related=1):
    claim = make_claim(212, sentence=sentence, source=source)
    others = [make_claim(190 + n, source=source, sentence=sentence, claim_id=f"r{n}") for n in range(related)]
    return Alert(alert_id="a1", kind=AlertKind.contradiction, severity=Severity.critical, quantity_key="k",
                 summary=summary or f"Contradiction: {source} says 212 <!channel> & @here", claim=claim,
                 related=others)


def unescape(text: str) -> str:
    """What Slack shows: entities decoded (& last), the word joiner after @ invisible."""
    return text.replace(WORD_JOINER, "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _block_text(payload: dict) -> str:
    (block,) = payload["blocks"]
    assert block["text"]["type"] == "mrkdwn"
    return block["text"]["text"]


def _article_parts(block: str) -> list[str]:
    """The block's lines without the formatting claimwatch adds itself (bold summary, quote, bullets)."""
    summary, quote, *bullets = block.split("\n")
    assert summary.startswith("*") and summary.endswith("*") and quote.startswith("> ")
    assert bullets and all(line.startswith("• ") for line in bullets)
    return [summary[1:-1], quote[2:], *(line[2:] for line in bullets)]


def test_no_mention_link_or_unescaped_character_from_the_article_reaches_slack():
    payload = slack_payload(_alert())
    for text in (payload["text"], *_article_parts(_block_text(payload))):
        assert "<" not in text and ">" not in text and not RAW_AMPERSAND.search(text), text
    everything = json.dumps(payload, ensure_ascii=False)
    assert "<!channel>" not in everything and "<http" not in everything and "<!here>" not in everything
    assert "<@U024BE7LH>" not in everything and "<!subteam" not in everything
    for mention in ("@here", "@everyone", "@channel"):
        assert mention not in everything
    assert "&lt;!channel&gt;" in _block_text(payload) and "&lt;https://bad.example/x|see the list&gt;" in everything


def test_the_escaped_text_round_trips():
    alert = _alert()
    payload = slack_payload(alert)
    assert unescape(payload["text"]) == alert.summary
    summary, quote, bullet = _article_parts(_block_text(payload))
    restore = lambda text: "".join(LOOKALIKES.get(char, char) for char in unescape(text))  # noqa: E731
    assert restore(summary) == alert.summary
    assert restore(quote) == HOSTILE.replace("\n", " ")
    assert restore(bullet) == f"{SOURCE}: {alert.related[0].figure_text} ({alert.related[0].as_of})"


def test_article_formatting_marks_cannot_format_the_block():
    block = _block_text(slack_payload(_alert()))
    summary, quote, bullet = _article_parts(block)
    for part in (summary, quote, bullet):
        assert not set("*_~`") & set(part), part
    # one line per part: a newline in the article cannot start a quote or a bullet of its own
    assert len(block.split("\n")) == 3
    assert "next line" in quote


def test_the_mrkdwn_block_is_not_auto_linked():
    payload = slack_payload(_alert())
    assert payload["blocks"][0]["text"]["verbatim"] is True
    assert payload["unfurl_links"] is False and payload["unfurl_media"] is False


def test_a_long_hostile_article_keeps_the_block_within_slacks_limit_and_entities_whole():
    sentence = "&<>" * 3000
    payload = slack_payload(_alert(sentence=sentence, source="&" * 500, summary="<" * 5000, related=5))
    block = _block_text(payload)
    assert len(block) <= SLACK_SECTION_MAX
    assert block.count("\n") == 4  # summary, quote, three related lines at most
    for text in (payload["text"], *_article_parts(block)):
        assert "…" in text and not RAW_AMPERSAND.search(text)
        assert not re.search(r"&(a|am|amp|l|lt|g|gt)?…", text)  # never half an entity


def test_standard_payload_with_long_free_text_stays_under_the_limit_and_keeps_ids():
    related = [make_claim(100 + n, source="S" * 3000, sentence="y" * 3000, claim_id=f"rel-{n}") for n in range(7)]
    claim = make_claim(64, source="B" * 3000, sentence="x" * 30_000)
    alert = Alert(alert_id="a-long", kind=AlertKind.contradiction, severity=Severity.critical,
                  quantity_key="k.long", summary="Contradiction: " + "B" * 3000, claim=claim, related=related)
    body = standard_payload(alert, datetime.now(timezone.utc))
    text = json.dumps(body, separators=(",", ":"))
    assert len(text) <= MAX_PAYLOAD_BYTES
    data = json.loads(text)["data"]
    assert data["alert_id"] == "a-long" and data["quantity_key"] == "k.long"
    assert [c["claim_id"] for c in data["related"]] == [f"rel-{n}" for n in range(7)]
    assert data["claim"]["claim_id"] == claim.claim_id and data["claim"]["value"] == 64
