"""The alerter's history API and analyst console over HTTP: a token guards them, security headers go on
every answer, and the views stay thin (what they show is computed in history.py).

Open without a token: /metrics and /healthz (Prometheus and health checks), served by faust_app."""
from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import hmac
import html
import json
import logging
import time
from pathlib import Path
from typing import Any, Callable, Mapping

import aiohttp
from aiohttp.web import StreamResponse
from faust.web import View

from schemas.models import notice_id
from services.alerter import history
from services.alerter.decisions import QuantityState
from services.common.errors import ConfigError

log = logging.getLogger("claimwatch.alerter")

UI_DIR = Path(__file__).with_name("ui")
UI_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
            ".css": "text/css; charset=utf-8"}
COOKIE = "claimwatch_console"
SESSION_S = 12 * 3600
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
LOGIN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimwatch console: log in</title></head>
<body>
<h1>claimwatch console</h1>
<p>{message}</p>
<form method="post" action="login">
  <label>API token <input name="token" type="password" autocomplete="current-password" required autofocus></label>
  <button type="submit">Log in</button>
</form>
<p>The token is the alerter's CLAIMWATCH_ALERTER_API_TOKEN.</p>
</body>
</html>
"""


def require_token(settings: Any) -> str:
    """The alerter's API token (checked by the settings: no placeholder, long enough); none, no start."""
    token = settings.api_token_value()
    if not token:
        raise ConfigError("CLAIMWATCH_ALERTER_API_TOKEN is not set: the history API and analyst console need a "
                          "token; set it, or CLAIMWATCH_ALERTER_API_TOKEN_FILE to a file that holds it")
    return token


