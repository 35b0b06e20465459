import os
import subprocess
import sys
import time
import urllib.request

import pytest

from claimwatch.broker import free_port
from services.common.kafka_settings import KafkaSettings
from services.common.topics_admin import ensure_topics
from claimwatch.local_stack import LocalStack, local_broker
from tests.conftest import ROOT

TOKEN = "test-token-" + os.urandom(8).hex()


@pytest.fixture
def stack(tmp_path):
    """Broker, extractor, alerter and sink as real processes; stopped after the test."""
    with LocalStack(tmp_path / "stack") as running:
        yield running


@pytest.fixture(scope="module")
def api():
    """The HTTP ingest API as a process, with a token and a 100 kB body limit, on the tests' broker."""
    with local_broker() as broker:
        ensure_topics(KafkaSettings(bootstrap_servers=broker.bootstrap, partitions=2, flavour=broker.flavour))
        port = free_port()
        env = {**os.environ, "CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "CLAIMWATCH_KAFKA_FLAVOUR": broker.flavour,
               "CLAIMWATCH_INGESTOR_HTTP_PORT": str(port), "CLAIMWATCH_INGESTOR_API_TOKEN": TOKEN,
               "CLAIMWATCH_INGESTOR_MAX_BODY_BYTES": "100000"}
        process = subprocess.Popen([sys.executable, "-m", "claimwatch.cli", "ingest-api"], env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base, broker
        process.terminate()
        process.wait(10)


