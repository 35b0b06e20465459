"""`claimwatch extractor`, `alerter` and `ingest-api` started by hand, as real processes: they start on a
fresh machine, and when they cannot they say why in one line, within seconds."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from claimwatch.broker import free_port
from claimwatch.local_stack import LocalStack, local_broker
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

TOKEN = "by-hand-" + os.urandom(16).hex()


def test_extractor_and_alerter_start_with_a_data_dir_that_does_not_exist_yet(tmp_path):
    fresh = tmp_path / "fresh"  # what $TMPDIR/claimwatch is on a new machine: absent
    overrides = {"CLAIMWATCH_EXTRACTOR_DATA_DIR": str(fresh / "extractor"),
                 "CLAIMWATCH_ALERTER_DATA_DIR": str(fresh / "alerter")}
    with LocalStack(tmp_path / "stack", partitions=1, with_sink=False, env_overrides=overrides) as stack:
        for name in ("extractor", "alerter"):
            assert stack.services[name].alive(), stack.services[name].log_tail()
        assert (fresh / "extractor" / f"claimwatch-extractor-{stack.run_id}-data").is_dir()
        assert (fresh / "alerter" / f"claimwatch-alerter-{stack.run_id}-data").is_dir()


def _by_hand(tmp_path: Path, **settings: str) -> dict[str, str]:
    """A shell with only these settings: no CLAIMWATCH_* inherited, and no .env in the working directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    env.update(settings, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    return env


def _ingest_api(tmp_path: Path, env: dict[str, str], **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "claimwatch.cli", "ingest-api"], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def _fails_in_one_line(tmp_path: Path, env: dict[str, str], within_s: float) -> str:
    started = time.monotonic()
    process = _ingest_api(tmp_path, env)
    try:
        _, stderr = process.communicate(timeout=within_s + 20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"ingest-api still running after {within_s + 20:.0f} s")
    elapsed = time.monotonic() - started
    assert process.returncode not in (0, None)
    assert elapsed < within_s, f"took {elapsed:.1f} s to give up"
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_ingest_api_without_a_token_fails_at_once_in_one_line(tmp_path):
    # a closed port for Kafka too: the token is checked before any wait for the broker
    env = _by_hand(tmp_path, CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{free_port()}",
                   CLAIMWATCH_INGESTOR_HTTP_PORT=str(free_port()))
    line = _fails_in_one_line(tmp_path, env, within_s=4)
    assert line.startswith("error: CLAIMWATCH_INGESTOR_API_TOKEN") and "needs a token" in line


def test_ingest_api_with_an_unreachable_kafka_names_it_in_one_line(tmp_path):
    closed = f"127.0.0.1:{free_port()}"
    env = _by_hand(tmp_path, CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS=closed, CLAIMWATCH_INGESTOR_API_TOKEN=TOKEN,
                   CLAIMWATCH_INGESTOR_HTTP_PORT=str(free_port()))
    line = _fails_in_one_line(tmp_path, env, within_s=12)
    assert line.startswith("error: CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS") and closed in line


def test_ingest_api_says_where_it_listens(tmp_path):
    with local_broker() as broker:
        port = free_port()
        env = _by_hand(tmp_path, CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, CLAIMWATCH_KAFKA_FLAVOUR=broker.flavour,
                       CLAIMWATCH_INGESTOR_API_TOKEN=TOKEN, CLAIMWATCH_INGESTOR_HTTP_PORT=str(port))
        process = _ingest_api(tmp_path, env)
        try:
            ready, _, _ = select.select([process.stdout], [], [], 30)
            first = process.stdout.readline() if ready else ""  # "" too if it exits instead
            url = f"http://127.0.0.1:{port}/articles"
            assert first.strip() == f"ingest API listening on {url}", first or "no line within 30 s"
            with urllib.request.urlopen(url.replace("/articles", "/healthz"), timeout=5) as response:
                assert response.status == 200  # the line is printed once it really listens
        finally:
            process.terminate()
            process.communicate(timeout=20)
