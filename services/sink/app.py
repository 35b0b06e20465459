"""A small webhook receiver for local use: verifies Standard Webhooks signatures and prints each alert."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from aiohttp import web
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.common.errors import ConfigError
from services.common.metrics_http import render
from services.sink.metrics import RECEIVED, REGISTRY
from services.sink.settings import SinkSettings


def verify(secrets: list[str], body: bytes, headers: dict[str, str]) -> dict:
    """The parsed payload if any secret verifies it; raises WebhookVerificationError otherwise."""
    if not secrets:
        raise WebhookVerificationError("the sink has no secret configured")
    last: Exception | None = None
    for secret in secrets:
        try:
            return Webhook(secret).verify(body, headers)
        except WebhookVerificationError as exc:
            last = exc
        except (ValueError, TypeError) as exc:  # malformed signature header
            last = WebhookVerificationError(f"malformed signature header: {exc}")
    raise last or WebhookVerificationError("no matching signature")


def readable(payload: dict) -> str:
    data = payload.get("data", {})
    kind = data.get("kind", payload.get("type", "?"))
    return f"[{data.get('severity', '?'):8}] {kind:13} {data.get('summary', payload.get('text', ''))}"


def make_app(settings: SinkSettings) -> web.Application:
    secrets = settings.secret_values()
    seen: set[str] = set()

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            payload = verify(secrets, body, dict(request.headers))
        except (WebhookVerificationError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            RECEIVED.labels(outcome="rejected").inc()
            return web.json_response({"error": f"signature rejected: {exc}"}, status=401)
        webhook_id = request.headers.get("webhook-id", "")
        duplicate = webhook_id in seen
        seen.add(webhook_id)
        RECEIVED.labels(outcome="duplicate" if duplicate else "accepted").inc()
        if not settings.quiet:
            print(readable(payload) + ("  (duplicate)" if duplicate else ""), flush=True)
        if settings.out:
            record = {"webhook_id": webhook_id, "received_at": datetime.now(timezone.utc).isoformat(),
                      "duplicate": duplicate, "payload": payload}
            with settings.out.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
        return web.json_response({"ok": True})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def metrics_page(_: web.Request) -> web.Response:
        body, content_type = render(REGISTRY)
        return web.Response(body=body, headers={"Content-Type": content_type})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    app.router.add_post("/{tail:.*}", receive)
    return app


def serve(settings: SinkSettings) -> None:
    if not settings.secret_values():
        raise ConfigError("CLAIMWATCH_SINK_SECRETS: the sink needs a secret to verify signatures: set it, or "
                          "CLAIMWATCH_SINK_SECRETS_FILE, or pass --secret-file PATH")
    web.run_app(make_app(settings), host=settings.host, port=settings.port, print=lambda *_: None)
