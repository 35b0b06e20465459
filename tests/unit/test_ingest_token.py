"""The ingest token comes from the environment or a file, never from code, and the API will not start
without one."""
import pytest

from services.ingestor.http_api import make_app
from services.ingestor.settings import IngestorSettings


def test_token_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "from-env")
    assert IngestorSettings().token() == "from-env"


def test_token_from_a_mounted_file(monkeypatch, tmp_path):
    secret = tmp_path / "ingest-token"
    secret.write_text("from-file\n")
    monkeypatch.delenv("CLAIMWATCH_INGESTOR_API_TOKEN", raising=False)
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", str(secret))
    assert IngestorSettings().token() == "from-file"


def test_no_token_no_server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("CLAIMWATCH_INGESTOR_API_TOKEN", raising=False)
    monkeypatch.delenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", raising=False)
    with pytest.raises(SystemExit, match="needs a token"):
        make_app(IngestorSettings(), publisher=None)


def test_the_token_is_not_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "hunter2-token")
    assert "hunter2-token" not in repr(IngestorSettings())
