"""The ingest token comes from the environment or a file, never from code, and the API will not start
without one, or with a placeholder (tests/unit/test_secrets.py has every refusal)."""
import pytest

from services.common.errors import ConfigError
from services.ingestor.http_api import make_app
from services.ingestor.settings import IngestorSettings

ENV_TOKEN = "from-env-Hq4tXw9ZkP2m"
FILE_TOKEN = "from-file-Rb7yVn3LsD8c"


def test_token_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", ENV_TOKEN)
    assert IngestorSettings().token() == ENV_TOKEN


def test_token_from_a_mounted_file(monkeypatch, tmp_path):
    secret = tmp_path / "ingest-token"
    secret.write_text(FILE_TOKEN + "\n")
    monkeypatch.delenv("CLAIMWATCH_INGESTOR_API_TOKEN", raising=False)
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", str(secret))
    assert IngestorSettings().token() == FILE_TOKEN


def test_no_token_no_server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("CLAIMWATCH_INGESTOR_API_TOKEN", raising=False)
    monkeypatch.delenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", raising=False)
    with pytest.raises(ConfigError, match="needs a token"):
        make_app(IngestorSettings(), publisher=None)


def test_placeholder_token_no_server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "change-me")
    with pytest.raises(ConfigError, match="^CLAIMWATCH_INGESTOR_API_TOKEN is a placeholder value"):
        make_app(IngestorSettings(), publisher=None)


def test_the_token_is_not_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "hunter2-token-Vd6pQ1")
    assert "hunter2-token-Vd6pQ1" not in repr(IngestorSettings())
