"""Services started by hand: the worker data directory is created, and the ingest API checks its token
before it contacts Kafka and gives up on an unreachable Kafka within seconds, with one clear message."""
from __future__ import annotations

import os
import stat
import time

import pytest

from services.common import faust_app
from claimwatch.broker import free_port
from services.common.errors import ConfigError
from services.common.kafka_settings import KafkaSettings
from services.ingestor import http_api
from services.ingestor.publisher import ArticlePublisher, PublishError
from services.ingestor.settings import IngestorSettings


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    """No CLAIMWATCH_* variable and no .env: what a new user has."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("CLAIMWATCH_"):
            monkeypatch.delenv(name)


def test_make_app_creates_a_data_directory_that_does_not_exist_yet(tmp_path):
    data_dir = tmp_path / "never" / "made"
    app = faust_app.make_app("cw-hand-test", KafkaSettings(), "127.0.0.1", free_port(), str(data_dir))
    made = data_dir / "cw-hand-test-data"
    assert made.is_dir()
    assert str(app.conf.datadir) == str(made)
    assert stat.S_IMODE(made.stat().st_mode) == 0o700  # worker files are not for other users


def test_an_unusable_data_directory_is_one_config_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError) as error:
        faust_app.make_data_dir(str(blocker / "below"))
    message = str(error.value)
    assert "\n" not in message and str(blocker / "below") in message and "DATA_DIR" in message


def test_no_token_is_a_config_error_naming_the_setting(no_env):
    with pytest.raises(ConfigError, match="CLAIMWATCH_INGESTOR_API_TOKEN: the ingest API needs a token"):
        http_api.require_token(IngestorSettings())


def test_a_missing_token_file_is_a_config_error_naming_the_file(no_env, monkeypatch, tmp_path):
    missing = tmp_path / "no-such-token"
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN_FILE", str(missing))
    with pytest.raises(ConfigError) as error:
        http_api.require_token(IngestorSettings())
    assert str(error.value).startswith("CLAIMWATCH_INGESTOR_API_TOKEN_FILE: cannot read") and str(missing) in str(error.value)


def test_serve_checks_the_token_before_it_contacts_kafka(no_env, monkeypatch):
    contacted = []
    monkeypatch.setattr(http_api, "ArticlePublisher", lambda *args, **kwargs: contacted.append(args))
    with pytest.raises(ConfigError, match="needs a token"):
        http_api.serve(IngestorSettings())
    assert len(contacted) == 0  # the token check alone stopped it; the next test shows it can see one


def test_the_order_check_sees_a_publisher_built_first(no_env, monkeypatch):
    """The test above can fail: with a token, serve does build the publisher."""
    monkeypatch.setenv("CLAIMWATCH_INGESTOR_API_TOKEN", "a-long-enough-token-for-this-check-0123")
    contacted = []

    def publisher(*args, **kwargs):
        contacted.append(args)
        raise ConfigError("stop here")

    monkeypatch.setattr(http_api, "ArticlePublisher", publisher)
    with pytest.raises(ConfigError, match="stop here"):
        http_api.serve(IngestorSettings())
    assert len(contacted) == 1


def test_an_unreachable_kafka_is_named_within_seconds():
    closed = f"127.0.0.1:{free_port()}"  # nothing listens on a port just released
    started = time.monotonic()
    with pytest.raises(PublishError) as error:
        ArticlePublisher(KafkaSettings(bootstrap_servers=closed), connect_timeout_s=2)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"gave up after {elapsed:.1f} s"
    assert isinstance(error.value, ConfigError)  # so the CLI prints it as one line
    message = str(error.value)
    assert message.startswith("CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS: no Kafka broker answered at " + closed)
    assert "\n" not in message


@pytest.mark.parametrize("host, url", [("127.0.0.1", "http://127.0.0.1:8080/articles"),
                                       ("::1", "http://[::1]:8080/articles")])
def test_the_listening_line_names_a_usable_url(host, url):
    assert http_api.listening_url(host, 8080) == url


def test_a_malformed_kafka_address_is_named_not_a_traceback():
    with pytest.raises(ConfigError) as error:
        ArticlePublisher(KafkaSettings(bootstrap_servers="127.0.0.1:ninety"), connect_timeout_s=1)
    assert str(error.value) == ("CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS: cannot use '127.0.0.1:ninety': give host:port "
                                "pairs separated by commas")
