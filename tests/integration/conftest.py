import pytest

from services.local_stack import LocalStack


@pytest.fixture
def stack(tmp_path):
    """Broker, extractor, alerter and sink as real processes; stopped after the test."""
    with LocalStack(tmp_path / "stack") as running:
        yield running
