"""Contracts: JSON Schema files match the models, and validation rejects what it must."""
import json
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from schemas.export import JSON_DIR, rendered
from schemas.models import Article, content_hash


def test_json_schema_files_match_the_models():
    expected = rendered()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in JSON_DIR.glob("*.schema.json")}
    assert set(on_disk) == set(expected), "run `make schemas` to export the contracts"
    for name, text in expected.items():
        assert on_disk[name] == text, f"{name} drifted from the model: run `make schemas`"


def test_claim_schema_carries_the_cli_contract_fields():
    properties = json.loads(rendered()["Claim.schema.json"])["properties"]
    for field in ("article_id", "figure_text", "char_start", "char_end", "sentence", "value", "lower", "upper",
                  "qualifier", "entity", "actor", "measure", "location", "as_of", "source", "modality",
                  "quantity_key"):
        assert field in properties


def test_article_rejects_blank_text():
    with pytest.raises(ValidationError, match="empty"):
        Article(id="a", text="   \n ")


def test_article_reads_naive_timestamps_as_utc_and_fills_the_hash():
    article = Article(id="a", text="Four people died.", published_at="2024-10-31T12:00:00")
    assert article.published_at.tzinfo == timezone.utc
    assert article.content_hash == content_hash("Four people died.")


def test_content_hash_ignores_whitespace_layout_only():
    assert content_hash("Four  people\ndied.") == content_hash("Four people died.")
    assert content_hash("Four people died.") != content_hash("Five people died.")


def test_an_optional_time_is_none_when_missing_and_utc_when_naive():
    from schemas.timeparse import parse_optional_time
    assert parse_optional_time(None) is None and parse_optional_time("") is None
    assert parse_optional_time("2024-03-02T12:00:00") == datetime(2024, 3, 2, 12, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_optional_time("March 2")
