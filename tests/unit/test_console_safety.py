"""The console never treats article text as markup, holds under its Content-Security-Policy, and the history
API's gate (bearer token or login cookie) lets in only the token's holder. The browser side is tested end to
end in tests/integration/test_console.py; these are the static and pure checks."""
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from services.alerter import web
from services.common.errors import ConfigError

UI = web.UI_DIR
JS = (UI / "console.js").read_text()
LAYOUT = (UI / "timeline.js").read_text()
CODE = "\n".join(line for line in (JS + "\n" + LAYOUT).splitlines() if not line.lstrip().startswith("//"))


@pytest.mark.parametrize("sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                                  "new Function", "srcdoc", "DOMParser", "createContextualFragment",
                                  "setHTMLUnsafe", "javascript:"])
def test_console_js_has_no_html_sink(sink):
    assert sink not in CODE


def test_links_and_styles_are_never_set_from_attributes():
    # el()/svg() refuse on*, style, href and src; addresses go through httpUrl(), colours through CSSOM
    assert not re.search(r"""setAttribute\(\s*["'](on\w+|style|href|src)["']""", CODE)
    assert not re.search(r"""[{,]\s*["']?(style|href|src|on(?!click)\w+)["']?\s*:""", CODE)
    assert [line.strip() for line in CODE.splitlines() if re.search(r"\.(href|src)\s*=", line)] \
        == ["link.href = url.href;"]
    check = re.search(r"function httpUrl\(text\) \{(.*?)\n\}", CODE, re.S).group(1)
    assert "new URL(text)" in check and 'url.protocol === "http:" || url.protocol === "https:"' in check
    assert re.search(r"const url = httpUrl\(figure\.article_url\);", CODE)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_only_absolute_http_urls_become_links():
    check = re.search(r"function httpUrl\(text\) \{.*?\n\}\n", JS, re.S).group(0)
    inputs = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
              "vbscript:msgbox", "/ui/", "//evil.example/x", "not a url", None, 7,
              "https://news.example/a?q=<b>", "HTTP://News.Example/x"]
    script = f"{check}\nconsole.log(JSON.stringify({json.dumps(inputs)}.map((u) => {{ const r = httpUrl(u); " \
             f"return r && r.href; }})));"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True).stdout
    assert json.loads(out) == [None] * 10 + ["https://news.example/a?q=%3Cb%3E", "http://news.example/x"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.inline = [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


@pytest.mark.parametrize("page", [(UI / "index.html").read_text(), web.LOGIN_PAGE.format(message="m")],
                         ids=["console", "login"])
def test_pages_hold_under_the_csp(page):
    parsed = _Page()
    parsed.feed(page)
    assert not parsed.inline
    assert all(tag != "style" for tag, _ in parsed.tags)
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name == "style" or name.startswith("on")], tag
        for name in ("src", "href", "action"):
            assert ":" not in (attrs.get(name) or ""), (tag, attrs)  # same origin only
    scripts = [attrs.get("src") for tag, attrs in parsed.tags if tag == "script"]
    assert scripts in ([], ["timeline.js", "console.js"])


def test_security_headers():
    directives = dict(d.strip().split(" ", 1) for d in web.CSP.split(";"))
    assert directives == {"default-src": "'none'", "script-src": "'self'", "style-src": "'self'",
                          "connect-src": "'self'", "img-src": "'self' data:", "frame-ancestors": "'none'",
                          "base-uri": "'none'", "form-action": "'self'"}
    assert web.SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"
    assert web.SECURITY_HEADERS["Referrer-Policy"] == "no-referrer"


def test_the_login_message_is_escaped():
    page = web._login_page(_FakeView(), "<img src=x onerror=alert(1)>", 401)
    assert b"<img" not in page.body and b"&lt;img src=x" in page.body
    assert page.headers["Content-Security-Policy"] == web.CSP


class _FakeView:
    def bytes(self, value, status=200, headers=None):
        from aiohttp.web import Response
        return Response(body=value, status=status, headers=headers)


TOKEN = "console-test-" + "k" * 30


class _Settings:
    def __init__(self, token):
        self.token = token

    def api_token_value(self):
        return self.token


@pytest.mark.parametrize("token", [None, ""])
def test_no_token_no_start(token):
    with pytest.raises(ConfigError) as caught:
        web.require_token(_Settings(token))
    message = str(caught.value)
    assert "\n" not in message
    assert "CLAIMWATCH_ALERTER_API_TOKEN " in message and "CLAIMWATCH_ALERTER_API_TOKEN_FILE" in message
    assert web.require_token(_Settings(TOKEN)) == TOKEN


def test_bearer_token():
    gate = web.Gate(TOKEN)
    assert gate.problem({"Authorization": f"Bearer {TOKEN}"}, {}) is None
    assert gate.problem({"Authorization": f"bearer {TOKEN}"}, {}) is None  # the scheme is case-insensitive
    for header in (f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer ", f"Basic {TOKEN}", TOKEN, "Bearer \udcff"):
        assert gate.problem({"Authorization": header}, {}) is not None, header
    assert "Authorization: Bearer" in gate.problem({}, {})


def test_the_login_cookie_proves_a_login_until_it_expires():
    now = [1_800_000_000.0]
    gate = web.Gate(TOKEN, clock=lambda: now[0])
    cookie = gate.session()
    assert TOKEN not in cookie
    assert gate.problem({}, {web.COOKIE: cookie}) is None
    expires, mac = cookie.split(".")
    for forged in (f"{int(expires) + 3600}.{mac}", f"{expires}.{'0' * len(mac)}", mac, "", "x.y", f"²³.{mac}",
                   web.Gate(TOKEN + "other", clock=lambda: now[0]).session()):
        assert gate.problem({}, {web.COOKIE: forged}) is not None, forged
    now[0] += web.SESSION_S + 1
    assert "expired" in gate.problem({}, {web.COOKIE: cookie})


def test_a_wrong_bearer_is_not_rescued_by_a_cookie():
    gate = web.Gate(TOKEN)
    assert gate.problem({"Authorization": "Bearer wrong"}, {web.COOKIE: gate.session()}) is not None
