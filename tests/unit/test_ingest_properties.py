"""Hostile input at the ingest boundary: whatever bytes arrive, parsing never raises, memory stays bounded,
and each input becomes an Article or a Rejection with a reason a person can act on."""
import json
import tracemalloc

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models import Article
from services.ingestor.sources import Rejection, parse_bytes

NAMES = st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.html", "noext"])
HTML = st.lists(st.sampled_from(["<html>", "<p>", "</p>", "<script>alert(1)</script>", "&amp;", "Officials said",
                                 " 40 people died.", "<br/>", "\u202e", "\x1b[31m", "\r\n"]), max_size=40).map("".join)
ENCODED = st.tuples(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1251", "utf-32"])
                    ).map(lambda pair: pair[0].encode(pair[1], errors="replace"))
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                           st.sampled_from(["id", "text", "published_at", "url", "outlet", "x"]), inner, max_size=5),
                       max_leaves=12).map(lambda value: json.dumps(value).encode())


def _results(data: bytes, name: str) -> list:
    results = list(parse_bytes(data, name, "property"))
    assert results, "every input yields at least one outcome"
    for result in results:
        assert isinstance(result, (Article, Rejection))
        if isinstance(result, Rejection):
            assert len(result.reason) > 10 and result.origin.startswith("property")
    return results


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=2000), HTML.map(str.encode), ENCODED, JSONISH), NAMES)
def test_any_bytes_become_an_article_or_a_reasoned_rejection(data, name):
    _results(data, name)


def test_control_characters_and_nul_bytes_are_rejected_as_binary():
    [result] = _results(b"Officials said\x00 40 people died.", "a.txt")
    assert isinstance(result, Rejection) and "binary" in result.reason


def test_a_utf16_file_is_rejected_with_the_reason():
    [result] = _results("Officials said 40 people died.".encode("utf-16"), "a.txt")
    assert isinstance(result, Rejection)


def test_a_10_mb_body_is_rejected_without_holding_many_copies():
    body = ("Officials said 40 people died. " * 340_000).encode()  # about 10 MB
    tracemalloc.start()
    try:
        [result] = _results(body, "a.txt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, Rejection) and "too long" in result.reason
    assert peak < 6 * len(body), f"peak {peak / 1e6:.0f} MB for a {len(body) / 1e6:.0f} MB body"


def test_a_10_mb_jsonl_of_bad_lines_gives_one_reason_per_line():
    body = b"{not json\n" * 1_000_000  # 10 MB
    results = list(parse_bytes(body, "a.jsonl", "property"))
    assert len(results) == 1_000_000
    assert all(isinstance(r, Rejection) and r.reason.startswith("malformed JSON") for r in results[:5])