class Gate:
    """Who may read: a bearer token, or the console's session cookie (what the login page sets)."""

    def __init__(self, token: str, clock: Callable[[], float] = time.time) -> None:
        self._token = token.encode()
        self._clock = clock

    def token_ok(self, given: str | None) -> bool:
        # digests first, so the comparison takes as long whatever the lengths
        return given is not None and hmac.compare_digest(
            hashlib.sha256(given.encode("utf-8", "surrogatepass")).digest(), hashlib.sha256(self._token).digest())

    def _mac(self, expires: int) -> str:
        return hmac.new(self._token, f"claimwatch-console:{expires}".encode(), hashlib.sha256).hexdigest()

    def session(self) -> str:
        """A cookie value that proves a login until it expires; it holds no token, and a new token voids it."""
        expires = int(self._clock()) + SESSION_S
        return f"{expires}.{self._mac(expires)}"

    def session_ok(self, value: str | None) -> bool:
        expires, _, mac = (value or "").partition(".")
        if not (expires.isascii() and expires.isdigit()):
            return False
        return hmac.compare_digest(mac.encode(), self._mac(int(expires)).encode()) and int(expires) > self._clock()

    def problem(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> str | None:
        """None when the request may read; otherwise what is wrong, for the 401."""
        scheme, _, credentials = (headers.get("Authorization") or "").partition(" ")
        if scheme.lower() == "bearer":
            return None if self.token_ok(credentials.strip()) else "the bearer token is not accepted"
        if COOKIE in cookies:
            return None if self.session_ok(cookies[COOKIE]) else "the console session has expired: log in again"
        return "authentication required: send Authorization: Bearer <CLAIMWATCH_ALERTER_API_TOKEN>"


def _secured(response):
    if not getattr(response, "prepared", False):  # a stream sent its headers when it began
        response.headers.update(SECURITY_HEADERS)
    return response


STREAM_POLL_S = 0.25
PEER_TIMEOUT_S = 5.0
STREAM_HEARTBEAT_S = 15.0
ROUTED_HEADER = "X-Claimwatch-Routed-By"


def missing_header(missing: list[str]) -> dict[str, str]:
    return {"X-Claimwatch-Missing": ", ".join(missing)} if missing else {}


class AlertWatch:
    """What changed in the alert log table since the last look: only changed values are parsed again, so a
    stream's poll costs a pass over the keys, not over every alert."""

    def __init__(self, alert_log) -> None:
        self._table = alert_log
        self._seen: dict[str, int] = {}
        self._known: set[str] = set()

    def new_alerts(self) -> list[dict]:
        fresh = []
        for key, value in list(self._table.items()):
            if not value or self._seen.get(key) == hash(value):
                continue
            self._seen[key] = hash(value)
            for entry in json.loads(value):
                notice = notice_id(entry["alert_id"], entry.get("supersedes"))
                if notice not in self._known:
                    self._known.add(notice)
                    fresh.append(entry)
        return fresh


def _login_page(view: View, message: str, status: int):
    return _secured(view.bytes(LOGIN_PAGE.format(message=html.escape(message)).encode(), status=status,
                               headers={"Content-Type": UI_TYPES[".html"]}))


def install_history_api(app, quantities, alert_log, settings) -> None:
    """GET /alerts, /alerts/stream, /quantities, /quantities/{key} and the console under /ui/, all behind the
    API token.
    Raises ConfigError when no token is set."""
    gate = Gate(require_token(settings))

    def guarded(ui: bool):
        """Check the caller before the handler runs (and before a table_route forwards it to the owner, which
        gets the same Authorization and Cookie headers and checks them again)."""
        def decorate(handler):
            @functools.wraps(handler)
            async def get(view, request, *args, **kwargs):
                problem = gate.problem(request.headers, request.cookies)
                if problem is None:
                    return _secured(await handler(view, request, *args, **kwargs))
                if ui:
                    return _login_page(view, "Log in with the alerter's API token.", 401)
                return _secured(view.json({"error": problem}, status=401,
                                          headers={"WWW-Authenticate": 'Bearer realm="claimwatch"'}))
            return get
        return decorate

    def peers() -> list[str]:
        """The other workers' addresses, as the partition assignor knows them from the group."""
        try:
            hosts = app.router.table_metadata(quantities.name)
        except (KeyError, AttributeError):
            return []  # no assignment yet
        own = str(app.conf.canonical_url).rstrip("/")
        return sorted({str(host).rstrip("/") for host in hosts} - {own})

    def credentials(request) -> dict[str, str]:
        return {name: value for name, value in request.headers.items() if name.lower() in ("authorization", "cookie")}

    async def ask_peers(request, path: str, params: dict[str, str]) -> tuple[list[tuple[Any, Mapping]], list[str]]:
        """GET path from every other worker (its own partitions only) with the caller's credentials: the
        answers, and the workers that gave none (named in X-Claimwatch-Missing, never a failure of the whole)."""
        async def one(peer: str):
            try:
                async with app.http_client.get(f"{peer}{path}", params=params, headers=credentials(request),
                                               timeout=aiohttp.ClientTimeout(total=PEER_TIMEOUT_S)) as response:
                    if response.status != 200:
                        raise aiohttp.ClientError(f"HTTP {response.status}")
                    return await response.json(), response.headers
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                log.warning("worker %s did not answer %s: %r", peer, path, exc)
                return None
        hosts = peers()
        answers = await asyncio.gather(*(one(peer) for peer in hosts))
        return [a for a in answers if a is not None], [h for h, a in zip(hosts, answers) if a is None]

    def all_workers(request) -> bool:
        return request.query.get("scope") == "all"

    def load_state(stored: bytes | None) -> QuantityState | None:
        return QuantityState.model_validate_json(stored) if stored else None

    def load_log(stored: bytes | None) -> list[dict]:
        return json.loads(stored) if stored else []

    @app.page("/alerts")
    @guarded(ui=False)
    async def get_alerts(web, request):
        """Alerts this worker holds (its partitions), newest first, one page at a time. Filters: since (ISO
        date or time; naive is UTC), kind (an alert kind), quantity (a quantity key), q (part of a key),
        source (part of a source's name); limit and offset choose the page, X-Total-Count says how many match."""
        try:
            query = history.alert_query(request.query)
        except ValueError as exc:
            return web.json({"error": str(exc)}, status=400)
        logs = [load_log(value) for value in alert_log.values() if value]
        if not all_workers(request):
            page, total = history.page_alerts(logs, query)
            return web.json(page, headers={"X-Total-Count": str(total)})
        # every worker's first offset+limit, merged (pages of the whole view reach MAX_PAGE_SIZE deep)
        depth = min(history.MAX_PAGE_SIZE, query.offset + query.limit)
        local, total = history.page_alerts(logs, dataclasses.replace(query, offset=0, limit=depth))
        params = {k: v for k, v in request.query.items() if k not in ("scope", "offset", "limit")}
        answers, missing = await ask_peers(request, "/alerts", {**params, "offset": "0", "limit": str(depth)})
        total += sum(int(headers.get("X-Total-Count", len(body))) for body, headers in answers)
        page = history.merge_alert_pages([local, *(body for body, _ in answers)], query.offset, query.limit)
        return web.json(page, headers={"X-Total-Count": str(total), **missing_header(missing)})

    @app.page("/alerts/stream")
    @guarded(ui=False)
    async def stream_alerts(web, request):
        """Server-sent events: one `alert` event (the alert as JSON) for each alert this worker adds after the
        stream opens, and a comment every STREAM_HEARTBEAT_S so proxies keep it open."""
        response = StreamResponse(headers={**SECURITY_HEADERS, "Content-Type": "text/event-stream",
                                                       "X-Accel-Buffering": "no"})
        await response.prepare(request)
        watch = AlertWatch(alert_log)
        watch.new_alerts()  # what is there now is what /alerts answers; the stream is for what comes next
        relayed: asyncio.Queue[str] = asyncio.Queue()
        relays = [asyncio.ensure_future(relay(peer, credentials(request), relayed))
                  for peer in (peers() if all_workers(request) else [])]
        await response.write(b"retry: 2000\n: connected\n\n")
        quiet = 0.0
        try:
            while True:
                await asyncio.sleep(STREAM_POLL_S)
                events = [f"event: alert\nid: {notice_id(entry['alert_id'], entry.get('supersedes'))}\n"
                          f"data: {json.dumps(entry)}\n\n" for entry in watch.new_alerts()]
                while not relayed.empty():
                    events.append(relayed.get_nowait())
                for event in events:
                    await response.write(event.encode())
                quiet = 0.0 if events else quiet + STREAM_POLL_S
                if quiet >= STREAM_HEARTBEAT_S:
                    await response.write(b": still here\n\n")
                    quiet = 0.0
        except ConnectionResetError:
            pass  # the page went away
        finally:
            for task in relays:
                task.cancel()
        return response

    async def relay(peer: str, headers: dict[str, str], into: asyncio.Queue) -> None:
        """Another worker's alert events, passed on whole; reconnects while the page's stream lasts."""
        while True:
            try:
                async with app.http_client.get(f"{peer}/alerts/stream", headers=headers,
                                               timeout=aiohttp.ClientTimeout(total=None, sock_read=60)) as response:
                    event: list[str] = []
                    async for raw in response.content:
                        line = raw.decode("utf-8", "replace").rstrip("\r\n")
                        if line:
                            event.append(line)
                        elif event:
                            if any(part.startswith("event: alert") for part in event):
                                into.put_nowait("\n".join(event) + "\n\n")
                            event = []
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:  # ValueError: a huge line
                log.warning("the alert stream of worker %s broke: %r", peer, exc)
            await asyncio.sleep(2)

    @app.page("/quantities")
    @guarded(ui=False)
    async def get_quantities(web, request):
        """Every quantity this worker holds (scope=all: every worker), with its latest figure, sources and
        status."""
        summaries = []
        for key in list(quantities.keys()):
            state = load_state(quantities.get(key))
            if state is not None:
                summaries.append(history.quantity_summary(state, load_log(alert_log.get(key))))
        if not all_workers(request):
            return web.json(sorted(summaries, key=lambda s: s["quantity_key"]))
        answers, missing = await ask_peers(request, "/quantities", {})
        return web.json(history.merge_quantities([summaries, *(body for body, _ in answers)]),
                        headers=missing_header(missing))

    def owner_of(key: str) -> str | None:
        """The address of the worker that holds `key`, or None before this worker has a partition map.
        A table row lives in the partition of the claims record that wrote it, which the producer chose by
        hashing the raw key. Faust's table_route hashes the table's JSON-encoded key instead (a quoted string),
        which names another partition, and so often another worker: route by the raw key here."""
        topic = quantities.changelog_topic.get_topic_name()
        try:
            partition = app.producer.key_partition(topic, key.encode()).partition
            hosts = app.router.table_metadata(quantities.name)
        except (TypeError, KeyError, AttributeError):  # no metadata or assignment yet
            return None
        return next((str(host).rstrip("/") for host, topics in hosts.items()
                     if partition in topics.get(topic, ())), None)

    def routed(handler):
        """The worker that owns the key answers; another one forwards the request there with the caller's
        credentials (the owner checks them again). A 503 while this worker cannot route yet."""
        @functools.wraps(handler)
        async def get(view, request, key):
            owner = owner_of(key)
            own = str(app.conf.canonical_url).rstrip("/")
            # a forwarded request is answered where it lands, so two workers whose views of the assignment
            # differ for a moment (a rebalance) never pass it back and forth
            if owner == own or request.headers.get(ROUTED_HEADER):
                return await handler(view, request, key)
            if owner is not None:
                try:
                    async with app.http_client.get(f"{owner}{request.path_qs}",
                                                   headers={**credentials(request), ROUTED_HEADER: own},
                                                   timeout=aiohttp.ClientTimeout(total=PEER_TIMEOUT_S)) as response:
                        return view.bytes(await response.read(), status=response.status,
                                          headers={"Content-Type": response.headers.get("Content-Type",
                                                                                        "application/json")})
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    log.warning("cannot route /quantities/%s to its owner %s: %r", key, owner, exc)
            return view.json({"error": "this worker cannot reach the owner of that quantity yet; try again "
                              "shortly"}, status=503, headers={"Retry-After": "2"})
        return get

    @app.page("/quantities/{key}")
    @guarded(ui=False)
    @routed
    async def get_quantity(web, request, key):
        """The timeline of one quantity, served by the worker that owns its partition."""
        state = load_state(quantities.get(key))
        if state is None:
            return web.json({"error": f"unknown quantity {key!r}"}, status=404)
        return web.json(history.timeline(state, load_log(alert_log.get(key))))

    # registered before /ui/{name}, which would otherwise take GET /ui/login
    @app.page("/ui/login")
    class Login(View):
        """The console's login: the API token in, an HttpOnly session cookie out."""

        async def get(self, request):
            return _login_page(self, "Log in with the alerter's API token.", 200)

        async def post(self, request):
            form = await request.post()
            token = form.get("token")
            if not gate.token_ok(token if isinstance(token, str) else None):
                log.warning("console login refused: wrong token")
                return _login_page(self, "That token is not accepted. Log in with the alerter's API token.", 401)
            response = self.bytes(b"", status=303, headers={"Location": "./"})
            # Secure over HTTPS, also behind a TLS proxy (a client that lies about it only affects its own cookie)
            https = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
            response.set_cookie(COOKIE, gate.session(), max_age=SESSION_S, path="/", httponly=True,
                                samesite="Strict", secure=https)
            return _secured(response)

    @app.page("/ui/")
    @guarded(ui=True)
    async def get_console(web, request):
        """The analyst console: a static page that reads the history API."""
        return web.bytes((UI_DIR / "index.html").read_bytes(), headers={"Content-Type": UI_TYPES[".html"]})

    @app.page("/ui/{name}")
    @guarded(ui=True)
    async def get_console_file(web, request, name):
        path = UI_DIR / name
        if path.suffix not in UI_TYPES or path.resolve().parent != UI_DIR.resolve() or not path.is_file():
            return web.json({"error": f"no such file {name!r}"}, status=404)
        return web.bytes(path.read_bytes(), headers={"Content-Type": UI_TYPES[path.suffix]})
