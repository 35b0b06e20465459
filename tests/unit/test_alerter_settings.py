"""The alerter's API token (for the history API and console) and its refusal of unsigned endpoints."""
from __future__ import annotations

import base64
import json
import os
import secrets

import pytest

from services.alerter.settings import AlerterSettings
from services.common.errors import ConfigError

SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CLAIMWATCH_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env here


def _hooks(monkeypatch, *endpoints):
    monkeypatch.setenv("CLAIMWATCH_ALERTER_WEBHOOKS", json.dumps(list(endpoints)))


def _one_line_refusal(build) -> str:
    with pytest.raises(ConfigError) as info:
        build()
    assert "\n" not in str(info.value) and "Value error" not in str(info.value)
    return str(info.value)


def test_tools_build_the_settings_without_a_token_or_endpoints():
    settings = AlerterSettings()
    assert settings.api_token_value() is None and settings.webhooks == []
    assert settings.allow_unsigned_webhooks is False


def test_api_token_from_the_environment(monkeypatch):
    token = secrets.token_urlsafe(32)
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN", token)
    assert AlerterSettings().api_token_value() == token


def test_api_token_from_a_file_is_stripped(monkeypatch, tmp_path):
    token = secrets.token_urlsafe(24)
    path = tmp_path / "alerter-token"
    path.write_text(f"  {token}\n")
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN_FILE", str(path))
    assert AlerterSettings().api_token_value() == token


def test_the_environment_wins_over_the_file(monkeypatch, tmp_path):
    (tmp_path / "alerter-token").write_text(secrets.token_urlsafe(24))
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN_FILE", str(tmp_path / "alerter-token"))
    token = secrets.token_urlsafe(24)
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN", token)
    assert AlerterSettings().api_token_value() == token


@pytest.mark.parametrize("value", ["change-me", "password", "<api token>", "xxxxxxxxxxxxxxxxxxxxxxxx"])
def test_a_placeholder_api_token_is_refused(monkeypatch, value):
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN", value)
    message = _one_line_refusal(lambda: AlerterSettings().api_token_value())
    assert message.startswith("CLAIMWATCH_ALERTER_API_TOKEN is a placeholder value")
    assert "token_urlsafe" in message


def test_a_short_api_token_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN", "Qp7-zW2m")
    assert "too short (8 characters)" in _one_line_refusal(lambda: AlerterSettings().api_token_value())
    monkeypatch.delenv("CLAIMWATCH_ALERTER_API_TOKEN")
    (tmp_path / "alerter-token").write_text("Qp7-zW2m\n")
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN_FILE", str(tmp_path / "alerter-token"))
    message = _one_line_refusal(lambda: AlerterSettings().api_token_value())
    assert message.startswith("CLAIMWATCH_ALERTER_API_TOKEN_FILE: the token in") and "too short" in message


def test_the_api_token_is_not_in_the_repr(monkeypatch):
    token = secrets.token_urlsafe(32)
    monkeypatch.setenv("CLAIMWATCH_ALERTER_API_TOKEN", token)
    assert token not in repr(AlerterSettings()) and token not in str(AlerterSettings())


def test_an_unsigned_endpoint_is_refused_naming_it(monkeypatch):
    _hooks(monkeypatch, {"name": "signed", "url": "https://a.example.org/hook", "secrets": [SECRET]},
           {"name": "ops-room", "url": "https://b.example.org/hook"})
    message = _one_line_refusal(AlerterSettings)
    assert message.startswith("CLAIMWATCH_ALERTER_WEBHOOKS: endpoint 'ops-room' has no signing secret")
    assert "CLAIMWATCH_ALERTER_ALLOW_UNSIGNED_WEBHOOKS=true" in message


def test_an_empty_secret_list_is_unsigned_too(monkeypatch):
    _hooks(monkeypatch, {"name": "ops-room", "url": "https://b.example.org/hook", "secrets": []})
    assert "'ops-room' has no signing secret" in _one_line_refusal(AlerterSettings)


def test_unsigned_delivery_when_explicitly_allowed(monkeypatch):
    _hooks(monkeypatch, {"name": "ops-room", "url": "https://b.example.org/hook", "format": "slack"})
    monkeypatch.setenv("CLAIMWATCH_ALERTER_ALLOW_UNSIGNED_WEBHOOKS", "true")
    (endpoint,) = AlerterSettings().webhooks
    assert endpoint.name == "ops-room" and endpoint.secrets == []


def test_allowing_unsigned_does_not_allow_placeholder_secrets(monkeypatch):
    _hooks(monkeypatch, {"name": "ops-room", "url": "https://b.example.org/hook", "secrets": ["whsec_change-me"]})
    monkeypatch.setenv("CLAIMWATCH_ALERTER_ALLOW_UNSIGNED_WEBHOOKS", "true")
    assert "'ops-room': its secret is a placeholder" in _one_line_refusal(AlerterSettings)


def test_a_bad_second_secret_while_rotating_is_named(monkeypatch):
    _hooks(monkeypatch, {"name": "newsroom", "url": "https://a.example.org/hook",
                         "secrets": [SECRET, "whsec_" + base64.b64encode(b"only-twelve!").decode()]})
    message = _one_line_refusal(AlerterSettings)
    assert message.startswith("CLAIMWATCH_ALERTER_WEBHOOKS: endpoint 'newsroom': secret 2 is too short (12 bytes")


def test_webhooks_that_are_not_json_give_one_line(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_ALERTER_WEBHOOKS", '[{"name": "sink", url: "http://127.0.0.1:8090"}]')
    assert _one_line_refusal(AlerterSettings).startswith("CLAIMWATCH_ALERTER_WEBHOOKS is not valid JSON")


def test_signed_endpoints_are_accepted(monkeypatch):
    other = "whsec_" + base64.b64encode(os.urandom(24)).decode()
    _hooks(monkeypatch, {"name": "newsroom", "url": "https://a.example.org/hook", "secrets": [SECRET, other]})
    (endpoint,) = AlerterSettings().webhooks
    assert [s.get_secret_value() for s in endpoint.secrets] == [SECRET, other]
