"""The alerter's history API and console over HTTP: a bearer token or the login cookie, security headers,
read-only, and the /alerts filters' answers (400 for a bad kind, dates with or without a time)."""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest

from claimwatch.local_stack import LocalStack
from tests.conftest import ROOT, SEEDS
from tests.helpers import replay_seeds

pytestmark = pytest.mark.integration
KEY = "north_korea.troops_deployed"
API = ["/alerts", "/quantities", f"/quantities/{KEY}"]
UI = ["/ui/", "/ui/console.js", "/ui/console.css"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _call(url, headers=None, data=None, method=None):
    """(status, headers, body) of one request, redirects not followed, errors returned rather than raised."""
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with _opener.open(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with LocalStack(tmp_path_factory.mktemp("auth") / "stack") as running:
        replay_seeds(running, SEEDS)
        yield running


@pytest.fixture(scope="module")
def base(stack):
    return stack.services["alerter"].base_url


def _bearer(stack, token=None):
    return {"Authorization": f"Bearer {stack.api_token if token is None else token}"}


def test_without_a_token_the_api_answers_401_json(base):
    for path in API:
        status, headers, body = _call(base + path)
        assert status == 401, path
        assert headers["Content-Type"].startswith("application/json")
        assert "Authorization: Bearer" in json.loads(body)["error"]
        assert headers["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_refused(stack, base):
    for token in ("wrong", stack.api_token[:-1], stack.api_token + "x"):
        for path in API:
            assert _call(base + path, _bearer(stack, token))[0] == 401, (token, path)


def test_without_a_token_the_console_answers_with_the_login_form(base):
    for path in UI:
        status, headers, body = _call(base + path)
        assert status == 401, path
        assert headers["Content-Type"].startswith("text/html")
        assert b'<form method="post" action="login">' in body and b'name="token"' in body
        assert b"console.js" not in body and b"claimwatch" in body


def test_the_right_bearer_token_reads_everything(stack, base):
    for path in API + UI:
        status, headers, body = _call(base + path, _bearer(stack))
        assert status == 200, (path, body[:200])
    assert {q["quantity_key"] for q in stack.api_get("/quantities")} >= {KEY}
    assert stack.api_get(f"/quantities/{KEY}")["quantity_key"] == KEY


def test_console_and_api_carry_the_security_headers(stack, base):
    for path in UI + API + ["/ui/login"]:
        headers = _call(base + path, _bearer(stack))[1]
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    assert _call(base + "/ui/", _bearer(stack))[1]["Content-Type"].startswith("text/html")
    assert _call(base + "/ui/console.js", _bearer(stack))[1]["Content-Type"].startswith("text/javascript")


def _login(base, token):
    return _call(base + "/ui/login", {"Content-Type": "application/x-www-form-urlencoded"},
                 data=urllib.parse.urlencode({"token": token}).encode())


def test_login_sets_a_strict_http_only_cookie_that_opens_the_console_and_the_api(stack, base):
    status, headers, _ = _login(base, "wrong")
    assert status == 401 and "Set-Cookie" not in headers

    status, headers, _ = _login(base, stack.api_token)
    assert status == 303 and headers["Location"] == "./"
    name, morsel = next(iter(SimpleCookie(headers["Set-Cookie"]).items()))
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    assert stack.api_token not in morsel.value
    jar = {"Cookie": f"{name}={morsel.value}"}
    page = _call(base + "/ui/", jar)
    assert page[0] == 200 and b'<script src="console.js"></script>' in page[2]
    assert _call(base + "/ui/console.js", jar)[0] == 200
    for path in API:
        assert _call(base + path, jar)[0] == 200, path
    assert not morsel["secure"]  # plain http here; behind a TLS proxy it is Secure:
    proxied = _call(base + "/ui/login", {"X-Forwarded-Proto": "https"},
                    data=urllib.parse.urlencode({"token": stack.api_token}).encode())[1]
    assert next(iter(SimpleCookie(proxied["Set-Cookie"]).values()))["secure"]
    tampered = morsel.value[:-1] + ("1" if morsel.value.endswith("0") else "0")
    forged = {"Cookie": f"{name}={tampered}"}
    assert _call(base + "/alerts", forged)[0] == 401


def test_the_api_is_read_only(stack, base):
    for path in API + ["/ui/"]:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert _call(base + path, _bearer(stack), data=b"{}", method=method)[0] == 405, (method, path)


def test_health_and_metrics_stay_open(base):
    assert _call(base + "/healthz")[0] == 200
    status, _, body = _call(base + "/metrics")
    assert status == 200 and b"claimwatch_alerter_claims_total" in body


def test_faust_does_not_serve_table_data(stack, base):
    # Faust's own /table/{name}/{key}/ view would hand anyone the alert log without a token
    for table in ("alert_log", "quantities"):
        status, _, body = _call(f"{base}/table/{table}/{KEY}/")
        assert status == 404 and KEY.encode() not in body, (table, body[:200])


def test_an_unknown_kind_is_a_400_with_the_allowed_values(stack, base):
    status, _, body = _call(base + "/alerts?kind=bogus", _bearer(stack))
    assert status == 400
    message = json.loads(body)["error"]
    assert "'bogus'" in message and all(kind in message for kind in ("new", "update", "contradiction", "denial"))
    assert [a["kind"] for a in stack.api_get("/alerts?kind=denial")] == ["denial"]


@pytest.mark.parametrize("since", ["2025-01-01", "2025-01-01T00:00", "2025-01-01T00:00:00Z"])
def test_since_takes_a_date_or_a_naive_time(stack, since):
    everything = stack.api_get("/alerts")
    recent = stack.api_get(f"/alerts?since={since}")
    # the seeds publish in 2024, 2025 and 2026: some alerts before the cut, some after
    assert recent and len(recent) < len(everything)
    assert all(a["claim"]["published_at"] >= "2025-01-01" for a in recent)
    assert {a["alert_id"] for a in recent} == {a["alert_id"] for a in everything
                                               if a["claim"]["published_at"] >= "2025-01-01"}


def test_a_malformed_since_is_a_400(stack, base):
    status, _, body = _call(base + "/alerts?since=last%20tuesday", _bearer(stack))
    assert status == 400 and "since is not an ISO 8601 date" in json.loads(body)["error"]


def test_the_alerter_refuses_to_start_without_a_token(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMWATCH_")}
    env.update({"PYTHONPATH": str(ROOT), "CLAIMWATCH_ALERTER_DATA_DIR": str(tmp_path),
                "CLAIMWATCH_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"})
    # run from an empty folder, so no .env file supplies a token
    done = subprocess.run([sys.executable, "-m", "claimwatch.cli", "alerter"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "CLAIMWATCH_ALERTER_API_TOKEN is not set" in output and "Traceback" not in output, output[-2000:]
