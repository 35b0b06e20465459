import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def _choose_broker() -> tuple[str, str]:
    """One choice for the whole run, before any test starts a broker: Apache Kafka when Java is present,
    else the embedded broker. CLAIMWATCH_TEST_BROKER=kafka|tansu|auto overrides it. Every LocalStack and
    local_broker() then reads CLAIMWATCH_BROKER, so no test knows which broker it has."""
    from claimwatch.broker import resolve_broker_kind

    kind, why_not_kafka = resolve_broker_kind(os.environ.get("CLAIMWATCH_TEST_BROKER", "auto"))
    os.environ["CLAIMWATCH_BROKER"] = kind
    if kind == "kafka":
        from claimwatch.kafka_broker import kafka_version
        return kind, f"claimwatch tests: broker Apache Kafka {kafka_version()} (CLAIMWATCH_TEST_BROKER=tansu for the embedded one)"
    reason = f" because {why_not_kafka}" if why_not_kafka else ""
    return kind, f"claimwatch tests: broker embedded Tansu{reason} (CLAIMWATCH_TEST_BROKER=kafka for Apache Kafka)"


BROKER_KIND, BROKER_LINE = _choose_broker()


def pytest_collection_modifyitems(config, items):
    """Before any test's clock runs: the jars (once per machine, mvn, about 20 s), if a test needs a broker."""
    if BROKER_KIND != "kafka" or not any(part in str(item.path) for item in items
                                         for part in ("integration", "resilience")):
        return
    from claimwatch.broker import BrokerError
    from claimwatch.kafka_broker import fetch_jars, java_binary

    if java_binary() is None:
        raise pytest.UsageError("CLAIMWATCH_TEST_BROKER=kafka, but java is not installed")
    try:
        fetch_jars()
    except BrokerError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_report_header(config):
    return BROKER_LINE


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(BROKER_LINE)  # -q hides the header: say it again at the end


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def broker_kind() -> str:
    return BROKER_KIND
