"""The HTTP ingest API exercised from its own OpenAPI description (schemathesis): for any request the
description allows, and for malformed ones, the server never answers 500, and every status code, content
type and body it sends is documented."""
import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.conftest import ROOT
from tests.integration.conftest import TOKEN

pytestmark = pytest.mark.integration
# the description the server publishes at /openapi.json (test_served_description_is_this_file checks)
DESCRIPTION = ROOT / "services" / "ingestor" / "openapi.json"
schema = schemathesis.openapi.from_path(DESCRIPTION)


def test_served_description_is_this_file(api):
    base, _ = api
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=5) as response:
        assert json.loads(response.read()) == json.loads(DESCRIPTION.read_text())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_authenticated_requests_conform(case, api):
    base, _ = api
    case.call_and_validate(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"})


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_requests_without_a_token_conform(case, api):
    base, _ = api
    case.call_and_validate(base_url=base, headers={"Authorization": "Bearer wrong-token"})
